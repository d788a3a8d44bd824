//! The simulated PSP's books as the crash audit reads them: every debit of every link, and every refund.

use std::path::Path;

use super::ledger::{self, DebitRow, RefundRow};

#[derive(Debug, Clone)]
pub struct Books {
    pub debits: Vec<DebitRow>,
    pub refunds: Vec<RefundRow>,
    /// `(platformBillID, billerBillID)` of every link.
    pub links: Vec<(String, String)>,
}

impl Books {
    /// The refunds of a debit that were not rejected.
    pub fn refunds_of(&self, transaction_id: &str) -> Vec<&RefundRow> {
        self.refunds.iter().filter(|r| r.transaction_id == transaction_id && r.status != "Rejected").collect()
    }
}

/// Reads the books of the simulator whose SQLite file is `path`.
pub fn read(path: &Path) -> rusqlite::Result<Books> {
    let conn = bbps_store_sqlite::open(path)?;
    let debits = ledger::debits(&conn, "1 = 1 ORDER BY at", [])?;
    let refunds = ledger::refunds(&conn, "1 = 1 ORDER BY created_at", [])?;
    let mut stmt = conn.prepare("SELECT platform_bill_id, biller_bill_id FROM psp_sim_links")?;
    let links = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Books { debits, refunds, links })
}
