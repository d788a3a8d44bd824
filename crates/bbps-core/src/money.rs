//! Money as integer paise. There is no float anywhere on the money path: user input is parsed digit by digit,
//! arithmetic is checked, and rupee strings (display, UPI `am`) are formatted from integers.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An amount of Indian money in paise (1 rupee = 100 paise). Never negative, never above [`MAX_PAISE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct Paise(u64);

/// An integer from 0 to [`MAX_PAISE`], so API clients and fuzzers see the real bounds.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Paise {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .minimum(Some(0))
            .maximum(Some(MAX_PAISE as f64))
            .description(Some("An amount in paise (1 rupee = 100 paise)"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Paise {}

/// Reads a JSON integer of paise. `327.0` is the same integer to JSON Schema (and to generic JSON tools), so a
/// number with no fractional part is accepted too: below 2^53 every such number is exact, and the ceiling of
/// [`MAX_PAISE`] keeps far below it. Fractions of a paisa, negatives and anything above the ceiling are refused.
impl<'de> Deserialize<'de> for Paise {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Paise, D::Error> {
        struct PaiseVisitor;

        impl serde::de::Visitor<'_> for PaiseVisitor {
            type Value = Paise;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "a whole number of paise from 0 to {MAX_PAISE}")
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Paise, E> {
                Paise::new(v).ok_or_else(|| E::custom(format_args!("{v} paise is above the limit of {MAX_PAISE}")))
            }

            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Paise, E> {
                u64::try_from(v).map_err(|_| E::custom("an amount cannot be negative")).and_then(|v| self.visit_u64(v))
            }

            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Paise, E> {
                if v.fract() != 0.0 || !(0.0..=MAX_PAISE as f64).contains(&v) {
                    return Err(E::custom("an amount is a whole number of paise"));
                }
                self.visit_u64(v as u64)
            }
        }

        d.deserialize_u64(PaiseVisitor)
    }
}

/// Largest amount the product handles: ₹10,00,00,00,000 (one hundred crore). BBPS limits are far below it; the
/// ceiling keeps every product of an amount and a percentage well inside `u64` and every amount exact in a
/// JavaScript number (2^53).
pub const MAX_PAISE: u64 = 1_000_000_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoneyParseError {
    #[error("enter an amount")]
    Empty,
    #[error("an amount may contain only digits, commas and one decimal point")]
    InvalidCharacter,
    #[error("an amount may have at most two digits after the decimal point")]
    TooManyDecimals,
    #[error("commas must separate groups of digits")]
    MisplacedComma,
    #[error("the amount is too large")]
    TooLarge,
}

impl MoneyParseError {
    /// Stable machine code, shared by server error envelopes and widget messages.
    pub fn code(self) -> &'static str {
        match self {
            Self::Empty => "amount_empty",
            Self::InvalidCharacter => "amount_invalid_character",
            Self::TooManyDecimals => "amount_too_many_decimals",
            Self::MisplacedComma => "amount_misplaced_comma",
            Self::TooLarge => "amount_too_large",
        }
    }
}

impl Paise {
    pub const ZERO: Paise = Paise(0);

    /// An amount of paise; `None` above [`MAX_PAISE`].
    pub const fn new(paise: u64) -> Option<Paise> {
        if paise <= MAX_PAISE { Some(Paise(paise)) } else { None }
    }

    /// Whole rupees; `None` above [`MAX_PAISE`].
    pub const fn from_rupees(rupees: u64) -> Option<Paise> {
        match rupees.checked_mul(100) {
            Some(p) => Paise::new(p),
            None => None,
        }
    }

    pub const fn get(self) -> u64 {
        self.0
    }

    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    pub fn checked_add(self, other: Paise) -> Option<Paise> {
        self.0.checked_add(other.0).and_then(Paise::new)
    }

    pub fn checked_sub(self, other: Paise) -> Option<Paise> {
        self.0.checked_sub(other.0).map(Paise)
    }

    /// `self × basis_points / 10 000`, rounded half up to the nearest paisa (1 basis point = 0.01 %).
    pub fn percent_bps(self, basis_points: u32) -> Option<Paise> {
        let product = u128::from(self.0) * u128::from(basis_points);
        let rounded = (product + 5_000) / 10_000;
        u64::try_from(rounded).ok().and_then(Paise::new)
    }

    /// Parses what a person types for an amount in rupees: `1234`, `1,234.5`, `₹1,23,456.78`, `Rs. 99`.
    /// Commas may group digits the Indian way or the Western way but may not stand at either end of the
    /// rupee part or next to each other.
    pub fn parse_rupees(input: &str) -> Result<Paise, MoneyParseError> {
        let mut s = input.trim();
        for prefix in ["₹", "Rs.", "Rs", "INR", "rs.", "rs"] {
            if let Some(rest) = s.strip_prefix(prefix) {
                s = rest.trim_start();
                break;
            }
        }
        if s.is_empty() {
            return Err(MoneyParseError::Empty);
        }
        let (whole, fraction) = match s.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (s, None),
        };
        let mut rupees: u64 = 0;
        let mut digits = 0usize;
        let mut last_was_comma = false;
        for c in whole.chars() {
            match c {
                '0'..='9' => {
                    rupees = rupees
                        .checked_mul(10)
                        .and_then(|r| r.checked_add(u64::from(c as u8 - b'0')))
                        .ok_or(MoneyParseError::TooLarge)?;
                    digits += 1;
                    last_was_comma = false;
                }
                ',' if digits > 0 && !last_was_comma => last_was_comma = true,
                ',' => return Err(MoneyParseError::MisplacedComma),
                _ => return Err(MoneyParseError::InvalidCharacter),
            }
        }
        if last_was_comma {
            return Err(MoneyParseError::MisplacedComma);
        }
        let mut paise_part: u64 = 0;
        if let Some(fraction) = fraction {
            if fraction.len() > 2 {
                return if fraction.bytes().all(|b| b.is_ascii_digit()) {
                    Err(MoneyParseError::TooManyDecimals)
                } else {
                    Err(MoneyParseError::InvalidCharacter)
                };
            }
            for (i, b) in fraction.bytes().enumerate() {
                if !b.is_ascii_digit() {
                    return Err(MoneyParseError::InvalidCharacter);
                }
                let weight = if i == 0 { 10 } else { 1 };
                paise_part += u64::from(b - b'0') * weight;
            }
            if digits == 0 && fraction.is_empty() {
                return Err(MoneyParseError::Empty);
            }
        } else if digits == 0 {
            return Err(MoneyParseError::Empty);
        }
        rupees
            .checked_mul(100)
            .and_then(|p| p.checked_add(paise_part))
            .and_then(Paise::new)
            .ok_or(MoneyParseError::TooLarge)
    }

    /// Plain decimal rupees with exactly two decimals and no grouping: `1234.50`. This is the UPI `am` format
    /// and the value an amount input field is pre-filled with.
    pub fn to_decimal_string(self) -> String {
        format!("{}.{:02}", self.0 / 100, self.0 % 100)
    }

    /// Indian digit grouping with the rupee sign: `₹1,23,456.00`.
    pub fn to_inr_string(self) -> String {
        format!("₹{}.{:02}", group_indian(self.0 / 100), self.0 % 100)
    }
}

/// Groups an integer the Indian way: the last three digits, then groups of two (`12,34,56,789`).
pub fn group_indian(n: u64) -> String {
    let digits = n.to_string();
    if digits.len() <= 3 {
        return digits;
    }
    let (head, tail) = digits.split_at(digits.len() - 3);
    let mut out = String::with_capacity(digits.len() + digits.len() / 2);
    let first = head.len() % 2;
    if first == 1 {
        out.push_str(&head[..1]);
    }
    for (i, pair) in head.as_bytes()[first..].chunks(2).enumerate() {
        if i > 0 || first == 1 {
            out.push(',');
        }
        out.push_str(std::str::from_utf8(pair).unwrap_or_default());
    }
    out.push(',');
    out.push_str(tail);
    out
}

impl fmt::Display for Paise {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_inr_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(n: u64) -> Paise {
        Paise::new(n).unwrap()
    }

    #[test]
    fn parses_common_inputs() {
        assert_eq!(Paise::parse_rupees("1234"), Ok(p(123_400)));
        assert_eq!(Paise::parse_rupees("1,234.5"), Ok(p(123_450)));
        assert_eq!(Paise::parse_rupees("₹1234.50"), Ok(p(123_450)));
        assert_eq!(Paise::parse_rupees(" ₹ 1,23,456.78 "), Ok(p(12_345_678)));
        assert_eq!(Paise::parse_rupees("Rs. 99"), Ok(p(9_900)));
        assert_eq!(Paise::parse_rupees("0.05"), Ok(p(5)));
        assert_eq!(Paise::parse_rupees(".5"), Ok(p(50)));
        assert_eq!(Paise::parse_rupees("7."), Ok(p(700)));
    }

    #[test]
    fn rejects_bad_inputs_with_specific_errors() {
        assert_eq!(Paise::parse_rupees(""), Err(MoneyParseError::Empty));
        assert_eq!(Paise::parse_rupees("₹"), Err(MoneyParseError::Empty));
        assert_eq!(Paise::parse_rupees("."), Err(MoneyParseError::Empty));
        assert_eq!(Paise::parse_rupees("12.345"), Err(MoneyParseError::TooManyDecimals));
        assert_eq!(Paise::parse_rupees("-5"), Err(MoneyParseError::InvalidCharacter));
        assert_eq!(Paise::parse_rupees("1e3"), Err(MoneyParseError::InvalidCharacter));
        assert_eq!(Paise::parse_rupees("1.2.3"), Err(MoneyParseError::InvalidCharacter));
        assert_eq!(Paise::parse_rupees(",100"), Err(MoneyParseError::MisplacedComma));
        assert_eq!(Paise::parse_rupees("100,"), Err(MoneyParseError::MisplacedComma));
        assert_eq!(Paise::parse_rupees("1,,00"), Err(MoneyParseError::MisplacedComma));
        assert_eq!(Paise::parse_rupees("99999999999999999999"), Err(MoneyParseError::TooLarge));
        assert_eq!(Paise::parse_rupees("10000000001"), Err(MoneyParseError::TooLarge));
    }

    #[test]
    fn formats_in_indian_grouping() {
        assert_eq!(p(0).to_inr_string(), "₹0.00");
        assert_eq!(p(5).to_inr_string(), "₹0.05");
        assert_eq!(p(99_900).to_inr_string(), "₹999.00");
        assert_eq!(p(100_000).to_inr_string(), "₹1,000.00");
        assert_eq!(p(12_345_600).to_inr_string(), "₹1,23,456.00");
        assert_eq!(p(12_345_678_900).to_inr_string(), "₹12,34,56,789.00");
        assert_eq!(p(123_450).to_decimal_string(), "1234.50");
    }

    #[test]
    fn percent_rounds_half_up() {
        // 1.18 % of ₹100.00 = 118 paise exactly; of ₹0.50 = 0.59 paise -> 1 paisa.
        assert_eq!(p(10_000).percent_bps(118), Some(p(118)));
        assert_eq!(p(50).percent_bps(118), Some(p(1)));
        assert_eq!(p(42).percent_bps(118), Some(p(0)));
        assert_eq!(p(MAX_PAISE).percent_bps(u32::MAX), None);
    }

    #[test]
    fn arithmetic_is_checked() {
        assert_eq!(p(MAX_PAISE).checked_add(p(1)), None);
        assert_eq!(p(1).checked_sub(p(2)), None);
        assert_eq!(p(300).checked_add(p(200)), Some(p(500)));
    }

    #[test]
    fn json_is_whole_paise_within_the_ceiling() {
        let read = |s: &str| serde_json::from_str::<Paise>(s).ok();
        assert_eq!(read("12345"), Some(p(12_345)));
        assert_eq!(read("327.0"), Some(p(327)));
        assert_eq!(read("1000000000000"), Some(p(MAX_PAISE)));
        assert_eq!(read("1000000000001"), None);
        assert_eq!(read("18446744073709551615"), None);
        assert_eq!(read("327.5"), None);
        assert_eq!(read("-1"), None);
        assert_eq!(read("1e300"), None);
        assert_eq!(read("\"100\""), None);
        assert_eq!(serde_json::to_string(&p(500)).unwrap(), "500");
    }

    proptest! {
        #[test]
        fn format_then_parse_round_trips(n in 0..=MAX_PAISE) {
            let amount = p(n);
            prop_assert_eq!(Paise::parse_rupees(&amount.to_inr_string()), Ok(amount));
            prop_assert_eq!(Paise::parse_rupees(&amount.to_decimal_string()), Ok(amount));
        }

        #[test]
        fn parse_never_panics(s in ".{0,40}") {
            let _ = Paise::parse_rupees(&s);
        }

        #[test]
        fn grouping_keeps_the_digits(n in any::<u64>()) {
            prop_assert_eq!(group_indian(n).replace(',', ""), n.to_string());
        }
    }
}
