//! Server configuration. `Config::default()` holds every default; the CLI (flags and `BBPS_*` environment
//! variables) overrides what it is given, and tests build a `Config` directly.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use bbps_engine::{EngineConfig, RetryPolicy};

/// Which BBPS network and PSP the server talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RunMode {
    /// The embedded sandbox network and PSP: no credentials, no real money.
    Sandbox,
    /// A real BBPS network and PSP (no live adapter is built in yet; the server refuses to start).
    Live,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Sustained requests per minute.
    pub per_minute: u32,
    /// Requests allowed at once before the sustained rate applies.
    pub burst: u32,
}

#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// Delay before the second attempt; each later delay doubles, up to `max_delay`.
    pub backoff_base: Duration,
    pub max_delay: Duration,
    pub max_attempts: u32,
    /// How long one delivery may take.
    pub timeout: Duration,
}

#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Time between complaint status changes (Logged -> Assigned -> Resolved).
    pub complaint_step: Duration,
    /// How long a pending (deemed) bill payment takes to settle.
    pub pending_settle: Duration,
    /// How long the slow test account makes a fetch take (more than `fetch_timeout`).
    pub slow_delay: Duration,
    /// Catalogue size: `None` for the curated catalogue; a larger number fills up with generated billers.
    pub biller_count: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub database: PathBuf,
    /// The origin browsers reach the server at; `None` derives `http://<bound address>`.
    pub public_url: Option<String>,
    pub mode: RunMode,
    pub widget_dist: PathBuf,
    pub payment_expiry: Duration,
    pub session_ttl: Duration,
    pub quote_ttl: Duration,
    pub ip_rate_limit: RateLimit,
    pub session_rate_limit: RateLimit,
    pub webhook: WebhookConfig,
    pub sandbox: SandboxConfig,
    /// Longest wait for a bill fetch or validation from the network.
    pub fetch_timeout: Duration,
    /// Longest wait for any other network or PSP call.
    pub provider_timeout: Duration,
    /// Whether this process runs the background worker (lifecycle and webhooks).
    pub worker: bool,
    /// The worker's periodic wake-up; changes also wake it at once.
    pub worker_tick: Duration,
    /// How often a pending bill payment's status is asked for.
    pub bill_status_poll: Duration,
    /// Key for session tokens; `None` generates one and keeps it in the database.
    pub session_secret: Option<String>,
    /// Key the PSP signs callbacks with; `None` generates one and keeps it in the database (sandbox).
    pub psp_secret: Option<String>,
    /// Largest difference between a callback's time stamp and our clock.
    pub callback_tolerance: Duration,
    pub max_body_bytes: usize,
    /// How long graceful shutdown waits for in-flight requests.
    pub shutdown_grace: Duration,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8787)),
            database: PathBuf::from(".data/bbps.sqlite3"),
            public_url: None,
            mode: RunMode::Sandbox,
            widget_dist: PathBuf::from("dist"),
            payment_expiry: Duration::from_secs(10 * 60),
            session_ttl: Duration::from_secs(30 * 60),
            quote_ttl: Duration::from_secs(20 * 60),
            ip_rate_limit: RateLimit { per_minute: 1200, burst: 300 },
            session_rate_limit: RateLimit { per_minute: 600, burst: 120 },
            webhook: WebhookConfig {
                backoff_base: Duration::from_secs(10),
                max_delay: Duration::from_secs(60 * 60),
                max_attempts: 8,
                timeout: Duration::from_secs(10),
            },
            sandbox: SandboxConfig {
                complaint_step: Duration::from_secs(120),
                pending_settle: Duration::from_secs(20),
                slow_delay: Duration::from_secs(15),
                biller_count: None,
            },
            fetch_timeout: Duration::from_secs(8),
            provider_timeout: Duration::from_secs(15),
            worker: true,
            worker_tick: Duration::from_secs(1),
            bill_status_poll: Duration::from_secs(2),
            session_secret: None,
            psp_secret: None,
            callback_tolerance: Duration::from_secs(300),
            max_body_bytes: 64 * 1024,
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

impl Config {
    /// The origin of `public_url` (`scheme://host[:port]`), or of the bound address.
    pub fn public_base(&self, bound: SocketAddr) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", loopback_if_unspecified(bound)),
        }
    }

    /// The engine's part of the configuration, for a server reached at `public_base`.
    pub fn engine(&self, public_base: &str) -> EngineConfig {
        EngineConfig {
            payment_expiry: self.payment_expiry,
            quote_ttl: self.quote_ttl,
            fetch_timeout: self.fetch_timeout,
            provider_timeout: self.provider_timeout,
            bill_status_poll: self.bill_status_poll,
            worker_tick: self.worker_tick,
            retries: RetryPolicy {
                backoff_base: self.webhook.backoff_base,
                max_delay: self.webhook.max_delay,
                max_webhook_attempts: self.webhook.max_attempts,
            },
            payment_url_base: format!("{public_base}/v1/payments/"),
        }
    }
}

/// Where this process reaches itself: the bound address, with `0.0.0.0`/`::` replaced by loopback.
pub fn loopback_if_unspecified(addr: SocketAddr) -> SocketAddr {
    if addr.ip().is_unspecified() {
        let ip = if addr.is_ipv4() {
            std::net::IpAddr::from([127, 0, 0, 1])
        } else {
            std::net::IpAddr::from(std::net::Ipv6Addr::LOCALHOST)
        };
        SocketAddr::new(ip, addr.port())
    } else {
        addr
    }
}
