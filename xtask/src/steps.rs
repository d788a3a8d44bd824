//! `cargo xtask test`: every check the project has, in the order that fails fastest.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::tools::{self, Toolchain};

struct Step {
    name: &'static str,
    what: &'static str,
    command: fn(&Toolchain) -> Command,
}

const STEPS: &[Step] = &[
    Step {
        name: "fmt",
        what: "formatting (cargo fmt --check)",
        command: |tc| {
            let mut c = tc.cargo();
            c.args(["fmt", "--all", "--check"]);
            c
        },
    },
    Step {
        name: "clippy",
        what: "clippy, native, all targets, warnings denied",
        command: |tc| {
            let mut c = tc.cargo();
            c.args(["clippy", "--locked", "--workspace", "--all-targets", "--", "-D", "warnings"]);
            c
        },
    },
    Step {
        name: "clippy-wasm",
        what: "clippy, wasm32, all targets, warnings denied",
        command: |tc| {
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
            c
        },
    },
    Step {
        name: "native",
        what: "native tests (core units and properties, server integration over loopback)",
        command: |tc| {
            let mut c = tc.cargo();
            c.args(["test", "--locked", "--workspace", "--exclude", "bbps-e2e"]);
            c
        },
    },
    Step {
        name: "wasm",
        what: "widget tests in headless Chromium (wasm-bindgen-test)",
        command: |tc| {
            let mut c = tc.cargo();
            c.args(["test", "--locked", "-p", "bbps-widget", "--target", "wasm32-unknown-unknown"]);
            c
        },
    },
    Step {
        name: "build",
        what: "release build of the widget (trunk build --release)",
        command: |tc| {
            let mut c = tc.command("trunk");
            c.args(["build", "--release"]);
            c
        },
    },
    Step {
        name: "e2e",
        what: "end-to-end tests: real backend, release widget, headless Chromium over WebDriver",
        command: |tc| {
            let mut c = tc.cargo();
            c.args(["test", "--locked", "-p", "bbps-e2e", "--", "--test-threads=1"]);
            c.env("BBPS_WIDGET_DIST", tc.root.join("dist"));
            c
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
        let status = (step.command)(&tc).status().map_err(|e| format!("step {} could not start: {e}", step.name))?;
        let took = t.elapsed();
        if !status.success() {
            return Err(format!("step {} ({}) failed after {}: {status}", step.name, step.what, fmt_duration(took)));
        }
        done.push((step.name, took));
    }
    println!("\nall passed in {}:", fmt_duration(started.elapsed()));
    for (name, took) in done {
        println!("  {name:<12} {}", fmt_duration(took));
    }
    Ok(())
}
