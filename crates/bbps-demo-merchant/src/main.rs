//! `bbps-demo-merchant`: runs the demo merchant's site against a BBPS API (by default the sandbox on
//! 127.0.0.1:8787, with the documented sandbox keys).

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use bbps_demo_merchant::{DemoConfig, start};
use clap::Parser;
use tracing_subscriber::EnvFilter;

#[derive(Debug, Parser)]
#[command(name = "bbps-demo-merchant", version, about = "The demo merchant's site that embeds the BBPS widget")]
struct Cli {
    /// Address to listen on.
    #[arg(long, env = "BBPS_DEMO_LISTEN", default_value = "127.0.0.1:8788")]
    listen: SocketAddr,
    /// Where this site's server reaches the BBPS API.
    #[arg(long, env = "BBPS_DEMO_API", default_value = "http://127.0.0.1:8787")]
    api: String,
    /// Where browsers load the widget from [default: --api].
    #[arg(long, env = "BBPS_DEMO_WIDGET_ORIGIN")]
    widget_origin: Option<String>,
    /// The merchant's publishable key [default: the sandbox demo merchant's].
    #[arg(long, env = "BBPS_DEMO_PUBLISHABLE_KEY")]
    publishable_key: Option<String>,
    /// The merchant's secret key [default: the sandbox demo merchant's].
    #[arg(long, env = "BBPS_DEMO_SECRET_KEY", hide_env_values = true)]
    secret_key: Option<String>,
    /// The merchant's webhook secret [default: the sandbox demo merchant's].
    #[arg(long, env = "BBPS_DEMO_WEBHOOK_SECRET", hide_env_values = true)]
    webhook_secret: Option<String>,
    /// How long to wait for the API at start, e.g. 60s.
    #[arg(long, env = "BBPS_DEMO_API_WAIT", value_parser = humantime::parse_duration, default_value = "60s")]
    api_wait: Duration,
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
    let mut config = DemoConfig::sandbox(cli.listen, &cli.api);
    config.api_wait = cli.api_wait;
    if let Some(origin) = cli.widget_origin {
        config.widget_origin = origin.trim_end_matches('/').to_owned();
    }
    config.publishable_key = cli.publishable_key.unwrap_or(config.publishable_key);
    config.secret_key = cli.secret_key.unwrap_or(config.secret_key);
    config.webhook_secret = cli.webhook_secret.unwrap_or(config.webhook_secret);
    let mut site = match start(config).await {
        Ok(site) => site,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Scripts read this line to learn the address.
    println!("demo merchant site on {}", site.origin());
    tokio::select! {
        _ = shutdown_signal() => site.shutdown().await,
        _ = site.wait() => {}
    }
    ExitCode::SUCCESS
}
