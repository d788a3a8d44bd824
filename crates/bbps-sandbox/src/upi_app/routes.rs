//! The sandbox's routes: the UPI app simulator page, the endpoint its buttons (and tests) use, and the list of
//! test accounts. The server mounts them in test mode only.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bbps_core::upi::UpiLink;
use bbps_core::{ApiError, ErrorCode};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use bbps_http::responses::{BodyErrors, NotFoundError};
use bbps_http::{ApiQuery, ApiResult, HttpError, body_rejection, is_json, parse_json};

use super::payer::{PayerAction, SimulatedPayment};
use super::{SandboxState, pages as sandbox_pages};
use crate::network::accounts::SandboxAccounts;
use crate::page::html;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UpiPageQuery {
    /// The `upi://pay?…` link, percent-encoded.
    #[param(min_length = 10, max_length = 2048)]
    pub link: Option<String>,
}

/// The sandbox UPI app: shows payee, UPI id, amount and note of a link, with Approve / Decline / Pay a wrong
/// amount buttons.
#[utoipa::path(
    get,
    path = "/sandbox/upi",
    tag = "sandbox",
    params(UpiPageQuery),
    responses(
        (status = 200, description = "The page", content_type = "text/html", body = String),
        (status = 400, description = "Malformed query", body = ApiError),
        (status = 422, description = "Not a valid UPI link (HTML page saying why)", content_type = "text/html", body = String),
    )
)]
pub async fn upi_page(State(sandbox): State<SandboxState>, ApiQuery(q): ApiQuery<UpiPageQuery>) -> Response {
    let Some(raw) = q.link.filter(|l| !l.is_empty()) else {
        return html(
            StatusCode::UNPROCESSABLE_ENTITY,
            sandbox_pages::error("Open this page with ?link=<a upi://pay link>."),
        );
    };
    match UpiLink::parse(&raw) {
        Ok(link) => html(StatusCode::OK, sandbox_pages::upi_app(&raw, &link, &sandbox.page_tokens.for_link(&raw))),
        Err(e) => {
            html(StatusCode::UNPROCESSABLE_ENTITY, sandbox_pages::error(&format!("This is not a valid UPI link: {e}.")))
        }
    }
}

/// What the sandbox UPI app's buttons send.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SandboxPayRequest {
    /// The `upi://pay?…` link the payer acts on.
    #[schema(min_length = 10, max_length = 2048)]
    pub link: String,
    /// `approve`, `decline` or `wrong_amount`.
    #[schema(value_type = PayerAction)]
    pub action: String,
    /// The page's form token (a form post needs it; a JSON call, which no other site can send here, does not).
    #[serde(default)]
    pub token: Option<String>,
}

/// Act as the payer on a link: the PSP simulator records the debit (or the failed attempt) and notifies the
/// backend as the PSP does. Takes JSON (tests) or a form post (the page).
#[utoipa::path(
    post,
    path = "/sandbox/upi/pay",
    tag = "sandbox",
    request_body(content(
        (SandboxPayRequest = "application/json"),
        (SandboxPayRequest = "application/x-www-form-urlencoded"),
    )),
    responses(
        (status = 200, description = "What the PSP did (JSON, or an HTML page for a form post)", body = SimulatedPayment),
        (status = 400, description = "Malformed body", body = ApiError),
        BodyErrors,
        NotFoundError,
    )
)]
pub async fn pay(
    State(sandbox): State<SandboxState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let body = body.map_err(body_rejection)?;
    let content_type = headers.get(header::CONTENT_TYPE);
    let is_form = content_type
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"));
    let req: SandboxPayRequest = if is_form {
        serde_urlencoded::from_bytes(&body)
            .map_err(|e| HttpError::new(ErrorCode::BadRequest, format!("malformed form: {e}")))?
    } else if is_json(content_type) {
        parse_json(&body)?
    } else {
        return Err(HttpError::new(ErrorCode::UnsupportedMediaType, "send JSON or a form"));
    };
    if is_form && !req.token.as_deref().is_some_and(|t| sandbox.page_tokens.check(&req.link, t)) {
        return Err(HttpError(
            ApiError::new(
                ErrorCode::SandboxActionInvalid,
                "this form did not come from this page; open the link again",
            )
            .with_field("token"),
        ));
    }
    let action = PayerAction::parse(&req.action).map_err(|_| {
        HttpError(
            ApiError::new(
                ErrorCode::SandboxActionInvalid,
                "action is approve, decline, wrong_amount, pay_twice or pay_unannounced",
            )
            .with_field("action"),
        )
    })?;
    let link = UpiLink::parse(&req.link).map_err(|e| {
        HttpError(
            ApiError::new(ErrorCode::SandboxActionInvalid, format!("not a valid UPI link: {e}")).with_field("link"),
        )
    })?;
    let payment = sandbox
        .payer
        .act(&link, action)
        .await
        .map_err(|e| HttpError(ApiError::new(ErrorCode::SandboxActionInvalid, e).with_field("link")))?;
    Ok(if is_form { html(StatusCode::OK, sandbox_pages::result(&payment)) } else { Json(payment).into_response() })
}

/// The sandbox test accounts: the outcome scheme and ready-to-type params for one biller of each category.
#[utoipa::path(
    get,
    path = "/sandbox/accounts",
    tag = "sandbox",
    responses((status = 200, description = "Test accounts", body = SandboxAccounts))
)]
pub async fn accounts(State(sandbox): State<SandboxState>) -> Json<SandboxAccounts> {
    Json(sandbox.accounts.as_ref().clone())
}
