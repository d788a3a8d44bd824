//! The crash audit with two server processes on one PostgreSQL database, as deployed behind a load balancer
//! (docs/deploy.md): A is SIGKILLed at random moments and restarted while B carries on, then A is killed for
//! good and B alone must settle every payment and refund. The same payers, simulators and audit as
//! crash_audit.rs; our books are read from PostgreSQL.
//!
//! ```text
//!  payers' API calls ─┐                       ┌─ A (killed again and again, then for good)
//!  PSP notifications ─┴─ round-robin TCP ─────┤
//!                                             └─ B (never killed)
//!  BBPCU responses ───── round-robin TCP ───── A's or B's callback listener
//! ```
//!
//! Each balancer hands every connection it accepts to the next instance, or to the other when that one refuses
//! the connection (it is down), as a TCP load balancer does. So a BBPCU response to a request A sent may reach B,
//! and while a connection the BBPCU keeps open leads to B, every one does. The waiting call lives in the memory
//! of the process that sent the request, so B archives such a response and announces it through the database;
//! A reads it back and hands it to its call (docs/bbps-xml.md).

mod crash;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use bbps_store_postgres::test_cluster::{self, TestDatabase};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;

use crash::{CHAOS, OurBooks, OurRefund, Server, Simulators};

/// How long the books may take to settle once A is dead: its jobs wait out their leases (at least a minute).
const SETTLE: Duration = Duration::from_secs(120);

/// A round-robin TCP load balancer in front of two upstreams on this host.
struct Balancer {
    addr: SocketAddr,
    /// Connections handed to each upstream.
    handed: Arc<[AtomicU32; 2]>,
    task: tokio::task::JoinHandle<()>,
}

impl Balancer {
    async fn start(upstreams: [u16; 2]) -> Balancer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("the balancer's port");
        let addr = listener.local_addr().expect("the balancer's address");
        let handed = Arc::new([AtomicU32::new(0), AtomicU32::new(0)]);
        let counts = handed.clone();
        let task = tokio::spawn(async move {
            for turn in 0usize.. {
                let Ok((mut inbound, _)) = listener.accept().await else { continue };
                let counts = counts.clone();
                tokio::spawn(async move {
                    for i in [turn % 2, (turn + 1) % 2] {
                        if let Ok(mut outbound) = TcpStream::connect(("127.0.0.1", upstreams[i])).await {
                            counts[i].fetch_add(1, Ordering::Relaxed);
                            let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                            return;
                        }
                    }
                });
            }
        });
        Balancer { addr, handed, task }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Connections handed to A and to B.
    fn handed(&self) -> (u32, u32) {
        (self.handed[0].load(Ordering::Relaxed), self.handed[1].load(Ordering::Relaxed))
    }
}

impl Drop for Balancer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The servers' books, from PostgreSQL.
async fn our_books(db: &TestDatabase) -> OurBooks {
    let client = db.client().await;
    let payments = client
        .query("SELECT data::text FROM payments", &[])
        .await
        .expect("payments")
        .iter()
        .map(|r| serde_json::from_str(r.get(0)).expect("a payment record"))
        .collect();
    let refunds = client
        .query("SELECT payment_id, debit_id, amount, stage FROM refunds", &[])
        .await
        .expect("refunds")
        .iter()
        .map(|r| OurRefund {
            payment_id: r.get(0),
            debit_id: r.get(1),
            amount: u64::try_from(r.get::<_, i64>(2)).expect("paise"),
            stage: r.get(3),
        })
        .collect();
    OurBooks { payments, refunds }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_postgres_lose_no_debit_and_pay_no_bill_twice_while_one_is_killed() {
    let Some(db) = test_cluster::database().await else {
        eprintln!("\n{0}\nSKIPPED: the PostgreSQL crash audit: no PostgreSQL (see above)\n{0}\n", "=".repeat(100));
        return;
    };
    let url = db.url().expose().to_owned();
    // Kept when the audit fails, for the simulators' books and the servers' logs.
    let dir = tempfile::tempdir().expect("dir").keep();
    let ports = |_| (crash::free_port(), crash::free_port());
    let [(a_port, a_callback), (b_port, b_callback)] = [0, 1].map(ports);
    let api = Balancer::start([a_port, b_port]).await;
    let callbacks = Balancer::start([a_callback, b_callback]).await;
    let sims = Simulators::start(&dir, &api.url(), &callbacks.url()).await;
    let sandbox_a = dir.join("sandbox-a.sqlite3").display().to_string();
    let sandbox_b = dir.join("sandbox-b.sqlite3").display().to_string();
    // An answer that never reaches its sender (posted to a killed A) costs the sender the limit of its kind:
    // these, not the defaults (five minutes for the biller master data a start waits for).
    let limits = [
        ("BBPS_BBPCU_BILLER_FETCH_TIMEOUT", "3s"),
        ("BBPS_BBPCU_FETCH_TIMEOUT", "2s"),
        ("BBPS_BBPCU_STATUS_TIMEOUT", "1s"),
    ];
    let env = |sandbox| [limits.as_slice(), &[("BBPS_SANDBOX_DATABASE", sandbox)]].concat();
    let mut a = Server::new("server-a", &dir, &url, (a_port, a_callback), &env(&sandbox_a), &sims);
    let mut b = Server::new("server-b", &dir, &url, (b_port, b_callback), &env(&sandbox_b), &sims);
    let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().expect("client");
    let pk = crash::create_merchant(&url);
    // B first, alone: every answer reaches it. Then A, whose master data answer may reach B (on the connection the
    // BBPCU keeps open to B it does): B relays it through the database, and A starts.
    b.start_ready(&http).await;
    a.start_ready(&http).await;
    let a = Arc::new(Mutex::new(a));

    // The chaos on A; the payers meanwhile, through the balancer, each call on a connection of its own so that
    // the calls of one payment split across A and B.
    let killer = crash::chaos(a.clone(), http.clone(), true);
    let payers_http =
        reqwest::Client::builder().timeout(Duration::from_secs(10)).pool_max_idle_per_host(0).build().expect("client");
    let paid_debits = crash::pay_everyone(&payers_http, &api.url(), &pk, &sims).await;
    killer.await.expect("the killer");

    // A is dead for good: B alone settles every payment and refund.
    let settle_time = crash::settle(|| our_books(&db), SETTLE, &dir).await;
    // Let the PSP initiate the last refunds it was asked for.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(b.is_running(), "B was never killed and never stopped; see {}", b.log().display());
    b.kill();
    let ledgers = sims.shutdown().await;

    let audit = crash::audit(&ledgers, &our_books(&db).await, paid_debits);
    let kills = a.lock().await.kills;
    let (api_a, api_b) = api.handed();
    let (callbacks_a, callbacks_b) = callbacks.handed();
    println!(
        "crash audit on PostgreSQL: A killed {kills} times in {CHAOS:?}, B never; {audit}; settled by B alone \
         {settle_time:?} after A's last kill; connections to A/B: API and PSP {api_a}/{api_b}, BBPCU responses \
         {callbacks_a}/{callbacks_b}"
    );
    assert!(kills >= 10, "A was killed {kills} times");
    assert!(api_a > 0 && api_b > 0, "the API and the PSP reached both instances: {api_a}/{api_b}");
    assert!(callbacks_a > 0 && callbacks_b > 0, "the BBPCU reached both instances: {callbacks_a}/{callbacks_b}");
    let _ = std::fs::remove_dir_all(&dir);
}
