//! A merchant's `appearance` option: a theme and a few design variables, applied as CSS custom properties.
//!
//! Every value is checked against a narrow grammar (a colour, a length, or a font-family list) before it can reach
//! a style attribute, so nothing else (a `url()`, an `expression`, a `;` that opens another declaration, a `}` that
//! closes the rule) gets through.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

crate::wire_enum! {
    #[derive(Default)]
    pub enum Theme {
        #[default]
        Light = "light",
        Dark = "dark",
    }
}

/// The variables a merchant may set, with the CSS custom property each one drives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Variable {
    PrimaryColor,
    BackgroundColor,
    TextColor,
    FontFamily,
    BorderRadius,
    Spacing,
}

enum Kind {
    Colour,
    Length,
    Font,
}

impl Variable {
    pub const ALL: [Variable; 6] = [
        Variable::PrimaryColor,
        Variable::BackgroundColor,
        Variable::TextColor,
        Variable::FontFamily,
        Variable::BorderRadius,
        Variable::Spacing,
    ];

    /// The option's name as a merchant writes it (`primaryColor`).
    pub fn option_name(self) -> &'static str {
        match self {
            Variable::PrimaryColor => "primaryColor",
            Variable::BackgroundColor => "backgroundColor",
            Variable::TextColor => "textColor",
            Variable::FontFamily => "fontFamily",
            Variable::BorderRadius => "borderRadius",
            Variable::Spacing => "spacing",
        }
    }

    pub fn css_property(self) -> &'static str {
        match self {
            Variable::PrimaryColor => "--bbps-primary",
            Variable::BackgroundColor => "--bbps-bg",
            Variable::TextColor => "--bbps-text",
            Variable::FontFamily => "--bbps-font",
            Variable::BorderRadius => "--bbps-radius",
            Variable::Spacing => "--bbps-space",
        }
    }

    fn kind(self) -> Kind {
        match self {
            Variable::PrimaryColor | Variable::BackgroundColor | Variable::TextColor => Kind::Colour,
            Variable::FontFamily => Kind::Font,
            Variable::BorderRadius | Variable::Spacing => Kind::Length,
        }
    }

    fn from_option_name(name: &str) -> Option<Variable> {
        Self::ALL.into_iter().find(|v| v.option_name() == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppearanceError {
    #[error("unknown appearance variable '{0}'")]
    UnknownVariable(String),
    #[error("'{0}' is not a colour (#rgb, #rrggbb, #rrggbbaa, rgb(), rgba(), hsl(), hsla() or a colour name)")]
    NotAColour(String),
    #[error("'{0}' is not a length between 0 and 64 (px, rem, em or %)")]
    NotALength(String),
    #[error("'{0}' is not a font-family list (names of letters, digits, spaces, hyphens and quotes)")]
    NotAFont(String),
}

/// The option as it arrives (JSON from the loader): `{ "theme": "dark", "variables": { "primaryColor": "#0b5cad" } }`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AppearanceInput {
    #[serde(default)]
    pub theme: Option<Theme>,
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
}

/// A checked appearance: only valid values, ready to become CSS.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Appearance {
    pub theme: Theme,
    pub variables: Vec<(Variable, String)>,
}

impl Appearance {
    /// Checks every variable; the first bad one is the error.
    pub fn from_input(input: &AppearanceInput) -> Result<Appearance, AppearanceError> {
        let mut variables = Vec::new();
        for (name, value) in &input.variables {
            let var = Variable::from_option_name(name).ok_or_else(|| AppearanceError::UnknownVariable(name.clone()))?;
            let value = value.trim();
            let ok = match var.kind() {
                Kind::Colour => is_colour(value),
                Kind::Length => is_length(value),
                Kind::Font => is_font_family(value),
            };
            if !ok {
                return Err(match var.kind() {
                    Kind::Colour => AppearanceError::NotAColour(value.to_owned()),
                    Kind::Length => AppearanceError::NotALength(value.to_owned()),
                    Kind::Font => AppearanceError::NotAFont(value.to_owned()),
                });
            }
            // Kept in `Variable` order as they come: a sort would pull a general sort routine into the wasm.
            let at = variables.partition_point(|(v, _): &(Variable, String)| *v < var);
            variables.insert(at, (var, value.to_owned()));
        }
        Ok(Appearance { theme: input.theme.unwrap_or_default(), variables })
    }

    /// `--bbps-primary: #0b5cad; --bbps-radius: 8px` for a `style` attribute.
    pub fn to_style(&self) -> String {
        self.variables.iter().map(|(v, value)| format!("{}: {value}", v.css_property())).collect::<Vec<_>>().join("; ")
    }
}

fn is_hex_colour(s: &str) -> bool {
    s.strip_prefix('#').is_some_and(|h| matches!(h.len(), 3 | 4 | 6 | 8) && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_functional_colour(s: &str) -> bool {
    let Some(open) = s.find('(') else { return false };
    let (name, rest) = s.split_at(open);
    let Some(args) = rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')) else { return false };
    matches!(name, "rgb" | "rgba" | "hsl" | "hsla")
        && !args.is_empty()
        && args.len() <= 48
        && args.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b',' | b' ' | b'%' | b'/'))
}

fn is_colour(s: &str) -> bool {
    let named = (3..=20).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase());
    is_hex_colour(s) || is_functional_colour(s) || named
}

fn is_length(s: &str) -> bool {
    let unit_at = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    let (number, unit) = s.split_at(unit_at);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !digits(whole) || !digits(fraction) {
        return false;
    }
    let is_zero = number.bytes().all(|b| b == b'0' || b == b'.');
    // The value must lie in 0..=64; the integer part decides without any float arithmetic.
    let whole_value: u32 = if whole.is_empty() { 0 } else { whole.parse().unwrap_or(u32::MAX) };
    let in_range = whole_value < 64 || (whole_value == 64 && fraction.bytes().all(|b| b == b'0'));
    let unit_ok = matches!(unit, "px" | "rem" | "em" | "%") || (unit.is_empty() && is_zero);
    in_range && unit_ok
}

fn is_font_family(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 120
        && s.split(',').all(|name| !name.trim().is_empty())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | ',' | '"' | '\''))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn input(pairs: &[(&str, &str)]) -> AppearanceInput {
        AppearanceInput {
            theme: Some(Theme::Dark),
            variables: pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        }
    }

    #[test]
    fn accepts_design_values() {
        let a = Appearance::from_input(&input(&[
            ("primaryColor", "#0B5CAD"),
            ("backgroundColor", "rgb(255, 255, 255)"),
            ("textColor", "navy"),
            ("fontFamily", "\"Noto Sans\", Inter, sans-serif"),
            ("borderRadius", "12px"),
            ("spacing", "1.25rem"),
        ]))
        .unwrap();
        assert_eq!(a.theme, Theme::Dark);
        assert_eq!(
            a.to_style(),
            "--bbps-primary: #0B5CAD; --bbps-bg: rgb(255, 255, 255); --bbps-text: navy; \
             --bbps-font: \"Noto Sans\", Inter, sans-serif; --bbps-radius: 12px; --bbps-space: 1.25rem"
        );
        assert!(Appearance::from_input(&input(&[("borderRadius", "0")])).is_ok());
        assert!(Appearance::from_input(&input(&[("borderRadius", "64px")])).is_ok());
        assert!(Appearance::from_input(&input(&[("primaryColor", "hsl(210 80% 40% / 0.9)")])).is_ok());
    }

    #[test]
    fn refuses_everything_else() {
        let bad = [
            ("primaryColor", "red; background: url(https://evil)"),
            ("primaryColor", "url(x)"),
            ("primaryColor", "#12345"),
            ("primaryColor", "expression(alert(1))"),
            ("primaryColor", "var(--x)"),
            ("textColor", "}body{display:none"),
            ("borderRadius", "65px"),
            ("borderRadius", "10vw"),
            ("borderRadius", "12"),
            ("spacing", "-4px"),
            ("spacing", "1.2.3rem"),
            ("fontFamily", "Inter; color: red"),
            ("fontFamily", "x\\\"y"),
            ("fontFamily", "a,,b"),
            ("shadow", "0 0 1px red"),
        ];
        for (k, v) in bad {
            assert!(Appearance::from_input(&input(&[(k, v)])).is_err(), "{k}: {v} must be refused");
        }
    }

    proptest! {
        #[test]
        fn accepted_values_cannot_escape_a_declaration(
            name in prop::sample::select(Variable::ALL.iter().map(|v| v.option_name()).collect::<Vec<_>>()),
            value in "\\PC{0,40}",
        ) {
            if let Ok(a) = Appearance::from_input(&input(&[(name, &value)])) {
                let style = a.to_style();
                prop_assert!(!style.contains(';') && !style.contains(['{', '}']), "{}", style);
                prop_assert!(!style.to_ascii_lowercase().contains("url("));
                prop_assert!(!style.contains('\\') && !style.contains('<'));
            }
        }
    }
}
