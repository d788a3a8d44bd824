//! The schema, as numbered migrations applied in order on start (`PRAGMA user_version` remembers the last).

use rusqlite::Connection;

const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE merchants (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    publishable_key TEXT NOT NULL UNIQUE,
    secret_key_hash TEXT NOT NULL UNIQUE,
    allowed_origins TEXT NOT NULL,
    webhook_url TEXT,
    webhook_secret TEXT NOT NULL,
    upi_vpa TEXT NOT NULL,
    upi_name TEXT NOT NULL,
    mcc TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE quotes (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    session_id TEXT NOT NULL,
    ref_id TEXT NOT NULL,
    body TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    used_by TEXT,
    created_at INTEGER NOT NULL
);

CREATE TABLE payments (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    ref_id TEXT NOT NULL,
    upi_txn_ref TEXT NOT NULL UNIQUE,
    txn_ref TEXT UNIQUE,
    customer_mobile TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    next_check_at INTEGER,
    data TEXT NOT NULL
);
CREATE INDEX payments_status ON payments(status);
CREATE INDEX payments_merchant_created ON payments(merchant_id, created_at, id);
CREATE INDEX payments_mobile ON payments(merchant_id, customer_mobile, created_at);

CREATE TABLE idempotency_keys (
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    payment_id TEXT NOT NULL REFERENCES payments(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (merchant_id, key)
);

CREATE TABLE payment_transitions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    payment_id TEXT NOT NULL REFERENCES payments(id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    at INTEGER NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX payment_transitions_payment ON payment_transitions(payment_id);

CREATE TABLE refunds (
    id TEXT PRIMARY KEY,
    payment_id TEXT NOT NULL REFERENCES payments(id),
    psp_txn_id TEXT NOT NULL UNIQUE,
    amount INTEGER NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    is_primary INTEGER NOT NULL,
    psp_ref TEXT,
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    refunded_at INTEGER
);
CREATE INDEX refunds_status ON refunds(status, next_attempt_at);

CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    event_type TEXT NOT NULL,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    payment_id TEXT NOT NULL REFERENCES payments(id),
    url TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
CREATE INDEX webhook_deliveries_merchant ON webhook_deliveries(merchant_id, payment_id);

CREATE TABLE webhook_attempts (
    delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries(id),
    attempt INTEGER NOT NULL,
    at INTEGER NOT NULL,
    status_code INTEGER,
    error TEXT,
    PRIMARY KEY (delivery_id, attempt)
);

CREATE TABLE complaints (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    payment_id TEXT REFERENCES payments(id),
    customer_mobile TEXT,
    data TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
"#];

/// Applies the migrations this database has not seen, each in its own transaction.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let current: usize = conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))?.try_into().unwrap_or(0);
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}
