//! The widget page as a phone on a slow network needs it: one response that already shows the category grid.
//!
//! On a mobile network nearly all of the start-up is round trips in series, so the page carries what used to
//! take five more: its style sheet (inline, allowed by its hash in `style-src-elem`), the first screen rendered
//! by the widget's own components (`bbps_widget::ssr`), and a data block with the session, the categories and
//! the texts of its language (`bbps_widget::page`), so that the wasm, preloaded from the page's head alongside
//! its JS glue, starts on the grid without a call. No script is inline: the data block is JSON that never runs,
//! and the page still starts through `boot.js` under `script-src 'self'`.
//!
//! The page is built from trunk's `index.html`, which names the hashed files. A `dist` without the widget's
//! start-up script (a bare page, as the benchmarks' floor serves) is sent as it is.

use axum::http::{HeaderMap, header};
use bbps_core::api::{CreateSessionRequest, Session};
use bbps_widget::config::{Config, LocalePref};
use bbps_widget::i18n::{Locale, Strings, page_title};
use bbps_widget::page::ELEMENT_ID;
use bbps_widget::ssr::{self, PageInputs};
use sha2::{Digest, Sha256};

use super::hosting::WidgetQuery;
use crate::state::AppState;

/// What the served page is built from: the files trunk named in its `index.html`, and the style sheet itself.
pub struct Shell {
    /// `/widget/boot.js`: starts the wasm without an inline script.
    boot: String,
    js: String,
    wasm: String,
    css: String,
}

/// The attributes of every `<{name} …>` tag of `html`, values quoted or not (trunk minifies its release page).
fn tags<'a>(html: &'a str, name: &str) -> Vec<Vec<(&'a str, &'a str)>> {
    let open = format!("<{name}");
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&open) {
        let after = &rest[at + open.len()..];
        let end = after.find('>').unwrap_or(after.len());
        if after.starts_with(|c: char| c.is_ascii_whitespace()) {
            found.push(attributes(after[..end].trim_end_matches('/')));
        }
        rest = &after[end..];
    }
    found
}

/// `a="x" b=y c` → `[(a, x), (b, y), (c, "")]`.
fn attributes(mut s: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    loop {
        s = s.trim_start();
        let name_end = s.find(|c: char| c == '=' || c.is_ascii_whitespace()).unwrap_or(s.len());
        let (name, after) = s.split_at(name_end);
        if name.is_empty() {
            return out;
        }
        let Some(value) = after.trim_start().strip_prefix('=').map(str::trim_start) else {
            out.push((name, ""));
            s = after;
            continue;
        };
        let (value, next) = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split_once(q).unwrap_or((&value[1..], "")),
            _ => value.split_at(value.find(|c: char| c.is_ascii_whitespace()).unwrap_or(value.len())),
        };
        out.push((name, value));
        s = next;
    }
}

fn get<'a>(attributes: &[(&'a str, &'a str)], name: &str) -> Option<&'a str> {
    attributes.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

impl Shell {
    /// Reads trunk's page and its style sheet; `None` for a page that does not start the widget.
    pub async fn read(index_html: &str, dist: &std::path::Path) -> Option<Shell> {
        let scripts = tags(index_html, "script");
        let start = scripts.iter().find(|a| get(a, "data-bbps-wasm").is_some())?;
        let (boot, js, wasm) = (get(start, "src")?, get(start, "data-bbps-js")?, get(start, "data-bbps-wasm")?);
        let links = tags(index_html, "link");
        let css_href = links.iter().find(|a| get(a, "rel") == Some("stylesheet")).and_then(|a| get(a, "href"))?;
        let css_file = css_href.rsplit('/').next()?;
        let css = tokio::fs::read_to_string(dist.join(css_file)).await.ok()?;
        // The style sheet is written into a `<style>` element; nothing in it may end that element early.
        (!css.contains("</")).then(|| Shell { boot: boot.to_owned(), js: js.to_owned(), wasm: wasm.to_owned(), css })
    }

    /// The CSP source that allows exactly the inline style sheet.
    pub fn style_hash(&self) -> String {
        style_hash(&self.css)
    }
}

/// The CSP hash source of an inline style sheet: `'sha256-…'`.
pub fn style_hash(css: &str) -> String {
    format!("'sha256-{}'", base64(&Sha256::digest(css.as_bytes())))
}

/// Standard base64 with padding (for a CSP hash source).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The language the page opens in: the one asked for, or for `auto` (or none) the browser's, which it states
/// in `Accept-Language` (the wasm would read the same preference from `navigator.languages`).
pub fn language(config: &Config, headers: &HeaderMap) -> Locale {
    match config.locale {
        LocalePref::Fixed(locale) => locale,
        LocalePref::Auto => headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Locale::from_accept_language)
            .unwrap_or_default(),
    }
}

/// The page's options as the wasm reads them from the same query.
pub fn config(q: &WidgetQuery) -> Config {
    let pairs = [
        ("key", &q.key),
        ("locale", &q.locale),
        ("category", &q.category),
        ("biller", &q.biller),
        ("theme", &q.theme),
        ("parent", &q.parent),
        ("wid", &q.wid),
        ("appearance", &q.appearance),
    ];
    Config::from_pairs(pairs.into_iter().filter_map(|(k, v)| v.as_deref().map(|v| (k, v))))
}

/// The session the widget would open itself: by the same handler as `POST /v1/sessions`, with the page's
/// `parent` as the parent origin, so every rule of that endpoint (the key, its mode, the merchant's allowed
/// origins) applies unchanged. `None` when it refuses: the widget then asks itself and shows why.
async fn open_session(app: &AppState, config: &Config, headers: &HeaderMap) -> Option<Session> {
    let request = CreateSessionRequest { publishable_key: config.key.clone()?, parent_origin: config.parent.clone() };
    use crate::http::routes::sessions::{Caller, open_session as open};
    // A browser's navigation says so in its fetch metadata; a script that fetches the page to lift a session from
    // it does not, and is held to the rule for callers without an Origin.
    let caller = if headers.contains_key("sec-fetch-dest") { Caller::WidgetPage } else { Caller::Unknown };
    open(app, request, caller).await.ok()
}

/// How long the first screen may take to render (the whole page, session and compression included, takes 3 to 8 ms
/// on the benchmark machine).
const RENDER_LIMIT: std::time::Duration = std::time::Duration::from_secs(2);

/// The page's first screen: its markup and its data block.
struct FirstScreen {
    markup: String,
    data: String,
}

async fn first_screen(app: &AppState, config: Config, strings: Strings, headers: &HeaderMap) -> Option<FirstScreen> {
    let session = open_session(app, &config, headers).await?;
    let categories = app.engine.catalogue().categories().to_vec();
    // JSON cannot end the `<script>` element it sits in once every `<` is escaped (`<` appears only in strings).
    let data = serde_json::json!({
        "session": session,
        "categories": categories,
        "locale": strings.locale().tag(),
        "strings": strings.to_wire(),
    })
    .to_string()
    .replace('<', "\\u003c");
    let closable = config.parent.is_some() && config.wid.is_some();
    // A page without its first screen still works (the widget then asks for what it needs), so a rendering that
    // fails or hangs costs the customer round trips, never the page.
    let rendering = tokio::spawn(ssr::render(PageInputs { config, session, categories, strings, closable }));
    match tokio::time::timeout(RENDER_LIMIT, rendering).await {
        Ok(Ok(markup)) => Some(FirstScreen { markup, data }),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "rendering the widget's first screen failed; serving the page without it");
            None
        }
        Err(_) => {
            tracing::error!("rendering the widget's first screen took too long; serving the page without it");
            None
        }
    }
}

/// Text for HTML content and double-quoted attribute values.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The page: the first screen when the session opens, else the empty root the widget fills itself.
pub async fn render(app: &AppState, shell: &Shell, q: &WidgetQuery, headers: &HeaderMap) -> String {
    let config = config(q);
    let strings = Strings::builtin(language(&config, headers));
    let (tag, title) = (strings.locale().tag(), page_title(&strings).to_owned());
    let first = first_screen(app, config, strings, headers).await;
    let (markup, data) = match &first {
        Some(f) => {
            (f.markup.as_str(), format!("<script type=\"application/json\" id=\"{ELEMENT_ID}\">{}</script>", f.data))
        }
        None => ("", String::new()),
    };
    format!(
        "<!doctype html><html lang=\"{tag}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"color-scheme\" content=\"light dark\"><title>{title}</title>\
         <link rel=\"modulepreload\" href=\"{js}\">\
         <link rel=\"preload\" href=\"{wasm}\" as=\"fetch\" type=\"application/wasm\" crossorigin>\
         <style>{css}</style>\
         <script type=\"module\" src=\"{boot}\" data-bbps-js=\"{js}\" data-bbps-wasm=\"{wasm}\"></script></head>\
         <body><div id=\"bbps-root\">{markup}</div>{data}</body></html>",
        title = escape(&title),
        js = escape(&shell.js),
        wasm = escape(&shell.wasm),
        boot = escape(&shell.boot),
        css = shell.css,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads_like_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn reads_the_files_trunk_names_minified_or_not() {
        let quoted = "<script type=\"module\" src=\"/widget/boot.js\" data-bbps-js=\"/widget/a-1.js\" \
                      data-bbps-wasm=\"/widget/a-1_bg.wasm\"></script>\
                      <link rel=\"stylesheet\" href=\"/widget/widget-2.css\" integrity=\"sha384-x\"/>";
        let minified = "<script data-bbps-js=/widget/a-1.js data-bbps-wasm=/widget/a-1_bg.wasm src=/widget/boot.js \
                        type=module></script><link href=/widget/widget-2.css integrity=sha384-x rel=stylesheet>";
        for page in [quoted, minified] {
            let script = &tags(page, "script")[0];
            assert_eq!(get(script, "src"), Some("/widget/boot.js"), "{page}");
            assert_eq!(get(script, "data-bbps-wasm"), Some("/widget/a-1_bg.wasm"), "{page}");
            let link = &tags(page, "link")[0];
            assert_eq!((get(link, "rel"), get(link, "href")), (Some("stylesheet"), Some("/widget/widget-2.css")));
        }
        assert!(tags("<title>bare</title>", "script").is_empty());
        assert_eq!(attributes("defer a='x y' b"), vec![("defer", ""), ("a", "x y"), ("b", "")]);
    }
}
