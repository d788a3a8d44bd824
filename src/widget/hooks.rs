//! The widget's effects on the world around it, one named hook each: starting the flow, following the host's
//! language and look, keeping the page's language and title, sizing the host's iframe, moving focus, scrolling
//! the active option into view, ticking the QR's countdown, and marking when the first screen is usable.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use bbps_core::appearance::Appearance;
use yew::prelude::*;

use super::{App, WidgetProps};
use crate::bridge::Bridge;
use crate::config::{LocalePref, Theme};
use crate::flow::{Action, FatalReason, StartOptions, Step};
use crate::i18n::Locale;
use crate::views;

/// Starts the flow once: where the configuration opens, or the payment a reload left in progress.
#[hook]
pub(super) fn use_start(app: &Rc<App>, props: &WidgetProps) {
    let app = app.clone();
    let props = props.clone();
    use_effect_with((), move |_| {
        let resume = app.runtime.remembered();
        app.dispatch(Action::Start(StartOptions {
            category: props.category.as_ref().map(|c| c.to_string()),
            biller: props.biller.clone(),
            resume,
            fatal: match props.publishable_key {
                None => Some(FatalReason::NoKey),
                Some(_) => props.embedding.fatal(),
            },
        }));
    });
}

/// Follows the host's language preference, and the browser's when the preference is `auto`.
#[hook]
pub(super) fn use_locale(app: &Rc<App>, pref: LocalePref) {
    let app = app.clone();
    use_effect_with(pref, move |pref| {
        let locale = pref.resolve(&super::env::browser_languages());
        if app.flow.borrow().locale() != locale {
            app.dispatch(Action::SetLocale(locale));
        }
    });
}

/// On the widget page, the document speaks the widget's language: its `lang` (what screen readers and
/// accessibility checkers read first) and its title.
#[hook]
pub(super) fn use_document_language(app: &Rc<App>, document: bool, shown: Option<Locale>) {
    let app = app.clone();
    use_effect_with(shown, move |shown| {
        let Some(doc) = web_sys::window().and_then(|w| w.document()).filter(|_| document) else { return };
        let Some(locale) = shown else { return };
        if let Some(html) = doc.document_element() {
            let _ = html.set_attribute("lang", locale.tag());
        }
        if let Some(s) = app.flow.borrow().strings() {
            doc.set_title(crate::i18n::page_title(s));
        }
    });
}

/// Follows the look a Yew app gives at any time; a host page's updates come through the bridge instead.
#[hook]
pub(super) fn use_look(app: &Rc<App>, theme: Theme, appearance: Option<Appearance>) {
    let app = app.clone();
    use_effect_with((theme, appearance), move |(theme, appearance)| {
        if app.flow.borrow().theme != *theme {
            app.dispatch(Action::SetTheme(*theme));
        }
        let style = appearance.as_ref().map(Appearance::to_style).unwrap_or_default();
        if app.flow.borrow().style != style {
            // No appearance is the default one: no variables, the theme's look.
            app.dispatch(Action::SetAppearance(appearance.clone().unwrap_or_default()));
        }
    });
}

/// The host sizes its iframe to the content: observed from the first render, and checked after every render (a
/// step or a language can change the height before the observer says so).
#[hook]
pub(super) fn use_host_height(host: Option<Rc<Bridge>>, root: &NodeRef) {
    let root = root.clone();
    let observed = use_mut_ref(|| false);
    use_effect(move || {
        if let (Some(host), Some(el)) = (host, root.cast::<web_sys::HtmlElement>()) {
            if observed.replace(true) {
                host.report_height(&el);
            } else {
                host.observe(el);
            }
        }
    });
}

/// Focus follows the journey: the new step's heading, or the first field a submit found wrong.
#[hook]
pub(super) fn use_focus(root: &NodeRef, step: Step, error_focus: u32) {
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

/// Keeps the biller option the arrow keys are on in view.
#[hook]
pub(super) fn use_scroll_to_active(root: &NodeRef, active: Option<usize>) {
    let root = root.clone();
    use_effect_with(active, move |active| {
        if active.is_some() {
            scroll_active_option(&root);
        }
    });
}

fn scroll_active_option(root: &NodeRef) {
    let Some(el) = root.cast::<web_sys::Element>().and_then(|r| r.query_selector(".bbps-active").ok().flatten()) else {
        return;
    };
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
    el.scroll_into_view_with_scroll_into_view_options(&options);
}

/// The QR's countdown ticks every second while a payment waits for the payer.
#[hook]
pub(super) fn use_countdown(send: &Callback<Action>, awaiting: bool) {
    let send = send.clone();
    use_effect_with(awaiting, move |&awaiting| {
        let alive = Rc::new(Cell::new(awaiting));
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

/// Marks (once) when the category grid is usable: the benchmarks measure start-up by it.
#[hook]
pub(super) fn use_interactive_mark(interactive: bool) {
    let marked = use_mut_ref(|| false);
    use_effect_with(interactive, move |&interactive| {
        if interactive
            && !marked.replace(true)
            && let Some(p) = web_sys::window().and_then(|w| w.performance())
        {
            let _ = p.mark("bbps:categories-interactive");
        }
    });
}
