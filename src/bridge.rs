//! The widget's side of the embedding protocol (`docs/embedding-protocol.md`, version 1): the one module that
//! talks to the page framing the widget. Deciding whether to talk, building messages and reading them are plain
//! Rust, tested natively; the DOM glue at the end only moves them.

use bbps_core::ErrorCode;
use bbps_core::api::FailureCode;

use crate::config::{self, LocalePref, Theme};
use crate::flow::{Action, FatalReason, WidgetEvent};

pub const VERSION: u32 = 1;

/// The page the widget talks to: its verified origin (every message's target origin) and the loader's id for
/// this widget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    pub origin: String,
    pub widget_id: String,
}

/// How the widget sits in the page it was opened in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Embedding {
    /// A page of its own (or a Yew app's component): no host to talk to and no parent origin to vouch for.
    #[default]
    TopLevel,
    /// Framed without the loader's `parent` and `wid`: no host to talk to; the framing origin the browser
    /// reports (if any) goes to the server, which refuses one the merchant did not allow.
    Framed { observed: Option<String> },
    /// Framed by the page the configuration names: talk to it.
    Bridged(Peer),
    /// Framed by a page other than the one the configuration names: talk to no one, show the configuration error.
    Refused,
}

impl Embedding {
    /// Decides from the configuration and what the browser says about the framing page: `ancestor` is
    /// `location.ancestorOrigins[0]` (Chromium, Safari), `referrer` is `document.referrer`, the fallback.
    pub fn decide(
        framed: bool,
        parent: Option<&str>,
        wid: Option<&str>,
        ancestor: Option<&str>,
        referrer: Option<&str>,
    ) -> Embedding {
        if !framed {
            return Embedding::TopLevel;
        }
        let observed = ancestor.map(str::to_owned).or_else(|| referrer.and_then(origin_of));
        match (parent, wid) {
            (None, _) => Embedding::Framed { observed },
            (Some(parent), _) if observed.as_deref() != Some(parent) => Embedding::Refused,
            (Some(_), None) => Embedding::Framed { observed },
            (Some(parent), Some(wid)) => {
                Embedding::Bridged(Peer { origin: parent.to_owned(), widget_id: wid.to_owned() })
            }
        }
    }

    /// The `parent_origin` to open the session with.
    pub fn parent_origin(&self) -> Option<String> {
        match self {
            Embedding::TopLevel | Embedding::Refused => None,
            Embedding::Framed { observed } => observed.clone(),
            Embedding::Bridged(peer) => Some(peer.origin.clone()),
        }
    }

    /// Why the widget must not start, if it must not.
    pub fn fatal(&self) -> Option<FatalReason> {
        (*self == Embedding::Refused).then_some(FatalReason::ParentMismatch)
    }
}

/// `scheme://host[:port]` of a URL; `None` for anything without one (an empty referrer, `about:blank`).
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !matches!(scheme, "http" | "https") {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    (!host.is_empty() && !host.contains('@')).then(|| format!("{scheme}://{host}"))
}

/// A value in a message's `data`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Str(String),
    Num(u32),
    Null,
}

/// A widget → host message: its `type` and its `data` members; the envelope (`source`, `version`, `widgetId`) is
/// added when it is posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub kind: &'static str,
    pub data: Vec<(&'static str, Value)>,
}

fn str_value(s: impl ToString) -> Value {
    Value::Str(s.to_string())
}

fn code_value(code: Option<&str>) -> Value {
    code.map_or(Value::Null, str_value)
}

/// The protocol message of a widget event.
pub fn event_message(event: &WidgetEvent) -> Message {
    let (kind, data) = match event {
        WidgetEvent::Ready { locale, mode } => {
            ("ready", vec![("locale", str_value(locale.tag())), ("mode", str_value(mode.as_str()))])
        }
        WidgetEvent::StepChanged(step) => ("step", vec![("step", str_value(step))]),
        WidgetEvent::PaymentPending { payment_id, status } => {
            ("payment.pending", vec![("paymentId", str_value(payment_id)), ("status", str_value(status.as_str()))])
        }
        WidgetEvent::PaymentSucceeded { payment_id, txn_ref } => {
            ("payment.success", vec![("paymentId", str_value(payment_id)), ("txnRef", str_value(txn_ref))])
        }
        WidgetEvent::PaymentFailed { payment_id, status, code } => (
            "payment.failed",
            vec![
                ("paymentId", str_value(payment_id)),
                ("status", str_value(status.as_str())),
                ("code", code_value(code.map(FailureCode::as_str))),
            ],
        ),
        WidgetEvent::ComplaintRaised { complaint_id } => {
            ("complaint.raised", vec![("complaintId", str_value(complaint_id))])
        }
        WidgetEvent::Close => ("close", Vec::new()),
        WidgetEvent::Error { code } => ("error", vec![("code", code_value(code.map(ErrorCode::as_str)))]),
    };
    Message { kind, data }
}

/// The widget's content height, for the loader to size the iframe.
pub fn resize_message(height: u32) -> Message {
    Message { kind: "resize", data: vec![("height", Value::Num(height))] }
}

/// The envelope of a received message, as read from `event.data`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Envelope {
    pub source: Option<String>,
    pub version: Option<f64>,
    pub widget_id: Option<String>,
    pub kind: Option<String>,
}

/// Whether a received message may be read at all: from the verified origin, sent by the parent window itself,
/// from the loader, in this version, for this widget.
pub fn accepts(peer: &Peer, origin: &str, from_parent: bool, envelope: &Envelope) -> bool {
    origin == peer.origin
        && from_parent
        && envelope.source.as_deref() == Some("bbps-host")
        && envelope.version == Some(f64::from(VERSION))
        && envelope.widget_id.as_deref() == Some(peer.widget_id.as_str())
}

/// What an `update` message asks for; a value outside its shape is left out. `appearance` is checked as on the
/// URL: a refused one carries its problem, for the console, and changes nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Update {
    pub locale: Option<LocalePref>,
    pub theme: Option<Theme>,
    pub appearance: Option<Result<(Option<Theme>, bbps_core::appearance::Appearance), String>>,
}

impl Update {
    /// Reads an update's `data`: `appearance` arrives as JSON (the glue serializes the object it was sent).
    pub fn read(locale: Option<&str>, theme: Option<&str>, appearance: Option<&str>) -> Update {
        Update {
            locale: locale.and_then(LocalePref::parse),
            theme: theme.and_then(Theme::parse),
            appearance: appearance.map(config::read_appearance),
        }
    }

    /// The actions that apply it at once, and the problem to log for a refused appearance. The update's own
    /// `theme` wins over one its appearance names.
    pub fn into_actions<S: AsRef<str>>(self, browser_languages: &[S]) -> (Vec<Action>, Option<String>) {
        let mut actions = Vec::new();
        if let Some(pref) = self.locale {
            actions.push(Action::SetLocale(pref.resolve(browser_languages)));
        }
        let (appearance, problem) = match self.appearance {
            Some(Ok((theme, a))) => (Some((theme, a)), None),
            Some(Err(problem)) => (None, Some(problem)),
            None => (None, None),
        };
        if let Some(theme) = self.theme.or(appearance.as_ref().and_then(|(t, _)| *t)) {
            actions.push(Action::SetTheme(theme));
        }
        if let Some((_, a)) = appearance {
            actions.push(Action::SetAppearance(a));
        }
        (actions, problem)
    }
}

pub use glue::{Bridge, detect, warn};

/// The browser side: reading the framing page, posting, listening, measuring. Thin on purpose.
mod glue {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;

    use js_sys::{Object, Reflect};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use yew::Callback;

    use super::{Embedding, Envelope, Message, Peer, Update, VERSION, Value, resize_message};

    /// How this page is embedded, given the configured `parent` and `wid`.
    pub fn detect(parent: Option<&str>, wid: Option<&str>) -> Embedding {
        let Some(window) = web_sys::window() else { return Embedding::TopLevel };
        let framed = window.parent().ok().flatten().is_some_and(|p| !Object::is(&p, &window));
        let location = window.location();
        let ancestor = Reflect::get(&location, &"ancestorOrigins".into())
            .ok()
            .filter(|list| !list.is_undefined())
            .and_then(|list| Reflect::get(&list, &0.into()).ok())
            .and_then(|first| first.as_string());
        let referrer = window.document().map(|d| d.referrer()).filter(|r| !r.is_empty());
        Embedding::decide(framed, parent, wid, ancestor.as_deref(), referrer.as_deref())
    }

    /// Logs a problem with the host's options once, where the merchant's developer looks.
    pub fn warn(problem: &str) {
        web_sys::console::warn_1(&format!("[BBPS] {problem}").into());
    }

    /// A live connection to the host: posts to it, listens to it, and reports the widget's height. Dropping it
    /// removes the listener and the observer.
    pub struct Bridge {
        peer: Peer,
        target: web_sys::Window,
        last_height: Cell<u32>,
        listener: Closure<dyn FnMut(web_sys::MessageEvent)>,
        observer: RefCell<Option<Observer>>,
    }

    /// The `ResizeObserver` on the widget root, and its callback (alive as long as it is).
    type Observer = (web_sys::ResizeObserver, Closure<dyn FnMut()>);

    impl Drop for Bridge {
        fn drop(&mut self) {
            if let Some(w) = web_sys::window() {
                let _ = w.remove_event_listener_with_callback("message", self.listener.as_ref().unchecked_ref());
            }
            if let Some((o, _)) = self.observer.borrow().as_ref() {
                o.disconnect();
            }
        }
    }

    impl Bridge {
        /// Listens for the host's messages; `target` is the host's window (`window.parent`).
        pub fn connect(target: web_sys::Window, peer: Peer, on_update: Callback<Update>) -> Bridge {
            let (expected, parent) = (peer.clone(), target.clone());
            let listener = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                let from_parent = e.source().is_some_and(|s| Object::is(&s, &parent));
                let data = e.data();
                let envelope = envelope(&data);
                if super::accepts(&expected, &e.origin(), from_parent, &envelope)
                    && envelope.kind.as_deref() == Some("update")
                {
                    on_update.emit(read_update(&get(&data, "data")));
                }
            });
            if let Some(w) = web_sys::window() {
                let _ = w.add_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
            }
            Bridge { peer, target, last_height: Cell::new(0), listener, observer: RefCell::new(None) }
        }

        /// Posts a message, with the verified origin as its target origin.
        pub fn post(&self, m: &Message) {
            let data = Object::new();
            for (k, v) in &m.data {
                let v = match v {
                    Value::Str(s) => JsValue::from_str(s),
                    Value::Num(n) => JsValue::from(*n),
                    Value::Null => JsValue::NULL,
                };
                set(&data, k, &v);
            }
            let msg = Object::new();
            set(&msg, "source", &"bbps-widget".into());
            set(&msg, "version", &VERSION.into());
            set(&msg, "widgetId", &self.peer.widget_id.as_str().into());
            set(&msg, "type", &m.kind.into());
            set(&msg, "data", &data);
            let _ = self.target.post_message(&msg, &self.peer.origin);
        }

        /// Reports `root`'s height now and whenever it changes (a `ResizeObserver`).
        pub fn observe(self: &Rc<Self>, root: web_sys::HtmlElement) {
            let weak = Rc::downgrade(self);
            let el = root.clone();
            let on_resize = Closure::<dyn FnMut()>::new(move || {
                if let Some(b) = weak.upgrade() {
                    b.report_height(&el);
                }
            });
            if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
                observer.observe(&root);
                *self.observer.borrow_mut() = Some((observer, on_resize));
            }
            self.report_height(&root);
        }

        /// Posts `resize` when the height differs from the last one posted.
        pub fn report_height(&self, root: &web_sys::HtmlElement) {
            let height = u32::try_from(root.offset_height()).unwrap_or(0);
            if height > 0 && height != self.last_height.replace(height) {
                self.post(&resize_message(height));
            }
        }
    }

    fn get(v: &JsValue, key: &str) -> JsValue {
        Reflect::get(v, &key.into()).unwrap_or(JsValue::UNDEFINED)
    }

    fn string(v: &JsValue, key: &str) -> Option<String> {
        get(v, key).as_string()
    }

    fn set(o: &Object, key: &str, v: &JsValue) {
        let _ = Reflect::set(o, &key.into(), v);
    }

    fn envelope(data: &JsValue) -> Envelope {
        if !data.is_object() {
            return Envelope::default();
        }
        Envelope {
            source: string(data, "source"),
            version: get(data, "version").as_f64(),
            widget_id: string(data, "widgetId"),
            kind: string(data, "type"),
        }
    }

    fn read_update(data: &JsValue) -> Update {
        if !data.is_object() {
            return Update::default();
        }
        let appearance = get(data, "appearance");
        let appearance = (!appearance.is_undefined() && !appearance.is_null())
            .then(|| js_sys::JSON::stringify(&appearance).ok().and_then(|s| s.as_string()).unwrap_or_default());
        Update::read(string(data, "locale").as_deref(), string(data, "theme").as_deref(), appearance.as_deref())
    }
}
