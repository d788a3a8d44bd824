//! The widget's configuration, from the page's query string (`/widget/?key=…&locale=…`). Every option is parsed
//! here and nowhere else; a value that does not fit its shape is dropped, so nothing odd reaches the flow.

use bbps_core::BillerId;

use crate::i18n::Locale;

/// The sandbox merchant's publishable key (`docs/sandbox.md`). Used only when the page is served from this
/// machine and no key was given, so `trunk serve` works without setup.
pub const SANDBOX_DEMO_KEY: &str = "pk_test_demo_bbps0000000000000000";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LocalePref {
    /// The browser's language when it is Hindi, else English.
    #[default]
    Auto,
    Fixed(Locale),
}

impl LocalePref {
    pub fn resolve(self, browser_language: Option<&str>) -> Locale {
        match self {
            LocalePref::Fixed(l) => l,
            LocalePref::Auto => browser_language.and_then(Locale::from_tag).unwrap_or_default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Follows the device (`prefers-color-scheme`).
    #[default]
    Auto,
    Light,
    Dark,
}

impl Theme {
    pub fn name(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Config {
    pub key: Option<String>,
    pub locale: LocalePref,
    /// A category code to open directly.
    pub category: Option<String>,
    /// A biller to open directly.
    pub biller: Option<BillerId>,
    pub theme: Theme,
    /// The origin of the page that frames the widget.
    pub parent: Option<String>,
}

impl Config {
    /// Reads the options from `key=value` pairs (already percent-decoded); unknown keys are ignored.
    pub fn from_pairs<I, K, V>(pairs: I) -> Config
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut c = Config::default();
        for (k, v) in pairs {
            let v = v.as_ref().trim();
            match k.as_ref() {
                "key" if is_publishable_key(v) => c.key = Some(v.to_owned()),
                "locale" => {
                    c.locale = match v {
                        "auto" => LocalePref::Auto,
                        tag => Locale::from_tag(tag).map_or(LocalePref::Auto, LocalePref::Fixed),
                    }
                }
                "category" if is_slug(v) => c.category = Some(v.to_owned()),
                "biller" => c.biller = BillerId::parse(v).ok(),
                "theme" => {
                    c.theme = match v {
                        "light" => Theme::Light,
                        "dark" => Theme::Dark,
                        _ => Theme::Auto,
                    }
                }
                "parent" if is_origin(v) => c.parent = Some(v.to_owned()),
                _ => {}
            }
        }
        c
    }

    /// The publishable key to use: the configured one, else the sandbox demo key on a local development host.
    pub fn key_for(&self, hostname: &str) -> Option<String> {
        self.key.clone().or_else(|| is_local_host(hostname).then(|| SANDBOX_DEMO_KEY.to_owned()))
    }

    /// The configuration of the page the widget runs in.
    pub fn from_location() -> Config {
        let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
        let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else { return Config::default() };
        let keys = ["key", "locale", "category", "biller", "theme", "parent"];
        Config::from_pairs(keys.into_iter().filter_map(|k| params.get(k).map(|v| (k, v))))
    }
}

pub fn is_local_host(hostname: &str) -> bool {
    matches!(hostname, "localhost" | "127.0.0.1" | "[::1]")
}

fn is_publishable_key(s: &str) -> bool {
    let rest = s.strip_prefix("pk_test_").or_else(|| s.strip_prefix("pk_live_"));
    rest.is_some_and(|r| (1..=100).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
}

fn is_slug(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `https://host[:port]` or `http://host[:port]`, nothing after.
fn is_origin(s: &str) -> bool {
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| {
        !r.is_empty()
            && r.len() <= 253
            && r.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
    })
}
