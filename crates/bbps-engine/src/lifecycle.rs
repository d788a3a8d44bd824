//! The payment lifecycle of DESIGN.md §6. Every move goes through [`Engine::transition`], which checks it
//! against `PaymentStatus::can_transition_to`, writes it with a compare-and-set (and, in the same transaction,
//! the webhook of a terminal state and the refund a refund state needs) and only then publishes it. The side
//! effect that follows a transition (paying the bill, refunding) runs after the write, so a crash at any point
//! leaves a persisted state the worker resumes from.

use bbps_core::api::{FailureCode, PaymentFailure, RefundInfo, RefundReason, RefundStatus};
use bbps_core::psp::{DebitStatus, PspCallback};
use bbps_core::{ErrorCode, Paise, PaymentStatus, Timestamp, UpiTxnRef};

use crate::model::{BillPaymentOutcome, PaymentRecord, RefundRecord, UpiDebit};
use crate::ports::{BbpsError, BbpsNetwork, Effects, PayRequest, PayStatus, StoreError, UpiPsp};
use crate::{Engine, Error, Result};

/// What a reported debit did to its payment.
enum Applied {
    Moved(Box<PaymentRecord>),
    /// Another writer moved the payment first: read it again and retry.
    Raced,
    /// Nothing about the payment changes (a failure after the fact, a second debit queued for refund).
    Unchanged,
}

impl From<Option<PaymentRecord>> for Applied {
    fn from(written: Option<PaymentRecord>) -> Applied {
        written.map_or(Applied::Raced, |rec| Applied::Moved(Box::new(rec)))
    }
}

/// The refund id of a payment's own debit: fixed per payment, so the PSP call is idempotent across retries.
pub fn primary_refund_id(rec: &PaymentRecord) -> String {
    format!("rfd_{}", rec.id.as_str().trim_start_matches("pay_"))
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

fn refund_info(amount: Paise, reason: RefundReason) -> RefundInfo {
    RefundInfo { status: RefundStatus::Pending, amount, reason, reference: None, refunded_at: None }
}

fn failure(code: FailureCode, message: &str, bbps_code: Option<String>) -> PaymentFailure {
    PaymentFailure { code, message: message.to_owned(), bbps_code }
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

impl Engine {
    /// Moves `current` to `to` (or rewrites it in place when `to` is its status), applying `change` first.
    /// Returns the written record, or `None` when another writer moved the payment first.
    pub async fn transition(
        &self,
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
        next.updated_at = self.now();
        let mut effects = Effects::default();
        let entering = to != current.status;
        if entering
            && to.is_terminal()
            && let Some(merchant) = self.store.merchant(&next.merchant_id).await?
        {
            effects.webhook = self.webhook_for(&merchant, &next.to_api());
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
                reason: refund.reason,
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
        if !self.store.save_payment((current.status, current.version), &next, note, effects).await? {
            return Ok(None);
        }
        if entering {
            tracing::info!(payment = %next.id, from = ?current.status, to = ?to, note, "payment transition");
        }
        self.notifier.payment_changed(next.to_api());
        self.wake_worker.notify_one();
        if has_webhook {
            self.wake_webhooks.notify_one();
        }
        Ok(Some(next))
    }

    /// Applies what the PSP says about a debit (a verified callback or a status answer). A debit reported twice
    /// makes one transition; money that arrives when it cannot pay the bill goes back.
    pub async fn apply_debit(&self, cb: &PspCallback) -> Result<PaymentRecord> {
        let unknown = || Error::refused(ErrorCode::CallbackUnknownPayment, "no payment has this transaction reference");
        let tr = UpiTxnRef::parse(&cb.upi_txn_ref).map_err(|_| unknown())?;
        for _ in 0..8 {
            let rec = self.store.payment_by_upi_ref(&tr).await?.ok_or_else(unknown)?;
            if rec.debit.as_ref().is_some_and(|d| d.psp_txn_id == cb.psp_txn_id) {
                return Ok(rec);
            }
            let applied = match cb.status {
                DebitStatus::Failure if rec.status == PaymentStatus::AwaitingPayment => {
                    let reason = cb.reason.clone().unwrap_or_else(|| "The UPI payment was declined".to_owned());
                    self.transition(&rec, PaymentStatus::PaymentFailed, "UPI debit failed", |r| {
                        r.failure = Some(failure(FailureCode::UpiDeclined, &reason, None));
                    })
                    .await?
                    .into()
                }
                DebitStatus::Failure => Applied::Unchanged,
                DebitStatus::Success if self.store.refund_for_debit(&cb.psp_txn_id).await?.is_some() => {
                    Applied::Unchanged
                }
                DebitStatus::Success => self.debit_succeeded(&rec, cb).await?,
            };
            match applied {
                Applied::Moved(rec) => return Ok(*rec),
                Applied::Unchanged => return Ok(rec),
                Applied::Raced => {}
            }
        }
        Err(Error::refused(ErrorCode::ServiceUnavailable, "the payment is busy; deliver the callback again"))
    }

    /// A successful debit for `rec`, not seen before.
    async fn debit_succeeded(&self, rec: &PaymentRecord, cb: &PspCallback) -> Result<Applied> {
        let written = match rec.status {
            PaymentStatus::AwaitingPayment if cb.amount == rec.charges.total => {
                self.transition(rec, PaymentStatus::Paid, "UPI debit confirmed", |r| r.debit = Some(debit_of(cb)))
                    .await?
            }
            PaymentStatus::AwaitingPayment => {
                let message = format!(
                    "{} was paid instead of {}; it is being refunded",
                    cb.amount.to_inr_string(),
                    rec.charges.total.to_inr_string()
                );
                self.transition(rec, PaymentStatus::RefundPending, "UPI debit for the wrong amount", |r| {
                    r.debit = Some(debit_of(cb));
                    r.failure = Some(failure(FailureCode::AmountMismatch, &message, None));
                    r.refund = Some(refund_info(cb.amount, RefundReason::AmountMismatch));
                })
                .await?
            }
            PaymentStatus::Expired | PaymentStatus::PaymentFailed => {
                let reason = if rec.status == PaymentStatus::Expired {
                    RefundReason::PaidAfterExpiry
                } else {
                    RefundReason::PaidAfterFailure
                };
                self.transition(rec, PaymentStatus::RefundPending, "UPI debit after the link closed", |r| {
                    r.debit = Some(debit_of(cb));
                    r.refund = Some(refund_info(cb.amount, reason));
                })
                .await?
            }
            PaymentStatus::Created
            | PaymentStatus::Paid
            | PaymentStatus::BillPaymentPending
            | PaymentStatus::Completed
            | PaymentStatus::BillPaymentFailed
            | PaymentStatus::RefundPending
            | PaymentStatus::Refunded => {
                // The payer paid this link a second time: that debit goes back, the payment is unchanged.
                let at = self.now();
                let extra = RefundRecord {
                    id: self.ids.refund_id(),
                    payment_id: rec.id.clone(),
                    psp_txn_id: cb.psp_txn_id.clone(),
                    amount: cb.amount,
                    reason: RefundReason::DuplicateDebit,
                    status: RefundStatus::Pending,
                    primary: false,
                    psp_ref: None,
                    attempts: 0,
                    next_attempt_at: at,
                    created_at: at,
                    refunded_at: None,
                };
                if self.store.insert_refund(&extra).await? {
                    tracing::warn!(payment = %rec.id, psp_txn_id = %cb.psp_txn_id, "second debit for a payment; refunding it");
                    self.wake_worker.notify_one();
                }
                return Ok(Applied::Unchanged);
            }
        };
        Ok(written.into())
    }

    /// An awaiting payment whose link expired: ask the PSP first (the payer may have paid), then expire it.
    pub async fn expire(&self, rec: &PaymentRecord) -> Result<()> {
        match self.psp.debit_status(&rec.upi.txn_ref).await {
            Ok(Some(cb)) => self.apply_debit(&cb).await.map(|_| ()),
            Ok(None) => {
                self.transition(rec, PaymentStatus::Expired, "UPI link expired unpaid", |r| {
                    r.failure =
                        Some(failure(FailureCode::Expired, "The payment link expired before it was paid", None));
                })
                .await?;
                Ok(())
            }
            Err(e) => {
                tracing::warn!(payment = %rec.id, %e, "PSP status query failed; the expiry waits");
                Ok(())
            }
        }
    }

    /// Sets when the worker looks at a pending bill payment again. Nothing the customer sees changes, so nothing
    /// is published.
    async fn reschedule(&self, rec: &PaymentRecord, at: Timestamp) -> Result<()> {
        let mut next = rec.clone();
        next.next_check_at = Some(at);
        next.version = rec.version + 1;
        self.store.save_payment((rec.status, rec.version), &next, "", Effects::default()).await?;
        Ok(())
    }

    /// Records a bill payment status from the network.
    async fn apply_pay_status(&self, rec: &PaymentRecord, status: PayStatus) -> Result<()> {
        let at = self.now();
        match status {
            PayStatus::Success { txn_ref, approval_ref } => {
                self.transition(rec, PaymentStatus::Completed, "bill paid", |r| {
                    r.bill_payment = Some(BillPaymentOutcome { txn_ref, approval_ref, settled: true, at });
                    r.next_check_at = None;
                })
                .await?;
            }
            PayStatus::Pending { txn_ref, approval_ref } => {
                let next = Self::after(at, self.config.bill_status_poll);
                if rec.bill_payment.as_ref().is_some_and(|b| !b.settled && b.txn_ref == txn_ref) {
                    return self.reschedule(rec, next).await;
                }
                tracing::info!(payment = %rec.id, "bill payment is deemed; polling its status");
                self.transition(rec, PaymentStatus::BillPaymentPending, "bill payment pending at the network", |r| {
                    r.bill_payment = Some(BillPaymentOutcome { txn_ref, approval_ref, settled: false, at });
                    r.next_check_at = Some(next);
                })
                .await?;
            }
            PayStatus::Failed { code, message } => {
                let failed = self
                    .transition(rec, PaymentStatus::BillPaymentFailed, "bill payment failed", |r| {
                        r.failure = Some(failure(FailureCode::BillPaymentFailed, &message, Some(code.clone())));
                        r.next_check_at = None;
                    })
                    .await?;
                if let Some(failed) = failed {
                    self.start_refund(&failed).await?;
                }
            }
        }
        Ok(())
    }

    /// Waits for the next check of a bill payment whose outcome is not known.
    async fn check_later(&self, rec: &PaymentRecord, why: &BbpsError) -> Result<()> {
        tracing::warn!(payment = %rec.id, %why, "bill payment outcome unknown; checking again later");
        self.reschedule(rec, Self::after(self.now(), self.config.bill_status_poll)).await
    }

    /// Pays the bill of a `paid` payment: `bill_payment_pending` is written first, then the network is asked.
    pub async fn pay_bill(&self, rec: &PaymentRecord) -> Result<()> {
        let pending = self
            .transition(rec, PaymentStatus::BillPaymentPending, "paying the bill", |r| r.next_check_at = None)
            .await?;
        match pending {
            Some(pending) => self.send_bill_payment(&pending).await,
            None => Ok(()),
        }
    }

    async fn send_bill_payment(&self, rec: &PaymentRecord) -> Result<()> {
        match self.network.pay(&pay_request(rec)).await {
            Ok(status) => self.apply_pay_status(rec, status).await,
            Err(BbpsError::Rejected { code, message }) => {
                self.apply_pay_status(rec, PayStatus::Failed { code, message }).await
            }
            Err(e @ (BbpsError::Unavailable(_) | BbpsError::Timeout(_))) => self.check_later(rec, &e).await,
        }
    }

    /// A `bill_payment_pending` payment due a check: ask the network by refId before anything else, so a payment
    /// the network already has (a crash after sending it, a deemed payment) is never sent twice.
    pub async fn check_bill_payment(&self, rec: &PaymentRecord) -> Result<()> {
        match self.network.payment_status(&rec.ref_id).await {
            Ok(Some(status)) => self.apply_pay_status(rec, status).await,
            Ok(None) => self.send_bill_payment(rec).await,
            Err(e) => self.check_later(rec, &e).await,
        }
    }

    /// `bill_payment_failed` -> `refund_pending`, queuing the refund of the debit.
    pub async fn start_refund(&self, rec: &PaymentRecord) -> Result<()> {
        let amount = rec.debit.as_ref().map_or(rec.charges.total, |d| d.amount);
        self.transition(rec, PaymentStatus::RefundPending, "refunding the UPI debit", |r| {
            r.refund = Some(refund_info(amount, RefundReason::BillPaymentFailed));
        })
        .await?;
        Ok(())
    }

    /// Sends one queued refund to the PSP; the payment's own refund then moves it to `refunded`.
    pub async fn process_refund(&self, refund: &RefundRecord) -> Result<()> {
        let mut next = refund.clone();
        match self.psp.refund(&refund.id, &refund.psp_txn_id, refund.amount).await {
            Ok(reference) => {
                let at = self.now();
                if refund.primary
                    && let Some(rec) = self.store.payment(&refund.payment_id).await?
                    && rec.status == PaymentStatus::RefundPending
                {
                    self.transition(&rec, PaymentStatus::Refunded, "refund confirmed by the PSP", |r| {
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
            Err(e) => {
                tracing::warn!(refund = %refund.id, %e, "refund failed; retrying later");
                next.attempts += 1;
                next.next_attempt_at = Self::after(self.now(), self.config.retries.backoff(next.attempts));
            }
        }
        self.store.update_refund(&next).await?;
        Ok(())
    }
}
