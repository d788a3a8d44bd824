//! Secrets at rest: a merchant's webhook secret is stored sealed (XChaCha20-Poly1305 under the operator's data
//! key, bound to its merchant's id so a sealed value cannot be moved to another row) when the store has a key, as
//! live mode requires. A test-mode store without a key keeps them as they are; a sealed value read without the
//! key is an error, never garbage. Every store adapter seals with this one scheme, so a database moved from one
//! store to another opens under the same key.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

const PREFIX: &str = "sealed:v1:";
const NONCE_LEN: usize = 24;

/// The operator's 256-bit data key.
#[derive(Clone)]
pub struct DataKey(XChaCha20Poly1305);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("the data key must be 64 hex digits (32 random bytes, e.g. from `openssl rand -hex 32`)")]
    BadKey,
    #[error("a sealed value does not open with this data key")]
    WrongKey,
    #[error("a sealed value is stored but the store has no data key")]
    NoKey,
}

impl DataKey {
    pub fn from_hex(hex_key: &str) -> Result<DataKey, SealError> {
        let bytes = hex::decode(hex_key.trim()).map_err(|_| SealError::BadKey)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| SealError::BadKey)?;
        Ok(DataKey(XChaCha20Poly1305::new(&key.into())))
    }

    /// `value` sealed for the row named `owner`.
    pub fn seal(&self, owner: &str, value: &str) -> String {
        let nonce: [u8; NONCE_LEN] = rand::random();
        let sealed = self
            .0
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: value.as_bytes(), aad: owner.as_bytes() })
            .unwrap_or_else(|_| unreachable!("encryption of a short value cannot fail"));
        format!("{PREFIX}{}{}", hex::encode(nonce), hex::encode(sealed))
    }

    fn open(&self, owner: &str, sealed: &str) -> Result<String, SealError> {
        let bytes = hex::decode(sealed).map_err(|_| SealError::WrongKey)?;
        if bytes.len() < NONCE_LEN {
            return Err(SealError::WrongKey);
        }
        let (nonce, ct) = bytes.split_at(NONCE_LEN);
        let plain = self
            .0
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad: owner.as_bytes() })
            .map_err(|_| SealError::WrongKey)?;
        String::from_utf8(plain).map_err(|_| SealError::WrongKey)
    }
}

/// Whether a stored value is sealed.
pub fn is_sealed(stored: &str) -> bool {
    stored.starts_with(PREFIX)
}

/// The value of a stored field of the row `owner`.
pub fn unseal(key: Option<&DataKey>, owner: &str, stored: &str) -> Result<String, SealError> {
    match (stored.strip_prefix(PREFIX), key) {
        (None, _) => Ok(stored.to_owned()),
        (Some(sealed), Some(key)) => key.open(owner, sealed),
        (Some(_), None) => Err(SealError::NoKey),
    }
}

/// What to store for `value` of the row `owner`.
pub fn seal(key: Option<&DataKey>, owner: &str, value: &str) -> String {
    key.map_or_else(|| value.to_owned(), |k| k.seal(owner, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    #[test]
    fn a_sealed_value_opens_for_its_row_under_its_key_only() {
        let key = DataKey::from_hex(KEY).unwrap();
        let stored = seal(Some(&key), "mer_a", "whsec_secret");
        assert!(is_sealed(&stored) && !stored.contains("whsec_secret"));
        assert_ne!(stored, seal(Some(&key), "mer_a", "whsec_secret"), "a fresh nonce each time");
        assert_eq!(unseal(Some(&key), "mer_a", &stored).unwrap(), "whsec_secret");
        assert_eq!(unseal(Some(&key), "mer_b", &stored), Err(SealError::WrongKey), "bound to its row");
        let other = DataKey::from_hex(&"ab".repeat(32)).unwrap();
        assert_eq!(unseal(Some(&other), "mer_a", &stored), Err(SealError::WrongKey));
        assert_eq!(unseal(None, "mer_a", &stored), Err(SealError::NoKey));
        assert_eq!(unseal(None, "mer_a", "whsec_plain").unwrap(), "whsec_plain");
        assert!(DataKey::from_hex("short").is_err() && DataKey::from_hex(&"zz".repeat(32)).is_err());
    }
}
