//! The records the engine keeps: merchants, quotes, payments (with everything their lifecycle learned),
//! refunds, complaints and webhook deliveries. API types come from `bbps_core::api`; these add what only the
//! backend knows (owners, secrets, ledger details) and convert to the API types.

use bbps_core::api::{
    Bill, BillQuote, InfoItem, MobileNumber, Payment, PaymentFailure, Receipt, ReceiptStatus, RefundInfo, RefundReason,
    RefundStatus, UpiInstructions, WebhookEventType,
};
use bbps_core::biller::PaymentMode;
use bbps_core::upi::Mcc;
use bbps_core::{
    ApprovalRef, BillerId, Channel, Charges, MerchantId, Paise, PaymentId, PaymentStatus, QuoteId, RefId, SessionId,
    Timestamp, TxnRef, Vpa,
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
    pub webhook_secret: String,
    pub upi_vpa: Vpa,
    pub upi_name: String,
    pub mcc: Mcc,
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

/// The UPI debit the PSP reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpiDebit {
    pub psp_txn_id: String,
    pub rrn: Option<String>,
    pub payer_vpa: Option<String>,
    pub amount: Paise,
    pub at: Timestamp,
}

/// What BBPS said about the bill payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillPaymentOutcome {
    pub txn_ref: TxnRef,
    pub approval_ref: ApprovalRef,
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
    pub customer_mobile: MobileNumber,
    pub channel: Channel,
    pub upi: UpiInstructions,
    pub debit: Option<UpiDebit>,
    pub bill_payment: Option<BillPaymentOutcome>,
    pub failure: Option<PaymentFailure>,
    pub refund: Option<RefundInfo>,
    /// When the worker should look at this payment again (pending bill payments, retries).
    pub next_check_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl PaymentRecord {
    pub fn txn_ref(&self) -> Option<&TxnRef> {
        self.bill_payment.as_ref().map(|b| &b.txn_ref)
    }

    pub fn to_api(&self) -> Payment {
        let receipt = self.bill_payment.as_ref().and_then(|bp| {
            let visible = matches!(self.status, PaymentStatus::Completed | PaymentStatus::BillPaymentPending);
            visible.then(|| Receipt {
                txn_ref: bp.txn_ref.clone(),
                approval_ref: bp.approval_ref.clone(),
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
            upi: (self.status == PaymentStatus::AwaitingPayment).then(|| self.upi.clone()),
            receipt,
            failure: self.failure.clone(),
            refund: self.refund.clone(),
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// Money that goes back to the payer through the PSP. The refund of a payment's own debit moves the payment
/// to `refunded`; a second debit for the same link (the payer paid twice) is refunded without changing state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRecord {
    /// Also the idempotency key of the PSP refund call.
    pub id: String,
    pub payment_id: PaymentId,
    pub psp_txn_id: String,
    pub amount: Paise,
    pub reason: RefundReason,
    pub status: RefundStatus,
    pub primary: bool,
    pub psp_ref: Option<String>,
    pub attempts: u32,
    pub next_attempt_at: Timestamp,
    pub created_at: Timestamp,
    pub refunded_at: Option<Timestamp>,
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
