//! Small helpers shared by several modules: the clock, randomness, hashing and HMAC signatures.

use bbps_core::Timestamp;
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

pub fn now() -> Timestamp {
    Timestamp::from_offset_date_time(OffsetDateTime::now_utc())
}

/// `t + d` for a std duration (saturating; configured durations are small).
pub fn after(t: Timestamp, d: std::time::Duration) -> Timestamp {
    t.saturating_add(time::Duration::try_from(d).unwrap_or(time::Duration::MAX))
}

pub fn from_millis(ms: i64) -> Timestamp {
    Timestamp::from_unix_millis(ms).unwrap_or_else(now)
}

/// `n` random characters of `[a-z0-9]`, from the thread's cryptographic RNG.
pub fn random_token(n: usize) -> String {
    bbps_core::ids::random_string(&mut rand::rng(), b"abcdefghijklmnopqrstuvwxyz0123456789", n)
}

/// `n` random characters of `[A-Z0-9]`.
pub fn random_upper(n: usize) -> String {
    bbps_core::ids::random_string(&mut rand::rng(), b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", n)
}

pub fn random_bytes<const N: usize>() -> [u8; N] {
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

/// The `t=<unix seconds>,v1=<hex>` header value of a signed body (webhooks and PSP callbacks).
pub fn signature_header(key: &[u8], t: i64, body: &[u8]) -> String {
    let mut signed = format!("{t}.").into_bytes();
    signed.extend_from_slice(body);
    format!("t={t},v1={}", hmac_hex(key, &signed))
}

/// Verifies a `t=…,v1=…` header against `body`, allowing `tolerance_secs` of clock difference.
pub fn verify_signature_header(key: &[u8], header: &str, body: &[u8], now_secs: i64, tolerance_secs: i64) -> bool {
    let mut t = None;
    let mut sigs = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => sigs.push(v),
            _ => {}
        }
    }
    let Some(t) = t else { return false };
    if (now_secs - t).abs() > tolerance_secs {
        return false;
    }
    let mut signed = format!("{t}.").into_bytes();
    signed.extend_from_slice(body);
    sigs.iter().any(|s| hmac_verify_hex(key, &signed, s))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_headers_round_trip_and_expire() {
        let h = signature_header(b"k", 1_000, b"{}");
        assert!(verify_signature_header(b"k", &h, b"{}", 1_100, 300));
        assert!(!verify_signature_header(b"k", &h, b"{} ", 1_100, 300), "body is signed");
        assert!(!verify_signature_header(b"other", &h, b"{}", 1_100, 300), "key is checked");
        assert!(!verify_signature_header(b"k", &h, b"{}", 2_000, 300), "old signatures are refused");
        assert!(!verify_signature_header(b"k", "garbage", b"{}", 1_000, 300));
    }
}
