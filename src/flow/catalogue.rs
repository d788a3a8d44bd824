//! The start of a journey: the category grid and the biller search.

use bbps_core::Category;
use bbps_core::api::{BillerPage, BillerSummary};
use bbps_core::region::{Pincode, PincodeError};

use super::{Command, Flow, Remote, Step};
use crate::api::BillerQuery;
use crate::i18n::Msg;

/// What the customer chooses a biller from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalogue {
    pub categories: Remote<Vec<Category>>,
    /// The category chosen, or the one of the biller the widget was opened at.
    pub category: Option<String>,
    pub search: Search,
}

impl Catalogue {
    pub fn category_name(&self, code: &str) -> Option<&str> {
        self.categories.ready()?.iter().find(|c| c.code == code).map(|c| c.name.as_str())
    }
}

/// The biller search of one category. Its results stay on screen while more of them (or a newer query's) load.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    /// The category code the results are for.
    pub category: Option<String>,
    pub query: String,
    /// State code, empty for every state.
    pub state: String,
    /// The PIN code as typed; the list is narrowed by it once it reads as one.
    pub pincode: String,
    /// The server found no state for the PIN code typed (`pincode_unknown`), until it is edited.
    pub pincode_refused: bool,
    pub items: Vec<BillerSummary>,
    pub total: u32,
    pub page: u32,
    /// A request is out, numbered [`Search::seq`].
    pub loading: bool,
    /// Numbers each request so that a late answer to an older query is ignored.
    pub seq: u32,
    /// The option the arrow keys are on.
    pub active: Option<usize>,
    /// Some result serves one state only, so the state filter is worth showing.
    pub regional: bool,
}

impl Search {
    pub fn query(&mut self, q: String) -> Option<Command> {
        self.query = q;
        self.ask(1, true)
    }

    pub fn filter_state(&mut self, state: String) -> Option<Command> {
        self.state = state;
        self.ask(1, false)
    }

    /// The PIN code typed so far: the list asks again once it reads as a PIN code, or once it is cleared, and
    /// not for the digits on the way.
    pub fn filter_pincode(&mut self, text: String) -> Option<Command> {
        let before = self.applied_pincode();
        self.pincode = text;
        self.pincode_refused = false;
        let now = self.applied_pincode();
        (now != before).then(|| self.ask(1, false)).flatten()
    }

    /// The PIN code the list is narrowed by: what was typed, once it reads as one.
    fn applied_pincode(&self) -> Option<Pincode> {
        Pincode::parse(&self.pincode).ok()
    }

    /// What is wrong with the PIN code typed: nothing while it may still become one (fewer than 6 digits so far).
    pub fn pincode_issue(&self) -> Option<Msg> {
        if self.pincode_refused {
            return Some(Msg::ErrPincodeUnknown);
        }
        match Pincode::parse(&self.pincode) {
            Ok(_) | Err(PincodeError::Empty) => None,
            Err(PincodeError::WrongLength) if self.pincode.trim().chars().filter(char::is_ascii_digit).count() < 6 => {
                None
            }
            Err(PincodeError::WrongLength | PincodeError::NotDigits | PincodeError::LeadingZero) => {
                Some(Msg::ErrPincodeInvalid)
            }
        }
    }

    /// The next page, unless one is loading or there is none.
    pub fn more(&mut self) -> Option<Command> {
        if self.loading || (self.items.len() as u32) >= self.total {
            return None;
        }
        self.ask(self.page + 1, false)
    }

    pub fn move_active(&mut self, delta: i32) {
        let n = self.items.len() as i32;
        if n > 0 {
            let at = self.active.map_or(if delta > 0 { -1 } else { n }, |a| a as i32);
            self.active = Some((at + delta).clamp(0, n - 1) as usize);
        }
    }

    pub fn loaded(&mut self, seq: u32, page: BillerPage) {
        if seq != self.seq {
            return;
        }
        self.loading = false;
        self.regional |= page.items.iter().any(|b| b.coverage.state().is_some());
        if page.page <= 1 {
            self.items = page.items;
            self.active = None;
        } else {
            self.items.extend(page.items);
        }
        self.page = page.page.max(1);
        self.total = page.total;
    }

    fn ask(&mut self, page: u32, debounce: bool) -> Option<Command> {
        let category = self.category.clone()?;
        self.seq += 1;
        self.loading = true;
        let query = BillerQuery {
            category,
            q: self.query.clone(),
            state: self.state.clone(),
            pincode: self.applied_pincode(),
            page,
        };
        Some(Command::SearchBillers { seq: self.seq, query, debounce })
    }
}

/// Opens a category's billers; the same category again keeps its search as it was.
pub(super) fn pick_category(f: &mut Flow, code: String, out: &mut Vec<Command>) {
    f.go(Step::Billers);
    let c = &mut f.catalogue;
    c.category = Some(code.clone());
    if c.search.category.as_deref() != Some(code.as_str()) {
        c.search = Search { category: Some(code), seq: c.search.seq, ..Search::default() };
        out.extend(c.search.ask(1, false));
    }
}

/// Back to the billers of the journey's category (or to the grid when it has none).
pub(super) fn change_biller(f: &mut Flow, out: &mut Vec<Command>) {
    match f.catalogue.category.clone() {
        Some(code) => pick_category(f, code, out),
        None => f.go(Step::Categories),
    }
}
