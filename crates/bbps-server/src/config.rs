//! Server configuration. `Config::default()` holds every default; the CLI (flags and `BBPS_*` environment
//! variables) overrides what it is given, and tests build a `Config` directly.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use bbps_core::Secret;
use bbps_engine::{EngineConfig, RetryPolicy};

use crate::bbpcu::BbpcuSettings;
use crate::http::auth::keys::KeyMode;

/// A live PSP (Setu UPI DeepLinks, OAuth), or a PSP simulator reached over the same contract.
#[derive(Debug, Clone)]
pub struct PspSettings {
    /// The API root, e.g. `https://prod.setu.co/api/v2`.
    pub url: String,
    pub client_id: String,
    pub client_secret: Secret,
    pub product_instance_id: String,
    /// The `aud` of the PSP's notification JWTs.
    pub notify_audience: String,
    /// The key the PSP signs its notification JWTs with.
    pub notify_secret: Secret,
}

/// The store in PostgreSQL rather than in the SQLite file: the choice of several instances on one database.
#[derive(Debug, Clone)]
pub struct PostgresSettings {
    /// `postgres://user:password@host:port/dbname?sslmode=…`
    pub url: Secret,
    /// Connections this instance holds open at most.
    pub pool_size: usize,
}

/// Whether a `BBPS_DATABASE` value names a PostgreSQL server rather than a SQLite file.
pub fn is_postgres_url(database: &str) -> bool {
    database.starts_with("postgres://") || database.starts_with("postgresql://")
}

/// The SQLite file of the test-mode simulators' ledgers when the store is in PostgreSQL.
pub const SANDBOX_DATABASE: &str = ".data/sandbox.sqlite3";

/// Connections an instance holds open to PostgreSQL unless configured.
pub const POSTGRES_POOL_SIZE: usize = 16;

/// The shortest secret live mode accepts (a key of 256 bits in hex is 64).
pub const MIN_SECRET_CHARS: usize = 32;

/// Why a configuration cannot run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.join("; "))]
pub struct ConfigError(pub Vec<String>);

/// Which BBPS network and PSP the server talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RunMode {
    /// The embedded sandbox network and PSP: no credentials, no real money.
    Sandbox,
    /// Real adapters only: the configured PSP and BBPS network, live keys, no sandbox routes or demo merchant.
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
    /// Test mode: webhooks may reach this host (a receiver on loopback, such as the demo site). Never in live.
    pub allow_loopback: bool,
}

#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Time between complaint status changes (Logged -> Assigned -> Resolved).
    pub complaint_step: Duration,
    /// How long a pending (deemed) bill payment takes to settle.
    pub pending_settle: Duration,
    /// How long after start the simulated network withdraws one biller from its catalogue.
    pub catalogue_change: Duration,
    /// How long the slow test account makes a fetch take (more than `fetch_timeout`).
    pub slow_delay: Duration,
    /// Catalogue size: `None` for the curated catalogue; a larger number fills up with generated billers.
    pub biller_count: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    /// The SQLite file: the store, unless `postgres` is set; and in test mode the simulators' ledgers (PSP,
    /// BBPCU) either way.
    pub database: PathBuf,
    /// The store in PostgreSQL instead of `database`.
    pub postgres: Option<PostgresSettings>,
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
    /// How often the biller master data is pulled again (zero: never).
    pub catalogue_refresh: Duration,
    /// How often the network is asked which billers are down (zero: never).
    pub biller_status_refresh: Duration,
    /// How often a pending bill payment's status is asked for.
    pub bill_status_poll: Duration,
    /// Key for session tokens; `None` (test mode only) generates one and keeps it in the database.
    pub session_secret: Option<Secret>,
    /// Seals the secrets the database keeps (merchants' webhook secrets): 64 hex digits; required in live mode.
    pub data_key: Option<Secret>,
    /// The UPI PSP: `None` runs the PSP simulator in this process (test mode only).
    pub psp: Option<PspSettings>,
    /// Where the in-process PSP simulator listens (test mode without `psp`).
    pub psp_sim_listen: SocketAddr,
    /// How long after a payment's final state the PSP is still asked about it.
    pub reconcile_window: Duration,
    /// How long a refund the PSP makes of its own accord may stay unconfirmed before people are told.
    pub psp_refund_wait: Duration,
    /// How long the PSP simulator waits before it initiates a refund (its "settlement cycle").
    pub psp_sim_refund_delay: Duration,
    pub max_body_bytes: usize,
    /// How long graceful shutdown waits for in-flight requests.
    pub shutdown_grace: Duration,
    /// How long a client may take to send a request's head, and its body.
    pub header_read_timeout: Duration,
    pub body_read_timeout: Duration,
    /// Open connections at most.
    pub max_connections: usize,
    /// Proxies whose `X-Forwarded-For` is believed (the client is the nearest address not in these ranges).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The PSP's notifications, per sending address (apart from the customers' limits).
    pub psp_rate_limit: RateLimit,
    /// Open event streams per widget session and per client address (IPv6 by /64).
    pub max_streams_per_session: usize,
    pub max_streams_per_address: usize,
    /// One-time codes for finding payments by mobile number.
    pub otp: bbps_engine::codes::OtpPolicy,
    /// The SMS gateway the codes go through [test mode: the sandbox outbox; live: required].
    pub sms: Option<crate::sms_gateway::SmsSettings>,
    /// The BBPS central unit, our identity and keys towards it, and the wire archive [test mode: the BBPCU
    /// simulator in this process; live: required].
    pub bbpcu: BbpcuSettings,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8787)),
            database: PathBuf::from(".data/bbps.sqlite3"),
            postgres: None,
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
                // Doubling from 10 s to 8 h over 20 attempts: about three days of retries.
                max_delay: Duration::from_secs(8 * 60 * 60),
                max_attempts: 20,
                timeout: Duration::from_secs(10),
                allow_loopback: true,
            },
            sandbox: SandboxConfig {
                complaint_step: Duration::from_secs(120),
                catalogue_change: Duration::from_secs(600),
                pending_settle: Duration::from_secs(20),
                slow_delay: Duration::from_secs(15),
                biller_count: None,
            },
            fetch_timeout: Duration::from_secs(8),
            provider_timeout: Duration::from_secs(15),
            worker: true,
            worker_tick: Duration::from_secs(1),
            catalogue_refresh: Duration::from_secs(6 * 3600),
            biller_status_refresh: Duration::from_secs(60),
            bill_status_poll: Duration::from_secs(2),
            session_secret: None,
            data_key: None,
            psp: None,
            psp_sim_listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            reconcile_window: Duration::from_secs(48 * 3600),
            psp_refund_wait: Duration::from_secs(3 * 24 * 3600),
            psp_sim_refund_delay: Duration::from_secs(5),
            max_body_bytes: 64 * 1024,
            shutdown_grace: Duration::from_secs(10),
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(20),
            max_connections: 8192,
            trusted_proxies: Vec::new(),
            psp_rate_limit: RateLimit { per_minute: 6000, burst: 600 },
            max_streams_per_session: 4,
            max_streams_per_address: 64,
            otp: bbps_engine::codes::OtpPolicy::default(),
            sms: None,
            bbpcu: BbpcuSettings::default(),
        }
    }
}

impl Config {
    /// Where the store is, for messages: the SQLite file, or the PostgreSQL server and database without the
    /// password.
    pub fn store_location(&self) -> String {
        match &self.postgres {
            None => self.database.display().to_string(),
            Some(pg) => match url::Url::parse(pg.url.expose()) {
                Ok(mut url) => {
                    // It fails only for a URL without a host, which has no password to hide; the query goes too,
                    // as it may hold one (`?password=`).
                    let _ = url.set_password(None);
                    url.set_query(None);
                    url.to_string()
                }
                Err(_) => "the PostgreSQL URL in BBPS_DATABASE (it does not read as a URL)".to_owned(),
            },
        }
    }

    /// The origin of `public_url` (`scheme://host[:port]`), or of the bound address.
    pub fn public_base(&self, bound: SocketAddr) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", loopback_if_unspecified(bound)),
        }
    }

    /// What keeps this configuration from running in its mode, every problem named with its setting. Test mode
    /// fills what is missing with the sandbox; live mode has no defaults for anything that moves money.
    pub fn check(&self) -> Result<(), ConfigError> {
        let mut problems = Vec::new();
        let weak = |s: &Secret| s.len() < MIN_SECRET_CHARS;
        if let Some(psp) = &self.psp {
            if psp.client_id.trim().is_empty() || psp.product_instance_id.trim().is_empty() {
                problems.push("BBPS_PSP_CLIENT_ID and BBPS_PSP_PRODUCT_INSTANCE_ID must be set".to_owned());
            }
            if psp.client_secret.is_empty() {
                problems.push("BBPS_PSP_CLIENT_SECRET must be set".to_owned());
            }
            if psp.notify_audience.trim().is_empty() {
                problems.push("BBPS_PSP_NOTIFY_AUDIENCE must be set".to_owned());
            }
        }
        if let Some(sms) = &self.sms {
            if !sms.url.starts_with("https://") && !loopback_http(&sms.url) {
                problems.push("BBPS_SMS_URL must be an https:// URL (or http:// to a relay on this host)".to_owned());
            }
            if sms.api_key.is_empty() || sms.sender.trim().is_empty() || sms.template_id.trim().is_empty() {
                problems.push("BBPS_SMS_API_KEY, BBPS_SMS_SENDER and BBPS_SMS_TEMPLATE_ID must be set".to_owned());
            }
        }
        if self.mode == RunMode::Live {
            if self.sms.is_none() {
                problems.push(
                    "no SMS gateway is configured (customers prove their mobile number with a code to track \
                     payments): set BBPS_SMS_URL, BBPS_SMS_API_KEY, BBPS_SMS_SENDER and BBPS_SMS_TEMPLATE_ID"
                        .to_owned(),
                );
            }
            match &self.session_secret {
                Some(s) if !weak(s) => {}
                _ => {
                    problems.push(format!("BBPS_SESSION_SECRET must be set to at least {MIN_SECRET_CHARS} characters"))
                }
            }
            match self.data_key.as_ref().map(|k| bbps_engine::seal::DataKey::from_hex(k.expose())) {
                Some(Ok(_)) => {}
                _ => problems.push("BBPS_DATA_KEY must be set to 64 hex digits (`openssl rand -hex 32`)".to_owned()),
            }
            match self.public_url.as_deref() {
                Some(url) if url.starts_with("https://") => {}
                _ => problems.push("BBPS_PUBLIC_URL must be set to the https:// origin browsers use".to_owned()),
            }
            match &self.psp {
                None => problems.push(
                    "no PSP is configured: set BBPS_PSP_URL, BBPS_PSP_CLIENT_ID, BBPS_PSP_CLIENT_SECRET, \
                     BBPS_PSP_PRODUCT_INSTANCE_ID, BBPS_PSP_NOTIFY_AUDIENCE and BBPS_PSP_NOTIFY_SECRET"
                        .to_owned(),
                ),
                Some(psp) => {
                    if !psp.url.starts_with("https://") && !loopback_http(&psp.url) {
                        problems.push(
                            "BBPS_PSP_URL must be an https:// URL (or http:// to a TLS proxy on this host)".to_owned(),
                        );
                    }
                    if weak(&psp.notify_secret) {
                        problems.push(format!("BBPS_PSP_NOTIFY_SECRET must be at least {MIN_SECRET_CHARS} characters"));
                    }
                }
            }
        }
        problems.extend(self.bbpcu.problems(self.mode));
        if problems.is_empty() { Ok(()) } else { Err(ConfigError(problems)) }
    }

    /// The keys this server takes.
    pub fn key_mode(&self) -> KeyMode {
        match self.mode {
            RunMode::Sandbox => KeyMode::Test,
            RunMode::Live => KeyMode::Live,
        }
    }

    /// The engine's part of the configuration.
    pub fn engine(&self) -> EngineConfig {
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
            // Asked once a worker tick has had time to pass, so a payment's own notification usually wins.
            notification_overdue: (self.worker_tick * 30).clamp(Duration::from_secs(2), Duration::from_secs(60)),
            reconcile_window: self.reconcile_window,
            refund_escalate_after: 8,
            psp_refund_wait: self.psp_refund_wait,
            // Longer than any step: a fetch or status call and a payment call, each with its own limit.
            lease: (self.provider_timeout * 4).max(Duration::from_secs(60)),
            otp: self.otp.clone(),
            catalogue_timeout: self.bbpcu.timeouts.biller_fetch.unwrap_or(crate::bbpcu::settings::BILLER_FETCH_TIMEOUT),
            wire_retention: self.bbpcu.wire_retention,
        }
    }
}

/// `http://` to this host: a PSP reached through a local egress proxy that holds the TLS client certificate and
/// the allow-listed address, never over the network in the clear.
fn loopback_http(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("http://") else { return false };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return false;
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.split(':').next().unwrap_or(""),
    };
    host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
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
