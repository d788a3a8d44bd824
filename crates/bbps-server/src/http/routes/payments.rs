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
use utoipa::IntoParams;

use crate::http::auth::WidgetSession;
use crate::http::client_ip::ClientIp;
use crate::state::AppState;
use bbps_engine::Viewer;
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
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(req): ApiJson<CreatePaymentRequest>,
) -> ApiResult<(StatusCode, Json<Payment>)> {
    let key = idempotency_key(&headers)?;
    let (rec, replayed) = app.engine.create_payment(&session.merchant, &session.session_id, key, req, ip).await?;
    let status = if replayed { StatusCode::OK } else { StatusCode::CREATED };
    let payment = Payment { client_secret: Some(app.client_secrets.issue(&rec.id)), ..rec.to_api() };
    Ok((status, Json(payment)))
}

const CLIENT_SECRET_HEADER: &str = "bbps-client-secret";

/// Who the caller is to this payment: the holder of its client secret when one is presented (a wrong one is
/// answered as a missing payment, so it tells nothing), else the session.
fn viewer<'a>(
    app: &AppState,
    session: &'a WidgetSession,
    id: &PaymentId,
    client_secret: Option<&str>,
) -> Result<Viewer<'a>, HttpError> {
    match client_secret {
        Some(secret) if app.client_secrets.opens(secret, id) => Ok(Viewer::SecretHolder),
        Some(_) => Err(HttpError::new(ErrorCode::PaymentNotFound, "no payment has this id")),
        None => Ok(Viewer::Session(&session.session_id)),
    }
}

/// A payment: status, charges, UPI instructions while it waits, receipt, failure or refund.
///
/// Visible to the session that created it, or with its client secret (from the creation's answer) in the
/// `BBPS-Client-Secret` header; to anyone else it does not exist (`payment_not_found`).
#[utoipa::path(
    get,
    path = "/v1/payments/{payment_id}",
    tag = "widget",
    security(("session" = [])),
    params(
        ("payment_id" = String, Path, pattern = "^pay_[a-z0-9]{24}$"),
        ("BBPS-Client-Secret" = Option<String>, Header, description = "The payment's client secret", pattern = "^pay_[a-z0-9]{24}_secret_[a-z0-9]{32}$"),
    ),
    responses((status = 200, description = "The payment", body = Payment), CommonErrors, NotFoundError)
)]
pub async fn get(
    State(app): State<AppState>,
    session: WidgetSession,
    headers: HeaderMap,
    ApiPath(id): ApiPath<PaymentId>,
) -> ApiResult<Json<Payment>> {
    let secret = headers.get(CLIENT_SECRET_HEADER).map(|v| v.to_str().unwrap_or(""));
    let viewer = viewer(&app, &session, &id, secret)?;
    Ok(Json(app.engine.payment_for(&session.merchant.id, &id, viewer).await?.to_api()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// The session token (`EventSource` cannot send an `Authorization` header).
    #[param(min_length = 1, max_length = 512)]
    pub token: Option<String>,
    /// The payment's client secret, for a session that did not create it.
    #[param(pattern = "^pay_[a-z0-9]{24}_secret_[a-z0-9]{32}$")]
    pub client_secret: Option<String>,
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
    client: ClientIp,
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
    let viewer = viewer(&app, &session, &id, q.client_secret.as_deref())?;
    let slot = app.streams.claim(&session.session_id, client.bucket())?;
    // Subscribe before reading, so no change between the read and the subscription is missed.
    let rx = app.events.subscribe(&id);
    let current = app.engine.payment_for(&session.merchant.id, &id, viewer).await?.to_api();
    // The first item is the stored state; then each change of this payment, skipping to the latest.
    let first = futures_util::stream::once(std::future::ready(current.clone()));
    let changes = futures_util::stream::unfold((rx, current), |(mut rx, mut last)| async move {
        loop {
            rx.changed().await.ok()?;
            let latest = rx.borrow_and_update().clone();
            if let Some(p) = latest.filter(|p| p.updated_at >= last.updated_at && **p != last) {
                last = Arc::unwrap_or_clone(p);
                return Some((last.clone(), (rx, last)));
            }
        }
    });
    let mut shutdown = app.shutdown.clone();
    let until_shutdown = async move {
        let _ = shutdown.wait_for(|stopping| *stopping).await;
    };
    // A stream lives no longer than its session's token.
    let left = (session.expires_at.unix_millis() - crate::util::now().unix_millis()).max(0) as u64;
    let until_expiry = tokio::time::sleep(Duration::from_millis(left));
    let events = first
        .chain(changes)
        .map(move |payment| {
            // The slot is held for as long as the stream is.
            let _held = &slot;
            Ok(Event::default().event("payment").json_data(PaymentEvent { payment }).unwrap_or_default())
        })
        .take_until(Box::pin(until_shutdown))
        .take_until(Box::pin(until_expiry));
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
