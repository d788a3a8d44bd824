//! The schema, as numbered migrations applied in order on start (`PRAGMA user_version` remembers the last).

use rusqlite::Connection;

const MIGRATIONS: &[&str] = &[
    r#"
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
"#,
    r#"
-- Payments get the PSP's collect link (its id, found by notifications) and a time for reconciliation. The UPI
-- instructions in the JSON become the reference and pay-by time they were built from.
ALTER TABLE payments ADD COLUMN psp_link_id TEXT;
ALTER TABLE payments ADD COLUMN reconcile_at INTEGER;
CREATE UNIQUE INDEX payments_psp_link ON payments(psp_link_id);
CREATE INDEX payments_reconcile ON payments(reconcile_at);
UPDATE payments SET data = json_set(data,
    '$.upi_txn_ref', json_extract(data, '$.upi.txn_ref'),
    '$.pay_by', json_extract(data, '$.upi.expires_at'));

-- Refunds: one per debit, ours or the PSP's own, possibly of a debit no payment has.
CREATE TABLE refunds_v2 (
    id TEXT PRIMARY KEY,
    payment_id TEXT REFERENCES payments(id),
    is_primary INTEGER NOT NULL,
    reason TEXT,
    link_id TEXT NOT NULL,
    debit_id TEXT NOT NULL UNIQUE,
    amount INTEGER NOT NULL,
    refund_by TEXT NOT NULL,
    stage TEXT NOT NULL,
    psp_refund_id TEXT UNIQUE,
    refunded_at INTEGER,
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    escalated_at INTEGER
);
INSERT INTO refunds_v2 SELECT id, payment_id, is_primary, reason, '', psp_txn_id, amount, 'us',
    CASE status WHEN 'refunded' THEN 'refunded' ELSE 'queued' END, psp_ref, refunded_at, attempts,
    next_attempt_at, created_at, NULL FROM refunds;
DROP TABLE refunds;
ALTER TABLE refunds_v2 RENAME TO refunds;
CREATE INDEX refunds_due ON refunds(stage, next_attempt_at);
CREATE INDEX refunds_payment ON refunds(payment_id);

-- Links come from the PSP now: a merchant's own VPA and MCC are no longer part of a payment.
ALTER TABLE merchants DROP COLUMN upi_vpa;
ALTER TABLE merchants DROP COLUMN mcc;
"#,
    r#"
-- The wire archive: every message exchanged with the BBPS network, byte for byte; and payments found by the
-- refId the network answers by.
CREATE TABLE wire_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    direction TEXT NOT NULL,
    kind TEXT NOT NULL,
    ref_id TEXT,
    msg_id TEXT,
    refusal TEXT,
    body BLOB NOT NULL
);
CREATE INDEX wire_messages_ref_id ON wire_messages(ref_id, id);
CREATE INDEX wire_messages_at ON wire_messages(at);
CREATE INDEX payments_ref_id ON payments(ref_id);
"#,
    r#"
-- Leases: a worker claims the payments and refunds it works on, so two workers on one database never take the
-- same step twice; a lease ends when its holder releases it or when it runs out (the holder died).
ALTER TABLE payments ADD COLUMN lease_owner TEXT;
ALTER TABLE payments ADD COLUMN lease_until INTEGER;
ALTER TABLE refunds ADD COLUMN lease_owner TEXT;
ALTER TABLE refunds ADD COLUMN lease_until INTEGER;

-- One-time codes proving a customer holds the mobile number whose payments they ask to see.
CREATE TABLE otp_challenges (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    mobile TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    stage TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    verified_at INTEGER,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX otp_challenges_mobile ON otp_challenges(mobile, created_at);
CREATE INDEX otp_challenges_merchant ON otp_challenges(merchant_id, created_at);
"#,
];

/// Applies the migrations this database has not seen, each in its own transaction.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let current: usize = conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))?.try_into().unwrap_or(0);
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database written by the first schema, with a payment, its refund and a merchant, reads back after the
    /// second: the UPI reference and pay-by time move out of the old instructions, the refund keeps its debit.
    #[test]
    fn the_first_schema_migrates_with_its_data() {
        let mut conn = Connection::open_in_memory().expect("open");
        conn.execute_batch(MIGRATIONS[0]).expect("first schema");
        conn.pragma_update(None, "user_version", 1).expect("version");
        conn.execute_batch(
            "INSERT INTO merchants VALUES ('mer_a', 'A', 'pk', 'sk', '[]', NULL, 'w', 'a@upi', 'A', '4900', 0);
             INSERT INTO payments (id, merchant_id, status, version, ref_id, upi_txn_ref, customer_mobile, created_at,
                 expires_at, data)
             VALUES ('pay_a', 'mer_a', 'refund_pending', 3, 'r', 'BBPSOLD0001', '9876543210', 0, 600000,
                 '{\"upi\":{\"txn_ref\":\"BBPSOLD0001\",\"expires_at\":\"2026-11-20T10:10:00+05:30\"}}');
             INSERT INTO refunds VALUES ('rfd_a', 'pay_a', 'PSPOLD1', 100, 'bill_payment_failed', 'pending', 1, NULL,
                 2, 0, 0, NULL);",
        )
        .expect("old rows");
        migrate(&mut conn).expect("migrate");
        let (tr, pay_by): (String, String) = conn
            .query_row(
                "SELECT json_extract(data, '$.upi_txn_ref'), json_extract(data, '$.pay_by') FROM payments",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("payment");
        assert_eq!((tr.as_str(), pay_by.as_str()), ("BBPSOLD0001", "2026-11-20T10:10:00+05:30"));
        let refund: (String, String, String, u32) = conn
            .query_row("SELECT debit_id, refund_by, stage, attempts FROM refunds WHERE id = 'rfd_a'", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .expect("refund");
        assert_eq!(refund, ("PSPOLD1".to_owned(), "us".to_owned(), "queued".to_owned(), 2));
        let columns: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM pragma_table_info('merchants') WHERE name IN ('upi_vpa', 'mcc')",
                [],
                |r| r.get(0),
            )
            .expect("columns");
        assert_eq!(columns, 0);
    }
}
