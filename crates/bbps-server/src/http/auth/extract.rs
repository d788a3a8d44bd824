//! Extractors for authenticated calls: a widget session (bearer session token) and a merchant server (bearer
//! secret key). Each failure has its own error code.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use bbps_core::{ErrorCode, SessionId, Timestamp};

use super::keys::{hash_secret, hashes_match};
use super::session::SessionClaims;
use crate::state::AppState;
use crate::util::now;
use bbps_engine::model::Merchant;
use bbps_http::HttpError;

/// The caller of a widget endpoint: its session and merchant.
#[derive(Debug, Clone)]
pub struct WidgetSession {
    pub session_id: SessionId,
    pub merchant: Merchant,
    pub expires_at: Timestamp,
}

/// The bearer credential of a request, if it has one.
fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|t| !t.is_empty())
}

/// The caller of a catalogue endpoint: a session whose token verifies, nothing looked up. The catalogue is the
/// same for every merchant, so a valid signature is all it needs; a session of rotated keys can read it until the
/// token expires, and nothing else.
#[derive(Debug, Clone)]
pub struct SignedSession(pub SessionClaims);

impl AppState {
    /// Checks a session token's signature and expiry and applies the session's rate limit.
    fn verify_session(&self, token: &str) -> Result<SessionClaims, HttpError> {
        let claims = self.sessions.verify(token, now()).map_err(|code| {
            let message = match code {
                ErrorCode::SessionExpired => "the session has expired; open a new one",
                _ => "the session token is malformed or was not issued by this server",
            };
            HttpError::new(code, message)
        })?;
        self.limits.check_session(&claims.session_id)?;
        Ok(claims)
    }

    /// Checks a session token, applies the session's rate limit and loads its merchant.
    pub async fn authenticate_session(&self, token: &str) -> Result<WidgetSession, HttpError> {
        let claims = self.verify_session(token)?;
        let merchant =
            self.engine.store().merchant(&claims.merchant_id).await?.ok_or_else(|| {
                HttpError::new(ErrorCode::SessionTokenInvalid, "the session's merchant no longer exists")
            })?;
        if SessionClaims::key_id_of(&merchant.publishable_key) != claims.key_id {
            return Err(HttpError::new(
                ErrorCode::SessionTokenInvalid,
                "the merchant's keys changed; open a new session",
            ));
        }
        Ok(WidgetSession { session_id: claims.session_id, merchant, expires_at: claims.expires_at })
    }
}

fn session_token(parts: &Parts) -> Result<&str, HttpError> {
    bearer(parts).ok_or_else(|| {
        HttpError::new(ErrorCode::SessionTokenMissing, "send the session token as 'Authorization: Bearer <token>'")
    })
}

impl FromRequestParts<AppState> for WidgetSession {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        state.authenticate_session(session_token(parts)?).await
    }
}

impl FromRequestParts<AppState> for SignedSession {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        state.verify_session(session_token(parts)?).map(SignedSession)
    }
}

/// A merchant server authenticated by its secret key.
#[derive(Debug, Clone)]
pub struct MerchantAuth(pub Merchant);

impl FromRequestParts<AppState> for MerchantAuth {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        let key = bearer(parts).ok_or_else(|| {
            HttpError::new(ErrorCode::SecretKeyMissing, "send the secret key as 'Authorization: Bearer sk_…'")
        })?;
        let invalid = || HttpError::new(ErrorCode::SecretKeyInvalid, "the secret key is not valid");
        if !state.config.key_mode().secret(key) {
            return Err(invalid());
        }
        let hash = hash_secret(key);
        let merchant = state.engine.store().merchant_by_secret_hash(&hash).await?.ok_or_else(invalid)?;
        if !hashes_match(&merchant.secret_key_hash, &hash) {
            return Err(invalid());
        }
        Ok(MerchantAuth(merchant))
    }
}
