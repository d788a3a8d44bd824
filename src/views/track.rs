//! "Track a payment": by the Bharat Connect transaction reference, or by mobile number and a date range.

use yew::prelude::*;

use super::{Field, Ui, text_input};
use crate::flow::{Action, Remote, TrackField};
use crate::i18n::{Msg, date_time, payment_status};

/// Two radio buttons choosing between two forms.
pub fn switch(
    ui: Ui<'_>,
    name: &str,
    second: bool,
    labels: [Msg; 2],
    testids: [&str; 2],
    to: fn(bool) -> Action,
) -> Html {
    let radio = |i: usize| {
        let id = format!("bbps-{name}-{i}");
        let on = (i == 1) == second;
        html! {
            <div class="bbps-radio">
                <input type="radio" id={id.clone()} name={format!("bbps-{name}")} checked={on}
                    data-testid={testids[i].to_owned()} onchange={ui.on_with(i == 1, to)}/>
                <label for={id}>{ ui.t(labels[i]) }</label>
            </div>
        }
    };
    html! { <div class="bbps-switch" role="radiogroup">{ radio(0) }{ radio(1) }</div> }
}

fn date_input(ui: Ui<'_>, field: TrackField, id: &str, label: Msg, value: &str, testid: &str) -> Html {
    let f = Field { id, label: ui.t(label), hint: None, error: ui.f.track.issue(field).map(|m| ui.t(m).to_owned()) };
    let control = html! {
        <input id={id.to_owned()} type="date" value={value.to_owned()} aria-invalid={f.invalid()}
            aria-describedby={f.described_by()} data-testid={testid.to_owned()}
            oninput={ui.on_value(move |value| Action::TrackInput { field, value })}/>
    };
    f.wrap(control, testid)
}

pub fn view(ui: Ui<'_>) -> Html {
    let f = ui.f;
    let t = &f.track;
    let issue = |field| t.issue(field).map(|m| ui.t(m).to_owned());
    let fields = if t.by_mobile {
        let mobile = Field {
            id: "bbps-track-mobile",
            label: ui.t(Msg::MobileNumber),
            hint: None,
            error: issue(TrackField::Mobile),
        };
        html! {
            <>
                { text_input(&mobile, &t.mobile, "numeric", None, "track-mobile",
                    ui.on_value(|value| Action::TrackInput { field: TrackField::Mobile, value }), None) }
                <div class="bbps-pair">
                    { date_input(ui, TrackField::From, "bbps-track-from", Msg::FromDate, &t.from, "track-from") }
                    { date_input(ui, TrackField::To, "bbps-track-to", Msg::ToDate, &t.to, "track-to") }
                </div>
            </>
        }
    } else {
        let txn = Field {
            id: "bbps-track-ref",
            label: ui.t(Msg::TxnRef),
            hint: Some(ui.t(Msg::TxnRefHint)),
            error: issue(TrackField::TxnRef),
        };
        text_input(
            &txn,
            &t.txn_ref,
            "text",
            None,
            "track-txn-ref",
            ui.on_value(|value| Action::TrackInput { field: TrackField::TxnRef, value }),
            None,
        )
    };
    let results = match &t.results {
        Remote::Idle | Remote::Loading | Remote::Failed(_) => Html::default(),
        Remote::Ready(items) if items.is_empty() => {
            html! { <p class="bbps-empty" data-testid="track-empty">{ ui.t(Msg::NoPayments) }</p> }
        }
        Remote::Ready(items) => html! {
            <ul class="bbps-cards" data-testid="track-results">
                { for items.iter().map(|tx| html! {
                    <li class="bbps-card" data-testid="track-result" data-status={tx.status.as_str()}>
                        <div class="bbps-card-main">
                            <strong>{ tx.biller_name.clone() }</strong>
                            <span>{ tx.charges.total.to_inr_string() }</span>
                        </div>
                        <div class="bbps-card-meta">
                            <span data-testid="track-result-status">{ ui.t(payment_status(tx.status)) }</span>
                            <span>{ date_time(f.locale, tx.paid_at.unwrap_or(tx.created_at)) }</span>
                            if let Some(r) = &tx.txn_ref {
                                <span data-testid="track-result-txn-ref">{ r.to_string() }</span>
                            }
                        </div>
                        <div class="bbps-actions">
                            { ui.button("bbps-btn", "track-view", Msg::ViewPayment, ui.on_with(tx.payment_id.clone(), Action::OpenPayment)) }
                            if let Some(r) = &tx.txn_ref {
                                { ui.button("bbps-btn bbps-quiet", "track-complain", Msg::RaiseComplaint, ui.on_with(Some(r.clone()), Action::OpenComplaint)) }
                            }
                        </div>
                    </li>
                }) }
            </ul>
        },
    };
    html! {
        <section>
            { ui.heading(Msg::TrackPayment) }
            <>
                { switch(ui, "track-by", t.by_mobile, [Msg::ByTxnRef, Msg::ByMobile], ["track-by-ref", "track-by-mobile"], Action::TrackMode) }
                <form class="bbps-form" novalidate=true onsubmit={ui.on_submit(|| Action::SubmitTrack)} data-testid="track-form">
                    { fields }
                    { ui.submit("track-submit", if t.results.is_loading() { Some(Msg::Loading) } else { None }, Msg::Search) }
                </form>
                { results }
            </>
        </section>
    }
}
