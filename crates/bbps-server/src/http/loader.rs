//! `GET /bbps.js`: the loader merchants embed with one `<script src>`. It is compiled into the binary from the
//! workspace's `embed/bbps.js`, so a deployment is one file and the loader always matches the server it came with.
//! Merchant pages on other origins load it, so it is cross-origin readable; a short public cache with an ETag lets
//! a fix reach every page within minutes while repeat visits revalidate cheaply.

use std::sync::LazyLock;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::util::sha256_hex;

pub const LOADER: &str = include_str!("../../../../embed/bbps.js");

const CACHE_CONTROL: &str = "public, max-age=300";

/// gzip and brotli of the loader, made once.
static COMPRESSED: LazyLock<(Vec<u8>, Vec<u8>)> =
    LazyLock::new(|| crate::http::assets::compress(LOADER.as_bytes()).unwrap_or_default());

static ETAG: LazyLock<HeaderValue> = LazyLock::new(|| {
    HeaderValue::from_str(&format!("\"{}\"", sha256_hex(LOADER.as_bytes())))
        .unwrap_or_else(|_| HeaderValue::from_static("\"bbps-loader\""))
});

/// Whether an `If-None-Match` value names our ETag (weak comparison, as for a GET).
fn matches(if_none_match: &str, etag: &str) -> bool {
    if_none_match.split(',').map(str::trim).any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
}

/// The loader script.
#[utoipa::path(
    get,
    path = "/bbps.js",
    tag = "hosting",
    responses(
        (status = 200, description = "The loader (plain JavaScript, defines `BBPS`)", content_type = "text/javascript", body = String),
        (status = 304, description = "The cached copy named by `If-None-Match` is current"),
    )
)]
pub async fn loader(headers: HeaderMap) -> Response {
    let etag = ETAG.clone();
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| etag.to_str().is_ok_and(|e| matches(v, e)));
    let (br, gzip) = crate::http::assets::accepted(headers.get(header::ACCEPT_ENCODING));
    let (body, encoding) = match (br, gzip) {
        (true, _) if !COMPRESSED.1.is_empty() => (COMPRESSED.1.clone(), Some("br")),
        (_, true) if !COMPRESSED.0.is_empty() => (COMPRESSED.0.clone(), Some("gzip")),
        _ => (LOADER.as_bytes().to_vec(), None),
    };
    let mut response = if fresh { StatusCode::NOT_MODIFIED.into_response() } else { body.into_response() };
    let h = response.headers_mut();
    if let (Some(encoding), false) = (encoding, fresh) {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL));
    h.insert(header::ETAG, etag);
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert("cross-origin-resource-policy", HeaderValue::from_static("cross-origin"));
    // Public code with no credentials: lets a merchant pin it with `integrity` + `crossorigin="anonymous"`.
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_lists_and_weak_tags_match() {
        assert!(matches("\"abc\"", "\"abc\""));
        assert!(matches("W/\"abc\"", "\"abc\""));
        assert!(matches("\"x\", \"abc\"", "\"abc\""));
        assert!(matches("*", "\"abc\""));
        assert!(!matches("\"abd\"", "\"abc\""));
        assert!(!LOADER.is_empty());
    }
}
