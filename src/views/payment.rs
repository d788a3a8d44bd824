//! The payment, from the UPI link to its result. Every screen here is drawn from the status the server reported;
//! nothing the browser sees (an app opening, a tab coming back) moves it on.

use bbps_core::api::{Mode, Payment, ReceiptStatus, RefundReason, UpiInstructions};
use bbps_core::upi::UpiApp;
use bbps_core::{PaymentStatus, UpiLink};
use yew::{Callback, Html};

use super::categories::help_links;
use super::el::{El, el, list, none};
use super::{Ui, row, rows, text_row};
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

/// A link styled as a button (or as a link).
fn link(class: &'static str, href: String, testid: &'static str) -> El {
    el("a").class(class).attr("href", href).testid(testid)
}

fn apps(ui: Ui<'_>, upi: &UpiInstructions) -> Html {
    let Ok(link) = UpiLink::parse(&upi.link) else { return none() };
    let android = ui.f.env.android;
    let items = UpiApp::ALL.iter().map(|&app| {
        let href = if android { link.to_android_intent(app) } else { link.to_app_uri(app) };
        let a =
            el("a").class("bbps-btn").attr("href", href).testid(format!("upi-app-{}", app_key(app))).text(app.name());
        el("li").child(a.done()).done()
    });
    list([
        el("p").class("bbps-hint").child(ui.say(Msg::OrChooseApp)).done(),
        el("ul").class("bbps-apps").children(items).done(),
    ])
}

/// A spinner and what is awaited.
fn wait(ui: Ui<'_>, m: Msg, testid: Option<&'static str>) -> Html {
    el("p")
        .class("bbps-wait")
        .maybe("data-testid", testid)
        .child(el("span").class("bbps-spinner").attr("aria-hidden", "true").done())
        .child(ui.say(m))
        .done()
}

/// The root of every payment screen, carrying the status for tests and styles.
fn status_box(class: &'static str, p: &Payment) -> El {
    el("div").class(class).testid("payment-status").attr("data-status", p.status.as_str())
}

fn awaiting(ui: Ui<'_>, p: &Payment) -> Html {
    let f = ui.f;
    let Some(upi) = &p.upi else { return waiting(ui) };
    let show_qr = f.env.phone == f.payment.swap_view;
    let left = (upi.expires_at.unix_millis() - f.env.now_ms) / 1000;
    let amount = upi.amount.to_inr_string();
    let qr_label = fill(ui.t(Msg::QrLabel), &[("amount", &amount), ("payee", &upi.payee_name)]);
    let sandbox = (f.mode() == Some(Mode::Test)).then(|| {
        let href = format!("{}/sandbox/upi?link={}", f.env.api_base, enc(&upi.link));
        link("bbps-btn bbps-quiet", href, "sandbox-upi-app")
            .attr("target", "_blank")
            .attr("rel", "noopener")
            .child(ui.say(Msg::SandboxApp))
            .done()
    });
    let details = rows(
        "bbps-dl",
        None,
        [
            text_row(ui.t(Msg::PayingTo), &upi.payee_name, "payee-name"),
            text_row(ui.t(Msg::UpiId), upi.payee_vpa.as_str(), "payee-vpa"),
            row(ui.t(Msg::Amount), el("strong").text(amount.clone()).done(), "pay-amount"),
        ],
    );
    let ways = if show_qr {
        link("bbps-link", upi.link.clone(), "upi-link").child(ui.say(Msg::LinkFallback)).done()
    } else {
        list([
            link("bbps-btn bbps-primary", upi.link.clone(), "open-upi-app").child(ui.say(Msg::OpenUpiApp)).done(),
            apps(ui, upi),
        ])
    };
    let swap = el("button")
        .attr("type", "button")
        .class("bbps-link")
        .testid(if show_qr { "show-apps" } else { "show-qr" })
        .on_click(ui.on(|| Action::SwapPayView))
        .child(ui.say(if show_qr { Msg::ShowApps } else { Msg::ShowQr }));
    let body = status_box("bbps-pay", p)
        .opt(show_qr.then(|| el("div").class("bbps-qr-box").child(qr::view(&upi.qr_payload, &qr_label)).done()))
        .child(details)
        .child(
            el("p")
                .class("bbps-countdown")
                .testid("countdown")
                .text(fill(ui.t(Msg::ExpiresIn), &[("time", &countdown(left))]))
                .done(),
        )
        .child(ways)
        .opt(sandbox)
        .child(wait(ui, Msg::WaitingForPayment, None))
        .child(el("p").class("bbps-hint").child(ui.say(Msg::KeepOpen)).done())
        .child(swap.done());
    ui.section(if show_qr { Msg::ScanTitle } else { Msg::IntentTitle }, [body.done()])
}

fn waiting(ui: Ui<'_>) -> Html {
    ui.section(Msg::CheckingPayment, [wait(ui, Msg::CheckingPayment, Some("payment-loading"))])
}

fn completed(ui: Ui<'_>, p: &Payment) -> Html {
    let Some(r) = &p.receipt else { return result(ui, p, none()) };
    let download = {
        let (r, s) = (r.clone(), ui.f.language.shown.clone());
        Callback::from(move |_| {
            if let Some(s) = &s {
                receipt::download(s, &r)
            }
        })
    };
    let lines = receipt::lines(ui.s, r).into_iter().map(|l| text_row(&l.label, &l.value, l.testid));
    let slip = el("div")
        .class("bbps-receipt")
        .testid("receipt")
        .child(
            el("div")
                .class("bbps-receipt-head")
                .child(el("strong").child(ui.say(Msg::ReceiptTitle)).done())
                .child(brand::b_assured_mark(ui.s))
                .done(),
        )
        .child(rows("bbps-dl", None, lines));
    let actions = el("div")
        .class("bbps-actions bbps-noprint")
        .child(ui.button("bbps-btn", "print-receipt", Msg::PrintReceipt, Callback::from(|_| receipt::print())))
        .child(ui.button("bbps-btn", "download-receipt", Msg::DownloadReceipt, download));
    result(ui, p, list([slip.done(), actions.done()]))
}

/// What a final (or settling) status says.
fn message(ui: Ui<'_>, p: &Payment) -> Option<String> {
    let paid = |m| fill(ui.t(m), &[("amount", &p.charges.total.to_inr_string()), ("biller", &p.biller_name)]);
    let refund = |m| {
        // A bill payment that failed is refunded before the refund has details of its own.
        let (reason, amount) =
            p.refund.as_ref().map_or((RefundReason::BillPaymentFailed, p.charges.total), |r| (r.reason, r.amount));
        fill(ui.t(m), &[("reason", ui.t(refund_reason(reason))), ("amount", &amount.to_inr_string())])
    };
    match p.status {
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
    }
}

/// A result screen: heading, what happened, and the ways on.
fn result(ui: Ui<'_>, p: &Payment, body: Html) -> Html {
    let f = ui.f;
    let pending = matches!(p.status, PaymentStatus::Paid | PaymentStatus::BillPaymentPending);
    let again = matches!(p.status, PaymentStatus::Expired | PaymentStatus::PaymentFailed) && f.can_pay_again();
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
    let refund_ref =
        p.refund.as_ref().and_then(|r| r.reference.as_deref()).map(|reference| {
            rows("bbps-dl", None, [text_row(ui.t(Msg::RefundReference), reference, "refund-reference")])
        });
    let status = status_box(class, p)
        .opt(pending.then(|| el("span").class("bbps-spinner").attr("aria-hidden", "true").done()))
        .opt(message(ui, p).map(|t| el("p").testid("payment-message").text(t).done()))
        .opt(refund_ref);
    let new_try = if p.status == PaymentStatus::Expired { Msg::NewQr } else { Msg::TryAgain };
    let complain = p.receipt.as_ref().map(|r| {
        let on = ui.on_with(Some(r.txn_ref.clone()), Action::OpenComplaint);
        ui.button("bbps-btn bbps-quiet", "complain-about-payment", Msg::RaiseComplaint, on)
    });
    let actions = el("div")
        .class("bbps-actions bbps-noprint")
        .opt(again.then(|| ui.button("bbps-btn bbps-primary", "pay-again", new_try, ui.on(|| Action::PayAgain))))
        .opt((!pending).then(|| ui.button("bbps-btn", "pay-another", Msg::PayAnotherBill, ui.on(|| Action::Home))))
        .opt((!pending).then(|| super::done(ui)))
        .opt(complain);
    let content = [status.done(), body, actions.done(), if pending { none() } else { help_links(ui) }];
    ui.section(status_title(p), content)
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
            | PaymentStatus::PaymentFailed => result(ui, p, none()),
        },
    };
    let reconnecting = f.payment.is_reconnecting().then(|| {
        el("p").class("bbps-alert bbps-noprint").testid("reconnecting").child(ui.say(Msg::Reconnecting)).done()
    });
    list([reconnecting.unwrap_or_default(), body])
}
