//! Biller search over the generated 22,000-biller catalogue: in-process (the catalogue index alone) and over
//! HTTP (the whole request path: auth, rate limit, query parsing, search, JSON).

use std::time::Instant;

use bbps_engine::catalogue::{Catalogue, Search};
use bbps_sandbox::network::generator;

use super::{Section, ServerProcess, Stats, Table, ms};
use crate::Result;

/// What people type: prefixes, words, an id, a misspelling-free substring, no match; with and without a category.
const QUERIES: &[(&str, Option<&str>)] = &[
    ("power", None),
    ("tata", None),
    ("maha", Some("electricity")),
    ("electricity", None),
    ("jio", None),
    ("bank", Some("credit-card")),
    ("gas", None),
    ("water", Some("water")),
    ("mahar0000mah02", None),
    ("municipal", None),
    ("delhi", None),
    ("insurance", Some("insurance")),
    ("zzqx", None),
    ("a", None),
    ("", Some("electricity")),
];

fn label(q: &str, category: Option<&str>) -> String {
    let q = if q.is_empty() { "(none)".to_owned() } else { format!("\"{q}\"") };
    match category {
        Some(c) => format!("{q} in {c}"),
        None => q,
    }
}

/// Runs every query `rounds` times against a catalogue of `billers` billers.
pub fn in_process(billers: usize, rounds: usize) -> Section {
    let started = Instant::now();
    let catalogue = Catalogue::new(generator::catalogue(billers));
    let build_ms = started.elapsed().as_secs_f64() * 1e3;
    let mut table = Table::new(&["query", "matches", "median", "p99", "max"]);
    let mut all = Vec::new();
    for (q, category) in QUERIES {
        let search = Search {
            category: category.map(str::to_owned),
            state: None,
            pincode: None,
            city: None,
            q: (!q.is_empty()).then(|| (*q).to_owned()),
            page: 1,
            per_page: 20,
        };
        let mut samples = Vec::with_capacity(rounds);
        let mut matches = 0;
        for _ in 0..rounds {
            let t = Instant::now();
            let found = catalogue.search(&search).map(|(_, total)| total).unwrap_or(0);
            samples.push(t.elapsed().as_secs_f64() * 1e3);
            matches = found;
        }
        let s = Stats::of(&samples);
        table.row(vec![label(q, *category), matches.to_string(), ms(s.median), ms(s.p99), ms(s.max)]);
        all.extend(samples);
    }
    let s = Stats::of(&all);
    table.row(vec!["**all queries**".into(), String::new(), ms(s.median), ms(s.p99), ms(s.max)]);
    Section {
        title: format!("Biller search in process ({} billers)", catalogue.len()),
        method: format!(
            "`Catalogue::search` on the generated catalogue, one page of 20, each query {rounds} times; building the \
             index took {}.",
            ms(build_ms)
        ),
        table,
    }
}

/// Runs every query `rounds` times over HTTP, one request at a time, with a session token.
pub async fn over_http(server: &ServerProcess, rounds: usize) -> Result<Section> {
    let token = server.session_token().await?;
    let client = reqwest::Client::new();
    let mut table = Table::new(&["query", "median", "p99", "max"]);
    let mut all = Vec::new();
    for (q, category) in QUERIES {
        let mut url = format!("{}/v1/billers?per_page=20&q={q}", server.base_url);
        if let Some(c) = category {
            url.push_str(&format!("&category={c}"));
        }
        let mut samples = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let t = Instant::now();
            let resp = client.get(&url).bearer_auth(&token).send().await?;
            let status = resp.status();
            let _ = resp.bytes().await?;
            samples.push(t.elapsed().as_secs_f64() * 1e3);
            if !status.is_success() {
                return Err(format!("{url} answered {status}").into());
            }
        }
        let s = Stats::of(&samples);
        table.row(vec![label(q, *category), ms(s.median), ms(s.p99), ms(s.max)]);
        all.extend(samples);
    }
    let s = Stats::of(&all);
    table.row(vec!["**all queries**".into(), ms(s.median), ms(s.p99), ms(s.max)]);
    Ok(Section {
        title: "Biller search over HTTP (22,000 billers)".into(),
        method: format!(
            "`GET /v1/billers?q=…&per_page=20` on loopback, sequential, keep-alive, each query {rounds} times, \
             the response body read in full."
        ),
        table,
    })
}
