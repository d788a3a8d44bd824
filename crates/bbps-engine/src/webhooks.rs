//! Merchant webhooks. A terminal transition queues a `WebhookEvent` in the same transaction (see
//! `lifecycle`); the dispatcher here signs it with the merchant's webhook secret, hands it to the transport,
//! retries with exponential backoff, and records every attempt.

use bbps_core::api::{Payment, WebhookAttempt, WebhookDeliveryStatus, WebhookEvent, WebhookEventType};
use tokio::sync::watch;

use bbps_core::{ErrorCode, MerchantId, Secret};

use crate::model::{Merchant, NewWebhook, WebhookJob};
use crate::ports::{AttemptOutcome, WebhookAnswer};
use crate::signature;
use crate::{Engine, Error, Result};

impl Engine {
    /// The webhook of `event` for a payment, or of its status when that is final; `None` without an endpoint.
    pub fn webhook_for(
        &self,
        merchant: &Merchant,
        payment: &Payment,
        event: Option<WebhookEventType>,
    ) -> Option<NewWebhook> {
        let url = merchant.webhook_url.clone()?;
        let event = WebhookEvent {
            id: self.ids.event_id(),
            event_type: event.or_else(|| WebhookEventType::of(payment.status))?,
            created_at: self.now(),
            data: payment.clone(),
        };
        let body = serde_json::to_string(&event).ok()?;
        Some(NewWebhook {
            event_id: event.id,
            event_type: event.event_type,
            merchant_id: merchant.id.clone(),
            payment_id: payment.id.clone(),
            url,
            body,
            created_at: event.created_at,
        })
    }

    async fn deliver(&self, job: &WebhookJob) -> AttemptOutcome {
        let attempt = job.attempts + 1;
        let retry_at = |at| Self::after(at, self.config.retries.backoff(attempt));
        let secret = match self.store.merchant(&job.merchant_id).await {
            Ok(Some(m)) => m.webhook_secret,
            Ok(None) => Secret::new(""),
            Err(e) => {
                tracing::warn!(%e, "webhook: cannot load the merchant; retrying later");
                let at = self.now();
                return AttemptOutcome {
                    attempt: WebhookAttempt { attempt, at, status_code: None, error: Some("internal error".into()) },
                    status: WebhookDeliveryStatus::Pending,
                    next_attempt_at: Some(retry_at(at)),
                };
            }
        };
        let at = self.now();
        let signed = signature::sign(secret.expose().as_bytes(), at.unix_seconds(), job.body.as_bytes());
        let (status_code, error) = match self.webhooks.deliver(&job.url, &signed, &job.body).await {
            WebhookAnswer::Status(code) if (200..300).contains(&code) => (Some(code), None),
            WebhookAnswer::Status(code) => (Some(code), Some(format!("the endpoint answered {code}"))),
            WebhookAnswer::NoAnswer(why) => (None, Some(why)),
        };
        let exhausted = attempt >= self.config.retries.max_webhook_attempts;
        let status = match (error.is_none(), exhausted) {
            (true, _) => WebhookDeliveryStatus::Delivered,
            (false, true) => WebhookDeliveryStatus::Failed,
            (false, false) => WebhookDeliveryStatus::Pending,
        };
        let next_attempt_at = (status == WebhookDeliveryStatus::Pending).then(|| retry_at(at));
        tracing::info!(event_id = %job.event_id, attempt, ?status_code, ?status, "webhook attempt");
        AttemptOutcome { attempt: WebhookAttempt { attempt, at, status_code, error }, status, next_attempt_at }
    }

    /// Delivers every due webhook once; returns how many were attempted.
    pub async fn deliver_due_webhooks(&self) -> usize {
        let now = self.now();
        let jobs = match self.store.claim_webhooks_due(now, Self::after(now, self.config.lease), 50).await {
            Ok(jobs) => jobs,
            Err(e) => {
                tracing::error!(%e, "webhook: cannot read due deliveries");
                return 0;
            }
        };
        let outcomes =
            futures_util::future::join_all(jobs.iter().map(|job| async move { (job.id, self.deliver(job).await) }))
                .await;
        for (id, outcome) in outcomes {
            if let Err(e) = self.store.record_webhook_attempt(id, outcome).await {
                tracing::error!(%e, "webhook: cannot record an attempt");
            }
        }
        jobs.len()
    }

    /// Sends one of a merchant's webhook events once more, now (after its retries ran out, or at any time).
    pub async fn redeliver_webhook(&self, merchant: &MerchantId, event_id: &str) -> Result<()> {
        if !self.store.redeliver_webhook(merchant, event_id, self.now()).await? {
            return Err(Error::refused(
                ErrorCode::WebhookDeliveryNotFound,
                "no webhook event of this merchant has this id",
            ));
        }
        self.wake_webhooks.notify_one();
        Ok(())
    }

    /// The dispatcher loop: woken by new events and by a periodic tick, until shutdown.
    pub async fn run_webhooks(&self, mut shutdown: watch::Receiver<bool>) {
        loop {
            if self.deliver_due_webhooks().await > 0 {
                continue;
            }
            tokio::select! {
                _ = self.wake_webhooks.notified() => {}
                _ = tokio::time::sleep(self.config.worker_tick) => {}
                _ = shutdown.changed() => return,
            }
            if *shutdown.borrow() {
                return;
            }
        }
    }
}
