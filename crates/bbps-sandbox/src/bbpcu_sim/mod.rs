//! A simulator of the BBPS central unit (BBPCU) speaking the BBPS XML wire on its own listener, so the demo and
//! every test reach the sandbox network through the live adapter (`bbps-npci-xml`) over real HTTP:
//!
//! - every request is a signed POST to `<base>/<MessageName>/1.0/urn:referenceId:<refId>`, verified against the
//!   BBPOU's certificate and answered at once with a signed Ack (`DUPLICATE_REQ` for a refId paid before);
//! - the response follows asynchronously, signed with the simulator's own key, POSTed to the BBPOU's callback
//!   listener, whose signed Ack it verifies in turn;
//! - the answers are the sandbox network's ([`crate::network`]): its test accounts and outcomes, its ledger, and
//!   biller master data for its whole catalogue (`BillerFetchRequest`, and `SearchByTime` for what changed);
//! - its key pair is made at first start and kept in its key directory ([`keys`]).

mod answer;
mod inbound;
pub mod keys;
mod outbound;
mod tls;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use bbps_core::{AgentId, Biller, Timestamp};
use bbps_npci_xml::dsig::{C14nMethod, PeerCertificate, Signer, SigningKey, Verifier};
use bbps_npci_xml::envelope::Envelope;
use bbps_npci_xml::ids::InstitutionId;
use bbps_npci_xml::map::Originator;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::network::{SandboxNetwork, SandboxTimings};
use keys::KeyFiles;
pub use tls::SimTls;

/// The simulator's institution id (`Head@origInst` of what it sends).
pub const INSTITUTION: &str = "BBCU";
/// The name its key pair is kept under in its key directory.
pub const KEY_NAME: &str = "bbpcu-sim";

/// How the simulator runs.
#[derive(Debug, Clone)]
pub struct BbpcuSimConfig {
    pub listen: SocketAddr,
    /// Its ledger (a SQLite file of its own, or the server's: the tables are the simulator's).
    pub database: PathBuf,
    /// Its catalogue (`network::generator::catalogue`).
    pub billers: Arc<Vec<Biller>>,
    pub timings: SandboxTimings,
    /// Where its key pair is kept (made at first start).
    pub keys: PathBuf,
    /// The certificate of the BBPOU it serves: every request must be signed with that BBPOU's key.
    pub bbpou_certificate: PathBuf,
    /// The BBPOU's callback listener; responses go to `<callback_url>/<MessageName>/1.0/urn:referenceId:<refId>`.
    pub callback_url: String,
    /// Mutual TLS on its listener, as a live BBPCU; plain HTTP without.
    pub tls: Option<SimTls>,
}

#[derive(Debug, thiserror::Error)]
pub enum BbpcuSimError {
    #[error("the BBPCU simulator cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("the BBPCU simulator cannot open its ledger: {0}")]
    Ledger(String),
    #[error("the BBPCU simulator's keys: {0}")]
    Keys(String),
    #[error("the BBPCU simulator's TLS: {0}")]
    Tls(String),
}

/// What the handlers share.
pub(crate) struct Sim {
    network: SandboxNetwork,
    billers: Arc<Vec<Biller>>,
    timings: SandboxTimings,
    envelope: Envelope,
    /// The central unit as the sender of responses.
    me: Originator,
    callback: String,
    http: reqwest::Client,
    /// When its catalogue was published, to the second as `Head@ts` says times: a `SearchByTime` pull since then
    /// finds only what changed after (see `master_data`).
    published: Timestamp,
}

/// A running simulator.
pub struct RunningBbpcuSim {
    pub addr: SocketAddr,
    /// Whether it serves mutual TLS.
    tls: bool,
    /// Its key pair: the BBPOU verifies what it sends with `keys.certificate`.
    pub keys: KeyFiles,
    /// The catalogue it publishes.
    pub billers: Arc<Vec<Biller>>,
    stop: watch::Sender<bool>,
    server: JoinHandle<()>,
}

impl RunningBbpcuSim {
    /// The base URL BBPOUs send requests to.
    pub fn base_url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.server.await;
    }

    /// Resolves when its server ends.
    pub async fn wait(self) {
        let _ = self.server.await;
    }
}

fn originator() -> Result<Originator, BbpcuSimError> {
    let bad = |e: bbps_core::ids::IdError| BbpcuSimError::Keys(e.to_string());
    Ok(Originator {
        institution: InstitutionId::parse(INSTITUTION).map_err(bad)?,
        agent: AgentId::parse("BBCU0000SIMULATOR001").map_err(bad)?,
        device_mac: String::new(),
    })
}

/// Makes (or reads) its key pair, opens its ledger, binds and serves.
pub async fn start(config: BbpcuSimConfig) -> Result<RunningBbpcuSim, BbpcuSimError> {
    let keys_dir = config.keys.clone();
    let files = tokio::task::spawn_blocking(move || keys::ensure(&keys_dir, KEY_NAME))
        .await
        .map_err(|e| BbpcuSimError::Keys(e.to_string()))?
        .map_err(|e| BbpcuSimError::Keys(e.to_string()))?;
    let key = SigningKey::from_pem_files(&files.key, &files.key).map_err(|e| BbpcuSimError::Keys(e.to_string()))?;
    let bbpou = PeerCertificate::from_pem_file(&config.bbpou_certificate)
        .map_err(|e| BbpcuSimError::Keys(format!("the BBPOU's certificate: {e}")))?;
    // Signed with exclusive C14N, while the adapter signs with inclusive: both ways are exercised on every run.
    let envelope = Envelope::new(Signer::new(key, C14nMethod::Exclusive), Verifier::new(bbpou), 1 << 20);
    let (path, billers, timings) = (config.database.clone(), Arc::clone(&config.billers), config.timings.clone());
    let network = tokio::task::spawn_blocking(move || SandboxNetwork::open(&path, billers, timings))
        .await
        .map_err(|e| BbpcuSimError::Ledger(e.to_string()))?
        .map_err(|e| BbpcuSimError::Ledger(e.to_string()))?;
    let listener =
        TcpListener::bind(config.listen).await.map_err(|source| BbpcuSimError::Bind { addr: config.listen, source })?;
    let addr = listener.local_addr().map_err(|source| BbpcuSimError::Bind { addr: config.listen, source })?;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| BbpcuSimError::Ledger(e.to_string()))?;
    let sim = Arc::new(Sim {
        network,
        billers: Arc::clone(&config.billers),
        timings: config.timings,
        envelope,
        me: originator()?,
        callback: config.callback_url.trim_end_matches('/').to_owned(),
        http,
        // A pull answered in the second the simulator started names that second as its time: it must count as
        // after the publication, or the next pull would get the whole catalogue again and miss the change.
        published: bbps_npci_xml::time::WireTime::from(crate::util::now()).instant(),
    });
    let (stop, mut stopped) = watch::channel(false);
    let router = inbound::router(sim);
    let server = match &config.tls {
        Some(settings) => {
            let acceptor = tls::acceptor(settings).map_err(BbpcuSimError::Tls)?;
            tokio::spawn(tls::serve(listener, acceptor, router, stopped))
        }
        None => tokio::spawn(async move {
            let graceful = async move {
                let _ = stopped.wait_for(|s| *s).await;
            };
            if let Err(e) = axum::serve(listener, router).with_graceful_shutdown(graceful).await {
                tracing::error!(%e, "the BBPCU simulator stopped with an error");
            }
        }),
    };
    tracing::info!(%addr, certificate = %files.certificate.display(), "BBPCU simulator listening");
    Ok(RunningBbpcuSim { addr, tls: config.tls.is_some(), keys: files, billers: config.billers, stop, server })
}
