//! `BillPayWidget`: the whole journey as one Yew component, for the standalone page and for Yew apps.
//!
//! ```ignore
//! html! {
//!     <BillPayWidget publishable_key="pk_test_…" locale={LocalePref::Fixed(Locale::Hi)}
//!         on_event={Callback::from(|e: WidgetEvent| log(e))}/>
//! }
//! ```

use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::time::Duration;

use bbps_core::BillerId;
use yew::prelude::*;

use crate::api::Api;
use crate::config::{LocalePref, Theme};
use crate::flow::{Action, Env, Flow, StartOptions, Step, WidgetEvent, reduce};
use crate::runtime::Runtime;
use crate::views;

#[derive(Properties, PartialEq, Clone)]
pub struct WidgetProps {
    /// The merchant's publishable key (`pk_test_…`, `pk_live_…`); without one the widget shows a configuration
    /// error.
    #[prop_or_default]
    pub publishable_key: Option<AttrValue>,
    /// The API's origin (`https://bills.example.com`); empty for the page's own origin.
    #[prop_or_default]
    pub api_base: AttrValue,
    #[prop_or_default]
    pub locale: LocalePref,
    #[prop_or_default]
    pub theme: Theme,
    /// A category code to open at (`electricity`).
    #[prop_or_default]
    pub category: Option<AttrValue>,
    /// A biller to open at.
    #[prop_or_default]
    pub biller: Option<BillerId>,
    /// The origin of the page framing the widget, checked against the merchant's allowed origins.
    #[prop_or_default]
    pub parent_origin: Option<AttrValue>,
    /// Step changes, payment results, complaints, errors: hints for the host (confirm payments server-side).
    #[prop_or_default]
    pub on_event: Callback<WidgetEvent>,
}

/// The flow, the runtime that performs its commands, and the way to re-render.
struct App {
    flow: RefCell<Flow>,
    runtime: Runtime,
    send: Callback<Action>,
    rerender: RefCell<Option<UseForceUpdateHandle>>,
}

impl App {
    fn new(props: &WidgetProps) -> Rc<App> {
        let key = props.publishable_key.as_deref().unwrap_or_default();
        let parent = props.parent_origin.as_ref().map(|p| p.to_string()).or_else(ancestor_origin);
        let api = Api::new(&props.api_base, key, parent);
        let env = environment(props);
        Rc::new_cyclic(|me: &Weak<App>| {
            let me = me.clone();
            let send = Callback::from(move |action| {
                if let Some(app) = me.upgrade() {
                    app.dispatch(action);
                }
            });
            App {
                flow: RefCell::new(Flow::new(env)),
                runtime: Runtime::new(api, format!("bbps:payment:{key}"), send.clone()),
                send,
                rerender: RefCell::new(None),
            }
        })
    }

    fn dispatch(&self, action: Action) {
        let commands = reduce(&mut self.flow.borrow_mut(), action);
        for c in commands {
            self.runtime.run(c);
        }
        if let Some(r) = self.rerender.borrow().as_ref() {
            r.force_update();
        }
    }
}

fn environment(props: &WidgetProps) -> Env {
    let navigator = web_sys::window().map(|w| w.navigator());
    let ua = navigator.as_ref().and_then(|n| n.user_agent().ok()).unwrap_or_default();
    let language = navigator.as_ref().and_then(|n| n.language());
    let android = ua.contains("Android");
    // Random enough to keep one browser's payment attempts apart; the server scopes keys by session too.
    let nonce: String = (0..3).map(|_| format!("{:x}", (js_sys::Math::random() * 1e12) as u64)).collect();
    Env {
        locale: props.locale.resolve(language.as_deref()),
        phone: android || ["iPhone", "iPad", "Mobi"].iter().any(|m| ua.contains(m)),
        android,
        now_ms: js_sys::Date::now() as i64,
        nonce,
        api_base: props.api_base.trim_end_matches('/').to_owned(),
    }
}

/// The framing page's origin as the browser reports it (Chromium and Safari).
fn ancestor_origin() -> Option<String> {
    let location = web_sys::window()?.location();
    let list = js_sys::Reflect::get(&location, &"ancestorOrigins".into()).ok()?;
    js_sys::Reflect::get(&list, &0.into()).ok()?.as_string()
}

#[function_component(BillPayWidget)]
pub fn bill_pay_widget(props: &WidgetProps) -> Html {
    let force = use_force_update();
    let app = use_memo((), {
        let props = props.clone();
        move |_| App::new(&props)
    });
    *app.rerender.borrow_mut() = Some(force);
    app.runtime.set_on_event(props.on_event.clone());
    let root = use_node_ref();

    {
        let app = app.clone();
        let props = props.clone();
        use_effect_with((), move |_| {
            let resume = app.runtime.remembered();
            app.dispatch(Action::Start(StartOptions {
                category: props.category.as_ref().map(|c| c.to_string()),
                biller: props.biller.clone(),
                resume,
                no_key: props.publishable_key.is_none(),
            }));
        });
    }
    {
        let app = app.clone();
        use_effect_with(props.locale, move |pref| {
            let language = web_sys::window().and_then(|w| w.navigator().language());
            let locale = pref.resolve(language.as_deref());
            if app.flow.borrow().locale != locale {
                app.dispatch(Action::SetLocale(locale));
            }
        });
    }

    let flow = app.flow.borrow();
    let (step, error_focus) = (flow.step, flow.error_focus);
    {
        // Focus follows the journey: the new step's heading, or the first field a submit found wrong.
        let last = use_mut_ref(|| (step, error_focus));
        let root = root.clone();
        use_effect_with((step, error_focus), move |&(step, error_focus)| {
            let (last_step, last_errors) = *last.borrow();
            if error_focus != last_errors {
                views::focus_first(&root, "[aria-invalid=\"true\"]");
            } else if step != last_step && last_step != Step::Loading {
                // Not on the first screen: the widget must not pull focus away from the host page as it loads.
                views::focus_first(&root, "[data-heading]");
            }
            *last.borrow_mut() = (step, error_focus);
        });
    }
    {
        let root = root.clone();
        use_effect_with(flow.search.active, move |active| {
            if active.is_some() {
                scroll_active_option(&root);
            }
        });
    }
    {
        // The QR's countdown ticks while a payment waits for the payer.
        let awaiting =
            step == Step::Payment && flow.payment.as_ref().is_some_and(|p| p.upi.is_some() && !p.status.is_terminal());
        let send = app.send.clone();
        use_effect_with(awaiting, move |&awaiting| {
            let alive = Rc::new(std::cell::Cell::new(awaiting));
            if awaiting {
                let alive = alive.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    while alive.get() {
                        yew::platform::time::sleep(Duration::from_secs(1)).await;
                        if alive.get() {
                            send.emit(Action::Tick(js_sys::Date::now() as i64));
                        }
                    }
                });
            }
            move || alive.set(false)
        });
    }
    {
        // Benchmarks measure how soon the category grid is usable.
        let ready = step == Step::Categories && flow.categories.as_ref().is_some_and(|c| !c.is_empty());
        let marked = use_mut_ref(|| false);
        use_effect_with(ready, move |&ready| {
            if ready && !*marked.borrow() {
                *marked.borrow_mut() = true;
                if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
                    let _ = p.mark("bbps:categories-interactive");
                }
            }
        });
    }
    views::render(&flow, &app.send, props.theme, root)
}

fn scroll_active_option(root: &NodeRef) {
    let Some(el) = root.cast::<web_sys::Element>().and_then(|r| r.query_selector(".bbps-active").ok().flatten()) else {
        return;
    };
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
    el.scroll_into_view_with_scroll_into_view_options(&options);
}
