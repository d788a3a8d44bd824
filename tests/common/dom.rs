//! Browser helpers: mount a flow or the whole widget, find elements by `data-testid`, type and click the way a
//! person does (events that bubble through Yew's delegation), and a fake `fetch` standing in for the server.
#![allow(dead_code)]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use bbps_widget::flow::{Action, Command, Flow, reduce};
use bbps_widget::i18n::Strings;
use bbps_widget::views;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh element in the page to mount into.
pub fn fresh_root() -> Element {
    let div = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&div).unwrap();
    div
}

pub async fn sleep_ms(ms: u64) {
    yew::platform::time::sleep(Duration::from_millis(ms)).await;
}

/// Waits (up to 8 s: a payment is polled every 3 s when its push channel fails) until `probe` finds something.
pub async fn wait_for<T>(what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    for _ in 0..400 {
        if let Some(v) = probe() {
            return v;
        }
        sleep_ms(20).await;
    }
    panic!("timed out waiting for {what}");
}

pub fn find(root: &Element, testid: &str) -> Option<Element> {
    root.query_selector(&format!("[data-testid=\"{testid}\"]")).ok().flatten()
}

pub fn click(el: &Element) {
    el.dyn_ref::<HtmlElement>().expect("an HTML element").click();
}

pub async fn wait_testid(root: &Element, testid: &str) -> Element {
    wait_for(testid, || find(root, testid)).await
}

pub fn text(el: &Element) -> String {
    el.text_content().unwrap_or_default()
}

fn fire(el: &Element, kind: &str, bubbles: bool) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(bubbles);
    let e = web_sys::Event::new_with_event_init_dict(kind, &init).unwrap();
    el.dispatch_event(&e).unwrap();
}

/// Types `value` into an input, select or textarea: sets it and fires `input` and `change`.
pub fn type_into(el: &Element, value: &str) {
    js_sys::Reflect::set(el, &"value".into(), &value.into()).unwrap();
    fire(el, "input", true);
    fire(el, "change", true);
}

/// Leaves a field (`blur`; Yew listens for it at its root in the capture phase).
pub fn leave(el: &Element) {
    fire(el, "blur", false);
}

pub fn key(el: &Element, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let e = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    el.dispatch_event(&e).unwrap();
}

#[derive(Properties)]
pub struct HarnessProps {
    pub flow: Rc<RefCell<Flow>>,
}

impl PartialEq for HarnessProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.flow, &other.flow)
    }
}

/// Renders a flow with the widget's screens; actions go through the reducer, commands are dropped (no server)
/// but for a language's texts, which arrive at once from the built-in tables.
#[function_component(Harness)]
pub fn harness(props: &HarnessProps) -> Html {
    let force = use_force_update();
    let flow = props.flow.clone();
    let send = Callback::from(move |a| {
        let commands = reduce(&mut flow.borrow_mut(), a);
        for c in commands {
            if let Command::LoadStrings(locale) = c {
                reduce(&mut flow.borrow_mut(), Action::StringsLoaded(Rc::new(Strings::builtin(locale))));
            }
        }
        force.force_update();
    });
    views::render(&props.flow.borrow(), &send, NodeRef::default())
}

pub async fn mount_flow(flow: Flow) -> (Element, Rc<RefCell<Flow>>) {
    let root = fresh_root();
    let flow = Rc::new(RefCell::new(flow));
    yew::Renderer::<Harness>::with_root_and_props(root.clone(), HarnessProps { flow: flow.clone() }).render();
    sleep_ms(30).await;
    (root, flow)
}

/// A recorded request: method, URL, body.
pub type Seen = Rc<RefCell<Vec<(String, String, Option<String>)>>>;

/// What the fake server answers: status and body, or `None` for a network failure.
pub type Route = Rc<dyn Fn(&str, &str, Option<&str>) -> Option<(u16, String)>>;

/// A language's texts, as the server answers `GET /widget/i18n/{tag}`; `None` for any other URL.
pub fn strings_route(url: &str) -> Option<(u16, String)> {
    let tag = url.strip_prefix("/widget/i18n/")?;
    let locale = bbps_widget::i18n::Locale::from_tag(tag)?;
    Some((200, Strings::builtin(locale).to_wire()))
}

/// Replaces `window.fetch` with `route`; every request is recorded.
pub fn fake_fetch(route: Route) -> Seen {
    let seen: Seen = Rc::default();
    let log = seen.clone();
    let f = Closure::<dyn FnMut(JsValue, JsValue) -> js_sys::Promise>::new(move |url: JsValue, init: JsValue| {
        let url = url.as_string().unwrap_or_default();
        let get = |k: &str| js_sys::Reflect::get(&init, &k.into()).ok().and_then(|v| v.as_string());
        let method = get("method").unwrap_or_else(|| "GET".into());
        let body = get("body");
        log.borrow_mut().push((method.clone(), url.clone(), body.clone()));
        match route(&method, &url, body.as_deref()) {
            None => js_sys::Promise::reject(&js_sys::TypeError::new("Failed to fetch")),
            Some((status, text)) => {
                let init = web_sys::ResponseInit::new();
                init.set_status(status);
                let r = web_sys::Response::new_with_opt_str_and_init(Some(&text), &init).unwrap();
                js_sys::Promise::resolve(&JsValue::from(r))
            }
        }
    });
    js_sys::Reflect::set(&web_sys::window().unwrap(), &"fetch".into(), f.as_ref()).unwrap();
    f.forget();
    seen
}
