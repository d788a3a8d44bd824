//! The persisted payment lifecycle: callbacks, bill payment, pending settlement, failures, refunds, expiry, and
//! the push channel.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::*;

fn transitions_to(s: &TestServer, payment: &Value, status: &str) -> i64 {
    count(
        &s.db(),
        "SELECT COUNT(*) FROM payment_transitions WHERE payment_id = ?1 AND to_status = ?2",
        &[payment["id"].as_str().unwrap_or(""), status],
    )
}

/// The PSP's id of a payment's link.
fn link_of(s: &TestServer, payment: &Value) -> String {
    let conn = rusqlite::Connection::open(s.db()).expect("db");
    conn.query_row("SELECT psp_link_id FROM payments WHERE id = ?1", [payment["id"].as_str().unwrap_or("")], |r| {
        r.get(0)
    })
    .expect("link id")
}

/// The key the in-process PSP simulator signs its notifications with.
pub(crate) fn notify_secret(s: &TestServer) -> String {
    let conn = rusqlite::Connection::open(s.db()).expect("db");
    conn.query_row("SELECT value FROM settings WHERE key = 'psp_sim_notify_secret'", [], |r| r.get(0)).expect("secret")
}

/// A notification JWT as the PSP signs it.
pub(crate) fn jwt(secret: &str, aud: &str, iat: i64, jti: &str) -> String {
    let claims = json!({ "aud": aud, "iat": iat, "jti": jti });
    let key = jsonwebtoken::EncodingKey::from_secret(secret.as_bytes());
    jsonwebtoken::encode(&jsonwebtoken::Header::default(), &claims, &key).expect("jwt")
}

async fn notify(s: &TestServer, body: &Value, token: Option<&str>) -> (StatusCode, Value) {
    let mut req =
        s.http.post(s.url("/v1/psp/notifications")).header("content-type", "application/json").body(body.to_string());
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    s.send(req).await
}

/// A `PAYMENT_SUCCESSFUL` notification of the PSP's format for the debit whose RRN is `rrn`.
fn honoured(link: &str, biller_bill_id: &Value, amount: &Value, rrn: &str) -> Value {
    json!({
        "partnerDetails": { "appID": "sandbox-instance", "productInstanceID": "sandbox-instance" },
        "events": [{
            "data": {
                "Reason": "", "amountPaid": { "currencyCode": "INR", "value": amount },
                "billerBillID": biller_bill_id, "payerVpa": "payer@okaxis", "platformBillID": link,
                "receiptId": format!("rcpt-{rrn}"), "status": "PAYMENT_SUCCESSFUL", "transactionId": rrn
            },
            "timeStamp": bbps_server::util::now().unix_millis(), "type": "BILL_FULFILMENT_STATUS", "id": rrn
        }]
    })
}

#[tokio::test]
async fn a_paid_bill_completes_with_a_receipt() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let p = s.bill_payment(&token, "100234567890").await;
    let link = p["upi"]["link"].as_str().unwrap_or("");
    assert!(link.contains("pn=BBPS+Demo+Bill+Payments"), "the PSP's link, as the PSP spells it: {link}");
    let sim = s.upi(&p["upi"]["link"], "approve").await;
    assert_eq!(sim["debits"][0]["honoured"], true, "{sim}");
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
async fn notifications_are_verified_and_a_repeat_makes_one_transition() {
    let s = start_server(|c| c.worker = false).await;
    let token = s.session().await;
    let p = s.bill_payment(&token, "100234567890").await;
    let (link, secret) = (link_of(&s, &p), notify_secret(&s));
    let now = bbps_server::util::now().unix_seconds();
    let body = honoured(&link, &p["upi"]["txn_ref"], &p["charges"]["total"], "612345678901");

    for (what, token) in [
        ("another key", Some(jwt("another-secret-of-enough-length-0000", "bbps-sandbox", now, "j1"))),
        ("another audience", Some(jwt(&secret, "someone-else", now, "j2"))),
        ("a stale token", Some(jwt(&secret, "bbps-sandbox", now - 600, "j3"))),
        ("no token", None),
    ] {
        let (status, e) = notify(&s, &body, token.as_deref()).await;
        assert_eq!(
            (status, e["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("callback_signature_invalid")),
            "{what}"
        );
    }
    assert_eq!(s.payment(&token, &p["id"]).await["status"], "awaiting_payment");

    let (first, ack1) = notify(&s, &body, Some(&jwt(&secret, "bbps-sandbox", now, "j4"))).await;
    let (second, ack2) = notify(&s, &body, Some(&jwt(&secret, "bbps-sandbox", now, "j5"))).await;
    assert_eq!((first, second), (StatusCode::OK, StatusCode::OK), "{ack1} {ack2}");
    let (replayed, e) = notify(&s, &body, Some(&jwt(&secret, "bbps-sandbox", now, "j5"))).await;
    assert_eq!(
        (replayed, e["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("callback_signature_invalid")),
        "a token is used once"
    );
    assert_eq!(transitions_to(&s, &p, "paid"), 1);
    assert_eq!(s.payment(&token, &p["id"]).await["status"], "paid");

    // The PSP honours one debit per link: the same link "honoured" under another id is that debit, not a second
    // one to refund (a refund by link would return the money that pays the bill).
    let renamed = honoured(&link, &p["upi"]["txn_ref"], &p["charges"]["total"], "612345678999");
    let (status, _) = notify(&s, &renamed, Some(&jwt(&secret, "bbps-sandbox", now, "j4b"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(count(&s.db(), "SELECT COUNT(*) FROM refunds", &[]), 0, "nothing to refund");
    assert_eq!(transitions_to(&s, &p, "paid"), 1);

    // Money on a link we never issued is recorded and refunded, never answered 404 and dropped.
    let stray = honoured("999000111222333444", &json!("BBPSNOSUCHPAYMENT0000000000"), &json!(12_345), "612300000001");
    let (status, _) = notify(&s, &stray, Some(&jwt(&secret, "bbps-sandbox", now, "j6"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        count(&s.db(), "SELECT COUNT(*) FROM refunds WHERE payment_id IS NULL AND debit_id = '612300000001'", &[]),
        1
    );
    let (status, e) = s
        .send(
            s.http
                .post(s.url("/v1/psp/notifications"))
                .header("content-type", "application/json")
                .header("authorization", format!("Bearer {}", jwt(&secret, "bbps-sandbox", now, "j7")))
                .body("{not json"),
        )
        .await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_json")));
}

/// A notification of the PSP's format with one event.
fn notice(kind: &str, data: Value) -> Value {
    json!({
        "partnerDetails": { "appID": "sandbox-instance", "productInstanceID": "sandbox-instance" },
        "events": [{ "data": data, "timeStamp": bbps_server::util::now().unix_millis(), "type": kind, "id": "evt" }]
    })
}

#[tokio::test]
async fn the_psps_refund_notice_ahead_of_its_debit_waits_for_the_debit() {
    let s = start_server(|c| c.worker = false).await;
    let token = s.session().await;
    let p = s.bill_payment(&token, "100234567890").await;
    let (link, secret) = (link_of(&s, &p), notify_secret(&s));
    let now = bbps_server::util::now().unix_seconds();
    let wrong = json!(p["charges"]["total"].as_u64().unwrap_or(0) + 100);
    let refund = notice(
        "REFUND_STATUS",
        json!({
            "amountRefunded": { "currencyCode": "INR", "value": wrong },
            "refunds": { "Initiated": [{
                "amount": { "currencyCode": "INR", "value": wrong }, "batchID": "psp-own-batch-01", "billID": link,
                "reason": "Initiated", "transactionID": "612377770001", "type": "SetuInitiated"
            }]}
        }),
    );
    let (status, e) = notify(&s, &refund, Some(&jwt(&secret, "bbps-sandbox", now, "r1"))).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "delivered again later: {e}");

    let returned = notice(
        "BILL_FULFILMENT_STATUS",
        json!({
            "Reason": "Amount validation failed", "amountPaid": { "currencyCode": "INR", "value": wrong },
            "billerBillID": p["upi"]["txn_ref"], "payerVpa": "payer@okaxis", "platformBillID": link,
            "status": "PAYMENT_FAILED", "transactionId": "612377770001"
        }),
    );
    assert_eq!(notify(&s, &returned, Some(&jwt(&secret, "bbps-sandbox", now, "r2"))).await.0, StatusCode::OK);
    assert_eq!(s.payment(&token, &p["id"]).await["status"], "refund_pending");
    assert_eq!(notify(&s, &refund, Some(&jwt(&secret, "bbps-sandbox", now, "r3"))).await.0, StatusCode::OK);
    let done = s.payment(&token, &p["id"]).await;
    assert_eq!(
        (done["status"].as_str(), done["refund"]["reason"].as_str()),
        (Some("refunded"), Some("amount_mismatch"))
    );
    assert_eq!(done["refund"]["reference"], "psp-own-batch-01");
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
    let paid = &sim["debits"][0];
    assert_ne!(paid["amount"], p["charges"]["total"]);
    assert_eq!(paid["honoured"], false, "the PSP refuses a wrong amount and returns it itself");
    let refunded = s.wait_status(&token, &p["id"], "refunded").await;
    assert_eq!(refunded["failure"]["code"], "amount_mismatch");
    assert_eq!(refunded["refund"]["reason"], "amount_mismatch");
    assert_eq!(refunded["refund"]["amount"], paid["amount"], "what was paid goes back");
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
    assert_eq!(
        count(&s.db(), "SELECT COUNT(*) FROM psp_sim_refunds WHERE kind = 'MerchantInitiated'", &[]),
        1,
        "one refund asked of the PSP"
    );
}

#[tokio::test]
async fn a_pending_bill_payment_is_polled_until_it_settles() {
    // The network answers a deemed payment only once it settles, after the server stopped waiting: meanwhile the
    // status says PENDING.
    let s = start_server(|c| {
        c.sandbox.pending_settle = Duration::from_millis(1500);
        c.bbpcu.timeouts.payment = Some(Duration::from_millis(300));
    })
    .await;
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
    // The payer paid but the PSP's notice was lost, and no worker runs: at expiry (in the next process) the PSP's
    // status finds the debit and the bill is paid.
    let mut a = start_server(|c| {
        c.payment_expiry = Duration::from_millis(1500);
        c.worker = false;
        c.psp_sim_listen = "127.0.0.1:0".parse().expect("addr");
    })
    .await;
    let token = a.session().await;
    let p = a.bill_payment(&token, "100234567890").await;
    let sim = a.upi(&p["upi"]["link"], "pay_unannounced").await;
    assert_eq!(sim["debits"][0]["honoured"], true);
    a.stop().await;
    let s = start_in(std::mem::replace(&mut a.dir, tempfile::tempdir().expect("dir")), |_| {}).await;
    let token = s.session().await;
    let done = s.wait_status_by_secret(&token, &p, "completed").await;
    assert_eq!(transitions_to(&s, &p, "expired"), 0);
    assert!(done["receipt"].is_object());
}

#[tokio::test]
async fn a_lost_notice_is_made_up_for_by_asking_the_psp() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let p = s.bill_payment(&token, "100234567890").await;
    s.upi(&p["upi"]["link"], "pay_unannounced").await;
    let done = s.wait_status(&token, &p["id"], "completed").await;
    assert!(done["receipt"].is_object(), "found by reconciliation, well before the link expires");
}

#[tokio::test]
async fn paying_a_link_twice_refunds_the_second_debit() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let p = s.bill_payment(&token, "100234567890").await;
    let sim = s.upi(&p["upi"]["link"], "pay_twice").await;
    let second = &sim["debits"][1];
    assert_eq!((sim["debits"][0]["honoured"].as_bool(), second["honoured"].as_bool()), (Some(true), Some(false)));
    s.wait_status(&token, &p["id"], "completed").await;
    let debit = second["transaction_id"].as_str().unwrap_or("").to_owned();
    let refunded = eventually(|| async {
        let n = count(
            &s.db(),
            "SELECT COUNT(*) FROM refunds WHERE debit_id = ?1 AND stage = 'refunded' AND is_primary = 0",
            &[&debit],
        );
        (n == 1).then_some(n)
    })
    .await;
    assert_eq!(refunded, Some(1), "the PSP's own refund of the second debit is recorded and confirmed");
    assert_eq!(s.payment(&token, &p["id"]).await["status"], "completed", "the first debit paid the bill");
    assert_eq!(transitions_to(&s, &p, "completed"), 1);
}

#[tokio::test]
async fn a_refused_resend_after_a_lost_answer_is_not_a_failure() {
    // The network pays the bill but answers after the server stopped waiting; its status lags, and the resend is
    // refused as a duplicate. Nothing is refunded: the payment completes once the status shows it.
    let s = start_server(|c| {
        c.provider_timeout = Duration::from_millis(800);
        c.sandbox.slow_delay = Duration::from_millis(1500);
        c.sandbox.pending_settle = Duration::from_millis(3000);
    })
    .await;
    let token = s.session().await;
    let p = s.bill_payment(&token, "100234560009").await;
    s.upi(&p["upi"]["link"], "approve").await;
    let done = s.wait_status(&token, &p["id"], "completed").await;
    assert!(done["refund"].is_null());
    assert_eq!(transitions_to(&s, &p, "bill_payment_failed"), 0);
    let ref_id = bbps_core::RefId::parse(p["ref_id"].as_str().unwrap_or("")).expect("ref id");
    let (status, requests) = bbps_sandbox::network::ledger_payment(&s.db(), &ref_id).expect("ledger").expect("paid");
    // The late answer may complete the payment before the network's status shows it (`lagging`): paid either way.
    assert!(matches!(status.as_str(), "success" | "lagging"), "{status}");
    assert!(requests >= 2, "a resend reached the network and was refused ({requests} requests)");
}

#[tokio::test]
async fn the_psp_down_at_creation_answers_503_and_a_retry_with_the_same_key_carries_on() {
    let s = start_server(|_| {}).await;
    let sim = s.server.as_ref().and_then(|r| r.psp_sim_addr()).expect("the simulator runs in-process");
    let control = |down: bool| s.http.post(format!("http://{sim}/sim/control")).json(&json!({ "down": down })).send();
    let token = s.session().await;
    let quote = s.fetch_ok(&token, MSEDCL, json!({ "Consumer Number": "100234567890" })).await;
    let body = json!({
        "source": { "kind": "quote", "quote_id": quote["id"] }, "amount": quote["bill"]["amount"],
        "customer_mobile": "9876543210", "channel": "INT",
    });
    control(true).await.expect("down");
    let (status, e) = s.pay_with_key(&token, "psp-down-key-0001", body.clone()).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::SERVICE_UNAVAILABLE, Some("service_unavailable")), "{e}");
    control(false).await.expect("up");
    let (status, p) = s.pay_with_key(&token, "psp-down-key-0001", body).await;
    assert_eq!((status, p["status"].as_str()), (StatusCode::OK, Some("awaiting_payment")), "{p}");
    assert!(p["upi"]["link"].is_string());
}

#[tokio::test]
async fn a_refund_the_psp_keeps_refusing_is_escalated_then_made() {
    let s = start_server(|_| {}).await;
    let sim = s.server.as_ref().and_then(|r| r.psp_sim_addr()).expect("the simulator runs in-process");
    let control = |down: bool| s.http.post(format!("http://{sim}/sim/control")).json(&json!({ "down": down })).send();
    let (status, _) = s
        .send(
            s.http.put(s.url("/v1/merchant/integration")).bearer_auth(DEMO_SK).json(
                &json!({ "allowed_origins": ["http://127.0.0.1:8788"], "webhook_url": s.url("/hooks-go-nowhere") }),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let token = s.session().await;
    let p = s.bill_payment(&token, "100234560006").await;
    s.upi(&p["upi"]["link"], "approve").await;
    s.wait_status(&token, &p["id"], "refund_pending").await;
    control(true).await.expect("down");
    let escalated = eventually(|| async {
        let p = s.payment(&token, &p["id"]).await;
        p["refund"]["escalated_at"].is_string().then_some(p)
    })
    .await
    .expect("the refund is escalated while the PSP refuses");
    assert_eq!(escalated["status"], "refund_pending");
    let (_, log) =
        s.get(&format!("/v1/merchant/webhook-deliveries?payment_id={}", p["id"].as_str().unwrap_or("")), DEMO_SK).await;
    let types: Vec<&str> =
        log["items"].as_array().into_iter().flatten().filter_map(|d| d["event_type"].as_str()).collect();
    assert!(types.contains(&"payment.refund_escalated"), "{types:?}");
    let (_, refunds) = s.get("/v1/merchant/refunds", DEMO_SK).await;
    assert!(refunds["items"][0]["escalated_at"].is_string(), "{refunds}");
    control(false).await.expect("up");
    let done = s.wait_status(&token, &p["id"], "refunded").await;
    assert!(done["refund"]["reference"].is_string());
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
