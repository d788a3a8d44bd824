//! Merchant keys, widget session tokens, and the extractors that authenticate widget and merchant calls.

pub mod extract;
pub mod keys;
pub mod session;

pub use extract::{MerchantAuth, WidgetSession};
