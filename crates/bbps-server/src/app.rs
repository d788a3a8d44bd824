//! Start-up: open the store, choose the network and PSP adapters for the mode, build the engine over them, start
//! its workers and serve the router until shutdown.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use bbps_core::sandbox as demo;
use bbps_core::{MerchantId, Secret};
use bbps_engine::model::Merchant;
use bbps_engine::ports::{BbpsNetwork, RandomIds, Store, SystemClock};
use bbps_engine::{Adapters, Engine};
use bbps_psp_setu::{SetuConfig, SetuPsp};
use bbps_sandbox::psp_sim::{self, PspSimConfig, RunningPspSim};
use bbps_sandbox::{PayerConfig, Sandbox, SandboxOptions, SandboxTimings};
use bbps_store_sqlite::SqliteStore;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::{Config, PspSettings, RunMode, loopback_if_unspecified};
use crate::http::auth::keys;
use crate::http::auth::session::SessionSigner;
use crate::http::ratelimit::RateLimits;
use crate::notifier::EventHub;
use crate::state::{AppInner, AppState};
use crate::util::now;
use crate::webhook_client::HttpWebhooks;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("the configuration cannot run: {0}")]
    Config(#[from] crate::config::ConfigError),
    #[error(
        "no BBPS network is configured: live mode needs the NPCI BBPS XML adapter, which this build does not have yet \
         (test mode runs the sandbox network)"
    )]
    NoBbpsNetwork,
    #[error("cannot start the PSP: {0}")]
    Psp(String),
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
    /// The PSP simulator this process runs in test mode, when no PSP is configured.
    psp_sim: Option<RunningPspSim>,
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
        if let Some(sim) = self.psp_sim {
            let _ = tokio::time::timeout(grace, sim.shutdown()).await;
        }
    }

    /// The PSP simulator's address, when this process runs it.
    pub fn psp_sim_addr(&self) -> Option<SocketAddr> {
        self.psp_sim.as_ref().map(|s| s.addr)
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
        upi_name: "BBPS Demo Bill Payments".to_owned(),
        created_at: now(),
    })
}

/// A secret from the configuration, or (test mode) the one generated and kept in the database on first start.
async fn secret(store: &dyn Store, configured: &Option<Secret>, key: &str) -> Result<Secret, String> {
    match configured {
        Some(s) => Ok(s.clone()),
        None => store
            .setting_or_insert(key, hex::encode(crate::util::random_bytes::<32>()))
            .await
            .map(Secret::new)
            .map_err(|e| e.to_string()),
    }
}

/// Opens the store, creating and migrating the database.
pub async fn open_store(config: &Config) -> Result<Arc<SqliteStore>, StartError> {
    let path = config.database.clone();
    let store = tokio::task::spawn_blocking(move || SqliteStore::open(&path))
        .await
        .map_err(|e| db_error(config, e))?
        .map_err(|e| db_error(config, e))?;
    Ok(Arc::new(store))
}

/// Seeds the sandbox demo merchant with its documented keys on a test-mode server's first start.
async fn seed_demo_merchant(config: &Config, store: &dyn Store) -> Result<(), StartError> {
    if let Some(demo) = demo_merchant()
        && store.merchant(&demo.id).await.map_err(|e| db_error(config, e))?.is_none()
    {
        // Another process may seed it at the same moment; either insert is fine.
        if let Err(e) = store.insert_merchant(&demo).await {
            tracing::debug!(%e, "demo merchant already seeded");
        } else {
            tracing::info!(publishable_key = demo::DEMO_PUBLISHABLE_KEY, "seeded the sandbox demo merchant");
        }
    }
    Ok(())
}

/// Starts the server on `config.listen` (port 0 picks a free port) with the adapters its mode calls for, and
/// returns once it accepts connections. Test mode runs the sandbox network and, unless a PSP is configured, the
/// PSP simulator; live mode runs only configured adapters and refuses to start without them.
pub async fn start(config: Config) -> Result<RunningServer, StartError> {
    config.check()?;
    match config.mode {
        RunMode::Live => Err(StartError::NoBbpsNetwork),
        RunMode::Sandbox => start_with_network(config, None).await,
    }
}

/// Starts the server over `network` when given (the sandbox network otherwise): everything else as [`start`].
/// Tests reach live mode's HTTP surface through it until a live network adapter exists.
pub async fn start_with_network(
    config: Config,
    network: Option<Arc<dyn BbpsNetwork>>,
) -> Result<RunningServer, StartError> {
    config.check()?;
    let store = open_store(&config).await?;
    if config.mode == RunMode::Sandbox {
        seed_demo_merchant(&config, store.as_ref()).await?;
    }
    let session_key =
        secret(store.as_ref(), &config.session_secret, "session_secret").await.map_err(|e| db_error(&config, e))?;
    let listener =
        TcpListener::bind(config.listen).await.map_err(|source| StartError::Bind { addr: config.listen, source })?;
    let addr = listener.local_addr().map_err(|source| StartError::Bind { addr: config.listen, source })?;
    let public_base = config.public_base(addr);
    let http = reqwest::Client::builder()
        .timeout(config.webhook.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| StartError::Http(e.to_string()))?;

    let callback = format!("http://{}/v1/psp", loopback_if_unspecified(addr));
    let (psp_settings, psp_sim) = match &config.psp {
        Some(settings) => (settings.clone(), None),
        None => {
            let (settings, sim) = start_psp_simulator(&config, store.as_ref(), callback).await?;
            (settings, Some(sim))
        }
    };
    let psp = SetuPsp::new(SetuConfig {
        base_url: psp_settings.url.clone(),
        client_id: psp_settings.client_id.clone(),
        client_secret: psp_settings.client_secret.clone(),
        product_instance_id: psp_settings.product_instance_id.clone(),
        notify_audience: psp_settings.notify_audience.clone(),
        notify_secret: psp_settings.notify_secret.clone(),
        timeout: config.provider_timeout,
    })
    .map_err(|e| StartError::Psp(e.to_string()))?;

    let sandbox = match config.mode {
        RunMode::Live => None,
        RunMode::Sandbox => {
            let options = SandboxOptions {
                database: config.database.clone(),
                biller_count: config.sandbox.biller_count,
                timings: SandboxTimings {
                    slow_delay: config.sandbox.slow_delay,
                    pending_settle: config.sandbox.pending_settle,
                    complaint_step: config.sandbox.complaint_step,
                },
                payer: PayerConfig {
                    psp_root: psp_settings.url.trim_end_matches('/').trim_end_matches("/v2").to_owned(),
                    client_id: psp_settings.client_id.clone(),
                    client_secret: psp_settings.client_secret.clone(),
                    product_instance_id: psp_settings.product_instance_id.clone(),
                },
                http: http.clone(),
            };
            Some(
                tokio::task::spawn_blocking(move || Sandbox::open(options))
                    .await
                    .map_err(|e| db_error(&config, e))?
                    .map_err(|e| db_error(&config, e))?,
            )
        }
    };
    let network = match (network, &sandbox) {
        (Some(network), _) => network,
        (None, Some(sandbox)) => sandbox.network(),
        (None, None) => return Err(StartError::NoBbpsNetwork),
    };

    let events = Arc::new(EventHub::default());
    let adapters = Adapters {
        store: store.clone(),
        network,
        psp: Arc::new(psp),
        notifier: events.clone(),
        webhooks: Arc::new(HttpWebhooks::new(http, config.webhook.timeout)),
        clock: Arc::new(SystemClock),
        ids: Arc::new(RandomIds),
    };
    let engine =
        Arc::new(Engine::start(config.engine(), adapters).await.map_err(|e| StartError::Catalogue(e.to_string()))?);

    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let state = AppState(Arc::new(AppInner {
        limits: RateLimits::new(config.ip_rate_limit, config.session_rate_limit),
        public_base,
        engine: engine.clone(),
        sessions: SessionSigner::new(session_key.expose().as_bytes().to_vec()),
        events,
        openapi: OnceLock::new(),
        assets: Arc::default(),
        shutdown: shutdown_rx.clone(),
        config,
    }));
    let extra = sandbox.as_ref().map(Sandbox::router).unwrap_or_default();
    let (router, doc) = crate::http::router(state.clone(), extra);
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
    tracing::info!(%addr, public = %state.public_base, mode = ?state.config.mode, worker = state.config.worker, billers = engine.catalogue().len(), "bbps-server listening");
    Ok(RunningServer { addr, state, shutdown: shutdown_tx, server, background, psp_sim })
}

/// Starts the PSP simulator in this process (test mode without a configured PSP), with credentials generated
/// once and kept in the database, and returns how to reach it.
async fn start_psp_simulator(
    config: &Config,
    store: &dyn Store,
    callback_url: String,
) -> Result<(PspSettings, RunningPspSim), StartError> {
    let client_secret = secret(store, &None, "psp_sim_client_secret").await.map_err(|e| db_error(config, e))?;
    let notify_secret = secret(store, &None, "psp_sim_notify_secret").await.map_err(|e| db_error(config, e))?;
    let sim = psp_sim::start(PspSimConfig {
        listen: config.psp_sim_listen,
        database: config.database.clone(),
        client_id: "sandbox-client".to_owned(),
        client_secret: client_secret.clone(),
        product_instance_id: "sandbox-instance".to_owned(),
        callback_url,
        notify_audience: "bbps-sandbox".to_owned(),
        notify_secret: notify_secret.clone(),
        token_ttl: std::time::Duration::from_secs(1800),
        refund_delay: config.psp_sim_refund_delay,
    })
    .await
    .map_err(|e| StartError::Psp(e.to_string()))?;
    let settings = PspSettings {
        url: sim.base_url(),
        client_id: "sandbox-client".to_owned(),
        client_secret,
        product_instance_id: "sandbox-instance".to_owned(),
        notify_audience: "bbps-sandbox".to_owned(),
        notify_secret,
    };
    Ok((settings, sim))
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
