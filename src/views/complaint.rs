//! "Raise a complaint" (transaction-based with the dispute codes, or service-based against a biller or an
//! agent) and "Track a complaint" (status and history).

use bbps_core::Timestamp;
use bbps_core::api::{Complaint, ComplaintSubject};
use bbps_core::complaint::{Disposition, ServiceReason, TicketType};
use yew::Html;

use super::el::{el, list, textarea};
use super::track::switch;
use super::{Field, Ui, row, rows, text_input, text_row};
use crate::flow::{Action, ComplaintField};
use crate::i18n::{Msg, complaint_status, date, date_time, disposition, reason};

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

fn select(
    ui: Ui<'_>,
    fd: &Field<'_>,
    testid: &'static str,
    on: ComplaintField,
    options: Vec<(String, String, bool)>,
) -> Html {
    let none_chosen = !options.iter().any(|(_, _, selected)| *selected);
    let blank = el("option").attr("value", "").flag("selected", none_chosen).child(ui.say(Msg::ChooseOne));
    let options = options.into_iter().map(|(value, label, selected)| {
        el("option").attr("value", value).flag("selected", selected).text(label).done()
    });
    let control = fd
        .control(el("select"))
        .testid(testid)
        .on_change(ui.on_value(input_to(on)))
        .child(blank.done())
        .children(options);
    fd.wrap(control.done(), testid)
}

fn raised(ui: Ui<'_>, c: &Complaint) -> Html {
    let done = ui.f.env.closable.then(|| el("div").class("bbps-actions").child(super::done(ui)).done());
    let details = rows(
        "bbps-dl",
        None,
        [
            text_row(ui.t(Msg::ComplaintId), c.id.as_str(), "complaint-id"),
            row(ui.t(Msg::Status), ui.say(complaint_status(c.status)), "complaint-raised-status"),
        ],
    );
    let track = ui.on_with(Some(c.id.clone()), Action::OpenComplaintStatus);
    el("div")
        .class("bbps-result bbps-good")
        .testid("complaint-raised")
        .child(el("p").child(el("strong").child(ui.say(Msg::ComplaintRegistered)).done()).done())
        .child(details)
        .child(ui.button("bbps-btn bbps-primary", "track-this-complaint", Msg::TrackThisComplaint, track))
        .opt(done)
        .done()
}

/// Against a biller or an agent: who, why, and the mobile number.
fn service_fields(ui: Ui<'_>) -> Html {
    let c = &ui.f.complaint;
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
    let why = field(ui, ComplaintField::Reason, "bbps-c-reason", Msg::Reason, None);
    list([
        switch(
            ui,
            "c-target",
            c.agent,
            [Msg::AgainstBiller, Msg::AgainstAgent],
            ["complaint-target-biller", "complaint-target-agent"],
            Action::ComplaintAgent,
        ),
        text_input(
            &target,
            &c.target_id,
            "text",
            None,
            "complaint-target-id",
            ui.on_value(input_to(ComplaintField::TargetId)),
            None,
        ),
        select(ui, &why, "complaint-reason", ComplaintField::Reason, reasons),
        text_input(
            &mobile,
            &c.mobile,
            "numeric",
            None,
            "complaint-mobile",
            ui.on_value(input_to(ComplaintField::Mobile)),
            None,
        ),
    ])
}

/// About a payment: its reference and the dispute code.
fn transaction_fields(ui: Ui<'_>) -> Html {
    let c = &ui.f.complaint;
    let txn = field(ui, ComplaintField::TxnRef, "bbps-c-txn", Msg::TxnRef, Some(Msg::TxnRefHint));
    let codes = Disposition::ALL
        .iter()
        .map(|&d| {
            (d.as_str().to_owned(), format!("{} · {}", d.as_str(), ui.t(disposition(d))), c.disposition == Some(d))
        })
        .collect();
    let what = field(ui, ComplaintField::Disposition, "bbps-c-code", Msg::WhatWentWrong, None);
    list([
        text_input(
            &txn,
            &c.txn_ref,
            "text",
            None,
            "complaint-txn-ref",
            ui.on_value(input_to(ComplaintField::TxnRef)),
            None,
        ),
        select(ui, &what, "complaint-disposition", ComplaintField::Disposition, codes),
    ])
}

pub fn view(ui: Ui<'_>) -> Html {
    let c = &ui.f.complaint;
    if let Some(done) = c.sent.ready() {
        return ui.section(Msg::RaiseComplaint, [raised(ui, done)]);
    }
    let fields = if c.service { service_fields(ui) } else { transaction_fields(ui) };
    let desc = field(ui, ComplaintField::Description, "bbps-c-desc", Msg::Description, Some(Msg::DescriptionHint));
    let desc_control = desc
        .control(textarea(&c.description))
        .attr("rows", "4")
        .attr("maxlength", "500")
        .testid("complaint-description")
        .on_input(ui.on_value(input_to(ComplaintField::Description)));
    let busy = c.sent.is_loading().then_some(Msg::Sending);
    let form = el("form")
        .class("bbps-form")
        .flag("novalidate", true)
        .on_submit(ui.on_submit(|| Action::SubmitComplaint))
        .testid("complaint-form")
        .child(fields)
        .child(desc.wrap(desc_control.done(), "complaint-description"))
        .child(ui.submit("complaint-submit", busy, Msg::SubmitComplaint));
    let kinds = switch(
        ui,
        "c-kind",
        c.service,
        [Msg::AboutPayment, Msg::AboutService],
        ["complaint-kind-transaction", "complaint-kind-service"],
        Action::ComplaintService,
    );
    ui.section(Msg::RaiseComplaint, [kinds, form.done()])
}

fn subject(ui: Ui<'_>, s: &ComplaintSubject) -> String {
    match s {
        ComplaintSubject::Transaction { txn_ref, disposition: d } => {
            format!("{txn_ref} · {} · {}", d.as_str(), ui.t(disposition(*d)))
        }
        ComplaintSubject::Service { reason: r, .. } => ui.t(reason(*r)).to_owned(),
    }
}

/// "Not satisfied with the outcome?": shown on a closed ticket until the time to reopen it is over.
fn reopen(ui: Ui<'_>, until: Timestamp) -> Html {
    let r = &ui.f.lookup.reopen;
    let fd = Field {
        id: "bbps-reopen-desc",
        label: ui.t(Msg::ReopenWhy),
        hint: Some(ui.t(Msg::DescriptionHint)),
        error: r.issue().map(|m| ui.t(m).to_owned()),
    };
    let control =
        fd.control(textarea(&r.description)).attr("rows", "3").attr("maxlength", "500").testid("reopen-description");
    let busy = r.sending.then_some(Msg::Sending);
    el("form")
        .class("bbps-form")
        .flag("novalidate", true)
        .on_submit(ui.on_submit(|| Action::SubmitReopen))
        .testid("reopen-form")
        .child(el("h3").class("bbps-h3").child(ui.say(Msg::ReopenTitle)).done())
        .child(
            el("p")
                .testid("reopen-until")
                .text(format!("{} {}", ui.t(Msg::ReopenUntil), date_time(ui.s, until)))
                .done(),
        )
        .child(fd.wrap(control.on_input(ui.on_value(Action::ReopenInput)).done(), "reopen-description"))
        .child(ui.submit("reopen-submit", busy, Msg::ReopenTicket))
        .done()
}

fn status(ui: Ui<'_>, c: &Complaint) -> Html {
    let kind = match c.ticket_type {
        TicketType::Dispute => Msg::TicketDispute,
        TicketType::Complaint => Msg::TicketComplaint,
    };
    let details = [
        text_row(ui.t(Msg::ComplaintId), c.id.as_str(), "complaint-status-id-value"),
        row(ui.t(Msg::Status), el("strong").child(ui.say(complaint_status(c.status))).done(), "complaint-status-value"),
        text_row(ui.t(Msg::TicketKind), ui.t(kind), "complaint-ticket-type"),
        text_row(ui.t(Msg::WhatWentWrong), &subject(ui, &c.subject), "complaint-subject"),
    ]
    .into_iter()
    .chain(c.assigned_to.as_ref().map(|a| text_row(ui.t(Msg::HandledBy), a, "complaint-assigned-to")))
    .chain(c.remarks.as_ref().map(|r| text_row(ui.t(Msg::Remarks), r, "complaint-remarks")))
    .chain([text_row(ui.t(Msg::RegisteredOn), &date_time(ui.s, c.created_at), "complaint-created-at")])
    .chain(
        c.status.is_open().then(|| text_row(ui.t(Msg::ResolveBy), &date(ui.s, c.resolve_by), "complaint-resolve-by")),
    )
    .chain(c.reopened_at.map(|t| text_row(ui.t(Msg::ReopenedOn), &date_time(ui.s, t), "complaint-reopened-at")));
    let reopenable = c.reopenable_until().filter(|until| until.unix_millis() > ui.f.env.now_ms);
    let history = (!c.history.is_empty()).then(|| {
        let entries = c.history.iter().map(|h| {
            el("li")
                .child(el("strong").child(ui.say(complaint_status(h.status))).done())
                .child(el("span").text(date_time(ui.s, h.at)).done())
                .child(el("span").text(h.remarks.clone()).done())
                .done()
        });
        list([
            el("h3").class("bbps-h3").child(ui.say(Msg::History)).done(),
            el("ol").class("bbps-history").testid("complaint-history").children(entries).done(),
        ])
    });
    el("div")
        .class("bbps-result bbps-neutral")
        .testid("complaint-status")
        .attr("data-status", c.status.as_str())
        .child(rows("bbps-dl", None, details))
        .opt(history)
        .opt(reopenable.map(|until| reopen(ui, until)))
        .done()
}

pub fn status_view(ui: Ui<'_>) -> Html {
    let l = &ui.f.lookup;
    let fd = Field {
        id: "bbps-cs-id",
        label: ui.t(Msg::ComplaintId),
        hint: Some(ui.t(Msg::ComplaintIdHint)),
        error: l.issue().map(|m| ui.t(m).to_owned()),
    };
    let busy = l.result.is_loading().then_some(Msg::Loading);
    let form = el("form")
        .class("bbps-form")
        .flag("novalidate", true)
        .on_submit(ui.on_submit(|| Action::SubmitLookup))
        .testid("complaint-status-form")
        .child(text_input(&fd, &l.id, "text", None, "complaint-status-id", ui.on_value(Action::LookupInput), None))
        .child(ui.submit("complaint-status-submit", busy, Msg::Search));
    ui.section(Msg::TrackComplaint, [form.done(), l.result.ready().map(|c| status(ui, c)).unwrap_or_default()])
}
