//! Static hosting of the built widget: CSP frame-ancestors per merchant, caching, MIME types, a clear 503.

use reqwest::StatusCode;

use crate::common::*;

fn header(resp: &reqwest::Response, name: &str) -> String {
    resp.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned()
}

#[tokio::test]
async fn without_a_build_the_widget_answers_503_and_the_api_works() {
    let s = start_server(|_| {}).await;
    let (status, e) = s.send(s.http.get(s.url("/widget/"))).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::SERVICE_UNAVAILABLE, Some("service_unavailable")));
    assert!(e["message"].as_str().is_some_and(|m| m.contains("trunk build")), "{e}");
    let (status, health) = s.send(s.http.get(s.url("/healthz"))).await;
    assert_eq!((status, health["status"].as_str()), (StatusCode::OK, Some("ok")));
}

#[tokio::test]
async fn the_widget_is_served_with_its_policy() {
    let dir = tempfile::tempdir().expect("dir");
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(dist.join("snippets/x")).expect("dist");
    std::fs::write(dist.join("index.html"), "<!doctype html><title>widget</title>").expect("index");
    std::fs::write(dist.join("app-0123456789abcdef_bg.wasm"), b"\0asm\x01\0\0\0").expect("wasm");
    std::fs::write(dist.join("boot.js"), "export {}").expect("boot");
    std::fs::write(dist.join("snippets/x/inline0.js"), "export {}").expect("snippet");
    std::fs::write(dir.path().join("secret.txt"), "TOP-SECRET-CONTENT").expect("secret");
    let s = start_in(dir, |_| {}).await;

    let resp = s.http.get(s.url(&format!("/widget/?key={DEMO_PK}&locale=hi"))).send().await.expect("page");
    assert_eq!(resp.status(), StatusCode::OK);
    let csp = header(&resp, "content-security-policy");
    assert!(csp.contains("frame-ancestors http://127.0.0.1:8787 http://localhost:8787 http://127.0.0.1:8788"), "{csp}");
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'") && csp.contains("default-src 'self'"), "{csp}");
    assert_eq!(header(&resp, "x-content-type-options"), "nosniff");
    assert!(!header(&resp, "referrer-policy").is_empty());
    assert_eq!(header(&resp, "cache-control"), "no-cache");
    assert!(header(&resp, "content-type").starts_with("text/html"));

    for url in ["/widget/", "/widget/?key=pk_test_unknown"] {
        let resp = s.http.get(s.url(url)).send().await.expect("page");
        assert!(header(&resp, "content-security-policy").ends_with("frame-ancestors 'none'"), "{url}");
    }

    let wasm = s.http.get(s.url("/widget/app-0123456789abcdef_bg.wasm")).send().await.expect("wasm");
    assert_eq!(header(&wasm, "content-type"), "application/wasm");
    assert!(header(&wasm, "cache-control").contains("immutable"));
    let boot = s.http.get(s.url("/widget/boot.js")).send().await.expect("boot");
    assert!(header(&boot, "content-type").starts_with("text/javascript"));
    assert_eq!(header(&boot, "cache-control"), "no-cache");
    assert_eq!(
        s.http.get(s.url("/widget/snippets/x/inline0.js")).send().await.expect("snippet").status(),
        StatusCode::OK
    );

    for bad in ["/widget/../secret.txt", "/widget/%2e%2e/secret.txt", "/widget/..%2Fsecret.txt", "/widget/nope.js"] {
        let resp = s.http.get(s.url(bad)).send().await.expect("sent");
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{bad}");
        assert!(!resp.text().await.unwrap_or_default().contains("TOP-SECRET"), "{bad}");
    }
    let no_redirects = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let resp = no_redirects.get(s.url("/widget?key=x")).send().await.expect("redirect");
    assert_eq!(resp.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(header(&resp, "location"), "/widget/?key=x");
}

#[tokio::test]
async fn the_sandbox_upi_app_page() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let p = s.bill_payment(&token, "100234567890").await;
    let link = p["upi"]["link"].as_str().expect("link");
    let page_url = format!(
        "{}?link={}",
        s.url("/sandbox/upi"),
        form_urlencoded::byte_serialize(link.as_bytes()).collect::<String>()
    );
    let resp = s.http.get(&page_url).send().await.expect("page");
    assert_eq!(resp.status(), StatusCode::OK);
    let html = resp.text().await.expect("html");
    assert!(html.contains("BBPS Demo Bill Payments") && html.contains("bbpsdemo@sandbox"), "payee and VPA");
    let total = bbps_core::Paise::new(p["charges"]["total"].as_u64().unwrap_or(0)).expect("paise").to_inr_string();
    assert!(html.contains(&total), "amount {total}");
    for label in ["Approve and pay", "Decline", "Pay a wrong amount", "name=\"viewport\""] {
        assert!(html.contains(label), "{label}");
    }
    assert!(
        !html.contains("<script") && !html.contains("http://") && !html.contains("https://"),
        "no script, no external assets"
    );

    // The page's form posts the same action as the JSON endpoint.
    let form = [("link", link), ("action", "approve")];
    let resp = s.http.post(s.url("/sandbox/upi/pay")).form(&form).send().await.expect("form post");
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.text().await.unwrap_or_default().contains("Payment sent"));
    s.wait_status(&token, &p["id"], "completed").await;

    let resp = s.http.get(s.url("/sandbox/upi?link=upi%3A%2F%2Fpay%3Fpa%3Dbad")).send().await.expect("bad link");
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (status, e) = s
        .send(s.http.post(s.url("/sandbox/upi/pay")).json(&serde_json::json!({ "link": link, "action": "steal" })))
        .await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("sandbox_action_invalid")));
    let (status, accounts) = s.send(s.http.get(s.url("/sandbox/accounts"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(accounts["categories"].as_array().map(Vec::len), Some(30));
    assert_eq!(accounts["scheme"].as_array().map(Vec::len), Some(9));
}
