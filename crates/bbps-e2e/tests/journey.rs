//! The bill-payment journey end to end: the release build of the widget, served by the real backend (its own
//! SQLite file, the sandbox network and PSP), driven in headless Chromium over WebDriver. Each step saves a
//! screenshot under `target/e2e-screenshots/<test>/`.

use std::time::Duration;

use bbps_core::UpiLink;
use bbps_e2e::axe::{audit, source as axe_source};
use bbps_e2e::flows::{
    BILL_DUE, DEMO_KEY as KEY, DEMO_SECRET as SECRET, MSEDCL, bill_to_qr, electricity_to_bill, electricity_to_bill_in,
    in_script,
};
use bbps_e2e::{Backend, Browser, Device, Result, eventually};
use fantoccini::Locator;
use serde_json::{Value, json};

const INVALID_ACCOUNT: &str = "100234560001";
const NO_BILL_DUE: &str = "100234560002";
const PAYMENT_FAILS: &str = "100234560006";
/// A settled payment or refund can take a few worker ticks and a PSP round trip.
const SETTLE: Duration = Duration::from_secs(45);

async fn backend() -> Result<Backend> {
    Backend::start(|c| {
        c.sandbox.pending_settle = Duration::from_secs(2);
        c.sandbox.complaint_step = Duration::from_secs(2);
        c.worker_tick = Duration::from_millis(200);
    })
    .await
}

async fn to_bill(b: &mut Browser, backend: &Backend, account: &str) -> Result<()> {
    electricity_to_bill(b, &backend.base_url, account).await
}

/// Plays the payer in the sandbox UPI app page, in a second browser window, and comes back.
async fn pay_in_sandbox_app(b: &mut Browser, button: &str) -> Result<()> {
    let app_url = b.by_id("sandbox-upi-app").await?.prop("href").await?.ok_or("no sandbox app link")?;
    let widget_window = b.client.window().await?;
    let app_window = b.client.new_window(true).await?;
    b.client.switch_to_window(app_window.handle).await?;
    b.goto(&app_url).await?;
    b.find(&format!("button.{button}")).await?;
    b.screenshot(&format!("upi-app-{button}")).await?;
    b.find(&format!("button.{button}")).await?.click().await?;
    // The app's answer page means the debit (or decline) was recorded and the PSP callback sent.
    b.find("section[role=status]").await?;
    b.screenshot(&format!("upi-app-{button}-done")).await?;
    b.client.close_window().await?;
    b.client.switch_to_window(widget_window).await?;
    Ok(())
}

/// Opens the widget in English on the billers of `category`.
async fn open_category(b: &Browser, backend: &Backend, category: &str) -> Result<()> {
    b.goto(&format!("{}/widget/?key={KEY}&parent=http://localhost:8788&locale=en", backend.base_url)).await?;
    b.click(&format!("category-{category}")).await
}

/// Searches the open category for `search` and reads the first biller's "available again from …".
async fn unavailable_until(b: &Browser, search: &str) -> Result<String> {
    b.type_into("biller-search", search).await?;
    eventually(&format!("{search}'s date"), Duration::from_secs(20), || async {
        b.client.find(Locator::Css("[data-testid$=\"-unavailable\"]")).await.ok()?.text().await.ok()
    })
    .await
}

/// Opens the widget in English on `category`, searches `search` and picks the biller whose option names `name`.
async fn pick_biller(b: &Browser, backend: &Backend, category: &str, search: &str, name: &str) -> Result<()> {
    open_category(b, backend, category).await?;
    b.type_into("biller-search", search).await?;
    let option = eventually(&format!("{name} in the list"), Duration::from_secs(20), || async {
        for option in b.client.find_all(Locator::Css("li[role=option]")).await.ok()? {
            if option.text().await.ok()?.contains(name) {
                return Some(option);
            }
        }
        None
    })
    .await?;
    option.click().await?;
    Ok(())
}

async fn status_of(b: &Browser) -> Result<String> {
    Ok(b.by_id("payment-status").await?.attr("data-status").await?.unwrap_or_default())
}

async fn wait_status(b: &Browser, want: &str) -> Result<()> {
    eventually(&format!("payment status {want}"), SETTLE, || async {
        status_of(b).await.ok().filter(|s| s == want).map(|_| ())
    })
    .await
}

/// The merchant's view of the payment through the secret-key API: the server, not the browser, is the truth.
async fn merchant_payment(backend: &Backend, payment_id: &str) -> Result<Value> {
    let url = backend.url(&format!("/v1/merchant/payments/{payment_id}"));
    Ok(reqwest::Client::new().get(url).bearer_auth(SECRET).send().await?.error_for_status()?.json().await?)
}

async fn only_payment_id(backend: &Backend) -> Result<String> {
    let list: Value = reqwest::Client::new()
        .get(backend.url("/v1/merchant/payments"))
        .bearer_auth(SECRET)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let items = list["items"].as_array().ok_or("no items")?;
    assert_eq!(items.len(), 1, "exactly one payment was created: {list}");
    Ok(items[0]["id"].as_str().ok_or("no id")?.to_owned())
}

/// Decodes the QR code as Chromium drew it (a screenshot of the element) with a real decoder.
async fn decode_rendered_qr(b: &Browser) -> Result<String> {
    let png = b.by_id("qr").await?.screenshot().await?;
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info()?;
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf)?;
    let channels = info.color_type.samples();
    let (w, h) = (info.width as usize, info.height as usize);
    let luma = |x: usize, y: usize| {
        let i = (y * w + x) * channels;
        let px = &buf[i..i + channels.min(3)];
        (px.iter().map(|&v| u32::from(v)).sum::<u32>() / px.len() as u32) as u8
    };
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, luma);
    let grids = img.detect_grids();
    let grid = grids.first().ok_or("no QR code found in the rendered element")?;
    let (_, content) = grid.decode()?;
    Ok(content)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pays_an_electricity_bill_by_qr_then_tracks_it_and_complains() -> Result<()> {
    let backend = backend().await?;
    let mut b = Browser::start("electricity-qr", Device::Desktop).await?;
    to_bill(&mut b, &backend, BILL_DUE).await?;
    assert!(b.text_of("bill-customer-name").await?.len() > 2);
    let link = bill_to_qr(&mut b).await?;

    // The QR drawn in the browser carries exactly the server's link, and the link is a valid UPI payment.
    assert_eq!(decode_rendered_qr(&b).await?, link);
    let upi = UpiLink::parse(&link)?;
    let created = merchant_payment(&backend, &only_payment_id(&backend).await?).await?;
    assert_eq!(created["upi"]["payee_vpa"], upi.payee.as_str(), "the QR pays the payee the server issued");
    assert_eq!(b.text_of("pay-amount").await?, upi.amount.ok_or("no amount")?.to_inr_string());
    assert_eq!(status_of(&b).await?, "awaiting_payment");

    pay_in_sandbox_app(&mut b, "approve").await?;
    let txn_ref = b.wait_text("receipt-txn-ref", "", SETTLE).await?;
    b.by_id("b-assured").await?;
    b.screenshot("receipt").await?;
    let approval = b.text_of("receipt-approval-ref").await?;
    assert_eq!(txn_ref.trim().len(), 20, "BBPS txn ref: {txn_ref}");
    assert!(!approval.trim().is_empty());
    assert_eq!(b.text_of("receipt-biller-id").await?, MSEDCL);
    assert!(b.text_of("receipt-status").await?.contains("Successful"));

    let payment_id = only_payment_id(&backend).await?;
    let server = merchant_payment(&backend, &payment_id).await?;
    assert_eq!(server["status"], "completed");
    assert_eq!(server["receipt"]["txn_ref"], txn_ref.trim());
    assert_eq!(server["receipt"]["approval_ref"], approval.trim());

    // Track it by its BBPS reference.
    b.click("pay-another").await?;
    b.click("open-track").await?;
    b.click("track-by-ref").await?;
    b.type_into("track-txn-ref", txn_ref.trim()).await?;
    b.click("track-submit").await?;
    b.wait_text("track-result-txn-ref", txn_ref.trim(), SETTLE).await?;
    assert_eq!(b.by_id("track-result").await?.attr("data-status").await?.as_deref(), Some("completed"));
    b.screenshot("tracked").await?;

    // Track it by mobile number: the number is proved first with the code the sandbox SMS outbox received.
    b.click("track-by-mobile").await?;
    b.type_into("track-mobile", "9876543210").await?;
    b.click("track-submit").await?;
    b.by_id("track-code").await?;
    let outbox: Value = reqwest::Client::new()
        .get(backend.url("/sandbox/sms/messages?to=9876543210"))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let code = outbox["messages"][0]["code"].as_str().ok_or("no code in the SMS outbox")?.to_owned();
    b.type_into("track-code", if code == "000000" { "111111" } else { "000000" }).await?;
    b.click("track-submit").await?;
    b.wait_text("track-code-error", "", SETTLE).await?;
    b.by_id("track-code").await?.clear().await?;
    b.type_into("track-code", &code).await?;
    b.click("track-submit").await?;
    b.wait_text("track-result-txn-ref", txn_ref.trim(), SETTLE).await?;
    b.screenshot("tracked-by-mobile").await?;

    // Raise a complaint against it and follow it to resolution (the sandbox moves it on every 2 s).
    b.click("track-complain").await?;
    b.find("[data-testid=\"complaint-disposition\"]").await?;
    // "Service not received" minutes after an electricity bill is paid: the biller has a day to deliver, and the
    // widget says so beside the disposition.
    b.client.find(Locator::Css("[data-testid=\"complaint-disposition\"] option[value=\"D11\"]")).await?.click().await?;
    b.type_into("complaint-description", "The biller still shows my bill as unpaid.").await?;
    b.click("complaint-submit").await?;
    b.wait_text("complaint-disposition-error", "24 hours", SETTLE).await?;
    b.screenshot("complaint-too-early").await?;
    b.client.find(Locator::Css("[data-testid=\"complaint-disposition\"] option[value=\"D31\"]")).await?.click().await?;
    b.screenshot("complaint-form").await?;
    b.click("complaint-submit").await?;
    let complaint_id = b.wait_text("complaint-id", "", SETTLE).await?;
    assert_eq!(complaint_id.trim().len(), 15, "complaint id: {complaint_id}");
    b.screenshot("complaint-raised").await?;
    b.click("track-this-complaint").await?;
    b.wait_text("complaint-status-id-value", complaint_id.trim(), SETTLE).await?;
    eventually("the complaint to be resolved", SETTLE, || async {
        if let Ok(el) = b.by_id("complaint-status").await
            && el.attr("data-status").await.ok().flatten().as_deref() == Some("resolved")
        {
            return Some(());
        }
        // The status page shows what it fetched; ask again.
        let _ = b.click("complaint-status-submit").await;
        None
    })
    .await?;
    b.screenshot("complaint-resolved").await?;
    assert!(b.text_of("complaint-ticket-type").await?.contains("Complaint"), "D31 is a complaint");
    // Not satisfied: reopened once, with why; it is assigned again, with a new TAT date.
    b.by_id("reopen-form").await?;
    let axe = axe_source()?;
    let found = audit(&b, &axe, "a closed ticket with its reopen form").await?;
    assert!(found.is_empty(), "WCAG 2.1 AA: {found:?}");
    b.click("reopen-submit").await?;
    b.by_id("reopen-description-error").await?;
    b.type_into("reopen-description", "The bill still shows as unpaid after the resolution.").await?;
    b.click("reopen-submit").await?;
    b.by_id("complaint-reopened-at").await?;
    assert_eq!(b.by_id("complaint-status").await?.attr("data-status").await?.as_deref(), Some("assigned"));
    b.by_id("complaint-resolve-by").await?;
    b.screenshot("complaint-reopened").await?;
    b.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bill_payment_that_fails_after_the_upi_debit_is_refunded() -> Result<()> {
    let backend = backend().await?;
    let mut b = Browser::start("payment-fails-refund", Device::Desktop).await?;
    to_bill(&mut b, &backend, PAYMENT_FAILS).await?;
    bill_to_qr(&mut b).await?;
    pay_in_sandbox_app(&mut b, "approve").await?;
    wait_status(&b, "refunded").await?;
    b.screenshot("refunded").await?;
    assert!(b.client.find(Locator::Css("[data-testid=\"receipt\"]")).await.is_err(), "no receipt for a refund");
    let server = merchant_payment(&backend, &only_payment_id(&backend).await?).await?;
    assert_eq!(server["status"], "refunded");
    assert_eq!(server["refund"]["status"], "refunded");
    assert_eq!(server["refund"]["amount"], server["charges"]["total"], "the whole debit goes back");
    b.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_upi_payment_fails_and_offers_a_new_try() -> Result<()> {
    let backend = backend().await?;
    let mut b = Browser::start("upi-declined", Device::Desktop).await?;
    to_bill(&mut b, &backend, BILL_DUE).await?;
    bill_to_qr(&mut b).await?;
    pay_in_sandbox_app(&mut b, "decline").await?;
    wait_status(&b, "payment_failed").await?;
    b.by_id("pay-again").await?;
    b.screenshot("declined").await?;
    let server = merchant_payment(&backend, &only_payment_id(&backend).await?).await?;
    assert_eq!(server["status"], "payment_failed");
    assert!(server["receipt"].is_null());
    b.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_account_and_no_bill_due_are_explained() -> Result<()> {
    let backend = backend().await?;
    let mut b = Browser::start("fetch-outcomes", Device::Desktop).await?;
    to_bill(&mut b, &backend, INVALID_ACCOUNT).await?;
    let outcome = b.by_id("bill-outcome").await?;
    assert_eq!(outcome.attr("data-code").await?.as_deref(), Some("bill_invalid_account"));
    assert!(b.text_of("bill-outcome").await?.contains("does not recognise this account"));
    b.screenshot("invalid-account").await?;

    b.click("edit-details").await?;
    // Back on the form, the account typed before is still there.
    let field = b.by_id("param-consumer-number").await?;
    assert_eq!(field.prop("value").await?.as_deref(), Some(INVALID_ACCOUNT));
    b.type_into("param-consumer-number", NO_BILL_DUE).await?;
    b.screenshot("retyped").await?;
    b.click("submit-params").await?;
    eventually("the no-bill-due outcome", SETTLE, || async {
        let el = b.by_id("bill-outcome").await.ok()?;
        (el.attr("data-code").await.ok()?.as_deref() == Some("bill_no_bill_due")).then_some(())
    })
    .await?;
    b.screenshot("no-bill-due").await?;
    b.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_direct_pay_biller_skips_the_fetch_and_takes_an_amount() -> Result<()> {
    let backend = backend().await?;
    let mut b = Browser::start("direct-pay", Device::Desktop).await?;
    b.goto(&backend.url(&format!("/widget/?key={KEY}&parent=http://localhost:8788&locale=en&category=ncmc-recharge")))
        .await?;
    b.click("biller-DELHI0000DEL02").await?;
    b.type_into("param-card-number", "6070123412341234").await?;
    b.click("submit-params").await?;
    b.type_into("amount", "250").await?;
    b.type_into("mobile", "9876543210").await?;
    b.screenshot("amount").await?;
    let total_shown = b.text_of("total").await?;
    b.click("pay").await?;
    let link = b.by_id("upi-link").await?.attr("href").await?.ok_or("no link")?;
    // This time the payer is played through the sandbox PSP's API, as a merchant's test suite would.
    let resp = reqwest::Client::new()
        .post(backend.url("/sandbox/upi/pay"))
        .json(&json!({ "link": link, "action": "approve" }))
        .send()
        .await?;
    assert!(resp.status().is_success(), "sandbox pay: {}", resp.text().await?);
    b.wait_text("receipt-txn-ref", "", SETTLE).await?;
    assert!(b.text_of("receipt-bill-amount").await?.contains("₹250.00"));
    b.screenshot("receipt").await?;
    let server = merchant_payment(&backend, &only_payment_id(&backend).await?).await?;
    assert_eq!(server["status"], "completed");
    assert_eq!(server["charges"]["bill_amount"], 25_000);
    let total = bbps_core::Paise::new(server["charges"]["total"].as_u64().ok_or("no total")?).ok_or("bad total")?;
    assert!(total_shown.contains(&total.to_inr_string()), "confirm showed {total_shown:?}, server charged {total}");
    b.close().await
}

/// Pays an electricity bill end to end in Bengali, Tamil and Kannada: every screen in the language's script and
/// free of accessibility violations, the receipt in the customer's words with Indian digit grouping, and the
/// server's record the same as in English.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pays_a_bill_in_bengali_tamil_and_kannada() -> Result<()> {
    let axe = axe_source()?;
    let backend = backend().await?;
    let mut b = Browser::start("pay-in-three-languages", Device::Desktop).await?;
    let mut found = Vec::new();
    // The language, and how its receipt says "Successful" and "Total".
    let languages = [("bn", "সফল", "মোট"), ("ta", "வெற்றி", "மொத்தம்"), ("kn", "ಯಶಸ್ವಿ", "ಒಟ್ಟು")];
    for (paid, (tag, successful, total)) in languages.into_iter().enumerate() {
        electricity_to_bill_in(&mut b, &backend.base_url, tag, BILL_DUE).await?;
        b.by_id("bill-details").await?;
        let heading = b.text_of("heading").await?;
        assert!(in_script(tag, &heading), "{tag}: the bill's heading {heading:?}");
        found.extend(audit(&b, &axe, &format!("bill in {tag}")).await?);
        let link = bill_to_qr(&mut b).await?;
        found.extend(audit(&b, &axe, &format!("pay by QR in {tag}")).await?);
        reqwest::Client::new()
            .post(backend.url("/sandbox/upi/pay"))
            .json(&json!({ "link": link, "action": "approve" }))
            .send()
            .await?
            .error_for_status()?;
        let txn_ref = b.wait_text("receipt-txn-ref", "", SETTLE).await?;
        assert_eq!(txn_ref.trim().len(), 20, "{tag}: BBPS txn ref {txn_ref}");
        assert_eq!(b.text_of("receipt-status").await?, successful, "{tag}");
        let slip = b.text_of("receipt").await?;
        assert!(
            slip.contains(total) && slip.contains("₹1,"),
            "{tag}: the receipt in its words, Indian grouping: {slip}"
        );
        found.extend(audit(&b, &axe, &format!("receipt in {tag}")).await?);
        b.screenshot(&format!("receipt-{tag}")).await?;
        let page = b.client.execute("return document.documentElement.lang;", vec![]).await?;
        assert_eq!(page.as_str(), Some(tag), "the page speaks the language it was opened in");
        let list: Value = reqwest::Client::new()
            .get(backend.url("/v1/merchant/payments"))
            .bearer_auth(SECRET)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let items = list["items"].as_array().ok_or("no items")?;
        assert_eq!(items.len(), paid + 1, "one payment per language");
        let mut settled = Vec::new();
        for item in items {
            let payment = merchant_payment(&backend, item["id"].as_str().ok_or("no id")?).await?;
            settled.push((payment["status"].clone(), payment["receipt"]["txn_ref"].clone()));
        }
        assert!(
            settled.contains(&(json!("completed"), json!(txn_ref.trim()))),
            "{tag}: the server's record: {settled:?}"
        );
        // The next customer starts afresh (a payment still remembered would be shown again).
        b.click("pay-another").await?;
    }
    b.close().await?;
    assert!(found.is_empty(), "accessibility violations:\n{}", found.join("\n"));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_convenience_fee_and_its_gst_are_shown_apart_before_paying_and_on_the_receipt() -> Result<()> {
    let backend = backend().await?;
    let mut b = Browser::start("fee-and-gst", Device::Desktop).await?;
    // B.E.S.T. charges a convenience fee (docs/sandbox.md), and GST on it.
    pick_biller(&b, &backend, "electricity", "B.E.S.T", "B.E.S.T. Undertaking").await?;
    b.type_into("param-consumer-number", BILL_DUE).await?;
    b.type_into("form-mobile", "9876543210").await?;
    b.click("submit-params").await?;
    b.by_id("bill-details").await?;
    b.click("proceed").await?;
    let (fee, gst, total) = (b.text_of("fee").await?, b.text_of("fee-gst").await?, b.text_of("total").await?);
    b.screenshot("confirm-fee-and-gst").await?;
    b.click("pay").await?;
    b.by_id("qr").await?;
    pay_in_sandbox_app(&mut b, "approve").await?;
    wait_status(&b, "completed").await?;
    b.screenshot("receipt-fee-and-gst").await?;

    // What the browser showed is the server's arithmetic, in rupees: the fee, its 18 % GST, and the total.
    let server = merchant_payment(&backend, &only_payment_id(&backend).await?).await?;
    let inr = |v: &Value| v.as_u64().and_then(bbps_core::Paise::new).map(bbps_core::Paise::to_inr_string);
    let charges = &server["charges"];
    let (fee_paise, gst_paise) = (charges["convenience_fee"].as_u64(), charges["convenience_fee_gst"].as_u64());
    assert!(fee_paise.is_some_and(|f| f > 0), "{charges}");
    assert_eq!(gst_paise, fee_paise.map(|f| (f * 1_800 + 5_000) / 10_000), "{charges}");
    for (shown, field) in [(&fee, "convenience_fee"), (&gst, "convenience_fee_gst"), (&total, "total")] {
        let want = inr(&charges[field]).ok_or("no figure")?;
        assert!(shown.contains(&want), "confirm {field}: {shown:?} shows {want}");
    }
    for (id, field) in
        [("receipt-fee", "convenience_fee"), ("receipt-fee-gst", "convenience_fee_gst"), ("receipt-total", "total")]
    {
        let shown = b.text_of(id).await?;
        let want = inr(&server["receipt"][field]).ok_or("no figure")?;
        assert!(shown.contains(&want), "{id}: {shown:?} shows {want}");
    }
    b.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_prepaid_plan_is_picked_by_tab_and_search_and_paid_at_its_price() -> Result<()> {
    let backend = backend().await?;
    let mut b = Browser::start("prepaid-plan", Device::Desktop).await?;
    pick_biller(&b, &backend, "mobile-prepaid", "Jio", "Jio Prepaid").await?;
    b.type_into("param-mobile-number", "9876543210").await?;
    b.click("submit-params").await?;
    // The plans the network's plan master data lists, by tab and by search words.
    b.by_id("plans").await?;
    b.screenshot("plans").await?;
    let axe = axe_source()?;
    let found = audit(&b, &axe, "plans").await?;
    assert!(found.is_empty(), "WCAG 2.1 AA on the plan picker: {found:?}");
    b.click("plan-tab-unlimited").await?;
    b.type_into("plan-search", "84 days").await?;
    eventually("one plan for 84 days", Duration::from_secs(10), || async {
        let cards = b.client.find_all(Locator::Css("[data-testid=\"plans\"] button")).await.ok()?;
        (cards.len() == 1).then_some(())
    })
    .await?;
    b.type_into("plan-search", "").await?;
    b.find("[data-testid$=\"U299\"]").await?.click().await?;
    // Its price is the amount, which cannot be changed.
    let amount = b.by_id("amount").await?;
    assert_eq!(amount.prop("value").await?.as_deref(), Some("299.00"));
    assert!(b.text_of("confirm-plan").await?.contains("28 days"));
    b.screenshot("plan-confirm").await?;
    let found = audit(&b, &axe, "plan confirm").await?;
    assert!(found.is_empty(), "WCAG 2.1 AA on the plan's confirm step: {found:?}");
    b.type_into("mobile", "9876543210").await?;
    b.click("pay").await?;
    b.by_id("qr").await?;
    pay_in_sandbox_app(&mut b, "approve").await?;
    wait_status(&b, "completed").await?;
    let plan = b.text_of("receipt-plan").await?;
    assert!(plan.contains("U299"), "the receipt names the plan: {plan}");
    let server = merchant_payment(&backend, &only_payment_id(&backend).await?).await?;
    assert_eq!(server["charges"]["bill_amount"], 29_900);
    b.screenshot("plan-receipt").await?;
    b.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bills_of_a_list_are_chosen_paid_together_and_each_named_on_the_receipt() -> Result<()> {
    let backend = backend().await?;
    let mut b = Browser::start("bill-list", Device::Desktop).await?;
    // An account ending 0011 has three monthly bills, of which the customer pays any (docs/sandbox.md).
    to_bill(&mut b, &backend, "100234560011").await?;
    b.by_id("bill-list").await?;
    let items = b.client.find_all(Locator::Css("[data-testid^=\"bill-item-\"]")).await?;
    assert_eq!(items.len(), 3);
    for item in &items {
        assert_eq!(item.prop("checked").await?.as_deref(), Some("true"), "all are chosen to begin with");
    }
    b.screenshot("bill-list").await?;
    let axe = axe_source()?;
    let found = audit(&b, &axe, "bill list").await?;
    assert!(found.is_empty(), "WCAG 2.1 AA on the list of bills: {found:?}");

    // None chosen: the reason shows beside the list, and the bill step stays.
    for item in &items {
        item.click().await?;
    }
    b.click("proceed").await?;
    let why = b.text_of("bill-list-error").await?;
    assert!(why.contains("at least one bill"), "{why}");
    assert_eq!(b.by_id("bill-item-0").await?.attr("aria-invalid").await?.as_deref(), Some("true"));
    b.screenshot("bill-list-none-chosen").await?;
    let found = audit(&b, &axe, "bill list refused").await?;
    assert!(found.is_empty(), "WCAG 2.1 AA on the refused choice: {found:?}");

    // The first and the last: the total is theirs, and the amount is fixed at it.
    b.click("bill-item-0").await?;
    b.click("bill-item-2").await?;
    let total = b.text_of("bill-list-total").await?;
    b.click("proceed").await?;
    let amount = b.by_id("amount").await?;
    assert_eq!(amount.attr("readonly").await?.as_deref(), Some("true"));
    let typed = amount.prop("value").await?.unwrap_or_default();
    let chosen = b.client.find_all(Locator::Css("[data-testid=\"confirm-bill\"]")).await?;
    assert_eq!(chosen.len(), 2, "the confirm step names both bills");
    b.screenshot("bill-list-confirm").await?;
    b.type_into("mobile", "9876543210").await?;
    b.click("pay").await?;
    b.by_id("qr").await?;
    pay_in_sandbox_app(&mut b, "approve").await?;
    wait_status(&b, "completed").await?;
    b.screenshot("bill-list-receipt").await?;

    // The server paid exactly those two bills, their sum, and the receipt lists each.
    let server = merchant_payment(&backend, &only_payment_id(&backend).await?).await?;
    let paid = server["receipt"]["bills"].as_array().ok_or("no bills on the receipt")?;
    assert_eq!(paid.len(), 2, "{server}");
    let sum: u64 = paid.iter().filter_map(|b| b["amount"].as_u64()).sum();
    assert_eq!(server["charges"]["bill_amount"].as_u64(), Some(sum));
    let rupees = bbps_core::Paise::new(sum).ok_or("no sum")?;
    assert!(total.contains(&rupees.to_inr_string()), "the list's total {total:?} is {rupees}");
    assert_eq!(typed, rupees.to_decimal_string());
    let shown = b.client.find_all(Locator::Css("[data-testid=\"receipt-bill\"]")).await?;
    assert_eq!(shown.len(), 2);
    for (line, bill) in shown.iter().zip(paid) {
        let text = line.text().await?;
        assert!(text.contains(bill["bill_number"].as_str().unwrap_or("?")), "{text} names {bill}");
    }
    b.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_part_payment_is_refused_beside_the_amount_until_it_fits_the_bills_range_and_step() -> Result<()> {
    let backend = backend().await?;
    let mut b = Browser::start("part-payment", Device::Desktop).await?;
    // A mobile number ending 0010 has a bill taking ₹500 up to the bill, in ₹100s (docs/sandbox.md).
    pick_biller(&b, &backend, "credit-card", "HDFC", "HDFC Bank Credit Card").await?;
    b.type_into("param-registered-mobile-number", "9876540010").await?;
    b.type_into("param-last-4-digits-of-card", "4321").await?;
    b.type_into("form-mobile", "9876543210").await?;
    b.click("submit-params").await?;
    b.click("proceed").await?;
    let hint = b.text_of("confirm-form").await?;
    assert!(hint.contains("multiples of ₹100"), "the amount's hint says the step: {hint}");
    for (typed, says) in [("450", "at least ₹500"), ("550.50", "multiples of ₹100")] {
        b.type_into("amount", typed).await?;
        b.click("pay").await?;
        let shown = eventually(&format!("the refusal of {typed}"), Duration::from_secs(10), || async {
            let text = b.text_of("amount-error").await.ok()?;
            text.contains(says).then_some(text)
        })
        .await?;
        assert_eq!(b.by_id("amount").await?.attr("aria-invalid").await?.as_deref(), Some("true"), "{shown}");
    }
    b.screenshot("part-payment-refused").await?;
    let axe = axe_source()?;
    let found = audit(&b, &axe, "part payment refused").await?;
    assert!(found.is_empty(), "WCAG 2.1 AA on the refused amount: {found:?}");
    // Every such bill is at least ₹1,000, so ₹600 is within it.
    b.type_into("amount", "600").await?;
    b.click("pay").await?;
    b.by_id("qr").await?;
    pay_in_sandbox_app(&mut b, "approve").await?;
    wait_status(&b, "completed").await?;
    let server = merchant_payment(&backend, &only_payment_id(&backend).await?).await?;
    assert_eq!(server["receipt"]["bill_amount"], 60_000, "{server}");
    assert!(b.text_of("receipt-bill-amount").await?.contains("₹600.00"));
    b.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pin_code_lists_its_states_billers_and_the_national_ones() -> Result<()> {
    let backend = backend().await?;
    let mut b = Browser::start("pin-code", Device::Desktop).await?;
    open_category(&b, &backend, "electricity").await?;
    b.type_into("pincode-filter", "560001").await?;
    // Bengaluru: Karnataka's billers and the national ones, none of Maharashtra's.
    let names = eventually("Karnataka's billers", Duration::from_secs(20), || async {
        let mut names = Vec::new();
        for option in b.client.find_all(Locator::Css("li[role=option]")).await.ok()? {
            names.push(option.text().await.ok()?);
        }
        names.iter().any(|n| n.contains("BESCOM") || n.contains("Bangalore Electricity")).then_some(names)
    })
    .await?;
    assert!(!names.iter().any(|n| n.contains("Maharashtra State")), "{names:?}");
    // Each listed biller serves Karnataka (or a city in it) or all of India.
    for option in b.client.find_all(Locator::Css("li[role=option] .bbps-option-meta")).await? {
        let serves = option.text().await?;
        assert!(serves.ends_with("Karnataka") || serves == "All India", "{serves} in {names:?}");
    }
    b.screenshot("pin-code-560001").await?;
    b.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_same_day_bill_and_a_paused_or_down_biller_say_until_when() -> Result<()> {
    let backend = backend().await?;
    let mut b = Browser::start("same-day-and-paused", Device::Desktop).await?;
    // Goa Electricity Department is paused for three days from the start of today (docs/sandbox.md).
    open_category(&b, &backend, "electricity").await?;
    let back = unavailable_until(&b, "Goa").await?;
    assert!(back.starts_with("Available again from"), "{back}");
    let in_three_days = time::OffsetDateTime::now_utc().to_offset(bbps_core::IST).date() + time::Duration::days(3);
    assert!(back.contains(&format!("{:02} ", in_three_days.day())), "three days from today: {back}");
    b.screenshot("paused-biller").await?;

    // Sabarmati Gas is active by its master data but down by the network's biller status, for up to two hours.
    open_category(&b, &backend, "gas").await?;
    let down = unavailable_until(&b, "Sabarmati").await?;
    assert!(down.starts_with("Available again from") && down.ends_with(" IST"), "{down}");
    b.screenshot("biller-down").await?;

    // Adani Electricity Mumbai takes a bill's payment only on the day of its fetch: until the next midnight IST.
    pick_biller(&b, &backend, "electricity", "Adani", "Adani Electricity Mumbai").await?;
    let account = b.client.find(Locator::Css("input[data-testid^=\"param-\"]")).await?;
    account.send_keys(BILL_DUE).await?;
    b.type_into("form-mobile", "9876543210").await?;
    b.click("submit-params").await?;
    let until = b.text_of("bill-valid-until").await?;
    assert!(until.ends_with("00:00 IST"), "payable until midnight: {until}");
    b.screenshot("same-day-bill").await?;
    b.close().await
}
