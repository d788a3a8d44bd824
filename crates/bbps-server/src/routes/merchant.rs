//! The merchant server API (secret key): payments and the webhook delivery log.

use axum::Json;
use axum::extract::State;
use bbps_core::api::{Payment, PaymentList, WebhookDeliveryList};
use bbps_core::{ApiError, ErrorCode, PaymentId, PaymentStatus};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{CommonErrors, NotFoundError};
use crate::app::AppState;
use crate::auth::MerchantAuth;
use crate::domain::payments;
use crate::error::{ApiResult, AppError};
use crate::extract::{ApiPath, ApiQuery};
use crate::store::PaymentQuery;

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

fn bad(field: &str, message: &str) -> AppError {
    AppError(ApiError::new(ErrorCode::InvalidQuery, message).with_field(field))
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
    let status = q
        .status
        .as_deref()
        .map(|s| PaymentStatus::parse(s).ok_or_else(|| bad("status", "unknown payment status")))
        .transpose()?;
    // One more than asked tells whether another page exists.
    let mut items =
        app.store.list_payments(&merchant.id, PaymentQuery { status, limit: limit + 1, starting_after }).await?;
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
    Ok(Json(payments::get(&app, &merchant.id, &id).await?.to_api()))
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
    let items = app.store.webhook_deliveries(&merchant.id, payment.as_ref()).await?;
    Ok(Json(WebhookDeliveryList { items }))
}
