//! The BBPS network port: biller master data, bill fetch and validation, bill payment and its status,
//! complaints. The live adapter and the sandbox implement it; the engine applies its own time limits around every
//! call (`crate::timed`), so an adapter need not.

use std::net::IpAddr;

use async_trait::async_trait;
use bbps_core::api::{Bill, ComplaintHistoryEntry, ComplaintSubject, MobileNumber};
use bbps_core::complaint::ComplaintStatus;
use bbps_core::plan::Plan;
use bbps_core::{ApprovalRef, Biller, BillerId, Channel, ComplaintId, Paise, Pause, PlanId, RefId, Timestamp, TxnRef};

/// A fetch or validation request: the customer params, validated and in the biller's order, and who asks.
#[derive(Debug, Clone)]
pub struct BillRequest {
    pub ref_id: RefId,
    pub biller_id: BillerId,
    pub params: Vec<(String, String)>,
    pub channel: Channel,
    /// Required by a network whose [`BbpsNetwork::needs_customer_mobile`] says so; the engine checks first.
    pub customer_mobile: Option<MobileNumber>,
    /// The address of the customer's device, as the server saw it (the agent's device tags report it).
    pub customer_ip: IpAddr,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validation {
    pub customer_name: Option<String>,
}

/// A bill payment: the refId of the fetch (or a fresh one for a direct payment), the params, the fetched bill
/// echoed unchanged, the amount and fee, and how the customer paid.
#[derive(Debug, Clone)]
pub struct PayRequest {
    pub ref_id: RefId,
    pub biller_id: BillerId,
    pub params: Vec<(String, String)>,
    pub bill: Option<Bill>,
    pub amount: Paise,
    /// The convenience fee before GST, and its GST: sent as one `custConvFee` with the two parts beside it.
    pub convenience_fee: Paise,
    pub convenience_fee_gst: Paise,
    /// The plan bought, for a plan biller; its price is `amount`.
    pub plan_id: Option<PlanId>,
    /// The bills paid, by number, when `bill` lists several; `amount` is their sum.
    pub bills: Vec<String>,
    pub channel: Channel,
    pub payer_vpa: Option<String>,
    pub upi_rrn: Option<String>,
    pub customer_mobile: MobileNumber,
    /// The address of the device the customer paid from; `None` for a payment recorded before it was kept.
    pub customer_ip: Option<IpAddr>,
}

/// Where a bill payment stands on the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayStatus {
    Success {
        txn_ref: TxnRef,
        approval_ref: ApprovalRef,
    },
    /// Deemed: accepted, settles later; poll the status. The biller's approval reference may come only with the
    /// settlement.
    Pending {
        txn_ref: TxnRef,
        approval_ref: Option<ApprovalRef>,
    },
    Failed {
        code: String,
        message: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BbpsError {
    /// The network answered with a failure response code (`BFR004`).
    #[error("{code}: {message}")]
    Rejected { code: String, message: String },
    /// The network could not be reached or did not answer sensibly; the outcome is unknown.
    #[error("network unavailable: {0}")]
    Unavailable(String),
    /// No answer within the time limit; the outcome is unknown.
    #[error("the network did not answer within {0:?}")]
    Timeout(std::time::Duration),
}

#[derive(Debug, Clone)]
pub struct ComplaintRequest {
    pub subject: ComplaintSubject,
    pub description: String,
    pub customer_mobile: Option<MobileNumber>,
}

/// A complaint as the network tracks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkComplaint {
    pub id: ComplaintId,
    pub status: ComplaintStatus,
    pub assigned_to: Option<String>,
    pub remarks: Option<String>,
    pub history: Vec<ComplaintHistoryEntry>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A biller the network announces as down (its biller status, apart from the master data): it takes no bills
/// during `pause`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Downtime {
    pub biller_id: BillerId,
    pub pause: Pause,
    /// The network's words for why, if it gave any.
    pub reason: Option<String>,
}

#[async_trait]
pub trait BbpsNetwork: Send + Sync {
    /// Whether a bill fetch must carry the customer's mobile number (the BBPS XML wire's `Customer@mobile` is
    /// required). The engine refuses a fetch without one before asking.
    fn needs_customer_mobile(&self) -> bool {
        false
    }

    /// Biller master data (BillerFetch).
    async fn billers(&self) -> Result<Vec<Biller>, BbpsError>;
    /// The plans on sale of `billers` (plan master data); a plan the network no longer sells is not in it.
    async fn plans(&self, billers: &[BillerId]) -> Result<Vec<Plan>, BbpsError>;
    /// The billers down now or later, as the network announces them (biller status); a network that announces
    /// none answers none.
    async fn downtimes(&self) -> Result<Vec<Downtime>, BbpsError> {
        Ok(Vec::new())
    }
    async fn fetch_bill(&self, req: &BillRequest) -> Result<Bill, BbpsError>;
    async fn validate(&self, req: &BillRequest) -> Result<Validation, BbpsError>;
    /// Pays a bill. Idempotent per refId: paying a refId again answers with the first payment's status.
    async fn pay(&self, req: &PayRequest) -> Result<PayStatus, BbpsError>;
    /// The status of the payment of a refId; `None` if the network never received one.
    async fn payment_status(&self, ref_id: &RefId) -> Result<Option<PayStatus>, BbpsError>;
    async fn raise_complaint(&self, req: &ComplaintRequest) -> Result<NetworkComplaint, BbpsError>;
    async fn track_complaint(&self, id: &ComplaintId) -> Result<Option<NetworkComplaint>, BbpsError>;
    /// Reopens a closed complaint with why the customer is not satisfied; answers with the complaint as it stands
    /// once reopened. A refusal (unknown, still open, reopened before) is `Rejected`.
    async fn reopen_complaint(&self, id: &ComplaintId, description: &str) -> Result<NetworkComplaint, BbpsError>;
    /// Whether the network answers now (readiness): a heartbeat where the wire has one.
    async fn check(&self) -> Result<(), BbpsError>;
}
