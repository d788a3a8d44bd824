//! The sandbox: a BBPS network and a UPI PSP that behave like the real ones, so the demo, the tests and a
//! merchant's first integration need no credentials. The network answers by documented test accounts
//! (`network::accounts`) over a realistic catalogue of every category. The PSP is a simulator of the live PSP's
//! HTTP contract on its own listener (`psp_sim`), reached through the live adapter; the sandbox UPI app page
//! (`upi_app`) plays the payer's bank against it. Both keep persisted ledgers in SQLite.

pub mod network;
pub mod psp_sim;
pub mod upi_app;
mod util;

use std::path::PathBuf;
use std::sync::Arc;

use bbps_engine::ports::BbpsNetwork;
use utoipa_axum::router::OpenApiRouter;

pub use network::{SandboxNetwork, SandboxTimings};
pub use upi_app::payer::PayerConfig;

/// How to start the sandbox network and the UPI app.
#[derive(Debug, Clone)]
pub struct SandboxOptions {
    /// The SQLite file holding the network's ledger (the server's own file is fine: the tables are the sandbox's).
    pub database: PathBuf,
    /// Catalogue size: `None` for the curated catalogue; a larger number fills up with generated billers.
    pub biller_count: Option<usize>,
    pub timings: SandboxTimings,
    /// The PSP simulator the UPI app pays through.
    pub payer: PayerConfig,
    pub http: reqwest::Client,
}

/// The sandbox network and the routes of the UPI app.
pub struct Sandbox {
    pub network: Arc<SandboxNetwork>,
    state: upi_app::SandboxState,
}

#[derive(Debug, thiserror::Error)]
#[error("the sandbox cannot open its ledgers: {0}")]
pub struct SandboxError(#[from] rusqlite::Error);

impl Sandbox {
    /// Opens the ledger (blocking file I/O: call from a blocking task or at start-up).
    pub fn open(options: SandboxOptions) -> Result<Sandbox, SandboxError> {
        let billers = network::generator::catalogue(options.biller_count.unwrap_or(0));
        let accounts = Arc::new(network::accounts::accounts(&billers));
        let network = Arc::new(SandboxNetwork::open(&options.database, billers, options.timings)?);
        let payer = Arc::new(upi_app::payer::Payer::new(options.payer, options.http));
        Ok(Sandbox { state: upi_app::SandboxState { payer, accounts }, network })
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
