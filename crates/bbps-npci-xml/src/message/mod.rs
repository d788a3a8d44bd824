//! The message set of the BBPS XML wire as typed values, one struct per schema type. Reading and writing them is
//! `crate::xml`; turning them into the engine's types and back is `crate::map`.

pub mod ack;
pub mod bill;
pub mod biller;
pub mod biller_status;
pub mod common;
pub mod plan;
pub mod status;

use bbps_core::RefId;

use crate::codes::MessageKind;
use crate::ids::MsgId;

pub use ack::{Ack, ReqDiagnostic, ResDiagnostic};
pub use bill::{
    Amount, Amt, BillFetchRequest, BillFetchResponse, BillPaymentRequest, BillPaymentResponse, BillValidationRequest,
    BillValidationResponse, PaymentMethod,
};
pub use biller::{BillerFetchRequest, BillerFetchResponse, BillerRecord};
pub use biller_status::{BillerStatus, BillerStatusRequest, BillerStatusUpdate};
pub use common::{
    Agent, Analytics, BillDetails, BillerRef, BillerResponse, Customer, Device, ErrorMessage, Head, NamedTag, Reason,
    Tag, Tags, Txn,
};
pub use status::{
    TxnDetail, TxnList, TxnStatusComplainReq, TxnStatusComplainRequest, TxnStatusComplainResp,
    TxnStatusComplainResponse, TxnStatusReq, TxnStatusRequest, TxnStatusResponse,
};

/// Any message of the set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    BillFetchRequest(BillFetchRequest),
    BillFetchResponse(BillFetchResponse),
    BillValidationRequest(BillValidationRequest),
    BillValidationResponse(BillValidationResponse),
    BillPaymentRequest(BillPaymentRequest),
    BillPaymentResponse(BillPaymentResponse),
    TxnStatusRequest(TxnStatusRequest),
    TxnStatusResponse(TxnStatusResponse),
    TxnStatusComplainRequest(TxnStatusComplainRequest),
    TxnStatusComplainResponse(TxnStatusComplainResponse),
    ReqDiagnostic(ReqDiagnostic),
    ResDiagnostic(ResDiagnostic),
    BillerFetchRequest(BillerFetchRequest),
    BillerFetchResponse(BillerFetchResponse),
    PlanPull(plan::BBPSPlanMDMPull),
    PlanPush(plan::BBPSPlanMDMPush),
    BillerStatusRequest(BillerStatusRequest),
    BillerStatusUpdate(BillerStatusUpdate),
    Ack(Ack),
}

impl Message {
    pub fn kind(&self) -> MessageKind {
        match self {
            Message::BillFetchRequest(_) => MessageKind::BillFetchRequest,
            Message::BillFetchResponse(_) => MessageKind::BillFetchResponse,
            Message::BillValidationRequest(_) => MessageKind::BillValidationRequest,
            Message::BillValidationResponse(_) => MessageKind::BillValidationResponse,
            Message::BillPaymentRequest(_) => MessageKind::BillPaymentRequest,
            Message::BillPaymentResponse(_) => MessageKind::BillPaymentResponse,
            Message::TxnStatusRequest(_) => MessageKind::TxnStatusRequest,
            Message::TxnStatusResponse(_) => MessageKind::TxnStatusResponse,
            Message::TxnStatusComplainRequest(_) => MessageKind::TxnStatusComplainRequest,
            Message::TxnStatusComplainResponse(_) => MessageKind::TxnStatusComplainResponse,
            Message::ReqDiagnostic(_) => MessageKind::ReqDiagnostic,
            Message::ResDiagnostic(_) => MessageKind::ResDiagnostic,
            Message::BillerFetchRequest(_) => MessageKind::BillerFetchRequest,
            Message::BillerFetchResponse(_) => MessageKind::BillerFetchResponse,
            Message::PlanPull(_) => MessageKind::PlanPull,
            Message::PlanPush(_) => MessageKind::PlanPush,
            Message::BillerStatusRequest(_) => MessageKind::BillerStatusRequest,
            Message::BillerStatusUpdate(_) => MessageKind::BillerStatusUpdate,
            Message::Ack(_) => MessageKind::Ack,
        }
    }

    /// `Head`; the Ack has none, and the plan messages have a `Head` of their own type.
    pub fn head(&self) -> Option<&Head> {
        Some(match self {
            Message::BillFetchRequest(m) => &m.head,
            Message::BillFetchResponse(m) => &m.head,
            Message::BillValidationRequest(m) => &m.head,
            Message::BillValidationResponse(m) => &m.head,
            Message::BillPaymentRequest(m) => &m.head,
            Message::BillPaymentResponse(m) => &m.head,
            Message::TxnStatusRequest(m) => &m.head,
            Message::TxnStatusResponse(m) => &m.head,
            Message::TxnStatusComplainRequest(m) => &m.head,
            Message::TxnStatusComplainResponse(m) => &m.head,
            Message::ReqDiagnostic(m) => &m.head,
            Message::ResDiagnostic(m) => &m.head,
            Message::BillerFetchRequest(m) => &m.head,
            Message::BillerFetchResponse(m) => &m.head,
            Message::BillerStatusRequest(m) => &m.head,
            Message::BillerStatusUpdate(m) => &m.head,
            Message::PlanPull(_) | Message::PlanPush(_) | Message::Ack(_) => return None,
        })
    }

    pub fn ref_id(&self) -> Option<&RefId> {
        match self {
            Message::PlanPull(m) => Some(&m.head.ref_id),
            Message::PlanPush(m) => Some(&m.head.ref_id),
            _ => self.head().map(|h| &h.ref_id),
        }
    }

    /// `Txn@msgId`, on the kinds that carry a `Txn`; validation, the heartbeat and biller fetch have none and are
    /// matched by refId alone.
    pub fn msg_id(&self) -> Option<&MsgId> {
        let txn = match self {
            Message::BillFetchRequest(m) => &m.txn,
            Message::BillFetchResponse(m) => &m.txn,
            Message::BillPaymentRequest(m) => &m.txn,
            Message::BillPaymentResponse(m) => &m.txn,
            Message::TxnStatusRequest(m) => &m.txn,
            Message::TxnStatusResponse(m) => &m.txn,
            Message::TxnStatusComplainRequest(m) => &m.txn,
            Message::TxnStatusComplainResponse(m) => &m.txn,
            Message::Ack(a) => return a.msg_id.as_ref(),
            _ => return None,
        };
        txn.msg_id.as_ref()
    }
}
