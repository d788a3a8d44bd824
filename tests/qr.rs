//! The QR code is drawn as an SVG path; these tests read the module grid back from the path and decode it with
//! an independent decoder (rqrr), which must yield the exact UPI link.

mod common;

use bbps_widget::qr::{QUIET_ZONE, qr_path};
use common::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The dark modules a path draws (`M{x} {y}h{n}v1h-{n}z` per run).
fn grid(path: &str, size: usize) -> Vec<Vec<bool>> {
    let mut g = vec![vec![false; size]; size];
    for run in path.split('M').skip(1) {
        let (x, rest) = run.split_once(' ').expect("x");
        let (y, rest) = rest.split_once('h').expect("y");
        let (n, rest) = rest.split_once('v').expect("n");
        assert_eq!(rest, format!("1h-{n}z"), "each run is one module high and closed");
        let (x, y, n): (usize, usize, usize) = (x.parse().unwrap(), y.parse().unwrap(), n.parse().unwrap());
        for cell in &mut g[y][x..x + n] {
            assert!(!*cell, "runs do not overlap");
            *cell = true;
        }
    }
    g
}

/// Decodes a module grid as a camera would see it: 4 pixels a module, dark on white.
fn decode(g: &[Vec<bool>]) -> String {
    const PX: usize = 4;
    let side = g.len() * PX;
    let mut img =
        rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| if g[y / PX][x / PX] { 0 } else { 255 });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code found");
    grids[0].decode().expect("decodes").1
}

fn assert_quiet_zone(g: &[Vec<bool>]) {
    let n = g.len();
    let q = QUIET_ZONE as usize;
    for (y, row) in g.iter().enumerate() {
        for (x, &dark) in row.iter().enumerate() {
            if x < q || y < q || x >= n - q || y >= n - q {
                assert!(!dark, "module ({x},{y}) is in the quiet zone");
            }
        }
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn the_path_decodes_to_the_exact_link() {
    let link = upi_link();
    let qr = qr_path(&link).unwrap();
    let g = grid(&qr.path, qr.size as usize);
    assert_quiet_zone(&g);
    assert_eq!(decode(&g), link);
    // A longer link with characters that need percent-encoding still reads back exactly.
    let long = format!("{link}&url=https%3A%2F%2Fbills.example.com%2Fr%3Fid%3D{}", "x".repeat(120));
    let qr = qr_path(&long).unwrap();
    assert_eq!(decode(&grid(&qr.path, qr.size as usize)), long);
}

#[wasm_bindgen_test(unsupported = test)]
fn an_oversized_payload_is_refused() {
    assert!(qr_path(&"9".repeat(8_000)).is_none());
}

#[cfg(target_arch = "wasm32")]
mod dom {
    use super::*;
    use bbps_core::PaymentStatus;
    use bbps_widget::flow::{Action, Flow, reduce};
    use bbps_widget::i18n::Locale;
    use common::dom::*;

    /// The payment screen of a desktop, its QR drawn from the server's payload.
    fn desktop_payment() -> Flow {
        let mut f = on_form(biller(bbps_core::FetchRequirement::Mandatory, false));
        reduce(&mut f, Action::PaymentCreated(payment(PaymentStatus::AwaitingPayment)));
        f
    }

    #[wasm_bindgen_test]
    async fn the_rendered_svg_decodes_to_the_link() {
        let (root, _) = mount_flow(desktop_payment()).await;
        let svg = wait_testid(&root, "qr").await;
        assert_eq!(svg.tag_name().to_lowercase(), "svg");
        assert_eq!(svg.get_attribute("role").as_deref(), Some("img"));
        let label = svg.get_attribute("aria-label").unwrap();
        assert!(label.contains("₹1,240.40") && label.contains("BBPS Sandbox Collections"), "{label}");
        let view_box = svg.get_attribute("viewBox").unwrap();
        let size: usize = view_box.split(' ').nth(2).unwrap().parse().unwrap();
        let rect = svg.query_selector("rect").unwrap().unwrap();
        assert_eq!(rect.get_attribute("fill").as_deref(), Some("#fff"), "light background whatever the theme");
        let path = svg.query_selector("path").unwrap().unwrap();
        assert_eq!(path.get_attribute("fill").as_deref(), Some("#000"));
        let g = grid(&path.get_attribute("d").unwrap(), size);
        assert_quiet_zone(&g);
        assert_eq!(decode(&g), upi_link());
        // Around it: payee, amount, countdown, the link as a fallback, and (sandbox) the UPI app simulator.
        assert_eq!(text(&find(&root, "payee-vpa").unwrap()), "bbps.sandbox@okaxis");
        assert_eq!(text(&find(&root, "pay-amount").unwrap()), "₹1,240.40");
        assert_eq!(text(&find(&root, "countdown").unwrap()), "Expires in 15:00");
        assert_eq!(find(&root, "upi-link").unwrap().get_attribute("href"), Some(upi_link()));
        let sandbox = find(&root, "sandbox-upi-app").unwrap();
        assert_eq!(sandbox.get_attribute("target").as_deref(), Some("_blank"));
        let href = sandbox.get_attribute("href").unwrap();
        assert!(href.starts_with("/sandbox/upi?link=upi%3A%2F%2Fpay%3Fpa%3Dbbps.sandbox%40okaxis"), "{href}");
    }

    #[wasm_bindgen_test]
    async fn a_phone_gets_the_intent_link_and_a_choice_of_apps() {
        let mut f = desktop_payment();
        f.env.phone = true;
        f.env.android = true;
        set_locale(&mut f, Locale::Hi);
        let (root, _) = mount_flow(f).await;
        let open = wait_testid(&root, "open-upi-app").await;
        assert_eq!(open.get_attribute("href"), Some(upi_link()));
        assert_eq!(text(&open), "UPI ऐप खोलें");
        let gpay = find(&root, "upi-app-googlepay").unwrap().get_attribute("href").unwrap();
        assert!(gpay.starts_with("intent://pay?pa=bbps.sandbox@okaxis"), "{gpay}");
        assert!(gpay.ends_with("#Intent;scheme=upi;package=com.google.android.apps.nbu.paisa.user;end"), "{gpay}");
        assert!(find(&root, "qr").is_none(), "no QR first on a phone");
        click(&find(&root, "show-qr").unwrap());
        wait_testid(&root, "qr").await;
    }
}
