//! What the widget learns from the browser at start: the device, the browser's languages, the clock and a nonce.
//! The server renders the first screen with no browser at all; there the device is a desktop, now.

use super::WidgetProps;
use crate::flow::Env;

/// What the browser (or the server rendering the first screen) says.
struct Device {
    /// A phone (intent links first) rather than a desktop (QR first).
    phone: bool,
    android: bool,
    now_ms: i64,
    nonce: String,
}

#[cfg(target_arch = "wasm32")]
fn device() -> Device {
    let ua = web_sys::window().and_then(|w| w.navigator().user_agent().ok()).unwrap_or_default();
    let android = ua.contains("Android");
    Device {
        phone: android || ["iPhone", "iPad", "Mobi"].iter().any(|m| ua.contains(m)),
        android,
        now_ms: js_sys::Date::now() as i64,
        // Random enough to keep one browser's payment attempts apart; the server scopes keys by session too.
        nonce: (0..3).map(|_| format!("{:x}", (js_sys::Math::random() * 1e12) as u64)).collect(),
    }
}

/// Nothing on the first screen depends on the device, and nothing the server renders pays (so no nonce).
#[cfg(not(target_arch = "wasm32"))]
fn device() -> Device {
    let now = time::OffsetDateTime::now_utc();
    Device {
        phone: false,
        android: false,
        now_ms: i64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap_or_default(),
        nonce: String::new(),
    }
}

/// The browser's languages, most preferred first (`navigator.languages`).
#[cfg(target_arch = "wasm32")]
pub fn browser_languages() -> Vec<String> {
    let Some(w) = web_sys::window() else { return Vec::new() };
    w.navigator().languages().iter().filter_map(|l| l.as_string()).collect()
}

#[cfg(not(target_arch = "wasm32"))]
pub fn browser_languages() -> Vec<String> {
    Vec::new()
}

pub(super) fn environment(props: &WidgetProps) -> Env {
    let d = device();
    Env {
        locale: props.locale.resolve(&browser_languages()),
        phone: d.phone,
        android: d.android,
        now_ms: d.now_ms,
        nonce: d.nonce,
        api_base: props.api_base.trim_end_matches('/').to_owned(),
        theme: props.theme,
        appearance: props.appearance.clone(),
        closable: props.closable,
    }
}
