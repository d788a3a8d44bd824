//! A simulator of the UPI PSP's HTTP contract (Setu's UPI DeepLinks v2, the subset the live adapter uses) on
//! its own listener, so that the demo and every test reach it through the real adapter over real HTTP:
//!
//! - `POST /v2/auth/token`, then bearer tokens and `X-Setu-Product-Instance-ID` on every call;
//! - `POST /v2/payment-links` (one link per `billerBillID`: asking again answers the same link),
//!   `GET /v2/payment-links/{id}`, `POST /v2/utilities/bills/{id}/expire`;
//! - `POST /v2/refund/batch`, `GET /v2/refund/batch/{batchID}` (a refund beyond what is left of the honoured
//!   debit is refused with `refund-exceeds-amount-paid`);
//! - `POST /v2/triggers/funds/addCredit`, Setu's sandbox trigger for a payer paying a link: the first payment of
//!   the right amount before expiry is honoured; any other is returned (refunded by the PSP itself), as Setu does;
//! - notifications to `<callback URL>/notifications` from a persisted outbox, signed with a JWT as Setu signs
//!   them, retried with backoff until answered 2xx;
//! - simulator-only controls under `/sim/`: a failed payment attempt, being down, revoking tokens, its status.
//!
//! Its books live in SQLite (`ledger`), so it survives restarts, and `audit` reads them for the crash audit.

mod api;
pub mod audit;
pub mod ledger;
mod outbox;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bbps_core::Secret;
use bbps_store_sqlite::SharedConnection;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

pub use api::{PaymentOutcome, SimStatus};

/// How the simulator runs.
#[derive(Debug, Clone)]
pub struct PspSimConfig {
    pub listen: SocketAddr,
    /// Its books (a SQLite file of its own, or the server's: the tables are the simulator's).
    pub database: PathBuf,
    pub client_id: String,
    pub client_secret: Secret,
    pub product_instance_id: String,
    /// Where notifications go: `<callback_url>/notifications`.
    pub callback_url: String,
    /// The `aud` and key of the notifications' JWT.
    pub notify_audience: String,
    pub notify_secret: Secret,
    /// How long a token lives.
    pub token_ttl: Duration,
    /// How long after a refund is created the PSP initiates it (a settlement cycle, shortened).
    pub refund_delay: Duration,
}

/// What the handlers and the background loops share.
pub(crate) struct SimState {
    config: PspSimConfig,
    books: SharedConnection,
    tokens: Mutex<std::collections::HashMap<String, i64>>,
    tokens_issued: AtomicU64,
    down: AtomicBool,
    /// Rung when a notification is queued.
    outbox: Notify,
    http: reqwest::Client,
}

impl SimState {
    fn is_down(&self) -> bool {
        self.down.load(Ordering::SeqCst)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PspSimError {
    #[error("the PSP simulator cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("the PSP simulator cannot open its books: {0}")]
    Books(String),
}

/// A running simulator.
pub struct RunningPspSim {
    pub addr: SocketAddr,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl RunningPspSim {
    /// Its API root, as the adapter's `base_url` (`http://<addr>/v2`).
    pub fn base_url(&self) -> String {
        format!("http://{}/v2", self.addr)
    }

    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }

    /// Resolves when its server ends.
    pub async fn wait(mut self) {
        if let Some(server) = self.tasks.first_mut() {
            let _ = server.await;
        }
    }
}

pub(crate) fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// Opens the books, binds, and serves; delivers notifications and initiates refunds in the background.
pub async fn start(config: PspSimConfig) -> Result<RunningPspSim, PspSimError> {
    let path = config.database.clone();
    let conn = tokio::task::spawn_blocking(move || {
        let conn = bbps_store_sqlite::open(&path)?;
        conn.execute_batch(ledger::SCHEMA)?;
        Ok::<_, rusqlite::Error>(conn)
    })
    .await
    .map_err(|e| PspSimError::Books(e.to_string()))?
    .map_err(|e| PspSimError::Books(e.to_string()))?;
    let listener =
        TcpListener::bind(config.listen).await.map_err(|source| PspSimError::Bind { addr: config.listen, source })?;
    let addr = listener.local_addr().map_err(|source| PspSimError::Bind { addr: config.listen, source })?;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| PspSimError::Books(e.to_string()))?;
    let state = Arc::new(SimState {
        config,
        books: SharedConnection::new(conn),
        tokens: Mutex::new(Default::default()),
        tokens_issued: AtomicU64::new(0),
        down: AtomicBool::new(false),
        outbox: Notify::new(),
        http,
    });
    let (stop, stopped) = watch::channel(false);
    let router = api::router(state.clone());
    let mut server_stop = stopped.clone();
    let server = tokio::spawn(async move {
        let graceful = async move {
            let _ = server_stop.wait_for(|s| *s).await;
        };
        if let Err(e) = axum::serve(listener, router).with_graceful_shutdown(graceful).await {
            tracing::error!(%e, "the PSP simulator stopped with an error");
        }
    });
    let background = tokio::spawn(outbox::run(state, stopped));
    tracing::info!(%addr, "PSP simulator listening");
    Ok(RunningPspSim { addr, stop, tasks: vec![server, background] })
}
