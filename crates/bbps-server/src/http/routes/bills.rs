//! Bill fetch and account validation.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bbps_core::api::{BillQuote, FetchBillRequest, QuoteKind};

use crate::http::auth::WidgetSession;
use crate::state::AppState;
use bbps_http::ApiJson;
use bbps_http::ApiResult;

use crate::http::client_ip::ClientIp;
use bbps_http::responses::{BodyErrors, CommonErrors, NetworkErrors, NotFoundError};

/// Fetch the customer's bill.
///
/// Params are validated with the biller's rules first (every field's error in `errors`). The bill is stored as
/// a quote, with its `refId`, that one payment may use before it expires.
#[utoipa::path(
    post,
    path = "/v1/bills/fetch",
    tag = "widget",
    security(("session" = [])),
    request_body = FetchBillRequest,
    responses((status = 201, description = "The fetched bill", body = BillQuote), CommonErrors, BodyErrors, NotFoundError, NetworkErrors)
)]
pub async fn fetch(
    State(app): State<AppState>,
    session: WidgetSession,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<FetchBillRequest>,
) -> ApiResult<(StatusCode, Json<BillQuote>)> {
    let quote = app.engine.quote(&session.merchant, &session.session_id, &req, QuoteKind::Fetched, ip).await?;
    Ok((StatusCode::CREATED, Json(quote)))
}

/// Validate the customer's account (billers with `supports_validation`); the customer then chooses the amount.
#[utoipa::path(
    post,
    path = "/v1/bills/validate",
    tag = "widget",
    security(("session" = [])),
    request_body = FetchBillRequest,
    responses((status = 201, description = "The validated account", body = BillQuote), CommonErrors, BodyErrors, NotFoundError, NetworkErrors)
)]
pub async fn validate(
    State(app): State<AppState>,
    session: WidgetSession,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<FetchBillRequest>,
) -> ApiResult<(StatusCode, Json<BillQuote>)> {
    let quote = app.engine.quote(&session.merchant, &session.session_id, &req, QuoteKind::Validated, ip).await?;
    Ok((StatusCode::CREATED, Json(quote)))
}
