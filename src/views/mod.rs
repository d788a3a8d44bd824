//! The screens. Each is a function of the [`Flow`] that returns markup and dispatches [`Action`]s; none keeps
//! state of its own, so what is on screen is always what the reducer says.
//!
//! Screens are built from the shared pieces here ([`Ui::button`], [`Field`], [`row`], …) and the element
//! builder of [`el`], not from `html!`: see `el` for why.

mod bill;
mod billers;
mod categories;
mod complaint;
mod confirm;
pub mod el;
mod form;
mod payment;
mod plans;
mod track;

use bbps_core::api::Mode;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::api::Failure;
use crate::brand;
use crate::flow::{Action, FatalReason, Flow, Step};
use crate::i18n::{Locale, Msg, Strings, error_msg, fill};
use el::{El, el, input, list, none, text};

/// What every screen renders with: the state, the texts on screen and the way to change the state.
#[derive(Clone, Copy)]
pub struct Ui<'a> {
    pub f: &'a Flow,
    pub s: &'a Strings,
    pub send: &'a Callback<Action>,
}

impl<'a> Ui<'a> {
    pub fn t(&self, m: Msg) -> &'a str {
        self.s.get(m)
    }

    /// A text node of `m`.
    pub fn say(&self, m: Msg) -> Html {
        text(self.t(m).to_owned())
    }

    /// A callback that dispatches the action `make` builds, whatever the event. Built per event rather than
    /// cloned: a derived `Clone` of the whole `Action` enum costs several KB of wasm.
    pub fn on<E: 'static>(&self, make: fn() -> Action) -> Callback<E> {
        let send = self.send.clone();
        Callback::from(move |_| send.emit(make()))
    }

    /// [`Ui::on`] for an action that carries a value (`ui.on_with(id, Action::PickBiller)`).
    pub fn on_with<T: Clone + 'static, E: 'static>(&self, value: T, make: fn(T) -> Action) -> Callback<E> {
        let send = self.send.clone();
        Callback::from(move |_| send.emit(make(value.clone())))
    }

    /// A callback that dispatches the value of the input, select or textarea the event came from.
    pub fn on_value<E: AsRef<web_sys::Event> + 'static>(&self, to: impl Fn(String) -> Action + 'static) -> Callback<E> {
        let send = self.send.clone();
        Callback::from(move |e: E| send.emit(to(event_value(e.as_ref()))))
    }

    /// A form's submit: no page navigation, the action instead.
    pub fn on_submit(&self, make: fn() -> Action) -> Callback<SubmitEvent> {
        let send = self.send.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            send.emit(make())
        })
    }

    /// A button that runs `onclick` (made by [`Ui::on`] or [`Ui::on_with`]).
    pub fn button(&self, class: &'static str, testid: &'static str, label: Msg, onclick: Callback<MouseEvent>) -> Html {
        el("button").attr("type", "button").class(class).testid(testid).on_click(onclick).child(self.say(label)).done()
    }

    /// A form's submit button; while its call runs it is disabled and says so (`busy`).
    pub fn submit(&self, testid: &'static str, busy: Option<Msg>, label: Msg) -> Html {
        el("button")
            .attr("type", "submit")
            .class("bbps-btn bbps-primary")
            .flag("disabled", busy.is_some())
            .testid(testid)
            .child(self.say(busy.unwrap_or(label)))
            .done()
    }

    /// The step's heading; focus moves to it when the step changes.
    pub fn heading(&self, m: Msg) -> Html {
        el("h2")
            .class("bbps-h")
            .attr("tabindex", "-1")
            .attr("data-heading", "")
            .testid("heading")
            .child(self.say(m))
            .done()
    }

    /// A step: its heading, then its content.
    pub fn section(&self, heading: Msg, content: impl IntoIterator<Item = Html>) -> Html {
        el("section").child(self.heading(heading)).child(list(content)).done()
    }

    /// A paragraph saying `m`, for a call still running.
    pub fn loading(&self, m: Msg, testid: Option<&'static str>) -> Html {
        el("p").class("bbps-loading").maybe("data-testid", testid).child(self.say(m)).done()
    }
}

fn event_value(e: &web_sys::Event) -> String {
    e.target()
        .and_then(|t| js_sys::Reflect::get(&t, &"value".into()).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// A labelled field: label, control, hint and error, tied together by ids.
pub struct Field<'a> {
    pub id: &'a str,
    pub label: &'a str,
    pub hint: Option<&'a str>,
    pub error: Option<String>,
}

impl Field<'_> {
    pub fn hint_id(&self) -> String {
        format!("{}-hint", self.id)
    }

    pub fn error_id(&self) -> String {
        format!("{}-err", self.id)
    }

    /// `aria-describedby` for the control: its hint and its error, when shown.
    pub fn described_by(&self) -> Option<String> {
        let ids: Vec<String> = [self.hint.map(|_| self.hint_id()), self.error.as_ref().map(|_| self.error_id())]
            .into_iter()
            .flatten()
            .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }

    pub fn invalid(&self) -> &'static str {
        if self.error.is_some() { "true" } else { "false" }
    }

    /// The control's own attributes: its id, and what describes it and whether it is wrong.
    pub fn control(&self, control: El) -> El {
        control
            .attr("id", self.id.to_owned())
            .attr("aria-invalid", self.invalid())
            .maybe("aria-describedby", self.described_by())
    }

    /// Wraps `control` with the label, the hint and the error; `testid` names the error element.
    pub fn wrap(&self, control: Html, testid: &str) -> Html {
        let hint = self.hint.map(|h| el("p").class("bbps-hint").attr("id", self.hint_id()).text(h.to_owned()).done());
        let error = self.error.as_ref().map(|e| {
            el("p")
                .class("bbps-err")
                .attr("id", self.error_id())
                .testid(format!("{testid}-error"))
                .text(e.clone())
                .done()
        });
        el("div")
            .class(if self.error.is_some() { "bbps-field bbps-field-bad" } else { "bbps-field" })
            .child(el("label").attr("for", self.id.to_owned()).text(self.label.to_owned()).done())
            .child(control)
            .opt(hint)
            .opt(error)
            .done()
    }
}

/// A text input inside a [`Field`].
pub fn text_input(
    field: &Field<'_>,
    value: &str,
    inputmode: &'static str,
    placeholder: Option<&str>,
    testid: &str,
    oninput: Callback<InputEvent>,
    onblur: Option<Callback<FocusEvent>>,
) -> Html {
    let mut control = field
        .control(input("text"))
        .attr("inputmode", inputmode)
        .attr("autocomplete", "off")
        .value(value)
        .maybe("placeholder", placeholder.map(str::to_owned))
        .testid(testid.to_owned())
        .on_input(oninput);
    if let Some(onblur) = onblur {
        control = control.on_blur(onblur);
    }
    field.wrap(control.done(), testid)
}

/// The customer's mobile number, one value for the biller's form and the confirm step.
pub fn mobile_input(ui: Ui<'_>, field: &Field<'_>, testid: &str) -> Html {
    let control = field
        .control(input("tel"))
        .attr("inputmode", "numeric")
        .attr("autocomplete", "tel-national")
        .value(&ui.f.journey.amount.mobile)
        .testid(testid.to_owned())
        .on_input(ui.on_value(Action::MobileInput))
        .on_blur(ui.on(|| Action::MobileBlur));
    field.wrap(control.done(), testid)
}

/// The failure's words.
pub fn failure_text<'a>(ui: Ui<'a>, failure: &Failure) -> &'a str {
    match failure {
        Failure::Network => ui.t(Msg::ErrNetwork),
        Failure::Unexpected => ui.t(Msg::ErrUnexpected),
        Failure::Api(e) => ui.t(error_msg(e.code)),
    }
}

/// A labelled value of a description list.
pub fn row(label: &str, value: Html, testid: &str) -> Html {
    el("div")
        .class("bbps-row")
        .child(el("dt").text(label.to_owned()).done())
        .child(el("dd").testid(testid.to_owned()).child(value).done())
        .done()
}

/// A labelled text of a description list.
pub fn text_row(label: &str, value: &str, testid: &str) -> Html {
    row(label, text(value.to_owned()), testid)
}

/// A description list.
pub fn rows(class: &'static str, testid: Option<&'static str>, items: impl IntoIterator<Item = Html>) -> Html {
    el("dl").class(class).maybe("data-testid", testid).children(items).done()
}

fn problem(ui: Ui<'_>) -> Html {
    let Some(p) = &ui.f.problem else { return none() };
    let retry = p.retry.is_some().then(|| ui.button("bbps-btn", "retry", Msg::TryAgain, ui.on(|| Action::Retry)));
    let actions = el("div").class("bbps-actions").opt(retry).child(ui.button(
        "bbps-btn bbps-quiet",
        "dismiss",
        Msg::Dismiss,
        ui.on(|| Action::DismissProblem),
    ));
    el("div")
        .class("bbps-alert")
        .attr("role", "alert")
        .testid("problem")
        .child(el("p").text(failure_text(ui, &p.failure).to_owned()).done())
        .child(actions.done())
        .done()
}

/// What the polite live region says: the status of whatever is happening, so that it is heard without
/// looking (step changes are heard through the focused heading).
fn announcement(ui: Ui<'_>) -> String {
    let f = ui.f;
    let m = match f.step {
        Step::Loading => Some(Msg::Loading),
        Step::Billers if f.catalogue.search.loading => Some(Msg::Loading),
        Step::Billers => {
            return fill(ui.t(Msg::BillersCount), &[("n", &f.catalogue.search.total.to_string())]);
        }
        Step::Form | Step::Bill if f.journey.fetch.is_running() => Some(Msg::FetchingBill),
        Step::Amount if f.payment.is_creating() => Some(Msg::CreatingPayment),
        Step::Amount if f.journey.fetch.is_running() => Some(Msg::FetchingBill),
        Step::Payment if f.payment.is_reconnecting() => Some(Msg::Reconnecting),
        Step::Payment => Some(f.payment.latest().map_or(Msg::CheckingPayment, payment::status_title)),
        Step::Plans if f.journey.plans.list.is_loading() => Some(Msg::Loading),
        Step::Categories
        | Step::Form
        | Step::Plans
        | Step::Bill
        | Step::Amount
        | Step::Track
        | Step::Complaint
        | Step::ComplaintStatus
        | Step::Fatal(_) => None,
    };
    m.map(|m| ui.t(m).to_owned()).unwrap_or_default()
}

fn fatal(ui: Ui<'_>, reason: FatalReason) -> Html {
    let body = match reason {
        FatalReason::Refused(code) => error_msg(code),
        FatalReason::ParentMismatch => Msg::FatalParentMismatch,
        FatalReason::NoKey => Msg::FatalNoKey,
    };
    ui.section(Msg::FatalTitle, [el("p").class("bbps-alert").testid("fatal").child(ui.say(body)).done()])
}

/// "Done" on a screen that ends a journey, when the host can close the widget.
pub fn done(ui: Ui<'_>) -> Html {
    if !ui.f.env.closable {
        return none();
    }
    ui.button("bbps-btn", "done", Msg::Done, ui.on(|| Action::Close))
}

/// A stroked 24 × 24 icon of one path, hidden from assistive technology.
pub fn icon(path: &'static str) -> Html {
    el("svg").attr("viewBox", "0 0 24 24").attr("aria-hidden", "true").child(el("path").attr("d", path).done()).done()
}

/// The language switcher: every language, each named in its own script.
fn languages(ui: Ui<'_>) -> Html {
    let wanted = ui.f.locale();
    let options = Locale::ALL.iter().map(|&l| {
        el("option").attr("value", l.tag()).attr("lang", l.tag()).flag("selected", l == wanted).text(l.endonym()).done()
    });
    el("select")
        .class("bbps-lang")
        .attr("aria-label", ui.t(Msg::Language).to_owned())
        .testid("locale-select")
        .on_change(ui.on_value(|tag| Action::SetLocale(Locale::from_tag(&tag).unwrap_or_default())))
        .children(options)
        .done()
}

/// The bar above every screen: back, the language, the network's mark, close.
fn bar(ui: Ui<'_>) -> Html {
    let f = ui.f;
    let back = f.back_target().map(|_| {
        el("button")
            .attr("type", "button")
            .class("bbps-back")
            .testid("back")
            .on_click(ui.on(|| Action::Back))
            .child(icon("M15 5l-7 7 7 7"))
            .child(ui.say(Msg::Back))
            .done()
    });
    let branded = !matches!(f.step, Step::Loading | Step::Fatal(_));
    let close = f.env.closable.then(|| {
        el("button")
            .attr("type", "button")
            .class("bbps-close")
            .attr("aria-label", ui.t(Msg::Close).to_owned())
            .attr("title", ui.t(Msg::Close).to_owned())
            .testid("close")
            .on_click(ui.on(|| Action::Close))
            .child(icon("M6 6l12 12M18 6L6 18"))
            .done()
    });
    el("header")
        .class("bbps-bar bbps-noprint")
        .opt(back)
        .child(el("span").class("bbps-grow").done())
        .child(languages(ui))
        .opt(branded.then(|| brand::bharat_billpay_mark(ui.s)))
        .opt(close)
        .done()
}

/// The widget's root element, with its look; `content` inside.
fn root(f: &Flow, lang: Option<&'static str>, root: NodeRef) -> El {
    el("div")
        .class("bbps")
        .maybe("lang", lang)
        .attr("data-theme", f.theme.name())
        .attr("data-step", f.step.name())
        .maybe("style", (!f.style.is_empty()).then(|| f.style.clone()))
        .testid("bbps-widget")
        .node_ref(root)
}

/// Before any texts have arrived (a Yew app's first moments; the widget page brings its language along): a
/// spinner, or, when the texts could not be fetched, a button to fetch them again. The button's name is the one
/// text the widget has without a language table.
fn unworded(f: &Flow, send: &Callback<Action>, node: NodeRef) -> Html {
    let content = if f.problem.is_some() {
        let send = send.clone();
        el("button")
            .attr("type", "button")
            .class("bbps-btn")
            .attr("aria-label", "Try again")
            .testid("retry")
            .on_click(Callback::from(move |_| send.emit(Action::Retry)))
            .text("↻")
            .done()
    } else {
        el("p").class("bbps-loading").testid("loading").child(el("span").class("bbps-spinner").done()).done()
    };
    root(f, None, node).attr("aria-busy", "true").child(content).done()
}

/// The whole widget for the current state.
pub fn render(f: &Flow, send: &Callback<Action>, node: NodeRef) -> Html {
    let Some(s) = f.strings() else { return unworded(f, send, node) };
    let ui = Ui { f, s, send };
    let screen = match f.step {
        Step::Loading => ui.loading(Msg::Loading, Some("loading")),
        Step::Categories => categories::view(ui),
        Step::Billers => billers::view(ui),
        Step::Form => form::view(ui),
        Step::Plans => plans::view(ui),
        Step::Bill => bill::view(ui),
        Step::Amount => confirm::view(ui),
        Step::Payment => payment::view(ui),
        Step::Track => track::view(ui),
        Step::Complaint => complaint::view(ui),
        Step::ComplaintStatus => complaint::status_view(ui),
        Step::Fatal(reason) => fatal(ui, reason),
    };
    let sandbox = (f.mode() == Some(Mode::Test)).then(|| {
        el("p").class("bbps-sandbox bbps-noprint").testid("sandbox-badge").child(ui.say(Msg::SandboxBadge)).done()
    });
    let live = el("div").class("bbps-sr").attr("role", "status").attr("aria-live", "polite").testid("live");
    root(f, Some(s.locale().tag()), node)
        .child(bar(ui))
        .opt(sandbox)
        .child(live.text(announcement(ui)).done())
        .child(el("main").class("bbps-main").child(problem(ui)).child(screen).done())
        .done()
}

/// Moves focus to the current step's heading (after a step change) or to the first invalid field (after a
/// submit that found errors).
pub fn focus_first(root: &NodeRef, selector: &str) {
    if let Some(el) = root
        .cast::<web_sys::Element>()
        .and_then(|r| r.query_selector(selector).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}
