//! Transaction tracking and complaints (widget calls, scoped to the session's merchant).

use axum::Json;
use axum::extract::State;
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use bbps_core::api::{
    Complaint, MobileNumber, RaiseComplaintRequest, ReopenComplaintRequest, SendTrackingCodeRequest, TrackRange,
    TrackRangeError, TrackingAccess, TrackingCodeSent, TransactionList, VerifyTrackingCodeRequest,
};
use bbps_core::{ApiError, ComplaintId, ErrorCode, TxnRef};
use bbps_http::HttpError;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::http::auth::WidgetSession;
use crate::state::AppState;
use crate::util::{after, now};
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

/// The header that carries a tracking token.
pub const TRACKING_TOKEN_HEADER: &str = "bbps-tracking-token";

/// How long a matched code lets a session list the number's payments.
const TRACKING_TOKEN_TTL: Duration = Duration::from_secs(15 * 60);

impl TrackQuery {
    async fn lookup(
        &self,
        app: &AppState,
        session: &WidgetSession,
        headers: &HeaderMap,
    ) -> Result<TransactionList, HttpError> {
        let merchant = &session.merchant.id;
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
        // A mobile number's payments are that customer's: shown only to a session that proved it holds the number.
        let token = headers.get(TRACKING_TOKEN_HEADER).and_then(|v| v.to_str().ok());
        match token {
            Some(token) if app.tracking_tokens.opens(token, &session.session_id, &mobile, now()) => {}
            Some(_) => {
                return Err(HttpError::field(
                    ErrorCode::OtpRequired,
                    "the tracking token is not for this number or has expired; verify the number again",
                    "mobile",
                ));
            }
            None => {
                return Err(HttpError::field(
                    ErrorCode::OtpRequired,
                    "verify the mobile number with a one-time code first (POST /v1/transactions/otp)",
                    "mobile",
                ));
            }
        }
        Ok(app.engine.track_by_mobile(merchant, &mobile, range).await?)
    }
}

/// Send a one-time code to a mobile number, before its payments are listed.
///
/// Six digits by SMS, good for a few minutes and a few tries. Codes are rate limited per number and per
/// merchant (`rate_limited`, with `retry_after`); a number with too many wrong codes is locked for a while
/// (`otp_locked`).
#[utoipa::path(
    post,
    path = "/v1/transactions/otp",
    tag = "widget",
    security(("session" = [])),
    request_body = SendTrackingCodeRequest,
    responses(
        (status = 201, description = "The code is on its way", body = TrackingCodeSent),
        (status = 429, description = "`rate_limited`, `otp_locked`", body = bbps_core::ApiError),
        CommonErrors,
        BodyErrors,
    )
)]
pub async fn send_code(
    State(app): State<AppState>,
    session: WidgetSession,
    ApiJson(req): ApiJson<SendTrackingCodeRequest>,
) -> ApiResult<(StatusCode, Json<TrackingCodeSent>)> {
    let sent = app.engine.send_tracking_code(&session.merchant, &req.mobile).await?;
    Ok((
        StatusCode::CREATED,
        Json(TrackingCodeSent {
            challenge_id: sent.challenge_id,
            mobile_masked: req.mobile.masked(),
            expires_at: sent.expires_at,
            resend_at: sent.resend_at,
        }),
    ))
}

/// Check a one-time code: a tracking token for the number when it matches.
///
/// Send the token as `BBPS-Tracking-Token` with `GET /v1/transactions?mobile=…`. A wrong code answers
/// `otp_invalid` with the tries left; a dead or used code `otp_expired`.
#[utoipa::path(
    post,
    path = "/v1/transactions/otp/verify",
    tag = "widget",
    security(("session" = [])),
    request_body = VerifyTrackingCodeRequest,
    responses(
        (status = 200, description = "The number is verified for this session", body = TrackingAccess),
        (status = 410, description = "`otp_expired`", body = bbps_core::ApiError),
        (status = 422, description = "`otp_invalid`", body = bbps_core::ApiError),
        CommonErrors,
        BodyErrors,
    )
)]
pub async fn verify_code(
    State(app): State<AppState>,
    session: WidgetSession,
    ApiJson(req): ApiJson<VerifyTrackingCodeRequest>,
) -> ApiResult<Json<TrackingAccess>> {
    let mobile = app.engine.verify_tracking_code(&session.merchant.id, &req.challenge_id, &req.code).await?;
    let expires_at = after(now(), TRACKING_TOKEN_TTL).min(session.expires_at);
    Ok(Json(TrackingAccess {
        tracking_token: app.tracking_tokens.issue(&session.session_id, &mobile, expires_at),
        mobile_masked: mobile.masked(),
        expires_at,
    }))
}

/// Track transactions: by `txn_ref`, or by `mobile` with `from` and `to` (IST dates, at most 90 days).
///
/// By `mobile`, the `BBPS-Tracking-Token` header must carry this session's proof of the number (from
/// `POST /v1/transactions/otp/verify`), else `otp_required`. Summaries are masked either way.
#[utoipa::path(
    get,
    path = "/v1/transactions",
    tag = "widget",
    security(("session" = [])),
    params(TrackQuery, ("BBPS-Tracking-Token" = Option<String>, Header, description = "Proof of the mobile number, for a lookup by `mobile`")),
    responses(
        (status = 200, description = "Matching transactions, newest first", body = TransactionList),
        (status = 401, description = "`otp_required`", body = bbps_core::ApiError),
        (status = 422, description = "`date_range_invalid`, `mobile_invalid`", body = bbps_core::ApiError),
        CommonErrors,
        NotFoundError,
    )
)]
pub async fn transactions(
    State(app): State<AppState>,
    session: WidgetSession,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<TrackQuery>,
) -> ApiResult<Json<TransactionList>> {
    Ok(Json(q.lookup(&app, &session, &headers).await?))
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

/// Reopen a closed ticket, once, within 30 days of its closing, saying why its outcome does not satisfy the
/// customer.
#[utoipa::path(
    post,
    path = "/v1/complaints/{complaint_id}/reopen",
    tag = "widget",
    security(("session" = [])),
    params(("complaint_id" = String, Path, pattern = "^[A-Z0-9]{15}$")),
    request_body = ReopenComplaintRequest,
    responses(
        (status = 200, description = "The reopened complaint", body = Complaint),
        (status = 409, description = "`complaint_still_open` or `complaint_already_reopened`", body = ApiError),
        CommonErrors, BodyErrors, NotFoundError, NetworkErrors
    )
)]
pub async fn reopen_complaint(
    State(app): State<AppState>,
    session: WidgetSession,
    ApiPath(id): ApiPath<ComplaintId>,
    ApiJson(req): ApiJson<ReopenComplaintRequest>,
) -> ApiResult<Json<Complaint>> {
    Ok(Json(app.engine.reopen_complaint(&session.merchant.id, &id, req).await?))
}
