//! Embedding end to end: the demo merchant site on its own origin embeds the widget (another origin) with the
//! loader, by script tag and by `BBPS.mount`, in headless Chromium. Cross-origin rules are the browser's own:
//! `frame-ancestors`, `postMessage` target origins and origin checks.

use std::time::Duration;

use bbps_e2e::flows::{BILL_DUE, DEMO_KEY, DEMO_SECRET, MOBILE, MSEDCL};
use bbps_e2e::{Backend, Browser, Device, Result, eventually};
use fantoccini::Locator;
use serde_json::{Value, json};

const SETTLE: Duration = Duration::from_secs(45);

struct Site {
    backend: Backend,
    demo: String,
    _site: bbps_demo_merchant::RunningSite,
}

/// The backend and the demo merchant's site beside it, which registers itself through the merchant API.
async fn site() -> Result<Site> {
    let backend = Backend::start(|c| c.worker_tick = Duration::from_millis(200)).await?;
    let config = bbps_demo_merchant::DemoConfig::sandbox("127.0.0.1:0".parse()?, &backend.base_url);
    let site = bbps_demo_merchant::start(config).await?;
    Ok(Site { backend, demo: site.origin(), _site: site })
}

/// The iframe's height and the height of the widget's content inside it, in CSS pixels.
async fn heights(b: &Browser) -> Result<(i64, i64)> {
    let frame = b
        .client
        .execute("return Math.round(document.querySelector('iframe').getBoundingClientRect().height);", vec![])
        .await?;
    let content = in_frame(b, 0, async |b| {
        Ok(b.client
            .execute("return document.querySelector('[data-testid=\"bbps-widget\"]').offsetHeight;", vec![])
            .await?)
    })
    .await?;
    Ok((frame.as_i64().ok_or("no frame height")?, content.as_i64().ok_or("no content height")?))
}

/// Waits until the iframe is exactly as tall as the widget's content; returns that height.
async fn fitted(b: &Browser) -> Result<i64> {
    eventually("the iframe to fit the widget's content", SETTLE, || async {
        heights(b).await.ok().filter(|(frame, content)| frame == content && *content > 0).map(|(h, _)| h)
    })
    .await
}

/// The protocol events the `/mount` page has logged, oldest first: `(type, widget label, data)`.
async fn logged(b: &Browser) -> Result<Vec<(String, String, Value)>> {
    let v = b
        .client
        .execute(
            "return [...document.querySelectorAll('[data-testid=\"event-log\"] li')].reverse().map(li => \
             [li.dataset.event, li.dataset.widget, li.querySelector('pre').textContent]);",
            vec![],
        )
        .await?;
    let rows = v.as_array().ok_or("no log")?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let r = r.as_array()?;
            Some((
                r.first()?.as_str()?.to_owned(),
                r.get(1)?.as_str()?.to_owned(),
                serde_json::from_str(r.get(2)?.as_str()?).ok()?,
            ))
        })
        .collect())
}

async fn wait_logged(b: &Browser, event: &str, widget: &str) -> Result<Value> {
    eventually(&format!("the {event} event of {widget}"), SETTLE, || async {
        logged(b).await.ok()?.into_iter().find(|(e, w, _)| e == event && w == widget).map(|(_, _, d)| d)
    })
    .await
}

async fn iframes(b: &Browser) -> Result<usize> {
    Ok(b.client.find_all(Locator::Css("iframe")).await?.len())
}

/// Runs `f` inside the `n`th iframe of the page, then returns to the page.
async fn in_frame<T>(b: &Browser, n: usize, f: impl AsyncFnOnce(&Browser) -> Result<T>) -> Result<T> {
    let frames = b.client.find_all(Locator::Css("iframe")).await?;
    let frame = frames.into_iter().nth(n).ok_or("no such iframe")?;
    frame.enter_frame().await?;
    let out = f(b).await;
    b.client.enter_parent_frame().await?;
    out
}

async fn computed(b: &Browser, css: &str, property: &str) -> Result<String> {
    let v = b
        .client
        .execute(
            "const el = document.querySelector(arguments[0]); return el ? getComputedStyle(el).getPropertyValue(arguments[1]) : null;",
            vec![json!(css), json!(property)],
        )
        .await?;
    Ok(v.as_str().ok_or_else(|| format!("no element {css}"))?.trim().to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_script_tag_embeds_the_widget_in_hindi() -> Result<()> {
    let s = site().await?;
    let mut b = Browser::start("embed-script-tag", Device::Desktop).await?;
    b.goto(&format!("{}/script-tag?locale=hi", s.demo)).await?;
    b.find("[data-testid=\"pay-bills\"] iframe").await?;
    let title = b.find("iframe").await?.attr("title").await?.unwrap_or_default();
    assert_eq!(title, "भारत कनेक्ट से बिल भुगतान", "the iframe is titled for screen readers, in the widget's language");
    in_frame(&b, 0, async |b| {
        let root = b.by_id("bbps-widget").await?;
        assert_eq!(root.attr("lang").await?.as_deref(), Some("hi"));
        let document = b.client.execute("return document.documentElement.lang;", vec![]).await?;
        assert_eq!(document.as_str(), Some("hi"), "the frame's document speaks its language");
        b.by_id("category-electricity").await?;
        let heading = b.text_of("heading").await?;
        assert!(heading.chars().any(|c| ('\u{0900}'..='\u{097F}').contains(&c)), "Devanagari heading: {heading}");
        Ok(())
    })
    .await?;
    b.screenshot("hindi").await?;
    // The iframe follows its content: sized to the category grid, then to the biller list, each time exactly the
    // height the widget reported (the loader starts every iframe at 560px).
    let grid = fitted(&b).await?;
    in_frame(&b, 0, async |b| b.click("category-electricity").await).await?;
    in_frame(&b, 0, async |b| b.by_id("biller-search").await.map(|_| ())).await?;
    let list = fitted(&b).await?;
    assert_ne!(grid, list, "the two screens differ in height, so the iframe was resized, not left as it was");
    b.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mounted_by_code_it_reports_a_paid_bill_that_the_merchant_server_verifies() -> Result<()> {
    let s = site().await?;
    let mut b = Browser::start("embed-mount-pay", Device::Desktop).await?;
    b.goto(&format!("{}/mount", s.demo)).await?;
    let ready = wait_logged(&b, "ready", "widget 1").await?;
    assert_eq!(ready["mode"], "test");
    b.screenshot("mounted").await?;

    let link = in_frame(&b, 0, async |b| {
        b.click("category-electricity").await?;
        b.type_into("biller-search", "Maharashtra State").await?;
        b.click(&format!("biller-{MSEDCL}")).await?;
        b.type_into("param-consumer-number", BILL_DUE).await?;
        b.type_into("form-mobile", MOBILE).await?;
        b.click("submit-params").await?;
        b.click("proceed").await?;
        b.type_into("mobile", "9876543210").await?;
        b.click("pay").await?;
        Ok(b.by_id("upi-link").await?.attr("href").await?.ok_or("no link")?)
    })
    .await?;
    let steps: Vec<String> = logged(&b)
        .await?
        .into_iter()
        .filter(|(e, _, _)| e == "step")
        .filter_map(|(_, _, d)| d["step"].as_str().map(str::to_owned))
        .collect();
    for step in ["billers", "customer_details", "bill", "confirm", "payment"] {
        assert!(steps.iter().any(|s| s == step), "step {step} reported: {steps:?}");
    }
    reqwest::Client::new()
        .post(s.backend.url("/sandbox/upi/pay"))
        .json(&json!({ "link": link, "action": "approve" }))
        .send()
        .await?
        .error_for_status()?;

    let success = wait_logged(&b, "payment.success", "widget 1").await?;
    let payment_id = success["paymentId"].as_str().ok_or("no paymentId")?.to_owned();
    let txn_ref = success["txnRef"].as_str().ok_or("no txnRef")?.to_owned();
    let server: Value = reqwest::Client::new()
        .get(s.backend.url(&format!("/v1/merchant/payments/{payment_id}")))
        .bearer_auth(DEMO_SECRET)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    assert_eq!(server["status"], "completed");
    assert_eq!(server["receipt"]["txn_ref"], txn_ref.as_str(), "the event carries the BBPS txn reference");

    // The page asked its own server, which asked the API with the secret key.
    eventually("the merchant server's verification", SETTLE, || async {
        let v = b.by_id("verified").await.ok()?;
        (v.attr("data-status").await.ok()?.as_deref() == Some("completed")).then_some(())
    })
    .await?;
    assert_eq!(b.by_id("verified").await?.attr("data-txn-ref").await?.as_deref(), Some(txn_ref.as_str()));
    // And the signed webhook reached the merchant's receiver.
    eventually("the webhook on the merchant site", SETTLE, || async {
        let items = b.client.find_all(Locator::Css("[data-testid=\"webhooks\"] li")).await.ok()?;
        for li in items {
            if li.attr("data-payment-id").await.ok()?.as_deref() == Some(payment_id.as_str()) {
                return Some(());
            }
        }
        None
    })
    .await?;
    b.screenshot("verified").await?;
    assert_eq!(DEMO_KEY.len(), 33);
    b.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn appearance_locale_two_widgets_foreign_messages_and_destroy() -> Result<()> {
    let s = site().await?;
    let mut b = Browser::start("embed-appearance", Device::Desktop).await?;
    b.goto(&format!("{}/mount", s.demo)).await?;
    wait_logged(&b, "ready", "widget 1").await?;

    // A message that claims to be the widget but comes from the page's own origin is ignored by the loader.
    let before = logged(&b).await?.len();
    b.client
        .execute(
            "const id = document.querySelector('#pay-bills iframe').src.match(/wid=([^&]+)/)[1];\
             window.postMessage({source:'bbps-widget',version:1,widgetId:decodeURIComponent(id),type:'payment.success',\
             data:{paymentId:'pay_forged',txnRef:'FORGED'}}, '*');",
            vec![],
        )
        .await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        logged(&b).await?[before..].iter().all(|(e, _, _)| e != "payment.success"),
        "a forged event from a foreign origin must not reach the listeners"
    );

    // A message to the widget from any origin but its parent is ignored by the widget: posted from inside the
    // frame, its origin is the widget's own.
    in_frame(&b, 0, async |b| {
        let id = b.client.execute("return new URLSearchParams(location.search).get('wid');", vec![]).await?;
        b.client
            .execute(
                "window.postMessage({source:'bbps-host',version:1,widgetId:arguments[0],type:'update',\
                 data:{locale:'hi'}}, '*');",
                vec![id],
            )
            .await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(b.by_id("bbps-widget").await?.attr("lang").await?.as_deref(), Some("en"));
        Ok(())
    })
    .await?;

    // The merchant's appearance, through the page's controls and handle.update().
    b.client
        .execute(
            "const set = (id, v) => { const el = document.querySelector(`[data-testid=\"${id}\"]`); el.value = v;\
             el.dispatchEvent(new Event('input', {bubbles:true})); el.dispatchEvent(new Event('change', {bubbles:true})); };\
             set('control-primary-color', '#8a1538'); set('control-background-color', '#fff8e7');\
             set('control-border-radius', '20px'); set('control-locale', 'ml');",
            vec![],
        )
        .await?;
    let title = b.find("#pay-bills iframe").await?.attr("title").await?.unwrap_or_default();
    assert_eq!(title, "ഭാരത് കണക്റ്റ് വഴി ബിൽ പേയ്മെന്റ്", "update() renames the iframe in the new language");
    in_frame(&b, 0, async |b| {
        eventually("Malayalam after update()", SETTLE, || async {
            (b.by_id("bbps-widget").await.ok()?.attr("lang").await.ok()?.as_deref() == Some("ml")).then_some(())
        })
        .await?;
        let heading = b.text_of("heading").await?;
        assert!(heading.chars().any(|c| ('\u{0D00}'..='\u{0D7F}').contains(&c)), "Malayalam heading: {heading}");
        let root = "[data-testid=\"bbps-widget\"]";
        assert_eq!(computed(b, root, "--bbps-primary").await?, "#8a1538");
        assert_eq!(computed(b, root, "background-color").await?, "rgb(255, 248, 231)");
        let button = "[data-testid^=\"category-\"]";
        assert_eq!(computed(b, button, "border-top-left-radius").await?, "20px");
        Ok(())
    })
    .await?;
    b.screenshot("appearance-malayalam").await?;

    // A second, independent widget (Hindi, dark) beside the first.
    b.click("mount-second").await?;
    wait_logged(&b, "ready", "widget 2").await?;
    assert_eq!(iframes(&b).await?, 2);
    in_frame(&b, 1, async |b| {
        let root = b.by_id("bbps-widget").await?;
        assert_eq!(root.attr("data-theme").await?.as_deref(), Some("dark"));
        b.click("category-electricity").await?;
        b.by_id("biller-search").await?;
        Ok(())
    })
    .await?;
    in_frame(&b, 0, async |b| {
        // The first widget did not move when the second did.
        b.by_id("category-electricity").await?;
        Ok(())
    })
    .await?;
    b.screenshot("two-widgets").await?;

    // destroy() removes both iframes; the page's listeners hear nothing more.
    b.click("destroy").await?;
    eventually("no iframes", SETTLE, || async { (iframes(&b).await.ok()? == 0).then_some(()) }).await?;
    assert!(b.text_of("mounted-count").await?.starts_with('0'));
    b.close().await
}

/// A page on an origin the demo merchant never allowed, served by the test itself. It counts the `message`
/// listeners the loader adds and removes, so `destroy()` can be checked to leave none behind.
async fn foreign_page(widget_origin: String) -> Result<String> {
    let page = format!(
        "<!doctype html><html><head><meta charset=utf-8><title>Elsewhere</title></head><body>\
         <script>window.__listeners = 0; const add = window.addEventListener, remove = window.removeEventListener;\
         window.addEventListener = function (t, f, o) {{ if (t === 'message') window.__listeners++; return add.call(this, t, f, o); }};\
         window.removeEventListener = function (t, f, o) {{ if (t === 'message') window.__listeners--; return remove.call(this, t, f, o); }};\
         </script><div id=pay></div><script src=\"{widget_origin}/bbps.js\"></script></body></html>"
    );
    let app = axum::Router::new().route("/", axum::routing::get(move || async move { axum::response::Html(page) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let origin = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(origin)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_the_merchant_did_not_allow_cannot_frame_the_widget() -> Result<()> {
    let s = site().await?;
    let origin = foreign_page(s.backend.base_url.clone()).await?;
    let mut b = Browser::start("embed-refused", Device::Desktop).await?;
    b.goto(&origin).await?;
    let mounted = b
        .client
        .execute(&format!("window.__a = BBPS.mount('#pay', {{ key: '{DEMO_KEY}' }}); return !!window.__a;"), vec![])
        .await?;
    assert_eq!(mounted, json!(true));
    assert_eq!(b.client.execute("return window.__listeners;", vec![]).await?, json!(1));
    b.find("#pay iframe").await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    b.screenshot("refused").await?;
    // Chromium replaces a frame refused by frame-ancestors with its own error document.
    let inside = in_frame(&b, 0, async |b| {
        let url = b.client.execute("return document.URL;", vec![]).await?;
        let widget = b.client.find(Locator::Css("[data-testid=\"bbps-widget\"]")).await.is_ok();
        Ok((url, widget))
    })
    .await?;
    assert!(!inside.1, "the widget must not render inside a frame the merchant did not allow");
    assert!(inside.0.as_str().is_some_and(|u| u.starts_with("chrome-error://")), "frame document: {}", inside.0);
    // The server refuses the session too, should anything try to open one for this origin.
    let resp = reqwest::Client::new()
        .post(s.backend.url("/v1/sessions"))
        .json(&json!({ "publishable_key": DEMO_KEY, "parent_origin": origin }))
        .send()
        .await?;
    assert_eq!(resp.status(), 403);
    assert_eq!(resp.json::<Value>().await?["code"], "origin_not_allowed");
    // destroy() takes the iframe and the loader's message listener away.
    b.client.execute(&format!("window.__b = BBPS.mount('#pay', {{ key: '{DEMO_KEY}' }});"), vec![]).await?;
    assert_eq!(iframes(&b).await?, 2);
    assert_eq!(b.client.execute("return window.__listeners;", vec![]).await?, json!(1), "one listener for all");
    b.client.execute("window.__b.destroy();", vec![]).await?;
    assert_eq!(iframes(&b).await?, 1);
    assert_eq!(b.client.execute("return window.__listeners;", vec![]).await?, json!(1), "one widget left");
    b.client.execute("window.__a.destroy();", vec![]).await?;
    assert_eq!(iframes(&b).await?, 0);
    assert_eq!(b.client.execute("return window.__listeners;", vec![]).await?, json!(0), "no listener left");
    b.close().await
}
