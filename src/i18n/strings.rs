//! One language's texts as the widget holds them, and their wire form: what the server puts in the widget page
//! for the language it opens in, and what `GET /widget/i18n/{tag}` answers when another is chosen.
//!
//! The wire form is plain text: a header line (`bbps-strings/1 <tag> <fingerprint> <count>`), then one text per
//! line in [`Msg::ALL`] order. Positions stand for keys, so the browser needs no key names; the header's
//! [`FINGERPRINT`] makes a table written for another list of keys fail to read instead of showing every text one
//! place off.

use std::fmt;

use super::keys::{COUNT, FINGERPRINT, Msg};
use super::locale::Locale;

const MAGIC: &str = "bbps-strings/1";

/// Every text of one language.
#[derive(Clone, PartialEq, Eq)]
pub struct Strings {
    locale: Locale,
    /// The texts, each followed by a newline but the last.
    body: String,
    /// Where each text ends in `body`, in key order.
    ends: Vec<u32>,
}

impl fmt::Debug for Strings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Strings({})", self.locale.tag())
    }
}

fn header(locale: Locale) -> String {
    format!("{MAGIC} {} {FINGERPRINT:016x} {COUNT}", locale.tag())
}

impl Strings {
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// The text of `key`.
    pub fn get(&self, key: Msg) -> &str {
        let i = key.index();
        let start = match i.checked_sub(1) {
            None => 0,
            Some(before) => self.ends.get(before).map_or(usize::MAX, |&e| e as usize + 1),
        };
        let end = self.ends.get(i).map_or(0, |&e| e as usize);
        self.body.get(start..end).unwrap_or_default()
    }

    /// Reads the wire form of `locale`'s texts; `None` if it is another language's, or written for another list
    /// of keys, or cut short.
    pub fn parse(locale: Locale, wire: &str) -> Option<Strings> {
        let (head, body) = wire.split_once('\n')?;
        if head != header(locale) {
            return None;
        }
        let mut ends = Vec::with_capacity(COUNT);
        let mut at = 0;
        for line in body.split('\n') {
            at += line.len();
            ends.push(u32::try_from(at).ok()?);
            at += 1;
        }
        (ends.len() == COUNT).then(|| Strings { locale, body: body.to_owned(), ends })
    }

    /// The table of `texts`, one per key in [`Msg::ALL`] order. A text may not hold a newline (the wire's
    /// separator); one that does is cut there.
    pub fn from_texts<'a>(locale: Locale, texts: impl IntoIterator<Item = &'a str>) -> Strings {
        let mut body = String::new();
        let mut ends = Vec::with_capacity(COUNT);
        for (i, text) in texts.into_iter().take(COUNT).enumerate() {
            if i > 0 {
                body.push('\n');
            }
            body.push_str(text.split('\n').next().unwrap_or_default());
            ends.push(u32::try_from(body.len()).unwrap_or(u32::MAX));
        }
        Strings { locale, body, ends }
    }

    /// The wire form ([`Strings::parse`] reads it back).
    pub fn to_wire(&self) -> String {
        format!("{}\n{}", header(self.locale), self.body)
    }

    /// The built-in table of `locale` (servers and tests; the browser's build references none of them).
    pub fn builtin(locale: Locale) -> Strings {
        Strings::from_texts(locale, Msg::ALL.iter().map(|&m| super::catalog::text(locale, m)))
    }
}
