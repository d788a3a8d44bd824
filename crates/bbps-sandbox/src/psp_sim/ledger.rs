//! The simulated PSP's books, in SQLite: links, every debit of a payer (honoured, or returned as Setu returns a
//! second payment, a wrong amount or a late one), refunds (the merchant's and the PSP's own), and the outbox of
//! notifications still to deliver. The books are what the crash audit checks the backend against.

use rusqlite::{Connection, OptionalExtension, params};

pub const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS psp_sim_links (
    platform_bill_id TEXT PRIMARY KEY,
    biller_bill_id TEXT NOT NULL UNIQUE,
    amount INTEGER NOT NULL,
    name TEXT NOT NULL,
    upi_id TEXT NOT NULL UNIQUE,
    upi_link TEXT NOT NULL,
    expires_at INTEGER,
    expired INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS psp_sim_debits (
    transaction_id TEXT PRIMARY KEY,
    platform_bill_id TEXT NOT NULL REFERENCES psp_sim_links(platform_bill_id),
    amount INTEGER NOT NULL,
    payer_vpa TEXT NOT NULL,
    honoured INTEGER NOT NULL,
    receipt_id TEXT,
    reason TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS psp_sim_debits_link ON psp_sim_debits(platform_bill_id);
CREATE TABLE IF NOT EXISTS psp_sim_refunds (
    id TEXT PRIMARY KEY,
    batch_id TEXT NOT NULL,
    platform_bill_id TEXT NOT NULL REFERENCES psp_sim_links(platform_bill_id),
    transaction_id TEXT NOT NULL REFERENCES psp_sim_debits(transaction_id),
    amount INTEGER NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    initiate_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS psp_sim_refunds_batch ON psp_sim_refunds(batch_id);
CREATE TABLE IF NOT EXISTS psp_sim_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_at INTEGER NOT NULL,
    delivered_at INTEGER
);
CREATE INDEX IF NOT EXISTS psp_sim_outbox_due ON psp_sim_outbox(delivered_at, next_at);
"#;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub platform_bill_id: String,
    pub biller_bill_id: String,
    pub amount: u64,
    pub name: String,
    pub upi_id: String,
    pub upi_link: String,
    pub expires_at: Option<i64>,
    pub expired: bool,
    pub created_at: i64,
}

impl Link {
    pub fn closed_at(&self, now_ms: i64) -> bool {
        self.expired || self.expires_at.is_some_and(|t| t <= now_ms)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebitRow {
    pub transaction_id: String,
    pub platform_bill_id: String,
    pub amount: u64,
    pub payer_vpa: String,
    pub honoured: bool,
    pub receipt_id: Option<String>,
    /// Why it was returned (empty when honoured).
    pub reason: String,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRow {
    pub id: String,
    pub batch_id: String,
    pub platform_bill_id: String,
    pub transaction_id: String,
    pub amount: u64,
    /// `MerchantInitiated` or `SetuInitiated`.
    pub kind: String,
    /// `Created` or `Initiated`.
    pub status: String,
    pub initiate_at: i64,
    pub created_at: i64,
}

const LINK_COLUMNS: &str =
    "platform_bill_id, biller_bill_id, amount, name, upi_id, upi_link, expires_at, expired, created_at";

fn link_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Link> {
    Ok(Link {
        platform_bill_id: r.get(0)?,
        biller_bill_id: r.get(1)?,
        amount: r.get::<_, i64>(2)?.max(0) as u64,
        name: r.get(3)?,
        upi_id: r.get(4)?,
        upi_link: r.get(5)?,
        expires_at: r.get(6)?,
        expired: r.get(7)?,
        created_at: r.get(8)?,
    })
}

pub fn link_by(conn: &Connection, column: &str, value: &str) -> rusqlite::Result<Option<Link>> {
    conn.query_row(&format!("SELECT {LINK_COLUMNS} FROM psp_sim_links WHERE {column} = ?1"), [value], link_row)
        .optional()
}

pub fn insert_link(conn: &Connection, l: &Link) -> rusqlite::Result<()> {
    conn.execute(
        &format!("INSERT INTO psp_sim_links ({LINK_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
        params![
            l.platform_bill_id,
            l.biller_bill_id,
            l.amount as i64,
            l.name,
            l.upi_id,
            l.upi_link,
            l.expires_at,
            l.expired,
            l.created_at
        ],
    )?;
    Ok(())
}

pub fn expire_link(conn: &Connection, platform_bill_id: &str) -> rusqlite::Result<bool> {
    Ok(conn.execute("UPDATE psp_sim_links SET expired = 1 WHERE platform_bill_id = ?1", [platform_bill_id])? == 1)
}

const DEBIT_COLUMNS: &str = "transaction_id, platform_bill_id, amount, payer_vpa, honoured, receipt_id, reason, at";

fn debit_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DebitRow> {
    Ok(DebitRow {
        transaction_id: r.get(0)?,
        platform_bill_id: r.get(1)?,
        amount: r.get::<_, i64>(2)?.max(0) as u64,
        payer_vpa: r.get(3)?,
        honoured: r.get(4)?,
        receipt_id: r.get(5)?,
        reason: r.get(6)?,
        at: r.get(7)?,
    })
}

pub fn insert_debit(conn: &Connection, d: &DebitRow) -> rusqlite::Result<()> {
    conn.execute(
        &format!("INSERT INTO psp_sim_debits ({DEBIT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
        params![
            d.transaction_id,
            d.platform_bill_id,
            d.amount as i64,
            d.payer_vpa,
            d.honoured,
            d.receipt_id,
            d.reason,
            d.at
        ],
    )?;
    Ok(())
}

pub fn debits(conn: &Connection, clause: &str, p: impl rusqlite::Params) -> rusqlite::Result<Vec<DebitRow>> {
    let mut stmt = conn.prepare(&format!("SELECT {DEBIT_COLUMNS} FROM psp_sim_debits WHERE {clause}"))?;
    let rows = stmt.query_map(p, debit_row)?;
    rows.collect()
}

/// The debit a link honoured, if any.
pub fn honoured_debit(conn: &Connection, platform_bill_id: &str) -> rusqlite::Result<Option<DebitRow>> {
    Ok(debits(conn, "platform_bill_id = ?1 AND honoured = 1", [platform_bill_id])?.pop())
}

const REFUND_COLUMNS: &str =
    "id, batch_id, platform_bill_id, transaction_id, amount, kind, status, initiate_at, created_at";

fn refund_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RefundRow> {
    Ok(RefundRow {
        id: r.get(0)?,
        batch_id: r.get(1)?,
        platform_bill_id: r.get(2)?,
        transaction_id: r.get(3)?,
        amount: r.get::<_, i64>(4)?.max(0) as u64,
        kind: r.get(5)?,
        status: r.get(6)?,
        initiate_at: r.get(7)?,
        created_at: r.get(8)?,
    })
}

pub fn insert_refund(conn: &Connection, r: &RefundRow) -> rusqlite::Result<()> {
    conn.execute(
        &format!("INSERT INTO psp_sim_refunds ({REFUND_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
        params![
            r.id,
            r.batch_id,
            r.platform_bill_id,
            r.transaction_id,
            r.amount as i64,
            r.kind,
            r.status,
            r.initiate_at,
            r.created_at
        ],
    )?;
    Ok(())
}

pub fn refunds(conn: &Connection, clause: &str, p: impl rusqlite::Params) -> rusqlite::Result<Vec<RefundRow>> {
    let mut stmt = conn.prepare(&format!("SELECT {REFUND_COLUMNS} FROM psp_sim_refunds WHERE {clause}"))?;
    let rows = stmt.query_map(p, refund_row)?;
    rows.collect()
}

pub fn set_refund_status(conn: &Connection, id: &str, status: &str) -> rusqlite::Result<()> {
    conn.execute("UPDATE psp_sim_refunds SET status = ?2 WHERE id = ?1", params![id, status])?;
    Ok(())
}

pub fn enqueue(conn: &Connection, body: &str, now_ms: i64) -> rusqlite::Result<()> {
    conn.execute("INSERT INTO psp_sim_outbox (body, attempts, next_at) VALUES (?1, 0, ?2)", params![body, now_ms])?;
    Ok(())
}

/// Notifications due for delivery: `(id, body, attempts)`.
pub fn due_notifications(conn: &Connection, now_ms: i64, limit: u32) -> rusqlite::Result<Vec<(i64, String, u32)>> {
    let mut stmt = conn.prepare(
        "SELECT id, body, attempts FROM psp_sim_outbox WHERE delivered_at IS NULL AND next_at <= ?1 \
         ORDER BY next_at LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![now_ms, limit], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    rows.collect()
}

pub fn delivered(conn: &Connection, id: i64, now_ms: i64) -> rusqlite::Result<()> {
    conn.execute("UPDATE psp_sim_outbox SET delivered_at = ?2 WHERE id = ?1", params![id, now_ms])?;
    Ok(())
}

pub fn retry_later(conn: &Connection, id: i64, attempts: u32, next_at: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE psp_sim_outbox SET attempts = ?2, next_at = ?3 WHERE id = ?1",
        params![id, attempts, next_at],
    )?;
    Ok(())
}
