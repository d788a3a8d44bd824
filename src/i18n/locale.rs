//! The languages the widget speaks, and how one is chosen from what a browser or a merchant says.

/// A language of the widget. Each one's texts are a table of [`super::catalog`], fetched by the browser when the
/// language is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    #[default]
    En,
    Hi,
    Bn,
    Mr,
    Te,
    Ta,
    Gu,
    Kn,
    Ml,
}

impl Locale {
    /// Every language, in the order the switcher offers them.
    pub const ALL: [Locale; 9] =
        [Locale::En, Locale::Hi, Locale::Bn, Locale::Mr, Locale::Te, Locale::Ta, Locale::Gu, Locale::Kn, Locale::Ml];

    /// The BCP 47 tag, for the `lang` attribute and the wire.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Hi => "hi",
            Locale::Bn => "bn",
            Locale::Mr => "mr",
            Locale::Te => "te",
            Locale::Ta => "ta",
            Locale::Gu => "gu",
            Locale::Kn => "kn",
            Locale::Ml => "ml",
        }
    }

    /// The language's own name, in its own script: what the switcher shows.
    pub fn endonym(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Hi => "हिन्दी",
            Locale::Bn => "বাংলা",
            Locale::Mr => "मराठी",
            Locale::Te => "తెలుగు",
            Locale::Ta => "தமிழ்",
            Locale::Gu => "ગુજરાતી",
            Locale::Kn => "ಕನ್ನಡ",
            Locale::Ml => "മലയാളം",
        }
    }

    /// A language tag as a browser or a merchant gives it (`bn-IN`, `ta`, `EN_gb`); `None` for a language we do
    /// not speak.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next()?;
        Locale::ALL.into_iter().find(|l| primary.eq_ignore_ascii_case(l.tag()))
    }

    /// The first of the browser's languages (`navigator.languages`, most preferred first) that we speak.
    pub fn first_spoken<S: AsRef<str>>(preferred: &[S]) -> Option<Locale> {
        preferred.iter().find_map(|t| Locale::from_tag(t.as_ref()))
    }

    /// The language an `Accept-Language` header prefers most among ours: the highest weight wins, the earlier
    /// of equal weights; `q=0` refuses a language.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut best: Option<(Locale, u16)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let Some(locale) = parts.next().and_then(Locale::from_tag) else { continue };
            let weight = parts.find_map(|p| p.trim().strip_prefix("q=")).map_or(Some(1000), quality);
            if let Some(w) = weight.filter(|w| *w > 0)
                && best.is_none_or(|(_, b)| w > b)
            {
                best = Some((locale, w));
            }
        }
        best.map(|(l, _)| l)
    }
}

/// A `q` value in thousandths (`0.8` → 800); `None` if it is not one.
fn quality(q: &str) -> Option<u16> {
    let q = q.trim();
    let (whole, fraction) = q.split_once('.').unwrap_or((q, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = format!("{fraction:0<3}").parse::<u16>().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}
