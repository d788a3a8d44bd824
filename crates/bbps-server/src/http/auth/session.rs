//! Widget session tokens: `v1.<session id>.<merchant id>.<expiry unix seconds>.<hex HMAC-SHA256>`, signed with
//! the server's session key. A token is self-contained: checking one needs no database read.

use bbps_core::{ErrorCode, MerchantId, SessionId, Timestamp};

use crate::util::{hmac_hex, hmac_verify_hex};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionClaims {
    pub session_id: SessionId,
    pub merchant_id: MerchantId,
    pub expires_at: Timestamp,
}

pub struct SessionSigner {
    key: Vec<u8>,
}

impl SessionSigner {
    pub fn new(key: Vec<u8>) -> SessionSigner {
        SessionSigner { key }
    }

    pub fn issue(&self, claims: &SessionClaims) -> String {
        let payload = format!("v1.{}.{}.{}", claims.session_id, claims.merchant_id, claims.expires_at.unix_seconds());
        let sig = hmac_hex(&self.key, payload.as_bytes());
        format!("{payload}.{sig}")
    }

    /// Checks shape and signature first (`session_token_invalid`), then expiry (`session_expired`).
    pub fn verify(&self, token: &str, now: Timestamp) -> Result<SessionClaims, ErrorCode> {
        let (payload, sig) = token.rsplit_once('.').ok_or(ErrorCode::SessionTokenInvalid)?;
        let parts: Vec<&str> = payload.split('.').collect();
        let [version, session, merchant, expiry] = parts.as_slice() else {
            return Err(ErrorCode::SessionTokenInvalid);
        };
        if *version != "v1" || sig.len() != 64 || !hmac_verify_hex(&self.key, payload.as_bytes(), sig) {
            return Err(ErrorCode::SessionTokenInvalid);
        }
        let claims = SessionClaims {
            session_id: SessionId::parse(session).map_err(|_| ErrorCode::SessionTokenInvalid)?,
            merchant_id: MerchantId::parse(merchant).map_err(|_| ErrorCode::SessionTokenInvalid)?,
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
            expires_at: Timestamp::from_unix_seconds(now().unix_seconds() + 60).unwrap_or_else(now),
        };
        let token = signer.issue(&claims);
        assert_eq!(signer.verify(&token, now()), Ok(claims.clone()));
        let tampered = token.replacen("v1.ses_", "v1.ses_x", 1);
        assert_eq!(signer.verify(&tampered, now()), Err(ErrorCode::SessionTokenInvalid));
        assert_eq!(SessionSigner::new(b"other".to_vec()).verify(&token, now()), Err(ErrorCode::SessionTokenInvalid));
        assert_eq!(signer.verify("garbage", now()), Err(ErrorCode::SessionTokenInvalid));
        let later = Timestamp::from_unix_seconds(now().unix_seconds() + 120).unwrap_or_else(now);
        assert_eq!(signer.verify(&token, later), Err(ErrorCode::SessionExpired));
    }
}
