//! Merchant keys. The publishable key is public (it sits in the merchant's page); the secret key is shown once
//! and only its SHA-256 is stored; the webhook secret signs webhooks. The sandbox demo merchant has fixed,
//! documented keys (`bbps_core::sandbox`) so the demo, the widget's dev flow and tests need no database.

use bbps_core::MerchantId;
use subtle::ConstantTimeEq;

use crate::util::{random_token, sha256_hex};

/// Which server a key works on: a test key is refused by a live server, a live key by a test one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyMode {
    Test,
    Live,
}

impl KeyMode {
    /// The mode of a key, by its prefix (`pk_live_…`, `sk_live_…`; anything else is test).
    pub fn of(key: &str) -> KeyMode {
        if key.starts_with("pk_live_") || key.starts_with("sk_live_") { KeyMode::Live } else { KeyMode::Test }
    }

    pub fn word(self) -> &'static str {
        match self {
            KeyMode::Test => "test",
            KeyMode::Live => "live",
        }
    }

    /// Whether `key` is a publishable key of this mode.
    pub fn publishable(self, key: &str) -> bool {
        key.strip_prefix("pk_").and_then(|k| k.strip_prefix(self.word())).is_some_and(|k| k.starts_with('_'))
    }

    /// Whether `key` is a secret key of this mode.
    pub fn secret(self, key: &str) -> bool {
        key.strip_prefix("sk_").and_then(|k| k.strip_prefix(self.word())).is_some_and(|k| k.starts_with('_'))
    }
}

pub struct NewKeys {
    pub publishable: String,
    pub secret: String,
}

pub fn generate_keys(mode: KeyMode) -> NewKeys {
    let word = mode.word();
    NewKeys {
        publishable: format!("pk_{word}_{}", random_token(28)),
        secret: format!("sk_{word}_{}", random_token(40)),
    }
}

pub fn generate_webhook_secret() -> String {
    format!("whsec_{}", random_token(40))
}

pub fn new_merchant_id() -> MerchantId {
    MerchantId::generate(&mut rand::rng())
}

pub fn hash_secret(secret: &str) -> String {
    sha256_hex(secret.as_bytes())
}

/// Compares two key hashes without leaking where they differ.
pub fn hashes_match(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bbps_core::sandbox::{DEMO_MERCHANT_ID, DEMO_SECRET_KEY};

    #[test]
    fn demo_ids_have_their_shapes() {
        assert!(MerchantId::parse(DEMO_MERCHANT_ID).is_ok());
        let k = generate_keys(KeyMode::Test);
        assert!(k.publishable.starts_with("pk_test_") && k.secret.starts_with("sk_test_"));
        let live = generate_keys(KeyMode::Live);
        assert!(KeyMode::Live.publishable(&live.publishable) && KeyMode::Live.secret(&live.secret));
        assert!(!KeyMode::Test.publishable(&live.publishable) && !KeyMode::Test.secret(&live.secret));
        assert!(!KeyMode::Live.publishable(&k.publishable) && !KeyMode::Live.secret(&k.secret));
        assert_eq!(KeyMode::of(&live.secret), KeyMode::Live);
        assert!(hashes_match(&hash_secret(&k.secret), &hash_secret(&k.secret)));
        assert!(!hashes_match(&hash_secret(&k.secret), &hash_secret(DEMO_SECRET_KEY)));
    }
}
