//! What the readiness endpoint reports about the adapters: the BBPS network's heartbeat (`ReqDiagnostic` on the
//! XML wire) and the PSP's acceptance of our credentials, probed in the background every [`PROBE_EVERY`], so a
//! load balancer polling readiness never makes this server call NPCI or the PSP.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use bbps_core::Timestamp;
use bbps_engine::Engine;
use serde::Serialize;
use tokio::sync::watch;
use utoipa::ToSchema;

use crate::util::now;

/// How often the adapters are probed.
pub const PROBE_EVERY: Duration = Duration::from_secs(30);

/// The last probe of one counterparty.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Probe {
    /// Not probed yet (the first probe runs at start).
    Unknown,
    Ok {
        #[schema(value_type = String, format = DateTime)]
        checked_at: Timestamp,
    },
    /// Failing; why is in the log (the endpoint is public, the counterparty's answers are not).
    Failing {
        #[schema(value_type = String, format = DateTime)]
        checked_at: Timestamp,
        /// Since when it has been failing.
        #[schema(value_type = String, format = DateTime)]
        since: Timestamp,
    },
}

impl Probe {
    fn after(&self, outcome: &Result<(), String>) -> Probe {
        let at = now();
        match (outcome, self) {
            (Ok(()), _) => Probe::Ok { checked_at: at },
            (Err(_), Probe::Failing { since, .. }) => Probe::Failing { checked_at: at, since: *since },
            (Err(_), _) => Probe::Failing { checked_at: at, since: at },
        }
    }

    pub fn is_failing(&self) -> bool {
        matches!(self, Probe::Failing { .. })
    }
}

/// The adapters' last probes, shared with the handlers.
#[derive(Debug)]
pub struct AdapterProbes {
    network: RwLock<Probe>,
    psp: RwLock<Probe>,
}

impl Default for AdapterProbes {
    fn default() -> AdapterProbes {
        AdapterProbes { network: RwLock::new(Probe::Unknown), psp: RwLock::new(Probe::Unknown) }
    }
}

impl AdapterProbes {
    pub fn network(&self) -> Probe {
        self.network.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn psp(&self) -> Probe {
        self.psp.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn record(slot: &RwLock<Probe>, adapter: &str, outcome: Result<(), String>) {
        let mut probe = slot.write().unwrap_or_else(|p| p.into_inner());
        match (&outcome, probe.is_failing()) {
            (Err(detail), false) => tracing::warn!(adapter, %detail, "the adapter's probe started failing"),
            (Err(detail), true) => tracing::debug!(adapter, %detail, "the adapter's probe still fails"),
            (Ok(()), true) => tracing::info!(adapter, "the adapter's probe passes again"),
            (Ok(()), false) => {}
        }
        *probe = probe.after(&outcome);
    }

    /// Probes both adapters now (each within its call limit), then again every [`PROBE_EVERY`], until shutdown.
    pub async fn run(self: Arc<Self>, engine: Arc<Engine>, mut shutdown: watch::Receiver<bool>) {
        loop {
            let (network, psp) = tokio::join!(engine.network().check(), engine.psp().check());
            Self::record(&self.network, "bbps network", network.map_err(|e| e.to_string()));
            Self::record(&self.psp, "psp", psp.map_err(|e| e.to_string()));
            tokio::select! {
                _ = tokio::time::sleep(PROBE_EVERY) => {}
                _ = shutdown.changed() => return,
            }
        }
    }
}
