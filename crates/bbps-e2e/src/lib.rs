//! The harness for end-to-end tests and benchmarks: the real backend on loopback (its own SQLite file, the sandbox
//! network and PSP, serving the release build of the widget), a ChromeDriver process, and a headless Chromium
//! session driven over WebDriver.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

pub mod axe;
pub mod bench;
pub mod flows;
pub mod payload;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use tokio::process::{Child, Command};

pub use bbps_server::Config;

pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type Result<T> = std::result::Result<T, Error>;

/// How long a step may take before the test fails. Generous: two busy cores and a cold Chromium are slow, and a
/// wait returns as soon as its condition holds.
pub const STEP_TIMEOUT: Duration = Duration::from_secs(30);

/// The workspace root (two levels above this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).map(Path::to_path_buf).unwrap_or_default()
}

/// The release build of the widget: `BBPS_WIDGET_DIST`, or `dist/` at the workspace root.
pub fn widget_dist() -> Result<PathBuf> {
    let dist = std::env::var_os("BBPS_WIDGET_DIST").map(PathBuf::from).unwrap_or_else(|| workspace_root().join("dist"));
    if dist.join("index.html").is_file() {
        Ok(dist)
    } else {
        Err(format!("no widget build at {}: run `trunk build --release` (cargo xtask test does)", dist.display())
            .into())
    }
}

/// A backend with its own database in a temporary directory.
pub struct Backend {
    pub server: bbps_server::RunningServer,
    pub base_url: String,
    _dir: tempfile::TempDir,
}

impl Backend {
    /// Starts the backend on a free loopback port; `tune` adjusts the configuration (short timers for tests).
    pub async fn start(tune: impl FnOnce(&mut Config)) -> Result<Backend> {
        let dir = tempfile::tempdir()?;
        let mut config = Config {
            listen: "127.0.0.1:0".parse()?,
            database: dir.path().join("bbps.sqlite3"),
            widget_dist: widget_dist()?,
            ..Config::default()
        };
        tune(&mut config);
        let server = bbps_server::start(config).await.map_err(|e| format!("starting the backend: {e}"))?;
        let base_url = server.base_url();
        Ok(Backend { server, base_url, _dir: dir })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}

/// A ChromeDriver process and one headless Chromium session.
pub struct Browser {
    pub client: Client,
    driver: Child,
    /// ChromeDriver's address, for its Chrome DevTools Protocol endpoint.
    driver_url: String,
    shots: PathBuf,
    shot_count: u32,
}

const CHROME_ARGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-extensions",
    "--window-size=1280,900",
];

/// A loopback port nobody listens on right now.
pub fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// What the browser pretends to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Device {
    /// A 1280 × 900 desktop window.
    Desktop,
    /// An Android phone with a touch screen this many CSS pixels wide.
    Phone { width: u32 },
}

impl Browser {
    /// Starts ChromeDriver and a session. Screenshots go to `target/e2e-screenshots/<name>/`.
    pub async fn start(name: &str, device: Device) -> Result<Browser> {
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".to_owned());
        let chromium = std::env::var("BBPS_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
        let port = free_port()?;
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("starting {chromedriver}: {e}"))?;
        let profile = tempfile::tempdir()?.keep();
        let mut args: Vec<String> = CHROME_ARGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let mut options = json!({ "binary": chromium, "args": args });
        if let Device::Phone { width } = device {
            options["mobileEmulation"] = json!({ "deviceMetrics": { "width": width, "height": 844, "pixelRatio": 3.0, "touch": true },
                "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/148.0 Mobile Safari/537.36" });
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".to_owned(), options);
        caps.insert("goog:loggingPrefs".to_owned(), json!({ "browser": "ALL" }));
        let deadline = Instant::now() + STEP_TIMEOUT;
        let driver_url = format!("http://127.0.0.1:{port}");
        let client = loop {
            // ChromeDriver is plain HTTP on loopback: no TLS stack needed.
            let mut builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
            match builder.capabilities(caps.clone()).connect(&driver_url).await {
                Ok(c) => break c,
                Err(e) if Instant::now() > deadline => return Err(format!("connecting to ChromeDriver: {e}").into()),
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        };
        let shots = workspace_root().join("target/e2e-screenshots").join(name);
        let _ = std::fs::remove_dir_all(&shots);
        std::fs::create_dir_all(&shots)?;
        Ok(Browser { client, driver, driver_url, shots, shot_count: 0 })
    }

    /// Sends a Chrome DevTools Protocol command to the page (through ChromeDriver), e.g. to emulate a slow network.
    pub async fn cdp(&self, command: &str, params: serde_json::Value) -> Result<serde_json::Value> {
        let session = self.client.session_id().await?.ok_or("no WebDriver session")?;
        let url = format!("{}/session/{session}/goog/cdp/execute", self.driver_url);
        let answer: serde_json::Value = reqwest::Client::new()
            .post(url)
            .json(&json!({ "cmd": command, "params": params }))
            .send()
            .await?
            .json()
            .await?;
        match answer.get("value") {
            Some(v) if v.get("error").is_none() => Ok(v.clone()),
            _ => Err(format!("{command}: {answer}").into()),
        }
    }

    pub async fn goto(&self, url: &str) -> Result<()> {
        self.client.goto(url).await?;
        Ok(())
    }

    /// Saves a numbered screenshot of the current page.
    pub async fn screenshot(&mut self, step: &str) -> Result<()> {
        self.shot_count += 1;
        let png = self.client.screenshot().await?;
        std::fs::write(self.shots.join(format!("{:02}-{step}.png", self.shot_count)), png)?;
        Ok(())
    }

    /// Waits for an element by CSS selector to be present and displayed.
    pub async fn find(&self, css: &str) -> Result<Element> {
        let found = eventually(&format!("a visible element {css}"), STEP_TIMEOUT, || async {
            let el = self.client.find(Locator::Css(css)).await.ok()?;
            el.is_displayed().await.unwrap_or(false).then_some(el)
        })
        .await;
        self.with_page_text(found).await
    }

    /// A failed wait says what the page showed, which is most of what debugging it needs.
    async fn with_page_text<T>(&self, waited: Result<T>) -> Result<T> {
        match waited {
            Ok(v) => Ok(v),
            Err(e) => Err(format!("{e}; the page says:\n{}", self.body_text().await.unwrap_or_default()).into()),
        }
    }

    /// The element's `data-testid` selector.
    pub async fn by_id(&self, test_id: &str) -> Result<Element> {
        self.find(&format!("[data-testid=\"{test_id}\"]")).await
    }

    /// Clicks the element once it takes the click: while a framed widget resizes its frame the element can move
    /// between finding and clicking, and another element is hit (`ElementClickIntercepted`); a person would
    /// click again once the page settled, so this does, for up to two seconds.
    pub async fn click(&self, test_id: &str) -> Result<()> {
        let mut tries = 20;
        loop {
            match self.by_id(test_id).await?.click().await {
                Ok(()) => return Ok(()),
                Err(fantoccini::error::CmdError::Standard(e))
                    if e.error == fantoccini::error::ErrorStatus::ElementClickIntercepted && tries > 0 =>
                {
                    tries -= 1;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Replaces a field's text the way a person does (select all, type), so the page sees input events;
    /// WebDriver's "clear" changes the value without any.
    pub async fn type_into(&self, test_id: &str, text: &str) -> Result<()> {
        use fantoccini::key::Key;
        let el = self.by_id(test_id).await?;
        el.send_keys(&format!("{}a{}{}", char::from(Key::Control), char::from(Key::Null), char::from(Key::Backspace)))
            .await?;
        el.send_keys(text).await?;
        Ok(())
    }

    /// Waits until the element's text contains `needle`, and returns the text.
    pub async fn wait_text(&self, test_id: &str, needle: &str, timeout: Duration) -> Result<String> {
        let css = format!("[data-testid=\"{test_id}\"]");
        let said = eventually(&format!("{css} to say {needle:?}"), timeout, || async {
            let text = self.client.find(Locator::Css(&css)).await.ok()?.text().await.ok()?;
            text.contains(needle).then_some(text)
        })
        .await;
        self.with_page_text(said).await
    }

    pub async fn text_of(&self, test_id: &str) -> Result<String> {
        Ok(self.by_id(test_id).await?.text().await?)
    }

    pub async fn body_text(&self) -> Result<String> {
        Ok(self.client.find(Locator::Css("body")).await?.text().await?)
    }

    pub async fn close(mut self) -> Result<()> {
        self.client.clone().close().await?;
        let _ = self.driver.kill().await;
        Ok(())
    }
}

/// Polls `check` until it yields a value, or fails after `timeout` with `what`.
pub async fn eventually<T, F, Fut>(what: &str, timeout: Duration, mut check: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(v) = check().await {
            return Ok(v);
        }
        if Instant::now() > deadline {
            return Err(format!("timed out after {timeout:?} waiting for {what}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
