//! The sandbox: a BBPS network and a UPI PSP that behave like the real ones, so the demo, the tests and a
//! merchant's first integration need no credentials. The network answers by documented test accounts
//! (`network::accounts`) over a realistic catalogue of every category, behind a simulator of the BBPS central
//! unit speaking the BBPS XML wire on its own listener (`bbpcu_sim`), reached through the live NPCI adapter. The
//! PSP is a simulator of the live PSP's HTTP contract on its own listener (`psp_sim`), reached through the live
//! adapter; the sandbox UPI app page (`upi_app`) plays the payer's bank against it. Both keep persisted ledgers
//! in SQLite.

pub mod bbpcu_sim;
pub mod network;
mod page;
pub mod psp_sim;
pub mod sms;
pub mod upi_app;
mod util;

use std::sync::Arc;

use bbps_core::Biller;
use utoipa_axum::router::OpenApiRouter;

pub use network::{SandboxNetwork, SandboxTimings};
pub use upi_app::payer::PayerConfig;

/// How to start the sandbox UPI app.
#[derive(Debug, Clone)]
pub struct SandboxOptions {
    /// The sandbox network's catalogue, whose test accounts `/sandbox/accounts` lists.
    pub billers: Arc<Vec<Biller>>,
    /// The PSP simulator the UPI app pays through.
    pub payer: PayerConfig,
    pub http: reqwest::Client,
}

/// The routes of the UPI app (the network itself is the BBPCU simulator's).
pub struct Sandbox {
    state: upi_app::SandboxState,
    sms: Arc<sms::SmsOutbox>,
}

impl Sandbox {
    pub fn new(options: SandboxOptions) -> Sandbox {
        let accounts = Arc::new(network::accounts::accounts(&options.billers));
        let payer = Arc::new(upi_app::payer::Payer::new(options.payer, options.http));
        Sandbox { state: upi_app::SandboxState::new(payer, accounts), sms: Arc::default() }
    }

    /// The SMS port of a test-mode server: the outbox `/sandbox/sms` shows.
    pub fn sms(&self) -> Arc<sms::SmsOutbox> {
        self.sms.clone()
    }

    /// The `/sandbox/*` routes.
    pub fn router<S: Clone + Send + Sync + 'static>(&self) -> OpenApiRouter<S> {
        upi_app::router(self.state.clone()).merge(sms::router(self.sms.clone()))
    }
}
