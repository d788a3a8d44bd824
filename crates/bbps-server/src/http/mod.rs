//! The HTTP transport: the router with its layers and fallbacks, built from the same route list as the OpenAPI
//! document. Handlers parse, call the engine and answer; nothing here decides about money.

pub mod assets;
pub mod auth;
pub mod client_ip;
pub mod hosting;
pub mod loader;
pub mod openapi;
pub mod ratelimit;
pub mod routes;
pub mod streams;
pub mod widget_page;
pub mod widget_strings;

use std::time::Duration;

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use axum::{Router, middleware};
use bbps_core::{ApiError, ErrorCode};
use bbps_http::api_error_response;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::timeout::RequestBodyTimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use ratelimit::limit_by_address;

/// Request ids unique across instances without a system call per request (a UUID v4 asks the kernel for random
/// bytes each time): a random prefix per process and a counter.
#[derive(Clone)]
struct RequestIds {
    prefix: u64,
    next: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl RequestIds {
    fn new() -> RequestIds {
        RequestIds { prefix: rand::random(), next: std::sync::Arc::default() }
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        HeaderValue::from_str(&format!("{:016x}-{n:x}", self.prefix)).ok().map(RequestId::new)
    }
}

async fn not_found(request: Request) -> Response {
    api_error_response(ApiError::new(ErrorCode::NotFound, format!("no route for {}", request.uri().path())))
}

/// Axum answers a wrong method with a bare 405 (keeping each route's layers, such as CORS preflight handling);
/// this gives that answer the envelope, keeping its `Allow` header.
async fn envelope_bare_errors(request: Request, next: middleware::Next) -> Response {
    let (method, path) = (request.method().clone(), request.uri().path().to_owned());
    let response = next.run(request).await;
    if response.status() != StatusCode::METHOD_NOT_ALLOWED || response.headers().contains_key(header::CONTENT_TYPE) {
        return response;
    }
    let allow = response.headers().get(header::ALLOW).cloned();
    let mut enveloped =
        api_error_response(ApiError::new(ErrorCode::MethodNotAllowed, format!("{method} is not allowed on {path}")));
    if let Some(allow) = allow {
        enveloped.headers_mut().insert(header::ALLOW, allow);
    }
    enveloped
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    api_error_response(ApiError::new(ErrorCode::Internal, "something went wrong on our side; try again"))
}

/// The widget's cross-origin calls (the widget rendered as a component on a merchant's own page). Bearer tokens,
/// no cookies; only this server's own origin and origins some merchant allows are answered, and the session's
/// own origin rules apply when it is opened.
fn widget_cors(state: &AppState) -> CorsLayer {
    let state = state.clone();
    let allowed = move |origin: HeaderValue, _: &axum::http::request::Parts| {
        let state = state.clone();
        async move {
            let Ok(origin) = origin.to_str() else { return false };
            origin.eq_ignore_ascii_case(&state.public_base)
                || state.engine.store().origin_allowed(origin).await.unwrap_or(false)
        }
    };
    CorsLayer::new()
        .allow_origin(AllowOrigin::async_predicate(allowed))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("idempotency-key"),
            HeaderName::from_static("bbps-client-secret"),
            HeaderName::from_static(routes::tracking::TRACKING_TOKEN_HEADER),
        ])
        .expose_headers([header::RETRY_AFTER, HeaderName::from_static("x-request-id")])
        .max_age(Duration::from_secs(600))
}

/// The whole router and the OpenAPI document built from the same routes. `extra` holds the routes of the
/// adapters that bring their own (the sandbox's UPI app in test mode).
pub fn router(state: AppState, extra: OpenApiRouter<AppState>) -> (Router, utoipa::openapi::OpenApi) {
    let widget = OpenApiRouter::new()
        .routes(routes!(routes::sessions::create_session))
        .routes(routes!(routes::catalogue::categories))
        .routes(routes!(routes::catalogue::billers))
        .routes(routes!(routes::catalogue::biller))
        .routes(routes!(routes::catalogue::plans))
        .routes(routes!(routes::bills::fetch))
        .routes(routes!(routes::bills::validate))
        .routes(routes!(routes::payments::create))
        .routes(routes!(routes::payments::get))
        .routes(routes!(routes::payments::events))
        .routes(routes!(routes::tracking::transactions))
        .routes(routes!(routes::tracking::send_code))
        .routes(routes!(routes::tracking::verify_code))
        .routes(routes!(routes::tracking::raise_complaint))
        .routes(routes!(routes::tracking::complaint))
        .routes(routes!(routes::tracking::reopen_complaint))
        .layer(widget_cors(&state));
    let merchant = OpenApiRouter::new()
        .routes(routes!(routes::merchant::list_payments))
        .routes(routes!(routes::merchant::get_payment))
        .routes(routes!(routes::merchant::integration, routes::merchant::update_integration))
        .routes(routes!(routes::merchant::webhook_deliveries))
        .routes(routes!(routes::merchant::refunds))
        .routes(routes!(routes::merchant::redeliver));
    let api = OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(widget)
        .merge(merchant)
        .routes(routes!(routes::psp::notification))
        .routes(routes!(routes::docs::healthz))
        .routes(routes!(routes::docs::readyz))
        .routes(routes!(routes::docs::openapi_json))
        .merge(extra);
    let (router, doc) = api.split_for_parts();
    let router = router
        .route("/bbps.js", get(loader::loader))
        .route("/widget", get(hosting::widget_redirect))
        .route("/widget/", get(hosting::widget_index))
        .route("/widget/{*path}", get(hosting::widget_asset))
        .fallback(not_found)
        .with_state(state.clone())
        .layer(middleware::from_fn(envelope_bare_errors))
        .layer(RequestBodyTimeoutLayer::new(state.config.body_read_timeout))
        .layer(middleware::from_fn_with_state(state.clone(), limit_by_address))
        .layer(axum::extract::DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(RequestIds::new()));
    (router, doc)
}
