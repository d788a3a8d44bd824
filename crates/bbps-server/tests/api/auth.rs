//! Sessions, origins, keys and rate limits: each failure has its own code.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn sessions_check_the_key_and_the_origin() {
    let s = start_server(|_| {}).await;
    let open = |body: serde_json::Value, origin: Option<&str>| {
        let mut req = s.http.post(s.url("/v1/sessions")).json(&body);
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        s.send(req)
    };
    let (status, session) = open(json!({ "publishable_key": DEMO_PK }), None).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(session["merchant_name"], "BBPS Sandbox Demo Merchant");
    assert_eq!(session["mode"], "test");

    let (status, e) = open(json!({ "publishable_key": "pk_test_nope" }), None).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("publishable_key_invalid")));
    let (_, e) = open(json!({ "publishable_key": DEMO_SK }), None).await;
    assert_eq!(e["code"], "publishable_key_invalid", "a secret key is not a publishable key");

    let allowed = json!({ "publishable_key": DEMO_PK, "parent_origin": "http://localhost:8788" });
    assert_eq!(open(allowed, None).await.0, StatusCode::CREATED);
    let evil = json!({ "publishable_key": DEMO_PK, "parent_origin": "https://evil.example" });
    let (status, e) = open(evil, Some("http://localhost:8788")).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::FORBIDDEN, Some("origin_not_allowed")));
    assert_eq!(e["field"], "parent_origin");

    // Without parent_origin the Origin header decides; the server's own origin (the widget's iframe) must name
    // the allowed page that frames it.
    let (status, e) = open(json!({ "publishable_key": DEMO_PK }), Some("https://evil.example")).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::FORBIDDEN, Some("origin_not_allowed")));
    let (status, e) = open(json!({ "publishable_key": DEMO_PK }), Some(&s.base)).await;
    assert_eq!((status, e["field"].as_str()), (StatusCode::FORBIDDEN, Some("parent_origin")));
    let framed = json!({ "publishable_key": DEMO_PK, "parent_origin": "http://localhost:8788" });
    assert_eq!(open(framed, Some(&s.base)).await.0, StatusCode::CREATED);
    assert_eq!(open(json!({ "publishable_key": DEMO_PK }), Some("http://127.0.0.1:8080")).await.0, StatusCode::CREATED);
}

#[tokio::test]
async fn widget_calls_refuse_missing_tampered_and_expired_tokens() {
    let s = start_server(|c| c.session_ttl = Duration::from_secs(1)).await;
    let (status, e) = s.send(s.http.get(s.url("/v1/categories"))).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("session_token_missing")));

    let token = s.session().await;
    assert_eq!(s.get("/v1/categories", &token).await.0, StatusCode::OK);
    let tampered = token.replacen("mer_sandboxdemo", "mer_sandboxdemx", 1);
    assert_ne!(tampered, token);
    let (status, e) = s.get("/v1/categories", &tampered).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("session_token_invalid")));
    let (_, e) = s.get("/v1/categories", "not-a-token").await;
    assert_eq!(e["code"], "session_token_invalid");

    // The token lives one second: poll until the server calls it expired.
    let expired = eventually(|| async {
        let (status, e) = s.get("/v1/categories", &token).await;
        (status == StatusCode::UNAUTHORIZED).then_some(e)
    })
    .await
    .expect("the session expires");
    assert_eq!(expired["code"], "session_expired");
}

#[tokio::test]
async fn merchant_calls_need_the_secret_key() {
    let s = start_server(|_| {}).await;
    let (status, e) = s.send(s.http.get(s.url("/v1/merchant/payments"))).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("secret_key_missing")));
    let (status, e) = s.get("/v1/merchant/payments", "sk_test_wrong").await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("secret_key_invalid")));
    let token = s.session().await;
    assert_eq!(s.get("/v1/merchant/payments", &token).await.1["code"], "secret_key_invalid", "a session is not a key");
    assert_eq!(s.get("/v1/merchant/payments", DEMO_PK).await.1["code"], "secret_key_invalid");
    let (status, list) = s.get("/v1/merchant/payments", DEMO_SK).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert!(list["items"].as_array().is_some_and(|i| i.is_empty()));
}

#[tokio::test]
async fn rate_limits_per_address_and_per_session() {
    use bbps_server::config::RateLimit;
    let s = start_server(|c| c.ip_rate_limit = RateLimit { per_minute: 6, burst: 4 }).await;
    let mut statuses = Vec::new();
    let mut limited = None;
    for _ in 0..8 {
        let resp = s.http.get(s.url("/v1/categories")).send().await.expect("sent");
        statuses.push(resp.status());
        if resp.status() == StatusCode::TOO_MANY_REQUESTS && limited.is_none() {
            let retry_after: u32 =
                resp.headers()["retry-after"].to_str().ok().and_then(|v| v.parse().ok()).unwrap_or(0);
            let body: serde_json::Value = resp.json().await.expect("json");
            limited = Some((retry_after, body));
        }
    }
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count(), 4, "{statuses:?}");
    let (retry_after, body) = limited.expect("the fifth request is limited");
    assert_eq!(body["code"], "rate_limited");
    assert!(retry_after >= 1 && body["retry_after"].as_u64() == Some(u64::from(retry_after)), "{body}");

    let s = start_server(|c| c.session_rate_limit = RateLimit { per_minute: 6, burst: 3 }).await;
    let token = s.session().await;
    let other = s.session().await;
    for _ in 0..3 {
        assert_eq!(s.get("/v1/categories", &token).await.0, StatusCode::OK);
    }
    let (status, e) = s.get("/v1/categories", &token).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::TOO_MANY_REQUESTS, Some("rate_limited")));
    assert_eq!(s.get("/v1/categories", &other).await.0, StatusCode::OK, "another session has its own bucket");
}
