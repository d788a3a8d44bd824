//! The payment, from the UPI link to its result. Every screen here is drawn from the status the server reported;
//! nothing the browser sees (an app opening, a tab coming back) moves it on.

use bbps_core::api::{Mode, Payment, ReceiptStatus, RefundReason, UpiInstructions};
use bbps_core::upi::UpiApp;
use bbps_core::{PaymentStatus, UpiLink};
use yew::prelude::*;

use super::categories::help_links;
use super::{Ui, row};
use crate::api::enc;
use crate::brand;
use crate::flow::Action;
use crate::i18n::{Msg, countdown, failure_msg, fill, refund_reason};
use crate::{qr, receipt};

/// The words for where the payment stands (the heading, and what the live region says).
pub fn status_title(p: &Payment) -> Msg {
    match p.status {
        PaymentStatus::Created | PaymentStatus::AwaitingPayment => Msg::WaitingForPayment,
        PaymentStatus::Paid | PaymentStatus::BillPaymentPending => Msg::ProcessingTitle,
        PaymentStatus::Completed if p.receipt.as_ref().is_some_and(|r| r.status == ReceiptStatus::Pending) => {
            Msg::DeemedTitle
        }
        PaymentStatus::Completed => Msg::SuccessTitle,
        PaymentStatus::BillPaymentFailed | PaymentStatus::RefundPending => Msg::RefundPendingTitle,
        PaymentStatus::Refunded => Msg::RefundedTitle,
        PaymentStatus::Expired => Msg::ExpiredTitle,
        PaymentStatus::PaymentFailed => Msg::FailedTitle,
    }
}

fn app_key(app: UpiApp) -> &'static str {
    match app {
        UpiApp::GooglePay => "googlepay",
        UpiApp::PhonePe => "phonepe",
        UpiApp::Paytm => "paytm",
        UpiApp::Bhim => "bhim",
    }
}

fn apps(ui: Ui<'_>, upi: &UpiInstructions) -> Html {
    let Ok(link) = UpiLink::parse(&upi.link) else { return Html::default() };
    let android = ui.f.env.android;
    html! {
        <>
            <p class="bbps-hint">{ ui.t(Msg::OrChooseApp) }</p>
            <ul class="bbps-apps">
                { for UpiApp::ALL.iter().map(|&app| {
                    let href = if android { link.to_android_intent(app) } else { link.to_app_uri(app) };
                    html! {
                        <li>
                            <a class="bbps-btn" href={href} data-testid={format!("upi-app-{}", app_key(app))}>
                                { app.name() }
                            </a>
                        </li>
                    }
                }) }
            </ul>
        </>
    }
}

fn awaiting(ui: Ui<'_>, p: &Payment) -> Html {
    let f = ui.f;
    let Some(upi) = &p.upi else { return waiting(ui) };
    let show_qr = f.env.phone == f.payment.swap_view;
    let left = (upi.expires_at.unix_millis() - f.env.now_ms) / 1000;
    let amount = upi.amount.to_inr_string();
    let qr_label = fill(ui.t(Msg::QrLabel), &[("amount", &amount), ("payee", &upi.payee_name)]);
    let sandbox =
        (f.mode() == Some(Mode::Test)).then(|| format!("{}/sandbox/upi?link={}", f.env.api_base, enc(&upi.link)));
    html! {
        <section>
            { ui.heading(if show_qr { Msg::ScanTitle } else { Msg::IntentTitle }) }
            <>
                <div class="bbps-pay" data-testid="payment-status" data-status={p.status.as_str()}>
                    if show_qr {
                        <div class="bbps-qr-box">{ qr::view(&upi.qr_payload, &qr_label) }</div>
                    }
                    <dl class="bbps-dl">
                        { row(ui.t(Msg::PayingTo), html! { { upi.payee_name.clone() } }, "payee-name") }
                        { row(ui.t(Msg::UpiId), html! { { upi.payee_vpa.to_string() } }, "payee-vpa") }
                        { row(ui.t(Msg::Amount), html! { <strong>{ amount.clone() }</strong> }, "pay-amount") }
                    </dl>
                    <p class="bbps-countdown" data-testid="countdown">
                        { fill(ui.t(Msg::ExpiresIn), &[("time", &countdown(left))]) }
                    </p>
                    if show_qr {
                        <a class="bbps-link" href={upi.link.clone()} data-testid="upi-link">{ ui.t(Msg::LinkFallback) }</a>
                    } else {
                        <a class="bbps-btn bbps-primary" href={upi.link.clone()} data-testid="open-upi-app">
                            { ui.t(Msg::OpenUpiApp) }
                        </a>
                        { apps(ui, upi) }
                    }
                    if let Some(href) = sandbox {
                        <a class="bbps-btn bbps-quiet" href={href} target="_blank" rel="noopener" data-testid="sandbox-upi-app">
                            { ui.t(Msg::SandboxApp) }
                        </a>
                    }
                    <p class="bbps-wait"><span class="bbps-spinner" aria-hidden="true"></span>{ ui.t(Msg::WaitingForPayment) }</p>
                    <p class="bbps-hint">{ ui.t(Msg::KeepOpen) }</p>
                    <button type="button" class="bbps-link" data-testid={if show_qr { "show-apps" } else { "show-qr" }}
                        onclick={ui.on(|| Action::SwapPayView)}>
                        { ui.t(if show_qr { Msg::ShowApps } else { Msg::ShowQr }) }
                    </button>
                </div>
            </>
        </section>
    }
}

fn waiting(ui: Ui<'_>) -> Html {
    html! {
        <section>
            { ui.heading(Msg::CheckingPayment) }
            <>
                <p class="bbps-wait" data-testid="payment-loading">
                    <span class="bbps-spinner" aria-hidden="true"></span>{ ui.t(Msg::CheckingPayment) }
                </p>
            </>
        </section>
    }
}

fn completed(ui: Ui<'_>, p: &Payment) -> Html {
    let locale = ui.f.locale;
    let Some(r) = &p.receipt else { return result(ui, p, Html::default()) };
    let download = {
        let r = r.clone();
        Callback::from(move |_| receipt::download(locale, &r))
    };
    let body = html! {
        <>
            <div class="bbps-receipt" data-testid="receipt">
                <div class="bbps-receipt-head">
                    <strong>{ ui.t(Msg::ReceiptTitle) }</strong>
                    { brand::b_assured_mark(locale) }
                </div>
                <dl class="bbps-dl">
                    { for receipt::lines(locale, r).into_iter().map(|l| row(&l.label, html! { { l.value } }, l.testid)) }
                </dl>
            </div>
            <div class="bbps-actions bbps-noprint">
                <button type="button" class="bbps-btn" data-testid="print-receipt" onclick={Callback::from(|_| receipt::print())}>
                    { ui.t(Msg::PrintReceipt) }
                </button>
                <button type="button" class="bbps-btn" data-testid="download-receipt" onclick={download}>
                    { ui.t(Msg::DownloadReceipt) }
                </button>
            </div>
        </>
    };
    result(ui, p, body)
}

/// A result screen: heading, what happened, and the ways on.
fn result(ui: Ui<'_>, p: &Payment, body: Html) -> Html {
    let f = ui.f;
    let paid = |m| fill(ui.t(m), &[("amount", &p.charges.total.to_inr_string()), ("biller", &p.biller_name)]);
    let refund = |m| {
        // A bill payment that failed is refunded before the refund has details of its own.
        let (reason, amount) =
            p.refund.as_ref().map_or((RefundReason::BillPaymentFailed, p.charges.total), |r| (r.reason, r.amount));
        fill(ui.t(m), &[("reason", ui.t(refund_reason(reason))), ("amount", &amount.to_inr_string())])
    };
    let text = match p.status {
        PaymentStatus::Completed if status_title(p) == Msg::DeemedTitle => Some(paid(Msg::DeemedBody)),
        PaymentStatus::Completed => Some(paid(Msg::SuccessBody)),
        PaymentStatus::Paid | PaymentStatus::BillPaymentPending => Some(ui.t(Msg::ProcessingBody).to_owned()),
        PaymentStatus::BillPaymentFailed | PaymentStatus::RefundPending => Some(refund(Msg::RefundPendingBody)),
        PaymentStatus::Refunded => Some(refund(Msg::RefundedBody)),
        PaymentStatus::Expired => Some(ui.t(Msg::ExpiredBody).to_owned()),
        PaymentStatus::PaymentFailed => {
            Some(ui.t(p.failure.as_ref().map_or(Msg::FailGeneric, |x| failure_msg(x.code))).to_owned())
        }
        // Drawn by `awaiting`, never as a result.
        PaymentStatus::Created | PaymentStatus::AwaitingPayment => None,
    };
    let refund_ref = p.refund.as_ref().and_then(|r| r.reference.clone());
    let pending = matches!(p.status, PaymentStatus::Paid | PaymentStatus::BillPaymentPending);
    let again = matches!(p.status, PaymentStatus::Expired | PaymentStatus::PaymentFailed) && f.can_pay_again();
    let txn_ref = p.receipt.as_ref().map(|r| r.txn_ref.clone());
    let class = match p.status {
        PaymentStatus::Completed => "bbps-result bbps-good",
        PaymentStatus::Paid | PaymentStatus::BillPaymentPending | PaymentStatus::RefundPending => {
            "bbps-result bbps-wait-tone"
        }
        PaymentStatus::Refunded => "bbps-result bbps-neutral",
        PaymentStatus::Created
        | PaymentStatus::AwaitingPayment
        | PaymentStatus::BillPaymentFailed
        | PaymentStatus::Expired
        | PaymentStatus::PaymentFailed => "bbps-result bbps-bad",
    };
    html! {
        <section>
            { ui.heading(status_title(p)) }
            <>
                <div ~className={class} data-testid="payment-status" data-status={p.status.as_str()}>
                    if pending {
                        <span class="bbps-spinner" aria-hidden="true"></span>
                    }
                    if let Some(t) = text {
                        <p data-testid="payment-message">{ t }</p>
                    }
                    if let Some(reference) = refund_ref {
                        <dl class="bbps-dl">{ row(ui.t(Msg::RefundReference), html! { { reference } }, "refund-reference") }</dl>
                    }
                </div>
                { body }
                <div class="bbps-actions bbps-noprint">
                    if again {
                        { ui.button("bbps-btn bbps-primary", "pay-again",
                            if p.status == PaymentStatus::Expired { Msg::NewQr } else { Msg::TryAgain }, ui.on(|| Action::PayAgain)) }
                    }
                    if !pending {
                        { ui.button("bbps-btn", "pay-another", Msg::PayAnotherBill, ui.on(|| Action::Home)) }
                        { super::done(ui) }
                    }
                    if let Some(r) = txn_ref {
                        { ui.button("bbps-btn bbps-quiet", "complain-about-payment", Msg::RaiseComplaint, ui.on_with(Some(r), Action::OpenComplaint)) }
                    }
                </div>
                if !pending {
                    { help_links(ui) }
                }
            </>
        </section>
    }
}

pub fn view(ui: Ui<'_>) -> Html {
    let f = ui.f;
    let body = match f.payment.latest() {
        None => waiting(ui),
        Some(p) => match p.status {
            PaymentStatus::Created | PaymentStatus::AwaitingPayment => awaiting(ui, p),
            PaymentStatus::Completed => completed(ui, p),
            PaymentStatus::Paid
            | PaymentStatus::BillPaymentPending
            | PaymentStatus::BillPaymentFailed
            | PaymentStatus::RefundPending
            | PaymentStatus::Refunded
            | PaymentStatus::Expired
            | PaymentStatus::PaymentFailed => result(ui, p, Html::default()),
        },
    };
    html! {
        <>
            if f.payment.is_reconnecting() {
                <p class="bbps-alert bbps-noprint" data-testid="reconnecting">{ ui.t(Msg::Reconnecting) }</p>
            }
            { body }
        </>
    }
}
