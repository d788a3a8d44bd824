//! Merchant webhooks. A terminal transition queues a `WebhookEvent` in the same transaction (see
//! `domain::lifecycle`); the dispatcher here delivers it signed with the merchant's webhook secret
//! (`BBPS-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`), retries with exponential backoff, and
//! logs every attempt.

use std::time::Duration;

use bbps_core::PaymentStatus;
use bbps_core::api::{Payment, WebhookAttempt, WebhookDeliveryStatus, WebhookEvent};
use tokio::sync::watch;

use crate::app::AppState;
use crate::config::WebhookConfig;
use crate::model::{Merchant, NewWebhook, WebhookJob};
use crate::store::AttemptOutcome;
use crate::util::{after, now, random_token, signature_header};

pub const SIGNATURE_HEADER: &str = "bbps-signature";

/// The event type of a terminal status.
pub fn event_type(status: PaymentStatus) -> Option<&'static str> {
    match status {
        PaymentStatus::Completed => Some("payment.completed"),
        PaymentStatus::Refunded => Some("payment.refunded"),
        PaymentStatus::Expired => Some("payment.expired"),
        PaymentStatus::PaymentFailed => Some("payment.failed"),
        _ => None,
    }
}

/// The webhook for a payment that reached a terminal status, if the merchant has an endpoint.
pub fn for_payment(merchant: &Merchant, payment: &Payment) -> Option<NewWebhook> {
    let url = merchant.webhook_url.clone()?;
    let event_type = event_type(payment.status)?;
    let event = WebhookEvent {
        id: format!("evt_{}", random_token(24)),
        event_type: event_type.to_owned(),
        created_at: now(),
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

/// The wait before attempt `n + 1` after `n` failed attempts: base, 2×base, 4×base… up to `max_delay`.
pub fn backoff(config: &WebhookConfig, failed_attempts: u32) -> Duration {
    let factor = 2u32.saturating_pow(failed_attempts.saturating_sub(1));
    config.backoff_base.saturating_mul(factor).min(config.max_delay)
}

async fn deliver(state: &AppState, job: &WebhookJob) -> AttemptOutcome {
    let attempt = job.attempts + 1;
    let secret = match state.store.merchant(&job.merchant_id).await {
        Ok(Some(m)) => m.webhook_secret,
        Ok(None) => String::new(),
        Err(e) => {
            tracing::warn!(%e, "webhook: cannot load the merchant; retrying later");
            return AttemptOutcome {
                attempt: WebhookAttempt { attempt, at: now(), status_code: None, error: Some("internal error".into()) },
                status: WebhookDeliveryStatus::Pending,
                next_attempt_at: Some(after(now(), backoff(&state.config.webhook, attempt))),
            };
        }
    };
    let at = now();
    let signature = signature_header(secret.as_bytes(), at.unix_seconds(), job.body.as_bytes());
    let result = state
        .http
        .post(&job.url)
        .timeout(state.config.webhook.timeout)
        .header("content-type", "application/json")
        .header(SIGNATURE_HEADER, signature)
        .header("user-agent", "bbps-server-webhooks/1")
        .body(job.body.clone())
        .send()
        .await;
    let (status_code, error) = match result {
        Ok(r) if r.status().is_success() => (Some(r.status().as_u16()), None),
        Ok(r) => (Some(r.status().as_u16()), Some(format!("the endpoint answered {}", r.status()))),
        Err(e) => (None, Some(if e.is_timeout() { "timed out".to_owned() } else { format!("could not deliver: {e}") })),
    };
    let delivered = error.is_none();
    let exhausted = attempt >= state.config.webhook.max_attempts;
    let status = match (delivered, exhausted) {
        (true, _) => WebhookDeliveryStatus::Delivered,
        (false, true) => WebhookDeliveryStatus::Failed,
        (false, false) => WebhookDeliveryStatus::Pending,
    };
    let next_attempt_at =
        (status == WebhookDeliveryStatus::Pending).then(|| after(at, backoff(&state.config.webhook, attempt)));
    tracing::info!(event_id = %job.event_id, attempt, ?status_code, ?status, "webhook attempt");
    AttemptOutcome { attempt: WebhookAttempt { attempt, at, status_code, error }, status, next_attempt_at }
}

/// Delivers every due webhook once; returns how many were attempted.
pub async fn deliver_due(state: &AppState) -> usize {
    let jobs = match state.store.webhooks_due(now(), 50).await {
        Ok(jobs) => jobs,
        Err(e) => {
            tracing::error!(%e, "webhook: cannot read due deliveries");
            return 0;
        }
    };
    let outcomes =
        futures_util::future::join_all(jobs.iter().map(|job| async move { (job.id, deliver(state, job).await) })).await;
    for (id, outcome) in outcomes {
        if let Err(e) = state.store.record_webhook_attempt(id, outcome).await {
            tracing::error!(%e, "webhook: cannot record an attempt");
        }
    }
    jobs.len()
}

/// The dispatcher loop: woken by new events and by a periodic tick, until shutdown.
pub async fn run(state: AppState, mut shutdown: watch::Receiver<bool>) {
    loop {
        let attempted = deliver_due(&state).await;
        if attempted > 0 {
            continue;
        }
        tokio::select! {
            _ = state.wake_webhooks.notified() => {}
            _ = tokio::time::sleep(state.config.worker_tick) => {}
            _ = shutdown.changed() => return,
        }
        if *shutdown.borrow() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let c = WebhookConfig {
            backoff_base: Duration::from_secs(10),
            max_delay: Duration::from_secs(60),
            max_attempts: 5,
            timeout: Duration::from_secs(1),
        };
        let delays: Vec<u64> = (1..=5).map(|n| backoff(&c, n).as_secs()).collect();
        assert_eq!(delays, vec![10, 20, 40, 60, 60]);
    }
}
