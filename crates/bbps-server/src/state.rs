//! What every handler shares: the engine, the transport's own parts (sessions, rate limits, the event hub, the
//! widget's files) and the configuration.

use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use bbps_engine::Engine;
use tokio::sync::watch;

use crate::config::Config;
use crate::http::assets::AssetCache;
use crate::http::auth::client_secret::ClientSecrets;
use crate::http::auth::session::SessionSigner;
use crate::http::ratelimit::RateLimits;
use crate::http::streams::StreamSlots;
use crate::notifier::EventHub;

pub struct AppInner {
    pub config: Config,
    /// `scheme://host[:port]` browsers use to reach this server.
    pub public_base: String,
    pub engine: Arc<Engine>,
    pub sessions: SessionSigner,
    pub client_secrets: ClientSecrets,
    pub tracking_tokens: crate::http::auth::tracking_token::TrackingTokens,
    pub limits: RateLimits,
    pub events: Arc<EventHub>,
    pub streams: Arc<StreamSlots>,
    pub openapi: OnceLock<String>,
    /// `GET /v1/categories`'s body and the catalogue it was written from.
    pub categories_json: std::sync::RwLock<Option<(Arc<bbps_engine::Catalogue>, axum::body::Bytes)>>,
    /// The widget's files, compressed once in the background.
    pub assets: Arc<AssetCache>,
    /// The adapters' last probes, for readiness.
    pub probes: Arc<crate::readiness::AdapterProbes>,
    /// Turns `true` when the server starts shutting down (ends SSE streams and the workers).
    pub shutdown: watch::Receiver<bool>,
}

#[derive(Clone)]
pub struct AppState(pub Arc<AppInner>);

impl Deref for AppState {
    type Target = AppInner;
    fn deref(&self) -> &AppInner {
        &self.0
    }
}
