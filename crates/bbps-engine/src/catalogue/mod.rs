//! The biller catalogue in memory, indexed once at start (by id, category, state, and for a ranked text
//! search, see [`index`]), so a search over the whole network (about 22,000 billers) combines a few precomputed
//! sets instead of scanning every biller.

mod index;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bbps_core::biller::category_code;
use bbps_core::region::{Pincode, State};
use bbps_core::{Biller, BillerId, Category, ParamRules};

use index::{Bits, Index, Postings, small};

pub struct Catalogue {
    /// Sorted by category, then name.
    billers: Vec<Biller>,
    categories: Vec<Category>,
    index: Index,
    /// The positions (see [`index`]) of each category's billers, parallel to `categories`.
    in_category: Vec<Postings>,
    /// By state, the positions of the billers serving it, national ones included.
    in_state: HashMap<State, Postings>,
    /// The positions of national billers, the only ones serving a state no biller names.
    national: Postings,
    rules: Mutex<HashMap<usize, Arc<ParamRules>>>,
}

/// A biller list request, already validated.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub category: Option<String>,
    pub state: Option<State>,
    /// Billers serving a customer at this PIN code: those of the states it may lie in, and national ones.
    pub pincode: Option<Pincode>,
    pub q: Option<String>,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
}

pub enum SearchError {
    UnknownCategory,
}

impl Catalogue {
    pub fn new(mut billers: Vec<Biller>) -> Catalogue {
        billers.sort_by(|a, b| a.category.cmp(&b.category).then_with(|| a.name.cmp(&b.name)));
        let index = Index::new(&billers);
        let n = billers.len();
        // Billers are sorted by category, so categories come out sorted by name.
        let mut categories: Vec<Category> = Vec::new();
        let mut category_of = Vec::with_capacity(n);
        for b in &billers {
            match categories.last_mut() {
                Some(c) if c.name == b.category => c.biller_count += 1,
                _ => categories.push(Category {
                    code: category_code(&b.category),
                    name: b.category.clone(),
                    biller_count: 1,
                }),
            }
            category_of.push(categories.len() - 1);
        }
        let mut in_category = vec![Vec::new(); categories.len()];
        let mut in_state: HashMap<State, Vec<u32>> = HashMap::new();
        let mut national = Vec::new();
        for p in 0..index.len() {
            let i = index.biller(p);
            let p = small(p);
            in_category[category_of[i]].push(p);
            match billers[i].coverage.state() {
                Some(state) => in_state.entry(state).or_default().push(p),
                None => national.push(p),
            }
        }
        let in_state = in_state
            .into_iter()
            .map(|(state, mut list)| {
                list.extend(&national);
                list.sort_unstable();
                (state, Postings::new(list, n))
            })
            .collect();
        Catalogue {
            billers,
            categories,
            index,
            in_category: in_category.into_iter().map(|list| Postings::new(list, n)).collect(),
            in_state,
            national: Postings::new(national, n),
            rules: Mutex::new(HashMap::new()),
        }
    }

    pub fn len(&self) -> usize {
        self.billers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.billers.is_empty()
    }

    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    pub fn billers(&self) -> &[Biller] {
        &self.billers
    }

    /// The biller index of `id`; of the last one when ids repeat.
    fn find(&self, id: &BillerId) -> Option<usize> {
        self.index.with_id(&self.billers, id.as_str()).last().map(|&p| self.index.biller(p as usize))
    }

    pub fn get(&self, id: &BillerId) -> Option<&Biller> {
        self.find(id).map(|i| &self.billers[i])
    }

    /// The biller's param rules, compiled on first use and kept.
    pub fn rules(&self, id: &BillerId) -> Option<Arc<ParamRules>> {
        let i = self.find(id)?;
        let mut cache = self.rules.lock().unwrap_or_else(|p| p.into_inner());
        Some(cache.entry(i).or_insert_with(|| Arc::new(ParamRules::new(&self.billers[i]))).clone())
    }

    /// The billers serving `state`, national ones included.
    fn serving(&self, state: State) -> &Postings {
        self.in_state.get(&state).unwrap_or(&self.national)
    }

    /// A category by its code or its name (case-insensitive).
    fn category(&self, key: &str) -> Option<usize> {
        self.categories.iter().position(|c| c.code.eq_ignore_ascii_case(key) || c.name.eq_ignore_ascii_case(key))
    }

    /// One page of billers matching `s`, and how many match in all. Matches rank by exact id, name prefix, word
    /// prefix, alias, substring; ties go by name.
    pub fn search(&self, s: &Search) -> Result<(Vec<&Biller>, usize), SearchError> {
        let n = self.index.len();
        let mut filter = match s.category.as_deref() {
            Some(c) => self.in_category[self.category(c).ok_or(SearchError::UnknownCategory)?].to_bits(n),
            None => Bits::all(n),
        };
        if let Some(state) = s.state {
            filter.and(&self.serving(state).to_bits(n));
        }
        if let Some(pin) = s.pincode {
            let mut near = self.national.to_bits(n);
            for state in pin.states() {
                near.or(&self.serving(state).to_bits(n));
            }
            filter.and(&near);
        }
        let q = s.q.as_deref().map(|q| q.trim().to_lowercase()).filter(|q| !q.is_empty());
        let ranks: Vec<Bits> = match &q {
            Some(q) => self.index.ranks(&self.billers, q, &filter).into(),
            None => vec![filter],
        };
        let counts: Vec<usize> = ranks.iter().map(Bits::len).collect();
        let mut skip = (s.page.saturating_sub(1) as usize).saturating_mul(s.per_page as usize);
        let mut page = Vec::new();
        for (rank, &count) in ranks.iter().zip(&counts) {
            let take = s.per_page as usize - page.len();
            if take == 0 {
                break;
            }
            if skip >= count {
                skip -= count;
                continue;
            }
            page.extend(rank.iter().skip(skip).take(take).map(|p| &self.billers[self.index.biller(p)]));
            skip = 0;
        }
        Ok((page, counts.iter().sum()))
    }
}
