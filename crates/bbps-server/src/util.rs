//! Small helpers of the transport: the clock of session tokens, randomness for keys, hashing and HMAC.

use bbps_core::Timestamp;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

pub fn now() -> Timestamp {
    Timestamp::from_offset_date_time(OffsetDateTime::now_utc())
}

/// `t + d` for a std duration (saturating; configured durations are small).
pub fn after(t: Timestamp, d: std::time::Duration) -> Timestamp {
    t.saturating_add(time::Duration::try_from(d).unwrap_or(time::Duration::MAX))
}

/// `n` random characters of `[a-z0-9]`, from the thread's cryptographic RNG.
pub fn random_token(n: usize) -> String {
    bbps_core::ids::random_string(&mut rand::rng(), b"abcdefghijklmnopqrstuvwxyz0123456789", n)
}

pub fn random_bytes<const N: usize>() -> [u8; N] {
    use rand::Rng;
    let mut out = [0u8; N];
    rand::rng().fill_bytes(&mut out);
    out
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

fn mac(key: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length, so this never fails.
    <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC accepts any key length"))
}

pub fn hmac_hex(key: &[u8], message: &[u8]) -> String {
    let mut m = mac(key);
    m.update(message);
    hex::encode(m.finalize().into_bytes())
}

/// Constant-time check of a hex HMAC-SHA256 signature.
pub fn hmac_verify_hex(key: &[u8], message: &[u8], signature_hex: &str) -> bool {
    let Ok(sig) = hex::decode(signature_hex) else { return false };
    let mut m = mac(key);
    m.update(message);
    m.verify_slice(&sig).is_ok()
}
