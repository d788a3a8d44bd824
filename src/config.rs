//! The widget's configuration, from the page's query string (`/widget/?key=…&locale=…`). Every option is parsed
//! here and nowhere else; a value that does not fit its shape is dropped, so nothing odd reaches the flow.

use bbps_core::BillerId;
use bbps_core::appearance::{self, Appearance, AppearanceInput};

use crate::i18n::Locale;
use crate::wire;

/// The sandbox merchant's publishable key (`docs/sandbox.md`). Used only when the page is served from this
/// machine and no key was given, so `trunk serve` works without setup.
pub const SANDBOX_DEMO_KEY: &str = "pk_test_demo_bbps0000000000000000";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LocalePref {
    /// The first of the browser's languages that the widget speaks, else English.
    #[default]
    Auto,
    Fixed(Locale),
}

impl LocalePref {
    /// `auto`, or a language tag of ours (`hi`, `ta-IN`, `bn`).
    pub fn parse(v: &str) -> Option<LocalePref> {
        match v {
            "auto" => Some(LocalePref::Auto),
            tag => Locale::from_tag(tag).map(LocalePref::Fixed),
        }
    }

    /// The language to show, given the browser's languages (`navigator.languages`, most preferred first).
    pub fn resolve<S: AsRef<str>>(self, browser_languages: &[S]) -> Locale {
        match self {
            LocalePref::Fixed(l) => l,
            LocalePref::Auto => Locale::first_spoken(browser_languages).unwrap_or_default(),
        }
    }
}

/// The widget's look: a merchant theme (bbps-core's [`appearance::Theme`], whose wire names the options use),
/// or the device's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Follows the device (`prefers-color-scheme`): an option of the widget page, not of the API.
    #[default]
    Auto,
    Light,
    Dark,
}

impl Theme {
    const AUTO: &str = "auto";

    /// `auto`, or a theme's wire name.
    pub fn parse(v: &str) -> Option<Theme> {
        match v {
            Theme::AUTO => Some(Theme::Auto),
            name => appearance::Theme::parse(name).ok().map(Theme::from),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Theme::Auto => Theme::AUTO,
            Theme::Light => appearance::Theme::Light.as_str(),
            Theme::Dark => appearance::Theme::Dark.as_str(),
        }
    }
}

impl From<appearance::Theme> for Theme {
    fn from(t: appearance::Theme) -> Theme {
        match t {
            appearance::Theme::Light => Theme::Light,
            appearance::Theme::Dark => Theme::Dark,
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
    /// The loader's id for this widget, echoed in every message to the host.
    pub wid: Option<String>,
    /// The merchant's appearance, checked (its theme, when it names one, is in `theme`).
    pub appearance: Option<Appearance>,
    /// Why the `appearance` option was refused, for the console.
    pub appearance_problem: Option<String>,
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
        let mut appearance = None;
        for (k, v) in pairs {
            let v = v.as_ref().trim();
            match k.as_ref() {
                "key" if is_publishable_key(v) => c.key = Some(v.to_owned()),
                "locale" => c.locale = LocalePref::parse(v).unwrap_or_default(),
                "category" if is_slug(v) => c.category = Some(v.to_owned()),
                "biller" => c.biller = BillerId::parse(v).ok(),
                "theme" => c.theme = Theme::parse(v).unwrap_or_default(),
                "parent" if is_origin(v) => c.parent = Some(v.to_owned()),
                "wid" if is_widget_id(v) => c.wid = Some(v.to_owned()),
                "appearance" => appearance = Some(read_appearance(v)),
                _ => {}
            }
        }
        match appearance {
            Some(Ok((theme, a))) => {
                c.theme = theme.unwrap_or(c.theme);
                c.appearance = Some(a);
            }
            Some(Err(problem)) => c.appearance_problem = Some(problem),
            None => {}
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
        let keys = ["key", "locale", "category", "biller", "theme", "parent", "wid", "appearance"];
        Config::from_pairs(keys.into_iter().filter_map(|k| params.get(k).map(|v| (k, v))))
    }
}

/// Reads and checks an `appearance` option (JSON, from the URL or the host): the theme it names, if any, and
/// the variables. All or nothing: the error names the problem and nothing of a refused option is applied.
pub fn read_appearance(json: &str) -> Result<(Option<Theme>, Appearance), String> {
    let input = wire::decode::<AppearanceInput>(json).map_err(|e| {
        format!(r##"appearance must be JSON like {{"theme":"dark","variables":{{"primaryColor":"#0b5cad"}}}} ({e})"##)
    })?;
    let checked = Appearance::from_input(&input).map_err(|e| e.to_string())?;
    Ok((input.theme.map(Theme::from), checked))
}

pub fn is_local_host(hostname: &str) -> bool {
    matches!(hostname, "localhost" | "127.0.0.1" | "[::1]")
}

fn is_publishable_key(s: &str) -> bool {
    let rest = s.strip_prefix("pk_test_").or_else(|| s.strip_prefix("pk_live_"));
    rest.is_some_and(|r| (1..=100).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
}

/// The loader's widget ids (`w1-k3j9x2`): short, of letters, digits, `-` and `_`.
fn is_widget_id(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
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
