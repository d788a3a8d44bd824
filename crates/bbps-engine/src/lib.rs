//! The domain of the BBPS bill-payment widget: bill quotes, payments and their persisted lifecycle (UPI paid →
//! bill paid → receipt, or refund), refunds, tracking and complaints, merchant webhooks, and the worker that
//! moves every payment forward. It decides; adapters carry the decisions out through the ports of [`ports`]. It
//! knows no HTTP and no SQL, so the same decisions run over any store, network or PSP.

pub mod catalogue;
pub mod codes;
pub mod complaints;
pub mod config;
pub mod downtime;
pub mod error;
pub mod lifecycle;
pub mod merchants;
pub mod model;
pub mod payments;
pub mod plans;
pub mod ports;
pub mod quotes;
pub mod refunds;
pub mod seal;
pub mod signature;
pub mod timed;
pub mod webhooks;
pub mod wire_archive;
pub mod worker;

#[cfg(feature = "store-contract")]
pub mod store_contract;

use std::sync::Arc;

use tokio::sync::Notify;

pub use catalogue::Catalogue;
pub use config::{EngineConfig, RetryPolicy};
pub use error::{Error, Result};
pub use payments::Viewer;

use ports::{BbpsNetwork, Clock, IdSource, SmsSender, StatusNotifier, Store, UpiPsp, WebhookTransport};
use timed::{TimedNetwork, TimedPsp};

/// The adapters an engine runs over.
pub struct Adapters {
    pub store: Arc<dyn Store>,
    pub network: Arc<dyn BbpsNetwork>,
    pub psp: Arc<dyn UpiPsp>,
    pub notifier: Arc<dyn StatusNotifier>,
    pub webhooks: Arc<dyn WebhookTransport>,
    pub sms: Arc<dyn SmsSender>,
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdSource>,
}

/// The domain, wired to its adapters. Its operations live in the modules named for them (`quotes`, `payments`,
/// `lifecycle`, `complaints`, `webhooks`, `worker`, `merchants`).
pub struct Engine {
    config: EngineConfig,
    store: Arc<dyn Store>,
    network: TimedNetwork,
    psp: TimedPsp,
    notifier: Arc<dyn StatusNotifier>,
    webhooks: Arc<dyn WebhookTransport>,
    sms: Arc<dyn SmsSender>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdSource>,
    /// Swapped whole when the master data is pulled again or the billers down change; readers keep the one they
    /// took.
    catalogue: std::sync::RwLock<Arc<Catalogue>>,
    /// What the catalogue is built from; held while it is built, so builds do not overtake one another.
    sources: tokio::sync::Mutex<downtime::Sources>,
    /// Plans pulled per biller.
    plans: plans::PlanBook,
    /// The holder name of this engine's leases.
    worker_id: String,
    /// Rung by every transition, so the worker takes the next step at once.
    wake_worker: Notify,
    /// Rung when a transition queues a webhook.
    wake_webhooks: Notify,
}

/// The billers whose effective period is not over at `now`; those not effective yet or paused stay, shown as such.
fn current(mut billers: Vec<bbps_core::Biller>, now: bbps_core::Timestamp) -> Vec<bbps_core::Biller> {
    billers.retain(|b| b.availability.at(now) != bbps_core::Open::Ended);
    billers
}

impl Engine {
    /// An engine over `adapters`, with the biller catalogue read from the network.
    pub async fn start(config: EngineConfig, adapters: Adapters) -> Result<Engine, ports::BbpsError> {
        let network = TimedNetwork::new(
            adapters.network,
            config.fetch_timeout,
            config.catalogue_timeout,
            config.provider_timeout,
        );
        let now = adapters.clock.now();
        let billers = Arc::new(current(network.billers().await?, now));
        // Which billers are down is asked for after start (`refresh_downtimes`): a network slow to say must not
        // hold the start up.
        let catalogue = std::sync::RwLock::new(Arc::new(Catalogue::new(billers.to_vec())));
        let sources = tokio::sync::Mutex::new(downtime::Sources { billers, ..downtime::Sources::default() });
        Ok(Engine {
            psp: TimedPsp::new(adapters.psp, config.provider_timeout),
            network,
            store: adapters.store,
            notifier: adapters.notifier,
            webhooks: adapters.webhooks,
            sms: adapters.sms,
            clock: adapters.clock,
            worker_id: adapters.ids.worker_id(),
            ids: adapters.ids,
            catalogue,
            sources,
            plans: plans::PlanBook::default(),
            wake_worker: Notify::new(),
            wake_webhooks: Notify::new(),
            config,
        })
    }

    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// The network, with the engine's time limits.
    pub fn network(&self) -> &dyn BbpsNetwork {
        &self.network
    }

    /// The PSP, with the engine's time limits.
    pub fn psp(&self) -> &dyn UpiPsp {
        &self.psp
    }

    /// The biller catalogue as it is now.
    pub fn catalogue(&self) -> Arc<Catalogue> {
        self.catalogue.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Pulls the biller master data again and swaps the catalogue (the index is built off the async threads);
    /// returns how many billers it has. A failed pull keeps the catalogue as it was.
    pub async fn refresh_catalogue(&self) -> Result<usize, ports::BbpsError> {
        let billers = current(self.network.billers().await?, self.now());
        self.take_billers(billers).await
    }

    pub fn now(&self) -> bbps_core::Timestamp {
        self.clock.now()
    }

    /// Whole seconds from `now` until `at`, at least one: a `retry_after`.
    fn seconds_until(at: bbps_core::Timestamp, now: bbps_core::Timestamp) -> u32 {
        u32::try_from((at.unix_seconds() - now.unix_seconds()).max(1)).unwrap_or(u32::MAX)
    }

    /// `t + d` (saturating; configured durations are small).
    fn after(t: bbps_core::Timestamp, d: std::time::Duration) -> bbps_core::Timestamp {
        t.saturating_add(time::Duration::try_from(d).unwrap_or(time::Duration::MAX))
    }

    /// `t - d` (saturating).
    fn before(t: bbps_core::Timestamp, d: std::time::Duration) -> bbps_core::Timestamp {
        t.saturating_sub(time::Duration::try_from(d).unwrap_or(time::Duration::MAX))
    }
}
