//! Request and response bodies of the HTTP API, shared by the server (which produces them) and the widget (which
//! consumes them). Amounts are integer paise, instants are RFC 3339 with zone, dates are `YYYY-MM-DD`.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::amount::{AmountBounds, AmountRule};
use crate::bill_list::{BillChoiceError, BillItem, BillList};
use crate::biller::{Biller, Category, Channel, Coverage, Exactness, FetchRequirement, PaymentMode};
use crate::clock::{IST, Timestamp};
use crate::complaint::{ComplaintStatus, Disposition, REOPEN_WINDOW, ServiceReason, ServiceTarget, TicketType};
use crate::fee::Charges;
use crate::ids::{
    ApprovalRef, BillerId, ClientSecret, ComplaintId, OtpChallengeId, PaymentId, PlanId, QuoteId, RefId, TxnRef,
    WebhookUrl,
};
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

crate::wire_enum! {
    pub enum Mode {
        /// Sandbox network and PSP; no real money moves.
        Test = "test",
        Live = "live",
    }
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
    /// Set when the biller takes no bills now: not before this instant (not effective yet, or paused).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unavailable_until: Option<Timestamp>,
}

impl BillerSummary {
    /// The summary of `b` as it stands at `now`.
    pub fn at(b: &Biller, now: Timestamp) -> BillerSummary {
        let unavailable_until = match b.availability.at(now) {
            crate::biller::Open::Until(t) => Some(t),
            crate::biller::Open::Open | crate::biller::Open::Ended => None,
        };
        BillerSummary {
            id: b.id.clone(),
            name: b.name.clone(),
            alias: b.alias.clone(),
            category: b.category.clone(),
            coverage: b.coverage.clone(),
            fetch_requirement: b.fetch_requirement,
            unavailable_until,
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
    /// The customer's mobile number. The BBPS fetch request carries it (`Customer@mobile`): a network that needs it
    /// refuses a fetch without it (`customer_mobile_required`). Optional for clients written before it was asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_mobile: Option<MobileNumber>,
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

/// A fetched bill, exactly as the biller sent it; the payment echoes it unchanged. The default is an empty bill of
/// no amount, which no biller sends.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
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
    /// The bill's own bounds and step for the amount paid (a part payment, say); empty when it has none.
    #[serde(default)]
    pub amount_rule: AmountRule,
    /// Until when the biller takes this fetched bill's payment, if it says: a biller that takes payment only on
    /// the day of the fetch says the next midnight IST ([`Timestamp::next_midnight_ist`]). After it, fetch again.
    #[serde(default)]
    pub valid_until: Option<Timestamp>,
    /// The bills of a biller that answers with several: `amount` is their total, and a payment names the ones
    /// it pays (`source.bills`). Absent for a single bill.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<BillList>,
}

impl Bill {
    /// The listed bills a payment naming `numbers` pays of `bill`; none for a single bill or no bill (a validated
    /// account), which name none.
    pub fn chosen<'a>(bill: Option<&'a Bill>, numbers: &[String]) -> Result<Vec<&'a BillItem>, BillChoiceError> {
        match bill.and_then(|b| b.list.as_ref()) {
            Some(list) => list.choose(numbers),
            None if numbers.is_empty() => Ok(Vec::new()),
            None => Err(BillChoiceError::NotAList),
        }
    }
}

crate::wire_enum! {
    pub enum QuoteKind {
        /// A bill fetched from the biller.
        Fetched = "fetched",
        /// The account was validated (no bill); the customer chooses the amount.
        Validated = "validated",
    }
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

/// `GET /v1/billers/{biller_id}/plans`: the plans on sale today, by category then price, and every category
/// the biller sells (for the picker's tabs, whatever the filter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanList {
    pub categories: Vec<String>,
    pub items: Vec<crate::plan::Plan>,
}

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
        /// The bills paid, by number, when the fetched bill is a list of them (`bill.list`); the amount is their
        /// sum. May be left out when the biller takes only all of them.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        bills: Vec<String>,
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
    /// The plan bought, for a plan biller (`GET /v1/billers/{id}/plans`), paid directly or after validating the
    /// account; `amount` is its price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_id: Option<PlanId>,
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
    /// The convenience fee before GST.
    pub convenience_fee: Paise,
    /// GST on the convenience fee; absent from receipts made before GST was charged, which had none.
    #[serde(default)]
    pub convenience_fee_gst: Paise,
    /// The plan bought, for a plan biller.
    #[serde(default)]
    pub plan_id: Option<PlanId>,
    /// The bills paid, when the biller listed several (`bill_amount` is their sum); empty otherwise.
    #[serde(default)]
    pub bills: Vec<BillItem>,
    pub total: Paise,
    /// Always `UPI` here.
    pub payment_mode: PaymentMode,
    pub channel: Channel,
    pub paid_at: Timestamp,
    pub customer_mobile: MobileNumber,
    /// The UPI reference (RRN) of the debit.
    pub upi_rrn: Option<String>,
    pub status: ReceiptStatus,
}

crate::wire_enum! {
    /// Where the bill payment of a receipt stands.
    pub enum ReceiptStatus {
        /// BBPS confirmed the payment.
        Success = "SUCCESS",
        /// Deemed: accepted by BBPS and settling.
        Pending = "PENDING",
    }
}

crate::wire_enum! {
    pub enum RefundStatus {
        Pending = "pending",
        Refunded = "refunded",
    }
}

crate::wire_enum! {
    /// Why the money of a payment goes back to the payer.
    pub enum RefundReason {
        /// BBPS refused the bill payment after the UPI debit.
        BillPaymentFailed = "bill_payment_failed",
        /// The payer paid another amount than the link asked for.
        AmountMismatch = "amount_mismatch",
        /// The payer paid after the link expired.
        PaidAfterExpiry = "paid_after_expiry",
        /// The payer paid after an earlier attempt on the link had failed.
        PaidAfterFailure = "paid_after_failure",
        /// The payer paid the same link a second time.
        DuplicateDebit = "duplicate_debit",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefundInfo {
    pub status: RefundStatus,
    pub amount: Paise,
    pub reason: RefundReason,
    /// The PSP's refund reference once it has one.
    pub reference: Option<String>,
    pub refunded_at: Option<Timestamp>,
    /// Set when the refund was handed to people because the PSP kept refusing it or did not confirm it in time;
    /// the merchant hears of it by the `payment.refund_escalated` webhook too.
    #[serde(default)]
    pub escalated_at: Option<Timestamp>,
}

crate::wire_enum! {
    /// Which debit a refund returns.
    pub enum RefundKind {
        /// The debit that paid for the payment, whose bill could not be paid.
        Payment = "payment",
        /// Another debit on the payment's link (the payer paid twice); the payment itself is unchanged.
        ExtraDebit = "extra_debit",
    }
}

/// A refund of a merchant's payment, as the merchant API lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MerchantRefund {
    pub id: String,
    pub payment_id: PaymentId,
    pub kind: RefundKind,
    pub reason: RefundReason,
    pub amount: Paise,
    pub status: RefundStatus,
    /// The PSP's id of the UPI debit returned.
    pub upi_txn_id: String,
    /// The PSP's refund reference once it has one.
    pub reference: Option<String>,
    pub created_at: Timestamp,
    pub refunded_at: Option<Timestamp>,
    /// Set when the refund was handed to people (see `RefundInfo.escalated_at`).
    pub escalated_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefundList {
    /// Newest first.
    pub items: Vec<MerchantRefund>,
}

crate::wire_enum! {
    /// Why a payment did not complete.
    pub enum FailureCode {
        /// The payer declined the UPI request, or their bank refused it.
        UpiDeclined = "upi_declined",
        /// BBPS refused the bill payment; the UPI debit is refunded.
        BillPaymentFailed = "bill_payment_failed",
        /// Nobody paid before the link expired.
        Expired = "expired",
        /// The payer paid another amount than asked; it is refunded.
        AmountMismatch = "amount_mismatch",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentFailure {
    pub code: FailureCode,
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
    /// Only in the answer that creates the payment (and its idempotent replays): keep it with the payment id; a
    /// later session reads the payment by sending it (`BBPS-Client-Secret` header, or `client_secret` on the
    /// event stream). Never shown to anyone else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<ClientSecret>,
}

/// A push event on a payment's stream (server-sent events, event name `payment`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentEvent {
    pub payment: Payment,
}

// ---- tracking ---------------------------------------------------------------------------------------------------

/// `POST /v1/transactions/otp`: send a one-time code to the mobile number whose payments the customer wants to
/// see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SendTrackingCodeRequest {
    pub mobile: MobileNumber,
}

/// A code on its way by SMS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrackingCodeSent {
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^otp_[a-z0-9]{24}$"))]
    pub challenge_id: OtpChallengeId,
    /// The number, masked, as the customer may be shown it.
    pub mobile_masked: String,
    /// The code is good until then.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: Timestamp,
    /// Another code may be asked for from then.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub resend_at: Timestamp,
}

/// `POST /v1/transactions/otp/verify`: the code the customer received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VerifyTrackingCodeRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^otp_[a-z0-9]{24}$"))]
    pub challenge_id: OtpChallengeId,
    /// Six digits.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{6}$"))]
    pub code: String,
}

/// Proof that this session holds the mobile number: sent as `BBPS-Tracking-Token` with
/// `GET /v1/transactions?mobile=…` for that number, by this session, until it expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrackingAccess {
    pub tracking_token: String,
    pub mobile_masked: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: Timestamp,
}

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

/// The days of a lookup by mobile number: `from` to `to`, both included, in IST. The one rule of the widget
/// and the server: it runs forwards and `to` is at most [`TrackRange::MAX_DAYS`] days after `from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackRange {
    from: Date,
    to: Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TrackRangeError {
    #[error("the last day is before the first")]
    Backwards,
    #[error("the range spans more than {} days", TrackRange::MAX_DAYS)]
    TooLong,
}

impl TrackRange {
    /// How many days after `from` the last day may be.
    pub const MAX_DAYS: i64 = 90;

    pub fn new(from: Date, to: Date) -> Result<TrackRange, TrackRangeError> {
        if to < from {
            Err(TrackRangeError::Backwards)
        } else if (to - from).whole_days() > Self::MAX_DAYS {
            Err(TrackRangeError::TooLong)
        } else {
            Ok(TrackRange { from, to })
        }
    }

    pub fn from(self) -> Date {
        self.from
    }

    pub fn to(self) -> Date {
        self.to
    }

    /// The instants the range covers: midnight IST starting `from`, up to (not including) midnight IST after
    /// `to`.
    pub fn instants(self) -> (Timestamp, Timestamp) {
        let midnight = |d: Date| {
            Timestamp::from_offset_date_time(time::PrimitiveDateTime::new(d, time::Time::MIDNIGHT).assume_offset(IST))
        };
        (midnight(self.from), self.to.next_day().map_or_else(|| midnight(self.to), midnight))
    }
}

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

impl ComplaintSubject {
    /// A transaction's disposition decides its ticket type; a service-based complaint is a complaint.
    pub fn ticket_type(&self) -> TicketType {
        match self {
            ComplaintSubject::Transaction { disposition, .. } => disposition.ticket_type(),
            ComplaintSubject::Service { .. } => TicketType::Complaint,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(from = "StoredComplaint")]
pub struct Complaint {
    pub id: ComplaintId,
    pub subject: ComplaintSubject,
    /// Dispute or complaint, as the subject decides.
    pub ticket_type: TicketType,
    /// The turnaround date (IST): the ticket is due to be resolved by the end of this day.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub resolve_by: Date,
    pub description: String,
    pub status: ComplaintStatus,
    /// Who handles it now (the biller's or the agent's BBPOU).
    pub assigned_to: Option<String>,
    pub remarks: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// When the customer reopened it after it was closed; a ticket is reopened at most once.
    pub reopened_at: Option<Timestamp>,
    pub history: Vec<ComplaintHistoryEntry>,
}

impl Complaint {
    /// Until when the customer may reopen the ticket: from its closing, for [`REOPEN_WINDOW`], if it was never
    /// reopened. `None` while it is open, or once reopened.
    pub fn reopenable_until(&self) -> Option<Timestamp> {
        if self.status.is_open() || self.reopened_at.is_some() {
            return None;
        }
        let closed_at = self.history.iter().rev().find(|h| h.status == self.status).map_or(self.updated_at, |h| h.at);
        Some(closed_at.saturating_add(REOPEN_WINDOW))
    }
}

/// A complaint as read back: tickets kept before the ticket type, TAT date and reopening existed get them from the
/// same rules a new ticket does.
#[derive(Deserialize)]
struct StoredComplaint {
    id: ComplaintId,
    subject: ComplaintSubject,
    ticket_type: Option<TicketType>,
    resolve_by: Option<Date>,
    description: String,
    status: ComplaintStatus,
    assigned_to: Option<String>,
    remarks: Option<String>,
    created_at: Timestamp,
    updated_at: Timestamp,
    #[serde(default)]
    reopened_at: Option<Timestamp>,
    history: Vec<ComplaintHistoryEntry>,
}

impl From<StoredComplaint> for Complaint {
    fn from(c: StoredComplaint) -> Complaint {
        let ticket_type = c.ticket_type.unwrap_or_else(|| c.subject.ticket_type());
        Complaint {
            resolve_by: c.resolve_by.unwrap_or_else(|| ticket_type.resolve_by(c.created_at)),
            ticket_type,
            id: c.id,
            subject: c.subject,
            description: c.description,
            status: c.status,
            assigned_to: c.assigned_to,
            remarks: c.remarks,
            created_at: c.created_at,
            updated_at: c.updated_at,
            reopened_at: c.reopened_at,
            history: c.history,
        }
    }
}

/// `POST /v1/complaints/{id}/reopen`: why the customer is not satisfied with how the ticket was closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReopenComplaintRequest {
    pub description: String,
}

// ---- merchant server API -----------------------------------------------------------------------------------------

/// A web origin, `scheme://host[:port]` with `http` or `https`, no path: where a page that embeds the widget is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(value_type = String, example = "https://shop.example", pattern = "^https?://[A-Za-z0-9.:\\[\\]-]+$")
)]
#[serde(try_from = "String", into = "String")]
pub struct Origin(String);

impl Origin {
    pub fn parse(s: &str) -> Result<Origin, String> {
        let lower = s.to_ascii_lowercase();
        let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
        let ok = s.len() <= 255
            && rest.is_some_and(|r| {
                !r.is_empty()
                    && r.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
            });
        if ok {
            Ok(Origin(lower))
        } else {
            Err(format!("{s:?} is not an origin: scheme://host[:port], e.g. https://shop.example"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Origin {
    type Error = String;
    fn try_from(s: String) -> Result<Origin, String> {
        Origin::parse(&s)
    }
}

impl From<Origin> for String {
    fn from(o: Origin) -> String {
        o.0
    }
}

/// How a merchant is integrated: the origins whose pages may embed its widget, and its webhook endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MerchantIntegration {
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub allowed_origins: Vec<Origin>,
    /// Absent: no webhooks are sent.
    pub webhook_url: Option<WebhookUrl>,
}

/// The most origins a merchant may allow.
pub const MAX_ALLOWED_ORIGINS: usize = 50;

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
    #[serde(rename = "type")]
    pub event_type: WebhookEventType,
    pub created_at: Timestamp,
    pub data: Payment,
}

crate::wire_enum! {
    /// What a webhook reports: a payment that reached a final status.
    pub enum WebhookEventType {
        Completed = "payment.completed",
        Refunded = "payment.refunded",
        Failed = "payment.failed",
        Expired = "payment.expired",
        /// A refund of the payment needs people: the PSP kept refusing it, or did not confirm it in time.
        RefundEscalated = "payment.refund_escalated",
    }
}

impl WebhookEventType {
    /// The event of a status, when the status is final for the merchant.
    pub fn of(status: PaymentStatus) -> Option<WebhookEventType> {
        match status {
            PaymentStatus::Completed => Some(WebhookEventType::Completed),
            PaymentStatus::Refunded => Some(WebhookEventType::Refunded),
            PaymentStatus::Expired => Some(WebhookEventType::Expired),
            PaymentStatus::PaymentFailed => Some(WebhookEventType::Failed),
            PaymentStatus::Created
            | PaymentStatus::AwaitingPayment
            | PaymentStatus::Paid
            | PaymentStatus::BillPaymentPending
            | PaymentStatus::BillPaymentFailed
            | PaymentStatus::RefundPending => None,
        }
    }
}

crate::wire_enum! {
    /// Where a webhook delivery stands.
    pub enum WebhookDeliveryStatus {
        /// Not delivered yet; `next_attempt_at` says when it is tried again.
        Pending = "pending",
        /// The merchant's endpoint answered 2xx.
        Delivered = "delivered",
        /// Every attempt failed; no more are made.
        Failed = "failed",
    }
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
    pub event_type: WebhookEventType,
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
    fn origins_and_webhook_urls() {
        assert_eq!(Origin::parse("HTTPS://Shop.Example:8443").unwrap().as_str(), "https://shop.example:8443");
        assert!(Origin::parse("http://[::1]:8080").is_ok());
        for bad in ["shop.example", "https://", "https://shop.example/", "javascript:alert(1)", "ftp://x"] {
            assert!(Origin::parse(bad).is_err(), "{bad}");
        }
        assert!(WebhookUrl::parse("https://shop.example/hooks?x=1").is_ok());
        for bad in ["https://", "http://user@host/", "https://a b", "mailto:x@y", "https://x/\n"] {
            assert!(WebhookUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn track_ranges_allow_ninety_days_after_the_first() {
        let from = time::macros::date!(2026 - 01 - 01);
        let days = |n: i64| from + time::Duration::days(n);
        assert!(TrackRange::new(from, days(89)).is_ok());
        assert!(TrackRange::new(from, days(90)).is_ok());
        assert_eq!(TrackRange::new(from, days(91)), Err(TrackRangeError::TooLong));
        assert_eq!(TrackRange::new(from, days(-1)), Err(TrackRangeError::Backwards));
        let one_day = TrackRange::new(from, from).unwrap();
        let (start, end) = one_day.instants();
        assert_eq!(end.unix_seconds() - start.unix_seconds(), 86_400);
        assert_eq!(start.to_string(), "2026-01-01T00:00:00+05:30");
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
