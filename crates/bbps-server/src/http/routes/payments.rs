//! Payments: create (idempotent), read, and the push channel of its changes (server-sent events).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use bbps_core::api::{CreatePaymentRequest, Payment, PaymentEvent};
use bbps_core::{ApiError, ErrorCode, IdempotencyKey, PaymentId};
use futures_util::{Stream, StreamExt};
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;
use utoipa::IntoParams;

use crate::http::auth::WidgetSession;
use crate::state::AppState;
use bbps_http::responses::{BodyErrors, CommonErrors, NotFoundError};
use bbps_http::{ApiJson, ApiPath, ApiQuery};
use bbps_http::{ApiResult, HttpError};

const IDEMPOTENCY_HEADER: &str = "idempotency-key";

/// The `Idempotency-Key` header.
fn idempotency_key(headers: &HeaderMap) -> Result<IdempotencyKey, HttpError> {
    let value = headers.get(IDEMPOTENCY_HEADER).ok_or_else(|| {
        HttpError::field(ErrorCode::IdempotencyKeyMissing, "send an Idempotency-Key header", "Idempotency-Key")
    })?;
    IdempotencyKey::parse(value.to_str().unwrap_or("")).map_err(|_| {
        HttpError::field(
            ErrorCode::IdempotencyKeyInvalid,
            "the Idempotency-Key must be 8 to 64 letters, digits, '-' or '_'",
            "Idempotency-Key",
        )
    })
}

/// Create a payment (or return the one this `Idempotency-Key` created).
///
/// The server checks `amount` against the quote (or the chosen amount option), the biller's exactness and its
/// UPI limits, adds the convenience fee, and answers with the UPI link and QR payload for the total.
#[utoipa::path(
    post,
    path = "/v1/payments",
    tag = "widget",
    security(("session" = [])),
    params((
        "Idempotency-Key" = String, Header,
        description = "Unique per payment attempt; the same key and body return the same payment",
        min_length = 8, max_length = 64, pattern = "^[A-Za-z0-9_-]{8,64}$"
    )),
    request_body = CreatePaymentRequest,
    responses(
        (status = 201, description = "The new payment, awaiting the UPI debit", body = Payment),
        (status = 200, description = "The payment this key created before (idempotent replay)", body = Payment),
        (status = 409, description = "`idempotency_key_reused` or `quote_already_used`", body = ApiError),
        (status = 410, description = "`quote_expired`", body = ApiError),
        CommonErrors,
        BodyErrors,
        NotFoundError,
    )
)]
pub async fn create(
    State(app): State<AppState>,
    session: WidgetSession,
    headers: HeaderMap,
    ApiJson(req): ApiJson<CreatePaymentRequest>,
) -> ApiResult<(StatusCode, Json<Payment>)> {
    let key = idempotency_key(&headers)?;
    let (rec, replayed) = app.engine.create_payment(&session.merchant, &session.session_id, key, req).await?;
    let status = if replayed { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(rec.to_api())))
}

/// A payment: status, charges, UPI instructions while it waits, receipt, failure or refund.
#[utoipa::path(
    get,
    path = "/v1/payments/{payment_id}",
    tag = "widget",
    security(("session" = [])),
    params(("payment_id" = String, Path, pattern = "^pay_[a-z0-9]{24}$")),
    responses((status = 200, description = "The payment", body = Payment), CommonErrors, NotFoundError)
)]
pub async fn get(
    State(app): State<AppState>,
    session: WidgetSession,
    ApiPath(id): ApiPath<PaymentId>,
) -> ApiResult<Json<Payment>> {
    Ok(Json(app.engine.payment(&session.merchant.id, &id).await?.to_api()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// The session token (`EventSource` cannot send an `Authorization` header).
    #[param(min_length = 1, max_length = 512)]
    pub token: Option<String>,
}

/// Server-sent events of a payment: event `payment` with a `PaymentEvent`, the current state first and then
/// every change, with keep-alive comments. Polling `GET /v1/payments/{id}` is the fallback.
#[utoipa::path(
    get,
    path = "/v1/payments/{payment_id}/events",
    tag = "widget",
    params(("payment_id" = String, Path, pattern = "^pay_[a-z0-9]{24}$"), EventsQuery),
    responses(
        (status = 200, description = "`text/event-stream` of `payment` events (data: PaymentEvent)", content_type = "text/event-stream", body = String),
        CommonErrors,
        NotFoundError,
    )
)]
pub async fn events(
    State(app): State<AppState>,
    headers: HeaderMap,
    ApiPath(id): ApiPath<PaymentId>,
    ApiQuery(q): ApiQuery<EventsQuery>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let header_token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::to_owned);
    let token = q.token.or(header_token).ok_or_else(|| {
        HttpError::field(ErrorCode::SessionTokenMissing, "pass the session token as ?token=", "token")
    })?;
    let session: WidgetSession = app.authenticate_session(&token).await?;
    // Subscribe before reading, so no change between the read and the subscription is missed.
    let rx = app.events.subscribe();
    let current = app.engine.payment(&session.merchant.id, &id).await?.to_api();
    let merchant = session.merchant.id.clone();
    let state = (rx, Some(current.clone()), current, app.clone());
    let stream = futures_util::stream::unfold(state, move |(mut rx, mut pending, mut last, app)| {
        let (id, merchant) = (id.clone(), merchant.clone());
        async move {
            loop {
                if let Some(p) = pending.take() {
                    last = p.clone();
                    return Some((p, (rx, None, last, app)));
                }
                match rx.recv().await {
                    Ok(p) if p.id == id && p.updated_at >= last.updated_at && *p != last => {
                        pending = Some(Arc::unwrap_or_clone(p));
                    }
                    Ok(_) => {}
                    Err(RecvError::Lagged(_)) => {
                        // Too far behind to trust the queue: send the stored state.
                        if let Ok(p) = app.engine.payment(&merchant, &id).await {
                            pending = Some(p.to_api()).filter(|p| *p != last);
                        }
                    }
                    Err(RecvError::Closed) => return None,
                }
            }
        }
    });
    let mut shutdown = app.shutdown.clone();
    let until_shutdown = async move {
        let _ = shutdown.wait_for(|stopping| *stopping).await;
    };
    let events = stream
        .map(|payment| Ok(Event::default().event("payment").json_data(PaymentEvent { payment }).unwrap_or_default()))
        .take_until(Box::pin(until_shutdown));
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
