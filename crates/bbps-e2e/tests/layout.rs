//! The demo merchant's pages fit a 320 px phone: nothing wider than the screen, nothing to scroll sideways, with
//! the widget in them in its widest language.

use std::time::Duration;

use bbps_e2e::{Backend, Browser, Device, Result, eventually};
use serde_json::Value;

/// The elements that stick out past the right edge of the screen, for the failure message.
const OVERFLOWING: &str = "const w = document.documentElement.clientWidth; return [document.documentElement.scrollWidth, w,\
    [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 0.5)\
    .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))];";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_merchants_pages_fit_a_320_px_phone() -> Result<()> {
    let backend = Backend::start(|_| {}).await?;
    let config = bbps_demo_merchant::DemoConfig::sandbox("127.0.0.1:0".parse()?, &backend.base_url);
    let site = bbps_demo_merchant::start(config).await?;
    let mut b = Browser::start("demo-320", Device::Phone { width: 320 }).await?;
    for path in ["/", "/script-tag", "/script-tag?locale=ml", "/mount", "/no-such-page"] {
        b.goto(&format!("{}{path}", site.origin())).await?;
        if path.starts_with("/script-tag") || path == "/mount" {
            b.find("iframe").await?;
            // The iframe takes its content's height once the widget is up.
            eventually("the widget's first resize", Duration::from_secs(30), || async {
                let h = b.client.execute("return document.querySelector('iframe').offsetHeight;", vec![]).await.ok()?;
                (h.as_i64()? != 560).then_some(())
            })
            .await?;
        }
        let measured: Value = b.client.execute(OVERFLOWING, vec![]).await?;
        b.screenshot(&format!("page{}", path.replace(['/', '?', '='], "-"))).await?;
        let (scroll, width) = (measured[0].as_i64().unwrap_or(0), measured[1].as_i64().unwrap_or(0));
        assert!(scroll <= width, "{path} is {scroll} px wide on a {width} px screen; sticking out: {}", measured[2]);
    }
    b.close().await
}
