//! The simulator's HTTP surface: Setu's endpoints (with its envelope, its authentication and its error answers)
//! and the simulator-only controls.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Json;
use axum::extract::{Path, Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use bbps_psp_setu::wire::{
    self, AddCredit, Amount, BillStatus, CreateLink, CreatedLink, CreatedRefunds, Envelope, EventType, Fulfilment,
    LinkStatus, PaymentLink, Receipt, RefundBatch, RefundBatchStatus, RefundEntry, RefundType, Token, TokenRequest,
};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::ledger::{self, DebitRow, Link, RefundRow};
use super::{SimState, now_ms};

type Shared = Arc<SimState>;

fn digits(n: usize) -> String {
    bbps_core::ids::random_string(&mut rand::rng(), b"0123456789", n)
}

fn lower(n: usize) -> String {
    bbps_core::ids::random_string(&mut rand::rng(), b"abcdefghijklmnopqrstuvwxyz0123456789", n)
}

/// An answer in Setu's envelope, with the HTTP status the envelope names.
fn reply<T: Serialize>(envelope: Envelope<T>) -> Response {
    let status = StatusCode::from_u16(envelope.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(envelope)).into_response()
}

fn fail(status: u16, code: &str, detail: &str) -> Response {
    reply(Envelope::<()>::failed(status, code, detail))
}

/// Runs `f` on the books; a failure of the books is a 500 in Setu's envelope.
async fn books<T: Send + 'static>(
    sim: &SimState,
    f: impl FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
) -> Result<T, Response> {
    match sim.books.run(f).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(fail(500, "internal-error", &e.to_string())),
        Err(e) => Err(fail(500, "internal-error", &e.to_string())),
    }
}

/// Every `/v2` call but the token's needs a live token and our product instance; none works while down.
async fn authenticate(State(sim): State<Shared>, request: Request, next: Next) -> Response {
    if sim.is_down() {
        return fail(503, "service-unavailable", "the PSP is down");
    }
    if request.uri().path() == "/v2/auth/token" {
        return next.run(request).await;
    }
    let headers = request.headers();
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let live = sim.tokens.lock().unwrap_or_else(|p| p.into_inner()).get(token).is_some_and(|until| *until > now_ms());
    if !live {
        return fail(401, "unauthorized", "the token is missing, wrong or expired");
    }
    let instance = headers.get("x-setu-product-instance-id").and_then(|v| v.to_str().ok());
    if instance != Some(sim.config.product_instance_id.as_str()) {
        return fail(403, "forbidden", "unknown X-Setu-Product-Instance-ID");
    }
    next.run(request).await
}

async fn token(State(sim): State<Shared>, Json(req): Json<TokenRequest>) -> Response {
    if req.client_id != sim.config.client_id || req.secret != sim.config.client_secret.expose() {
        return fail(400, "invalid-api-key", "API key invalid, please recheck your credentials.");
    }
    let token = lower(48);
    let ttl = sim.config.token_ttl.as_secs();
    let mut tokens = sim.tokens.lock().unwrap_or_else(|p| p.into_inner());
    let now = now_ms();
    tokens.retain(|_, until| *until > now);
    tokens.insert(token.clone(), now + (ttl as i64) * 1000);
    sim.tokens_issued.fetch_add(1, Ordering::SeqCst);
    reply(Envelope::ok(Token { expires_in: ttl, token }))
}

fn rupees(paise: u64) -> String {
    format!("{}.{:02}", paise / 100, paise % 100)
}

/// The link Setu answers for a bill: its UPI link spells spaces as `+`, as Setu's does.
fn upi_link(upi_id: &str, name: &str, amount: u64, tr: &str, note: &str) -> String {
    let plus = |s: &str| s.split_whitespace().collect::<Vec<_>>().join("+");
    format!(
        "upi://pay?pa={upi_id}&pn={}&am={}&tr={tr}&tn={}&cu=INR",
        plus(&percent(name)),
        rupees(amount),
        plus(&percent(note))
    )
}

/// Percent-encodes what a query value may not hold, leaving spaces to be spelt `+`.
fn percent(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b' ' => out.push(char::from(b)),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn created(l: &Link) -> CreatedLink {
    CreatedLink {
        name: l.name.clone(),
        payment_link: PaymentLink {
            short_url: format!("https://sbx.example/{}", &l.platform_bill_id[..8]),
            upi_id: l.upi_id.clone(),
            upi_link: l.upi_link.clone(),
        },
        platform_bill_id: l.platform_bill_id.clone(),
    }
}

async fn create_link(State(sim): State<Shared>, Json(req): Json<CreateLink>) -> Response {
    if req.biller_bill_id.is_empty() || req.amount.value == 0 {
        return fail(400, "invalid-request", "billerBillID and a positive amount are required");
    }
    let expires_at = match req.expiry_date.as_deref().map(bbps_core::Timestamp::parse) {
        None => None,
        Some(Some(t)) => Some(t.unix_millis()),
        Some(None) => return fail(400, "invalid-request", "expiryDate is not an RFC 3339 instant"),
    };
    let name = req.name.clone().unwrap_or_else(|| "Sandbox merchant".to_owned());
    let note = req.transaction_note.clone().unwrap_or_else(|| format!("Payment for {}", req.biller_bill_id));
    let id = digits(18);
    let upi_id = format!("sbx{id}@sbxsetu");
    let link = Link {
        upi_link: upi_link(&upi_id, &name, req.amount.value, &req.biller_bill_id, &note),
        platform_bill_id: id,
        biller_bill_id: req.biller_bill_id.clone(),
        amount: req.amount.value,
        name,
        upi_id,
        expires_at,
        expired: false,
        created_at: now_ms(),
    };
    let result = books(&sim, move |c| {
        let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // One link per billerBillID: a request repeated after a lost answer gets the same link.
        let link = match ledger::link_by(&tx, "biller_bill_id", &link.biller_bill_id)? {
            Some(existing) => existing,
            None => {
                ledger::insert_link(&tx, &link)?;
                link
            }
        };
        tx.commit()?;
        Ok(link)
    })
    .await;
    match result {
        Ok(link) if link.amount == req.amount.value => reply(Envelope::ok(created(&link))),
        Ok(_) => fail(409, "duplicate-bill-id", "a link with this billerBillID exists for another amount"),
        Err(e) => e,
    }
}

fn iso(ms: i64) -> String {
    bbps_core::Timestamp::from_unix_millis(ms).map(|t| t.to_string()).unwrap_or_default()
}

async fn link_status(State(sim): State<Shared>, Path(id): Path<String>) -> Response {
    let found = books(&sim, move |c| {
        let Some(link) = ledger::link_by(c, "platform_bill_id", &id)? else { return Ok(None) };
        let debits = ledger::debits(c, "platform_bill_id = ?1 ORDER BY at", [&link.platform_bill_id])?;
        Ok(Some((link, debits)))
    })
    .await;
    let (link, debits) = match found {
        Ok(Some(found)) => found,
        Ok(None) => return fail(404, "bill-not-found", "Provided billId not found. Please re-check the billId."),
        Err(e) => return e,
    };
    let honoured = debits.iter().find(|d| d.honoured);
    let status = match (honoured, link.closed_at(now_ms()), debits.is_empty()) {
        (Some(_), ..) => BillStatus::PaymentSuccessful,
        (None, true, _) => BillStatus::BillExpired,
        (None, false, false) => BillStatus::PaymentFailed,
        (None, false, true) => BillStatus::BillCreated,
    };
    reply(Envelope::ok(LinkStatus {
        amount_paid: honoured.map(|d| Amount::inr(d.amount)),
        created_at: Some(iso(link.created_at)),
        expires_at: link.expires_at.map(iso),
        name: link.name.clone(),
        payer_vpa: honoured.map(|d| d.payer_vpa.clone()),
        payment_link: PaymentLink {
            short_url: String::new(),
            upi_id: link.upi_id.clone(),
            upi_link: link.upi_link.clone(),
        },
        platform_bill_id: link.platform_bill_id.clone(),
        biller_bill_id: link.biller_bill_id.clone(),
        // The receipt's id is the RRN, as Setu's API reference describes it.
        receipt: honoured.map(|d| Receipt { date: iso(d.at), id: d.transaction_id.clone() }),
        status,
        additional_info: Default::default(),
    }))
}

async fn expire(State(sim): State<Shared>, Path(id): Path<String>) -> Response {
    match books(&sim, move |c| ledger::expire_link(c, &id)).await {
        Ok(true) => reply(Envelope::<()> { status: 200, success: true, data: None, error: None }),
        Ok(false) => fail(404, "bill-not-found", "Provided billId not found. Please re-check the billId."),
        Err(e) => e,
    }
}

/// A notification with one event, as Setu posts it.
fn notification(sim: &SimState, kind: EventType, data: serde_json::Value) -> String {
    let body = wire::Notification {
        partner_details: wire::PartnerDetails {
            app_id: sim.config.product_instance_id.clone(),
            product_instance_id: sim.config.product_instance_id.clone(),
        },
        events: vec![wire::Event { data, time_stamp: now_ms(), kind, id: lower(32) }],
    };
    serde_json::to_string(&body).unwrap_or_default()
}

/// What happened to a payer's payment, for the caller (the sandbox UPI app).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PaymentOutcome {
    pub transaction_id: String,
    pub honoured: bool,
    /// Why the PSP returned it (empty when honoured).
    pub reason: String,
}

#[derive(Debug, Deserialize)]
struct CreditOptions {
    /// The simulator drops this payment's notification (the backend learns of it only by asking).
    #[serde(default)]
    lose_notification: bool,
}

async fn add_credit(
    State(sim): State<Shared>,
    Query(options): Query<CreditOptions>,
    Json(req): Json<AddCredit>,
) -> Response {
    if !(req.amount.is_finite() && req.amount > 0.0 && req.amount < 1e10) {
        return fail(400, "invalid-request", "amount must be a positive number of rupees");
    }
    let amount = (req.amount * 100.0).round() as u64;
    let payer = req.source_account.account_id.clone();
    if bbps_core::Vpa::parse(&payer).is_err() {
        return fail(400, "invalid-request", "sourceAccount.accountID must be a VPA");
    }
    let (id, upi_id) = (req.transaction_reference.clone(), req.destination_account.account_id.clone());
    let refund_delay = sim.config.refund_delay.as_millis() as i64;
    let sim2 = sim.clone();
    let result = books(&sim, move |c| {
        let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let Some(link) = ledger::link_by(&tx, "platform_bill_id", &id)?.filter(|l| l.upi_id == upi_id) else {
            return Ok(None);
        };
        let now = now_ms();
        let reason = if link.closed_at(now) {
            wire::reason::LINK_EXPIRED
        } else if ledger::honoured_debit(&tx, &link.platform_bill_id)?.is_some() {
            wire::reason::ADDRESS_INACTIVE
        } else if amount != link.amount {
            wire::reason::AMOUNT_VALIDATION_FAILED
        } else {
            ""
        };
        let honoured = reason.is_empty();
        let debit = DebitRow {
            transaction_id: digits(12),
            platform_bill_id: link.platform_bill_id.clone(),
            amount,
            payer_vpa: payer,
            honoured,
            receipt_id: honoured.then(|| format!("{}-{}", lower(8), lower(12))),
            reason: reason.to_owned(),
            at: now,
        };
        ledger::insert_debit(&tx, &debit)?;
        if !honoured {
            // Setu returns a payment it refused with its next settlement.
            ledger::insert_refund(
                &tx,
                &RefundRow {
                    id: digits(18),
                    batch_id: lower(20),
                    platform_bill_id: link.platform_bill_id.clone(),
                    transaction_id: debit.transaction_id.clone(),
                    amount,
                    kind: wire::RefundKind::SetuInitiated.as_str().to_owned(),
                    status: wire::RefundStatus::Created.as_str().to_owned(),
                    initiate_at: now + refund_delay,
                    created_at: now,
                },
            )?;
        }
        let fulfilment = Fulfilment {
            reason: reason.to_owned(),
            amount_paid: Amount::inr(amount),
            biller_bill_id: link.biller_bill_id.clone(),
            payer_vpa: Some(debit.payer_vpa.clone()),
            platform_bill_id: link.platform_bill_id.clone(),
            receipt_id: debit.receipt_id.clone(),
            status: if honoured { BillStatus::PaymentSuccessful } else { BillStatus::PaymentFailed },
            transaction_id: debit.transaction_id.clone(),
            transaction_note: None,
            additional_info: Default::default(),
        };
        if !options.lose_notification {
            let data = serde_json::to_value(&fulfilment).unwrap_or_default();
            ledger::enqueue(&tx, &notification(&sim2, EventType::BillFulfilmentStatus, data), now)?;
        }
        tx.commit()?;
        Ok(Some(PaymentOutcome { transaction_id: debit.transaction_id, honoured, reason: reason.to_owned() }))
    })
    .await;
    match result {
        Ok(Some(outcome)) => {
            sim.outbox.notify_one();
            (StatusCode::OK, Json(outcome)).into_response()
        }
        Ok(None) => fail(404, "bill-not-found", "no link has this transactionReference and account"),
        Err(e) => e,
    }
}

async fn refund_batch(State(sim): State<Shared>, Json(req): Json<RefundBatch>) -> Response {
    if req.refunds.len() != 1 {
        return fail(400, "invalid-request", "the simulator takes one refund a batch");
    }
    let item = req.refunds[0].clone();
    let refund_delay = sim.config.refund_delay.as_millis() as i64;
    let result = books(&sim, move |c| {
        let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let Some(debit) = ledger::honoured_debit(&tx, &item.identifier)? else { return Ok(Err("no-payment")) };
        let refunded: u64 = ledger::refunds(
            &tx,
            "transaction_id = ?1 AND status != ?2",
            [&debit.transaction_id, &wire::RefundStatus::Rejected.as_str().to_owned()],
        )?
        .iter()
        .map(|r| r.amount)
        .sum();
        let left = debit.amount.saturating_sub(refunded);
        let amount = match (item.refund_type, item.refund_amount) {
            (RefundType::Full, _) if refunded == 0 => debit.amount,
            (RefundType::Partial, Some(a)) if a.value > 0 && a.value <= left => a.value,
            _ => return Ok(Err(wire::REFUND_EXCEEDS_PAID)),
        };
        let now = now_ms();
        let row = RefundRow {
            id: digits(18),
            batch_id: lower(20),
            platform_bill_id: item.identifier.clone(),
            transaction_id: debit.transaction_id.clone(),
            amount,
            kind: wire::RefundKind::MerchantInitiated.as_str().to_owned(),
            status: wire::RefundStatus::Created.as_str().to_owned(),
            initiate_at: now + refund_delay,
            created_at: now,
        };
        ledger::insert_refund(&tx, &row)?;
        tx.commit()?;
        Ok(Ok((row, item.seq_no)))
    })
    .await;
    match result {
        Ok(Ok((row, seq_no))) => reply(Envelope::ok(CreatedRefunds {
            batch_id: row.batch_id.clone(),
            refunds: vec![entry(&row, Some(seq_no))],
        })),
        Ok(Err("no-payment")) => fail(404, "bill-not-found", "no successful payment on this bill to refund"),
        Ok(Err(code)) => fail(400, code, "the refund is more than what is left of the payment"),
        Err(e) => e,
    }
}

fn entry(row: &RefundRow, seq_no: Option<u32>) -> RefundEntry {
    RefundEntry {
        amount: Some(Amount::inr(row.amount)),
        bill_id: Some(row.platform_bill_id.clone()),
        id: Some(row.id.clone()),
        status: Some(wire::RefundStatus::parse(&row.status).unwrap_or(wire::RefundStatus::Created)),
        transaction_ref_id: Some(row.transaction_id.clone()),
        seq_no,
        success: seq_no.map(|_| true),
        ..RefundEntry::default()
    }
}

async fn refund_batch_status(State(sim): State<Shared>, Path(batch): Path<String>) -> Response {
    match books(&sim, move |c| ledger::refunds(c, "batch_id = ?1", [&batch])).await {
        Ok(rows) if rows.is_empty() => fail(404, "refund-not-found", "no refund batch has this id"),
        Ok(rows) => reply(Envelope::ok(RefundBatchStatus { refunds: rows.iter().map(|r| entry(r, None)).collect() })),
        Err(e) => e,
    }
}

#[derive(Debug, Deserialize)]
struct AttemptFailedRequest {
    platform_bill_id: String,
    #[serde(default)]
    reason: String,
}

/// A payer's attempt fails at their bank: nothing moves, the merchant hears `PAYMENT_ATTEMPT_FAILED`.
async fn attempt_failed(State(sim): State<Shared>, Json(req): Json<AttemptFailedRequest>) -> Response {
    if sim.is_down() {
        return fail(503, "service-unavailable", "the PSP is down");
    }
    let sim2 = sim.clone();
    let result = books(&sim, move |c| {
        if ledger::link_by(c, "platform_bill_id", &req.platform_bill_id)?.is_none() {
            return Ok(false);
        }
        let data = wire::AttemptFailed {
            npci_status_code: "U30".to_owned(),
            npci_status_reason: "DEBIT HAS BEEN FAILED".to_owned(),
            platform_bill_id: req.platform_bill_id.clone(),
            setu_description: if req.reason.is_empty() {
                "The customer's debit attempt failed.".to_owned()
            } else {
                req.reason
            },
            transaction_id: format!("{}-{}", lower(8), lower(12)),
        };
        let body =
            notification(&sim2, EventType::PaymentAttemptFailed, serde_json::to_value(&data).unwrap_or_default());
        ledger::enqueue(c, &body, now_ms())?;
        Ok(true)
    })
    .await;
    match result {
        Ok(true) => {
            sim.outbox.notify_one();
            StatusCode::OK.into_response()
        }
        Ok(false) => fail(404, "bill-not-found", "no link has this id"),
        Err(e) => e,
    }
}

#[derive(Debug, Deserialize)]
struct Control {
    /// Down (every call answers 503, no notification goes out) or back up.
    #[serde(default)]
    down: Option<bool>,
    /// Forgets every token handed out, so the next call with one answers 401.
    #[serde(default)]
    revoke_tokens: bool,
}

async fn control(State(sim): State<Shared>, Json(c): Json<Control>) -> StatusCode {
    if let Some(down) = c.down {
        sim.down.store(down, Ordering::SeqCst);
        if !down {
            sim.outbox.notify_one();
        }
    }
    if c.revoke_tokens {
        sim.tokens.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
    StatusCode::NO_CONTENT
}

/// What a test may want to know of the simulator itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SimStatus {
    pub down: bool,
    /// Tokens handed out since start.
    pub tokens_issued: u64,
}

async fn status(State(sim): State<Shared>) -> Json<SimStatus> {
    Json(SimStatus { down: sim.is_down(), tokens_issued: sim.tokens_issued.load(Ordering::SeqCst) })
}

pub fn router(sim: Shared) -> axum::Router {
    let v2 = axum::Router::new()
        .route("/v2/auth/token", post(token))
        .route("/v2/payment-links", post(create_link))
        .route("/v2/payment-links/{id}", get(link_status))
        .route("/v2/utilities/bills/{id}/expire", post(expire))
        .route("/v2/refund/batch", post(refund_batch))
        .route("/v2/refund/batch/{batch}", get(refund_batch_status))
        .route("/v2/triggers/funds/addCredit", post(add_credit))
        .layer(middleware::from_fn_with_state(sim.clone(), authenticate));
    axum::Router::new()
        .merge(v2)
        .route("/sim/attempt-failed", post(attempt_failed))
        .route("/sim/control", post(control))
        .route("/sim/status", get(status))
        .with_state(sim)
}
