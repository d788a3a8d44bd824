//! The widget's languages: English, Hindi, Bengali, Marathi, Telugu, Tamil, Gujarati, Kannada and Malayalam.
//!
//! - [`keys`]: every text's key ([`Msg`]) and the tables that map codes (categories, states, months) to keys.
//! - [`catalog`]: every text in every language, for the server and the tests; none of it is in the wasm.
//! - [`Strings`]: one language's texts as the browser holds them, read from the page or fetched on demand.
//! - [`words`]: the key of every error code, status, failure, refund reason and dispute code.
//! - [`format`]: texts with values filled in; Indian digit grouping; dates in IST.
//! - [`Locale`]: the languages, and choosing one from a browser's or a merchant's preference.

pub mod catalog;
mod format;
mod keys;
mod locale;
mod strings;
mod words;

pub use format::{amount_error, category_name, countdown, date, date_time, field_error, fill, page_title, state_name};
pub use keys::{CATEGORIES, COUNT, FINGERPRINT, MONTHS, Msg, STATES};
pub use locale::Locale;
pub use strings::Strings;
pub use words::{
    complaint_status, disposition, error_msg, failure_msg, money_parse_error, payment_status, reason, receipt_status,
    refund_reason,
};
