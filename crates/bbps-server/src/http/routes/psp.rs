//! `POST /v1/psp/notifications`: the PSP tells us what happened to a link (a payment honoured or returned, an
//! attempt that failed, a refund that moved). The PSP adapter authenticates the notification before its body is
//! read; every event is applied idempotently, and one that cannot be applied now answers 503 so the PSP delivers
//! the notification again.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, header};
use bbps_core::{ApiError, ErrorCode};
use bbps_engine::ports::NotificationError;
use bbps_http::responses::BodyErrors;
use bbps_http::{ApiResult, HttpError, body_rejection, is_json};
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

/// What the notification endpoint answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct NotificationAck {
    /// How many events the notification carried; each was applied (again: applying one twice changes nothing).
    pub events: usize,
}

/// A notification of the PSP (Setu UPI DeepLinks' format), authenticated by `Authorization: Bearer <JWT>`
/// (HS256 under the shared notification secret, `aud` our scheme id, issued within two minutes, used once).
///
/// A payment for a link with no payment of ours is recorded and refunded, not refused.
#[utoipa::path(
    post,
    path = "/v1/psp/notifications",
    tag = "psp",
    params(("Authorization" = String, Header, description = "`Bearer <JWT>` signed by the PSP", max_length = 4096)),
    request_body(content = String, description = "Setu's notification JSON: `{partnerDetails, events}`", content_type = "application/json"),
    responses(
        (status = 200, description = "Applied", body = NotificationAck),
        (status = 400, description = "Malformed notification", body = ApiError),
        (status = 401, description = "`callback_signature_invalid`", body = ApiError),
        (status = 503, description = "An event cannot be applied now; deliver again", body = ApiError),
        BodyErrors,
    )
)]
pub async fn notification(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<NotificationAck>> {
    let body = body.map_err(body_rejection)?;
    if !is_json(headers.get(header::CONTENT_TYPE)) {
        return Err(HttpError::new(ErrorCode::UnsupportedMediaType, "send the body as application/json"));
    }
    let authorization = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let events = app.engine.psp().read_notification(authorization, &body).map_err(|e| match e {
        NotificationError::Unauthenticated(why) => {
            tracing::warn!(%why, "PSP notification refused");
            HttpError::field(
                ErrorCode::CallbackSignatureInvalid,
                "the notification's token is missing, wrong, stale or used before",
                "Authorization",
            )
        }
        NotificationError::Malformed(why) => {
            HttpError::new(ErrorCode::InvalidJson, format!("the notification is malformed: {why}"))
        }
    })?;
    for event in &events {
        app.engine.apply_psp_event(event).await?;
    }
    Ok(Json(NotificationAck { events: events.len() }))
}
