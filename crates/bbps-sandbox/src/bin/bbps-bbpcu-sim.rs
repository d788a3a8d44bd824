//! `bbps-bbpcu-sim`: the BBPCU simulator as its own process, for a server pointed at it with `BBPS_BBPCU_URL`
//! (the crash audit runs the simulator outside the server, so that killing the server does not kill the
//! network). It prints its address and the path of its certificate, which the server needs as
//! `BBPS_BBPCU_CERTIFICATE`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use bbps_sandbox::SandboxTimings;
use bbps_sandbox::bbpcu_sim::{self, BbpcuSimConfig, SimTls};
use bbps_sandbox::network::generator;
use clap::Parser;

#[derive(Debug, Parser)]
#[command(name = "bbps-bbpcu-sim", version, about = "A simulator of the BBPS central unit speaking the BBPS XML wire")]
struct Cli {
    #[arg(long, env = "BBPS_BBPCU_SIM_LISTEN", default_value = "127.0.0.1:8791")]
    listen: SocketAddr,
    /// Its ledger (SQLite).
    #[arg(long, env = "BBPS_BBPCU_SIM_DATABASE", default_value = ".data/bbpcu-sim.sqlite3")]
    database: PathBuf,
    /// Where its key pair is kept (made at first start) [default: beside the database, `bbpcu-keys/`].
    #[arg(long, env = "BBPS_BBPCU_SIM_KEYS")]
    keys: Option<PathBuf>,
    /// The BBPOU's certificate (PEM): every request must be signed with its key.
    #[arg(long, env = "BBPS_BBPCU_SIM_BBPOU_CERTIFICATE")]
    bbpou_certificate: PathBuf,
    /// The BBPOU's callback listener (its `BBPS_BBPCU_CALLBACK_LISTEN`, as a URL).
    #[arg(long, env = "BBPS_BBPCU_SIM_CALLBACK_URL")]
    callback_url: String,
    /// Catalogue size: above the curated ~220, generated billers fill up (e.g. 22000).
    #[arg(long, env = "BBPS_SANDBOX_BILLERS")]
    billers: Option<usize>,
    #[arg(long, env = "BBPS_SANDBOX_SLOW_DELAY", value_parser = humantime::parse_duration, default_value = "15s")]
    slow_delay: Duration,
    #[arg(long, env = "BBPS_SANDBOX_PENDING_SETTLE", value_parser = humantime::parse_duration, default_value = "20s")]
    pending_settle: Duration,
    #[arg(long, env = "BBPS_SANDBOX_COMPLAINT_STEP", value_parser = humantime::parse_duration, default_value = "2m")]
    complaint_step: Duration,
    /// How long after it starts the simulator withdraws one biller from its catalogue (docs/sandbox.md).
    #[arg(long, env = "BBPS_SANDBOX_CATALOGUE_CHANGE", value_parser = humantime::parse_duration, default_value = "10m")]
    catalogue_change: Duration,
    /// Serve mutual TLS, as a live BBPCU: its private key and certificate chain in one PEM file.
    #[arg(long, env = "BBPS_BBPCU_SIM_TLS_IDENTITY", requires = "tls_client_ca")]
    tls_identity: Option<PathBuf>,
    /// The authority (PEM) a BBPOU's TLS client certificate must chain to.
    #[arg(long, env = "BBPS_BBPCU_SIM_TLS_CLIENT_CA", requires = "tls_identity")]
    tls_client_ca: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
    let keys =
        cli.keys.unwrap_or_else(|| cli.database.parent().unwrap_or(std::path::Path::new(".")).join("bbpcu-keys"));
    let config = BbpcuSimConfig {
        listen: cli.listen,
        database: cli.database,
        billers: Arc::new(generator::catalogue(cli.billers.unwrap_or(0))),
        timings: SandboxTimings {
            slow_delay: cli.slow_delay,
            pending_settle: cli.pending_settle,
            complaint_step: cli.complaint_step,
            catalogue_change: cli.catalogue_change,
        },
        keys,
        bbpou_certificate: cli.bbpou_certificate,
        callback_url: cli.callback_url,
        tls: cli.tls_identity.zip(cli.tls_client_ca).map(|(identity, client_ca)| SimTls { identity, client_ca }),
    };
    let sim = match bbpcu_sim::start(config).await {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Scripts read these lines to learn the address and the certificate.
    println!("bbpcu simulator on {}", sim.base_url());
    println!("certificate {}", sim.keys.certificate.display());
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = sim.wait() => {}
    }
    ExitCode::SUCCESS
}
