//! The site's static files under `/demo/`, compiled in from `assets/` so the binary stays one file. The pages
//! have no inline script or style: everything they run or wear is one of these.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// `(name, content type, content)`.
const FILES: &[(&str, &str, &str)] = &[
    ("site.css", "text/css; charset=utf-8", include_str!("assets/site.css")),
    ("mount.js", "text/javascript; charset=utf-8", include_str!("assets/mount.js")),
    ("webhooks.js", "text/javascript; charset=utf-8", include_str!("assets/webhooks.js")),
    ("favicon.svg", "image/svg+xml", include_str!("assets/favicon.svg")),
];

pub async fn asset(Path(file): Path<String>) -> Response {
    let Some((_, content_type, body)) = FILES.iter().find(|(name, ..)| *name == file) else {
        return (StatusCode::NOT_FOUND, "no such file").into_response();
    };
    let mut response = (*body).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}
