//! The receipt: every field NPCI's front-end guidelines require, in one list that the screen, the printout and
//! the downloaded file all use. The file is made in the browser (an HTML document in a `Blob`), with no call to
//! the server.

use bbps_core::api::Receipt;
use bbps_core::bill_list::BillItem;
use bbps_core::{Channel, Paise};

use crate::i18n::{Msg, Strings, date, date_time, receipt_status};

/// One line of the receipt: label, value, and the `data-testid` of the value on screen.
pub struct Line {
    pub label: String,
    pub value: String,
    pub testid: &'static str,
}

pub fn channel_text(s: &Strings, c: Channel) -> &str {
    s.get(match c {
        Channel::Internet => Msg::ChannelInternet,
        Channel::Mobile => Msg::ChannelMobile,
    })
}

/// A bill of a list, on one line: its period, number and amount.
pub fn bill_line(b: &BillItem) -> String {
    match &b.bill_period {
        Some(period) => format!("{period} · {} · {}", b.bill_number, b.amount.to_inr_string()),
        None => format!("{} · {}", b.bill_number, b.amount.to_inr_string()),
    }
}

pub fn lines(s: &Strings, r: &Receipt) -> Vec<Line> {
    let t = |m| s.get(m).to_owned();
    let mut out = vec![
        Line { label: t(Msg::TxnRef), value: r.txn_ref.to_string(), testid: "receipt-txn-ref" },
        Line { label: t(Msg::ApprovalRef), value: r.approval_ref.to_string(), testid: "receipt-approval-ref" },
        Line { label: t(Msg::BillerName), value: r.biller_name.clone(), testid: "receipt-biller-name" },
        Line { label: t(Msg::BillerId), value: r.biller_id.to_string(), testid: "receipt-biller-id" },
    ];
    if let Some(name) = &r.customer_name {
        out.push(Line { label: t(Msg::CustomerName), value: name.clone(), testid: "receipt-customer-name" });
    }
    for p in &r.params {
        out.push(Line { label: p.name.clone(), value: p.value.clone(), testid: "receipt-param" });
    }
    if let Some(n) = &r.bill_number {
        out.push(Line { label: t(Msg::BillNumber), value: n.clone(), testid: "receipt-bill-number" });
    }
    if let Some(d) = r.bill_date {
        out.push(Line { label: t(Msg::BillDate), value: date(s, d), testid: "receipt-bill-date" });
    }
    if let Some(d) = r.due_date {
        out.push(Line { label: t(Msg::DueDate), value: date(s, d), testid: "receipt-due-date" });
    }
    for b in &r.bills {
        out.push(Line { label: t(Msg::BillPaid), value: bill_line(b), testid: "receipt-bill" });
    }
    out.extend([
        Line { label: t(Msg::BillAmount), value: r.bill_amount.to_inr_string(), testid: "receipt-bill-amount" },
        Line { label: t(Msg::ConvenienceFee), value: r.convenience_fee.to_inr_string(), testid: "receipt-fee" },
    ]);
    if let Some(plan) = &r.plan_id {
        out.push(Line { label: t(Msg::PlanChosen), value: plan.to_string(), testid: "receipt-plan" });
    }
    if r.convenience_fee > Paise::ZERO {
        out.push(Line {
            label: t(Msg::FeeGst),
            value: r.convenience_fee_gst.to_inr_string(),
            testid: "receipt-fee-gst",
        });
    }
    out.extend([
        Line { label: t(Msg::Total), value: r.total.to_inr_string(), testid: "receipt-total" },
        // The mode's BBPS name (`UPI`), the same in every language.
        Line { label: t(Msg::PaymentMode), value: r.payment_mode.as_str().to_owned(), testid: "receipt-payment-mode" },
        Line { label: t(Msg::PaymentChannel), value: channel_text(s, r.channel).to_owned(), testid: "receipt-channel" },
        Line { label: t(Msg::DateTime), value: date_time(s, r.paid_at), testid: "receipt-paid-at" },
        Line { label: t(Msg::MobileNumber), value: r.customer_mobile.as_str().to_owned(), testid: "receipt-mobile" },
    ]);
    if let Some(rrn) = &r.upi_rrn {
        out.push(Line { label: t(Msg::UpiRrn), value: rrn.clone(), testid: "receipt-upi-rrn" });
    }
    out.push(Line { label: t(Msg::Status), value: t(receipt_status(r.status)), testid: "receipt-status" });
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The downloadable receipt: a small standalone HTML document.
pub fn document(s: &Strings, r: &Receipt) -> String {
    let title = s.get(Msg::ReceiptTitle);
    let rows: String = lines(s, r)
        .iter()
        .map(|l| format!("<tr><th>{}</th><td>{}</td></tr>", escape(&l.label), escape(&l.value)))
        .collect();
    format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title} {txn}</title><style>\
         body{{font:15px system-ui,sans-serif;color:#111;margin:24px}}table{{border-collapse:collapse}}\
         th,td{{text-align:left;padding:6px 12px;border-bottom:1px solid #ddd}}th{{color:#444;font-weight:500}}\
         </style></head><body><h1>{title}</h1><p><strong>B assured</strong> · Bharat Connect</p>\
         <table>{rows}</table></body></html>",
        lang = s.locale().tag(),
        txn = escape(r.txn_ref.as_str()),
    )
}

pub fn file_name(r: &Receipt) -> String {
    format!("bbps-receipt-{}.html", r.txn_ref)
}

/// Saves the receipt as a file through a temporary `<a download>`.
pub fn download(s: &Strings, r: &Receipt) {
    use wasm_bindgen::JsCast;

    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let parts = js_sys::Array::of1(&document(s, r).into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/html;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Some(a) = doc.create_element("a").ok().and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok()) {
        a.set_href(&url);
        a.set_download(&file_name(r));
        a.click();
    }
    // Revoking at once can cancel the download in some browsers; a moment later it is safe.
    wasm_bindgen_futures::spawn_local(async move {
        yew::platform::time::sleep(std::time::Duration::from_secs(5)).await;
        let _ = web_sys::Url::revoke_object_url(&url);
    });
}

/// Opens the browser's print dialog; the print style sheet leaves only the receipt.
pub fn print() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}
