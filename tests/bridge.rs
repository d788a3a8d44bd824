//! The embedding protocol's widget side: when the widget talks to the framing page, the messages it builds, which
//! messages it reads, and what an `update` does. Pure Rust: these run in headless Chromium and natively
//! (`tests/embedding.rs` has the same in the browser, posted for real).

mod common;

use bbps_core::api::{FailureCode, Mode};
use bbps_core::appearance::Variable;
use bbps_core::{ErrorCode, PaymentStatus};
use bbps_widget::bridge::{Embedding, Envelope, Message, Peer, Update, Value, accepts, event_message, origin_of};
use bbps_widget::config::{Config, LocalePref, Theme, read_appearance};
use bbps_widget::flow::{Action, FatalReason, WidgetEvent};
use bbps_widget::i18n::Locale;
use common::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SHOP: &str = "https://shop.example.in";

fn peer() -> Peer {
    Peer { origin: SHOP.into(), widget_id: "w1-abc".into() }
}

fn s(v: &str) -> Value {
    Value::Str(v.into())
}

#[wasm_bindgen_test(unsupported = test)]
fn a_configured_parent_must_be_the_framing_page() {
    let decide = |framed, parent, wid, ancestor, referrer| Embedding::decide(framed, parent, wid, ancestor, referrer);
    let bridged = Embedding::Bridged(peer());
    // Chromium and Safari name the framing origin; others leave the referrer.
    assert_eq!(decide(true, Some(SHOP), Some("w1-abc"), Some(SHOP), None), bridged);
    assert_eq!(decide(true, Some(SHOP), Some("w1-abc"), None, Some("https://shop.example.in/cart?x=1")), bridged);
    // Framed by someone else: refused, whatever the referrer says when the browser names the ancestor.
    let evil = Some("https://evil.example");
    assert_eq!(decide(true, Some(SHOP), Some("w1-abc"), evil, Some("https://shop.example.in/")), Embedding::Refused);
    assert_eq!(decide(true, Some(SHOP), Some("w1-abc"), None, Some("https://evil.example/")), Embedding::Refused);
    assert_eq!(decide(true, Some(SHOP), Some("w1-abc"), None, None), Embedding::Refused, "nothing vouches for it");
    // Not framed: nothing to talk to, nothing to vouch for.
    assert_eq!(decide(false, Some(SHOP), Some("w1-abc"), None, None), Embedding::TopLevel);
    // Framed without the loader's options: the observed origin goes to the server, which checks it.
    let plain = decide(true, None, None, evil, None);
    assert_eq!(plain.parent_origin().as_deref(), evil);
    assert_eq!(plain.fatal(), None);
    assert_eq!(bridged.parent_origin().as_deref(), Some(SHOP));
    assert_eq!(Embedding::Refused.fatal(), Some(FatalReason::ParentMismatch));
    assert_eq!(Embedding::Refused.parent_origin(), None);
}

#[wasm_bindgen_test(unsupported = test)]
fn origins_of_referrers() {
    assert_eq!(origin_of("https://shop.example.in/a/b?c#d").as_deref(), Some(SHOP));
    assert_eq!(origin_of("http://127.0.0.1:8788/").as_deref(), Some("http://127.0.0.1:8788"));
    assert_eq!(origin_of("https://shop.example.in?q").as_deref(), Some(SHOP));
    for bad in ["", "about:blank", "javascript:alert(1)", "https://", "https://user@evil.example/"] {
        assert_eq!(origin_of(bad), None, "{bad}");
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn every_event_has_its_protocol_message() {
    let msg = |e: WidgetEvent| event_message(&e);
    assert_eq!(
        msg(WidgetEvent::Ready { locale: Locale::Hi, mode: Mode::Test }),
        Message { kind: "ready", data: vec![("locale", s("hi")), ("mode", s("test"))] }
    );
    assert_eq!(msg(WidgetEvent::StepChanged("bill")), Message { kind: "step", data: vec![("step", s("bill"))] });
    let id = payment_id();
    assert_eq!(
        msg(WidgetEvent::PaymentPending { payment_id: id.clone(), status: PaymentStatus::BillPaymentPending }),
        Message {
            kind: "payment.pending",
            data: vec![("paymentId", s(id.as_str())), ("status", s("bill_payment_pending"))]
        }
    );
    let txn_ref = bbps_core::TxnRef::parse("CC01BBPS0000000012AB").unwrap();
    assert_eq!(
        msg(WidgetEvent::PaymentSucceeded { payment_id: id.clone(), txn_ref }),
        Message {
            kind: "payment.success",
            data: vec![("paymentId", s(id.as_str())), ("txnRef", s("CC01BBPS0000000012AB"))]
        }
    );
    assert_eq!(
        msg(WidgetEvent::PaymentFailed {
            payment_id: id.clone(),
            status: PaymentStatus::PaymentFailed,
            code: Some(FailureCode::UpiDeclined)
        }),
        Message {
            kind: "payment.failed",
            data: vec![("paymentId", s(id.as_str())), ("status", s("payment_failed")), ("code", s("upi_declined"))]
        }
    );
    let expired = msg(WidgetEvent::PaymentFailed { payment_id: id, status: PaymentStatus::Expired, code: None });
    assert_eq!(expired.data[2], ("code", Value::Null));
    let complaint = bbps_core::ComplaintId::parse("CMP000000000001").unwrap();
    assert_eq!(
        msg(WidgetEvent::ComplaintRaised { complaint_id: complaint }),
        Message { kind: "complaint.raised", data: vec![("complaintId", s("CMP000000000001"))] }
    );
    assert_eq!(msg(WidgetEvent::Close), Message { kind: "close", data: vec![] });
    assert_eq!(
        msg(WidgetEvent::Error { code: Some(ErrorCode::OriginNotAllowed) }),
        Message { kind: "error", data: vec![("code", s("origin_not_allowed"))] }
    );
    assert_eq!(msg(WidgetEvent::Error { code: None }).data, vec![("code", Value::Null)]);
    assert_eq!(
        bbps_widget::bridge::resize_message(612),
        Message { kind: "resize", data: vec![("height", Value::Num(612))] }
    );
}

#[wasm_bindgen_test(unsupported = test)]
fn only_the_host_may_speak() {
    let good = Envelope {
        source: Some("bbps-host".into()),
        version: Some(1.0),
        widget_id: Some("w1-abc".into()),
        kind: Some("update".into()),
    };
    assert!(accepts(&peer(), SHOP, true, &good));
    assert!(!accepts(&peer(), "https://evil.example", true, &good), "another origin");
    assert!(!accepts(&peer(), SHOP, false, &good), "another window of the right origin");
    assert!(!accepts(&peer(), SHOP, true, &Envelope { source: Some("bbps-widget".into()), ..good.clone() }));
    assert!(!accepts(&peer(), SHOP, true, &Envelope { version: Some(2.0), ..good.clone() }));
    assert!(!accepts(&peer(), SHOP, true, &Envelope { widget_id: Some("w2-xyz".into()), ..good.clone() }));
    assert!(!accepts(&peer(), SHOP, true, &Envelope::default()));
}

#[wasm_bindgen_test(unsupported = test)]
fn an_update_applies_locale_theme_and_appearance() {
    let u = Update::read(
        Some("hi"),
        None,
        Some(r##"{"theme":"dark","variables":{"primaryColor":"#aa0000","borderRadius":"4px"}}"##),
    );
    let (actions, problem) = u.into_actions(&["en-IN"]);
    assert_eq!(problem, None);
    assert!(matches!(actions[0], Action::SetLocale(Locale::Hi)));
    assert!(matches!(actions[1], Action::SetTheme(Theme::Dark)));
    let Action::SetAppearance(a) = &actions[2] else { panic!("{actions:?}") };
    assert_eq!(a.variables, vec![(Variable::PrimaryColor, "#aa0000".into()), (Variable::BorderRadius, "4px".into())]);
    // `auto` follows the browser; the update's own theme wins over its appearance's.
    let (actions, _) = Update::read(Some("auto"), Some("light"), Some(r#"{"theme":"dark"}"#)).into_actions(&["hi"]);
    assert!(matches!(actions[0], Action::SetLocale(Locale::Hi)));
    assert!(matches!(actions[1], Action::SetTheme(Theme::Light)));
    // Values outside their shape change nothing.
    let (actions, problem) = Update::read(Some("fr"), Some("neon"), None).into_actions::<&str>(&[]);
    assert!(actions.is_empty() && problem.is_none());
}

#[wasm_bindgen_test(unsupported = test)]
fn a_bad_appearance_is_refused_whole_and_named() {
    // One bad variable among good ones: nothing of it applies, the problem names it.
    let json = r##"{"theme":"dark","variables":{"primaryColor":"#0b5cad","textColor":"red; background: url(x)"}}"##;
    let (actions, problem) = Update::read(Some("hi"), None, Some(json)).into_actions::<&str>(&[]);
    assert_eq!(actions.len(), 1, "the locale still applies: {actions:?}");
    assert!(problem.as_deref().is_some_and(|p| p.contains("red; background: url(x)")), "{problem:?}");
    assert!(read_appearance(r#"{"variables":{"shadow":"1px"}}"#).unwrap_err().contains("shadow"));
    assert!(read_appearance("not json").unwrap_err().contains("JSON"));
    assert!(read_appearance(r#"{"theme":"neon"}"#).is_err());
    assert!(read_appearance(r#"{"variables":{"spacing":12}}"#).is_err(), "values are strings");
    // On the URL: refused whole, the theme option untouched, the problem kept for the console.
    let c = Config::from_pairs([("theme", "light"), ("appearance", json)]);
    assert_eq!((c.theme, c.appearance.is_none()), (Theme::Light, true));
    assert!(c.appearance_problem.is_some());
}

#[wasm_bindgen_test(unsupported = test)]
fn the_loader_options_come_from_the_query() {
    let c = Config::from_pairs([
        ("parent", SHOP),
        ("wid", "w1-abc"),
        ("theme", "light"),
        ("appearance", r##"{"theme":"dark","variables":{"spacing":"12px"}}"##),
    ]);
    assert_eq!((c.parent.as_deref(), c.wid.as_deref()), (Some(SHOP), Some("w1-abc")));
    assert_eq!(c.theme, Theme::Dark, "the appearance's theme wins over the theme option");
    assert_eq!(c.appearance.map(|a| a.to_style()).as_deref(), Some("--bbps-space: 12px"));
    assert_eq!(c.appearance_problem, None);
    let bad = Config::from_pairs([("wid", "w1\"><script>"), ("locale", "auto")]);
    assert_eq!(bad, Config { locale: LocalePref::Auto, ..Config::default() });
}
