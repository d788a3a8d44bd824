//! Start-up: open the store, choose the network and PSP adapters for the mode, build the engine over them, start
//! its workers and serve the router until shutdown.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use bbps_core::sandbox as demo;
use bbps_core::upi::Mcc;
use bbps_core::{MerchantId, Vpa};
use bbps_engine::model::Merchant;
use bbps_engine::ports::{RandomIds, Store, SystemClock};
use bbps_engine::{Adapters, Engine};
use bbps_sandbox::{Sandbox, SandboxOptions, SandboxTimings};
use bbps_store_sqlite::SqliteStore;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::{Config, RunMode, loopback_if_unspecified};
use crate::http::auth::keys;
use crate::http::auth::session::SessionSigner;
use crate::http::ratelimit::RateLimits;
use crate::notifier::EventHub;
use crate::state::{AppInner, AppState};
use crate::util::now;
use crate::webhook_client::HttpWebhooks;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("live mode needs a real BBPS network and PSP adapter; none is built in yet (use --mode sandbox)")]
    LiveModeUnavailable,
    #[error("cannot open the database {path}: {reason}")]
    Database { path: String, reason: String },
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("cannot build the HTTP client: {0}")]
    Http(String),
    #[error("cannot read the biller catalogue from the network: {0}")]
    Catalogue(String),
}

/// A started server: its address and state, and the handle to stop it.
pub struct RunningServer {
    pub addr: SocketAddr,
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

    /// Stops accepting connections, lets in-flight requests finish (up to the grace period), stops the workers.
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
        id: MerchantId::parse(demo::DEMO_MERCHANT_ID).ok()?,
        name: demo::DEMO_MERCHANT_NAME.to_owned(),
        publishable_key: demo::DEMO_PUBLISHABLE_KEY.to_owned(),
        secret_key_hash: keys::hash_secret(demo::DEMO_SECRET_KEY),
        allowed_origins: demo::DEMO_ORIGINS.iter().map(|o| (*o).to_owned()).collect(),
        webhook_url: None,
        webhook_secret: demo::DEMO_WEBHOOK_SECRET.to_owned(),
        upi_vpa: Vpa::parse(demo::DEMO_VPA).ok()?,
        upi_name: "BBPS Demo Bill Payments".to_owned(),
        mcc: Mcc::parse("4900").ok()?,
        created_at: now(),
    })
}

/// A secret from the configuration, or the one generated and kept in the database on first start.
async fn secret(store: &dyn Store, configured: &Option<String>, key: &str) -> Result<Vec<u8>, String> {
    match configured {
        Some(s) => Ok(s.as_bytes().to_vec()),
        None => store
            .setting_or_insert(key, hex::encode(crate::util::random_bytes::<32>()))
            .await
            .map(String::into_bytes)
            .map_err(|e| e.to_string()),
    }
}

/// Opens the store (creating and migrating the database) and, in sandbox mode, seeds the demo merchant on first
/// start.
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
            tracing::info!(publishable_key = demo::DEMO_PUBLISHABLE_KEY, "seeded the sandbox demo merchant");
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
    let http = reqwest::Client::builder()
        .timeout(config.webhook.timeout)
        .build()
        .map_err(|e| StartError::Http(e.to_string()))?;

    let options = SandboxOptions {
        database: config.database.clone(),
        biller_count: config.sandbox.biller_count,
        timings: SandboxTimings {
            slow_delay: config.sandbox.slow_delay,
            pending_settle: config.sandbox.pending_settle,
            complaint_step: config.sandbox.complaint_step,
        },
        psp_secret: psp_key,
        callback_tolerance: config.callback_tolerance,
        callback_url: format!("http://{}/v1/psp/callback", loopback_if_unspecified(addr)),
        http: http.clone(),
    };
    let sandbox = tokio::task::spawn_blocking(move || Sandbox::open(options))
        .await
        .map_err(|e| db_error(&config, e))?
        .map_err(|e| db_error(&config, e))?;

    let events = Arc::new(EventHub::default());
    let adapters = Adapters {
        store: store.clone(),
        network: sandbox.network(),
        psp: sandbox.psp.clone(),
        notifier: events.clone(),
        webhooks: Arc::new(HttpWebhooks::new(http, config.webhook.timeout)),
        clock: Arc::new(SystemClock),
        ids: Arc::new(RandomIds),
    };
    let engine = Arc::new(
        Engine::start(config.engine(&public_base), adapters).await.map_err(|e| StartError::Catalogue(e.to_string()))?,
    );

    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let state = AppState(Arc::new(AppInner {
        limits: RateLimits::new(config.ip_rate_limit, config.session_rate_limit),
        public_base,
        engine: engine.clone(),
        sessions: SessionSigner::new(session_key),
        events,
        openapi: OnceLock::new(),
        assets: Arc::default(),
        shutdown: shutdown_rx.clone(),
        config,
    }));
    let (router, doc) = crate::http::router(state.clone(), sandbox.router());
    let _ = state.openapi.set(doc.to_json().unwrap_or_default());
    state.assets.warm(&state.config.widget_dist);

    let mut background = vec![tokio::spawn(prune_limits(state.clone(), shutdown_rx.clone()))];
    if state.config.worker {
        let (worker, webhooks) = (engine.clone(), engine.clone());
        let (stop_worker, stop_webhooks) = (shutdown_rx.clone(), shutdown_rx.clone());
        background.push(tokio::spawn(async move { worker.run_worker(stop_worker).await }));
        background.push(tokio::spawn(async move { webhooks.run_webhooks(stop_webhooks).await }));
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
    tracing::info!(%addr, public = %state.public_base, worker = state.config.worker, billers = engine.catalogue().len(), "bbps-server listening");
    Ok(RunningServer { addr, state, shutdown: shutdown_tx, server, background })
}

/// Forgets rate-limit buckets that are full again, once a minute, so the maps do not grow without bound.
async fn prune_limits(state: AppState, mut shutdown: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(std::time::Duration::from_secs(60)) => state.limits.prune(),
            _ = shutdown.changed() => return,
        }
    }
}
