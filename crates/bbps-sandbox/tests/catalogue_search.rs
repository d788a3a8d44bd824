//! Biller search over the sandbox's catalogue: the engine's ranking and filters on real-shaped data.

use bbps_engine::catalogue::{Catalogue, Search};
use bbps_sandbox::network::generator::catalogue;

fn names(c: &Catalogue, s: Search) -> Vec<String> {
    c.search(&s).ok().map(|(items, _)| items.into_iter().map(|b| b.name.clone()).collect()).unwrap_or_default()
}

#[test]
fn ranks_id_then_prefix_then_word_then_alias_then_substring() {
    let c = Catalogue::new(catalogue(0));
    let search = |q: &str| Search { q: Some(q.into()), page: 1, per_page: 50, ..Search::default() };
    let bescom = c.billers().iter().find(|b| b.alias.as_deref() == Some("BESCOM")).map(|b| b.id.to_string());
    let id = bescom.unwrap_or_default();
    assert_eq!(names(&c, search(&id.to_lowercase()))[0], "Bangalore Electricity Supply Co. Ltd");
    let tata = names(&c, search("tata"));
    assert!(tata[0].starts_with("Tata"), "{tata:?}");
    let power = names(&c, search("power"));
    assert!(power.iter().any(|n| n.starts_with("Tata Power")), "word prefix matches");
    assert_eq!(names(&c, search("mahavitaran")), vec!["Maharashtra State Electricity Distribution Co. Ltd"]);
    let sub = names(&c, search("ndane"));
    assert_eq!(sub, vec!["Indane Gas (Indian Oil)"]);
}

#[test]
fn filters_by_category_and_state_with_national_billers() {
    let c = Catalogue::new(catalogue(0));
    let s = Search {
        category: Some("electricity".into()),
        state: Some(bbps_core::region::State::Delhi),
        page: 1,
        per_page: 50,
        ..Search::default()
    };
    let (items, total) = c.search(&s).ok().unwrap_or_default();
    assert_eq!(items.len(), total);
    assert!(items.iter().all(|b| b.category == "Electricity" && b.coverage.serves(bbps_core::region::State::Delhi)));
    assert!(items.iter().any(|b| b.name.starts_with("BSES")));
    let dth = Search {
        category: Some("DTH".into()),
        state: Some(bbps_core::region::State::Karnataka),
        page: 1,
        per_page: 50,
        ..Search::default()
    };
    assert_eq!(c.search(&dth).ok().map(|r| r.1), Some(5), "national billers serve every state");
    assert!(c.search(&Search { category: Some("nope".into()), page: 1, per_page: 5, ..Search::default() }).is_err());
}

#[test]
fn every_category_of_the_design_is_present() {
    let c = Catalogue::new(catalogue(0));
    assert_eq!(c.categories().len(), 30);
    assert!(c.len() >= 150);
}
