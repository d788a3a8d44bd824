//! Status push: how long from the sandbox PSP's callback until the widget shows the new status, and how many
//! requests a widget waiting on its QR makes while nothing happens.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::json;

use super::{Section, ServerProcess, Stats, Table, ms};
use crate::{Browser, Device, Result, flows};

/// Records, in the page, when the payment status attribute changes (wall clock, so it compares with ours).
const OBSERVE: &str = r#"
window.__bbpsStatus = [];
const root = document.querySelector('[data-testid="bbps-widget"]');
new MutationObserver(() => {
  const el = document.querySelector('[data-testid="payment-status"]');
  if (el) window.__bbpsStatus.push([Date.now(), el.getAttribute('data-status')]);
}).observe(root, { attributes: true, subtree: true, childList: true, attributeFilter: ['data-status'] });
"#;

fn now_ms() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs_f64() * 1e3).unwrap_or(0.0)
}

/// API requests the page has made so far (resource timing entries for `/v1/`).
async fn api_requests(b: &Browser) -> Result<u64> {
    let v = b
        .client
        .execute("return performance.getEntriesByType('resource').filter(e => e.name.includes('/v1/')).length;", vec![])
        .await?;
    v.as_u64().ok_or_else(|| "no resource count".into())
}

pub async fn run(server: &ServerProcess, payments: usize, idle: Duration) -> Result<Section> {
    let mut b = Browser::start("bench-push", Device::Desktop).await?;
    let http = reqwest::Client::new();
    let mut latencies = Vec::new();
    let mut idle_rate = None;
    for i in 0..payments {
        b.goto(&format!("{}/widget/", server.base_url)).await?;
        b.client.execute("sessionStorage.clear();", vec![]).await?;
        flows::electricity_to_bill(&mut b, &server.base_url, flows::BILL_DUE).await?;
        let link = flows::bill_to_qr(&mut b).await?;
        if i == 0 {
            // The first payment also measures a waiting widget's request rate.
            let before = api_requests(&b).await?;
            let t = Instant::now();
            tokio::time::sleep(idle).await;
            let after = api_requests(&b).await?;
            idle_rate = Some((after - before) as f64 * 60.0 / t.elapsed().as_secs_f64());
        }
        b.client.execute(OBSERVE, vec![]).await?;
        let t0 = now_ms();
        http.post(format!("{}/sandbox/upi/pay", server.base_url))
            .json(&json!({ "link": link, "action": "approve" }))
            .send()
            .await?
            .error_for_status()?;
        let deadline = Instant::now() + Duration::from_secs(30);
        let seen = loop {
            let v = b
                .client
                .execute(
                    "const s = (window.__bbpsStatus || []).find(([, st]) => st && st !== 'awaiting_payment'); \
                     return s ? s[0] : null;",
                    vec![],
                )
                .await?;
            if let Some(t) = v.as_f64() {
                break t;
            }
            if Instant::now() > deadline {
                return Err("the widget never showed the paid status".into());
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        };
        latencies.push(seen - t0);
        b.by_id("receipt").await?;
    }
    b.close().await?;
    let s = Stats::of(&latencies);
    let mut table = Table::new(&["measure", "value"]);
    table.row(vec!["callback → widget shows the new status, median".into(), ms(s.median)]);
    table.row(vec!["min / p90 / max".into(), format!("{} / {} / {}", ms(s.min), ms(s.p90), ms(s.max))]);
    table.row(vec!["payments".into(), s.n.to_string()]);
    table.row(vec![
        format!("API requests per minute from a widget waiting on its QR ({} s observed)", idle.as_secs()),
        format!("{:.1}", idle_rate.unwrap_or(f64::NAN)),
    ]);
    Ok(Section {
        title: "Payment status push".into(),
        method: "A widget on its QR screen; the sandbox UPI app approves (`POST /sandbox/upi/pay`, which makes the \
                 sandbox PSP send its signed callback over HTTP); the time runs from just before that request until \
                 the widget's DOM shows the new status (a MutationObserver in the page, wall clock on both sides). \
                 The idle rate counts the page's `/v1/` resource-timing entries while it waits; the event stream \
                 stays one open request."
            .into(),
        table,
    })
}
