//! The schema, as numbered migrations. At open, the ones this database has not seen are applied in one
//! transaction under an advisory lock, so instances starting together migrate once and a failed migration leaves
//! nothing half done. `schema_migrations` remembers what was applied.

use deadpool_postgres::Client;

use crate::Db;

/// Held for the length of the migrating transaction; any constant no other application uses.
const MIGRATION_LOCK: i64 = 0x6262_7073_6d69_6772;

/// Every table of the SQLite store, with PostgreSQL's types: instants are `timestamptz`, money is `BIGINT` paise
/// that cannot go below zero, stored JSON is `jsonb`, wire bodies are `bytea`, and enums are their wire names.
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
    allowed_origins TEXT[] NOT NULL,
    webhook_url TEXT,
    webhook_secret TEXT NOT NULL,
    upi_name TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE quotes (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    session_id TEXT NOT NULL,
    ref_id TEXT NOT NULL,
    body JSONB NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_by TEXT,
    created_at TIMESTAMPTZ NOT NULL
);

-- The record is `data`; the other columns are what payments are found, listed and claimed by, written with it.
CREATE TABLE payments (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    status TEXT NOT NULL,
    version BIGINT NOT NULL CHECK (version >= 0),
    ref_id TEXT NOT NULL,
    upi_txn_ref TEXT NOT NULL UNIQUE,
    txn_ref TEXT UNIQUE,
    psp_link_id TEXT UNIQUE,
    customer_mobile TEXT NOT NULL,
    total BIGINT NOT NULL CHECK (total >= 0),
    created_at TIMESTAMPTZ NOT NULL,
    pay_by TIMESTAMPTZ NOT NULL,
    next_check_at TIMESTAMPTZ,
    reconcile_at TIMESTAMPTZ,
    lease_owner TEXT,
    lease_until TIMESTAMPTZ,
    data JSONB NOT NULL
);
CREATE INDEX payments_status ON payments (status);
CREATE INDEX payments_merchant_created ON payments (merchant_id, created_at, id);
CREATE INDEX payments_mobile ON payments (merchant_id, customer_mobile, created_at);
CREATE INDEX payments_ref_id ON payments (ref_id);
CREATE INDEX payments_reconcile ON payments (reconcile_at) WHERE reconcile_at IS NOT NULL;

-- The payment row is written after its key in the same transaction: the key's unique index is what makes a
-- concurrent duplicate wait for the first and then find it.
CREATE TABLE idempotency_keys (
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    payment_id TEXT NOT NULL REFERENCES payments(id) DEFERRABLE INITIALLY DEFERRED,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (merchant_id, key)
);

CREATE TABLE payment_transitions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payment_id TEXT NOT NULL REFERENCES payments(id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX payment_transitions_payment ON payment_transitions (payment_id);

-- One refund per debit, ours or the PSP's own, possibly of a debit no payment has.
CREATE TABLE refunds (
    id TEXT PRIMARY KEY,
    payment_id TEXT REFERENCES payments(id),
    is_primary BOOLEAN NOT NULL,
    reason TEXT,
    link_id TEXT NOT NULL,
    debit_id TEXT NOT NULL UNIQUE,
    amount BIGINT NOT NULL CHECK (amount >= 0),
    refund_by TEXT NOT NULL,
    stage TEXT NOT NULL,
    psp_refund_id TEXT UNIQUE,
    refunded_at TIMESTAMPTZ,
    attempts BIGINT NOT NULL CHECK (attempts >= 0),
    next_attempt_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    escalated_at TIMESTAMPTZ,
    lease_owner TEXT,
    lease_until TIMESTAMPTZ
);
CREATE INDEX refunds_due ON refunds (stage, next_attempt_at);
CREATE INDEX refunds_payment ON refunds (payment_id);

CREATE TABLE webhook_deliveries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    event_type TEXT NOT NULL,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    payment_id TEXT NOT NULL REFERENCES payments(id),
    url TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL CHECK (attempts >= 0),
    next_attempt_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_merchant ON webhook_deliveries (merchant_id, payment_id);

CREATE TABLE webhook_attempts (
    delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries(id),
    attempt BIGINT NOT NULL CHECK (attempt >= 0),
    at TIMESTAMPTZ NOT NULL,
    status_code INTEGER,
    error TEXT,
    PRIMARY KEY (delivery_id, attempt)
);

CREATE TABLE complaints (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    payment_id TEXT REFERENCES payments(id),
    customer_mobile TEXT,
    data JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- Every message exchanged with the BBPS network, byte for byte; the identity keeps the order they were archived in.
CREATE TABLE wire_messages (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    direction TEXT NOT NULL,
    kind TEXT NOT NULL,
    ref_id TEXT,
    msg_id TEXT,
    refusal TEXT,
    body BYTEA NOT NULL
);
CREATE INDEX wire_messages_ref_id ON wire_messages (ref_id, id);
CREATE INDEX wire_messages_at ON wire_messages (at);

CREATE TABLE otp_challenges (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    mobile TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    stage TEXT NOT NULL,
    attempts BIGINT NOT NULL CHECK (attempts >= 0),
    verified_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX otp_challenges_mobile ON otp_challenges (mobile, created_at);
CREATE INDEX otp_challenges_merchant ON otp_challenges (merchant_id, created_at);
"#];

/// Applies the migrations this database has not seen.
pub(crate) async fn migrate(client: &mut Client) -> Db<()> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await?;
    // Quiet, or every start logs PostgreSQL's NOTICE that the table exists.
    tx.batch_execute(
        "SET LOCAL client_min_messages = warning;
         CREATE TABLE IF NOT EXISTS schema_migrations (
             version BIGINT PRIMARY KEY,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )",
    )
    .await?;
    let current: i64 =
        tx.query_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &[]).await?.try_get(0)?;
    for (version, sql) in (1i64..).zip(MIGRATIONS).skip(usize::try_from(current).unwrap_or(usize::MAX)) {
        tx.batch_execute(sql).await?;
        tx.execute("INSERT INTO schema_migrations (version) VALUES ($1)", &[&version]).await?;
    }
    tx.commit().await?;
    Ok(())
}
