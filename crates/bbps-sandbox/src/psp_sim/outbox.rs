//! The simulator's background work: initiating refunds when their settlement comes (and telling the merchant
//! with `REFUND_STATUS`), and delivering queued notifications, signed as Setu signs them, until the merchant's
//! endpoint answers 2xx: at once, then with doubling delays up to half a minute, for as long as it takes.

use std::sync::Arc;
use std::time::Duration;

use bbps_psp_setu::wire::{self, Amount, EventType, NoticedRefund, RefundNotice, RefundsByStatus};
use jsonwebtoken::{EncodingKey, Header};
use serde::Serialize;
use tokio::sync::watch;

use super::ledger;
use super::{SimState, now_ms};

#[derive(Serialize)]
struct Claims<'a> {
    aud: &'a str,
    iat: i64,
    jti: String,
}

fn bearer(sim: &SimState) -> Option<String> {
    let claims = Claims {
        aud: &sim.config.notify_audience,
        iat: now_ms() / 1000,
        jti: bbps_core::ids::random_string(&mut rand::rng(), b"abcdef0123456789", 32),
    };
    let key = EncodingKey::from_secret(sim.config.notify_secret.expose().as_bytes());
    jsonwebtoken::encode(&Header::default(), &claims, &key).ok().map(|t| format!("Bearer {t}"))
}

/// Refunds whose settlement has come are initiated, and each becomes a `REFUND_STATUS` notification.
async fn initiate_refunds(sim: &Arc<SimState>) {
    let sim2 = sim.clone();
    let done = sim
        .books
        .run(move |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let due = ledger::refunds(
                &tx,
                "status = ?1 AND initiate_at <= ?2",
                rusqlite::params![wire::RefundStatus::Created.as_str(), now_ms()],
            )?;
            for r in &due {
                ledger::set_refund_status(&tx, &r.id, wire::RefundStatus::Initiated.as_str())?;
                let notice = RefundNotice {
                    amount_refunded: Amount::inr(r.amount),
                    refunds: RefundsByStatus {
                        initiated: vec![NoticedRefund {
                            amount: Amount::inr(r.amount),
                            batch_id: r.batch_id.clone(),
                            bill_id: r.platform_bill_id.clone(),
                            reason: "Initiated".to_owned(),
                            transaction_id: r.transaction_id.clone(),
                            kind: wire::RefundKind::parse(&r.kind).unwrap_or(wire::RefundKind::SetuInitiated),
                        }],
                        ..RefundsByStatus::default()
                    },
                };
                let data = serde_json::to_value(&notice).unwrap_or_default();
                let body = wire::Notification {
                    partner_details: wire::PartnerDetails {
                        app_id: sim2.config.product_instance_id.clone(),
                        product_instance_id: sim2.config.product_instance_id.clone(),
                    },
                    events: vec![wire::Event {
                        data,
                        time_stamp: now_ms(),
                        kind: EventType::RefundStatus,
                        id: bbps_core::ids::random_string(&mut rand::rng(), b"abcdef0123456789", 32),
                    }],
                };
                ledger::enqueue(&tx, &serde_json::to_string(&body).unwrap_or_default(), now_ms())?;
            }
            tx.commit()?;
            Ok::<_, rusqlite::Error>(due.len())
        })
        .await;
    match done {
        Ok(Ok(0)) => {}
        Ok(Ok(n)) => tracing::debug!(n, "PSP simulator: refunds initiated"),
        Ok(Err(e)) => tracing::error!(%e, "PSP simulator: cannot initiate refunds"),
        Err(e) => tracing::error!(%e, "PSP simulator: refund task failed"),
    }
}

/// The wait before the next try after `attempts` failed ones.
fn backoff(attempts: u32) -> i64 {
    500i64.saturating_mul(1 << attempts.min(6)).min(30_000)
}

/// Delivers what is due; returns how many were tried.
async fn deliver_due(sim: &Arc<SimState>) -> usize {
    let due = match sim.books.run(|c| ledger::due_notifications(c, now_ms(), 20)).await {
        Ok(Ok(due)) => due,
        Ok(Err(e)) => {
            tracing::error!(%e, "PSP simulator: cannot read its outbox");
            return 0;
        }
        Err(_) => return 0,
    };
    let url = format!("{}/notifications", sim.config.callback_url.trim_end_matches('/'));
    for (id, body, attempts) in &due {
        let mut request = sim.http.post(&url).header("content-type", "application/json").body(body.clone());
        if let Some(auth) = bearer(sim) {
            request = request.header("authorization", auth);
        }
        let ok = request.send().await.is_ok_and(|r| r.status().is_success());
        let (id, attempts) = (*id, *attempts + 1);
        let recorded = sim
            .books
            .run(move |c| {
                if ok {
                    ledger::delivered(c, id, now_ms())
                } else {
                    ledger::retry_later(c, id, attempts, now_ms() + backoff(attempts))
                }
            })
            .await;
        if !matches!(recorded, Ok(Ok(()))) {
            tracing::error!("PSP simulator: cannot record a delivery");
        }
    }
    due.len()
}

pub async fn run(sim: Arc<SimState>, mut stop: watch::Receiver<bool>) {
    loop {
        if !sim.is_down() {
            initiate_refunds(&sim).await;
            if deliver_due(&sim).await > 0 {
                continue;
            }
        }
        tokio::select! {
            _ = sim.outbox.notified() => {}
            _ = tokio::time::sleep(Duration::from_millis(200)) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}
