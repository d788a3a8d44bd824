//! The fetched bill, or the network's reason there is none, each with a way forward.

use bbps_core::api::BillQuote;
use bbps_core::bill_list::{BillItem, BillList, BillSelection};
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

/// One bill of a fetched list: a checkbox, or a radio button where the biller takes one per payment; where it
/// takes only all of them, no control at all, just the bill. `described` names the hint and error beside the list;
/// `invalid`, whether that error is shown.
fn listed_bill(
    ui: Ui<'_>,
    selection: BillSelection,
    item: &BillItem,
    (described, invalid): (Option<&str>, bool),
    i: usize,
) -> Html {
    let id = format!("bbps-bill-{i}");
    let what = item.bill_period.clone().unwrap_or_else(|| item.bill_number.clone());
    let mut detail = item.bill_number.clone();
    if let Some(d) = item.due_date {
        detail = format!("{detail} · {} {}", ui.t(Msg::DueDate), date(ui.s, d));
    }
    let parts = vec![
        el("span").text(what).done(),
        el("small").text(detail).done(),
        el("strong").text(item.amount.to_inr_string()).done(),
    ];
    if selection == BillSelection::All {
        return el("div").class("bbps-radio").testid(format!("bill-item-{i}")).children(parts).done();
    }
    let control = input(if selection == BillSelection::Single { "radio" } else { "checkbox" })
        .attr("id", id.clone())
        .attr("name", "bbps-bill")
        .checked(ui.f.journey.amount.bills.contains(&item.bill_number))
        .attr("aria-invalid", if invalid { "true" } else { "false" })
        .maybe("aria-describedby", described.map(str::to_owned))
        .testid(format!("bill-item-{i}"))
        .on_change(ui.on_with(item.bill_number.clone(), Action::ToggleBill));
    let label = el("label").attr("for", id).children(parts);
    el("div").class("bbps-radio").child(control.done()).child(label.done()).done()
}

/// The bills of a list to choose from, the total of those chosen (announced as it changes), and why a choice
/// cannot be paid.
fn bill_list(ui: Ui<'_>, list: &BillList) -> Html {
    let j = &ui.f.journey;
    let issue = j.bills_issue();
    let hint = match list.selection {
        BillSelection::Single => Some(Msg::OneBillPerPayment),
        BillSelection::All => Some(Msg::AllBillsTogether),
        BillSelection::Multiple => None,
    };
    let described = match (hint.is_some(), issue.is_some()) {
        (true, true) => Some("bbps-bills-hint bbps-bills-err"),
        (true, false) => Some("bbps-bills-hint"),
        (false, true) => Some("bbps-bills-err"),
        (false, false) => None,
    };
    let total = j.chosen_bills().and_then(Result::ok).map_or(Paise::ZERO, |c| BillList::sum(&c));
    // Pushed, not collected: a vector of nodes reuses the code every other list of nodes uses.
    let mut bills = Vec::new();
    for (i, item) in list.items.iter().enumerate() {
        bills.push(listed_bill(ui, list.selection, item, (described, issue.is_some()), i));
    }
    el("fieldset")
        .class("bbps-choices")
        .testid("bill-list")
        .child(el("legend").child(ui.say(Msg::BillsToPay)).done())
        .opt(hint.map(|m| el("p").class("bbps-hint").attr("id", "bbps-bills-hint").child(ui.say(m)).done()))
        .children(bills)
        .opt(issue.map(|code| {
            el("p")
                .class("bbps-err")
                .attr("id", "bbps-bills-err")
                .testid("bill-list-error")
                .child(ui.say(error_msg(code)))
                .done()
        }))
        .child(
            el("dl")
                .class("bbps-dl")
                .attr("aria-live", "polite")
                .child(row(
                    ui.t(Msg::BillsChosenTotal),
                    el("strong").text(total.to_inr_string()).done(),
                    "bill-list-total",
                ))
                .done(),
        )
        .done()
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
    let listed = b.list.as_ref().map(|l| bill_list(ui, l));
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
    ui.section(
        Msg::BillTitle,
        [
            rows("bbps-dl", Some("bill-details"), details),
            listed.unwrap_or_default(),
            choices.unwrap_or_default(),
            proceed,
        ],
    )
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
