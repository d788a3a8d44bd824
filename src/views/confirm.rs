//! Amount and confirm: the amount (editable within the biller's rules), the convenience fee and the total shown
//! apart, and the mobile number for the receipt.

use bbps_core::Paise;
use yew::Html;

use super::el::{el, input, text};
use super::{Field, Ui, mobile_input, row, rows, text_input, text_row};
use crate::flow::{Action, AmountIssue};
use crate::i18n::{Msg, amount_error, error_msg, fill, money_parse_error};
use crate::receipt;

fn issue_text(ui: Ui<'_>, issue: AmountIssue) -> String {
    match issue {
        AmountIssue::Parse(e) => ui.t(money_parse_error(e)).to_owned(),
        AmountIssue::Rule(e) => amount_error(ui.s, e),
        AmountIssue::Server(code) => ui.t(error_msg(code)).to_owned(),
    }
}

fn money(p: Option<Paise>) -> Html {
    text(p.map_or_else(|| "—".to_owned(), |p| p.to_inr_string()))
}

pub fn view(ui: Ui<'_>) -> Html {
    let f = ui.f;
    let j = &f.journey;
    let (Some(ctx), false) = (j.ctx(), j.fetch.is_running()) else {
        return ui.section(Msg::ConfirmTitle, [ui.loading(Msg::FetchingBill, Some("confirm-loading"))]);
    };
    // No amount can be paid here (an exact amount outside the UPI limits): say which limit, with no field.
    let unpayable = |b: &bbps_core::AmountBounds| b.check(b.suggested.unwrap_or(b.min)).err().filter(|_| !b.payable());
    let bounds = match j.bounds().and_then(|b| unpayable(&b).map_or(Ok(b), Err)) {
        Ok(b) => b,
        Err(e) => {
            let why = el("p").class("bbps-alert").testid("amount-unavailable").text(amount_error(ui.s, e));
            return ui.section(Msg::ConfirmTitle, [why.done()]);
        }
    };
    let customer =
        j.quote().and_then(|q| q.bill.as_ref().and_then(|b| b.customer_name.clone()).or(q.customer_name.clone()));
    let params: Vec<(String, String)> = match (j.quote(), &j.accepted) {
        (Some(q), _) => q.params.iter().map(|p| (p.name.clone(), p.value.clone())).collect(),
        (None, Some(a)) => a.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        (None, None) => Vec::new(),
    };
    let hint = if let Some(p) = j.chosen_plan() {
        format!("{}: {}", ui.t(Msg::PlanChosen), p.description)
    } else if bounds.is_fixed() {
        ui.t(Msg::AmountFixed).to_owned()
    } else {
        let range =
            fill(ui.t(Msg::AmountRange), &[("min", &bounds.min.to_inr_string()), ("max", &bounds.max.to_inr_string())]);
        match bounds.rule.multiple {
            Some(step) => {
                format!("{range}, {}", fill(ui.t(Msg::AmountInStepsOf), &[("amount", &step.to_inr_string())]))
            }
            None => range,
        }
    };
    let amount_field = Field {
        id: "bbps-amount",
        label: ui.t(Msg::AmountRupees),
        hint: Some(&hint),
        error: j.amount_issue().map(|i| issue_text(ui, i)),
    };
    let amount_input = if bounds.is_fixed() {
        let control = input("text")
            .attr("id", "bbps-amount")
            .flag("readonly", true)
            .value(&j.amount.input)
            .maybe("aria-describedby", amount_field.described_by())
            .testid("amount");
        amount_field.wrap(control.done(), "amount")
    } else {
        text_input(
            &amount_field,
            &j.amount.input,
            "decimal",
            None,
            "amount",
            ui.on_value(Action::AmountInput),
            Some(ui.on(|| Action::AmountBlur)),
        )
    };
    let mobile_field = Field {
        id: "bbps-mobile",
        label: ui.t(Msg::MobileForReceipt),
        hint: Some(ui.t(Msg::MobileHint)),
        error: j.mobile_issue().map(|m| ui.t(m).to_owned()),
    };
    let charges = j.amount_value().ok().and_then(|a| ctx.biller.fees.charges(a).ok());
    let creating = f.payment.is_creating();
    let pay_label = match (creating, charges) {
        (true, _) => ui.t(Msg::CreatingPayment).to_owned(),
        (false, Some(c)) => format!("{} · {}", ui.t(Msg::PayWithUpi), c.total.to_inr_string()),
        (false, None) => ui.t(Msg::PayWithUpi).to_owned(),
    };
    let plan = j.chosen_plan().map(|p| {
        let what = p.validity.as_ref().map_or_else(|| p.description.clone(), |v| format!("{} · {v}", p.description));
        text_row(ui.t(Msg::PlanChosen), &what, "confirm-plan")
    });
    let bills = j.chosen_bills().and_then(Result::ok).unwrap_or_default();
    let bills = bills.into_iter().map(|b| text_row(ui.t(Msg::BillToPay), &receipt::bill_line(b), "confirm-bill"));
    let summary = [text_row(ui.t(Msg::Biller), &ctx.biller.name, "confirm-biller")]
        .into_iter()
        .chain(plan)
        .chain(bills)
        .chain(customer.map(|name| text_row(ui.t(Msg::CustomerName), &name, "confirm-customer-name")))
        .chain(params.iter().map(|(k, v)| text_row(k, v, "confirm-param")));
    let gst = charges
        .filter(|c| c.convenience_fee > Paise::ZERO)
        .map(|c| row(ui.t(Msg::FeeGst), money(Some(c.convenience_fee_gst)), "fee-gst"));
    let totals = [
        row(ui.t(Msg::BillAmount), money(charges.map(|c| c.bill_amount)), "charges-amount"),
        row(ui.t(Msg::ConvenienceFee), money(charges.map(|c| c.convenience_fee)), "fee"),
    ]
    .into_iter()
    .chain(gst)
    .chain([row(ui.t(Msg::Total), el("strong").child(money(charges.map(|c| c.total))).done(), "total")]);
    let pay = el("button")
        .attr("type", "submit")
        .class("bbps-btn bbps-primary")
        .flag("disabled", creating)
        .testid("pay")
        .text(pay_label);
    let form = el("form")
        .class("bbps-form")
        .flag("novalidate", true)
        .on_submit(ui.on_submit(|| Action::SubmitPayment))
        .testid("confirm-form")
        .child(amount_input)
        .child(rows("bbps-charges", Some("charges"), totals))
        .child(mobile_input(ui, &mobile_field, "mobile"))
        .child(pay.done());
    ui.section(Msg::ConfirmTitle, [rows("bbps-dl", Some("confirm-summary"), summary), form.done()])
}
