//! "Raise a complaint" (transaction-based with a dispute code, or service-based against a biller or an agent)
//! and "Track a complaint".

use bbps_core::api::{Complaint, MobileNumber, RaiseComplaintRequest, ReopenComplaintRequest};
use bbps_core::complaint::{Disposition, ServiceReason, ServiceTarget, description_is_valid};
use bbps_core::{AgentId, BillerId, ComplaintId, ErrorCode, TxnRef};

use super::{Command, Flow, Remote, Step, WidgetEvent};
use crate::i18n::{Msg, error_msg};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComplaintField {
    TxnRef,
    Disposition,
    TargetId,
    Reason,
    Mobile,
    Description,
}

impl ComplaintField {
    const ALL: [ComplaintField; 6] = [
        ComplaintField::TxnRef,
        ComplaintField::Disposition,
        ComplaintField::TargetId,
        ComplaintField::Reason,
        ComplaintField::Mobile,
        ComplaintField::Description,
    ];
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComplaintForm {
    /// Service-based (against a biller or an agent) rather than transaction-based.
    pub service: bool,
    pub txn_ref: String,
    pub disposition: Option<Disposition>,
    /// Against an agent rather than a biller (service-based).
    pub agent: bool,
    pub target_id: String,
    pub reason: Option<ServiceReason>,
    pub mobile: String,
    pub description: String,
    pub submitted: bool,
    /// The server's refusal of a field, until that field is edited.
    pub server: Option<(ComplaintField, ErrorCode)>,
    /// The complaint as sent, and as registered.
    pub sent: Remote<Complaint>,
}

impl ComplaintForm {
    /// The message beside a field, if any.
    pub fn issue(&self, field: ComplaintField) -> Option<Msg> {
        if let Some((f, code)) = self.server
            && f == field
        {
            return Some(error_msg(code));
        }
        if !self.submitted {
            return None;
        }
        let (bad, msg) = match field {
            ComplaintField::TxnRef => {
                (!self.service && TxnRef::parse(self.txn_ref.trim()).is_err(), Msg::TxnRefInvalid)
            }
            ComplaintField::Disposition => (!self.service && self.disposition.is_none(), Msg::ChooseWhatWentWrong),
            ComplaintField::TargetId => (self.service && self.target().is_none(), Msg::ErrComplaintTarget),
            ComplaintField::Reason => {
                (self.service && self.reason.is_none_or(|r| r.is_agent_reason() != self.agent), Msg::ChooseReason)
            }
            ComplaintField::Mobile => {
                (self.service && MobileNumber::parse(&self.mobile).is_none(), Msg::ErrMobileInvalid)
            }
            ComplaintField::Description => (!description_is_valid(&self.description), Msg::ErrComplaintDescription),
        };
        bad.then_some(msg)
    }

    /// The biller or agent typed, when its id has the network's shape.
    fn target(&self) -> Option<ServiceTarget> {
        let id = self.target_id.trim();
        if self.agent {
            AgentId::parse(id).ok().map(|agent_id| ServiceTarget::Agent { agent_id })
        } else {
            BillerId::parse(id).ok().map(|biller_id| ServiceTarget::Biller { biller_id })
        }
    }

    /// A registered complaint gives way to a fresh form; a payment's reference fills one in, and the mobile
    /// number of the journey saves typing it again.
    fn prepare(&mut self, txn_ref: Option<TxnRef>, mobile: &str) {
        if self.sent.ready().is_some() {
            *self = ComplaintForm::default();
        }
        if let Some(r) = txn_ref {
            self.service = false;
            self.txn_ref = r.to_string();
        }
        if self.mobile.is_empty() {
            self.mobile = mobile.to_owned();
        }
    }

    pub(super) fn set_service(&mut self, service: bool) {
        self.service = service;
        self.submitted = false;
        self.server = None;
    }

    /// The reasons differ for agents and billers, so a chosen one does not carry over.
    pub(super) fn set_agent(&mut self, agent: bool) {
        self.agent = agent;
        self.reason = None;
        self.server = None;
    }

    pub(super) fn input(&mut self, field: ComplaintField, value: String) {
        if self.server.is_some_and(|(f, _)| f == field) {
            self.server = None;
        }
        match field {
            ComplaintField::TxnRef => self.txn_ref = value.to_ascii_uppercase(),
            ComplaintField::Disposition => self.disposition = Disposition::parse(&value).ok(),
            // Agent and biller ids are upper case; people type them any way.
            ComplaintField::TargetId => self.target_id = value.to_ascii_uppercase(),
            ComplaintField::Reason => self.reason = ServiceReason::parse(&value).ok(),
            ComplaintField::Mobile => self.mobile = value,
            ComplaintField::Description => self.description = value,
        }
    }

    /// The complaint the form describes, now sending; `None` while a field is wrong.
    fn request(&mut self) -> Option<RaiseComplaintRequest> {
        self.submitted = true;
        self.server = None;
        if ComplaintField::ALL.into_iter().any(|field| self.issue(field).is_some()) {
            return None;
        }
        let description = self.description.trim().to_owned();
        let request = if self.service {
            RaiseComplaintRequest::Service {
                target: self.target()?,
                reason: self.reason?,
                description,
                customer_mobile: MobileNumber::parse(&self.mobile)?,
            }
        } else {
            RaiseComplaintRequest::Transaction {
                txn_ref: TxnRef::parse(self.txn_ref.trim()).ok()?,
                disposition: self.disposition?,
                description,
            }
        };
        self.sent = Remote::Loading;
        Some(request)
    }
}

/// "Track a complaint": its id, and its status and history once found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComplaintLookup {
    pub id: String,
    pub submitted: bool,
    /// The server's refusal of the id (`complaint_not_found`), until it is edited.
    pub server: Option<ErrorCode>,
    pub result: Remote<Complaint>,
    pub reopen: ReopenForm,
}

/// "Not satisfied with the outcome?": why the customer reopens the closed ticket shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReopenForm {
    pub description: String,
    pub submitted: bool,
    /// The server's refusal (too late, reopened before, a description it refuses), until the text is edited.
    pub server: Option<ErrorCode>,
    pub sending: bool,
}

impl ReopenForm {
    pub fn issue(&self) -> Option<Msg> {
        if let Some(code) = self.server {
            return Some(error_msg(code));
        }
        (self.submitted && !description_is_valid(&self.description)).then_some(Msg::ErrComplaintDescription)
    }

    pub(super) fn input(&mut self, description: String) {
        self.description = description;
        self.server = None;
    }
}

impl ComplaintLookup {
    pub fn issue(&self) -> Option<Msg> {
        if let Some(code) = self.server {
            return Some(error_msg(code));
        }
        (self.submitted && ComplaintId::parse(self.id.trim()).is_err()).then_some(Msg::ComplaintIdInvalid)
    }

    pub(super) fn input(&mut self, id: String) {
        self.id = id.to_ascii_uppercase();
        self.server = None;
    }
}

pub(super) fn open(f: &mut Flow, txn_ref: Option<TxnRef>) {
    super::open_side(f, Step::Complaint);
    f.complaint.prepare(txn_ref, &f.journey.amount.mobile);
}

pub(super) fn submit(f: &mut Flow, out: &mut Vec<Command>) {
    match f.complaint.request() {
        Some(request) => out.push(Command::RaiseComplaint(request)),
        None => f.focus_errors(),
    }
}

/// The complaint is registered: the host hears of it, and "track this complaint" knows its id.
pub(super) fn raised(f: &mut Flow, c: Complaint, out: &mut Vec<Command>) {
    out.push(Command::Notify(WidgetEvent::ComplaintRaised { complaint_id: c.id.clone() }));
    f.lookup.id = c.id.to_string();
    f.complaint.sent = Remote::Ready(c);
}

/// "Track a complaint", looking one up at once when its id is known.
pub(super) fn open_status(f: &mut Flow, id: Option<ComplaintId>, out: &mut Vec<Command>) {
    super::open_side(f, Step::ComplaintStatus);
    if let Some(id) = id {
        f.lookup = ComplaintLookup { id: id.to_string(), ..ComplaintLookup::default() };
        submit_lookup(f, out);
    }
}

/// Reopens the ticket shown, once the customer has said why.
pub(super) fn submit_reopen(f: &mut Flow, out: &mut Vec<Command>) {
    let Some(id) = f.lookup.result.ready().map(|c| c.id.clone()) else { return };
    let r = &mut f.lookup.reopen;
    r.submitted = true;
    r.server = None;
    if r.issue().is_some() {
        f.focus_errors();
        return;
    }
    r.sending = true;
    out.push(Command::ReopenComplaint {
        id,
        request: ReopenComplaintRequest { description: r.description.trim().to_owned() },
    });
}

/// A ticket looked up or reopened: the reopen form starts afresh. An answer about another ticket than the one
/// asked for last (a reopen answered after the customer looked up another) is not shown.
pub(super) fn loaded(f: &mut Flow, c: Complaint) {
    if !f.lookup.id.trim().eq_ignore_ascii_case(c.id.as_str()) {
        return;
    }
    f.lookup.reopen = ReopenForm::default();
    f.lookup.result = Remote::Ready(c);
}

pub(super) fn submit_lookup(f: &mut Flow, out: &mut Vec<Command>) {
    let l = &mut f.lookup;
    l.submitted = true;
    l.server = None;
    match ComplaintId::parse(l.id.trim()) {
        Ok(id) => {
            l.result = Remote::Loading;
            out.push(Command::LoadComplaint(id));
        }
        Err(_) => f.focus_errors(),
    }
}
