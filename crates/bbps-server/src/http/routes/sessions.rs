//! `POST /v1/sessions`: the widget opens a session with the merchant's publishable key.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use bbps_core::api::{CreateSessionRequest, Mode, Session};
use bbps_core::{ApiError, ErrorCode, SessionId};

use crate::http::auth::keys::KeyMode;
use crate::http::auth::session::SessionClaims;
use crate::state::AppState;
use crate::util::{after, now};
use bbps_http::ApiJson;
use bbps_http::responses::{BodyErrors, CommonErrors};
use bbps_http::{ApiResult, HttpError};

/// Open a widget session.
///
/// The origin checked against the merchant's allowed origins is `parent_origin` when given, else the request's
/// `Origin` header when present and not this server's own origin.
#[utoipa::path(
    post,
    path = "/v1/sessions",
    tag = "widget",
    request_body = CreateSessionRequest,
    responses(
        (status = 201, description = "The session", body = Session),
        (status = 403, description = "`origin_not_allowed`", body = ApiError),
        CommonErrors,
        BodyErrors,
    )
)]
pub async fn create_session(
    State(app): State<AppState>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<CreateSessionRequest>,
) -> ApiResult<(StatusCode, Json<Session>)> {
    let invalid_key = || {
        HttpError(
            ApiError::new(ErrorCode::PublishableKeyInvalid, "the publishable key is not valid")
                .with_field("publishable_key"),
        )
    };
    if !req.publishable_key.starts_with("pk_") || req.publishable_key.len() > 128 {
        return Err(invalid_key());
    }
    let mode = app.config.key_mode();
    if !mode.publishable(&req.publishable_key) {
        return Err(HttpError::field(
            ErrorCode::PublishableKeyInvalid,
            format!(
                "this server takes {} keys; a {} key does not work here",
                mode.word(),
                KeyMode::of(&req.publishable_key).word()
            ),
            "publishable_key",
        ));
    }
    let merchant =
        app.engine.store().merchant_by_publishable_key(&req.publishable_key).await?.ok_or_else(invalid_key)?;
    let header_origin = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|o| !o.eq_ignore_ascii_case(&app.public_base) && *o != "null");
    if let Some(origin) = req.parent_origin.as_deref().or(header_origin)
        && !merchant.allows_origin(origin)
    {
        let mut e =
            ApiError::new(ErrorCode::OriginNotAllowed, format!("{origin} may not embed this merchant's widget"));
        e.field = req.parent_origin.is_some().then(|| "parent_origin".to_owned());
        return Err(HttpError(e));
    }
    let claims = SessionClaims {
        session_id: SessionId::generate(&mut rand::rng()),
        merchant_id: merchant.id.clone(),
        expires_at: after(now(), app.config.session_ttl),
    };
    let session = Session {
        token: app.sessions.issue(&claims),
        expires_at: claims.expires_at,
        merchant_name: merchant.name,
        mode: match mode {
            KeyMode::Test => Mode::Test,
            KeyMode::Live => Mode::Live,
        },
    };
    Ok((StatusCode::CREATED, Json(session)))
}
