//! The payment lifecycle of DESIGN.md §6. Every move goes through [`Engine::transition`] (or
//! [`Engine::refund_pending`] for moves that give money back), which checks it against
//! `PaymentStatus::can_transition_to`, writes it with a compare-and-set (and, in the same transaction, the
//! webhook of a terminal state and the refund a refund state needs) and only then publishes it. The side effect
//! that follows a transition (paying the bill, refunding, closing the PSP's link) runs after the write, so a crash
//! at any point leaves a persisted state the worker resumes from.

use bbps_core::api::{FailureCode, PaymentFailure, RefundInfo, RefundReason, RefundStatus};
use bbps_core::{ErrorCode, PaymentStatus, Timestamp};

use crate::model::{BillPaymentOutcome, PaymentRecord, RefundBy, RefundOf, RefundProgress, RefundRecord, UpiDebit};
use crate::ports::{
    BbpsError, BbpsNetwork, Debit, Effects, LinkState, PayRequest, PayStatus, PspEvent, Returned, StoreError, UpiPsp,
};
use crate::{Engine, Error, Result};

/// What a reported debit did to its payment.
enum Applied {
    Moved,
    /// Another writer moved the payment first: read it again and retry.
    Raced,
    /// Nothing about the payment changes (already known, or a debit that is refunded on its own).
    Unchanged,
}

impl From<Option<PaymentRecord>> for Applied {
    fn from(written: Option<PaymentRecord>) -> Applied {
        if written.is_some() { Applied::Moved } else { Applied::Raced }
    }
}

fn upi_debit(d: &Debit) -> UpiDebit {
    UpiDebit {
        psp_txn_id: d.id.clone(),
        rrn: d.rrn.clone(),
        payer_vpa: d.payer_vpa.clone(),
        amount: d.amount,
        at: d.at,
    }
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
        convenience_fee_gst: rec.charges.convenience_fee_gst,
        plan_id: rec.plan_id.clone(),
        bills: rec.bills.clone(),
        channel: rec.channel,
        payer_vpa: rec.debit.as_ref().and_then(|d| d.payer_vpa.clone()),
        upi_rrn: rec.debit.as_ref().and_then(|d| d.rrn.clone()),
        customer_mobile: rec.customer_mobile.clone(),
        customer_ip: rec.customer_ip,
    }
}

/// The refund reason of a debit the PSP returned, by why it returned it.
fn returned_reason(why: Returned, status: PaymentStatus) -> RefundReason {
    match (why, status) {
        (Returned::WrongAmount, _) => RefundReason::AmountMismatch,
        (Returned::AlreadyPaid, _) => RefundReason::DuplicateDebit,
        (_, PaymentStatus::PaymentFailed) => RefundReason::PaidAfterFailure,
        (Returned::LinkExpired | Returned::Other, _) => RefundReason::PaidAfterExpiry,
    }
}

impl Engine {
    /// Moves `current` to `to` (or rewrites it in place when `to` is its status), applying `change` first.
    /// Returns the written record, or `None` when another writer moved the payment first. Moves into
    /// `refund_pending` go through [`Engine::refund_pending`], which knows who returns the money.
    pub async fn transition(
        &self,
        current: &PaymentRecord,
        to: PaymentStatus,
        note: &str,
        change: impl FnOnce(&mut PaymentRecord),
    ) -> Result<Option<PaymentRecord>, StoreError> {
        if to == PaymentStatus::RefundPending && current.status != to {
            tracing::error!(payment = %current.id, "a refund must be started with refund_pending");
            return Ok(None);
        }
        self.write_transition(current, to, note, change, None).await
    }

    async fn write_transition(
        &self,
        current: &PaymentRecord,
        to: PaymentStatus,
        note: &str,
        change: impl FnOnce(&mut PaymentRecord),
        refund: Option<RefundRecord>,
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
        let entering = to != current.status;
        if entering && to.is_terminal() {
            next.final_at = Some(next.updated_at);
            next.reconcile_at = Some(Self::after(next.updated_at, self.config.notification_overdue));
        }
        let mut effects = Effects { webhook: None, refund };
        if entering
            && to.is_terminal()
            && let Some(merchant) = self.store.merchant(&next.merchant_id).await?
        {
            effects.webhook = self.webhook_for(&merchant, &next.to_api(), None);
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

    /// Moves a payment to `refund_pending` because `debit` goes back to the payer, queuing the refund in the same
    /// transaction: ours to ask the PSP for, or the PSP's own to wait for.
    pub async fn refund_pending(
        &self,
        current: &PaymentRecord,
        note: &str,
        debit: &Debit,
        reason: RefundReason,
        by: RefundBy,
        change: impl FnOnce(&mut PaymentRecord),
    ) -> Result<Option<PaymentRecord>, StoreError> {
        let Some(link) = current.link.as_ref().map(|l| l.id.clone()) else {
            tracing::error!(payment = %current.id, "a refund of a payment without a link");
            return Ok(None);
        };
        let refund = self.new_refund(RefundOf::Payment { payment: current.id.clone(), reason }, link, debit, by);
        let info = RefundInfo {
            status: RefundStatus::Pending,
            amount: debit.amount,
            reason,
            reference: None,
            refunded_at: None,
            escalated_at: None,
        };
        let d = upi_debit(debit);
        self.write_transition(
            current,
            PaymentStatus::RefundPending,
            note,
            |r| {
                change(r);
                r.debit = Some(d);
                r.refund = Some(info);
            },
            Some(refund),
        )
        .await
    }

    /// A refund record for `debit`, due at once (ours) or when the PSP's own refund should have been confirmed.
    fn new_refund(&self, of: RefundOf, link: String, debit: &Debit, by: RefundBy) -> RefundRecord {
        let now = self.now();
        let first_look = match by {
            RefundBy::Us => now,
            RefundBy::Psp => Self::after(now, self.config.psp_refund_wait),
        };
        RefundRecord {
            id: self.ids.refund_id(),
            of,
            link,
            debit_id: debit.id.clone(),
            amount: debit.amount,
            by,
            progress: RefundProgress::Queued,
            attempts: 0,
            next_attempt_at: first_look,
            created_at: now,
            escalated_at: None,
        }
    }

    /// Queues the refund of a debit that does not change any payment (a second debit, a debit on a link we never
    /// issued). Once per debit.
    async fn refund_extra(&self, of: RefundOf, link: &str, debit: &Debit, by: RefundBy) -> Result<()> {
        let refund = self.new_refund(of, link.to_owned(), debit, by);
        if self.store.insert_refund(&refund).await? {
            tracing::warn!(link, debit = %debit.id, ?by, payment = ?refund.of.payment(), "a debit no payment can use; refunding it");
            self.wake_worker.notify_one();
        }
        Ok(())
    }

    /// Applies what the PSP reports, from a notification or a status answer. Each event is idempotent: a debit
    /// reported twice makes one transition, and money that cannot pay a bill goes back exactly once.
    pub async fn apply_psp_event(&self, event: &PspEvent) -> Result<()> {
        match event {
            PspEvent::DebitHonoured { link, reference, debit } => {
                self.apply_debit(link, reference.as_ref(), debit, None).await
            }
            PspEvent::DebitReturned { link, reference, debit, why } => {
                self.apply_debit(link, reference.as_ref(), debit, Some(*why)).await
            }
            PspEvent::AttemptFailed { link, reason } => self.attempt_failed(link, reason).await,
            PspEvent::Refund { refund, debit, state, .. } => {
                let by_id = match refund {
                    Some(id) => self.store.refund_by_psp_id(id).await?,
                    None => None,
                };
                let found = match (by_id, debit) {
                    (Some(r), _) => Some(r),
                    (None, Some(debit)) => self.store.refund_for_debit(debit).await?,
                    (None, None) => None,
                };
                match (found, debit) {
                    (Some(r), _) => self.refund_moved(&r, *state, refund.clone()).await,
                    // The PSP's own refund of a debit whose notice has not reached us yet (it was refused while
                    // we were down and comes again later): taken once that debit is recorded.
                    (None, Some(_)) => Err(Error::refused(
                        ErrorCode::ServiceUnavailable,
                        "a refund of a debit not recorded yet; deliver the notification again",
                    )),
                    // Ours, notified before we stored the PSP's id for it: following the refund finds it too.
                    (None, None) => {
                        tracing::warn!(?refund, "the PSP reports a refund we have no record of");
                        Ok(())
                    }
                }
            }
        }
    }

    async fn payment_of_link(
        &self,
        link: &str,
        reference: Option<&bbps_core::UpiTxnRef>,
    ) -> Result<Option<PaymentRecord>> {
        if let Some(rec) = self.store.payment_by_link(link).await? {
            return Ok(Some(rec));
        }
        match reference {
            Some(r) => Ok(self.store.payment_by_upi_ref(r).await?),
            None => Ok(None),
        }
    }

    /// A debit on `link`: honoured (`returned` is `None`) or returned by the PSP itself.
    async fn apply_debit(
        &self,
        link: &str,
        reference: Option<&bbps_core::UpiTxnRef>,
        debit: &Debit,
        returned: Option<Returned>,
    ) -> Result<()> {
        let by = if returned.is_some() { RefundBy::Psp } else { RefundBy::Us };
        for _ in 0..8 {
            let Some(rec) = self.payment_of_link(link, reference).await? else {
                return self.refund_extra(RefundOf::Stray, link, debit, by).await;
            };
            if rec.debit.as_ref().is_some_and(|d| d.psp_txn_id == debit.id)
                || self.store.refund_for_debit(&debit.id).await?.is_some()
            {
                return Ok(());
            }
            // The PSP honours one debit per link and returns the others itself. A second "honoured" debit for a
            // payment that already holds the honoured one is that same debit under another name, never money to
            // refund: a refund by link would return the debit that paid the bill.
            if returned.is_none() && self.holds_honoured_debit(&rec).await? {
                tracing::warn!(payment = %rec.id, debit = %debit.id, "the PSP reports the honoured debit under another id");
                return Ok(());
            }
            let applied = match (rec.status, returned) {
                // Not payable yet for anyone: the PSP delivers again.
                (PaymentStatus::Created, _) => {
                    return Err(Error::refused(ErrorCode::ServiceUnavailable, "the payment is not issued yet"));
                }
                (PaymentStatus::AwaitingPayment, None) if debit.amount == rec.charges.total => self
                    .transition(&rec, PaymentStatus::Paid, "UPI debit confirmed", |r| r.debit = Some(upi_debit(debit)))
                    .await?
                    .into(),
                // The PSP honoured an earlier debit we have not heard of; this one goes back on its own.
                (PaymentStatus::AwaitingPayment, Some(Returned::AlreadyPaid)) => {
                    let of = RefundOf::Extra { payment: rec.id.clone(), reason: RefundReason::DuplicateDebit };
                    self.refund_extra(of, link, debit, by).await?;
                    Applied::Unchanged
                }
                (PaymentStatus::AwaitingPayment, _) => {
                    let message = format!(
                        "{} was paid instead of {}; it is being refunded",
                        debit.amount.to_inr_string(),
                        rec.charges.total.to_inr_string()
                    );
                    let reason = returned.map_or(RefundReason::AmountMismatch, |w| returned_reason(w, rec.status));
                    let note = "UPI debit the payment cannot use";
                    let moved = self
                        .refund_pending(&rec, note, debit, reason, by, |r| {
                            if reason == RefundReason::AmountMismatch {
                                r.failure = Some(failure(FailureCode::AmountMismatch, &message, None));
                            }
                        })
                        .await?;
                    if moved.is_some() {
                        self.close_link(&rec).await;
                    }
                    moved.into()
                }
                (PaymentStatus::Expired | PaymentStatus::PaymentFailed, _) => {
                    let reason = match (returned, rec.status) {
                        (Some(why), status) => returned_reason(why, status),
                        (None, PaymentStatus::Expired) => RefundReason::PaidAfterExpiry,
                        (None, _) => RefundReason::PaidAfterFailure,
                    };
                    self.refund_pending(&rec, "UPI debit after the link closed", debit, reason, by, |_| {})
                        .await?
                        .into()
                }
                (
                    PaymentStatus::Paid
                    | PaymentStatus::BillPaymentPending
                    | PaymentStatus::Completed
                    | PaymentStatus::BillPaymentFailed
                    | PaymentStatus::RefundPending
                    | PaymentStatus::Refunded,
                    _,
                ) => {
                    // The payer paid this link a second time: that debit goes back, the payment is unchanged.
                    let of = RefundOf::Extra { payment: rec.id.clone(), reason: RefundReason::DuplicateDebit };
                    self.refund_extra(of, link, debit, by).await?;
                    Applied::Unchanged
                }
            };
            match applied {
                Applied::Moved | Applied::Unchanged => return Ok(()),
                Applied::Raced => {}
            }
        }
        Err(Error::refused(ErrorCode::ServiceUnavailable, "the payment is busy; deliver the notification again"))
    }

    /// Whether the payment's debit is the one its link honoured (not one the PSP returned itself).
    async fn holds_honoured_debit(&self, rec: &PaymentRecord) -> Result<bool> {
        let Some(held) = &rec.debit else { return Ok(false) };
        let returned = self.store.refund_for_debit(&held.psp_txn_id).await?.is_some_and(|r| r.by == RefundBy::Psp);
        Ok(!returned)
    }

    /// The payer's attempt failed before any money moved: the payment ends and its link is closed.
    async fn attempt_failed(&self, link: &str, reason: &str) -> Result<()> {
        let Some(rec) = self.store.payment_by_link(link).await? else {
            tracing::warn!(link, "a failed attempt on a link no payment has");
            return Ok(());
        };
        if rec.status != PaymentStatus::AwaitingPayment {
            return Ok(());
        }
        let message = if reason.trim().is_empty() { "The UPI payment was declined" } else { reason };
        let moved = self
            .transition(&rec, PaymentStatus::PaymentFailed, "UPI debit failed", |r| {
                r.failure = Some(failure(FailureCode::UpiDeclined, message, None));
            })
            .await?;
        if moved.is_some() {
            self.close_link(&rec).await;
        }
        Ok(())
    }

    /// Asks the PSP to close a payment's link so no later payment is honoured. Best effort: a debit that still
    /// arrives is found by reconciliation and refunded.
    async fn close_link(&self, rec: &PaymentRecord) {
        if let Some(link) = &rec.link
            && let Err(e) = self.psp.expire_link(&link.id).await
        {
            tracing::warn!(payment = %rec.id, %e, "the PSP did not close the link; reconciliation watches it");
        }
    }

    /// An awaiting payment whose link expired: ask the PSP first (the payer may have paid), close the link, then
    /// expire the payment. A `created` payment whose link never came is expired too: nobody saw a link to pay.
    pub async fn expire(&self, rec: &PaymentRecord) -> Result<()> {
        if let Some(link) = &rec.link {
            match self.psp.link_state(&link.id).await {
                Ok(LinkState::Paid(debit)) => {
                    let event = PspEvent::DebitHonoured {
                        link: link.id.clone(),
                        reference: Some(rec.upi_txn_ref.clone()),
                        debit,
                    };
                    return self.apply_psp_event(&event).await;
                }
                Ok(LinkState::Open | LinkState::Refused | LinkState::Expired) => {}
                Err(e) => {
                    tracing::warn!(payment = %rec.id, %e, "PSP status query failed; the expiry waits");
                    return Ok(());
                }
            }
            if let Err(e) = self.psp.expire_link(&link.id).await {
                tracing::warn!(payment = %rec.id, %e, "the PSP did not close the link; the expiry waits");
                return Ok(());
            }
        }
        self.transition(rec, PaymentStatus::Expired, "UPI link expired unpaid", |r| {
            r.failure = Some(failure(FailureCode::Expired, "The payment link expired before it was paid", None));
        })
        .await?;
        Ok(())
    }

    /// Asks the PSP about a payment's link and applies what it says; a notification that never came is made up
    /// for here. Then sets when to ask again: often while the link is payable, less often after the payment's
    /// final state, and no more once the reconciliation window after it has passed.
    pub async fn reconcile(&self, rec: &PaymentRecord) -> Result<()> {
        if let Some(link) = &rec.link {
            match self.psp.link_state(&link.id).await {
                Ok(LinkState::Paid(debit)) => {
                    let event = PspEvent::DebitHonoured {
                        link: link.id.clone(),
                        reference: Some(rec.upi_txn_ref.clone()),
                        debit,
                    };
                    self.apply_psp_event(&event).await?;
                }
                Ok(LinkState::Open | LinkState::Refused | LinkState::Expired) => {}
                Err(e) => tracing::warn!(payment = %rec.id, %e, "reconciliation: the PSP did not answer"),
            }
        }
        // The payment may have moved (and been rescheduled) meanwhile: schedule from what is stored now.
        let Some(now_rec) = self.store.payment(&rec.id).await? else { return Ok(()) };
        let now = self.now();
        let next = match now_rec.final_at {
            Some(done) if Self::after(done, self.config.reconcile_window) <= now => None,
            // Less often as the payment ages: a quarter of its age since the final state, within bounds.
            Some(done) => {
                let age = std::time::Duration::from_secs(
                    now.unix_seconds().saturating_sub(done.unix_seconds()).max(0) as u64
                );
                let step = (age / 4).clamp(self.config.notification_overdue, std::time::Duration::from_secs(3600));
                Some(Self::after(now, step))
            }
            None => Some(Self::after(now, self.config.notification_overdue)),
        };
        if next != now_rec.reconcile_at {
            self.reschedule_reconcile(&now_rec, next).await?;
        }
        Ok(())
    }

    /// Rewrites when reconciliation looks next; nothing the customer sees changes, so nothing is published.
    async fn reschedule_reconcile(&self, rec: &PaymentRecord, at: Option<Timestamp>) -> Result<()> {
        let mut next = rec.clone();
        next.reconcile_at = at;
        next.version = rec.version + 1;
        self.store.save_payment((rec.status, rec.version), &next, "", Effects::default()).await?;
        Ok(())
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
                    r.bill_payment =
                        Some(BillPaymentOutcome { txn_ref, approval_ref: Some(approval_ref), settled: true, at });
                    r.next_check_at = None;
                })
                .await?;
            }
            PayStatus::Pending { txn_ref, approval_ref } => {
                let next = Self::after(at, self.config.bill_status_poll);
                let known =
                    |b: &BillPaymentOutcome| !b.settled && b.txn_ref == txn_ref && b.approval_ref == approval_ref;
                if rec.bill_payment.as_ref().is_some_and(known) {
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

    /// Sends the bill payment, counting the send first. Only the first send's refusal or failure is a failure:
    /// after a send whose answer was lost, a refusal or a failed answer (often "duplicate") says nothing of the
    /// first, so the network's status decides, and money goes back only on a definite failure.
    async fn send_bill_payment(&self, rec: &PaymentRecord) -> Result<()> {
        let mut counted = rec.clone();
        counted.bill_payment_sends = rec.bill_payment_sends + 1;
        counted.version = rec.version + 1;
        if !self.store.save_payment((rec.status, rec.version), &counted, "", Effects::default()).await? {
            return Ok(());
        }
        let resent = counted.bill_payment_sends > 1;
        match self.network.pay(&pay_request(&counted)).await {
            Ok(PayStatus::Failed { code, message }) if resent => {
                self.check_later(&counted, &BbpsError::Rejected { code, message }).await
            }
            Ok(status) => self.apply_pay_status(&counted, status).await,
            Err(BbpsError::Rejected { code, message }) if !resent => {
                self.apply_pay_status(&counted, PayStatus::Failed { code, message }).await
            }
            Err(e) => self.check_later(&counted, &e).await,
        }
    }

    /// The network's answer to a bill payment, arriving after the lifecycle stopped waiting for it (the adapter
    /// hands it here). A payment the network says it took (paid, or deemed) is recorded at once, as its own
    /// answer would have been. A failure is not believed on its own: it may answer a resend, whose refusal says
    /// nothing of the first send, so the payment's status is asked for at once instead, as before any resend.
    pub async fn bill_payment_answered_late(&self, ref_id: &bbps_core::RefId, answer: PayStatus) -> Result<()> {
        let Some(rec) = self.store.payment_by_ref_id(ref_id).await? else {
            tracing::warn!(%ref_id, "a late bill payment answer for no payment of ours");
            return Ok(());
        };
        if rec.status != PaymentStatus::BillPaymentPending {
            tracing::info!(payment = %rec.id, status = ?rec.status, "a late bill payment answer; nothing to do");
            return Ok(());
        }
        tracing::info!(payment = %rec.id, ?answer, "a late bill payment answer");
        match answer {
            PayStatus::Failed { .. } => {
                self.reschedule(&rec, self.now()).await?;
                self.wake_worker.notify_one();
                Ok(())
            }
            taken => self.apply_pay_status(&rec, taken).await,
        }
    }

    /// A `bill_payment_pending` payment due a check: ask the network by refId before anything else, so a payment
    /// the network already has (a crash after sending it, a deemed payment) is never sent twice.
    pub async fn check_bill_payment(&self, rec: &PaymentRecord) -> Result<()> {
        match self.network.payment_status(&rec.ref_id).await {
            Ok(Some(status)) => self.apply_pay_status(rec, status).await,
            // The network has no payment of this bill and the biller no longer takes it: sending again would be
            // refused for good, so the payment fails now and the money goes back.
            Ok(None) if rec.bill.as_ref().and_then(|b| b.valid_until).is_some_and(|until| until <= self.now()) => {
                let failed = PayStatus::Failed {
                    code: "BPR008".to_owned(),
                    message: "the biller's time for this bill ended before it was paid".to_owned(),
                };
                self.apply_pay_status(rec, failed).await
            }
            Ok(None) => self.send_bill_payment(rec).await,
            Err(e) => self.check_later(rec, &e).await,
        }
    }

    /// `bill_payment_failed` -> `refund_pending`, queuing our refund of the honoured debit.
    pub async fn start_refund(&self, rec: &PaymentRecord) -> Result<()> {
        let Some(d) = &rec.debit else {
            tracing::error!(payment = %rec.id, "a failed bill payment without a debit");
            return Ok(());
        };
        let debit = Debit {
            id: d.psp_txn_id.clone(),
            amount: d.amount,
            payer_vpa: d.payer_vpa.clone(),
            rrn: d.rrn.clone(),
            at: d.at,
        };
        self.refund_pending(
            rec,
            "refunding the UPI debit",
            &debit,
            RefundReason::BillPaymentFailed,
            RefundBy::Us,
            |_| {},
        )
        .await?;
        Ok(())
    }
}
