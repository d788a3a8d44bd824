//! The sandbox: a BBPS network and a UPI PSP that behave like the real ones, so the demo, the tests and a
//! merchant's first integration need no credentials. The network answers by documented test accounts
//! (`network::accounts`) over a realistic catalogue of every category; the PSP plays the payer's bank for the
//! sandbox UPI app page and delivers signed callbacks over HTTP. Both keep persisted ledgers in SQLite and plug
//! into the engine through its ports, like any adapter.

pub mod network;
pub mod psp;
pub mod upi_app;
mod util;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use bbps_engine::ports::BbpsNetwork;
use utoipa_axum::router::OpenApiRouter;

pub use network::{SandboxNetwork, SandboxTimings};
pub use psp::SandboxPsp;

/// How to start the sandbox.
#[derive(Debug, Clone)]
pub struct SandboxOptions {
    /// The SQLite file holding the ledgers (the server's own file is fine: the tables are the sandbox's).
    pub database: PathBuf,
    /// Catalogue size: `None` for the curated catalogue; a larger number fills up with generated billers.
    pub biller_count: Option<usize>,
    pub timings: SandboxTimings,
    /// The key the PSP signs its callbacks with.
    pub psp_secret: Vec<u8>,
    /// Largest accepted age of a callback's signature.
    pub callback_tolerance: Duration,
    /// Where the PSP delivers its callbacks.
    pub callback_url: String,
    pub http: reqwest::Client,
}

/// A running sandbox: its network, its PSP and the routes of its UPI app.
pub struct Sandbox {
    pub network: Arc<SandboxNetwork>,
    pub psp: Arc<SandboxPsp>,
    state: upi_app::SandboxState,
}

#[derive(Debug, thiserror::Error)]
#[error("the sandbox cannot open its ledgers: {0}")]
pub struct SandboxError(#[from] rusqlite::Error);

impl Sandbox {
    /// Opens the ledgers (blocking file I/O: call from a blocking task or at start-up).
    pub fn open(options: SandboxOptions) -> Result<Sandbox, SandboxError> {
        let billers = network::generator::catalogue(options.biller_count.unwrap_or(0));
        let accounts = Arc::new(network::accounts::accounts(&billers));
        let network = Arc::new(SandboxNetwork::open(&options.database, billers, options.timings)?);
        let psp = Arc::new(SandboxPsp::open(
            &options.database,
            options.psp_secret,
            options.callback_tolerance,
            options.callback_url,
            options.http,
        )?);
        Ok(Sandbox { state: upi_app::SandboxState { psp: psp.clone(), accounts }, network, psp })
    }

    /// The network port of this sandbox.
    pub fn network(&self) -> Arc<dyn BbpsNetwork> {
        self.network.clone()
    }

    /// The `/sandbox/*` routes.
    pub fn router<S: Clone + Send + Sync + 'static>(&self) -> OpenApiRouter<S> {
        upi_app::router(self.state.clone())
    }
}
