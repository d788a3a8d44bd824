//! Start-up on a slow phone, measured from outside as a customer meets it: the demo merchant's script-tag page
//! (`/script-tag`) in headless Chromium emulating a phone on "Fast 3G" (562.5 ms round trip, 1.44 Mbit/s down,
//! 675 kbit/s up, Chrome DevTools' preset) with the CPU slowed four times, a fresh browser profile per load.
//!
//! From the navigation of the merchant's page, two moments in the widget's iframe:
//! - visible: the category grid painted, every tile's label on screen (Element Timing, `elementtiming` on the
//!   labels; the first complete set, before the wasm takes the grid over);
//! - usable: the grid live, its buttons answering (`performance.mark("bbps:categories-interactive")`).
//!
//! Beside it, in the same run, the floor: the same chain (merchant page, loader, iframe page) to a page with one
//! paragraph and no script, served by the same server binary: its first contentful paint. Nothing a widget does
//! can come before that.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::json;

use super::{Section, Stats, Table, ms};
use crate::{Browser, Device, Result};

/// Fast 3G as Chrome DevTools defines it.
const LATENCY_MS: f64 = 562.5;
const DOWN_BYTES_PER_S: f64 = 1_440_000.0 / 8.0;
const UP_BYTES_PER_S: f64 = 675_000.0 / 8.0;
const CPU_SLOWDOWN: f64 = 4.0;

/// The goals of issue 14, for the report.
const VISIBLE_GOAL_MS: f64 = 2500.0;
const USABLE_GOAL_MS: f64 = 3500.0;

/// The floor's page: the least a widget page can be.
pub const FLOOR_PAGE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
    <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Floor</title></head>\
    <body><p>Pay a bill</p></body></html>";

/// Writes the floor's "build" into `dir`.
pub fn write_floor(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("index.html"), FLOOR_PAGE)?;
    Ok(())
}

/// A browser that is a phone on Fast 3G with a slow CPU.
async fn slow_phone(name: &str) -> Result<Browser> {
    let b = Browser::start(name, Device::Phone { width: 360 }).await?;
    b.cdp("Network.enable", json!({})).await?;
    b.cdp(
        "Network.emulateNetworkConditions",
        json!({ "offline": false, "latency": LATENCY_MS, "downloadThroughput": DOWN_BYTES_PER_S,
                "uploadThroughput": UP_BYTES_PER_S }),
    )
    .await?;
    b.cdp("Emulation.setCPUThrottlingRate", json!({ "rate": CPU_SLOWDOWN })).await?;
    Ok(b)
}

/// Milliseconds since epoch of the current document's time origin.
async fn time_origin(b: &Browser) -> Result<f64> {
    let v = b.client.execute("return performance.timeOrigin;", vec![]).await?;
    v.as_f64().ok_or_else(|| "no performance.timeOrigin".into())
}

/// Polls `script` (which returns a number or null) in the current frame until it yields a number.
async fn wait_number(b: &Browser, script: &str, what: &str) -> Result<f64> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(v) = b.client.execute(script, vec![]).await?.as_f64() {
            return Ok(v);
        }
        if Instant::now() > deadline {
            return Err(format!("{what} never came").into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// When every tile label of the grid was first on screen, in the frame's time.
const GRID_VISIBLE: &str = "const done = arguments[arguments.length - 1]; const seen = [];\
    const tiles = document.querySelectorAll('[data-testid^=\"category-\"]').length;\
    const po = new PerformanceObserver(list => seen.push(...list.getEntries()));\
    po.observe({ type: 'element', buffered: true });\
    setTimeout(() => { po.disconnect(); const t = seen.filter(e => e.identifier === 'bbps-grid')\
      .map(e => e.renderTime || e.loadTime).sort((a, b) => a - b);\
      done(tiles > 0 && t.length >= tiles ? t[tiles - 1] : null); }, 100);";

const MARK: &str = "const m = performance.getEntriesByName('bbps:categories-interactive');\
    return m.length ? m[0].startTime : null;";

const FIRST_PAINT: &str = "const p = performance.getEntriesByName('first-contentful-paint');\
    return p.length ? p[0].startTime : null;";

/// One cold load of `page`: (visible, usable) in ms from the merchant page's navigation; for the floor both are
/// its first contentful paint.
async fn load(page: &str, floor: bool) -> Result<(f64, f64)> {
    let mut b = slow_phone(if floor { "bench-3g-floor" } else { "bench-3g-widget" }).await?;
    b.goto(page).await?;
    let top = time_origin(&b).await?;
    let frame = b.find("iframe").await?;
    frame.enter_frame().await?;
    let inner = time_origin(&b).await?;
    let (visible, usable) = if floor {
        let paint = wait_number(&b, FIRST_PAINT, "the floor's first paint").await?;
        (paint, paint)
    } else {
        let usable = wait_number(&b, MARK, "the interactive mark").await?;
        let visible = b.client.execute_async(GRID_VISIBLE, vec![]).await?.as_f64().ok_or("the grid's paint")?;
        (visible, usable)
    };
    b.client.enter_parent_frame().await?;
    b.screenshot(if floor { "floor" } else { "widget" }).await?;
    b.close().await?;
    let since_navigation = |t: f64| inner + t - top;
    Ok((since_navigation(visible), since_navigation(usable)))
}

fn verdict(median: f64, goal: f64) -> String {
    if median <= goal {
        format!("≤ {} goal met", ms(goal))
    } else {
        format!("goal {} missed by {}", ms(goal), ms(median - goal))
    }
}

/// `loads` cold loads of the widget's and of the floor's script-tag page, alternating so that the machine's
/// load falls on both alike.
pub async fn run(widget_site: &str, floor_site: &str, loads: usize) -> Result<Section> {
    let (mut visible, mut usable, mut floor) = (Vec::new(), Vec::new(), Vec::new());
    let page = |site: &str| format!("{site}/script-tag?locale=en");
    for _ in 0..loads {
        let (v, u) = load(&page(widget_site), false).await?;
        visible.push(v);
        usable.push(u);
        floor.push(load(&page(floor_site), true).await?.0);
    }
    let mut table = Table::new(&["moment", "loads", "median", "min", "max", "spread (max − min)", "against the goal"]);
    let mut row = |name: &str, samples: &[f64], goal: Option<f64>| {
        let s = Stats::of(samples);
        let against = goal.map_or_else(|| "—".to_owned(), |g| verdict(s.median, g));
        table.row(vec![name.into(), s.n.to_string(), ms(s.median), ms(s.min), ms(s.max), ms(s.max - s.min), against]);
    };
    row("floor: an empty page in the merchant's iframe, painted", &floor, None);
    row("category grid visible", &visible, Some(VISIBLE_GOAL_MS));
    row("category grid usable", &usable, Some(USABLE_GOAL_MS));
    let (v, u, f) = (Stats::of(&visible).median, Stats::of(&usable).median, Stats::of(&floor).median);
    table.row(vec![
        "**above the floor (medians)**".into(),
        String::new(),
        format!("visible +{}, usable +{}", ms(v - f), ms(u - f)),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    ]);
    Ok(Section {
        title: "Start-up on a 3G phone (the demo merchant's script-tag page)".into(),
        method: format!(
            "Headless Chromium as a 360 px Android phone with Chrome DevTools' Fast 3G ({LATENCY_MS} ms round trip, \
             1.44 Mbit/s down, 675 kbit/s up) and the CPU slowed {CPU_SLOWDOWN}×, a fresh profile per load (cold \
             caches), {loads} loads each, widget and floor alternating. From the navigation of the merchant's page to: \
             the grid visible (every tile label painted, Element Timing), the grid usable (the widget's mark \
             `bbps:categories-interactive`), and the floor's first contentful paint (the same chain, merchant page → \
             loader → iframe page, to a page of one paragraph, served by the same server binary)."
        ),
        table,
    })
}
