//! `bbps-psp-sim`: the UPI PSP simulator as its own process, for a server pointed at it with `BBPS_PSP_URL` (the
//! crash audit runs it so that killing the server does not kill the PSP).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use bbps_core::Secret;
use bbps_sandbox::psp_sim::{self, PspSimConfig};
use clap::Parser;

#[derive(Debug, Parser)]
#[command(name = "bbps-psp-sim", version, about = "A simulator of the UPI PSP's HTTP contract (Setu UPI DeepLinks v2)")]
struct Cli {
    #[arg(long, env = "BBPS_PSP_SIM_LISTEN", default_value = "127.0.0.1:8790")]
    listen: SocketAddr,
    /// Its books (SQLite).
    #[arg(long, env = "BBPS_PSP_SIM_DATABASE", default_value = ".data/psp-sim.sqlite3")]
    database: PathBuf,
    #[arg(long, env = "BBPS_PSP_CLIENT_ID", default_value = "sandbox-client")]
    client_id: String,
    #[arg(long, env = "BBPS_PSP_CLIENT_SECRET", hide_env_values = true)]
    client_secret: Secret,
    #[arg(long, env = "BBPS_PSP_PRODUCT_INSTANCE_ID", default_value = "sandbox-instance")]
    product_instance_id: String,
    /// The merchant's callback URL; notifications go to `<it>/notifications`.
    #[arg(long, env = "BBPS_PSP_SIM_CALLBACK_URL")]
    callback_url: String,
    #[arg(long, env = "BBPS_PSP_NOTIFY_AUDIENCE", default_value = "bbps-sandbox")]
    notify_audience: String,
    #[arg(long, env = "BBPS_PSP_NOTIFY_SECRET", hide_env_values = true)]
    notify_secret: Secret,
    #[arg(long, env = "BBPS_PSP_SIM_TOKEN_TTL", value_parser = humantime::parse_duration, default_value = "30m")]
    token_ttl: Duration,
    #[arg(long, env = "BBPS_PSP_SIM_REFUND_DELAY", value_parser = humantime::parse_duration, default_value = "5s")]
    refund_delay: Duration,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
    let config = PspSimConfig {
        listen: cli.listen,
        database: cli.database,
        client_id: cli.client_id,
        client_secret: cli.client_secret,
        product_instance_id: cli.product_instance_id,
        callback_url: cli.callback_url,
        notify_audience: cli.notify_audience,
        notify_secret: cli.notify_secret,
        token_ttl: cli.token_ttl,
        refund_delay: cli.refund_delay,
    };
    let sim = match psp_sim::start(config).await {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Scripts read this line to learn the address.
    println!("psp simulator on {}", sim.base_url());
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = sim.wait() => {}
    }
    ExitCode::SUCCESS
}
