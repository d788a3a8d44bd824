//! Every text in every language: one file per language, each an exhaustive `match` over [`Msg`], so a language
//! missing a key does not compile (and `tests/i18n.rs` checks that each text is there, non-empty, written in its
//! language's script and with the same placeholders as the English one).
//!
//! Only the builds that need every language at once reference these tables: the server, which renders the first
//! screen and answers `GET /widget/i18n/{tag}`, and the tests. The browser's build never calls them, so link-time
//! dead-code removal leaves all of them out of the wasm: a language reaches the browser as data when it is chosen
//! ([`super::Strings::parse`]), and the payload does not grow with the number of languages.

use super::keys::Msg;
use super::locale::Locale;

macro_rules! texts {
    ($($key:ident => $text:literal,)*) => {
        /// The text of `key` in this file's language.
        pub(super) fn text(key: $crate::i18n::Msg) -> &'static str {
            use $crate::i18n::Msg;
            match key {
                $(Msg::$key => $text,)*
            }
        }
    };
}

mod bn;
mod en;
mod gu;
mod hi;
mod kn;
mod ml;
mod mr;
mod ta;
mod te;

/// The text of `key` in `locale`.
pub fn text(locale: Locale, key: Msg) -> &'static str {
    match locale {
        Locale::En => en::text(key),
        Locale::Hi => hi::text(key),
        Locale::Bn => bn::text(key),
        Locale::Mr => mr::text(key),
        Locale::Te => te::text(key),
        Locale::Ta => ta::text(key),
        Locale::Gu => gu::text(key),
        Locale::Kn => kn::text(key),
        Locale::Ml => ml::text(key),
    }
}
