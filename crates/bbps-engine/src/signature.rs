//! The signature of a webhook body: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`, under the merchant's
//! webhook secret (docs/integration.md shows receivers in several languages).

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The header a signature travels in.
pub const SIGNATURE_HEADER: &str = "bbps-signature";

/// Signatures older (or newer) than this are refused.
pub const TOLERANCE_SECS: i64 = 300;

/// The most `v1` entries a header may carry (one per active secret during a rotation); more is an attack.
const MAX_SIGNATURES: usize = 8;

fn mac(key: &[u8], t: i64, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length, so this never fails.
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC accepts any key"));
    m.update(format!("{t}.").as_bytes());
    m.update(body);
    m
}

/// The header value signing `body` at `t`.
pub fn sign(key: &[u8], t: i64, body: &[u8]) -> String {
    format!("t={t},v1={}", hex::encode(mac(key, t, body).finalize().into_bytes()))
}

/// Whether `header` signs `body` under `key`, made within `tolerance_secs` of `now_secs`. Compared in constant
/// time.
pub fn verify(key: &[u8], header: &str, body: &[u8], now_secs: i64, tolerance_secs: i64) -> bool {
    let mut t = None;
    let mut signatures = Vec::new();
    for part in header.split(',').take(MAX_SIGNATURES + 1) {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) if signatures.len() < MAX_SIGNATURES => signatures.push(v),
            _ => {}
        }
    }
    let Some(t) = t else { return false };
    if now_secs.abs_diff(t) > tolerance_secs.unsigned_abs() {
        return false;
    }
    signatures.iter().filter_map(|s| hex::decode(s).ok()).any(|sig| mac(key, t, body).verify_slice(&sig).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_round_trip_and_expire() {
        let h = sign(b"k", 1_000, b"{}");
        assert!(verify(b"k", &h, b"{}", 1_100, 300));
        assert!(!verify(b"k", &h, b"{} ", 1_100, 300), "body is signed");
        assert!(!verify(b"other", &h, b"{}", 1_100, 300), "key is checked");
        assert!(!verify(b"k", &h, b"{}", 2_000, 300), "old signatures are refused");
        assert!(!verify(b"k", "garbage", b"{}", 1_000, 300));
        assert!(!verify(b"k", &format!("t={},v1=00", i64::MIN), b"{}", 1_000, 300), "no overflow");
    }
}
