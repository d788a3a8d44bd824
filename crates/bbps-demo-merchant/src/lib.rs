//! The demo merchant's site: a small shop whose pages embed the widget from the widget's origin, on an origin of
//! its own. It behaves as docs/integration.md tells a merchant to, and it knows the product only as a merchant
//! does: over HTTP with its keys. At start it registers its origin and its webhook endpoint with the merchant API
//! (`PUT /v1/merchant/integration`), its pages load the loader by script tag or `BBPS.mount`, its server checks a
//! payment with the secret key, and its webhook receiver verifies signatures. See docs/demo-site.md.

mod assets;
mod pages;
mod registration;
mod verify;
mod webhooks;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Router, middleware};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower_http::trace::TraceLayer;

use webhooks::WebhookLog;

/// How the site runs: where it listens, where the API is, and the merchant's credentials.
#[derive(Clone)]
pub struct DemoConfig {
    pub listen: SocketAddr,
    /// Where this site's server reaches the API (`http://127.0.0.1:8787`).
    pub api_base: String,
    /// Where browsers load the loader and the widget from (the API's public origin).
    pub widget_origin: String,
    pub publishable_key: String,
    pub secret_key: String,
    pub webhook_secret: String,
    /// How long start-up waits for the API to answer before giving up.
    pub api_wait: Duration,
}

impl DemoConfig {
    /// The sandbox demo merchant (documented keys) against an API at `api_base`, on `listen`.
    pub fn sandbox(listen: SocketAddr, api_base: &str) -> DemoConfig {
        use bbps_core::sandbox::{DEMO_PUBLISHABLE_KEY, DEMO_SECRET_KEY, DEMO_WEBHOOK_SECRET};
        DemoConfig {
            listen,
            api_base: api_base.trim_end_matches('/').to_owned(),
            widget_origin: api_base.trim_end_matches('/').to_owned(),
            publishable_key: DEMO_PUBLISHABLE_KEY.to_owned(),
            secret_key: DEMO_SECRET_KEY.to_owned(),
            webhook_secret: DEMO_WEBHOOK_SECRET.to_owned(),
            api_wait: Duration::from_secs(60),
        }
    }
}

impl std::fmt::Debug for DemoConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoConfig")
            .field("listen", &self.listen)
            .field("api_base", &self.api_base)
            .field("widget_origin", &self.widget_origin)
            .field("publishable_key", &self.publishable_key)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("cannot register with the API at {api}: {reason}")]
    Register { api: String, reason: String },
}

/// What the site's handlers share.
pub struct DemoSite {
    config: DemoConfig,
    /// This site's own origin, for the pages' text.
    origin: String,
    http: reqwest::Client,
    webhooks: WebhookLog,
    /// The sandbox's test-account scheme, read from the API at start (`None` when it has none, as in live).
    test_accounts: Option<Vec<registration::TestOutcome>>,
    policy: HeaderValue,
}

/// The merchant pages' policy: their own scripts and styles, plus the loader from the widget origin and the
/// widget's iframe. The loader sizes the iframe through the CSSOM, which `style-src` does not govern.
fn page_policy(widget_origin: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' {widget_origin}; frame-src {widget_origin}; style-src 'self'; \
         img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'; \
         frame-ancestors 'none'"
    )
}

async fn security_headers(State(site): State<Arc<DemoSite>>, mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, site.policy.clone());
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // The widget checks its parent by `document.referrer` where `ancestorOrigins` is missing (Firefox), so the
    // embedding page must send at least its origin; `no-referrer` would break that check.
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

fn router(site: Arc<DemoSite>) -> Router {
    Router::new()
        .route("/", get(pages::index))
        .route("/script-tag", get(pages::script_tag))
        .route("/mount", get(pages::mount))
        .route("/demo/{file}", get(assets::asset))
        .route("/api/payments/{payment_id}", get(verify::payment))
        .route("/api/webhooks", get(webhooks::list))
        .route("/webhooks/bbps", post(webhooks::receive))
        .fallback(pages::not_found)
        .layer(middleware::map_response_with_state(site.clone(), security_headers))
        .layer(DefaultBodyLimit::max(64 * 1024))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            tracing::info_span!("demo_site", method = %request.method(), path = %request.uri().path())
        }))
        .with_state(site)
}

/// A started site: its address, and the handle to stop it.
pub struct RunningSite {
    pub addr: SocketAddr,
    stop: watch::Sender<bool>,
    server: JoinHandle<()>,
}

impl RunningSite {
    /// `http://<address>`, the origin the site calls itself by.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.server.await;
    }

    /// Resolves when the server task ends.
    pub async fn wait(&mut self) {
        let _ = (&mut self.server).await;
    }
}

/// Binds, registers the site with the API (waiting for it to answer), and serves.
pub async fn start(config: DemoConfig) -> Result<RunningSite, DemoError> {
    let listener =
        TcpListener::bind(config.listen).await.map_err(|source| DemoError::Bind { addr: config.listen, source })?;
    let bound = listener.local_addr().map_err(|source| DemoError::Bind { addr: config.listen, source })?;
    let addr = if bound.ip().is_unspecified() { SocketAddr::from(([127, 0, 0, 1], bound.port())) } else { bound };
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .build()
        .map_err(|e| DemoError::Register { api: config.api_base.clone(), reason: e.to_string() })?;
    let origin = format!("http://{addr}");
    registration::register(&http, &config, addr).await?;
    let test_accounts = registration::test_accounts(&http, &config.api_base).await;
    let policy = page_policy(&config.widget_origin);
    let site = Arc::new(DemoSite {
        policy: HeaderValue::from_str(&policy).unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'")),
        origin,
        http,
        webhooks: WebhookLog::default(),
        test_accounts,
        config,
    });
    let (stop, mut stopped) = watch::channel(false);
    let app = router(site);
    let server = tokio::spawn(async move {
        let graceful = async move {
            let _ = stopped.wait_for(|stopping| *stopping).await;
        };
        if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(graceful).await {
            tracing::error!(%e, "the demo merchant site stopped with an error");
        }
    });
    tracing::info!(%addr, "demo merchant site listening");
    Ok(RunningSite { addr, stop, server })
}
