//! The biller search index. Billers are numbered by their place in name order ("positions"), so every set of
//! billers is a bitset over positions and a name-ordered page is the first set bits. Each rank of a match is
//! found without a scan:
//!
//! - exact id: a binary search over the positions sorted by id;
//! - name prefix: a binary search over the names, which positions already sort;
//! - query words prefixing name (or alias) words: a binary search of each word in the sorted vocabulary, and the
//!   union of the postings of the words it prefixes;
//! - substring of the name or alias: byte trigrams with postings; the query's rarest trigrams give candidates,
//!   checked against the lower-case text only where no better rank already holds.

use std::collections::HashMap;
use std::ops::Range;

use bbps_core::Biller;

/// Positions `0..n` as bits: the filters and match sets the search combines.
#[derive(Clone)]
pub(super) struct Bits(Vec<u64>);

impl Bits {
    pub(super) fn none(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }

    pub(super) fn all(n: usize) -> Bits {
        let mut bits = Bits(vec![u64::MAX; n.div_ceil(64)]);
        if let (Some(last), tail @ 1..) = (bits.0.last_mut(), n % 64) {
            *last = (1 << tail) - 1;
        }
        bits
    }

    fn insert(&mut self, p: usize) {
        self.0[p / 64] |= 1 << (p % 64);
    }

    fn contains(&self, p: usize) -> bool {
        self.0[p / 64] & (1 << (p % 64)) != 0
    }

    pub(super) fn len(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    fn zip(&mut self, other: &Bits, f: impl Fn(u64, u64) -> u64) {
        self.0.iter_mut().zip(&other.0).for_each(|(a, &b)| *a = f(*a, b));
    }

    pub(super) fn and(&mut self, other: &Bits) {
        self.zip(other, |a, b| a & b);
    }

    pub(super) fn or(&mut self, other: &Bits) {
        self.zip(other, |a, b| a | b);
    }

    fn remove(&mut self, other: &Bits) {
        self.zip(other, |a, b| a & !b);
    }

    fn retain(&mut self, keep: impl Fn(usize) -> bool) {
        for (i, word) in self.0.iter_mut().enumerate() {
            let mut rest = *word;
            while rest != 0 {
                let bit = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                if !keep(i * 64 + bit) {
                    *word &= !(1 << bit);
                }
            }
        }
    }

    /// The set positions, ascending.
    pub(super) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(i, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let bit = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    i * 64 + bit
                })
            })
        })
    }
}

/// The positions of one key (a word, a trigram, a category, a state): a sorted list while short, bits once the
/// list would take more room than `n` bits.
pub(super) enum Postings {
    List(Box<[u32]>),
    Bits(Bits),
}

impl Postings {
    /// From ascending, distinct positions.
    pub(super) fn new(list: Vec<u32>, n: usize) -> Postings {
        if list.len() * 32 > n {
            let mut bits = Bits::none(n);
            list.iter().for_each(|&p| bits.insert(p as usize));
            Postings::Bits(bits)
        } else {
            Postings::List(list.into_boxed_slice())
        }
    }

    fn len(&self) -> usize {
        match self {
            Postings::List(list) => list.len(),
            Postings::Bits(bits) => bits.len(),
        }
    }

    fn add_to(&self, set: &mut Bits) {
        match self {
            Postings::List(list) => list.iter().for_each(|&p| set.insert(p as usize)),
            Postings::Bits(bits) => set.or(bits),
        }
    }

    pub(super) fn to_bits(&self, n: usize) -> Bits {
        let mut set = Bits::none(n);
        self.add_to(&mut set);
        set
    }

    fn intersect(&self, set: &mut Bits) {
        match self {
            Postings::List(list) => {
                let mut kept = Bits::none(set.0.len() * 64);
                list.iter().filter(|&&p| set.contains(p as usize)).for_each(|&p| kept.insert(p as usize));
                *set = kept;
            }
            Postings::Bits(bits) => set.and(bits),
        }
    }
}

/// `i` as a stored position or text offset: catalogues stay far below 4 GiB of names.
pub(super) fn small(i: usize) -> u32 {
    u32::try_from(i).expect("a catalogue of fewer than 2^32 billers and bytes of names")
}

/// The first index in `0..n` where `pred` turns false (`pred` true then false, as for `slice::partition_point`).
fn partition_point(n: usize, pred: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// The indices `0..n` whose `key` starts with `q`, when the keys are sorted: one run.
fn prefix_range<'a>(n: usize, q: &str, key: impl Fn(usize) -> &'a str) -> Range<usize> {
    let lo = partition_point(n, |i| key(i) < q);
    let hi = partition_point(n, |i| key(i) < q || key(i).starts_with(q));
    lo..hi
}

/// The lower-case words of `s`, split on anything not alphanumeric.
pub(super) fn words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

/// Each field is padded with two bytes no UTF-8 text holds, so every occurrence of a one- or two-byte query
/// starts a trigram of its field: the trigrams such a query prefixes give its matches exactly.
const PAD: [u8; 2] = [0xFF; 2];

pub(super) struct Index {
    n: usize,
    /// Position -> index into the catalogue's billers.
    by_name: Vec<u32>,
    /// Positions sorted by biller id (then biller index, so the last of equal ids is the one a map would keep).
    by_id: Vec<u32>,
    /// Every lower-case name and alias, in position order: position `p`'s name is `text[bounds[2p]..bounds[2p+1]]`
    /// and its alias (empty when it has none) runs to `bounds[2p+2]`.
    text: Box<str>,
    bounds: Vec<u32>,
    /// Positions with an alias, sorted by it.
    by_alias: Vec<u32>,
    /// The distinct words of names and aliases, sorted; with, for each, the positions whose name (alias) has it.
    words: Vec<Box<str>>,
    in_name: Vec<Postings>,
    in_alias: Vec<Postings>,
    /// The distinct byte trigrams of the padded names and aliases, sorted; with the positions holding each.
    grams: Vec<[u8; 3]>,
    gram_postings: Vec<Postings>,
}

impl Index {
    pub(super) fn new(billers: &[Biller]) -> Index {
        let n = billers.len();
        let names: Vec<String> = billers.iter().map(|b| b.name.to_lowercase()).collect();
        let mut by_name: Vec<u32> = (0..small(n)).collect();
        by_name.sort_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            names[a].cmp(&names[b]).then_with(|| billers[a].id.cmp(&billers[b].id))
        });
        let mut by_id: Vec<u32> = (0..small(n)).collect();
        by_id.sort_by(|&a, &b| {
            let (ia, ib) = (by_name[a as usize], by_name[b as usize]);
            billers[ia as usize].id.cmp(&billers[ib as usize].id).then(ia.cmp(&ib))
        });

        let mut text = String::with_capacity(names.iter().map(String::len).sum());
        let mut bounds = Vec::with_capacity(2 * n + 1);
        bounds.push(0);
        let mut vocabulary: HashMap<String, (Vec<u32>, Vec<u32>)> = HashMap::new();
        let mut grams: HashMap<[u8; 3], Vec<u32>> = HashMap::new();
        let add = |list: &mut Vec<u32>, p: u32| {
            if list.last() != Some(&p) {
                list.push(p);
            }
        };
        for (p, &i) in (0..).zip(&by_name) {
            let b = &billers[i as usize];
            let alias = b.alias.as_deref().map(str::to_lowercase).unwrap_or_default();
            for field in [names[i as usize].as_str(), &alias] {
                let start = text.len();
                text.push_str(field);
                bounds.push(small(text.len()));
                if !field.is_empty() {
                    let padded = [&text.as_bytes()[start..], &PAD].concat();
                    padded.windows(3).for_each(|g| add(grams.entry([g[0], g[1], g[2]]).or_default(), p));
                }
            }
            for w in words(&b.name) {
                add(&mut vocabulary.entry(w).or_default().0, p);
            }
            for w in b.alias.as_deref().into_iter().flat_map(words) {
                add(&mut vocabulary.entry(w).or_default().1, p);
            }
        }
        drop(names);

        let mut vocabulary: Vec<_> = vocabulary.into_iter().collect();
        vocabulary.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut grams: Vec<_> = grams.into_iter().collect();
        grams.sort_unstable_by_key(|g| g.0);
        let mut index = Index {
            n,
            by_name,
            by_id,
            text: text.into_boxed_str(),
            bounds,
            by_alias: Vec::new(),
            words: Vec::with_capacity(vocabulary.len()),
            in_name: Vec::with_capacity(vocabulary.len()),
            in_alias: Vec::with_capacity(vocabulary.len()),
            grams: grams.iter().map(|g| g.0).collect(),
            gram_postings: grams.into_iter().map(|g| Postings::new(g.1, n)).collect(),
        };
        for (word, (in_name, in_alias)) in vocabulary {
            index.words.push(word.into_boxed_str());
            index.in_name.push(Postings::new(in_name, n));
            index.in_alias.push(Postings::new(in_alias, n));
        }
        let mut by_alias: Vec<u32> = (0..small(n)).filter(|&p| !index.alias(p as usize).is_empty()).collect();
        by_alias.sort_by(|&a, &b| index.alias(a as usize).cmp(index.alias(b as usize)));
        index.by_alias = by_alias;
        index
    }

    /// How many positions there are (one per biller).
    pub(super) fn len(&self) -> usize {
        self.n
    }

    /// The biller index at position `p`.
    pub(super) fn biller(&self, p: usize) -> usize {
        self.by_name[p] as usize
    }

    /// The positions whose biller id is `id`, in biller order.
    pub(super) fn with_id(&self, billers: &[Biller], id: &str) -> &[u32] {
        let key = |p: &u32| billers[self.biller(*p as usize)].id.as_str();
        let lo = self.by_id.partition_point(|p| key(p) < id);
        let hi = self.by_id.partition_point(|p| key(p) <= id);
        &self.by_id[lo..hi]
    }

    fn name(&self, p: usize) -> &str {
        &self.text[self.bounds[2 * p] as usize..self.bounds[2 * p + 1] as usize]
    }

    fn alias(&self, p: usize) -> &str {
        &self.text[self.bounds[2 * p + 1] as usize..self.bounds[2 * p + 2] as usize]
    }

    /// The positions matching `q` (lower-case, trimmed, not empty) within `filter`, by rank: exact id, name
    /// prefix, every query word prefixing a name word, alias prefix or alias word prefixes, name or alias
    /// substring. Each position is in the first rank it matches only.
    pub(super) fn ranks(&self, billers: &[Biller], q: &str, filter: &Bits) -> [Bits; 5] {
        let n = self.n;
        let q_words: Vec<String> = words(q).collect();
        // Biller ids are upper-case ASCII letters and digits (`BillerId` checks), so a lower-case query is a
        // lower-cased id exactly when upper-casing its ASCII gives the id.
        let mut exact = Bits::none(n);
        self.with_id(billers, &q.to_ascii_uppercase()).iter().for_each(|&p| exact.insert(p as usize));
        let mut prefix = Bits::none(n);
        prefix_range(n, q, |p| self.name(p)).for_each(|p| prefix.insert(p));
        let name_words = self.word_prefixes(&q_words, &self.in_name);
        let mut alias = self.word_prefixes(&q_words, &self.in_alias);
        let aliases = prefix_range(self.by_alias.len(), q, |i| self.alias(self.by_alias[i] as usize));
        self.by_alias[aliases].iter().for_each(|&p| alias.insert(p as usize));

        let mut ranks = [exact, prefix, name_words, alias, Bits::none(n)];
        let mut open = filter.clone();
        for rank in &mut ranks[..4] {
            rank.and(&open);
            open.remove(rank);
        }
        // Substrings last: only the positions no better rank took need their text checked.
        ranks[4] = self.substrings(q, &open);
        ranks[4].and(&open);
        ranks
    }

    /// The positions where every query word prefixes one of the words `postings` lists (none for no word).
    fn word_prefixes(&self, q_words: &[String], postings: &[Postings]) -> Bits {
        let mut all: Option<Bits> = None;
        for qw in q_words {
            let mut any = Bits::none(self.n);
            prefix_range(self.words.len(), qw, |w| &self.words[w]).for_each(|w| postings[w].add_to(&mut any));
            match &mut all {
                Some(all) => all.and(&any),
                None => all = Some(any),
            }
        }
        all.unwrap_or_else(|| Bits::none(self.n))
    }

    /// Positions whose name or alias contains `q`: exact within `open`, possibly more outside it.
    fn substrings(&self, q: &str, open: &Bits) -> Bits {
        let bytes = q.as_bytes();
        let mut found = Bits::none(self.n);
        if bytes.len() < 3 {
            let lo = self.grams.partition_point(|g| &g[..bytes.len()] < bytes);
            let hi = self.grams.partition_point(|g| &g[..bytes.len()] <= bytes);
            self.gram_postings[lo..hi].iter().for_each(|p| p.add_to(&mut found));
            return found;
        }
        let mut grams = Vec::with_capacity(bytes.len() - 2);
        for g in bytes.windows(3) {
            match self.grams.binary_search(&[g[0], g[1], g[2]]) {
                Ok(i) => grams.push(&self.gram_postings[i]),
                Err(_) => return found,
            }
        }
        // A few of the rarest trigrams narrow enough; the text check below is exact anyway.
        grams.sort_by_cached_key(|p| p.len());
        let (rarest, rest) = grams.split_at(1);
        rarest[0].add_to(&mut found);
        found.and(open);
        rest.iter().take(3).for_each(|p| p.intersect(&mut found));
        if bytes.len() > 3 {
            found.retain(|p| self.name(p).contains(q) || self.alias(p).contains(q));
        }
        found
    }
}
