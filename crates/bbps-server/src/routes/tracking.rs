//! Transaction tracking and complaints (widget calls, scoped to the session's merchant).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bbps_core::ComplaintId;
use bbps_core::api::{Complaint, RaiseComplaintRequest, TransactionList};

use super::{BodyErrors, CommonErrors, NetworkErrors, NotFoundError};
use crate::app::AppState;
use crate::auth::WidgetSession;
use crate::domain::complaints::{self, TrackQuery};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery};

/// Track transactions: by `txn_ref`, or by `mobile` with `from` and `to` (IST dates, at most 90 days).
#[utoipa::path(
    get,
    path = "/v1/transactions",
    tag = "widget",
    security(("session" = [])),
    params(TrackQuery),
    responses(
        (status = 200, description = "Matching transactions, newest first", body = TransactionList),
        (status = 422, description = "`date_range_invalid`, `mobile_invalid`", body = bbps_core::ApiError),
        CommonErrors,
        NotFoundError,
    )
)]
pub async fn transactions(
    State(app): State<AppState>,
    session: WidgetSession,
    ApiQuery(q): ApiQuery<TrackQuery>,
) -> ApiResult<Json<TransactionList>> {
    Ok(Json(complaints::track(&app, &session.merchant.id, &q).await?))
}

/// Raise a complaint: transaction-based (a D-code against a BBPS transaction of this merchant) or service-based
/// (an agent or a biller, with a reason of the same kind).
#[utoipa::path(
    post,
    path = "/v1/complaints",
    tag = "widget",
    security(("session" = [])),
    request_body = RaiseComplaintRequest,
    responses((status = 201, description = "The registered complaint", body = Complaint), CommonErrors, BodyErrors, NotFoundError, NetworkErrors)
)]
pub async fn raise_complaint(
    State(app): State<AppState>,
    session: WidgetSession,
    ApiJson(req): ApiJson<RaiseComplaintRequest>,
) -> ApiResult<(StatusCode, Json<Complaint>)> {
    Ok((StatusCode::CREATED, Json(complaints::raise(&app, &session.merchant.id, req).await?)))
}

/// A complaint with its status history.
#[utoipa::path(
    get,
    path = "/v1/complaints/{complaint_id}",
    tag = "widget",
    security(("session" = [])),
    params(("complaint_id" = String, Path, pattern = "^[A-Z0-9]{15}$")),
    responses((status = 200, description = "The complaint", body = Complaint), CommonErrors, NotFoundError)
)]
pub async fn complaint(
    State(app): State<AppState>,
    session: WidgetSession,
    ApiPath(id): ApiPath<ComplaintId>,
) -> ApiResult<Json<Complaint>> {
    Ok(Json(complaints::get(&app, &session.merchant.id, &id).await?))
}
