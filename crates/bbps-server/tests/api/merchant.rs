//! The merchant server API, signed webhooks with retries and their delivery log, and the merchant CLI.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use bbps_core::MerchantId;
use bbps_engine::model::Merchant;
use bbps_server::http::auth::keys::hash_secret;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::sync::Mutex;

use crate::common::*;

#[derive(Clone, Default)]
struct Receiver {
    calls: Arc<AtomicUsize>,
    received: Arc<Mutex<Vec<(String, String)>>>,
}

/// Fails the first two deliveries with 500, then accepts.
async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> AxumStatus {
    let n = r.calls.fetch_add(1, Ordering::SeqCst) + 1;
    let sig = headers.get("bbps-signature").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    r.received.lock().await.push((sig, String::from_utf8_lossy(&body).into_owned()));
    if n <= 2 { AxumStatus::INTERNAL_SERVER_ERROR } else { AxumStatus::OK }
}

async fn webhook_receiver() -> (String, Receiver) {
    let r = Receiver::default();
    let app = axum::Router::new().route("/hooks", axum::routing::post(receive)).with_state(r.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    (format!("http://{addr}/hooks"), r)
}

const SECRET: &str = "sk_test_merchant_for_webhook_tests_0000";
const WEBHOOK_SECRET: &str = "whsec_for_tests";

async fn add_merchant(s: &TestServer, webhook_url: &str) -> Merchant {
    let m = Merchant {
        id: MerchantId::generate(&mut rand::rng()),
        name: "Society Portal".into(),
        publishable_key: "pk_test_society_portal".into(),
        secret_key_hash: hash_secret(SECRET),
        allowed_origins: vec!["https://society.example".into()],
        webhook_url: Some(webhook_url.to_owned()),
        webhook_secret: bbps_core::Secret::new(WEBHOOK_SECRET),
        upi_name: "Society Portal".into(),
        created_at: bbps_server::util::now(),
    };
    s.state().engine.store().insert_merchant(&m).await.expect("insert merchant");
    m
}

#[tokio::test]
async fn terminal_states_send_signed_webhooks_with_retries() {
    let s = start_server(|_| {}).await;
    let (url, receiver) = webhook_receiver().await;
    add_merchant(&s, &url).await;
    let token = s.session_for("pk_test_society_portal").await;
    let p = s.bill_payment(&token, "100234567890").await;
    assert!(p["upi"]["link"].as_str().is_some_and(|l| l.contains("pn=Society+Portal")), "the merchant's name as payee");
    s.upi(&p["upi"]["link"], "approve").await;
    s.wait_status(&token, &p["id"], "completed").await;

    let path = format!("/v1/merchant/webhook-deliveries?payment_id={}", p["id"].as_str().unwrap_or(""));
    let delivery = eventually(|| async {
        let (_, log) = s.get(&path, SECRET).await;
        let d = log["items"][0].clone();
        (d["status"] == "delivered").then_some(d)
    })
    .await
    .expect("delivered after retries");
    assert_eq!(delivery["event_type"], "payment.completed");
    let attempts: Vec<(u64, u64)> = delivery["attempts"]
        .as_array()
        .expect("attempts")
        .iter()
        .filter_map(|a| Some((a["attempt"].as_u64()?, a["status_code"].as_u64()?)))
        .collect();
    assert_eq!(attempts, vec![(1, 500), (2, 500), (3, 200)]);
    assert!(delivery["attempts"][0]["error"].is_string());
    assert!(delivery["next_attempt_at"].is_null());

    let received = receiver.received.lock().await.clone();
    assert_eq!(received.len(), 3);
    for (sig, body) in &received {
        let t: i64 = sig.split(',').find_map(|p| p.strip_prefix("t=")).and_then(|t| t.parse().ok()).expect("t=");
        let now = bbps_server::util::now().unix_seconds();
        assert!(bbps_engine::signature::verify(WEBHOOK_SECRET.as_bytes(), sig, body.as_bytes(), now, 300), "{sig}");
        assert!(!bbps_engine::signature::verify(b"other", sig, body.as_bytes(), t, 300));
        let event: Value = serde_json::from_str(body).expect("json");
        assert_eq!(event["type"], "payment.completed");
        assert_eq!(event["data"]["id"], p["id"]);
        assert_eq!(event["data"]["status"], "completed");
    }
    let ids: std::collections::HashSet<&str> =
        received.iter().filter_map(|(_, b)| b.split("\"id\":\"").nth(1)?.split('"').next()).collect();
    assert_eq!(ids.len(), 1, "retries carry the same event id");

    let (_, other) = s.get("/v1/merchant/webhook-deliveries", DEMO_SK).await;
    assert_eq!(other["items"].as_array().map(Vec::len), Some(0), "scoped to the merchant");
}

#[tokio::test]
async fn merchant_payments_with_cursor_pagination() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let mut ids = Vec::new();
    for account in ["100234567890", "100234567891", "100234567892"] {
        ids.push(s.bill_payment(&token, account).await["id"].clone());
    }
    let (status, page1) = s.get("/v1/merchant/payments?limit=2", DEMO_SK).await;
    assert_eq!(status, StatusCode::OK, "{page1}");
    assert_eq!(page1["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(page1["items"][0]["id"], ids[2], "newest first");
    let cursor = page1["next_cursor"].as_str().expect("cursor").to_owned();
    let (_, page2) = s.get(&format!("/v1/merchant/payments?limit=2&starting_after={cursor}"), DEMO_SK).await;
    assert_eq!(page2["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(page2["items"][0]["id"], ids[0]);
    assert!(page2["next_cursor"].is_null());
    let (_, filtered) = s.get("/v1/merchant/payments?status=completed", DEMO_SK).await;
    assert_eq!(filtered["items"].as_array().map(Vec::len), Some(0));
    let (_, e) = s.get("/v1/merchant/payments?status=nope", DEMO_SK).await;
    assert_eq!(e["code"], "invalid_query");
    let (_, e) = s.get("/v1/merchant/payments?limit=500", DEMO_SK).await;
    assert_eq!(e["field"], "limit");

    let (status, one) = s.get(&format!("/v1/merchant/payments/{}", ids[1].as_str().unwrap_or("")), DEMO_SK).await;
    assert_eq!((status, &one["id"]), (StatusCode::OK, &ids[1]));
    let (status, e) = s.get("/v1/merchant/payments/pay_000000000000000000000000", DEMO_SK).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::NOT_FOUND, Some("payment_not_found")));

    // Another merchant sees none of these.
    add_merchant(&s, "http://127.0.0.1:9/none").await;
    let (_, theirs) = s.get("/v1/merchant/payments", SECRET).await;
    assert_eq!(theirs["items"].as_array().map(Vec::len), Some(0));
    let (status, _) = s.get(&format!("/v1/merchant/payments/{}", ids[1].as_str().unwrap_or("")), SECRET).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let other = s.session_for("pk_test_society_portal").await;
    assert_eq!(
        s.get(&format!("/v1/payments/{}", ids[1].as_str().unwrap_or("")), &other).await.0,
        StatusCode::NOT_FOUND
    );
}

fn cli(db: &std::path::Path, args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bbps-server"))
        .arg("merchant")
        .args(args)
        .env("BBPS_DATABASE", db)
        .output()
        .expect("run the binary");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr))
}

fn field(out: &str, name: &str) -> String {
    out.lines().find_map(|l| l.strip_prefix(name)).and_then(|v| v.split_whitespace().next()).unwrap_or("").to_owned()
}

#[tokio::test]
async fn the_cli_creates_lists_and_rotates_merchants() {
    let s = start_server(|_| {}).await;
    let db = s.db();
    let (ok, out) = cli(&db, &["create", "--name", "Shop", "--origin", "https://shop.example"]);
    assert!(ok, "{out}");
    let (id, pk, sk) = (field(&out, "merchant_id"), field(&out, "publishable_key"), field(&out, "secret_key"));
    assert!(pk.starts_with("pk_test_") && sk.starts_with("sk_test_"), "{out}");
    let (ok, listed) = cli(&db, &["list"]);
    assert!(ok && listed.contains(&id) && listed.contains("https://shop.example") && !listed.contains(&sk), "{listed}");
    assert_eq!(s.get("/v1/merchant/payments", &sk).await.0, StatusCode::OK);
    let token = s.session_for(&pk).await;
    // A payment read needs the merchant's current key: a valid session is told the payment does not exist.
    let payment = "/v1/payments/pay_rotation0000000000000001";
    assert_eq!(s.get(payment, &token).await.1["code"], "payment_not_found");
    let (ok, rotated) = cli(&db, &["rotate-keys", &id]);
    assert!(ok, "{rotated}");
    let new_sk = field(&rotated, "secret_key");
    assert_ne!(new_sk, sk);
    assert_eq!(s.get("/v1/merchant/payments", &sk).await.1["code"], "secret_key_invalid", "the old key stops working");
    let (status, e) = s.get(payment, &token).await;
    assert_eq!(
        (status, e["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("session_token_invalid")),
        "sessions end: {e}"
    );
    // The public catalogue checks only the token's signature (docs/security.md).
    assert_eq!(s.get("/v1/categories", &token).await.0, StatusCode::OK);
    assert_eq!(s.get("/v1/merchant/payments", &new_sk).await.0, StatusCode::OK);
    let (_, e) = s.send(s.http.post(s.url("/v1/sessions")).json(&json!({ "publishable_key": pk }))).await;
    assert_eq!(e["code"], "publishable_key_invalid");
    let (ok, out) = cli(&db, &["create", "--name", "Bad", "--origin", "ftp://x.example"]);
    assert!(!ok && out.contains("--origin"), "{out}");
    let (ok, out) = cli(&db, &["rotate-keys", "mer_000000000000000000000000"]);
    assert!(!ok && out.contains("no merchant"), "{out}");
}

#[tokio::test]
async fn the_integration_settings_are_read_and_replaced_with_the_secret_key() {
    let s = start_server(|_| {}).await;
    let (status, e) = s.get("/v1/merchant/integration", DEMO_PK).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("secret_key_invalid")));
    let (status, before) = s.get("/v1/merchant/integration", DEMO_SK).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    assert!(before["allowed_origins"].as_array().is_some_and(|o| !o.is_empty()), "{before}");
    assert_eq!(before["webhook_url"], Value::Null);

    let put = |body: Value| s.send(s.http.put(s.url("/v1/merchant/integration")).bearer_auth(DEMO_SK).json(&body));
    let (status, now) =
        put(json!({ "allowed_origins": ["HTTPS://Shop.Example"], "webhook_url": "https://shop.example/hooks" })).await;
    assert_eq!(status, StatusCode::OK, "{now}");
    assert_eq!(now["allowed_origins"], json!(["https://shop.example"]), "origins are kept lower-case");
    let (_, read) = s.get("/v1/merchant/integration", DEMO_SK).await;
    assert_eq!(read, now);
    // The new origins decide who may open a session at once.
    for (parent, expected) in
        [("https://shop.example", StatusCode::CREATED), ("http://127.0.0.1:8788", StatusCode::FORBIDDEN)]
    {
        let body = json!({ "publishable_key": DEMO_PK, "parent_origin": parent });
        assert_eq!(s.send(s.http.post(s.url("/v1/sessions")).json(&body)).await.0, expected, "{parent}");
    }

    for (body, field) in [
        (json!({ "allowed_origins": ["https://shop.example/path"], "webhook_url": null }), "allowed_origins[0]"),
        (json!({ "allowed_origins": ["javascript:alert(1)"], "webhook_url": null }), "allowed_origins[0]"),
        (json!({ "allowed_origins": [], "webhook_url": "ftp://shop.example" }), "webhook_url"),
        (json!({ "allowed_origins": [], "webhook_url": "https://user@shop.example/" }), "webhook_url"),
    ] {
        let (status, e) = put(body.clone()).await;
        assert_eq!((status, e["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_json")), "{body}: {e}");
        assert_eq!(e["field"], field, "{body}");
    }
    let many: Vec<String> = (0..51).map(|i| format!("https://shop{i}.example")).collect();
    let (status, e) = put(json!({ "allowed_origins": many, "webhook_url": null })).await;
    assert_eq!((status, e["field"].as_str()), (StatusCode::BAD_REQUEST, Some("allowed_origins")), "{e}");
    let (_, unchanged) = s.get("/v1/merchant/integration", DEMO_SK).await;
    assert_eq!(unchanged, now, "refused settings change nothing");
}
