//! The screens. Each is a function of the [`Flow`] that returns markup and dispatches [`Action`]s; none keeps
//! state of its own, so what is on screen is always what the reducer says.
//!
//! A class chosen at run time is set as the `className` property (`~className={…}`): Yew turns a non-literal
//! `class` into its `Classes` set, whose code costs about 2.5 KB of gzipped wasm for nothing we use.

mod bill;
mod billers;
mod categories;
mod complaint;
mod confirm;
mod form;
mod payment;
mod track;

use bbps_core::api::Mode;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::api::Failure;
use crate::brand;
use crate::flow::{Action, FatalReason, Flow, Step};
use crate::i18n::{Msg, error_msg, text};

/// What every screen renders with: the state and the way to change it.
#[derive(Clone, Copy)]
pub struct Ui<'a> {
    pub f: &'a Flow,
    pub send: &'a Callback<Action>,
}

impl Ui<'_> {
    pub fn t(&self, m: Msg) -> &'static str {
        text(self.f.locale, m)
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
        html! {
            <button type="button" ~className={class} data-testid={testid} {onclick}>{ self.t(label) }</button>
        }
    }

    /// A form's submit button; while its call runs it is disabled and says so (`busy`).
    pub fn submit(&self, testid: &'static str, busy: Option<Msg>, label: Msg) -> Html {
        html! {
            <button type="submit" class="bbps-btn bbps-primary" disabled={busy.is_some()} data-testid={testid}>
                { self.t(busy.unwrap_or(label)) }
            </button>
        }
    }

    /// The step's heading; focus moves to it when the step changes.
    pub fn heading(&self, m: Msg) -> Html {
        html! { <h2 class="bbps-h" tabindex="-1" data-heading="" data-testid="heading">{ self.t(m) }</h2> }
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

    /// Wraps `control` with the label, the hint and the error; `testid` names the error element.
    pub fn wrap(&self, control: Html, testid: &str) -> Html {
        html! {
            <div ~className={if self.error.is_some() { "bbps-field bbps-field-bad" } else { "bbps-field" }}>
                <label for={self.id.to_owned()}>{ self.label }</label>
                { control }
                if let Some(h) = self.hint {
                    <p class="bbps-hint" id={self.hint_id()}>{ h }</p>
                }
                if let Some(e) = &self.error {
                    <p class="bbps-err" id={self.error_id()} data-testid={format!("{testid}-error")}>{ e.clone() }</p>
                }
            </div>
        }
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
    let control = html! {
        <input id={field.id.to_owned()} type="text" inputmode={inputmode} autocomplete="off" value={value.to_owned()}
            placeholder={placeholder.map(str::to_owned)} aria-invalid={field.invalid()} aria-describedby={field.described_by()} data-testid={testid.to_owned()}
            {oninput} {onblur}/>
    };
    field.wrap(control, testid)
}

/// The failure's words.
pub fn failure_text(ui: Ui<'_>, failure: &Failure) -> &'static str {
    match failure {
        Failure::Network => ui.t(Msg::ErrNetwork),
        Failure::Unexpected => ui.t(Msg::ErrUnexpected),
        Failure::Api(e) => ui.t(error_msg(e.code)),
    }
}

/// A labelled value of a description list.
pub fn row(label: &str, value: Html, testid: &str) -> Html {
    html! {
        <div class="bbps-row">
            <dt>{ label.to_owned() }</dt>
            <dd data-testid={testid.to_owned()}>{ value }</dd>
        </div>
    }
}

fn problem(ui: Ui<'_>) -> Html {
    let Some(p) = &ui.f.problem else { return Html::default() };
    html! {
        <div class="bbps-alert" role="alert" data-testid="problem">
            <p>{ failure_text(ui, &p.failure) }</p>
            <div class="bbps-actions">
                if p.retry.is_some() {
                    { ui.button("bbps-btn", "retry", Msg::TryAgain, ui.on(|| Action::Retry)) }
                }
                { ui.button("bbps-btn bbps-quiet", "dismiss", Msg::Dismiss, ui.on(|| Action::DismissProblem)) }
            </div>
        </div>
    }
}

/// What the polite live region says: the status of whatever is happening, so that it is heard without
/// looking (step changes are heard through the focused heading).
fn announcement(ui: Ui<'_>) -> String {
    let f = ui.f;
    let m = match f.step {
        Step::Loading => Some(Msg::Loading),
        Step::Billers if f.catalogue.search.loading => Some(Msg::Loading),
        Step::Billers => {
            return crate::i18n::fill(ui.t(Msg::BillersCount), &[("n", &f.catalogue.search.total.to_string())]);
        }
        Step::Form | Step::Bill if f.journey.fetch.is_running() => Some(Msg::FetchingBill),
        Step::Amount if f.payment.is_creating() => Some(Msg::CreatingPayment),
        Step::Amount if f.journey.fetch.is_running() => Some(Msg::FetchingBill),
        Step::Payment if f.payment.is_reconnecting() => Some(Msg::Reconnecting),
        Step::Payment => Some(f.payment.latest().map_or(Msg::CheckingPayment, payment::status_title)),
        Step::Categories
        | Step::Form
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
        FatalReason::Refused(code) => ui.t(error_msg(code)),
        FatalReason::ParentMismatch => ui.t(Msg::FatalParentMismatch),
        FatalReason::NoKey => ui.t(Msg::FatalNoKey),
    };
    html! {
        <section>
            { ui.heading(Msg::FatalTitle) }
            <>
                <p class="bbps-alert" data-testid="fatal">{ body }</p>
            </>
        </section>
    }
}

/// "Done" on a screen that ends a journey, when the host can close the widget.
pub fn done(ui: Ui<'_>) -> Html {
    if !ui.f.env.closable {
        return Html::default();
    }
    ui.button("bbps-btn", "done", Msg::Done, ui.on(|| Action::Close))
}

/// The whole widget for the current state.
pub fn render(f: &Flow, send: &Callback<Action>, root: NodeRef) -> Html {
    let ui = Ui { f, send };
    let other = f.locale.other();
    let screen = match f.step {
        Step::Loading => html! { <p class="bbps-loading" data-testid="loading">{ ui.t(Msg::Loading) }</p> },
        Step::Categories => categories::view(ui),
        Step::Billers => billers::view(ui),
        Step::Form => form::view(ui),
        Step::Bill => bill::view(ui),
        Step::Amount => confirm::view(ui),
        Step::Payment => payment::view(ui),
        Step::Track => track::view(ui),
        Step::Complaint => complaint::view(ui),
        Step::ComplaintStatus => complaint::status_view(ui),
        Step::Fatal(reason) => fatal(ui, reason),
    };
    let branded = !matches!(f.step, Step::Loading | Step::Fatal(_));
    html! {
        <div class="bbps" lang={f.locale.tag()} data-theme={f.theme.name()} data-step={f.step.name()}
            style={(!f.style.is_empty()).then(|| f.style.clone())} data-testid="bbps-widget" ref={root}>
            <header class="bbps-bar bbps-noprint">
                if f.back_target().is_some() {
                    <button type="button" class="bbps-back" data-testid="back" onclick={ui.on(|| Action::Back)}>
                        <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M15 5l-7 7 7 7"/></svg>
                        { ui.t(Msg::Back) }
                    </button>
                }
                <span class="bbps-grow"></span>
                <button type="button" class="bbps-lang" lang={other.tag()} title={text(other, Msg::SwitchLanguage)}
                    data-testid="locale-toggle" onclick={ui.on_with(other, Action::SetLocale)}>
                    { other.endonym() }
                </button>
                if branded {
                    { brand::bharat_billpay_mark(f.locale) }
                }
                if f.env.closable {
                    <button type="button" class="bbps-close" aria-label={ui.t(Msg::Close)} title={ui.t(Msg::Close)}
                        data-testid="close" onclick={ui.on(|| Action::Close)}>
                        <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18"/></svg>
                    </button>
                }
            </header>
            if f.mode() == Some(Mode::Test) {
                <p class="bbps-sandbox bbps-noprint" data-testid="sandbox-badge">{ ui.t(Msg::SandboxBadge) }</p>
            }
            <div class="bbps-sr" role="status" aria-live="polite" data-testid="live">{ announcement(ui) }</div>
            <main class="bbps-main">
                { problem(ui) }
                { screen }
            </main>
        </div>
    }
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
