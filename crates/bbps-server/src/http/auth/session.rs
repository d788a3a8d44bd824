//! Widget session tokens: `v2.<session id>.<merchant id>.<key id>.<expiry unix seconds>.<hex HMAC-SHA256>`, signed
//! with the server's session key. The key id names the merchant's publishable key the session was opened with,
//! so rotating the merchant's keys ends its sessions.

use bbps_core::{ErrorCode, MerchantId, SessionId, Timestamp};

use crate::util::{hmac_hex, hmac_verify_hex};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionClaims {
    pub session_id: SessionId,
    pub merchant_id: MerchantId,
    /// [`SessionClaims::key_id_of`] the publishable key that opened the session.
    pub key_id: String,
    pub expires_at: Timestamp,
}

impl SessionClaims {
    /// 12 hex digits of the SHA-256 of a publishable key: enough to tell rotated keys apart, nothing to recover.
    pub fn key_id_of(publishable_key: &str) -> String {
        use sha2::{Digest, Sha256};
        hex::encode(Sha256::digest(publishable_key.as_bytes()))[..12].to_owned()
    }
}

pub struct SessionSigner {
    key: Vec<u8>,
}

impl SessionSigner {
    pub fn new(key: Vec<u8>) -> SessionSigner {
        SessionSigner { key }
    }

    pub fn issue(&self, claims: &SessionClaims) -> String {
        let payload = format!(
            "v2.{}.{}.{}.{}",
            claims.session_id,
            claims.merchant_id,
            claims.key_id,
            claims.expires_at.unix_seconds()
        );
        let sig = hmac_hex(&self.key, payload.as_bytes());
        format!("{payload}.{sig}")
    }

    /// Checks shape and signature first (`session_token_invalid`), then expiry (`session_expired`).
    pub fn verify(&self, token: &str, now: Timestamp) -> Result<SessionClaims, ErrorCode> {
        let (payload, sig) = token.rsplit_once('.').ok_or(ErrorCode::SessionTokenInvalid)?;
        let parts: Vec<&str> = payload.split('.').collect();
        let [version, session, merchant, key_id, expiry] = parts.as_slice() else {
            return Err(ErrorCode::SessionTokenInvalid);
        };
        let key_id_ok = key_id.len() == 12 && key_id.bytes().all(|b| b.is_ascii_hexdigit());
        if *version != "v2" || !key_id_ok || sig.len() != 64 || !hmac_verify_hex(&self.key, payload.as_bytes(), sig) {
            return Err(ErrorCode::SessionTokenInvalid);
        }
        let claims = SessionClaims {
            session_id: SessionId::parse(session).map_err(|_| ErrorCode::SessionTokenInvalid)?,
            merchant_id: MerchantId::parse(merchant).map_err(|_| ErrorCode::SessionTokenInvalid)?,
            key_id: (*key_id).to_owned(),
            expires_at: expiry
                .parse()
                .ok()
                .and_then(Timestamp::from_unix_seconds)
                .ok_or(ErrorCode::SessionTokenInvalid)?,
        };
        if claims.expires_at <= now {
            return Err(ErrorCode::SessionExpired);
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::now;

    #[test]
    fn tokens_verify_and_refuse_tampering_and_expiry() {
        let signer = SessionSigner::new(b"key".to_vec());
        let claims = SessionClaims {
            session_id: SessionId::generate(&mut rand::rng()),
            merchant_id: MerchantId::generate(&mut rand::rng()),
            key_id: SessionClaims::key_id_of("pk_test_x"),
            expires_at: Timestamp::from_unix_seconds(now().unix_seconds() + 60).unwrap_or_else(now),
        };
        let token = signer.issue(&claims);
        assert_eq!(signer.verify(&token, now()), Ok(claims.clone()));
        let tampered = token.replacen("v2.ses_", "v2.ses_x", 1);
        assert_eq!(signer.verify(&tampered, now()), Err(ErrorCode::SessionTokenInvalid));
        assert_eq!(SessionSigner::new(b"other".to_vec()).verify(&token, now()), Err(ErrorCode::SessionTokenInvalid));
        assert_eq!(signer.verify("garbage", now()), Err(ErrorCode::SessionTokenInvalid));
        let later = Timestamp::from_unix_seconds(now().unix_seconds() + 120).unwrap_or_else(now);
        assert_eq!(signer.verify(&token, later), Err(ErrorCode::SessionExpired));
    }
}
