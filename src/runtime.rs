//! Performs the flow's [`Command`]s: calls the API, follows payments, keeps the payment in progress in session
//! storage, tells the host (the Yew app's callback, and the framing page through the bridge). Every answer goes back into the flow as an [`Action`].

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use bbps_core::api::{CategoryList, TransactionList};
use bbps_core::{ClientSecret, PaymentId};
use yew::Callback;

use crate::api::{Api, Call, Failure, decode};
use crate::bridge::{self, Bridge};
use crate::flow::{Action, Command, WidgetEvent};
use crate::i18n::Strings;
use crate::stream::{Follower, Report};

/// How long the biller search waits for more typing before it asks.
const DEBOUNCE_MS: u64 = 250;

pub struct Runtime {
    pub api: Rc<Api>,
    dispatch: Callback<Action>,
    on_event: RefCell<Callback<WidgetEvent>>,
    follower: RefCell<Option<Follower>>,
    latest_search: Rc<Cell<u32>>,
    storage_key: String,
    /// The page framing the widget, when it is one to talk to.
    pub host: Option<Rc<Bridge>>,
}

impl Runtime {
    pub fn new(api: Api, storage_key: String, dispatch: Callback<Action>, host: Option<Rc<Bridge>>) -> Runtime {
        Runtime {
            api: Rc::new(api),
            dispatch,
            on_event: RefCell::new(Callback::noop()),
            follower: RefCell::new(None),
            latest_search: Rc::new(Cell::new(0)),
            storage_key,
            host,
        }
    }

    /// The host's event callback can change between renders; the latest one is used.
    pub fn set_on_event(&self, cb: Callback<WidgetEvent>) {
        *self.on_event.borrow_mut() = cb;
    }

    /// The payment a previous load of this page was following, if any; its client secret goes to the API
    /// client, since this page's session is not the one that created it.
    pub fn remembered(&self) -> Option<PaymentId> {
        let value = session_storage()?.get_item(&self.storage_key).ok()??;
        let secret = ClientSecret::parse(&value).ok()?;
        let id = secret.payment_id();
        self.api.hold_secret(secret);
        Some(id)
    }

    pub fn run(&self, command: Command) {
        if let Some(call) = request(&command) {
            self.exchange(command, call);
            return;
        }
        let api = self.api.clone();
        match command {
            Command::OpenSession => {
                let dispatch = self.dispatch.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    dispatch.emit(match api.open_session().await {
                        Ok(session) => Action::SessionReady(session.mode),
                        Err(failure) => Action::Failed { command: Command::OpenSession, failure },
                    });
                });
            }
            Command::Follow(id) => {
                let dispatch = self.dispatch.clone();
                let follow_id = id.clone();
                let report: Rc<dyn Fn(Report)> = Rc::new(move |r| match r {
                    Report::Update(p) => dispatch.emit(Action::PaymentUpdated(*p)),
                    Report::Trouble(on) => dispatch.emit(Action::Reconnecting(on)),
                    Report::Gone(failure) => {
                        dispatch.emit(Action::Failed { command: Command::Follow(follow_id.clone()), failure })
                    }
                });
                // Replacing the follower drops (and stops) the previous one.
                *self.follower.borrow_mut() = Some(Follower::start(api, id, report));
            }
            Command::StopFollowing => drop(self.follower.borrow_mut().take()),
            Command::Remember(secret) => {
                if let Some(storage) = session_storage() {
                    let _ = match &secret {
                        Some(secret) => storage.set_item(&self.storage_key, secret.as_str()),
                        None => storage.remove_item(&self.storage_key),
                    };
                }
                if let Some(secret) = secret {
                    self.api.hold_secret(secret);
                }
            }
            Command::Notify(event) => {
                if let Some(host) = &self.host {
                    host.post(&bridge::event_message(&event));
                }
                let cb = self.on_event.borrow().clone();
                cb.emit(event);
            }
            // The API calls, sent above.
            _ => {}
        }
    }

    /// Sends an API call and dispatches its answer (or failure) as an action. One future for every call, so this
    /// glue exists once in the binary.
    fn exchange(&self, command: Command, call: Call) {
        let (api, dispatch) = (self.api.clone(), self.dispatch.clone());
        // A biller search waits for more typing, and is dropped if a newer one superseded it meanwhile.
        let search = match &command {
            Command::SearchBillers { seq, debounce, .. } => Some((*seq, *debounce)),
            _ => None,
        };
        if let Some((seq, _)) = search {
            self.latest_search.set(seq);
        }
        let latest = self.latest_search.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Some((seq, debounce)) = search {
                if debounce {
                    yew::platform::time::sleep(Duration::from_millis(DEBOUNCE_MS)).await;
                }
                if latest.get() != seq {
                    return;
                }
            }
            let answer = api.fetch(&call).await.and_then(|body| read(&command, body));
            dispatch.emit(answer.unwrap_or_else(|failure| Action::Failed { command, failure }));
        });
    }
}

/// The API call that performs `command`, if it is one.
pub fn request(command: &Command) -> Option<Call> {
    Some(match command {
        Command::LoadCategories => Call::categories(),
        Command::LoadStrings(locale) => Call::strings(*locale),
        Command::SearchBillers { query, .. } => Call::billers(query),
        Command::LoadBiller(id) => Call::biller(id),
        Command::LoadPlans(id) => Call::plans(id),
        Command::FetchBill(req) => Call::fetch_bill(req),
        Command::ValidateBill(req) => Call::validate_bill(req),
        Command::CreatePayment { request, idempotency_key } => Call::create_payment(request, idempotency_key),
        Command::Track(q) => Call::transactions(q),
        Command::SendTrackingCode(mobile) => Call::send_tracking_code(mobile),
        Command::VerifyTrackingCode(req) => Call::verify_tracking_code(req),
        Command::RaiseComplaint(req) => Call::raise_complaint(req),
        Command::LoadComplaint(id) => Call::complaint(id),
        Command::ReopenComplaint { id, request } => Call::reopen_complaint(id, request),
        Command::OpenSession
        | Command::Follow(_)
        | Command::StopFollowing
        | Command::Remember(_)
        | Command::Notify(_) => return None,
    })
}

/// The action a successful answer to `command` becomes; a body that does not read is `Unexpected`.
pub fn read(command: &Command, body: String) -> Result<Action, Failure> {
    Ok(match command {
        Command::LoadCategories => Action::CategoriesLoaded(decode::<CategoryList>(body)?.categories),
        Command::LoadStrings(locale) => {
            Action::StringsLoaded(Rc::new(Strings::parse(*locale, &body).ok_or(Failure::Unexpected)?))
        }
        Command::SearchBillers { seq, .. } => Action::BillersLoaded { seq: *seq, page: decode(body)? },
        Command::LoadBiller(_) => Action::BillerLoaded(decode(body)?),
        Command::LoadPlans(_) => Action::PlansLoaded(decode(body)?),
        Command::FetchBill(_) | Command::ValidateBill(_) => Action::QuoteLoaded(decode(body)?),
        Command::CreatePayment { .. } => Action::PaymentCreated(decode(body)?),
        Command::Track(_) => Action::TrackLoaded(decode::<TransactionList>(body)?.items),
        Command::SendTrackingCode(_) => Action::TrackingCodeSent(decode(body)?),
        Command::VerifyTrackingCode(_) => Action::TrackingProved(decode(body)?),
        Command::RaiseComplaint(_) => Action::ComplaintRaised(decode(body)?),
        Command::LoadComplaint(_) | Command::ReopenComplaint { .. } => Action::ComplaintLoaded(decode(body)?),
        _ => return Err(Failure::Unexpected),
    })
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}
