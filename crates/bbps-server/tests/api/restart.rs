//! Crash and restart: in-flight payments resume from the database and no bill is paid twice. Also graceful
//! shutdown of the real binary.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use bbps_core::{PaymentStatus, RefId};
use bbps_engine::ports::PayRequest;
use bbps_sandbox::network::ledger_payment;
use reqwest::StatusCode;
use serde_json::json;

use crate::common::*;

struct Process {
    child: Child,
    base: String,
    /// Log lines of requests the server started processing.
    started: std::sync::mpsc::Receiver<String>,
}

/// Starts the real binary on a free port and waits for its "listening on" line.
fn spawn(db: &Path, envs: &[(&str, &str)]) -> Process {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bbps-server"));
    cmd.env("BBPS_LISTEN", "127.0.0.1:0")
        .env("BBPS_DATABASE", db)
        .env("BBPS_WORKER_TICK", "100ms")
        .env("BBPS_BILL_STATUS_POLL", "150ms")
        .env("RUST_LOG", "warn,tower_http=debug,bbps_server=info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("start the binary");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(base) = line.strip_prefix("listening on ") {
                let _ = tx.send(base.to_owned());
            }
        }
    });
    let base = rx.recv_timeout(DEADLINE).expect("the server prints its address");
    let stderr = child.stderr.take().expect("stderr");
    let (started_tx, started) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("started processing request") {
                let _ = started_tx.send(line);
            }
        }
    });
    Process { child, base, started }
}

fn wait_exit(child: &mut Child) -> Option<std::process::ExitStatus> {
    let start = std::time::Instant::now();
    while start.elapsed() < DEADLINE {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

/// A client for a spawned process, sharing the harness helpers.
async fn harness(base: &str) -> TestServer {
    TestServer {
        server: None,
        base: base.to_owned(),
        demo: None,
        http: client(),
        dir: tempfile::tempdir().expect("dir"),
    }
}

#[tokio::test]
async fn a_paid_payment_completes_exactly_once_after_a_crash() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("bbps.sqlite3");
    let mut first = spawn(&db, &[("BBPS_WORKER", "off")]);
    let a = harness(&first.base).await;
    let token = a.session().await;
    let p = a.bill_payment(&token, "100234567890").await;
    a.upi(&p["upi"]["link"], "approve").await;
    // The PSP's notification arrives on its own; with no worker the bill then waits.
    a.wait_status(&token, &p["id"], "paid").await;
    first.child.kill().expect("kill");
    let _ = first.child.wait();

    let ref_id = RefId::parse(p["ref_id"].as_str().unwrap_or("")).expect("ref id");
    assert_eq!(ledger_payment(&db, &ref_id).expect("ledger"), None, "not paid before the crash");

    let mut second = spawn(&db, &[("BBPS_WORKER", "on")]);
    let b = harness(&second.base).await;
    let token = b.session().await;
    let done = b.wait_status_by_secret(&token, &p, "completed").await;
    assert_eq!(ledger_payment(&db, &ref_id).expect("ledger"), Some(("success".to_owned(), 1)), "paid exactly once");
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM payment_transitions WHERE payment_id = ?1 AND to_status = 'completed'",
            &[done["id"].as_str().unwrap_or("")]
        ),
        1
    );
    second.child.kill().expect("kill");
    let _ = second.child.wait();
}

#[tokio::test]
async fn a_bill_paid_just_before_a_crash_is_not_paid_again() {
    // The worker wrote bill_payment_pending and the network paid, but the process died before recording the
    // outcome. The next process asks the network by refId before paying.
    let mut a = start_server(|c| c.worker = false).await;
    let token = a.session().await;
    let p = a.bill_payment(&token, "100234567890").await;
    a.upi(&p["upi"]["link"], "approve").await;
    a.wait_status(&token, &p["id"], "paid").await;
    let state = a.state().clone();
    let id = bbps_core::PaymentId::parse(p["id"].as_str().unwrap_or("")).expect("id");
    let paid = state.engine.store().payment(&id).await.expect("store").expect("payment");
    assert_eq!(paid.status, PaymentStatus::Paid);
    let pending = state
        .engine
        .transition(&paid, PaymentStatus::BillPaymentPending, "paying the bill", |_| {})
        .await
        .expect("store")
        .expect("written");
    let request = PayRequest {
        ref_id: pending.ref_id.clone(),
        biller_id: pending.biller_id.clone(),
        params: pending.params.iter().map(|i| (i.name.clone(), i.value.clone())).collect(),
        bill: pending.bill.clone(),
        amount: pending.charges.bill_amount,
        convenience_fee: pending.charges.convenience_fee,
        convenience_fee_gst: pending.charges.convenience_fee_gst,
        plan_id: None,
        bills: pending.bills.clone(),
        channel: pending.channel,
        payer_vpa: None,
        upi_rrn: None,
        customer_mobile: pending.customer_mobile.clone(),
        customer_ip: pending.customer_ip,
    };
    let status = state.engine.network().pay(&request).await.expect("network pays");
    assert!(matches!(status, bbps_engine::ports::PayStatus::Success { .. }));
    drop(state);
    a.stop().await;

    let b = start_in(std::mem::replace(&mut a.dir, tempfile::tempdir().expect("dir")), |_| {}).await;
    let token = b.session().await;
    let done = b.wait_status_by_secret(&token, &p, "completed").await;
    let ledger = ledger_payment(&b.db(), &pending.ref_id).expect("ledger");
    assert_eq!(ledger, Some(("success".to_owned(), 1)), "the resumed worker asked, and did not pay again");
    match status {
        bbps_engine::ports::PayStatus::Success { txn_ref, .. } => {
            assert_eq!(done["receipt"]["txn_ref"], txn_ref.to_string())
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_drains_in_flight_requests() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("bbps.sqlite3");
    let mut p = spawn(&db, &[("BBPS_FETCH_TIMEOUT", "10s"), ("BBPS_SANDBOX_SLOW_DELAY", "1500ms")]);
    let s = harness(&p.base).await;
    let token = s.session().await;
    let slow = {
        let (http, url, token) = (s.http.clone(), s.url("/v1/bills/fetch"), token.clone());
        tokio::spawn(async move {
            let body = json!({
                "biller_id": MSEDCL, "params": { "Consumer Number": "100234560004" }, "channel": "INT",
                "customer_mobile": "9876543210",
            });
            http.post(url).bearer_auth(token).json(&body).send().await.map(|r| r.status())
        })
    };
    // Signal only once the server has started processing the slow fetch.
    let in_flight =
        (0..50).find_map(|_| p.started.recv_timeout(DEADLINE).ok().filter(|l| l.contains("/v1/bills/fetch")));
    assert!(in_flight.is_some(), "the slow fetch reached the server");
    let killed = Command::new("kill").arg("-TERM").arg(p.child.id().to_string()).status().expect("kill -TERM");
    assert!(killed.success());
    let answered = slow.await.expect("task");
    assert_eq!(answered.ok(), Some(StatusCode::CREATED), "the in-flight request was answered");
    let status = wait_exit(&mut p.child).expect("the process exits");
    assert!(status.success(), "{status:?}");
}
