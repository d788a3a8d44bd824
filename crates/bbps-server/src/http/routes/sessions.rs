//! `POST /v1/sessions`: the widget opens a session with the merchant's publishable key.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use bbps_core::api::{CreateSessionRequest, Mode, Session};
use bbps_core::{ApiError, ErrorCode, SessionId};

use crate::config::RunMode;
use crate::http::auth::keys::KeyMode;
use crate::http::auth::session::SessionClaims;
use crate::state::AppState;
use crate::util::{after, now};
use bbps_engine::model::Merchant;
use bbps_http::ApiJson;
use bbps_http::responses::{BodyErrors, CommonErrors};
use bbps_http::{ApiResult, HttpError};

/// Who asks for a session, as far as the server can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller<'a> {
    /// A browser, by its `Origin` header.
    Browser(&'a str),
    /// This server rendering the widget page for a `parent` (a navigation carries no `Origin`; the page's
    /// `frame-ancestors` lets only the merchant's allowed origins frame it).
    WidgetPage,
    /// No `Origin`: not a browser's cross-origin call (a script, a test). Refused in live mode.
    Unknown,
}

impl<'a> Caller<'a> {
    pub fn of(headers: &'a HeaderMap) -> Caller<'a> {
        match headers.get(header::ORIGIN) {
            Some(v) => Caller::Browser(v.to_str().unwrap_or("null")),
            None => Caller::Unknown,
        }
    }
}

fn not_allowed(message: String, field: Option<&str>) -> HttpError {
    let mut e = ApiError::new(ErrorCode::OriginNotAllowed, message);
    e.field = field.map(str::to_owned);
    HttpError(e)
}

fn same_origin(a: &str, b: &str) -> bool {
    a.trim_end_matches('/').eq_ignore_ascii_case(b.trim_end_matches('/'))
}

/// The origin rules of a session. The widget's own page (this server's origin) must name the page that frames
/// it in `parent_origin`, and that must be allowed; any other browser origin must itself be allowed, and equal
/// `parent_origin` when both are given (the browser's word outranks the body's); a caller with no `Origin` is
/// refused in live mode.
fn check_origin(
    app: &AppState,
    merchant: &Merchant,
    parent: Option<&str>,
    caller: Caller<'_>,
) -> Result<(), HttpError> {
    let allowed = |origin: &str, field: Option<&str>| {
        if merchant.allows_origin(origin) {
            Ok(())
        } else {
            Err(not_allowed(format!("{origin} may not embed this merchant's widget"), field))
        }
    };
    match caller {
        Caller::Browser(origin) if same_origin(origin, &app.public_base) => match parent {
            Some(parent) => allowed(parent, Some("parent_origin")),
            None => Err(not_allowed("the widget page must name the page that frames it".into(), Some("parent_origin"))),
        },
        Caller::WidgetPage => match parent {
            Some(parent) => allowed(parent, Some("parent_origin")),
            None => Err(not_allowed("the widget page must name the page that frames it".into(), Some("parent_origin"))),
        },
        Caller::Browser(origin) => {
            allowed(origin, None)?;
            match parent {
                Some(parent) if !same_origin(parent, origin) => Err(not_allowed(
                    format!("parent_origin {parent} is not the calling page's origin {origin}"),
                    Some("parent_origin"),
                )),
                _ => Ok(()),
            }
        }
        Caller::Unknown if app.config.mode == RunMode::Live => {
            Err(not_allowed("a session is opened by the widget in a browser, which sends its Origin".into(), None))
        }
        Caller::Unknown => parent.map_or(Ok(()), |parent| allowed(parent, Some("parent_origin"))),
    }
}

/// Open a widget session.
///
/// Origin rules: from the widget's own page (this server's origin), `parent_origin` names the framing page and
/// must be one of the key's allowed origins; from any other page, its `Origin` must be allowed and equal
/// `parent_origin` when that is given. Without an `Origin` header (not a browser) a session is refused in live
/// mode.
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
    Ok((StatusCode::CREATED, Json(open_session(&app, req, Caller::of(&headers)).await?)))
}

/// Opens a session for `caller` under every rule of `POST /v1/sessions`.
pub async fn open_session(app: &AppState, req: CreateSessionRequest, caller: Caller<'_>) -> Result<Session, HttpError> {
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
    check_origin(app, &merchant, req.parent_origin.as_deref(), caller)?;
    let claims = SessionClaims {
        session_id: SessionId::generate(&mut rand::rng()),
        merchant_id: merchant.id.clone(),
        key_id: SessionClaims::key_id_of(&merchant.publishable_key),
        expires_at: after(now(), app.config.session_ttl),
    };
    Ok(Session {
        token: app.sessions.issue(&claims),
        expires_at: claims.expires_at,
        merchant_name: merchant.name,
        mode: match mode {
            KeyMode::Test => Mode::Test,
            KeyMode::Live => Mode::Live,
        },
    })
}
