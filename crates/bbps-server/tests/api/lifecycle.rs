//! The persisted payment lifecycle: callbacks, bill payment, pending settlement, failures, refunds, expiry, and
//! the push channel.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::*;

const PSP_SECRET: &str = "psp-secret-for-tests";

fn transitions_to(s: &TestServer, payment: &Value, status: &str) -> i64 {
    count(
        &s.db(),
        "SELECT COUNT(*) FROM payment_transitions WHERE payment_id = ?1 AND to_status = ?2",
        &[payment["id"].as_str().unwrap_or(""), status],
    )
}

async fn send_callback(s: &TestServer, body: &Value, secret: &str, at: i64) -> (StatusCode, Value) {
    let raw = serde_json::to_vec(body).expect("json");
    let sig = bbps_engine::signature::sign(secret.as_bytes(), at, &raw);
    s.send(
        s.http
            .post(s.url("/v1/psp/callback"))
            .header("content-type", "application/json")
            .header("x-psp-signature", sig)
            .body(raw),
    )
    .await
}

fn debit(payment: &Value, psp_txn_id: &str, amount: &Value) -> Value {
    json!({
        "upi_txn_ref": payment["upi"]["txn_ref"],
        "psp_txn_id": psp_txn_id,
        "status": "SUCCESS",
        "amount": amount,
        "payer_vpa": "payer@okaxis",
        "rrn": "612345678901",
        "reason": null,
        "at": bbps_server::util::now().to_string(),
    })
}

#[tokio::test]
async fn a_paid_bill_completes_with_a_receipt() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let p = s.bill_payment(&token, "100234567890").await;
    let sim = s.upi(&p["upi"]["link"], "approve").await;
    assert_eq!((sim["status"].as_str(), sim["callback_status"].as_u64()), (Some("SUCCESS"), Some(200)));
    let done = s.wait_status(&token, &p["id"], "completed").await;
    let r = &done["receipt"];
    assert_eq!(r["status"], "SUCCESS");
    assert_eq!(r["txn_ref"].as_str().map(str::len), Some(20));
    assert!(r["approval_ref"].is_string() && r["upi_rrn"].is_string());
    assert_eq!(r["total"], done["charges"]["total"]);
    assert_eq!(r["payment_mode"], "UPI");
    assert!(done["upi"].is_null(), "the link is gone once paid");
    for status in ["awaiting_payment", "paid", "bill_payment_pending", "completed"] {
        assert_eq!(transitions_to(&s, &p, status), 1, "{status}");
    }
    let ref_id = bbps_core::RefId::parse(p["ref_id"].as_str().unwrap_or("")).expect("ref id");
    let ledger = bbps_sandbox::network::ledger_payment(&s.db(), &ref_id).expect("ledger");
    assert_eq!(ledger, Some(("success".to_owned(), 1)));
}

#[tokio::test]
async fn callbacks_are_verified_and_a_repeat_makes_one_transition() {
    let s = start_server(|c| {
        c.psp_secret = Some(PSP_SECRET.to_owned());
        c.worker = false;
    })
    .await;
    let token = s.session().await;
    let p = s.bill_payment(&token, "100234567890").await;
    let now = bbps_server::util::now().unix_seconds();
    let body = debit(&p, "PSPTEST0001", &p["charges"]["total"]);

    let (status, e) = send_callback(&s, &body, "wrong-secret", now).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("callback_signature_invalid")));
    let (status, _) = send_callback(&s, &body, PSP_SECRET, now - 3_600).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "an old signature is refused");
    let (status, e) = s
        .send(s.http.post(s.url("/v1/psp/callback")).header("content-type", "application/json").body(body.to_string()))
        .await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("callback_signature_invalid")));
    assert_eq!(s.payment(&token, &p["id"]).await["status"], "awaiting_payment");

    let (first, ack1) = send_callback(&s, &body, PSP_SECRET, now).await;
    let (second, ack2) = send_callback(&s, &body, PSP_SECRET, now).await;
    assert_eq!((first, second), (StatusCode::OK, StatusCode::OK));
    assert_eq!((ack1["payment_status"].as_str(), ack2["payment_status"].as_str()), (Some("paid"), Some("paid")));
    assert_eq!(transitions_to(&s, &p, "paid"), 1);
    assert_eq!(s.payment(&token, &p["id"]).await["status"], "paid");

    let mut unknown = body.clone();
    unknown["upi_txn_ref"] = json!("BBPSNOSUCHPAYMENT0000000000");
    let (status, e) = send_callback(&s, &unknown, PSP_SECRET, now).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::NOT_FOUND, Some("callback_unknown_payment")));
    let raw = b"{not json";
    let sig = bbps_engine::signature::sign(PSP_SECRET.as_bytes(), now, raw);
    let (status, e) = s
        .send(
            s.http
                .post(s.url("/v1/psp/callback"))
                .header("content-type", "application/json")
                .header("x-psp-signature", sig)
                .body(raw.to_vec()),
        )
        .await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_json")));
}

#[tokio::test]
async fn declined_and_wrong_amount_payments() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let p = s.bill_payment(&token, "100234567890").await;
    s.upi(&p["upi"]["link"], "decline").await;
    let failed = s.wait_status(&token, &p["id"], "payment_failed").await;
    assert_eq!(failed["failure"]["code"], "upi_declined");

    let p = s.bill_payment(&token, "100234567891").await;
    let sim = s.upi(&p["upi"]["link"], "wrong_amount").await;
    assert_ne!(sim["amount"], p["charges"]["total"]);
    let refunded = s.wait_status(&token, &p["id"], "refunded").await;
    assert_eq!(refunded["failure"]["code"], "amount_mismatch");
    assert_eq!(refunded["refund"]["reason"], "amount_mismatch");
    assert_eq!(refunded["refund"]["amount"], sim["amount"], "what was paid goes back");
    assert!(refunded["refund"]["reference"].is_string() && refunded["refund"]["refunded_at"].is_string());
    assert_eq!(transitions_to(&s, &p, "paid"), 0, "the bill was never paid");
}

#[tokio::test]
async fn a_failed_bill_payment_is_refunded() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let p = s.bill_payment(&token, "100234560006").await;
    s.upi(&p["upi"]["link"], "approve").await;
    let refunded = s.wait_status(&token, &p["id"], "refunded").await;
    assert_eq!(refunded["failure"]["code"], "bill_payment_failed");
    assert_eq!(refunded["failure"]["bbps_code"], "BPR001");
    assert_eq!(refunded["refund"]["reason"], "bill_payment_failed");
    assert_eq!(refunded["refund"]["amount"], refunded["charges"]["total"]);
    assert!(refunded["receipt"].is_null());
    for status in ["paid", "bill_payment_pending", "bill_payment_failed", "refund_pending", "refunded"] {
        assert_eq!(transitions_to(&s, &p, status), 1, "{status}");
    }
    assert_eq!(count(&s.db(), "SELECT COUNT(*) FROM sandbox_psp_refunds", &[]), 1);
}

#[tokio::test]
async fn a_pending_bill_payment_is_polled_until_it_settles() {
    let s = start_server(|c| c.sandbox.pending_settle = Duration::from_millis(800)).await;
    let token = s.session().await;
    let p = s.bill_payment(&token, "100234560005").await;
    // The push channel queues every change for its subscriber, so the short pending phase cannot be missed.
    let url = s.url(&format!("/v1/payments/{}/events?token={token}", p["id"].as_str().unwrap_or("")));
    let mut stream = s.http.get(&url).send().await.expect("stream");
    read_events(&mut stream, |_| true).await;
    s.upi(&p["upi"]["link"], "approve").await;
    let events = read_events(&mut stream, |e| e["payment"]["status"] == "completed").await;
    let pending = events
        .iter()
        .find(|e| e["payment"]["receipt"]["status"] == "PENDING")
        .unwrap_or_else(|| panic!("a pending receipt was pushed: {events:?}"));
    assert_eq!(pending["payment"]["status"], "bill_payment_pending");
    let done = s.wait_status(&token, &p["id"], "completed").await;
    assert_eq!(done["receipt"]["status"], "SUCCESS");
    assert_eq!(done["receipt"]["txn_ref"], pending["payment"]["receipt"]["txn_ref"]);
    let ref_id = bbps_core::RefId::parse(p["ref_id"].as_str().unwrap_or("")).expect("ref id");
    let ledger = bbps_sandbox::network::ledger_payment(&s.db(), &ref_id).expect("ledger");
    assert_eq!(ledger, Some(("success".to_owned(), 1)), "polled by status, paid once");
}

#[tokio::test]
async fn an_unpaid_link_expires_and_late_money_goes_back() {
    let s = start_server(|c| c.payment_expiry = Duration::from_millis(700)).await;
    let token = s.session().await;
    let p = s.bill_payment(&token, "100234567890").await;
    let expired = s.wait_status(&token, &p["id"], "expired").await;
    assert_eq!(expired["failure"]["code"], "expired");
    assert!(expired["upi"].is_null());
    s.upi(&p["upi"]["link"], "approve").await;
    let refunded = s.wait_status(&token, &p["id"], "refunded").await;
    assert_eq!(refunded["refund"]["reason"], "paid_after_expiry");
    assert_eq!(transitions_to(&s, &p, "completed"), 0);
}

#[tokio::test]
async fn expiry_asks_the_psp_first() {
    // The payer paid but the callback never arrived: at expiry the PSP's status query finds the debit. The link is
    // created by a server without a worker, so nothing can expire it before the debit is in the PSP's ledger.
    let mut a = start_server(|c| {
        c.payment_expiry = Duration::from_millis(300);
        c.worker = false;
    })
    .await;
    let token = a.session().await;
    let p = a.bill_payment(&token, "100234567890").await;
    let conn = rusqlite::Connection::open(a.db()).expect("db");
    conn.execute(
        "INSERT INTO sandbox_psp_debits (psp_txn_id, upi_txn_ref, payee_vpa, amount, status, payer_vpa, rrn, reason, at) \
         VALUES ('PSPLOSTCALLBACK1', ?1, 'bbpsdemo@sandbox', ?2, 'SUCCESS', 'payer@okaxis', '612345678901', NULL, ?3)",
        rusqlite::params![p["upi"]["txn_ref"].as_str(), p["charges"]["total"].as_i64(), bbps_server::util::now().unix_millis()],
    )
    .expect("insert debit");
    a.stop().await;
    let s = start_in(std::mem::replace(&mut a.dir, tempfile::tempdir().expect("dir")), |_| {}).await;
    let token = s.session().await;
    let done = s.wait_status(&token, &p["id"], "completed").await;
    assert_eq!(transitions_to(&s, &p, "expired"), 0);
    assert!(done["receipt"].is_object());
}

#[tokio::test]
async fn paying_a_link_twice_refunds_the_second_debit() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let p = s.bill_payment(&token, "100234567890").await;
    s.upi(&p["upi"]["link"], "approve").await;
    s.wait_status(&token, &p["id"], "completed").await;
    let second = s.upi(&p["upi"]["link"], "approve").await;
    let refunded = eventually(|| async {
        let n = count(
            &s.db(),
            "SELECT COUNT(*) FROM sandbox_psp_refunds WHERE psp_txn_id = ?1",
            &[second["psp_txn_id"].as_str().unwrap_or("")],
        );
        (n == 1).then_some(n)
    })
    .await;
    assert_eq!(refunded, Some(1));
    assert_eq!(s.payment(&token, &p["id"]).await["status"], "completed", "the first debit paid the bill");
    assert_eq!(transitions_to(&s, &p, "completed"), 1);
}

/// Reads server-sent events until `stop` accepts one (or the deadline passes).
async fn read_events(resp: &mut reqwest::Response, stop: impl Fn(&Value) -> bool) -> Vec<Value> {
    let mut buf = String::new();
    let mut events = Vec::new();
    let deadline = tokio::time::Instant::now() + DEADLINE;
    while let Ok(Ok(Some(chunk))) = tokio::time::timeout_at(deadline, resp.chunk()).await {
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            if !block.lines().any(|l| l == "event: payment") {
                continue;
            }
            let data: String = block.lines().filter_map(|l| l.strip_prefix("data: ")).collect();
            let event: Value = serde_json::from_str(&data).expect("event data is JSON");
            let done = stop(&event);
            events.push(event);
            if done {
                return events;
            }
        }
    }
    events
}

#[tokio::test]
async fn the_push_channel_sends_the_state_then_every_change() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let p = s.bill_payment(&token, "100234567890").await;
    let url = s.url(&format!("/v1/payments/{}/events?token={token}", p["id"].as_str().unwrap_or("")));
    let mut resp = s.http.get(&url).send().await.expect("stream");
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-type"].to_str().is_ok_and(|c| c.starts_with("text/event-stream")));
    let first = read_events(&mut resp, |_| true).await;
    assert_eq!(first.first().map(|e| e["payment"]["status"].clone()), Some(json!("awaiting_payment")));
    s.upi(&p["upi"]["link"], "approve").await;
    let rest = read_events(&mut resp, |e| e["payment"]["status"] == "completed").await;
    let statuses: Vec<&str> = rest.iter().filter_map(|e| e["payment"]["status"].as_str()).collect();
    assert_eq!(statuses.last(), Some(&"completed"), "{statuses:?}");
    assert!(statuses.contains(&"paid"), "{statuses:?}");

    let (status, e) =
        s.send(s.http.get(s.url(&format!("/v1/payments/{}/events", p["id"].as_str().unwrap_or(""))))).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("session_token_missing")));
    let (status, e) =
        s.send(s.http.get(s.url(&format!("/v1/payments/pay_000000000000000000000000/events?token={token}")))).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::NOT_FOUND, Some("payment_not_found")));
}
