//! Start-up on loopback: from navigation of the widget page to the category grid being interactive, as the widget
//! marks it (`performance.mark("bbps:categories-interactive")`, set when the grid first renders live). Cold loads
//! use a fresh browser profile each (empty HTTP and code caches); warm loads reload in one profile. The slow phone's
//! start-up, through the merchant's page, is `mobile`.

use std::time::{Duration, Instant};

use super::{Section, ServerProcess, Stats, Table, ms};
use crate::{Browser, Device, Result};

const MARK: &str = "bbps:categories-interactive";

/// Milliseconds from navigation start to the mark, waiting for it to appear.
async fn mark_time(b: &Browser) -> Result<f64> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let v = b
            .client
            .execute(
                &format!("const m = performance.getEntriesByName('{MARK}'); return m.length ? m[0].startTime : null;"),
                vec![],
            )
            .await?;
        if let Some(t) = v.as_f64() {
            return Ok(t);
        }
        if Instant::now() > deadline {
            return Err(format!("the widget never set the {MARK} mark").into());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub async fn run(server: &ServerProcess, loads: usize) -> Result<Section> {
    let url = format!(
        "{}/widget/?key={}&parent={}&locale=en",
        server.base_url,
        crate::flows::DEMO_KEY,
        crate::flows::DEMO_PARENT
    );
    let mut cold = Vec::new();
    for _ in 0..loads {
        let b = Browser::start("bench-startup-cold", Device::Desktop).await?;
        b.goto(&url).await?;
        cold.push(mark_time(&b).await?);
        b.close().await?;
    }
    let b = Browser::start("bench-startup-warm", Device::Desktop).await?;
    b.goto(&url).await?;
    mark_time(&b).await?;
    let mut warm = Vec::new();
    for _ in 0..loads {
        b.goto(&url).await?;
        warm.push(mark_time(&b).await?);
    }
    b.close().await?;
    let mut table = Table::new(&["cache", "loads", "median", "min", "p90", "max"]);
    for (name, samples) in [("cold (new profile)", &cold), ("warm (reload)", &warm)] {
        let s = Stats::of(samples);
        table.row(vec![name.into(), s.n.to_string(), ms(s.median), ms(s.min), ms(s.p90), ms(s.max)]);
    }
    Ok(Section {
        title: "Widget start-up in headless Chromium".into(),
        method: format!(
            "Navigation start of `/widget/` to `{MARK}` (the category grid live; the page brings its session, \
             categories and texts), on loopback, release build, {loads} loads each."
        ),
        table,
    })
}
