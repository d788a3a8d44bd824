use bbps_core::{Coverage, FetchRequirement};
use proptest::prelude::*;

use super::*;

pub(crate) fn biller(id: &str, name: &str, alias: Option<&str>, category: &str, coverage: Coverage) -> Biller {
    Biller {
        id: BillerId::parse(id).expect("a valid id"),
        name: name.to_owned(),
        alias: alias.map(str::to_owned),
        category: category.to_owned(),
        coverage,
        fetch_requirement: FetchRequirement::Optional,
        supports_validation: false,
        exactness: None,
        accepts_adhoc: true,
        mode_limits: Vec::new(),
        channel_limits: Vec::new(),
        params: Vec::new(),
        param_groups: Vec::new(),
        additional_info: Vec::new(),
        fees: Default::default(),
        availability: Default::default(),
        plans: None,
    }
}

fn state(state: State) -> Coverage {
    Coverage::State { state }
}

/// The search as a scan of every biller: the specification the index must match, result for result.
mod reference {
    use std::collections::HashMap;

    use bbps_core::biller::{category_code, city_key};
    use bbps_core::region::State;
    use bbps_core::{Biller, BillerId, Category, Coverage};

    use super::super::Search;

    struct Entry {
        id_lc: String,
        name_lc: String,
        name_words: Vec<String>,
        alias_lc: Option<String>,
        alias_words: Vec<String>,
        category: usize,
    }

    pub struct Scan {
        billers: Vec<Biller>,
        entries: Vec<Entry>,
        pub categories: Vec<Category>,
        by_name: Vec<usize>,
    }

    fn words(s: &str) -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
    }

    impl Scan {
        pub fn new(mut billers: Vec<Biller>) -> Scan {
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
            let mut by_name: Vec<usize> = (0..billers.len()).collect();
            by_name.sort_by(|&a, &b| {
                entries[a].name_lc.cmp(&entries[b].name_lc).then_with(|| billers[a].id.cmp(&billers[b].id))
            });
            categories.sort_by(|a, b| a.name.cmp(&b.name));
            let remap: HashMap<usize, usize> = category_index
                .iter()
                .filter_map(|(name, old)| categories.iter().position(|c| &c.name == name).map(|new| (*old, new)))
                .collect();
            for e in &mut entries {
                e.category = remap.get(&e.category).copied().unwrap_or(e.category);
            }
            Scan { billers, entries, categories, by_name }
        }

        pub fn get(&self, id: &BillerId) -> Option<&Biller> {
            let by_id: HashMap<&BillerId, usize> = self.billers.iter().enumerate().map(|(i, b)| (&b.id, i)).collect();
            by_id.get(id).map(|&i| &self.billers[i])
        }

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

        /// The page's biller ids and the total, or `None` for an unknown category.
        pub fn search(&self, s: &Search) -> Option<(Vec<BillerId>, usize)> {
            let category = match s.category.as_deref() {
                Some(key) => Some(
                    self.categories
                        .iter()
                        .position(|c| c.code.eq_ignore_ascii_case(key) || c.name.eq_ignore_ascii_case(key))?,
                ),
                None => None,
            };
            let q = s.q.as_deref().map(|q| q.trim().to_lowercase()).filter(|q| !q.is_empty());
            let q_words = q.as_deref().map(words).unwrap_or_default();
            // A city lies in the states its billers name; one no biller names lies in the state given, if any.
            let city_states = match s.city.as_deref() {
                None => Vec::new(),
                Some(city) => {
                    let mut states: Vec<State> = Vec::new();
                    for b in &self.billers {
                        if let Coverage::City { state, city: own } = &b.coverage
                            && city_key(own) == city_key(city)
                            && !states.contains(state)
                        {
                            states.push(*state);
                        }
                    }
                    if states.is_empty() {
                        states.push(s.state?);
                    }
                    states
                }
            };
            let filter = |i: usize| {
                category.is_none_or(|c| self.entries[i].category == c)
                    && s.state.is_none_or(|st| self.billers[i].coverage.serves(st))
                    && s.pincode.is_none_or(|pin| self.billers[i].coverage.serves_pin(pin))
                    && s.city.as_deref().is_none_or(|city| self.billers[i].coverage.serves_city(city, &city_states))
            };
            let mut matched: Vec<(u8, usize)> = self
                .by_name
                .iter()
                .copied()
                .filter(|&i| filter(i))
                .filter_map(|i| match &q {
                    None => Some((0, i)),
                    Some(q) => Self::rank(&self.entries[i], q, &q_words).map(|r| (r, i)),
                })
                .collect();
            matched.sort_by_key(|(r, _)| *r);
            let start = (s.page.saturating_sub(1) as usize).saturating_mul(s.per_page as usize);
            let page = matched.iter().skip(start).take(s.per_page as usize);
            Some((page.map(|&(_, i)| self.billers[i].id.clone()).collect(), matched.len()))
        }
    }
}

fn ids(c: &Catalogue, s: &Search) -> Option<(Vec<BillerId>, usize)> {
    c.search(s).ok().map(|(page, total)| (page.into_iter().map(|b| b.id.clone()).collect(), total))
}

fn names(c: &Catalogue, q: &str) -> Vec<String> {
    let s = Search { q: Some(q.into()), page: 1, per_page: 50, ..Search::default() };
    c.search(&s).ok().map(|(page, _)| page.into_iter().map(|b| b.name.clone()).collect()).unwrap_or_default()
}

#[test]
fn ranks_id_then_name_prefix_then_words_then_alias_then_substring() {
    let c = Catalogue::new(vec![
        biller("TATA00000NAT01", "Tata Power", None, "Electricity", Coverage::National),
        biller("POWE00000MUM01", "Power of Tata", None, "Electricity", state(State::Maharashtra)),
        biller("BEST00000MUM01", "Brihanmumbai Supply", Some("Tata Grid"), "Electricity", state(State::Maharashtra)),
        biller("STAT00000DEL01", "Statato Gas", None, "Gas", state(State::Delhi)),
        biller("ABCD00000DEL01", "Power Tata Delhi", None, "Electricity", state(State::Delhi)),
    ]);
    assert_eq!(
        names(&c, "tata"),
        ["Tata Power", "Power of Tata", "Power Tata Delhi", "Brihanmumbai Supply", "Statato Gas"]
    );
    assert_eq!(names(&c, " power TA "), ["Power Tata Delhi", "Power of Tata", "Tata Power"]);
    assert_eq!(names(&c, "best00000mum01"), ["Brihanmumbai Supply"]);
    assert_eq!(names(&c, "zzqx"), Vec::<String>::new());
    let mh =
        Search { state: Some(State::Maharashtra), q: Some("tata".into()), page: 2, per_page: 2, ..Search::default() };
    assert_eq!(ids(&c, &mh), Some((vec![BillerId::parse("BEST00000MUM01").expect("id")], 3)));
    assert!(c.search(&Search { category: Some("water".into()), ..Search::default() }).is_err());
}

#[test]
fn a_query_whose_trigrams_occur_apart_does_not_match() {
    let c = Catalogue::new(vec![biller("ABAX00000NAT01", "Abax Xbab", None, "Gas", Coverage::National)]);
    assert_eq!(names(&c, "abab"), Vec::<String>::new());
    assert_eq!(names(&c, "ax xb"), ["Abax Xbab"]);
}

/// Words of names, space-separated: plain, shared, with case folding that changes lengths or depends on context.
const WORDS: &str = "tata Power POWERGRID Maha Mahavitaran bank Gas water Jio Delhi Municipal co operative a aa ab x \
    abax xbab İstanbul ΣΟΦΟΣ Σ Straße Café e\u{301}cole ǅemal \u{212A}elvin 日本 ٣٣ ½ ﬁne";
const SEPARATORS: &[&str] = &[" ", "-", " & ", ". ", "/", "", "  "];
const CATEGORIES: &[&str] = &["Electricity", "Gas", "LPG Gas", "Credit Card", "Water"];
const STATES: &[State] = &[State::Maharashtra, State::Delhi, State::Karnataka, State::Punjab];

fn text() -> impl Strategy<Value = String> {
    let known = prop::sample::select(WORDS.split(' ').collect::<Vec<_>>()).prop_map(str::to_owned);
    let word = prop_oneof![4 => known, 1 => "\\PC{1,4}"];
    prop::collection::vec((word, prop::sample::select(SEPARATORS)), 0..5)
        .prop_map(|parts| parts.into_iter().map(|(w, sep)| format!("{w}{sep}")).collect())
}

fn billers() -> impl Strategy<Value = Vec<Biller>> {
    let coverage = prop_oneof![
        Just(Coverage::National),
        prop::sample::select(STATES).prop_map(state),
        (prop::sample::select(STATES), prop::sample::select(&["Pune", "Mumbai"][..]))
            .prop_map(|(state, city)| Coverage::City { state, city: city.into() }),
    ];
    let one = ("[A-C0-9]{14}", text(), prop::option::weighted(0.3, text()), prop::sample::select(CATEGORIES), coverage)
        .prop_map(|(id, name, alias, category, coverage)| biller(&id, &name, alias.as_deref(), category, coverage));
    // Some ids repeat: a catalogue does not promise they are unique.
    (prop::collection::vec(one, 0..200), prop::collection::vec((any::<usize>(), any::<usize>()), 0..3)).prop_map(
        |(mut billers, copies)| {
            for (from, to) in copies {
                if !billers.is_empty() {
                    let id = billers[from % billers.len()].id.clone();
                    let to = to % billers.len();
                    billers[to].id = id;
                }
            }
            billers
        },
    )
}

/// How to make a query from the catalogue: pieces of its names, aliases and ids, or something unrelated.
#[derive(Debug, Clone)]
enum Query {
    None,
    Free(String),
    NamePiece {
        biller: usize,
        from: usize,
        len: usize,
        upper: bool,
    },
    AliasPiece {
        biller: usize,
        from: usize,
        len: usize,
    },
    Id {
        biller: usize,
        lower: bool,
    },
    Words {
        a: usize,
        b: usize,
        cut: usize,
    },
    /// Two name pieces glued: their trigrams are in the catalogue while the whole often is not.
    Glued {
        a: (usize, usize, usize),
        b: (usize, usize, usize),
    },
}

fn query() -> impl Strategy<Value = Query> {
    let i = any::<usize>;
    prop_oneof![
        Just(Query::None),
        prop_oneof!["\\PC{0,5}", " *[a-z]{1,3} *", "[\\PC&&[^a-z]]{1,2}"].prop_map(Query::Free),
        (i(), i(), 0..12usize, any::<bool>()).prop_map(|(biller, from, len, upper)| Query::NamePiece {
            biller,
            from,
            len,
            upper
        }),
        (i(), i(), 0..12usize).prop_map(|(biller, from, len)| Query::AliasPiece { biller, from, len }),
        (i(), any::<bool>()).prop_map(|(biller, lower)| Query::Id { biller, lower }),
        (i(), i(), 1..6usize).prop_map(|(a, b, cut)| Query::Words { a, b, cut }),
        ((i(), i(), 2..5usize), (i(), i(), 2..5usize)).prop_map(|(a, b)| Query::Glued { a, b }),
    ]
}

fn piece(s: &str, from: usize, len: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    let from = from % (chars.len() + 1);
    chars[from..(from + len).min(chars.len())].iter().collect()
}

fn resolve(q: &Query, billers: &[Biller]) -> Option<String> {
    let pick = |i: usize| billers.get(i % billers.len().max(1));
    match q {
        Query::None => None,
        Query::Free(s) => Some(s.clone()),
        Query::NamePiece { biller, from, len, upper } => pick(*biller).map(|b| {
            let p = piece(&b.name, *from, *len);
            if *upper { p.to_uppercase() } else { p }
        }),
        Query::AliasPiece { biller, from, len } => {
            pick(*biller).map(|b| piece(b.alias.as_deref().unwrap_or_default(), *from, *len))
        }
        Query::Id { biller, lower } => {
            pick(*biller).map(|b| if *lower { b.id.as_str().to_lowercase() } else { b.id.to_string() })
        }
        Query::Words { a, b, cut } => {
            let word = |i: usize| {
                let name = pick(i).map(|b| b.name.clone()).unwrap_or_default();
                let words: Vec<&str> = name.split_whitespace().collect();
                words.get(i % words.len().max(1)).map(|w| w.chars().take(*cut).collect::<String>()).unwrap_or_default()
            };
            Some(format!("{} {}", word(*a), word(*b)))
        }
        Query::Glued { a, b } => {
            let part = |(biller, from, len): (usize, usize, usize)| {
                pick(biller).map(|b| piece(&b.name.to_lowercase(), from, len)).unwrap_or_default()
            };
            Some(part(*a) + &part(*b))
        }
    }
}

fn state_filter() -> impl Strategy<Value = Option<State>> {
    prop::option::of(prop::sample::select(&[State::Maharashtra, State::Delhi, State::Karnataka, State::Goa][..]))
}

/// A city some billers name (in any case and spacing), or one none does.
fn city_filter() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop::sample::select(&["Pune", " PUNE ", "Mumbai", "Nagpur"][..]).prop_map(str::to_owned))
}

/// Mumbai, New Delhi, Bengaluru, Chandigarh (Punjab's too), Panaji (no biller's state), an army post office (no
/// state at all).
fn pincode_filter() -> impl Strategy<Value = Option<Pincode>> {
    const PINS: &[&str] = &["400001", "110001", "560001", "160017", "403001", "990001"];
    prop::option::of(prop::sample::select(PINS).prop_map(|p| Pincode::parse(p).expect("a PIN code")))
}

proptest! {
    #[test]
    fn the_index_finds_what_a_scan_finds(
        billers in billers(),
        searches in prop::collection::vec(
            (query(), 0..4usize, state_filter(), pincode_filter(), city_filter(), 0..4u32, 0..12u32),
            1..24,
        ),
    ) {
        let scan = reference::Scan::new(billers.clone());
        let c = Catalogue::new(billers.clone());
        prop_assert_eq!(c.categories(), &scan.categories[..]);
        for b in &billers {
            prop_assert_eq!(c.get(&b.id), scan.get(&b.id));
        }
        for (q, category, state, pincode, city, page, per_page) in searches {
            let category = match category {
                0 => None,
                1 => CATEGORIES.iter().find(|c| billers.iter().any(|b| &b.category == *c)).map(|c| c.to_uppercase()),
                2 => c.categories().last().map(|c| c.code.clone()),
                _ => Some("nope".to_owned()),
            };
            let s = Search { category, state, pincode, city, q: resolve(&q, &billers), page, per_page };
            prop_assert_eq!(ids(&c, &s), scan.search(&s), "{:?}", s);
        }
    }
}
