//! Every error is the envelope with a stable code; bad input never yields a 500.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::*;

fn is_envelope(v: &Value) -> bool {
    v["code"].is_string() && v["message"].is_string()
}

#[tokio::test]
async fn request_shape_errors_are_envelopes() {
    let s = start_server(|c| c.max_body_bytes = 4_096).await;
    let token = s.session().await;
    let (status, e) = s.get("/v1/nothing-here", &token).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
    let (status, e) = s.send(s.http.delete(s.url("/v1/payments"))).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::METHOD_NOT_ALLOWED, Some("method_not_allowed")));
    let (status, e) = s.send(s.http.post(s.url("/v1/bills/fetch")).bearer_auth(&token).body("biller_id=x")).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNSUPPORTED_MEDIA_TYPE, Some("unsupported_media_type")));
    let (status, e) = s
        .send(
            s.http
                .post(s.url("/v1/bills/fetch"))
                .bearer_auth(&token)
                .header("content-type", "application/json")
                .body("{\"biller_id\":"),
        )
        .await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_json")));
    let (status, e) =
        s.post("/v1/bills/fetch", &token, json!({ "biller_id": "nope", "params": {}, "channel": "INT" })).await;
    assert_eq!(
        (status, e["code"].as_str(), e["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_json"), Some("biller_id"))
    );
    let (_, e) =
        s.post("/v1/bills/fetch", &token, json!({ "biller_id": MSEDCL, "params": {}, "channel": "FAX" })).await;
    assert_eq!(e["field"], "channel");
    let big = json!({ "biller_id": MSEDCL, "params": { "Consumer Number": "9".repeat(10_000) }, "channel": "INT" });
    let (status, e) = s.post("/v1/bills/fetch", &token, big).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large")));
    let (status, e) = s.get("/v1/payments/not-an-id", &token).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_path")));
    let (status, e) = s.get("/v1/billers?per_page=-1", &token).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_query")));
    let resp = s.http.get(s.url("/healthz")).send().await.expect("sent");
    assert!(resp.headers().contains_key("x-request-id"), "every answer carries a request id");

    // Widget calls answer CORS preflights (the widget may run on a merchant's page); merchant calls do not.
    let preflight = |path: &str| {
        s.http
            .request(reqwest::Method::OPTIONS, s.url(path))
            .header("origin", "http://localhost:8788")
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "authorization,idempotency-key,content-type")
            .send()
    };
    let resp = preflight("/v1/payments").await.expect("preflight");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["access-control-allow-origin"], "http://localhost:8788");
    let resp = preflight("/v1/merchant/payments").await.expect("preflight");
    assert!(resp.headers().get("access-control-allow-origin").is_none());
}

/// A small deterministic fuzzer: odd values in every path, query and body position of every operation.
#[tokio::test]
async fn odd_input_never_yields_a_server_error() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let doc: Value = s.http.get(s.url("/openapi.json")).send().await.expect("doc").json().await.expect("json");
    let odd = [
        "",
        "%00",
        "%FF%FE",
        "..%2F..%2Fetc%2Fpasswd",
        "9999999999999999999999",
        "-1",
        "%F0%9F%92%A9",
        "a%20b",
        "null",
        "%22%7D",
    ];
    let bodies = [
        "".to_owned(),
        "null".to_owned(),
        "[]".to_owned(),
        "{}".to_owned(),
        "{\"kind\":\"quote\"}".to_owned(),
        json!({ "biller_id": MSEDCL, "params": { "Consumer Number": "\u{0}\u{202e}" }, "channel": "INT" }).to_string(),
        json!({ "source": { "kind": "direct", "biller_id": MSEDCL, "params": {} }, "amount": u64::MAX, "customer_mobile": "9876543210", "channel": "INT" }).to_string(),
        json!({ "source": { "kind": "quote", "quote_id": "quo_000000000000000000000000" }, "amount": -5, "customer_mobile": "9876543210", "channel": "INT" }).to_string(),
        json!({ "publishable_key": "pk_".repeat(100), "parent_origin": "javascript:alert(1)" }).to_string(),
        json!({ "link": "upi://pay?pa=a@b&pn=%ZZ", "action": "approve" }).to_string(),
        json!({ "kind": "service", "target": { "kind": "agent", "agent_id": "🙂" }, "reason": "agent_misbehaviour", "description": "x".repeat(600), "customer_mobile": "9876543210" }).to_string(),
        json!({ "mobile": "9876543210\u{0}" }).to_string(),
        json!({ "challenge_id": "otp_".repeat(20), "code": "1".repeat(10_000) }).to_string(),
        json!({ "challenge_id": "otp_aaaaaaaaaaaaaaaaaaaaaaaa", "code": "０１２３４５" }).to_string(),
    ];
    let paths = doc["paths"].as_object().expect("paths");
    let mut tried = 0;
    for (template, ops) in paths {
        for method in ops.as_object().expect("ops").keys() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            for value in odd {
                let path = template
                    .replace("{biller_id}", value)
                    .replace("{payment_id}", value)
                    .replace("{complaint_id}", value)
                    .replace("{event_id}", value)
                    .replace("{path}", value);
                for query in [
                    "",
                    "?page=0&per_page=999&q=%FF&state=ZZZZ&category=%00",
                    "?txn_ref=x&mobile=1&from=2026-02-30&to=x",
                    "?link=upi%3A%2F%2Fpay%3Fpa%3D&token=x",
                    "?limit=0&status=x&starting_after=x&payment_id=x",
                ] {
                    for body in bodies.iter().take(if method == Method::POST { bodies.len() } else { 1 }) {
                        let req = s
                            .http
                            .request(method.clone(), s.url(&format!("{path}{query}")))
                            .bearer_auth(if template.contains("merchant") { DEMO_SK } else { &token })
                            .header("content-type", "application/json")
                            .header("idempotency-key", "fuzz-key-0001")
                            .header("bbps-client-secret", value)
                            .header("bbps-tracking-token", value)
                            .body(body.clone());
                        let resp = req.send().await.expect("sent");
                        let status = resp.status();
                        let ct =
                            resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
                        let text = resp.text().await.unwrap_or_default();
                        assert!(
                            !status.is_server_error()
                                || status == StatusCode::SERVICE_UNAVAILABLE
                                || status == StatusCode::GATEWAY_TIMEOUT,
                            "{method} {path}{query} {body} -> {status} {text}"
                        );
                        if ct.starts_with("application/json") && !status.is_success() {
                            let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                            assert!(is_envelope(&v), "{method} {path}{query} -> {text}");
                        }
                        tried += 1;
                    }
                }
            }
        }
    }
    assert!(tried > 500, "{tried}");
}
