//! The sandbox PSP: plays the payer's bank for the sandbox UPI app page. It records each debit in its own
//! ledger, then sends the signed callback over real HTTP to the server's callback endpoint, so the same
//! verification runs as with a real PSP. Refunds are recorded once per refund id.

use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;
use bbps_core::psp::{DebitStatus, PspCallback};
use bbps_core::upi::UpiLink;
use bbps_core::{Paise, UpiTxnRef};
use bbps_engine::ports::{PspError, UpiPsp};
use bbps_engine::signature;
use bbps_store_sqlite::SharedConnection;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use utoipa::ToSchema;

use crate::util::{from_millis, now, random_upper, stable_hash};

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS sandbox_psp_debits (
    psp_txn_id TEXT PRIMARY KEY,
    upi_txn_ref TEXT NOT NULL,
    payee_vpa TEXT NOT NULL,
    amount INTEGER NOT NULL,
    status TEXT NOT NULL,
    payer_vpa TEXT,
    rrn TEXT,
    reason TEXT,
    at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sandbox_psp_debits_tr ON sandbox_psp_debits(upi_txn_ref, at);
CREATE TABLE IF NOT EXISTS sandbox_psp_refunds (
    refund_id TEXT PRIMARY KEY,
    psp_txn_id TEXT NOT NULL REFERENCES sandbox_psp_debits(psp_txn_id),
    amount INTEGER NOT NULL,
    reference TEXT NOT NULL,
    at INTEGER NOT NULL
);
"#;

bbps_core::wire_enum! {
    /// What the payer does in the sandbox UPI app.
    pub enum PayerAction {
        Approve = "approve",
        Decline = "decline",
        /// Pays ₹1 less than asked (₹1 more when the link asks for less than ₹2).
        WrongAmount = "wrong_amount",
    }
}

/// What the sandbox PSP did for one payer action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SimulatedDebit {
    pub psp_txn_id: String,
    pub status: DebitStatus,
    pub amount: Paise,
    /// The HTTP status the server's callback endpoint answered; absent if it could not be reached.
    pub callback_status: Option<u16>,
    pub callback_error: Option<String>,
}

pub struct SandboxPsp {
    secret: Vec<u8>,
    tolerance_secs: i64,
    callback_url: String,
    http: reqwest::Client,
    ledger: SharedConnection,
}

fn unavailable(e: impl std::fmt::Display) -> PspError {
    PspError::Unavailable(format!("sandbox PSP ledger: {e}"))
}

impl SandboxPsp {
    pub fn open(
        path: &Path,
        secret: Vec<u8>,
        tolerance: Duration,
        callback_url: String,
        http: reqwest::Client,
    ) -> rusqlite::Result<SandboxPsp> {
        let conn = bbps_store_sqlite::open(path)?;
        conn.execute_batch(SCHEMA)?;
        Ok(SandboxPsp {
            secret,
            tolerance_secs: i64::try_from(tolerance.as_secs()).unwrap_or(300),
            callback_url,
            http,
            ledger: SharedConnection::new(conn),
        })
    }

    async fn ledger<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, PspError> {
        self.ledger.run(f).await.map_err(unavailable)?.map_err(unavailable)
    }

    /// Plays the payer acting on `link`: records the debit, then delivers the signed callback.
    pub async fn pay(&self, link: &UpiLink, action: PayerAction) -> Result<SimulatedDebit, PspError> {
        let tr = link
            .txn_ref
            .as_ref()
            .ok_or_else(|| PspError::Rejected("the link has no transaction reference (tr)".into()))?;
        let asked = link.amount.ok_or_else(|| PspError::Rejected("the link has no amount (am)".into()))?;
        let one_rupee = Paise::new(100).unwrap_or(Paise::ZERO);
        let amount = match action {
            PayerAction::WrongAmount if asked > one_rupee => asked.checked_sub(one_rupee).unwrap_or(asked),
            PayerAction::WrongAmount => asked.checked_add(one_rupee).unwrap_or(asked),
            _ => asked,
        };
        let status = if action == PayerAction::Decline { DebitStatus::Failure } else { DebitStatus::Success };
        let callback = PspCallback {
            upi_txn_ref: tr.to_string(),
            psp_txn_id: format!("SBXPSP{}", random_upper(18)),
            status,
            amount,
            payer_vpa: Some("sandbox.payer@oksbx".to_owned()),
            rrn: (status == DebitStatus::Success)
                .then(|| format!("6{:011}", stable_hash(&[tr.as_str(), &random_upper(8)]) % 100_000_000_000)),
            reason: (status == DebitStatus::Failure).then(|| "Declined by the payer".to_owned()),
            at: now(),
        };
        let row = (callback.clone(), link.payee.to_string());
        self.ledger(move |c| {
            let (cb, payee) = row;
            c.execute(
                "INSERT INTO sandbox_psp_debits (psp_txn_id, upi_txn_ref, payee_vpa, amount, status, payer_vpa, rrn, reason, at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    cb.psp_txn_id,
                    cb.upi_txn_ref,
                    payee,
                    cb.amount.get() as i64,
                    cb.status.as_str(),
                    cb.payer_vpa,
                    cb.rrn,
                    cb.reason,
                    cb.at.unix_millis()
                ],
            )
        })
        .await?;
        let (callback_status, callback_error) = match self.deliver(&callback).await {
            Ok(code) => (Some(code), None),
            Err(e) => (None, Some(e)),
        };
        Ok(SimulatedDebit { psp_txn_id: callback.psp_txn_id, status, amount, callback_status, callback_error })
    }

    /// Sends one signed callback; the answer's status code, or why it could not be sent.
    async fn deliver(&self, callback: &PspCallback) -> Result<u16, String> {
        let body = serde_json::to_vec(callback).map_err(|e| e.to_string())?;
        let signature = signature::sign(&self.secret, now().unix_seconds(), &body);
        let response = self
            .http
            .post(&self.callback_url)
            .header("content-type", "application/json")
            .header("x-psp-signature", signature)
            .body(body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        Ok(response.status().as_u16())
    }
}

#[async_trait]
impl UpiPsp for SandboxPsp {
    fn verify_callback(&self, signature: &str, body: &[u8]) -> bool {
        signature::verify(&self.secret, signature, body, now().unix_seconds(), self.tolerance_secs)
    }

    async fn debit_status(&self, upi_txn_ref: &UpiTxnRef) -> Result<Option<PspCallback>, PspError> {
        let tr = upi_txn_ref.as_str().to_owned();
        self.ledger(move |c| {
            // A success wins over a failure: money that left the payer must be accounted for.
            c.query_row(
                "SELECT psp_txn_id, amount, status, payer_vpa, rrn, reason, at FROM sandbox_psp_debits \
                 WHERE upi_txn_ref = ?1 ORDER BY status = ?2 DESC, at LIMIT 1",
                params![tr, DebitStatus::Success.as_str()],
                |r| {
                    Ok(PspCallback {
                        upi_txn_ref: tr.clone(),
                        psp_txn_id: r.get(0)?,
                        amount: Paise::new(r.get::<_, i64>(1)?.max(0) as u64).unwrap_or(Paise::ZERO),
                        status: DebitStatus::parse(&r.get::<_, String>(2)?).map_err(|e| {
                            rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, Box::new(e))
                        })?,
                        payer_vpa: r.get(3)?,
                        rrn: r.get(4)?,
                        reason: r.get(5)?,
                        at: from_millis(r.get(6)?),
                    })
                },
            )
            .optional()
        })
        .await
    }

    async fn refund(&self, refund_id: &str, psp_txn_id: &str, amount: Paise) -> Result<String, PspError> {
        let (refund_id, debit) = (refund_id.to_owned(), psp_txn_id.to_owned());
        self.ledger(move |c| {
            let tx = c.transaction()?;
            let debited: Option<(i64, String)> = tx
                .query_row("SELECT amount, status FROM sandbox_psp_debits WHERE psp_txn_id = ?1", [&debit], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            match debited {
                Some((debited, status))
                    if status == DebitStatus::Success.as_str() && amount.get() as i64 <= debited => {}
                _ => return Ok(Err(PspError::Rejected("no successful debit of at least that amount".into()))),
            }
            tx.execute(
                "INSERT OR IGNORE INTO sandbox_psp_refunds (refund_id, psp_txn_id, amount, reference, at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![refund_id, debit, amount.get() as i64, format!("SBXRFND{}", random_upper(13)), now().unix_millis()],
            )?;
            let reference: String =
                tx.query_row("SELECT reference FROM sandbox_psp_refunds WHERE refund_id = ?1", [&refund_id], |r| r.get(0))?;
            tx.commit()?;
            Ok(Ok(reference))
        })
        .await?
    }
}
