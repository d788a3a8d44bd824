//! The BBPS and UPI domain shared by the widget (wasm32) and the server: money in paise, typed ids, the biller
//! model, customer-param validation, amount rules, the convenience fee, UPI links, the payment lifecycle,
//! complaints, and the API's request, response and error types. No I/O: randomness and the clock come in as
//! arguments, so the same code runs in a browser and on the server.

pub mod amount;
pub mod api;
pub mod appearance;
pub mod biller;
pub mod clock;
pub mod complaint;
pub mod error;
pub mod fee;
pub mod ids;
pub mod money;
pub mod payment;
pub mod upi;
pub mod validation;

pub use amount::{AmountBounds, AmountError};
pub use biller::{Biller, Category, Channel, Coverage, CustomerParam, DataType, Exactness, FetchRequirement};
pub use clock::{IST, Timestamp};
pub use error::{ApiError, ErrorCode};
pub use fee::{Charges, FeeTable};
pub use ids::{ApprovalRef, BillerId, ComplaintId, MerchantId, PaymentId, QuoteId, RefId, SessionId, TxnRef};
pub use money::Paise;
pub use payment::PaymentStatus;
pub use upi::{UpiLink, UpiTxnRef, Vpa};
pub use validation::{FieldError, ParamErrorCode, ParamRules, ParamValues, Pattern};
