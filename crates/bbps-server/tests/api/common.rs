//! The test harness: a real server on 127.0.0.1:0 with its own SQLite file in a temp dir, a reqwest client, and
//! helpers that wait for conditions with a deadline (never a fixed sleep).

use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

use bbps_server::config::{Config, RateLimit};
use bbps_server::{RunningServer, start};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tempfile::TempDir;

pub use bbps_core::sandbox::{DEMO_PUBLISHABLE_KEY as DEMO_PK, DEMO_SECRET_KEY as DEMO_SK};
/// Generous, because two busy cores run every test at once.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// Sandbox billers of the curated catalogue the tests use (ids are deterministic).
pub const MSEDCL: &str = "MAHAR0000MAH02"; // Electricity, MANDATORY, exact and above, no fee

pub fn test_config(dir: &TempDir) -> Config {
    let mut c = Config::default();
    c.listen = "127.0.0.1:0".parse().unwrap_or(c.listen);
    c.database = dir.path().join("bbps.sqlite3");
    c.widget_dist = dir.path().join("dist");
    c.worker_tick = Duration::from_millis(100);
    c.bill_status_poll = Duration::from_millis(150);
    c.fetch_timeout = Duration::from_millis(1500);
    c.sandbox.slow_delay = Duration::from_secs(6);
    c.sandbox.pending_settle = Duration::from_millis(800);
    c.sandbox.complaint_step = Duration::from_millis(400);
    c.webhook.backoff_base = Duration::from_millis(100);
    c.webhook.max_delay = Duration::from_millis(400);
    c.webhook.timeout = Duration::from_secs(5);
    c.ip_rate_limit = RateLimit { per_minute: 100_000, burst: 10_000 };
    c.session_rate_limit = RateLimit { per_minute: 100_000, burst: 10_000 };
    c.shutdown_grace = Duration::from_secs(5);
    c.psp_sim_refund_delay = Duration::from_millis(300);
    c
}

pub struct TestServer {
    pub server: Option<RunningServer>,
    pub base: String,
    /// The demo merchant's site, when the test started it.
    pub demo: Option<bbps_demo_merchant::RunningSite>,
    pub http: reqwest::Client,
    pub dir: TempDir,
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(60)).build().expect("reqwest client")
}

pub async fn start_server(tweak: impl FnOnce(&mut Config)) -> TestServer {
    let dir = tempfile::tempdir().expect("temp dir");
    start_in(dir, tweak).await
}

/// A second server on `first`'s database (and its simulators' ledgers), as another instance or worker would run;
/// its own directory lives as long as the returned guard.
pub async fn start_beside(first: &TestServer, tweak: impl FnOnce(&mut Config)) -> (TempDir, RunningServer) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = test_config(&dir);
    config.database = first.db();
    tweak(&mut config);
    let server = start(config).await.expect("the second server starts");
    (dir, server)
}

pub async fn start_in(dir: TempDir, tweak: impl FnOnce(&mut Config)) -> TestServer {
    let mut config = test_config(&dir);
    tweak(&mut config);
    let server = start(config).await.expect("server starts");
    TestServer { base: server.base_url(), server: Some(server), demo: None, http: client(), dir }
}

impl TestServer {
    pub fn db(&self) -> PathBuf {
        self.dir.path().join("bbps.sqlite3")
    }

    pub fn state(&self) -> &bbps_server::AppState {
        &self.server.as_ref().expect("running").state
    }

    pub async fn stop(&mut self) {
        if let Some(s) = self.server.take() {
            s.shutdown().await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A URL on the demo merchant's site (the test must have started it).
    pub fn demo_url(&self, path: &str) -> String {
        format!("{}{}", self.demo.as_ref().expect("the demo site runs").origin(), path)
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> (StatusCode, Value) {
        let resp = req.send().await.expect("request sent");
        let status = resp.status();
        let text = resp.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.send(self.http.get(self.url(path)).bearer_auth(token)).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.send(self.http.post(self.url(path)).bearer_auth(token).json(&body)).await
    }

    pub async fn session_for(&self, pk: &str) -> String {
        let (status, body) =
            self.send(self.http.post(self.url("/v1/sessions")).json(&json!({ "publishable_key": pk }))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["token"].as_str().expect("token").to_owned()
    }

    /// A session opened from a browser page of `origin` (live mode refuses sessions without an Origin).
    pub async fn session_from(&self, pk: &str, origin: &str) -> String {
        let request =
            self.http.post(self.url("/v1/sessions")).header("origin", origin).json(&json!({ "publishable_key": pk }));
        let (status, body) = self.send(request).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["token"].as_str().expect("token").to_owned()
    }

    pub async fn session(&self) -> String {
        self.session_for(DEMO_PK).await
    }

    /// The newest one-time code the sandbox SMS outbox holds for `mobile`.
    pub async fn sms_code(&self, mobile: &str) -> String {
        let (status, outbox) = self.send(self.http.get(self.url(&format!("/sandbox/sms/messages?to={mobile}")))).await;
        assert_eq!(status, StatusCode::OK, "{outbox}");
        outbox["messages"][0]["code"].as_str().expect("a code was sent").to_owned()
    }

    /// Proves `mobile` for the session `token` as a customer does: a code by SMS, typed back.
    pub async fn tracking_token(&self, token: &str, mobile: &str) -> String {
        let (status, sent) = self.post("/v1/transactions/otp", token, json!({ "mobile": mobile })).await;
        assert_eq!(status, StatusCode::CREATED, "{sent}");
        let code = self.sms_code(mobile).await;
        let (status, access) = self
            .post("/v1/transactions/otp/verify", token, json!({ "challenge_id": sent["challenge_id"], "code": code }))
            .await;
        assert_eq!(status, StatusCode::OK, "{access}");
        access["tracking_token"].as_str().expect("tracking token").to_owned()
    }

    /// `GET` with the session `token` and a tracking token.
    pub async fn get_tracked(&self, path: &str, token: &str, tracking: &str) -> (StatusCode, Value) {
        self.send(self.http.get(self.url(path)).bearer_auth(token).header("bbps-tracking-token", tracking)).await
    }

    pub async fn fetch(&self, token: &str, biller: &str, params: Value) -> (StatusCode, Value) {
        // The BBPS fetch request carries the customer's mobile number (`Customer@mobile`).
        let body = json!({ "biller_id": biller, "params": params, "channel": "INT", "customer_mobile": "9876543210" });
        self.post("/v1/bills/fetch", token, body).await
    }

    pub async fn fetch_ok(&self, token: &str, biller: &str, params: Value) -> Value {
        let (status, quote) = self.fetch(token, biller, params).await;
        assert_eq!(status, StatusCode::CREATED, "{quote}");
        quote
    }

    pub async fn pay_with_key(&self, token: &str, key: &str, body: Value) -> (StatusCode, Value) {
        self.send(
            self.http.post(self.url("/v1/payments")).bearer_auth(token).header("idempotency-key", key).json(&body),
        )
        .await
    }

    /// Creates a payment for a fetched quote at its bill amount.
    pub async fn pay_quote(&self, token: &str, quote: &Value) -> Value {
        let body = json!({
            "source": { "kind": "quote", "quote_id": quote["id"] },
            "amount": quote["bill"]["amount"],
            "customer_mobile": "9876543210",
            "channel": "INT",
        });
        let (status, payment) = self.pay_with_key(token, &new_key(), body).await;
        assert_eq!(status, StatusCode::CREATED, "{payment}");
        payment
    }

    /// Fetches the bill of `account` and creates its payment.
    pub async fn bill_payment(&self, token: &str, account: &str) -> Value {
        let quote = self.fetch_ok(token, MSEDCL, json!({ "Consumer Number": account })).await;
        self.pay_quote(token, &quote).await
    }

    /// Acts as the payer in the sandbox UPI app.
    pub async fn upi(&self, link: &Value, action: &str) -> Value {
        let (status, body) = self
            .send(self.http.post(self.url("/sandbox/upi/pay")).json(&json!({ "link": link, "action": action })))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    pub async fn payment(&self, token: &str, id: &Value) -> Value {
        let (status, p) = self.get(&format!("/v1/payments/{}", id.as_str().unwrap_or("")), token).await;
        assert_eq!(status, StatusCode::OK, "{p}");
        p
    }

    /// A payment this session did not create, read with its client secret (from the creation's answer).
    pub async fn payment_by_secret(&self, token: &str, created: &Value) -> Value {
        let req = self
            .http
            .get(self.url(&format!("/v1/payments/{}", created["id"].as_str().unwrap_or(""))))
            .bearer_auth(token)
            .header("BBPS-Client-Secret", created["client_secret"].as_str().unwrap_or(""));
        let (status, p) = self.send(req).await;
        assert_eq!(status, StatusCode::OK, "{p}");
        p
    }

    /// Polls the payment until it has `status` (panics with the last state after the deadline).
    pub async fn wait_status(&self, token: &str, id: &Value, status: &str) -> Value {
        self.wait_for(status, || self.payment(token, id)).await
    }

    /// As [`TestServer::wait_status`], from another session with the payment's client secret.
    pub async fn wait_status_by_secret(&self, token: &str, created: &Value, status: &str) -> Value {
        self.wait_for(status, || self.payment_by_secret(token, created)).await
    }

    async fn wait_for<F: Future<Output = Value>>(&self, status: &str, read: impl Fn() -> F) -> Value {
        let start = tokio::time::Instant::now();
        loop {
            let p = read().await;
            if p["status"] == status {
                return p;
            }
            assert!(start.elapsed() < DEADLINE, "payment never reached {status}; last: {p}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// Starts a server and the demo merchant's site beside it, on ephemeral ports.
pub async fn start_with_demo() -> TestServer {
    let mut s = start_server(|_| {}).await;
    s.demo = Some(start_demo_site(&s).await);
    s
}

/// Starts (another) demo merchant site against the test server, as its own program would.
pub async fn start_demo_site(s: &TestServer) -> bbps_demo_merchant::RunningSite {
    let listen = "127.0.0.1:0".parse().expect("address");
    bbps_demo_merchant::start(bbps_demo_merchant::DemoConfig::sandbox(listen, &s.base)).await.expect("demo site starts")
}

/// A header's value as text ("" when absent).
pub fn header(resp: &reqwest::Response, name: &str) -> String {
    resp.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned()
}

pub fn new_key() -> String {
    format!("test-{}", bbps_server::util::random_token(20))
}

/// Polls `f` until it returns `Some`, up to [`DEADLINE`].
pub async fn eventually<T, F, Fut>(mut f: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let start = tokio::time::Instant::now();
    loop {
        if let Some(v) = f().await {
            return Some(v);
        }
        if start.elapsed() > DEADLINE {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Rows of a query on the test database (for checks no API exposes, e.g. the transition history).
pub fn count(db: &std::path::Path, sql: &str, params: &[&str]) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("open db");
    conn.query_row(sql, rusqlite::params_from_iter(params.iter()), |r| r.get(0)).expect("query")
}

/// The id of the curated biller called `name`.
pub fn biller_id(server: &TestServer, name: &str) -> String {
    server
        .state()
        .engine
        .catalogue()
        .billers()
        .iter()
        .find(|b| b.name == name)
        .map(|b| b.id.to_string())
        .unwrap_or_else(|| panic!("no biller {name}"))
}
