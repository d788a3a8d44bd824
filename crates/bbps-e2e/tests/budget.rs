//! Byte budgets. Bytes do not vary from run to run, so unlike times they can be asserted: the whole widget
//! (wasm, JS glue, CSS, start-up module; each gzipped as served) within 2.5 times a bare Yew counter built with the
//! same profile in the same run, and the loader a merchant page includes within 4 KB gzipped.

use bbps_e2e::payload::{Payload, floor_dist, loader_path};
use bbps_e2e::{Result, widget_dist};

fn payload() -> Result<Payload> {
    Payload::measure(&widget_dist()?, &floor_dist(), &loader_path())
}

#[test]
fn the_widget_stays_within_two_and_a_half_yew_counters() -> Result<()> {
    let p = payload()?;
    let (widget, floor) = (p.widget_total(), p.floor_total());
    let parts: Vec<String> = p.widget.iter().map(|f| format!("{} {} B", f.name, f.gzip)).collect();
    assert!(
        widget.gzip * 2 <= floor.gzip * 5,
        "widget {} B gzip > 2.5 x floor {} B gzip ({})",
        widget.gzip,
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
