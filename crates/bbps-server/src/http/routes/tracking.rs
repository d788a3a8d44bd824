//! Transaction tracking and complaints (widget calls, scoped to the session's merchant).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bbps_core::api::{Complaint, MobileNumber, RaiseComplaintRequest, TrackRange, TrackRangeError, TransactionList};
use bbps_core::{ComplaintId, ErrorCode, MerchantId, TxnRef};
use bbps_http::HttpError;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::http::auth::WidgetSession;
use crate::state::AppState;
use bbps_http::ApiResult;
use bbps_http::responses::{BodyErrors, CommonErrors, NetworkErrors, NotFoundError};
use bbps_http::{ApiJson, ApiPath, ApiQuery};

/// `GET /v1/transactions`: by BBPS transaction reference, or by mobile number and a date range.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrackQuery {
    /// The BBPS transaction reference id (20 upper-case letters or digits).
    #[param(pattern = "^[A-Z0-9]{20}$")]
    pub txn_ref: Option<String>,
    /// The customer's mobile number (with `mobile`, `from` and `to` are required).
    #[param(pattern = "^[6-9][0-9]{9}$")]
    pub mobile: Option<String>,
    /// First day, `YYYY-MM-DD` (IST).
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (IST), at most 90 days after `from`.
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
}

impl TrackQuery {
    async fn lookup(&self, app: &AppState, merchant: &MerchantId) -> Result<TransactionList, HttpError> {
        if let Some(t) = &self.txn_ref {
            let txn_ref =
                TxnRef::parse(t).map_err(|e| HttpError::field(ErrorCode::InvalidQuery, e.to_string(), "txn_ref"))?;
            return Ok(app.engine.track_by_txn_ref(merchant, &txn_ref).await?);
        }
        let (Some(mobile), Some(from), Some(to)) = (&self.mobile, &self.from, &self.to) else {
            return Err(HttpError::new(ErrorCode::InvalidQuery, "give txn_ref, or mobile with from and to"));
        };
        let mobile = MobileNumber::parse(mobile).ok_or_else(|| {
            HttpError::field(ErrorCode::MobileInvalid, "a mobile number is 10 digits starting with 6 to 9", "mobile")
        })?;
        let date = |s: &str, field| {
            bbps_core::clock::parse_date(s)
                .ok_or_else(|| HttpError::field(ErrorCode::InvalidQuery, "dates are YYYY-MM-DD", field))
        };
        let range = TrackRange::new(date(from, "from")?, date(to, "to")?).map_err(|e| {
            let message = match e {
                TrackRangeError::Backwards => "the range must run forwards",
                TrackRangeError::TooLong => "the last day may be at most 90 days after the first",
            };
            HttpError::field(ErrorCode::DateRangeInvalid, message, "from")
        })?;
        Ok(app.engine.track_by_mobile(merchant, &mobile, range).await?)
    }
}

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
    Ok(Json(q.lookup(&app, &session.merchant.id).await?))
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
    Ok((StatusCode::CREATED, Json(app.engine.raise_complaint(&session.merchant.id, req).await?)))
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
    Ok(Json(app.engine.complaint(&session.merchant.id, &id).await?))
}
