//! The demo merchant site (sandbox mode only): a small shop whose pages embed the widget from the widget's
//! origin, served by this process on a second listener so that page and widget really are on different origins.
//! It behaves as docs/integration.md tells a merchant to: the loader by script tag or `BBPS.mount`, a server-side
//! check of a payment with the secret key, and a webhook receiver that verifies signatures. It reaches the API only
//! over HTTP with the demo merchant's documented keys, like any merchant's server would. See docs/demo-site.md.

mod assets;
mod pages;
mod verify;
mod webhooks;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Router, middleware};
use bbps_core::MerchantId;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower_http::trace::TraceLayer;

use crate::auth::keys;
use crate::config::loopback_if_unspecified;
use crate::store::{Store, StoreResult};
use webhooks::WebhookLog;

/// The demo site's bound socket, known before the server starts so the demo merchant can allow its origin.
pub struct DemoListener {
    listener: TcpListener,
    addr: SocketAddr,
}

impl DemoListener {
    pub async fn bind(addr: SocketAddr) -> std::io::Result<DemoListener> {
        let listener = TcpListener::bind(addr).await?;
        let addr = loopback_if_unspecified(listener.local_addr()?);
        Ok(DemoListener { listener, addr })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<address>`, the origin the site calls itself by.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every origin a browser on this machine reaches the site at: the address, and `localhost` for loopback.
    pub fn origins(&self) -> Vec<String> {
        let mut origins = vec![self.origin()];
        if self.addr.ip().is_loopback() {
            origins.push(format!("http://localhost:{}", self.addr.port()));
        }
        origins
    }

    pub fn webhook_url(&self) -> String {
        format!("{}/webhooks/bbps", self.origin())
    }
}

/// Points the sandbox demo merchant at the demo site: its allowed origins become the documented ones plus the
/// site's, and its webhook URL the site's receiver (none when the site is off). Done at every start, so ephemeral
/// ports work and the origins of earlier runs do not pile up.
pub async fn configure_demo_merchant(store: &dyn Store, site: Option<&DemoListener>) -> StoreResult<()> {
    let Ok(id) = MerchantId::parse(keys::DEMO_MERCHANT_ID) else { return Ok(()) };
    let mut origins: Vec<String> = keys::DEMO_ORIGINS.iter().map(|o| (*o).to_owned()).collect();
    for origin in site.map(DemoListener::origins).unwrap_or_default() {
        if !origins.contains(&origin) {
            origins.push(origin);
        }
    }
    let webhook_url = site.map(DemoListener::webhook_url);
    store.update_merchant_integration(&id, &origins, webhook_url.as_deref()).await?;
    Ok(())
}

/// What the site's handlers share.
pub struct DemoSite {
    /// Where the loader and the widget come from (the API's public origin).
    widget_origin: String,
    /// This site's own origin, for the pages' text.
    origin: String,
    /// Where this site's server reaches the API (loopback).
    api_base: String,
    http: reqwest::Client,
    webhooks: WebhookLog,
    policy: HeaderValue,
}

impl DemoSite {
    pub fn new(widget_origin: String, api_base: String, http: reqwest::Client, listener: &DemoListener) -> DemoSite {
        let policy = page_policy(&widget_origin);
        DemoSite {
            widget_origin,
            origin: listener.origin(),
            api_base,
            http,
            webhooks: WebhookLog::default(),
            policy: HeaderValue::from_str(&policy).unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'")),
        }
    }
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

/// Serves the site until `stop` turns true.
pub fn serve(listener: DemoListener, site: DemoSite, mut stop: watch::Receiver<bool>) -> JoinHandle<()> {
    let app = router(Arc::new(site));
    tokio::spawn(async move {
        let graceful = async move {
            let _ = stop.wait_for(|stopping| *stopping).await;
        };
        if let Err(e) = axum::serve(listener.listener, app).with_graceful_shutdown(graceful).await {
            tracing::error!(%e, "the demo merchant site stopped with an error");
        }
    })
}
