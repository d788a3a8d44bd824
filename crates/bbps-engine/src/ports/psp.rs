//! The UPI PSP port: a collect link per payment, what the PSP knows about it, refunds, and the notifications the
//! PSP sends. The shapes follow what a UPI collections PSP offers (Setu's UPI DeepLinks is the live adapter): the
//! PSP honours one debit per link and itself returns the others (a second payment, a wrong amount, a payment after
//! the link expired), and it refunds a honoured debit only when asked. The engine applies the time limits
//! (`crate::timed`).

use async_trait::async_trait;
use bbps_core::{Paise, Timestamp, UpiTxnRef};

/// The PSP's id of a collect link (Setu's `platformBillID`).
pub type LinkId = String;

/// A link to create: `reference` is ours (Setu's `billerBillID`), unique per payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRequest {
    pub reference: UpiTxnRef,
    /// Exactly this amount is accepted.
    pub amount: Paise,
    pub payee_name: String,
    pub note: String,
    pub expires_at: Timestamp,
}

/// A created link: the PSP's id and its `upi://pay` link exactly as the PSP returned it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PspLink {
    pub id: LinkId,
    pub upi_link: String,
}

/// One debit of a payer's account for a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Debit {
    /// The PSP's id of this debit (stable across notifications and status answers).
    pub id: String,
    pub amount: Paise,
    pub payer_vpa: Option<String>,
    /// The UPI transaction reference (RRN) when the PSP gives it.
    pub rrn: Option<String>,
    pub at: Timestamp,
}

/// Why the PSP returned a debit instead of honouring it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returned {
    /// Not the link's amount.
    WrongAmount,
    /// After the link expired.
    LinkExpired,
    /// The link had already been paid.
    AlreadyPaid,
    /// Any other reason the PSP gives (its own validation, a missed bank alert).
    Other,
}

/// What the PSP reports, by notification or by a status answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PspEvent {
    /// The debit is honoured: the link is paid.
    DebitHonoured { link: LinkId, reference: Option<UpiTxnRef>, debit: Debit },
    /// The payer was debited but the PSP returns the money itself.
    DebitReturned { link: LinkId, reference: Option<UpiTxnRef>, debit: Debit, why: Returned },
    /// A payment attempt failed before any money moved (the payer declined, the bank refused).
    AttemptFailed { link: LinkId, reason: String },
    /// A refund moved on at the PSP: `refund` is the PSP's id of it; `debit` names the debit a refund the PSP
    /// made of its own accord returns.
    Refund { refund: Option<String>, link: LinkId, debit: Option<String>, state: RefundState },
}

/// Where a link stands at the PSP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    /// Created, not paid.
    Open,
    /// Paid by this debit.
    Paid(Debit),
    /// The PSP refused the payment made on it (and returns the money itself).
    Refused,
    Expired,
}

/// A refund to ask for: of the honoured debit of `link`, in full or in part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRequest {
    pub link: LinkId,
    pub amount: Paise,
    /// `amount` is the whole honoured debit.
    pub full: bool,
}

/// Where a refund stands at the PSP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundState {
    /// Accepted, not yet sent to the bank.
    Accepted,
    /// Sent to the payer's bank: the PSP's last word on a refund.
    Initiated,
    /// The PSP will not make it.
    Rejected,
}

/// The PSP's answer to a refund request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundAnswer {
    Created {
        id: String,
        state: RefundState,
    },
    /// Nothing of the debit is left to refund: an earlier request (whose answer was lost) already refunds it.
    NothingLeft,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PspError {
    #[error("the PSP refused: {0}")]
    Rejected(String),
    #[error("the PSP could not be reached: {0}")]
    Unavailable(String),
    #[error("the PSP did not answer within {0:?}")]
    Timeout(std::time::Duration),
}

/// A notification that cannot be believed or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotificationError {
    #[error("the notification's credentials are missing, wrong or stale: {0}")]
    Unauthenticated(String),
    #[error("the notification is malformed: {0}")]
    Malformed(String),
}

#[async_trait]
pub trait UpiPsp: Send + Sync {
    async fn create_link(&self, req: &LinkRequest) -> Result<PspLink, PspError>;
    async fn link_state(&self, link: &str) -> Result<LinkState, PspError>;
    /// Closes a link so no later payment is honoured.
    async fn expire_link(&self, link: &str) -> Result<(), PspError>;
    async fn refund(&self, req: &RefundRequest) -> Result<RefundAnswer, PspError>;
    async fn refund_state(&self, refund: &str) -> Result<RefundState, PspError>;
    /// Whether the PSP takes our credentials now (readiness).
    async fn check(&self) -> Result<(), PspError>;
    /// Authenticates a notification (its `Authorization` header) and reads its events.
    fn read_notification(&self, authorization: Option<&str>, body: &[u8]) -> Result<Vec<PspEvent>, NotificationError>;
}
