//! Transaction status and complaints (`TxnStatus*.xsd`, `TxnStatusComplain*.xsd`).

use bbps_core::{AgentId, BillerId, ComplaintId, Paise, RefId, TxnRef};
use serde::{Deserialize, Serialize};

use super::common::{BillDetails, BillerResponse, Head, Reason, Tags, Txn};
use crate::codes::{ComplaintState, ComplaintType, ParticipationType, ServiceComplaintReason, TxnState, YesNo};
use crate::ids::MsgId;
use crate::time::WireTime;

/// The schemas' "402" status request: one transaction by its reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxnStatusRequest {
    #[serde(rename = "Head")]
    pub head: Head,
    #[serde(rename = "Txn")]
    pub txn: Txn,
    #[serde(rename = "TxnStatusReq")]
    pub query: TxnStatusReq,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxnStatusReq {
    #[serde(rename = "@msgId", default, skip_serializing_if = "Option::is_none")]
    pub msg_id: Option<MsgId>,
    #[serde(rename = "@txnReferenceId")]
    pub txn_reference_id: TxnRef,
}

/// Shaped like a payment response: the transaction's `Reason`, `Txn` and bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxnStatusResponse {
    #[serde(rename = "Head")]
    pub head: Head,
    #[serde(rename = "Reason")]
    pub reason: Reason,
    #[serde(rename = "Txn")]
    pub txn: Txn,
    #[serde(rename = "BillDetails")]
    pub bill_details: BillDetails,
    #[serde(rename = "BillerResponse")]
    pub biller_response: BillerResponse,
    #[serde(rename = "AdditionalInfo", default, skip_serializing_if = "Option::is_none")]
    pub additional_info: Option<Tags>,
}

/// Transaction status (401), complaint registration (501) or complaint status (506), by `Txn@xchangeId`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxnStatusComplainRequest {
    #[serde(rename = "Head")]
    pub head: Head,
    #[serde(rename = "Txn")]
    pub txn: Txn,
    #[serde(rename = "TxnStatusComplainReq")]
    pub query: TxnStatusComplainReq,
    #[serde(rename = "TxnSearchDateCriteria", default, skip_serializing_if = "Option::is_none")]
    pub date_criteria: Option<TxnSearchDateCriteria>,
}

/// What is asked or complained about; which attributes are set depends on the `xchangeId`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxnStatusComplainReq {
    #[serde(rename = "@msgId")]
    pub msg_id: MsgId,
    #[serde(rename = "@complaintId", default, skip_serializing_if = "Option::is_none")]
    pub complaint_id: Option<ComplaintId>,
    #[serde(rename = "@servReason", default, skip_serializing_if = "Option::is_none")]
    pub serv_reason: Option<ServiceComplaintReason>,
    #[serde(rename = "@participationType", default, skip_serializing_if = "Option::is_none")]
    pub participation_type: Option<ParticipationType>,
    #[serde(rename = "@agentId", default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<AgentId>,
    #[serde(rename = "@billerId", default, skip_serializing_if = "Option::is_none")]
    pub biller_id: Option<BillerId>,
    #[serde(rename = "@mobile", default, skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
    #[serde(rename = "@txnReferenceId", default, skip_serializing_if = "Option::is_none")]
    pub txn_reference_id: Option<TxnRef>,
    /// A dispute code of a transaction complaint (`D11`).
    #[serde(rename = "@disposition", default, skip_serializing_if = "Option::is_none")]
    pub disposition: Option<String>,
    #[serde(rename = "@description", default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(rename = "@complaintType", default, skip_serializing_if = "Option::is_none")]
    pub complaint_type: Option<ComplaintType>,
    /// `Yes` on a registration (501) that reopens the closed complaint `complaintId`.
    #[serde(rename = "@reopenComplaint", default, skip_serializing_if = "Option::is_none")]
    pub reopen_complaint: Option<YesNo>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxnSearchDateCriteria {
    #[serde(rename = "@fromDate")]
    pub from_date: String,
    #[serde(rename = "@toDate")]
    pub to_date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxnStatusComplainResponse {
    #[serde(rename = "Head")]
    pub head: Head,
    #[serde(rename = "Txn")]
    pub txn: Txn,
    #[serde(rename = "TxnStatusComplainResp")]
    pub answer: TxnStatusComplainResp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxnStatusComplainResp {
    #[serde(rename = "@msgId")]
    pub msg_id: MsgId,
    #[serde(rename = "@complaintId", default, skip_serializing_if = "Option::is_none")]
    pub complaint_id: Option<ComplaintId>,
    #[serde(rename = "@complaintStatus", default, skip_serializing_if = "Option::is_none")]
    pub complaint_status: Option<ComplaintState>,
    /// Who handles the complaint now.
    #[serde(rename = "@assigned", default, skip_serializing_if = "Option::is_none")]
    pub assigned: Option<String>,
    #[serde(rename = "@responseCode", default, skip_serializing_if = "Option::is_none")]
    pub response_code: Option<crate::codes::ResponseCode>,
    #[serde(rename = "@responseReason", default, skip_serializing_if = "Option::is_none")]
    pub response_reason: Option<String>,
    #[serde(rename = "@remarks", default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
    /// `Yes` when the answer is to a reopening.
    #[serde(rename = "@reopenComplaint", default, skip_serializing_if = "Option::is_none")]
    pub reopen_complaint: Option<YesNo>,
    #[serde(rename = "TxnList")]
    pub txn_list: TxnList,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TxnList {
    #[serde(rename = "TxnDetail", default)]
    pub details: Vec<TxnDetail>,
}

/// One transaction in the answer to a status request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxnDetail {
    #[serde(rename = "@agentId", default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<AgentId>,
    #[serde(rename = "@billerId", default, skip_serializing_if = "Option::is_none")]
    pub biller_id: Option<BillerId>,
    #[serde(rename = "@refId", default, skip_serializing_if = "Option::is_none")]
    pub ref_id: Option<RefId>,
    #[serde(rename = "@approvalRefNum", default, skip_serializing_if = "Option::is_none")]
    pub approval_ref_num: Option<String>,
    #[serde(rename = "@txnReferenceId")]
    pub txn_reference_id: TxnRef,
    #[serde(rename = "@txnDate")]
    pub txn_date: WireTime,
    #[serde(rename = "@amount")]
    pub amount: Paise,
    #[serde(rename = "@txnStatus")]
    pub txn_status: TxnState,
    #[serde(rename = "@complianceRespCd", default, skip_serializing_if = "Option::is_none")]
    pub compliance_code: Option<String>,
    #[serde(rename = "@complianceReason", default, skip_serializing_if = "Option::is_none")]
    pub compliance_reason: Option<String>,
}
