//! The site's server-rendered pages: the index, the script-tag page and the `BBPS.mount` page. No inline script
//! or style anywhere: page behaviour lives in `/demo/*.js`, looks in `/demo/site.css`. Elements tests use carry a
//! stable `data-testid` (docs/demo-site.md).

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use crate::DemoSite;
use crate::webhooks::ReceivedWebhook;

/// Text for HTML content and quoted attribute values.
fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    html_escape::encode_quoted_attribute(s)
}

/// `account` with its last characters replaced by `suffix`.
fn with_suffix(account: &str, suffix: &str) -> String {
    let keep = account.len().saturating_sub(suffix.len());
    format!("{}{suffix}", account.get(..keep).unwrap_or(""))
}

/// MSEDCL's example consumer number (docs/sandbox.md), the base of the index's test accounts.
const EXAMPLE_ACCOUNT: &str = "100234567890";

/// The widget's languages (docs/embedding-protocol.md), each named in its own script, as this shop offers them.
const LANGUAGES: [(&str, &str); 9] = [
    ("en", "English"),
    ("hi", "हिन्दी"),
    ("bn", "বাংলা"),
    ("mr", "मराठी"),
    ("te", "తెలుగు"),
    ("ta", "தமிழ்"),
    ("gu", "ગુજરાતી"),
    ("kn", "ಕನ್ನಡ"),
    ("ml", "മലയാളം"),
];

/// Links to the script-tag page in every language.
fn language_links() -> String {
    let links: Vec<String> = LANGUAGES
        .iter()
        .map(|(code, name)| format!("<a href=\"/script-tag?locale={code}\" lang=\"{code}\">{name}</a>"))
        .collect();
    format!("<p class=\"languages\" data-testid=\"languages\">{}</p>", links.join(" · "))
}

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    /// Another merchant's publishable key (e.g. one whose origins exclude this site, to see the widget refused).
    key: Option<String>,
    /// A language code of the widget's (`ta`) or `auto`.
    locale: Option<String>,
}

impl PageQuery {
    /// The key in the query, or the site's own.
    fn key<'a>(&'a self, site: &'a DemoSite) -> &'a str {
        self.key.as_deref().filter(|k| is_publishable_key(k)).unwrap_or(&site.config.publishable_key)
    }

    fn locale(&self) -> &str {
        let known = |l: &&str| *l == "auto" || LANGUAGES.iter().any(|(code, _)| code == l);
        self.locale.as_deref().filter(known).unwrap_or("en")
    }
}

/// `pk_test_…` / `pk_live_…`, the shape the loader accepts.
fn is_publishable_key(k: &str) -> bool {
    let rest = k.strip_prefix("pk_test_").or_else(|| k.strip_prefix("pk_live_"));
    k.len() <= 128 && rest.is_some_and(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nav {
    Home,
    ScriptTag,
    Mount,
    None,
}

const LOGO: &str = "<svg class=\"logo\" viewBox=\"0 0 32 32\" aria-hidden=\"true\" focusable=\"false\">\
                    <path d=\"M4 13 16 4l12 9v15H4z\" fill=\"currentColor\"/>\
                    <path d=\"M12 28v-8h8v8\" fill=\"#fff\"/></svg>";

/// The frame every page shares. `head` holds the page's script tags (external only).
fn layout(title: &str, nav: Nav, key: &str, head: &str, body: &str) -> String {
    let link = |target: Nav, href: &str, label: &str| {
        let current = if nav == target { " aria-current=\"page\"" } else { "" };
        format!("<li><a href=\"{href}\"{current}>{label}</a></li>")
    };
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Nukkad Store</title>\
         <link rel=\"icon\" href=\"/demo/favicon.svg\" type=\"image/svg+xml\">\
         <link rel=\"stylesheet\" href=\"/demo/site.css\">{head}</head>\
         <body data-key=\"{key}\"><a class=\"skip\" href=\"#main\">Skip to content</a>\
         <header class=\"site-header\"><div class=\"wrap bar\">\
         <a class=\"brand\" href=\"/\">{LOGO}<span>Nukkad Store</span></a>\
         <nav aria-label=\"Main\"><ul>{home}{script_tag}{mount}</ul></nav>\
         <span class=\"badge\" title=\"No real money moves\">Sandbox</span></div></header>\
         <main id=\"main\" class=\"wrap\">{body}</main>\
         <footer class=\"site-footer\"><div class=\"wrap\"><p>A demo merchant site on its own origin, using the \
         sandbox API with its keys. Bill payments by Bharat Connect (BBPS) with UPI; no real money moves.</p></div>\
         </footer></body></html>",
        title = escape(title),
        key = escape(key),
        home = link(Nav::Home, "/", "Home"),
        script_tag = link(Nav::ScriptTag, "/script-tag", "Script tag"),
        mount = link(Nav::Mount, "/mount", "BBPS.mount"),
    )
}

fn webhook_item(w: &ReceivedWebhook) -> String {
    let txn_ref = w.txn_ref.as_ref().map_or_else(|| "no txn ref".to_owned(), |t| format!("txn ref {t}"));
    let deliveries = if w.deliveries == 1 { "1 delivery".to_owned() } else { format!("{} deliveries", w.deliveries) };
    format!(
        "<li data-event-id=\"{id}\" data-payment-id=\"{payment}\" data-type=\"{kind}\">\
         <span class=\"tag\">{kind}</span> <code>{payment}</code> <span>{status}</span> <span>{txn_ref}</span> \
         <span>{total}</span> <time datetime=\"{at}\">{at_display}</time> <span class=\"muted\">{deliveries}</span></li>",
        id = escape(&w.id),
        payment = escape(w.payment_id.as_str()),
        kind = escape(w.event_type.as_str()),
        status = escape(w.status.as_str()),
        txn_ref = escape(&txn_ref),
        total = escape(&w.total.to_inr_string()),
        at = w.received_at,
        at_display = escape(&w.received_at.to_ist_display()),
    )
}

/// The received webhooks, newest first; `webhooks.js` keeps the list current.
fn webhooks_section(site: &DemoSite) -> String {
    let list = site.webhooks.list();
    let items: String = list.iter().map(webhook_item).collect();
    let hidden = if list.is_empty() { "" } else { " hidden" };
    format!(
        "<section class=\"card\" aria-labelledby=\"hooks-heading\"><h2 id=\"hooks-heading\">Webhooks received by \
         this site's server</h2><p class=\"muted\">Signed events from the BBPS server to <code>POST /webhooks/bbps</code>, \
         signature checked, the last 50, each once however often it was delivered.</p>\
         <p class=\"empty\" data-testid=\"webhooks-empty\"{hidden}>None yet: pay a bill and its \
         <code>payment.completed</code> event arrives here.</p>\
         <ul class=\"webhooks\" data-testid=\"webhooks\">{items}</ul></section>"
    )
}

/// The sandbox's test accounts for MSEDCL's consumer number; nothing when the API has no sandbox.
fn accounts_table(site: &DemoSite) -> String {
    let Some(scheme) = &site.test_accounts else {
        return "<p>The API runs without a sandbox: there are no test accounts.</p>".to_owned();
    };
    let rows: String = scheme
        .iter()
        .map(|outcome| {
            let (suffix, what) = (&outcome.suffix, &outcome.description);
            let example =
                if suffix.len() == 4 { with_suffix(EXAMPLE_ACCOUNT, suffix) } else { EXAMPLE_ACCOUNT.to_owned() };
            format!(
                "<tr><td>{suffix}</td><td><code>{example}</code></td><td>{what}</td></tr>",
                suffix = escape(suffix),
                example = escape(&example),
                what = escape(what),
            )
        })
        .collect();
    format!(
        "<div class=\"table-scroll\"><table><caption>Electricity → Maharashtra State Electricity Distribution Co. \
         Ltd (MSEDCL), Consumer Number</caption><thead><tr><th scope=\"col\">Ends with</th><th scope=\"col\">Example\
         </th><th scope=\"col\">What happens</th></tr></thead><tbody>{rows}</tbody></table></div>"
    )
}

pub async fn index(State(site): State<Arc<DemoSite>>) -> Html<String> {
    let widget = escape(&site.config.widget_origin);
    let body = format!(
        "<section class=\"hero\"><p class=\"eyebrow\">Demo merchant site</p>\
         <h1>Pay your household bills at Nukkad Store</h1>\
         <p class=\"lead\">Electricity, water, gas, broadband, mobile, DTH and more: paid with UPI through Bharat \
         Connect, right here in the shop.</p>\
         <p class=\"actions\"><a class=\"button\" href=\"/script-tag\">Pay a bill</a>\
         <a class=\"button secondary\" href=\"/mount\">Developer view</a></p></section>\
         <section class=\"grid\" aria-label=\"Demo pages\">\
         <article class=\"card\"><h2><a href=\"/script-tag\">One script tag</a></h2>\
         <p>The widget as most merchants add it: a single <code>&lt;script&gt;</code> with <code>data-*</code> \
         attributes, nothing else on the page.</p>\
         {languages}</article>\
         <article class=\"card\"><h2><a href=\"/mount\">BBPS.mount from code</a></h2>\
         <p>The same widget mounted by a page script: a live event log, appearance controls, destroy and mount \
         again, two widgets on one page, and each payment verified by this site's server.</p></article></section>\
         <section class=\"card\" aria-labelledby=\"about-heading\"><h2 id=\"about-heading\">What this demo shows</h2>\
         <p>This site runs at <code data-testid=\"site-origin\">{origin}</code>; the widget comes from \
         <code data-testid=\"widget-origin\">{widget}</code>. Different origins, so the browser keeps them apart: \
         the widget lives in an iframe, talks to this page only by <code>postMessage</code>, and may be framed here \
         only because this origin is one of the demo merchant's allowed origins (the widget page's \
         <code>Content-Security-Policy: frame-ancestors</code>).</p>\
         <p>Events in the page are hints. This site's server confirms a payment itself, with the secret-key API \
         (<code>GET /api/payments/{{payment_id}}</code> here) and from the signed webhooks it receives.</p></section>\
         <section class=\"card\" aria-labelledby=\"sandbox-heading\"><h2 id=\"sandbox-heading\">Sandbox test \
         accounts</h2><p>Publishable key <code data-testid=\"publishable-key\">{key}</code>. No real money moves: \
         approve or decline in the sandbox UPI app that the widget's payment screen opens.</p>\
         <p>The outcome is picked by the last four characters of the first customer field:</p>{table}\
         <p>Accounts for every category: <a href=\"{widget}/sandbox/accounts\" data-testid=\"sandbox-accounts\">\
         {widget}/sandbox/accounts</a> (JSON).</p></section>{webhooks}",
        origin = escape(&site.origin),
        key = escape(&site.config.publishable_key),
        languages = language_links(),
        table = accounts_table(&site),
        webhooks = webhooks_section(&site),
    );
    let head = "<script defer src=\"/demo/webhooks.js\"></script>";
    Html(layout("Pay your bills", Nav::Home, &site.config.publishable_key, head, &body))
}

pub async fn script_tag(State(site): State<Arc<DemoSite>>, Query(q): Query<PageQuery>) -> Html<String> {
    let tag = format!(
        "<script async src=\"{widget}/bbps.js\" data-key=\"{key}\" data-container=\"#pay-bills\" \
         data-locale=\"{locale}\"></script>",
        widget = escape(&site.config.widget_origin),
        key = escape(q.key(&site)),
        locale = escape(q.locale()),
    );
    let body = format!(
        "<h1>Pay a bill</h1><div class=\"layout\">\
         <section class=\"card widget-card\" aria-labelledby=\"pay-heading\"><h2 id=\"pay-heading\" class=\"sr-only\">\
         Bill payment</h2><div id=\"pay-bills\" data-testid=\"pay-bills\"></div>{tag}</section>\
         <aside class=\"card\" aria-labelledby=\"how-heading\"><h2 id=\"how-heading\">How this page embeds the \
         widget</h2><p>With one script tag and nothing else:</p><pre><code>{shown}</code></pre>\
         <p>Language:</p>{languages}\
         <p>Try Electricity → MSEDCL with consumer number <code>{EXAMPLE_ACCOUNT}</code>; other outcomes are on \
         the <a href=\"/\">home page</a>.</p></aside></div>",
        shown = escape(&tag),
        languages = language_links(),
    );
    Html(layout("Pay a bill", Nav::ScriptTag, q.key(&site), "", &body))
}

fn select(testid: &str, name: &str, label: &str, options: &[(&str, &str)]) -> String {
    let options: String = options
        .iter()
        .map(|(value, text)| format!("<option value=\"{}\">{}</option>", escape(value), escape(text)))
        .collect();
    format!(
        "<div class=\"field\"><label for=\"{testid}\">{label}</label>\
         <select id=\"{testid}\" name=\"{name}\" data-testid=\"{testid}\">{options}</select></div>"
    )
}

fn colour(testid: &str, name: &str, label: &str, value: &str) -> String {
    format!(
        "<div class=\"field\"><label for=\"{testid}\">{label}</label>\
         <input type=\"color\" id=\"{testid}\" name=\"{name}\" value=\"{value}\" data-testid=\"{testid}\"></div>"
    )
}

/// The widget's languages, then the browser's choice.
fn locale_options() -> Vec<(&'static str, &'static str)> {
    LANGUAGES.iter().copied().chain([("auto", "Browser")]).collect()
}

fn appearance_controls() -> String {
    let fonts = [
        ("", "Widget default"),
        ("system-ui, sans-serif", "System UI"),
        ("Georgia, serif", "Georgia (serif)"),
        ("\"Noto Sans\", \"Noto Sans Devanagari\", sans-serif", "Noto Sans"),
        ("\"Courier New\", monospace", "Courier New (monospace)"),
    ];
    let radii =
        [("", "Widget default"), ("0px", "Square (0px)"), ("4px", "4px"), ("8px", "8px"), ("20px", "Round (20px)")];
    let spacing =
        [("", "Widget default"), ("12px", "Compact (12px)"), ("20px", "Roomy (20px)"), ("24px", "Airy (24px)")];
    format!(
        "<form id=\"appearance\" class=\"controls\" data-testid=\"appearance\">\
         {theme}{locale}{primary}{background}{text}{font}{radius}{space}\
         <div class=\"buttons\"><button type=\"button\" id=\"reset-appearance\" class=\"secondary\" \
         data-testid=\"reset-appearance\">Reset appearance</button></div></form>",
        theme = select("control-theme", "theme", "Theme", &[("light", "Light"), ("dark", "Dark")]),
        locale = select("control-locale", "locale", "Language", &locale_options()),
        primary = colour("control-primary-color", "primaryColor", "Primary colour", "#0b5cad"),
        background = colour("control-background-color", "backgroundColor", "Background", "#ffffff"),
        text = colour("control-text-color", "textColor", "Text colour", "#1a1f2b"),
        font = select("control-font-family", "fontFamily", "Font family", &fonts),
        radius = select("control-border-radius", "borderRadius", "Border radius", &radii),
        space = select("control-spacing", "spacing", "Spacing", &spacing),
    )
}

pub async fn mount(State(site): State<Arc<DemoSite>>, Query(q): Query<PageQuery>) -> Html<String> {
    let body = format!(
        "<h1>Pay a bill <span class=\"muted\">(BBPS.mount)</span></h1><div class=\"layout\">\
         <div class=\"stack\"><section class=\"card widget-card\" aria-labelledby=\"pay-heading\">\
         <h2 id=\"pay-heading\" class=\"sr-only\">Bill payment</h2>\
         <div id=\"pay-bills\" data-testid=\"pay-bills\"></div>\
         <p class=\"verified\" data-testid=\"verified\" role=\"status\" hidden></p></section>\
         <section class=\"card widget-card\" id=\"second\" aria-labelledby=\"second-heading\" hidden>\
         <h2 id=\"second-heading\">A second, independent widget</h2>\
         <div id=\"pay-bills-second\" data-testid=\"pay-bills-second\"></div></section></div>\
         <aside class=\"stack\"><section class=\"card\" aria-labelledby=\"controls-heading\">\
         <h2 id=\"controls-heading\">Appearance</h2>\
         <p class=\"muted\">Applied to the first widget with <code>handle.update({{…}})</code>.</p>{controls}\
         <div class=\"buttons\"><button type=\"button\" id=\"destroy\" data-testid=\"destroy\">Destroy</button>\
         <button type=\"button\" id=\"mount-again\" data-testid=\"mount-again\" disabled>Mount again</button>\
         <button type=\"button\" id=\"mount-second\" class=\"secondary\" data-testid=\"mount-second\">Mount a second \
         widget</button></div>\
         <p class=\"muted\" data-testid=\"mounted-count\" aria-live=\"polite\"></p></section>\
         <section class=\"card\" aria-labelledby=\"log-heading\"><div class=\"log-head\">\
         <h2 id=\"log-heading\">Events</h2><button type=\"button\" id=\"clear-log\" class=\"secondary small\" \
         data-testid=\"clear-log\">Clear</button></div>\
         <ol class=\"event-log\" data-testid=\"event-log\" role=\"log\" aria-live=\"polite\"></ol></section>\
         </aside></div>{webhooks}",
        controls = appearance_controls(),
        webhooks = webhooks_section(&site),
    );
    let head = format!(
        "<script defer src=\"{widget}/bbps.js\"></script><script defer src=\"/demo/mount.js\"></script>\
         <script defer src=\"/demo/webhooks.js\"></script>",
        widget = escape(&site.config.widget_origin),
    );
    Html(layout("Pay a bill with BBPS.mount", Nav::Mount, q.key(&site), &head, &body))
}

pub async fn not_found(State(site): State<Arc<DemoSite>>) -> Response {
    let body = "<h1>Page not found</h1><p>Try the <a href=\"/\">home page</a>.</p>";
    let page = layout("Not found", Nav::None, &site.config.publishable_key, "", body);
    (StatusCode::NOT_FOUND, Html(page)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_publishable_keys_reach_the_page() {
        assert!(is_publishable_key("pk_test_demo_bbps0000000000000000"));
        assert!(is_publishable_key("pk_live_abc"));
        assert!(!is_publishable_key("pk_test_"));
        assert!(!is_publishable_key("sk_test_abc"));
        assert!(!is_publishable_key("pk_test_a\"><script>"));
    }
}
