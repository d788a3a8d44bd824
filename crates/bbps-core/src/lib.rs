//! The BBPS and UPI domain shared by the widget (wasm32) and the server: money in paise, typed ids, the biller
//! model, customer-param validation, amount rules, the convenience fee, UPI links, the payment lifecycle,
//! complaints, and the API's request, response and error types. No I/O: randomness and the clock come in as
//! arguments, so the same code runs in a browser and on the server.

pub mod amount;
pub mod api;
pub mod appearance;
pub mod bill_list;
pub mod biller;
pub mod clock;
pub mod complaint;
pub mod error;
pub mod fee;
pub mod ids;
pub mod money;
pub mod payment;
pub mod plan;
pub mod region;
pub mod sandbox;
pub mod secret;
pub mod upi;
pub mod validation;
pub mod wire;

pub use amount::{AmountBounds, AmountError, AmountRule};
pub use biller::{
    Availability, Biller, Category, Channel, Coverage, CustomerParam, DataType, Exactness, FetchRequirement, Open,
    Pause,
};
pub use clock::{IST, Timestamp};
pub use error::{ApiError, ErrorCode};
pub use fee::{Charges, FeeTable};
pub use ids::{
    AgentId, ApprovalRef, BillerId, ClientSecret, ComplaintId, IdempotencyKey, MerchantId, OtpChallengeId, PaymentId,
    PlanId, QuoteId, RefId, SessionId, TxnRef, WebhookUrl,
};
pub use money::Paise;
pub use payment::PaymentStatus;
pub use secret::Secret;
pub use upi::{UpiLink, UpiTxnRef, Vpa};
pub use validation::{FieldError, ParamErrorCode, ParamRules, ParamValues, Pattern};
pub use wire::{UnknownVariant, WireEnum};

/// What [`wire_enum!`] expands to needs these by a path that works in any crate.
#[doc(hidden)]
pub mod __private {
    pub use serde;
    #[cfg(feature = "openapi")]
    pub use utoipa;
}
