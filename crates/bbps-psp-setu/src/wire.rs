//! The JSON of Setu's UPI DeepLinks API (v2, OAuth), as its public documentation describes it: the request and
//! answer bodies the adapter exchanges and the notifications Setu posts. The sandbox's simulator serves the same
//! types, so both sides read and write one definition; `tests/documented.rs` holds them to the documentation's
//! own samples.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Every answer: `{status, success, data}` or `{status, success, error}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    pub status: u16,
    pub success: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

impl<T> Envelope<T> {
    pub fn ok(data: T) -> Envelope<T> {
        Envelope { status: 200, success: true, data: Some(data), error: None }
    }

    pub fn failed(status: u16, code: &str, detail: &str) -> Envelope<T> {
        Envelope {
            status,
            success: false,
            data: None,
            error: Some(ErrorBody {
                code: code.to_owned(),
                title: String::new(),
                detail: detail.to_owned(),
                doc_url: String::new(),
                trace_id: String::new(),
            }),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    pub code: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub detail: String,
    #[serde(default, alias = "docURL")]
    pub doc_url: String,
    #[serde(default, alias = "traceID")]
    pub trace_id: String,
}

/// The error code a refund beyond what is left of a debit is refused with. Setu's documentation names no code for
/// it; this is the simulator's, and the adapter reads it as "nothing left to refund".
pub const REFUND_EXCEEDS_PAID: &str = "refund-exceeds-amount-paid";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRequest {
    #[serde(rename = "clientID")]
    pub client_id: String,
    pub secret: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Token {
    /// Seconds.
    pub expires_in: u64,
    pub token: String,
}

/// An amount in paise. The API reference requires only `value`; an absent `currencyCode` is INR, the only one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Amount {
    pub value: u64,
    #[serde(default)]
    pub currency_code: Currency,
}

impl Amount {
    pub fn inr(paise: u64) -> Amount {
        Amount { value: paise, currency_code: Currency::Inr }
    }
}

bbps_core::wire_enum! {
    #[derive(Default)]
    pub enum Currency {
        #[default]
        Inr = "INR",
    }
}

bbps_core::wire_enum! {
    /// Which paid amounts a link accepts.
    pub enum AmountExactness {
        Exact = "EXACT",
        ExactDown = "EXACT_DOWN",
        Any = "ANY",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateLink {
    #[serde(rename = "billerBillID")]
    pub biller_bill_id: String,
    pub amount: Amount,
    pub amount_exactness: AmountExactness,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_note: Option<String>,
    /// RFC 3339; after it a payment is refused and refunded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_date: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub additional_info: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentLink {
    #[serde(rename = "shortURL", default)]
    pub short_url: String,
    #[serde(rename = "upiID")]
    pub upi_id: String,
    pub upi_link: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedLink {
    #[serde(default)]
    pub name: String,
    pub payment_link: PaymentLink,
    #[serde(rename = "platformBillID")]
    pub platform_bill_id: String,
}

bbps_core::wire_enum! {
    /// A link's status (and a fulfilment notification's).
    pub enum BillStatus {
        BillCreated = "BILL_CREATED",
        PaymentSuccessful = "PAYMENT_SUCCESSFUL",
        /// Paid, but refused by Setu's checks: the money is refunded by Setu.
        PaymentFailed = "PAYMENT_FAILED",
        CreditReceived = "CREDIT_RECEIVED",
        SettlementSuccessful = "SETTLEMENT_SUCCESSFUL",
        SettlementFailed = "SETTLEMENT_FAILED",
        BillExpired = "BILL_EXPIRED",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub date: String,
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkStatus {
    #[serde(default)]
    pub amount_paid: Option<Amount>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub expires_at: Option<String>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub payer_vpa: Option<String>,
    pub payment_link: PaymentLink,
    #[serde(rename = "platformBillID")]
    pub platform_bill_id: String,
    #[serde(rename = "billerBillID", default)]
    pub biller_bill_id: String,
    #[serde(default)]
    pub receipt: Option<Receipt>,
    pub status: BillStatus,
    #[serde(default)]
    pub additional_info: BTreeMap<String, String>,
}

/// Setu's sandbox trigger that mocks a payer paying a link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddCredit {
    /// Rupees (the documentation's float).
    pub amount: f64,
    #[serde(rename = "type")]
    pub kind: String,
    pub destination_account: Account,
    pub source_account: Account,
    /// The link's `platformBillID`.
    pub transaction_reference: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    #[serde(rename = "accountID")]
    pub account_id: String,
}

bbps_core::wire_enum! {
    pub enum RefundType {
        Full = "FULL",
        Partial = "PARTIAL",
    }
}

bbps_core::wire_enum! {
    pub enum IdentifierType {
        BillId = "BILL_ID",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundItem {
    pub seq_no: u32,
    pub identifier: String,
    pub identifier_type: IdentifierType,
    pub refund_type: RefundType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_amount: Option<Amount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundBatch {
    pub refunds: Vec<RefundItem>,
}

bbps_core::wire_enum! {
    pub enum RefundStatus {
        Created = "Created",
        Pending = "Pending",
        /// Sent to the bank: the last status a refund has.
        Initiated = "Initiated",
        Rejected = "Rejected",
    }
}

/// One refund of a batch. An item Setu refused carries only `seqNo`, `success: false` and the error's `code`,
/// `title` and `detail`, so everything else is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
    #[serde(rename = "billID", default, skip_serializing_if = "Option::is_none")]
    pub bill_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<RefundStatus>,
    #[serde(rename = "transactionRefID", default, skip_serializing_if = "Option::is_none")]
    pub transaction_ref_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq_no: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A refund batch: what creating one answers, and what its status answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundBatchStatus {
    pub refunds: Vec<RefundEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedRefunds {
    #[serde(rename = "batchID")]
    pub batch_id: String,
    pub refunds: Vec<RefundEntry>,
}

/// A notification Setu posts to `<callback URL>/notifications`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    pub partner_details: PartnerDetails,
    pub events: Vec<Event>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerDetails {
    #[serde(rename = "appID")]
    pub app_id: String,
    #[serde(rename = "productInstanceID")]
    pub product_instance_id: String,
}

bbps_core::wire_enum! {
    pub enum EventType {
        BillFulfilmentStatus = "BILL_FULFILMENT_STATUS",
        PaymentAttemptFailed = "PAYMENT_ATTEMPT_FAILED",
        BillSettlementStatus = "BILL_SETTLEMENT_STATUS",
        RefundStatus = "REFUND_STATUS",
    }
}

/// One event; its `data` is read by its `type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub data: serde_json::Value,
    pub time_stamp: i64,
    #[serde(rename = "type")]
    pub kind: EventType,
    pub id: String,
}

/// The data of a `BILL_FULFILMENT_STATUS` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fulfilment {
    #[serde(rename = "Reason", default)]
    pub reason: String,
    pub amount_paid: Amount,
    #[serde(rename = "billerBillID", default)]
    pub biller_bill_id: String,
    #[serde(default)]
    pub payer_vpa: Option<String>,
    #[serde(rename = "platformBillID")]
    pub platform_bill_id: String,
    #[serde(default)]
    pub receipt_id: Option<String>,
    pub status: BillStatus,
    pub transaction_id: String,
    #[serde(default)]
    pub transaction_note: Option<String>,
    #[serde(default)]
    pub additional_info: BTreeMap<String, String>,
}

/// The data of a `PAYMENT_ATTEMPT_FAILED` event: no money moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttemptFailed {
    #[serde(default)]
    pub npci_status_code: String,
    #[serde(default)]
    pub npci_status_reason: String,
    #[serde(rename = "platformBillID")]
    pub platform_bill_id: String,
    #[serde(default)]
    pub setu_description: String,
    #[serde(default)]
    pub transaction_id: String,
}

/// The data of a `REFUND_STATUS` event: refunds by where they stand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundNotice {
    pub amount_refunded: Amount,
    pub refunds: RefundsByStatus,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundsByStatus {
    #[serde(rename = "Initiated", default)]
    pub initiated: Vec<NoticedRefund>,
    #[serde(rename = "Pending", default)]
    pub pending: Vec<NoticedRefund>,
    #[serde(rename = "Rejected", default)]
    pub rejected: Vec<NoticedRefund>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NoticedRefund {
    pub amount: Amount,
    #[serde(rename = "batchID", default)]
    pub batch_id: String,
    #[serde(rename = "billID")]
    pub bill_id: String,
    #[serde(default)]
    pub reason: String,
    /// The refunded payment's transaction id.
    #[serde(rename = "transactionID", default)]
    pub transaction_id: String,
    #[serde(rename = "type")]
    pub kind: RefundKind,
}

bbps_core::wire_enum! {
    pub enum RefundKind {
        MerchantInitiated = "MerchantInitiated",
        SetuInitiated = "SetuInitiated",
    }
}

/// The `Reason` texts of a refused (`PAYMENT_FAILED`) payment, as Setu's notification documentation lists them.
pub mod reason {
    pub const AMOUNT_VALIDATION_FAILED: &str = "Amount validation failed";
    pub const LINK_EXPIRED: &str = "Payment link has expired";
    pub const ADDRESS_INACTIVE: &str = "Payment address inactive";
}
