//! The server's BBPS network: the NPCI BBPS XML adapter over HTTP, towards the configured BBPCU (live), or, in
//! test mode without one, towards the BBPCU simulator this process starts on a listener of its own. Either way
//! the BBPCU's responses come to our callback listener, every message goes to the wire archive, and payment
//! answers that arrive after their call stopped waiting are handed to the engine's lifecycle.

pub mod args;
pub mod settings;
pub mod wire;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use bbps_engine::Engine;
use bbps_engine::ports::Store;
use bbps_npci_xml::dsig::C14nMethod;
use bbps_npci_xml::ids::InstitutionId;
use bbps_npci_xml::map::Originator;
use bbps_npci_xml::{Archive, KeySource, LateAnswers, LatePayments, NpciConfig, NpciNetwork};
use bbps_sandbox::SandboxTimings;
use bbps_sandbox::bbpcu_sim::{self, BbpcuSimConfig, RunningBbpcuSim, keys};
use bbps_sandbox::network::generator;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::{Config, RunMode, loopback_if_unspecified};
use crate::serve::ListenLimits;
pub use settings::BbpcuSettings;

/// How long a request is remembered after its answer or its time limit: a response within it is late (and still
/// reaches the lifecycle) or a duplicate; after it, a response to nothing we asked.
const REMEMBER_REQUESTS: Duration = Duration::from_secs(3600);
/// The largest message read either way. A part of the biller master data is the largest, about 1 MB; the
/// signature library reads no document above 16 MiB.
const MAX_MESSAGE_BYTES: usize = 16 << 20;
/// The name test mode keeps our own key pair under.
const BBPOU_KEY_NAME: &str = "bbpou";

#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("{0}")]
    Settings(String),
    #[error("test-mode keys: {0}")]
    Keys(String),
    #[error("the BBPCU simulator: {0}")]
    Simulator(String),
    #[error("the NPCI adapter: {0}")]
    Adapter(String),
    #[error("cannot listen for the BBPCU's responses on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
}

/// The BBPS network of a running server.
pub struct Link {
    pub network: Arc<NpciNetwork>,
    /// Payment answers that came after their call gave up.
    pub late: LatePayments,
    /// Where the BBPCU posts its responses.
    pub callback_addr: SocketAddr,
    /// The callback listener, until the stop signal.
    pub callback: JoinHandle<()>,
    /// The BBPCU simulator this process runs (test mode without a configured BBPCU).
    pub sim: Option<RunningBbpcuSim>,
}

/// Where test mode keeps the key pairs it makes: `BBPS_BBPCU_TEST_KEYS`, or `bbpcu-keys/` beside the database.
pub fn test_keys_dir(config: &Config) -> PathBuf {
    config.bbpcu.test_keys.clone().unwrap_or_else(|| {
        config.database.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).join("bbpcu-keys")
    })
}

fn originator(config: &Config) -> Result<Originator, LinkError> {
    let s = &config.bbpcu;
    let fixed = |id: &str| InstitutionId::parse(id).map_err(|e| LinkError::Settings(e.to_string()));
    let institution = match (&s.institution_id, config.mode) {
        (Some(id), _) => id.clone(),
        (None, RunMode::Sandbox) => fixed(settings::SANDBOX_INSTITUTION)?,
        (None, RunMode::Live) => return Err(LinkError::Settings("BBPS_BBPCU_INSTITUTION_ID is not set".into())),
    };
    let agent = match (&s.agent_id, config.mode) {
        (Some(id), _) => id.clone(),
        (None, RunMode::Sandbox) => {
            bbps_core::AgentId::parse(settings::SANDBOX_AGENT).map_err(|e| LinkError::Settings(e.to_string()))?
        }
        (None, RunMode::Live) => return Err(LinkError::Settings("BBPS_BBPCU_AGENT_ID is not set".into())),
    };
    let device_mac = match (&s.agent_mac, config.mode) {
        (Some(mac), _) => mac.as_str().to_owned(),
        (None, RunMode::Sandbox) => settings::SANDBOX_MAC.to_owned(),
        (None, RunMode::Live) => return Err(LinkError::Settings("BBPS_BBPCU_AGENT_MAC is not set".into())),
    };
    Ok(Originator { institution, agent, device_mac })
}

/// Our signing key as configured, or (test mode) the key pair made once in the test key directory.
async fn signing_key(config: &Config) -> Result<KeySource, LinkError> {
    if let Some(source) = config.bbpcu.signing.source("BBPS_BBPCU_SIGNING").map_err(LinkError::Settings)? {
        return Ok(source);
    }
    if config.mode == RunMode::Live {
        return Err(LinkError::Settings("our signing key (BBPS_BBPCU_SIGNING_*) is not set".into()));
    }
    let dir = test_keys_dir(config);
    let files = tokio::task::spawn_blocking(move || keys::ensure(&dir, BBPOU_KEY_NAME))
        .await
        .map_err(|e| LinkError::Keys(e.to_string()))?
        .map_err(|e| LinkError::Keys(e.to_string()))?;
    Ok(KeySource::Pem { key: files.key, certificate: files.certificate })
}

/// Starts the BBPCU simulator for a test-mode server, its responses going to `callback`; it believes requests
/// signed with `ours`.
async fn start_simulator(
    config: &Config,
    ours: &KeySource,
    callback: SocketAddr,
) -> Result<RunningBbpcuSim, LinkError> {
    let KeySource::Pem { certificate, .. } = ours else {
        return Err(LinkError::Settings(
            "the in-process BBPCU simulator takes our certificate as a PEM file: set BBPS_BBPCU_SIGNING_KEY and \
             BBPS_BBPCU_SIGNING_CERTIFICATE, or BBPS_BBPCU_URL"
                .into(),
        ));
    };
    let count = config.sandbox.biller_count.unwrap_or(0);
    let billers = Arc::new(
        tokio::task::spawn_blocking(move || generator::catalogue(count))
            .await
            .map_err(|e| LinkError::Simulator(format!("its catalogue: {e}")))?,
    );
    bbpcu_sim::start(BbpcuSimConfig {
        listen: config.bbpcu.sim_listen,
        // Its ledger is tables of its own in the server's file, as the PSP simulator's are.
        database: config.database.clone(),
        billers,
        timings: SandboxTimings {
            slow_delay: config.sandbox.slow_delay,
            pending_settle: config.sandbox.pending_settle,
            complaint_step: config.sandbox.complaint_step,
            catalogue_change: config.sandbox.catalogue_change,
        },
        keys: test_keys_dir(config),
        bbpou_certificate: certificate.clone(),
        callback_url: format!("http://{callback}"),
        tls: None,
    })
    .await
    .map_err(|e| LinkError::Simulator(e.to_string()))
}

/// Opens the callback listener, starts the simulator when test mode has no BBPCU, and builds the adapter. The
/// listener serves until `stop` turns true.
pub async fn connect(
    config: &Config,
    store: Arc<dyn Store>,
    limits: ListenLimits,
    stop: watch::Receiver<bool>,
) -> Result<Link, LinkError> {
    let s = &config.bbpcu;
    let listen = s.callback_listen.unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
    let listener = TcpListener::bind(listen).await.map_err(|source| LinkError::Bind { addr: listen, source })?;
    let callback_addr =
        loopback_if_unspecified(listener.local_addr().map_err(|source| LinkError::Bind { addr: listen, source })?);
    let signing = signing_key(config).await?;
    let (central_url, central_certificate, sim) = match (&s.url, &s.certificate) {
        (Some(url), Some(certificate)) => (url.clone(), certificate.clone(), None),
        (None, _) if config.mode == RunMode::Sandbox => {
            let sim = start_simulator(config, &signing, callback_addr).await?;
            (sim.base_url(), sim.keys.certificate.clone(), Some(sim))
        }
        _ => return Err(LinkError::Settings("BBPS_BBPCU_URL and BBPS_BBPCU_CERTIFICATE must both be set".into())),
    };
    if let Some(dir) = &s.wire_dir {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|e| LinkError::Settings(format!("BBPS_WIRE_DIR {}: {e}", dir.display())))?;
    }
    let npci = NpciConfig {
        central_url,
        originator: originator(config)?,
        signing,
        central_certificate,
        c14n: C14nMethod::Inclusive,
        tls: s.tls().map_err(LinkError::Settings)?,
        test_mode: config.mode == RunMode::Sandbox,
        timeouts: s.timeouts.resolve(config.fetch_timeout, config.provider_timeout),
        post_timeout: config.provider_timeout,
        max_body_bytes: MAX_MESSAGE_BYTES,
        retention: REMEMBER_REQUESTS,
    };
    let (late_sink, late) = LateAnswers::channel(npci.originator.agent.clone());
    let archive = Archive::new(store, s.wire_dir.clone());
    let network = Arc::new(NpciNetwork::new(npci, late_sink, archive).map_err(|e| LinkError::Adapter(e.to_string()))?);
    let callback = tokio::spawn(crate::serve::serve(listener, network.callback_router(), limits, stop));
    tracing::info!(%callback_addr, simulator = sim.is_some(), "BBPCU callback listener up");
    Ok(Link { network, late, callback_addr, callback, sim })
}

/// Hands each late payment answer to the engine's lifecycle, until `stop`.
pub async fn deliver_late_payments(engine: Arc<Engine>, mut late: LatePayments, mut stop: watch::Receiver<bool>) {
    loop {
        let answer = tokio::select! {
            answer = late.recv() => match answer {
                Some(answer) => answer,
                None => return,
            },
            _ = stop.wait_for(|s| *s) => return,
        };
        if let Err(e) = engine.bill_payment_answered_late(&answer.ref_id, answer.status).await {
            tracing::error!(ref_id = %answer.ref_id, code = %e.code(), "a late bill payment answer could not be applied: {e}");
        }
    }
}
