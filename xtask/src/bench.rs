//! `cargo xtask bench [startup|scale]`: builds what the benchmarks measure (the widget and the Yew floor with
//! trunk, the backend and the bench harness with the optimised `server` profile), then runs the harness, which
//! prints the figures and writes `docs/benchmarks.md`; `startup` runs only the widget's start-up benchmarks
//! (payload, first visit, 3G phone, loopback) and `scale` only the server's (lifecycle throughput, idle streams,
//! search, endpoint throughput, memory), and they print them.

use crate::tools::{self, Toolchain, run_step};

pub fn run_all(args: &[String]) -> Result<(), String> {
    let scope = match args {
        [] => None,
        [only] if only == "startup" || only == "scale" => Some(only.as_str()),
        _ => return Err(format!("bench takes nothing, `startup` or `scale` (got {args:?})")),
    };
    let tc: Toolchain = tools::ensure_all()?;
    if scope != Some("startup") {
        tools::ensure_wrk(&tc)?;
    }
    let mut widget = tc.command("trunk");
    widget.args(["build", "--release"]);
    run_step("release build of the widget", &mut widget)?;
    let mut floor = tc.command("trunk");
    floor.args(["build", "--release"]).current_dir(tc.root.join("crates/yew-floor"));
    run_step("release build of the bare Yew counter (the floor)", &mut floor)?;
    let mut build = tc.cargo();
    build.args(["build", "--locked", "--profile", "server", "-p", "bbps-server", "-p", "bbps-e2e", "--bins"]);
    run_step("optimised build of the backend and the bench harness", &mut build)?;
    let mut bench = tc.command(&tc.root.join("target/server/bbps-bench").to_string_lossy());
    if let Some(scope) = scope {
        bench.arg(scope);
    }
    bench
        .env("BBPS_WIDGET_DIST", tc.root.join("dist"))
        .env("BBPS_FLOOR_DIST", tc.root.join("target/yew-floor-dist"))
        .env("BBPS_SERVER_BIN", tc.root.join("target/server/bbps-server"));
    run_step("benchmarks", &mut bench)
}
