//! Idle event streams: 10,000 widgets waiting on their QR codes, each with its payment's event stream open, and
//! what they cost the server while nothing happens (memory, CPU, the keep-alive comments every 15 s).

use std::time::Duration;

use futures_util::future::join_all;

use super::{Section, ServerOptions, ServerProcess, Table, awaiting_payment};
use crate::Result;

/// The process's user + system CPU time so far, in seconds (from /proc).
fn cpu_seconds(pid: u32) -> Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name (which may hold spaces) start at state; utime and stime are 14 and 15.
    let after = stat.rsplit_once(')').ok_or("odd /proc stat")?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: u64 = fields.get(11).and_then(|v| v.parse().ok()).ok_or("no utime")?;
    let ticks2: u64 = fields.get(12).and_then(|v| v.parse().ok()).ok_or("no stime")?;
    // Linux reports these in USER_HZ, 100 per second on every architecture it runs on.
    Ok((ticks + ticks2) as f64 / 100.0)
}

pub async fn run(bin: &std::path::Path, dist: &std::path::Path, streams: usize, idle: Duration) -> Result<Section> {
    // Four streams per session, the default cap: a widget reloaded in a few tabs.
    let per_session = 4;
    let server = ServerProcess::start_with(bin, dist, &ServerOptions::default()).await?;
    let http = reqwest::Client::builder().pool_max_idle_per_host(0).build()?;
    let base = server.base_url.clone();
    let mut payments = Vec::new();
    for chunk in (0..streams.div_ceil(per_session)).collect::<Vec<_>>().chunks(64) {
        let keys: Vec<String> = chunk.iter().map(|n| format!("idle-stream-{n:06}")).collect();
        let made = join_all(keys.iter().map(|key| awaiting_payment(&http, &base, key))).await;
        for made in made {
            let (token, payment) = made?;
            payments.push((token, payment["id"].as_str().ok_or("no payment id")?.to_owned()));
        }
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = server.memory_kib()?.0;

    let mut open = Vec::with_capacity(streams);
    for chunk in (0..streams).collect::<Vec<_>>().chunks(256) {
        let opened = join_all(chunk.iter().map(|&i| {
            let (token, id) = &payments[i / per_session];
            http.get(format!("{base}/v1/payments/{id}/events?token={token}")).send()
        }))
        .await;
        for resp in opened {
            let mut resp = resp?.error_for_status()?;
            // The first event (the stored state) says the stream is live.
            resp.chunk().await?.ok_or("a stream closed at once")?;
            open.push(resp);
        }
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let with_streams = server.memory_kib()?.0;
    let cpu_start = cpu_seconds(server.pid)?;
    tokio::time::sleep(idle).await;
    let cpu = cpu_seconds(server.pid)? - cpu_start;
    let after_idle = server.memory_kib()?;
    drop(open);
    server.stop().await;

    let mib = |kib: u64| format!("{:.1} MiB", kib as f64 / 1024.0);
    let mut table = Table::new(&["measure", "value"]);
    table.row(vec!["RSS with the payments made, no stream open".into(), mib(before)]);
    table.row(vec![format!("RSS with {streams} streams open"), mib(with_streams)]);
    table.row(vec![
        "memory per open stream".into(),
        format!("{:.1} KiB", with_streams.saturating_sub(before) as f64 / streams as f64),
    ]);
    table.row(vec![
        format!("RSS after {} s idle (peak)", idle.as_secs()),
        format!("{} ({})", mib(after_idle.0), mib(after_idle.1)),
    ]);
    table.row(vec![
        format!("CPU while idle ({} s, user + system)", idle.as_secs()),
        format!("{:.2} s = {:.2} % of one core", cpu, cpu * 100.0 / idle.as_secs_f64()),
    ]);
    Ok(Section {
        title: format!("{streams} idle event streams"),
        method: format!(
            "{} sessions, each with a payment awaiting its payer and {per_session} event streams open on it (the \
             default per-session cap), HTTP/1.1 on loopback, against the optimised server (SQLite file). Nothing \
             happens for {} s but the streams' keep-alive comments (every 15 s). RSS from /proc; CPU is the \
             server process's user + system time over the idle period.",
            payments.len(),
            idle.as_secs()
        ),
        table,
    })
}
