//! Journeys through the widget that several tests and benchmarks share. They drive the page as a person does and
//! use the `data-testid`s of docs/widget.md.

use crate::{Browser, Result};

/// The sandbox demo merchant (docs/sandbox.md).
pub use bbps_core::sandbox::{DEMO_PUBLISHABLE_KEY as DEMO_KEY, DEMO_SECRET_KEY as DEMO_SECRET};
/// MSEDCL, an electricity biller that needs a fetch.
pub const MSEDCL: &str = "MAHAR0000MAH02";
/// The sandbox decides by the last four digits of the first param: any other ending means a bill is due.
pub const BILL_DUE: &str = "100234567890";

/// Opens the widget and walks category -> biller -> customer details for MSEDCL with `account`, and submits.
pub async fn electricity_to_bill(b: &mut Browser, base_url: &str, account: &str) -> Result<()> {
    b.goto(&format!("{base_url}/widget/?key={DEMO_KEY}&locale=en")).await?;
    b.click("category-electricity").await?;
    b.screenshot("categories").await?;
    b.type_into("biller-search", "Maharashtra State").await?;
    b.click(&format!("biller-{MSEDCL}")).await?;
    b.type_into("param-consumer-number", account).await?;
    b.screenshot("customer-details").await?;
    b.click("submit-params").await?;
    Ok(())
}

/// From the fetched bill to the QR: proceed, give the mobile number, pay. Returns the UPI link the QR shows.
pub async fn bill_to_qr(b: &mut Browser) -> Result<String> {
    b.by_id("bill-details").await?;
    b.screenshot("bill").await?;
    b.click("proceed").await?;
    b.type_into("mobile", "9876543210").await?;
    b.screenshot("confirm").await?;
    b.click("pay").await?;
    b.by_id("qr").await?;
    b.screenshot("qr").await?;
    Ok(b.by_id("upi-link").await?.attr("href").await?.ok_or("the link fallback has no href")?)
}
