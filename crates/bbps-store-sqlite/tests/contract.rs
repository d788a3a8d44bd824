//! The store contract of bbps-engine, run against real SQLite files, plus what only this store can get wrong.

use std::sync::Arc;

use bbps_engine::ports::{Store, StoreError};
use bbps_store_sqlite::SqliteStore;
use tempfile::TempDir;

async fn fresh() -> (TempDir, Arc<dyn Store>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("store.sqlite3")).expect("open store");
    (dir, Arc::new(store))
}

bbps_engine::store_contract_tests!(fresh);

#[tokio::test]
async fn an_unknown_wire_name_is_an_error_not_a_default() {
    let (dir, store) = fresh().await;
    let conn = rusqlite::Connection::open(dir.path().join("store.sqlite3")).expect("open");
    conn.execute_batch(
        "INSERT INTO merchants VALUES ('mer_contract0000000000000001', 'M', 'pk_test_m', 'h', '[]', NULL, 'w', \
         'Shop', 0); \
         INSERT INTO payments (id, merchant_id, status, version, ref_id, upi_txn_ref, customer_mobile, created_at, \
         expires_at, data) VALUES ('pay_contract0000000000000001', 'mer_contract0000000000000001', 'paid', 1, 'r', \
         'tr01', '9876543210', 0, 0, '{}'); \
         INSERT INTO refunds (id, payment_id, is_primary, reason, link_id, debit_id, amount, refund_by, stage, \
         psp_refund_id, refunded_at, attempts, next_attempt_at, created_at, escalated_at) VALUES ('rfd_1', \
         'pay_contract0000000000000001', 0, 'duplicate_debit', 'LINK1', 'PSP1', 100, 'us', 'half_done', NULL, NULL, \
         0, 0, 0, NULL);",
    )
    .expect("seed");
    match store.refund_for_debit("PSP1").await {
        Err(StoreError::Corrupt(why)) => assert!(why.contains("half_done"), "{why}"),
        other => panic!("a status this build does not know must be an error, got {other:?}"),
    }
}

#[test]
fn reopening_keeps_the_data_and_the_schema_version() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nested/dir/store.sqlite3");
    SqliteStore::open(&path).expect("first open creates the directories");
    SqliteStore::open(&path).expect("second open migrates nothing");
    let conn = rusqlite::Connection::open(&path).expect("open");
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
    assert_eq!(version, 4);
}

#[tokio::test]
async fn reads_do_not_wait_for_a_write() {
    let (dir, store) = fresh().await;
    let merchant = bbps_engine::store_contract::merchant(1);
    store.insert_merchant(&merchant).await.expect("merchant");

    // Another process holds SQLite's write lock, so the store's writer waits on it.
    let other = rusqlite::Connection::open(dir.path().join("store.sqlite3")).expect("open");
    other.execute_batch("BEGIN IMMEDIATE").expect("take the write lock");
    let write = {
        let (store, second) = (store.clone(), bbps_engine::store_contract::merchant(2));
        tokio::spawn(async move { store.insert_merchant(&second).await })
    };
    tokio::task::yield_now().await;

    // Reads go on beside it, and see what was committed before.
    for _ in 0..20 {
        let read = store.merchant(&merchant.id).await.expect("read").expect("the merchant");
        assert_eq!(read.id, merchant.id);
    }
    assert!(!write.is_finished(), "the write waits for the lock the other connection holds");
    other.execute_batch("COMMIT").expect("release the lock");
    write.await.expect("task").expect("the write goes through once the lock is free");
}
