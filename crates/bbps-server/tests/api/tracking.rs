//! Transaction tracking and the complaint lifecycle.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::*;

async fn completed_payment(s: &TestServer, token: &str) -> Value {
    let p = s.bill_payment(token, "100234567890").await;
    s.upi(&p["upi"]["link"], "approve").await;
    s.wait_status(token, &p["id"], "completed").await
}

#[tokio::test]
async fn transactions_by_reference_and_by_mobile() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let done = completed_payment(&s, &token).await;
    let txn_ref = done["receipt"]["txn_ref"].as_str().expect("txn ref").to_owned();

    let (status, list) = s.get(&format!("/v1/transactions?txn_ref={txn_ref}"), &token).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["items"][0]["payment_id"], done["id"]);
    assert_eq!(list["items"][0]["customer_mobile_masked"], "98xxxxxx10");
    assert_eq!(list["items"][0]["status"], "completed");

    let today = bbps_server::util::now().ist_date();
    let from = (today - time::Duration::days(7)).to_string();
    let mine = s.tracking_token(&token, "9876543210").await;
    let (status, list) =
        s.get_tracked(&format!("/v1/transactions?mobile=9876543210&from={from}&to={today}"), &token, &mine).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(list["items"][0]["customer_mobile_masked"], "98xxxxxx10");
    let other = s.tracking_token(&token, "9876500000").await;
    let (_, none) =
        s.get_tracked(&format!("/v1/transactions?mobile=9876500000&from={from}&to={today}"), &token, &other).await;
    assert_eq!(none["items"].as_array().map(Vec::len), Some(0));

    let long_ago = (today - time::Duration::days(120)).to_string();
    let tracked = |q: String| {
        let (s, token, mine) = (&s, &token, &mine);
        async move { s.get_tracked(&format!("/v1/transactions?{q}"), token, mine).await }
    };
    let (status, e) = tracked(format!("mobile=9876543210&from={long_ago}&to={today}")).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("date_range_invalid")));
    let (_, e) = tracked(format!("mobile=9876543210&from={today}&to={from}")).await;
    assert_eq!(e["code"], "date_range_invalid");
    // The one rule of bbps_core::TrackRange, as the widget applies it: `to` at most 90 days after `from`.
    for (days, accepted) in [(89, true), (90, true), (91, false)] {
        let from = (today - time::Duration::days(days)).to_string();
        let (status, body) = tracked(format!("mobile=9876543210&from={from}&to={today}")).await;
        let expected = if accepted { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
        assert_eq!(status, expected, "{days} days: {body}");
    }
    let (_, e) = tracked(format!("mobile=12345&from={from}&to={today}")).await;
    assert_eq!(e["code"], "mobile_invalid");
    let (status, e) = s.get("/v1/transactions?txn_ref=AAAAAAAAAAAAAAAAAAAA", &token).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::NOT_FOUND, Some("transaction_not_found")));
    let (status, e) = s.get("/v1/transactions", &token).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_query")));
}

#[tokio::test]
async fn complaints_move_from_logged_to_resolved() {
    // The wire carries times to the second, so the steps are more than a second apart.
    let s = start_server(|c| c.sandbox.complaint_step = Duration::from_millis(1100)).await;
    let token = s.session().await;
    let done = completed_payment(&s, &token).await;
    let txn_ref = done["receipt"]["txn_ref"].clone();
    let (status, c) = s
        .post("/v1/complaints", &token, json!({ "kind": "transaction", "txn_ref": txn_ref, "disposition": "D32", "description": "Bill paid but still showing due" }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    assert_eq!(c["status"], "logged");
    assert_eq!(c["subject"]["disposition"], "D32");
    assert_eq!(c["id"].as_str().map(str::len), Some(15));
    let path = format!("/v1/complaints/{}", c["id"].as_str().unwrap_or(""));
    let resolved = eventually(|| async {
        let (_, now) = s.get(&path, &token).await;
        (now["status"] == "resolved").then_some(now)
    })
    .await
    .expect("the complaint resolves");
    let history: Vec<&str> =
        resolved["history"].as_array().expect("history").iter().filter_map(|h| h["status"].as_str()).collect();
    assert_eq!(history, vec!["logged", "assigned", "resolved"]);
    let times: Vec<&str> =
        resolved["history"].as_array().expect("history").iter().filter_map(|h| h["at"].as_str()).collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
    assert!(resolved["assigned_to"].as_str().is_some_and(|a| a.contains("Maharashtra")), "{resolved}");
    assert!(resolved["remarks"].as_str().is_some_and(|r| r.starts_with("Resolved")));
    let (_, again) = s.get(&path, &token).await;
    assert_eq!(again["history"], resolved["history"], "history is persisted, not recomputed");
}

#[tokio::test]
async fn complaint_rules() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let (status, c) = s
        .post("/v1/complaints", &token, json!({ "kind": "service", "target": { "kind": "biller", "biller_id": MSEDCL }, "reason": "biller_wrong_bill", "description": "The bill is for someone else", "customer_mobile": "9876543210" }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    assert_eq!(c["subject"]["kind"], "service");
    let (status, c) = s
        .post("/v1/complaints", &token, json!({ "kind": "service", "target": { "kind": "agent", "agent_id": "AI01AI02INT512345678" }, "reason": "agent_overcharging", "description": "Charged extra", "customer_mobile": "9876543210" }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    // An agent id is 20 letters or digits: the widget and the server share the rule (bbps_core::AgentId), and a
    // body that breaks it does not parse.
    for bad in ["AI01AI02INT001", "AI01AI02INT5123456789", "AI01AI02INT51234567-", "ai01ai02int512345678"] {
        let (status, e) = s
            .post("/v1/complaints", &token, json!({ "kind": "service", "target": { "kind": "agent", "agent_id": bad }, "reason": "agent_overcharging", "description": "Charged extra", "customer_mobile": "9876543210" }))
            .await;
        assert_eq!((status, e["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_json")), "{bad}: {e}");
        let message = e["message"].as_str().unwrap_or("");
        assert!(message.contains("an agent id must be 20 upper-case letters or digits"), "{bad}: {message}");
    }

    let (status, e) = s
        .post("/v1/complaints", &token, json!({ "kind": "service", "target": { "kind": "biller", "biller_id": MSEDCL }, "reason": "agent_overcharging", "description": "Charged extra", "customer_mobile": "9876543210" }))
        .await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("complaint_target_invalid")));
    let (_, e) = s
        .post("/v1/complaints", &token, json!({ "kind": "service", "target": { "kind": "biller", "biller_id": "ZZZZZ0000NAT99" }, "reason": "biller_wrong_bill", "description": "Wrong bill", "customer_mobile": "9876543210" }))
        .await;
    assert_eq!(e["code"], "complaint_target_invalid");
    let (_, e) = s
        .post("/v1/complaints", &token, json!({ "kind": "service", "target": { "kind": "biller", "biller_id": MSEDCL }, "reason": "biller_wrong_bill", "description": " ", "customer_mobile": "9876543210" }))
        .await;
    assert_eq!(e["code"], "complaint_description_invalid");
    let (status, e) = s
        .post("/v1/complaints", &token, json!({ "kind": "transaction", "txn_ref": "AAAAAAAAAAAAAAAAAAAA", "disposition": "D11", "description": "Money gone" }))
        .await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::NOT_FOUND, Some("transaction_not_found")));
    let (_, e) = s.post("/v1/complaints", &token, json!({ "kind": "transaction", "txn_ref": "AAAAAAAAAAAAAAAAAAAA", "disposition": "D99", "description": "x" })).await;
    assert_eq!(e["code"], "invalid_json", "an unknown dispute code is refused");
    let (status, e) = s.get("/v1/complaints/AAAAAAAAAAAAAAA", &token).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::NOT_FOUND, Some("complaint_not_found")));
}

#[tokio::test]
async fn service_not_received_waits_a_day_unless_the_service_is_immediate() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let complaint = |txn_ref: &Value, disposition: &str| json!({ "kind": "transaction", "txn_ref": txn_ref, "disposition": disposition, "description": "Nothing arrived" });

    // An electricity bill paid just now: "service not received" is for tomorrow, other dispositions are not.
    let power = completed_payment(&s, &token).await;
    let (status, e) = s.post("/v1/complaints", &token, complaint(&power["receipt"]["txn_ref"], "D11")).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("complaint_too_early")), "{e}");
    assert_eq!(e["field"], "disposition");
    let wait = e["retry_after"].as_u64().expect("when it can be raised");
    assert!((86_000..=86_400).contains(&wait), "about a day: {wait} s");
    assert!(e["message"].as_str().is_some_and(|m| m.contains("IST")), "names the time: {e}");
    let (status, c) = s.post("/v1/complaints", &token, complaint(&power["receipt"]["txn_ref"], "D31")).await;
    assert_eq!(status, StatusCode::CREATED, "{c}");

    // A mobile recharge is delivered at once, so it may be reported at once.
    let prepaid = biller_id(&s, "Jio Prepaid");
    let body = json!({ "source": { "kind": "direct", "biller_id": prepaid, "params": { "Mobile Number": "9876543210" } }, "amount": 29_900, "customer_mobile": "9876543210", "channel": "MOB" });
    let (status, p) = s.pay_with_key(&token, &new_key(), body).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    s.upi(&p["upi"]["link"], "approve").await;
    let recharge = s.wait_status(&token, &p["id"], "completed").await;
    let (status, c) = s.post("/v1/complaints", &token, complaint(&recharge["receipt"]["txn_ref"], "D11")).await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
}

#[tokio::test]
async fn the_disposition_decides_the_ticket_its_tat_and_how_it_ends_and_a_closed_ticket_reopens_once() {
    let s = start_server(|c| c.sandbox.complaint_step = Duration::from_millis(1100)).await;
    let token = s.session().await;
    let done = completed_payment(&s, &token).await;
    let txn_ref = done["receipt"]["txn_ref"].clone();
    let raise = |disposition: &str| json!({ "kind": "transaction", "txn_ref": txn_ref, "disposition": disposition, "description": "Please look into this payment" });
    let today = bbps_server::util::now().ist_date();
    let mut tickets = Vec::new();
    for (disposition, ticket_type, days, ending) in [
        ("D23", "dispute", 5, vec!["logged", "assigned", "rejected"]),
        ("D22", "dispute", 5, vec!["logged", "assigned", "pending_refund", "refunded"]),
        ("D13", "dispute", 5, vec!["logged", "assigned", "default_resolved"]),
        ("D32", "complaint", 7, vec!["logged", "assigned", "resolved"]),
    ] {
        let (status, c) = s.post("/v1/complaints", &token, raise(disposition)).await;
        assert_eq!(status, StatusCode::CREATED, "{c}");
        assert_eq!(c["ticket_type"], ticket_type, "{disposition}");
        let due = today.checked_add(time::Duration::days(days)).map(|d| d.to_string());
        assert_eq!(c["resolve_by"].as_str().map(str::to_owned), due, "{disposition}: the TAT date");
        assert!(c["reopened_at"].is_null());
        tickets.push((c["id"].as_str().unwrap_or_default().to_owned(), ending));
    }

    // A ticket still being worked on cannot be reopened.
    let (rejected_id, _) = &tickets[0];
    let reopen_path = format!("/v1/complaints/{rejected_id}/reopen");
    let (status, e) = s.post(&reopen_path, &token, json!({ "description": "The amount was wrong" })).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::CONFLICT, Some("complaint_still_open")), "{e}");

    for (id, ending) in &tickets {
        let path = format!("/v1/complaints/{id}");
        let last = ending.last().copied().unwrap_or_default();
        let closed = eventually(|| async {
            let (_, now) = s.get(&path, &token).await;
            (now["status"] == last).then_some(now)
        })
        .await
        .unwrap_or_else(|| panic!("{id} ends {last}"));
        // The wire tells where a ticket stands, not its past, so the history holds the steps this server saw: in
        // the path's order, from logged to the ending.
        let history: Vec<&str> =
            closed["history"].as_array().expect("history").iter().filter_map(|h| h["status"].as_str()).collect();
        let mut path = ending.iter();
        assert!(history.iter().all(|h| path.any(|p| p == h)), "{history:?} follows {ending:?}");
        assert_eq!((history.first(), history.last()), (Some(&"logged"), Some(&last)), "{closed}");
    }

    // Rejected: the customer reopens it once, with why; it is assigned again and then resolved.
    let (status, e) = s.post(&reopen_path, &token, json!({ "description": " " })).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("complaint_description_invalid")));
    let (status, c) =
        s.post(&reopen_path, &token, json!({ "description": "The bill says ₹1,000, I paid ₹1,200" })).await;
    assert_eq!(status, StatusCode::OK, "{c}");
    assert_eq!(c["status"], "assigned");
    assert!(c["reopened_at"].is_string(), "{c}");
    assert!(c["remarks"].as_str().is_some_and(|r| r.contains("I paid ₹1,200")), "{c}");
    let (status, e) = s.post(&reopen_path, &token, json!({ "description": "Still wrong" })).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::CONFLICT, Some("complaint_still_open")), "{e}");
    let path = format!("/v1/complaints/{rejected_id}");
    let resolved = eventually(|| async {
        let (_, now) = s.get(&path, &token).await;
        (now["status"] == "resolved").then_some(now)
    })
    .await
    .expect("the reopened ticket resolves");
    let history: Vec<&str> =
        resolved["history"].as_array().expect("history").iter().filter_map(|h| h["status"].as_str()).collect();
    assert_eq!(history[history.len() - 3..], ["rejected", "assigned", "resolved"]);
    let (status, e) = s.post(&reopen_path, &token, json!({ "description": "Once more" })).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::CONFLICT, Some("complaint_already_reopened")), "{e}");
    let (status, e) =
        s.post("/v1/complaints/AAAAAAAAAAAAAAA/reopen", &token, json!({ "description": "Not mine" })).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::NOT_FOUND, Some("complaint_not_found")));
}
