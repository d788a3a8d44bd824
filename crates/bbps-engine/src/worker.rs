//! The background worker: a reconciler driven by persisted states. Each pass reads what is due from the store
//! (expired links, paid payments, pending bill payments, failed ones, refunds, links the PSP is due to be asked
//! about) and moves it one step; it is woken at once by any transition and otherwise by a periodic tick. Because
//! it starts from the database, a restarted process resumes exactly where the previous one stopped.

use bbps_core::PaymentStatus;
use tokio::sync::watch;

use crate::model::PaymentRecord;
use crate::{Engine, Result};

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

    /// One pass over everything due; returns how many items it worked on.
    pub async fn run_once(&self) -> usize {
        let mut worked = 0;
        match self.store.payments_due(self.now(), 100).await {
            Ok(due) => {
                worked += due.len();
                // Payments are independent; a slow network call for one must not hold up the others.
                let results = futures_util::future::join_all(due.iter().map(|rec| self.step(rec))).await;
                for (rec, result) in due.iter().zip(results) {
                    if let Err(e) = result {
                        tracing::warn!(payment = %rec.id, code = %e.code(), "worker step failed: {e}");
                    }
                }
            }
            Err(e) => tracing::error!(%e, "worker: cannot read due payments"),
        }
        match self.store.payments_to_reconcile(self.now(), 100).await {
            Ok(due) => {
                worked += due.len();
                let results = futures_util::future::join_all(due.iter().map(|rec| self.reconcile(rec))).await;
                for (rec, result) in due.iter().zip(results) {
                    if let Err(e) = result {
                        tracing::warn!(payment = %rec.id, code = %e.code(), "reconciliation failed: {e}");
                    }
                }
            }
            Err(e) => tracing::error!(%e, "worker: cannot read payments to reconcile"),
        }
        match self.store.refunds_due(self.now(), 50).await {
            Ok(refunds) => {
                worked += refunds.len();
                for refund in &refunds {
                    if let Err(e) = self.process_refund(refund).await {
                        tracing::warn!(refund = %refund.id, "refund step failed: {e}");
                    }
                }
            }
            Err(e) => tracing::error!(%e, "worker: cannot read due refunds"),
        }
        worked
    }

    /// The worker loop, until shutdown. Every transition wakes it, so a step that makes the next one due is
    /// followed at once; otherwise it wakes on the tick.
    pub async fn run_worker(&self, mut shutdown: watch::Receiver<bool>) {
        loop {
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
