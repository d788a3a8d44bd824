//! The PostgreSQL store: the scale-out store, where several server instances share one database. It keeps the
//! same contract as the SQLite store (`bbps_engine::store_contract`): a payment moves by compare-and-set on its
//! `(status, version)` with the effects of the move in the same transaction, a merchant's idempotency key makes
//! one payment, a debit has one refund, and the jobs of the worker (payments, refunds, webhooks) are claimed
//! with `FOR UPDATE SKIP LOCKED` under a lease, so two instances never take the same one.
//!
//! The driver is tokio-postgres, pooled by deadpool-postgres: the asynchronous client of the rust-postgres
//! project, maintained since 2013, on the tokio runtime the server already runs. It speaks the binary protocol with
//! statements prepared once per pooled connection (`prepare_cached`), takes plain SQL with no database at compile
//! time, and adds few crates to the server's build beside rustls and tokio, which it already has. Its connections
//! also carry `LISTEN/NOTIFY`, the way for instances to tell each other of a payment's change. sqlx would bring
//! its own pool, a runtime abstraction and a query layer this store does not need.
//!
//! Instants are `timestamptz` (read back in IST, as every `Timestamp` is), money is `BIGINT` paise checked not
//! negative, records are `jsonb`, and every enum is stored by its wire name from bbps-core: a name this build
//! does not know reads back as an error, never a default.

pub mod changes;
mod jsonb;
mod migrations;
mod tls;
mod wire_archive;

#[cfg(feature = "test-cluster")]
pub mod test_cluster;

use std::sync::Arc;
use std::time::Duration;

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
use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime};
use time::OffsetDateTime;
use tokio_postgres::Row;
use tokio_postgres::types::{Json, ToSql};

use crate::jsonb::Jsonb;

/// How the store connects.
#[derive(Debug, Clone)]
pub struct PostgresOptions {
    /// Connections held open at most (one at least), shared by requests and the worker.
    pub pool_size: usize,
}

/// How long opening a connection may take, unless the URL says (`connect_timeout`).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a request waits for a free connection before it fails, rather than queueing without end when the
/// database is slow or the pool too small.
const POOL_WAIT: Duration = Duration::from_secs(10);

/// What the store's steps fail with: the driver's, the pool's and the store's own errors.
#[derive(Debug)]
enum Failure {
    Pg(tokio_postgres::Error),
    Pool(PoolError),
    Store(StoreError),
}

impl From<tokio_postgres::Error> for Failure {
    fn from(e: tokio_postgres::Error) -> Failure {
        Failure::Pg(e)
    }
}

impl From<PoolError> for Failure {
    fn from(e: PoolError) -> Failure {
        Failure::Pool(e)
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
            Failure::Pg(e) => StoreError::Backend(with_causes(&e)),
            Failure::Pool(PoolError::Backend(e)) => StoreError::Backend(format!("cannot connect: {}", with_causes(&e))),
            Failure::Pool(e) => StoreError::Backend(format!("connection pool: {e}")),
            Failure::Store(e) => e,
        }
    }
}

/// An error with what caused it: the driver's own message names only the kind ("db error"), the server's
/// message is its cause.
pub(crate) fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

type Db<T> = Result<T, Failure>;

type Params<'a> = [&'a (dyn ToSql + Sync)];

#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool,
    /// Seals stored secrets when set (live mode sets it).
    key: Option<Arc<DataKey>>,
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/dbname?sslmode=…`), applies the
    /// migrations it has not seen and, with a `key`, seals the secrets stored in the clear. The server's
    /// certificate is verified against the system's trust store whenever TLS is used (`sslmode=prefer`, the
    /// default, or `require`).
    pub async fn connect(url: &Secret, options: &PostgresOptions, key: Option<DataKey>) -> StoreResult<PostgresStore> {
        let mut config: tokio_postgres::Config =
            url.expose().parse().map_err(|e| StoreError::Backend(format!("the PostgreSQL URL does not read: {e}")))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("bbps-server");
        }
        let manager =
            Manager::from_config(config, tls::connector()?, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager)
            .max_size(options.pool_size.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(POOL_WAIT))
            .create_timeout(Some(CONNECT_TIMEOUT))
            .build()
            .map_err(|e| StoreError::Backend(format!("connection pool: {e}")))?;
        let store = PostgresStore { pool, key: key.map(Arc::new) };
        let mut client = store.client().await?;
        migrations::migrate(&mut client).await?;
        if let Some(key) = &store.key {
            seal_stored(&mut client, key).await?;
        }
        Ok(store)
    }
}

/// Seals the webhook secrets stored in the clear (a database that ran without a key before).
async fn seal_stored(client: &mut deadpool_postgres::Client, key: &DataKey) -> Db<()> {
    let tx = client.transaction().await?;
    let rows = tx.query("SELECT id, webhook_secret FROM merchants FOR UPDATE", &[]).await?;
    for row in rows {
        let (id, secret): (String, String) = (row.try_get(0)?, row.try_get(1)?);
        if !seal::is_sealed(&secret) {
            tx.execute("UPDATE merchants SET webhook_secret = $2 WHERE id = $1", &[&id, &key.seal(&id, &secret)])
                .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

async fn query(c: &impl GenericClient, sql: &str, params: &Params<'_>) -> Db<Vec<Row>> {
    let statement = c.prepare_cached(sql).await?;
    Ok(c.query(&statement, params).await?)
}

async fn query_opt(c: &impl GenericClient, sql: &str, params: &Params<'_>) -> Db<Option<Row>> {
    let statement = c.prepare_cached(sql).await?;
    Ok(c.query_opt(&statement, params).await?)
}

async fn execute(c: &impl GenericClient, sql: &str, params: &Params<'_>) -> Db<u64> {
    let statement = c.prepare_cached(sql).await?;
    Ok(c.execute(&statement, params).await?)
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> Failure {
    Failure::Store(StoreError::Corrupt(format!("{what}: {e}")))
}

fn instant(t: OffsetDateTime) -> Timestamp {
    Timestamp::from_offset_date_time(t)
}

/// A count or version as PostgreSQL's `BIGINT`.
fn big(n: u64) -> Db<i64> {
    i64::try_from(n).map_err(|_| corrupt("number", format!("{n} does not fit a BIGINT")))
}

/// A stored `BIGINT` that is a count.
fn count(what: &str, n: i64) -> Db<u32> {
    u32::try_from(n).map_err(|_| corrupt(what, format!("{n} is not a count")))
}

/// A stored wire name read back as its enum.
fn wire<T: WireEnum>(s: &str) -> Db<T> {
    T::parse(s).map_err(|e| corrupt(T::NAME, e))
}

fn json<T: serde::de::DeserializeOwned>(what: &str, row: &Row, idx: usize) -> Db<T> {
    let Jsonb(text) = row.try_get(idx)?;
    serde_json::from_slice(text).map_err(|e| corrupt(what, e))
}

const MERCHANT_COLUMNS: &str = "id, name, publishable_key, secret_key_hash, allowed_origins, webhook_url, \
                                webhook_secret, upi_name, created_at";

fn merchant_from(row: &Row, key: Option<&DataKey>) -> Db<Merchant> {
    let id: String = row.try_get(0)?;
    let webhook_secret = seal::unseal(key, &id, row.try_get(6)?).map_err(|e| corrupt("webhook secret", e))?;
    Ok(Merchant {
        id: MerchantId::parse(&id).map_err(|e| corrupt("merchant id", e))?,
        name: row.try_get(1)?,
        publishable_key: row.try_get(2)?,
        secret_key_hash: row.try_get(3)?,
        allowed_origins: row.try_get(4)?,
        webhook_url: row.try_get(5)?,
        webhook_secret: Secret::new(webhook_secret),
        upi_name: row.try_get(7)?,
        created_at: instant(row.try_get(8)?),
    })
}

fn payments_from(rows: Vec<Row>) -> Db<Vec<PaymentRecord>> {
    rows.iter().map(|r| json("payment", r, 0)).collect()
}

async fn one_payment(c: &impl GenericClient, clause: &str, params: &Params<'_>) -> Db<Option<PaymentRecord>> {
    let row = query_opt(c, &format!("SELECT data FROM payments WHERE {clause}"), params).await?;
    row.map(|r| json("payment", &r, 0)).transpose()
}

/// The payment an idempotency key created, with the hash of the body it was created with.
async fn idempotency_row(
    c: &impl GenericClient,
    merchant: &MerchantId,
    key: &IdempotencyKey,
) -> Db<Option<(String, PaymentRecord)>> {
    let row = query_opt(
        c,
        "SELECT i.request_hash, p.data FROM idempotency_keys i JOIN payments p ON p.id = i.payment_id \
         WHERE i.merchant_id = $1 AND i.key = $2",
        &[&merchant.as_str(), &key.as_str()],
    )
    .await?;
    row.map(|r| Ok((r.try_get(0)?, json("payment", &r, 1)?))).transpose()
}

async fn insert_transition(
    c: &impl GenericClient,
    id: &PaymentId,
    from: Option<PaymentStatus>,
    to: PaymentStatus,
    at: Timestamp,
    note: &str,
) -> Db<()> {
    execute(
        c,
        "INSERT INTO payment_transitions (payment_id, from_status, to_status, at, note) VALUES ($1, $2, $3, $4, $5)",
        &[&id.as_str(), &from.map(PaymentStatus::as_str), &to.as_str(), &at.get(), &note],
    )
    .await?;
    Ok(())
}

const REFUND_COLUMNS: &str = "id, payment_id, is_primary, reason, link_id, debit_id, amount, refund_by, stage, \
                              psp_refund_id, refunded_at, attempts, next_attempt_at, created_at, escalated_at";

/// Queues a refund; 0 rows when its debit (or its id) already has one.
async fn insert_refund_row(c: &impl GenericClient, r: &RefundRecord) -> Db<u64> {
    let (payment, primary, reason) = match &r.of {
        RefundOf::Payment { payment, reason } => (Some(payment.as_str()), true, Some(reason.as_str())),
        RefundOf::Extra { payment, reason } => (Some(payment.as_str()), false, Some(reason.as_str())),
        RefundOf::Stray => (None, false, None),
    };
    execute(
        c,
        &format!(
            "INSERT INTO refunds ({REFUND_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT DO NOTHING"
        ),
        &[
            &r.id,
            &payment,
            &primary,
            &reason,
            &r.link,
            &r.debit_id,
            &big(r.amount.get())?,
            &r.by.as_str(),
            &r.progress.stage().as_str(),
            &r.progress.psp_refund(),
            &refunded_at(&r.progress),
            &i64::from(r.attempts),
            &r.next_attempt_at.get(),
            &r.created_at.get(),
            &r.escalated_at.map(Timestamp::get),
        ],
    )
    .await
}

fn refunded_at(p: &RefundProgress) -> Option<OffsetDateTime> {
    match p {
        RefundProgress::Refunded { at, .. } => Some(at.get()),
        RefundProgress::Queued | RefundProgress::Requested { .. } => None,
    }
}

fn refund_from(row: &Row) -> Db<RefundRecord> {
    let id: String = row.try_get(0)?;
    let payment = row
        .try_get::<_, Option<&str>>(1)?
        .map(PaymentId::parse)
        .transpose()
        .map_err(|e| corrupt("refund payment", e))?;
    let reason = row.try_get::<_, Option<&str>>(3)?.map(wire::<RefundReason>).transpose()?;
    let of = match (payment, reason, row.try_get::<_, bool>(2)?) {
        (Some(payment), Some(reason), true) => RefundOf::Payment { payment, reason },
        (Some(payment), Some(reason), false) => RefundOf::Extra { payment, reason },
        (None, None, false) => RefundOf::Stray,
        _ => return Err(corrupt("refund", format!("{id}: payment, reason and primary do not fit together"))),
    };
    let stage = wire::<RefundStage>(row.try_get(8)?)?;
    let psp_refund: Option<String> = row.try_get(9)?;
    let refunded_at: Option<OffsetDateTime> = row.try_get(10)?;
    let progress = match (stage, psp_refund, refunded_at) {
        (RefundStage::Queued, None, None) => RefundProgress::Queued,
        (RefundStage::Requested, Some(psp_refund), None) => RefundProgress::Requested { psp_refund },
        (RefundStage::Refunded, psp_refund, Some(at)) => RefundProgress::Refunded { psp_refund, at: instant(at) },
        (stage, ..) => return Err(corrupt("refund", format!("{id}: stage {stage} without its details"))),
    };
    let amount: i64 = row.try_get(6)?;
    Ok(RefundRecord {
        of,
        link: row.try_get(4)?,
        debit_id: row.try_get(5)?,
        amount: u64::try_from(amount).ok().and_then(Paise::new).ok_or_else(|| corrupt("refund", "amount"))?,
        by: wire::<RefundBy>(row.try_get(7)?)?,
        progress,
        attempts: count("refund attempts", row.try_get(11)?)?,
        next_attempt_at: instant(row.try_get(12)?),
        created_at: instant(row.try_get(13)?),
        escalated_at: row.try_get::<_, Option<OffsetDateTime>>(14)?.map(instant),
        id,
    })
}

async fn refunds_where(c: &impl GenericClient, clause: &str, params: &Params<'_>) -> Db<Vec<RefundRecord>> {
    let rows = query(c, &format!("SELECT {REFUND_COLUMNS} FROM refunds WHERE {clause}"), params).await?;
    rows.iter().map(refund_from).collect()
}

/// The `attempts` and `verified_at` columns of a one-time code's state.
fn otp_state_columns(state: OtpState) -> (i64, Option<OffsetDateTime>) {
    match state {
        OtpState::Open { attempts } => (i64::from(attempts), None),
        OtpState::Verified { at } => (0, Some(at.get())),
        OtpState::Exhausted => (0, None),
    }
}

const OTP_COLUMNS: &str = "id, merchant_id, mobile, code_hash, stage, attempts, verified_at, created_at, expires_at";

fn otp_from(row: &Row) -> Db<OtpChallenge> {
    let state = match wire::<OtpStage>(row.try_get(4)?)? {
        OtpStage::Open => OtpState::Open { attempts: count("otp attempts", row.try_get(5)?)? },
        OtpStage::Verified => OtpState::Verified {
            at: instant(
                row.try_get::<_, Option<OffsetDateTime>>(6)?
                    .ok_or_else(|| corrupt("otp", "verified without a time"))?,
            ),
        },
        OtpStage::Exhausted => OtpState::Exhausted,
    };
    let mobile: &str = row.try_get(2)?;
    Ok(OtpChallenge {
        id: OtpChallengeId::parse(row.try_get(0)?).map_err(|e| corrupt("otp id", e))?,
        merchant_id: MerchantId::parse(row.try_get(1)?).map_err(|e| corrupt("otp merchant", e))?,
        mobile: MobileNumber::parse(mobile).ok_or_else(|| corrupt("otp mobile", mobile))?,
        code_hash: row.try_get(3)?,
        state,
        created_at: instant(row.try_get(7)?),
        expires_at: instant(row.try_get(8)?),
    })
}

async fn otps_where(c: &impl GenericClient, clause: &str, params: &Params<'_>) -> Db<Vec<OtpChallenge>> {
    let rows = query(c, &format!("SELECT {OTP_COLUMNS} FROM otp_challenges WHERE {clause}"), params).await?;
    rows.iter().map(otp_from).collect()
}

fn complaint_from(row: &Row) -> Db<ComplaintRecord> {
    Ok(ComplaintRecord {
        complaint: json("complaint", row, 0)?,
        merchant_id: MerchantId::parse(row.try_get(1)?).map_err(|e| corrupt("complaint merchant", e))?,
        payment_id: row
            .try_get::<_, Option<&str>>(2)?
            .map(PaymentId::parse)
            .transpose()
            .map_err(|e| corrupt("complaint payment", e))?,
        customer_mobile: row
            .try_get::<_, Option<&str>>(3)?
            .map(|m| MobileNumber::parse(m).ok_or_else(|| corrupt("complaint mobile", m)))
            .transpose()?,
    })
}

/// The deliveries of a merchant (of one payment), newest first, with their attempts.
async fn deliveries(c: &impl GenericClient, merchant: &str, payment: Option<&str>) -> Db<Vec<WebhookDelivery>> {
    let rows = query(
        c,
        "SELECT id, event_id, event_type, payment_id, url, status, next_attempt_at, created_at \
         FROM webhook_deliveries WHERE merchant_id = $1 AND ($2::text IS NULL OR payment_id = $2) \
         ORDER BY created_at DESC, id DESC LIMIT 200",
        &[&merchant, &payment],
    )
    .await?;
    let ids = rows.iter().map(|r| r.try_get::<_, i64>(0)).collect::<Result<Vec<_>, _>>()?;
    let attempt_rows = query(
        c,
        "SELECT delivery_id, attempt, at, status_code, error FROM webhook_attempts WHERE delivery_id = ANY($1) \
         ORDER BY delivery_id, attempt",
        &[&ids],
    )
    .await?;
    let mut attempts: std::collections::HashMap<i64, Vec<WebhookAttempt>> = std::collections::HashMap::new();
    for r in &attempt_rows {
        let status_code = r
            .try_get::<_, Option<i32>>(3)?
            .map(|c| u16::try_from(c).map_err(|_| corrupt("webhook attempt", format!("status {c}"))))
            .transpose()?;
        attempts.entry(r.try_get(0)?).or_default().push(WebhookAttempt {
            attempt: count("webhook attempt", r.try_get(1)?)?,
            at: instant(r.try_get(2)?),
            status_code,
            error: r.try_get(4)?,
        });
    }
    rows.iter()
        .map(|r| {
            let status = wire::<WebhookDeliveryStatus>(r.try_get(5)?)?;
            Ok(WebhookDelivery {
                event_id: r.try_get(1)?,
                event_type: wire::<WebhookEventType>(r.try_get(2)?)?,
                payment_id: PaymentId::parse(r.try_get(3)?).map_err(|e| corrupt("webhook payment", e))?,
                url: r.try_get(4)?,
                status,
                attempts: attempts.remove(&r.try_get::<_, i64>(0)?).unwrap_or_default(),
                next_attempt_at: r
                    .try_get::<_, Option<OffsetDateTime>>(6)?
                    .filter(|_| status == WebhookDeliveryStatus::Pending)
                    .map(instant),
                created_at: instant(r.try_get(7)?),
            })
        })
        .collect()
}

/// Leases the payments matching `due` that nobody holds, at most `limit` in `order`. `due` is a condition over
/// `$1` (now) and `extra`, which are `$5` on. The rows are taken with `FOR UPDATE SKIP LOCKED`: another instance
/// claiming at the same moment passes over them rather than waiting, and a row another claim leased in the
/// meantime no longer matches once it is locked.
async fn claim_payments(
    c: &impl GenericClient,
    due: &str,
    order: &str,
    (now, limit, lease): (Timestamp, u32, &Lease),
    extra: &Params<'_>,
) -> Db<Vec<PaymentRecord>> {
    let sql = format!(
        "UPDATE payments SET lease_owner = $3, lease_until = $4 WHERE id IN (SELECT id FROM payments \
         WHERE (lease_until IS NULL OR lease_until <= $1) AND ({due}) ORDER BY {order} LIMIT $2 \
         FOR UPDATE SKIP LOCKED) RETURNING data"
    );
    let (now, limit, until) = (now.get(), i64::from(limit), lease.until.get());
    let mut params: Vec<&(dyn ToSql + Sync)> = vec![&now, &limit, &lease.owner, &until];
    params.extend_from_slice(extra);
    payments_from(query(c, &sql, &params).await?)
}

#[async_trait]
impl Store for PostgresStore {
    async fn ping(&self) -> StoreResult<()> {
        let c = self.client().await?;
        query(&c, "SELECT 1", &[]).await?;
        Ok(())
    }

    async fn setting_or_insert(&self, key: &str, value: String) -> StoreResult<String> {
        let c = self.client().await?;
        // Two statements: the second sees a value another instance committed while the first waited on it.
        execute(&c, "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", &[&key, &value])
            .await?;
        let row = query_opt(&c, "SELECT value FROM settings WHERE key = $1", &[&key]).await?;
        Ok(row
            .ok_or_else(|| StoreError::Backend(format!("setting {key} vanished")))?
            .try_get(0)
            .map_err(Failure::from)?)
    }

    async fn insert_merchant(&self, m: &Merchant) -> StoreResult<()> {
        let c = self.client().await?;
        let secret = seal::seal(self.key.as_deref(), m.id.as_str(), m.webhook_secret.expose());
        execute(
            &c,
            &format!("INSERT INTO merchants ({MERCHANT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"),
            &[
                &m.id.as_str(),
                &m.name,
                &m.publishable_key,
                &m.secret_key_hash,
                &m.allowed_origins,
                &m.webhook_url,
                &secret,
                &m.upi_name,
                &m.created_at.get(),
            ],
        )
        .await?;
        Ok(())
    }

    async fn merchant(&self, id: &MerchantId) -> StoreResult<Option<Merchant>> {
        self.one_merchant("id", id.as_str()).await
    }

    async fn merchant_by_publishable_key(&self, key: &str) -> StoreResult<Option<Merchant>> {
        self.one_merchant("publishable_key", key).await
    }

    async fn merchant_by_secret_hash(&self, hash: &str) -> StoreResult<Option<Merchant>> {
        self.one_merchant("secret_key_hash", hash).await
    }

    async fn merchants(&self) -> StoreResult<Vec<Merchant>> {
        let c = self.client().await?;
        let rows = query(&c, &format!("SELECT {MERCHANT_COLUMNS} FROM merchants ORDER BY created_at, id"), &[]).await?;
        Ok(rows.iter().map(|r| merchant_from(r, self.key.as_deref())).collect::<Db<_>>()?)
    }

    async fn origin_allowed(&self, origin: &str) -> StoreResult<bool> {
        let c = self.client().await?;
        let row = query_opt(
            &c,
            "SELECT EXISTS (SELECT 1 FROM merchants, unnest(merchants.allowed_origins) AS allowed(origin) \
             WHERE lower(allowed.origin) = lower($1))",
            &[&origin.trim_end_matches('/')],
        )
        .await?;
        Ok(row.map(|r| r.try_get(0)).transpose().map_err(Failure::from)?.unwrap_or(false))
    }

    async fn rotate_merchant_keys(&self, id: &MerchantId, publishable: &str, secret_hash: &str) -> StoreResult<bool> {
        let c = self.client().await?;
        let n = execute(
            &c,
            "UPDATE merchants SET publishable_key = $2, secret_key_hash = $3 WHERE id = $1",
            &[&id.as_str(), &publishable, &secret_hash],
        )
        .await?;
        Ok(n == 1)
    }

    async fn update_merchant_integration(
        &self,
        id: &MerchantId,
        allowed_origins: &[String],
        webhook_url: Option<&str>,
    ) -> StoreResult<bool> {
        let c = self.client().await?;
        let n = execute(
            &c,
            "UPDATE merchants SET allowed_origins = $2, webhook_url = $3 WHERE id = $1",
            &[&id.as_str(), &allowed_origins, &webhook_url],
        )
        .await?;
        Ok(n == 1)
    }

    async fn insert_quote(&self, q: &QuoteRecord) -> StoreResult<()> {
        let c = self.client().await?;
        execute(
            &c,
            "INSERT INTO quotes (id, merchant_id, session_id, ref_id, body, expires_at, used_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, NULL, $7)",
            &[
                &q.quote.id.as_str(),
                &q.merchant_id.as_str(),
                &q.session_id.as_str(),
                &q.quote.ref_id.as_str(),
                &Json(&q.quote),
                &q.quote.expires_at.get(),
                &q.created_at.get(),
            ],
        )
        .await?;
        Ok(())
    }

    async fn quote(&self, id: &QuoteId) -> StoreResult<Option<QuoteRecord>> {
        let c = self.client().await?;
        let row = query_opt(
            &c,
            "SELECT body, merchant_id, session_id, created_at FROM quotes WHERE id = $1",
            &[&id.as_str()],
        )
        .await?;
        let read = |r: Row| -> Db<QuoteRecord> {
            Ok(QuoteRecord {
                quote: json("quote", &r, 0)?,
                merchant_id: MerchantId::parse(r.try_get(1)?).map_err(|e| corrupt("quote merchant", e))?,
                session_id: SessionId::parse(r.try_get(2)?).map_err(|e| corrupt("quote session", e))?,
                created_at: instant(r.try_get(3)?),
            })
        };
        Ok(row.map(read).transpose()?)
    }

    async fn idempotent_payment(
        &self,
        merchant: &MerchantId,
        key: &IdempotencyKey,
    ) -> StoreResult<Option<(String, PaymentRecord)>> {
        let c = self.client().await?;
        Ok(idempotency_row(&c, merchant, key).await?)
    }

    async fn create_payment(&self, p: NewPayment) -> StoreResult<CreatePayment> {
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(Failure::from)?;
        let rec = &p.record;
        // The key first: a concurrent create under the same key waits here for this transaction, then finds
        // its payment (or, if this one rolls back, takes the key itself).
        let claimed = execute(
            &tx,
            "INSERT INTO idempotency_keys (merchant_id, key, request_hash, payment_id, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (merchant_id, key) DO NOTHING",
            &[
                &rec.merchant_id.as_str(),
                &p.idempotency_key.as_str(),
                &p.request_hash,
                &rec.id.as_str(),
                &rec.created_at.get(),
            ],
        )
        .await?;
        if claimed == 0 {
            let (hash, existing) = idempotency_row(&tx, &rec.merchant_id, &p.idempotency_key)
                .await?
                .ok_or_else(|| StoreError::Backend("an idempotency key without its payment".to_owned()))?;
            tx.rollback().await.map_err(Failure::from)?;
            return Ok(if hash == p.request_hash {
                CreatePayment::Replayed(Box::new(existing))
            } else {
                CreatePayment::KeyReused
            });
        }
        execute(
            &tx,
            "INSERT INTO payments (id, merchant_id, status, version, ref_id, upi_txn_ref, txn_ref, psp_link_id, \
             customer_mobile, total, created_at, pay_by, next_check_at, reconcile_at, data) \
             VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8, $9, $10, $11, $12, $13, $14)",
            &[
                &rec.id.as_str(),
                &rec.merchant_id.as_str(),
                &rec.status.as_str(),
                &big(rec.version)?,
                &rec.ref_id.as_str(),
                &rec.upi_txn_ref.as_str(),
                &rec.link.as_ref().map(|l| l.id.as_str()),
                &rec.customer_mobile.as_str(),
                &big(rec.charges.total.get())?,
                &rec.created_at.get(),
                &rec.pay_by.get(),
                &rec.next_check_at.map(Timestamp::get),
                &rec.reconcile_at.map(Timestamp::get),
                &Json(rec),
            ],
        )
        .await?;
        if let Some(quote) = &rec.quote_id {
            let n = execute(
                &tx,
                "UPDATE quotes SET used_by = $2 WHERE id = $1 AND used_by IS NULL",
                &[&quote.as_str(), &rec.id.as_str()],
            )
            .await?;
            if n == 0 {
                tx.rollback().await.map_err(Failure::from)?;
                return Ok(CreatePayment::QuoteUsed);
            }
        }
        insert_transition(&tx, &rec.id, None, PaymentStatus::Created, rec.created_at, "payment created").await?;
        if rec.status != PaymentStatus::Created {
            insert_transition(&tx, &rec.id, Some(PaymentStatus::Created), rec.status, rec.created_at, "created as")
                .await?;
        }
        tx.commit().await.map_err(Failure::from)?;
        Ok(CreatePayment::Created(Box::new(p.record)))
    }

    async fn payment(&self, id: &PaymentId) -> StoreResult<Option<PaymentRecord>> {
        let c = self.client().await?;
        Ok(one_payment(&c, "id = $1", &[&id.as_str()]).await?)
    }

    async fn payment_by_upi_ref(&self, upi_txn_ref: &UpiTxnRef) -> StoreResult<Option<PaymentRecord>> {
        let c = self.client().await?;
        Ok(one_payment(&c, "upi_txn_ref = $1", &[&upi_txn_ref.as_str()]).await?)
    }

    async fn payment_by_link(&self, link: &str) -> StoreResult<Option<PaymentRecord>> {
        let c = self.client().await?;
        Ok(one_payment(&c, "psp_link_id = $1", &[&link]).await?)
    }

    async fn payment_by_txn_ref(&self, merchant: &MerchantId, txn_ref: &TxnRef) -> StoreResult<Option<PaymentRecord>> {
        let c = self.client().await?;
        Ok(one_payment(&c, "merchant_id = $1 AND txn_ref = $2", &[&merchant.as_str(), &txn_ref.as_str()]).await?)
    }

    async fn payment_by_ref_id(&self, ref_id: &RefId) -> StoreResult<Option<PaymentRecord>> {
        let c = self.client().await?;
        Ok(one_payment(&c, "ref_id = $1", &[&ref_id.as_str()]).await?)
    }

    async fn payments_by_mobile(
        &self,
        merchant: &MerchantId,
        mobile: &MobileNumber,
        range: TrackRange,
    ) -> StoreResult<Vec<PaymentRecord>> {
        let c = self.client().await?;
        let (from, to) = range.instants();
        let rows = query(
            &c,
            "SELECT data FROM payments WHERE merchant_id = $1 AND customer_mobile = $2 AND created_at >= $3 \
             AND created_at < $4 AND status <> $5 ORDER BY created_at DESC, id DESC LIMIT 500",
            &[&merchant.as_str(), &mobile.as_str(), &from.get(), &to.get(), &PaymentStatus::Created.as_str()],
        )
        .await?;
        Ok(payments_from(rows)?)
    }

    async fn list_payments(&self, merchant: &MerchantId, q: PaymentQuery) -> StoreResult<Vec<PaymentRecord>> {
        let c = self.client().await?;
        let (status, limit) = (q.status.map(PaymentStatus::as_str), i64::from(q.limit));
        let rows = match &q.starting_after {
            None => {
                query(
                    &c,
                    "SELECT data FROM payments WHERE merchant_id = $1 AND ($2::text IS NULL OR status = $2) \
                     ORDER BY created_at DESC, id DESC LIMIT $3",
                    &[&merchant.as_str(), &status, &limit],
                )
                .await?
            }
            Some(after) => {
                let cursor = query_opt(
                    &c,
                    "SELECT created_at FROM payments WHERE id = $1 AND merchant_id = $2",
                    &[&after.as_str(), &merchant.as_str()],
                )
                .await?;
                // A cursor that is not this merchant's payment pages to nothing, as it does in SQLite.
                let Some(cursor) = cursor else { return Ok(Vec::new()) };
                let created: OffsetDateTime = cursor.try_get(0).map_err(Failure::from)?;
                query(
                    &c,
                    "SELECT data FROM payments WHERE merchant_id = $1 AND ($2::text IS NULL OR status = $2) \
                     AND (created_at, id) < ($3, $4) ORDER BY created_at DESC, id DESC LIMIT $5",
                    &[&merchant.as_str(), &status, &created, &after.as_str(), &limit],
                )
                .await?
            }
        };
        Ok(payments_from(rows)?)
    }

    async fn save_payment(
        &self,
        expected: (PaymentStatus, u64),
        next: &PaymentRecord,
        note: &str,
        effects: Effects,
    ) -> StoreResult<bool> {
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(Failure::from)?;
        // A concurrent save of the same payment waits on the row, then finds the version moved and writes nothing.
        let n = execute(
            &tx,
            "UPDATE payments SET status = $3, version = $4, txn_ref = $5, psp_link_id = $6, total = $7, \
             pay_by = $8, next_check_at = $9, reconcile_at = $10, data = $11 \
             WHERE id = $1 AND status = $2 AND version = $12",
            &[
                &next.id.as_str(),
                &expected.0.as_str(),
                &next.status.as_str(),
                &big(next.version)?,
                &next.txn_ref().map(TxnRef::as_str),
                &next.link.as_ref().map(|l| l.id.as_str()),
                &big(next.charges.total.get())?,
                &next.pay_by.get(),
                &next.next_check_at.map(Timestamp::get),
                &next.reconcile_at.map(Timestamp::get),
                &Json(next),
                &big(expected.1)?,
            ],
        )
        .await?;
        if n == 0 {
            tx.rollback().await.map_err(Failure::from)?;
            return Ok(false);
        }
        if expected.0 != next.status {
            insert_transition(&tx, &next.id, Some(expected.0), next.status, next.updated_at, note).await?;
        }
        if let Some(r) = &effects.refund {
            insert_refund_row(&tx, r).await?;
        }
        if let Some(w) = &effects.webhook {
            execute(
                &tx,
                "INSERT INTO webhook_deliveries (event_id, event_type, merchant_id, payment_id, url, body, status, \
                 attempts, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $8) \
                 ON CONFLICT DO NOTHING",
                &[
                    &w.event_id,
                    &w.event_type.as_str(),
                    &w.merchant_id.as_str(),
                    &w.payment_id.as_str(),
                    &w.url,
                    &w.body,
                    &WebhookDeliveryStatus::Pending.as_str(),
                    &w.created_at.get(),
                ],
            )
            .await?;
        }
        changes::announce(&tx, &next.id).await?;
        tx.commit().await.map_err(Failure::from)?;
        Ok(true)
    }

    async fn claim_payments_due(&self, now: Timestamp, lease: &Lease, limit: u32) -> StoreResult<Vec<PaymentRecord>> {
        let c = self.client().await?;
        let (awaiting, created, paid, failed, pending) = (
            PaymentStatus::AwaitingPayment.as_str(),
            PaymentStatus::Created.as_str(),
            PaymentStatus::Paid.as_str(),
            PaymentStatus::BillPaymentFailed.as_str(),
            PaymentStatus::BillPaymentPending.as_str(),
        );
        Ok(claim_payments(
            &c,
            "(status IN ($5, $6) AND pay_by <= $1) OR status IN ($7, $8) \
             OR (status = $9 AND (next_check_at IS NULL OR next_check_at <= $1))",
            "created_at",
            (now, limit, lease),
            &[&awaiting, &created, &paid, &failed, &pending],
        )
        .await?)
    }

    async fn claim_payments_to_reconcile(
        &self,
        now: Timestamp,
        lease: &Lease,
        limit: u32,
    ) -> StoreResult<Vec<PaymentRecord>> {
        let c = self.client().await?;
        Ok(claim_payments(&c, "reconcile_at <= $1", "reconcile_at", (now, limit, lease), &[]).await?)
    }

    async fn release_payment(&self, id: &PaymentId, owner: &str) -> StoreResult<()> {
        let c = self.client().await?;
        execute(
            &c,
            "UPDATE payments SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2",
            &[&id.as_str(), &owner],
        )
        .await?;
        Ok(())
    }

    async fn insert_refund(&self, r: &RefundRecord) -> StoreResult<bool> {
        let c = self.client().await?;
        Ok(insert_refund_row(&c, r).await? == 1)
    }

    async fn refund_for_debit(&self, debit_id: &str) -> StoreResult<Option<RefundRecord>> {
        let c = self.client().await?;
        Ok(refunds_where(&c, "debit_id = $1", &[&debit_id]).await?.pop())
    }

    async fn refund_by_psp_id(&self, psp_refund: &str) -> StoreResult<Option<RefundRecord>> {
        let c = self.client().await?;
        Ok(refunds_where(&c, "psp_refund_id = $1", &[&psp_refund]).await?.pop())
    }

    async fn claim_refunds_due(&self, now: Timestamp, lease: &Lease, limit: u32) -> StoreResult<Vec<RefundRecord>> {
        let c = self.client().await?;
        let rows = query(
            &c,
            &format!(
                "UPDATE refunds SET lease_owner = $4, lease_until = $5 WHERE id IN (SELECT id FROM refunds \
                 WHERE stage <> $1 AND next_attempt_at <= $2 AND (lease_until IS NULL OR lease_until <= $2) \
                 ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING {REFUND_COLUMNS}"
            ),
            &[&RefundStage::Refunded.as_str(), &now.get(), &i64::from(limit), &lease.owner, &lease.until.get()],
        )
        .await?;
        Ok(rows.iter().map(refund_from).collect::<Db<_>>()?)
    }

    async fn release_refund(&self, id: &str, owner: &str) -> StoreResult<()> {
        let c = self.client().await?;
        execute(
            &c,
            "UPDATE refunds SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2",
            &[&id, &owner],
        )
        .await?;
        Ok(())
    }

    async fn update_refund(&self, r: &RefundRecord) -> StoreResult<()> {
        let c = self.client().await?;
        execute(
            &c,
            "UPDATE refunds SET stage = $2, psp_refund_id = $3, refunded_at = $4, attempts = $5, \
             next_attempt_at = $6, escalated_at = $7 WHERE id = $1",
            &[
                &r.id,
                &r.progress.stage().as_str(),
                &r.progress.psp_refund(),
                &refunded_at(&r.progress),
                &i64::from(r.attempts),
                &r.next_attempt_at.get(),
                &r.escalated_at.map(Timestamp::get),
            ],
        )
        .await?;
        Ok(())
    }

    async fn merchant_refunds(&self, merchant: &MerchantId, limit: u32) -> StoreResult<Vec<RefundRecord>> {
        let c = self.client().await?;
        Ok(refunds_where(
            &c,
            "payment_id IN (SELECT id FROM payments WHERE merchant_id = $1) ORDER BY created_at DESC, id DESC \
             LIMIT $2",
            &[&merchant.as_str(), &i64::from(limit)],
        )
        .await?)
    }

    async fn claim_webhooks_due(&self, now: Timestamp, until: Timestamp, limit: u32) -> StoreResult<Vec<WebhookJob>> {
        let c = self.client().await?;
        let rows = query(
            &c,
            "UPDATE webhook_deliveries SET next_attempt_at = $4 WHERE id IN (SELECT id FROM webhook_deliveries \
             WHERE status = $1 AND next_attempt_at <= $2 ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) \
             RETURNING id, event_id, merchant_id, url, body, attempts",
            &[&WebhookDeliveryStatus::Pending.as_str(), &now.get(), &i64::from(limit), &until.get()],
        )
        .await?;
        let job = |r: &Row| -> Db<WebhookJob> {
            Ok(WebhookJob {
                id: r.try_get(0)?,
                event_id: r.try_get(1)?,
                merchant_id: MerchantId::parse(r.try_get(2)?).map_err(|e| corrupt("webhook merchant", e))?,
                url: r.try_get(3)?,
                body: r.try_get(4)?,
                attempts: count("webhook attempts", r.try_get(5)?)?,
            })
        };
        Ok(rows.iter().map(job).collect::<Db<_>>()?)
    }

    async fn record_webhook_attempt(&self, id: i64, outcome: AttemptOutcome) -> StoreResult<()> {
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(Failure::from)?;
        let a = &outcome.attempt;
        execute(
            &tx,
            "INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, error) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (delivery_id, attempt) DO UPDATE SET at = EXCLUDED.at, status_code = EXCLUDED.status_code, \
             error = EXCLUDED.error",
            &[&id, &i64::from(a.attempt), &a.at.get(), &a.status_code.map(i32::from), &a.error],
        )
        .await?;
        execute(
            &tx,
            "UPDATE webhook_deliveries SET status = $2, attempts = $3, next_attempt_at = $4 WHERE id = $1",
            &[&id, &outcome.status.as_str(), &i64::from(a.attempt), &outcome.next_attempt_at.map(Timestamp::get)],
        )
        .await?;
        tx.commit().await.map_err(Failure::from)?;
        Ok(())
    }

    async fn redeliver_webhook(&self, merchant: &MerchantId, event_id: &str, now: Timestamp) -> StoreResult<bool> {
        let c = self.client().await?;
        let n = execute(
            &c,
            "UPDATE webhook_deliveries SET status = $3, next_attempt_at = $4 WHERE merchant_id = $1 AND event_id = $2",
            &[&merchant.as_str(), &event_id, &WebhookDeliveryStatus::Pending.as_str(), &now.get()],
        )
        .await?;
        Ok(n == 1)
    }

    async fn webhook_deliveries(
        &self,
        merchant: &MerchantId,
        payment: Option<&PaymentId>,
    ) -> StoreResult<Vec<WebhookDelivery>> {
        let c = self.client().await?;
        Ok(deliveries(&c, merchant.as_str(), payment.map(PaymentId::as_str)).await?)
    }

    async fn insert_otp(&self, o: &OtpChallenge) -> StoreResult<()> {
        let c = self.client().await?;
        let (attempts, verified_at) = otp_state_columns(o.state);
        execute(
            &c,
            &format!("INSERT INTO otp_challenges ({OTP_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"),
            &[
                &o.id.as_str(),
                &o.merchant_id.as_str(),
                &o.mobile.as_str(),
                &o.code_hash,
                &o.state.stage().as_str(),
                &attempts,
                &verified_at,
                &o.created_at.get(),
                &o.expires_at.get(),
            ],
        )
        .await?;
        Ok(())
    }

    async fn otp(&self, id: &OtpChallengeId) -> StoreResult<Option<OtpChallenge>> {
        let c = self.client().await?;
        Ok(otps_where(&c, "id = $1", &[&id.as_str()]).await?.pop())
    }

    async fn update_otp(&self, expected: OtpState, next: &OtpChallenge) -> StoreResult<bool> {
        let c = self.client().await?;
        let (was_attempts, _) = otp_state_columns(expected);
        let (attempts, verified_at) = otp_state_columns(next.state);
        let n = execute(
            &c,
            "UPDATE otp_challenges SET stage = $2, attempts = $3, verified_at = $4 \
             WHERE id = $1 AND stage = $5 AND attempts = $6",
            &[
                &next.id.as_str(),
                &next.state.stage().as_str(),
                &attempts,
                &verified_at,
                &expected.stage().as_str(),
                &was_attempts,
            ],
        )
        .await?;
        Ok(n == 1)
    }

    async fn otps_for_mobile(&self, mobile: &MobileNumber, since: Timestamp) -> StoreResult<Vec<OtpChallenge>> {
        let c = self.client().await?;
        Ok(otps_where(
            &c,
            "mobile = $1 AND created_at >= $2 ORDER BY created_at DESC, id DESC",
            &[&mobile.as_str(), &since.get()],
        )
        .await?)
    }

    async fn otps_sent_by_merchant(&self, merchant: &MerchantId, since: Timestamp) -> StoreResult<u32> {
        let c = self.client().await?;
        let row = query_opt(
            &c,
            "SELECT COUNT(*) FROM otp_challenges WHERE merchant_id = $1 AND created_at >= $2",
            &[&merchant.as_str(), &since.get()],
        )
        .await?;
        let n: i64 = row.map(|r| r.try_get(0)).transpose().map_err(Failure::from)?.unwrap_or(0);
        Ok(count("one-time codes", n)?)
    }

    async fn insert_complaint(&self, rec: &ComplaintRecord) -> StoreResult<()> {
        let c = self.client().await?;
        execute(
            &c,
            "INSERT INTO complaints (id, merchant_id, payment_id, customer_mobile, data, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &rec.complaint.id.as_str(),
                &rec.merchant_id.as_str(),
                &rec.payment_id.as_ref().map(PaymentId::as_str),
                &rec.customer_mobile.as_ref().map(MobileNumber::as_str),
                &Json(&rec.complaint),
                &rec.complaint.created_at.get(),
            ],
        )
        .await?;
        Ok(())
    }

    async fn complaint(&self, id: &ComplaintId) -> StoreResult<Option<ComplaintRecord>> {
        let c = self.client().await?;
        let row = query_opt(
            &c,
            "SELECT data, merchant_id, payment_id, customer_mobile FROM complaints WHERE id = $1",
            &[&id.as_str()],
        )
        .await?;
        Ok(row.as_ref().map(complaint_from).transpose()?)
    }

    async fn update_complaint(&self, rec: &ComplaintRecord, previous_updated_at: Timestamp) -> StoreResult<bool> {
        let c = self.client().await?;
        let n = execute(
            &c,
            "UPDATE complaints SET data = $2 WHERE id = $1 AND (data->>'updated_at')::timestamptz = $3",
            &[&rec.complaint.id.as_str(), &Json(&rec.complaint), &previous_updated_at.get()],
        )
        .await?;
        Ok(n == 1)
    }

    async fn archive_wire_message(&self, m: &WireMessage) -> StoreResult<WireMessageId> {
        let c = self.client().await?;
        Ok(wire_archive::insert(&c, m).await?)
    }

    async fn wire_message(&self, id: WireMessageId) -> StoreResult<Option<WireMessage>> {
        let c = self.client().await?;
        Ok(wire_archive::by_id(&c, id).await?)
    }

    async fn wire_request_sent(&self, kind: &str, ref_id: &RefId, msg_id: Option<&str>) -> StoreResult<bool> {
        let c = self.client().await?;
        Ok(wire_archive::request_sent(&c, kind, ref_id, msg_id).await?)
    }

    fn relays_wire_messages(&self) -> bool {
        true
    }

    async fn announce_wire_message(&self, id: WireMessageId) -> StoreResult<()> {
        let c = self.client().await?;
        Ok(wire_archive::announce(&c, id).await?)
    }

    async fn wire_messages(&self, q: &WireQuery) -> StoreResult<Vec<WireMessage>> {
        let c = self.client().await?;
        Ok(wire_archive::select(&c, q).await?)
    }

    async fn prune_wire_messages(&self, before: Timestamp) -> StoreResult<u64> {
        let c = self.client().await?;
        Ok(wire_archive::prune(&c, before).await?)
    }
}

impl PostgresStore {
    /// A connection of the pool, waiting for one to be free (at most `POOL_WAIT`).
    async fn client(&self) -> Db<deadpool_postgres::Client> {
        Ok(self.pool.get().await?)
    }

    async fn one_merchant(&self, column: &str, value: &str) -> StoreResult<Option<Merchant>> {
        let c = self.client().await?;
        let row =
            query_opt(&c, &format!("SELECT {MERCHANT_COLUMNS} FROM merchants WHERE {column} = $1"), &[&value]).await?;
        Ok(row.map(|r| merchant_from(&r, self.key.as_deref())).transpose()?)
    }
}
