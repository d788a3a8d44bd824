//! The SQLite store: one writing connection in WAL mode behind a mutex and a pool of read-only connections,
//! used from blocking tasks, so reads never wait for a write. Writes are short transactions on the one writer;
//! SQLite serialises them, which is what makes payment creation and compare-and-set safe. Every
//! enum is written and read by its wire name from bbps-core, and a name this build does not know is an error,
//! never a silent default.

pub mod connection;
mod migrations;
mod wire_archive;

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use bbps_core::api::{
    MobileNumber, RefundReason, TrackRange, WebhookAttempt, WebhookDelivery, WebhookDeliveryStatus, WebhookEventType,
};
use bbps_core::{
    ComplaintId, IdempotencyKey, MerchantId, OtpChallengeId, Paise, PaymentId, PaymentStatus, QuoteId, RefId, Secret,
    SessionId, Timestamp, TxnRef, UpiTxnRef, WireEnum,
};
use bbps_engine::model::{
    ComplaintRecord, Merchant, OtpChallenge, OtpStage, OtpState, PaymentRecord, QuoteRecord, RefundBy, RefundOf,
    RefundProgress, RefundRecord, RefundStage, WebhookJob,
};
use bbps_engine::ports::{
    AttemptOutcome, CreatePayment, Effects, Lease, NewPayment, PaymentQuery, Store, StoreError, StoreResult,
};
use bbps_engine::seal::{self, DataKey};
use bbps_engine::wire_archive::{WireMessage, WireMessageId, WireQuery};
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, named_params, params};

pub use connection::{ReaderPool, SharedConnection, open, open_reader};

/// What the closures run on the connection fail with: SQLite's errors and the store's own.
#[derive(Debug)]
enum Failure {
    Sql(rusqlite::Error),
    Store(StoreError),
}

impl From<rusqlite::Error> for Failure {
    fn from(e: rusqlite::Error) -> Failure {
        Failure::Sql(e)
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        Failure::Store(e)
    }
}

impl From<Failure> for StoreError {
    fn from(f: Failure) -> StoreError {
        match f {
            Failure::Sql(e) => StoreError::Backend(e.to_string()),
            Failure::Store(e) => e,
        }
    }
}

/// The `attempts` and `verified_at` columns of a one-time code's state.
fn otp_state_columns(state: OtpState) -> (u32, Option<i64>) {
    match state {
        OtpState::Open { attempts } => (attempts, None),
        OtpState::Verified { at } => (0, Some(ms(at))),
        OtpState::Exhausted => (0, None),
    }
}

fn otps_where(conn: &Connection, clause: &str, p: impl rusqlite::Params) -> Db<Vec<OtpChallenge>> {
    let sql = format!(
        "SELECT id, merchant_id, mobile, code_hash, stage, attempts, verified_at, created_at, expires_at \
         FROM otp_challenges WHERE {clause}"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(p, |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, u32>(5)?,
            r.get::<_, Option<i64>>(6)?,
            r.get::<_, i64>(7)?,
            r.get::<_, i64>(8)?,
        ))
    })?;
    rows.map(|row| {
        let (id, merchant, mobile, code_hash, stage, attempts, verified_at, created, expires) = row?;
        let state = match wire::<OtpStage>(&stage)? {
            OtpStage::Open => OtpState::Open { attempts },
            OtpStage::Verified => OtpState::Verified {
                at: instant("otp verified_at", verified_at.ok_or_else(|| corrupt("otp", "verified without a time"))?)?,
            },
            OtpStage::Exhausted => OtpState::Exhausted,
        };
        Ok(OtpChallenge {
            id: OtpChallengeId::parse(&id).map_err(|e| corrupt("otp id", e))?,
            merchant_id: MerchantId::parse(&merchant).map_err(|e| corrupt("otp merchant", e))?,
            mobile: MobileNumber::parse(&mobile).ok_or_else(|| corrupt("otp mobile", mobile))?,
            code_hash,
            state,
            created_at: instant("otp created_at", created)?,
            expires_at: instant("otp expires_at", expires)?,
        })
    })
    .collect()
}

/// Seals the webhook secrets stored in the clear (a database that ran without a key before).
fn seal_stored(conn: &mut Connection, key: &DataKey) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let plain: Vec<(String, String)> = {
        let mut stmt = tx.prepare("SELECT id, webhook_secret FROM merchants")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?.into_iter().filter(|(_, s)| !seal::is_sealed(s)).collect()
    };
    for (id, secret) in plain {
        tx.execute("UPDATE merchants SET webhook_secret = ?2 WHERE id = ?1", params![id, key.seal(&id, &secret)])?;
    }
    tx.commit()
}

type Db<T> = Result<T, Failure>;

#[derive(Clone)]
pub struct SqliteStore {
    conn: SharedConnection,
    readers: ReaderPool,
    /// Seals stored secrets when set (live mode sets it).
    key: Option<Arc<DataKey>>,
}

impl SqliteStore {
    /// Opens the database at `path`, creating it and applying the migrations it has not seen; stored secrets stay
    /// as they are (test mode).
    pub fn open(path: &Path) -> StoreResult<SqliteStore> {
        Self::open_sealed(path, None)
    }

    /// As [`SqliteStore::open`], sealing stored secrets with `key` (and sealing at once any stored in the clear).
    pub fn open_sealed(path: &Path, key: Option<DataKey>) -> StoreResult<SqliteStore> {
        let db = |e: rusqlite::Error| StoreError::Backend(format!("{}: {e}", path.display()));
        let mut conn = open(path).map_err(db)?;
        migrations::migrate(&mut conn).map_err(db)?;
        if let Some(key) = &key {
            seal_stored(&mut conn, key).map_err(db)?;
        }
        let readers = ReaderPool::open(path, READERS).map_err(db)?;
        Ok(SqliteStore { conn: SharedConnection::new(conn), readers, key: key.map(Arc::new) })
    }

    /// Runs `f` on the writer: anything that writes, and reads that must see the state they then change.
    async fn call<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Db<T> + Send + 'static,
    {
        self.conn.run(f).await.map_err(|e| StoreError::Backend(format!("database task: {e}")))?.map_err(Into::into)
    }

    /// Runs `f` on a reader of its own: a read that sees every committed write and waits for none.
    async fn read<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Db<T> + Send + 'static,
    {
        self.readers.run(f).await.map_err(|e| StoreError::Backend(format!("database task: {e}")))?.map_err(Into::into)
    }
}

/// Read-only connections per store: enough for the blocking pool to serve reads beside the writer on a few
/// cores, few enough that idle ones cost little (each keeps its own page cache).
const READERS: usize = 4;

fn corrupt(what: &str, e: impl std::fmt::Display) -> Failure {
    Failure::Store(StoreError::Corrupt(format!("{what}: {e}")))
}

fn ms(t: Timestamp) -> i64 {
    t.unix_millis()
}

fn instant(what: &str, millis: i64) -> Db<Timestamp> {
    Timestamp::from_unix_millis(millis).ok_or_else(|| corrupt(what, format!("{millis} is not an instant")))
}

/// A stored wire name read back as its enum.
fn wire<T: WireEnum>(s: &str) -> Db<T> {
    T::parse(s).map_err(|e| corrupt(T::NAME, e))
}

const MERCHANT_COLUMNS: &str = "id, name, publishable_key, secret_key_hash, allowed_origins, webhook_url, \
                                webhook_secret, upi_name, created_at";

type MerchantRow = (String, String, String, String, String, Option<String>, String, String, i64);

fn merchant_row(r: &Row<'_>) -> rusqlite::Result<MerchantRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?))
}

fn merchant_from(row: MerchantRow, key: Option<&DataKey>) -> Db<Merchant> {
    let (id, name, pk, sk, origins, webhook_url, webhook_secret, upi_name, created) = row;
    let webhook_secret = seal::unseal(key, &id, &webhook_secret).map_err(|e| corrupt("webhook secret", e))?;
    Ok(Merchant {
        id: MerchantId::parse(&id).map_err(|e| corrupt("merchant id", e))?,
        name,
        publishable_key: pk,
        secret_key_hash: sk,
        allowed_origins: serde_json::from_str(&origins).map_err(|e| corrupt("allowed origins", e))?,
        webhook_url,
        webhook_secret: Secret::new(webhook_secret),
        upi_name,
        created_at: instant("merchant created_at", created)?,
    })
}

fn one_merchant(conn: &Connection, clause: &str, value: &str, key: Option<&DataKey>) -> Db<Option<Merchant>> {
    let sql = format!("SELECT {MERCHANT_COLUMNS} FROM merchants WHERE {clause} = ?1");
    conn.query_row(&sql, [value], merchant_row).optional()?.map(|row| merchant_from(row, key)).transpose()
}

fn payment_from_json(data: &str) -> Db<PaymentRecord> {
    serde_json::from_str(data).map_err(|e| corrupt("payment", e))
}

fn payments_where(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Db<Vec<PaymentRecord>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map(params, |r| r.get::<_, String>(0))?;
    rows.map(|r| payment_from_json(&r?)).collect()
}

/// Ends `owner`'s lease on a row of `table` (a lease another worker took over after this one's ran out stays).
fn release_lease(c: &Connection, table: &'static str, id: &str, owner: &str) -> rusqlite::Result<()> {
    c.execute(
        &format!("UPDATE {table} SET lease_owner = NULL, lease_until = NULL WHERE id = ?1 AND lease_owner = ?2"),
        params![id, owner],
    )?;
    Ok(())
}

/// Claims the payments matching `due` (an SQL condition and order over `:now`, `:limit` and the clause's own
/// named parameters) that nobody holds, leasing them to `lease`.
fn claim_payments(
    conn: &mut Connection,
    due: &str,
    (now, limit, lease): (i64, u32, &Lease),
    named: &[(&str, &dyn rusqlite::ToSql)],
) -> Db<Vec<PaymentRecord>> {
    let sql = format!(
        "UPDATE payments SET lease_owner = :owner, lease_until = :until WHERE id IN (SELECT id FROM payments \
         WHERE (lease_until IS NULL OR lease_until <= :now) AND {due}) RETURNING data"
    );
    let until = ms(lease.until);
    let mut all: Vec<(&str, &dyn rusqlite::ToSql)> =
        vec![(":now", &now), (":limit", &limit), (":owner", &lease.owner), (":until", &until)];
    all.extend_from_slice(named);
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let claimed = payments_where(&tx, &sql, all.as_slice())?;
    tx.commit()?;
    Ok(claimed)
}

fn one_payment(conn: &Connection, clause: &str, p: impl rusqlite::Params) -> Db<Option<PaymentRecord>> {
    let sql = format!("SELECT data FROM payments WHERE {clause}");
    conn.query_row(&sql, p, |r| r.get::<_, String>(0)).optional()?.map(|d| payment_from_json(&d)).transpose()
}

fn payment_json(p: &PaymentRecord) -> Db<String> {
    serde_json::to_string(p).map_err(|e| corrupt("payment", e))
}

/// The payment an idempotency key created, with the hash of the body it was created with.
fn idempotency_row(
    conn: &Connection,
    merchant: &MerchantId,
    key: &IdempotencyKey,
) -> Db<Option<(String, PaymentRecord)>> {
    let row = conn
        .query_row(
            "SELECT i.request_hash, p.data FROM idempotency_keys i JOIN payments p ON p.id = i.payment_id \
             WHERE i.merchant_id = ?1 AND i.key = ?2",
            params![merchant.as_str(), key.as_str()],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )
        .optional()?;
    row.map(|(hash, data)| Ok((hash, payment_from_json(&data)?))).transpose()
}

fn insert_transition(
    conn: &Connection,
    id: &PaymentId,
    from: Option<PaymentStatus>,
    to: PaymentStatus,
    at: Timestamp,
    note: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO payment_transitions (payment_id, from_status, to_status, at, note) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id.as_str(), from.map(PaymentStatus::as_str), to.as_str(), ms(at), note],
    )?;
    Ok(())
}

fn insert_refund_row(conn: &Connection, r: &RefundRecord) -> rusqlite::Result<usize> {
    let (payment, primary, reason) = match &r.of {
        RefundOf::Payment { payment, reason } => (Some(payment.as_str()), true, Some(reason.as_str())),
        RefundOf::Extra { payment, reason } => (Some(payment.as_str()), false, Some(reason.as_str())),
        RefundOf::Stray => (None, false, None),
    };
    conn.execute(
        &format!(
            "INSERT OR IGNORE INTO refunds ({REFUND_COLUMNS}) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
        ),
        params![
            r.id,
            payment,
            primary,
            reason,
            r.link,
            r.debit_id,
            r.amount.get() as i64,
            r.by.as_str(),
            r.progress.stage().as_str(),
            r.progress.psp_refund(),
            refunded_at(&r.progress),
            r.attempts,
            ms(r.next_attempt_at),
            ms(r.created_at),
            r.escalated_at.map(ms),
        ],
    )
}

fn refunded_at(p: &RefundProgress) -> Option<i64> {
    match p {
        RefundProgress::Refunded { at, .. } => Some(ms(*at)),
        RefundProgress::Queued | RefundProgress::Requested { .. } => None,
    }
}

const REFUND_COLUMNS: &str = "id, payment_id, is_primary, reason, link_id, debit_id, amount, refund_by, stage, \
                              psp_refund_id, refunded_at, attempts, next_attempt_at, created_at, escalated_at";

/// A refund row as SQLite hands it over, before its values are checked.
struct RefundRow {
    id: String,
    payment_id: Option<String>,
    primary: bool,
    reason: Option<String>,
    link: String,
    debit_id: String,
    amount: i64,
    by: String,
    stage: String,
    psp_refund: Option<String>,
    refunded_at: Option<i64>,
    attempts: u32,
    next_attempt_at: i64,
    created_at: i64,
    escalated_at: Option<i64>,
}

fn refund_row(r: &Row<'_>) -> rusqlite::Result<RefundRow> {
    Ok(RefundRow {
        id: r.get(0)?,
        payment_id: r.get(1)?,
        primary: r.get(2)?,
        reason: r.get(3)?,
        link: r.get(4)?,
        debit_id: r.get(5)?,
        amount: r.get(6)?,
        by: r.get(7)?,
        stage: r.get(8)?,
        psp_refund: r.get(9)?,
        refunded_at: r.get(10)?,
        attempts: r.get(11)?,
        next_attempt_at: r.get(12)?,
        created_at: r.get(13)?,
        escalated_at: r.get(14)?,
    })
}

fn refund_record(raw: RefundRow) -> Db<RefundRecord> {
    let payment = raw.payment_id.map(|p| PaymentId::parse(&p)).transpose().map_err(|e| corrupt("refund payment", e))?;
    let reason = raw.reason.map(|r| wire::<RefundReason>(&r)).transpose()?;
    let of = match (payment, reason, raw.primary) {
        (Some(payment), Some(reason), true) => RefundOf::Payment { payment, reason },
        (Some(payment), Some(reason), false) => RefundOf::Extra { payment, reason },
        (None, None, false) => RefundOf::Stray,
        _ => return Err(corrupt("refund", format!("{}: payment, reason and primary do not fit together", raw.id))),
    };
    let progress = match (wire::<RefundStage>(&raw.stage)?, raw.psp_refund, raw.refunded_at) {
        (RefundStage::Queued, None, None) => RefundProgress::Queued,
        (RefundStage::Requested, Some(psp_refund), None) => RefundProgress::Requested { psp_refund },
        (RefundStage::Refunded, psp_refund, Some(at)) => {
            RefundProgress::Refunded { psp_refund, at: instant("refund refunded_at", at)? }
        }
        (stage, ..) => return Err(corrupt("refund", format!("{}: stage {stage} without its details", raw.id))),
    };
    Ok(RefundRecord {
        id: raw.id,
        of,
        link: raw.link,
        debit_id: raw.debit_id,
        amount: u64::try_from(raw.amount).ok().and_then(Paise::new).ok_or_else(|| corrupt("refund", "amount"))?,
        by: wire::<RefundBy>(&raw.by)?,
        progress,
        attempts: raw.attempts,
        next_attempt_at: instant("refund next_attempt_at", raw.next_attempt_at)?,
        created_at: instant("refund created_at", raw.created_at)?,
        escalated_at: raw.escalated_at.map(|t| instant("refund escalated_at", t)).transpose()?,
    })
}

fn refunds_where(conn: &Connection, clause: &str, p: impl rusqlite::Params) -> Db<Vec<RefundRecord>> {
    let mut stmt = conn.prepare(&format!("SELECT {REFUND_COLUMNS} FROM refunds WHERE {clause}"))?;
    let rows = stmt.query_map(p, refund_row)?;
    rows.map(|r| refund_record(r?)).collect()
}

fn complaint_from(data: &str, merchant: &str, payment: Option<String>, mobile: Option<String>) -> Db<ComplaintRecord> {
    Ok(ComplaintRecord {
        complaint: serde_json::from_str(data).map_err(|e| corrupt("complaint", e))?,
        merchant_id: MerchantId::parse(merchant).map_err(|e| corrupt("complaint merchant", e))?,
        payment_id: payment.map(|p| PaymentId::parse(&p)).transpose().map_err(|e| corrupt("complaint payment", e))?,
        customer_mobile: mobile
            .map(|m| MobileNumber::parse(&m).ok_or_else(|| corrupt("complaint mobile", m)))
            .transpose()?,
    })
}

/// The deliveries of a merchant (of one payment), newest first, with their attempts.
fn deliveries(conn: &Connection, merchant: &str, payment: Option<&str>) -> Db<Vec<WebhookDelivery>> {
    let mut stmt = conn.prepare(
        "SELECT id, event_id, event_type, payment_id, url, status, next_attempt_at, created_at \
         FROM webhook_deliveries WHERE merchant_id = ?1 AND (?2 IS NULL OR payment_id = ?2) \
         ORDER BY created_at DESC, id DESC LIMIT 200",
    )?;
    let rows = stmt
        .query_map(params![merchant, payment], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<i64>>(6)?,
                r.get::<_, i64>(7)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut attempts_stmt = conn.prepare(
        "SELECT attempt, at, status_code, error FROM webhook_attempts WHERE delivery_id = ?1 ORDER BY attempt",
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, event_id, event_type, payment_id, url, status, next, created) in rows {
        let raw = attempts_stmt
            .query_map([id], |r| {
                Ok((
                    r.get::<_, u32>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Option<u16>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let attempts = raw
            .into_iter()
            .map(|(attempt, at, status_code, error)| {
                Ok(WebhookAttempt { attempt, at: instant("webhook attempt", at)?, status_code, error })
            })
            .collect::<Db<Vec<_>>>()?;
        let status = wire::<WebhookDeliveryStatus>(&status)?;
        out.push(WebhookDelivery {
            event_id,
            event_type: wire::<WebhookEventType>(&event_type)?,
            payment_id: PaymentId::parse(&payment_id).map_err(|e| corrupt("webhook payment", e))?,
            url,
            status,
            attempts,
            next_attempt_at: next
                .filter(|_| status == WebhookDeliveryStatus::Pending)
                .map(|t| instant("webhook next_attempt_at", t))
                .transpose()?,
            created_at: instant("webhook created_at", created)?,
        });
    }
    Ok(out)
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> StoreResult<()> {
        self.call(|c| Ok(c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0)).map(|_| ())?)).await
    }

    async fn setting_or_insert(&self, key: &str, value: String) -> StoreResult<String> {
        let key = key.to_owned();
        self.call(move |c| {
            c.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?1, ?2)", params![key, value])?;
            Ok(c.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0))?)
        })
        .await
    }

    async fn insert_merchant(&self, m: &Merchant) -> StoreResult<()> {
        let (m, key) = (m.clone(), self.key.clone());
        self.call(move |c| {
            let origins = serde_json::to_string(&m.allowed_origins).map_err(|e| corrupt("allowed origins", e))?;
            c.execute(
                &format!("INSERT INTO merchants ({MERCHANT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
                params![
                    m.id.as_str(),
                    m.name,
                    m.publishable_key,
                    m.secret_key_hash,
                    origins,
                    m.webhook_url,
                    seal::seal(key.as_deref(), m.id.as_str(), m.webhook_secret.expose()),
                    m.upi_name,
                    ms(m.created_at)
                ],
            )?;
            Ok(())
        })
        .await
    }

    async fn merchant(&self, id: &MerchantId) -> StoreResult<Option<Merchant>> {
        let id = id.to_string();
        let key = self.key.clone();
        self.read(move |c| one_merchant(c, "id", &id, key.as_deref())).await
    }

    async fn merchant_by_publishable_key(&self, key: &str) -> StoreResult<Option<Merchant>> {
        let key = key.to_owned();
        let data_key = self.key.clone();
        self.read(move |c| one_merchant(c, "publishable_key", &key, data_key.as_deref())).await
    }

    async fn merchant_by_secret_hash(&self, hash: &str) -> StoreResult<Option<Merchant>> {
        let hash = hash.to_owned();
        let key = self.key.clone();
        self.read(move |c| one_merchant(c, "secret_key_hash", &hash, key.as_deref())).await
    }

    async fn origin_allowed(&self, origin: &str) -> StoreResult<bool> {
        let origin = origin.trim_end_matches('/').to_owned();
        self.read(move |c| {
            Ok(c.query_row(
                "SELECT EXISTS (SELECT 1 FROM merchants, json_each(merchants.allowed_origins) \
                 WHERE lower(json_each.value) = lower(?1))",
                [origin],
                |r| r.get::<_, bool>(0),
            )?)
        })
        .await
    }

    async fn merchants(&self) -> StoreResult<Vec<Merchant>> {
        let key = self.key.clone();
        self.read(move |c| {
            let mut stmt = c.prepare(&format!("SELECT {MERCHANT_COLUMNS} FROM merchants ORDER BY created_at, id"))?;
            let rows = stmt.query_map([], merchant_row)?;
            rows.map(|r| merchant_from(r?, key.as_deref())).collect()
        })
        .await
    }

    async fn rotate_merchant_keys(&self, id: &MerchantId, publishable: &str, secret_hash: &str) -> StoreResult<bool> {
        let (id, pk, sk) = (id.to_string(), publishable.to_owned(), secret_hash.to_owned());
        self.call(move |c| {
            let n = c.execute(
                "UPDATE merchants SET publishable_key = ?2, secret_key_hash = ?3 WHERE id = ?1",
                params![id, pk, sk],
            )?;
            Ok(n == 1)
        })
        .await
    }

    async fn update_merchant_integration(
        &self,
        id: &MerchantId,
        allowed_origins: &[String],
        webhook_url: Option<&str>,
    ) -> StoreResult<bool> {
        let origins =
            serde_json::to_string(allowed_origins).map_err(|e| StoreError::Corrupt(format!("allowed origins: {e}")))?;
        let (id, url) = (id.to_string(), webhook_url.map(str::to_owned));
        self.call(move |c| {
            let n = c.execute(
                "UPDATE merchants SET allowed_origins = ?2, webhook_url = ?3 WHERE id = ?1",
                params![id, origins, url],
            )?;
            Ok(n == 1)
        })
        .await
    }

    async fn insert_quote(&self, q: &QuoteRecord) -> StoreResult<()> {
        let q = q.clone();
        self.call(move |c| {
            let body = serde_json::to_string(&q.quote).map_err(|e| corrupt("quote", e))?;
            c.execute(
                "INSERT INTO quotes (id, merchant_id, session_id, ref_id, body, expires_at, used_by, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7)",
                params![
                    q.quote.id.as_str(),
                    q.merchant_id.as_str(),
                    q.session_id.as_str(),
                    q.quote.ref_id.as_str(),
                    body,
                    ms(q.quote.expires_at),
                    ms(q.created_at)
                ],
            )?;
            Ok(())
        })
        .await
    }

    async fn quote(&self, id: &QuoteId) -> StoreResult<Option<QuoteRecord>> {
        let id = id.to_string();
        self.read(move |c| {
            let row = c
                .query_row("SELECT body, merchant_id, session_id, created_at FROM quotes WHERE id = ?1", [id], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?))
                })
                .optional()?;
            row.map(|(body, merchant, session, created)| {
                Ok(QuoteRecord {
                    quote: serde_json::from_str(&body).map_err(|e| corrupt("quote", e))?,
                    merchant_id: MerchantId::parse(&merchant).map_err(|e| corrupt("quote merchant", e))?,
                    session_id: SessionId::parse(&session).map_err(|e| corrupt("quote session", e))?,
                    created_at: instant("quote created_at", created)?,
                })
            })
            .transpose()
        })
        .await
    }

    async fn idempotent_payment(
        &self,
        merchant: &MerchantId,
        key: &IdempotencyKey,
    ) -> StoreResult<Option<(String, PaymentRecord)>> {
        let (merchant, key) = (merchant.clone(), key.clone());
        self.read(move |c| idempotency_row(c, &merchant, &key)).await
    }

    async fn create_payment(&self, p: NewPayment) -> StoreResult<CreatePayment> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let rec = &p.record;
            if let Some((hash, existing)) = idempotency_row(&tx, &rec.merchant_id, &p.idempotency_key)? {
                return Ok(if hash == p.request_hash {
                    CreatePayment::Replayed(Box::new(existing))
                } else {
                    CreatePayment::KeyReused
                });
            }
            tx.execute(
                "INSERT INTO payments (id, merchant_id, status, version, ref_id, upi_txn_ref, txn_ref, customer_mobile, \
                 created_at, expires_at, next_check_at, psp_link_id, reconcile_at, data) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                params![
                    rec.id.as_str(),
                    rec.merchant_id.as_str(),
                    rec.status.as_str(),
                    rec.version as i64,
                    rec.ref_id.as_str(),
                    rec.upi_txn_ref.as_str(),
                    rec.customer_mobile.as_str(),
                    ms(rec.created_at),
                    ms(rec.pay_by),
                    rec.next_check_at.map(ms),
                    rec.link.as_ref().map(|l| l.id.as_str()),
                    rec.reconcile_at.map(ms),
                    payment_json(rec)?
                ],
            )?;
            if let Some(quote) = &rec.quote_id {
                let n = tx.execute(
                    "UPDATE quotes SET used_by = ?2 WHERE id = ?1 AND used_by IS NULL",
                    params![quote.as_str(), rec.id.as_str()],
                )?;
                if n == 0 {
                    // Dropping the transaction rolls back the payment row.
                    return Ok(CreatePayment::QuoteUsed);
                }
            }
            tx.execute(
                "INSERT INTO idempotency_keys (merchant_id, key, request_hash, payment_id, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    rec.merchant_id.as_str(),
                    p.idempotency_key.as_str(),
                    p.request_hash,
                    rec.id.as_str(),
                    ms(rec.created_at)
                ],
            )?;
            insert_transition(&tx, &rec.id, None, PaymentStatus::Created, rec.created_at, "payment created")?;
            if rec.status != PaymentStatus::Created {
                insert_transition(&tx, &rec.id, Some(PaymentStatus::Created), rec.status, rec.created_at, "created as")?;
            }
            tx.commit()?;
            Ok(CreatePayment::Created(Box::new(p.record)))
        })
        .await
    }

    async fn payment(&self, id: &PaymentId) -> StoreResult<Option<PaymentRecord>> {
        let id = id.to_string();
        self.read(move |c| one_payment(c, "id = ?1", [id])).await
    }

    async fn payment_by_upi_ref(&self, upi_txn_ref: &UpiTxnRef) -> StoreResult<Option<PaymentRecord>> {
        let r = upi_txn_ref.as_str().to_owned();
        self.read(move |c| one_payment(c, "upi_txn_ref = ?1", [r])).await
    }

    async fn payment_by_ref_id(&self, ref_id: &RefId) -> StoreResult<Option<PaymentRecord>> {
        let r = ref_id.as_str().to_owned();
        self.read(move |c| one_payment(c, "ref_id = ?1", [r])).await
    }

    async fn payment_by_link(&self, link: &str) -> StoreResult<Option<PaymentRecord>> {
        let link = link.to_owned();
        self.read(move |c| one_payment(c, "psp_link_id = ?1", [link])).await
    }

    async fn payment_by_txn_ref(&self, merchant: &MerchantId, txn_ref: &TxnRef) -> StoreResult<Option<PaymentRecord>> {
        let (m, t) = (merchant.to_string(), txn_ref.to_string());
        self.read(move |c| one_payment(c, "merchant_id = ?1 AND txn_ref = ?2", [m, t])).await
    }

    async fn payments_by_mobile(
        &self,
        merchant: &MerchantId,
        mobile: &MobileNumber,
        range: TrackRange,
    ) -> StoreResult<Vec<PaymentRecord>> {
        let (m, mobile) = (merchant.to_string(), mobile.as_str().to_owned());
        let (from, to) = range.instants();
        self.read(move |c| {
            payments_where(
                c,
                "SELECT data FROM payments WHERE merchant_id = ?1 AND customer_mobile = ?2 AND created_at >= ?3 \
                 AND created_at < ?4 AND status != ?5 ORDER BY created_at DESC, id DESC LIMIT 500",
                params![m, mobile, ms(from), ms(to), PaymentStatus::Created.as_str()],
            )
        })
        .await
    }

    async fn list_payments(&self, merchant: &MerchantId, q: PaymentQuery) -> StoreResult<Vec<PaymentRecord>> {
        let m = merchant.to_string();
        self.read(move |c| {
            let cursor = match &q.starting_after {
                None => None,
                Some(id) => c
                    .query_row(
                        "SELECT created_at, id FROM payments WHERE id = ?1 AND merchant_id = ?2",
                        params![id.as_str(), m],
                        |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
                    )
                    .optional()?
                    .or(Some((i64::MIN, String::new()))),
            };
            let (after_ts, after_id) = cursor.unwrap_or((i64::MAX, "\u{10ffff}".to_owned()));
            payments_where(
                c,
                "SELECT data FROM payments WHERE merchant_id = ?1 AND (?2 IS NULL OR status = ?2) \
                 AND (created_at, id) < (?3, ?4) ORDER BY created_at DESC, id DESC LIMIT ?5",
                params![m, q.status.map(PaymentStatus::as_str), after_ts, after_id, q.limit],
            )
        })
        .await
    }

    async fn save_payment(
        &self,
        expected: (PaymentStatus, u64),
        next: &PaymentRecord,
        note: &str,
        effects: Effects,
    ) -> StoreResult<bool> {
        let (next, note) = (next.clone(), note.to_owned());
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let n = tx.execute(
                "UPDATE payments SET status = ?3, version = ?4, txn_ref = ?5, next_check_at = ?6, data = ?7, \
                 psp_link_id = ?9, reconcile_at = ?10, expires_at = ?11 WHERE id = ?1 AND status = ?2 AND version = ?8",
                params![
                    next.id.as_str(),
                    expected.0.as_str(),
                    next.status.as_str(),
                    next.version as i64,
                    next.txn_ref().map(TxnRef::as_str),
                    next.next_check_at.map(ms),
                    payment_json(&next)?,
                    expected.1 as i64,
                    next.link.as_ref().map(|l| l.id.as_str()),
                    next.reconcile_at.map(ms),
                    ms(next.pay_by)
                ],
            )?;
            if n == 0 {
                return Ok(false);
            }
            if expected.0 != next.status {
                insert_transition(&tx, &next.id, Some(expected.0), next.status, next.updated_at, &note)?;
            }
            if let Some(r) = &effects.refund {
                insert_refund_row(&tx, r)?;
            }
            if let Some(w) = &effects.webhook {
                tx.execute(
                    "INSERT OR IGNORE INTO webhook_deliveries (event_id, event_type, merchant_id, payment_id, url, body, \
                     status, attempts, next_attempt_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?8)",
                    params![
                        w.event_id,
                        w.event_type.as_str(),
                        w.merchant_id.as_str(),
                        w.payment_id.as_str(),
                        w.url,
                        w.body,
                        WebhookDeliveryStatus::Pending.as_str(),
                        ms(w.created_at)
                    ],
                )?;
            }
            tx.commit()?;
            Ok(true)
        })
        .await
    }

    async fn claim_payments_due(&self, now: Timestamp, lease: &Lease, limit: u32) -> StoreResult<Vec<PaymentRecord>> {
        let lease = lease.clone();
        self.call(move |c| {
            claim_payments(
                c,
                "((status IN (:awaiting, :created) AND expires_at <= :now) OR status IN (:paid, :failed) \
                 OR (status = :pending AND (next_check_at IS NULL OR next_check_at <= :now))) \
                 ORDER BY created_at LIMIT :limit",
                (ms(now), limit, &lease),
                named_params! {
                    ":awaiting": PaymentStatus::AwaitingPayment.as_str(),
                    ":created": PaymentStatus::Created.as_str(),
                    ":paid": PaymentStatus::Paid.as_str(),
                    ":failed": PaymentStatus::BillPaymentFailed.as_str(),
                    ":pending": PaymentStatus::BillPaymentPending.as_str(),
                },
            )
        })
        .await
    }

    async fn claim_payments_to_reconcile(
        &self,
        now: Timestamp,
        lease: &Lease,
        limit: u32,
    ) -> StoreResult<Vec<PaymentRecord>> {
        let lease = lease.clone();
        self.call(move |c| {
            claim_payments(c, "reconcile_at <= :now ORDER BY reconcile_at LIMIT :limit", (ms(now), limit, &lease), &[])
        })
        .await
    }

    async fn release_payment(&self, id: &PaymentId, owner: &str) -> StoreResult<()> {
        let (id, owner) = (id.to_string(), owner.to_owned());
        self.call(move |c| Ok(release_lease(c, "payments", &id, &owner)?)).await
    }

    async fn insert_refund(&self, r: &RefundRecord) -> StoreResult<bool> {
        let r = r.clone();
        self.call(move |c| Ok(insert_refund_row(c, &r)? == 1)).await
    }

    async fn refund_for_debit(&self, debit_id: &str) -> StoreResult<Option<RefundRecord>> {
        let id = debit_id.to_owned();
        self.read(move |c| Ok(refunds_where(c, "debit_id = ?1", [id])?.pop())).await
    }

    async fn refund_by_psp_id(&self, psp_refund: &str) -> StoreResult<Option<RefundRecord>> {
        let id = psp_refund.to_owned();
        self.read(move |c| Ok(refunds_where(c, "psp_refund_id = ?1", [id])?.pop())).await
    }

    async fn claim_refunds_due(&self, now: Timestamp, lease: &Lease, limit: u32) -> StoreResult<Vec<RefundRecord>> {
        let lease = lease.clone();
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let due = refunds_where(
                &tx,
                "stage != ?1 AND next_attempt_at <= ?2 AND (lease_until IS NULL OR lease_until <= ?2) \
                 ORDER BY next_attempt_at LIMIT ?3",
                params![RefundStage::Refunded.as_str(), ms(now), limit],
            )?;
            for r in &due {
                tx.execute(
                    "UPDATE refunds SET lease_owner = ?2, lease_until = ?3 WHERE id = ?1",
                    params![r.id, lease.owner, ms(lease.until)],
                )?;
            }
            tx.commit()?;
            Ok(due)
        })
        .await
    }

    async fn release_refund(&self, id: &str, owner: &str) -> StoreResult<()> {
        let (id, owner) = (id.to_owned(), owner.to_owned());
        self.call(move |c| Ok(release_lease(c, "refunds", &id, &owner)?)).await
    }

    async fn update_refund(&self, r: &RefundRecord) -> StoreResult<()> {
        let r = r.clone();
        self.call(move |c| {
            c.execute(
                "UPDATE refunds SET stage = ?2, psp_refund_id = ?3, refunded_at = ?4, attempts = ?5, \
                 next_attempt_at = ?6, escalated_at = ?7 WHERE id = ?1",
                params![
                    r.id,
                    r.progress.stage().as_str(),
                    r.progress.psp_refund(),
                    refunded_at(&r.progress),
                    r.attempts,
                    ms(r.next_attempt_at),
                    r.escalated_at.map(ms)
                ],
            )?;
            Ok(())
        })
        .await
    }

    async fn merchant_refunds(&self, merchant: &MerchantId, limit: u32) -> StoreResult<Vec<RefundRecord>> {
        let m = merchant.to_string();
        self.read(move |c| {
            refunds_where(
                c,
                "payment_id IN (SELECT id FROM payments WHERE merchant_id = ?1) ORDER BY created_at DESC, id DESC \
                 LIMIT ?2",
                params![m, limit],
            )
        })
        .await
    }

    async fn claim_webhooks_due(&self, now: Timestamp, until: Timestamp, limit: u32) -> StoreResult<Vec<WebhookJob>> {
        self.call(move |c| {
            let mut stmt = c.prepare(
                "UPDATE webhook_deliveries SET next_attempt_at = ?4 WHERE id IN (SELECT id FROM webhook_deliveries \
                 WHERE status = ?1 AND next_attempt_at <= ?2 ORDER BY next_attempt_at LIMIT ?3) \
                 RETURNING id, event_id, merchant_id, url, body, attempts",
            )?;
            let rows =
                stmt.query_map(params![WebhookDeliveryStatus::Pending.as_str(), ms(now), limit, ms(until)], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, u32>(5)?,
                    ))
                })?;
            rows.map(|r| {
                let (id, event_id, merchant, url, body, attempts) = r?;
                Ok(WebhookJob {
                    id,
                    event_id,
                    merchant_id: MerchantId::parse(&merchant).map_err(|e| corrupt("webhook merchant", e))?,
                    url,
                    body,
                    attempts,
                })
            })
            .collect()
        })
        .await
    }

    async fn record_webhook_attempt(&self, id: i64, outcome: AttemptOutcome) -> StoreResult<()> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let a = &outcome.attempt;
            tx.execute(
                "INSERT OR REPLACE INTO webhook_attempts (delivery_id, attempt, at, status_code, error) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, a.attempt, ms(a.at), a.status_code, a.error],
            )?;
            tx.execute(
                "UPDATE webhook_deliveries SET status = ?2, attempts = ?3, next_attempt_at = ?4 WHERE id = ?1",
                params![id, outcome.status.as_str(), a.attempt, outcome.next_attempt_at.map(ms)],
            )?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn redeliver_webhook(&self, merchant: &MerchantId, event_id: &str, now: Timestamp) -> StoreResult<bool> {
        let (m, e) = (merchant.to_string(), event_id.to_owned());
        self.call(move |c| {
            Ok(c.execute(
                "UPDATE webhook_deliveries SET status = ?3, next_attempt_at = ?4 WHERE merchant_id = ?1 AND event_id = ?2",
                params![m, e, WebhookDeliveryStatus::Pending.as_str(), ms(now)],
            )? == 1)
        })
        .await
    }

    async fn webhook_deliveries(
        &self,
        merchant: &MerchantId,
        payment: Option<&PaymentId>,
    ) -> StoreResult<Vec<WebhookDelivery>> {
        let (m, p) = (merchant.to_string(), payment.map(|p| p.to_string()));
        self.read(move |c| deliveries(c, &m, p.as_deref())).await
    }

    async fn insert_otp(&self, c: &OtpChallenge) -> StoreResult<()> {
        let c = c.clone();
        self.call(move |conn| {
            let (attempts, verified_at) = otp_state_columns(c.state);
            conn.execute(
                "INSERT INTO otp_challenges (id, merchant_id, mobile, code_hash, stage, attempts, verified_at, \
                 created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    c.id.as_str(),
                    c.merchant_id.as_str(),
                    c.mobile.as_str(),
                    c.code_hash,
                    c.state.stage().as_str(),
                    attempts,
                    verified_at,
                    ms(c.created_at),
                    ms(c.expires_at)
                ],
            )?;
            Ok(())
        })
        .await
    }

    async fn otp(&self, id: &OtpChallengeId) -> StoreResult<Option<OtpChallenge>> {
        let id = id.to_owned();
        self.read(move |c| Ok(otps_where(c, "id = ?1", params![id.as_str()])?.pop())).await
    }

    async fn update_otp(&self, expected: OtpState, next: &OtpChallenge) -> StoreResult<bool> {
        let next = next.clone();
        self.call(move |c| {
            let (was_attempts, _) = otp_state_columns(expected);
            let (attempts, verified_at) = otp_state_columns(next.state);
            Ok(c.execute(
                "UPDATE otp_challenges SET stage = ?2, attempts = ?3, verified_at = ?4 \
                 WHERE id = ?1 AND stage = ?5 AND attempts = ?6",
                params![
                    next.id.as_str(),
                    next.state.stage().as_str(),
                    attempts,
                    verified_at,
                    expected.stage().as_str(),
                    was_attempts
                ],
            )? == 1)
        })
        .await
    }

    async fn otps_for_mobile(&self, mobile: &MobileNumber, since: Timestamp) -> StoreResult<Vec<OtpChallenge>> {
        let mobile = mobile.as_str().to_owned();
        self.read(move |c| {
            otps_where(
                c,
                "mobile = ?1 AND created_at >= ?2 ORDER BY created_at DESC, id DESC",
                params![mobile, ms(since)],
            )
        })
        .await
    }

    async fn otps_sent_by_merchant(&self, merchant: &MerchantId, since: Timestamp) -> StoreResult<u32> {
        let merchant = merchant.to_string();
        self.read(move |c| {
            Ok(c.query_row(
                "SELECT COUNT(*) FROM otp_challenges WHERE merchant_id = ?1 AND created_at >= ?2",
                params![merchant, ms(since)],
                |r| r.get::<_, u32>(0),
            )?)
        })
        .await
    }

    async fn insert_complaint(&self, c: &ComplaintRecord) -> StoreResult<()> {
        let rec = c.clone();
        self.call(move |c| {
            let data = serde_json::to_string(&rec.complaint).map_err(|e| corrupt("complaint", e))?;
            c.execute(
                "INSERT INTO complaints (id, merchant_id, payment_id, customer_mobile, data, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    rec.complaint.id.as_str(),
                    rec.merchant_id.as_str(),
                    rec.payment_id.as_ref().map(PaymentId::as_str),
                    rec.customer_mobile.as_ref().map(MobileNumber::as_str),
                    data,
                    ms(rec.complaint.created_at)
                ],
            )?;
            Ok(())
        })
        .await
    }

    async fn complaint(&self, id: &ComplaintId) -> StoreResult<Option<ComplaintRecord>> {
        let id = id.to_string();
        self.read(move |c| {
            let row = c
                .query_row(
                    "SELECT data, merchant_id, payment_id, customer_mobile FROM complaints WHERE id = ?1",
                    [id],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, Option<String>>(2)?,
                            r.get::<_, Option<String>>(3)?,
                        ))
                    },
                )
                .optional()?;
            row.map(|(d, m, p, mob)| complaint_from(&d, &m, p, mob)).transpose()
        })
        .await
    }

    async fn update_complaint(&self, rec: &ComplaintRecord, previous_updated_at: Timestamp) -> StoreResult<bool> {
        let rec = rec.clone();
        self.call(move |c| {
            let data = serde_json::to_string(&rec.complaint).map_err(|e| corrupt("complaint", e))?;
            // The instants compared, not their text: a row written by an older version may spell its zone apart.
            let n = c.execute(
                "UPDATE complaints SET data = ?2 WHERE id = ?1 \
                 AND julianday(json_extract(data, '$.updated_at')) = julianday(?3)",
                params![rec.complaint.id.as_str(), data, previous_updated_at.to_string()],
            )?;
            Ok(n == 1)
        })
        .await
    }

    async fn archive_wire_message(&self, m: &WireMessage) -> StoreResult<WireMessageId> {
        let m = m.clone();
        self.call(move |c| wire_archive::insert(c, &m)).await
    }

    async fn wire_message(&self, id: WireMessageId) -> StoreResult<Option<WireMessage>> {
        self.read(move |c| wire_archive::by_id(c, id)).await
    }

    async fn wire_request_sent(&self, kind: &str, ref_id: &RefId, msg_id: Option<&str>) -> StoreResult<bool> {
        let (kind, ref_id, msg_id) = (kind.to_owned(), ref_id.clone(), msg_id.map(str::to_owned));
        self.read(move |c| wire_archive::request_sent(c, &kind, &ref_id, msg_id.as_deref())).await
    }

    /// Several instances on one SQLite file have no channel between them: a response reaches the instance that
    /// asked only when the network posts it there (docs/deploy.md: several instances take PostgreSQL).
    fn relays_wire_messages(&self) -> bool {
        false
    }

    async fn announce_wire_message(&self, _: WireMessageId) -> StoreResult<()> {
        Ok(())
    }

    async fn wire_messages(&self, q: &WireQuery) -> StoreResult<Vec<WireMessage>> {
        let q = q.clone();
        self.read(move |c| wire_archive::select(c, &q)).await
    }

    async fn prune_wire_messages(&self, before: Timestamp) -> StoreResult<u64> {
        self.call(move |c| wire_archive::prune(c, before)).await
    }
}
