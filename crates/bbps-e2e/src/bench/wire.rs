//! What the BBPS XML path adds to a bill fetch: the same fetch through the in-process network double (the
//! sandbox network called directly) and through the NPCI adapter over loopback HTTP to the BBPCU simulator, as
//! the server runs it (signed request, Ack, asynchronous signed response to the callback listener, our Ack,
//! every message archived). Also the biller master data pull of the curated and the 22,000-biller catalogues.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bbps_core::api::MobileNumber;
use bbps_core::{BillerId, Channel, RefId, Timestamp};
use bbps_engine::ports::{BbpsNetwork, BillRequest, Store};
use bbps_sandbox::network::generator;
use bbps_sandbox::{SandboxNetwork, SandboxTimings};
use bbps_server::Config;
use bbps_server::serve::ListenLimits;
use tokio::sync::watch;

use super::{Section, Stats, Table, ms};
use crate::Result;
use crate::flows::{BILL_DUE, MOBILE, MSEDCL};

/// Fetches before measuring: connections, caches and SQLite pages warm.
const WARM_UP: usize = 20;

fn request() -> Result<BillRequest> {
    let now = Timestamp::from_offset_date_time(time::OffsetDateTime::now_utc());
    Ok(BillRequest {
        ref_id: RefId::generate(&mut rand::rng(), now.get()),
        biller_id: BillerId::parse(MSEDCL)?,
        params: vec![("Consumer Number".to_owned(), BILL_DUE.to_owned())],
        channel: Channel::Internet,
        customer_mobile: MobileNumber::parse(MOBILE),
        customer_ip: std::net::Ipv4Addr::LOCALHOST.into(),
    })
}

/// `rounds` fetches one after another, in milliseconds each.
async fn fetches(network: &dyn BbpsNetwork, rounds: usize) -> Result<Vec<f64>> {
    for _ in 0..WARM_UP {
        network.fetch_bill(&request()?).await.map_err(|e| format!("a warm-up fetch: {e}"))?;
    }
    let mut samples = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let req = request()?;
        let started = Instant::now();
        network.fetch_bill(&req).await.map_err(|e| format!("a fetch: {e}"))?;
        samples.push(started.elapsed().as_secs_f64() * 1e3);
    }
    Ok(samples)
}

fn config(dir: &tempfile::TempDir, billers: Option<usize>) -> Config {
    let mut c = Config {
        listen: "127.0.0.1:0".parse().unwrap_or(Config::default().listen),
        database: dir.path().join("bbps.sqlite3"),
        ..Config::default()
    };
    c.sandbox.biller_count = billers;
    c
}

/// The NPCI adapter over loopback HTTP to a BBPCU simulator of `billers` billers, as a test-mode server connects.
async fn xml_path(
    dir: &tempfile::TempDir,
    billers: Option<usize>,
    stop: watch::Receiver<bool>,
) -> Result<bbps_server::bbpcu::Link> {
    let config = config(dir, billers);
    let store: Arc<dyn Store> = bbps_server::app::open_store(&config).await.map_err(|e| e.to_string())?;
    let limits = ListenLimits { header_read_timeout: Duration::from_secs(10), max_connections: 1024 };
    Ok(bbps_server::bbpcu::connect(&config, store, limits, stop).await?)
}

/// One master data pull of a simulator of `billers` billers, in milliseconds, and how many came.
async fn master_data(billers: Option<usize>) -> Result<(f64, usize)> {
    let dir = tempfile::tempdir()?;
    let (stop_tx, stop) = watch::channel(false);
    let link = xml_path(&dir, billers, stop).await?;
    let started = Instant::now();
    let pulled = link.network.billers().await.map_err(|e| format!("the master data: {e}"))?.len();
    let took = started.elapsed().as_secs_f64() * 1e3;
    let _ = stop_tx.send(true);
    if let Some(sim) = link.sim {
        sim.shutdown().await;
    }
    Ok((took, pulled))
}

pub async fn run(rounds: usize) -> Result<Section> {
    let dir = tempfile::tempdir()?;
    let timings = SandboxTimings {
        slow_delay: Duration::from_secs(15),
        pending_settle: Duration::from_secs(20),
        complaint_step: Duration::from_secs(120),
        catalogue_change: Duration::from_secs(3600),
    };
    let double = SandboxNetwork::open(&dir.path().join("double.sqlite3"), Arc::new(generator::catalogue(0)), timings)?;
    let direct = Stats::of(&fetches(&double, rounds).await?);

    let (stop_tx, stop) = watch::channel(false);
    let link = xml_path(&dir, None, stop).await?;
    let wire = Stats::of(&fetches(link.network.as_ref(), rounds).await?);
    let _ = stop_tx.send(true);
    if let Some(sim) = link.sim {
        sim.shutdown().await;
    }

    let mut table = Table::new(&["path", "fetches", "median", "p90", "p99", "max"]);
    for (name, s) in [("in-process network double", direct), ("NPCI XML adapter ⇄ BBPCU simulator over HTTP", wire)] {
        table.row(vec![name.into(), s.n.to_string(), ms(s.median), ms(s.p90), ms(s.p99), ms(s.max)]);
    }
    table.row(vec![
        "**added by the XML path**".into(),
        String::new(),
        ms(wire.median - direct.median),
        ms(wire.p90 - direct.p90),
        ms(wire.p99 - direct.p99),
        String::new(),
    ]);
    for billers in [None, Some(22_000)] {
        let (took, pulled) = master_data(billers).await?;
        table.row(vec![
            format!("biller master data, {pulled} billers (one pull)"),
            "1".into(),
            ms(took),
            String::new(),
            String::new(),
            String::new(),
        ]);
    }
    Ok(Section {
        title: "The BBPS XML path".into(),
        method: format!(
            "One bill fetch after another ({rounds} after {WARM_UP} to warm up) of a sandbox account with a bill \
             due: straight into the sandbox network in process (the double unit tests use), and through the NPCI \
             adapter to the BBPCU simulator on loopback, as a test-mode server runs it: the request signed \
             (RSA-SHA256, C14N) and POSTed, the simulator's signed Ack verified, the simulator's signed response \
             POSTed to our callback listener, verified and acknowledged, every message archived in SQLite. Both \
             in this optimised process. The master data rows are one pull each, the 22,000 billers in parts of \
             {} billers.",
            bbps_npci_xml::map::biller::BILLERS_PER_PART
        ),
        table,
    })
}
