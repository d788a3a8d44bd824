//! What the crash audits share: the simulators that outlive every crash (the PSP's and the BBPS network's, each
//! with its books), the real server binary killed and restarted, the payers who pay in every way through the
//! crashes, and the audit of the three sets of books. How the server's own books are read (SQLite or PostgreSQL),
//! how many servers there are and what stands in front of them is each audit's own.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use bbps_core::{PaymentStatus, Secret, UpiLink};
use bbps_engine::model::PaymentRecord;
use bbps_sandbox::bbpcu_sim::{self, BbpcuSimConfig, RunningBbpcuSim, keys};
use bbps_sandbox::psp_sim::{self, PspSimConfig, RunningPspSim, audit};
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
/// How long a server is killed again and again.
pub const CHAOS: Duration = Duration::from_secs(25);
/// Every combination of bill outcome and payer, this many times.
const ROUNDS: usize = 6;
/// How many payments the payers make: one per payer, whatever the retries.
const PAYMENTS: usize = ROUNDS * ACCOUNTS.len() * PAYERS.len();

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

/// The PSP simulator and the BBPCU simulator (reached over the BBPS XML wire), running in the test process so
/// that they outlive every crash, each with its books in a SQLite file of `dir`.
pub struct Simulators {
    psp: RunningPspSim,
    bbpcu: RunningBbpcuSim,
    psp_db: PathBuf,
    bbpcu_db: PathBuf,
    /// Our signing key pair, which the BBPCU trusts; every server signs with it.
    keys: PathBuf,
}

impl Simulators {
    /// Starts both: the PSP notifies `<psp_callback>/v1/psp/…`, the BBPCU posts its responses under
    /// `bbpcu_callback`.
    pub async fn start(dir: &Path, psp_callback: &str, bbpcu_callback: &str) -> Simulators {
        let psp_db = dir.join("psp.sqlite3");
        let psp = psp_sim::start(PspSimConfig {
            listen: "127.0.0.1:0".parse().expect("addr"),
            database: psp_db.clone(),
            client_id: CLIENT.into(),
            client_secret: Secret::new(CLIENT_SECRET),
            product_instance_id: INSTANCE.into(),
            callback_url: format!("{psp_callback}/v1/psp"),
            notify_audience: AUDIENCE.into(),
            notify_secret: Secret::new(NOTIFY_SECRET),
            token_ttl: Duration::from_secs(1800),
            refund_delay: Duration::from_millis(500),
        })
        .await
        .expect("the PSP simulator");
        let keys = dir.join("keys");
        let ours = keys::ensure(&keys, "bbpou").expect("the server's signing key");
        let bbpcu_db = dir.join("bbpcu.sqlite3");
        let bbpcu = bbpcu_sim::start(BbpcuSimConfig {
            listen: "127.0.0.1:0".parse().expect("addr"),
            database: bbpcu_db.clone(),
            billers: Arc::new(bbps_sandbox::network::generator::catalogue(0)),
            timings: SandboxTimings {
                slow_delay: Duration::from_secs(3),
                pending_settle: Duration::from_millis(1500),
                complaint_step: Duration::from_secs(120),
                catalogue_change: Duration::from_secs(3600),
            },
            keys: dir.join("bbpcu-keys"),
            bbpou_certificate: ours.certificate,
            callback_url: bbpcu_callback.to_owned(),
            tls: None,
        })
        .await
        .expect("the BBPCU simulator");
        Simulators { psp, bbpcu, psp_db, bbpcu_db, keys }
    }

    /// Stops both; their books, to audit.
    pub async fn shutdown(self) -> Ledgers {
        self.psp.shutdown().await;
        self.bbpcu.shutdown().await;
        Ledgers { psp: self.psp_db, bbpcu: self.bbpcu_db }
    }
}

/// The SQLite files of the simulators' books.
pub struct Ledgers {
    psp: PathBuf,
    bbpcu: PathBuf,
}

/// One server process, restarted on the same ports and database after every kill.
pub struct Server {
    child: Option<Child>,
    /// Names its log, `<name>.log` in `dir`.
    name: &'static str,
    dir: PathBuf,
    /// `BBPS_DATABASE`: a SQLite file or a PostgreSQL URL.
    database: String,
    port: u16,
    /// Where it takes the BBPCU's responses.
    callback_port: u16,
    psp_url: String,
    bbpcu_url: String,
    bbpcu_certificate: PathBuf,
    keys: PathBuf,
    /// The settings of this audit's topology, over the common ones.
    extra_env: Vec<(&'static str, String)>,
    pub kills: u32,
}

impl Server {
    /// The server `name` on `database`, listening on `port` and taking the BBPCU's responses on `callback_port`,
    /// with the settings of the audit's topology (`env`) over the common ones.
    pub fn new(
        name: &'static str,
        dir: &Path,
        database: &str,
        (port, callback_port): (u16, u16),
        env: &[(&'static str, &str)],
        sims: &Simulators,
    ) -> Server {
        Server {
            child: None,
            name,
            dir: dir.to_owned(),
            database: database.to_owned(),
            port,
            callback_port,
            psp_url: sims.psp.base_url(),
            bbpcu_url: sims.bbpcu.base_url(),
            bbpcu_certificate: sims.bbpcu.keys.certificate.clone(),
            keys: sims.keys.clone(),
            extra_env: env.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
            kills: 0,
        }
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn log(&self) -> PathBuf {
        self.dir.join(format!("{}.log", self.name))
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_bbps-server"));
        cmd.env("BBPS_DATABASE", &self.database)
            .env("BBPS_LISTEN", format!("127.0.0.1:{}", self.port))
            .env("BBPS_PSP_URL", &self.psp_url)
            .env("BBPS_PSP_CLIENT_ID", CLIENT)
            .env("BBPS_PSP_CLIENT_SECRET", CLIENT_SECRET)
            .env("BBPS_PSP_PRODUCT_INSTANCE_ID", INSTANCE)
            .env("BBPS_PSP_NOTIFY_AUDIENCE", AUDIENCE)
            .env("BBPS_PSP_NOTIFY_SECRET", NOTIFY_SECRET)
            .env("BBPS_BBPCU_URL", &self.bbpcu_url)
            .env("BBPS_BBPCU_CERTIFICATE", &self.bbpcu_certificate)
            .env("BBPS_BBPCU_SIGNING_KEY", self.keys.join("bbpou.pem"))
            .env("BBPS_BBPCU_SIGNING_CERTIFICATE", self.keys.join("bbpou.crt"))
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
        cmd.envs(self.extra_env.iter().map(|(k, v)| (k, v)));
        cmd
    }

    pub fn start(&mut self) {
        let log = File::options().create(true).append(true).open(self.log()).expect("log file");
        let err = log.try_clone().expect("log file");
        let child = self.command().stdout(Stdio::from(log)).stderr(Stdio::from(err)).spawn().expect("start the server");
        self.child = Some(child);
    }

    /// SIGKILL: no shutdown, no flush beyond what the database already committed.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
            self.kills += 1;
        }
    }

    /// Whether its process is still there (it never exited on its own since it was started).
    pub fn is_running(&mut self) -> bool {
        self.child.as_mut().is_some_and(|c| c.try_wait().is_ok_and(|status| status.is_none()))
    }

    /// Starts it and waits until it answers its health check; a start that ends on its own fails the audit, with
    /// the last line the server wrote.
    pub async fn start_ready(&mut self, http: &reqwest::Client) {
        self.start();
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                let log = std::fs::read_to_string(self.log()).unwrap_or_default();
                let last = log.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or_default();
                panic!("{} exited on its own ({status}): {last}\nsee {}", self.name, self.log().display());
            }
            let ok = http.get(format!("{}/healthz", self.base())).send().await.is_ok_and(|r| r.status().is_success());
            if ok {
                return;
            }
            assert!(start.elapsed() < Duration::from_secs(30), "{} did not come up within 30 s", self.name);
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

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

/// A merchant made with the operator's CLI against `database`, as an operator would; its publishable key.
pub fn create_merchant(database: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_bbps-server"))
        .args(["merchant", "create", "--name", "Audit Shop", "--origin", "https://audit.example"])
        .env("BBPS_DATABASE", database)
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

/// The chaos: kills `server` at random moments, restarting it at once, until [`CHAOS`] is over; then leaves it
/// running, or killed for good when `kill_at_end`.
pub fn chaos(server: Arc<Mutex<Server>>, http: reqwest::Client, kill_at_end: bool) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let start = Instant::now();
        while start.elapsed() < CHAOS {
            tokio::time::sleep(Duration::from_millis(rand::random_range(150..1200))).await;
            let mut s = server.lock().await;
            s.kill();
            s.start_ready(&http).await;
        }
        if kill_at_end {
            server.lock().await.kill();
        }
    })
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

/// The payers: every bill outcome with every way of paying, arriving spread over the chaos so that kills land in
/// every step of every kind of payment, through the API at `base`. Returns once every payer is done, with how
/// many debits they made.
pub async fn pay_everyone(http: &reqwest::Client, base: &str, pk: &str, sims: &Simulators) -> u32 {
    let payer = Arc::new(Payer::new(
        PayerConfig {
            psp_root: format!("http://{}", sims.psp.addr),
            client_id: CLIENT.into(),
            client_secret: Secret::new(CLIENT_SECRET),
            product_instance_id: INSTANCE.into(),
        },
        http.clone(),
    ));
    let paid_debits = Arc::new(AtomicU32::new(0));
    let mut tasks = Vec::new();
    let everyone = (0..ROUNDS).flat_map(|_| ACCOUNTS.iter().flat_map(|a| PAYERS.iter().map(move |p| (*a, *p))));
    let gap = CHAOS.mul_f64(0.8) / PAYMENTS as u32;
    for (i, (account, how)) in everyone.enumerate() {
        let client = Client { http: http.clone(), base: base.to_owned() };
        let (pk, payer, paid_debits) = (pk.to_owned(), payer.clone(), paid_debits.clone());
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
    paid_debits.load(Ordering::SeqCst)
}

/// One refund in the server's books.
pub struct OurRefund {
    pub payment_id: Option<String>,
    pub debit_id: String,
    pub amount: u64,
    pub stage: String,
}

/// The server's books: every payment and every refund, however the server keeps them.
pub struct OurBooks {
    pub payments: Vec<PaymentRecord>,
    pub refunds: Vec<OurRefund>,
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
    let refunds = books
        .refunds
        .iter()
        .filter(|r| r.stage != "refunded")
        .map(|r| format!("refund of {} ({:?}) {}", r.debit_id, r.payment_id, r.stage));
    payments.chain(refunds).collect()
}

/// Reads the server's books with `read` until every payment and refund has settled, within `limit`; how long
/// that took.
pub async fn settle<F: Future<Output = OurBooks>>(
    mut read: impl FnMut() -> F,
    limit: Duration,
    dir: &Path,
) -> Duration {
    let started = Instant::now();
    loop {
        let left = unsettled(&read().await);
        if left.is_empty() {
            return started.elapsed();
        }
        assert!(started.elapsed() < limit, "not settled within {limit:?} ({}): {left:#?}", dir.display());
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// `ref_id -> (status, amount with fee, pay requests)` of the BBPCU simulator's ledger. A pending payment or one
/// whose status lags is paid once its settling time has passed, as the ledger itself reads it.
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

/// What the audit found, once every assertion held.
pub struct Audit {
    pub payments: usize,
    pub statuses: HashMap<String, u32>,
    pub debits: usize,
    /// Paise.
    pub debited: u64,
    pub to_bills: u64,
    pub refunded: u64,
}

impl std::fmt::Display for Audit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut statuses: Vec<_> = self.statuses.iter().collect();
        statuses.sort();
        write!(
            f,
            "{} payments {statuses:?}; {} debits ₹{} = bills ₹{} + refunds ₹{}",
            self.payments,
            self.debits,
            self.debited as f64 / 100.0,
            self.to_bills as f64 / 100.0,
            self.refunded as f64 / 100.0,
        )
    }
}

/// The three sets of books side by side, once everything settled and the simulators stopped: every
/// debit the payers made (`paid_debits`) is used for exactly one bill or refunded in full, no bill is paid twice,
/// and our books agree with the network's and the PSP's.
pub fn audit(ledgers: &Ledgers, ours: &OurBooks, paid_debits: u32) -> Audit {
    let psp = audit::read(&ledgers.psp).expect("the PSP's books");
    let network = network_books(&ledgers.bbpcu);
    let reference_of: HashMap<&str, &str> = psp.links.iter().map(|(id, r)| (id.as_str(), r.as_str())).collect();
    let by_reference: HashMap<&str, &PaymentRecord> =
        ours.payments.iter().map(|p| (p.upi_txn_ref.as_str(), p)).collect();
    let our_refund_of: HashMap<&str, &OurRefund> = ours.refunds.iter().map(|r| (r.debit_id.as_str(), r)).collect();
    assert_eq!(ours.payments.len(), PAYMENTS, "one payment per payer, whatever the retries");
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
        let our_id = d.transaction_id.as_str();
        let uses_for_bill = payment.status == PaymentStatus::Completed
            && payment.debit.as_ref().is_some_and(|x| x.psp_txn_id == our_id);
        match (uses_for_bill, psp_refunded) {
            (true, 0) => {
                let (status, amount, _) =
                    network.get(payment.ref_id.as_str()).expect("the bill is in the network's books");
                assert_eq!(status, "success", "{}", payment.id);
                assert_eq!(*amount, d.amount, "the bill paid is the debit: {}", payment.id);
                assert!(paid_refs.insert(payment.ref_id.as_str().to_owned()), "one debit per bill: {}", payment.id);
                assert!(!our_refund_of.contains_key(our_id), "a debit used for a bill has no refund of ours");
                to_bills += d.amount;
            }
            (false, amount) if amount == d.amount => {
                let ours = our_refund_of.get(our_id).unwrap_or_else(|| panic!("our books know refund of {our_id}"));
                assert_eq!((ours.amount, ours.stage.as_str()), (d.amount, "refunded"), "{our_id}");
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
    assert_eq!(psp.debits.len() as u32, paid_debits, "every debit the payers made is in the books");

    let statuses = ours.payments.iter().fold(HashMap::<String, u32>::new(), |mut m, p| {
        *m.entry(p.status.as_str().to_owned()).or_default() += 1;
        m
    });
    Audit { payments: ours.payments.len(), statuses, debits: psp.debits.len(), debited, to_bills, refunded }
}
