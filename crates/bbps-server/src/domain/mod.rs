//! The decisions: quotes, payments, the payment lifecycle and its worker, complaints and transaction tracking.

pub mod complaints;
pub mod lifecycle;
pub mod payments;
pub mod quotes;
pub mod worker;
