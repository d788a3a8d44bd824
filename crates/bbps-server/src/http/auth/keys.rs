//! Merchant keys. The publishable key is public (it sits in the merchant's page); the secret key is shown once
//! and only its SHA-256 is stored; the webhook secret signs webhooks. The sandbox demo merchant has fixed,
//! documented keys (`bbps_core::sandbox`) so the demo, the widget's dev flow and tests need no database.

use bbps_core::MerchantId;
use subtle::ConstantTimeEq;

use crate::util::{random_token, sha256_hex};

pub struct NewKeys {
    pub publishable: String,
    pub secret: String,
}

pub fn generate_keys() -> NewKeys {
    NewKeys { publishable: format!("pk_test_{}", random_token(28)), secret: format!("sk_test_{}", random_token(40)) }
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
    use bbps_core::sandbox::{DEMO_MERCHANT_ID, DEMO_SECRET_KEY, DEMO_VPA};

    #[test]
    fn demo_ids_have_their_shapes() {
        assert!(MerchantId::parse(DEMO_MERCHANT_ID).is_ok());
        assert!(bbps_core::Vpa::parse(DEMO_VPA).is_ok());
        let k = generate_keys();
        assert!(k.publishable.starts_with("pk_test_") && k.secret.starts_with("sk_test_"));
        assert!(hashes_match(&hash_secret(&k.secret), &hash_secret(&k.secret)));
        assert!(!hashes_match(&hash_secret(&k.secret), &hash_secret(DEMO_SECRET_KEY)));
    }
}
