//! The whole payment lifecycle under load: open a session, fetch a bill, create its payment, open its event
//! stream, have the sandbox UPI app pay (the PSP simulator then sends its signed notification), and read the
//! stream until the payment is completed (the bill paid over the BBPS XML wire, the receipt in). Payers run it
//! again and again, each on one instance (round robin, as a load balancer would), on a SQLite file, on
//! PostgreSQL with one instance and on PostgreSQL with two.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{Database, Section, ServerOptions, ServerProcess, Stats, Table, awaiting_payment, ms};
use crate::Result;

/// One lifecycle, start to `completed`, on the server at `base`.
async fn lifecycle(http: &reqwest::Client, base: &str, n: u64) -> Result<()> {
    let (token, payment) = awaiting_payment(http, base, &format!("bench-{}-{n}", std::process::id())).await?;
    let id = payment["id"].as_str().ok_or("no payment id")?;
    // The stream is open before the payer pays, as the widget's is, so no change can be missed.
    let mut stream =
        http.get(format!("{base}/v1/payments/{id}/events?token={token}")).send().await?.error_for_status()?;
    http.post(format!("{base}/sandbox/upi/pay"))
        .json(&json!({ "link": payment["upi"]["link"], "action": "approve" }))
        .send()
        .await?
        .error_for_status()?;
    let mut text = String::new();
    while let Some(chunk) = tokio::time::timeout(Duration::from_secs(60), stream.chunk()).await?? {
        text.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = text.find("\n\n") {
            let event: String = text.drain(..end + 2).collect();
            let Some(data) = event.lines().find_map(|l| l.strip_prefix("data:")) else { continue };
            let v: Value = serde_json::from_str(data.trim())?;
            match v["payment"]["status"].as_str() {
                Some("completed") => return Ok(()),
                Some(s @ ("refund_pending" | "refunded" | "expired" | "payment_failed" | "bill_payment_failed")) => {
                    return Err(format!("payment {id} ended {s}").into());
                }
                _ => {}
            }
        }
    }
    Err(format!("the stream of {id} ended before it completed").into())
}

/// What one load run measured.
struct Run {
    per_second: f64,
    latency: Stats,
    completed: usize,
    errors: usize,
    first_error: Option<String>,
}

/// `payers` payers, each doing lifecycles back to back on instance `payer % servers` for `warmup + window`;
/// only lifecycles that start after the warm-up and end within the window count.
async fn load(servers: &[String], payers: usize, warmup: Duration, window: Duration) -> Result<Run> {
    let http = reqwest::Client::builder().pool_max_idle_per_host(payers * 2).build()?;
    let started = Instant::now();
    let (from, until) = (started + warmup, started + warmup + window);
    let servers = Arc::new(servers.to_vec());
    let tasks: Vec<_> = (0..payers)
        .map(|p| {
            let (http, servers) = (http.clone(), servers.clone());
            tokio::spawn(async move {
                let base = &servers[p % servers.len()];
                let mut done = Vec::new();
                let (mut errors, mut first_error) = (0, None);
                let mut n = (p as u64) << 32;
                while Instant::now() < until {
                    n += 1;
                    let t = Instant::now();
                    let result = lifecycle(&http, base, n).await;
                    let end = Instant::now();
                    match result {
                        Ok(()) if t >= from && end <= until => done.push((end - t).as_secs_f64() * 1e3),
                        Ok(()) => {}
                        Err(e) => {
                            errors += 1;
                            first_error.get_or_insert_with(|| e.to_string());
                        }
                    }
                }
                (done, errors, first_error)
            })
        })
        .collect();
    let (mut latencies, mut errors, mut first_error) = (Vec::new(), 0, None);
    for t in tasks {
        let (done, e, first) = t.await?;
        latencies.extend(done);
        errors += e;
        first_error = first_error.or(first);
    }
    Ok(Run {
        per_second: latencies.len() as f64 / window.as_secs_f64(),
        latency: Stats::of(&latencies),
        completed: latencies.len(),
        errors,
        first_error,
    })
}

/// Turns a throw-away cluster's shortcuts off, so PostgreSQL commits as a production server does (each commit
/// flushed to disk before it is acknowledged).
async fn durable(db: &bbps_store_postgres::test_cluster::TestDatabase) -> Result<()> {
    let client = db.client().await;
    for setting in ["fsync", "full_page_writes", "synchronous_commit"] {
        client.batch_execute(&format!("ALTER SYSTEM SET {setting} = on")).await?;
    }
    client.batch_execute("SELECT pg_reload_conf()").await?;
    Ok(())
}

pub async fn run(bin: &std::path::Path, dist: &std::path::Path, payers: usize, window: Duration) -> Result<Section> {
    let warmup = Duration::from_secs(3);
    let mut table = Table::new(&["store", "instances", "payments/s", "vs SQLite", "p50", "p99", "completed", "errors"]);
    let mut sqlite_rate = f64::NAN;
    let mut row = |table: &mut Table, store: &str, instances: usize, r: &Run| {
        if sqlite_rate.is_nan() {
            sqlite_rate = r.per_second;
        }
        table.row(vec![
            store.to_owned(),
            instances.to_string(),
            format!("{:.1}", r.per_second),
            format!("{:.2}", r.per_second / sqlite_rate),
            ms(r.latency.median),
            ms(r.latency.p99),
            r.completed.to_string(),
            match &r.first_error {
                Some(e) => format!("{} (first: {e})", r.errors),
                None => r.errors.to_string(),
            },
        ]);
    };

    let sqlite = ServerProcess::start_with(bin, dist, &ServerOptions::default()).await?;
    let r = load(std::slice::from_ref(&sqlite.base_url), payers, warmup, window).await?;
    row(&mut table, "SQLite file", 1, &r);
    sqlite.stop().await;
    println!("lifecycle on SQLite measured");

    let mut note = String::new();
    for instances in [1, 2] {
        let Some(db) = bbps_store_postgres::test_cluster::database().await else {
            note = " PostgreSQL is not installed here, so its rows are missing.".into();
            break;
        };
        durable(&db).await?;
        let ledgers = tempfile::tempdir()?;
        let options = ServerOptions {
            billers: None,
            database: Database::Postgres {
                url: db.url().expose().to_owned(),
                sandbox_ledgers: ledgers.path().join("sandbox.sqlite3"),
            },
        };
        let mut servers = Vec::new();
        for _ in 0..instances {
            servers.push(ServerProcess::start_with(bin, dist, &options).await?);
        }
        let bases: Vec<String> = servers.iter().map(|s| s.base_url.clone()).collect();
        let r = load(&bases, payers, warmup, window).await?;
        row(&mut table, "PostgreSQL", instances, &r);
        for s in servers {
            s.stop().await;
        }
        println!("lifecycle on PostgreSQL × {instances} measured");
    }
    Ok(Section {
        title: "Payment lifecycle throughput".into(),
        method: format!(
            "{payers} payers, each doing whole lifecycles back to back for {warmup:?} of warm-up and then {window:?} \
             counted: open a session, fetch a bill (over the XML wire to the BBPCU simulator), create the payment, \
             open its event stream, pay in the sandbox UPI app (the PSP simulator's signed notification), and read \
             the stream until `completed` (the bill paid over the XML wire). Payer k uses instance k mod n, as a \
             round-robin load balancer would; a payment's worker steps run on whichever instance claims them. \
             Optimised server processes in test mode; with PostgreSQL (a local cluster, durable settings: fsync \
             and synchronous commit on) the instances share the database and one SQLite file of simulator \
             ledgers. The SQLite store runs WAL with synchronous=NORMAL (a commit is on disk at the next \
             checkpoint, safe from a process crash, not from a power cut). The load generator, the servers, the \
             simulators and PostgreSQL share this machine's cores, so a second instance adds no CPU here: its \
             gain shows what the shared database allows, not what a second machine would.{note}"
        ),
        table,
    })
}
