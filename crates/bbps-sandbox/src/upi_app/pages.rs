//! The sandbox UPI app page: server-rendered HTML with no external assets and no script, readable on a phone,
//! with labelled controls. It shows what a payer's UPI app would show for a `upi://pay` link and offers the
//! payer's choices as form buttons.

use bbps_core::Paise;
use bbps_core::upi::UpiLink;

use super::payer::SimulatedPayment;
use crate::page::escape;

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;background:#f3f4f8;color:#1b1b1f}\
main{max-width:26rem;margin:0 auto;padding:1.25rem}\
h1{font-size:1.25rem;margin:.5rem 0 1rem}\
.card{background:#fff;border-radius:1rem;padding:1.25rem;box-shadow:0 1px 4px rgba(0,0,0,.08)}\
dl{display:grid;grid-template-columns:auto 1fr;gap:.5rem 1rem;margin:0 0 1.25rem}\
dt{color:#5c5f6a}dd{margin:0;font-weight:600;word-break:break-all}\
.amount{font-size:2rem;font-weight:700;margin:.25rem 0 1rem}\
button{display:block;width:100%;min-height:3rem;margin:.5rem 0;border:0;border-radius:.75rem;font-size:1rem;font-weight:600;cursor:pointer}\
button:focus-visible{outline:3px solid #1a56db;outline-offset:2px}\
.approve{background:#1a7f37;color:#fff}.decline{background:#e5e7eb;color:#1b1b1f}.wrong{background:#fff;color:#9a3412;border:2px solid #9a3412}\
.note{font-size:.875rem;color:#5c5f6a}.error{color:#b42318}";

pub(crate) fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>{STYLE}</style></head><body><main>{body}</main></body></html>",
        title = escape(title)
    )
}

/// The app screen for a link.
pub fn upi_app(raw_link: &str, link: &UpiLink, token: &str) -> String {
    let amount = link.amount.map_or_else(|| "Any amount".to_owned(), Paise::to_inr_string);
    let note = link.note.as_deref().unwrap_or("");
    let tr = link.txn_ref.as_ref().map_or("", |t| t.as_str());
    let body = format!(
        "<h1>Sandbox UPI app</h1>\
         <section class=\"card\" aria-labelledby=\"payee\">\
         <p class=\"note\">Paying</p><h2 id=\"payee\">{payee}</h2>\
         <p class=\"amount\" aria-label=\"Amount\">{amount}</p>\
         <dl><dt>UPI ID</dt><dd>{vpa}</dd><dt>Note</dt><dd>{note}</dd><dt>Reference</dt><dd>{tr}</dd></dl>\
         <form method=\"post\" action=\"/sandbox/upi/pay\">\
         <input type=\"hidden\" name=\"link\" value=\"{link}\">\
         <input type=\"hidden\" name=\"token\" value=\"{token}\">\
         <button class=\"approve\" type=\"submit\" name=\"action\" value=\"approve\">Approve and pay {amount}</button>\
         <button class=\"decline\" type=\"submit\" name=\"action\" value=\"decline\">Decline</button>\
         <button class=\"wrong\" type=\"submit\" name=\"action\" value=\"wrong_amount\">Pay a wrong amount</button>\
         <button class=\"wrong\" type=\"submit\" name=\"action\" value=\"pay_twice\">Pay twice</button>\
         <button class=\"wrong\" type=\"submit\" name=\"action\" value=\"pay_unannounced\">Pay; the PSP's notice is lost</button>\
         </form>\
         <p class=\"note\">Sandbox only: no money moves. The sandbox PSP notifies the backend as the live PSP does.</p>\
         </section>",
        payee = escape(&link.payee_name),
        amount = escape(&amount),
        vpa = escape(link.payee.as_str()),
        note = escape(note),
        tr = escape(tr),
        link = escape(raw_link),
        token = escape(token),
    );
    page("Sandbox UPI app", &body)
}

/// The screen after the payer acted.
pub fn result(payment: &SimulatedPayment) -> String {
    let (title, lines): (&str, Vec<String>) = if payment.debits.is_empty() {
        ("Payment declined", vec!["Nothing was debited.".to_owned()])
    } else {
        let lines = payment
            .debits
            .iter()
            .map(|d| {
                let what = if d.honoured {
                    "was debited and paid".to_owned()
                } else {
                    format!("was debited and is being returned by the PSP ({})", d.reason)
                };
                format!("{} {what}. PSP reference {}.", d.amount.to_inr_string(), d.transaction_id)
            })
            .collect();
        ("Payment sent", lines)
    };
    let items: String = lines.iter().map(|l| format!("<p>{}</p>", escape(l))).collect();
    let body = format!(
        "<h1>{title}</h1><section class=\"card\" role=\"status\">{items}\
         <p class=\"note\">You can close this page and return to the widget.</p></section>",
        title = escape(title),
    );
    page(title, &body)
}

/// An error screen (a malformed link).
pub fn error(message: &str) -> String {
    page(
        "Sandbox UPI app",
        &format!(
            "<h1>Sandbox UPI app</h1><section class=\"card\"><p class=\"error\" role=\"alert\">{}</p></section>",
            escape(message)
        ),
    )
}
