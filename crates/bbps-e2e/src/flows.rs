//! Journeys through the widget that several tests and benchmarks share. They drive the page as a person does and
//! use the `data-testid`s of docs/widget.md.

use std::time::Duration;

use crate::{Browser, Result, eventually};

/// The sandbox demo merchant (docs/sandbox.md).
pub use bbps_core::sandbox::{DEMO_PUBLISHABLE_KEY as DEMO_KEY, DEMO_SECRET_KEY as DEMO_SECRET};

/// The demo merchant's site, an allowed origin: the widget page opened on its own names it as its parent, as
/// the embed script does, or no session opens.
pub const DEMO_PARENT: &str = "http://localhost:8788";
/// MSEDCL, an electricity biller that needs a fetch.
pub const MSEDCL: &str = "MAHAR0000MAH02";
/// The sandbox decides by the last four digits of the first param: any other ending means a bill is due.
pub const BILL_DUE: &str = "100234567890";
/// The customer's mobile number, given on the biller's form and shown again on the confirm step.
pub const MOBILE: &str = "9876543210";

/// The widget's languages, each with the Unicode block of its script (`None`: English).
pub const LANGUAGES: [(&str, Option<(char, char)>); 9] = [
    ("en", None),
    ("hi", Some(('\u{0900}', '\u{097F}'))),
    ("bn", Some(('\u{0980}', '\u{09FF}'))),
    ("mr", Some(('\u{0900}', '\u{097F}'))),
    ("te", Some(('\u{0C00}', '\u{0C7F}'))),
    ("ta", Some(('\u{0B80}', '\u{0BFF}'))),
    ("gu", Some(('\u{0A80}', '\u{0AFF}'))),
    ("kn", Some(('\u{0C80}', '\u{0CFF}'))),
    ("ml", Some(('\u{0D00}', '\u{0D7F}'))),
];

/// Whether `text` is written (at least in part) in the script of the language `tag`.
pub fn in_script(tag: &str, text: &str) -> bool {
    match LANGUAGES.iter().find(|(t, _)| *t == tag) {
        Some((_, Some((from, to)))) => text.chars().any(|c| (*from..=*to).contains(&c)),
        Some((_, None)) => !text.is_empty(),
        None => false,
    }
}

/// Chooses a language in the widget's switcher, as a person does, and waits until the widget shows it.
pub async fn choose_language(b: &Browser, tag: &str) -> Result<()> {
    b.find(&format!("[data-testid=\"locale-select\"] option[value=\"{tag}\"]")).await?.click().await?;
    eventually(&format!("the widget in {tag}"), Duration::from_secs(20), || async {
        let root = b.by_id("bbps-widget").await.ok()?;
        (root.attr("lang").await.ok()?.as_deref() == Some(tag)).then_some(())
    })
    .await
}

/// Opens the widget and walks category -> biller -> customer details for MSEDCL with `account` and the mobile
/// number (a bill fetch carries it), and submits.
pub async fn electricity_to_bill(b: &mut Browser, base_url: &str, account: &str) -> Result<()> {
    electricity_to_bill_in(b, base_url, "en", account).await
}

/// [`electricity_to_bill`] with the widget opened in the language `locale` (`ta`).
pub async fn electricity_to_bill_in(b: &mut Browser, base_url: &str, locale: &str, account: &str) -> Result<()> {
    b.goto(&format!("{base_url}/widget/?key={DEMO_KEY}&parent={DEMO_PARENT}&locale={locale}")).await?;
    b.click("category-electricity").await?;
    b.screenshot("categories").await?;
    b.type_into("biller-search", "Maharashtra State").await?;
    b.click(&format!("biller-{MSEDCL}")).await?;
    b.type_into("param-consumer-number", account).await?;
    b.type_into("form-mobile", MOBILE).await?;
    b.screenshot("customer-details").await?;
    b.click("submit-params").await?;
    Ok(())
}

/// From the fetched bill to the QR: proceed, find the mobile number given with the details, pay. Returns the UPI
/// link the QR shows.
pub async fn bill_to_qr(b: &mut Browser) -> Result<String> {
    b.by_id("bill-details").await?;
    b.screenshot("bill").await?;
    b.click("proceed").await?;
    let mobile = b.by_id("mobile").await?.prop("value").await?;
    if mobile.as_deref() != Some(MOBILE) {
        return Err(
            format!("the confirm step's mobile number is {mobile:?}, not the one given with the details").into()
        );
    }
    b.screenshot("confirm").await?;
    b.click("pay").await?;
    b.by_id("qr").await?;
    b.screenshot("qr").await?;
    Ok(b.by_id("upi-link").await?.attr("href").await?.ok_or("the link fallback has no href")?)
}
