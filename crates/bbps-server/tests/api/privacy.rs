//! Who may see what: one named test per attack of the privacy-and-hardening issue, each refused with a specific
//! error code by the running server.

use reqwest::StatusCode;
use serde_json::Value;

use crate::common::*;

async fn events_status(s: &TestServer, id: &Value, query: &str) -> StatusCode {
    let url = s.url(&format!("/v1/payments/{}/events?{query}", id.as_str().unwrap_or("")));
    s.http.get(url).send().await.expect("events").status()
}

#[tokio::test]
async fn another_session_cannot_read_a_payment_by_its_id() {
    let s = start_server(|_| {}).await;
    let (alice, mallory) = (s.session().await, s.session().await);
    let p = s.bill_payment(&alice, "100234567890").await;
    let secret = p["client_secret"].as_str().expect("the creating answer carries the client secret").to_owned();
    assert!(secret.starts_with(&format!("{}_secret_", p["id"].as_str().unwrap_or(""))), "{secret}");
    assert!(s.payment(&alice, &p["id"]).await["client_secret"].is_null(), "given once, never read back");

    let path = format!("/v1/payments/{}", p["id"].as_str().unwrap_or(""));
    let (status, e) = s.get(&path, &mallory).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::NOT_FOUND, Some("payment_not_found")), "{e}");
    let token = mallory.clone();
    assert_eq!(events_status(&s, &p["id"], &format!("token={token}")).await, StatusCode::NOT_FOUND);

    // Another payment's secret, or a made-up one, opens nothing.
    let other = s.bill_payment(&mallory, "100234567890").await;
    for wrong in [other["client_secret"].as_str().unwrap_or(""), "pay_x_secret_y", ""] {
        let req = s.http.get(s.url(&path)).bearer_auth(&mallory).header("BBPS-Client-Secret", wrong);
        let (status, e) = s.send(req).await;
        assert_eq!((status, e["code"].as_str()), (StatusCode::NOT_FOUND, Some("payment_not_found")), "{wrong}: {e}");
    }

    // The holder of the client secret (the widget after a reload, with a new session) follows it.
    let seen = s.payment_by_secret(&mallory, &p).await;
    assert_eq!(seen["id"], p["id"]);
    let q = format!("token={mallory}&client_secret={secret}");
    assert_eq!(events_status(&s, &p["id"], &q).await, StatusCode::OK);
    // And the merchant's server, with its secret key.
    let merchant_path = format!("/v1/merchant/payments/{}", p["id"].as_str().unwrap_or(""));
    assert_eq!(s.get(&merchant_path, DEMO_SK).await.0, StatusCode::OK);
}

async fn open(s: &TestServer, origin: Option<&str>, body: serde_json::Value) -> (StatusCode, Value, Option<String>) {
    let mut req = s.http.post(s.url("/v1/sessions")).json(&body);
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    let resp = req.send().await.expect("sent");
    let acao = resp.headers().get("access-control-allow-origin").and_then(|v| v.to_str().ok()).map(str::to_owned);
    (resp.status(), resp.json().await.unwrap_or(Value::Null), acao)
}

#[tokio::test]
async fn a_foreign_origin_cannot_borrow_an_allowed_parent_origin() {
    let s = start_server(|_| {}).await;
    let allowed = "http://127.0.0.1:8788";
    let body = |parent: Option<&str>| serde_json::json!({ "publishable_key": DEMO_PK, "parent_origin": parent });

    // The browser's Origin outranks the body: a foreign page naming an allowed parent is refused, and gets no
    // CORS grant to read the answer.
    let (status, e, acao) = open(&s, Some("https://evil.example"), body(Some(allowed))).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::FORBIDDEN, Some("origin_not_allowed")), "{e}");
    assert_eq!(acao, None, "no Access-Control-Allow-Origin for a foreign origin");

    // An allowed page calling directly must name itself, if it names a parent at all.
    let (status, _, acao) = open(&s, Some(allowed), body(None)).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(acao.as_deref(), Some(allowed));
    let (status, e, _) = open(&s, Some(allowed), body(Some("http://localhost:8788"))).await;
    assert_eq!((status, e["field"].as_str()), (StatusCode::FORBIDDEN, Some("parent_origin")), "{e}");

    // The widget's own page must say which allowed page frames it.
    let own = s.base.clone();
    let (status, e, _) = open(&s, Some(&own), body(None)).await;
    assert_eq!((status, e["field"].as_str()), (StatusCode::FORBIDDEN, Some("parent_origin")), "{e}");
    assert_eq!(open(&s, Some(&own), body(Some(allowed))).await.0, StatusCode::CREATED);
    let (status, _, _) = open(&s, Some(&own), body(Some("https://evil.example"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A sandboxed or file page (Origin: null) is nobody's.
    assert_eq!(open(&s, Some("null"), body(Some(allowed))).await.0, StatusCode::FORBIDDEN);

    // Preflights answer only origins some merchant allows.
    let preflight = |origin: &'static str| {
        s.http
            .request(reqwest::Method::OPTIONS, s.url("/v1/sessions"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .send()
    };
    let evil = preflight("https://evil.example").await.expect("preflight");
    assert!(evil.headers().get("access-control-allow-origin").is_none());
    let good = preflight("http://127.0.0.1:8788").await.expect("preflight");
    assert_eq!(good.headers().get("access-control-allow-origin").and_then(|v| v.to_str().ok()), Some(allowed));
}

#[tokio::test]
async fn the_upi_link_names_no_payment() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let p = s.bill_payment(&token, "100234567890").await;
    let link = p["upi"]["link"].as_str().expect("link");
    let id = p["id"].as_str().expect("id");
    assert!(!link.contains(id) && !link.contains("url="), "a payer's app shows the link to others: {link}");
}

#[tokio::test]
async fn a_mobile_number_cannot_be_swept_without_its_code() {
    let s = start_server(|_| {}).await;
    let (alice, mallory) = (s.session().await, s.session().await);
    let p = s.bill_payment(&alice, "100234567890").await;
    s.upi(&p["upi"]["link"], "approve").await;
    s.wait_status(&alice, &p["id"], "completed").await;
    let today = bbps_server::util::now().ist_date();
    let path = format!("/v1/transactions?mobile=9876543210&from={}&to={today}", today - time::Duration::days(7));

    let (status, e) = s.get(&path, &mallory).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("otp_required")), "{e}");
    // A token for the attacker's own number, or one proved by another session, does not open the victim's.
    let own = s.tracking_token(&mallory, "9123456789").await;
    let (status, e) = s.get_tracked(&path, &mallory, &own).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("otp_required")), "{e}");
    let alices = s.tracking_token(&alice, "9876543210").await;
    let (status, e) = s.get_tracked(&path, &mallory, &alices).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("otp_required")), "{e}");
    let (status, e) = s.get_tracked(&path, &mallory, "trk.99999999999.00").await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("otp_required")), "{e}");

    // The customer who proved the number sees their payment, masked.
    let (status, list) = s.get_tracked(&path, &alice, &alices).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let item = &list["items"][0];
    assert_eq!(item["customer_mobile_masked"], "98xxxxxx10");
    for hidden in ["9876543210", "100234567890"] {
        assert!(!list.to_string().contains(hidden), "{hidden} in {list}");
    }
    assert!(item.get("customer_name").is_none() && item.get("params").is_none(), "{item}");
}

async fn send_code(s: &TestServer, token: &str, mobile: &str) -> (StatusCode, Value) {
    s.post("/v1/transactions/otp", token, serde_json::json!({ "mobile": mobile })).await
}

async fn guess(s: &TestServer, token: &str, challenge: &Value, code: &str) -> (StatusCode, Value) {
    s.post("/v1/transactions/otp/verify", token, serde_json::json!({ "challenge_id": challenge, "code": code })).await
}

#[tokio::test]
async fn one_time_codes_cannot_be_brute_forced() {
    // Codes may be asked for back to back here, so that the lock-out comes within the test.
    let s = start_server(|c| c.otp.resend_after = std::time::Duration::ZERO).await;
    let token = s.session().await;
    let mobile = "9876543210";
    let wrong = |code: &str| if code == "000000" { "111111".to_owned() } else { "000000".to_owned() };

    for round in 0..3 {
        let (status, sent) = send_code(&s, &token, mobile).await;
        assert_eq!(status, StatusCode::CREATED, "round {round}: {sent}");
        assert_eq!(sent["mobile_masked"], "98xxxxxx10");
        let code = s.sms_code(mobile).await;
        assert_eq!(code.len(), 6);
        for attempt in 1..=4 {
            let (status, e) = guess(&s, &token, &sent["challenge_id"], &wrong(&code)).await;
            assert_eq!((status, e["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("otp_invalid")), "{e}");
            assert!(e["message"].as_str().unwrap_or("").contains(&format!("{} tries left", 5 - attempt)), "{e}");
        }
        let (status, e) = guess(&s, &token, &sent["challenge_id"], &wrong(&code)).await;
        assert_eq!(
            (status, e["code"].as_str()),
            (StatusCode::GONE, Some("otp_expired")),
            "the fifth wrong code kills it"
        );
        let (status, e) = guess(&s, &token, &sent["challenge_id"], &code).await;
        assert_eq!(
            (status, e["code"].as_str()),
            (StatusCode::GONE, Some("otp_expired")),
            "a dead code never opens: {e}"
        );
    }
    // Three dead codes lock the number for an hour, whichever session asks.
    let (status, e) = send_code(&s, &s.session().await, mobile).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::TOO_MANY_REQUESTS, Some("otp_locked")), "{e}");
    assert!(e["retry_after"].as_u64().is_some_and(|secs| secs > 3000), "{e}");

    // A code opens once; an unknown challenge is as dead as a used one.
    let other = "9123456789";
    let (_, sent) = send_code(&s, &token, other).await;
    let code = s.sms_code(other).await;
    assert_eq!(guess(&s, &token, &sent["challenge_id"], &code).await.0, StatusCode::OK);
    let (status, e) = guess(&s, &token, &sent["challenge_id"], &code).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::GONE, Some("otp_expired")), "used once: {e}");
    let (status, e) = guess(&s, &token, &Value::from("otp_aaaaaaaaaaaaaaaaaaaaaaaa"), &code).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::GONE, Some("otp_expired")), "{e}");
    let (status, e) = guess(&s, &token, &Value::from("not-a-challenge"), &code).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_json")), "{e}");
}

#[tokio::test]
async fn codes_to_one_number_are_rate_limited() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    assert_eq!(send_code(&s, &token, "9876543210").await.0, StatusCode::CREATED);
    let (status, e) = send_code(&s, &token, "9876543210").await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::TOO_MANY_REQUESTS, Some("rate_limited")), "{e}");
    assert!(e["retry_after"].as_u64().is_some_and(|secs| (1..=60).contains(&secs)), "{e}");
    let (status, e) = send_code(&s, &token, "12345").await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_json")), "{e}");
}
