//! Responses that arrive after their call stopped waiting. Nobody waits for a late fetch, validation or status
//! answer any more (the customer was told it timed out; the lifecycle asks the status again), so only a late
//! payment answer is news: it goes, as the port's status, to whoever drains [`LatePayments`] (the server hands
//! each to the engine's lifecycle).

use std::sync::Arc;

use bbps_core::{AgentId, RefId};
use bbps_engine::ports::PayStatus;
use tokio::sync::mpsc;

use crate::ids::txn_ref_for;
use crate::map::bill::pay_status_of;
use crate::message::Message;
use crate::transport::callback::LateSink;

/// A late answer to the payment of a bill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatePayment {
    pub ref_id: RefId,
    pub status: PayStatus,
}

/// The late sink that passes late payment answers on.
pub struct LateAnswers {
    /// Our agent: the transaction reference a payment was sent under is derived from it and the refId.
    agent: AgentId,
    tx: mpsc::UnboundedSender<LatePayment>,
}

/// Where late payment answers come out.
pub type LatePayments = mpsc::UnboundedReceiver<LatePayment>;

impl LateAnswers {
    pub fn channel(agent: AgentId) -> (Arc<LateAnswers>, LatePayments) {
        // Unbounded: late answers are rare, and each is a payment's outcome that must not be dropped.
        let (tx, rx) = mpsc::unbounded_channel();
        (Arc::new(LateAnswers { agent, tx }), rx)
    }
}

impl LateSink for LateAnswers {
    fn late(&self, response: Message) {
        match response {
            Message::BillPaymentResponse(r) => {
                let ref_id = r.head.ref_id.clone();
                match pay_status_of(&r, &txn_ref_for(&self.agent, &ref_id)) {
                    Ok(status) => {
                        if self.tx.send(LatePayment { ref_id: ref_id.clone(), status }).is_err() {
                            tracing::warn!(%ref_id, "a late payment answer with nobody to take it");
                        }
                    }
                    Err(e) => tracing::warn!(%ref_id, error = %e, "a late payment answer that makes no sense"),
                }
            }
            other => tracing::info!(kind = %other.kind(), ref_id = ?other.ref_id(), "a late answer nobody waits for"),
        }
    }
}
