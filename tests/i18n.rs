//! Languages: every key in every one of the nine languages (there, non-empty, in the language's script, with
//! English's placeholders, in the words Indian banks use), the wire form a browser fetches, every code and status
//! with words, Indian amounts and IST dates, choosing a language, configuration.

mod common;

use std::collections::{BTreeSet, HashSet};

use bbps_core::api::{FailureCode, ReceiptStatus, RefundReason};
use bbps_core::{ErrorCode, PaymentStatus};
use bbps_widget::config::{Config, LocalePref, SANDBOX_DEMO_KEY, Theme};
use bbps_widget::i18n::{
    CATEGORIES, COUNT, Locale, MONTHS, Msg, STATES, Strings, catalog, category_name, date, date_time, error_msg,
    failure_msg, fill, payment_status, receipt_status, refund_reason, state_name,
};
use common::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The Unicode block each language is written in; `None` for English.
fn script(locale: Locale) -> Option<std::ops::RangeInclusive<char>> {
    match locale {
        Locale::En => None,
        Locale::Hi | Locale::Mr => Some('\u{0900}'..='\u{097F}'),
        Locale::Bn => Some('\u{0980}'..='\u{09FF}'),
        Locale::Gu => Some('\u{0A80}'..='\u{0AFF}'),
        Locale::Ta => Some('\u{0B80}'..='\u{0BFF}'),
        Locale::Te => Some('\u{0C00}'..='\u{0C7F}'),
        Locale::Kn => Some('\u{0C80}'..='\u{0CFF}'),
        Locale::Ml => Some('\u{0D00}'..='\u{0D7F}'),
    }
}

fn in_script(locale: Locale, text: &str) -> bool {
    match script(locale) {
        Some(block) => text.chars().any(|c| block.contains(&c)),
        None => text.is_ascii() || text.chars().all(|c| c.is_ascii() || "…·₹".contains(c)),
    }
}

/// `{name}` placeholders of a text.
fn placeholders(text: &str) -> BTreeSet<&str> {
    text.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect()
}

fn name(key: Msg) -> &'static str {
    Msg::NAMES[key.index()]
}

#[wasm_bindgen_test(unsupported = test)]
fn every_key_has_a_text_in_every_language() {
    let mut problems = Vec::new();
    for locale in Locale::ALL {
        for &key in Msg::ALL {
            let (text, en) = (catalog::text(locale, key), catalog::text(Locale::En, key));
            let at = format!("{}.{}", locale.tag(), name(key));
            if text.trim().is_empty() {
                problems.push(format!("{at}: missing"));
            } else if text.contains(['\n', '<']) {
                problems.push(format!("{at}: a newline or '<' (the wire and the page cannot carry them)"));
            } else if !in_script(locale, text) {
                problems.push(format!("{at}: not written in the language's script: {text:?}"));
            }
            if placeholders(text) != placeholders(en) {
                problems.push(format!(
                    "{at}: placeholders {:?}, English has {:?}",
                    placeholders(text),
                    placeholders(en)
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

#[wasm_bindgen_test(unsupported = test)]
fn each_language_uses_the_words_banks_and_bharat_connect_use() {
    // (language, bill, payment, receipt, complaint, refund): the word each key text must contain.
    let words: [(Locale, [&str; 5]); 8] = [
        (Locale::Hi, ["बिल", "भुगतान", "रसीद", "शिकायत", "रिफ़ंड"]),
        (Locale::Bn, ["বিল", "পেমেন্ট", "রসিদ", "অভিযোগ", "রিফান্ড"]),
        (Locale::Mr, ["बिल", "पेमेंट", "पावती", "तक्रार", "परतावा"]),
        (Locale::Te, ["బిల్లు", "చెల్లింపు", "రసీదు", "ఫిర్యాదు", "రీఫండ్"]),
        (Locale::Ta, ["பில்", "பணம் செலுத்த", "ரசீது", "புகார்", "பணத்திருப்ப"]),
        (Locale::Gu, ["બિલ", "ચુકવણી", "રસીદ", "ફરિયાદ", "રિફંડ"]),
        (Locale::Kn, ["ಬಿಲ್", "ಪಾವತಿ", "ರಸೀದಿ", "ದೂರು", "ಮರುಪಾವತಿ"]),
        (Locale::Ml, ["ബിൽ", "പേയ്മെന്റ്", "രസീത്", "പരാതി", "റീഫണ്ട്"]),
    ];
    let keys = [Msg::BillTitle, Msg::FailedTitle, Msg::ReceiptTitle, Msg::RaiseComplaint, Msg::RefundPendingTitle];
    for (locale, expected) in words {
        for (key, word) in keys.iter().zip(expected) {
            let text = catalog::text(locale, *key);
            assert!(text.contains(word), "{}.{}: {text:?} does not say {word:?}", locale.tag(), name(*key));
        }
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn a_language_travels_as_its_wire_form_and_nothing_else_reads() {
    for locale in Locale::ALL {
        let s = Strings::builtin(locale);
        assert_eq!(s.get(Msg::PayWithUpi), catalog::text(locale, Msg::PayWithUpi));
        let wire = s.to_wire();
        assert_eq!(Strings::parse(locale, &wire).as_ref(), Some(&s), "{}", locale.tag());
        let other = if locale == Locale::En { Locale::Ta } else { Locale::En };
        assert_eq!(Strings::parse(other, &wire), None, "another language's table");
        let (head, body) = wire.split_once('\n').unwrap();
        let short = format!("{head}\n{}", body.rsplit_once('\n').unwrap().0);
        assert_eq!(Strings::parse(locale, &short), None, "cut short");
        let shifted = format!("{}\n{body}", head.replace(&format!(" {COUNT}"), &format!(" {}", COUNT + 1)));
        assert_eq!(Strings::parse(locale, &shifted), None, "written for another list of keys");
    }
    // Every language's table is a few KB: fetching one on a phone is one small request.
    let largest = Locale::ALL.iter().map(|&l| Strings::builtin(l).to_wire().len()).max().unwrap();
    assert!(largest < 64 * 1024, "{largest} B");
}

#[wasm_bindgen_test(unsupported = test)]
fn every_error_code_status_and_outcome_has_words() {
    let mut seen = HashSet::new();
    for &code in ErrorCode::ALL {
        seen.insert(error_msg(code));
    }
    // Codes share words only when the customer can do nothing different about them.
    assert!(seen.len() > ErrorCode::ALL.len() - 17, "{} messages for {} codes", seen.len(), ErrorCode::ALL.len());
    let keys = PaymentStatus::ALL
        .iter()
        .map(|&s| payment_status(s))
        .chain(FailureCode::ALL.iter().map(|&c| failure_msg(c)))
        .chain(RefundReason::ALL.iter().map(|&r| refund_reason(r)))
        .chain(ReceiptStatus::ALL.iter().map(|&s| receipt_status(s)));
    for key in keys.chain(seen) {
        for locale in Locale::ALL {
            assert!(in_script(locale, catalog::text(locale, key)), "{}.{}", locale.tag(), name(key));
        }
    }
    // A refund's reason starts the sentence that says where the money is.
    let en = Strings::builtin(Locale::En);
    let body = fill(
        en.get(Msg::RefundPendingBody),
        &[("reason", en.get(refund_reason(RefundReason::AmountMismatch))), ("amount", "₹10.00")],
    );
    assert_eq!(body, "The amount paid did not match the bill, so ₹10.00 is on its way back to your account.");
}

#[wasm_bindgen_test(unsupported = test)]
fn categories_and_states_are_named_in_every_language() {
    let ta = Strings::builtin(Locale::Ta);
    for (code, key) in CATEGORIES {
        let english = catalog::text(Locale::En, key);
        assert_eq!(bbps_core::biller::category_code(english), code, "the code is the provider name's slug");
        assert_eq!(category_name(&ta, code, "x"), catalog::text(Locale::Ta, key));
    }
    assert_eq!(category_name(&ta, "space-travel", "Space Travel"), "Space Travel", "unknown: the provider's name");
    assert!(STATES.iter().all(|(c, _)| c.len() == 2));
    assert_eq!(state_name(&ta, "TN"), "தமிழ்நாடு");
    assert_eq!(state_name(&ta, "XX"), "XX");
}

#[wasm_bindgen_test(unsupported = test)]
fn amounts_group_the_indian_way_and_times_are_ist_in_every_language() {
    assert_eq!(p(1_234_567_890).to_inr_string(), "₹1,23,45,678.90");
    let d = time::macros::date!(2026 - 11 - 20);
    let t = ts("2026-11-25T20:00:00Z");
    let en = Strings::builtin(Locale::En);
    assert_eq!(date(&en, d), "20 Nov 2026");
    assert_eq!(date_time(&en, t), "26 Nov 2026, 01:30 IST");
    assert_eq!(date(&Strings::builtin(Locale::Hi), d), "20 नवंबर 2026");
    assert_eq!(date_time(&Strings::builtin(Locale::Bn), t), "26 নভেম্বর 2026, 01:30 IST");
    for locale in Locale::ALL {
        let months: HashSet<&str> = MONTHS.iter().map(|&m| catalog::text(locale, m)).collect();
        assert_eq!(months.len(), 12, "{}: twelve different month names", locale.tag());
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn a_language_is_chosen_from_what_the_browser_or_the_merchant_says() {
    for locale in Locale::ALL {
        assert_eq!(Locale::from_tag(locale.tag()), Some(locale));
        assert_eq!(Locale::from_tag(&format!("{}-IN", locale.tag().to_uppercase())), Some(locale));
        assert_eq!(LocalePref::parse(locale.tag()), Some(LocalePref::Fixed(locale)));
    }
    assert_eq!(Locale::from_tag("EN_gb"), Some(Locale::En));
    assert_eq!(Locale::from_tag("pa"), None, "Punjabi is not (yet) one of ours");
    // `auto`: the first of the browser's languages the widget speaks.
    assert_eq!(LocalePref::Auto.resolve(&["pa-IN", "ta-IN", "en-US"]), Locale::Ta);
    assert_eq!(LocalePref::Auto.resolve(&["fr-FR"]), Locale::En);
    assert_eq!(LocalePref::Auto.resolve::<&str>(&[]), Locale::En);
    assert_eq!(LocalePref::Fixed(Locale::Ml).resolve(&["hi"]), Locale::Ml);
    // The server reads the same preference from Accept-Language.
    assert_eq!(Locale::from_accept_language("kn-IN,kn;q=0.9,en-US;q=0.8"), Some(Locale::Kn));
    assert_eq!(Locale::from_accept_language("en;q=0.5, gu;q=0.9, fr"), Some(Locale::Gu));
    assert_eq!(Locale::from_accept_language("te;q=0, mr;q=0.3"), Some(Locale::Mr));
    assert_eq!(Locale::from_accept_language("fr, de;q=0.8"), None);
    assert_eq!(Locale::from_accept_language("ml;q=2"), None, "an invalid weight counts as none");
    // Every language is named in its own script.
    for locale in Locale::ALL {
        assert!(in_script(locale, locale.endonym()), "{}", locale.endonym());
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn configuration_comes_from_the_query_and_drops_what_does_not_fit() {
    let c = Config::from_pairs([
        ("key", "pk_test_abc123"),
        ("locale", "te"),
        ("category", "electricity"),
        ("biller", "MSEDCL000MAH01"),
        ("theme", "dark"),
        ("parent", "https://shop.example.in"),
        ("unknown", "x"),
    ]);
    assert_eq!(c.key.as_deref(), Some("pk_test_abc123"));
    assert_eq!(c.locale, LocalePref::Fixed(Locale::Te));
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
