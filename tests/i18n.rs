//! Languages: both locales for every message and error code, Indian amounts, IST dates, configuration.

mod common;

use std::collections::HashSet;

use bbps_core::api::{FailureCode, ReceiptStatus, RefundReason};
use bbps_core::{ErrorCode, PaymentStatus};
use bbps_widget::config::{Config, LocalePref, SANDBOX_DEMO_KEY, Theme};
use bbps_widget::i18n::{
    CATEGORIES, Locale, Msg, STATES, category_name, date, date_time, error_msg, failure_msg, fill, payment_status,
    receipt_status, refund_reason, text,
};
use common::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn devanagari(s: &str) -> bool {
    s.chars().any(|c| ('\u{0900}'..='\u{097F}').contains(&c))
}

#[wasm_bindgen_test(unsupported = test)]
fn every_error_code_has_words_in_both_languages() {
    let mut seen = HashSet::new();
    for &code in ErrorCode::ALL {
        let m = error_msg(code);
        let (en, hi) = (text(Locale::En, m), text(Locale::Hi, m));
        assert!(!en.is_empty() && devanagari(hi) && !devanagari(en), "{code:?}");
        seen.insert(m);
    }
    // Codes share words only when the customer can do nothing different about them.
    assert!(seen.len() > ErrorCode::ALL.len() - 14, "{} messages for {} codes", seen.len(), ErrorCode::ALL.len());
    for &s in PaymentStatus::ALL {
        assert!(devanagari(text(Locale::Hi, payment_status(s))));
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn payment_outcomes_have_words_in_both_languages() {
    let words = FailureCode::ALL
        .iter()
        .map(|&c| failure_msg(c))
        .chain(RefundReason::ALL.iter().map(|&r| refund_reason(r)))
        .chain(ReceiptStatus::ALL.iter().map(|&s| receipt_status(s)));
    for m in words {
        let (en, hi) = (text(Locale::En, m), text(Locale::Hi, m));
        assert!(!en.is_empty() && devanagari(hi) && !devanagari(en), "{m:?}");
    }
    // A refund's reason starts the sentence that says where the money is.
    let body = fill(
        text(Locale::En, Msg::RefundPendingBody),
        &[("reason", text(Locale::En, refund_reason(RefundReason::AmountMismatch))), ("amount", "₹10.00")],
    );
    assert_eq!(body, "The amount paid did not match the bill, so ₹10.00 is on its way back to your account.");
}

#[wasm_bindgen_test(unsupported = test)]
fn categories_and_states_are_named_in_both_languages() {
    for (code, en, hi) in CATEGORIES {
        assert_eq!(bbps_core::biller::category_code(en), code, "the code is the provider name's slug");
        assert_eq!(category_name(Locale::Hi, code, "x"), hi);
    }
    assert_eq!(category_name(Locale::Hi, "space-travel", "Space Travel"), "Space Travel", "unknown: provider's name");
    assert!(STATES.iter().all(|(c, _, hi)| c.len() == 2 && devanagari(hi)));
}

#[wasm_bindgen_test(unsupported = test)]
fn amounts_group_the_indian_way_and_times_are_ist() {
    assert_eq!(p(1_234_567_890).to_inr_string(), "₹1,23,45,678.90");
    let d = time::macros::date!(2026 - 11 - 20);
    assert_eq!(date(Locale::En, d), "20 Nov 2026");
    assert_eq!(date(Locale::Hi, d), "20 नवंबर 2026");
    let t = ts("2026-11-25T20:00:00Z");
    assert_eq!(date_time(Locale::En, t), "26 Nov 2026, 01:30 IST");
    assert_eq!(date_time(Locale::Hi, t), "26 नवंबर 2026, 01:30 IST");
}

#[wasm_bindgen_test(unsupported = test)]
fn locale_tags() {
    assert_eq!(Locale::from_tag("hi-IN"), Some(Locale::Hi));
    assert_eq!(Locale::from_tag("EN_gb"), Some(Locale::En));
    assert_eq!(Locale::from_tag("ta"), None);
    assert_eq!(LocalePref::Auto.resolve(Some("hi-IN")), Locale::Hi);
    assert_eq!(LocalePref::Auto.resolve(Some("ta-IN")), Locale::En);
    assert_eq!(LocalePref::Fixed(Locale::En).resolve(Some("hi")), Locale::En);
    assert_eq!(text(Locale::Hi, Msg::PayWithUpi), "UPI से भुगतान करें");
}

#[wasm_bindgen_test(unsupported = test)]
fn configuration_comes_from_the_query_and_drops_what_does_not_fit() {
    let c = Config::from_pairs([
        ("key", "pk_test_abc123"),
        ("locale", "hi"),
        ("category", "electricity"),
        ("biller", "MSEDCL000MAH01"),
        ("theme", "dark"),
        ("parent", "https://shop.example.in"),
        ("unknown", "x"),
    ]);
    assert_eq!(c.key.as_deref(), Some("pk_test_abc123"));
    assert_eq!(c.locale, LocalePref::Fixed(Locale::Hi));
    assert_eq!(c.category.as_deref(), Some("electricity"));
    assert_eq!(c.biller, Some(biller_id()));
    assert_eq!(c.theme, Theme::Dark);
    assert_eq!(c.parent.as_deref(), Some("https://shop.example.in"));
    let bad = Config::from_pairs([
        ("key", "sk_test_secret"),
        ("locale", "auto"),
        ("category", "<script>"),
        ("biller", "nope"),
        ("parent", "javascript:alert(1)"),
    ]);
    assert_eq!(bad, Config { locale: LocalePref::Auto, ..Config::default() });
    // Without a key: the sandbox demo key on this machine only.
    assert_eq!(bad.key_for("127.0.0.1").as_deref(), Some(SANDBOX_DEMO_KEY));
    assert_eq!(bad.key_for("localhost").as_deref(), Some(SANDBOX_DEMO_KEY));
    assert_eq!(bad.key_for("pay.example.com"), None);
    assert_eq!(c.key_for("localhost").as_deref(), Some("pk_test_abc123"));
}
