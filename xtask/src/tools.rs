//! Installs what the tasks need when it is missing, and skips it when it is there (TOOLCHAIN.md has the facts):
//! the wasm32 target, trunk 0.21.14, wasm-bindgen-cli at exactly the Cargo.lock version, wasm-opt 132 from the
//! npm package binaryen (under `.tools/`), Debian's Chromium with its ChromeDriver, and Debian's `xmlsec1`,
//! `xmllint` and `openssl` (the BBPS XML adapter's signature interoperability and schema tests, and test keys),
//! and Debian's `postgresql` (the tests start a throw-away cluster of it for the PostgreSQL store).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

pub const TRUNK_VERSION: &str = "0.21.14";
pub const BINARYEN_VERSION: &str = "132";
/// The accessibility engine the end-to-end tests run on every screen of the widget.
pub const AXE_CORE_VERSION: &str = "4.14.1";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The environment every task step runs in.
pub struct Toolchain {
    pub root: PathBuf,
    path: OsString,
}

impl Toolchain {
    /// A command run from the workspace root with the tools on `PATH`.
    pub fn command(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.current_dir(&self.root)
            .env("PATH", &self.path)
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env("BBPS_CHROMIUM", CHROMIUM)
            .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
            // The test runner's default of 20 s is too short for a cold Chromium on a loaded 2-core machine.
            .env("WASM_BINDGEN_TEST_TIMEOUT", "180");
        c
    }

    pub fn cargo(&self) -> Command {
        self.command(&std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
    }
}

pub fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().map(Path::to_path_buf).unwrap_or(manifest_dir)
}

fn tools_dir(root: &Path) -> PathBuf {
    root.join(".tools")
}

fn cargo_bin() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from("/root/.cargo"));
    home.join("bin")
}

/// Runs one build or run step of a task under a `==>` heading; an error names the step.
pub fn run_step(what: &str, cmd: &mut Command) -> Result<(), String> {
    println!("\n==> {what}");
    let status = cmd.status().map_err(|e| format!("{what}: could not start: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{what} failed: {status}")) }
}

/// Runs a command and returns its trimmed stdout, or `None` if it could not run or failed.
fn output_of(cmd: &mut Command) -> Option<String> {
    let out = cmd.stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn run_install(what: &str, cmd: &mut Command) -> Result<(), String> {
    let started = Instant::now();
    let status = cmd.status().map_err(|e| format!("could not start the installer for {what}: {e}"))?;
    if status.success() {
        println!("[setup] {what}: installed in {:.0?}", started.elapsed());
        Ok(())
    } else {
        Err(format!("installing {what} failed ({status}); see the output above"))
    }
}

/// The wasm-bindgen version Cargo.lock pins; the CLI must match it exactly.
pub fn locked_wasm_bindgen_version(root: &Path) -> Result<String, String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("reading Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")).and_then(|v| v.strip_suffix('"'))
        {
            return Ok(v.to_owned());
        }
    }
    Err("Cargo.lock names no wasm-bindgen version".to_owned())
}

pub fn ensure_all() -> Result<Toolchain, String> {
    let root = workspace_root();
    let mut path_dirs = vec![tools_dir(&root).join("node_modules/.bin"), cargo_bin()];
    path_dirs.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    let path = std::env::join_paths(path_dirs).map_err(|e| format!("building PATH: {e}"))?;
    let tc = Toolchain { root, path };

    ensure_wasm_target(&tc)?;
    ensure_trunk(&tc)?;
    ensure_wasm_bindgen(&tc)?;
    ensure_wasm_opt(&tc)?;
    ensure_npm_package(&tc, "axe-core", AXE_CORE_VERSION)?;
    ensure_chromium(&tc)?;
    ensure_indic_fonts(&tc)?;
    ensure_xml_tools(&tc)?;
    ensure_postgresql(&tc)?;
    Ok(tc)
}

fn ensure_wasm_target(tc: &Toolchain) -> Result<(), String> {
    let installed = output_of(tc.command("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        println!("[setup] wasm32-unknown-unknown target: present");
        return Ok(());
    }
    run_install("wasm32-unknown-unknown target", tc.command("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn ensure_trunk(tc: &Toolchain) -> Result<(), String> {
    let version = output_of(tc.command("trunk").arg("--version")).unwrap_or_default();
    if version == format!("trunk {TRUNK_VERSION}") {
        println!("[setup] trunk {TRUNK_VERSION}: present");
        return Ok(());
    }
    println!("[setup] trunk {TRUNK_VERSION}: installing (about 8 minutes on 2 cores; found {version:?})");
    run_install(
        "trunk",
        tc.cargo().args(["install", "--locked", "trunk", "--version", TRUNK_VERSION]).current_dir(std::env::temp_dir()),
    )
}

fn ensure_wasm_bindgen(tc: &Toolchain) -> Result<(), String> {
    let want = locked_wasm_bindgen_version(&tc.root)?;
    let cli = output_of(tc.command("wasm-bindgen").arg("--version")).unwrap_or_default();
    let runner = output_of(tc.command("wasm-bindgen-test-runner").arg("--version")).unwrap_or_default();
    if cli == format!("wasm-bindgen {want}") && runner.ends_with(&want) {
        println!("[setup] wasm-bindgen-cli {want}: present");
        return Ok(());
    }
    println!("[setup] wasm-bindgen-cli {want}: installing (about 5 minutes; found {cli:?})");
    // Not `--locked`: its lock file names a crate version the registry does not serve (TOOLCHAIN.md).
    run_install(
        "wasm-bindgen-cli",
        tc.cargo().args(["install", "wasm-bindgen-cli", "--version", &want]).current_dir(std::env::temp_dir()),
    )
}

/// An npm package at an exact version under `.tools/node_modules`.
fn ensure_npm_package(tc: &Toolchain, name: &str, version: &str) -> Result<(), String> {
    let manifest = tools_dir(&tc.root).join("node_modules").join(name).join("package.json");
    let installed = std::fs::read_to_string(&manifest).unwrap_or_default();
    if installed.contains(&format!("\"version\": \"{version}\"")) {
        println!("[setup] {name} {version}: present");
        return Ok(());
    }
    npm_install(tc, name, &format!("{name}@{version}"))
}

fn npm_install(tc: &Toolchain, what: &str, spec: &str) -> Result<(), String> {
    if output_of(tc.command("npm").arg("--version")).is_none() {
        return Err(format!("npm is needed to install {what}; install Node.js and npm"));
    }
    let dir = tools_dir(&tc.root);
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let manifest = dir.join("package.json");
    if !manifest.exists() {
        std::fs::write(&manifest, "{\"private\": true}\n")
            .map_err(|e| format!("writing {}: {e}", manifest.display()))?;
    }
    run_install(
        what,
        tc.command("npm").args(["install", "--no-audit", "--no-fund", "--save-exact", "--prefix"]).arg(&dir).arg(spec),
    )
}

fn ensure_wasm_opt(tc: &Toolchain) -> Result<(), String> {
    let dir = tools_dir(&tc.root);
    let local = dir.join("node_modules/.bin/wasm-opt");
    let version = output_of(Command::new(&local).arg("--version")).unwrap_or_default();
    if version.starts_with(&format!("wasm-opt version {BINARYEN_VERSION}")) {
        println!("[setup] wasm-opt {BINARYEN_VERSION}: present");
        return Ok(());
    }
    npm_install(tc, "wasm-opt (binaryen)", &format!("binaryen@{BINARYEN_VERSION}"))
}

/// Runs apt-get as root, or through sudo without a password prompt.
fn apt(tc: &Toolchain, args: &[&str]) -> Command {
    let is_root = output_of(tc.command("id").arg("-u")).as_deref() == Some("0");
    let mut c = if is_root { tc.command("apt-get") } else { tc.command("sudo") };
    if !is_root {
        c.args(["-n", "apt-get"]);
    }
    c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
    c
}

/// Installs Debian packages, refreshing the package lists once if the first try fails.
fn apt_install(tc: &Toolchain, what: &str, packages: &[&str]) -> Result<(), String> {
    let mut args = vec!["install", "-y"];
    args.extend_from_slice(packages);
    if run_install(what, &mut apt(tc, &args)).is_err() {
        run_install("package lists", &mut apt(tc, &["update"]))?;
        run_install(what, &mut apt(tc, &args))?;
    }
    Ok(())
}

/// The load generator of the throughput benchmark (only `cargo xtask bench` needs it).
pub fn ensure_wrk(tc: &Toolchain) -> Result<(), String> {
    if output_of(tc.command("sh").args(["-c", "command -v wrk"])).is_some_and(|p| !p.is_empty()) {
        println!("[setup] wrk: present");
        return Ok(());
    }
    println!("[setup] wrk: installing with apt-get");
    apt_install(tc, "wrk", &["wrk"])
}

/// Debian's Noto fonts, so that screenshots of the widget in Indian languages show letters rather than boxes (a
/// customer's phone has such fonts; a bare server does not).
fn ensure_indic_fonts(tc: &Toolchain) -> Result<(), String> {
    if Path::new("/usr/share/fonts/truetype/noto/NotoSansMalayalam-Regular.ttf").exists() {
        println!("[setup] fonts-noto-core: present");
        return Ok(());
    }
    println!("[setup] fonts-noto-core: installing with apt-get");
    apt_install(tc, "fonts-noto-core", &["fonts-noto-core"])
}

/// `xmlsec1` (signatures made and verified by another implementation), `xmllint` (NPCI's schemas) and `openssl`
/// (the tests' keys and certificates), from Debian.
fn ensure_xml_tools(tc: &Toolchain) -> Result<(), String> {
    let tools = [("xmlsec1", "xmlsec1"), ("xmllint", "libxml2-utils"), ("openssl", "openssl")];
    let on_path = |tool: &str| {
        output_of(tc.command("sh").args(["-c", &format!("command -v {tool}")])).is_some_and(|p| !p.is_empty())
    };
    let missing: Vec<&str> = tools.iter().filter(|(tool, _)| !on_path(tool)).map(|(_, package)| *package).collect();
    if missing.is_empty() {
        println!("[setup] xmlsec1, xmllint and openssl: present");
        return Ok(());
    }
    println!("[setup] {}: installing with apt-get", missing.join(", "));
    apt_install(tc, &missing.join(", "), &missing)
}

/// PostgreSQL's server programs: the tests of the PostgreSQL store and of the server on it run a cluster of their
/// own with `initdb` and `pg_ctl` (from `/usr/lib/postgresql/<version>/bin`, where Debian puts them).
fn ensure_postgresql(tc: &Toolchain) -> Result<(), String> {
    let installed = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|version| version.path().join("bin"))
        .find(|bin| bin.join("initdb").is_file() && bin.join("pg_ctl").is_file());
    if let Some(bin) = installed {
        println!("[setup] postgresql: present ({})", bin.display());
        return Ok(());
    }
    println!("[setup] postgresql: installing with apt-get");
    apt_install(tc, "postgresql", &["postgresql"])
}

fn ensure_chromium(tc: &Toolchain) -> Result<(), String> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        let v = output_of(Command::new(CHROMEDRIVER).arg("--version")).unwrap_or_default();
        println!("[setup] chromium and chromedriver: present ({v})");
        return Ok(());
    }
    println!("[setup] chromium and chromedriver: installing with apt-get");
    apt_install(tc, "chromium", &["chromium", "chromium-driver"])
}
