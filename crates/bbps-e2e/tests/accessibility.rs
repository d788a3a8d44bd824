//! Accessibility: axe-core (the engine behind most accessibility checkers) runs on every screen of the journey in
//! English, on the first screen in each of the nine languages, on a desktop and at 320 px on a phone, against
//! WCAG 2.1 A and AA (the journeys in three more languages audit their screens too: `journey.rs`). Any violation
//! fails.

use std::time::Duration;

use bbps_e2e::axe::{audit, source as axe_source};
use bbps_e2e::flows::{BILL_DUE, LANGUAGES, MOBILE, choose_language, electricity_to_bill};
use bbps_e2e::{Backend, Browser, Device, Result, eventually};
use fantoccini::Locator;
use serde_json::json;

async fn backend() -> Result<Backend> {
    Backend::start(|c| c.worker_tick = Duration::from_millis(200)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_screen_meets_wcag_aa_on_a_desktop() -> Result<()> {
    let axe = axe_source()?;
    let backend = backend().await?;
    let mut b = Browser::start("a11y-desktop", Device::Desktop).await?;
    let mut found = Vec::new();

    b.goto(&backend.url("/widget/?key=pk_test_demo_bbps0000000000000000&parent=http://localhost:8788&locale=en"))
        .await?;
    b.by_id("category-electricity").await?;
    // The audit itself must be able to fail: an image without a text alternative is a violation.
    b.client
        .execute("const i = document.createElement('img'); i.id = 'probe'; document.body.append(i);", vec![])
        .await?;
    let probe = audit(&b, &axe, "probe").await?;
    assert!(probe.iter().any(|v| v.contains("image-alt")), "axe did not see the probe: {probe:?}");
    b.client.execute("document.getElementById('probe').remove();", vec![]).await?;
    found.extend(audit(&b, &axe, "categories").await?);
    b.click("category-electricity").await?;
    b.type_into("biller-search", "Maharashtra").await?;
    b.by_id("billers").await?;
    found.extend(audit(&b, &axe, "billers").await?);
    // Narrowing by PIN code: a mistyped one is said beside the field; Mumbai's keeps Maharashtra's billers.
    b.type_into("pincode-filter", "40000a").await?;
    b.by_id("pincode-filter-error").await?;
    found.extend(audit(&b, &axe, "billers, a PIN code with an error").await?);
    b.type_into("pincode-filter", "400001").await?;
    eventually("the PIN code's error to go", Duration::from_secs(10), || async {
        b.client.find(Locator::Css("[data-testid=\"pincode-filter-error\"]")).await.is_err().then_some(())
    })
    .await?;
    b.click("biller-MAHAR0000MAH02").await?;
    b.click("submit-params").await?;
    b.by_id("param-consumer-number-error").await?;
    b.by_id("form-mobile-error").await?;
    found.extend(audit(&b, &axe, "customer details with errors").await?);
    b.type_into("param-consumer-number", BILL_DUE).await?;
    b.type_into("form-mobile", MOBILE).await?;
    b.click("submit-params").await?;
    b.by_id("bill-details").await?;
    found.extend(audit(&b, &axe, "bill").await?);
    b.click("proceed").await?;
    b.by_id("mobile").await?;
    found.extend(audit(&b, &axe, "confirm").await?);
    b.type_into("mobile", "9876543210").await?;
    b.click("pay").await?;
    let link = b.by_id("upi-link").await?.attr("href").await?.ok_or("no link")?;
    found.extend(audit(&b, &axe, "pay by QR").await?);
    reqwest::Client::new()
        .post(backend.url("/sandbox/upi/pay"))
        .json(&json!({ "link": link, "action": "approve" }))
        .send()
        .await?
        .error_for_status()?;
    b.by_id("receipt-txn-ref").await?;
    found.extend(audit(&b, &axe, "receipt").await?);
    b.click("pay-another").await?;
    b.click("open-track").await?;
    b.by_id("track-form").await?;
    found.extend(audit(&b, &axe, "track a payment").await?);
    b.click("back").await?;
    b.click("open-complaint").await?;
    b.by_id("complaint-form").await?;
    found.extend(audit(&b, &axe, "raise a complaint").await?);
    b.click("back").await?;
    // Every language, chosen in the widget's own switcher: the widget and the document say which it is.
    for (tag, _) in LANGUAGES {
        choose_language(&b, tag).await?;
        let document = b.client.execute("return document.documentElement.lang;", vec![]).await?;
        assert_eq!(document.as_str(), Some(tag), "the document's language follows the widget's");
        found.extend(audit(&b, &axe, &format!("categories in {tag}")).await?);
        b.screenshot(&format!("categories-{tag}")).await?;
    }
    b.close().await?;
    assert!(found.is_empty(), "accessibility violations:\n{}", found.join("\n"));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_phone_layout_meets_wcag_aa_at_320_px() -> Result<()> {
    let axe = axe_source()?;
    let backend = backend().await?;
    let mut b = Browser::start("a11y-phone", Device::Phone { width: 320 }).await?;
    let mut found = Vec::new();
    electricity_to_bill(&mut b, &backend.base_url, BILL_DUE).await?;
    b.by_id("bill-details").await?;
    found.extend(audit(&b, &axe, "bill on a phone").await?);
    to_upi_app_button(&mut b).await?;
    found.extend(audit(&b, &axe, "pay with a UPI app").await?);
    b.screenshot("pay-on-phone").await?;
    b.close().await?;
    assert!(found.is_empty(), "accessibility violations:\n{}", found.join("\n"));
    Ok(())
}

/// On a phone the widget leads with the "Open UPI app" button rather than the QR code.
async fn to_upi_app_button(b: &mut Browser) -> Result<()> {
    b.click("proceed").await?;
    b.type_into("mobile", "9876543210").await?;
    b.click("pay").await?;
    b.by_id("open-upi-app").await?;
    Ok(())
}
