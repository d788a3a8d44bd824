//! Amount and confirm: the amount (editable within the biller's rules), the convenience fee and the total shown
//! apart, and the mobile number for the receipt.

use yew::prelude::*;

use super::{Field, Ui, row, text_input};
use crate::flow::{Action, AmountIssue};
use crate::i18n::{Msg, amount_error, error_msg, fill, money_parse_error};

fn issue_text(ui: Ui<'_>, issue: AmountIssue) -> String {
    match issue {
        AmountIssue::Parse(e) => ui.t(money_parse_error(e)).to_owned(),
        AmountIssue::Rule(e) => amount_error(ui.f.locale, e),
        AmountIssue::Server(code) => ui.t(error_msg(code)).to_owned(),
    }
}

pub fn view(ui: Ui<'_>) -> Html {
    let f = ui.f;
    let j = &f.journey;
    let (Some(ctx), false) = (j.ctx(), j.fetch.is_running()) else {
        return html! {
            <section>
                { ui.heading(Msg::ConfirmTitle) }
                <>
                    <p class="bbps-loading" data-testid="confirm-loading">{ ui.t(Msg::FetchingBill) }</p>
                </>
            </section>
        };
    };
    let bounds = match j.bounds() {
        Ok(b) => b,
        Err(e) => {
            return html! {
                <section>
                    { ui.heading(Msg::ConfirmTitle) }
                    <>
                        <p class="bbps-alert" data-testid="amount-unavailable">{ amount_error(f.locale, e) }</p>
                    </>
                </section>
            };
        }
    };
    let customer =
        j.quote().and_then(|q| q.bill.as_ref().and_then(|b| b.customer_name.clone()).or(q.customer_name.clone()));
    let params: Vec<(String, String)> = match (j.quote(), &j.accepted) {
        (Some(q), _) => q.params.iter().map(|p| (p.name.clone(), p.value.clone())).collect(),
        (None, Some(a)) => a.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        (None, None) => Vec::new(),
    };
    let hint = if bounds.is_fixed() {
        ui.t(Msg::AmountFixed).to_owned()
    } else {
        fill(ui.t(Msg::AmountRange), &[("min", &bounds.min.to_inr_string()), ("max", &bounds.max.to_inr_string())])
    };
    let amount_field = Field {
        id: "bbps-amount",
        label: ui.t(Msg::AmountRupees),
        hint: Some(&hint),
        error: j.amount_issue().map(|i| issue_text(ui, i)),
    };
    let amount_input = if bounds.is_fixed() {
        let control = html! {
            <input id="bbps-amount" type="text" readonly=true value={j.amount.input.clone()}
                aria-describedby={amount_field.described_by()} data-testid="amount"/>
        };
        amount_field.wrap(control, "amount")
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
    let mobile_control = html! {
        <input id="bbps-mobile" type="tel" inputmode="numeric" autocomplete="tel-national"
            value={j.amount.mobile.clone()} aria-invalid={mobile_field.invalid()}
            aria-describedby={mobile_field.described_by()} data-testid="mobile"
            oninput={ui.on_value(Action::MobileInput)} onblur={ui.on(|| Action::MobileBlur)}/>
    };
    let charges = j.amount_value().ok().and_then(|a| ctx.biller.fees.charges(a).ok());
    let money = |p: Option<bbps_core::Paise>| html! { { p.map_or_else(|| "—".to_owned(), |p| p.to_inr_string()) } };
    let creating = f.payment.is_creating();
    let pay_label = match (creating, charges) {
        (true, _) => ui.t(Msg::CreatingPayment).to_owned(),
        (false, Some(c)) => format!("{} · {}", ui.t(Msg::PayWithUpi), c.total.to_inr_string()),
        (false, None) => ui.t(Msg::PayWithUpi).to_owned(),
    };
    html! {
        <section>
            { ui.heading(Msg::ConfirmTitle) }
            <>
                <dl class="bbps-dl" data-testid="confirm-summary">
                    { row(ui.t(Msg::Biller), html! { { ctx.biller.name.clone() } }, "confirm-biller") }
                    if let Some(name) = customer {
                        { row(ui.t(Msg::CustomerName), html! { { name } }, "confirm-customer-name") }
                    }
                    { for params.into_iter().map(|(k, v)| row(&k, html! { { v } }, "confirm-param")) }
                </dl>
                <form class="bbps-form" novalidate=true onsubmit={ui.on_submit(|| Action::SubmitPayment)} data-testid="confirm-form">
                    { amount_input }
                    <dl class="bbps-charges" data-testid="charges">
                        { row(ui.t(Msg::BillAmount), money(charges.map(|c| c.bill_amount)), "charges-amount") }
                        { row(ui.t(Msg::ConvenienceFee), money(charges.map(|c| c.convenience_fee)), "fee") }
                        { row(ui.t(Msg::Total), html! { <strong>{ money(charges.map(|c| c.total)) }</strong> }, "total") }
                    </dl>
                    { mobile_field.wrap(mobile_control, "mobile") }
                    <button type="submit" class="bbps-btn bbps-primary" disabled={creating} data-testid="pay">
                        { pay_label }
                    </button>
                </form>
            </>
        </section>
    }
}
