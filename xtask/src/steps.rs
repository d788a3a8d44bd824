//! `cargo xtask test`: every check the project has, in the order that fails fastest.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::tools::{self, Toolchain};

struct Step {
    name: &'static str,
    what: &'static str,
    /// Run in order; the step fails at the first that fails.
    commands: fn(&Toolchain) -> Vec<Command>,
}

const STEPS: &[Step] = &[
    Step {
        name: "fmt",
        what: "formatting (cargo fmt --check)",
        commands: |tc| {
            let mut c = tc.cargo();
            c.args(["fmt", "--all", "--check"]);
            vec![c]
        },
    },
    Step {
        name: "clippy",
        what: "clippy, native, all targets, warnings denied",
        commands: |tc| {
            let mut c = tc.cargo();
            c.args(["clippy", "--locked", "--workspace", "--all-targets", "--", "-D", "warnings"]);
            vec![c]
        },
    },
    Step {
        name: "clippy-wasm",
        what: "clippy, wasm32, all targets, warnings denied",
        commands: |tc| {
            let mut c = tc.cargo();
            c.args([
                "clippy",
                "--locked",
                "-p",
                "bbps-widget",
                "-p",
                "bbps-core",
                "--target",
                "wasm32-unknown-unknown",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]);
            vec![c]
        },
    },
    Step {
        name: "native",
        what: "native tests (units, properties, the store contract on SQLite and PostgreSQL, server over loopback)",
        commands: |tc| {
            let mut c = tc.cargo();
            c.args(["test", "--locked", "--workspace", "--exclude", "bbps-e2e"]);
            vec![c]
        },
    },
    Step {
        name: "wasm",
        what: "widget tests in headless Chromium (wasm-bindgen-test)",
        commands: |tc| {
            let mut c = tc.cargo();
            c.args(["test", "--locked", "-p", "bbps-widget", "--target", "wasm32-unknown-unknown"]);
            vec![c]
        },
    },
    Step {
        name: "build",
        what: "release builds of the widget and of a bare Yew counter (the size floor) with trunk",
        commands: |tc| {
            let mut widget = tc.command("trunk");
            widget.args(["build", "--release"]);
            let mut floor = tc.command("trunk");
            floor.args(["build", "--release"]).current_dir(tc.root.join("crates/yew-floor"));
            vec![widget, floor]
        },
    },
    Step {
        name: "e2e",
        what: "byte budgets, and end-to-end tests: real backend, release widget, headless Chromium over WebDriver",
        commands: |tc| {
            let mut c = tc.cargo();
            c.args(["test", "--locked", "-p", "bbps-e2e", "--", "--test-threads=1"]);
            c.env("BBPS_WIDGET_DIST", tc.root.join("dist"))
                .env("BBPS_FLOOR_DIST", tc.root.join("target/yew-floor-dist"));
            vec![c]
        },
    },
];

fn fmt_duration(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 60 { format!("{}m{:02}s", s / 60, s % 60) } else { format!("{:.1}s", d.as_secs_f64()) }
}

/// Runs all steps, or the named ones (`cargo xtask test clippy e2e`), stopping at the first failure.
pub fn test(only: &[String]) -> Result<(), String> {
    if let Some(unknown) = only.iter().find(|n| !STEPS.iter().any(|s| s.name == n.as_str())) {
        let names: Vec<&str> = STEPS.iter().map(|s| s.name).collect();
        return Err(format!("no test step named {unknown:?}; steps: {}", names.join(", ")));
    }
    let started = Instant::now();
    let tc = tools::ensure_all()?;
    let mut done = Vec::new();
    for step in STEPS.iter().filter(|s| only.is_empty() || only.iter().any(|n| n == s.name)) {
        println!("\n==> [{}] {}", step.name, step.what);
        let t = Instant::now();
        for mut command in (step.commands)(&tc) {
            let status = command.status().map_err(|e| format!("step {} could not start: {e}", step.name))?;
            if !status.success() {
                let took = fmt_duration(t.elapsed());
                return Err(format!("step {} ({}) failed after {took}: {status}", step.name, step.what));
            }
        }
        let took = t.elapsed();
        done.push((step.name, took));
    }
    println!("\nall passed in {}:", fmt_duration(started.elapsed()));
    for (name, took) in done {
        println!("  {name:<12} {}", fmt_duration(took));
    }
    Ok(())
}
