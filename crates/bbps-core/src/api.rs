//! Request and response bodies of the HTTP API, shared by the server (which produces them) and the widget (which
//! consumes them). Amounts are integer paise, instants are RFC 3339 with zone, dates are `YYYY-MM-DD`.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::amount::AmountBounds;
use crate::biller::{Biller, Category, Channel, Coverage, Exactness, FetchRequirement};
use crate::clock::Timestamp;
use crate::complaint::{ComplaintStatus, Disposition, ServiceReason, ServiceTarget};
use crate::fee::Charges;
use crate::ids::{ApprovalRef, BillerId, ComplaintId, PaymentId, QuoteId, RefId, TxnRef};
use crate::money::Paise;
use crate::payment::PaymentStatus;
use crate::upi::{UpiTxnRef, Vpa};
use crate::validation::ParamValues;

/// An Indian mobile number: ten digits starting with 6–9.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(value_type = String, example = "9876543210", pattern = "^[6-9][0-9]{9}$")
)]
#[serde(try_from = "String", into = "String")]
pub struct MobileNumber(String);

impl MobileNumber {
    /// Accepts what people type (`+91 98765 43210`, `098765-43210`) and keeps the ten digits.
    pub fn parse(input: &str) -> Option<MobileNumber> {
        let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')')).collect();
        let digits = digits.strip_prefix("+91").or_else(|| digits.strip_prefix("0")).unwrap_or(&digits);
        let ok = digits.len() == 10
            && digits.bytes().all(|b| b.is_ascii_digit())
            && matches!(digits.as_bytes()[0], b'6'..=b'9');
        ok.then(|| MobileNumber(digits.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `98xxxxxx10`: how a mobile number appears on screens other than its owner's receipt.
    pub fn masked(&self) -> String {
        format!("{}xxxxxx{}", &self.0[..2], &self.0[8..])
    }
}

impl TryFrom<String> for MobileNumber {
    type Error = String;
    fn try_from(s: String) -> Result<MobileNumber, String> {
        MobileNumber::parse(&s).ok_or_else(|| "a mobile number must be 10 digits starting with 6, 7, 8 or 9".to_owned())
    }
}

impl From<MobileNumber> for String {
    fn from(m: MobileNumber) -> String {
        m.0
    }
}

// ---- sessions -------------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateSessionRequest {
    /// The merchant's publishable key, `pk_test_…` or `pk_live_…`.
    pub publishable_key: String,
    /// The origin of the page embedding the widget's iframe (the loader passes it; the widget reads it from
    /// `location.ancestorOrigins`). Checked against the merchant's allowed origins. Absent when the widget runs
    /// on the merchant's own page, where the request's `Origin` header is checked instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_origin: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Sandbox network and PSP; no real money moves.
    Test,
    Live,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    /// Bearer token for every widget call (`Authorization: Bearer …`).
    pub token: String,
    pub expires_at: Timestamp,
    pub merchant_name: String,
    pub mode: Mode,
}

// ---- catalogue ------------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryList {
    pub categories: Vec<Category>,
}

/// What a biller list shows; the full rules come from the biller's own endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillerSummary {
    pub id: BillerId,
    pub name: String,
    pub alias: Option<String>,
    pub category: String,
    pub coverage: Coverage,
    pub fetch_requirement: FetchRequirement,
}

impl From<&Biller> for BillerSummary {
    fn from(b: &Biller) -> BillerSummary {
        BillerSummary {
            id: b.id.clone(),
            name: b.name.clone(),
            alias: b.alias.clone(),
            category: b.category.clone(),
            coverage: b.coverage.clone(),
            fetch_requirement: b.fetch_requirement,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillerPage {
    pub items: Vec<BillerSummary>,
    pub total: u32,
    pub page: u32,
    pub per_page: u32,
}

// ---- bill fetch, validation ------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FetchBillRequest {
    pub biller_id: BillerId,
    /// Customer params by `paramName`.
    #[cfg_attr(feature = "openapi", schema(value_type = std::collections::BTreeMap<String, String>))]
    pub params: ParamValues,
    pub channel: Channel,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AmountOption {
    /// e.g. `Early Payment Amount`, `Late Payment Amount`.
    pub name: String,
    pub amount: Paise,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InfoItem {
    pub name: String,
    pub value: String,
}

/// A fetched bill, exactly as the biller sent it; the payment echoes it unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bill {
    pub amount: Paise,
    pub customer_name: Option<String>,
    pub bill_number: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub bill_date: Option<Date>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub due_date: Option<Date>,
    pub bill_period: Option<String>,
    pub amount_options: Vec<AmountOption>,
    pub additional_info: Vec<InfoItem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuoteKind {
    /// A bill fetched from the biller.
    Fetched,
    /// The account was validated (no bill); the customer chooses the amount.
    Validated,
}

/// A fetched or validated bill that a payment references. It carries the `refId` that fetch and payment share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillQuote {
    pub id: QuoteId,
    pub kind: QuoteKind,
    pub ref_id: RefId,
    pub biller_id: BillerId,
    pub biller_name: String,
    /// The params as accepted (trimmed, in the biller's order).
    pub params: Vec<InfoItem>,
    pub bill: Option<Bill>,
    /// Customer name from a validation response (a fetched bill has it in `bill`).
    pub customer_name: Option<String>,
    pub exactness: Option<Exactness>,
    /// What may be paid against the bill amount (amount options have their own bounds, same rules).
    pub amount_bounds: AmountBounds,
    pub expires_at: Timestamp,
}

// ---- payments -------------------------------------------------------------------------------------------------

/// What a payment pays: a quote from a fetch or validation, or a direct payment to a biller that does not fetch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PaymentSource {
    Quote {
        quote_id: QuoteId,
        /// The chosen amount option of the bill, by name; absent for the bill amount itself.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        amount_option: Option<String>,
    },
    Direct {
        biller_id: BillerId,
        #[cfg_attr(feature = "openapi", schema(value_type = std::collections::BTreeMap<String, String>))]
        params: ParamValues,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatePaymentRequest {
    pub source: PaymentSource,
    /// The bill amount the customer pays, without the convenience fee (the server adds it).
    pub amount: Paise,
    /// For the receipt and for tracking.
    pub customer_mobile: MobileNumber,
    pub channel: Channel,
}

/// How to pay: the UPI link for an intent, the same link as the QR payload, and who is paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpiInstructions {
    /// `upi://pay?…`
    pub link: String,
    /// What the QR code encodes (the same link).
    pub qr_payload: String,
    pub payee_vpa: Vpa,
    pub payee_name: String,
    pub txn_ref: UpiTxnRef,
    pub amount: Paise,
    pub expires_at: Timestamp,
}

/// The receipt of a completed bill payment: every field NPCI's front-end guidelines require.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Receipt {
    pub txn_ref: TxnRef,
    pub approval_ref: ApprovalRef,
    pub biller_id: BillerId,
    pub biller_name: String,
    pub customer_name: Option<String>,
    pub params: Vec<InfoItem>,
    pub bill_number: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub bill_date: Option<Date>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub due_date: Option<Date>,
    pub bill_amount: Paise,
    pub convenience_fee: Paise,
    pub total: Paise,
    /// Always `UPI` here.
    pub payment_mode: String,
    pub channel: Channel,
    pub paid_at: Timestamp,
    pub customer_mobile: MobileNumber,
    /// The UPI reference (RRN) of the debit.
    pub upi_rrn: Option<String>,
    /// `SUCCESS`, or `PENDING` while a deemed payment settles.
    pub status: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RefundStatus {
    Pending,
    Refunded,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefundInfo {
    pub status: RefundStatus,
    pub amount: Paise,
    /// Why the money goes back (`bill_payment_failed`, `amount_mismatch`, `paid_after_expiry`).
    pub reason: String,
    /// The PSP's refund reference once it has one.
    pub reference: Option<String>,
    pub refunded_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentFailure {
    /// A stable code: `upi_declined`, `upi_failed`, `bill_payment_failed`, `expired`, `amount_mismatch`.
    pub code: String,
    pub message: String,
    /// The network's response code when BBPS refused the bill payment.
    pub bbps_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Payment {
    pub id: PaymentId,
    pub status: PaymentStatus,
    pub ref_id: RefId,
    pub biller_id: BillerId,
    pub biller_name: String,
    pub charges: Charges,
    pub customer_mobile: MobileNumber,
    pub channel: Channel,
    /// Present while the payment waits for the payer.
    pub upi: Option<UpiInstructions>,
    pub receipt: Option<Receipt>,
    pub failure: Option<PaymentFailure>,
    pub refund: Option<RefundInfo>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A push event on a payment's stream (server-sent events, event name `payment`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentEvent {
    pub payment: Payment,
}

// ---- tracking ---------------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransactionSummary {
    pub payment_id: PaymentId,
    pub txn_ref: Option<TxnRef>,
    pub biller_id: BillerId,
    pub biller_name: String,
    pub status: PaymentStatus,
    pub charges: Charges,
    pub customer_mobile_masked: String,
    pub created_at: Timestamp,
    pub paid_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransactionList {
    pub items: Vec<TransactionSummary>,
}

/// Longest date range a lookup by mobile number may span.
pub const MAX_TRACK_RANGE_DAYS: i64 = 90;

// ---- complaints -------------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RaiseComplaintRequest {
    Transaction { txn_ref: TxnRef, disposition: Disposition, description: String },
    Service { target: ServiceTarget, reason: ServiceReason, description: String, customer_mobile: MobileNumber },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComplaintHistoryEntry {
    pub status: ComplaintStatus,
    pub at: Timestamp,
    pub remarks: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ComplaintSubject {
    Transaction { txn_ref: TxnRef, disposition: Disposition },
    Service { target: ServiceTarget, reason: ServiceReason },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Complaint {
    pub id: ComplaintId,
    pub subject: ComplaintSubject,
    pub description: String,
    pub status: ComplaintStatus,
    /// Who handles it now (the biller's or the agent's BBPOU).
    pub assigned_to: Option<String>,
    pub remarks: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub history: Vec<ComplaintHistoryEntry>,
}

// ---- merchant server API -----------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentList {
    pub items: Vec<Payment>,
    /// Pass as `starting_after` for the next page; absent on the last page.
    pub next_cursor: Option<PaymentId>,
}

/// The body of a merchant webhook. The `BBPS-Signature` header carries `t=<unix seconds>,v1=<hex HMAC-SHA256
/// of "t.body" under the merchant's webhook secret>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookEvent {
    /// Unique per event; a receiver de-duplicates by it.
    pub id: String,
    /// `payment.completed`, `payment.refunded`, `payment.failed`, `payment.expired`.
    #[serde(rename = "type")]
    pub event_type: String,
    pub created_at: Timestamp,
    pub data: Payment,
}

/// Where a webhook delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WebhookDeliveryStatus {
    /// Not delivered yet; `next_attempt_at` says when it is tried again.
    Pending,
    /// The merchant's endpoint answered 2xx.
    Delivered,
    /// Every attempt failed; no more are made.
    Failed,
}

/// One attempt to deliver a webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookAttempt {
    /// 1-based.
    pub attempt: u32,
    pub at: Timestamp,
    /// The HTTP status the endpoint answered, if it answered.
    pub status_code: Option<u16>,
    /// Why the attempt failed (connection refused, timeout, non-2xx answer).
    pub error: Option<String>,
}

/// A webhook event and its delivery to the merchant's endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookDelivery {
    /// The `WebhookEvent.id` delivered.
    pub event_id: String,
    pub event_type: String,
    pub payment_id: PaymentId,
    pub url: String,
    pub status: WebhookDeliveryStatus,
    pub attempts: Vec<WebhookAttempt>,
    pub next_attempt_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookDeliveryList {
    pub items: Vec<WebhookDelivery>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers() {
        assert_eq!(MobileNumber::parse("+91 98765 43210").unwrap().as_str(), "9876543210");
        assert_eq!(MobileNumber::parse("098765-43210").unwrap().as_str(), "9876543210");
        assert!(MobileNumber::parse("5876543210").is_none());
        assert!(MobileNumber::parse("98765").is_none());
        assert!(MobileNumber::parse("98765432ab").is_none());
        assert_eq!(MobileNumber::parse("9876543210").unwrap().masked(), "98xxxxxx10");
        assert!(serde_json::from_str::<MobileNumber>("\"1234\"").is_err());
    }

    #[test]
    fn payment_source_is_tagged() {
        let src: PaymentSource =
            serde_json::from_str(r#"{"kind":"quote","quote_id":"quo_abcdefghijklmnopqrstuvwx"}"#).unwrap();
        assert!(matches!(src, PaymentSource::Quote { amount_option: None, .. }));
        let bill: Bill = serde_json::from_str(
            r#"{"amount":100,"customer_name":null,"bill_number":null,"bill_date":"2026-11-01","due_date":null,
                "bill_period":null,"amount_options":[],"additional_info":[]}"#,
        )
        .unwrap();
        assert_eq!(bill.bill_date, Some(time::macros::date!(2026 - 11 - 01)));
        assert!(serde_json::to_string(&bill).unwrap().contains(r#""bill_date":"2026-11-01""#));
    }
}
