//! The command line: `serve` (the default), merchant administration and reading the wire archive. Every serve
//! setting has a flag and a `BBPS_*` environment variable; unset ones keep `Config::default()`.

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use bbps_core::WebhookUrl;
use bbps_core::api::Origin;
use bbps_core::{MerchantId, Secret};
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use crate::config::{self, Config, PostgresSettings, PspSettings, RateLimit, RunMode};
use crate::http::auth::keys::{self, KeyMode};
use bbps_engine::model::Merchant;

#[derive(Debug, Parser)]
#[command(name = "bbps-server", version, about = "The BBPS bill-payment widget's backend (sandbox by default)")]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server (the default).
    Serve(Box<ServeArgs>),
    /// Manage merchants.
    Merchant {
        #[command(subcommand)]
        command: MerchantCommand,
        /// The store: a SQLite file, or a PostgreSQL URL (postgres://…).
        #[arg(
            long,
            env = "BBPS_DATABASE",
            default_value = ".data/bbps.sqlite3",
            global = true,
            hide_env_values = true
        )]
        database: String,
        /// The data key the server seals stored secrets with (live).
        #[arg(long, env = "BBPS_DATA_KEY", hide_env_values = true, global = true)]
        data_key: Option<Secret>,
    },
    /// Read the wire archive: every message exchanged with the BBPS central unit, as it was on the wire.
    Wire {
        #[command(subcommand)]
        command: WireCommand,
        /// The store: a SQLite file, or a PostgreSQL URL (postgres://…).
        #[arg(
            long,
            env = "BBPS_DATABASE",
            default_value = ".data/bbps.sqlite3",
            global = true,
            hide_env_values = true
        )]
        database: String,
    },
}

#[derive(Debug, Subcommand)]
enum WireCommand {
    /// The most recent messages, oldest first: time, direction, message, refId, msgId, size, and why a received
    /// one was refused.
    List {
        /// How many.
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Only the messages of this refId.
        #[arg(long)]
        ref_id: Option<String>,
    },
    /// Every message of one refId (a bill's fetch, payment, status checks and their Acks), each with its bytes as
    /// they were on the wire.
    Show { ref_id: String },
}

#[derive(Debug, Subcommand)]
enum MerchantCommand {
    /// Create a merchant and print its keys (the secret key is shown only once).
    Create {
        #[arg(long)]
        name: String,
        /// The name UPI apps show for the payee (defaults to --name).
        #[arg(long)]
        payee_name: Option<String>,
        /// Live keys (`pk_live_`, `sk_live_`), for a live server; test keys otherwise.
        #[arg(long)]
        live: bool,
        /// An origin allowed to embed the widget (`https://shop.example`); repeat for more.
        #[arg(long = "origin", required = true)]
        origins: Vec<String>,
        #[arg(long)]
        webhook_url: Option<String>,
    },
    /// List merchants.
    List,
    /// Replace a merchant's publishable and secret keys (the old ones stop working).
    RotateKeys { merchant_id: String },
}

#[derive(Debug, Clone, Args, Default)]
pub struct ServeArgs {
    /// A file of `BBPS_*=value` lines read as settings (flags and the environment win over it); a file holding a
    /// secret must be private (`chmod 600`).
    #[arg(long, env = "BBPS_CONFIG")]
    config: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:8787].
    #[arg(long, env = "BBPS_LISTEN")]
    listen: Option<SocketAddr>,
    /// The store: a SQLite file, created with its directory, or a PostgreSQL server's URL
    /// (`postgres://user:password@host:5432/dbname`) [default: .data/bbps.sqlite3].
    #[arg(long, env = "BBPS_DATABASE", hide_env_values = true)]
    database: Option<String>,
    /// Connections this instance holds open to PostgreSQL [default: 16].
    #[arg(long, env = "BBPS_DATABASE_POOL_SIZE")]
    database_pool_size: Option<usize>,
    /// With the store in PostgreSQL, the SQLite file of the test-mode simulators' ledgers (PSP, BBPCU)
    /// [default: .data/sandbox.sqlite3].
    #[arg(long, env = "BBPS_SANDBOX_DATABASE")]
    sandbox_database: Option<PathBuf>,
    /// The origin browsers reach the server at [default: http://<listen address>].
    #[arg(long, env = "BBPS_PUBLIC_URL")]
    public_url: Option<String>,
    /// sandbox or live [default: sandbox].
    #[arg(long, env = "BBPS_MODE", value_enum)]
    mode: Option<RunMode>,
    /// The built widget served at /widget/ [default: dist].
    #[arg(long, env = "BBPS_WIDGET_DIST")]
    widget_dist: Option<PathBuf>,
    /// How long a UPI link stays payable, e.g. 10m [default: 10m].
    #[arg(long, env = "BBPS_PAYMENT_EXPIRY", value_parser = humantime::parse_duration)]
    payment_expiry: Option<Duration>,
    /// Widget session lifetime [default: 30m].
    #[arg(long, env = "BBPS_SESSION_TTL", value_parser = humantime::parse_duration)]
    session_ttl: Option<Duration>,
    /// How long a fetched bill may be paid [default: 20m].
    #[arg(long, env = "BBPS_QUOTE_TTL", value_parser = humantime::parse_duration)]
    quote_ttl: Option<Duration>,
    /// Requests per minute per client address [default: 1200].
    #[arg(long, env = "BBPS_RATE_LIMIT_IP_PER_MINUTE")]
    rate_limit_ip_per_minute: Option<u32>,
    /// Burst per client address [default: 300].
    #[arg(long, env = "BBPS_RATE_LIMIT_IP_BURST")]
    rate_limit_ip_burst: Option<u32>,
    /// Requests per minute per widget session [default: 600].
    #[arg(long, env = "BBPS_RATE_LIMIT_SESSION_PER_MINUTE")]
    rate_limit_session_per_minute: Option<u32>,
    /// Burst per widget session [default: 120].
    #[arg(long, env = "BBPS_RATE_LIMIT_SESSION_BURST")]
    rate_limit_session_burst: Option<u32>,
    /// First webhook retry delay; later ones double [default: 10s].
    #[arg(long, env = "BBPS_WEBHOOK_BACKOFF", value_parser = humantime::parse_duration)]
    webhook_backoff: Option<Duration>,
    /// Longest webhook retry delay [default: 8h].
    #[arg(long, env = "BBPS_WEBHOOK_MAX_DELAY", value_parser = humantime::parse_duration)]
    webhook_max_delay: Option<Duration>,
    /// Webhook attempts before giving up (then the merchant may redeliver) [default: 20].
    #[arg(long, env = "BBPS_WEBHOOK_MAX_ATTEMPTS")]
    webhook_max_attempts: Option<u32>,
    /// Time limit of one webhook delivery [default: 10s].
    #[arg(long, env = "BBPS_WEBHOOK_TIMEOUT", value_parser = humantime::parse_duration)]
    webhook_timeout: Option<Duration>,
    /// Test mode: may webhooks go to this machine (a merchant's receiver on localhost): on or off [default: on].
    /// Private, link-local and other reserved addresses are refused either way; live mode refuses loopback too.
    #[arg(long, env = "BBPS_WEBHOOK_ALLOW_LOOPBACK", value_parser = parse_switch)]
    webhook_allow_loopback: Option<bool>,
    /// Sandbox: time between complaint status changes [default: 2m].
    #[arg(long, env = "BBPS_SANDBOX_COMPLAINT_STEP", value_parser = humantime::parse_duration)]
    sandbox_complaint_step: Option<Duration>,
    /// Sandbox: how long after start the simulated network withdraws one biller from its catalogue [default: 10m].
    #[arg(long, env = "BBPS_SANDBOX_CATALOGUE_CHANGE", value_parser = humantime::parse_duration)]
    sandbox_catalogue_change: Option<Duration>,
    /// Sandbox: how long a pending bill payment takes to settle [default: 20s].
    #[arg(long, env = "BBPS_SANDBOX_PENDING_SETTLE", value_parser = humantime::parse_duration)]
    sandbox_pending_settle: Option<Duration>,
    /// Sandbox: how long the slow test account takes to answer [default: 15s].
    #[arg(long, env = "BBPS_SANDBOX_SLOW_DELAY", value_parser = humantime::parse_duration)]
    sandbox_slow_delay: Option<Duration>,
    /// Sandbox: catalogue size; above the curated ~200, generated billers fill up (e.g. 22000).
    #[arg(long, env = "BBPS_SANDBOX_BILLERS")]
    sandbox_billers: Option<usize>,
    /// Longest wait for a bill fetch or validation [default: 8s].
    #[arg(long, env = "BBPS_FETCH_TIMEOUT", value_parser = humantime::parse_duration)]
    fetch_timeout: Option<Duration>,
    /// Longest wait for other network and PSP calls [default: 15s].
    #[arg(long, env = "BBPS_PROVIDER_TIMEOUT", value_parser = humantime::parse_duration)]
    provider_timeout: Option<Duration>,
    /// Run the background worker (payment lifecycle, webhooks): on or off [default: on].
    #[arg(long, env = "BBPS_WORKER", value_parser = parse_switch)]
    worker: Option<bool>,
    /// The worker's periodic wake-up [default: 1s].
    #[arg(long, env = "BBPS_WORKER_TICK", value_parser = humantime::parse_duration)]
    worker_tick: Option<Duration>,
    /// How often the biller master data is pulled again [default: 6h]; `0s` never.
    #[arg(long, env = "BBPS_CATALOGUE_REFRESH", value_parser = humantime::parse_duration)]
    catalogue_refresh: Option<Duration>,
    /// How often the network is asked which billers are down (biller status) [default: 1m]; `0s` never.
    #[arg(long, env = "BBPS_BILLER_STATUS_REFRESH", value_parser = humantime::parse_duration)]
    biller_status_refresh: Option<Duration>,
    /// How often a pending bill payment's status is asked [default: 2s].
    #[arg(long, env = "BBPS_BILL_STATUS_POLL", value_parser = humantime::parse_duration)]
    bill_status_poll: Option<Duration>,
    /// Key that signs session tokens, at least 32 characters [test mode default: generated once and kept in the
    /// database; live: required].
    #[arg(long, env = "BBPS_SESSION_SECRET", hide_env_values = true)]
    session_secret: Option<Secret>,
    /// Seals the secrets the database keeps (merchants' webhook secrets): 64 hex digits, e.g. from
    /// `openssl rand -hex 32` [test mode: none; live: required].
    #[arg(long, env = "BBPS_DATA_KEY", hide_env_values = true)]
    data_key: Option<Secret>,
    /// The PSP's API root (Setu UPI DeepLinks v2, e.g. https://prod.setu.co/api/v2) [test mode default: the PSP
    /// simulator in this process; live: required].
    #[arg(long, env = "BBPS_PSP_URL")]
    psp_url: Option<String>,
    /// The PSP's OAuth client id.
    #[arg(long, env = "BBPS_PSP_CLIENT_ID")]
    psp_client_id: Option<String>,
    /// The PSP's OAuth client secret.
    #[arg(long, env = "BBPS_PSP_CLIENT_SECRET", hide_env_values = true)]
    psp_client_secret: Option<Secret>,
    /// The PSP's product instance (`X-Setu-Product-Instance-ID`).
    #[arg(long, env = "BBPS_PSP_PRODUCT_INSTANCE_ID")]
    psp_product_instance_id: Option<String>,
    /// The `aud` of the PSP's notification JWTs (the scheme id shared with the PSP).
    #[arg(long, env = "BBPS_PSP_NOTIFY_AUDIENCE")]
    psp_notify_audience: Option<String>,
    /// The key the PSP signs its notification JWTs with, at least 32 characters in live mode.
    #[arg(long, env = "BBPS_PSP_NOTIFY_SECRET", hide_env_values = true)]
    psp_notify_secret: Option<Secret>,
    /// The SMS gateway's send endpoint for one-time codes [test mode: the sandbox outbox; live: required].
    #[arg(long, env = "BBPS_SMS_URL")]
    sms_url: Option<String>,
    /// The SMS gateway's bearer key.
    #[arg(long, env = "BBPS_SMS_API_KEY", hide_env_values = true)]
    sms_api_key: Option<Secret>,
    /// The registered SMS sender id.
    #[arg(long, env = "BBPS_SMS_SENDER")]
    sms_sender: Option<String>,
    /// The DLT template id of the code message.
    #[arg(long, env = "BBPS_SMS_TEMPLATE_ID")]
    sms_template_id: Option<String>,
    /// Where the in-process PSP simulator listens (test mode without BBPS_PSP_URL) [default: 127.0.0.1:0].
    #[arg(long, env = "BBPS_PSP_SIM_LISTEN")]
    psp_sim_listen: Option<SocketAddr>,
    /// How long the PSP simulator waits before it initiates a refund [default: 5s].
    #[arg(long, env = "BBPS_PSP_SIM_REFUND_DELAY", value_parser = humantime::parse_duration)]
    psp_sim_refund_delay: Option<Duration>,
    /// How long after a payment's final state the PSP is still asked about it [default: 48h].
    #[arg(long, env = "BBPS_RECONCILE_WINDOW", value_parser = humantime::parse_duration)]
    reconcile_window: Option<Duration>,
    /// How long a refund the PSP owes may stay unconfirmed before it is escalated [default: 72h].
    #[arg(long, env = "BBPS_PSP_REFUND_WAIT", value_parser = humantime::parse_duration)]
    psp_refund_wait: Option<Duration>,
    /// How long shutdown waits for in-flight requests [default: 10s].
    #[arg(long, env = "BBPS_SHUTDOWN_GRACE", value_parser = humantime::parse_duration)]
    shutdown_grace: Option<Duration>,
    /// How long a client may take to send a request's head [default: 10s].
    #[arg(long, env = "BBPS_HEADER_READ_TIMEOUT", value_parser = humantime::parse_duration)]
    header_read_timeout: Option<Duration>,
    /// How long a client may take to send a request's body [default: 20s].
    #[arg(long, env = "BBPS_BODY_READ_TIMEOUT", value_parser = humantime::parse_duration)]
    body_read_timeout: Option<Duration>,
    /// Open connections at most [default: 8192].
    #[arg(long, env = "BBPS_MAX_CONNECTIONS")]
    max_connections: Option<usize>,
    /// Address ranges of the proxies in front of the server, comma-separated (`10.0.0.0/8,::1/128`): only their
    /// `X-Forwarded-For` is believed [default: none].
    #[arg(long, env = "BBPS_TRUSTED_PROXIES", value_delimiter = ',')]
    trusted_proxies: Option<Vec<ipnet::IpNet>>,
    /// Open event streams per widget session [default: 4].
    #[arg(long, env = "BBPS_MAX_STREAMS_PER_SESSION")]
    max_streams_per_session: Option<usize>,
    /// Open event streams per client address, IPv6 by /64 [default: 64].
    #[arg(long, env = "BBPS_MAX_STREAMS_PER_ADDRESS")]
    max_streams_per_address: Option<usize>,
    /// Log format: text or json [default: text]. Levels come from RUST_LOG.
    #[arg(long, env = "BBPS_LOG_FORMAT")]
    log_format: Option<String>,
    #[command(flatten)]
    bbpcu: crate::bbpcu::args::BbpcuArgs,
}

fn parse_switch(s: &str) -> Result<bool, String> {
    match s.to_ascii_lowercase().as_str() {
        "on" | "true" | "1" | "yes" => Ok(true),
        "off" | "false" | "0" | "no" => Ok(false),
        _ => Err("use on or off".to_owned()),
    }
}

impl ServeArgs {
    pub fn into_config(self) -> Config {
        let mut c = Config::default();
        macro_rules! set {
            ($($field:ident => $target:expr),* $(,)?) => { $(if let Some(v) = self.$field { $target = v; })* };
        }
        set! {
            listen => c.listen,
            mode => c.mode,
            widget_dist => c.widget_dist,
            payment_expiry => c.payment_expiry,
            session_ttl => c.session_ttl,
            quote_ttl => c.quote_ttl,
            webhook_backoff => c.webhook.backoff_base,
            webhook_max_delay => c.webhook.max_delay,
            webhook_max_attempts => c.webhook.max_attempts,
            webhook_timeout => c.webhook.timeout,
            webhook_allow_loopback => c.webhook.allow_loopback,
            sandbox_complaint_step => c.sandbox.complaint_step,
            sandbox_catalogue_change => c.sandbox.catalogue_change,
            sandbox_pending_settle => c.sandbox.pending_settle,
            sandbox_slow_delay => c.sandbox.slow_delay,
            fetch_timeout => c.fetch_timeout,
            provider_timeout => c.provider_timeout,
            worker => c.worker,
            worker_tick => c.worker_tick,
            catalogue_refresh => c.catalogue_refresh,
            biller_status_refresh => c.biller_status_refresh,
            bill_status_poll => c.bill_status_poll,
            psp_sim_listen => c.psp_sim_listen,
            psp_sim_refund_delay => c.psp_sim_refund_delay,
            reconcile_window => c.reconcile_window,
            psp_refund_wait => c.psp_refund_wait,
            shutdown_grace => c.shutdown_grace,
            header_read_timeout => c.header_read_timeout,
            body_read_timeout => c.body_read_timeout,
            max_connections => c.max_connections,
            trusted_proxies => c.trusted_proxies,
            max_streams_per_session => c.max_streams_per_session,
            max_streams_per_address => c.max_streams_per_address,
        }
        choose_store(&mut c, self.database, self.database_pool_size, self.sandbox_database);
        c.public_url = self.public_url.or(c.public_url);
        c.session_secret = self.session_secret.or(c.session_secret);
        c.data_key = self.data_key.or(c.data_key);
        c.psp = self.psp_url.map(|url| PspSettings {
            url,
            client_id: self.psp_client_id.unwrap_or_default(),
            client_secret: self.psp_client_secret.unwrap_or_else(|| Secret::new("")),
            product_instance_id: self.psp_product_instance_id.unwrap_or_default(),
            notify_audience: self.psp_notify_audience.unwrap_or_default(),
            notify_secret: self.psp_notify_secret.unwrap_or_else(|| Secret::new("")),
        });
        c.sms = self.sms_url.map(|url| crate::sms_gateway::SmsSettings {
            url,
            api_key: self.sms_api_key.unwrap_or_else(|| Secret::new("")),
            sender: self.sms_sender.unwrap_or_default(),
            template_id: self.sms_template_id.unwrap_or_default(),
        });
        c.sandbox.biller_count = self.sandbox_billers.or(c.sandbox.biller_count);
        self.bbpcu.apply(&mut c.bbpcu);
        let ip = c.ip_rate_limit;
        c.ip_rate_limit = RateLimit {
            per_minute: self.rate_limit_ip_per_minute.unwrap_or(ip.per_minute),
            burst: self.rate_limit_ip_burst.unwrap_or(ip.burst),
        };
        let session = c.session_rate_limit;
        c.session_rate_limit = RateLimit {
            per_minute: self.rate_limit_session_per_minute.unwrap_or(session.per_minute),
            burst: self.rate_limit_session_burst.unwrap_or(session.burst),
        };
        c
    }
}

/// Puts the store where `BBPS_DATABASE` says: a PostgreSQL server for a `postgres://` URL, with the test-mode
/// simulators' ledgers in a SQLite file of their own; otherwise the SQLite file, which holds those ledgers too.
fn choose_store(c: &mut Config, database: Option<String>, pool_size: Option<usize>, sandbox_database: Option<PathBuf>) {
    match database {
        Some(url) if config::is_postgres_url(&url) => {
            let pool_size = pool_size.unwrap_or(config::POSTGRES_POOL_SIZE);
            c.postgres = Some(PostgresSettings { url: Secret::new(url), pool_size });
            c.database = sandbox_database.unwrap_or_else(|| PathBuf::from(config::SANDBOX_DATABASE));
        }
        path => {
            if let Some(path) = path {
                c.database = PathBuf::from(path);
            }
            if pool_size.is_some() || sandbox_database.is_some() {
                tracing::warn!(
                    "BBPS_DATABASE_POOL_SIZE and BBPS_SANDBOX_DATABASE are for a store in PostgreSQL; with SQLite they \
                     are not used"
                );
            }
        }
    }
}

fn init_logging(format: Option<&str>) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info,hyper=warn,reqwest=warn"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(ansi).with_writer(std::io::stderr);
    // A second initialisation (tests) is harmless, so its error is ignored.
    let _ = if format == Some("json") { builder.json().try_init() } else { builder.try_init() };
}

/// Parses the command line, adding the settings of `--config` that the command line and environment leave unset.
fn parse_args(args: Vec<OsString>) -> Result<Cli, String> {
    let command = Cli::command();
    let matches = command.clone().get_matches_from(args.clone());
    let cli = Cli::from_arg_matches(&matches).map_err(|e| e.to_string())?;
    let (path, serve, serve_matches) = match (&cli.command, matches.subcommand()) {
        (None, _) => (cli.serve.config.clone(), &command, &matches),
        (Some(Command::Serve(args)), Some((name, sub))) => {
            (args.config.clone(), command.find_subcommand(name).unwrap_or(&command), sub)
        }
        _ => (None, &command, &matches),
    };
    let Some(path) = path else { return Ok(cli) };
    let merged = crate::config_file::merge(&path, args, serve, serve_matches, |key| std::env::var_os(key).is_some())?;
    Cli::try_parse_from(merged).map_err(|e| e.to_string())
}

pub fn main() -> ExitCode {
    let cli = match parse_args(std::env::args_os().collect()) {
        Ok(cli) => cli,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            None => serve(cli.serve).await,
            Some(Command::Serve(args)) => serve(*args).await,
            Some(Command::Wire { command, database }) => wire(command, database).await,
            Some(Command::Merchant { command, database, data_key }) => {
                init_logging(None);
                merchant(command, database, data_key).await
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
}

async fn serve(args: ServeArgs) -> Result<(), String> {
    init_logging(args.log_format.as_deref());
    let config = args.into_config();
    let mut server = crate::app::start(config).await.map_err(|e| e.to_string())?;
    // Tests and scripts read this line to learn the address (the port may have been chosen by the OS).
    println!("listening on {}", server.base_url());
    tokio::select! {
        _ = shutdown_signal() => {
            tracing::info!("shutting down: draining in-flight requests");
            server.shutdown().await;
        }
        _ = server.wait() => {}
    }
    Ok(())
}

async fn wire(command: WireCommand, database: String) -> Result<(), String> {
    let mut config = Config::default();
    choose_store(&mut config, Some(database), None, None);
    let store = crate::app::open_store(&config).await.map_err(|e| e.to_string())?;
    let mut out = std::io::stdout().lock();
    match command {
        WireCommand::List { limit, ref_id } => {
            crate::bbpcu::wire::list(store.as_ref(), ref_id.as_deref(), limit, &mut out).await
        }
        WireCommand::Show { ref_id } => crate::bbpcu::wire::show(store.as_ref(), &ref_id, &mut out).await,
    }
}

async fn merchant(command: MerchantCommand, database: String, data_key: Option<Secret>) -> Result<(), String> {
    let mut config = Config { data_key, ..Config::default() };
    choose_store(&mut config, Some(database), None, None);
    let store = crate::app::open_store(&config).await.map_err(|e| e.to_string())?;
    match command {
        MerchantCommand::Create { name, payee_name, live, origins, webhook_url } => {
            let origins = origins
                .iter()
                .map(|o| Origin::parse(o).map(|o| o.as_str().to_owned()).map_err(|e| format!("--origin: {e}")))
                .collect::<Result<Vec<_>, _>>()?;
            let webhook_url = webhook_url
                .map(|u| {
                    WebhookUrl::parse(&u).map(|u| u.as_str().to_owned()).map_err(|e| format!("--webhook-url: {e}"))
                })
                .transpose()?;
            let name = name.trim().to_owned();
            if name.is_empty() || name.chars().count() > 99 {
                return Err("--name must be 1 to 99 characters".to_owned());
            }
            let new_keys = keys::generate_keys(if live { KeyMode::Live } else { KeyMode::Test });
            let m = Merchant {
                id: keys::new_merchant_id(),
                upi_name: payee_name.unwrap_or_else(|| name.clone()),
                name,
                publishable_key: new_keys.publishable.clone(),
                secret_key_hash: keys::hash_secret(&new_keys.secret),
                allowed_origins: origins,
                webhook_url,
                webhook_secret: Secret::new(keys::generate_webhook_secret()),
                created_at: crate::util::now(),
            };
            store.insert_merchant(&m).await.map_err(|e| e.to_string())?;
            println!("merchant_id      {}", m.id);
            println!("publishable_key  {}", new_keys.publishable);
            println!("secret_key       {}   (shown once: store it now)", new_keys.secret);
            println!("webhook_secret   {}", m.webhook_secret.expose());
        }
        MerchantCommand::List => {
            for m in store.merchants().await.map_err(|e| e.to_string())? {
                println!(
                    "{}  {}  {}  origins={}  webhook={}",
                    m.id,
                    m.name,
                    m.publishable_key,
                    m.allowed_origins.join(","),
                    m.webhook_url.as_deref().unwrap_or("-")
                );
            }
        }
        MerchantCommand::RotateKeys { merchant_id } => {
            let id = MerchantId::parse(&merchant_id).map_err(|e| e.to_string())?;
            let current = store.merchant(&id).await.map_err(|e| e.to_string())?.ok_or(format!("no merchant {id}"))?;
            let new_keys = keys::generate_keys(KeyMode::of(&current.publishable_key));
            let found = store
                .rotate_merchant_keys(&id, &new_keys.publishable, &keys::hash_secret(&new_keys.secret))
                .await
                .map_err(|e| e.to_string())?;
            if !found {
                return Err(format!("no merchant {id}"));
            }
            println!("merchant_id      {id}");
            println!("publishable_key  {}", new_keys.publishable);
            println!("secret_key       {}   (shown once: store it now)", new_keys.secret);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serve_config(args: &[&str]) -> Config {
        let cli = Cli::try_parse_from(std::iter::once("bbps-server").chain(args.iter().copied())).expect("arguments");
        cli.serve.into_config()
    }

    #[test]
    fn a_postgres_url_puts_the_store_in_postgres_and_the_ledgers_beside() {
        let c = serve_config(&["--database", "postgres://bbps:pw@db.internal:5432/bbps", "--database-pool-size", "32"]);
        let pg = c.postgres.as_ref().expect("PostgreSQL");
        assert_eq!((pg.url.expose(), pg.pool_size), ("postgres://bbps:pw@db.internal:5432/bbps", 32));
        assert_eq!(c.database, PathBuf::from(config::SANDBOX_DATABASE), "the simulators' ledgers");
        assert_eq!(c.store_location(), "postgres://bbps@db.internal:5432/bbps", "no password in messages");
        assert!(!format!("{c:?}").contains("pw@"), "nor in the configuration's debug output");

        let c =
            serve_config(&["--database", "postgresql://db/bbps", "--sandbox-database", "/var/lib/bbps/sim.sqlite3"]);
        assert_eq!(c.postgres.map(|pg| pg.pool_size), Some(config::POSTGRES_POOL_SIZE));
        assert_eq!(c.database, PathBuf::from("/var/lib/bbps/sim.sqlite3"));
    }

    #[test]
    fn anything_else_is_the_sqlite_file() {
        let c = serve_config(&["--database", "/var/lib/bbps/bbps.sqlite3"]);
        assert!(c.postgres.is_none());
        assert_eq!(c.database, PathBuf::from("/var/lib/bbps/bbps.sqlite3"));
        assert_eq!(c.store_location(), "/var/lib/bbps/bbps.sqlite3");
    }
}
