//! `cargo xtask demo`: builds the widget, starts the backend with its sandbox network and PSP, waits until it
//! answers, and prints where to go. Ctrl-C stops it.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use crate::tools::{self, run_step};

const API_ADDR: &str = "127.0.0.1:8787";
const MERCHANT_ADDR: &str = "127.0.0.1:8788";

/// One plain HTTP/1.1 GET on loopback; true on a 200.
fn healthy(addr: &str) -> bool {
    let Ok(sock) = addr.parse::<SocketAddr>() else { return false };
    let Ok(mut s) = TcpStream::connect_timeout(&sock, Duration::from_millis(500)) else { return false };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let req = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if s.write_all(req.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    s.read_exact(&mut head).is_ok() && head.ends_with(b"200")
}

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!("demo takes no arguments (got {a:?}); configure the server with BBPS_* variables"));
    }
    let tc = tools::ensure_all()?;
    run_step("release build of the widget (trunk build --release)", tc.command("trunk").args(["build", "--release"]))?;
    run_step("build of the backend", tc.cargo().args(["build", "--locked", "-p", "bbps-server"]))?;

    if healthy(API_ADDR) {
        return Err(format!("something already answers on {API_ADDR}; stop it (or the previous demo) first"));
    }
    println!("\n==> starting the backend (sandbox BBPS network, sandbox UPI PSP, SQLite in .data/)");
    let mut server = tc
        .command(&tc.root.join("target/debug/bbps-server").to_string_lossy())
        .env("BBPS_WIDGET_DIST", tc.root.join("dist"))
        .spawn()
        .map_err(|e| format!("starting bbps-server: {e}"))?;
    let deadline = Instant::now() + Duration::from_secs(60);
    while !healthy(API_ADDR) {
        if let Ok(Some(status)) = server.try_wait() {
            return Err(format!("bbps-server exited before it was ready: {status}"));
        }
        if Instant::now() > deadline {
            let _ = server.kill();
            return Err(format!("bbps-server did not answer on {API_ADDR} within 60 s"));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    println!(
        "\nThe demo is running (Ctrl-C stops it):\n\
         \n  demo merchant site   http://{MERCHANT_ADDR}/\
         \n  the widget alone     http://{API_ADDR}/widget/\
         \n  sandbox UPI app      opens from the widget's payment screen\
         \n  sandbox accounts     http://{API_ADDR}/sandbox/accounts   (docs/sandbox.md)\
         \n  API document         http://{API_ADDR}/openapi.json\n"
    );
    let status = server.wait().map_err(|e| format!("waiting for bbps-server: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("bbps-server stopped: {status}")) }
}
