//! Start-up: open the store, choose the network and PSP adapters for the mode, build the engine over them, start
//! its workers and serve the router until shutdown.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use bbps_core::sandbox as demo;
use bbps_core::{MerchantId, Secret};
use bbps_engine::model::Merchant;
use bbps_engine::ports::{RandomIds, SmsSender, StatusNotifier, Store, SystemClock};
use bbps_engine::seal::DataKey;
use bbps_engine::{Adapters, Engine};
use bbps_psp_setu::{SetuConfig, SetuPsp};
use bbps_sandbox::bbpcu_sim::RunningBbpcuSim;
use bbps_sandbox::network::generator;
use bbps_sandbox::psp_sim::{self, PspSimConfig, RunningPspSim};
use bbps_sandbox::{PayerConfig, Sandbox, SandboxOptions};
use bbps_store_postgres::changes::Announcement;
use bbps_store_postgres::{PostgresOptions, PostgresStore};
use bbps_store_sqlite::SqliteStore;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::{Config, ConfigError, PspSettings, RunMode, loopback_if_unspecified};
use crate::http::auth::client_secret::ClientSecrets;
use crate::http::auth::keys;
use crate::http::auth::session::SessionSigner;
use crate::http::auth::tracking_token::TrackingTokens;
use crate::http::ratelimit::RateLimits;
use crate::http::streams::StreamSlots;
use crate::notifier::EventHub;
use crate::serve::ListenLimits;
use crate::sms_gateway::HttpSmsGateway;
use crate::state::{AppInner, AppState};
use crate::util::now;
use crate::webhook_client::{AddressPolicy, HttpWebhooks};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("the configuration cannot run: {0}")]
    Config(#[from] crate::config::ConfigError),
    #[error(
        "no BBPS network is configured: live mode talks to the BBPS central unit (BBPCU) through the NPCI BBPS XML \
         adapter; set BBPS_BBPCU_URL, BBPS_BBPCU_CERTIFICATE, our signing key (BBPS_BBPCU_SIGNING_*), mutual TLS \
         (BBPS_BBPCU_TLS_*), BBPS_BBPCU_AGENT_ID, BBPS_BBPCU_INSTITUTION_ID, BBPS_BBPCU_AGENT_MAC and \
         BBPS_BBPCU_CALLBACK_LISTEN (docs/bbps-xml.md)"
    )]
    NoBbpsNetwork,
    #[error("cannot connect to the BBPS network: {0}")]
    Bbpcu(#[from] crate::bbpcu::LinkError),
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
    /// Stops the BBPCU's callback listener and the hand-over of late answers: last, so that requests and worker
    /// steps still draining get their responses.
    wire_stop: watch::Sender<bool>,
    wire: Vec<JoinHandle<()>>,
    /// The PSP simulator this process runs in test mode, when no PSP is configured.
    psp_sim: Option<RunningPspSim>,
    /// The BBPCU simulator this process runs in test mode, when no BBPCU is configured.
    bbpcu_sim: Option<RunningBbpcuSim>,
    /// Where the BBPCU posts its responses.
    bbpcu_callback: SocketAddr,
}

impl RunningServer {
    /// `http://<addr>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", loopback_if_unspecified(self.addr))
    }

    /// Stops accepting connections, lets in-flight requests finish (up to the grace period), stops the workers,
    /// then the BBPS wire and the simulators.
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
        let _ = self.wire_stop.send(true);
        for task in self.wire {
            let _ = tokio::time::timeout(grace, task).await;
        }
        if let Some(sim) = self.psp_sim {
            let _ = tokio::time::timeout(grace, sim.shutdown()).await;
        }
        if let Some(sim) = self.bbpcu_sim {
            let _ = tokio::time::timeout(grace, sim.shutdown()).await;
        }
    }

    /// The BBPCU simulator's address, when this process runs it.
    pub fn bbpcu_sim_addr(&self) -> Option<SocketAddr> {
        self.bbpcu_sim.as_ref().map(|s| s.addr)
    }

    /// Where the BBPCU's responses are received.
    pub fn bbpcu_callback_addr(&self) -> SocketAddr {
        self.bbpcu_callback
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
    StartError::Database { path: config.store_location(), reason: e.to_string() }
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
        webhook_secret: Secret::new(demo::DEMO_WEBHOOK_SECRET),
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

/// Opens the store, PostgreSQL when configured or else the SQLite file, creating and migrating the database.
pub async fn open_store(config: &Config) -> Result<Arc<dyn Store>, StartError> {
    let key = match &config.data_key {
        Some(k) => Some(DataKey::from_hex(k.expose()).map_err(|e| db_error(config, e))?),
        None => None,
    };
    if let Some(pg) = &config.postgres {
        let options = PostgresOptions { pool_size: pg.pool_size };
        let store = PostgresStore::connect(&pg.url, &options, key).await.map_err(|e| db_error(config, e))?;
        return Ok(Arc::new(store));
    }
    let path = config.database.clone();
    let store = tokio::task::spawn_blocking(move || SqliteStore::open_sealed(&path, key))
        .await
        .map_err(|e| db_error(config, e))?
        .map_err(|e| db_error(config, e))?;
    Ok(Arc::new(store))
}

/// Seeds the sandbox demo merchant with its documented keys on a loopback test-mode server's first start.
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
/// returns once it accepts connections. The BBPS network is the NPCI XML adapter over HTTP: towards the configured
/// BBPCU, or in test mode without one the BBPCU simulator this process starts; the PSP likewise. Live mode runs
/// only configured adapters and refuses to start without them.
pub async fn start(config: Config) -> Result<RunningServer, StartError> {
    config.check()?;
    if config.mode == RunMode::Live && !config.bbpcu.configured() {
        return Err(StartError::NoBbpsNetwork);
    }
    let store = open_store(&config).await?;
    // The demo merchant's keys are published: it exists only on a test-mode server that only this machine reaches.
    if config.mode == RunMode::Sandbox && config.listen.ip().is_loopback() {
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

    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let (wire_stop_tx, wire_stop_rx) = watch::channel(false);
    let limits =
        ListenLimits { header_read_timeout: config.header_read_timeout, max_connections: config.max_connections };
    let link = crate::bbpcu::connect(&config, store.clone(), limits, wire_stop_rx.clone()).await?;
    // Heard before the engine starts: its first catalogue pull may be answered through another instance.
    let announced_to: Arc<OnceLock<AppState>> = Arc::default();
    let follower = match &config.postgres {
        Some(pg) => Some(
            follow_other_instances(&pg.url, link.network.clone(), announced_to.clone(), shutdown_rx.clone())
                .await
                .map_err(|e| db_error(&config, e))?,
        ),
        None => None,
    };
    let sandbox = match config.mode {
        RunMode::Live => None,
        RunMode::Sandbox => {
            // The accounts page lists the test accounts of the simulator's catalogue (the same one, generated
            // deterministically, when the simulator runs elsewhere).
            let billers = match &link.sim {
                Some(sim) => Arc::clone(&sim.billers),
                None => Arc::new(generator::catalogue(config.sandbox.biller_count.unwrap_or(0))),
            };
            Some(Sandbox::new(SandboxOptions {
                billers,
                payer: PayerConfig {
                    psp_root: psp_settings.url.trim_end_matches('/').trim_end_matches("/v2").to_owned(),
                    client_id: psp_settings.client_id.clone(),
                    client_secret: psp_settings.client_secret.clone(),
                    product_instance_id: psp_settings.product_instance_id.clone(),
                },
                http: http.clone(),
            }))
        }
    };

    let sms: Arc<dyn SmsSender> = match (&config.sms, &sandbox) {
        (Some(settings), _) => Arc::new(
            HttpSmsGateway::new(settings.clone(), config.provider_timeout)
                .map_err(|e| StartError::Http(e.to_string()))?,
        ),
        (None, Some(sandbox)) => sandbox.sms(),
        (None, None) => return Err(StartError::Config(ConfigError(vec!["no SMS gateway is configured".to_owned()]))),
    };
    let events = Arc::new(EventHub::default());
    let adapters = Adapters {
        sms,
        store: store.clone(),
        network: link.network.clone(),
        psp: Arc::new(psp),
        notifier: events.clone(),
        webhooks: Arc::new(
            HttpWebhooks::new(
                AddressPolicy {
                    https_only: config.mode == RunMode::Live,
                    allow_loopback: config.mode == RunMode::Sandbox && config.webhook.allow_loopback,
                },
                config.webhook.timeout,
            )
            .map_err(|e| StartError::Http(e.to_string()))?,
        ),
        clock: Arc::new(SystemClock),
        ids: Arc::new(RandomIds),
    };
    let engine =
        Arc::new(Engine::start(config.engine(), adapters).await.map_err(|e| StartError::Catalogue(e.to_string()))?);

    let state = AppState(Arc::new(AppInner {
        limits: RateLimits::new(config.ip_rate_limit, config.psp_rate_limit, config.session_rate_limit),
        streams: StreamSlots::new(config.max_streams_per_session, config.max_streams_per_address),
        public_base,
        engine: engine.clone(),
        sessions: SessionSigner::new(session_key.expose().as_bytes().to_vec()),
        client_secrets: ClientSecrets::new(session_key.expose().as_bytes()),
        tracking_tokens: TrackingTokens::new(session_key.expose().as_bytes()),
        events,
        openapi: OnceLock::new(),
        categories_json: std::sync::RwLock::default(),
        probes: Arc::default(),
        assets: Arc::default(),
        shutdown: shutdown_rx.clone(),
        config,
    }));
    let extra = sandbox.as_ref().map(Sandbox::router).unwrap_or_default();
    let (router, doc) = crate::http::router(state.clone(), extra);
    let _ = state.openapi.set(doc.to_json().unwrap_or_default());
    state.assets.warm(&state.config.widget_dist);

    let _ = announced_to.set(state.clone());
    let mut background = vec![
        tokio::spawn(prune_limits(state.clone(), shutdown_rx.clone())),
        tokio::spawn(state.probes.clone().run(engine.clone(), shutdown_rx.clone())),
        tokio::spawn(refresh_catalogue(engine.clone(), state.config.catalogue_refresh, shutdown_rx.clone())),
        tokio::spawn(refresh_biller_status(engine.clone(), state.config.biller_status_refresh, shutdown_rx.clone())),
    ];
    background.extend(follower);
    let late = tokio::spawn(crate::bbpcu::deliver_late_payments(engine.clone(), link.late, wire_stop_rx));
    let wire = vec![link.callback, late];
    if state.config.worker {
        let (worker, webhooks) = (engine.clone(), engine.clone());
        let (stop_worker, stop_webhooks) = (shutdown_rx.clone(), shutdown_rx.clone());
        background.push(tokio::spawn(async move { worker.run_worker(stop_worker).await }));
        background.push(tokio::spawn(async move { webhooks.run_webhooks(stop_webhooks).await }));
    }
    let server = tokio::spawn(crate::serve::serve(listener, router, limits, shutdown_rx));
    tracing::info!(%addr, public = %state.public_base, mode = ?state.config.mode, worker = state.config.worker, billers = engine.catalogue().len(), "bbps-server listening");
    Ok(RunningServer {
        addr,
        state,
        shutdown: shutdown_tx,
        server,
        background,
        wire_stop: wire_stop_tx,
        wire,
        psp_sim,
        bbpcu_sim: link.sim,
        bbpcu_callback: link.callback_addr,
    })
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

/// Pulls the biller master data again every `every` (each instance on its own, from the network), until shutdown.
async fn refresh_catalogue(engine: Arc<Engine>, every: std::time::Duration, mut shutdown: watch::Receiver<bool>) {
    if every.is_zero() {
        return;
    }
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => return,
        }
        match engine.refresh_catalogue().await {
            Ok(billers) => tracing::info!(billers, "biller catalogue refreshed"),
            Err(e) => tracing::warn!(%e, "the biller catalogue could not be refreshed; keeping the one we have"),
        }
    }
}

/// Asks the network which billers are down at once, then every `every`, until shutdown; the catalogue changes
/// only when the pauses that gives do.
async fn refresh_biller_status(engine: Arc<Engine>, every: std::time::Duration, mut shutdown: watch::Receiver<bool>) {
    if every.is_zero() {
        return;
    }
    loop {
        if let Err(e) = engine.refresh_downtimes().await {
            tracing::warn!(%e, "the billers' status could not be asked; keeping what we knew");
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// Follows what other instances on the same PostgreSQL database announce: a payment they changed wakes this
/// instance's event streams for it (once `state` is set; this instance's own changes reach them directly), and a
/// BBPS response they received for a request of ours reaches its call here.
async fn follow_other_instances(
    url: &bbps_core::Secret,
    network: Arc<bbps_npci_xml::NpciNetwork>,
    state: Arc<OnceLock<AppState>>,
    stop: watch::Receiver<bool>,
) -> Result<JoinHandle<()>, bbps_engine::ports::StoreError> {
    let (task, mut listening) = bbps_store_postgres::changes::follow_changes(
        url,
        move |announced| match announced {
            Announcement::WireMessage(id) => {
                let network = network.clone();
                tokio::spawn(async move { network.take_relayed(id).await });
            }
            Announcement::PaymentChanged(id) => {
                let Some(state) = state.get().filter(|s| s.events.is_followed(&id)).cloned() else { return };
                tokio::spawn(async move {
                    match state.engine.store().payment(&id).await {
                        Ok(Some(payment)) => state.events.payment_changed(payment.to_api()),
                        Ok(None) => {}
                        Err(e) => tracing::warn!(
                            payment = %id, %e, "a change announced by another instance could not be read"
                        ),
                    }
                });
            }
        },
        stop,
    )?;
    // Start only once other instances are heard (the database answered when the store opened, so this waits for
    // the listening connection alone).
    if tokio::time::timeout(FEED_READY, listening.wait_for(|up| *up)).await.is_err() {
        tracing::warn!("not yet listening to the other instances; starting, and listening on");
    }
    Ok(task)
}

/// How long start-up waits for the payment change feed.
const FEED_READY: std::time::Duration = std::time::Duration::from_secs(5);

/// Forgets rate-limit buckets that are full again and event channels nobody follows, once a minute, so the maps do
/// not grow without bound.
async fn prune_limits(state: AppState, mut shutdown: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(std::time::Duration::from_secs(60)) => {
                state.limits.prune();
                state.events.prune();
            }
            _ = shutdown.changed() => return,
        }
    }
}
