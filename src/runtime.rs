//! Performs the flow's [`Command`]s: calls the API, follows payments, keeps the payment in progress in session
//! storage, tells the host page. Every answer goes back into the flow as an [`Action`].

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;

use bbps_core::PaymentId;
use yew::Callback;

use crate::api::{Api, Failure};
use crate::flow::{Action, Command, WidgetEvent};
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
}

impl Runtime {
    pub fn new(api: Api, storage_key: String, dispatch: Callback<Action>) -> Runtime {
        Runtime {
            api: Rc::new(api),
            dispatch,
            on_event: RefCell::new(Callback::noop()),
            follower: RefCell::new(None),
            latest_search: Rc::new(Cell::new(0)),
            storage_key,
        }
    }

    /// The host's event callback can change between renders; the latest one is used.
    pub fn set_on_event(&self, cb: Callback<WidgetEvent>) {
        *self.on_event.borrow_mut() = cb;
    }

    /// The payment a previous load of this page was following, if any.
    pub fn remembered(&self) -> Option<PaymentId> {
        let value = session_storage()?.get_item(&self.storage_key).ok()??;
        PaymentId::parse(&value).ok()
    }

    /// Runs `call` and sends its answer (or failure) back as an action. The call is boxed so that this glue
    /// exists once in the binary, not once per command.
    fn answer(&self, command: Command, call: Pin<Box<dyn Future<Output = Result<Action, Failure>>>>) {
        let dispatch = self.dispatch.clone();
        wasm_bindgen_futures::spawn_local(async move {
            dispatch.emit(call.await.unwrap_or_else(|failure| Action::Failed { command, failure }));
        });
    }

    pub fn run(&self, command: Command) {
        let api = self.api.clone();
        match command.clone() {
            Command::OpenSession => {
                self.answer(command, Box::pin(async move { Ok(Action::SessionReady(api.open_session().await?.mode)) }))
            }
            Command::LoadCategories => self.answer(
                command,
                Box::pin(async move { Ok(Action::CategoriesLoaded(api.categories().await?.categories)) }),
            ),
            Command::SearchBillers { seq, query, debounce } => {
                self.latest_search.set(seq);
                let latest = self.latest_search.clone();
                let dispatch = self.dispatch.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if debounce {
                        yew::platform::time::sleep(Duration::from_millis(DEBOUNCE_MS)).await;
                    }
                    // A newer query superseded this one while it waited.
                    if latest.get() != seq {
                        return;
                    }
                    dispatch.emit(match api.billers(&query).await {
                        Ok(page) => Action::BillersLoaded { seq, page },
                        Err(failure) => Action::Failed { command, failure },
                    });
                });
            }
            Command::LoadBiller(id) => {
                self.answer(command, Box::pin(async move { Ok(Action::BillerLoaded(api.biller(&id).await?)) }))
            }
            Command::FetchBill(req) => {
                self.answer(command, Box::pin(async move { Ok(Action::QuoteLoaded(api.fetch_bill(&req).await?)) }))
            }
            Command::ValidateBill(req) => {
                self.answer(command, Box::pin(async move { Ok(Action::QuoteLoaded(api.validate_bill(&req).await?)) }))
            }
            Command::CreatePayment { request, idempotency_key } => self.answer(
                command,
                Box::pin(
                    async move { Ok(Action::PaymentCreated(api.create_payment(&request, &idempotency_key).await?)) },
                ),
            ),
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
            Command::Remember(id) => {
                if let Some(storage) = session_storage() {
                    let _ = match id {
                        Some(id) => storage.set_item(&self.storage_key, id.as_str()),
                        None => storage.remove_item(&self.storage_key),
                    };
                }
            }
            Command::Track(q) => self
                .answer(command, Box::pin(async move { Ok(Action::TrackLoaded(api.transactions(&q).await?.items)) })),
            Command::RaiseComplaint(req) => self.answer(
                command,
                Box::pin(async move { Ok(Action::ComplaintRaised(api.raise_complaint(&req).await?)) }),
            ),
            Command::LoadComplaint(id) => {
                self.answer(command, Box::pin(async move { Ok(Action::ComplaintLoaded(api.complaint(&id).await?)) }))
            }
            Command::Notify(event) => {
                let cb = self.on_event.borrow().clone();
                cb.emit(event);
            }
        }
    }
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}
