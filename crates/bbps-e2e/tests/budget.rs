//! Byte budgets. Bytes do not vary from run to run, so unlike times they can be asserted: the whole widget
//! (wasm, JS glue, CSS, start-up module; each gzipped as served) against a bare Yew counter built with the same
//! profile in the same run, and the loader a merchant page includes within 4 KB gzipped.
//!
//! The team's target for the widget is 2.5 times the counter. The whole journey (every screen of the issue, nine
//! languages loaded on demand, the QR encoder, the embedding bridge) measured 3.20 times after the cuts recorded
//! in docs/widget.md ("Size"); what holds it above the target is measured there too (the screens' view code,
//! about 44 KB, and the app logic beside Yew's own ~51 KB). Tracking by mobile number then gained its one-time
//! code step and the bill fetch the customer's mobile number (+3.9 KB gzip: 3.27 times), and issue 15 the
//! harmonised complaint ticket, the PIN code filter, the fee's GST, a bill's own range, step and end time, and the
//! prepaid plan picker (+11.0 KB: 3.461 times), and a fetched list of several bills to choose from (+5.4 KB with
//! its review's mends: 3.555 times). This test holds the line at 3.56 times so that nothing grows unnoticed; lower
//! `CEILING` as bytes come off.

use bbps_e2e::payload::{Payload, floor_dist, loader_path};
use bbps_e2e::{Result, widget_dist};

fn payload() -> Result<Payload> {
    Payload::measure(&widget_dist()?, &floor_dist(), &loader_path())
}

/// The widget's gzip size may be at most `CEILING.0 / CEILING.1` times the floor's (3.56).
const CEILING: (usize, usize) = (356, 100);

#[test]
fn the_widget_stays_under_its_size_ceiling() -> Result<()> {
    let p = payload()?;
    let (widget, floor) = (p.widget_total(), p.floor_total());
    let parts: Vec<String> = p.widget.iter().map(|f| format!("{} {} B", f.name, f.gzip)).collect();
    assert!(
        widget.gzip * CEILING.1 <= floor.gzip * CEILING.0,
        "widget {} B gzip > {}/{} x floor {} B gzip ({})",
        widget.gzip,
        CEILING.0,
        CEILING.1,
        floor.gzip,
        parts.join(", ")
    );
    Ok(())
}

#[test]
fn the_loader_stays_within_4_kb_gzip() -> Result<()> {
    let loader = payload()?.loader;
    assert!(loader.gzip <= 4 * 1024, "loader is {} B gzip", loader.gzip);
    Ok(())
}
