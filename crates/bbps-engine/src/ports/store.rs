//! The store port. Every payment write is a compare-and-set on the payment's `(status, version)`, and the
//! effects of a transition (the history row, a queued webhook, a queued refund) are written in the same
//! transaction as the transition itself. The contract every store must keep is written once, as tests against
//! this trait (`crate::store_contract`).

use async_trait::async_trait;
use bbps_core::api::{MobileNumber, TrackRange, WebhookAttempt, WebhookDelivery, WebhookDeliveryStatus};
use bbps_core::{
    ComplaintId, IdempotencyKey, MerchantId, PaymentId, PaymentStatus, QuoteId, Timestamp, TxnRef, UpiTxnRef,
};

use crate::model::{ComplaintRecord, Merchant, NewWebhook, PaymentRecord, QuoteRecord, RefundRecord, WebhookJob};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or failed (connection, constraint, I/O).
    #[error("database error: {0}")]
    Backend(String),
    /// A stored value does not read back as its type (an unknown status name, a malformed id).
    #[error("stored data is malformed: {0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A payment to create, with the idempotency key it was created under.
#[derive(Debug, Clone)]
pub struct NewPayment {
    pub record: PaymentRecord,
    pub idempotency_key: IdempotencyKey,
    /// SHA-256 of the canonical request body: the same key with another body is refused.
    pub request_hash: String,
}

#[derive(Debug, Clone)]
pub enum CreatePayment {
    Created(Box<PaymentRecord>),
    /// The key was used before with the same body: this is that payment.
    Replayed(Box<PaymentRecord>),
    /// The key was used before with another body.
    KeyReused,
    /// Another payment already used the quote.
    QuoteUsed,
}

/// What a transition writes besides the payment.
#[derive(Debug, Clone, Default)]
pub struct Effects {
    pub webhook: Option<NewWebhook>,
    pub refund: Option<RefundRecord>,
}

#[derive(Debug, Clone)]
pub struct PaymentQuery {
    pub status: Option<PaymentStatus>,
    pub limit: u32,
    pub starting_after: Option<PaymentId>,
}

/// The outcome of one webhook delivery attempt.
#[derive(Debug, Clone)]
pub struct AttemptOutcome {
    pub attempt: WebhookAttempt,
    pub status: WebhookDeliveryStatus,
    pub next_attempt_at: Option<Timestamp>,
}

#[async_trait]
pub trait Store: Send + Sync {
    /// A trivial query: whether the database answers.
    async fn ping(&self) -> StoreResult<()>;

    /// The value stored under `key`, storing `value` first if there is none.
    async fn setting_or_insert(&self, key: &str, value: String) -> StoreResult<String>;

    async fn insert_merchant(&self, m: &Merchant) -> StoreResult<()>;
    async fn merchant(&self, id: &MerchantId) -> StoreResult<Option<Merchant>>;
    async fn merchant_by_publishable_key(&self, key: &str) -> StoreResult<Option<Merchant>>;
    async fn merchant_by_secret_hash(&self, hash: &str) -> StoreResult<Option<Merchant>>;
    async fn merchants(&self) -> StoreResult<Vec<Merchant>>;
    /// Replaces both keys; `false` if there is no such merchant.
    async fn rotate_merchant_keys(&self, id: &MerchantId, publishable: &str, secret_hash: &str) -> StoreResult<bool>;
    /// Replaces the origins that may embed the widget and the webhook endpoint; `false` if there is no such
    /// merchant.
    async fn update_merchant_integration(
        &self,
        id: &MerchantId,
        allowed_origins: &[String],
        webhook_url: Option<&str>,
    ) -> StoreResult<bool>;

    async fn insert_quote(&self, q: &QuoteRecord) -> StoreResult<()>;
    async fn quote(&self, id: &QuoteId) -> StoreResult<Option<QuoteRecord>>;

    /// The payment created under an idempotency key, with the hash of the body it was created with.
    async fn idempotent_payment(
        &self,
        merchant: &MerchantId,
        key: &IdempotencyKey,
    ) -> StoreResult<Option<(String, PaymentRecord)>>;
    /// Creates a payment in one transaction: the idempotency check, the quote's single use, the payment and
    /// its first transitions.
    async fn create_payment(&self, p: NewPayment) -> StoreResult<CreatePayment>;

    async fn payment(&self, id: &PaymentId) -> StoreResult<Option<PaymentRecord>>;
    async fn payment_by_upi_ref(&self, upi_txn_ref: &UpiTxnRef) -> StoreResult<Option<PaymentRecord>>;
    /// The payment whose collect link has this PSP id.
    async fn payment_by_link(&self, link: &str) -> StoreResult<Option<PaymentRecord>>;
    async fn payment_by_txn_ref(&self, merchant: &MerchantId, txn_ref: &TxnRef) -> StoreResult<Option<PaymentRecord>>;
    /// Payments of a mobile number created within the range, newest first (at most 500).
    async fn payments_by_mobile(
        &self,
        merchant: &MerchantId,
        mobile: &MobileNumber,
        range: TrackRange,
    ) -> StoreResult<Vec<PaymentRecord>>;
    /// Newest first.
    async fn list_payments(&self, merchant: &MerchantId, q: PaymentQuery) -> StoreResult<Vec<PaymentRecord>>;
    /// Writes `next` if the stored payment is still at `expected` (status, version), with a history row when the
    /// status changes, and the effects. `false` when someone else moved the payment first.
    async fn save_payment(
        &self,
        expected: (PaymentStatus, u64),
        next: &PaymentRecord,
        note: &str,
        effects: Effects,
    ) -> StoreResult<bool>;
    /// Payments the worker has to move: created or awaiting ones past their pay-by time, paid and failed bill
    /// payments, pending ones due a check.
    async fn payments_due(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<PaymentRecord>>;
    /// Payments whose link the PSP is due to be asked about (`reconcile_at` reached).
    async fn payments_to_reconcile(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<PaymentRecord>>;

    /// Queues a refund outside a transition (a second debit, a debit on a link we never issued); `false` if that
    /// debit already has one.
    async fn insert_refund(&self, r: &RefundRecord) -> StoreResult<bool>;
    async fn refund_for_debit(&self, debit_id: &str) -> StoreResult<Option<RefundRecord>>;
    async fn refund_by_psp_id(&self, psp_refund: &str) -> StoreResult<Option<RefundRecord>>;
    /// Refunds not yet initiated whose next step is due.
    async fn refunds_due(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<RefundRecord>>;
    async fn update_refund(&self, r: &RefundRecord) -> StoreResult<()>;
    /// The refunds of a merchant's payments, newest first.
    async fn merchant_refunds(&self, merchant: &MerchantId, limit: u32) -> StoreResult<Vec<RefundRecord>>;

    async fn webhooks_due(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<WebhookJob>>;
    async fn record_webhook_attempt(&self, id: i64, outcome: AttemptOutcome) -> StoreResult<()>;
    async fn webhook_deliveries(
        &self,
        merchant: &MerchantId,
        payment: Option<&PaymentId>,
    ) -> StoreResult<Vec<WebhookDelivery>>;

    async fn insert_complaint(&self, c: &ComplaintRecord) -> StoreResult<()>;
    async fn complaint(&self, id: &ComplaintId) -> StoreResult<Option<ComplaintRecord>>;
    async fn update_complaint(&self, c: &ComplaintRecord) -> StoreResult<()>;
}
