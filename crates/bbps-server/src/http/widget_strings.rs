//! `GET /widget/i18n/{tag}`: one language's texts, fetched by the widget when that language is chosen (the
//! language a page opens in comes inside the page). Written once per language from the widget's own tables
//! (`bbps_widget::i18n`), compressed once, and public: they are the same for everyone, so any origin may read
//! them (a Yew app embedding the widget fetches them from its `api_base`).

use std::sync::LazyLock;

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bbps_widget::i18n::{Locale, Strings};

use super::assets::{Encoding, accepted, compress};
use crate::util::sha256_hex;

/// One language's table as served.
struct Served {
    etag: HeaderValue,
    identity: Vec<u8>,
    gzip: Vec<u8>,
    brotli: Vec<u8>,
}

static TABLES: LazyLock<Vec<(Locale, Served)>> = LazyLock::new(|| {
    Locale::ALL
        .into_iter()
        .map(|locale| {
            let identity = Strings::builtin(locale).to_wire().into_bytes();
            let (gzip, brotli) = compress(&identity).unwrap_or_default();
            let etag = HeaderValue::from_str(&format!("\"{}\"", sha256_hex(&identity)))
                .unwrap_or_else(|_| HeaderValue::from_static("\"bbps-strings\""));
            (locale, Served { etag, identity, gzip, brotli })
        })
        .collect()
});

/// The answer for `tag` (`ta`), or `None` for a language the widget does not speak.
pub fn respond(tag: &str, headers: &HeaderMap) -> Option<Response> {
    let locale = Locale::from_tag(tag).filter(|l| l.tag() == tag)?;
    let (_, served) = TABLES.iter().find(|(l, _)| *l == locale)?;
    let fresh = headers.get(header::IF_NONE_MATCH).is_some_and(|v| v.as_bytes() == served.etag.as_bytes());
    let (br, gzip) = accepted(headers.get(header::ACCEPT_ENCODING));
    let (body, encoding) = match (br, gzip) {
        (true, _) if !served.brotli.is_empty() => (&served.brotli, Encoding::Brotli),
        (_, true) if !served.gzip.is_empty() => (&served.gzip, Encoding::Gzip),
        _ => (&served.identity, Encoding::Identity),
    };
    let mut response = if fresh {
        axum::http::StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = body.clone().into_response();
        if let Some(e) = encoding.header() {
            r.headers_mut().insert(header::CONTENT_ENCODING, e);
        }
        r
    };
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    // A table changes only with a new server; a short cache and the ETag keep a deploy visible within minutes.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    h.insert(header::ETAG, served.etag.clone());
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    h.insert("cross-origin-resource-policy", HeaderValue::from_static("cross-origin"));
    Some(response)
}
