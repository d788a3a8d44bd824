//! Payments' client secrets, derived rather than stored: the secret of a payment is the HMAC-SHA256 of its id
//! under a key derived from the session key. The server can hand the same secret again on an idempotent replay
//! and check one without reading anything; rotating the session key invalidates every secret with every session.

use bbps_core::{ClientSecret, PaymentId};
use subtle::ConstantTimeEq;

use crate::util::hmac_hex;

/// Kept apart from session signatures by its own derived key.
const DOMAIN: &[u8] = b"bbps client secret v1";

pub struct ClientSecrets {
    key: Vec<u8>,
}

impl ClientSecrets {
    pub fn new(session_key: &[u8]) -> ClientSecrets {
        ClientSecrets { key: hmac_hex(session_key, DOMAIN).into_bytes() }
    }

    fn tail(&self, payment: &PaymentId) -> String {
        // 32 hex digits: 128 bits.
        hmac_hex(&self.key, payment.as_str().as_bytes())[..32].to_owned()
    }

    pub fn issue(&self, payment: &PaymentId) -> ClientSecret {
        ClientSecret::new(payment, &self.tail(payment)).unwrap_or_else(|_| unreachable!("32 hex digits are a tail"))
    }

    /// Whether `presented` is the client secret of `payment` (in constant time).
    pub fn opens(&self, presented: &str, payment: &PaymentId) -> bool {
        let expected = self.issue(payment);
        presented.len() == expected.as_str().len()
            && bool::from(presented.as_bytes().ct_eq(expected.as_str().as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_opens_its_payment_only_under_its_key() {
        let secrets = ClientSecrets::new(b"session key");
        let (a, b) = (PaymentId::generate(&mut rand::rng()), PaymentId::generate(&mut rand::rng()));
        let secret = secrets.issue(&a);
        assert_eq!(secret.payment_id(), a);
        assert_eq!(secrets.issue(&a), secret, "the same secret again on a replay");
        assert!(secrets.opens(secret.as_str(), &a));
        assert!(!secrets.opens(secret.as_str(), &b));
        assert!(!secrets.opens(&secret.as_str()[..40], &a));
        assert!(!ClientSecrets::new(b"another key").opens(secret.as_str(), &a));
    }
}
