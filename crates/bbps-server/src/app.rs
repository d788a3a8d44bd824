//! Assembly: the state every handler shares, the router with its layers and fallbacks, and start-up (store,
//! secrets, demo merchant, sandbox network and PSP, worker, the demo merchant site, graceful shutdown).

use std::net::SocketAddr;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use axum::extract::Request;
use axum::http::{HeaderName, Method, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use axum::{Router, middleware};
use bbps_core::upi::Mcc;
use bbps_core::{ApiError, ErrorCode, MerchantId, Vpa};
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::keys;
use crate::auth::session::SessionSigner;
use crate::bbps::BbpsProvider;
use crate::bbps::sandbox::accounts::{SandboxAccounts, accounts};
use crate::bbps::sandbox::network::SandboxTimings;
use crate::bbps::sandbox::{SandboxNetwork, generator};
use crate::catalogue::Catalogue;
use crate::config::{Config, RunMode, loopback_if_unspecified};
use crate::demo_site::{DemoListener, DemoSite, configure_demo_merchant};
use crate::error::api_error_response;
use crate::events::EventHub;
use crate::model::Merchant;
use crate::psp::UpiPsp;
use crate::psp::sandbox::SandboxPsp;
use crate::ratelimit::{RateLimits, limit_by_address};
use crate::routes;
use crate::store::{SqliteStore, Store};
use crate::util::now;

pub struct AppInner {
    pub config: Config,
    /// `scheme://host[:port]` browsers use to reach this server.
    pub public_base: String,
    pub store: Arc<dyn Store>,
    pub bbps: Arc<dyn BbpsProvider>,
    pub psp: Arc<dyn UpiPsp>,
    /// The sandbox PSP's payer simulator (sandbox mode only).
    pub sandbox_psp: Option<Arc<SandboxPsp>>,
    pub sandbox_accounts: Option<Arc<SandboxAccounts>>,
    pub catalogue: Arc<Catalogue>,
    pub sessions: SessionSigner,
    pub limits: RateLimits,
    pub events: EventHub,
    pub wake_worker: Notify,
    pub wake_webhooks: Notify,
    pub http: reqwest::Client,
    pub openapi: OnceLock<String>,
    /// The widget's files, compressed once in the background.
    pub assets: Arc<crate::assets::AssetCache>,
    /// Turns `true` when the server starts shutting down (ends SSE streams and the worker).
    pub shutdown: watch::Receiver<bool>,
}

#[derive(Clone)]
pub struct AppState(Arc<AppInner>);

impl Deref for AppState {
    type Target = AppInner;
    fn deref(&self) -> &AppInner {
        &self.0
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("live mode needs a real BBPS provider and PSP adapter; none is built in yet (use --mode sandbox)")]
    LiveModeUnavailable,
    #[error("cannot open the database {path}: {reason}")]
    Database { path: String, reason: String },
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("cannot listen on {addr} for the demo merchant site: {source} (BBPS_DEMO_LISTEN=off turns it off)")]
    DemoBind { addr: SocketAddr, source: std::io::Error },
    #[error("cannot build the HTTP client: {0}")]
    Http(String),
}

/// A started server: its address and state, and the handle to stop it.
pub struct RunningServer {
    pub addr: SocketAddr,
    /// The demo merchant site's address, when it runs.
    pub demo_addr: Option<SocketAddr>,
    pub state: AppState,
    shutdown: watch::Sender<bool>,
    server: JoinHandle<()>,
    background: Vec<JoinHandle<()>>,
}

impl RunningServer {
    /// `http://<addr>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", loopback_if_unspecified(self.addr))
    }

    /// `http://<demo address>`, when the demo merchant site runs.
    pub fn demo_url(&self) -> Option<String> {
        self.demo_addr.map(|a| format!("http://{a}"))
    }

    /// Stops accepting connections, lets in-flight requests finish (up to the grace period), stops the worker.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        let grace = self.state.config.shutdown_grace;
        let mut server = self.server;
        if tokio::time::timeout(grace, &mut server).await.is_err() {
            tracing::warn!("in-flight requests did not finish within the grace period; stopping anyway");
            server.abort();
        }
        for task in self.background {
            let _ = tokio::time::timeout(grace, task).await;
        }
    }

    /// Resolves when the server task ends (after shutdown, or if serving fails).
    pub async fn wait(&mut self) {
        let _ = (&mut self.server).await;
    }
}

fn db_error(config: &Config, e: impl std::fmt::Display) -> StartError {
    StartError::Database { path: config.database.display().to_string(), reason: e.to_string() }
}

/// The sandbox demo merchant with its fixed, documented keys.
pub fn demo_merchant() -> Option<Merchant> {
    Some(Merchant {
        id: MerchantId::parse(keys::DEMO_MERCHANT_ID).ok()?,
        name: keys::DEMO_MERCHANT_NAME.to_owned(),
        publishable_key: keys::DEMO_PUBLISHABLE_KEY.to_owned(),
        secret_key_hash: keys::hash_secret(keys::DEMO_SECRET_KEY),
        allowed_origins: keys::DEMO_ORIGINS.iter().map(|o| (*o).to_owned()).collect(),
        webhook_url: None,
        webhook_secret: keys::DEMO_WEBHOOK_SECRET.to_owned(),
        upi_vpa: Vpa::parse(keys::DEMO_VPA).ok()?,
        upi_name: "BBPS Demo Bill Payments".to_owned(),
        mcc: Mcc::parse("4900").ok()?,
        created_at: now(),
    })
}

/// A secret from the configuration, or the one generated and kept in the database on first start.
async fn secret(
    store: &dyn Store,
    configured: &Option<String>,
    key: &str,
) -> Result<Vec<u8>, crate::store::StoreError> {
    match configured {
        Some(s) => Ok(s.as_bytes().to_vec()),
        None => Ok(store.setting_or_insert(key, hex::encode(crate::util::random_bytes::<32>())).await?.into_bytes()),
    }
}

/// Opens the store (creating and migrating the database) and seeds the demo merchant on first start.
pub async fn open_store(config: &Config) -> Result<Arc<SqliteStore>, StartError> {
    let path = config.database.clone();
    let store = tokio::task::spawn_blocking(move || SqliteStore::open(&path))
        .await
        .map_err(|e| db_error(config, e))?
        .map_err(|e| db_error(config, e))?;
    if config.mode == RunMode::Sandbox
        && let Some(demo) = demo_merchant()
        && store.merchant(&demo.id).await.map_err(|e| db_error(config, e))?.is_none()
    {
        // Another process may seed it at the same moment; either insert is fine.
        if let Err(e) = store.insert_merchant(&demo).await {
            tracing::debug!(%e, "demo merchant already seeded");
        } else {
            tracing::info!(publishable_key = keys::DEMO_PUBLISHABLE_KEY, "seeded the sandbox demo merchant");
        }
    }
    Ok(Arc::new(store))
}

/// Starts the server on `config.listen` (port 0 picks a free port) and returns once it accepts connections.
pub async fn start(config: Config) -> Result<RunningServer, StartError> {
    if config.mode == RunMode::Live {
        return Err(StartError::LiveModeUnavailable);
    }
    let store = open_store(&config).await?;
    let session_key =
        secret(store.as_ref(), &config.session_secret, "session_secret").await.map_err(|e| db_error(&config, e))?;
    let psp_key =
        secret(store.as_ref(), &config.psp_secret, "sandbox_psp_secret").await.map_err(|e| db_error(&config, e))?;
    let listener =
        TcpListener::bind(config.listen).await.map_err(|source| StartError::Bind { addr: config.listen, source })?;
    let addr = listener.local_addr().map_err(|source| StartError::Bind { addr: config.listen, source })?;
    let public_base = config.public_base(addr);
    let demo = match config.demo_listen {
        Some(demo_addr) if config.mode == RunMode::Sandbox => Some(
            DemoListener::bind(demo_addr).await.map_err(|source| StartError::DemoBind { addr: demo_addr, source })?,
        ),
        _ => None,
    };
    configure_demo_merchant(store.as_ref(), demo.as_ref()).await.map_err(|e| db_error(&config, e))?;
    let http = reqwest::Client::builder()
        .timeout(config.webhook.timeout)
        .build()
        .map_err(|e| StartError::Http(e.to_string()))?;

    let billers = generator::catalogue(config.sandbox.biller_count.unwrap_or(0));
    let timings = SandboxTimings {
        slow_delay: config.sandbox.slow_delay,
        pending_settle: config.sandbox.pending_settle,
        complaint_step: config.sandbox.complaint_step,
    };
    let db = config.database.clone();
    let network = tokio::task::spawn_blocking(move || SandboxNetwork::open(&db, billers, timings))
        .await
        .map_err(|e| db_error(&config, e))?
        .map_err(|e| db_error(&config, e))?;
    let network: Arc<dyn BbpsProvider> = Arc::new(network);
    let catalogue_billers = network.billers().await.map_err(|e| db_error(&config, e))?;
    let sandbox_accounts = Arc::new(accounts(&catalogue_billers));
    let catalogue = Arc::new(Catalogue::new(catalogue_billers));
    let callback_url = format!("http://{}/v1/psp/callback", loopback_if_unspecified(addr));
    let psp = SandboxPsp::open(&config.database, psp_key, config.callback_tolerance, callback_url, http.clone())
        .map_err(|e| db_error(&config, e))?;
    let psp = Arc::new(psp);

    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let state = AppState(Arc::new(AppInner {
        limits: RateLimits::new(config.ip_rate_limit, config.session_rate_limit),
        public_base,
        store,
        bbps: network,
        psp: psp.clone(),
        sandbox_psp: Some(psp),
        sandbox_accounts: Some(sandbox_accounts),
        catalogue,
        sessions: SessionSigner::new(session_key),
        events: EventHub::default(),
        wake_worker: Notify::new(),
        wake_webhooks: Notify::new(),
        http,
        openapi: OnceLock::new(),
        assets: Arc::default(),
        shutdown: shutdown_rx.clone(),
        config,
    }));
    let (router, doc) = router(state.clone());
    let _ = state.openapi.set(doc.to_json().unwrap_or_default());
    state.assets.warm(&state.config.widget_dist);

    let mut background = Vec::new();
    if state.config.worker {
        background.push(tokio::spawn(crate::domain::worker::run(state.clone(), shutdown_rx.clone())));
        background.push(tokio::spawn(crate::webhooks::run(state.clone(), shutdown_rx.clone())));
    }
    let demo_addr = demo.as_ref().map(DemoListener::addr);
    if let Some(listener) = demo {
        let api_base = format!("http://{}", loopback_if_unspecified(addr));
        let site = DemoSite::new(state.public_base.clone(), api_base, state.http.clone(), &listener);
        tracing::info!(demo = %listener.origin(), "demo merchant site listening");
        background.push(crate::demo_site::serve(listener, site, shutdown_rx.clone()));
    }
    let mut stop = shutdown_rx;
    let service = router.into_make_service_with_connect_info::<SocketAddr>();
    let server = tokio::spawn(async move {
        let graceful = async move {
            let _ = stop.wait_for(|stopping| *stopping).await;
        };
        if let Err(e) = axum::serve(listener, service).with_graceful_shutdown(graceful).await {
            tracing::error!(%e, "server stopped with an error");
        }
    });
    tracing::info!(%addr, public = %state.public_base, worker = state.config.worker, billers = state.catalogue.len(), "bbps-server listening");
    Ok(RunningServer { addr, demo_addr, state, shutdown: shutdown_tx, server, background })
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

/// The widget's cross-origin calls (the widget rendered on a merchant's own page). Bearer tokens, no cookies:
/// the origin check that matters happens when the session is opened.
fn widget_cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            axum::http::header::AUTHORIZATION,
            axum::http::header::CONTENT_TYPE,
            HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([axum::http::header::RETRY_AFTER, HeaderName::from_static("x-request-id")])
        .max_age(std::time::Duration::from_secs(600))
}

/// The whole router and the OpenAPI document built from the same routes.
pub fn router(state: AppState) -> (Router, utoipa::openapi::OpenApi) {
    let widget = OpenApiRouter::new()
        .routes(routes!(routes::sessions::create_session))
        .routes(routes!(routes::catalogue::categories))
        .routes(routes!(routes::catalogue::billers))
        .routes(routes!(routes::catalogue::biller))
        .routes(routes!(routes::bills::fetch))
        .routes(routes!(routes::bills::validate))
        .routes(routes!(routes::payments::create))
        .routes(routes!(routes::payments::get))
        .routes(routes!(routes::payments::events))
        .routes(routes!(routes::tracking::transactions))
        .routes(routes!(routes::tracking::raise_complaint))
        .routes(routes!(routes::tracking::complaint))
        .layer(widget_cors());
    let merchant = OpenApiRouter::new()
        .routes(routes!(routes::merchant::list_payments))
        .routes(routes!(routes::merchant::get_payment))
        .routes(routes!(routes::merchant::webhook_deliveries));
    let limited = widget.merge(merchant).layer(middleware::from_fn_with_state(state.clone(), limit_by_address));
    let mut api = OpenApiRouter::with_openapi(crate::openapi::ApiDoc::openapi())
        .merge(limited)
        .routes(routes!(routes::psp::callback))
        .routes(routes!(routes::docs::healthz))
        .routes(routes!(routes::docs::openapi_json));
    if state.sandbox_psp.is_some() {
        api = api
            .routes(routes!(routes::sandbox::upi_page))
            .routes(routes!(routes::sandbox::pay))
            .routes(routes!(routes::sandbox::accounts));
    }
    let (router, doc) = api.split_for_parts();
    let router = router
        .route("/bbps.js", get(crate::loader::loader))
        .route("/widget", get(crate::hosting::widget_redirect))
        .route("/widget/", get(crate::hosting::widget_index))
        .route("/widget/{*path}", get(crate::hosting::widget_asset))
        .fallback(not_found)
        .with_state(state.clone())
        .layer(middleware::from_fn(envelope_bare_errors))
        .layer(axum::extract::DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid));
    (router, doc)
}
