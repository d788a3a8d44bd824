//! The crash audit: the real server binary is SIGKILLed at random moments, again and again, while payers pay
//! (once, twice, the wrong amount, after expiry, unannounced, not at all) and bills succeed, fail, stay pending
//! or lose their answer. The PSP simulator and the BBPCU simulator (reached over the BBPS XML wire) run in this
//! process, so they outlive every crash, as a real PSP and a real BBPS network do: responses posted to a server
//! that is down are lost, and the server finds out by asking. Once the server has been left to settle, three sets
//! of books are read side by side: the PSP's (every debit and refund), the server's (payments, refunds) and the
//! BBPS network's (bills paid). Every rupee that left a payer must be in exactly one place: a bill paid once, or
//! a refund.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, Instant};

use bbps_core::{PaymentStatus, Secret, UpiLink};
use bbps_engine::model::PaymentRecord;
use bbps_sandbox::bbpcu_sim::{self, BbpcuSimConfig, keys};
use bbps_sandbox::psp_sim::{self, PspSimConfig, audit};
use bbps_sandbox::upi_app::payer::{Payer, PayerAction};
use bbps_sandbox::{PayerConfig, SandboxTimings};
use serde_json::{Value, json};
use tokio::sync::Mutex;

const CLIENT: &str = "audit-client";
const CLIENT_SECRET: &str = "audit-client-secret-0123456789abcdef";
const INSTANCE: &str = "audit-instance";
const AUDIENCE: &str = "audit-scheme";
const NOTIFY_SECRET: &str = "audit-notify-secret-0123456789abcdef";
const MSEDCL: &str = "MAHAR0000MAH02";
/// Bill outcomes by account (docs/sandbox.md): paid, failing (refunded), pending then paid, answer lost.
const ACCOUNTS: [&str; 4] = ["100234567890", "100234560006", "100234560005", "100234560009"];
/// How long payments stay payable; "after expiry" payers wait this out.
const EXPIRY: Duration = Duration::from_secs(8);
/// How long the server is killed again and again.
const CHAOS: Duration = Duration::from_secs(25);
/// Every combination of bill outcome and payer, this many times.
const ROUNDS: usize = 6;
/// How long the books may take to settle once the killing stops.
const SETTLE: Duration = Duration::from_secs(120);

#[derive(Debug, Clone, Copy)]
enum Paying {
    Act(PayerAction),
    /// Waits for the link to expire, then pays it.
    Late,
    /// Never pays: the payment expires.
    Never,
}

const PAYERS: [Paying; 7] = [
    Paying::Act(PayerAction::Approve),
    Paying::Act(PayerAction::PayTwice),
    Paying::Act(PayerAction::WrongAmount),
    Paying::Act(PayerAction::PayUnannounced),
    Paying::Act(PayerAction::Decline),
    Paying::Late,
    Paying::Never,
];

/// The server binary, restarted on the same port and database after every kill.
struct Server {
    child: Option<Child>,
    port: u16,
    dir: PathBuf,
    psp_url: String,
    /// The BBPCU simulator, its certificate, and where the server takes its responses.
    bbpcu_url: String,
    bbpcu_certificate: PathBuf,
    callback_port: u16,
    kills: u32,
}

impl Server {
    fn db(&self) -> PathBuf {
        self.dir.join("bbps.sqlite3")
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_bbps-server"));
        cmd.env("BBPS_DATABASE", self.db())
            .env("BBPS_LISTEN", format!("127.0.0.1:{}", self.port))
            .env("BBPS_PSP_URL", &self.psp_url)
            .env("BBPS_PSP_CLIENT_ID", CLIENT)
            .env("BBPS_PSP_CLIENT_SECRET", CLIENT_SECRET)
            .env("BBPS_PSP_PRODUCT_INSTANCE_ID", INSTANCE)
            .env("BBPS_PSP_NOTIFY_AUDIENCE", AUDIENCE)
            .env("BBPS_PSP_NOTIFY_SECRET", NOTIFY_SECRET)
            .env("BBPS_BBPCU_URL", &self.bbpcu_url)
            .env("BBPS_BBPCU_CERTIFICATE", &self.bbpcu_certificate)
            .env("BBPS_BBPCU_SIGNING_KEY", self.dir.join("keys/bbpou.pem"))
            .env("BBPS_BBPCU_SIGNING_CERTIFICATE", self.dir.join("keys/bbpou.crt"))
            .env("BBPS_BBPCU_CALLBACK_LISTEN", format!("127.0.0.1:{}", self.callback_port))
            // Shorter than the answer-lost account's delay, and than a deemed payment's settling.
            .env("BBPS_BBPCU_PAYMENT_TIMEOUT", "1s")
            .env("BBPS_PAYMENT_EXPIRY", format!("{}s", EXPIRY.as_secs()))
            .env("BBPS_WORKER_TICK", "100ms")
            .env("BBPS_BILL_STATUS_POLL", "200ms")
            .env("BBPS_WEBHOOK_BACKOFF", "200ms")
            .env("BBPS_WEBHOOK_MAX_DELAY", "1s")
            .env("BBPS_RATE_LIMIT_IP_PER_MINUTE", "100000")
            .env("BBPS_RATE_LIMIT_IP_BURST", "10000")
            .env("BBPS_RATE_LIMIT_SESSION_PER_MINUTE", "100000")
            .env("BBPS_RATE_LIMIT_SESSION_BURST", "10000")
            .env("RUST_LOG", "warn,bbps_engine=info");
        cmd
    }

    fn start(&mut self) {
        let log = File::options().create(true).append(true).open(self.dir.join("server.log")).expect("log file");
        let err = log.try_clone().expect("log file");
        let child = self.command().stdout(Stdio::from(log)).stderr(Stdio::from(err)).spawn().expect("start the server");
        self.child = Some(child);
    }

    /// SIGKILL: no shutdown, no flush beyond what SQLite already committed.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
            self.kills += 1;
        }
    }

    async fn wait_ready(&mut self, http: &reqwest::Client) {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                panic!("the server exited on its own ({status}); see {}", self.dir.join("server.log").display());
            }
            let ok = http.get(format!("{}/healthz", self.base())).send().await.is_ok_and(|r| r.status().is_success());
            if ok {
                return;
            }
            assert!(start.elapsed() < Duration::from_secs(30), "the server did not come back within 30 s");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// A failing audit leaves no server behind.
impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

/// A merchant made with the operator's CLI, as an operator would.
fn create_merchant(db: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_bbps-server"))
        .args(["merchant", "create", "--name", "Audit Shop", "--origin", "https://audit.example"])
        .env("BBPS_DATABASE", db)
        .output()
        .expect("run the CLI");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    text.lines()
        .find_map(|l| l.strip_prefix("publishable_key"))
        .and_then(|v| v.split_whitespace().next())
        .expect("a publishable key")
        .to_owned()
}

/// A client that keeps asking through crashes: a refused connection or a 5xx is asked again (payments with the
/// same idempotency key, so a retry is never a second payment).
struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    async fn call(&self, req: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder) -> Value {
        let start = Instant::now();
        loop {
            if let Ok(resp) = req(&self.http).send().await {
                let status = resp.status();
                let body: Value = resp.json().await.unwrap_or(Value::Null);
                if status.is_success() {
                    return body;
                }
                assert!(status.is_server_error() || status.as_u16() == 429, "{status}: {body}");
            }
            assert!(start.elapsed() < Duration::from_secs(90), "no answer through the crashes for 90 s");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Opens a session, fetches a bill and creates its payment; returns the payment.
    async fn pay(&self, pk: &str, account: &str, key: &str) -> Value {
        let url = |p: &str| format!("{}{p}", self.base);
        let session = self.call(|h| h.post(url("/v1/sessions")).json(&json!({ "publishable_key": pk }))).await;
        let token = session["token"].as_str().expect("token").to_owned();
        let quote = self
            .call(|h| {
                h.post(url("/v1/bills/fetch")).bearer_auth(&token).json(&json!({
                    "biller_id": MSEDCL, "params": { "Consumer Number": account }, "channel": "INT",
                    "customer_mobile": "9876543210",
                }))
            })
            .await;
        let body = json!({
            "source": { "kind": "quote", "quote_id": quote["id"] }, "amount": quote["bill"]["amount"],
            "customer_mobile": "9876543210", "channel": "INT",
        });
        self.call(|h| h.post(url("/v1/payments")).bearer_auth(&token).header("Idempotency-Key", key).json(&body)).await
    }
}

/// The server's books: every payment and every refund.
struct OurBooks {
    payments: Vec<PaymentRecord>,
    /// `(payment_id, debit_id, amount, stage)`
    refunds: Vec<(Option<String>, String, u64, String)>,
}

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
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64, r.get(3)?)))
        .expect("refunds")
        .collect::<rusqlite::Result<_>>()
        .expect("refunds");
    OurBooks { payments, refunds }
}

/// `ref_id -> (status, amount with fee, pay requests)` of the sandbox BBPS network's ledger. A pending payment or
/// one whose status lags is paid once its settling time has passed, as the ledger itself reads it.
fn network_books(db: &Path) -> HashMap<String, (String, u64, u32)> {
    let conn = rusqlite::Connection::open(db).expect("open the network's books");
    let mut stmt = conn
        .prepare(
            "SELECT ref_id, CASE WHEN status IN ('pending', 'lagging') AND settle_at <= ?1 THEN 'success' ELSE status END, \
             amount + convenience_fee, pay_requests FROM sandbox_bbps_payments",
        )
        .expect("ledger");
    let now = bbps_server::util::now().unix_millis();
    stmt.query_map([now], |r| Ok((r.get(0)?, (r.get(1)?, r.get::<_, i64>(2)? as u64, r.get(3)?))))
        .expect("ledger")
        .collect::<rusqlite::Result<_>>()
        .expect("ledger")
}

/// What has not settled yet: payments not in a final state, refunds not made.
fn unsettled(books: &OurBooks) -> Vec<String> {
    let final_status = |s: PaymentStatus| {
        matches!(
            s,
            PaymentStatus::Completed | PaymentStatus::Refunded | PaymentStatus::Expired | PaymentStatus::PaymentFailed
        )
    };
    let payments =
        books.payments.iter().filter(|p| !final_status(p.status)).map(|p| format!("{} {:?}", p.id, p.status));
    let refunds =
        books.refunds.iter().filter(|r| r.3 != "refunded").map(|r| format!("refund of {} ({:?}) {}", r.1, r.0, r.3));
    payments.chain(refunds).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_debit_is_lost_or_used_twice_across_random_kills() {
    // Kept when the audit fails, for the books and the server's log.
    let dir = tempfile::tempdir().expect("dir").keep();
    let port = free_port();
    let psp_db = dir.join("psp.sqlite3");
    let sim = psp_sim::start(PspSimConfig {
        listen: "127.0.0.1:0".parse().expect("addr"),
        database: psp_db.clone(),
        client_id: CLIENT.into(),
        client_secret: Secret::new(CLIENT_SECRET),
        product_instance_id: INSTANCE.into(),
        callback_url: format!("http://127.0.0.1:{port}/v1/psp"),
        notify_audience: AUDIENCE.into(),
        notify_secret: Secret::new(NOTIFY_SECRET),
        token_ttl: Duration::from_secs(1800),
        refund_delay: Duration::from_millis(500),
    })
    .await
    .expect("the PSP simulator");
    let callback_port = free_port();
    let ours = keys::ensure(&dir.join("keys"), "bbpou").expect("the server's signing key");
    let bbpcu_db = dir.join("bbpcu.sqlite3");
    let bbpcu = bbpcu_sim::start(BbpcuSimConfig {
        listen: "127.0.0.1:0".parse().expect("addr"),
        database: bbpcu_db.clone(),
        billers: Arc::new(bbps_sandbox::network::generator::catalogue(0)),
        timings: SandboxTimings {
            slow_delay: Duration::from_secs(3),
            pending_settle: Duration::from_millis(1500),
            complaint_step: Duration::from_secs(120),
        },
        keys: dir.join("bbpcu-keys"),
        bbpou_certificate: ours.certificate,
        callback_url: format!("http://127.0.0.1:{callback_port}"),
        tls: None,
    })
    .await
    .expect("the BBPCU simulator");
    let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().expect("client");
    let mut server = Server {
        child: None,
        port,
        dir: dir.clone(),
        psp_url: sim.base_url(),
        bbpcu_url: bbpcu.base_url(),
        bbpcu_certificate: bbpcu.keys.certificate.clone(),
        callback_port,
        kills: 0,
    };
    let pk = create_merchant(&server.db());
    server.start();
    server.wait_ready(&http).await;
    let server = Arc::new(Mutex::new(server));

    // The chaos: kill at a random moment, restart at once, again, until CHAOS is over.
    let chaos_over = Arc::new(AtomicBool::new(false));
    let killer = {
        let (server, http, over) = (server.clone(), http.clone(), chaos_over.clone());
        tokio::spawn(async move {
            let start = Instant::now();
            while start.elapsed() < CHAOS {
                tokio::time::sleep(Duration::from_millis(rand::random_range(150..1200))).await;
                let mut s = server.lock().await;
                s.kill();
                s.start();
                s.wait_ready(&http).await;
            }
            over.store(true, Ordering::SeqCst);
        })
    };

    // The payers: every bill outcome with every way of paying, all at once.
    let base = server.lock().await.base();
    let payer = Arc::new(Payer::new(
        PayerConfig {
            psp_root: format!("http://{}", sim.addr),
            client_id: CLIENT.into(),
            client_secret: Secret::new(CLIENT_SECRET),
            product_instance_id: INSTANCE.into(),
        },
        http.clone(),
    ));
    let paid_debits = Arc::new(AtomicU32::new(0));
    let mut tasks = Vec::new();
    let everyone = (0..ROUNDS).flat_map(|_| ACCOUNTS.iter().flat_map(|a| PAYERS.iter().map(move |p| (*a, *p))));
    // Arrivals spread over the chaos, so kills land in every step of every kind of payment.
    let gap = CHAOS.mul_f64(0.8) / (ROUNDS * ACCOUNTS.len() * PAYERS.len()) as u32;
    for (i, (account, how)) in everyone.enumerate() {
        let client = Client { http: http.clone(), base: base.clone() };
        let (pk, payer, paid_debits) = (pk.clone(), payer.clone(), paid_debits.clone());
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(gap * i as u32).await;
            let p = client.pay(&pk, account, &format!("audit-key-{i:04}")).await;
            let link = UpiLink::parse(p["upi"]["link"].as_str().expect("a link")).expect("a UPI link");
            let action = match how {
                Paying::Act(action) => action,
                Paying::Late => {
                    tokio::time::sleep(EXPIRY + Duration::from_secs(1)).await;
                    PayerAction::Approve
                }
                Paying::Never => return,
            };
            let done = payer.act(&link, action).await.expect("the PSP took the payer's action");
            paid_debits.fetch_add(done.debits.len() as u32, Ordering::SeqCst);
        }));
    }
    for t in tasks {
        t.await.expect("a payer");
    }
    killer.await.expect("the killer");
    assert!(chaos_over.load(Ordering::SeqCst));

    // Left alone, the server settles every payment and refund.
    let started_settling = Instant::now();
    let db = server.lock().await.db();
    loop {
        let left = unsettled(&our_books(&db));
        if left.is_empty() {
            break;
        }
        assert!(started_settling.elapsed() < SETTLE, "not settled within {SETTLE:?} ({}): {left:#?}", dir.display());
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let settle_time = started_settling.elapsed();
    // Let the PSP initiate the last refunds it was asked for.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let kills = {
        let mut s = server.lock().await;
        s.kill();
        s.kills
    };
    sim.shutdown().await;
    bbpcu.shutdown().await;

    // ---- the audit ----
    let psp = audit::read(&psp_db).expect("the PSP's books");
    let ours = our_books(&db);
    let network = network_books(&bbpcu_db);
    let reference_of: HashMap<&str, &str> = psp.links.iter().map(|(id, r)| (id.as_str(), r.as_str())).collect();
    let by_reference: HashMap<&str, &PaymentRecord> =
        ours.payments.iter().map(|p| (p.upi_txn_ref.as_str(), p)).collect();
    let our_refund_of: HashMap<&str, &(Option<String>, String, u64, String)> =
        ours.refunds.iter().map(|r| (r.1.as_str(), r)).collect();
    assert_eq!(
        ours.payments.len(),
        ROUNDS * ACCOUNTS.len() * PAYERS.len(),
        "one payment per payer, whatever the retries"
    );
    assert_eq!(ours.refunds.len(), our_refund_of.len(), "one refund per debit in our books");

    let (mut to_bills, mut refunded) = (0u64, 0u64);
    let mut paid_refs = HashSet::new();
    for d in &psp.debits {
        let reference = reference_of.get(d.platform_bill_id.as_str()).expect("a debit on a known link");
        let payment =
            by_reference.get(reference).unwrap_or_else(|| panic!("the link of debit {} is ours", d.transaction_id));
        let psp_refunds = psp.refunds_of(&d.transaction_id);
        let psp_refunded: u64 = psp_refunds.iter().map(|r| r.amount).sum();
        assert!(
            psp_refunds.iter().all(|r| r.status == "Initiated"),
            "refunds of {} initiated: {psp_refunds:?}",
            d.transaction_id
        );
        let our_id = d.transaction_id.clone();
        let uses_for_bill = payment.status == PaymentStatus::Completed
            && payment.debit.as_ref().is_some_and(|x| x.psp_txn_id == our_id);
        match (uses_for_bill, psp_refunded) {
            (true, 0) => {
                let (status, amount, _) =
                    network.get(payment.ref_id.as_str()).expect("the bill is in the network's books");
                assert_eq!(status, "success", "{}", payment.id);
                assert_eq!(*amount, d.amount, "the bill paid is the debit: {}", payment.id);
                assert!(paid_refs.insert(payment.ref_id.as_str().to_owned()), "one debit per bill: {}", payment.id);
                assert!(!our_refund_of.contains_key(our_id.as_str()), "a debit used for a bill has no refund of ours");
                to_bills += d.amount;
            }
            (false, amount) if amount == d.amount => {
                let ours =
                    our_refund_of.get(our_id.as_str()).unwrap_or_else(|| panic!("our books know refund of {our_id}"));
                assert_eq!((ours.2, ours.3.as_str()), (d.amount, "refunded"), "{our_id}");
                if let Some((status, ..)) = network.get(payment.ref_id.as_str())
                    && payment.debit.as_ref().is_some_and(|x| x.psp_txn_id == our_id)
                {
                    assert_ne!(status, "success", "a refunded debit paid no bill: {}", payment.id);
                }
                refunded += d.amount;
            }
            (used, amount) => panic!(
                "debit {} of ₹{} on {}: used for the bill {used}, refunded {amount} paise",
                d.transaction_id, d.amount, payment.id
            ),
        }
    }
    for p in &ours.payments {
        let paid = network.get(p.ref_id.as_str()).is_some_and(|(s, ..)| s == "success");
        assert_eq!(
            paid,
            p.status == PaymentStatus::Completed,
            "{} is {:?}; the network paid its bill: {paid}",
            p.id,
            p.status
        );
    }
    let debited: u64 = psp.debits.iter().map(|d| d.amount).sum();
    assert_eq!(debited, to_bills + refunded, "every paisa debited went to a bill or back to its payer");
    assert_eq!(
        psp.debits.len() as u32,
        paid_debits.load(Ordering::SeqCst),
        "every debit the payers made is in the books"
    );

    let statuses = ours.payments.iter().fold(HashMap::<&str, u32>::new(), |mut m, p| {
        *m.entry(p.status.as_str()).or_default() += 1;
        m
    });
    println!(
        "crash audit: {kills} kills in {CHAOS:?}; {} payments {statuses:?}; {} debits ₹{} = bills ₹{} + refunds ₹{}; \
         settled {settle_time:?} after the last kill",
        ours.payments.len(),
        psp.debits.len(),
        debited as f64 / 100.0,
        to_bills as f64 / 100.0,
        refunded as f64 / 100.0,
    );
    assert!(kills >= 10, "the server was killed {kills} times");
    let _ = std::fs::remove_dir_all(&dir);
}
