//! Category icons: one small stroked path each (24 × 24, `currentColor`), so an icon costs a few dozen bytes and
//! follows the theme. A category without an icon of its own gets the generic bill.

use yew::Html;

use crate::views::el::el;

const BOLT: &str = "M13 2L4 14h7l-1 8 9-12h-7z";
const DROP: &str = "M12 3s-6 7-6 11a6 6 0 0012 0c0-4-6-11-6-11z";
const FLAME: &str = "M12 3c1 4 5 5 5 10a5 5 0 01-10 0c0-3 2-4 2-6 2 1 3 2 3 4 1-2 1-5 0-8z";
const CYLINDER: &str = "M8 6h8a2 2 0 012 2v12a2 2 0 01-2 2H8a2 2 0 01-2-2V8a2 2 0 012-2zM10 6V3h4v3";
const PHONE: &str = "M8 2h8a1 1 0 011 1v18a1 1 0 01-1 1H8a1 1 0 01-1-1V3a1 1 0 011-1zM11 18h2";
const WIFI: &str = "M2 9a15 15 0 0120 0M5 12.5a10 10 0 0114 0M8.5 16a5 5 0 017 0M12 19.5h.01";
const HANDSET: &str = "M5 4h4l2 5-3 2a11 11 0 005 5l2-3 5 2v4a2 2 0 01-2 2A17 17 0 013 6a2 2 0 012-2z";
const TV: &str = "M3 6h18v12H3zM8 21h8M9 2l3 4 3-4";
const CARD: &str = "M2 6h20v12H2zM2 10h20M6 15h4";
const SHIELD: &str = "M12 2l8 3v6c0 5-3.5 9-8 11-4.5-2-8-6-8-11V5z";
const CAP: &str = "M2 9l10-5 10 5-10 5zM6 11v5c3 2 9 2 12 0v-5";
const CROSS: &str = "M9 3h6v6h6v6h-6v6H9v-6H3V9h6z";
const HOUSE: &str = "M3 11l9-8 9 8M5 9.5V21h14V9.5M10 21v-6h4v6";
const CIVIC: &str = "M4 21V8l8-5 8 5v13M2 21h20M8 12v5M12 12v5M16 12v5";
const CAR: &str = "M3 16v-4l2-5h14l2 5v4zM3 16v3h3v-3M18 16v3h3v-3M7 13h.01M17 13h.01";
const HEART: &str = "M12 20s-8-5-8-11a4.5 4.5 0 018-2.5A4.5 4.5 0 0120 9c0 6-8 11-8 11z";
const BANK: &str = "M3 10l9-6 9 6M5 10v8M10 10v8M14 10v8M19 10v8M3 21h18";
const METER: &str = "M4 4h16v16H4zM8 9h8v4H8zM9 17h6";
const PLAY: &str = "M4 5h16v14H4zM10 9l5 3-5 3z";
const BILL: &str = "M6 2h12v20l-3-2-3 2-3-2-3 2zM9 7h6M9 11h6M9 15h4";

fn path(code: &str) -> &'static str {
    match code {
        "electricity" => BOLT,
        "water" => DROP,
        "gas" => FLAME,
        "lpg-gas" => CYLINDER,
        "mobile-postpaid" | "mobile-prepaid" => PHONE,
        "broadband-postpaid" => WIFI,
        "landline-postpaid" => HANDSET,
        "dth" | "cable-tv" => TV,
        "credit-card" | "ncmc-recharge" => CARD,
        "insurance" => SHIELD,
        "education-fees" => CAP,
        "hospital" | "hospital-and-pathology" => CROSS,
        "housing-society" | "rental" => HOUSE,
        "municipal-services" | "municipal-taxes" => CIVIC,
        "fastag" | "echallan" | "ev-recharge" => CAR,
        "donation" | "clubs-and-associations" => HEART,
        "loan-repayment" | "recurring-deposit" | "national-pension-system" => BANK,
        "prepaid-meter" => METER,
        "subscription" => PLAY,
        _ => BILL,
    }
}

/// A category's icon; decorative, since the category's name is always next to it.
pub fn category(code: &str) -> Html {
    el("svg")
        .class("bbps-icon")
        .attr("viewBox", "0 0 24 24")
        .attr("aria-hidden", "true")
        .attr("focusable", "false")
        .child(el("path").attr("d", path(code)).done())
        .done()
}
