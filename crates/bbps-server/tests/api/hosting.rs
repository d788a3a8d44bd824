//! Static hosting of the built widget and its loader: CSP frame-ancestors per merchant and the page's own policy,
//! caching, MIME types, a clear 503.

use bbps_engine::model::Merchant;
use bbps_server::http::auth::keys::hash_secret;
use reqwest::StatusCode;

use crate::common::*;

/// The widget page's own policy, before `frame-ancestors`.
const WIDGET_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' \
                             'unsafe-inline'; style-src-elem 'self'; img-src 'self' data: blob:; connect-src 'self'; \
                             frame-src 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

/// A stand-in for trunk's build: the page only.
fn fake_dist(dir: &tempfile::TempDir) {
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).expect("dist");
    std::fs::write(dist.join("index.html"), "<!doctype html><title>widget</title>").expect("index");
}

async fn add_merchant(s: &TestServer, publishable_key: &str, origins: &[&str]) {
    let m = Merchant {
        id: bbps_server::http::auth::keys::new_merchant_id(),
        name: "Society".into(),
        publishable_key: publishable_key.into(),
        secret_key_hash: hash_secret(&format!("sk_test_{publishable_key}")),
        allowed_origins: origins.iter().map(|o| (*o).to_owned()).collect(),
        webhook_url: None,
        webhook_secret: bbps_core::Secret::new("whsec_x"),
        upi_name: "Society".into(),
        created_at: bbps_server::util::now(),
    };
    s.state().engine.store().insert_merchant(&m).await.expect("insert merchant");
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

    let resp = s
        .http
        .get(s.url(&format!("/widget/?key={DEMO_PK}&parent=http://localhost:8788&locale=hi")))
        .send()
        .await
        .expect("page");
    assert_eq!(resp.status(), StatusCode::OK);
    let csp = header(&resp, "content-security-policy");
    assert!(csp.contains("frame-ancestors http://127.0.0.1:8787 http://localhost:8787 http://127.0.0.1:8788"), "{csp}");
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'") && csp.contains("default-src 'self'"), "{csp}");
    assert_eq!(header(&resp, "x-content-type-options"), "nosniff");
    assert!(!header(&resp, "referrer-policy").is_empty());
    assert_eq!(header(&resp, "cache-control"), "no-store", "the page may carry a session");
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
    let csp = resp.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("script-src"), "no script, no framing: {csp}");
    let html = resp.text().await.expect("html");
    let payee = p["upi"]["payee_vpa"].as_str().expect("payee");
    assert!(payee.ends_with("@sbxsetu"), "the PSP simulator's VPA for this link: {payee}");
    assert!(html.contains("BBPS Demo Bill Payments") && html.contains(payee), "payee and VPA");
    let total = bbps_core::Paise::new(p["charges"]["total"].as_u64().unwrap_or(0)).expect("paise").to_inr_string();
    assert!(html.contains(&total), "amount {total}");
    for label in ["Approve and pay", "Decline", "Pay a wrong amount", "name=\"viewport\""] {
        assert!(html.contains(label), "{label}");
    }
    assert!(
        !html.contains("<script") && !html.contains("http://") && !html.contains("https://"),
        "no script, no external assets"
    );

    // The page's form posts the same action as the JSON endpoint, with the page's token: a form from anywhere
    // else (another site's page making a tester's browser pay) is refused.
    let page_token = html
        .split("name=\"token\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the form carries a token")
        .to_owned();
    let forged = [("link", link), ("action", "approve")];
    let (status, e) = s.send(s.http.post(s.url("/sandbox/upi/pay")).form(&forged)).await;
    assert_eq!((status, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("token")), "{e}");
    let form = [("link", link), ("action", "approve"), ("token", page_token.as_str())];
    let resp = s.http.post(s.url("/sandbox/upi/pay")).form(&form).send().await.expect("form post");
    assert_eq!(resp.status(), StatusCode::OK);
    let csp = resp.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'"), "{csp}");
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
    assert_eq!(accounts["scheme"].as_array().map(Vec::len), Some(14), "the outcomes of docs/sandbox.md's table");
}

#[tokio::test]
async fn the_widget_page_policy_follows_the_key() {
    let dir = tempfile::tempdir().expect("dir");
    fake_dist(&dir);
    let s = start_in(dir, |_| {}).await;
    add_merchant(&s, "pk_test_society_one", &["https://society.example", "http://127.0.0.1:9999"]).await;
    add_merchant(&s, "pk_test_society_bad", &["https://ok.example", "https://a.example; script-src *"]).await;
    let demo =
        s.state().engine.store().merchant_by_publishable_key(DEMO_PK).await.expect("store").expect("demo merchant");

    let cases = [
        (format!("?key={DEMO_PK}"), demo.allowed_origins.join(" ")),
        ("?key=pk_test_society_one&locale=hi".to_owned(), "https://society.example http://127.0.0.1:9999".to_owned()),
        ("?key=pk_test_society_bad".to_owned(), "https://ok.example".to_owned()),
        ("?key=pk_test_unknown".to_owned(), "'none'".to_owned()),
        ("?key=sk_test_demo_bbps0000000000000000".to_owned(), "'none'".to_owned()),
        (String::new(), "'none'".to_owned()),
    ];
    for (query, ancestors) in cases {
        let resp = s.http.get(s.url(&format!("/widget/{query}"))).send().await.expect("page");
        assert_eq!(resp.status(), StatusCode::OK, "{query}");
        assert_eq!(
            header(&resp, "content-security-policy"),
            format!("{WIDGET_POLICY}; frame-ancestors {ancestors}"),
            "{query}"
        );
        assert_eq!(header(&resp, "x-content-type-options"), "nosniff");
        assert_eq!(header(&resp, "referrer-policy"), "strict-origin-when-cross-origin");
        let permissions = header(&resp, "permissions-policy");
        for denied in ["camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"] {
            assert!(permissions.contains(denied), "{denied} in {permissions}");
        }
        assert!(!permissions.contains("clipboard-write"), "the loader grants clipboard-write to the frame");
        assert!(resp.headers().get("x-frame-options").is_none(), "X-Frame-Options would fight frame-ancestors");
    }

    // The loader's full set of parameters is accepted; an oversized appearance is refused with its field.
    let full = "/widget/?key=pk_test_demo_bbps0000000000000000&locale=auto&theme=dark&wid=w1-abc&parent=http%3A%2F%2F\
                127.0.0.1%3A8788&appearance=%7B%22theme%22%3A%22dark%22%7D";
    assert_eq!(s.http.get(s.url(full)).send().await.expect("page").status(), StatusCode::OK);
    let long = format!("/widget/?appearance={}", "a".repeat(2049));
    let (status, e) = s.send(s.http.get(s.url(&long))).await;
    assert_eq!((status, e["field"].as_str()), (StatusCode::BAD_REQUEST, Some("appearance")));
}

#[tokio::test]
async fn the_loader_is_served_from_the_binary_with_its_headers() {
    let s = start_server(|_| {}).await;
    let source = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../embed/bbps.js")).expect("loader");

    let resp = s.http.get(s.url("/bbps.js")).send().await.expect("loader");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(header(&resp, "content-type"), "text/javascript; charset=utf-8");
    assert_eq!(header(&resp, "cache-control"), "public, max-age=300");
    assert_eq!(header(&resp, "x-content-type-options"), "nosniff");
    assert_eq!(header(&resp, "cross-origin-resource-policy"), "cross-origin");
    assert_eq!(header(&resp, "access-control-allow-origin"), "*");
    let etag = header(&resp, "etag");
    assert!(etag.starts_with('"') && etag.ends_with('"') && etag.len() > 10, "{etag}");
    let body = resp.text().await.expect("body");
    assert_eq!(body, source, "the served loader is embed/bbps.js");
    assert!(body.contains("window.BBPS"));

    // A cached copy revalidates to 304, with the same caching headers and no body.
    for tag in [etag.clone(), format!("W/{etag}"), format!("\"stale\", {etag}"), "*".to_owned()] {
        let resp = s.http.get(s.url("/bbps.js")).header("if-none-match", &tag).send().await.expect("revalidate");
        assert_eq!(resp.status(), StatusCode::NOT_MODIFIED, "{tag}");
        assert_eq!(
            (header(&resp, "etag"), header(&resp, "cache-control")),
            (etag.clone(), "public, max-age=300".into())
        );
        assert!(resp.bytes().await.expect("body").is_empty());
    }
    let resp = s.http.get(s.url("/bbps.js")).header("if-none-match", "\"stale\"").send().await.expect("stale");
    assert_eq!(resp.status(), StatusCode::OK);
    let head = s.http.head(s.url("/bbps.js")).send().await.expect("head");
    assert_eq!((head.status(), header(&head, "etag")), (StatusCode::OK, etag));
}

#[tokio::test]
async fn widget_files_and_the_loader_are_served_compressed() {
    let dir = tempfile::tempdir().expect("dir");
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).expect("dist");
    std::fs::write(dist.join("index.html"), "<!doctype html><title>widget</title>").expect("index");
    let js = "export function add(a, b) { return a + b; }\n".repeat(300);
    std::fs::write(dist.join("app-0123456789abcdef.js"), &js).expect("js");
    let s = start_server(|c| c.widget_dist = dist.clone()).await;

    // Compression runs in the background; until it is done the file goes out as it is, never late.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let brotli_body = loop {
        let resp = s
            .http
            .get(s.url("/widget/app-0123456789abcdef.js"))
            .header("accept-encoding", "gzip, br")
            .send()
            .await
            .expect("asset");
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(header(&resp, "vary"), "accept-encoding");
        let encoding = header(&resp, "content-encoding");
        let body = resp.bytes().await.expect("body");
        if encoding == "br" {
            break body;
        }
        assert!(encoding.is_empty() && body == js.as_bytes(), "until compressed, the file as it is");
        assert!(std::time::Instant::now() < deadline, "never compressed");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let mut decoded = Vec::new();
    brotli::BrotliDecompress(&mut &brotli_body[..], &mut decoded).expect("brotli");
    assert_eq!(decoded, js.as_bytes());
    assert!(brotli_body.len() * 10 < js.len());

    let gz = s.http.get(s.url("/widget/app-0123456789abcdef.js")).header("accept-encoding", "gzip").send().await;
    let gz = gz.expect("gzip");
    assert_eq!(header(&gz, "content-encoding"), "gzip");
    let mut decoded = Vec::new();
    let body = gz.bytes().await.expect("body");
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&body[..]), &mut decoded).expect("gunzip");
    assert_eq!(decoded, js.as_bytes());

    let loader = s.http.get(s.url("/bbps.js")).header("accept-encoding", "br").send().await.expect("loader");
    assert_eq!(header(&loader, "content-encoding"), "br");
    let body = loader.bytes().await.expect("body");
    let mut decoded = Vec::new();
    brotli::BrotliDecompress(&mut &body[..], &mut decoded).expect("brotli");
    assert_eq!(decoded, bbps_server::http::loader::LOADER.as_bytes());
}

/// A stand-in for trunk's build of the widget: its page naming the start-up module, the JS glue, the wasm and the
/// style sheet, and the style sheet itself.
fn widget_dist(dir: &tempfile::TempDir) -> String {
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).expect("dist");
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><html><head><script type=\"module\" src=\"/widget/boot.js\" \
         data-bbps-js=\"/widget/w-0123456789abcdef.js\" data-bbps-wasm=\"/widget/w-0123456789abcdef_bg.wasm\"></script>\
         <link rel=\"stylesheet\" href=\"/widget/widget-0123456789abcdef.css\" integrity=\"sha384-x\"/></head>\
         <body><div id=\"bbps-root\"></div></body></html>",
    )
    .expect("index");
    let css = ".bbps { color: #1a1f2b; }";
    std::fs::write(dist.join("widget-0123456789abcdef.css"), css).expect("css");
    css.to_owned()
}

/// The text between `start` and the next `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).map(|i| i + start.len()).unwrap_or(html.len());
    html[from..].split(end).next().unwrap_or_default()
}

#[tokio::test]
async fn the_widget_page_arrives_with_its_first_screen_rendered_and_what_it_needs() {
    let dir = tempfile::tempdir().expect("dir");
    let css = widget_dist(&dir);
    let s = start_in(dir, |_| {}).await;
    let resp = s
        .http
        .get(s.url(&format!("/widget/?key={DEMO_PK}&parent=http://localhost:8788&locale=ta")))
        .send()
        .await
        .expect("page");
    assert_eq!(resp.status(), StatusCode::OK);
    let csp = header(&resp, "content-security-policy");
    let html = resp.text().await.expect("html");

    // The category grid in Tamil, before any script runs, with the document's language and title in Tamil.
    assert!(html.starts_with("<!doctype html><html lang=\"ta\">"), "{}", &html[..80]);
    assert!(html.contains("<title>பாரத் கனெக்ட் மூலம் பில் செலுத்துதல்</title>"));
    let root = between(&html, "<div id=\"bbps-root\">", "<script type=\"application/json\"");
    for part in ["data-step=\"categories\"", "data-testid=\"category-electricity\"", "மின்சாரம்", "lang=\"ta\""]
    {
        assert!(root.contains(part), "{part} in the rendered grid");
    }
    // No inline script: the style sheet is inline under its hash, the scripts are files, the JS and wasm preloaded.
    assert_eq!(between(&html, "<style>", "</style>"), css);
    assert!(
        csp.contains(&format!("style-src-elem 'self' {}", bbps_server::http::widget_page::style_hash(&css))),
        "{csp}"
    );
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'")
            && !csp.contains("unsafe-inline'; style-src-elem 'self' 'unsafe")
    );
    assert_eq!(html.matches("<script").count(), 2, "the start-up module and the data block");
    assert!(html.contains("<script type=\"module\" src=\"/widget/boot.js\""));
    assert!(html.contains("<link rel=\"modulepreload\" href=\"/widget/w-0123456789abcdef.js\">"));
    assert!(html.contains("<link rel=\"preload\" href=\"/widget/w-0123456789abcdef_bg.wasm\" as=\"fetch\""));

    // The data block reads as the widget reads it, and its session works for the widget's calls.
    let block = between(&html, "<script type=\"application/json\" id=\"bbps-page\">", "</script>");
    let first = bbps_widget::page::PageData::read(block).expect("the data block reads");
    assert_eq!(first.strings.locale(), bbps_widget::i18n::Locale::Ta);
    assert_eq!(first.categories.len(), 30);
    let (status, categories) = s.send(s.http.get(s.url("/v1/categories")).bearer_auth(&first.session.token)).await;
    assert_eq!((status, categories["categories"].as_array().map(Vec::len)), (StatusCode::OK, Some(30)));
}

#[tokio::test]
async fn the_page_speaks_the_browsers_language_and_opens_no_session_it_should_not() {
    let dir = tempfile::tempdir().expect("dir");
    widget_dist(&dir);
    let s = start_in(dir, |_| {}).await;
    let page = |query: String, language: &'static str| {
        let request = s.http.get(s.url(&format!("/widget/{query}"))).header("accept-language", language);
        async move { request.send().await.expect("page").text().await.expect("html") }
    };
    // `auto` and no locale at all follow Accept-Language; a language the widget does not speak is skipped.
    let html = page(format!("?key={DEMO_PK}&locale=auto"), "pa-IN,kn;q=0.8,en;q=0.5").await;
    assert!(html.starts_with("<!doctype html><html lang=\"kn\">"));
    let html = page(format!("?key={DEMO_PK}"), "fr, de").await;
    assert!(html.starts_with("<!doctype html><html lang=\"en\">"));
    // A parent the merchant did not allow, a refused key, no key: the page, but no session and no grid in it.
    for query in [
        format!("?key={DEMO_PK}&parent=https%3A%2F%2Fevil.example&wid=w1"),
        "?key=pk_test_unknown".into(),
        String::new(),
    ] {
        let html = page(query.clone(), "en").await;
        assert!(!html.contains("bbps-page") && !html.contains("data-testid=\"categories\""), "{query}");
        assert!(html.contains("<div id=\"bbps-root\"></div>"), "{query}");
    }
    // Framed by an allowed page with the loader's widget id, the first screen already offers Close.
    let html = page(format!("?key={DEMO_PK}&parent=http%3A%2F%2F127.0.0.1%3A8788&wid=w1-abc"), "hi").await;
    assert!(html.contains("data-testid=\"close\"") && html.contains("bbps-page"));
}

#[tokio::test]
async fn every_language_is_fetched_on_its_own_and_nothing_else_is() {
    let s = start_server(|_| {}).await;
    for locale in bbps_widget::i18n::Locale::ALL {
        let resp = s.http.get(s.url(&format!("/widget/i18n/{}", locale.tag()))).send().await.expect("strings");
        assert_eq!(resp.status(), StatusCode::OK, "{}", locale.tag());
        assert_eq!(header(&resp, "content-type"), "text/plain; charset=utf-8");
        assert_eq!(header(&resp, "access-control-allow-origin"), "*", "public: a Yew app fetches them cross-origin");
        assert!(!header(&resp, "etag").is_empty());
        let wire = resp.text().await.expect("body");
        let strings = bbps_widget::i18n::Strings::parse(locale, &wire).expect("reads");
        assert_eq!(strings, bbps_widget::i18n::Strings::builtin(locale));
    }
    let br = s.http.get(s.url("/widget/i18n/ml")).header("accept-encoding", "br").send().await.expect("br");
    assert_eq!(header(&br, "content-encoding"), "br");
    for missing in ["/widget/i18n/pa", "/widget/i18n/TA", "/widget/i18n/"] {
        assert_eq!(s.http.get(s.url(missing)).send().await.expect("sent").status(), StatusCode::NOT_FOUND, "{missing}");
    }
}

#[tokio::test]
async fn the_loader_names_its_iframe_in_every_language_with_the_widgets_words() {
    let loader = bbps_server::http::loader::LOADER;
    for locale in bbps_widget::i18n::Locale::ALL {
        let words = bbps_widget::i18n::catalog::text(locale, bbps_widget::i18n::Msg::FrameTitle);
        let line = format!("    {}: \"{words}\"", locale.tag());
        assert!(loader.contains(&line), "embed/bbps.js names the iframe {line:?}");
    }
}

#[tokio::test]
async fn the_first_screen_renders_in_every_language_and_look() {
    let dir = tempfile::tempdir().expect("dir");
    widget_dist(&dir);
    let s = start_in(dir, |_| {}).await;
    let look = "&theme=dark&appearance=%7B%22variables%22%3A%7B%22primaryColor%22%3A%22%23aa0000%22%7D%7D";
    for locale in bbps_widget::i18n::Locale::ALL {
        let url = s.url(&format!("/widget/?key={DEMO_PK}&parent=http://localhost:8788&locale={}{look}", locale.tag()));
        let html = s.http.get(url).send().await.expect("page").text().await.expect("html");
        let heading = bbps_widget::i18n::catalog::text(locale, bbps_widget::i18n::Msg::CategoriesTitle);
        assert!(html.contains(heading), "{}: the heading", locale.tag());
        assert!(html.contains("data-theme=\"dark\"") && html.contains("--bbps-primary: #aa0000"), "{}", locale.tag());
    }
}
