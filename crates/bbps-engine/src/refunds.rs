//! Refunds: one per debit that cannot pay a bill, whoever makes it. Ours are requested from the PSP and followed
//! until the PSP initiates them; the PSP's own (for debits it refused) are waited for. A refund that the PSP keeps
//! refusing, or does not confirm in time, is escalated: marked, told to the merchant by webhook, and still tried.

use bbps_core::api::{RefundStatus, WebhookEventType};
use bbps_core::{ErrorCode, PaymentStatus, Timestamp};

use crate::model::{RefundBy, RefundOf, RefundProgress, RefundRecord};
use crate::ports::{PspError, RefundAnswer, RefundRequest, RefundState, UpiPsp};
use crate::{Engine, Error, Result};

impl Engine {
    /// One step of a due refund.
    pub async fn process_refund(&self, refund: &RefundRecord) -> Result<()> {
        match (&refund.by, &refund.progress) {
            (_, RefundProgress::Refunded { .. }) => Ok(()),
            (RefundBy::Psp, RefundProgress::Queued | RefundProgress::Requested { .. }) => {
                // Nothing to ask for a refund the PSP makes of its own accord: its word is late.
                self.escalate(refund, "the PSP has not confirmed the refund it owes").await
            }
            (RefundBy::Us, RefundProgress::Queued) => self.request_refund(refund).await,
            (RefundBy::Us, RefundProgress::Requested { psp_refund }) => match self.psp.refund_state(psp_refund).await {
                Ok(state) => self.refund_moved(refund, state, None).await,
                Err(e) => {
                    let mut counted = refund.clone();
                    counted.attempts += 1;
                    self.retry_refund(&counted, &e).await
                }
            },
        }
    }

    /// Asks the PSP for our refund. The attempt is counted before the request goes out, so that after a crash
    /// the next attempt knows an earlier one may have reached the PSP.
    async fn request_refund(&self, refund: &RefundRecord) -> Result<()> {
        let mut counted = refund.clone();
        counted.attempts += 1;
        counted.next_attempt_at = Self::after(self.now(), self.config.retries.backoff(counted.attempts));
        self.store.update_refund(&counted).await?;
        let honoured = match &refund.of {
            RefundOf::Payment { payment, .. } | RefundOf::Extra { payment, .. } => {
                self.store.payment(payment).await?.and_then(|p| p.debit).filter(|d| d.psp_txn_id == refund.debit_id)
            }
            RefundOf::Stray => None,
        };
        // A refund of the link's honoured debit in full; anything else names its amount.
        let full = honoured.is_some_and(|d| d.amount == refund.amount) || matches!(refund.of, RefundOf::Stray);
        let request = RefundRequest { link: refund.link.clone(), amount: refund.amount, full };
        match self.psp.refund(&request).await {
            Ok(RefundAnswer::Created { id, state }) => {
                let mut next = counted.clone();
                next.progress = RefundProgress::Requested { psp_refund: id };
                self.store.update_refund(&next).await?;
                self.refund_moved(&next, state, None).await
            }
            Ok(RefundAnswer::NothingLeft) if counted.attempts > 1 => {
                // An earlier request whose answer was lost went through.
                tracing::warn!(refund = %refund.id, "the PSP has nothing left to refund: an earlier request made it");
                self.settle_refund(&counted, None).await
            }
            Ok(RefundAnswer::NothingLeft) => {
                self.escalate(&counted, "the PSP says nothing is left to refund of a debit we never refunded").await
            }
            Err(e @ PspError::Rejected(_)) => self.escalate(&counted, &e.to_string()).await,
            Err(e) => self.retry_refund(&counted, &e).await,
        }
    }

    /// A refund's state at the PSP, from its answer or its notification (which may name the PSP's reference of
    /// a refund it made of its own accord).
    pub async fn refund_moved(
        &self,
        refund: &RefundRecord,
        state: RefundState,
        reference: Option<String>,
    ) -> Result<()> {
        match state {
            RefundState::Initiated => {
                let reference = match &refund.progress {
                    RefundProgress::Requested { psp_refund } => Some(psp_refund.clone()),
                    RefundProgress::Queued => reference,
                    // Recorded before: the payment may not have moved yet (a crash between the two writes).
                    RefundProgress::Refunded { psp_refund, at } => {
                        return self.payment_refunded(refund, psp_refund.clone(), *at).await;
                    }
                };
                self.settle_refund(refund, reference).await
            }
            RefundState::Accepted => {
                let mut next = refund.clone();
                next.next_attempt_at = Self::after(self.now(), self.config.retries.backoff(refund.attempts.max(1)));
                self.store.update_refund(&next).await?;
                Ok(())
            }
            RefundState::Rejected => self.escalate(refund, "the PSP rejected the refund").await,
        }
    }

    /// The money is on its way back: the refund is done, and a payment's own refund moves it to `refunded`.
    async fn settle_refund(&self, refund: &RefundRecord, reference: Option<String>) -> Result<()> {
        let at = self.now();
        let mut done = refund.clone();
        done.progress = RefundProgress::Refunded { psp_refund: reference.clone(), at };
        self.store.update_refund(&done).await?;
        tracing::info!(refund = %refund.id, payment = ?refund.of.payment(), "refunded");
        self.payment_refunded(refund, reference, at).await
    }

    /// A payment still waiting for its own refund, done at `at`, moves to `refunded`.
    async fn payment_refunded(&self, refund: &RefundRecord, reference: Option<String>, at: Timestamp) -> Result<()> {
        if let RefundOf::Payment { payment, .. } = &refund.of
            && let Some(rec) = self.store.payment(payment).await?
            && rec.status == PaymentStatus::RefundPending
        {
            self.transition(&rec, PaymentStatus::Refunded, "refund initiated by the PSP", |r| {
                if let Some(info) = r.refund.as_mut() {
                    info.status = RefundStatus::Refunded;
                    info.reference = reference;
                    info.refunded_at = Some(at);
                }
            })
            .await?;
        }
        Ok(())
    }

    async fn retry_refund(&self, refund: &RefundRecord, why: &PspError) -> Result<()> {
        tracing::warn!(refund = %refund.id, %why, "refund step failed; retrying later");
        if refund.attempts >= self.config.refund_escalate_after {
            return self.escalate(refund, &why.to_string()).await;
        }
        let mut next = refund.clone();
        next.next_attempt_at = Self::after(self.now(), self.config.retries.backoff(refund.attempts.max(1)));
        self.store.update_refund(&next).await?;
        Ok(())
    }

    /// Hands a refund to people, once: marked on the refund and on its payment, and told to the merchant by the
    /// `payment.refund_escalated` webhook. Ours are still tried, at the slowest pace; the PSP's are looked at again
    /// at that pace too.
    async fn escalate(&self, refund: &RefundRecord, why: &str) -> Result<()> {
        let now = self.now();
        let mut next = refund.clone();
        next.next_attempt_at = Self::after(now, self.config.retries.max_delay);
        if refund.escalated_at.is_none() {
            tracing::error!(refund = %refund.id, payment = ?refund.of.payment(), why, "refund escalated to people");
            // The merchant hears first; the refund is marked after, so a crash in between tells them again
            // rather than never.
            if let Some(payment) = refund.of.payment() {
                self.mark_escalated(payment, matches!(refund.of, RefundOf::Payment { .. })).await?;
            }
            next.escalated_at = Some(now);
        }
        self.store.update_refund(&next).await?;
        Ok(())
    }

    /// Marks a payment's escalated refund (on its refund info when it is its own) and queues the webhook.
    async fn mark_escalated(&self, payment: &bbps_core::PaymentId, own: bool) -> Result<()> {
        for _ in 0..8 {
            let Some(rec) = self.store.payment(payment).await? else { return Ok(()) };
            let Some(merchant) = self.store.merchant(&rec.merchant_id).await? else { return Ok(()) };
            let now = self.now();
            let mut marked = rec.clone();
            if own && let Some(info) = marked.refund.as_mut() {
                info.escalated_at = Some(now);
            }
            marked.version = rec.version + 1;
            marked.updated_at = now;
            let webhook = self.webhook_for(&merchant, &marked.to_api(), Some(WebhookEventType::RefundEscalated));
            let effects = crate::ports::Effects { webhook, refund: None };
            if self.store.save_payment((rec.status, rec.version), &marked, "refund escalated", effects).await? {
                self.notifier.payment_changed(marked.to_api());
                self.wake_webhooks.notify_one();
                return Ok(());
            }
        }
        Err(Error::refused(ErrorCode::ServiceUnavailable, "the payment is busy; the escalation is retried"))
    }
}
