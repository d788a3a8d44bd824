//! The fetched bill, or the network's reason there is none, each with a way forward.

use bbps_core::api::BillQuote;
use bbps_core::{ErrorCode, FetchRequirement, Paise};
use yew::Html;

use super::el::{el, input, list, none, text};
use super::{Ui, row, rows, text_row};
use crate::flow::{Action, BillState};
use crate::i18n::{Msg, date, date_time, error_msg};

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
    let retry = biller_down.then(|| {
        el("button")
            .attr("type", "button")
            .class("bbps-btn bbps-primary")
            .flag("disabled", fetching)
            .testid("outcome-retry")
            .on_click(ui.on(|| Action::SubmitParams))
            .child(ui.say(if fetching { Msg::FetchingBill } else { Msg::TryAgain }))
            .done()
    });
    let anyway = may_pay_anyway.then(|| {
        ui.button("bbps-btn bbps-primary", "pay-without-bill", Msg::PayAnAmount, ui.on(|| Action::PayWithoutBill))
    });
    let actions = el("div")
        .class("bbps-actions")
        .opt(retry)
        .opt(anyway)
        .child(ui.button("bbps-btn", "edit-details", Msg::EditDetails, ui.on(|| Action::Back)))
        .child(ui.button(
            "bbps-btn bbps-quiet",
            "choose-another-biller",
            Msg::ChooseAnotherBiller,
            ui.on(|| Action::ChangeBiller),
        ));
    let said = el("div")
        .class("bbps-outcome")
        .testid("bill-outcome")
        .attr("data-code", code.as_str())
        .child(el("p").child(ui.say(error_msg(code))).done());
    ui.section(outcome_title(code), [said.done(), actions.done()])
}

/// One of the amounts a bill offers, as a radio button.
fn amount_option(ui: Ui<'_>, name: Option<&str>, label: &str, amount: Paise, i: usize) -> Html {
    let id = format!("bbps-opt-{i}");
    let radio = input("radio")
        .attr("id", id.clone())
        .attr("name", "bbps-amount-option")
        .checked(ui.f.journey.amount.option.as_deref() == name)
        .testid(format!("amount-option-{i}"))
        .on_change(ui.on_with(name.map(str::to_owned), Action::ChooseAmountOption));
    let label = el("label")
        .attr("for", id)
        .child(el("span").text(label.to_owned()).done())
        .child(el("strong").text(amount.to_inr_string()).done());
    el("div").class("bbps-radio").child(radio.done()).child(label.done()).done()
}

fn bill(ui: Ui<'_>, q: &BillQuote) -> Html {
    let f = ui.f;
    let Some(b) = &q.bill else { return none() };
    let overdue = b.due_date.zip(f.today()).is_some_and(|(due, today)| due < today);
    let options = !b.amount_options.is_empty();
    let due = b.due_date.map(|d| {
        let badge = overdue.then(|| {
            el("span").class("bbps-badge bbps-badge-bad").testid("overdue").child(ui.say(Msg::Overdue)).done()
        });
        row(ui.t(Msg::DueDate), list([text(date(ui.s, d)), badge.unwrap_or_default()]), "bill-due-date")
    });
    let details = [text_row(ui.t(Msg::Biller), &q.biller_name, "bill-biller")]
        .into_iter()
        .chain(b.customer_name.as_ref().map(|n| text_row(ui.t(Msg::CustomerName), n, "bill-customer-name")))
        .chain(q.params.iter().map(|p| text_row(&p.name, &p.value, "bill-param")))
        .chain(b.bill_number.as_ref().map(|n| text_row(ui.t(Msg::BillNumber), n, "bill-number")))
        .chain(b.bill_date.map(|d| text_row(ui.t(Msg::BillDate), &date(ui.s, d), "bill-date")))
        .chain(due)
        .chain(b.valid_until.map(|t| text_row(ui.t(Msg::PayableUntil), &date_time(ui.s, t), "bill-valid-until")))
        .chain(b.bill_period.as_ref().map(|p| text_row(ui.t(Msg::BillPeriod), p, "bill-period")))
        .chain(b.additional_info.iter().map(|i| text_row(&i.name, &i.value, "bill-info")))
        .chain(
            (!options)
                .then(|| row(ui.t(Msg::BillAmount), el("strong").text(b.amount.to_inr_string()).done(), "bill-amount")),
        );
    let choices = options.then(|| {
        let others = b
            .amount_options
            .iter()
            .enumerate()
            .map(|(i, o)| amount_option(ui, Some(&o.name), &o.name, o.amount, i + 1));
        el("fieldset")
            .class("bbps-choices")
            .testid("amount-options")
            .child(el("legend").child(ui.say(Msg::AmountToPay)).done())
            .child(amount_option(ui, None, ui.t(Msg::BillAmount), b.amount, 0))
            .children(others)
            .done()
    });
    let proceed = ui.button("bbps-btn bbps-primary", "proceed", Msg::ProceedToPay, ui.on(|| Action::ConfirmBill));
    ui.section(Msg::BillTitle, [rows("bbps-dl", Some("bill-details"), details), choices.unwrap_or_default(), proceed])
}

pub fn view(ui: Ui<'_>) -> Html {
    let f = ui.f;
    match &f.journey.bill {
        BillState::Outcome(e) => outcome(ui, e.code),
        BillState::Quote(q) => bill(ui, q),
        BillState::NoBill => {
            let m = if f.journey.fetch.is_running() { Msg::FetchingBill } else { Msg::Loading };
            ui.section(Msg::BillTitle, [ui.loading(m, None)])
        }
    }
}
