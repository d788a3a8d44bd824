//! Categories, biller search and biller rules.

use reqwest::StatusCode;

use crate::common::*;

#[tokio::test]
async fn categories_cover_the_design_with_counts() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let (status, body) = s.get("/v1/categories", &token).await;
    assert_eq!(status, StatusCode::OK);
    let cats = body["categories"].as_array().expect("categories");
    for name in [
        "Broadband Postpaid",
        "Cable TV",
        "Clubs and Associations",
        "Credit Card",
        "Donation",
        "DTH",
        "eChallan",
        "Education Fees",
        "Electricity",
        "EV Recharge",
        "Fastag",
        "Gas",
        "Hospital",
        "Hospital and Pathology",
        "Housing Society",
        "Insurance",
        "Landline Postpaid",
        "Loan Repayment",
        "LPG Gas",
        "Mobile Postpaid",
        "Mobile Prepaid",
        "Municipal Services",
        "Municipal Taxes",
        "National Pension System",
        "NCMC Recharge",
        "Prepaid Meter",
        "Recurring Deposit",
        "Rental",
        "Subscription",
        "Water",
    ] {
        assert!(cats.iter().any(|c| c["name"] == name && c["biller_count"].as_u64() > Some(0)), "{name}");
    }
    let total: u64 = cats.iter().filter_map(|c| c["biller_count"].as_u64()).sum();
    assert!(total >= 150, "{total}");
    let hpl = cats.iter().find(|c| c["name"] == "Hospital and Pathology").expect("category");
    assert_eq!(hpl["code"], "hospital-and-pathology");
    let (_, all) = s.get("/v1/billers?per_page=1", &token).await;
    assert_eq!(all["total"].as_u64(), Some(total));
}

#[tokio::test]
async fn billers_filter_search_and_paginate() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let (status, page) = s.get("/v1/billers?category=electricity&state=DL&per_page=50", &token).await;
    assert_eq!(status, StatusCode::OK);
    let items = page["items"].as_array().expect("items");
    assert!(items.iter().all(|b| b["category"] == "Electricity"));
    assert!(items.iter().all(|b| b["coverage"]["kind"] == "national" || b["coverage"]["state"] == "DL"), "{page}");
    assert!(items.iter().any(|b| b["name"] == "BSES Yamuna Power Limited"));

    let (_, dth) = s.get("/v1/billers?category=DTH&state=KA", &token).await;
    assert_eq!(dth["total"], 5, "national billers are included for any state");
    let (_, by_name) = s.get("/v1/billers?category=electricity&state=delhi&per_page=50", &token).await;
    assert_eq!(by_name["total"], page["total"], "a state by its name, or its BBPS code, is the same state");
    let (_, by_bbps_code) = s.get("/v1/billers?category=electricity&state=DEL&per_page=50", &token).await;
    assert_eq!(by_bbps_code["total"], page["total"]);
    let (status, e) = s.get("/v1/billers?category=electricity&state=ZZ", &token).await;
    assert_eq!(
        (status, e["code"].as_str(), e["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_query"), Some("state"))
    );

    let (_, found) = s.get("/v1/billers?q=tata%20pow", &token).await;
    let names: Vec<&str> =
        found["items"].as_array().expect("items").iter().filter_map(|b| b["name"].as_str()).collect();
    assert!(names.len() >= 2 && names.iter().all(|n| n.to_lowercase().contains("tata power")), "{names:?}");
    let (_, by_alias) = s.get("/v1/billers?q=BESCOM", &token).await;
    assert_eq!(by_alias["items"][0]["name"], "Bangalore Electricity Supply Co. Ltd");
    let (_, by_id) = s.get(&format!("/v1/billers?q={}", MSEDCL.to_lowercase()), &token).await;
    assert_eq!(by_id["items"][0]["id"], MSEDCL);

    let (_, p1) = s.get("/v1/billers?category=electricity&per_page=10&page=1", &token).await;
    let (_, p2) = s.get("/v1/billers?category=electricity&per_page=10&page=2", &token).await;
    assert_eq!(p1["total"], p2["total"]);
    assert_eq!(p2["page"], 2);
    let first: Vec<&serde_json::Value> = p1["items"].as_array().expect("p1").iter().map(|b| &b["id"]).collect();
    assert!(p2["items"].as_array().expect("p2").iter().all(|b| !first.contains(&&b["id"])), "pages do not overlap");
    let (_, beyond) = s.get("/v1/billers?category=electricity&per_page=10&page=99", &token).await;
    assert_eq!(beyond["items"].as_array().map(Vec::len), Some(0));

    let (status, e) = s.get("/v1/billers?category=nope", &token).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::NOT_FOUND, Some("category_not_found")));
    let (status, e) = s.get("/v1/billers?per_page=51", &token).await;
    assert_eq!(
        (status, e["code"].as_str(), e["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_query"), Some("per_page"))
    );
    let (_, e) = s.get("/v1/billers?page=abc", &token).await;
    assert_eq!(e["code"], "invalid_query");
}

#[tokio::test]
async fn a_biller_has_its_full_rules() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let (status, b) = s.get(&format!("/v1/billers/{MSEDCL}"), &token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(b["fetch_requirement"], "MANDATORY");
    assert_eq!(b["exactness"], "exact_and_above");
    assert_eq!(b["params"][0]["name"], "Consumer Number");
    assert!(b["params"][0]["regex"].is_string());
    assert!(b["mode_limits"].as_array().is_some_and(|m| m.iter().any(|l| l["mode"] == "UPI")));
    let (status, e) = s.get("/v1/billers/ZZZZZ0000NAT99", &token).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::NOT_FOUND, Some("biller_not_found")));
    let (status, e) = s.get("/v1/billers/bad-id", &token).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_path")));
}

#[tokio::test]
async fn a_network_sized_catalogue_searches_quickly() {
    let s = start_server(|c| c.sandbox.biller_count = Some(22_000)).await;
    assert_eq!(s.state().engine.catalogue().len(), 22_000);
    let token = s.session().await;
    let (status, page) = s.get("/v1/billers?q=nashik&state=MH", &token).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page["total"].as_u64() > Some(10), "{}", page["total"]);
    assert!(page["items"][0]["name"].as_str().is_some_and(|n| n.to_lowercase().starts_with("nashik")), "{page}");
}

/// The names of a biller page's billers that take no bills now (listed with `unavailable_until`).
fn dated(page: &serde_json::Value) -> Vec<&str> {
    let items = page["items"].as_array().into_iter().flatten();
    items.filter(|b| b.get("unavailable_until").is_some()).filter_map(|b| b["name"].as_str()).collect()
}

#[tokio::test]
async fn a_paused_or_not_yet_effective_biller_is_listed_with_its_date_and_takes_no_bills() {
    use bbps_sandbox::network::catalogue::{NOT_YET_EFFECTIVE, PAUSED};
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let now = bbps_server::util::now();
    let today = now.next_midnight_ist().saturating_sub(time::Duration::days(1));
    for (name, until) in [(PAUSED, 3), (NOT_YET_EFFECTIVE, 30)] {
        let id = biller_id(&s, name);
        // The master data came over the XML wire: its dates reached the catalogue and are shown in search.
        let (status, page) = s.get(&format!("/v1/billers?q={id}"), &token).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let expected = today.saturating_add(time::Duration::days(until)).to_string();
        assert_eq!(page["items"][0]["unavailable_until"], expected.as_str(), "{name}: {page}");
        let (status, e) = s.fetch(&token, &id, serde_json::json!({})).await;
        assert_eq!(
            (status, e["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("biller_not_available")),
            "{e}"
        );
        assert_eq!(e["field"], "biller_id");
        let wait = e["retry_after"].as_u64().unwrap_or(0) as i64;
        let left = bbps_core::Timestamp::parse(&expected).map_or(0, |t| t.unix_seconds() - now.unix_seconds());
        assert!((left - 5..=left + 5).contains(&wait), "{name}: retry after {wait} s, {left} s left");
    }
    // Every other biller is listed without a date.
    let (_, page) = s.get("/v1/billers?category=electricity&per_page=50", &token).await;
    let dated = dated(&page);
    assert!(dated.iter().all(|n| [PAUSED, NOT_YET_EFFECTIVE].contains(n)), "{dated:?}");
}

#[tokio::test]
async fn a_biller_the_networks_status_says_is_down_is_listed_until_its_end_and_takes_no_bills() {
    use bbps_sandbox::network::catalogue::DOWN;
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let now = bbps_server::util::now();
    let id = biller_id(&s, DOWN);
    // The master data says active; the BillerStatusUpdate answering our BillerStatusRequest says down, since the
    // last half hour began, for two hours. The status is asked for just after start.
    let mut page = serde_json::Value::Null;
    for _ in 0..100 {
        let (status, p) = s.get(&format!("/v1/billers?q={id}"), &token).await;
        assert_eq!(status, StatusCode::OK, "{p}");
        page = p;
        if page["items"][0]["unavailable_until"].is_string() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let until = page["items"][0]["unavailable_until"].as_str().and_then(bbps_core::Timestamp::parse);
    let left = until.map_or(0, |t| t.unix_seconds() - now.unix_seconds());
    assert!((90 * 60 - 5..=120 * 60 + 5).contains(&left), "down for 90 to 120 minutes more: {page}");
    let (_, biller) = s.get(&format!("/v1/billers/{id}"), &token).await;
    assert!(biller["availability"]["paused"]["end"].is_string(), "the biller's own rules say so too: {biller}");
    let (status, e) = s.fetch(&token, &id, serde_json::json!({})).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("biller_not_available")), "{e}");
    let wait = e["retry_after"].as_u64().unwrap_or(0) as i64;
    assert!((left - 5..=left + 5).contains(&wait), "retry after {wait} s, {left} s left");
    // Only that biller is down by its status: its category's others take bills.
    let (_, gas) = s.get("/v1/billers?category=gas&per_page=50", &token).await;
    assert_eq!(dated(&gas), [DOWN], "{gas}");
}

#[tokio::test]
async fn a_biller_the_network_withdraws_after_start_leaves_the_catalogue_at_the_next_incremental_pull() {
    use bbps_sandbox::network::catalogue::WITHDRAWN;
    let started = std::time::Instant::now();
    let s = start_server(|c| {
        c.sandbox.catalogue_change = std::time::Duration::from_secs(5);
        c.catalogue_refresh = std::time::Duration::from_millis(300);
    })
    .await;
    let token = s.session().await;
    let listed =
        |page: &serde_json::Value| page["items"].as_array().into_iter().flatten().any(|b| b["name"] == WITHDRAWN);
    let (_, page) = s.get("/v1/billers?category=gas&per_page=50", &token).await;
    // On a machine that took long to start, the change may have come already.
    if started.elapsed() < std::time::Duration::from_secs(4) {
        assert!(listed(&page), "listed before the network withdraws it: {page}");
    }
    let id = page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|b| b["name"] == WITHDRAWN)
        .and_then(|b| b["id"].as_str())
        .map(str::to_owned);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let (_, page) = s.get("/v1/billers?category=gas&per_page=50", &token).await;
        if !listed(&page) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "still listed 30 s on: {page}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // Gone from the rules and the fetch as well.
    if let Some(id) = id {
        let (status, e) = s.get(&format!("/v1/billers/{id}"), &token).await;
        assert_eq!((status, e["code"].as_str()), (StatusCode::NOT_FOUND, Some("biller_not_found")), "{e}");
        let (status, e) = s.fetch(&token, &id, serde_json::json!({})).await;
        assert_eq!(e["code"].as_str(), Some("biller_not_found"), "{status} {e}");
    }
}

#[tokio::test]
async fn a_city_narrows_billers_to_its_own_its_states_and_national_ones() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let serves_mumbai = |b: &serde_json::Value| {
        let c = &b["coverage"];
        c["kind"] == "national" || (c["kind"] == "state" && c["state"] == "MH") || c["city"] == "Mumbai"
    };
    let (status, mumbai) = s.get("/v1/billers?city=Mumbai&per_page=50", &token).await;
    assert_eq!(status, StatusCode::OK, "{mumbai}");
    let items = mumbai["items"].as_array().expect("items");
    assert!(items.iter().all(serves_mumbai), "{mumbai}");
    for name in ["Adani Electricity Mumbai Limited", "Maharashtra State Electricity Distribution Co. Ltd"] {
        let (_, page) = s.get(&format!("/v1/billers?city=Mumbai&q={}", name.replace(' ', "%20")), &token).await;
        assert!(page["items"].as_array().expect("items").iter().any(|b| b["name"] == name), "{name}: {page}");
    }
    // Pune's own billers are not Mumbai's.
    let (_, pune_gas) = s.get("/v1/billers?city=Mumbai&q=Maharashtra%20Natural%20Gas", &token).await;
    assert_eq!(pune_gas["total"], 0, "{pune_gas}");
    // Case and spacing do not matter.
    let (_, spaced) = s.get("/v1/billers?city=%20mUMBAI%20&per_page=50", &token).await;
    assert_eq!(spaced["total"], mumbai["total"]);
    // A city no biller names needs its state: then national and state-wide billers.
    let (status, e) = s.get("/v1/billers?city=Nashik", &token).await;
    assert_eq!(
        (status, e["code"].as_str(), e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("city_unknown"), Some("city")),
        "{e}"
    );
    let (status, nashik) = s.get("/v1/billers?category=electricity&city=Nashik&state=MH&per_page=50", &token).await;
    assert_eq!(status, StatusCode::OK, "{nashik}");
    let kinds: Vec<&str> =
        nashik["items"].as_array().expect("items").iter().filter_map(|b| b["coverage"]["kind"].as_str()).collect();
    assert!(kinds.iter().all(|k| ["national", "state"].contains(k)) && kinds.contains(&"state"), "{nashik}");
    let (status, e) = s.get("/v1/billers?city=%20%20", &token).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_query")), "{e}");
}

#[tokio::test]
async fn a_pin_code_narrows_billers_to_its_state_and_national_ones() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    // 560001 is Bengaluru: Karnataka's billers and national ones, the same list as the state filter's.
    let (status, near) = s.get("/v1/billers?category=electricity&pincode=560001&per_page=50", &token).await;
    assert_eq!(status, StatusCode::OK, "{near}");
    let items = near["items"].as_array().expect("items");
    assert!(items.iter().any(|b| b["name"] == "Bangalore Electricity Supply Co. Ltd"), "{near}");
    assert!(items.iter().all(|b| b["coverage"]["kind"] == "national" || b["coverage"]["state"] == "KA"), "{near}");
    let (_, karnataka) = s.get("/v1/billers?category=electricity&state=KA&per_page=50", &token).await;
    assert_eq!(near["total"], karnataka["total"]);
    // As India Post prints it, with a space; and 160017 (Chandigarh) is Chandigarh's and Punjab's.
    let (status, printed) = s.get("/v1/billers?category=electricity&pincode=560%20001&per_page=50", &token).await;
    assert_eq!((status, &printed["total"]), (StatusCode::OK, &near["total"]));
    let (_, border) = s.get("/v1/billers?category=electricity&pincode=160017&per_page=50", &token).await;
    let states: Vec<&str> =
        border["items"].as_array().expect("items").iter().filter_map(|b| b["coverage"]["state"].as_str()).collect();
    assert!(states.contains(&"PB") && states.iter().all(|s| ["CH", "PB"].contains(s)), "{states:?}");
    // Both filters narrow: a Mumbai PIN with Delhi chosen leaves only national billers.
    let (_, both) = s.get("/v1/billers?category=electricity&state=DL&pincode=400001&per_page=50", &token).await;
    assert!(both["items"].as_array().expect("items").iter().all(|b| b["coverage"]["kind"] == "national"), "{both}");

    for (bad, message) in
        [("56000", "6 digits"), ("5600011", "6 digits"), ("56000A", "only digits"), ("056001", "starts with 0")]
    {
        let (status, e) = s.get(&format!("/v1/billers?pincode={bad}"), &token).await;
        assert_eq!(
            (status, e["code"].as_str(), e["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some("invalid_query"), Some("pincode")),
            "{bad}: {e}"
        );
        assert!(e["message"].as_str().is_some_and(|m| m.contains(message)), "{bad}: {e}");
    }
    // An army post office's PIN places the customer in no state: the customer chooses one instead.
    let (status, e) = s.get("/v1/billers?pincode=990001", &token).await;
    assert_eq!(
        (status, e["code"].as_str(), e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("pincode_unknown"), Some("pincode")),
        "{e}"
    );
}
