//! The biller catalogue in memory, indexed once at start: by id, by category, with each biller's name and alias
//! split into lower-case words, so a ranked search over the whole network (about 22,000 billers) is a scan of
//! precomputed strings with no allocation per biller.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bbps_core::biller::category_code;
use bbps_core::{Biller, BillerId, Category, ParamRules};

struct Entry {
    id_lc: String,
    name_lc: String,
    name_words: Vec<String>,
    alias_lc: Option<String>,
    alias_words: Vec<String>,
    category: usize,
}

pub struct Catalogue {
    billers: Vec<Biller>,
    entries: Vec<Entry>,
    by_id: HashMap<BillerId, usize>,
    categories: Vec<Category>,
    /// All billers, sorted by name: the order of an unfiltered, unsearched list.
    by_name: Vec<usize>,
    rules: Mutex<HashMap<usize, Arc<ParamRules>>>,
}

/// A biller list request, already validated.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub category: Option<String>,
    pub state: Option<String>,
    pub q: Option<String>,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
}

pub enum SearchError {
    UnknownCategory,
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

impl Catalogue {
    pub fn new(mut billers: Vec<Biller>) -> Catalogue {
        billers.sort_by(|a, b| a.category.cmp(&b.category).then_with(|| a.name.cmp(&b.name)));
        let mut categories: Vec<Category> = Vec::new();
        let mut category_index: HashMap<String, usize> = HashMap::new();
        let mut entries = Vec::with_capacity(billers.len());
        for b in &billers {
            let idx = *category_index.entry(b.category.clone()).or_insert_with(|| {
                categories.push(Category {
                    code: category_code(&b.category),
                    name: b.category.clone(),
                    biller_count: 0,
                });
                categories.len() - 1
            });
            categories[idx].biller_count += 1;
            entries.push(Entry {
                id_lc: b.id.as_str().to_lowercase(),
                name_lc: b.name.to_lowercase(),
                name_words: words(&b.name),
                alias_lc: b.alias.as_ref().map(|a| a.to_lowercase()),
                alias_words: b.alias.as_deref().map(words).unwrap_or_default(),
                category: idx,
            });
        }
        let by_id = billers.iter().enumerate().map(|(i, b)| (b.id.clone(), i)).collect();
        let mut by_name: Vec<usize> = (0..billers.len()).collect();
        by_name.sort_by(|&a, &b| {
            entries[a].name_lc.cmp(&entries[b].name_lc).then_with(|| billers[a].id.cmp(&billers[b].id))
        });
        categories.sort_by(|a, b| a.name.cmp(&b.name));
        // Entries point at categories by their position before sorting; re-point them.
        let remap: HashMap<usize, usize> = category_index
            .iter()
            .filter_map(|(name, old)| categories.iter().position(|c| &c.name == name).map(|new| (*old, new)))
            .collect();
        for e in &mut entries {
            e.category = remap.get(&e.category).copied().unwrap_or(e.category);
        }
        Catalogue { billers, entries, by_id, categories, by_name, rules: Mutex::new(HashMap::new()) }
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

    pub fn get(&self, id: &BillerId) -> Option<&Biller> {
        self.by_id.get(id).map(|&i| &self.billers[i])
    }

    /// The biller's param rules, compiled on first use and kept.
    pub fn rules(&self, id: &BillerId) -> Option<Arc<ParamRules>> {
        let &i = self.by_id.get(id)?;
        let mut cache = self.rules.lock().unwrap_or_else(|p| p.into_inner());
        Some(cache.entry(i).or_insert_with(|| Arc::new(ParamRules::new(&self.billers[i]))).clone())
    }

    /// A category by its code or its name (case-insensitive).
    fn category(&self, key: &str) -> Option<usize> {
        self.categories.iter().position(|c| c.code.eq_ignore_ascii_case(key) || c.name.eq_ignore_ascii_case(key))
    }

    /// How well `e` matches the query (lower is better): exact id, name prefix, word prefix, alias, substring.
    fn rank(e: &Entry, q: &str, q_words: &[String]) -> Option<u8> {
        if e.id_lc == q {
            return Some(0);
        }
        if e.name_lc.starts_with(q) {
            return Some(1);
        }
        let prefixes = |ws: &[String]| {
            !q_words.is_empty() && q_words.iter().all(|qw| ws.iter().any(|w| w.starts_with(qw.as_str())))
        };
        if prefixes(&e.name_words) {
            return Some(2);
        }
        if e.alias_lc.as_deref().is_some_and(|a| a.starts_with(q)) || prefixes(&e.alias_words) {
            return Some(3);
        }
        if e.name_lc.contains(q) || e.alias_lc.as_deref().is_some_and(|a| a.contains(q)) {
            return Some(4);
        }
        None
    }

    /// One page of billers matching `s`, and how many match in all.
    pub fn search(&self, s: &Search) -> Result<(Vec<&Biller>, usize), SearchError> {
        let category = match s.category.as_deref() {
            Some(c) => Some(self.category(c).ok_or(SearchError::UnknownCategory)?),
            None => None,
        };
        let q = s.q.as_deref().map(|q| q.trim().to_lowercase()).filter(|q| !q.is_empty());
        let q_words = q.as_deref().map(words).unwrap_or_default();
        let filter = |i: usize| {
            category.is_none_or(|c| self.entries[i].category == c)
                && s.state.as_deref().is_none_or(|st| self.billers[i].coverage.serves(st))
        };
        let mut matched: Vec<(u8, usize)> = match &q {
            None => self.by_name.iter().copied().filter(|&i| filter(i)).map(|i| (0, i)).collect(),
            Some(q) => self
                .by_name
                .iter()
                .copied()
                .filter(|&i| filter(i))
                .filter_map(|i| Self::rank(&self.entries[i], q, &q_words).map(|r| (r, i)))
                .collect(),
        };
        // `by_name` is already in name order, so a stable sort by rank keeps ties by name.
        matched.sort_by_key(|(r, _)| *r);
        let total = matched.len();
        let start = (s.page.saturating_sub(1) as usize).saturating_mul(s.per_page as usize);
        let page = matched.iter().skip(start).take(s.per_page as usize).map(|&(_, i)| &self.billers[i]).collect();
        Ok((page, total))
    }
}
