//! Setu's notifications: believed only with a valid JWT (HS256 under the shared secret, `aud` our scheme id,
//! issued within two minutes, each `jti` once), then read into the engine's events.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use bbps_core::{Paise, Secret, Timestamp};
use bbps_engine::ports::{Debit, NotificationError, PspEvent, RefundState, Returned};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

use crate::wire::{self, AttemptFailed, BillStatus, EventType, Fulfilment, Notification, RefundNotice, reason};

/// How old a notification's token may be (Setu's documentation: older than two minutes is refused).
const MAX_AGE: Duration = Duration::from_secs(120);

#[derive(Deserialize)]
struct Claims {
    iat: i64,
    jti: String,
}

pub struct NotificationVerifier {
    key: DecodingKey,
    validation: Validation,
    /// `jti`s seen within `MAX_AGE`: a replayed token is refused.
    seen: Mutex<HashMap<String, Instant>>,
}

impl NotificationVerifier {
    pub fn new(audience: &str, secret: &Secret) -> NotificationVerifier {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["aud", "iat", "jti"]);
        // Setu's tokens carry no `exp`: their age is checked from `iat` below.
        validation.validate_exp = false;
        NotificationVerifier {
            key: DecodingKey::from_secret(secret.expose().as_bytes()),
            validation,
            seen: Mutex::new(HashMap::new()),
        }
    }

    pub fn verify(&self, authorization: Option<&str>) -> Result<(), NotificationError> {
        let unauthenticated = |why: &str| NotificationError::Unauthenticated(why.to_owned());
        let header = authorization.ok_or_else(|| unauthenticated("no Authorization header"))?;
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .ok_or_else(|| unauthenticated("not a bearer token"))?;
        if token.len() > 4096 {
            return Err(unauthenticated("the token is too long"));
        }
        let claims = jsonwebtoken::decode::<Claims>(token, &self.key, &self.validation)
            .map_err(|e| NotificationError::Unauthenticated(e.to_string()))?
            .claims;
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        if now.abs_diff(claims.iat) > MAX_AGE.as_secs() {
            return Err(unauthenticated("the token is stale"));
        }
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        seen.retain(|_, at| at.elapsed() < MAX_AGE * 2);
        if seen.insert(claims.jti, Instant::now()).is_some() {
            return Err(unauthenticated("the token was used before"));
        }
        Ok(())
    }
}

fn malformed(e: impl std::fmt::Display) -> NotificationError {
    NotificationError::Malformed(e.to_string())
}

fn paise(a: &wire::Amount) -> Paise {
    Paise::new(a.value).unwrap_or(Paise::ZERO)
}

fn at(millis: i64) -> Timestamp {
    Timestamp::from_unix_millis(millis)
        .unwrap_or_else(|| Timestamp::from_offset_date_time(time::OffsetDateTime::now_utc()))
}

/// Why Setu refused a paid payment, by the `Reason` of its notification.
fn returned(reason_text: &str) -> Returned {
    match reason_text {
        reason::AMOUNT_VALIDATION_FAILED => Returned::WrongAmount,
        reason::LINK_EXPIRED => Returned::LinkExpired,
        reason::ADDRESS_INACTIVE => Returned::AlreadyPaid,
        _ => Returned::Other,
    }
}

/// The engine's events of a verified notification body. Settlement notices carry nothing the engine acts on.
pub fn events(body: &[u8]) -> Result<Vec<PspEvent>, NotificationError> {
    let notification: Notification = serde_json::from_slice(body).map_err(malformed)?;
    let mut out = Vec::new();
    for event in notification.events {
        match event.kind {
            EventType::BillFulfilmentStatus => {
                let data: Fulfilment = serde_json::from_value(event.data).map_err(malformed)?;
                // A debit is known by its RRN (`transactionId`): the link status's receipt id and the refund
                // notices' `transactionID` name it so too, while `receiptId` is absent from some notices.
                let debit = Debit {
                    id: data.transaction_id.clone(),
                    amount: paise(&data.amount_paid),
                    payer_vpa: data.payer_vpa.clone(),
                    rrn: Some(data.transaction_id.clone()),
                    at: at(event.time_stamp),
                };
                let link = data.platform_bill_id.clone();
                let reference = crate::reference(&data.biller_bill_id);
                out.push(match data.status {
                    BillStatus::PaymentSuccessful
                    | BillStatus::CreditReceived
                    | BillStatus::SettlementSuccessful
                    | BillStatus::SettlementFailed => PspEvent::DebitHonoured { link, reference, debit },
                    BillStatus::PaymentFailed => {
                        PspEvent::DebitReturned { link, reference, debit, why: returned(&data.reason) }
                    }
                    BillStatus::BillCreated | BillStatus::BillExpired => {
                        return Err(malformed(format!("a fulfilment notice with status {}", data.status)));
                    }
                });
            }
            EventType::PaymentAttemptFailed => {
                let data: AttemptFailed = serde_json::from_value(event.data).map_err(malformed)?;
                let reason = [data.setu_description, data.npci_status_reason]
                    .into_iter()
                    .find(|s| !s.trim().is_empty())
                    .unwrap_or_default();
                out.push(PspEvent::AttemptFailed { link: data.platform_bill_id, reason });
            }
            EventType::RefundStatus => {
                let data: RefundNotice = serde_json::from_value(event.data).map_err(malformed)?;
                let by_state = [
                    (RefundState::Initiated, data.refunds.initiated),
                    (RefundState::Accepted, data.refunds.pending),
                    (RefundState::Rejected, data.refunds.rejected),
                ];
                for (state, refunds) in by_state {
                    for r in refunds {
                        let debit = match r.kind {
                            wire::RefundKind::MerchantInitiated => None,
                            wire::RefundKind::SetuInitiated => Some(r.transaction_id),
                        };
                        let refund = (!r.batch_id.is_empty()).then_some(r.batch_id);
                        out.push(PspEvent::Refund { refund, link: r.bill_id, debit, state });
                    }
                }
            }
            EventType::BillSettlementStatus => {}
        }
    }
    Ok(out)
}
