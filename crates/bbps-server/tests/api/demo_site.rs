//! The demo merchant's site, its own program beside the server: it registers its origin and webhook endpoint
//! through the merchant API, its pages embed the widget under their policy with no inline code, its server
//! verifies payments with the secret key, and its webhook receiver checks signatures and de-duplicates deliveries.

use bbps_core::sandbox::DEMO_WEBHOOK_SECRET;
use bbps_engine::signature::sign as signature_header;
use bbps_server::util::now;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::*;

fn port(url: &str) -> String {
    url.rsplit(':').next().unwrap_or("").to_owned()
}

/// No inline script, handler or style: every `<script>` is an empty element with a `src`.
fn assert_no_inline_code(path: &str, html: &str) {
    for (i, _) in html.match_indices("<script") {
        let tag_end = html[i..].find('>').map(|e| i + e).expect("script tag closes");
        assert!(html[i..tag_end].contains(" src=\""), "{path}: a script without src");
        assert!(html[tag_end + 1..].starts_with("</script>"), "{path}: a script with inline content");
    }
    assert!(!html.contains("<style") && !html.contains(" style=\""), "{path}: inline style");
    let handler = html.match_indices(" on").any(|(i, _)| {
        let name: String = html[i + 1..].chars().take_while(char::is_ascii_lowercase).collect();
        name.len() > 2 && html[i + 1 + name.len()..].starts_with("=\"")
    });
    assert!(!handler, "{path}: an inline event handler");
}

async fn integration(s: &TestServer) -> Value {
    let (status, settings) = s.get("/v1/merchant/integration", DEMO_SK).await;
    assert_eq!(status, StatusCode::OK, "{settings}");
    settings
}

#[tokio::test]
async fn the_demo_site_registers_its_origins_and_webhook_endpoint_through_the_merchant_api() {
    let s = start_with_demo().await;
    let p = port(&s.demo_url(""));
    let settings = integration(&s).await;
    let origins: Vec<&str> =
        settings["allowed_origins"].as_array().expect("origins").iter().filter_map(Value::as_str).collect();
    for origin in [format!("http://127.0.0.1:{p}"), format!("http://localhost:{p}"), "http://127.0.0.1:8788".into()] {
        assert!(origins.contains(&origin.as_str()), "{origin} in {origins:?}");
    }
    assert_eq!(settings["webhook_url"], format!("http://127.0.0.1:{p}/webhooks/bbps"));

    // The widget may open a session for the demo page, and only for allowed origins.
    for (parent, expected) in [
        (format!("http://localhost:{p}"), StatusCode::CREATED),
        ("http://127.0.0.1:1".to_owned(), StatusCode::FORBIDDEN),
    ] {
        let body = json!({ "publishable_key": DEMO_PK, "parent_origin": parent });
        let (status, answer) = s.send(s.http.post(s.url("/v1/sessions")).json(&body)).await;
        assert_eq!(status, expected, "{parent}: {answer}");
    }

    // A second site adds its origins to the first one's and takes over the webhook endpoint.
    let second = start_demo_site(&s).await;
    let q = port(&second.origin());
    let settings = integration(&s).await;
    let origins = settings["allowed_origins"].as_array().expect("origins");
    for port in [&p, &q] {
        assert!(origins.iter().any(|o| o == &format!("http://127.0.0.1:{port}")), "{port} in {origins:?}");
    }
    assert_eq!(settings["webhook_url"], format!("http://127.0.0.1:{q}/webhooks/bbps"));
    second.shutdown().await;
}

#[tokio::test]
async fn the_pages_embed_the_widget_under_their_policy() {
    let s = start_with_demo().await;
    let widget = s.base.clone();
    let policy = format!(
        "default-src 'self'; script-src 'self' {widget}; frame-src {widget}; style-src 'self'; img-src 'self'; \
         connect-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors 'none'"
    );
    let mut pages = Vec::new();
    for path in ["/", "/script-tag", "/script-tag?locale=hi", "/mount", "/script-tag?key=pk_test_other_key"] {
        let resp = s.http.get(s.demo_url(path)).send().await.expect("page");
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        assert_eq!(header(&resp, "content-type"), "text/html; charset=utf-8", "{path}");
        assert_eq!(header(&resp, "content-security-policy"), policy, "{path}");
        assert_eq!(header(&resp, "x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header(&resp, "referrer-policy"), "strict-origin-when-cross-origin", "{path}");
        let html = resp.text().await.expect("html");
        assert_no_inline_code(path, &html);
        assert!(html.contains("name=\"viewport\"") && html.contains("<main id=\"main\""), "{path}");
        pages.push(html);
    }
    let [index, script_en, script_hi, mount, script_other] = pages.try_into().expect("five pages");

    assert!(index.contains(&format!("href=\"{widget}/sandbox/accounts\"")), "links the test accounts");
    assert!(index.contains(DEMO_PK) && !index.contains("sk_test_"), "shows the publishable key, never the secret");
    assert!(index.contains("href=\"/script-tag\"") && index.contains("href=\"/mount\""));
    assert!(index.contains("data-testid=\"webhooks\"") && index.contains("100234560006"));

    let tag = |locale: &str, key: &str| {
        format!(
            "<script async src=\"{widget}/bbps.js\" data-key=\"{key}\" data-container=\"#pay-bills\" \
             data-locale=\"{locale}\"></script>"
        )
    };
    assert!(script_en.contains(&tag("en", DEMO_PK)), "{script_en}");
    assert!(script_hi.contains(&tag("hi", DEMO_PK)), "{script_hi}");
    assert!(script_other.contains(&tag("en", "pk_test_other_key")));
    assert_eq!(script_en.matches("<script").count(), 1, "the script-tag page has only the loader");
    assert!(script_en.contains("id=\"pay-bills\" data-testid=\"pay-bills\""));

    assert!(mount.contains(&format!("<script defer src=\"{widget}/bbps.js\"></script>")));
    assert!(mount.contains("<script defer src=\"/demo/mount.js\"></script>"));
    for id in [
        "pay-bills",
        "pay-bills-second",
        "event-log",
        "control-theme",
        "control-primary-color",
        "control-background-color",
        "control-text-color",
        "control-font-family",
        "control-border-radius",
        "control-spacing",
        "control-locale",
        "destroy",
        "mount-again",
        "mount-second",
        "verified",
        "webhooks",
    ] {
        assert!(mount.contains(&format!("data-testid=\"{id}\"")), "/mount has {id}");
    }
    assert!(mount.contains("aria-live=\"polite\""), "the event log is a live region");

    for (file, content_type, needle) in [
        ("/demo/mount.js", "text/javascript; charset=utf-8", "BBPS.mount"),
        ("/demo/webhooks.js", "text/javascript; charset=utf-8", "/api/webhooks"),
        ("/demo/site.css", "text/css; charset=utf-8", "--brand"),
        ("/demo/favicon.svg", "image/svg+xml", "<svg"),
    ] {
        let resp = s.http.get(s.demo_url(file)).send().await.expect("asset");
        assert_eq!((resp.status(), header(&resp, "content-type")), (StatusCode::OK, content_type.to_owned()), "{file}");
        let text = resp.text().await.expect("text");
        assert!(text.contains(needle), "{file}");
    }
    for missing in ["/demo/nope.js", "/demo/../Cargo.toml", "/admin"] {
        let resp = s.http.get(s.demo_url(missing)).send().await.expect("missing");
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{missing}");
    }
}

/// The merchant API's view of a new payment of the demo merchant, and a webhook event for it.
async fn payment_event(s: &TestServer, event_id: &str) -> (Value, String) {
    let token = s.session().await;
    let p = s.bill_payment(&token, "100234567890").await;
    let path = format!("/v1/merchant/payments/{}", p["id"].as_str().unwrap_or(""));
    let (status, payment) = s.get(&path, DEMO_SK).await;
    assert_eq!(status, StatusCode::OK, "{payment}");
    let event =
        json!({ "id": event_id, "type": "payment.completed", "created_at": payment["created_at"], "data": payment });
    (payment, event.to_string())
}

async fn deliver(s: &TestServer, body: &str, signature: &str) -> (StatusCode, Value) {
    let request = s
        .http
        .post(s.demo_url("/webhooks/bbps"))
        .header("content-type", "application/json")
        .header("bbps-signature", signature)
        .body(body.to_owned());
    s.send(request).await
}

async fn received(s: &TestServer) -> Vec<Value> {
    let (status, list) = s.send(s.http.get(s.demo_url("/api/webhooks"))).await;
    assert_eq!(status, StatusCode::OK);
    list["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn the_receiver_checks_signatures_and_keeps_each_event_once() {
    let s = start_with_demo().await;
    let (payment, body) = payment_event(&s, "evt_demo_receiver_test_000001").await;
    let secret = DEMO_WEBHOOK_SECRET.as_bytes();
    let t = now().unix_seconds();

    let refused = [
        ("a wrong secret", signature_header(b"whsec_someone_else", t, body.as_bytes())),
        // Well past the 5-minute tolerance, so a second boundary between signing and checking cannot matter.
        ("a stale time stamp", signature_header(secret, t - 360, body.as_bytes())),
        ("a time stamp from the future", signature_header(secret, t + 360, body.as_bytes())),
        ("another body", signature_header(secret, t, b"{}")),
        ("garbage", "t=abc,v1=zz".to_owned()),
        ("nothing", String::new()),
    ];
    for (what, signature) in refused {
        let (status, answer) = deliver(&s, &body, &signature).await;
        assert_eq!((status, answer["error"].as_str()), (StatusCode::BAD_REQUEST, Some("signature_invalid")), "{what}");
    }
    let unsigned = s.http.post(s.demo_url("/webhooks/bbps")).body(body.clone());
    assert_eq!(s.send(unsigned).await.0, StatusCode::BAD_REQUEST);
    assert!(received(&s).await.is_empty(), "nothing refused is listed");

    let signed_not_an_event = signature_header(secret, t, b"{\"id\":1}");
    let (status, answer) = deliver(&s, "{\"id\":1}", &signed_not_an_event).await;
    assert_eq!((status, answer["error"].as_str()), (StatusCode::BAD_REQUEST, Some("event_invalid")));

    // Delivered twice (a retry re-signs with a new time stamp): accepted both times, listed once.
    for (attempt, duplicate) in [(0, false), (1, true)] {
        let (status, answer) = deliver(&s, &body, &signature_header(secret, t - attempt, body.as_bytes())).await;
        assert_eq!((status, answer["duplicate"].as_bool()), (StatusCode::OK, Some(duplicate)), "{answer}");
    }
    let items = received(&s).await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["id"], "evt_demo_receiver_test_000001");
    assert_eq!(items[0]["type"], "payment.completed");
    assert_eq!(items[0]["payment_id"], payment["id"]);
    assert_eq!(items[0]["deliveries"], 2);

    // The pages show it.
    let index = s.http.get(s.demo_url("/")).send().await.expect("index").text().await.expect("html");
    assert!(index.contains("data-event-id=\"evt_demo_receiver_test_000001\""));
}

#[tokio::test]
async fn a_completed_payment_reaches_the_demo_site_and_its_server_verifies_it() {
    let s = start_with_demo().await;
    let token = s.session().await;
    let p = s.bill_payment(&token, "100234567890").await;
    let id = p["id"].as_str().expect("id").to_owned();

    // Before the payer approves, the merchant's server does not call it verified.
    let (status, v) = s.send(s.http.get(s.demo_url(&format!("/api/payments/{id}")))).await;
    assert_eq!(
        (status, v["status"].as_str(), v["verified"].as_bool()),
        (StatusCode::OK, Some("awaiting_payment"), Some(false))
    );

    s.upi(&p["upi"]["link"], "approve").await;
    let done = s.wait_status(&token, &p["id"], "completed").await;
    let txn_ref = done["receipt"]["txn_ref"].as_str().expect("txn ref").to_owned();

    let (status, v) = s.send(s.http.get(s.demo_url(&format!("/api/payments/{id}")))).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!((v["status"].as_str(), v["verified"].as_bool()), (Some("completed"), Some(true)));
    assert_eq!(v["txn_ref"].as_str(), Some(txn_ref.as_str()));
    assert_eq!(v["total"], done["charges"]["total"]);

    // The signed payment.completed webhook arrives at the demo site, and the API logs it as delivered.
    let hook = eventually(|| async {
        received(&s).await.into_iter().find(|w| w["payment_id"] == id.as_str() && w["type"] == "payment.completed")
    })
    .await
    .expect("the webhook reaches the demo site");
    assert_eq!((hook["txn_ref"].as_str(), hook["deliveries"].as_u64()), (Some(txn_ref.as_str()), Some(1)));
    let (_, log) = s.get(&format!("/v1/merchant/webhook-deliveries?payment_id={id}"), DEMO_SK).await;
    assert_eq!(log["items"][0]["status"], "delivered", "{log}");
    assert_eq!(log["items"][0]["attempts"][0]["status_code"], 200, "{log}");

    for (path, expected) in [
        ("/api/payments/pay_000000000000000000000000", StatusCode::NOT_FOUND),
        ("/api/payments/not-a-payment", StatusCode::BAD_REQUEST),
    ] {
        let (status, e) = s.send(s.http.get(s.demo_url(path))).await;
        assert_eq!(status, expected, "{path}: {e}");
    }
}
