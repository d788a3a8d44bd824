//! Cheap refusals: each hostile request of the privacy-and-hardening issue against the running server, answered
//! with a specific 4xx (never a 5xx, never a busy server), and two workers on one database doing each job once.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::http::StatusCode as AxumStatus;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::*;
use crate::lifecycle::{jwt, notify_secret};

async fn notification(s: &TestServer, authorization: &str, body: String) -> (StatusCode, Value) {
    let req = s
        .http
        .post(s.url("/v1/psp/notifications"))
        .header("content-type", "application/json")
        .header("authorization", authorization)
        .body(body);
    s.send(req).await
}

#[tokio::test]
async fn a_header_bomb_is_refused_at_once() {
    let s = start_server(|_| {}).await;
    let bomb = format!("Bearer {}", "v1=,".repeat(20_000));
    let body = format!("{{\"events\":[{}]}}", vec!["{}"; 20_000].join(","));
    let started = Instant::now();
    let (status, e) = notification(&s, &bomb, body).await;
    // A bound on liveness, not a benchmark: the refusal computes no MAC over the entries.
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("callback_signature_invalid")), "{e}");

    // Too many headers, or one too large for the server's buffer: refused by the listener, never a 5xx.
    let mut req = s.http.get(s.url("/healthz"));
    for i in 0..200 {
        req = req.header(format!("x-filler-{i}"), "x");
    }
    let status = req.send().await.map(|r| r.status());
    assert!(status.as_ref().map_or(true, |st| st.is_client_error()), "{status:?}");
    let huge = s.http.get(s.url("/healthz")).header("x-huge", "a".repeat(1 << 20)).send().await.map(|r| r.status());
    assert!(huge.as_ref().map_or(true, |st| st.is_client_error()), "{huge:?}");
    assert_eq!(s.http.get(s.url("/healthz")).send().await.expect("alive").status(), StatusCode::OK);
}

#[tokio::test]
async fn timestamps_at_the_ends_of_their_range_are_refused_not_overflowed() {
    let s = start_server(|_| {}).await;
    let secret = notify_secret(&s);
    for (i, iat) in [i64::MIN, i64::MAX, -1, 0].into_iter().enumerate() {
        let token = jwt(&secret, "bbps-sandbox", iat, &format!("edge{i}"));
        let (status, e) = notification(&s, &format!("Bearer {token}"), "{\"events\":[]}".into()).await;
        assert_eq!(
            (status, e["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("callback_signature_invalid")),
            "{iat}"
        );
    }
    // The other outside timestamps: a tracking token's expiry and a date in a query.
    let token = s.session().await;
    let (status, e) = s
        .get_tracked(
            "/v1/transactions?mobile=9876543210&from=2026-01-01&to=2026-01-02",
            &token,
            "trk.-9223372036854775808.00",
        )
        .await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("otp_required")), "{e}");
    let (status, e) =
        s.get("/v1/transactions?mobile=9876543210&from=-9223372036854775808-01-01&to=2026-01-02", &token).await;
    assert!(status.is_client_error(), "{status} {e}");
}

/// An endpoint that counts what reaches it and answers `answer`, with `location` when given.
async fn counting_endpoint(answer: AxumStatus, location: Option<String>) -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    let app = axum::Router::new().fallback(move || {
        let (counted, location) = (counted.clone(), location.clone());
        async move {
            counted.fetch_add(1, Ordering::SeqCst);
            let mut headers = axum::http::HeaderMap::new();
            if let Some(l) = location.and_then(|l| l.parse().ok()) {
                headers.insert("location", l);
            }
            (answer, headers)
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/hooks", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    (url, hits)
}

async fn set_webhook(s: &TestServer, url: &str) {
    let body = json!({ "allowed_origins": ["http://localhost:8788"], "webhook_url": url });
    let (status, e) = s.send(s.http.put(s.url("/v1/merchant/integration")).bearer_auth(DEMO_SK).json(&body)).await;
    assert_eq!(status, StatusCode::OK, "{e}");
}

/// Completes a payment and waits for its webhook's first attempt; the attempt.
async fn first_webhook_attempt(s: &TestServer) -> Value {
    let token = s.session().await;
    let p = s.bill_payment(&token, "100234567890").await;
    s.upi(&p["upi"]["link"], "approve").await;
    s.wait_status(&token, &p["id"], "completed").await;
    let path = format!("/v1/merchant/webhook-deliveries?payment_id={}", p["id"].as_str().unwrap_or(""));
    eventually(|| async {
        let (_, log) = s.get(&path, DEMO_SK).await;
        let attempt = log["items"][0]["attempts"][0].clone();
        (!attempt.is_null()).then_some(attempt)
    })
    .await
    .expect("a webhook attempt is logged")
}

#[tokio::test]
async fn webhooks_never_reach_loopback_link_local_or_through_a_redirect() {
    let s = start_server(|c| c.webhook.allow_loopback = false).await;
    let (loopback, hits) = counting_endpoint(AxumStatus::OK, None).await;
    for url in
        [loopback.as_str(), "http://169.254.169.254/latest/meta-data", "http://[::1]:9/hooks", "http://10.0.0.1/x"]
    {
        set_webhook(&s, url).await;
        let attempt = first_webhook_attempt(&s).await;
        assert!(attempt["status_code"].is_null(), "{url}: {attempt}");
        let error = attempt["error"].as_str().unwrap_or("");
        assert!(error.contains("not a public"), "{url}: the log says why, not what answered: {attempt}");
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0, "nothing reached the loopback endpoint");

    // Through a redirect: the endpoint's 3xx is its answer, and the target is never asked.
    let s = start_server(|_| {}).await;
    let (target, target_hits) = counting_endpoint(AxumStatus::OK, None).await;
    let (redirecting, _) = counting_endpoint(AxumStatus::TEMPORARY_REDIRECT, Some(target)).await;
    set_webhook(&s, &redirecting).await;
    let attempt = first_webhook_attempt(&s).await;
    assert_eq!(attempt["status_code"], 307, "{attempt}");
    assert_eq!(target_hits.load(Ordering::SeqCst), 0, "the redirect was not followed");
}

#[tokio::test]
async fn two_thousand_event_streams_from_one_address_are_capped() {
    let s = start_server(|_| {}).await;
    let mut followed = Vec::new();
    for _ in 0..20 {
        let token = s.session().await;
        let p = s.bill_payment(&token, "100234567890").await;
        followed.push((token, p["id"].as_str().expect("id").to_owned()));
    }
    let mut open = Vec::new();
    let mut refused: HashMap<String, usize> = HashMap::new();
    for i in 0..2000 {
        let (token, id) = &followed[i % followed.len()];
        let resp = s.http.get(s.url(&format!("/v1/payments/{id}/events?token={token}"))).send().await.expect("sent");
        if resp.status() == StatusCode::OK {
            open.push(resp);
        } else {
            assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
            let e: Value = resp.json().await.expect("envelope");
            *refused.entry(e["code"].as_str().unwrap_or("").to_owned()).or_default() += 1;
        }
    }
    assert_eq!(open.len(), 64, "at most 64 streams per address (and 4 per session): {refused:?}");
    assert_eq!(refused.values().sum::<usize>(), 2000 - 64);
    assert_eq!(s.http.get(s.url("/healthz")).send().await.expect("alive").status(), StatusCode::OK);

    // A closed stream gives its place back.
    drop(open);
    let (token, id) = &followed[0];
    let reopened = eventually(|| async {
        let resp = s.http.get(s.url(&format!("/v1/payments/{id}/events?token={token}"))).send().await.ok()?;
        (resp.status() == StatusCode::OK).then_some(resp)
    })
    .await;
    assert!(reopened.is_some(), "the slots were released");
}

#[tokio::test]
async fn a_slow_client_is_cut_off() {
    let s = start_server(|c| c.header_read_timeout = Duration::from_secs(1)).await;
    let addr = s.base.trim_start_matches("http://").to_owned();
    let mut conn = tokio::net::TcpStream::connect(&addr).await.expect("connect");
    conn.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.expect("start");
    let started = Instant::now();
    let mut buf = [0u8; 1024];
    // One header byte every 200 ms: the request's head never completes, and the server stops waiting.
    let closed = loop {
        if conn.write_all(b"X").await.is_err() {
            break true;
        }
        match tokio::time::timeout(Duration::from_millis(200), conn.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => break true,
            Ok(Ok(n)) => break String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 408"),
            Err(_) if started.elapsed() > Duration::from_secs(20) => break false,
            Err(_) => {}
        }
    };
    assert!(closed, "the trickling client was cut off");
    assert!(started.elapsed() < Duration::from_secs(10), "within the header-read timeout: {:?}", started.elapsed());
}

#[tokio::test]
async fn two_workers_on_one_database_pay_each_bill_and_send_each_webhook_once() {
    let a = start_server(|_| {}).await;
    let (_b_dir, b) = start_beside(&a, |_| {}).await;

    let (hook, hook_hits) = counting_endpoint(AxumStatus::OK, None).await;
    set_webhook(&a, &hook).await;
    let token = a.session().await;
    let mut payments = Vec::new();
    for _ in 0..12 {
        let p = a.bill_payment(&token, "100234567890").await;
        a.upi(&p["upi"]["link"], "approve").await;
        payments.push(p);
    }
    for p in &payments {
        a.wait_status(&token, &p["id"], "completed").await;
    }
    let conn = rusqlite::Connection::open(a.db()).expect("db");
    for p in &payments {
        let id = p["id"].as_str().expect("id");
        let ref_id: String =
            conn.query_row("SELECT ref_id FROM payments WHERE id = ?1", [id], |r| r.get(0)).expect("ref id");
        let requests: u32 = conn
            .query_row("SELECT pay_requests FROM sandbox_bbps_payments WHERE ref_id = ?1", [&ref_id], |r| r.get(0))
            .expect("the bill was paid");
        assert_eq!(requests, 1, "{id}: one bill payment request, whichever worker sent it");
    }
    let path = "/v1/merchant/webhook-deliveries";
    let delivered = eventually(|| async {
        let (_, log) = a.get(path, DEMO_SK).await;
        let items = log["items"].as_array().cloned().unwrap_or_default();
        (items.len() == payments.len() && items.iter().all(|d| d["status"] == "delivered")).then_some(items)
    })
    .await
    .expect("every webhook delivered");
    for d in &delivered {
        assert_eq!(d["attempts"].as_array().map(Vec::len), Some(1), "one attempt each: {d}");
    }
    assert_eq!(hook_hits.load(Ordering::SeqCst), payments.len(), "each webhook reached the merchant once");
    b.shutdown().await;
}
