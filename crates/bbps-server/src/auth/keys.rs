//! Merchant keys. The publishable key is public (it sits in the merchant's page); the secret key is shown once
//! and only its SHA-256 is stored; the webhook secret signs webhooks. The sandbox demo merchant has fixed,
//! documented keys so the demo page, the widget's dev flow and tests can use them without reading the database.

use bbps_core::MerchantId;
use subtle::ConstantTimeEq;

use crate::util::{random_token, sha256_hex};

pub const DEMO_MERCHANT_ID: &str = "mer_sandboxdemo0000000000000";
pub const DEMO_MERCHANT_NAME: &str = "BBPS Sandbox Demo Merchant";
pub const DEMO_PUBLISHABLE_KEY: &str = "pk_test_demo_bbps0000000000000000";
pub const DEMO_SECRET_KEY: &str = "sk_test_demo_bbps0000000000000000";
pub const DEMO_WEBHOOK_SECRET: &str = "whsec_test_demo_bbps0000000000000000";
pub const DEMO_VPA: &str = "bbpsdemo@sandbox";
pub const DEMO_ORIGINS: &[&str] = &[
    "http://127.0.0.1:8787",
    "http://localhost:8787",
    "http://127.0.0.1:8788",
    "http://localhost:8788",
    "http://127.0.0.1:8080",
    "http://localhost:8080",
];

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
