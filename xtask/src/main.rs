//! The project's task runner: `cargo xtask <demo|test|bench|setup>`.
//!
//! Each task first makes sure the tools it needs are installed (see `tools.rs`), skipping what is already there,
//! then runs its steps in order and stops at the first failure with a message naming the step.

mod bench;
mod demo;
mod steps;
mod tools;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  demo    build the widget, start the backend with its sandbox and the demo merchant site, print the URLs
  test    every check: fmt, clippy (native and wasm32), native tests, wasm tests in headless Chromium,
          the release build of the widget, byte budgets, end-to-end tests in headless Chromium
  bench   measure payload, start-up, search, throughput, push latency and memory; write docs/benchmarks.md
  setup   install what the other tasks need (wasm target, trunk, wasm-bindgen-cli, wasm-opt, Chromium,
          xmlsec1, xmllint, openssl, PostgreSQL)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") => demo::run(&args[1..]),
        Some("test") => steps::test(&args[1..]),
        Some("bench") => bench::run_all(&args[1..]),
        Some("setup") => tools::ensure_all().map(|_| ()),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            Ok(())
        }
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}
