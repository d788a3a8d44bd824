//! `cargo xtask bench` runs this (after building the widget, the floor and the optimised server): every benchmark
//! in turn, a markdown report on stdout and in `docs/benchmarks.md`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use bbps_e2e::bench::{self, Binaries, Section, ServerProcess, Table};
use bbps_e2e::payload::{FileSize, Payload, floor_dist, loader_path};
use bbps_e2e::{Result, widget_dist, workspace_root};
use bbps_widget::i18n::{Locale, Strings};

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

fn payload_section() -> Result<Section> {
    let p = Payload::measure(&widget_dist()?, &floor_dist(), &loader_path())?;
    let (widget, floor) = (p.widget_total(), p.floor_total());
    let mut table = Table::new(&["file", "raw", "gzip", "brotli"]);
    let row = |t: &mut Table, f: &FileSize| t.row(vec![f.name.clone(), kb(f.raw), kb(f.gzip), kb(f.brotli)]);
    for f in &p.widget {
        row(&mut table, f);
    }
    row(&mut table, &widget);
    row(&mut table, &p.loader);
    for f in &p.floor {
        row(&mut table, f);
    }
    row(&mut table, &floor);
    table.row(vec![
        "**widget ÷ floor**".into(),
        format!("{:.2}×", widget.raw as f64 / floor.raw as f64),
        format!("{:.2}× (goal 2.5×)", widget.gzip as f64 / floor.gzip as f64),
        format!("{:.2}×", widget.brotli as f64 / floor.brotli as f64),
    ]);
    Ok(Section {
        title: "Payload".into(),
        method: "`trunk build --release` of the widget and of a bare Yew counter (`crates/yew-floor`) with the same \
                 profile (opt-level z, fat LTO, one codegen unit, panic abort, wasm-opt -Oz) in the same run; gzip \
                 level 9 and brotli quality 11 of each file as served. KB = 1000 bytes."
            .into(),
        table,
    })
}

fn gzip(bytes: &[u8]) -> Result<usize> {
    Ok(bbps_server::http::assets::compress(bytes)?.0.len())
}

/// `bytes` without every occurrence of each of `parts`.
fn without(bytes: &[u8], parts: &[Vec<u8>]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for part in parts {
        while let Some(at) = out.windows(part.len()).position(|w| w == part.as_slice()) {
            out.drain(at..at + part.len());
        }
    }
    out
}

/// What a first visit downloads (gzip, as served): the page with its first screen, style sheet, session,
/// categories and one language's texts; the start-up module; the JS glue; the wasm. With nine languages
/// available, with one, and as it would be if every language travelled with the page.
async fn initial_payload_section(server: &ServerProcess) -> Result<Section> {
    let p = Payload::measure(&widget_dist()?, &floor_dist(), &loader_path())?;
    let file = |prefix: &str| p.widget.iter().find(|f| f.name.starts_with(prefix)).map_or(0, |f| f.gzip);
    let (wasm, glue, boot) = (file("widget wasm"), file("widget JS glue"), file("widget boot.js"));
    let url = format!(
        "{}/widget/?key={}&parent={}&locale=en",
        server.base_url,
        bbps_e2e::flows::DEMO_KEY,
        bbps_e2e::flows::DEMO_PARENT
    );
    let page = reqwest::get(url).await?.error_for_status()?.bytes().await?.to_vec();
    // What exists only because there are nine languages: the switcher's other eight entries, in the page and
    // (their names) in the wasm.
    let others: Vec<Locale> = Locale::ALL.into_iter().filter(|l| *l != Locale::En).collect();
    let entries: Vec<Vec<u8>> = others
        .iter()
        .map(|l| format!("<option value=\"{0}\" lang=\"{0}\">{1}</option>", l.tag(), l.endonym()).into_bytes())
        .collect();
    let names: Vec<Vec<u8>> = others.iter().map(|l| l.endonym().as_bytes().to_vec()).collect();
    let wasm_path = std::fs::read_dir(widget_dist()?)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.to_string_lossy().ends_with("_bg.wasm"))
        .ok_or("no wasm in the build")?;
    let wasm_bytes = std::fs::read(wasm_path)?;
    let (page9, page1) = (gzip(&page)?, gzip(&without(&page, &entries))?);
    let wasm1 = gzip(&without(&wasm_bytes, &names))?;
    let tables: Vec<usize> =
        others.iter().map(|&l| gzip(Strings::builtin(l).to_wire().as_bytes())).collect::<Result<_>>()?;
    let nine = page9 + boot + glue + wasm;
    let one = page1 + boot + glue + wasm1;
    let mut table = Table::new(&["first visit", "page", "boot.js + JS glue + wasm", "total (gzip)"]);
    table.row(vec!["nine languages available (as served)".into(), kb(page9), kb(boot + glue + wasm), kb(nine)]);
    table.row(vec![
        "one language available (without the switcher's other eight entries)".into(),
        kb(page1),
        kb(boot + glue + wasm1),
        kb(one),
    ]);
    table.row(vec![
        "for comparison: all nine languages' texts in the first visit".into(),
        kb(page9 + tables.iter().sum::<usize>()),
        kb(boot + glue + wasm),
        kb(nine + tables.iter().sum::<usize>()),
    ]);
    let (least, most) = (tables.iter().min().copied().unwrap_or(0), tables.iter().max().copied().unwrap_or(0));
    table.row(vec![
        "a language's texts, fetched when chosen (`/widget/i18n/{tag}`)".into(),
        format!("{} to {} each", kb(least), kb(most)),
        String::new(),
        String::new(),
    ]);
    Ok(Section {
        title: "Initial payload and languages".into(),
        method: format!(
            "The bytes of a first visit to `/widget/?locale=en`, gzip level 9 of each as served: the page (its first \
             screen rendered, inline style sheet, data block with session, categories and English texts), \
             `boot.js`, the JS glue and the wasm. No language's texts are in the wasm; the page carries the one it \
             opens in, the others are fetched when chosen. Adding languages grows the first visit only by the \
             switcher's entries: {} with nine languages against {} with one.",
            kb(nine),
            kb(one)
        ),
        table,
    })
}

fn memory_section(idle: (u64, u64), loaded: (u64, u64)) -> Section {
    let mib = |kib: u64| format!("{:.1} MiB", kib as f64 / 1024.0);
    let mut table = Table::new(&["when", "RSS", "peak RSS"]);
    table.row(vec!["started, 22,000 billers loaded, idle".into(), mib(idle.0), mib(idle.1)]);
    table.row(vec!["after the search and throughput runs".into(), mib(loaded.0), mib(loaded.1)]);
    Section {
        title: "Server memory".into(),
        method: "`VmRSS` and `VmHWM` of the optimised `bbps-server` process (sandbox, 22,000 billers) from /proc."
            .into(),
        table,
    }
}

/// Which benchmarks run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Every benchmark; the report is written to `docs/benchmarks.md`.
    All,
    /// The widget's start-up only (payload, first visit, 3G and loopback start-up); the report is printed.
    Startup,
    /// The server's only (lifecycle throughput, idle streams, search, endpoint throughput, memory); the report
    /// is printed.
    Scale,
}

/// The 3G start-up beside its floor: a second server whose "build" is one paragraph, and the demo merchant's
/// site in front of each.
async fn mobile_startup(bins: &Binaries, widget: &ServerProcess) -> Result<Section> {
    let floor_dir = tempfile::tempdir()?;
    bench::mobile::write_floor(floor_dir.path())?;
    let floor = ServerProcess::start(&bins.server, None, floor_dir.path()).await?;
    let site = |server: &ServerProcess| -> Result<bbps_demo_merchant::DemoConfig> {
        Ok(bbps_demo_merchant::DemoConfig::sandbox("127.0.0.1:0".parse()?, &server.base_url))
    };
    let widget_site = bbps_demo_merchant::start(site(widget)?).await?;
    let floor_site = bbps_demo_merchant::start(site(&floor)?).await?;
    let section = bench::mobile::run(&widget_site.origin(), &floor_site.origin(), 7).await;
    widget_site.shutdown().await;
    floor_site.shutdown().await;
    floor.stop().await;
    section
}

async fn run(bins: &Binaries, scope: Scope) -> Result<Vec<Section>> {
    let dist = widget_dist()?;
    let mut sections = Vec::new();
    if scope != Scope::Scale {
        sections.push(payload_section()?);
        println!("payload measured");
        let small = ServerProcess::start(&bins.server, None, &dist).await?;
        sections.push(initial_payload_section(&small).await?);
        println!("initial payload measured");
        sections.push(mobile_startup(bins, &small).await?);
        println!("3G start-up measured");
        sections.push(bench::startup::run(&small, 10).await?);
        println!("start-up measured");
        if scope == Scope::Startup {
            small.stop().await;
            return Ok(sections);
        }
        sections.push(bench::push::run(&small, 10, Duration::from_secs(60)).await?);
        println!("push latency measured");
        small.stop().await;
        sections.push(bench::wire::run(200).await?);
        println!("the XML path measured");
    }

    sections.push(bench::lifecycle::run(&bins.server, &dist, 32, Duration::from_secs(20)).await?);
    sections.push(bench::streams::run(&bins.server, &dist, 10_000, Duration::from_secs(30)).await?);
    println!("idle streams measured");
    sections.push(bench::search::in_process(22_000, 200));
    println!("in-process search measured");
    let big = ServerProcess::start(&bins.server, Some(22_000), &dist).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle = big.memory_kib()?;
    sections.push(bench::search::over_http(&big, 100).await?);
    println!("HTTP search measured");
    sections.push(bench::throughput::run(&big, &bins.bare, 10).await?);
    println!("throughput measured");
    sections.push(memory_section(idle, big.memory_kib()?));
    big.stop().await;
    Ok(sections)
}

fn report(sections: &[Section], took: Duration) -> String {
    let rustc = std::process::Command::new("rustc")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let chromium = std::process::Command::new(std::env::var("BBPS_CHROMIUM").unwrap_or_else(|_| "chromium".into()))
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let date = std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let mut out = format!(
        "# Benchmarks\n\nWritten by `cargo xtask bench` on {date} in {:.0} s. Machine: {}. {rustc}; {chromium}.\n\
         Figures vary with the machine and its load; compare figures from one run, and ratios over absolutes.\n",
        took.as_secs_f64(),
        bench::machine()
    );
    for s in sections {
        out.push_str(&format!("\n## {}\n\n{}\n\n{}", s.title, s.method, s.table.to_markdown()));
    }
    out
}

#[tokio::main]
async fn main() -> ExitCode {
    let bin_dir = std::env::current_exe().ok().and_then(|p| p.parent().map(PathBuf::from)).unwrap_or_default();
    let bins = Binaries {
        server: std::env::var_os("BBPS_SERVER_BIN").map(PathBuf::from).unwrap_or_else(|| bin_dir.join("bbps-server")),
        bare: bin_dir.join("bare-axum"),
    };
    let scope = match std::env::args().nth(1).as_deref() {
        None => Scope::All,
        Some("startup") => Scope::Startup,
        Some("scale") => Scope::Scale,
        Some(other) => {
            eprintln!(
                "bench: unknown argument {other:?}; `startup` runs only the start-up benchmarks, `scale` only the \
                 server's"
            );
            return ExitCode::FAILURE;
        }
    };
    let started = Instant::now();
    match run(&bins, scope).await {
        Ok(sections) => {
            let md = report(&sections, started.elapsed());
            println!("\n{md}");
            if scope != Scope::All {
                println!("(a part only: docs/benchmarks.md is written by a full run)");
                return ExitCode::SUCCESS;
            }
            let path = workspace_root().join("docs/benchmarks.md");
            if let Err(e) = std::fs::write(&path, md) {
                eprintln!("bench: writing {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
            println!("written to {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::FAILURE
        }
    }
}
