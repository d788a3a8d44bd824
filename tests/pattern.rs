//! Biller patterns on the browser's `RegExp` give the answers regex-lite (the server's engine) gives, on patterns
//! of real billers and values around their edges.
#![cfg(target_arch = "wasm32")]

use bbps_core::Pattern;
use bbps_widget::pattern::BrowserPattern;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Patterns of the sandbox catalogue and of live billers' published param rules.
const PATTERNS: &[&str] = &[
    "[0-9]{10,12}",
    "^[0-9]{10}$",
    "0?[1-9][0-9]{9}",
    "[6-9][0-9]{9}",
    "[A-Z0-9]{5,15}",
    "[A-Z]{2}[0-9]{12,20}",
    "[A-Z]{5}[0-9]{4}[A-Z]",
    "^[A-Z]{2}[0-9]{1,2}[A-Z]{0,3}[0-9]{4}$",
    "^[a-zA-Z0-9]{1,50}$",
    "\\d{9,12}",
    "(0|91)?[6-9]\\d{9}",
    "^[A-Za-z0-9@._-]+$",
    "MH|GJ|KA",
    "[0-9]{3}-[0-9]{7}",
    "^[0-9]+(\\.[0-9]{1,2})?$",
];

const VALUES: &[&str] = &[
    "",
    "0123456789",
    "012345678901",
    "1234567890123",
    "9876543210",
    "09876543210",
    "919876543210",
    "5876543210",
    "ABCDE1234F",
    "abcde1234f",
    "MH12AB1234",
    "MH1A1234",
    "GJ",
    "MHGJ",
    "XMH",
    "AB123456789012",
    "a@b.in",
    "a b",
    "022-1234567",
    "12.50",
    "12.505",
    "12345\n",
    "१२३४५६७८९०",
];

#[wasm_bindgen_test]
fn the_browser_agrees_with_regex_lite_on_real_biller_patterns() {
    for pattern in PATTERNS {
        let anchored = format!("^(?:{pattern})$");
        let ours = BrowserPattern::compile(&anchored).expect(pattern);
        let theirs = regex_lite::Regex::new(&anchored).unwrap();
        for value in VALUES {
            assert_eq!(ours.is_match(value), theirs.is_match(value), "{pattern} on {value:?}");
        }
    }
}

#[wasm_bindgen_test]
fn a_pattern_neither_engine_parses_is_not_compiled() {
    for broken in ["[0-9", "(ab", "a{2,1}", "*a"] {
        let anchored = format!("^(?:{broken})$");
        assert!(BrowserPattern::compile(&anchored).is_none(), "{broken}");
        assert!(regex_lite::Regex::new(&anchored).is_err(), "{broken}");
    }
}
