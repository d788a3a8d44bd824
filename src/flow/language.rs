//! Which language is shown. A language's texts arrive as data (with the page, or fetched when it is chosen), so
//! choosing one is a request like any other: the screen stays in the language it was in until the new texts are
//! here, and a table that arrived once is kept for switching back.

use std::rc::Rc;

use super::Command;
use crate::i18n::{Locale, Strings};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Languages {
    /// The language asked for: by the configuration, the host page or the switcher.
    pub wanted: Locale,
    /// The texts on screen: the wanted language's once they are here; until then the ones shown before, if any.
    pub shown: Option<Rc<Strings>>,
    /// A language whose texts are on their way.
    pub loading: Option<Locale>,
    /// Every table that arrived, the shown one among them.
    loaded: Vec<Rc<Strings>>,
}

impl Languages {
    /// Starts in `wanted`, with its texts when the page brought them.
    pub fn new(wanted: Locale, strings: Option<Rc<Strings>>) -> Languages {
        let mut l = Languages { wanted, ..Languages::default() };
        if let Some(s) = strings {
            l.arrived(s);
        }
        l
    }

    /// Asks for `locale`: shown at once if its texts are here, else the command that fetches them.
    pub fn want(&mut self, locale: Locale) -> Option<Command> {
        self.wanted = locale;
        if let Some(s) = self.loaded.iter().find(|s| s.locale() == locale) {
            self.shown = Some(s.clone());
            self.loading = None;
            return None;
        }
        if self.loading == Some(locale) {
            return None;
        }
        self.loading = Some(locale);
        Some(Command::LoadStrings(locale))
    }

    /// A language's texts arrived: kept, and shown if that language is still the one wanted.
    pub fn arrived(&mut self, strings: Rc<Strings>) {
        let locale = strings.locale();
        if !self.loaded.iter().any(|s| s.locale() == locale) {
            self.loaded.push(strings.clone());
        }
        if locale == self.wanted {
            self.shown = Some(strings);
            self.loading = None;
        }
    }

    /// The texts of the wanted language are not here (yet).
    pub fn pending(&self) -> bool {
        self.shown.as_ref().is_none_or(|s| s.locale() != self.wanted)
    }
}
