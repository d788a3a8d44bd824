//! The biller catalogue in memory, indexed once at start (by id, category, state, and for a ranked text
//! search, see [`index`]), so a search over the whole network (about 22,000 billers) combines a few precomputed
//! sets instead of scanning every biller.

mod index;
#[cfg(test)]
pub(crate) mod tests;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bbps_core::biller::{category_code, city_key};
use bbps_core::region::{Pincode, State};
use bbps_core::{Biller, BillerId, Category, Coverage, ParamRules};

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
    /// By state, the positions of the billers serving all of it (not one of its cities).
    state_wide: HashMap<State, Postings>,
    /// By city (its [`city_key`]), the states it lies in and the positions of its own billers.
    cities: HashMap<String, City>,
    rules: Mutex<HashMap<usize, Arc<ParamRules>>>,
}

struct City {
    states: Vec<State>,
    billers: Postings,
}

/// A biller list request, already validated.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub category: Option<String>,
    pub state: Option<State>,
    /// Billers serving a customer at this PIN code: those of the states it may lie in, and national ones.
    pub pincode: Option<Pincode>,
    /// Billers serving a customer in this city: its own, its state's and national ones.
    pub city: Option<String>,
    pub q: Option<String>,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
}

pub enum SearchError {
    UnknownCategory,
    /// No biller names the city, and no state was given to place it.
    UnknownCity,
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
        let mut state_wide: HashMap<State, Vec<u32>> = HashMap::new();
        let mut cities: HashMap<String, (Vec<State>, Vec<u32>)> = HashMap::new();
        let mut national = Vec::new();
        for p in 0..index.len() {
            let i = index.biller(p);
            let p = small(p);
            in_category[category_of[i]].push(p);
            match &billers[i].coverage {
                Coverage::National => national.push(p),
                Coverage::State { state } => {
                    in_state.entry(*state).or_default().push(p);
                    state_wide.entry(*state).or_default().push(p);
                }
                Coverage::City { state, city } => {
                    in_state.entry(*state).or_default().push(p);
                    let (states, list) = cities.entry(city_key(city)).or_default();
                    if !states.contains(state) {
                        states.push(*state);
                    }
                    list.push(p);
                }
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
            state_wide: state_wide.into_iter().map(|(state, list)| (state, Postings::new(list, n))).collect(),
            cities: cities
                .into_iter()
                .map(|(key, (states, list))| (key, City { states, billers: Postings::new(list, n) }))
                .collect(),
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
        if let Some(city) = s.city.as_deref() {
            let known = self.cities.get(&city_key(city));
            let states = match (known, s.state) {
                (Some(c), _) => &c.states[..],
                (None, Some(state)) => &[state][..],
                (None, None) => return Err(SearchError::UnknownCity),
            };
            let mut near = self.national.to_bits(n);
            for state in states {
                if let Some(wide) = self.state_wide.get(state) {
                    near.or(&wide.to_bits(n));
                }
            }
            if let Some(c) = known {
                near.or(&c.billers.to_bits(n));
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
