//! The parts every message shares, in the order and with the names of the schemas' `BBPS-Common.xsd`. Attributes
//! are the fields renamed `@…` and come first, as the serializer needs; child elements follow in schema order.

use bbps_core::{AgentId, BillerId, Paise, RefId, TxnRef};
use serde::{Deserialize, Serialize};

use crate::codes::{AnalyticsTag, DeviceTag, ResponseCode, TxnType, XchangeId};
use crate::ids::{InstitutionId, MsgId};
use crate::time::{WireDate, WireTime};

/// `Head`: on every message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    #[serde(rename = "@ver")]
    pub ver: String,
    #[serde(rename = "@ts")]
    pub ts: WireTime,
    #[serde(rename = "@origInst")]
    pub orig_inst: InstitutionId,
    /// One bill's fetch and payment share it; every other request has its own.
    #[serde(rename = "@refId")]
    pub ref_id: RefId,
}

/// `Txn`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Txn {
    #[serde(rename = "@ts")]
    pub ts: WireTime,
    #[serde(rename = "@type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<TxnType>,
    #[serde(rename = "@msgId", default, skip_serializing_if = "Option::is_none")]
    pub msg_id: Option<MsgId>,
    #[serde(rename = "@txnReferenceId", default, skip_serializing_if = "Option::is_none")]
    pub txn_reference_id: Option<TxnRef>,
    #[serde(rename = "@xchangeId", default, skip_serializing_if = "Option::is_none")]
    pub xchange_id: Option<XchangeId>,
}

/// A free `name`/`value` pair: customer params, bill details, payment information.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    #[serde(rename = "@name")]
    pub name: String,
    #[serde(rename = "@value")]
    pub value: String,
}

impl Tag {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Tag {
        Tag { name: name.into(), value: value.into() }
    }
}

/// A pair whose name is from a closed set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedTag<N> {
    #[serde(rename = "@name")]
    pub name: N,
    #[serde(rename = "@value")]
    pub value: String,
}

/// `Analytics`: exactly two tags, the start and the end of a fetch or a payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Analytics {
    #[serde(rename = "Tag")]
    pub tags: Vec<NamedTag<AnalyticsTag>>,
}

impl Analytics {
    pub fn span(start_name: AnalyticsTag, start: WireTime, end_name: AnalyticsTag, end: WireTime) -> Analytics {
        Analytics {
            tags: vec![
                NamedTag { name: start_name, value: start.to_string() },
                NamedTag { name: end_name, value: end.to_string() },
            ],
        }
    }
}

/// `Customer`: the customer's mobile number and optional identity tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    #[serde(rename = "@mobile")]
    pub mobile: String,
    #[serde(rename = "Tag", default)]
    pub tags: Vec<Tag>,
}

/// `Agent`: our agent id and the initiating channel's device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    #[serde(rename = "@id")]
    pub id: AgentId,
    #[serde(rename = "Device")]
    pub device: Device,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    #[serde(rename = "Tag")]
    pub tags: Vec<NamedTag<DeviceTag>>,
}

/// `BillDetails`: which biller, and the customer params that name the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillDetails {
    #[serde(rename = "Biller")]
    pub biller: BillerRef,
    #[serde(rename = "CustomerParams")]
    pub customer_params: Tags,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillerRef {
    #[serde(rename = "@id")]
    pub id: BillerId,
}

/// An element that is only a list of `Tag`s (`CustomerParams`, `AdditionalInfo`, `PaymentInformation`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Tags {
    #[serde(rename = "Tag", default)]
    pub tags: Vec<Tag>,
}

impl Tags {
    pub fn new(tags: Vec<Tag>) -> Tags {
        Tags { tags }
    }
}

/// `BillerResponse`: the bill as the biller sent it. A payment echoes it unchanged; its tags are the amount
/// options (name and amount in paise).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillerResponse {
    #[serde(rename = "@customerName", default, skip_serializing_if = "Option::is_none")]
    pub customer_name: Option<String>,
    #[serde(rename = "@amount")]
    pub amount: Paise,
    #[serde(rename = "@dueDate", default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<WireDate>,
    #[serde(rename = "@custConvFee", default, skip_serializing_if = "Option::is_none")]
    pub cust_conv_fee: Option<Paise>,
    #[serde(rename = "@billDate", default, skip_serializing_if = "Option::is_none")]
    pub bill_date: Option<WireDate>,
    #[serde(rename = "@billNumber", default, skip_serializing_if = "Option::is_none")]
    pub bill_number: Option<String>,
    #[serde(rename = "@billPeriod", default, skip_serializing_if = "Option::is_none")]
    pub bill_period: Option<String>,
    #[serde(rename = "Tag", default)]
    pub tags: Vec<Tag>,
}

/// `Reason`: how a request went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// The biller's approval reference of a paid bill; empty otherwise.
    #[serde(rename = "@approvalRefNum")]
    pub approval_ref_num: String,
    #[serde(rename = "@responseCode")]
    pub response_code: ResponseCode,
    #[serde(rename = "@responseReason")]
    pub response_reason: String,
    /// The failure's code, e.g. `BFR004`.
    #[serde(rename = "@complianceRespCd", default, skip_serializing_if = "Option::is_none")]
    pub compliance_code: Option<String>,
    #[serde(rename = "@complianceReason", default, skip_serializing_if = "Option::is_none")]
    pub compliance_reason: Option<String>,
}

/// `errorMessages` of an Ack or a diagnostic response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorMessage {
    #[serde(rename = "errorCd")]
    pub code: String,
    #[serde(rename = "errorDtl")]
    pub detail: String,
}
