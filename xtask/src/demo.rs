//! `cargo xtask demo`: builds the widget, starts the backend with its sandbox network and PSP and, beside it,
//! the demo merchant's site (its own program, which registers itself with the API), waits until both answer,
//! and prints where to go. Ctrl-C stops both.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Child;
use std::time::{Duration, Instant};

use crate::tools::{self, run_step};

const API_ADDR: &str = "127.0.0.1:8787";
const MERCHANT_ADDR: &str = "127.0.0.1:8788";

/// One plain HTTP/1.1 GET of `path` on loopback; true on a 200.
fn answers(addr: &str, path: &str) -> bool {
    let Ok(sock) = addr.parse::<SocketAddr>() else { return false };
    let Ok(mut s) = TcpStream::connect_timeout(&sock, Duration::from_millis(500)) else { return false };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if s.write_all(req.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    s.read_exact(&mut head).is_ok() && head.ends_with(b"200")
}

/// Waits until `addr` answers 200 on `path`, or `child` exits, or a minute passes.
fn wait_ready(name: &str, child: &mut Child, addr: &str, path: &str) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !answers(addr, path) {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("{name} exited before it was ready: {status}"));
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            return Err(format!("{name} did not answer on {addr} within 60 s"));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Ok(())
}

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!("demo takes no arguments (got {a:?}); configure the server with BBPS_* variables"));
    }
    let tc = tools::ensure_all()?;
    run_step("release build of the widget (trunk build --release)", tc.command("trunk").args(["build", "--release"]))?;
    run_step(
        "build of the backend and the demo merchant's site",
        tc.cargo().args(["build", "--locked", "-p", "bbps-server", "-p", "bbps-demo-merchant"]),
    )?;
    for addr in [API_ADDR, MERCHANT_ADDR] {
        if answers(addr, "/") || answers(addr, "/healthz") {
            return Err(format!("something already answers on {addr}; stop it (or the previous demo) first"));
        }
    }
    println!("\n==> starting the backend (sandbox BBPS network, sandbox UPI PSP, SQLite in .data/)");
    let mut server = tc
        .command(&tc.root.join("target/debug/bbps-server").to_string_lossy())
        .env("BBPS_WIDGET_DIST", tc.root.join("dist"))
        .spawn()
        .map_err(|e| format!("starting bbps-server: {e}"))?;
    wait_ready("bbps-server", &mut server, API_ADDR, "/healthz")?;
    println!("\n==> starting the demo merchant's site (registers its origin and webhook URL with the API)");
    let mut site = match tc
        .command(&tc.root.join("target/debug/bbps-demo-merchant").to_string_lossy())
        .env("BBPS_DEMO_LISTEN", MERCHANT_ADDR)
        .env("BBPS_DEMO_API", format!("http://{API_ADDR}"))
        .spawn()
    {
        Ok(site) => site,
        Err(e) => {
            let _ = server.kill();
            return Err(format!("starting bbps-demo-merchant: {e}"));
        }
    };
    if let Err(e) = wait_ready("bbps-demo-merchant", &mut site, MERCHANT_ADDR, "/") {
        let _ = server.kill();
        return Err(e);
    }
    println!(
        "\nThe demo is running (Ctrl-C stops it):\n\
         \n  demo merchant site   http://{MERCHANT_ADDR}/\
         \n  the widget alone     http://{API_ADDR}/widget/\
         \n  sandbox UPI app      opens from the widget's payment screen\
         \n  sandbox accounts     http://{API_ADDR}/sandbox/accounts   (docs/sandbox.md)\
         \n  API document         http://{API_ADDR}/openapi.json\n"
    );
    // Ctrl-C reaches both children (they share the terminal's process group); whichever ends first ends the demo.
    loop {
        if let Some(status) = server.try_wait().map_err(|e| format!("waiting for bbps-server: {e}"))? {
            let _ = site.kill();
            return if status.success() { Ok(()) } else { Err(format!("bbps-server stopped: {status}")) };
        }
        if let Some(status) = site.try_wait().map_err(|e| format!("waiting for bbps-demo-merchant: {e}"))? {
            let _ = server.kill();
            return if status.success() { Ok(()) } else { Err(format!("bbps-demo-merchant stopped: {status}")) };
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}
