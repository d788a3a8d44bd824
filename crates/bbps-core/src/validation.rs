//! Customer-param validation: the same rules run in the widget as the customer types and on the server before
//! anything goes to the network, so both give the same answer with the same codes.
//!
//! Biller patterns run on a [`Pattern`] engine chosen by the caller. The default, behind the default-on `regex`
//! feature, is `regex-lite` (no Unicode tables; biller patterns are ASCII classes, counts and alternations): the
//! server and native tests use it. The widget turns the feature off and supplies the browser's own `RegExp`, so
//! that no regex compiler is shipped in its wasm.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::biller::{Biller, CustomerParam, DataType, ParamGroup};

/// Customer params as entered: param name -> value.
pub type ParamValues = BTreeMap<String, String>;

crate::wire_enum! {
    /// Stable codes of a field's validation failure.
    pub enum ParamErrorCode {
        /// A required param is empty.
        ParamMissing = "param_missing",
        ParamTooShort = "param_too_short",
        ParamTooLong = "param_too_long",
        /// A NUMERIC param has something other than digits.
        ParamNotNumeric = "param_not_numeric",
        /// The value does not match the biller's pattern.
        ParamPatternMismatch = "param_pattern_mismatch",
        /// The param has a fixed list of values and this is not one of them.
        ParamNotAllowed = "param_not_allowed",
        /// None of an "A or B" group was filled.
        ParamGroupUnsatisfied = "param_group_unsatisfied",
        /// The biller has no param of this name.
        ParamUnknown = "param_unknown",
    }
}

/// One field's error: which param, why, and what a message needs to say so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub code: ParamErrorCode,
    /// The length bound broken (`param_too_short`, `param_too_long`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u16>,
    /// The other params of the group (`param_group_unsatisfied`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group: Vec<String>,
}

impl FieldError {
    fn new(field: &str, code: ParamErrorCode) -> FieldError {
        FieldError { field: field.to_owned(), code, limit: None, group: Vec::new() }
    }
}

impl fmt::Display for FieldError {
    /// English message; the widget renders its own localized text from the code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = &self.field;
        match self.code {
            ParamErrorCode::ParamMissing => write!(f, "Enter your {field}"),
            ParamErrorCode::ParamTooShort => {
                write!(f, "{field} must be at least {} characters", self.limit.unwrap_or(0))
            }
            ParamErrorCode::ParamTooLong => {
                write!(f, "{field} must be at most {} characters", self.limit.unwrap_or(0))
            }
            ParamErrorCode::ParamNotNumeric => write!(f, "{field} may contain digits only"),
            ParamErrorCode::ParamPatternMismatch => {
                write!(f, "{field} is not in the format this biller uses")
            }
            ParamErrorCode::ParamNotAllowed => {
                write!(f, "Choose one of the listed values for {field}")
            }
            ParamErrorCode::ParamGroupUnsatisfied => write!(f, "Enter {}", self.group.join(" or ")),
            ParamErrorCode::ParamUnknown => write!(f, "This biller does not take {field}"),
        }
    }
}

/// A pattern engine's compiled pattern.
pub trait Pattern: Sized {
    /// Compiles `anchored`, a biller's pattern wrapped as `^(?:…)$` so that it must match the whole value;
    /// `None` when the engine cannot parse it.
    fn compile(anchored: &str) -> Option<Self>;

    fn is_match(&self, value: &str) -> bool;
}

#[cfg(feature = "regex")]
impl Pattern for regex_lite::Regex {
    fn compile(anchored: &str) -> Option<Self> {
        regex_lite::Regex::new(anchored).ok()
    }

    fn is_match(&self, value: &str) -> bool {
        regex_lite::Regex::is_match(self, value)
    }
}

/// The engine `ParamRules` uses when none is named: regex-lite with the `regex` feature. Without the feature
/// there is no default (`Infallible` is not a [`Pattern`]), so a caller must name its own engine.
#[cfg(feature = "regex")]
pub type DefaultPattern = regex_lite::Regex;
#[cfg(not(feature = "regex"))]
pub type DefaultPattern = std::convert::Infallible;

struct CompiledParam<P> {
    spec: CustomerParam,
    /// `None` when the biller has no pattern, or when its pattern is outside what the engine parses: the network
    /// checks it anyway, and refusing every customer of that biller would be worse than a late error.
    pattern: Option<P>,
}

/// A biller's param rules, with patterns compiled once (the widget validates on every keystroke).
pub struct ParamRules<P = DefaultPattern> {
    params: Vec<CompiledParam<P>>,
    groups: Vec<ParamGroup>,
}

#[cfg(feature = "regex")]
impl ParamRules {
    pub fn new(biller: &Biller) -> ParamRules {
        Self::with_engine(biller)
    }

    pub fn from_parts(params: &[CustomerParam], groups: &[ParamGroup]) -> ParamRules {
        Self::from_parts_with_engine(params, groups)
    }
}

impl<P: Pattern> ParamRules<P> {
    /// The rules with patterns compiled by `P` (`ParamRules::<MyPattern>::with_engine(&biller)`).
    pub fn with_engine(biller: &Biller) -> ParamRules<P> {
        Self::from_parts_with_engine(&biller.params, &biller.param_groups)
    }

    pub fn from_parts_with_engine(params: &[CustomerParam], groups: &[ParamGroup]) -> ParamRules<P> {
        let params = params
            .iter()
            .map(|spec| CompiledParam {
                pattern: spec.regex.as_deref().and_then(|r| P::compile(&format!("^(?:{r})$"))),
                spec: spec.clone(),
            })
            .collect();
        ParamRules { params, groups: groups.to_vec() }
    }

    fn in_group(&self, name: &str) -> bool {
        self.groups.iter().any(|g| g.params.iter().any(|p| p == name))
    }

    /// Checks one field on its own (as the customer types). Emptiness of a grouped param is judged by
    /// [`ParamRules::validate`], which sees the whole group.
    pub fn check_field(&self, name: &str, value: &str) -> Option<FieldError> {
        let Some(param) = self.params.iter().find(|p| p.spec.name == name) else {
            return Some(FieldError::new(name, ParamErrorCode::ParamUnknown));
        };
        let value = value.trim();
        let spec = &param.spec;
        if value.is_empty() {
            return (!spec.optional && !self.in_group(name))
                .then(|| FieldError::new(name, ParamErrorCode::ParamMissing));
        }
        if let Some(values) = &spec.values {
            return (!values.iter().any(|v| v == value))
                .then(|| FieldError::new(name, ParamErrorCode::ParamNotAllowed));
        }
        if spec.data_type == DataType::Numeric && !value.bytes().all(|b| b.is_ascii_digit()) {
            return Some(FieldError::new(name, ParamErrorCode::ParamNotNumeric));
        }
        let len = value.chars().count();
        if let Some(min) = spec.min_length.filter(|&m| len < usize::from(m)) {
            return Some(FieldError { limit: Some(min), ..FieldError::new(name, ParamErrorCode::ParamTooShort) });
        }
        if let Some(max) = spec.max_length.filter(|&m| len > usize::from(m)) {
            return Some(FieldError { limit: Some(max), ..FieldError::new(name, ParamErrorCode::ParamTooLong) });
        }
        if param.pattern.as_ref().is_some_and(|re| !re.is_match(value)) {
            return Some(FieldError::new(name, ParamErrorCode::ParamPatternMismatch));
        }
        None
    }

    /// Validates a whole submission. On success returns the values trimmed, with empty optional params dropped,
    /// in the biller's param order: exactly what goes to the network. On failure returns every field's error.
    pub fn validate(&self, values: &ParamValues) -> Result<Vec<(String, String)>, Vec<FieldError>> {
        let mut errors: Vec<FieldError> = values
            .keys()
            .filter(|k| !self.params.iter().any(|p| &p.spec.name == *k))
            .map(|k| FieldError::new(k, ParamErrorCode::ParamUnknown))
            .collect();
        let mut accepted = Vec::new();
        for param in &self.params {
            let name = &param.spec.name;
            let value = values.get(name).map(|v| v.trim()).unwrap_or("");
            match self.check_field(name, value) {
                Some(e) => errors.push(e),
                None if !value.is_empty() => accepted.push((name.clone(), value.to_owned())),
                None => {}
            }
        }
        for group in &self.groups {
            let filled = group.params.iter().any(|p| values.get(p).is_some_and(|v| !v.trim().is_empty()));
            if !filled && let Some(first) = group.params.first() {
                errors.push(FieldError {
                    group: group.params.clone(),
                    ..FieldError::new(first, ParamErrorCode::ParamGroupUnsatisfied)
                });
            }
        }
        if errors.is_empty() { Ok(accepted) } else { Err(errors) }
    }
}

#[cfg(all(test, feature = "regex"))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rules() -> ParamRules {
        let consumer = CustomerParam {
            min_length: Some(10),
            max_length: Some(12),
            regex: Some("[0-9]{10,12}".into()),
            ..CustomerParam::plain("Consumer Number", DataType::Numeric)
        };
        let unit = CustomerParam {
            values: Some(vec!["Bhandup".into(), "Thane".into()]),
            ..CustomerParam::plain("Billing Unit", DataType::Alphanumeric)
        };
        let code = CustomerParam {
            regex: Some("^[A-Z]{2}[0-9]{4}$".into()),
            ..CustomerParam::plain("Code", DataType::Alphanumeric)
        };
        let mobile = CustomerParam { optional: true, ..CustomerParam::plain("Mobile Number", DataType::Numeric) };
        let email = CustomerParam { optional: true, ..CustomerParam::plain("Email", DataType::Alphanumeric) };
        let note = CustomerParam {
            optional: true,
            max_length: Some(5),
            ..CustomerParam::plain("Note", DataType::Alphanumeric)
        };
        ParamRules::from_parts(
            &[consumer, unit, code, mobile, email, note],
            &[ParamGroup { params: vec!["Mobile Number".into(), "Email".into()] }],
        )
    }

    fn values(pairs: &[(&str, &str)]) -> ParamValues {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn codes(r: Result<Vec<(String, String)>, Vec<FieldError>>) -> Vec<(String, ParamErrorCode)> {
        r.unwrap_err().into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn accepts_and_normalizes() {
        let ok = rules()
            .validate(&values(&[
                ("Consumer Number", " 0123456789 "),
                ("Billing Unit", "Thane"),
                ("Code", "MH1234"),
                ("Email", "a@b.in"),
                ("Mobile Number", ""),
            ]))
            .unwrap();
        assert_eq!(
            ok,
            vec![
                ("Consumer Number".into(), "0123456789".into()),
                ("Billing Unit".into(), "Thane".into()),
                ("Code".into(), "MH1234".into()),
                ("Email".into(), "a@b.in".into()),
            ]
        );
    }

    #[test]
    fn reports_every_field() {
        let errs = codes(rules().validate(&values(&[
            ("Consumer Number", "12ab"),
            ("Billing Unit", "Pune"),
            ("Code", "mh1234"),
            ("Note", "toolong"),
            ("Meter", "1"),
        ])));
        assert_eq!(
            errs,
            vec![
                ("Meter".into(), ParamErrorCode::ParamUnknown),
                ("Consumer Number".into(), ParamErrorCode::ParamNotNumeric),
                ("Billing Unit".into(), ParamErrorCode::ParamNotAllowed),
                ("Code".into(), ParamErrorCode::ParamPatternMismatch),
                ("Note".into(), ParamErrorCode::ParamTooLong),
                ("Mobile Number".into(), ParamErrorCode::ParamGroupUnsatisfied),
            ]
        );
    }

    #[test]
    fn each_code_alone() {
        let r = rules();
        assert_eq!(r.check_field("Consumer Number", "").unwrap().code, ParamErrorCode::ParamMissing);
        let short = r.check_field("Consumer Number", "123").unwrap();
        assert_eq!((short.code, short.limit), (ParamErrorCode::ParamTooShort, Some(10)));
        let long = r.check_field("Consumer Number", "1234567890123").unwrap();
        assert_eq!((long.code, long.limit), (ParamErrorCode::ParamTooLong, Some(12)));
        assert_eq!(r.check_field("Consumer Number", "12345678901"), None);
        assert_eq!(r.check_field("Mobile Number", ""), None, "group members are judged as a group");
        assert_eq!(r.check_field("Note", ""), None);
        assert_eq!(r.check_field("Code", "MH1234"), None, "an anchored pattern still works");
        assert_eq!(r.check_field("Code", "XMH1234").unwrap().code, ParamErrorCode::ParamPatternMismatch);
    }

    #[test]
    fn patterns_match_the_whole_value() {
        let r = ParamRules::from_parts(
            &[CustomerParam { regex: Some("[0-9]{4}".into()), ..CustomerParam::plain("PIN", DataType::Alphanumeric) }],
            &[],
        );
        assert_eq!(r.check_field("PIN", "1234"), None);
        assert_eq!(r.check_field("PIN", "12345").unwrap().code, ParamErrorCode::ParamPatternMismatch);
    }

    #[test]
    fn a_pattern_the_engine_cannot_parse_is_not_enforced() {
        let r = ParamRules::from_parts(
            &[CustomerParam { regex: Some("(?<=a)b".into()), ..CustomerParam::plain("X", DataType::Alphanumeric) }],
            &[],
        );
        assert_eq!(r.check_field("X", "anything"), None);
    }

    /// An engine that knows one pattern, to show that the rules use the engine they are given.
    struct OnlyDigits;

    impl Pattern for OnlyDigits {
        fn compile(anchored: &str) -> Option<Self> {
            (anchored == "^(?:digits)$").then_some(OnlyDigits)
        }

        fn is_match(&self, value: &str) -> bool {
            value.bytes().all(|b| b.is_ascii_digit())
        }
    }

    #[test]
    fn rules_use_the_engine_they_are_given() {
        let spec = |regex: &str| CustomerParam {
            regex: Some(regex.into()),
            ..CustomerParam::plain("X", DataType::Alphanumeric)
        };
        let r = ParamRules::<OnlyDigits>::from_parts_with_engine(&[spec("digits")], &[]);
        assert_eq!(r.check_field("X", "123"), None);
        assert_eq!(r.check_field("X", "12a").unwrap().code, ParamErrorCode::ParamPatternMismatch);
        let unknown = ParamRules::<OnlyDigits>::from_parts_with_engine(&[spec("[a-z]+")], &[]);
        assert_eq!(unknown.check_field("X", "12a"), None, "a pattern the engine cannot compile is not enforced");
    }

    #[test]
    fn messages_are_specific() {
        let e = rules().validate(&values(&[])).unwrap_err();
        let text: Vec<String> = e.iter().map(|e| e.to_string()).collect();
        assert!(text.contains(&"Enter your Consumer Number".to_string()));
        assert!(text.contains(&"Enter Mobile Number or Email".to_string()));
    }

    fn arb_param() -> impl Strategy<Value = CustomerParam> {
        (
            "[A-Za-z ]{1,12}",
            any::<bool>(),
            any::<bool>(),
            proptest::option::of(0u16..40),
            proptest::option::of(0u16..40),
            proptest::option::of("[\\[\\]a-z0-9{}(),|^$*+?.\\\\-]{0,16}"),
            proptest::option::of(prop::collection::vec("[a-z0-9]{0,5}", 0..4)),
        )
            .prop_map(|(name, numeric, optional, min_length, max_length, regex, values)| CustomerParam {
                name,
                data_type: if numeric { DataType::Numeric } else { DataType::Alphanumeric },
                optional,
                min_length,
                max_length,
                regex,
                values,
                hint: None,
            })
    }

    proptest! {
        #[test]
        fn never_panics_on_any_rules_or_input(
            params in prop::collection::vec(arb_param(), 0..5),
            group in prop::collection::vec("[A-Za-z ]{0,12}", 0..3),
            input in prop::collection::btree_map("[A-Za-z ]{0,12}", "\\PC{0,30}", 0..6),
        ) {
            let rules = ParamRules::from_parts(&params, &[ParamGroup { params: group }]);
            match rules.validate(&input) {
                Ok(accepted) => for (name, value) in accepted {
                    prop_assert!(rules.check_field(&name, &value).is_none());
                },
                Err(errors) => prop_assert!(!errors.is_empty()),
            }
            for (k, v) in &input {
                let _ = rules.check_field(k, v);
            }
        }
    }
}
