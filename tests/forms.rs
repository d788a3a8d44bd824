//! The customer-input form generated from a biller's params: the control each param type gets, "A or B" groups,
//! and the validation message of each rule, in English and Hindi; then the same form in the DOM.

mod common;

use bbps_widget::flow::{Action, reduce};
use bbps_widget::form::{Block, Control, FieldIssue, control, layout};
use bbps_widget::i18n::{Locale, Strings, field_error};
use bbps_widget::pattern::Rules;
use common::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test(unsupported = test)]
fn each_param_type_gets_its_control() {
    let b = rich_biller();
    assert_eq!(
        layout(&b),
        vec![
            Block::Single(0),
            Block::Single(1),
            Block::Single(2),
            Block::Single(3),
            Block::Group { group: 0, members: vec![4, 5] }
        ]
    );
    assert_eq!(control(&b.params[0]), Control::Text { numeric: true });
    assert!(matches!(control(&b.params[1]), Control::Select(v) if v == ["Bhandup", "Thane"]));
    assert_eq!(control(&b.params[2]), Control::Text { numeric: false });
}

/// The message a field shows for `value` after it was left, in `locale`.
fn message(locale: Locale, name: &str, value: &str) -> Option<String> {
    let b = rich_biller();
    let rules = Rules::with_engine(&b);
    let mut f = on_form(b);
    set_locale(&mut f, locale);
    run(&mut f, [type_param(name, value)]);
    assert_eq!(f.journey.form.issue(&rules, name), None, "no message before the field is left");
    reduce(&mut f, Action::ParamBlur(name.into()));
    f.journey.form.issue(&rules, name).map(|i| match i {
        FieldIssue::Param(e) => field_error(&Strings::builtin(locale), &e),
        FieldIssue::Server(c) => format!("{c:?}"),
    })
}

#[wasm_bindgen_test(unsupported = test)]
fn validation_messages_for_every_rule_in_both_locales() {
    let cases: [(&str, &str, &str, &str); 6] = [
        ("Consumer Number", "", "Enter your Consumer Number", "अपना Consumer Number दर्ज करें"),
        ("Consumer Number", "12ab", "Consumer Number may contain digits only", "Consumer Number में केवल अंक हो सकते हैं"),
        (
            "Consumer Number",
            "123",
            "Consumer Number must be at least 10 characters",
            "Consumer Number कम से कम 10 अक्षरों का होना चाहिए",
        ),
        ("Note", "toolong", "Note must be at most 5 characters", "Note अधिकतम 5 अक्षरों का हो सकता है"),
        ("Ward Code", "mh1234", "Ward Code is not in the format this biller uses", "Ward Code इस बिलर के प्रारूप में नहीं है"),
        (
            "Billing Unit",
            "Pune",
            "Choose one of the listed values for Billing Unit",
            "Billing Unit के लिए सूची में से कोई एक मान चुनें",
        ),
    ];
    for (name, value, en, hi) in cases {
        assert_eq!(message(Locale::En, name, value).as_deref(), Some(en), "{name}={value:?}");
        assert_eq!(message(Locale::Hi, name, value).as_deref(), Some(hi), "{name}={value:?}");
    }
    // Valid values, and an empty optional field, say nothing.
    for (name, value) in
        [("Consumer Number", "01234567890"), ("Note", ""), ("Ward Code", "MH1234"), ("Billing Unit", "Thane")]
    {
        assert_eq!(message(Locale::En, name, value), None, "{name}={value:?}");
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn an_a_or_b_group_needs_one_of_its_members() {
    let mut f = on_form(rich_biller());
    let members = vec!["Mobile Number".to_owned(), "Email".to_owned()];
    assert_eq!(f.journey.form.group_issue(&members), None);
    reduce(&mut f, Action::SubmitParams);
    let Some(FieldIssue::Param(e)) = f.journey.form.group_issue(&members) else { panic!("group error expected") };
    assert_eq!(field_error(&Strings::builtin(Locale::En), &e), "Enter Mobile Number or Email");
    assert_eq!(field_error(&Strings::builtin(Locale::Hi), &e), "Mobile Number या Email दर्ज करें");
    reduce(&mut f, type_param("Email", "a@b.in"));
    assert_eq!(f.journey.form.group_issue(&members), None);
}

#[cfg(target_arch = "wasm32")]
mod dom {
    use super::*;
    use common::dom::*;

    fn attr(root: &web_sys::Element, testid: &str, name: &str) -> Option<String> {
        find(root, testid).and_then(|e| e.get_attribute(name))
    }

    #[wasm_bindgen_test]
    async fn the_form_is_generated_from_the_params() {
        let (root, _) = mount_flow(on_form(rich_biller())).await;
        let heading = wait_testid(&root, "heading").await;
        assert_eq!(text(&heading), "Enter your account details");
        assert_eq!(attr(&root, "param-consumer-number", "inputmode").as_deref(), Some("numeric"));
        assert_eq!(attr(&root, "param-consumer-number", "placeholder").as_deref(), Some("0123456789"));
        assert_eq!(attr(&root, "param-ward-code", "inputmode").as_deref(), Some("text"));
        let select = find(&root, "param-billing-unit").unwrap();
        assert_eq!(select.tag_name(), "SELECT");
        assert_eq!(select.child_element_count(), 3, "a prompt and the two values");
        // Every input has a label.
        for id in ["bbps-p-consumer-number", "bbps-p-billing-unit", "bbps-p-ward-code", "bbps-p-note"] {
            let label = root.query_selector(&format!("label[for=\"{id}\"]")).unwrap();
            assert!(label.is_some(), "label for {id}");
        }
        assert!(text(&root.query_selector("label[for=\"bbps-p-note\"]").unwrap().unwrap()).contains("optional"));
        let group = find(&root, "param-group-0").unwrap();
        assert_eq!(group.tag_name(), "FIELDSET");
        assert!(text(&group).contains("Enter any one of these"));
        assert!(text(&group).contains("Mobile Number or Email"));
    }

    #[wasm_bindgen_test]
    async fn errors_appear_beside_their_fields_after_leaving_them() {
        let (root, _) = mount_flow(on_form(rich_biller())).await;
        let input = wait_testid(&root, "param-consumer-number").await;
        type_into(&input, "12ab");
        sleep_ms(30).await;
        assert!(find(&root, "param-consumer-number-error").is_none(), "quiet while typing the first time");
        leave(&input);
        let err = wait_testid(&root, "param-consumer-number-error").await;
        assert_eq!(text(&err), "Consumer Number may contain digits only");
        assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
        let described = input.get_attribute("aria-describedby").unwrap_or_default();
        assert!(described.split(' ').any(|id| id == err.id()), "{described}");
        // As the customer types on, the message follows.
        type_into(&input, "123");
        sleep_ms(30).await;
        assert_eq!(text(&err), "Consumer Number must be at least 10 characters");
        type_into(&input, "0123456789");
        sleep_ms(30).await;
        assert!(find(&root, "param-consumer-number-error").is_none());
        assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("false"));
    }

    #[wasm_bindgen_test]
    async fn submitting_shows_every_error_and_hindi_follows_the_switcher() {
        let (root, _) = mount_flow(on_form(rich_biller())).await;
        let submit = wait_testid(&root, "submit-params").await;
        click(&submit);
        let err = wait_testid(&root, "param-group-0-error").await;
        assert_eq!(text(&err), "Enter Mobile Number or Email");
        assert_eq!(text(&find(&root, "param-billing-unit-error").unwrap()), "Enter your Billing Unit");
        type_into(&find(&root, "locale-select").unwrap(), "hi");
        sleep_ms(30).await;
        let widget = find(&root, "bbps-widget").unwrap();
        assert_eq!(widget.get_attribute("lang").as_deref(), Some("hi"));
        assert_eq!(text(&find(&root, "param-group-0-error").unwrap()), "Mobile Number या Email दर्ज करें");
        assert_eq!(text(&find(&root, "heading").unwrap()), "अपने खाते का विवरण दर्ज करें");
        let select = find(&root, "param-billing-unit").unwrap();
        type_into(&select, "Thane");
        sleep_ms(30).await;
        assert!(find(&root, "param-billing-unit-error").is_none());
    }
}
