//! The server with its store in PostgreSQL (a fresh database of the tests' cluster): a whole payment, while the
//! test-mode simulators keep their ledgers in the SQLite file.

use bbps_server::config::PostgresSettings;

use crate::common::*;

#[tokio::test]
async fn a_payment_completes_with_the_store_in_postgres() {
    let Some(db) = bbps_store_postgres::test_cluster::database().await else { return };
    let url = db.url().clone();
    let mut s = start_server(|c| c.postgres = Some(PostgresSettings { url, pool_size: 8 })).await;
    let token = s.session().await;
    let p = s.bill_payment(&token, "100234567890").await;
    let sim = s.upi(&p["upi"]["link"], "approve").await;
    assert_eq!(sim["debits"][0]["honoured"], true, "{sim}");
    let done = s.wait_status(&token, &p["id"], "completed").await;
    assert_eq!(done["receipt"]["status"], "SUCCESS");
    s.stop().await;

    let id = p["id"].as_str().unwrap_or("");
    let client = db.client().await;
    let path: Vec<String> = client
        .query("SELECT to_status FROM payment_transitions WHERE payment_id = $1 ORDER BY id", &[&id])
        .await
        .expect("transitions")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(path.first().map(String::as_str), Some("created"), "{path:?}");
    assert_eq!(path.last().map(String::as_str), Some("completed"), "{path:?}");
    let total: i64 = client.query_one("SELECT total FROM payments WHERE id = $1", &[&id]).await.expect("total").get(0);
    assert_eq!(Some(total), done["charges"]["total"].as_i64(), "money as paise");
    // The SQLite file holds the simulators' ledgers (the PSP simulator's debit among them) and none of the
    // store's tables.
    assert_eq!(count(&s.db(), "SELECT COUNT(*) FROM psp_sim_debits", &[]), 1);
    let tables = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('payments', 'merchants')";
    assert_eq!(count(&s.db(), tables, &[]), 0);
}

/// Reads the event stream until a `payment` event with `status`; every status seen on the way.
async fn stream_until(resp: reqwest::Response, status: &str) -> Vec<String> {
    let mut seen = Vec::new();
    let mut text = String::new();
    let mut resp = resp;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    while let Ok(Ok(Some(chunk))) = tokio::time::timeout_at(deadline, resp.chunk()).await {
        text.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = text.find("\n\n") {
            let event: String = text.drain(..end + 2).collect();
            if let Some(data) = event.lines().find_map(|l| l.strip_prefix("data:")) {
                let v: serde_json::Value = serde_json::from_str(data.trim()).unwrap_or_default();
                let now = v["payment"]["status"].as_str().unwrap_or("").to_owned();
                if seen.last() != Some(&now) {
                    seen.push(now.clone());
                }
                if now == status {
                    return seen;
                }
            }
        }
    }
    panic!("no {status} on the stream; saw {seen:?}");
}

#[tokio::test]
async fn a_change_made_through_one_instance_reaches_a_stream_on_another() {
    let Some(db) = bbps_store_postgres::test_cluster::database().await else { return };
    let url = db.url().clone();
    // A has no worker: whatever moves the payment happens on B, and reaches A only through the database.
    let pg = PostgresSettings { url, pool_size: 8 };
    let a = start_server(|c| {
        c.postgres = Some(pg.clone());
        c.worker = false;
    })
    .await;
    // The simulators' ledgers are shared too, as one sandbox behind both instances.
    let (_b_dir, b) = start_beside(&a, |c| c.postgres = Some(pg)).await;
    let b_base = b.base_url();

    let token = a.session().await;
    let p = a.bill_payment(&token, "100234567890").await;
    let id = p["id"].as_str().expect("id");
    let stream =
        a.http.get(a.url(&format!("/v1/payments/{id}/events?token={token}"))).send().await.expect("stream on A");
    assert_eq!(stream.status(), reqwest::StatusCode::OK);

    // The payer's bank answers B's PSP simulator, which notifies B.
    let approve = serde_json::json!({ "link": p["upi"]["link"], "action": "approve" });
    let sim = a.http.post(format!("{b_base}/sandbox/upi/pay")).json(&approve).send().await.expect("approve on B");
    assert_eq!(sim.status(), reqwest::StatusCode::OK);

    let seen = stream_until(stream, "completed").await;
    assert!(seen.contains(&"paid".to_owned()) || seen.contains(&"bill_payment_pending".to_owned()), "{seen:?}");
    b.shutdown().await;
}

#[tokio::test]
async fn two_hundred_duplicate_creates_across_two_instances_make_one_payment() {
    let Some(db) = bbps_store_postgres::test_cluster::database().await else { return };
    let pg = PostgresSettings { url: db.url().clone(), pool_size: 8 };
    let a = start_server(|c| c.postgres = Some(pg.clone())).await;
    let (_b_dir, b) = start_beside(&a, |c| c.postgres = Some(pg)).await;
    let bases = [a.base.clone(), b.base_url()];

    // A session opened on A works on B: sessions are signed, the key is shared through the database.
    let token = a.session().await;
    let quote = a.fetch_ok(&token, MSEDCL, serde_json::json!({ "Consumer Number": "100234567890" })).await;
    let body = serde_json::json!({
        "source": { "kind": "quote", "quote_id": quote["id"] },
        "amount": quote["bill"]["amount"],
        "customer_mobile": "9876543210",
        "channel": "INT",
    });
    let key = new_key();
    let creates = (0..200).map(|i| {
        let req = a
            .http
            .post(format!("{}/v1/payments", bases[i % 2]))
            .bearer_auth(&token)
            .header("idempotency-key", &key)
            .json(&body);
        async move {
            let resp = req.send().await.expect("create");
            let status = resp.status();
            let v: serde_json::Value = resp.json().await.expect("json");
            (status, v["id"].as_str().unwrap_or("").to_owned(), v)
        }
    });
    let answers = futures_util::future::join_all(creates).await;
    let created = answers.iter().filter(|(s, _, _)| *s == reqwest::StatusCode::CREATED).count();
    let replayed = answers.iter().filter(|(s, _, _)| *s == reqwest::StatusCode::OK).count();
    assert_eq!((created, replayed), (1, 199), "{:?}", answers.iter().find(|(s, _, _)| !s.is_success()));
    let ids: std::collections::BTreeSet<&str> = answers.iter().map(|(_, id, _)| id.as_str()).collect();
    assert_eq!(ids.len(), 1, "{ids:?}");
    let n: i64 = db.client().await.query_one("SELECT COUNT(*) FROM payments", &[]).await.expect("count").get(0);
    assert_eq!(n, 1);
    b.shutdown().await;
}
