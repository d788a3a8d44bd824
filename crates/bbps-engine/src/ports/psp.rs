//! The UPI PSP port: it signs the callbacks it sends about debits, answers status queries for a link's `tr`, and
//! refunds a debit. The engine applies the time limits (`crate::timed`).

use async_trait::async_trait;
use bbps_core::psp::PspCallback;
use bbps_core::{Paise, UpiTxnRef};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PspError {
    #[error("the PSP refused: {0}")]
    Rejected(String),
    #[error("the PSP could not be reached: {0}")]
    Unavailable(String),
    #[error("the PSP did not answer within {0:?}")]
    Timeout(std::time::Duration),
}

#[async_trait]
pub trait UpiPsp: Send + Sync {
    /// Whether `signature` (the `X-Psp-Signature` header) signs `body`.
    fn verify_callback(&self, signature: &str, body: &[u8]) -> bool;
    /// The latest debit for a link's `tr`, if the payer acted on it.
    async fn debit_status(&self, upi_txn_ref: &UpiTxnRef) -> Result<Option<PspCallback>, PspError>;
    /// Returns a debit to the payer. Idempotent per `refund_id`: a repeated call answers the same reference.
    async fn refund(&self, refund_id: &str, psp_txn_id: &str, amount: Paise) -> Result<String, PspError>;
}
