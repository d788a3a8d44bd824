//! The UPI PSP adapter for Setu's UPI DeepLinks API (v2, OAuth): the engine's [`UpiPsp`] port over HTTP.
//!
//! - Every call carries `X-Setu-Product-Instance-ID` and a bearer token from `POST /auth/token`, cached and
//!   renewed a minute before it expires (and at once when a call answers 401).
//! - A payment's link is `POST /payment-links` with our reference as `billerBillID`, the total in paise and
//!   `EXACT` amount; its `upiLink` is used as Setu returns it (the engine checks it with `UpiLink::parse`).
//! - Status is `GET /payment-links/<platformBillID>`, closing a link `POST /utilities/bills/<id>/expire`, refunds
//!   `POST /refund/batch` (one refund a batch, so the batch id names it) and `GET /refund/batch/<batchID>`.
//! - Notifications arrive at `<callback URL>/notifications` with `Authorization: Bearer <JWT>`: HS256 under the
//!   shared secret, `aud` our scheme id, issued within two minutes, each `jti` once ([`notify`]).

pub mod notify;
mod token;
pub mod wire;

use std::time::Duration;

use async_trait::async_trait;
use bbps_core::{Paise, Secret, Timestamp, UpiTxnRef};
use bbps_engine::ports::{
    Debit, LinkRequest, LinkState, NotificationError, PspError, PspEvent, PspLink, RefundAnswer, RefundRequest,
    RefundState, UpiPsp,
};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use time::format_description::well_known::Rfc3339;

use notify::NotificationVerifier;
use token::Tokens;
use wire::{
    Amount, AmountExactness, BillStatus, CreateLink, CreatedLink, CreatedRefunds, Envelope, IdentifierType, LinkStatus,
    RefundBatch, RefundBatchStatus, RefundItem, RefundType,
};

/// How to reach a Setu product instance, and the credentials of both directions.
#[derive(Debug, Clone)]
pub struct SetuConfig {
    /// The API root with the OAuth `/v2`, e.g. `https://uat.setu.co/api/v2`.
    pub base_url: String,
    pub client_id: String,
    pub client_secret: Secret,
    pub product_instance_id: String,
    /// The `aud` Setu puts in the JWT of its notifications (the scheme id we share with it).
    pub notify_audience: String,
    /// The key Setu signs its notification JWTs with.
    pub notify_secret: Secret,
    /// Each call's own limit (the engine applies its own as well).
    pub timeout: Duration,
}

pub struct SetuPsp {
    config: SetuConfig,
    http: reqwest::Client,
    tokens: Tokens,
    verifier: NotificationVerifier,
}

fn unavailable(e: impl std::fmt::Display) -> PspError {
    PspError::Unavailable(e.to_string())
}

/// A Setu error answer, as the port's error.
fn refused<T>(status: StatusCode, envelope: &Envelope<T>) -> PspError {
    let (code, detail) = envelope.error.as_ref().map_or(("", ""), |e| (e.code.as_str(), e.detail.as_str()));
    if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
        PspError::Unavailable(format!("{status} {code}: {detail}"))
    } else {
        PspError::Rejected(format!("{status} {code}: {detail}"))
    }
}

fn paise(a: &Amount) -> Paise {
    Paise::new(a.value).unwrap_or(Paise::ZERO)
}

/// Setu takes `expiryDate` to the second.
fn rfc3339(t: Timestamp) -> Option<String> {
    t.get().replace_nanosecond(0).ok()?.format(&Rfc3339).ok()
}

fn instant(s: Option<&str>) -> Option<Timestamp> {
    s.and_then(Timestamp::parse)
}

fn refund_state(status: wire::RefundStatus) -> RefundState {
    match status {
        wire::RefundStatus::Created | wire::RefundStatus::Pending => RefundState::Accepted,
        wire::RefundStatus::Initiated => RefundState::Initiated,
        wire::RefundStatus::Rejected => RefundState::Rejected,
    }
}

impl SetuPsp {
    pub fn new(config: SetuConfig) -> Result<SetuPsp, reqwest::Error> {
        let http =
            reqwest::Client::builder().timeout(config.timeout).redirect(reqwest::redirect::Policy::none()).build()?;
        let verifier = NotificationVerifier::new(&config.notify_audience, &config.notify_secret);
        Ok(SetuPsp { tokens: Tokens::new(), verifier, http, config })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.config.base_url.trim_end_matches('/'))
    }

    /// One authenticated call; a 401 renews the token and tries once more. Returns the HTTP status and the
    /// envelope, whatever the status.
    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&(impl Serialize + Sync)>,
    ) -> Result<(StatusCode, Envelope<T>), PspError> {
        for renewed in [false, true] {
            let token = self.tokens.get(&self.http, &self.config, renewed).await?;
            let mut request = self
                .http
                .request(method.clone(), self.url(path))
                .bearer_auth(token.expose())
                .header("X-Setu-Product-Instance-ID", &self.config.product_instance_id);
            if let Some(body) = body {
                request = request.json(body);
            }
            let answer = request.send().await.map_err(unavailable)?;
            let status = answer.status();
            if status == StatusCode::UNAUTHORIZED && !renewed {
                continue;
            }
            let text = answer.text().await.map_err(unavailable)?;
            let envelope = serde_json::from_str::<Envelope<T>>(&text).map_err(|e| {
                if status.is_success() {
                    PspError::Unavailable(format!("Setu's answer to {path} did not parse: {e}"))
                } else {
                    PspError::Unavailable(format!("{status} from Setu for {path}"))
                }
            })?;
            return Ok((status, envelope));
        }
        Err(PspError::Rejected("Setu refused our credentials".into()))
    }

    /// A call whose success carries data.
    async fn data<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&(impl Serialize + Sync)>,
    ) -> Result<T, PspError> {
        let (status, envelope) = self.call::<T>(method, path, body).await?;
        match envelope.data {
            Some(data) if status.is_success() && envelope.success => Ok(data),
            _ => Err(refused(status, &envelope)),
        }
    }
}

#[async_trait]
impl UpiPsp for SetuPsp {
    async fn create_link(&self, req: &LinkRequest) -> Result<PspLink, PspError> {
        let body = CreateLink {
            biller_bill_id: req.reference.as_str().to_owned(),
            amount: Amount::inr(req.amount.get()),
            amount_exactness: AmountExactness::Exact,
            name: Some(req.payee_name.clone()),
            transaction_note: Some(req.note.clone()),
            expiry_date: rfc3339(req.expires_at),
            additional_info: Default::default(),
        };
        let created: CreatedLink = self.data(Method::POST, "/payment-links", Some(&body)).await?;
        Ok(PspLink { id: created.platform_bill_id, upi_link: created.payment_link.upi_link })
    }

    async fn link_state(&self, link: &str) -> Result<LinkState, PspError> {
        let status: LinkStatus = self.data(Method::GET, &format!("/payment-links/{link}"), None::<&()>).await?;
        Ok(match status.status {
            BillStatus::BillCreated => LinkState::Open,
            BillStatus::BillExpired => LinkState::Expired,
            BillStatus::PaymentFailed => LinkState::Refused,
            BillStatus::PaymentSuccessful
            | BillStatus::CreditReceived
            | BillStatus::SettlementSuccessful
            | BillStatus::SettlementFailed => {
                let receipt = status.receipt.as_ref();
                let amount = status.amount_paid.as_ref().map(paise).ok_or_else(|| {
                    PspError::Unavailable(format!("Setu says link {link} is paid without the amount"))
                })?;
                // The receipt's id is the payment's RRN, the id notifications give as `transactionId`.
                let id = receipt
                    .map(|r| r.id.clone())
                    .ok_or_else(|| PspError::Unavailable(format!("Setu says link {link} is paid without a receipt")))?;
                LinkState::Paid(Debit {
                    rrn: Some(id.clone()),
                    id,
                    amount,
                    payer_vpa: status.payer_vpa.clone(),
                    at: instant(receipt.map(|r| r.date.as_str()))
                        .unwrap_or_else(|| Timestamp::from_offset_date_time(time::OffsetDateTime::now_utc())),
                })
            }
        })
    }

    async fn expire_link(&self, link: &str) -> Result<(), PspError> {
        let (status, envelope) = self
            .call::<serde_json::Value>(Method::POST, &format!("/utilities/bills/{link}/expire"), None::<&()>)
            .await?;
        if status.is_success() && envelope.success { Ok(()) } else { Err(refused(status, &envelope)) }
    }

    async fn refund(&self, req: &RefundRequest) -> Result<RefundAnswer, PspError> {
        let item = RefundItem {
            seq_no: 1,
            identifier: req.link.clone(),
            identifier_type: IdentifierType::BillId,
            refund_type: if req.full { RefundType::Full } else { RefundType::Partial },
            refund_amount: (!req.full).then(|| Amount::inr(req.amount.get())),
        };
        let body = RefundBatch { refunds: vec![item] };
        let (status, envelope) = self.call::<CreatedRefunds>(Method::POST, "/refund/batch", Some(&body)).await?;
        if envelope.error.as_ref().is_some_and(|e| e.code == wire::REFUND_EXCEEDS_PAID) {
            return Ok(RefundAnswer::NothingLeft);
        }
        let created = match envelope.data {
            Some(data) if status.is_success() && envelope.success => data,
            _ => return Err(refused(status, &envelope)),
        };
        let entry = created
            .refunds
            .first()
            .ok_or_else(|| PspError::Unavailable("Setu created a refund batch without a refund".into()))?;
        if entry.success == Some(false) {
            let why = [entry.code.as_deref(), entry.detail.as_deref()].into_iter().flatten().collect::<Vec<_>>();
            return Err(PspError::Rejected(format!("Setu refused the refund of {}: {}", req.link, why.join(" "))));
        }
        let status = entry.status.ok_or_else(|| {
            PspError::Unavailable(format!("Setu accepted the refund of {} without a status", req.link))
        })?;
        Ok(RefundAnswer::Created { id: created.batch_id, state: refund_state(status) })
    }

    async fn refund_state(&self, refund: &str) -> Result<RefundState, PspError> {
        let batch: RefundBatchStatus = self.data(Method::GET, &format!("/refund/batch/{refund}"), None::<&()>).await?;
        batch
            .refunds
            .first()
            .and_then(|r| r.status)
            .map(refund_state)
            .ok_or_else(|| PspError::Unavailable(format!("Setu's refund batch {refund} has no refund status")))
    }

    /// Setu has no heartbeat; a fresh token shows that it answers and takes our credentials now (the payments'
    /// calls then use that token).
    async fn check(&self) -> Result<(), PspError> {
        self.tokens.get(&self.http, &self.config, true).await.map(|_| ())
    }

    fn read_notification(&self, authorization: Option<&str>, body: &[u8]) -> Result<Vec<PspEvent>, NotificationError> {
        self.verifier.verify(authorization)?;
        notify::events(body)
    }
}

/// Our reference of a link back from the `billerBillID` Setu echoes, when it is one of ours.
fn reference(biller_bill_id: &str) -> Option<UpiTxnRef> {
    UpiTxnRef::parse(biller_bill_id).ok()
}
