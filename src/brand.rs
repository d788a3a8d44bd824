//! Branding: the Bharat BillPay mark (top-right on search and payment screens) and the "B assured" mark (success
//! and receipt screens), as NPCI's front-end guidelines ask.
//!
//! THE SLOT FOR THE OFFICIAL ASSETS. These two functions are the only place the marks are drawn. What ships here
//! are neutral marks of our own (a rounded square with a "B", a shield with a tick): no third-party logo is
//! copied or bundled. A participant licensed to use the official Bharat BillPay / Bharat Connect logo and the
//! "B assured" mark replaces the body of each function with the official artwork (an inline SVG, or an `<img>`
//! of a file added under `styles/` and copied by trunk), keeping the `data-testid` and the accessible name.

use yew::prelude::*;

use crate::i18n::{Locale, Msg, text};

/// The network's mark: top-right of the bar.
pub fn bharat_billpay_mark(locale: Locale) -> Html {
    html! {
        <span class="bbps-brand" role="img" aria-label={text(locale, Msg::BrandName)} data-testid="brand-mark">
            <svg viewBox="0 0 32 32" aria-hidden="true" focusable="false">
                <rect x="1" y="1" width="30" height="30" rx="8" fill="currentColor"/>
                <path class="bbps-brand-b" d="M11 8h6a4 4 0 010 8h-6zm0 8h7a4 4 0 010 8h-7z"/>
            </svg>
            <span aria-hidden="true">{ "Bharat Connect" }</span>
        </span>
    }
}

/// The assurance mark shown with a successful payment and on its receipt.
pub fn b_assured_mark(locale: Locale) -> Html {
    html! {
        <span class="bbps-assured" role="img" aria-label={text(locale, Msg::BAssuredLabel)} data-testid="b-assured">
            <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path d="M12 2l8 3v6c0 5-3.5 9-8 11-4.5-2-8-6-8-11V5z" fill="currentColor"/>
                <path d="M8 12l3 3 5-6" fill="none" stroke="#fff" stroke-width="2"/>
            </svg>
            <span aria-hidden="true">{ "B assured" }</span>
        </span>
    }
}
