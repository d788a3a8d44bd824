//! The crash audit: the real server binary is SIGKILLed at random moments, again and again, while payers pay
//! (once, twice, the wrong amount, after expiry, unannounced, not at all) and bills succeed, fail, stay pending
//! or lose their answer. The PSP simulator and the BBPCU simulator (reached over the BBPS XML wire) run in this
//! process, so they outlive every crash, as a real PSP and a real BBPS network do: responses posted to a server
//! that is down are lost, and the server finds out by asking. Once the server has been left to settle, three sets
//! of books are read side by side: the PSP's (every debit and refund), the server's (payments, refunds) and the
//! BBPS network's (bills paid). Every rupee that left a payer must be in exactly one place: a bill paid once, or
//! a refund. (crash_audit_postgres.rs is the same audit with two servers on one PostgreSQL database.)

mod crash;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use bbps_engine::model::PaymentRecord;
use tokio::sync::Mutex;

use crash::{CHAOS, OurBooks, OurRefund, Server, Simulators};

/// How long the books may take to settle once the killing stops.
const SETTLE: Duration = Duration::from_secs(120);

/// The server's books, from its SQLite file.
fn our_books(db: &Path) -> OurBooks {
    let conn = rusqlite::Connection::open(db).expect("open the server's books");
    let mut stmt = conn.prepare("SELECT data FROM payments").expect("payments");
    let payments = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .expect("payments")
        .map(|d| serde_json::from_str::<PaymentRecord>(&d.expect("row")).expect("a payment record"))
        .collect();
    let mut stmt = conn.prepare("SELECT payment_id, debit_id, amount, stage FROM refunds").expect("refunds");
    let refunds = stmt
        .query_map([], |r| {
            Ok(OurRefund {
                payment_id: r.get(0)?,
                debit_id: r.get(1)?,
                amount: r.get::<_, i64>(2)? as u64,
                stage: r.get(3)?,
            })
        })
        .expect("refunds")
        .collect::<rusqlite::Result<_>>()
        .expect("refunds");
    OurBooks { payments, refunds }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_debit_is_lost_or_used_twice_across_random_kills() {
    // Kept when the audit fails, for the books and the server's log.
    let dir = tempfile::tempdir().expect("dir").keep();
    let db = dir.join("bbps.sqlite3");
    let port = crash::free_port();
    let callback_port = crash::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let sims = Simulators::start(&dir, &base, &format!("http://127.0.0.1:{callback_port}")).await;
    let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().expect("client");
    let database = db.display().to_string();
    let mut server = Server::new("server", &dir, &database, (port, callback_port), &[], &sims);
    let pk = crash::create_merchant(&database);
    server.start_ready(&http).await;
    let server = Arc::new(Mutex::new(server));

    // The chaos: kill at a random moment, restart at once, again, until CHAOS is over; the payers meanwhile.
    let killer = crash::chaos(server.clone(), http.clone(), false);
    let paid_debits = crash::pay_everyone(&http, &base, &pk, &sims).await;
    killer.await.expect("the killer");

    // Left alone, the server settles every payment and refund.
    let settle_time = crash::settle(|| async { our_books(&db) }, SETTLE, &dir).await;
    // Let the PSP initiate the last refunds it was asked for.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let kills = {
        let mut s = server.lock().await;
        assert!(s.is_running(), "the server is up at the end; see {}", s.log().display());
        s.kill();
        s.kills
    };
    let ledgers = sims.shutdown().await;

    let audit = crash::audit(&ledgers, &our_books(&db), paid_debits);
    println!("crash audit: {kills} kills in {CHAOS:?}; {audit}; settled {settle_time:?} after the last kill");
    assert!(kills >= 10, "the server was killed {kills} times");
    let _ = std::fs::remove_dir_all(&dir);
}
