//! The UPI QR code, drawn in wasm as SVG from the server's `qr_payload`: error correction M (raised when it
//! fits for free), a 4-module quiet zone, and always dark modules on white, whatever the theme, because
//! scanners read dark-on-light.

use qrcodegen::{QrCode, QrCodeEcc};
use yew::Html;

use crate::views::el::{el, none};

/// Width of the light margin around the code, in modules (the QR specification's minimum).
pub const QUIET_ZONE: i32 = 4;

/// A QR code as one SVG path: `size` is the side in modules including the quiet zone; `path` draws each run of
/// dark modules of a row as a rectangle (`M{x} {y}h{n}v1h-{n}z`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrPath {
    pub size: i32,
    pub path: String,
}

/// `None` when the payload cannot be a QR code (too long even at version 40).
pub fn qr_path(payload: &str) -> Option<QrPath> {
    let code = QrCode::encode_text(payload, QrCodeEcc::Medium).ok()?;
    let n = code.size();
    let mut path = String::new();
    for y in 0..n {
        let mut x = 0;
        while x < n {
            if !code.get_module(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < n && code.get_module(x, y) {
                x += 1;
            }
            let run = x - start;
            path.push_str(&format!("M{} {}h{run}v1h-{run}z", start + QUIET_ZONE, y + QUIET_ZONE));
        }
    }
    Some(QrPath { size: n + 2 * QUIET_ZONE, path })
}

/// The QR code as an accessible image; nothing when the payload cannot be encoded (the link is still shown).
pub fn view(payload: &str, label: &str) -> Html {
    let Some(qr) = qr_path(payload) else { return none() };
    el("svg")
        .class("bbps-qr")
        .attr("viewBox", format!("0 0 {0} {0}", qr.size))
        .attr("role", "img")
        .attr("aria-label", label.to_owned())
        .testid("qr")
        .attr("shape-rendering", "crispEdges")
        .attr("xmlns", "http://www.w3.org/2000/svg")
        .child(el("rect").attr("width", "100%").attr("height", "100%").attr("fill", "#fff").done())
        .child(el("path").attr("d", qr.path).attr("fill", "#000").done())
        .done()
}
