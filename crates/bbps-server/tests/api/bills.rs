//! Bill fetch and validation, with every sandbox outcome that shows at fetch time.

use reqwest::StatusCode;
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn a_fetched_bill_is_stored_as_a_quote() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let q = s.fetch_ok(&token, MSEDCL, json!({ "Consumer Number": " 100234567890 " })).await;
    assert_eq!(q["kind"], "fetched");
    assert_eq!(q["ref_id"].as_str().map(str::len), Some(35));
    assert_eq!(q["params"], json!([{ "name": "Consumer Number", "value": "100234567890" }]), "trimmed");
    let amount = q["bill"]["amount"].as_u64().expect("amount");
    assert!(amount > 0);
    assert_eq!(q["amount_bounds"]["min"].as_u64(), Some(amount), "exact and above: at least the bill");
    assert_eq!(q["amount_bounds"]["suggested"].as_u64(), Some(amount));
    assert!(q["bill"]["customer_name"].is_string() && q["bill"]["due_date"].is_string());
    // The same account gives the same bill (deterministic sandbox), with a new refId.
    let again = s.fetch_ok(&token, MSEDCL, json!({ "Consumer Number": "100234567890" })).await;
    assert_eq!(again["bill"]["amount"], q["bill"]["amount"]);
    assert_ne!(again["ref_id"], q["ref_id"]);
    assert_eq!(
        count(&s.db(), "SELECT COUNT(*) FROM quotes WHERE ref_id = ?1", &[q["ref_id"].as_str().unwrap_or("")]),
        1
    );
}

#[tokio::test]
async fn params_are_validated_before_anything_goes_out() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let insurer = biller_id(&s, "Life Insurance Corporation of India");
    let (status, e) = s
        .fetch(
            &token,
            &insurer,
            json!({ "Policy Number": "12ab", "Date of Birth (DD/MM/YYYY)": "31-12-1990", "Extra": "x" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let codes: Vec<(&str, &str)> = e["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|f| Some((f["field"].as_str()?, f["code"].as_str()?)))
        .collect();
    assert_eq!(
        codes,
        vec![
            ("Extra", "param_unknown"),
            ("Policy Number", "param_not_numeric"),
            ("Date of Birth (DD/MM/YYYY)", "param_pattern_mismatch")
        ]
    );
    assert_eq!(e["code"], "param_unknown");
    assert_eq!(e["field"], "Extra");
    let lpg = biller_id(&s, "Indane Gas (Indian Oil)");
    let (_, e) = s.fetch(&token, &lpg, json!({})).await;
    assert_eq!(e["code"], "param_group_unsatisfied", "LPG ID or mobile: {e}");
    let lpg_quote = s.fetch_ok(&token, &lpg, json!({ "Registered Mobile Number": "9876543210" })).await;
    assert_eq!(lpg_quote["exactness"], "exact");
    assert_eq!(
        count(&s.db(), "SELECT COUNT(*) FROM sandbox_bbps_fetches", &[]),
        1,
        "rejected fetches never reached the network"
    );
}

#[tokio::test]
async fn sandbox_fetch_outcomes_map_to_stable_codes() {
    let s = start_server(|c| c.fetch_timeout = std::time::Duration::from_millis(300)).await;
    let token = s.session().await;
    let account = |suffix: &str| json!({ "Consumer Number": format!("10023456{suffix}") });
    let cases = [
        ("0001", StatusCode::UNPROCESSABLE_ENTITY, "bill_invalid_account", Some("BFR001")),
        ("0002", StatusCode::UNPROCESSABLE_ENTITY, "bill_no_bill_due", Some("BFR004")),
        ("0003", StatusCode::SERVICE_UNAVAILABLE, "biller_unavailable", Some("BFR008")),
        ("0004", StatusCode::GATEWAY_TIMEOUT, "biller_timeout", None),
    ];
    for (suffix, status, code, bbps) in cases {
        let (got, e) = s.fetch(&token, MSEDCL, account(suffix)).await;
        assert_eq!((got, e["code"].as_str()), (status, Some(code)), "{suffix}: {e}");
        assert_eq!(e["bbps_code"].as_str(), bbps, "{suffix}");
        assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let (_, unavailable) = s.fetch(&token, MSEDCL, account("0003")).await;
    assert!(unavailable["retry_after"].as_u64().is_some());

    let options = s.fetch_ok(&token, MSEDCL, account("0007")).await;
    let opts = options["bill"]["amount_options"].as_array().expect("options");
    assert_eq!(opts.len(), 2);
    assert!(opts[0]["amount"].as_u64() < options["bill"]["amount"].as_u64(), "early payment is cheaper");
    assert!(!options["bill"]["additional_info"].as_array().expect("info").is_empty());

    let overdue = s.fetch_ok(&token, MSEDCL, account("0008")).await;
    let due = overdue["bill"]["due_date"].as_str().expect("due date").to_owned();
    let today = bbps_server::util::now().ist_date().to_string();
    assert!(due < today, "{due} is before {today}");
}

#[tokio::test]
async fn fetch_not_supported_and_validation() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let dth = biller_id(&s, "Tata Play");
    let (status, e) = s.fetch(&token, &dth, json!({ "Subscriber ID": "1023456789" })).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("bill_fetch_not_supported")));

    let validate =
        |params| s.post("/v1/bills/validate", &token, json!({ "biller_id": dth, "params": params, "channel": "MOB" }));
    let (status, q) = validate(json!({ "Subscriber ID": "1023456789" })).await;
    assert_eq!(status, StatusCode::CREATED, "{q}");
    assert_eq!(q["kind"], "validated");
    assert!(q["bill"].is_null() && q["customer_name"].is_string());
    let (status, e) = validate(json!({ "Subscriber ID": "1023450001" })).await;
    assert_eq!(
        (status, e["code"].as_str(), e["bbps_code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("bill_validation_failed"), Some("BVR001"))
    );

    let (status, e) = s
        .post(
            "/v1/bills/validate",
            &token,
            json!({ "biller_id": MSEDCL, "params": { "Consumer Number": "100234567890" }, "channel": "INT" }),
        )
        .await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("bill_validation_not_supported")));
    let (status, e) = s.fetch(&token, "ZZZZZ0000NAT99", json!({})).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::NOT_FOUND, Some("biller_not_found")));
}
