//! The background worker: a reconciler driven by persisted states. Each pass reads what is due from the store
//! (expired links, paid payments, pending bill payments, failed ones, refunds, links the PSP is due to be asked
//! about) and moves it one step; it is woken at once by any transition and otherwise by a periodic tick. Because
//! it starts from the database, a restarted process resumes exactly where the previous one stopped.

use bbps_core::PaymentStatus;
use tokio::sync::watch;

use crate::model::PaymentRecord;
use crate::ports::Lease;
use crate::{Engine, Result};

/// How often the worker forgets what the wire archive need not keep any more.
const PRUNE_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

impl Engine {
    async fn step(&self, rec: &PaymentRecord) -> Result<()> {
        match rec.status {
            PaymentStatus::Created | PaymentStatus::AwaitingPayment => self.expire(rec).await,
            PaymentStatus::Paid => self.pay_bill(rec).await,
            PaymentStatus::BillPaymentPending => self.check_bill_payment(rec).await,
            PaymentStatus::BillPaymentFailed => self.start_refund(rec).await,
            PaymentStatus::Completed
            | PaymentStatus::RefundPending
            | PaymentStatus::Refunded
            | PaymentStatus::Expired
            | PaymentStatus::PaymentFailed => Ok(()),
        }
    }

    /// A lease for what this worker claims now.
    fn lease(&self) -> Lease {
        Lease { owner: self.worker_id.clone(), until: Self::after(self.now(), self.config.lease) }
    }

    /// One pass over everything due that no other worker holds; returns how many items it worked on. Each item
    /// is released once its step is done (a step it could not finish is taken up again when its lease runs out).
    pub async fn run_once(&self) -> usize {
        let mut worked = 0;
        match self.store.claim_payments_due(self.now(), &self.lease(), 100).await {
            Ok(due) => {
                worked += due.len();
                // Payments are independent; a slow network call for one must not hold up the others.
                let results = futures_util::future::join_all(due.iter().map(|rec| self.step(rec))).await;
                for (rec, result) in due.iter().zip(results) {
                    if let Err(e) = result {
                        tracing::warn!(payment = %rec.id, code = %e.code(), "worker step failed: {e}");
                    }
                    self.release(rec).await;
                }
            }
            Err(e) => tracing::error!(%e, "worker: cannot read due payments"),
        }
        match self.store.claim_payments_to_reconcile(self.now(), &self.lease(), 100).await {
            Ok(due) => {
                worked += due.len();
                let results = futures_util::future::join_all(due.iter().map(|rec| self.reconcile(rec))).await;
                for (rec, result) in due.iter().zip(results) {
                    if let Err(e) = result {
                        tracing::warn!(payment = %rec.id, code = %e.code(), "reconciliation failed: {e}");
                    }
                    self.release(rec).await;
                }
            }
            Err(e) => tracing::error!(%e, "worker: cannot read payments to reconcile"),
        }
        match self.store.claim_refunds_due(self.now(), &self.lease(), 50).await {
            Ok(refunds) => {
                worked += refunds.len();
                for refund in &refunds {
                    if let Err(e) = self.process_refund(refund).await {
                        tracing::warn!(refund = %refund.id, "refund step failed: {e}");
                    }
                    if let Err(e) = self.store.release_refund(&refund.id, &self.worker_id).await {
                        tracing::warn!(refund = %refund.id, %e, "cannot release the refund; its lease will run out");
                    }
                }
            }
            Err(e) => tracing::error!(%e, "worker: cannot read due refunds"),
        }
        worked
    }

    async fn release(&self, rec: &PaymentRecord) {
        if let Err(e) = self.store.release_payment(&rec.id, &self.worker_id).await {
            tracing::warn!(payment = %rec.id, %e, "cannot release the payment; its lease will run out");
        }
    }

    /// The worker loop, until shutdown. Every transition wakes it, so a step that makes the next one due is
    /// followed at once; otherwise it wakes on the tick. Once an hour (and at start) it prunes the wire archive.
    pub async fn run_worker(&self, mut shutdown: watch::Receiver<bool>) {
        let mut pruned: Option<tokio::time::Instant> = None;
        loop {
            if pruned.is_none_or(|at| at.elapsed() >= PRUNE_EVERY) {
                self.prune_wire_archive().await;
                pruned = Some(tokio::time::Instant::now());
            }
            self.run_once().await;
            tokio::select! {
                _ = self.wake_worker.notified() => {}
                _ = tokio::time::sleep(self.config.worker_tick) => {}
                _ = shutdown.changed() => return,
            }
            if *shutdown.borrow() {
                return;
            }
        }
    }
}
