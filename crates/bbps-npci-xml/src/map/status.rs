//! The status of a payment (`TxnStatusComplainRequest`, xchangeId 401), asked by the transaction reference we
//! minted for it.

use bbps_core::{ApprovalRef, Paise, RefId, Timestamp, TxnRef};
use bbps_engine::ports::{BbpsError, PayStatus};

use super::{Originator, Stamp, nonsense};
use crate::codes::{ResponseCode, TxnState, XchangeId};
use crate::message::{
    Txn, TxnDetail, TxnList, TxnStatusComplainReq, TxnStatusComplainRequest, TxnStatusComplainResp,
    TxnStatusComplainResponse,
};
use crate::time::WireTime;

/// `Txn` of a `TxnStatusComplainRequest` of `xchange`.
pub(super) fn complain_txn(stamp: &Stamp, xchange: XchangeId) -> Txn {
    Txn {
        ts: WireTime::from(stamp.at),
        kind: None,
        msg_id: Some(stamp.msg_id.clone()),
        txn_reference_id: None,
        xchange_id: Some(xchange),
    }
}

/// A bare `TxnStatusComplainReq`: what each xchangeId fills in.
pub(super) fn query(stamp: &Stamp) -> TxnStatusComplainReq {
    TxnStatusComplainReq {
        msg_id: stamp.msg_id.clone(),
        complaint_id: None,
        serv_reason: None,
        participation_type: None,
        agent_id: None,
        biller_id: None,
        mobile: None,
        txn_reference_id: None,
        disposition: None,
        description: None,
        complaint_type: None,
        reopen_complaint: None,
    }
}

pub fn status_request(txn_ref: &TxnRef, from: &Originator, stamp: &Stamp) -> TxnStatusComplainRequest {
    TxnStatusComplainRequest {
        head: from.head(&stamp.ref_id, stamp.at),
        txn: complain_txn(stamp, XchangeId::TxnStatus),
        query: TxnStatusComplainReq { txn_reference_id: Some(txn_ref.clone()), ..query(stamp) },
        date_criteria: None,
    }
}

/// The status of the payment `txn_ref`; `None` when the network has no such transaction.
pub fn pay_status_from_list(
    resp: &TxnStatusComplainResponse,
    txn_ref: &TxnRef,
) -> Result<Option<PayStatus>, BbpsError> {
    let Some(detail) = resp.answer.txn_list.details.iter().find(|d| &d.txn_reference_id == txn_ref) else {
        return Ok(None);
    };
    // An empty or malformed approval is no approval: a pending (deemed) payment may not have one yet.
    let approval = detail.approval_ref_num.as_deref().and_then(|a| ApprovalRef::parse(a).ok());
    Ok(Some(match detail.txn_status {
        TxnState::Success => PayStatus::Success {
            txn_ref: txn_ref.clone(),
            approval_ref: approval
                .ok_or_else(|| nonsense(format!("transaction {txn_ref} succeeded without an approval reference")))?,
        },
        TxnState::Pending => PayStatus::Pending { txn_ref: txn_ref.clone(), approval_ref: approval },
        TxnState::Failure => PayStatus::Failed {
            code: detail.compliance_code.clone().unwrap_or_else(|| TxnState::Failure.as_str().to_owned()),
            message: detail.compliance_reason.clone().unwrap_or_default(),
        },
    }))
}

/// What the network knows of one transaction, for [`status_response`].
#[derive(Debug, Clone)]
pub struct KnownTxn {
    pub ref_id: RefId,
    pub txn_ref: TxnRef,
    pub at: Timestamp,
    pub amount: Paise,
    pub status: PayStatus,
}

/// The answer to a status request: the transaction when known, an empty list otherwise.
pub fn status_response(
    req: &TxnStatusComplainRequest,
    known: Option<&KnownTxn>,
    from: &Originator,
    at: Timestamp,
) -> TxnStatusComplainResponse {
    let detail = known.map(|k| {
        let (txn_status, approval, failure) = match &k.status {
            PayStatus::Success { approval_ref, .. } => (TxnState::Success, Some(approval_ref.to_string()), None),
            PayStatus::Pending { approval_ref, .. } => {
                (TxnState::Pending, approval_ref.as_ref().map(ToString::to_string), None)
            }
            PayStatus::Failed { code, message } => (TxnState::Failure, None, Some((code.clone(), message.clone()))),
        };
        TxnDetail {
            agent_id: None,
            biller_id: None,
            ref_id: Some(k.ref_id.clone()),
            approval_ref_num: approval,
            txn_reference_id: k.txn_ref.clone(),
            txn_date: WireTime::from(k.at),
            amount: k.amount,
            txn_status,
            compliance_code: failure.as_ref().map(|f| f.0.clone()),
            compliance_reason: failure.map(|f| f.1),
        }
    });
    TxnStatusComplainResponse {
        head: from.head(&req.head.ref_id, at),
        txn: Txn { ts: WireTime::from(at), ..req.txn.clone() },
        answer: TxnStatusComplainResp {
            msg_id: req.query.msg_id.clone(),
            complaint_id: None,
            complaint_status: None,
            assigned: None,
            response_code: Some(ResponseCode::Success),
            response_reason: Some("Successful".to_owned()),
            remarks: None,
            reopen_complaint: None,
            txn_list: TxnList { details: detail.into_iter().collect() },
        },
    }
}
