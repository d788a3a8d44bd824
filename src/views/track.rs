//! "Track a payment": by the Bharat Connect transaction reference, or by mobile number and a date range.

use yew::Html;

use super::el::{el, input, list, none};
use super::{Field, Ui, text_input};
use crate::flow::{Action, Proof, Remote, TrackField};
use crate::i18n::{Msg, date_time, fill, payment_status};

/// Two radio buttons choosing between two forms.
pub fn switch(
    ui: Ui<'_>,
    name: &str,
    second: bool,
    labels: [Msg; 2],
    testids: [&'static str; 2],
    to: fn(bool) -> Action,
) -> Html {
    let radio = |i: usize| {
        let id = format!("bbps-{name}-{i}");
        let control = input("radio")
            .attr("id", id.clone())
            .attr("name", format!("bbps-{name}"))
            .checked((i == 1) == second)
            .testid(testids[i])
            .on_change(ui.on_with(i == 1, to));
        el("div")
            .class("bbps-radio")
            .child(control.done())
            .child(el("label").attr("for", id).child(ui.say(labels[i])).done())
            .done()
    };
    el("div").class("bbps-switch").attr("role", "radiogroup").child(radio(0)).child(radio(1)).done()
}

fn date_input(ui: Ui<'_>, field: TrackField, id: &str, label: Msg, value: &str, testid: &'static str) -> Html {
    let f = Field { id, label: ui.t(label), hint: None, error: ui.f.track.issue(field).map(|m| ui.t(m).to_owned()) };
    let control = f
        .control(input("date"))
        .value(value)
        .testid(testid)
        .on_input(ui.on_value(move |value| Action::TrackInput { field, value }));
    f.wrap(control.done(), testid)
}

fn results(ui: Ui<'_>) -> Html {
    let items = match &ui.f.track.results {
        Remote::Idle | Remote::Loading | Remote::Failed(_) => return none(),
        Remote::Ready(items) if items.is_empty() => {
            return el("p").class("bbps-empty").testid("track-empty").child(ui.say(Msg::NoPayments)).done();
        }
        Remote::Ready(items) => items,
    };
    let cards = items.iter().map(|tx| {
        let reference = tx.txn_ref.as_ref();
        let main = el("div")
            .class("bbps-card-main")
            .child(el("strong").text(tx.biller_name.clone()).done())
            .child(el("span").text(tx.charges.total.to_inr_string()).done());
        let meta = el("div")
            .class("bbps-card-meta")
            .child(el("span").testid("track-result-status").child(ui.say(payment_status(tx.status))).done())
            .child(el("span").text(date_time(ui.s, tx.paid_at.unwrap_or(tx.created_at))).done())
            .opt(reference.map(|r| el("span").testid("track-result-txn-ref").text(r.to_string()).done()));
        let complain = reference.map(|r| {
            let on = ui.on_with(Some(r.clone()), Action::OpenComplaint);
            ui.button("bbps-btn bbps-quiet", "track-complain", Msg::RaiseComplaint, on)
        });
        let actions = el("div")
            .class("bbps-actions")
            .child(ui.button(
                "bbps-btn",
                "track-view",
                Msg::ViewPayment,
                ui.on_with(tx.payment_id.clone(), Action::OpenPayment),
            ))
            .opt(complain);
        el("li")
            .class("bbps-card")
            .testid("track-result")
            .attr("data-status", tx.status.as_str())
            .child(main.done())
            .child(meta.done())
            .child(actions.done())
            .done()
    });
    el("ul").class("bbps-cards").testid("track-results").children(cards).done()
}

/// The one-time code the SMS brought: the phone offers it from the message (`autocomplete="one-time-code"`).
fn code_input(ui: Ui<'_>, sent_to: &str) -> Html {
    let t = &ui.f.track;
    let hint = fill(ui.t(Msg::OtpSentTo), &[("mobile", sent_to)]);
    let f = Field {
        id: "bbps-track-code",
        label: ui.t(Msg::OtpCode),
        hint: Some(&hint),
        error: t.issue(TrackField::Code).map(|m| ui.t(m).to_owned()),
    };
    let control = f
        .control(input("text"))
        .attr("inputmode", "numeric")
        .attr("autocomplete", "one-time-code")
        .attr("maxlength", "6")
        .value(&t.code)
        .testid("track-code")
        .on_input(ui.on_value(|value| Action::TrackInput { field: TrackField::Code, value }));
    f.wrap(control.done(), "track-code")
}

pub fn view(ui: Ui<'_>) -> Html {
    let t = &ui.f.track;
    let issue = |field| t.issue(field).map(|m| ui.t(m).to_owned());
    let (fields, submit) = if t.by_mobile {
        let mobile = Field {
            id: "bbps-track-mobile",
            label: ui.t(Msg::MobileNumber),
            hint: Some(ui.t(Msg::OtpWhy)),
            error: issue(TrackField::Mobile),
        };
        let dates = el("div")
            .class("bbps-pair")
            .child(date_input(ui, TrackField::From, "bbps-track-from", Msg::FromDate, &t.from, "track-from"))
            .child(date_input(ui, TrackField::To, "bbps-track-to", Msg::ToDate, &t.to, "track-to"));
        let on_mobile = ui.on_value(|value| Action::TrackInput { field: TrackField::Mobile, value });
        let mobile = text_input(&mobile, &t.mobile, "numeric", None, "track-mobile", on_mobile, None);
        match t.proof.awaiting() {
            Some(sent_to) => {
                let resend = ui.button(
                    "bbps-btn bbps-quiet",
                    "track-resend",
                    Msg::OtpResend,
                    ui.on(|| Action::ResendTrackingCode),
                );
                (list([mobile, dates.done(), code_input(ui, sent_to), resend]), Msg::OtpVerify)
            }
            None if matches!(t.proof, Proof::Proved { .. }) => (list([mobile, dates.done()]), Msg::Search),
            None => (list([mobile, dates.done()]), Msg::OtpSendCode),
        }
    } else {
        let txn = Field {
            id: "bbps-track-ref",
            label: ui.t(Msg::TxnRef),
            hint: Some(ui.t(Msg::TxnRefHint)),
            error: issue(TrackField::TxnRef),
        };
        let on_ref = ui.on_value(|value| Action::TrackInput { field: TrackField::TxnRef, value });
        (text_input(&txn, &t.txn_ref, "text", None, "track-txn-ref", on_ref, None), Msg::Search)
    };
    let busy = (t.results.is_loading() || t.proof.is_busy()).then_some(Msg::Loading);
    let form = el("form")
        .class("bbps-form")
        .flag("novalidate", true)
        .on_submit(ui.on_submit(|| Action::SubmitTrack))
        .testid("track-form")
        .child(fields)
        .child(ui.submit("track-submit", busy, submit));
    let kinds = switch(
        ui,
        "track-by",
        t.by_mobile,
        [Msg::ByTxnRef, Msg::ByMobile],
        ["track-by-ref", "track-by-mobile"],
        Action::TrackMode,
    );
    ui.section(Msg::TrackPayment, [kinds, form.done(), results(ui)])
}
