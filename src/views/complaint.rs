//! "Raise a complaint" (transaction-based with the dispute codes, or service-based against a biller or an
//! agent) and "Track a complaint" (status and history).

use bbps_core::api::{Complaint, ComplaintSubject};
use bbps_core::complaint::{Disposition, ServiceReason};
use yew::prelude::*;

use super::track::switch;
use super::{Field, Ui, row, text_input};
use crate::flow::{Action, ComplaintField};
use crate::i18n::{Msg, complaint_status, date_time, disposition, reason};

fn input_to(field: ComplaintField) -> impl Fn(String) -> Action {
    move |value| Action::ComplaintInput { field, value }
}

fn field<'a>(ui: Ui<'a>, field: ComplaintField, id: &'a str, label: Msg, hint: Option<Msg>) -> Field<'a> {
    Field {
        id,
        label: ui.t(label),
        hint: hint.map(|h| ui.t(h)),
        error: ui.f.complaint.issue(field).map(|m| ui.t(m).to_owned()),
    }
}

fn select(ui: Ui<'_>, fd: &Field<'_>, testid: &str, on: ComplaintField, options: Vec<(String, String, bool)>) -> Html {
    let none_chosen = !options.iter().any(|(_, _, selected)| *selected);
    let control = html! {
        <select id={fd.id.to_owned()} aria-invalid={fd.invalid()} aria-describedby={fd.described_by()}
            data-testid={testid.to_owned()} onchange={ui.on_value(input_to(on))}>
            <option value="" selected={none_chosen}>{ ui.t(Msg::ChooseOne) }</option>
            { for options.into_iter().map(|(value, label, selected)| html! {
                <option value={value} selected={selected}>{ label }</option>
            }) }
        </select>
    };
    fd.wrap(control, testid)
}

fn raised(ui: Ui<'_>, c: &Complaint) -> Html {
    html! {
        <div class="bbps-result bbps-good" data-testid="complaint-raised">
            <p><strong>{ ui.t(Msg::ComplaintRegistered) }</strong></p>
            <dl class="bbps-dl">
                { row(ui.t(Msg::ComplaintId), html! { { c.id.to_string() } }, "complaint-id") }
                { row(ui.t(Msg::Status), html! { { ui.t(complaint_status(c.status)) } }, "complaint-raised-status") }
            </dl>
            { ui.button("bbps-btn bbps-primary", "track-this-complaint", Msg::TrackThisComplaint, ui.on_with(Some(c.id.clone()), Action::OpenComplaintStatus)) }
            if ui.f.env.closable {
                <div class="bbps-actions">{ super::done(ui) }</div>
            }
        </div>
    }
}

pub fn view(ui: Ui<'_>) -> Html {
    let f = ui.f;
    let c = &f.complaint;
    if let Some(done) = c.sent.ready() {
        return html! { <section>{ ui.heading(Msg::RaiseComplaint) }{ raised(ui, done) }</section> };
    }
    let fields = if c.service {
        let target = if c.agent {
            field(ui, ComplaintField::TargetId, "bbps-c-target", Msg::AgentId, Some(Msg::AgentIdHint))
        } else {
            field(ui, ComplaintField::TargetId, "bbps-c-target", Msg::BillerId, Some(Msg::BillerIdHint))
        };
        let reasons = ServiceReason::ALL
            .iter()
            .filter(|r| r.is_agent_reason() == c.agent)
            .map(|&r| (r.as_str().to_owned(), ui.t(reason(r)).to_owned(), c.reason == Some(r)))
            .collect();
        let mobile = field(ui, ComplaintField::Mobile, "bbps-c-mobile", Msg::MobileNumber, None);
        html! {
            <>
                { switch(ui, "c-target", c.agent, [Msg::AgainstBiller, Msg::AgainstAgent],
                    ["complaint-target-biller", "complaint-target-agent"], Action::ComplaintAgent) }
                { text_input(&target, &c.target_id, "text", None, "complaint-target-id",
                    ui.on_value(input_to(ComplaintField::TargetId)), None) }
                { select(ui, &field(ui, ComplaintField::Reason, "bbps-c-reason", Msg::Reason, None), "complaint-reason",
                    ComplaintField::Reason, reasons) }
                { text_input(&mobile, &c.mobile, "numeric", None, "complaint-mobile",
                    ui.on_value(input_to(ComplaintField::Mobile)), None) }
            </>
        }
    } else {
        let txn = field(ui, ComplaintField::TxnRef, "bbps-c-txn", Msg::TxnRef, Some(Msg::TxnRefHint));
        let codes = Disposition::ALL
            .iter()
            .map(|&d| {
                (d.as_str().to_owned(), format!("{} · {}", d.as_str(), ui.t(disposition(d))), c.disposition == Some(d))
            })
            .collect();
        html! {
            <>
                { text_input(&txn, &c.txn_ref, "text", None, "complaint-txn-ref",
                    ui.on_value(input_to(ComplaintField::TxnRef)), None) }
                { select(ui, &field(ui, ComplaintField::Disposition, "bbps-c-code", Msg::WhatWentWrong, None),
                    "complaint-disposition", ComplaintField::Disposition, codes) }
            </>
        }
    };
    let desc = field(ui, ComplaintField::Description, "bbps-c-desc", Msg::Description, Some(Msg::DescriptionHint));
    let desc_control = html! {
        <textarea id={desc.id.to_owned()} rows="4" maxlength="500" value={c.description.clone()}
            aria-invalid={desc.invalid()} aria-describedby={desc.described_by()} data-testid="complaint-description"
            oninput={ui.on_value(input_to(ComplaintField::Description))}/>
    };
    html! {
        <section>
            { ui.heading(Msg::RaiseComplaint) }
            <>
                { switch(ui, "c-kind", c.service, [Msg::AboutPayment, Msg::AboutService],
                    ["complaint-kind-transaction", "complaint-kind-service"], Action::ComplaintService) }
                <form class="bbps-form" novalidate=true onsubmit={ui.on_submit(|| Action::SubmitComplaint)} data-testid="complaint-form">
                    { fields }
                    { desc.wrap(desc_control, "complaint-description") }
                    { ui.submit("complaint-submit", if c.sent.is_loading() { Some(Msg::Sending) } else { None }, Msg::SubmitComplaint) }
                </form>
            </>
        </section>
    }
}

fn subject(ui: Ui<'_>, s: &ComplaintSubject) -> String {
    match s {
        ComplaintSubject::Transaction { txn_ref, disposition: d } => {
            format!("{txn_ref} · {} · {}", d.as_str(), ui.t(disposition(*d)))
        }
        ComplaintSubject::Service { reason: r, .. } => ui.t(reason(*r)).to_owned(),
    }
}

fn status(ui: Ui<'_>, c: &Complaint) -> Html {
    let locale = ui.f.locale;
    html! {
        <div class="bbps-result bbps-neutral" data-testid="complaint-status" data-status={c.status.as_str()}>
            <dl class="bbps-dl">
                { row(ui.t(Msg::ComplaintId), html! { { c.id.to_string() } }, "complaint-status-id-value") }
                { row(ui.t(Msg::Status), html! { <strong>{ ui.t(complaint_status(c.status)) }</strong> }, "complaint-status-value") }
                { row(ui.t(Msg::WhatWentWrong), html! { { subject(ui, &c.subject) } }, "complaint-subject") }
                if let Some(a) = &c.assigned_to {
                    { row(ui.t(Msg::HandledBy), html! { { a.clone() } }, "complaint-assigned-to") }
                }
                if let Some(r) = &c.remarks {
                    { row(ui.t(Msg::Remarks), html! { { r.clone() } }, "complaint-remarks") }
                }
                { row(ui.t(Msg::RegisteredOn), html! { { date_time(locale, c.created_at) } }, "complaint-created-at") }
            </dl>
            if !c.history.is_empty() {
                <h3 class="bbps-h3">{ ui.t(Msg::History) }</h3>
                <ol class="bbps-history" data-testid="complaint-history">
                    { for c.history.iter().map(|h| html! {
                        <li>
                            <strong>{ ui.t(complaint_status(h.status)) }</strong>
                            <span>{ date_time(locale, h.at) }</span>
                            <span>{ h.remarks.clone() }</span>
                        </li>
                    }) }
                </ol>
            }
        </div>
    }
}

pub fn status_view(ui: Ui<'_>) -> Html {
    let l = &ui.f.lookup;
    let fd = Field {
        id: "bbps-cs-id",
        label: ui.t(Msg::ComplaintId),
        hint: Some(ui.t(Msg::ComplaintIdHint)),
        error: l.issue().map(|m| ui.t(m).to_owned()),
    };
    html! {
        <section>
            { ui.heading(Msg::TrackComplaint) }
            <>
                <form class="bbps-form" novalidate=true onsubmit={ui.on_submit(|| Action::SubmitLookup)}
                    data-testid="complaint-status-form">
                    { text_input(&fd, &l.id, "text", None, "complaint-status-id", ui.on_value(Action::LookupInput), None) }
                    { ui.submit("complaint-status-submit", if l.result.is_loading() { Some(Msg::Loading) } else { None }, Msg::Search) }
                </form>
                if let Some(c) = l.result.ready() {
                    { status(ui, c) }
                }
            </>
        </section>
    }
}
