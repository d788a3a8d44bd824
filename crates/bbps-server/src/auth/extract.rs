//! Extractors for authenticated calls: a widget session (bearer session token) and a merchant server (bearer
//! secret key). Each failure has its own error code.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use bbps_core::{ErrorCode, SessionId};

use super::keys::{hash_secret, hashes_match};
use crate::app::AppState;
use crate::error::AppError;
use crate::model::Merchant;
use crate::util::now;

/// The caller of a widget endpoint: its session and merchant.
#[derive(Debug, Clone)]
pub struct WidgetSession {
    pub session_id: SessionId,
    pub merchant: Merchant,
}

/// The bearer credential of a request, if it has one.
fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|t| !t.is_empty())
}

impl AppState {
    /// Checks a session token, applies the session's rate limit and loads its merchant.
    pub async fn authenticate_session(&self, token: &str) -> Result<WidgetSession, AppError> {
        let claims = self.sessions.verify(token, now()).map_err(|code| {
            let message = match code {
                ErrorCode::SessionExpired => "the session has expired; open a new one",
                _ => "the session token is malformed or was not issued by this server",
            };
            AppError::new(code, message)
        })?;
        self.limits.check_session(&claims.session_id)?;
        let merchant =
            self.store.merchant(&claims.merchant_id).await?.ok_or_else(|| {
                AppError::new(ErrorCode::SessionTokenInvalid, "the session's merchant no longer exists")
            })?;
        Ok(WidgetSession { session_id: claims.session_id, merchant })
    }
}

impl FromRequestParts<AppState> for WidgetSession {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = bearer(parts).ok_or_else(|| {
            AppError::new(ErrorCode::SessionTokenMissing, "send the session token as 'Authorization: Bearer <token>'")
        })?;
        state.authenticate_session(token).await
    }
}

/// A merchant server authenticated by its secret key.
#[derive(Debug, Clone)]
pub struct MerchantAuth(pub Merchant);

impl FromRequestParts<AppState> for MerchantAuth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let key = bearer(parts).ok_or_else(|| {
            AppError::new(ErrorCode::SecretKeyMissing, "send the secret key as 'Authorization: Bearer sk_…'")
        })?;
        let invalid = || AppError::new(ErrorCode::SecretKeyInvalid, "the secret key is not valid");
        if !key.starts_with("sk_") {
            return Err(invalid());
        }
        let hash = hash_secret(key);
        let merchant = state.store.merchant_by_secret_hash(&hash).await?.ok_or_else(invalid)?;
        if !hashes_match(&merchant.secret_key_hash, &hash) {
            return Err(invalid());
        }
        Ok(MerchantAuth(merchant))
    }
}
