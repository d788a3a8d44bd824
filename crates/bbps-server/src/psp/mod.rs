//! The UPI payment service provider as the server sees it: it signs the callbacks it sends about debits,
//! answers status queries for a link's `tr`, and refunds a debit. The sandbox PSP implements it in-process; a
//! real PSP adapter implements the same trait.

pub mod sandbox;

use async_trait::async_trait;
use bbps_core::{Paise, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DebitStatus {
    Success,
    /// Declined by the payer or failed at the bank.
    Failure,
}

/// The body of a PSP callback (and of a status answer): what happened to the debit for one link's `tr`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PspCallback {
    /// The `tr` of the link the payer paid.
    #[schema(min_length = 4, max_length = 35, pattern = "^[A-Za-z0-9_-]{4,35}$")]
    pub upi_txn_ref: String,
    /// The PSP's id of this debit; a payer who pays a link twice makes two.
    #[schema(min_length = 1, max_length = 64)]
    pub psp_txn_id: String,
    pub status: DebitStatus,
    /// What was debited, in paise.
    pub amount: Paise,
    pub payer_vpa: Option<String>,
    /// The UPI reference number (RRN) of the debit.
    pub rrn: Option<String>,
    /// Why a debit failed.
    pub reason: Option<String>,
    pub at: Timestamp,
}

/// What the callback endpoint answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CallbackAck {
    /// Always `true`: the callback was verified and handled (a repeated callback changes nothing).
    pub received: bool,
    pub payment_status: bbps_core::PaymentStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PspError {
    #[error("the PSP refused: {0}")]
    Rejected(String),
    #[error("the PSP could not be reached: {0}")]
    Unavailable(String),
}

#[async_trait]
pub trait UpiPsp: Send + Sync {
    /// Whether `signature` (the `X-Psp-Signature` header) signs `body`.
    fn verify_callback(&self, signature: &str, body: &[u8]) -> bool;
    /// The latest debit for a link's `tr`, if the payer acted on it.
    async fn debit_status(&self, upi_txn_ref: &str) -> Result<Option<PspCallback>, PspError>;
    /// Returns a debit to the payer. Idempotent per `refund_id`: a repeated call answers the same reference.
    async fn refund(&self, refund_id: &str, psp_txn_id: &str, amount: Paise) -> Result<String, PspError>;
}
