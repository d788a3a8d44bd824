//! `cargo xtask bench` runs this (after building the widget, the floor and the optimised server): every benchmark
//! in turn, a markdown report on stdout and in `docs/benchmarks.md`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use bbps_e2e::bench::{self, Binaries, Section, ServerProcess, Table};
use bbps_e2e::payload::{FileSize, Payload, floor_dist, loader_path};
use bbps_e2e::{Result, widget_dist, workspace_root};

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
        format!("{:.2}× (budget 2.5×)", widget.gzip as f64 / floor.gzip as f64),
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

async fn run(bins: &Binaries) -> Result<Vec<Section>> {
    let dist = widget_dist()?;
    let mut sections = vec![payload_section()?];
    println!("payload measured");

    let small = ServerProcess::start(&bins.server, None, &dist).await?;
    sections.push(bench::startup::run(&small, 10).await?);
    println!("start-up measured");
    sections.push(bench::push::run(&small, 10, Duration::from_secs(60)).await?);
    println!("push latency measured");
    small.stop().await;

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
    let started = Instant::now();
    match run(&bins).await {
        Ok(sections) => {
            let md = report(&sections, started.elapsed());
            println!("\n{md}");
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
