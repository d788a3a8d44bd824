//! The OpenAPI document matches the router and the contract in docs/http-api.md.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::common::*;

/// `(METHOD, path)` of every route listed in docs/http-api.md.
fn contract_routes() -> BTreeSet<(String, String)> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/http-api.md"))
        .expect("docs/http-api.md");
    text.lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let method = *cells.get(1)?;
            if !matches!(method, "GET" | "POST" | "PUT") {
                return None;
            }
            let path = cells.get(2)?.trim_matches('`');
            let path = path.split('?').next()?.to_owned();
            let path = if path == "/widget/<asset>" { "/widget/{path}".to_owned() } else { path };
            Some((method.to_owned(), path))
        })
        .collect()
}

fn document_routes(doc: &Value) -> BTreeSet<(String, String)> {
    doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object().into_iter().flatten().map(move |(m, _)| (m.to_uppercase(), path.clone()))
        })
        .collect()
}

#[tokio::test]
async fn the_document_the_router_and_the_contract_agree() {
    let s = start_server(|_| {}).await;
    let token = s.session().await;
    let doc: Value = s.http.get(s.url("/openapi.json")).send().await.expect("doc").json().await.expect("json");
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    let routes = document_routes(&doc);
    let contract = contract_routes();
    let contract_extra: BTreeSet<(String, String)> =
        [("GET", "/widget")].iter().map(|(m, p)| ((*m).to_owned(), (*p).to_owned())).collect();
    let expected: BTreeSet<_> = contract.union(&contract_extra).cloned().collect();
    assert_eq!(routes, expected, "docs/http-api.md and the OpenAPI document list the same routes");

    // Every documented operation is served: the router answers it with something other than "no route".
    for (method, template) in &routes {
        let path = template
            .replace("{biller_id}", MSEDCL)
            .replace("{payment_id}", "pay_000000000000000000000000")
            .replace("{complaint_id}", "AAAAAAAAAAAAAAA")
            .replace("{path}", "boot.js");
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let resp = s.http.request(method.clone(), s.url(&path)).bearer_auth(&token).send().await.expect("sent");
        let status = resp.status();
        let body: Value = resp.json().await.unwrap_or(Value::Null);
        let unrouted = body["message"].as_str().is_some_and(|m| m.starts_with("no route for"));
        assert!(
            !unrouted && status != StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path} is documented but not served: {status} {body}"
        );
    }
    // And a route that is not documented is not served.
    let (status, e) = s.get("/v1/admin", &token).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));

    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["session"]["scheme"], "bearer");
    assert_eq!(schemes["secret_key"]["scheme"], "bearer");
    let create = &doc["paths"]["/v1/payments"]["post"];
    let key = create["parameters"]
        .as_array()
        .expect("params")
        .iter()
        .find(|p| p["name"] == "Idempotency-Key")
        .expect("header");
    assert_eq!(key["in"], "header");
    assert_eq!(key["schema"]["pattern"], "^[A-Za-z0-9_-]{8,64}$");
    for status in ["201", "200", "409", "401", "422", "429"] {
        assert!(create["responses"][status].is_object(), "POST /v1/payments documents {status}");
    }
    assert!(doc["components"]["schemas"]["ApiError"].is_object());
    assert!(doc["components"]["schemas"]["Payment"].is_object());

    // A fetched list of bills, the bills a payment names and the receipt's bills are in the contract.
    let schemas = &doc["components"]["schemas"];
    let bill_list = &schemas["BillList"];
    assert!(
        bill_list["properties"]["items"].is_object() && bill_list["properties"]["selection"].is_object(),
        "{bill_list}"
    );
    assert!(schemas["BillItem"]["properties"]["bill_number"].is_object(), "{}", schemas["BillItem"]);
    assert_eq!(schemas["BillSelection"]["enum"], serde_json::json!(["single", "multiple", "all"]));
    let codes = schemas["ErrorCode"]["enum"].as_array().expect("error codes");
    for code in [
        "bills_not_chosen",
        "bill_not_listed",
        "bill_chosen_twice",
        "one_bill_only",
        "all_bills_required",
        "bill_not_a_list",
    ] {
        assert!(codes.iter().any(|c| c == code), "{code} is an ErrorCode");
    }
}
