//! The merchant server API (secret key): payments, the integration settings (allowed origins, webhook
//! endpoint) and the webhook delivery log.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use bbps_core::api::{
    MAX_ALLOWED_ORIGINS, MerchantIntegration, Origin, Payment, PaymentList, RefundList, WebhookDelivery,
    WebhookDeliveryList,
};
use bbps_core::{ErrorCode, PaymentId, PaymentStatus, WebhookUrl};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::config::RunMode;
use crate::http::auth::MerchantAuth;
use crate::state::AppState;
use bbps_engine::ports::PaymentQuery;
use bbps_http::responses::BodyErrors;
use bbps_http::responses::{CommonErrors, NotFoundError};
use bbps_http::{ApiJson, ApiPath, ApiQuery};
use bbps_http::{ApiResult, HttpError};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Page size, at most 100 (20 by default).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[param(pattern = "^pay_[a-z0-9]{24}$")]
    pub starting_after: Option<String>,
    /// Only payments in this status.
    #[param(value_type = Option<PaymentStatus>)]
    pub status: Option<String>,
}

fn bad(field: &str, message: &str) -> HttpError {
    HttpError::field(ErrorCode::InvalidQuery, message, field)
}

/// List payments, newest first, with cursor pagination.
#[utoipa::path(
    get,
    path = "/v1/merchant/payments",
    tag = "merchant",
    security(("secret_key" = [])),
    params(ListQuery),
    responses((status = 200, description = "One page of payments", body = PaymentList), CommonErrors)
)]
pub async fn list_payments(
    State(app): State<AppState>,
    MerchantAuth(merchant): MerchantAuth,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<PaymentList>> {
    let limit = q.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(bad("limit", "limit must be between 1 and 100"));
    }
    let starting_after = q
        .starting_after
        .as_deref()
        .map(PaymentId::parse)
        .transpose()
        .map_err(|e| bad("starting_after", &e.to_string()))?;
    let status =
        q.status.as_deref().map(|s| PaymentStatus::parse(s).map_err(|e| bad("status", &e.to_string()))).transpose()?;
    // One more than asked tells whether another page exists.
    let mut items = app
        .engine
        .store()
        .list_payments(&merchant.id, PaymentQuery { status, limit: limit + 1, starting_after })
        .await?;
    let more = items.len() > limit as usize;
    items.truncate(limit as usize);
    let next_cursor = more.then(|| items.last().map(|p| p.id.clone())).flatten();
    Ok(Json(PaymentList { items: items.iter().map(|p| p.to_api()).collect(), next_cursor }))
}

/// A payment of this merchant.
#[utoipa::path(
    get,
    path = "/v1/merchant/payments/{payment_id}",
    tag = "merchant",
    security(("secret_key" = [])),
    params(("payment_id" = String, Path, pattern = "^pay_[a-z0-9]{24}$")),
    responses((status = 200, description = "The payment", body = Payment), CommonErrors, NotFoundError)
)]
pub async fn get_payment(
    State(app): State<AppState>,
    MerchantAuth(merchant): MerchantAuth,
    ApiPath(id): ApiPath<PaymentId>,
) -> ApiResult<Json<Payment>> {
    Ok(Json(app.engine.payment_for(&merchant.id, &id, bbps_engine::Viewer::Merchant).await?.to_api()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveriesQuery {
    /// Only the deliveries of this payment.
    #[param(pattern = "^pay_[a-z0-9]{24}$")]
    pub payment_id: Option<String>,
}

/// The webhook delivery log: every event, its attempts (status code, error) and the next attempt.
#[utoipa::path(
    get,
    path = "/v1/merchant/webhook-deliveries",
    tag = "merchant",
    security(("secret_key" = [])),
    params(DeliveriesQuery),
    responses((status = 200, description = "Deliveries, newest first", body = WebhookDeliveryList), CommonErrors)
)]
pub async fn webhook_deliveries(
    State(app): State<AppState>,
    MerchantAuth(merchant): MerchantAuth,
    ApiQuery(q): ApiQuery<DeliveriesQuery>,
) -> ApiResult<Json<WebhookDeliveryList>> {
    let payment =
        q.payment_id.as_deref().map(PaymentId::parse).transpose().map_err(|e| bad("payment_id", &e.to_string()))?;
    let items = app.engine.store().webhook_deliveries(&merchant.id, payment.as_ref()).await?;
    Ok(Json(WebhookDeliveryList { items }))
}

/// Send one webhook event once more, now: after its retries ran out, or to replay it. Answers the delivery as
/// the log shows it.
#[utoipa::path(
    post,
    path = "/v1/merchant/webhook-deliveries/{event_id}/redeliver",
    tag = "merchant",
    security(("secret_key" = [])),
    params(("event_id" = String, Path, pattern = "^evt_[a-z0-9]{24}$")),
    responses(
        (status = 202, description = "Queued; the dispatcher sends it at once", body = WebhookDelivery),
        (status = 404, description = "`webhook_delivery_not_found`", body = bbps_core::ApiError),
        CommonErrors,
    )
)]
pub async fn redeliver(
    State(app): State<AppState>,
    MerchantAuth(merchant): MerchantAuth,
    Path(event_id): Path<String>,
) -> ApiResult<(StatusCode, Json<WebhookDelivery>)> {
    let not_found =
        || HttpError::new(ErrorCode::WebhookDeliveryNotFound, "no webhook event of this merchant has this id");
    let well_formed = event_id
        .strip_prefix("evt_")
        .is_some_and(|r| r.len() == 24 && r.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    if !well_formed {
        return Err(not_found());
    }
    app.engine.redeliver_webhook(&merchant.id, &event_id).await?;
    let log = app.engine.store().webhook_deliveries(&merchant.id, None).await?;
    let delivery = log.into_iter().find(|d| d.event_id == event_id).ok_or_else(not_found)?;
    Ok((StatusCode::ACCEPTED, Json(delivery)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RefundsQuery {
    /// How many, at most 100 (50 by default).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// The refunds of this merchant's payments, newest first: the payment's own refund when its bill could not be
/// paid, and the refund of any extra debit on its link. Escalated refunds carry `escalated_at`.
#[utoipa::path(
    get,
    path = "/v1/merchant/refunds",
    tag = "merchant",
    security(("secret_key" = [])),
    params(RefundsQuery),
    responses((status = 200, description = "Refunds, newest first", body = RefundList), CommonErrors)
)]
pub async fn refunds(
    State(app): State<AppState>,
    MerchantAuth(merchant): MerchantAuth,
    ApiQuery(q): ApiQuery<RefundsQuery>,
) -> ApiResult<Json<RefundList>> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=100).contains(&limit) {
        return Err(bad("limit", "limit must be between 1 and 100"));
    }
    let items = app.engine.store().merchant_refunds(&merchant.id, limit).await?;
    Ok(Json(RefundList { items: items.iter().filter_map(|r| r.to_api()).collect() }))
}

fn integration_of(merchant: &bbps_engine::model::Merchant) -> MerchantIntegration {
    // Stored values were checked when they were written; one that no longer parses is left out, not served.
    MerchantIntegration {
        allowed_origins: merchant.allowed_origins.iter().filter_map(|o| Origin::parse(o).ok()).collect(),
        webhook_url: merchant.webhook_url.as_deref().and_then(|u| WebhookUrl::parse(u).ok()),
    }
}

/// The origins allowed to embed this merchant's widget, and its webhook endpoint.
#[utoipa::path(
    get,
    path = "/v1/merchant/integration",
    tag = "merchant",
    security(("secret_key" = [])),
    responses((status = 200, description = "The integration settings", body = MerchantIntegration), CommonErrors)
)]
pub async fn integration(MerchantAuth(merchant): MerchantAuth) -> Json<MerchantIntegration> {
    Json(integration_of(&merchant))
}

/// Replace the allowed origins and the webhook endpoint (`null` stops webhooks). Takes effect at once for new
/// widget sessions and new webhook events.
#[utoipa::path(
    put,
    path = "/v1/merchant/integration",
    tag = "merchant",
    security(("secret_key" = [])),
    request_body = MerchantIntegration,
    responses((status = 200, description = "The settings now in force", body = MerchantIntegration), CommonErrors, BodyErrors)
)]
pub async fn update_integration(
    State(app): State<AppState>,
    MerchantAuth(merchant): MerchantAuth,
    ApiJson(settings): ApiJson<MerchantIntegration>,
) -> ApiResult<Json<MerchantIntegration>> {
    if settings.allowed_origins.len() > MAX_ALLOWED_ORIGINS {
        return Err(HttpError::field(
            ErrorCode::BadRequest,
            format!("at most {MAX_ALLOWED_ORIGINS} origins may be allowed"),
            "allowed_origins",
        ));
    }
    let plain_http = settings.webhook_url.as_ref().is_some_and(|u| u.as_str().starts_with("http://"));
    if app.config.mode == RunMode::Live && plain_http {
        return Err(HttpError::field(ErrorCode::BadRequest, "live webhooks go to https:// URLs", "webhook_url"));
    }
    app.engine.update_integration(&merchant.id, &settings).await?;
    Ok(Json(settings))
}
