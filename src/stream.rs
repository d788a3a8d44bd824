//! Follows one payment until it reaches a final status: the server's push channel (`EventSource` on
//! `/v1/payments/{id}/events`), and when that fails, polling `GET /v1/payments/{id}` every 3 s, backing off to
//! 30 s while the network is down. Whatever the route, the widget learns the status only from the server.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use bbps_core::api::{Payment, PaymentEvent};
use bbps_core::{ErrorCode, PaymentId};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::api::{Api, Failure, report_unreadable};

const POLL_MS: u64 = 3_000;
const MAX_BACKOFF_MS: u64 = 30_000;

/// What the follower tells the flow.
pub enum Report {
    Update(Box<Payment>),
    /// The server cannot be reached for now (`true`), or can again (`false`).
    Trouble(bool),
    /// The server does not know the payment.
    Gone(Failure),
}

/// A running follower; dropping it stops the stream and the polling.
pub struct Follower {
    stopped: Rc<Cell<bool>>,
    source: Option<web_sys::EventSource>,
    _on_payment: Option<Closure<dyn FnMut(web_sys::MessageEvent)>>,
    _on_error: Option<Closure<dyn FnMut(web_sys::Event)>>,
}

impl Drop for Follower {
    fn drop(&mut self) {
        self.stopped.set(true);
        if let Some(s) = &self.source {
            s.close();
        }
    }
}

impl Follower {
    pub fn start(api: Rc<Api>, id: PaymentId, report: Rc<dyn Fn(Report)>) -> Follower {
        let stopped = Rc::new(Cell::new(false));
        let source = api.events_url(&id).and_then(|url| web_sys::EventSource::new(&url).ok());
        let Some(source) = source else {
            wasm_bindgen_futures::spawn_local(poll(api, id, report, stopped.clone()));
            return Follower { stopped, source: None, _on_payment: None, _on_error: None };
        };
        let on_payment = {
            let (report, stopped, source) = (report.clone(), stopped.clone(), source.clone());
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                let Some(data) = e.data().as_string() else { return };
                let event = match crate::wire::decode::<PaymentEvent>(&data) {
                    Ok(event) => event,
                    Err(e) => return report_unreadable(&e),
                };
                if event.payment.status.is_terminal() {
                    stopped.set(true);
                    source.close();
                }
                report(Report::Trouble(false));
                report(Report::Update(Box::new(event.payment)));
            })
        };
        // The browser retries a dropped stream by itself, but not a refused one (an expired token, a proxy that
        // buffers); polling through the API client renews the session and always gets an answer.
        let on_error = {
            let (stopped, source) = (stopped.clone(), source.clone());
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
                source.close();
                if !stopped.get() {
                    wasm_bindgen_futures::spawn_local(poll(api.clone(), id.clone(), report.clone(), stopped.clone()));
                }
            })
        };
        let _ = source.add_event_listener_with_callback("payment", on_payment.as_ref().unchecked_ref());
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Follower { stopped, source: Some(source), _on_payment: Some(on_payment), _on_error: Some(on_error) }
    }
}

async fn poll(api: Rc<Api>, id: PaymentId, report: Rc<dyn Fn(Report)>, stopped: Rc<Cell<bool>>) {
    let mut delay = POLL_MS;
    while !stopped.get() {
        match api.payment(&id).await {
            _ if stopped.get() => return,
            Ok(p) => {
                delay = POLL_MS;
                let done = p.status.is_terminal();
                report(Report::Trouble(false));
                report(Report::Update(Box::new(p)));
                if done {
                    return;
                }
            }
            Err(Failure::Api(e)) if e.code == ErrorCode::PaymentNotFound => {
                report(Report::Gone(Failure::Api(e)));
                return;
            }
            Err(_) => {
                report(Report::Trouble(true));
                delay = (delay * 2).min(MAX_BACKOFF_MS);
            }
        }
        yew::platform::time::sleep(Duration::from_millis(delay)).await;
    }
}
