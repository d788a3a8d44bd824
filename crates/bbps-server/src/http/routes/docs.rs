//! Liveness/readiness and the OpenAPI document.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`, or `degraded` when the database does not answer.
    pub status: String,
    pub database: String,
    pub mode: String,
    pub billers: u32,
}

/// Liveness and readiness: 200 when the database answers, 503 otherwise.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "ops",
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 503, description = "The database does not answer", body = Health),
    )
)]
pub async fn healthz(State(app): State<AppState>) -> (StatusCode, Json<Health>) {
    let db_ok = app.engine.store().ping().await.is_ok();
    let health = Health {
        status: if db_ok { "ok" } else { "degraded" }.to_owned(),
        database: if db_ok { "ok" } else { "unavailable" }.to_owned(),
        mode: match app.config.mode {
            crate::config::RunMode::Sandbox => "sandbox",
            crate::config::RunMode::Live => "live",
        }
        .to_owned(),
        billers: u32::try_from(app.engine.catalogue().len()).unwrap_or(u32::MAX),
    };
    (if db_ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE }, Json(health))
}

/// This API as an OpenAPI 3 document.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "ops",
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json", body = Object))
)]
pub async fn openapi_json(State(app): State<AppState>) -> Response {
    let body = app.openapi.get().cloned().unwrap_or_default();
    let mut response = (StatusCode::OK, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
