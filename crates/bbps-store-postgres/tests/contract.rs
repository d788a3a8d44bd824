//! The store contract of bbps-engine, run against a real PostgreSQL (a fresh database per test), plus what only
//! this store can get wrong: its migrations, sealing, and what two instances on one database do at once.

use std::sync::Arc;

use bbps_core::{IdempotencyKey, Secret};
use bbps_engine::model::{Merchant, RefundBy, RefundOf, RefundProgress, RefundRecord};
use bbps_engine::ports::{CreatePayment, Lease, NewPayment, Store, StoreError};
use bbps_engine::seal::DataKey;
use bbps_engine::store_contract::{NOW, merchant, payment, ts};
use bbps_engine::wire_archive::{WireDirection, WireMessage};
use bbps_store_postgres::changes::Announcement;
use bbps_store_postgres::test_cluster::{self, TestDatabase};
use bbps_store_postgres::{PostgresOptions, PostgresStore};

bbps_engine::store_contract_tests!(optional test_cluster::store);

const KEY: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

async fn open(db: &TestDatabase, key: Option<&str>) -> PostgresStore {
    let key = key.map(|k| DataKey::from_hex(k).expect("data key"));
    PostgresStore::connect(db.url(), &PostgresOptions { pool_size: 8 }, key).await.expect("open store")
}

async fn with_merchant(store: &dyn Store) -> Merchant {
    let m = merchant(1);
    store.insert_merchant(&m).await.expect("merchant");
    m
}

#[tokio::test]
async fn an_unknown_wire_name_is_an_error_not_a_default() {
    let Some((db, store)) = test_cluster::store().await else { return };
    let m = with_merchant(&*store).await;
    let refund = RefundRecord {
        id: "rfd_1".into(),
        of: RefundOf::Stray,
        link: "LINK1".into(),
        debit_id: "PSP1".into(),
        amount: bbps_core::Paise::new(100).expect("paise"),
        by: RefundBy::Us,
        progress: RefundProgress::Queued,
        attempts: 0,
        next_attempt_at: ts(NOW),
        created_at: ts(NOW),
        escalated_at: None,
    };
    assert!(store.insert_refund(&refund).await.expect("refund"));
    db.client().await.execute("UPDATE refunds SET stage = 'half_done'", &[]).await.expect("seed");
    match store.refund_for_debit("PSP1").await {
        Err(StoreError::Corrupt(why)) => assert!(why.contains("half_done"), "{why}"),
        other => panic!("a stage this build does not know must be an error, got {other:?}"),
    }
    let p = payment(&m, 1, ts(NOW));
    let new = NewPayment { record: p.clone(), idempotency_key: key("key-00000001"), request_hash: "h".into() };
    assert!(matches!(store.create_payment(new).await.expect("create"), CreatePayment::Created(_)));
    db.client().await.execute("UPDATE payments SET data = '{\"id\": 1}'", &[]).await.expect("seed");
    assert!(matches!(store.payment(&p.id).await, Err(StoreError::Corrupt(_))), "a record that does not read back");
}

#[tokio::test]
async fn migrations_apply_once_and_reopening_keeps_the_data() {
    let Some(db) = test_cluster::database().await else { return };
    let m = {
        let store = open(&db, None).await;
        with_merchant(&store).await
    };
    let store = open(&db, None).await;
    assert_eq!(store.merchant(&m.id).await.expect("read"), Some(m));
    let versions: Vec<i64> = db
        .client()
        .await
        .query("SELECT version FROM schema_migrations ORDER BY version", &[])
        .await
        .expect("versions")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(versions, vec![1]);
}

#[tokio::test]
async fn instances_starting_together_migrate_once() {
    let Some(db) = test_cluster::database().await else { return };
    let (a, b, c) = tokio::join!(open(&db, None), open(&db, None), open(&db, None));
    for store in [&a, &b, &c] {
        store.ping().await.expect("ping");
    }
    let n: i64 = db.client().await.query_one("SELECT COUNT(*) FROM schema_migrations", &[]).await.expect("n").get(0);
    assert_eq!(n, 1);
}

#[tokio::test]
async fn money_cannot_be_negative() {
    let Some((db, store)) = test_cluster::store().await else { return };
    let m = with_merchant(&*store).await;
    let p = payment(&m, 1, ts(NOW));
    let new = NewPayment { record: p.clone(), idempotency_key: key("key-00000001"), request_hash: "h".into() };
    store.create_payment(new).await.expect("create");
    let refused = db.client().await.execute("UPDATE payments SET total = -1", &[]).await;
    let constraint = refused.err().and_then(|e| e.as_db_error().and_then(|d| d.constraint().map(str::to_owned)));
    assert_eq!(constraint.as_deref(), Some("payments_total_check"));
}

#[tokio::test]
async fn secrets_are_sealed_at_rest_and_open_with_the_key_only() {
    let Some(db) = test_cluster::database().await else { return };
    let m = with_merchant(&open(&db, None).await).await;
    let stored = || async {
        let row = db.client().await.query_one("SELECT webhook_secret FROM merchants", &[]).await.expect("secret");
        row.get::<_, String>(0)
    };
    assert_eq!(stored().await, m.webhook_secret.expose(), "test mode without a key keeps it as it is");
    let sealed = open(&db, Some(KEY)).await;
    assert!(stored().await.starts_with("sealed:v1:"), "sealed at the first open with a key");
    assert_eq!(sealed.merchant(&m.id).await.expect("read").map(|r| r.webhook_secret), Some(m.webhook_secret.clone()));
    let keyless = open(&db, None).await;
    assert!(matches!(keyless.merchant(&m.id).await, Err(StoreError::Corrupt(_))), "sealed without the key");
    let wrong = open(&db, Some(&"ab".repeat(32))).await;
    assert!(matches!(wrong.merchant(&m.id).await, Err(StoreError::Corrupt(_))), "sealed under another key");
}

fn key(k: &str) -> IdempotencyKey {
    IdempotencyKey::parse(k).expect("key")
}

/// Two instances (two pools on one database) sent the same create at once make one payment, and every other
/// answer is that payment, as it would be from one instance.
#[tokio::test]
async fn concurrent_creates_under_one_key_make_one_payment() {
    let Some(db) = test_cluster::database().await else { return };
    let (a, b) = (Arc::new(open(&db, None).await), Arc::new(open(&db, None).await));
    let m = with_merchant(&*a).await;
    let tasks: Vec<_> = (0..40u32)
        .map(|n| {
            let store = if n % 2 == 0 { a.clone() } else { b.clone() };
            let record = payment(&m, n, ts(NOW));
            tokio::spawn(async move {
                let new = NewPayment { record, idempotency_key: key("key-same"), request_hash: "same-body".into() };
                store.create_payment(new).await.expect("create")
            })
        })
        .collect();
    let (mut created, mut replayed) = (Vec::new(), Vec::new());
    for t in tasks {
        match t.await.expect("task") {
            CreatePayment::Created(p) => created.push(p.id),
            CreatePayment::Replayed(p) => replayed.push(p.id),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(created.len(), 1, "one payment");
    assert!(replayed.iter().all(|id| *id == created[0]), "every other answer is that payment");
    let n: i64 = db.client().await.query_one("SELECT COUNT(*) FROM payments", &[]).await.expect("n").get(0);
    assert_eq!(n, 1);
}

/// Workers of two instances claiming at once split the due payments: each is claimed exactly once.
#[tokio::test]
async fn concurrent_claims_never_take_a_payment_twice() {
    let Some(db) = test_cluster::database().await else { return };
    let (a, b) = (Arc::new(open(&db, None).await), Arc::new(open(&db, None).await));
    let m = with_merchant(&*a).await;
    for n in 0..60u32 {
        let new = NewPayment {
            record: payment(&m, n, ts(NOW)),
            idempotency_key: key(&format!("key-{n:08}")),
            request_hash: "h".into(),
        };
        a.create_payment(new).await.expect("create");
    }
    // Every link ran out an hour after NOW.
    let now = ts(NOW + 3_600);
    let tasks: Vec<_> = (0..6)
        .map(|w| {
            let store = if w % 2 == 0 { a.clone() } else { b.clone() };
            tokio::spawn(async move {
                let lease = Lease { owner: format!("wkr_{w}"), until: ts(NOW + 7_200) };
                let mut mine = Vec::new();
                loop {
                    let got = store.claim_payments_due(now, &lease, 7).await.expect("claim");
                    if got.is_empty() {
                        return mine;
                    }
                    mine.extend(got.into_iter().map(|p| p.id));
                }
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("task"));
    }
    let claimed = all.len();
    all.sort();
    all.dedup();
    assert_eq!((claimed, all.len()), (60, 60), "each of the 60 due payments claimed once");
}

#[tokio::test]
async fn a_url_that_does_not_read_is_refused_without_echoing_it() {
    let bad = Secret::new("postgres://user:hunter2@localhost:notaport/db");
    match PostgresStore::connect(&bad, &PostgresOptions { pool_size: 1 }, None).await {
        Err(StoreError::Backend(why)) => assert!(!why.contains("hunter2"), "{why}"),
        Err(other) => panic!("{other:?}"),
        Ok(_) => panic!("a malformed URL opened"),
    }
}

#[tokio::test]
async fn a_change_saved_by_one_instance_is_heard_by_another() {
    let Some(db) = test_cluster::database().await else { return };
    let (a, b) = (open(&db, None).await, open(&db, None).await);
    let m = with_merchant(&a).await;
    let p = payment(&m, 1, ts(NOW));
    let new = NewPayment { record: p.clone(), idempotency_key: key("key-00000001"), request_hash: "h".into() };
    a.create_payment(new).await.expect("create");

    let (heard_tx, mut heard) = tokio::sync::mpsc::unbounded_channel();
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let (follower, _) = bbps_store_postgres::changes::follow_changes(db.url(), move |id| drop(heard_tx.send(id)), stop)
        .expect("follow");
    // The listener is up once a change made after it started is heard; until then, save again.
    let mut current = p.clone();
    let got = loop {
        let mut next = current.clone();
        next.version += 1;
        assert!(
            b.save_payment((current.status, current.version), &next, "moved", Default::default()).await.expect("save")
        );
        current = next;
        if let Ok(Some(id)) = tokio::time::timeout(std::time::Duration::from_millis(500), heard.recv()).await {
            break id;
        }
    };
    assert_eq!(got, Announcement::PaymentChanged(p.id.clone()));
    // A save that loses its compare-and-set announces nothing.
    assert!(!b.save_payment((p.status, 0), &current, "stale", Default::default()).await.expect("save"));
    let quiet = tokio::time::timeout(std::time::Duration::from_millis(300), heard.recv()).await;
    assert!(quiet.is_err(), "nothing committed, nothing heard: {quiet:?}");
    // A wire message archived by one instance for another is announced by its archive id.
    let body = WireMessage {
        at: ts(NOW),
        direction: WireDirection::Received,
        kind: "BillPaymentResponse".into(),
        ref_id: None,
        msg_id: None,
        refusal: None,
        body: b"<rsp/>".to_vec(),
    };
    let archived = b.archive_wire_message(&body).await.expect("archive");
    b.announce_wire_message(archived).await.expect("announce");
    let relayed = tokio::time::timeout(std::time::Duration::from_secs(5), heard.recv()).await;
    assert_eq!(relayed.ok().flatten(), Some(Announcement::WireMessage(archived)));
    stop_tx.send(true).expect("stop");
    follower.await.expect("the follower stops");
}
