//! The demo merchant's webhook receiver: `POST /webhooks/bbps` verifies the `BBPS-Signature` header (HMAC-SHA256
//! of `"{t}.{body}"` under the demo webhook secret, compared in constant time, at most five minutes old), refuses
//! anything else with 400, and keeps the last 50 verified events in memory, once each however often they are
//! delivered (retries carry the same event id). `GET /api/webhooks` lists them, newest first.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use bbps_core::api::{WebhookEvent, WebhookEventType};
use bbps_core::{Paise, PaymentId, PaymentStatus, Timestamp, TxnRef};
use serde::Serialize;
use serde_json::json;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::DemoSite;

/// The header the API signs webhooks in.
const SIGNATURE_HEADER: &str = "bbps-signature";

/// How many events the receiver keeps (and de-duplicates among).
const KEEP: usize = 50;
/// Largest accepted age of a signature, against replays.
const TOLERANCE_SECS: u64 = 300;

/// A verified event as the site's pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct ReceivedWebhook {
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: WebhookEventType,
    pub payment_id: PaymentId,
    pub status: PaymentStatus,
    pub txn_ref: Option<TxnRef>,
    pub total: Paise,
    pub received_at: Timestamp,
    /// How many times it was delivered (more than 1 after a retry).
    pub deliveries: u32,
}

#[derive(Debug, Default)]
pub struct WebhookLog(Mutex<VecDeque<ReceivedWebhook>>);

impl WebhookLog {
    fn lock(&self) -> MutexGuard<'_, VecDeque<ReceivedWebhook>> {
        // The list is plain data, consistent after any panic, so a poisoned lock is still usable.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records a verified event; `false` if it was already here, when only its delivery count grows.
    pub fn record(&self, event: &WebhookEvent, at: Timestamp) -> bool {
        let mut log = self.lock();
        if let Some(seen) = log.iter_mut().find(|w| w.id == event.id) {
            seen.deliveries += 1;
            return false;
        }
        log.push_front(ReceivedWebhook {
            id: event.id.clone(),
            event_type: event.event_type,
            payment_id: event.data.id.clone(),
            status: event.data.status,
            txn_ref: event.data.receipt.as_ref().map(|r| r.txn_ref.clone()),
            total: event.data.charges.total,
            received_at: at,
            deliveries: 1,
        });
        log.truncate(KEEP);
        true
    }

    /// Newest first.
    pub fn list(&self) -> Vec<ReceivedWebhook> {
        self.lock().iter().cloned().collect()
    }
}

/// The check docs/integration.md gives merchants, as they would write it: `t=<unix seconds>,v1=<hex HMAC-SHA256
/// of "t.body">`, at most [`TOLERANCE_SECS`] old, compared in constant time.
fn verify(secret: &str, header: &str, body: &[u8], now_unix: i64) -> bool {
    let (mut t, mut v1) = (None, None);
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => v1 = hex::decode(v).ok(),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else { return false };
    if now_unix.abs_diff(t) > TOLERANCE_SECS {
        return false;
    }
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else { return false };
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    mac.verify_slice(&v1).is_ok()
}

fn refuse(code: &str, message: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": code, "message": message }))).into_response()
}

pub async fn receive(State(site): State<Arc<DemoSite>>, headers: HeaderMap, body: Bytes) -> Response {
    let signature = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
    let at = Timestamp::from_offset_date_time(time::OffsetDateTime::now_utc());
    if !verify(&site.config.webhook_secret, signature, &body, at.unix_seconds()) {
        tracing::warn!("demo site: refused a webhook whose signature is missing, wrong or stale");
        return refuse("signature_invalid", "the BBPS-Signature header is missing, does not match, or is stale");
    }
    let Ok(event) = serde_json::from_slice::<WebhookEvent>(&body) else {
        return refuse("event_invalid", "the body is not a webhook event");
    };
    let new = site.webhooks.record(&event, at);
    tracing::info!(event_id = %event.id, event_type = %event.event_type, duplicate = !new, "demo site: webhook received");
    Json(json!({ "received": true, "duplicate": !new })).into_response()
}

pub async fn list(State(site): State<Arc<DemoSite>>) -> Json<serde_json::Value> {
    Json(json!({ "items": site.webhooks.list() }))
}
