//! The fetched bill, or the network's reason there is none, each with a way forward.

use bbps_core::api::BillQuote;
use bbps_core::{ErrorCode, FetchRequirement};
use yew::prelude::*;

use super::{Ui, row};
use crate::flow::{Action, BillState};
use crate::i18n::{Msg, date, error_msg};

/// The heading of an outcome: what happened, in a few words.
fn outcome_title(code: ErrorCode) -> Msg {
    match code {
        ErrorCode::BillNoBillDue => Msg::OutcomeNoBillDue,
        ErrorCode::BillNoData | ErrorCode::BillDueDateExpired => Msg::OutcomeNoBill,
        ErrorCode::BillerUnavailable | ErrorCode::BillerTimeout => Msg::OutcomeBillerDown,
        _ => Msg::OutcomeAccount,
    }
}

fn outcome(ui: Ui<'_>, code: ErrorCode) -> Html {
    let f = ui.f;
    let biller_down = matches!(code, ErrorCode::BillerUnavailable | ErrorCode::BillerTimeout);
    let may_pay_anyway = code == ErrorCode::BillNoBillDue
        && f.journey
            .ctx()
            .is_some_and(|c| c.biller.fetch_requirement == FetchRequirement::Optional && c.biller.accepts_adhoc);
    let fetching = f.journey.fetch.is_running();
    html! {
        <section>
            { ui.heading(outcome_title(code)) }
            <>
                <div class="bbps-outcome" data-testid="bill-outcome" data-code={code.as_str()}>
                    <p>{ ui.t(error_msg(code)) }</p>
                </div>
                <div class="bbps-actions">
                    if biller_down {
                        <button type="button" class="bbps-btn bbps-primary" disabled={fetching} data-testid="outcome-retry"
                            onclick={ui.on(|| Action::SubmitParams)}>
                            { ui.t(if fetching { Msg::FetchingBill } else { Msg::TryAgain }) }
                        </button>
                    }
                    if may_pay_anyway {
                        { ui.button("bbps-btn bbps-primary", "pay-without-bill", Msg::PayAnAmount, ui.on(|| Action::PayWithoutBill)) }
                    }
                    { ui.button("bbps-btn", "edit-details", Msg::EditDetails, ui.on(|| Action::Back)) }
                    { ui.button("bbps-btn bbps-quiet", "choose-another-biller", Msg::ChooseAnotherBiller, ui.on(|| Action::ChangeBiller)) }
                </div>
            </>
        </section>
    }
}

fn bill(ui: Ui<'_>, q: &BillQuote) -> Html {
    let f = ui.f;
    let locale = f.locale;
    let Some(b) = &q.bill else { return Html::default() };
    let overdue = b.due_date.zip(f.today()).is_some_and(|(due, today)| due < today);
    let text = |s: &str| html! { { s.to_owned() } };
    let options = !b.amount_options.is_empty();
    let chosen = f.journey.amount.option.as_deref();
    let radio = |name: Option<&str>, label: &str, amount: bbps_core::Paise, i: usize| {
        let id = format!("bbps-opt-{i}");
        html! {
            <div class="bbps-radio">
                <input type="radio" id={id.clone()} name="bbps-amount-option" checked={chosen == name}
                    data-testid={format!("amount-option-{i}")}
                    onchange={ui.on_with(name.map(str::to_owned), Action::ChooseAmountOption)}/>
                <label for={id}>
                    <span>{ label.to_owned() }</span>
                    <strong>{ amount.to_inr_string() }</strong>
                </label>
            </div>
        }
    };
    html! {
        <section>
            { ui.heading(Msg::BillTitle) }
            <>
                <dl class="bbps-dl" data-testid="bill-details">
                    { row(ui.t(Msg::Biller), text(&q.biller_name), "bill-biller") }
                    if let Some(name) = &b.customer_name {
                        { row(ui.t(Msg::CustomerName), text(name), "bill-customer-name") }
                    }
                    { for q.params.iter().map(|p| row(&p.name, text(&p.value), "bill-param")) }
                    if let Some(n) = &b.bill_number {
                        { row(ui.t(Msg::BillNumber), text(n), "bill-number") }
                    }
                    if let Some(d) = b.bill_date {
                        { row(ui.t(Msg::BillDate), text(&date(locale, d)), "bill-date") }
                    }
                    if let Some(d) = b.due_date {
                        { row(ui.t(Msg::DueDate), html! {
                            <>
                                { date(locale, d) }
                                if overdue {
                                    <span class="bbps-badge bbps-badge-bad" data-testid="overdue">{ ui.t(Msg::Overdue) }</span>
                                }
                            </>
                        }, "bill-due-date") }
                    }
                    if let Some(p) = &b.bill_period {
                        { row(ui.t(Msg::BillPeriod), text(p), "bill-period") }
                    }
                    { for b.additional_info.iter().map(|i| row(&i.name, text(&i.value), "bill-info")) }
                    if !options {
                        { row(ui.t(Msg::BillAmount), html! { <strong>{ b.amount.to_inr_string() }</strong> }, "bill-amount") }
                    }
                </dl>
                if options {
                    <fieldset class="bbps-choices" data-testid="amount-options">
                        <legend>{ ui.t(Msg::AmountToPay) }</legend>
                        { radio(None, ui.t(Msg::BillAmount), b.amount, 0) }
                        { for b.amount_options.iter().enumerate().map(|(i, o)| radio(Some(&o.name), &o.name, o.amount, i + 1)) }
                    </fieldset>
                }
                { ui.button("bbps-btn bbps-primary", "proceed", Msg::ProceedToPay, ui.on(|| Action::ConfirmBill)) }
            </>
        </section>
    }
}

pub fn view(ui: Ui<'_>) -> Html {
    let f = ui.f;
    match &f.journey.bill {
        BillState::Outcome(e) => outcome(ui, e.code),
        BillState::Quote(q) => bill(ui, q),
        BillState::NoBill => html! {
            <section>
                { ui.heading(Msg::BillTitle) }
                <>
                    <p class="bbps-loading">{ ui.t(if f.journey.fetch.is_running() { Msg::FetchingBill } else { Msg::Loading }) }</p>
                </>
            </section>
        },
    }
}
