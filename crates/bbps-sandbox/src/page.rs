//! What every HTML page of the sandbox sends with it: no script may run in it, no site may frame it (clickjacking
//! its buttons), its forms post only here, and nothing is cached or leaks through the referrer.

use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

pub fn html(status: StatusCode, body: String) -> Response {
    let headers = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-store"),
    ];
    (status, headers, Html(body)).into_response()
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    html_escape::encode_quoted_attribute(s)
}
