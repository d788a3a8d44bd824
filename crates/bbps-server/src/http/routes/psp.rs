//! `POST /v1/psp/callback`: the PSP tells us what happened to a debit. The body is verified against the
//! `X-Psp-Signature` header before it is even parsed.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::HeaderMap;
use bbps_core::{ApiError, ErrorCode};

use crate::state::AppState;
use bbps_core::psp::{CallbackAck, PspCallback};
use bbps_http::responses::{BodyErrors, NotFoundError};
use bbps_http::{ApiResult, HttpError};
use bbps_http::{body_rejection, is_json, parse_json};

pub const SIGNATURE_HEADER: &str = "x-psp-signature";

/// The PSP's debit callback, signed with HMAC-SHA256 over `"<t>.<body>"` (`X-Psp-Signature: t=…,v1=…`).
///
/// A success for the payment's total moves it to `paid`; a wrong amount, or money after the link expired or
/// failed, is refunded. A callback delivered twice changes nothing the second time.
#[utoipa::path(
    post,
    path = "/v1/psp/callback",
    tag = "psp",
    params((
        "X-Psp-Signature" = String, Header,
        description = "`t=<unix seconds>,v1=<hex HMAC-SHA256 of \"t.body\">`", max_length = 512
    )),
    request_body = PspCallback,
    responses(
        (status = 200, description = "Handled", body = CallbackAck),
        (status = 400, description = "Malformed body", body = ApiError),
        (status = 401, description = "`callback_signature_invalid`", body = ApiError),
        (status = 503, description = "The payment is busy; deliver again", body = ApiError),
        BodyErrors,
        NotFoundError,
    )
)]
pub async fn callback(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<CallbackAck>> {
    let body = body.map_err(body_rejection)?;
    if !is_json(headers.get(axum::http::header::CONTENT_TYPE)) {
        return Err(HttpError::new(ErrorCode::UnsupportedMediaType, "send the body as application/json"));
    }
    let signature = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !app.engine.psp().verify_callback(signature, &body) {
        tracing::warn!("PSP callback with a bad or missing signature");
        return Err(HttpError(
            ApiError::new(ErrorCode::CallbackSignatureInvalid, "the callback signature is missing, wrong or too old")
                .with_field("X-Psp-Signature"),
        ));
    }
    let cb: PspCallback = parse_json(&body)?;
    let rec = app.engine.apply_debit(&cb).await?;
    Ok(Json(CallbackAck { received: true, payment_status: rec.status }))
}
