//! Liveness/readiness and the OpenAPI document.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::readiness::Probe;
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

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReadyStatus {
    /// Take traffic.
    Ready,
    /// Take traffic, but a counterparty every instance shares is failing: alert, do not drain.
    Degraded,
    /// Send no traffic here: the database does not answer, or this instance is shutting down.
    NotReady,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    pub status: ReadyStatus,
    /// `ok` or `unavailable`, checked for this request.
    pub database: String,
    /// Whether this instance is shutting down (finishing its requests, taking no new ones).
    pub draining: bool,
    /// The BBPS network's last heartbeat (probed every 30 s).
    pub network: Probe,
    /// The PSP's last acceptance of our credentials (probed every 30 s).
    pub psp: Probe,
}

/// Readiness for a load balancer: 503 when this instance should get no traffic (its database does not answer,
/// or it is shutting down). A failing BBPS network or PSP is reported (`degraded`) with 200: every instance
/// shares them, so draining this one would not help.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "ops",
    responses(
        (status = 200, description = "Ready, or degraded", body = Readiness),
        (status = 503, description = "Not ready", body = Readiness),
    )
)]
pub async fn readyz(State(app): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let draining = *app.shutdown.borrow();
    let db_ok = app.engine.store().ping().await.is_ok();
    let (network, psp) = (app.probes.network(), app.probes.psp());
    let status = if draining || !db_ok {
        ReadyStatus::NotReady
    } else if network.is_failing() || psp.is_failing() {
        ReadyStatus::Degraded
    } else {
        ReadyStatus::Ready
    };
    let code = if matches!(status, ReadyStatus::NotReady) { StatusCode::SERVICE_UNAVAILABLE } else { StatusCode::OK };
    let database = if db_ok { "ok" } else { "unavailable" }.to_owned();
    (code, Json(Readiness { status, database, draining, network, psp }))
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
