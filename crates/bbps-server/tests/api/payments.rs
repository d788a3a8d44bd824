//! Payment creation: the server decides the amount, adds the fee, builds the UPI link; idempotency.

use std::sync::Arc;

use bbps_core::upi::UpiLink;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::*;

fn quote_body(quote: &Value, amount: u64) -> Value {
    json!({ "source": { "kind": "quote", "quote_id": quote["id"] }, "amount": amount, "customer_mobile": "+91 98765 43210", "channel": "INT" })
}

#[tokio::test]
async fn the_server_decides_the_amount_and_builds_the_link() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let q = s.fetch_ok(&token, MSEDCL, json!({ "Consumer Number": "100234567890" })).await;
    let bill = q["bill"]["amount"].as_u64().expect("amount");
    let (status, e) = s.pay_with_key(&token, &new_key(), quote_body(&q, bill - 1)).await;
    assert_eq!(
        (status, e["code"].as_str(), e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("amount_below_bill"), Some("amount"))
    );
    let (_, e) = s.pay_with_key(&token, &new_key(), quote_body(&q, 0)).await;
    assert_eq!(e["code"], "amount_zero");
    let (_, e) = s.pay_with_key(&token, &new_key(), quote_body(&q, 30_000_000)).await;
    assert_eq!(e["code"], "amount_above_max");

    let (status, p) = s.pay_with_key(&token, &new_key(), quote_body(&q, bill + 500)).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    assert_eq!(p["status"], "awaiting_payment");
    assert_eq!(p["ref_id"], q["ref_id"], "fetch and payment share the refId");
    assert_eq!(
        p["charges"],
        json!({ "bill_amount": bill + 500, "convenience_fee": 0, "convenience_fee_gst": 0, "total": bill + 500 })
    );
    assert_eq!(p["customer_mobile"], "9876543210");
    let upi = &p["upi"];
    assert_eq!(upi["qr_payload"], upi["link"]);
    let link = UpiLink::parse(upi["link"].as_str().expect("link")).expect("a valid UPI link");
    assert_eq!(Some(link.payee.as_str()), upi["payee_vpa"].as_str(), "the PSP's VPA for this link");
    assert!(link.payee.as_str().ends_with("@sbxsetu"), "{}", link.payee.as_str());
    assert_eq!(link.payee_name, "BBPS Demo Bill Payments", "Setu spells spaces as +");
    assert_eq!(link.amount.map(|a| a.get()), Some(bill + 500));
    assert_eq!(link.txn_ref.as_ref().map(|t| t.to_string()), upi["txn_ref"].as_str().map(str::to_owned));

    let (status, e) = s.pay_with_key(&token, &new_key(), quote_body(&q, bill)).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::CONFLICT, Some("quote_already_used")), "a quote pays once");
    let (status, e) = s
        .pay_with_key(&token, &new_key(), json!({ "source": { "kind": "quote", "quote_id": "quo_000000000000000000000000" }, "amount": 100, "customer_mobile": "9876543210", "channel": "INT" }))
        .await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::NOT_FOUND, Some("quote_not_found")));
    let (status, e) = s.pay_with_key(&token, &new_key(), json!({ "source": { "kind": "quote", "quote_id": q["id"] }, "amount": bill, "customer_mobile": "12345", "channel": "INT" })).await;
    assert_eq!(
        (status, e["code"].as_str(), e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("mobile_invalid"), Some("customer_mobile"))
    );
}

#[tokio::test]
async fn exactness_fees_and_amount_options() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let lic = biller_id(&s, "Life Insurance Corporation of India");
    let q = s
        .fetch_ok(&token, &lic, json!({ "Policy Number": "512345678", "Date of Birth (DD/MM/YYYY)": "15/08/1985" }))
        .await;
    let bill = q["bill"]["amount"].as_u64().expect("amount");
    let (_, e) = s.pay_with_key(&token, &new_key(), quote_body(&q, bill + 1)).await;
    assert_eq!(e["code"], "amount_must_equal_bill");

    // B.E.S.T. has a fee table: ₹10 + 0.5 % from ₹2,000 up.
    let best = biller_id(&s, "B.E.S.T. Undertaking");
    let q = s.fetch_ok(&token, &best, json!({ "Consumer Number": "100234567890" })).await;
    let amount = q["bill"]["amount"].as_u64().expect("amount").max(250_000);
    let (status, p) = s.pay_with_key(&token, &new_key(), quote_body(&q, amount)).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    // GST is 18 % of the rounded fee, rounded half up: both to the paisa, both shown apart.
    let fee = 1_000 + (amount * 50 + 5_000) / 10_000;
    let gst = (fee * 1_800 + 5_000) / 10_000;
    assert_eq!(
        p["charges"],
        json!({ "bill_amount": amount, "convenience_fee": fee, "convenience_fee_gst": gst, "total": amount + fee + gst })
    );
    assert_eq!(p["upi"]["amount"].as_u64(), Some(amount + fee + gst), "the link asks for the total");
    // The network took the fee and its GST (it refuses a fee that is not its table's), and the receipt lists both.
    s.upi(&p["upi"]["link"], "approve").await;
    let done = s.wait_status(&token, &p["id"], "completed").await;
    let r = &done["receipt"];
    assert_eq!(
        (
            r["bill_amount"].as_u64(),
            r["convenience_fee"].as_u64(),
            r["convenience_fee_gst"].as_u64(),
            r["total"].as_u64()
        ),
        (Some(amount), Some(fee), Some(gst), Some(amount + fee + gst)),
        "{r}"
    );

    let q = s.fetch_ok(&token, MSEDCL, json!({ "Consumer Number": "100234560007" })).await;
    let early = &q["bill"]["amount_options"][0];
    let with_option = |name: &str, amount: u64| json!({ "source": { "kind": "quote", "quote_id": q["id"], "amount_option": name }, "amount": amount, "customer_mobile": "9876543210", "channel": "INT" });
    let (_, e) = s.pay_with_key(&token, &new_key(), with_option("Nope", 100)).await;
    assert_eq!(e["code"], "amount_option_unknown");
    let early_amount = early["amount"].as_u64().expect("amount");
    let (status, p) =
        s.pay_with_key(&token, &new_key(), with_option(early["name"].as_str().unwrap_or(""), early_amount)).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    assert_eq!(p["charges"]["bill_amount"].as_u64(), Some(early_amount));
}

#[tokio::test]
async fn direct_payments_for_billers_without_fetch() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let prepaid = biller_id(&s, "Jio Prepaid");
    let direct = |params: Value, amount: u64| json!({ "source": { "kind": "direct", "biller_id": prepaid, "params": params }, "amount": amount, "customer_mobile": "9876543210", "channel": "MOB" });
    let (_, e) = s.pay_with_key(&token, &new_key(), direct(json!({ "Mobile Number": "12" }), 29_900)).await;
    assert_eq!(e["code"], "param_too_short");
    let (status, p) =
        s.pay_with_key(&token, &new_key(), direct(json!({ "Mobile Number": "9876543210" }), 29_900)).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    s.upi(&p["upi"]["link"], "approve").await;
    let done = s.wait_status(&token, &p["id"], "completed").await;
    assert_eq!(done["receipt"]["bill_amount"], 29_900);
    let (status, e) = s
        .pay_with_key(&token, &new_key(), json!({ "source": { "kind": "direct", "biller_id": MSEDCL, "params": { "Consumer Number": "100234567890" } }, "amount": 10_000, "customer_mobile": "9876543210", "channel": "INT" }))
        .await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("bill_fetch_required")));
}

#[tokio::test]
async fn idempotency_keys() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let q = s.fetch_ok(&token, MSEDCL, json!({ "Consumer Number": "100234567890" })).await;
    let bill = q["bill"]["amount"].as_u64().expect("amount");
    let (status, e) = s.send(s.http.post(s.url("/v1/payments")).bearer_auth(&token).json(&quote_body(&q, bill))).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::BAD_REQUEST, Some("idempotency_key_missing")));
    let (_, e) = s.pay_with_key(&token, "short", quote_body(&q, bill)).await;
    assert_eq!(e["code"], "idempotency_key_invalid");

    let key = new_key();
    let (first, p1) = s.pay_with_key(&token, &key, quote_body(&q, bill)).await;
    let (again, p2) = s.pay_with_key(&token, &key, quote_body(&q, bill)).await;
    assert_eq!((first, again), (StatusCode::CREATED, StatusCode::OK));
    assert_eq!(p1["id"], p2["id"]);
    let (status, e) = s.pay_with_key(&token, &key, quote_body(&q, bill + 100)).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::CONFLICT, Some("idempotency_key_reused")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_duplicates_make_one_payment() {
    let s = Arc::new(start_server(|_| {}).await);
    let token = s.session().await;
    let q = s.fetch_ok(&token, MSEDCL, json!({ "Consumer Number": "100234567890" })).await;
    let body = quote_body(&q, q["bill"]["amount"].as_u64().expect("amount"));
    let key = new_key();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let (s, token, key, body) = (s.clone(), token.clone(), key.clone(), body.clone());
            tokio::spawn(async move { s.pay_with_key(&token, &key, body).await })
        })
        .collect();
    let mut ids = std::collections::HashSet::new();
    let mut created = 0;
    for t in tasks {
        let (status, p) = t.await.expect("task");
        assert!(status == StatusCode::CREATED || status == StatusCode::OK, "{status} {p}");
        created += usize::from(status == StatusCode::CREATED);
        ids.insert(p["id"].as_str().expect("id").to_owned());
    }
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert_eq!(created, 1);
    assert_eq!(count(&s.db(), "SELECT COUNT(*) FROM payments", &[]), 1);
}

#[tokio::test]
async fn an_expired_quote_cannot_be_paid() {
    let s = start_server(|c| c.quote_ttl = std::time::Duration::from_millis(300)).await;
    let token = s.session().await;
    let q = s.fetch_ok(&token, MSEDCL, json!({ "Consumer Number": "100234567890" })).await;
    let expires_at = bbps_core::Timestamp::parse(q["expires_at"].as_str().unwrap_or("")).expect("expires_at");
    // Wait on the clock itself, not on a guess: until the quote's expiry has passed.
    while bbps_server::util::now() <= expires_at {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (status, e) =
        s.pay_with_key(&token, &new_key(), quote_body(&q, q["bill"]["amount"].as_u64().unwrap_or(0))).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::GONE, Some("quote_expired")));
}

#[tokio::test]
async fn a_bill_with_its_own_range_and_step_takes_part_payments_and_refuses_the_rest() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    // A credit card bill ending 0010 takes any amount from ₹500 up to the bill, in ₹100s (docs/sandbox.md).
    let card = biller_id(&s, "HDFC Bank Credit Card");
    let q = s
        .fetch_ok(&token, &card, json!({ "Registered Mobile Number": "9876540010", "Last 4 Digits of Card": "4321" }))
        .await;
    let bill = q["bill"]["amount"].as_u64().expect("amount");
    assert_eq!(bill % 10_000, 0, "a whole number of hundreds of rupees: {q}");
    assert_eq!(q["bill"]["amount_rule"], json!({ "min": 50_000, "max": bill, "multiple": 10_000 }));
    assert_eq!(q["amount_bounds"]["rule"], q["bill"]["amount_rule"]);
    assert_eq!((q["amount_bounds"]["min"].as_u64(), q["amount_bounds"]["max"].as_u64()), (Some(50_000), Some(bill)));
    for (amount, code) in
        [(40_000, "amount_below_bill_min"), (bill + 10_000, "amount_above_bill_max"), (60_050, "amount_not_multiple")]
    {
        let (status, e) = s.pay_with_key(&token, &new_key(), quote_body(&q, amount)).await;
        assert_eq!(
            (status, e["code"].as_str(), e["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(code), Some("amount")),
            "{amount}: {e}"
        );
        assert!(e["message"].as_str().is_some_and(|m| m.contains('₹')), "names the figure: {e}");
    }
    let (status, p) = s.pay_with_key(&token, &new_key(), quote_body(&q, 60_000)).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    s.upi(&p["upi"]["link"], "approve").await;
    let done = s.wait_status(&token, &p["id"], "completed").await;
    assert_eq!(done["receipt"]["bill_amount"], 60_000, "a part payment, paid over the XML wire: {done}");
}

#[tokio::test]
async fn a_bill_paid_only_on_the_day_of_its_fetch_ends_at_midnight_ist() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let adani = biller_id(&s, "Adani Electricity Mumbai Limited");
    let q = s.fetch_ok(&token, &adani, json!({ "Consumer Number": "100234567890" })).await;
    let midnight = bbps_server::util::now().next_midnight_ist();
    let valid_until = q["bill"]["valid_until"].as_str().and_then(bbps_core::Timestamp::parse);
    assert_eq!(valid_until, Some(midnight), "the biller says until the next midnight IST, over the XML wire: {q}");
    let quote_ends = q["expires_at"].as_str().and_then(bbps_core::Timestamp::parse).expect("expires_at");
    assert!(quote_ends <= midnight, "the quote ends by midnight at the latest: {q}");
    let amount = q["bill"]["amount"].as_u64().expect("amount");
    let (status, p) = s.pay_with_key(&token, &new_key(), quote_body(&q, amount)).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    let pay_by = p["upi"]["expires_at"].as_str().and_then(bbps_core::Timestamp::parse).expect("pay by");
    assert!(pay_by <= midnight, "the customer pays before the biller stops taking the bill: {p}");
    // Other billers' bills say nothing of the kind.
    let q = s.fetch_ok(&token, MSEDCL, json!({ "Consumer Number": "100234567890" })).await;
    assert!(q["bill"]["valid_until"].is_null(), "{q}");
}

#[tokio::test]
async fn a_prepaid_plan_is_listed_from_the_plan_master_data_and_paid_at_its_price() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let jio = biller_id(&s, "Jio Prepaid");
    let (status, biller) = s.get(&format!("/v1/billers/{jio}"), &token).await;
    assert_eq!((status, biller["plans"].as_str()), (StatusCode::OK, Some("OPTIONAL")), "{biller}");

    // Pulled over the XML wire (BBPSPlanMDMPull, answered by BBPSPlanMDMPush): on sale today, by category then
    // price; the plan whose dates ended yesterday is not listed.
    let (status, list) = s.get(&format!("/v1/billers/{jio}/plans"), &token).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["categories"], json!(["Data", "Talktime", "Unlimited"]));
    let items = list["items"].as_array().expect("items");
    let prices: Vec<u64> = items.iter().filter_map(|p| p["amount"].as_u64()).collect();
    assert_eq!(prices, [1_900, 6_100, 10_000, 19_900, 29_900, 71_900], "{list}");
    assert!(items.iter().all(|p| !p["id"].as_str().unwrap_or("").ends_with("X149")), "the ended plan is not on sale");
    let u299 = items.iter().find(|p| p["amount"] == 29_900).expect("the ₹299 plan");
    assert_eq!((u299["validity"].as_str(), u299["category"].as_str()), (Some("28 days"), Some("Unlimited")));
    assert_eq!(u299["benefits"][0], json!({ "name": "Data", "value": "2 GB/day" }));
    let (_, found) = s.get(&format!("/v1/billers/{jio}/plans?category=unlimited&q=84%20days"), &token).await;
    let found: Vec<u64> =
        found["items"].as_array().expect("items").iter().filter_map(|p| p["amount"].as_u64()).collect();
    assert_eq!(found, [71_900], "category and words narrow");

    let plan_id = u299["id"].as_str().expect("id").to_owned();
    let ended = plan_id.replace("U299", "X149");
    let pay = |plan: &str, amount: u64| json!({ "source": { "kind": "direct", "biller_id": jio, "params": { "Mobile Number": "9876543210" } }, "plan_id": plan, "amount": amount, "customer_mobile": "9876543210", "channel": "MOB" });
    for (plan, amount, status, code, field) in [
        (plan_id.as_str(), 30_000, StatusCode::UNPROCESSABLE_ENTITY, "amount_must_equal_plan", "amount"),
        (ended.as_str(), 14_900, StatusCode::UNPROCESSABLE_ENTITY, "plan_not_available", "plan_id"),
        ("NOSUCHPLAN", 29_900, StatusCode::UNPROCESSABLE_ENTITY, "plan_not_available", "plan_id"),
        ("not a plan!", 29_900, StatusCode::BAD_REQUEST, "invalid_json", "plan_id"),
    ] {
        let (got, e) = s.pay_with_key(&token, &new_key(), pay(plan, amount)).await;
        assert_eq!((got, e["code"].as_str()), (status, Some(code)), "{plan} {amount}: {e}");
        if got == StatusCode::UNPROCESSABLE_ENTITY {
            assert_eq!(e["field"], field, "{e}");
        }
    }
    let (status, p) = s.pay_with_key(&token, &new_key(), pay(&plan_id, 29_900)).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    s.upi(&p["upi"]["link"], "approve").await;
    let done = s.wait_status(&token, &p["id"], "completed").await;
    assert_eq!(done["receipt"]["plan_id"], plan_id.as_str(), "the network took the plan (it refuses one not on sale)");
    assert_eq!(done["receipt"]["bill_amount"], 29_900);

    // A biller without plans has none to list, and a payment to it names none.
    let (status, e) = s.get(&format!("/v1/billers/{MSEDCL}/plans"), &token).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("plans_not_supported")), "{e}");
}

/// A payment of the quote `q` naming `bills` (left out when `None`), for `amount`.
fn listed_body(q: &Value, bills: Option<&[&str]>, amount: u64) -> Value {
    let mut body = quote_body(q, amount);
    if let Some(bills) = bills {
        body["source"]["bills"] = json!(bills);
    }
    body
}

/// `body` is refused with `422 code` naming `field`, and no payment is made.
async fn refused_as(s: &TestServer, token: &str, body: Value, code: &str, field: &str) {
    let before = count(&s.db(), "SELECT COUNT(*) FROM payments", &[]);
    let (status, e) = s.pay_with_key(token, &new_key(), body.clone()).await;
    assert_eq!(
        (status, e["code"].as_str(), e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some(code), Some(field)),
        "{body}: {e}"
    );
    assert_eq!(count(&s.db(), "SELECT COUNT(*) FROM payments", &[]), before, "no payment for {body}");
}

#[tokio::test]
async fn a_biller_listing_several_bills_is_paid_one_some_or_all_as_it_allows() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    // B.E.S.T. charges a convenience fee, on what is paid: the chosen bills' sum.
    let best = biller_id(&s, "B.E.S.T. Undertaking");
    let listed = |q: &Value| -> (Vec<Value>, Vec<String>, Vec<u64>) {
        let items = q["bill"]["list"]["items"].as_array().cloned().unwrap_or_default();
        let numbers = items.iter().map(|i| i["bill_number"].as_str().unwrap_or("").to_owned()).collect();
        let amounts = items.iter().map(|i| i["amount"].as_u64().unwrap_or(0)).collect();
        (items, numbers, amounts)
    };

    // …0011: three monthly bills, any of which one payment pays; the bill's amount is their total, and the quote
    // is at all of them (what the widget offers first).
    let q = s.fetch_ok(&token, &best, json!({ "Consumer Number": "100234560011" })).await;
    assert_eq!(q["bill"]["list"]["selection"], "multiple", "{q}");
    let (items, n, a) = listed(&q);
    assert_eq!(items.len(), 3, "{q}");
    let total: u64 = a.iter().sum();
    assert_eq!(q["bill"]["amount"].as_u64(), Some(total), "{q}");
    assert!(items.iter().all(|i| i["due_date"].is_string() && i["bill_period"].is_string()), "{q}");
    assert_eq!((q["amount_bounds"]["min"].as_u64(), q["amount_bounds"]["max"].as_u64()), (Some(total), Some(total)));
    let (first, third) = (n[0].as_str(), n[2].as_str());
    let two = a[0] + a[2];
    let bills = "source.bills";
    refused_as(&s, &token, listed_body(&q, None, total), "bills_not_chosen", bills).await;
    refused_as(&s, &token, listed_body(&q, Some(&[]), total), "bills_not_chosen", bills).await;
    refused_as(&s, &token, listed_body(&q, Some(&[first, "NOT-A-BILL"]), two), "bill_not_listed", bills).await;
    refused_as(&s, &token, listed_body(&q, Some(&[first, first]), a[0] * 2), "bill_chosen_twice", bills).await;
    for amount in [two - 1, two + 1, total] {
        let body = listed_body(&q, Some(&[first, third]), amount);
        refused_as(&s, &token, body, "amount_must_equal_bill", "amount").await;
    }
    let mut with_option = listed_body(&q, Some(&[first]), a[0]);
    with_option["source"]["amount_option"] = json!("Early Payment Amount");
    refused_as(&s, &token, with_option, "amount_option_unknown", "source.amount_option").await;
    // Two of them, named in any order, for their sum: paid over the XML wire (the network refuses a wrong
    // choice, BPR015, or sum, BPR011), and the receipt lists them in the list's order.
    let (status, p) = s.pay_with_key(&token, &new_key(), listed_body(&q, Some(&[third, first]), two)).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    assert_eq!(p["charges"]["bill_amount"].as_u64(), Some(two), "{p}");
    let fee = p["charges"]["convenience_fee"].as_u64().expect("fee");
    assert!(two < 50_000 || fee > 0, "the fee is the sum's (free below ₹500): {p}");
    s.upi(&p["upi"]["link"], "approve").await;
    let done = s.wait_status(&token, &p["id"], "completed").await;
    let r = &done["receipt"];
    assert_eq!(r["bills"], json!([items[0], items[2]]), "exactly the bills paid: {r}");
    assert_eq!(r["bill_amount"].as_u64(), Some(two), "{r}");
    assert_eq!(r["total"], p["charges"]["total"], "{r}");

    // …0012: one bill per payment; the quote is at the first.
    let q = s.fetch_ok(&token, &best, json!({ "Consumer Number": "100234560012" })).await;
    assert_eq!(q["bill"]["list"]["selection"], "single", "{q}");
    let (items, n, a) = listed(&q);
    assert_eq!((items.len(), q["bill"]["amount"].as_u64()), (3, Some(a.iter().sum())), "{q}");
    assert_eq!((q["amount_bounds"]["min"].as_u64(), q["amount_bounds"]["max"].as_u64()), (Some(a[0]), Some(a[0])));
    refused_as(&s, &token, listed_body(&q, Some(&[&n[0], &n[1]]), a[0] + a[1]), "one_bill_only", bills).await;
    refused_as(&s, &token, listed_body(&q, None, a[1]), "bills_not_chosen", bills).await;
    let (status, p) = s.pay_with_key(&token, &new_key(), listed_body(&q, Some(&[&n[1]]), a[1])).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    s.upi(&p["upi"]["link"], "approve").await;
    let done = s.wait_status(&token, &p["id"], "completed").await;
    assert_eq!(done["receipt"]["bills"], json!([items[1]]), "{done}");
    assert_eq!(done["receipt"]["bill_amount"].as_u64(), Some(a[1]), "{done}");

    // …0013: all together; `bills` left out pays them all.
    let q = s.fetch_ok(&token, &best, json!({ "Consumer Number": "100234560013" })).await;
    assert_eq!(q["bill"]["list"]["selection"], "all", "{q}");
    let (items, n, a) = listed(&q);
    let total: u64 = a.iter().sum();
    assert_eq!((items.len(), q["bill"]["amount"].as_u64()), (3, Some(total)), "{q}");
    let subset = listed_body(&q, Some(&[&n[0], &n[2]]), a[0] + a[2]);
    refused_as(&s, &token, subset, "all_bills_required", bills).await;
    refused_as(&s, &token, listed_body(&q, None, total - 1), "amount_must_equal_bill", "amount").await;
    let (status, p) = s.pay_with_key(&token, &new_key(), listed_body(&q, None, total)).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    s.upi(&p["upi"]["link"], "approve").await;
    let done = s.wait_status(&token, &p["id"], "completed").await;
    assert_eq!(done["receipt"]["bills"], json!(items), "all of them: {done}");
    assert_eq!(done["receipt"]["bill_amount"].as_u64(), Some(total), "{done}");

    // A single bill has no list, and a payment of it names no bills.
    let q = s.fetch_ok(&token, &best, json!({ "Consumer Number": "100234567890" })).await;
    assert!(q["bill"]["list"].is_null(), "{q}");
    let amount = q["bill"]["amount"].as_u64().expect("amount");
    let bill_number = q["bill"]["bill_number"].as_str().unwrap_or("1").to_owned();
    refused_as(&s, &token, listed_body(&q, Some(&[&bill_number]), amount), "bill_not_a_list", bills).await;
    let (status, p) = s.pay_with_key(&token, &new_key(), quote_body(&q, amount)).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
}
