//! The background worker: a reconciler driven by persisted states. Each pass reads what is due from the store
//! (expired links, paid payments, pending bill payments, failed ones, queued refunds) and moves it one step; it
//! is woken at once by any transition and otherwise by a periodic tick. Because it starts from the database, a
//! restarted process resumes exactly where the previous one stopped.

use bbps_core::PaymentStatus;
use tokio::sync::watch;

use super::lifecycle;
use crate::app::AppState;
use crate::error::AppError;
use crate::model::PaymentRecord;
use crate::util::now;

async fn step(app: &AppState, rec: &PaymentRecord) -> Result<(), AppError> {
    match rec.status {
        PaymentStatus::AwaitingPayment => lifecycle::expire(app, rec).await,
        PaymentStatus::Paid => lifecycle::pay_bill(app, rec).await,
        PaymentStatus::BillPaymentPending => lifecycle::check_bill_payment(app, rec).await,
        PaymentStatus::BillPaymentFailed => lifecycle::start_refund(app, rec).await,
        _ => Ok(()),
    }
}

/// One pass over everything due; returns how many items it worked on.
pub async fn run_once(app: &AppState) -> usize {
    let mut worked = 0;
    match app.store.payments_due(now(), 100).await {
        Ok(due) => {
            worked += due.len();
            // Payments are independent; a slow network call for one must not hold up the others.
            let results = futures_util::future::join_all(due.iter().map(|rec| step(app, rec))).await;
            for (rec, result) in due.iter().zip(results) {
                if let Err(e) = result {
                    tracing::warn!(payment = %rec.id, code = ?e.code(), "worker step failed: {}", e.0.message);
                }
            }
        }
        Err(e) => tracing::error!(%e, "worker: cannot read due payments"),
    }
    match app.store.refunds_due(now(), 50).await {
        Ok(refunds) => {
            worked += refunds.len();
            for refund in &refunds {
                if let Err(e) = lifecycle::process_refund(app, refund).await {
                    tracing::warn!(refund = %refund.id, "refund step failed: {}", e.0.message);
                }
            }
        }
        Err(e) => tracing::error!(%e, "worker: cannot read due refunds"),
    }
    worked
}

/// The worker loop, until shutdown. Every transition notifies it, so a step that makes the next one due is
/// followed at once; otherwise it wakes on the tick.
pub async fn run(app: AppState, mut shutdown: watch::Receiver<bool>) {
    let mut passes: u64 = 0;
    loop {
        run_once(&app).await;
        passes += 1;
        if passes.is_multiple_of(60) {
            app.limits.prune();
        }
        tokio::select! {
            _ = app.wake_worker.notified() => {}
            _ = tokio::time::sleep(app.config.worker_tick) => {}
            _ = shutdown.changed() => return,
        }
        if *shutdown.borrow() {
            return;
        }
    }
}
