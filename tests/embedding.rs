//! The widget embedded, in the browser: messages posted for real (to this page, which stands in for the host: a
//! top-level page is its own `window.parent`), messages from another origin or window ignored, updates applied at
//! once, a refused appearance, the configuration error for a foreign framing page, Close and Done, and the
//! appearance variables in the computed style.
#![cfg(target_arch = "wasm32")]

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use bbps_core::PaymentStatus;
use bbps_core::api::{CategoryList, Mode, Session};
use bbps_core::appearance::{Appearance, AppearanceInput};
use bbps_widget::bridge::{Bridge, Embedding, Peer, Update, event_message};
use bbps_widget::flow::{Action, WidgetEvent, reduce};
use bbps_widget::{BillPayWidget, Locale, LocalePref, WidgetProps};
use common::dom::*;
use common::*;
use js_sys::{Object, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

fn window() -> web_sys::Window {
    web_sys::window().unwrap()
}

fn own_origin() -> String {
    window().location().origin().unwrap()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap()
}

/// A JS object from `(key, value)` pairs.
fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

/// What the loader posts: an `update` for widget `wid`.
fn update(wid: &str, data: JsValue) -> JsValue {
    object(&[
        ("source", "bbps-host".into()),
        ("version", 1.into()),
        ("widgetId", wid.into()),
        ("type", "update".into()),
        ("data", data),
    ])
}

/// Every message a widget posts to this page (`source: "bbps-widget"`) for widget `wid`.
fn widget_messages(wid: &'static str) -> Rc<RefCell<Vec<JsValue>>> {
    let seen: Rc<RefCell<Vec<JsValue>>> = Rc::default();
    let log = seen.clone();
    let f = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        let data = e.data();
        if get(&data, "source").as_string().as_deref() == Some("bbps-widget")
            && get(&data, "widgetId").as_string().as_deref() == Some(wid)
        {
            log.borrow_mut().push(data);
        }
    });
    window().add_event_listener_with_callback("message", f.as_ref().unchecked_ref()).unwrap();
    f.forget();
    seen
}

fn of_type(seen: &Rc<RefCell<Vec<JsValue>>>, kind: &str) -> Vec<JsValue> {
    seen.borrow().iter().filter(|m| get(m, "type").as_string().as_deref() == Some(kind)).cloned().collect()
}

/// A `message` event as the browser would deliver it, from `origin` and `source`.
fn deliver(origin: &str, source: Option<&web_sys::Window>, data: &JsValue) {
    let init = web_sys::MessageEventInit::new();
    init.set_origin(origin);
    init.set_source_opt_window(source);
    init.set_data(data);
    let e = web_sys::MessageEvent::new_with_event_init_dict("message", &init).unwrap();
    window().dispatch_event(&e).unwrap();
}

/// Another window of this origin: an empty iframe's.
fn other_window() -> web_sys::Window {
    let frame = document().create_element("iframe").unwrap();
    document().body().unwrap().append_child(&frame).unwrap();
    frame.dyn_into::<web_sys::HtmlIFrameElement>().unwrap().content_window().unwrap()
}

/// Records `console.warn` calls from now on.
fn capture_warnings() -> Rc<RefCell<Vec<String>>> {
    let seen: Rc<RefCell<Vec<String>>> = Rc::default();
    let log = seen.clone();
    let f =
        Closure::<dyn FnMut(JsValue)>::new(move |v: JsValue| log.borrow_mut().push(v.as_string().unwrap_or_default()));
    let console = get(&window(), "console");
    Reflect::set(&console, &"warn".into(), f.as_ref()).unwrap();
    f.forget();
    seen
}

fn ok<T: serde::Serialize>(status: u16, v: &T) -> Option<(u16, String)> {
    Some((status, serde_json::to_string(v).unwrap()))
}

/// A server that opens sessions and lists categories.
fn server() -> Seen {
    fake_fetch(Rc::new(|method, url, _| match (method, url) {
        ("GET", _) if url.starts_with("/widget/i18n/") => strings_route(url),
        ("POST", "/v1/sessions") => ok(
            201,
            &Session {
                token: "tok_1".into(),
                expires_at: ts("2026-11-25T15:16:28+05:30"),
                merchant_name: "Demo".into(),
                mode: Mode::Test,
            },
        ),
        ("GET", "/v1/categories") => ok(200, &CategoryList { categories: categories() }),
        _ => Some((404, "{}".into())),
    }))
}

fn mount(adjust: impl FnOnce(&mut WidgetProps)) -> (web_sys::Element, Rc<RefCell<Vec<WidgetEvent>>>) {
    let root = fresh_root();
    let events: Rc<RefCell<Vec<WidgetEvent>>> = Rc::default();
    let log = events.clone();
    let mut props = WidgetProps {
        publishable_key: Some("pk_test_embedded".into()),
        api_base: Default::default(),
        locale: LocalePref::Fixed(Locale::En),
        theme: Default::default(),
        appearance: None,
        category: None,
        biller: None,
        embedding: Embedding::TopLevel,
        closable: false,
        on_event: Callback::from(move |e| log.borrow_mut().push(e)),
        first_screen: None,
        document: false,
    };
    adjust(&mut props);
    yew::Renderer::<BillPayWidget>::with_root_and_props(root.clone(), props).render();
    (root, events)
}

fn bridged(wid: &str) -> Embedding {
    Embedding::Bridged(Peer { origin: own_origin(), widget_id: wid.into() })
}

fn appearance(variables: &[(&str, &str)]) -> Appearance {
    let input = AppearanceInput {
        theme: None,
        variables: variables.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
    };
    Appearance::from_input(&input).unwrap()
}

#[wasm_bindgen_test]
async fn the_bridge_posts_with_the_envelope_and_reads_only_its_host() {
    let seen = widget_messages("w-direct");
    let updates: Rc<RefCell<Vec<Update>>> = Rc::default();
    let log = updates.clone();
    let peer = Peer { origin: own_origin(), widget_id: "w-direct".into() };
    let bridge = Bridge::connect(window(), peer, Callback::from(move |u| log.borrow_mut().push(u)));

    bridge.post(&event_message(&WidgetEvent::Close));
    let posted = wait_for("the close message", || of_type(&seen, "close").pop()).await;
    assert_eq!(get(&posted, "version").as_f64(), Some(1.0));
    assert!(get(&posted, "data").is_object());

    // The host, from its own window and origin: applied.
    let data = object(&[("locale", "hi".into())]);
    window().post_message(&update("w-direct", data.clone()), &own_origin()).unwrap();
    wait_for("the update", || (updates.borrow().len() == 1).then_some(())).await;
    assert_eq!(updates.borrow()[0].locale, Some(LocalePref::Fixed(Locale::Hi)));

    // Another origin, another window of the right origin, another widget's id: all ignored.
    deliver("https://evil.example", Some(&window()), &update("w-direct", data.clone()));
    deliver(&own_origin(), Some(&other_window()), &update("w-direct", data.clone()));
    deliver(&own_origin(), None, &update("w-direct", data.clone()));
    window().post_message(&update("w-other", data.clone()), &own_origin()).unwrap();
    sleep_ms(100).await;
    assert_eq!(updates.borrow().len(), 1);

    // Dropped: it listens no more.
    drop(bridge);
    window().post_message(&update("w-direct", data), &own_origin()).unwrap();
    sleep_ms(100).await;
    assert_eq!(updates.borrow().len(), 1);
}

#[wasm_bindgen_test]
async fn an_embedded_widget_tells_its_host_and_takes_its_updates() {
    server();
    let seen = widget_messages("w-embed");
    let warnings = capture_warnings();
    let (root, events) = mount(|p| {
        p.embedding = bridged("w-embed");
        p.closable = true;
    });
    wait_testid(&root, "category-electricity").await;

    let ready = wait_for("ready", || of_type(&seen, "ready").pop()).await;
    assert_eq!(get(&get(&ready, "data"), "locale").as_string().as_deref(), Some("en"));
    assert_eq!(get(&get(&ready, "data"), "mode").as_string().as_deref(), Some("test"));
    let step = wait_for("step", || of_type(&seen, "step").pop()).await;
    assert_eq!(get(&get(&step, "data"), "step").as_string().as_deref(), Some("categories"));
    let resize = wait_for("resize", || of_type(&seen, "resize").pop()).await;
    let height = get(&get(&resize, "data"), "height").as_f64().unwrap();
    let widget = find(&root, "bbps-widget").unwrap();
    assert_eq!(height, f64::from(widget.dyn_ref::<web_sys::HtmlElement>().unwrap().offset_height()));

    // Locale, theme and appearance at once.
    let appearance = object(&[
        ("theme", "dark".into()),
        ("variables", object(&[("primaryColor", "#aa0000".into()), ("spacing", "10px".into())])),
    ]);
    let data = object(&[("locale", "hi".into()), ("appearance", appearance)]);
    window().post_message(&update("w-embed", data), &own_origin()).unwrap();
    wait_for("Hindi", || (widget.get_attribute("lang").as_deref() == Some("hi")).then_some(())).await;
    assert_eq!(widget.get_attribute("data-theme").as_deref(), Some("dark"));
    let style = "--bbps-primary: #aa0000; --bbps-space: 10px";
    assert_eq!(widget.get_attribute("style").as_deref(), Some(style));
    let resized = wait_for("a new height", || {
        of_type(&seen, "resize").into_iter().map(|m| get(&get(&m, "data"), "height").as_f64()).last().flatten()
    })
    .await;
    assert!(resized > 0.0);

    // A refused appearance changes nothing and is named once on the console.
    let bad = object(&[("variables", object(&[("primaryColor", "url(x)".into())]))]);
    window().post_message(&update("w-embed", object(&[("appearance", bad)])), &own_origin()).unwrap();
    wait_for("the warning", || (!warnings.borrow().is_empty()).then_some(())).await;
    assert_eq!(warnings.borrow().len(), 1);
    assert!(warnings.borrow()[0].contains("url(x)"), "{:?}", warnings.borrow());
    assert_eq!(widget.get_attribute("style").as_deref(), Some(style));

    // A foreign origin's update is ignored.
    deliver("https://evil.example", Some(&window()), &update("w-embed", object(&[("locale", "en".into())])));
    sleep_ms(100).await;
    assert_eq!(widget.get_attribute("lang").as_deref(), Some("hi"));

    // Close: labelled, in the bar; tells the host and the Yew callback.
    let close = find(&root, "close").unwrap();
    assert_eq!(close.get_attribute("aria-label").as_deref(), Some("बंद करें"));
    click(&close);
    wait_for("close", || of_type(&seen, "close").pop()).await;
    assert!(events.borrow().contains(&WidgetEvent::Close));
}

#[wasm_bindgen_test]
async fn a_foreign_framing_page_gets_the_configuration_error_and_no_session() {
    let calls = server();
    let (root, events) = mount(|p| p.embedding = Embedding::Refused);
    let fatal = wait_testid(&root, "fatal").await;
    assert!(text(&fatal).contains("not set up for"), "{}", text(&fatal));
    assert!(calls.borrow().iter().all(|(_, url, _)| !url.starts_with("/v1/")), "no session is opened");
    let code = Some(bbps_core::ErrorCode::OriginNotAllowed);
    assert!(events.borrow().contains(&WidgetEvent::Error { code }));
    assert!(find(&root, "close").is_none(), "not closable unless the host can close it");
}

#[wasm_bindgen_test]
async fn done_ends_a_journey_only_where_the_host_can_close() {
    for closable in [true, false] {
        let mut f = started(Locale::En);
        f.env.closable = closable;
        reduce(&mut f, Action::PaymentCreated(payment(PaymentStatus::Completed)));
        let (root, _) = mount_flow(f).await;
        wait_testid(&root, "receipt").await;
        assert_eq!(find(&root, "done").is_some(), closable);
        assert_eq!(find(&root, "close").is_some(), closable);
    }
    let mut f = started(Locale::En);
    let cmds = reduce(&mut f, Action::Close);
    assert_eq!(cmds, vec![bbps_widget::flow::Command::Notify(WidgetEvent::Close)]);
}

#[wasm_bindgen_test]
async fn every_appearance_variable_shows_in_the_computed_style() {
    let css = document().create_element("style").unwrap();
    css.set_text_content(Some(include_str!("../styles/widget.css")));
    document().head().unwrap().append_child(&css).unwrap();
    server();
    let (root, _) = mount(|p| {
        p.appearance = Some(appearance(&[
            ("primaryColor", "#aa0000"),
            ("backgroundColor", "#fafaf0"),
            ("textColor", "#202020"),
            ("fontFamily", "Georgia, serif"),
            ("borderRadius", "3px"),
            ("spacing", "10px"),
        ]))
    });
    let tile = wait_testid(&root, "category-electricity").await;
    let style = |el: &web_sys::Element, prop: &str| {
        window().get_computed_style(el).unwrap().unwrap().get_property_value(prop).unwrap()
    };
    let widget = find(&root, "bbps-widget").unwrap();
    assert_eq!(style(&widget, "background-color"), "rgb(250, 250, 240)");
    assert_eq!(style(&widget, "color"), "rgb(32, 32, 32)");
    assert!(style(&widget, "font-family").starts_with("Georgia"));
    assert_eq!(style(&widget, "padding-top"), "10px");
    assert_eq!(style(&tile, "border-top-left-radius"), "3px");
    let switcher = find(&root, "locale-select").unwrap();
    assert_eq!(style(&switcher, "color"), "rgb(170, 0, 0)");
    assert_eq!(style(&switcher, "border-top-left-radius"), "2px", "small radius follows the radius");
    assert_eq!(style(&find(&root, "open-track").unwrap(), "color"), "rgb(170, 0, 0)");
    css.remove();
}
