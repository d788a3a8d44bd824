//! Hosting of the built widget (trunk's `dist/`) at `/widget/`. The page answers with a Content-Security-Policy
//! whose `frame-ancestors` lists the allowed origins of the merchant whose key opened it (`'none'` for an absent
//! or unknown key), so no other site can frame a merchant's widget, and a strict policy for the page itself. The
//! page is made per request with its first screen in it ([`super::widget_page`]) and is never stored (it carries
//! a session); hashed assets are cached for a year, unhashed files revalidated every time; each language's texts
//! are at `/widget/i18n/{tag}` ([`super::widget_strings`]).

use std::path::{Component, Path, PathBuf};

use axum::extract::{Path as AxumPath, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use bbps_core::{ApiError, ErrorCode};
use serde::Deserialize;
use utoipa::IntoParams;

use super::assets::accepted;
use super::widget_page::{self, Shell};
use super::widget_strings;
use crate::state::AppState;
use bbps_http::ApiQuery;
use bbps_http::{HttpError, api_error_response};

/// The widget page's own policy. Scripts only from this origin (trunk's start-up is the external `boot.js`),
/// plus `'wasm-unsafe-eval'` to compile the wasm. The merchant's appearance reaches the widget as a `style`
/// attribute of custom properties (`bbps_core::appearance::to_style`), which CSP counts as inline style: hashes
/// cannot cover values chosen per merchant at run time, so `style-src` keeps `'unsafe-inline'` (each value passes a
/// colour/length/font grammar first), while `style-src-elem` still refuses every `<style>` element but the page's
/// own style sheet, allowed by its hash ([`policy`]), and foreign style sheets, in browsers that know it. `data:`
/// and `blob:` images cover images made in the browser; the widget frames nothing and talks only to its own
/// origin.
pub const WIDGET_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
                                 style-src 'self' 'unsafe-inline'; style-src-elem 'self'; \
                                 img-src 'self' data: blob:; connect-src 'self'; frame-src 'none'; base-uri 'none'; \
                                 form-action 'self'; object-src 'none'";

/// The page's whole policy: [`WIDGET_POLICY`], the hash of its inline style sheet when it has one, and who may
/// frame it.
fn policy(style_hash: Option<&str>, frame_ancestors: &str) -> String {
    let base = match style_hash {
        Some(hash) => WIDGET_POLICY.replace("style-src-elem 'self'", &format!("style-src-elem 'self' {hash}")),
        None => WIDGET_POLICY.to_owned(),
    };
    format!("{base}; frame-ancestors {frame_ancestors}")
}

/// Browser features the widget never uses, denied to it and to anything it could load. `clipboard-write` is not
/// denied: the loader grants it to the frame (`allow="clipboard-write"`) for copying a reference.
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), camera=(), display-capture=(), \
                                      encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), hid=(), \
                                      magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(), \
                                      publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), \
                                      xr-spatial-tracking=()";

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WidgetQuery {
    /// The merchant's publishable key; its allowed origins may frame the page.
    #[param(max_length = 128)]
    pub key: Option<String>,
    /// `en`, `hi`, `bn`, `mr`, `te`, `ta`, `gu`, `kn`, `ml`, or `auto` (the browser's `Accept-Language`).
    #[param(max_length = 16)]
    pub locale: Option<String>,
    /// `light`, `dark` or `auto`.
    #[param(max_length = 16)]
    pub theme: Option<String>,
    #[param(max_length = 64)]
    pub category: Option<String>,
    #[param(max_length = 14)]
    pub biller: Option<String>,
    /// The embedding page's origin, passed on by the loader.
    #[param(max_length = 256)]
    pub parent: Option<String>,
    /// The loader's id for this widget, echoed in every message to the host page.
    #[param(max_length = 64)]
    pub wid: Option<String>,
    /// JSON: `{"theme": "dark", "variables": {"primaryColor": "#0b5cad", …}}` (docs/embedding-protocol.md).
    #[param(max_length = 2048)]
    pub appearance: Option<String>,
}

fn not_built(dist: &Path) -> Response {
    api_error_response(ApiError::new(
        ErrorCode::ServiceUnavailable,
        format!(
            "the widget is not built: {} has no index.html. Run `trunk build` in the workspace root (or point \
             BBPS_WIDGET_DIST at a built dist directory); the API works without it",
            dist.display()
        ),
    ))
}

fn security_headers(response: &mut Response) {
    let h = response.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    h.insert("cross-origin-resource-policy", HeaderValue::from_static("same-site"));
    h.insert("permissions-policy", HeaderValue::from_static(PERMISSIONS_POLICY));
}

/// A CSP source expression is `scheme://host[:port]`; anything else is left out of the policy.
fn is_source_expression(origin: &str) -> bool {
    let rest = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
    rest.is_some_and(|r| {
        !r.is_empty() && r.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
    })
}

/// `/widget` -> `/widget/`, keeping the query.
#[utoipa::path(get, path = "/widget", tag = "hosting", responses((status = 308, description = "Redirect to /widget/")))]
pub async fn widget_redirect(uri: axum::http::Uri) -> Redirect {
    match uri.query() {
        Some(q) => Redirect::permanent(&format!("/widget/?{q}")),
        None => Redirect::permanent("/widget/"),
    }
}

/// The widget page: its first screen already rendered, with the session, categories and texts it needs.
#[utoipa::path(
    get,
    path = "/widget/",
    tag = "hosting",
    params(WidgetQuery),
    responses(
        (status = 200, description = "The widget page, with its CSP", content_type = "text/html", body = String),
        (status = 400, description = "Malformed query", body = ApiError),
        (status = 503, description = "The widget is not built", body = ApiError),
    )
)]
pub async fn widget_index(
    State(app): State<AppState>,
    headers: axum::http::HeaderMap,
    ApiQuery(q): ApiQuery<WidgetQuery>,
) -> Response {
    let limits = [
        ("key", &q.key, 128),
        ("locale", &q.locale, 16),
        ("theme", &q.theme, 16),
        ("category", &q.category, 64),
        ("biller", &q.biller, 14),
        ("parent", &q.parent, 256),
        ("wid", &q.wid, 64),
        ("appearance", &q.appearance, 2048),
    ];
    if let Some((field, _, max)) =
        limits.iter().find(|(_, v, max)| v.as_ref().is_some_and(|v| v.chars().count() > *max))
    {
        return api_error_response(
            ApiError::new(ErrorCode::InvalidQuery, format!("{field} is longer than {max} characters"))
                .with_field(*field),
        );
    }
    let dist = app.config.widget_dist.clone();
    let Ok(html) = tokio::fs::read(dist.join("index.html")).await else { return not_built(&dist) };
    let merchant = match q.key.as_deref().filter(|k| k.starts_with("pk_")) {
        Some(key) => app.engine.store().merchant_by_publishable_key(key).await.ok().flatten(),
        None => None,
    };
    let ancestors: Vec<&str> = merchant
        .as_ref()
        .map(|m| m.allowed_origins.iter().map(String::as_str).filter(|o| is_source_expression(o)).collect())
        .unwrap_or_default();
    let frame_ancestors = if ancestors.is_empty() { "'none'".to_owned() } else { ancestors.join(" ") };
    let shell = Shell::read(&String::from_utf8_lossy(&html), &dist).await;
    let (page, policy) = match &shell {
        Some(shell) => {
            let page = widget_page::render(&app, shell, &q, &headers).await.into_bytes();
            (page, policy(Some(&shell.style_hash()), &frame_ancestors))
        }
        None => (html, policy(None, &frame_ancestors)),
    };
    let (body, encoding) = crate::http::assets::compress_page(page, accepted(headers.get(header::ACCEPT_ENCODING)));
    let mut response = (StatusCode::OK, body).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    // The page carries a session token: no cache, shared or private, may keep it.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding, accept-language"));
    if let Some(encoding) = encoding.header() {
        h.insert(header::CONTENT_ENCODING, encoding);
    }
    if let Ok(v) = HeaderValue::from_str(&policy) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    security_headers(&mut response);
    response
}

fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Trunk names hashed files `<name>-<hex>.<ext>`: those never change and may be cached for good. The hash is a
/// 64-bit number printed without leading zeros, so it has up to 16 digits (8 or more but for 1 in 4 billion).
fn is_hashed(path: &Path) -> bool {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, h)| (8..=16).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A file under `dist`, refusing anything that could leave it.
fn resolve(dist: &Path, requested: &str) -> Option<PathBuf> {
    let rel = Path::new(requested);
    let safe = rel.components().all(|c| matches!(c, Component::Normal(s) if !s.to_string_lossy().starts_with('.')));
    (safe && !requested.contains('\\')).then(|| dist.join(rel))
}

/// A widget asset (wasm, JS, CSS…), or `i18n/{tag}`: one language's texts (`text/plain`, the widget's own format).
#[utoipa::path(
    get,
    path = "/widget/{path}",
    tag = "hosting",
    params(("path" = String, Path, description = "A file of the built widget, or `i18n/{tag}` for a language's texts", min_length = 1, max_length = 256)),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream", body = String),
        (status = 404, description = "No such file", body = ApiError),
        (status = 503, description = "The widget is not built", body = ApiError),
    )
)]
pub async fn widget_asset(
    State(app): State<AppState>,
    AxumPath(requested): AxumPath<String>,
    headers: axum::http::HeaderMap,
) -> Response {
    let not_found = || HttpError::new(ErrorCode::NotFound, "no such file in the widget").into_response();
    // The texts come from the widget's own tables, built or not.
    if let Some(tag) = requested.strip_prefix("i18n/") {
        return widget_strings::respond(tag, &headers).unwrap_or_else(not_found);
    }
    let dist = app.config.widget_dist.clone();
    if !dist.join("index.html").is_file() {
        return not_built(&dist);
    }
    if requested == "index.html" {
        return Redirect::permanent("/widget/").into_response();
    }
    let Some(path) = resolve(&dist, &requested) else { return not_found() };
    let accept = accepted(headers.get(header::ACCEPT_ENCODING));
    let Some(body) = app.assets.get(&path, accept).await else { return not_found() };
    let mut response = (StatusCode::OK, body.bytes.to_vec()).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime(&path)));
    if let Some(encoding) = body.encoding.header() {
        h.insert(header::CONTENT_ENCODING, encoding);
    }
    if crate::http::assets::compressible(&path) {
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    let cache = if is_hashed(&path) { "public, max-age=31536000, immutable" } else { "no-cache" };
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    security_headers(&mut response);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_dist() {
        let dist = Path::new("/srv/dist");
        assert_eq!(resolve(dist, "a.js"), Some(PathBuf::from("/srv/dist/a.js")));
        assert_eq!(resolve(dist, "snippets/x/inline0.js"), Some(PathBuf::from("/srv/dist/snippets/x/inline0.js")));
        assert_eq!(resolve(dist, "../secret"), None);
        assert_eq!(resolve(dist, "/etc/passwd"), None);
        assert_eq!(resolve(dist, ".env"), None);
        assert!(is_hashed(Path::new("bbps-widget-54a2820e52688cce_bg.wasm")));
        assert!(is_hashed(Path::new("widget-e4ba69a06ad54221.css")));
        assert!(is_hashed(Path::new("bbps-widget-f6d1d6efc58723_bg.wasm")), "a hash with leading zeros dropped");
        assert!(!is_hashed(Path::new("chunk-1.js")));
        assert!(!is_hashed(Path::new("boot.js")));
        assert!(is_source_expression("http://127.0.0.1:8788"));
        assert!(!is_source_expression("http://a.com; script-src *"));
    }
}
