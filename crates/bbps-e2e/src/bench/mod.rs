//! Benchmarks. Each section measures and returns rows for the report; nothing here asserts a time. The servers
//! run as separate processes from their optimised builds, so the figures are the product's, not the harness's.

pub mod lifecycle;
pub mod mobile;
pub mod push;
pub mod search;
pub mod startup;
pub mod streams;
pub mod throughput;
pub mod wire;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::process::{Child, Command};

use crate::{Result, free_port};

/// Summary of a set of samples (milliseconds unless a section says otherwise). Timings are floats: they are
/// measurements, not money.
#[derive(Debug, Clone, Copy)]
pub struct Stats {
    pub n: usize,
    pub min: f64,
    pub median: f64,
    pub p90: f64,
    pub p99: f64,
    pub max: f64,
}

impl Stats {
    pub fn of(samples: &[f64]) -> Stats {
        let mut s = samples.to_vec();
        s.sort_by(f64::total_cmp);
        let at = |q: f64| -> f64 {
            if s.is_empty() {
                return f64::NAN;
            }
            let i = ((s.len() as f64 - 1.0) * q).round() as usize;
            s[i.min(s.len() - 1)]
        };
        Stats {
            n: s.len(),
            min: s.first().copied().unwrap_or(f64::NAN),
            median: at(0.5),
            p90: at(0.9),
            p99: at(0.99),
            max: s.last().copied().unwrap_or(f64::NAN),
        }
    }
}

/// A markdown table.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Table {
        Table { header: header.iter().map(|h| h.to_string()).collect(), rows: Vec::new() }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn to_markdown(&self) -> String {
        let mut out = format!("| {} |\n|{}|\n", self.header.join(" | "), vec!["---"; self.header.len()].join("|"));
        for r in &self.rows {
            out.push_str(&format!("| {} |\n", r.join(" | ")));
        }
        out
    }
}

/// One part of the report: a heading, what was measured and how, and its table.
#[derive(Debug, Clone)]
pub struct Section {
    pub title: String,
    pub method: String,
    pub table: Table,
}

pub fn ms(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0} ms")
    } else if v >= 1.0 {
        format!("{v:.1} ms")
    } else {
        format!("{:.0} µs", v * 1000.0)
    }
}

/// Where the release binaries are.
pub struct Binaries {
    pub server: PathBuf,
    pub bare: PathBuf,
}

/// A backend process started from its optimised build, with its own database in a temporary directory.
pub struct ServerProcess {
    child: Child,
    pub base_url: String,
    pub pid: u32,
    _dir: tempfile::TempDir,
}

/// Waits until `url` answers 2xx, failing early if `child` (the process that should answer) exits.
pub async fn wait_healthy(url: &str, child: &mut Child) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    let client = reqwest::Client::new();
    loop {
        if client.get(url).send().await.is_ok_and(|r| r.status().is_success()) {
            return Ok(());
        }
        if let Some(status) = child.try_wait()? {
            return Err(format!("the server exited before it answered {url}: {status}").into());
        }
        if Instant::now() > deadline {
            return Err(format!("{url} did not answer within 60 s").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Where a benchmarked server keeps its books.
#[derive(Debug, Clone, Default)]
pub enum Database {
    /// A SQLite file of its own in a temporary directory.
    #[default]
    OwnSqlite,
    /// A PostgreSQL database (instances given the same URL share it), with the simulators' ledgers in a SQLite
    /// file that the instances share as well, as one sandbox network and PSP behind them all.
    Postgres { url: String, sandbox_ledgers: PathBuf },
}

/// How a benchmarked server starts.
#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    /// `None`: the curated catalogue; a number fills it up with generated billers.
    pub billers: Option<usize>,
    pub database: Database,
}

impl ServerProcess {
    /// Starts `bbps-server` in sandbox mode with `billers` billers (`None`: the curated catalogue), rate limits
    /// out of the way (a load generator is one client address), and the widget from `dist`.
    pub async fn start(bin: &Path, billers: Option<usize>, dist: &Path) -> Result<ServerProcess> {
        Self::start_with(bin, dist, &ServerOptions { billers, ..ServerOptions::default() }).await
    }

    /// As [`ServerProcess::start`], with the catalogue and the database chosen.
    pub async fn start_with(bin: &Path, dist: &Path, options: &ServerOptions) -> Result<ServerProcess> {
        let dir = tempfile::tempdir()?;
        let port = free_port()?;
        let mut cmd = Command::new(bin);
        cmd.env("BBPS_LISTEN", format!("127.0.0.1:{port}"))
            .env("BBPS_WIDGET_DIST", dist)
            .env("BBPS_RATE_LIMIT_IP_PER_MINUTE", "100000000")
            .env("BBPS_RATE_LIMIT_IP_BURST", "100000000")
            .env("BBPS_RATE_LIMIT_SESSION_PER_MINUTE", "100000000")
            .env("BBPS_RATE_LIMIT_SESSION_BURST", "100000000")
            .env("BBPS_MAX_STREAMS_PER_ADDRESS", "100000")
            .env("BBPS_MAX_CONNECTIONS", "30000")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        match &options.database {
            Database::OwnSqlite => cmd.env("BBPS_DATABASE", dir.path().join("bbps.sqlite3")),
            Database::Postgres { url, sandbox_ledgers } => {
                cmd.env("BBPS_DATABASE", url).env("BBPS_SANDBOX_DATABASE", sandbox_ledgers)
            }
        };
        if let Some(n) = options.billers {
            cmd.env("BBPS_SANDBOX_BILLERS", n.to_string());
        }
        let mut child = cmd.spawn().map_err(|e| format!("starting {}: {e}", bin.display()))?;
        let base_url = format!("http://127.0.0.1:{port}");
        wait_healthy(&format!("{base_url}/healthz"), &mut child).await?;
        let pid = child.id().ok_or("the server has no pid")?;
        Ok(ServerProcess { child, base_url, pid, _dir: dir })
    }

    /// Resident set size now and its peak so far, in KiB (from /proc).
    pub fn memory_kib(&self) -> Result<(u64, u64)> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid))?;
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| format!("no {name} in /proc/{}/status", self.pid))
        };
        Ok((field("VmRSS:")?, field("VmHWM:")?))
    }

    /// A widget session token for the sandbox demo merchant.
    pub async fn session_token(&self) -> Result<String> {
        let resp: serde_json::Value = reqwest::Client::new()
            .post(format!("{}/v1/sessions", self.base_url))
            .json(&serde_json::json!({ "publishable_key": crate::flows::DEMO_KEY }))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        Ok(resp["token"].as_str().ok_or("no session token")?.to_owned())
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

/// A widget's steps up to its QR code, on the server at `base`: a session of the demo merchant, a fetch of a bill
/// due and its payment created with `idempotency_key`. The session token and the created payment.
pub async fn awaiting_payment(
    http: &reqwest::Client,
    base: &str,
    idempotency_key: &str,
) -> Result<(String, serde_json::Value)> {
    use crate::flows::{BILL_DUE, DEMO_KEY, MOBILE, MSEDCL};
    use serde_json::{Value, json};
    let post = |path: &str, body: Value| http.post(format!("{base}{path}")).json(&body);
    let session: Value =
        post("/v1/sessions", json!({ "publishable_key": DEMO_KEY })).send().await?.error_for_status()?.json().await?;
    let token = session["token"].as_str().ok_or("no session token")?.to_owned();
    let fetch = json!({
        "biller_id": MSEDCL,
        "params": { "Consumer Number": BILL_DUE },
        "channel": "INT",
        "customer_mobile": MOBILE,
    });
    let quote: Value =
        post("/v1/bills/fetch", fetch).bearer_auth(&token).send().await?.error_for_status()?.json().await?;
    let create = json!({
        "source": { "kind": "quote", "quote_id": quote["id"] },
        "amount": quote["bill"]["amount"],
        "customer_mobile": MOBILE,
        "channel": "INT",
    });
    let payment: Value = post("/v1/payments", create)
        .bearer_auth(&token)
        .header("Idempotency-Key", idempotency_key)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok((token, payment))
}

/// The machine the figures come from.
pub fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name").and_then(|v| v.split(':').nth(1)))
        .map(str::trim)
        .unwrap_or("unknown CPU");
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let mem_kib: u64 = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0);
    let os = std::fs::read_to_string("/etc/os-release")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME=").map(|v| v.trim_matches('"').to_owned()))
        .unwrap_or_else(|| "unknown OS".to_owned());
    format!("{model}, {cores} cores, {} GiB RAM, {os}", mem_kib / 1024 / 1024)
}
