//! Merchant keys, widget session tokens, and the extractors that authenticate widget and merchant calls.

pub mod client_secret;
pub mod extract;
pub mod keys;
pub mod session;
pub mod tracking_token;

pub use extract::{MerchantAuth, SignedSession, WidgetSession};
