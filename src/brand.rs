//! Branding: the Bharat BillPay mark (top-right on search and payment screens) and the "B assured" mark (success
//! and receipt screens), as NPCI's front-end guidelines ask.
//!
//! THE SLOT FOR THE OFFICIAL ASSETS. These two functions are the only place the marks are drawn. What ships here
//! are neutral marks of our own (a rounded square with a "B", a shield with a tick): no third-party logo is
//! copied or bundled. A participant licensed to use the official Bharat BillPay / Bharat Connect logo and the
//! "B assured" mark replaces the body of each function with the official artwork (an inline SVG, or an `<img>`
//! of a file added under `styles/` and copied by trunk), keeping the `data-testid` and the accessible name.

use yew::Html;

use crate::i18n::{Msg, Strings};
use crate::views::el::el;

/// The network's mark: top-right of the bar.
pub fn bharat_billpay_mark(s: &Strings) -> Html {
    let svg = el("svg")
        .attr("viewBox", "0 0 32 32")
        .attr("aria-hidden", "true")
        .attr("focusable", "false")
        .child(
            el("rect")
                .attr("x", "1")
                .attr("y", "1")
                .attr("width", "30")
                .attr("height", "30")
                .attr("rx", "8")
                .attr("fill", "currentColor")
                .done(),
        )
        .child(el("path").class("bbps-brand-b").attr("d", "M11 8h6a4 4 0 010 8h-6zm0 8h7a4 4 0 010 8h-7z").done());
    el("span")
        .class("bbps-brand")
        .attr("role", "img")
        .attr("aria-label", s.get(Msg::BrandName).to_owned())
        .testid("brand-mark")
        .child(svg.done())
        .child(el("span").attr("aria-hidden", "true").text("Bharat Connect").done())
        .done()
}

/// The assurance mark shown with a successful payment and on its receipt.
pub fn b_assured_mark(s: &Strings) -> Html {
    let svg = el("svg")
        .attr("viewBox", "0 0 24 24")
        .attr("aria-hidden", "true")
        .attr("focusable", "false")
        .child(el("path").attr("d", "M12 2l8 3v6c0 5-3.5 9-8 11-4.5-2-8-6-8-11V5z").attr("fill", "currentColor").done())
        .child(
            el("path")
                .attr("d", "M8 12l3 3 5-6")
                .attr("fill", "none")
                .attr("stroke", "#fff")
                .attr("stroke-width", "2")
                .done(),
        );
    el("span")
        .class("bbps-assured")
        .attr("role", "img")
        .attr("aria-label", s.get(Msg::BAssuredLabel).to_owned())
        .testid("b-assured")
        .child(svg.done())
        .child(el("span").attr("aria-hidden", "true").text("B assured").done())
        .done()
}
