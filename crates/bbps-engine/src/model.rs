//! The records the engine keeps: merchants, quotes, payments (with everything their lifecycle learned),
//! refunds, complaints and webhook deliveries. API types come from `bbps_core::api`; these add what only the
//! backend knows (owners, secrets, ledger details) and convert to the API types.

use bbps_core::api::{
    Bill, BillQuote, InfoItem, MerchantRefund, MobileNumber, Payment, PaymentFailure, Receipt, ReceiptStatus,
    RefundInfo, RefundKind, RefundReason, RefundStatus, UpiInstructions, WebhookEventType,
};
use bbps_core::bill_list::BillItem;
use bbps_core::biller::PaymentMode;
use bbps_core::{
    ApprovalRef, BillerId, Channel, Charges, MerchantId, OtpChallengeId, Paise, PaymentId, PaymentStatus, PlanId,
    QuoteId, RefId, Secret, SessionId, Timestamp, TxnRef, UpiTxnRef, Vpa,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merchant {
    pub id: MerchantId,
    pub name: String,
    pub publishable_key: String,
    /// SHA-256 (hex) of the secret key; the key itself is shown once and never stored.
    pub secret_key_hash: String,
    pub allowed_origins: Vec<String>,
    pub webhook_url: Option<String>,
    pub webhook_secret: Secret,
    /// The payee name payers' UPI apps show.
    pub upi_name: String,
    pub created_at: Timestamp,
}

impl Merchant {
    pub fn allows_origin(&self, origin: &str) -> bool {
        let origin = origin.trim_end_matches('/');
        self.allowed_origins.iter().any(|o| o.eq_ignore_ascii_case(origin))
    }
}

/// A stored quote: the API's `BillQuote` plus its owner. Its single use is kept by the store (see
/// `Store::create_payment`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteRecord {
    pub quote: BillQuote,
    pub merchant_id: MerchantId,
    pub session_id: SessionId,
    pub created_at: Timestamp,
}

/// The UPI debit the PSP honoured for the payment's link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpiDebit {
    /// The PSP's id of the debit.
    pub psp_txn_id: String,
    pub rrn: Option<String>,
    pub payer_vpa: Option<String>,
    pub amount: Paise,
    pub at: Timestamp,
}

/// A payment's collect link as the PSP created it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectLink {
    /// The PSP's id of the link.
    pub id: String,
    /// The `upi://pay` link exactly as the PSP returned it (checked by `UpiLink::parse` when it arrived).
    pub upi_link: String,
    pub payee_vpa: Vpa,
    pub payee_name: String,
}

impl CollectLink {
    pub fn instructions(&self, txn_ref: &UpiTxnRef, amount: Paise, expires_at: Timestamp) -> UpiInstructions {
        UpiInstructions {
            link: self.upi_link.clone(),
            qr_payload: self.upi_link.clone(),
            payee_vpa: self.payee_vpa.clone(),
            payee_name: self.payee_name.clone(),
            txn_ref: txn_ref.clone(),
            amount,
            expires_at,
        }
    }
}

/// What BBPS said about the bill payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillPaymentOutcome {
    pub txn_ref: TxnRef,
    /// The biller's approval; a deemed payment may get it only when it settles (no receipt is shown before).
    pub approval_ref: Option<ApprovalRef>,
    /// `false` while a deemed payment settles.
    pub settled: bool,
    pub at: Timestamp,
}

/// One payment with everything its lifecycle has learned. Stored as JSON next to indexed columns; `version`
/// increases with every write, and every write is a compare-and-set on `(status, version)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRecord {
    pub id: PaymentId,
    pub merchant_id: MerchantId,
    pub session_id: Option<SessionId>,
    pub status: PaymentStatus,
    pub version: u64,
    pub ref_id: RefId,
    pub biller_id: BillerId,
    pub biller_name: String,
    pub quote_id: Option<QuoteId>,
    /// The customer params as sent to the network.
    pub params: Vec<InfoItem>,
    /// The fetched bill, exactly as received: the bill payment echoes it.
    pub bill: Option<Bill>,
    pub customer_name: Option<String>,
    pub charges: Charges,
    /// The plan bought, for a plan biller.
    #[serde(default)]
    pub plan_id: Option<PlanId>,
    /// The bills paid from a fetched list, by number in the list's order; empty for a single bill.
    #[serde(default)]
    pub bills: Vec<String>,
    pub customer_mobile: MobileNumber,
    pub channel: Channel,
    /// The address the customer created the payment from: the bill payment's agent device tags report it.
    #[serde(default)]
    pub customer_ip: Option<std::net::IpAddr>,
    /// Our reference of the payment's collect link (its `tr`, the PSP's `billerBillID`).
    pub upi_txn_ref: UpiTxnRef,
    /// Until when the link may be paid.
    pub pay_by: Timestamp,
    /// The PSP's collect link, once the PSP created it (`None` while `created`).
    pub link: Option<CollectLink>,
    pub debit: Option<UpiDebit>,
    pub bill_payment: Option<BillPaymentOutcome>,
    pub failure: Option<PaymentFailure>,
    pub refund: Option<RefundInfo>,
    /// When the worker should look at this payment again (pending bill payments, retries).
    pub next_check_at: Option<Timestamp>,
    /// Bill payments sent to the network; a refusal of a resend proves nothing (the first may have gone through).
    #[serde(default)]
    pub bill_payment_sends: u32,
    /// When the payment last reached a final state; reconciliation with the PSP goes on for a window after it.
    #[serde(default)]
    pub final_at: Option<Timestamp>,
    /// When the PSP is next asked about this payment's link.
    #[serde(default)]
    pub reconcile_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl PaymentRecord {
    pub fn txn_ref(&self) -> Option<&TxnRef> {
        self.bill_payment.as_ref().map(|b| &b.txn_ref)
    }

    /// The listed bills this payment pays.
    pub fn paid_bills(&self) -> Vec<BillItem> {
        let listed = self.bill.as_ref().and_then(|b| b.list.as_ref()).map_or(&[][..], |l| &l.items[..]);
        listed.iter().filter(|i| self.bills.contains(&i.bill_number)).cloned().collect()
    }

    pub fn to_api(&self) -> Payment {
        let receipt = self.bill_payment.as_ref().and_then(|bp| {
            let visible = matches!(self.status, PaymentStatus::Completed | PaymentStatus::BillPaymentPending);
            // A receipt names the biller's approval: without one there is no receipt yet.
            let approval_ref = bp.approval_ref.clone().filter(|_| visible)?;
            Some(Receipt {
                txn_ref: bp.txn_ref.clone(),
                approval_ref,
                biller_id: self.biller_id.clone(),
                biller_name: self.biller_name.clone(),
                customer_name: self
                    .bill
                    .as_ref()
                    .and_then(|b| b.customer_name.clone())
                    .or_else(|| self.customer_name.clone()),
                params: self.params.clone(),
                bill_number: self.bill.as_ref().and_then(|b| b.bill_number.clone()),
                bill_date: self.bill.as_ref().and_then(|b| b.bill_date),
                due_date: self.bill.as_ref().and_then(|b| b.due_date),
                bill_amount: self.charges.bill_amount,
                convenience_fee: self.charges.convenience_fee,
                convenience_fee_gst: self.charges.convenience_fee_gst,
                plan_id: self.plan_id.clone(),
                bills: self.paid_bills(),
                total: self.charges.total,
                payment_mode: PaymentMode::Upi,
                channel: self.channel,
                paid_at: self.debit.as_ref().map_or(bp.at, |d| d.at),
                customer_mobile: self.customer_mobile.clone(),
                upi_rrn: self.debit.as_ref().and_then(|d| d.rrn.clone()),
                status: if bp.settled { ReceiptStatus::Success } else { ReceiptStatus::Pending },
            })
        });
        Payment {
            id: self.id.clone(),
            status: self.status,
            ref_id: self.ref_id.clone(),
            biller_id: self.biller_id.clone(),
            biller_name: self.biller_name.clone(),
            charges: self.charges,
            customer_mobile: self.customer_mobile.clone(),
            channel: self.channel,
            upi: self
                .link
                .as_ref()
                .filter(|_| self.status == PaymentStatus::AwaitingPayment)
                .map(|l| l.instructions(&self.upi_txn_ref, self.charges.total, self.pay_by)),
            receipt,
            failure: self.failure.clone(),
            refund: self.refund.clone(),
            created_at: self.created_at,
            updated_at: self.updated_at,
            client_secret: None,
        }
    }
}

/// Whose debit a refund returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundOf {
    /// The payment's own debit: its refund moves the payment to `refunded`.
    Payment { payment: PaymentId, reason: RefundReason },
    /// Another debit on the payment's link (the payer paid it twice): the payment does not change.
    Extra { payment: PaymentId, reason: RefundReason },
    /// A debit on a link no payment of ours has.
    Stray,
}

impl RefundOf {
    pub fn payment(&self) -> Option<&PaymentId> {
        match self {
            RefundOf::Payment { payment, .. } | RefundOf::Extra { payment, .. } => Some(payment),
            RefundOf::Stray => None,
        }
    }
}

bbps_core::wire_enum! {
    /// Who moves the money back.
    pub enum RefundBy {
        /// We ask the PSP for the refund.
        Us = "us",
        /// The PSP returns the debit of its own accord (it refused it); we wait for its word.
        Psp = "psp",
    }
}

bbps_core::wire_enum! {
    /// The name a store keeps a refund's progress under.
    pub enum RefundStage {
        Queued = "queued",
        Requested = "requested",
        Refunded = "refunded",
    }
}

/// How far a refund has gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundProgress {
    /// Not asked for yet, or the answer to the last request was lost (`attempts` tells which); for a refund the
    /// PSP makes, not confirmed yet.
    Queued,
    /// The PSP accepted our request under this id and has not initiated it yet.
    Requested { psp_refund: String },
    /// Initiated by the PSP: the money is on its way back. The PSP's refund id when it gave one.
    Refunded { psp_refund: Option<String>, at: Timestamp },
}

impl RefundProgress {
    pub fn stage(&self) -> RefundStage {
        match self {
            RefundProgress::Queued => RefundStage::Queued,
            RefundProgress::Requested { .. } => RefundStage::Requested,
            RefundProgress::Refunded { .. } => RefundStage::Refunded,
        }
    }

    /// The PSP's id of the refund, when it has one.
    pub fn psp_refund(&self) -> Option<&str> {
        match self {
            RefundProgress::Queued => None,
            RefundProgress::Requested { psp_refund } => Some(psp_refund),
            RefundProgress::Refunded { psp_refund, .. } => psp_refund.as_deref(),
        }
    }
}

/// Money that goes back to a payer: one refund per debit, whoever makes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRecord {
    pub id: String,
    pub of: RefundOf,
    /// The PSP's link that took the debit.
    pub link: String,
    /// The debit it returns.
    pub debit_id: String,
    pub amount: Paise,
    pub by: RefundBy,
    pub progress: RefundProgress,
    /// Requests made (ours), or checks made (the PSP's).
    pub attempts: u32,
    pub next_attempt_at: Timestamp,
    pub created_at: Timestamp,
    /// When it was handed to people: the PSP kept refusing, or did not confirm in time.
    pub escalated_at: Option<Timestamp>,
}

impl RefundRecord {
    /// The merchant API's view; `None` for a debit no payment of ours has.
    pub fn to_api(&self) -> Option<MerchantRefund> {
        let (payment_id, kind, reason) = match &self.of {
            RefundOf::Payment { payment, reason } => (payment, RefundKind::Payment, *reason),
            RefundOf::Extra { payment, reason } => (payment, RefundKind::ExtraDebit, *reason),
            RefundOf::Stray => return None,
        };
        let (status, refunded_at) = match &self.progress {
            RefundProgress::Refunded { at, .. } => (RefundStatus::Refunded, Some(*at)),
            RefundProgress::Queued | RefundProgress::Requested { .. } => (RefundStatus::Pending, None),
        };
        Some(MerchantRefund {
            id: self.id.clone(),
            payment_id: payment_id.clone(),
            kind,
            reason,
            amount: self.amount,
            status,
            upi_txn_id: self.debit_id.clone(),
            reference: self.progress.psp_refund().map(str::to_owned),
            created_at: self.created_at,
            refunded_at,
            escalated_at: self.escalated_at,
        })
    }
}

/// A complaint raised through this server: who owns it and the network's complaint id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintRecord {
    pub complaint: bbps_core::api::Complaint,
    pub merchant_id: MerchantId,
    pub payment_id: Option<PaymentId>,
    pub customer_mobile: Option<MobileNumber>,
}

/// A webhook event queued for delivery, written in the same transaction as the transition it reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWebhook {
    pub event_id: String,
    pub event_type: WebhookEventType,
    pub merchant_id: MerchantId,
    pub payment_id: PaymentId,
    pub url: String,
    pub body: String,
    pub created_at: Timestamp,
}

/// A webhook delivery the dispatcher works on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookJob {
    pub id: i64,
    pub event_id: String,
    pub merchant_id: MerchantId,
    pub url: String,
    pub body: String,
    pub attempts: u32,
}

/// Where a one-time code stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtpState {
    /// Sent, not yet matched; `attempts` wrong codes so far.
    Open { attempts: u32 },
    /// Matched once: it proves the number and is never good again.
    Verified { at: Timestamp },
    /// Too many wrong codes: dead.
    Exhausted,
}

bbps_core::wire_enum! {
    /// The name a store keeps a one-time code's state under.
    pub enum OtpStage {
        Open = "open",
        Verified = "verified",
        Exhausted = "exhausted",
    }
}

impl OtpState {
    pub fn stage(self) -> OtpStage {
        match self {
            OtpState::Open { .. } => OtpStage::Open,
            OtpState::Verified { .. } => OtpStage::Verified,
            OtpState::Exhausted => OtpStage::Exhausted,
        }
    }
}

/// A one-time code sent to a mobile number, so that whoever asks to see that number's payments proves they
/// hold it. The code itself is never stored: only a hash bound to the challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtpChallenge {
    pub id: OtpChallengeId,
    pub merchant_id: MerchantId,
    pub mobile: MobileNumber,
    /// SHA-256 (hex) of `<id>:<code>`.
    pub code_hash: String,
    pub state: OtpState,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}
