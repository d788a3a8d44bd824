//! `cargo xtask bench`: builds what the benchmarks measure (the widget and the Yew floor with trunk, the backend
//! and the bench harness with the optimised `server` profile), then runs the harness, which prints the figures and
//! writes `docs/benchmarks.md`.

use std::process::Command;

use crate::tools::{self, Toolchain};

fn run(what: &str, mut cmd: Command) -> Result<(), String> {
    println!("\n==> {what}");
    let status = cmd.status().map_err(|e| format!("{what}: could not start: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{what} failed: {status}")) }
}

pub fn run_all(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!("bench takes no arguments (got {a:?})"));
    }
    let tc: Toolchain = tools::ensure_all()?;
    tools::ensure_wrk(&tc)?;
    let mut widget = tc.command("trunk");
    widget.args(["build", "--release"]);
    run("release build of the widget", widget)?;
    let mut floor = tc.command("trunk");
    floor.args(["build", "--release"]).current_dir(tc.root.join("crates/yew-floor"));
    run("release build of the bare Yew counter (the floor)", floor)?;
    let mut build = tc.cargo();
    build.args(["build", "--locked", "--profile", "server", "-p", "bbps-server", "-p", "bbps-e2e", "--bins"]);
    run("optimised build of the backend and the bench harness", build)?;
    let mut bench = tc.command(&tc.root.join("target/server/bbps-bench").to_string_lossy());
    bench
        .env("BBPS_WIDGET_DIST", tc.root.join("dist"))
        .env("BBPS_FLOOR_DIST", tc.root.join("target/yew-floor-dist"))
        .env("BBPS_SERVER_BIN", tc.root.join("target/server/bbps-server"));
    run("benchmarks", bench)
}
