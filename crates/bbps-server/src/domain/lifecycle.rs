//! The payment lifecycle of DESIGN.md §6. Every move goes through [`transition`], which checks it against
//! `PaymentStatus::can_transition_to`, writes it with a compare-and-set (and, in the same transaction, the
//! webhook of a terminal state and the refund a refund state needs) and only then publishes it. The side effect
//! that follows a transition (paying the bill, refunding) runs after the write, so a crash at any point leaves a
//! persisted state the worker resumes from.

use bbps_core::api::{PaymentFailure, RefundInfo, RefundStatus};
use bbps_core::{ErrorCode, PaymentStatus};

use crate::app::AppState;
use crate::bbps::{BbpsError, PayRequest, PayStatus};
use crate::error::AppError;
use crate::model::{BillPaymentOutcome, PaymentRecord, RefundRecord, UpiDebit};
use crate::psp::{DebitStatus, PspCallback};
use crate::store::{Effects, StoreError};
use crate::util::{after, now};

/// Why the money of a payment goes back.
pub mod refund_reason {
    pub const BILL_PAYMENT_FAILED: &str = "bill_payment_failed";
    pub const AMOUNT_MISMATCH: &str = "amount_mismatch";
    pub const PAID_AFTER_EXPIRY: &str = "paid_after_expiry";
    pub const PAID_AFTER_FAILURE: &str = "paid_after_failure";
    pub const DUPLICATE_DEBIT: &str = "duplicate_debit";
}

/// The refund id of a payment's own debit: fixed per payment, so the PSP call is idempotent across retries.
pub fn primary_refund_id(rec: &PaymentRecord) -> String {
    format!("rfd_{}", rec.id.as_str().trim_start_matches("pay_"))
}

/// Moves `current` to `to` (or rewrites it in place when `to` is its status), applying `change` first. Returns
/// the written record, or `None` when another writer moved the payment first.
pub async fn transition(
    app: &AppState,
    current: &PaymentRecord,
    to: PaymentStatus,
    note: &str,
    change: impl FnOnce(&mut PaymentRecord),
) -> Result<Option<PaymentRecord>, StoreError> {
    if to != current.status && !current.status.can_transition_to(to) {
        tracing::error!(payment = %current.id, from = ?current.status, ?to, "refused an illegal transition");
        return Ok(None);
    }
    let mut next = current.clone();
    change(&mut next);
    next.status = to;
    next.version = current.version + 1;
    next.updated_at = now();
    let mut effects = Effects::default();
    let entering = to != current.status;
    if entering
        && to.is_terminal()
        && let Some(merchant) = app.store.merchant(&next.merchant_id).await?
    {
        effects.webhook = crate::webhooks::for_payment(&merchant, &next.to_api());
    }
    if entering
        && to == PaymentStatus::RefundPending
        && let (Some(debit), Some(refund)) = (&next.debit, &next.refund)
    {
        effects.refund = Some(RefundRecord {
            id: primary_refund_id(&next),
            payment_id: next.id.clone(),
            psp_txn_id: debit.psp_txn_id.clone(),
            amount: refund.amount,
            reason: refund.reason.clone(),
            status: RefundStatus::Pending,
            primary: true,
            psp_ref: None,
            attempts: 0,
            next_attempt_at: next.updated_at,
            created_at: next.updated_at,
            refunded_at: None,
        });
    }
    let has_webhook = effects.webhook.is_some();
    if !app.store.save_payment((current.status, current.version), &next, note, effects).await? {
        return Ok(None);
    }
    if entering {
        tracing::info!(payment = %next.id, from = ?current.status, to = ?to, note, "payment transition");
    }
    app.events.publish(next.to_api());
    app.wake_worker.notify_one();
    if has_webhook {
        app.wake_webhooks.notify_one();
    }
    Ok(Some(next))
}

fn debit_of(cb: &PspCallback) -> UpiDebit {
    UpiDebit {
        psp_txn_id: cb.psp_txn_id.clone(),
        rrn: cb.rrn.clone(),
        payer_vpa: cb.payer_vpa.clone(),
        amount: cb.amount,
        at: cb.at,
    }
}

fn refund_info(amount: bbps_core::Paise, reason: &str) -> RefundInfo {
    RefundInfo { status: RefundStatus::Pending, amount, reason: reason.to_owned(), reference: None, refunded_at: None }
}

fn failure(code: &str, message: &str, bbps_code: Option<String>) -> PaymentFailure {
    PaymentFailure { code: code.to_owned(), message: message.to_owned(), bbps_code }
}

/// Applies what the PSP says about a debit (a verified callback or a status answer). A debit reported twice
/// makes one transition; money that arrives when it cannot pay the bill goes back.
pub async fn apply_debit(app: &AppState, cb: &PspCallback) -> Result<PaymentRecord, AppError> {
    for _ in 0..8 {
        let rec = app.store.payment_by_upi_ref(&cb.upi_txn_ref).await?.ok_or_else(|| {
            AppError::new(ErrorCode::CallbackUnknownPayment, "no payment has this transaction reference")
        })?;
        if rec.debit.as_ref().is_some_and(|d| d.psp_txn_id == cb.psp_txn_id) {
            return Ok(rec);
        }
        let written = match cb.status {
            DebitStatus::Failure if rec.status == PaymentStatus::AwaitingPayment => {
                let reason = cb.reason.clone().unwrap_or_else(|| "The UPI payment was declined".to_owned());
                transition(app, &rec, PaymentStatus::PaymentFailed, "UPI debit failed", |r| {
                    r.failure = Some(failure("upi_declined", &reason, None));
                })
                .await?
            }
            DebitStatus::Failure => return Ok(rec),
            DebitStatus::Success => {
                if app.store.refund_for_debit(&cb.psp_txn_id).await?.is_some() {
                    return Ok(rec);
                }
                match rec.status {
                    PaymentStatus::AwaitingPayment if cb.amount == rec.charges.total => {
                        transition(app, &rec, PaymentStatus::Paid, "UPI debit confirmed", |r| {
                            r.debit = Some(debit_of(cb))
                        })
                        .await?
                    }
                    PaymentStatus::AwaitingPayment => {
                        let message = format!(
                            "{} was paid instead of {}; it is being refunded",
                            cb.amount.to_inr_string(),
                            rec.charges.total.to_inr_string()
                        );
                        transition(app, &rec, PaymentStatus::RefundPending, "UPI debit for the wrong amount", |r| {
                            r.debit = Some(debit_of(cb));
                            r.failure = Some(failure("amount_mismatch", &message, None));
                            r.refund = Some(refund_info(cb.amount, refund_reason::AMOUNT_MISMATCH));
                        })
                        .await?
                    }
                    PaymentStatus::Expired | PaymentStatus::PaymentFailed => {
                        let reason = if rec.status == PaymentStatus::Expired {
                            refund_reason::PAID_AFTER_EXPIRY
                        } else {
                            refund_reason::PAID_AFTER_FAILURE
                        };
                        transition(app, &rec, PaymentStatus::RefundPending, "UPI debit after the link closed", |r| {
                            r.debit = Some(debit_of(cb));
                            r.refund = Some(refund_info(cb.amount, reason));
                        })
                        .await?
                    }
                    _ => {
                        // The payer paid this link a second time: that debit goes back, the payment is unchanged.
                        let at = now();
                        let extra = RefundRecord {
                            id: format!("rfd_{}", crate::util::random_token(24)),
                            payment_id: rec.id.clone(),
                            psp_txn_id: cb.psp_txn_id.clone(),
                            amount: cb.amount,
                            reason: refund_reason::DUPLICATE_DEBIT.to_owned(),
                            status: RefundStatus::Pending,
                            primary: false,
                            psp_ref: None,
                            attempts: 0,
                            next_attempt_at: at,
                            created_at: at,
                            refunded_at: None,
                        };
                        if app.store.insert_refund(&extra).await? {
                            tracing::warn!(payment = %rec.id, psp_txn_id = %cb.psp_txn_id, "second debit for a payment; refunding it");
                            app.wake_worker.notify_one();
                        }
                        return Ok(rec);
                    }
                }
            }
        };
        if let Some(rec) = written {
            return Ok(rec);
        }
    }
    Err(AppError::new(ErrorCode::ServiceUnavailable, "the payment is busy; deliver the callback again"))
}

/// An awaiting payment whose link expired: ask the PSP first (the payer may have paid), then expire it.
pub async fn expire(app: &AppState, rec: &PaymentRecord) -> Result<(), AppError> {
    let status =
        tokio::time::timeout(app.config.provider_timeout, app.psp.debit_status(rec.upi.txn_ref.as_str())).await;
    match status {
        Ok(Ok(Some(cb))) => apply_debit(app, &cb).await.map(|_| ()),
        Ok(Ok(None)) => {
            transition(app, rec, PaymentStatus::Expired, "UPI link expired unpaid", |r| {
                r.failure = Some(failure("expired", "The payment link expired before it was paid", None));
            })
            .await?;
            Ok(())
        }
        Ok(Err(e)) => {
            tracing::warn!(payment = %rec.id, %e, "PSP status query failed; the expiry waits");
            Ok(())
        }
        Err(_) => {
            tracing::warn!(payment = %rec.id, "PSP status query timed out; the expiry waits");
            Ok(())
        }
    }
}

fn pay_request(rec: &PaymentRecord) -> PayRequest {
    PayRequest {
        ref_id: rec.ref_id.clone(),
        biller_id: rec.biller_id.clone(),
        params: rec.params.iter().map(|p| (p.name.clone(), p.value.clone())).collect(),
        bill: rec.bill.clone(),
        amount: rec.charges.bill_amount,
        convenience_fee: rec.charges.convenience_fee,
        channel: rec.channel,
        payer_vpa: rec.debit.as_ref().and_then(|d| d.payer_vpa.clone()),
        upi_rrn: rec.debit.as_ref().and_then(|d| d.rrn.clone()),
        customer_mobile: rec.customer_mobile.clone(),
    }
}

/// Sets when the worker looks at a pending bill payment again. Nothing the customer sees changes, so nothing is
/// published.
async fn reschedule(app: &AppState, rec: &PaymentRecord, at: bbps_core::Timestamp) -> Result<(), AppError> {
    let mut next = rec.clone();
    next.next_check_at = Some(at);
    next.version = rec.version + 1;
    app.store.save_payment((rec.status, rec.version), &next, "", Effects::default()).await?;
    Ok(())
}

/// Records a bill payment status from the network.
async fn apply_pay_status(app: &AppState, rec: &PaymentRecord, status: PayStatus) -> Result<(), AppError> {
    let at = now();
    match status {
        PayStatus::Success { txn_ref, approval_ref } => {
            transition(app, rec, PaymentStatus::Completed, "bill paid", |r| {
                r.bill_payment = Some(BillPaymentOutcome { txn_ref, approval_ref, settled: true, at });
                r.next_check_at = None;
            })
            .await?;
        }
        PayStatus::Pending { txn_ref, approval_ref } => {
            let next = after(at, app.config.bill_status_poll);
            if rec.bill_payment.as_ref().is_some_and(|b| !b.settled && b.txn_ref == txn_ref) {
                return reschedule(app, rec, next).await;
            }
            tracing::info!(payment = %rec.id, "bill payment is deemed; polling its status");
            transition(app, rec, PaymentStatus::BillPaymentPending, "bill payment pending at the network", |r| {
                r.bill_payment = Some(BillPaymentOutcome { txn_ref, approval_ref, settled: false, at });
                r.next_check_at = Some(next);
            })
            .await?;
        }
        PayStatus::Failed { code, message } => {
            let failed = transition(app, rec, PaymentStatus::BillPaymentFailed, "bill payment failed", |r| {
                r.failure = Some(failure("bill_payment_failed", &message, Some(code.clone())));
                r.next_check_at = None;
            })
            .await?;
            if let Some(failed) = failed {
                start_refund(app, &failed).await?;
            }
        }
    }
    Ok(())
}

/// Waits for the next check of a bill payment whose outcome is not known.
async fn check_later(app: &AppState, rec: &PaymentRecord, why: &str) -> Result<(), AppError> {
    tracing::warn!(payment = %rec.id, why, "bill payment outcome unknown; checking again later");
    reschedule(app, rec, after(now(), app.config.bill_status_poll)).await
}

/// Pays the bill of a `paid` payment: `bill_payment_pending` is written first, then the network is asked.
pub async fn pay_bill(app: &AppState, rec: &PaymentRecord) -> Result<(), AppError> {
    let Some(pending) = transition(app, rec, PaymentStatus::BillPaymentPending, "paying the bill", |r| {
        r.next_check_at = None;
    })
    .await?
    else {
        return Ok(());
    };
    send_bill_payment(app, &pending).await
}

async fn send_bill_payment(app: &AppState, rec: &PaymentRecord) -> Result<(), AppError> {
    match tokio::time::timeout(app.config.provider_timeout, app.bbps.pay(&pay_request(rec))).await {
        Ok(Ok(status)) => apply_pay_status(app, rec, status).await,
        Ok(Err(BbpsError::Rejected { code, message })) => {
            apply_pay_status(app, rec, PayStatus::Failed { code, message }).await
        }
        Ok(Err(BbpsError::Unavailable(e))) => check_later(app, rec, &e).await,
        Err(_) => check_later(app, rec, "the bill payment timed out").await,
    }
}

/// A `bill_payment_pending` payment due a check: ask the network by refId before anything else, so a payment
/// the network already has (a crash after sending it, a deemed payment) is never sent twice.
pub async fn check_bill_payment(app: &AppState, rec: &PaymentRecord) -> Result<(), AppError> {
    match tokio::time::timeout(app.config.provider_timeout, app.bbps.payment_status(&rec.ref_id)).await {
        Ok(Ok(Some(status))) => apply_pay_status(app, rec, status).await,
        Ok(Ok(None)) => send_bill_payment(app, rec).await,
        Ok(Err(e)) => check_later(app, rec, &e.to_string()).await,
        Err(_) => check_later(app, rec, "the status query timed out").await,
    }
}

/// `bill_payment_failed` -> `refund_pending`, queuing the refund of the debit.
pub async fn start_refund(app: &AppState, rec: &PaymentRecord) -> Result<(), AppError> {
    let amount = rec.debit.as_ref().map_or(rec.charges.total, |d| d.amount);
    transition(app, rec, PaymentStatus::RefundPending, "refunding the UPI debit", |r| {
        r.refund = Some(refund_info(amount, refund_reason::BILL_PAYMENT_FAILED));
    })
    .await?;
    Ok(())
}

/// Sends one queued refund to the PSP; the payment's own refund then moves it to `refunded`.
pub async fn process_refund(app: &AppState, refund: &RefundRecord) -> Result<(), AppError> {
    let call = app.psp.refund(&refund.id, &refund.psp_txn_id, refund.amount);
    let result = tokio::time::timeout(app.config.provider_timeout, call).await;
    let mut next = refund.clone();
    match result {
        Ok(Ok(reference)) => {
            let at = now();
            if refund.primary
                && let Some(rec) = app.store.payment(&refund.payment_id).await?
                && rec.status == PaymentStatus::RefundPending
            {
                transition(app, &rec, PaymentStatus::Refunded, "refund confirmed by the PSP", |r| {
                    if let Some(info) = r.refund.as_mut() {
                        info.status = RefundStatus::Refunded;
                        info.reference = Some(reference.clone());
                        info.refunded_at = Some(at);
                    }
                })
                .await?;
            }
            next.status = RefundStatus::Refunded;
            next.psp_ref = Some(reference);
            next.refunded_at = Some(at);
            tracing::info!(refund = %refund.id, payment = %refund.payment_id, "refunded");
        }
        Ok(Err(e)) => {
            tracing::warn!(refund = %refund.id, %e, "refund failed; retrying later");
            next.attempts += 1;
            next.next_attempt_at = after(now(), crate::webhooks::backoff(&app.config.webhook, next.attempts));
        }
        Err(_) => {
            tracing::warn!(refund = %refund.id, "refund timed out; retrying later");
            next.attempts += 1;
            next.next_attempt_at = after(now(), crate::webhooks::backoff(&app.config.webhook, next.attempts));
        }
    }
    app.store.update_refund(&next).await?;
    Ok(())
}
