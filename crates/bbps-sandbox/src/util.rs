//! The simulators' clock and randomness.

use bbps_core::Timestamp;
use time::OffsetDateTime;

pub fn now() -> Timestamp {
    Timestamp::from_offset_date_time(OffsetDateTime::now_utc())
}

/// An instant of the simulators' own ledgers (written by them, so always valid).
pub fn from_millis(ms: i64) -> Timestamp {
    Timestamp::from_unix_millis(ms).unwrap_or_else(now)
}

/// `n` random characters of `[A-Z0-9]`, for the references the simulators invent.
pub fn random_upper(n: usize) -> String {
    bbps_core::ids::random_string(&mut rand::rng(), b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", n)
}

/// A stable 64-bit hash (FNV-1a) for deterministic sandbox choices; not for security.
pub fn stable_hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}
