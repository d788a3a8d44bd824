//! Throughput and latency under load with wrk (a load generator from Debian), against the catalogue, biller search
//! and bill fetch endpoints, and against a bare axum handler measured in the same run as the ratio's denominator.
//! wrk, the server and the machine's other work share the same cores, so the ratio says more than the absolute.

use std::path::Path;

use super::{Section, ServerProcess, Table, ms, wait_healthy};
use crate::Result;
use crate::free_port;

pub struct WrkResult {
    pub requests_per_sec: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub errors: u64,
}

/// `635.00us`, `1.07ms`, `2.10s` -> milliseconds.
fn parse_duration_ms(s: &str) -> Option<f64> {
    let (num, factor) = if let Some(v) = s.strip_suffix("us") {
        (v, 1e-3)
    } else if let Some(v) = s.strip_suffix("ms") {
        (v, 1.0)
    } else if let Some(v) = s.strip_suffix('s') {
        (v, 1e3)
    } else {
        return None;
    };
    num.parse::<f64>().ok().map(|n| n * factor)
}

fn parse_wrk(out: &str) -> Result<WrkResult> {
    let mut r = WrkResult { requests_per_sec: f64::NAN, p50_ms: f64::NAN, p99_ms: f64::NAN, errors: 0 };
    for line in out.lines().map(str::trim) {
        let mut parts = line.split_whitespace();
        match (parts.next(), parts.next()) {
            (Some("50%"), Some(v)) => r.p50_ms = parse_duration_ms(v).unwrap_or(f64::NAN),
            (Some("99%"), Some(v)) => r.p99_ms = parse_duration_ms(v).unwrap_or(f64::NAN),
            (Some("Requests/sec:"), Some(v)) => r.requests_per_sec = v.parse().unwrap_or(f64::NAN),
            _ => {}
        }
        if let Some(n) = line.strip_prefix("Non-2xx or 3xx responses:") {
            r.errors += n.trim().parse::<u64>().unwrap_or(0);
        }
        if let Some(rest) = line.strip_prefix("Socket errors:") {
            r.errors += rest.split(',').filter_map(|p| p.split_whitespace().last()?.parse::<u64>().ok()).sum::<u64>();
        }
    }
    if r.requests_per_sec.is_nan() {
        return Err(format!("could not read wrk's output:\n{out}").into());
    }
    Ok(r)
}

/// One wrk run: 2 threads, 32 connections, `seconds` long, with latency percentiles.
pub async fn wrk(url: &str, token: Option<&str>, post_body: Option<&str>, seconds: u32) -> Result<WrkResult> {
    let mut cmd = tokio::process::Command::new("wrk");
    cmd.args(["-t2", "-c32", &format!("-d{seconds}s"), "--latency", "--timeout", "5s"]);
    if let Some(t) = token {
        cmd.args(["-H", &format!("Authorization: Bearer {t}")]);
    }
    let script = tempfile::NamedTempFile::new()?;
    if let Some(body) = post_body {
        let lua = format!(
            "wrk.method = \"POST\"\nwrk.body = [[{body}]]\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
        );
        std::fs::write(script.path(), lua)?;
        cmd.arg("-s").arg(script.path());
    }
    cmd.arg(url);
    let out = cmd.output().await.map_err(|e| format!("running wrk (install it with `cargo xtask bench`): {e}"))?;
    if !out.status.success() {
        return Err(format!("wrk failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    parse_wrk(&String::from_utf8_lossy(&out.stdout))
}

/// Starts the bare axum server binary on a free port.
async fn start_bare(bin: &Path) -> Result<(tokio::process::Child, String)> {
    let port = free_port()?;
    let mut child = tokio::process::Command::new(bin)
        .env("BARE_LISTEN", format!("127.0.0.1:{port}"))
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("starting {}: {e}", bin.display()))?;
    let url = format!("http://127.0.0.1:{port}/");
    wait_healthy(&url, &mut child).await?;
    Ok((child, url))
}

pub async fn run(server: &ServerProcess, bare_bin: &Path, seconds: u32) -> Result<Section> {
    let token = server.session_token().await?;
    let (mut bare, bare_url) = start_bare(bare_bin).await?;
    let base = &server.base_url;
    let fetch_body = format!(
        r#"{{"biller_id":"{}","params":{{"Consumer Number":"{}"}},"channel":"INT","customer_mobile":"{}"}}"#,
        crate::flows::MSEDCL,
        crate::flows::BILL_DUE,
        crate::flows::MOBILE
    );
    let runs: Vec<(&str, String, Option<&str>, Option<&str>)> = vec![
        ("bare axum handler (`GET /`, small JSON)", bare_url, None, None),
        ("catalogue `GET /v1/categories`", format!("{base}/v1/categories"), Some(&token), None),
        ("search `GET /v1/billers?q=power`", format!("{base}/v1/billers?q=power&per_page=20"), Some(&token), None),
        ("bill fetch `POST /v1/bills/fetch`", format!("{base}/v1/bills/fetch"), Some(&token), Some(&fetch_body)),
    ];
    let mut table = Table::new(&["endpoint", "requests/s", "vs bare", "p50", "p99", "errors"]);
    let mut bare_rps = f64::NAN;
    for (name, url, token, body) in runs {
        let r = wrk(&url, token, body, seconds).await?;
        if bare_rps.is_nan() {
            bare_rps = r.requests_per_sec;
        }
        table.row(vec![
            name.to_owned(),
            format!("{:.0}", r.requests_per_sec),
            format!("{:.2}", r.requests_per_sec / bare_rps),
            ms(r.p50_ms),
            ms(r.p99_ms),
            r.errors.to_string(),
        ]);
    }
    let _ = bare.kill().await;
    Ok(Section {
        title: "Throughput on loopback (22,000 billers)".into(),
        method: format!(
            "wrk, 2 threads, 32 connections, {seconds} s per endpoint, against the optimised server (sandbox, SQLite \
             file, rate limits raised; a bill fetch writes its quote) and a bare axum handler in the same run. \
             wrk and the server share the machine's cores."
        ),
        table,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wrk_output() {
        let out = "Running 10s test @ http://127.0.0.1:1/\n  Latency Distribution\n     50%  635.00us\n     75%    1.07ms\n     90%    1.61ms\n     99%    3.95ms\n  123 requests in 10.00s\n  Socket errors: connect 0, read 2, write 0, timeout 1\n  Non-2xx or 3xx responses: 4\nRequests/sec:  45123.45\n";
        let r = parse_wrk(out).unwrap();
        assert!((r.requests_per_sec - 45123.45).abs() < 1e-6);
        assert!((r.p50_ms - 0.635).abs() < 1e-9);
        assert!((r.p99_ms - 3.95).abs() < 1e-9);
        assert_eq!(r.errors, 7);
    }
}
