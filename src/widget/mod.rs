//! `BillPayWidget`: the whole journey as one Yew component, for the standalone page and for Yew apps.
//!
//! ```ignore
//! html! {
//!     <BillPayWidget publishable_key="pk_test_…" locale={LocalePref::Fixed(Locale::Hi)}
//!         on_event={Callback::from(|e: WidgetEvent| log(e))}/>
//! }
//! ```

mod env;
mod hooks;

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use bbps_core::BillerId;
use bbps_core::appearance::Appearance;
use yew::prelude::*;

use crate::api::Api;
use crate::bridge::{self, Bridge, Embedding, Update};
use crate::config::{LocalePref, Theme};
use crate::flow::{Action, FirstScreen, Flow, Step, WidgetEvent, reduce};
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
    /// The merchant's design variables, checked by [`Appearance::from_input`] (its `theme` is not read here:
    /// that is `theme`).
    #[prop_or_default]
    pub appearance: Option<Appearance>,
    /// A category code to open at (`electricity`).
    #[prop_or_default]
    pub category: Option<AttrValue>,
    /// A biller to open at.
    #[prop_or_default]
    pub biller: Option<BillerId>,
    /// How the widget is embedded (the standalone page decides it with [`bridge::detect`]): whether it talks to a
    /// host page, and which parent origin the server is asked to allow.
    #[prop_or_default]
    pub embedding: Embedding,
    /// Offer Close (in the bar) and Done (on the final screens); both emit [`WidgetEvent::Close`].
    #[prop_or_default]
    pub closable: bool,
    /// What the widget page brought (its session, the categories, its language's texts): the widget starts on the
    /// category grid without a call. A Yew app leaves it out; the widget then opens its session itself.
    #[prop_or_default]
    pub first_screen: Option<Rc<FirstScreen>>,
    /// The widget is the whole page (the standalone widget page): it keeps the document's `lang` and title in
    /// its language. A Yew app leaves its own document alone.
    #[prop_or_default]
    pub document: bool,
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
        let first = props.first_screen.as_deref();
        let api = Api::new(&props.api_base, key, props.embedding.parent_origin(), first.map(|f| f.session.clone()));
        let env = env::environment(props);
        let flow = match first {
            Some(first) => Flow::with_first_screen(env, first),
            None => Flow::new(env),
        };
        Rc::new_cyclic(|me: &Weak<App>| {
            let me = me.clone();
            let send = Callback::from(move |action| {
                if let Some(app) = me.upgrade() {
                    app.dispatch(action);
                }
            });
            let host = match &props.embedding {
                Embedding::Bridged(peer) => connect(peer, &send),
                _ => None,
            };
            App {
                flow: RefCell::new(flow),
                runtime: Runtime::new(api, format!("bbps:payment:{key}"), send.clone(), host),
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

/// Talks to the framing page (`window.parent`); its updates come in as actions.
fn connect(peer: &bridge::Peer, send: &Callback<Action>) -> Option<Rc<Bridge>> {
    let parent = web_sys::window()?.parent().ok()??;
    let send = send.clone();
    let on_update = Callback::from(move |u: Update| {
        let (actions, problem) = u.into_actions(&env::browser_languages());
        if let Some(problem) = problem {
            bridge::warn(&problem);
        }
        for a in actions {
            send.emit(a);
        }
    });
    Some(Rc::new(Bridge::connect(parent, peer.clone(), on_update)))
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
    hooks::use_start(&app, props);
    hooks::use_locale(&app, props.locale);
    hooks::use_document_language(&app, props.document, app.flow.borrow().strings().map(|s| s.locale()));
    hooks::use_look(&app, props.theme, props.appearance.clone());
    hooks::use_host_height(app.runtime.host.clone(), &root);

    let flow = app.flow.borrow();
    hooks::use_focus(&root, flow.step, flow.error_focus);
    hooks::use_scroll_to_active(&root, flow.catalogue.search.active);
    let awaiting =
        flow.step == Step::Payment && flow.payment.latest().is_some_and(|p| p.upi.is_some() && !p.status.is_terminal());
    hooks::use_countdown(&app.send, awaiting);
    let interactive = flow.step == Step::Categories && flow.catalogue.categories.ready().is_some_and(|c| !c.is_empty());
    hooks::use_interactive_mark(interactive);
    views::render(&flow, &app.send, root)
}
