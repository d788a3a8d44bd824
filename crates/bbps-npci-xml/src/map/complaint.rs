//! Complaints: registration (`TxnStatusComplainRequest`, xchangeId 501) and status (506).

use bbps_core::api::{ComplaintHistoryEntry, ComplaintSubject, MobileNumber};
use bbps_core::complaint::{ComplaintStatus, Disposition, ServiceReason, ServiceTarget};
use bbps_core::{ComplaintId, Timestamp};
use bbps_engine::ports::{BbpsError, ComplaintRequest, NetworkComplaint};

use super::status::{complain_txn, query};
use super::{Originator, Stamp, nonsense};
use crate::codes::{
    ComplaintState, ComplaintType, ParticipationType, ResponseCode, ServiceComplaintReason, XchangeId, YesNo,
};
use crate::message::{
    Txn, TxnList, TxnStatusComplainReq, TxnStatusComplainRequest, TxnStatusComplainResp, TxnStatusComplainResponse,
};
use crate::time::WireTime;

pub fn state_of(status: ComplaintStatus) -> ComplaintState {
    match status {
        ComplaintStatus::Logged => ComplaintState::Logged,
        ComplaintStatus::Assigned => ComplaintState::Assigned,
        ComplaintStatus::PendingWithBbpou => ComplaintState::PendingWithBbpou,
        ComplaintStatus::Resolved => ComplaintState::Resolved,
        ComplaintStatus::Reassigned => ComplaintState::Reassigned,
        ComplaintStatus::Escalated => ComplaintState::Escalated,
        ComplaintStatus::PendingRefund => ComplaintState::PendingRefund,
        ComplaintStatus::DefaultResolved => ComplaintState::DefaultResolved,
        ComplaintStatus::Refunded => ComplaintState::Refunded,
        ComplaintStatus::Rejected => ComplaintState::Rejected,
    }
}

pub fn status_of(state: ComplaintState) -> ComplaintStatus {
    match state {
        ComplaintState::Logged => ComplaintStatus::Logged,
        ComplaintState::Assigned => ComplaintStatus::Assigned,
        ComplaintState::PendingWithBbpou => ComplaintStatus::PendingWithBbpou,
        ComplaintState::Resolved => ComplaintStatus::Resolved,
        ComplaintState::Reassigned => ComplaintStatus::Reassigned,
        ComplaintState::Escalated => ComplaintStatus::Escalated,
        ComplaintState::PendingRefund => ComplaintStatus::PendingRefund,
        ComplaintState::DefaultResolved => ComplaintStatus::DefaultResolved,
        ComplaintState::Refunded => ComplaintStatus::Refunded,
        ComplaintState::Rejected => ComplaintStatus::Rejected,
    }
}

pub fn wire_reason(reason: ServiceReason) -> ServiceComplaintReason {
    match reason {
        ServiceReason::AgentOvercharging => ServiceComplaintReason::AgentOvercharging,
        ServiceReason::AgentMisbehaviour => ServiceComplaintReason::AgentMisbehaviour,
        ServiceReason::AgentNotIssuingReceipt => ServiceComplaintReason::AgentNotIssuingReceipt,
        ServiceReason::AgentOutletClosed => ServiceComplaintReason::AgentOutletClosed,
        ServiceReason::AgentRefusingComplaint => ServiceComplaintReason::AgentRefusingComplaint,
        ServiceReason::BillerServiceNotProvided => ServiceComplaintReason::BillerServiceNotProvided,
        ServiceReason::BillerWrongBill => ServiceComplaintReason::BillerWrongBill,
        ServiceReason::BillerPaymentNotUpdated => ServiceComplaintReason::BillerPaymentNotUpdated,
        ServiceReason::BillerUnreachable => ServiceComplaintReason::BillerUnreachable,
    }
}

fn service_reason(reason: ServiceComplaintReason) -> ServiceReason {
    match reason {
        ServiceComplaintReason::AgentOvercharging => ServiceReason::AgentOvercharging,
        ServiceComplaintReason::AgentMisbehaviour => ServiceReason::AgentMisbehaviour,
        ServiceComplaintReason::AgentNotIssuingReceipt => ServiceReason::AgentNotIssuingReceipt,
        ServiceComplaintReason::AgentOutletClosed => ServiceReason::AgentOutletClosed,
        ServiceComplaintReason::AgentRefusingComplaint => ServiceReason::AgentRefusingComplaint,
        ServiceComplaintReason::BillerServiceNotProvided => ServiceReason::BillerServiceNotProvided,
        ServiceComplaintReason::BillerWrongBill => ServiceReason::BillerWrongBill,
        ServiceComplaintReason::BillerPaymentNotUpdated => ServiceReason::BillerPaymentNotUpdated,
        ServiceComplaintReason::BillerUnreachable => ServiceReason::BillerUnreachable,
    }
}

/// Registers a complaint (501).
pub fn complaint_request(req: &ComplaintRequest, from: &Originator, stamp: &Stamp) -> TxnStatusComplainRequest {
    let base = TxnStatusComplainReq {
        description: Some(req.description.clone()),
        mobile: req.customer_mobile.as_ref().map(|m| m.as_str().to_owned()),
        ..query(stamp)
    };
    let q = match &req.subject {
        ComplaintSubject::Transaction { txn_ref, disposition } => TxnStatusComplainReq {
            complaint_type: Some(ComplaintType::Transaction),
            txn_reference_id: Some(txn_ref.clone()),
            disposition: Some(disposition.as_str().to_owned()),
            ..base
        },
        ComplaintSubject::Service { target, reason } => {
            let (participation, agent_id, biller_id) = match target {
                ServiceTarget::Agent { agent_id } => (ParticipationType::Agent, Some(agent_id.clone()), None),
                ServiceTarget::Biller { biller_id } => (ParticipationType::Biller, None, Some(biller_id.clone())),
            };
            TxnStatusComplainReq {
                complaint_type: Some(ComplaintType::Service),
                participation_type: Some(participation),
                agent_id,
                biller_id,
                serv_reason: Some(wire_reason(*reason)),
                ..base
            }
        }
    };
    TxnStatusComplainRequest {
        head: from.head(&stamp.ref_id, stamp.at),
        txn: complain_txn(stamp, XchangeId::ComplaintRegistration),
        query: q,
        date_criteria: None,
    }
}

/// What a registration asks, as the port's type.
pub fn complaint_request_of(req: &TxnStatusComplainRequest) -> Result<ComplaintRequest, String> {
    let q = &req.query;
    let subject = match q.complaint_type {
        Some(ComplaintType::Transaction) => ComplaintSubject::Transaction {
            txn_ref: q.txn_reference_id.clone().ok_or("a transaction complaint names its txnReferenceId")?,
            disposition: Disposition::parse(q.disposition.as_deref().unwrap_or("")).map_err(|e| e.to_string())?,
        },
        Some(ComplaintType::Service) => {
            let target = match (q.participation_type, &q.agent_id, &q.biller_id) {
                (Some(ParticipationType::Agent), Some(agent_id), _) => {
                    ServiceTarget::Agent { agent_id: agent_id.clone() }
                }
                (Some(ParticipationType::Biller), _, Some(biller_id)) => {
                    ServiceTarget::Biller { biller_id: biller_id.clone() }
                }
                _ => return Err("a service complaint names an agent or a biller".into()),
            };
            ComplaintSubject::Service { target, reason: service_reason(q.serv_reason.ok_or("no servReason")?) }
        }
        None => return Err("no complaintType".into()),
    };
    Ok(ComplaintRequest {
        subject,
        description: q.description.clone().unwrap_or_default(),
        customer_mobile: q.mobile.as_deref().and_then(MobileNumber::parse),
    })
}

/// Reopens a closed complaint: a registration (501) naming the complaint, flagged `reopenComplaint="Yes"`, with
/// why the customer is not satisfied.
pub fn reopen_request(
    id: &ComplaintId,
    description: &str,
    from: &Originator,
    stamp: &Stamp,
) -> TxnStatusComplainRequest {
    TxnStatusComplainRequest {
        head: from.head(&stamp.ref_id, stamp.at),
        txn: complain_txn(stamp, XchangeId::ComplaintRegistration),
        query: TxnStatusComplainReq {
            complaint_id: Some(id.clone()),
            description: Some(description.to_owned()),
            reopen_complaint: Some(YesNo::Yes),
            ..query(stamp)
        },
        date_criteria: None,
    }
}

/// The complaint a registration reopens, with the customer's reason; `None` for a new complaint.
pub fn reopening_of(req: &TxnStatusComplainRequest) -> Option<Result<(ComplaintId, String), String>> {
    let q = &req.query;
    (q.reopen_complaint == Some(YesNo::Yes)).then(|| {
        let id = q.complaint_id.clone().ok_or("a reopening names its complaintId")?;
        Ok((id, q.description.clone().unwrap_or_default()))
    })
}

/// Asks where a complaint stands (506).
pub fn track_request(id: &ComplaintId, from: &Originator, stamp: &Stamp) -> TxnStatusComplainRequest {
    TxnStatusComplainRequest {
        head: from.head(&stamp.ref_id, stamp.at),
        txn: complain_txn(stamp, XchangeId::ComplaintStatus),
        query: TxnStatusComplainReq { complaint_id: Some(id.clone()), ..query(stamp) },
        date_criteria: None,
    }
}

/// The complaint an answer describes. The wire tells where a complaint stands now, not its history, so the
/// history is that one step, at the answer's time.
fn complaint_of(answer: &TxnStatusComplainResp, at: Timestamp) -> Result<NetworkComplaint, BbpsError> {
    let id = answer.complaint_id.clone().ok_or_else(|| nonsense("a complaint answer without a complaintId"))?;
    let status = answer.complaint_status.map_or(ComplaintStatus::Logged, status_of);
    let remarks = answer.remarks.clone().or_else(|| answer.response_reason.clone());
    Ok(NetworkComplaint {
        id,
        status,
        assigned_to: answer.assigned.clone(),
        remarks: remarks.clone(),
        history: vec![ComplaintHistoryEntry { status, at, remarks: remarks.unwrap_or_default() }],
        created_at: at,
        updated_at: at,
    })
}

/// A refusal (`responseCode` 200) as the port's: the answer has no compliance code of its own, so a reason that
/// starts with one (`CMP001: No such transaction`, as [`complaint_response`] writes it) gives it; otherwise the
/// code is the response code itself.
fn refused(answer: &TxnStatusComplainResp) -> BbpsError {
    let reason = answer.response_reason.clone().unwrap_or_default();
    let compliance = reason.split_once(": ").filter(|(code, _)| {
        code.len() == 6
            && code[..3].bytes().all(|b| b.is_ascii_uppercase())
            && code[3..].bytes().all(|b| b.is_ascii_digit())
    });
    match compliance {
        Some((code, message)) => BbpsError::Rejected { code: code.to_owned(), message: message.to_owned() },
        None => BbpsError::Rejected { code: ResponseCode::Failure.as_str().to_owned(), message: reason },
    }
}

/// The registered complaint, or the network's refusal.
pub fn registered(resp: &TxnStatusComplainResponse) -> Result<NetworkComplaint, BbpsError> {
    match resp.answer.response_code {
        Some(ResponseCode::Failure) => Err(refused(&resp.answer)),
        _ => complaint_of(&resp.answer, resp.head.ts.instant()),
    }
}

/// The tracked complaint; `None` when the network refuses to say (it does not know the id).
pub fn tracked(resp: &TxnStatusComplainResponse) -> Result<Option<NetworkComplaint>, BbpsError> {
    match resp.answer.response_code {
        Some(ResponseCode::Failure) => Ok(None),
        _ => complaint_of(&resp.answer, resp.head.ts.instant()).map(Some),
    }
}

/// The answer to a registration or a status request: the complaint, or a refusal.
pub fn complaint_response(
    req: &TxnStatusComplainRequest,
    outcome: Result<&NetworkComplaint, (String, String)>,
    from: &Originator,
    at: Timestamp,
) -> TxnStatusComplainResponse {
    let answer = match outcome {
        Ok(c) => TxnStatusComplainResp {
            msg_id: req.query.msg_id.clone(),
            complaint_id: Some(c.id.clone()),
            complaint_status: Some(state_of(c.status)),
            assigned: c.assigned_to.clone(),
            response_code: Some(ResponseCode::Success),
            response_reason: Some("Successful".to_owned()),
            remarks: c.remarks.clone(),
            reopen_complaint: req.query.reopen_complaint,
            txn_list: TxnList::default(),
        },
        Err((code, message)) => TxnStatusComplainResp {
            msg_id: req.query.msg_id.clone(),
            complaint_id: None,
            complaint_status: None,
            assigned: None,
            response_code: Some(ResponseCode::Failure),
            response_reason: Some(format!("{code}: {message}")),
            remarks: None,
            reopen_complaint: req.query.reopen_complaint,
            txn_list: TxnList::default(),
        },
    };
    TxnStatusComplainResponse {
        head: from.head(&req.head.ref_id, at),
        txn: Txn { ts: WireTime::from(at), ..req.txn.clone() },
        answer,
    }
}
