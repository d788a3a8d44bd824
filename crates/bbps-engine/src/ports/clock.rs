//! Time and identifiers come in through ports, so that a test can fix them and the engine's decisions stay
//! reproducible.

use bbps_core::{OtpChallengeId, PaymentId, QuoteId, RefId, Timestamp, UpiTxnRef};
use time::OffsetDateTime;

pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

/// The system's wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_offset_date_time(OffsetDateTime::now_utc())
    }
}

/// Every identifier the engine mints.
pub trait IdSource: Send + Sync {
    fn payment_id(&self) -> PaymentId;
    fn quote_id(&self) -> QuoteId;
    /// A BBPS `refId` stamped with `now` (its last eight characters are the IST time).
    fn ref_id(&self, now: Timestamp) -> RefId;
    /// The `tr` of a UPI link: unique per payment attempt.
    fn upi_txn_ref(&self) -> UpiTxnRef;
    /// A webhook event id (`evt_…`).
    fn event_id(&self) -> String;
    /// The id (and PSP idempotency key) of a refund that is not a payment's own (`rfd_…`).
    fn refund_id(&self) -> String;
    /// This engine's name as the holder of leases (`wkr_…`), unique per process.
    fn worker_id(&self) -> String;
    /// A one-time code challenge (`otp_…`) and its code: six digits.
    fn challenge_id(&self) -> OtpChallengeId;
    fn one_time_code(&self) -> String;
}

/// Ids from the thread's cryptographic random number generator.
#[derive(Debug, Clone, Copy, Default)]
pub struct RandomIds;

fn random_lower(n: usize) -> String {
    bbps_core::ids::random_string(&mut rand::rng(), b"abcdefghijklmnopqrstuvwxyz0123456789", n)
}

impl IdSource for RandomIds {
    fn payment_id(&self) -> PaymentId {
        PaymentId::generate(&mut rand::rng())
    }

    fn quote_id(&self) -> QuoteId {
        QuoteId::generate(&mut rand::rng())
    }

    fn ref_id(&self, now: Timestamp) -> RefId {
        RefId::generate(&mut rand::rng(), now.get())
    }

    fn upi_txn_ref(&self) -> UpiTxnRef {
        UpiTxnRef::generate(&mut rand::rng())
    }

    fn event_id(&self) -> String {
        format!("evt_{}", random_lower(24))
    }

    fn refund_id(&self) -> String {
        format!("rfd_{}", random_lower(24))
    }

    fn worker_id(&self) -> String {
        format!("wkr_{}", random_lower(24))
    }

    fn challenge_id(&self) -> OtpChallengeId {
        OtpChallengeId::generate(&mut rand::rng())
    }

    fn one_time_code(&self) -> String {
        bbps_core::ids::random_string(&mut rand::rng(), b"0123456789", 6)
    }
}
