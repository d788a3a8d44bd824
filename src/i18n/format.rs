//! Texts with values in them: placeholders filled, field and amount errors naming their field or limit, names of
//! categories and states, dates and times in IST. Amounts keep Indian digit grouping in every language
//! (`₹1,23,456.00`, bbps-core's `Paise::to_inr_string`), as Indian banks print them.

use bbps_core::{AmountError, FieldError, IST, ParamErrorCode, Timestamp};
use time::Date;

use super::keys::{CATEGORIES, MONTHS, Msg, STATES};
use super::strings::Strings;

/// Replaces each `{name}` in a text with its value.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// A field's error in words, naming the field by its label.
pub fn field_error(s: &Strings, e: &FieldError) -> String {
    let limit = e.limit.unwrap_or(0).to_string();
    let group = e.group.join(&format!(" {} ", s.get(Msg::Or)));
    let key = match e.code {
        ParamErrorCode::ParamMissing => Msg::FieldMissing,
        ParamErrorCode::ParamTooShort => Msg::FieldTooShort,
        ParamErrorCode::ParamTooLong => Msg::FieldTooLong,
        ParamErrorCode::ParamNotNumeric => Msg::FieldNotNumeric,
        ParamErrorCode::ParamPatternMismatch => Msg::FieldPattern,
        ParamErrorCode::ParamNotAllowed => Msg::FieldNotAllowed,
        ParamErrorCode::ParamGroupUnsatisfied => Msg::FieldGroup,
        ParamErrorCode::ParamUnknown => Msg::FieldUnknown,
    };
    fill(s.get(key), &[("field", &e.field), ("n", &limit), ("group", &group)])
}

/// An amount the biller's rules refuse, in words, with the limit it broke.
pub fn amount_error(s: &Strings, e: AmountError) -> String {
    let (key, amount) = match e {
        AmountError::AmountZero => (Msg::ErrAmountZero, None),
        AmountError::AmountMustEqualBill { bill } => (Msg::AmountMustEqualBillOf, Some(bill)),
        AmountError::AmountBelowBill { bill } => (Msg::AmountBelowBillOf, Some(bill)),
        AmountError::AmountAboveBill { bill } => (Msg::AmountAboveBillOf, Some(bill)),
        AmountError::AmountBelowMin { min } => (Msg::AmountBelowMinOf, Some(min)),
        AmountError::AmountAboveMax { max } => (Msg::AmountAboveMaxOf, Some(max)),
        AmountError::AmountBelowBillMin { min } => (Msg::AmountBelowBillMinOf, Some(min)),
        AmountError::AmountAboveBillMax { max } => (Msg::AmountAboveBillMaxOf, Some(max)),
        AmountError::AmountNotMultiple { multiple } => (Msg::AmountNotMultipleOf, Some(multiple)),
        AmountError::UpiNotAccepted => (Msg::ErrUpiNotAccepted, None),
        AmountError::BillFetchRequired => (Msg::ErrBillFetchRequired, None),
    };
    let amount = amount.map(|a| a.to_inr_string()).unwrap_or_default();
    fill(s.get(key), &[("amount", &amount)])
}

/// A category's name: ours for a known code, else the provider's.
pub fn category_name<'a>(s: &'a Strings, code: &str, provider_name: &'a str) -> &'a str {
    match CATEGORIES.iter().find(|(c, _)| *c == code) {
        Some((_, key)) => s.get(*key),
        None => provider_name,
    }
}

/// A state's or union territory's name by its code; the code itself for one we do not know.
pub fn state_name<'a>(s: &'a Strings, code: &'a str) -> &'a str {
    match STATES.iter().find(|(c, _)| c.eq_ignore_ascii_case(code)) {
        Some((_, key)) => s.get(*key),
        None => code,
    }
}

/// `25 Nov 2026`, `25 নভেম্বর 2026`.
pub fn date(s: &Strings, d: Date) -> String {
    let month = MONTHS[usize::from(u8::from(d.month())) - 1];
    format!("{:02} {} {}", d.day(), s.get(month), d.year())
}

/// `25 Nov 2026, 14:16 IST`: an instant as the customer's clock in India shows it.
pub fn date_time(s: &Strings, t: Timestamp) -> String {
    let ist = t.get().to_offset(IST);
    format!("{}, {:02}:{:02} IST", date(s, ist.date()), ist.hour(), ist.minute())
}

/// The widget page's title: the words the loader gives its iframe.
pub fn page_title(s: &Strings) -> &str {
    s.get(Msg::FrameTitle)
}

/// `4:05`: minutes and seconds left.
pub fn countdown(seconds: i64) -> String {
    let s = seconds.max(0);
    format!("{}:{:02}", s / 60, s % 60)
}
