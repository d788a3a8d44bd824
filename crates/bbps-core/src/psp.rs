//! The PSP's side of the wire: what a PSP callback (and a status answer) says about the debit of one UPI link,
//! and what the callback endpoint answers.

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::money::Paise;
use crate::payment::PaymentStatus;

crate::wire_enum! {
    pub enum DebitStatus {
        Success = "SUCCESS",
        /// Declined by the payer or failed at the bank.
        Failure = "FAILURE",
    }
}

/// The body of a PSP callback (and of a status answer): what happened to the debit for one link's `tr`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PspCallback {
    /// The `tr` of the link the payer paid.
    #[cfg_attr(feature = "openapi", schema(min_length = 4, max_length = 35, pattern = "^[A-Za-z0-9_-]{4,35}$"))]
    pub upi_txn_ref: String,
    /// The PSP's id of this debit; a payer who pays a link twice makes two.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallbackAck {
    /// Always `true`: the callback was verified and handled (a repeated callback changes nothing).
    pub received: bool,
    pub payment_status: PaymentStatus,
}
