//! The store port. Every payment write is a compare-and-set on the payment's `(status, version)`, and the
//! effects of a transition (the history row, a queued webhook, a queued refund) are written in the same
//! transaction as the transition itself. The contract every store must keep is written once, as tests against
//! this trait (`crate::store_contract`).

use async_trait::async_trait;
use bbps_core::api::{MobileNumber, TrackRange, WebhookAttempt, WebhookDelivery, WebhookDeliveryStatus};
use bbps_core::{
    ComplaintId, IdempotencyKey, MerchantId, OtpChallengeId, PaymentId, PaymentStatus, QuoteId, RefId, Timestamp,
    TxnRef, UpiTxnRef,
};

use crate::model::{
    ComplaintRecord, Merchant, NewWebhook, OtpChallenge, OtpState, PaymentRecord, QuoteRecord, RefundRecord, WebhookJob,
};
use crate::wire_archive::{WireMessage, WireMessageId, WireQuery};

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

/// A worker's hold on what it works on: whoever else looks finds it taken until `until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub owner: String,
    pub until: Timestamp,
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
    /// Whether any merchant allows `origin` (`scheme://host[:port]`, compared without case) to embed its widget.
    async fn origin_allowed(&self, origin: &str) -> StoreResult<bool>;
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
    /// The payment of a bill's refId (the network answers by it).
    async fn payment_by_ref_id(&self, ref_id: &RefId) -> StoreResult<Option<PaymentRecord>>;
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
    /// Claims the payments the worker has to move (created or awaiting ones past their pay-by time, paid and
    /// failed bill payments, pending ones due a check) that no one else holds, under `lease`.
    async fn claim_payments_due(&self, now: Timestamp, lease: &Lease, limit: u32) -> StoreResult<Vec<PaymentRecord>>;
    /// Claims, as above, payments whose link the PSP is due to be asked about (`reconcile_at` reached).
    async fn claim_payments_to_reconcile(
        &self,
        now: Timestamp,
        lease: &Lease,
        limit: u32,
    ) -> StoreResult<Vec<PaymentRecord>>;
    /// Ends `owner`'s lease on a payment (a lease another worker took over after it ran out is left alone).
    async fn release_payment(&self, id: &PaymentId, owner: &str) -> StoreResult<()>;

    /// Queues a refund outside a transition (a second debit, a debit on a link we never issued); `false` if that
    /// debit already has one.
    async fn insert_refund(&self, r: &RefundRecord) -> StoreResult<bool>;
    async fn refund_for_debit(&self, debit_id: &str) -> StoreResult<Option<RefundRecord>>;
    async fn refund_by_psp_id(&self, psp_refund: &str) -> StoreResult<Option<RefundRecord>>;
    /// Claims refunds not yet initiated whose next step is due and that no one else holds, under `lease`.
    async fn claim_refunds_due(&self, now: Timestamp, lease: &Lease, limit: u32) -> StoreResult<Vec<RefundRecord>>;
    async fn release_refund(&self, id: &str, owner: &str) -> StoreResult<()>;
    async fn update_refund(&self, r: &RefundRecord) -> StoreResult<()>;
    /// The refunds of a merchant's payments, newest first.
    async fn merchant_refunds(&self, merchant: &MerchantId, limit: u32) -> StoreResult<Vec<RefundRecord>>;

    /// Claims due deliveries by moving their next attempt to `until`: sent once even by two dispatchers, and
    /// tried again then if the attempt's outcome is never recorded.
    async fn claim_webhooks_due(&self, now: Timestamp, until: Timestamp, limit: u32) -> StoreResult<Vec<WebhookJob>>;
    async fn record_webhook_attempt(&self, id: i64, outcome: AttemptOutcome) -> StoreResult<()>;
    /// A failed (or any) delivery of this merchant's event goes out once more, now; `false` if there is none.
    async fn redeliver_webhook(&self, merchant: &MerchantId, event_id: &str, now: Timestamp) -> StoreResult<bool>;
    async fn webhook_deliveries(
        &self,
        merchant: &MerchantId,
        payment: Option<&PaymentId>,
    ) -> StoreResult<Vec<WebhookDelivery>>;

    async fn insert_otp(&self, c: &OtpChallenge) -> StoreResult<()>;
    async fn otp(&self, id: &OtpChallengeId) -> StoreResult<Option<OtpChallenge>>;
    /// Writes `next` if the challenge is still as `expected` says (two guesses at once count as two).
    async fn update_otp(&self, expected: OtpState, next: &OtpChallenge) -> StoreResult<bool>;
    /// A number's challenges created at or after `since`, newest first (any merchant).
    async fn otps_for_mobile(&self, mobile: &MobileNumber, since: Timestamp) -> StoreResult<Vec<OtpChallenge>>;
    /// How many codes a merchant's widget had sent since `since`.
    async fn otps_sent_by_merchant(&self, merchant: &MerchantId, since: Timestamp) -> StoreResult<u32>;

    async fn insert_complaint(&self, c: &ComplaintRecord) -> StoreResult<()>;
    async fn complaint(&self, id: &ComplaintId) -> StoreResult<Option<ComplaintRecord>>;
    /// Writes the complaint if the stored one was last updated at `previous_updated_at` (compare-and-set, so that
    /// a refresh from the network cannot write back a copy older than a reopening); `false` if it was not.
    async fn update_complaint(&self, c: &ComplaintRecord, previous_updated_at: Timestamp) -> StoreResult<bool>;

    /// Keeps one message of the BBPS wire, byte for byte; its id in the archive.
    async fn archive_wire_message(&self, m: &WireMessage) -> StoreResult<WireMessageId>;
    /// One archived message by its id.
    async fn wire_message(&self, id: WireMessageId) -> StoreResult<Option<WireMessage>>;
    /// Whether a request of `kind` (its wire name) with this refId and msgId (none: a request without one) was
    /// sent, by any instance on this store.
    async fn wire_request_sent(&self, kind: &str, ref_id: &RefId, msg_id: Option<&str>) -> StoreResult<bool>;
    /// Whether other instances on this store hear [`Store::announce_wire_message`] (false for a store one
    /// instance serves alone).
    fn relays_wire_messages(&self) -> bool;
    /// Tells the other instances on this store that a received message they may be waiting for was archived
    /// (a response the network posted to another instance than the one that asked).
    async fn announce_wire_message(&self, id: WireMessageId) -> StoreResult<()>;
    /// The most recent archived messages matching the query, oldest first (in the order they were archived).
    async fn wire_messages(&self, q: &WireQuery) -> StoreResult<Vec<WireMessage>>;
    /// Forgets the messages archived before `before`; how many went.
    async fn prune_wire_messages(&self, before: Timestamp) -> StoreResult<u64>;
}
