//! The sandbox network. It behaves like the real one where the backend can tell: it checks params, answers by
//! the test account's outcome, remembers each fetch by refId and refuses a payment that does not echo it, pays a
//! refId at most once (a repeated payment answers with the first one's status), settles deemed payments after a
//! delay, and moves complaints along over time. Its ledger lives in its own tables of a SQLite file.
//!
//! It is the engine of the BBPCU simulator (`crate::bbpcu_sim`), which speaks the BBPS XML wire in front of it;
//! as the engine's network port in process it is a double for unit tests only.

pub mod accounts;
pub mod catalogue;
pub mod generator;
mod ids;
pub mod plans;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use bbps_core::api::{AmountOption, Bill, ComplaintHistoryEntry, ComplaintSubject, InfoItem};
use bbps_core::bill_list::{BillItem, BillList, BillSelection};
use bbps_core::complaint::{ComplaintStatus, Disposition, ServiceTarget};
use bbps_core::plan::Plan;
use bbps_core::{
    AmountRule, ApprovalRef, Biller, BillerId, ComplaintId, FetchRequirement, Paise, ParamRules, Pause, RefId, TxnRef,
};
use rusqlite::{Connection, OptionalExtension, params};
use time::{Date, Duration as TimeDuration};

use accounts::{Outcome, outcome_for};
use bbps_engine::ports::{
    BbpsError, BbpsNetwork, BillRequest, ComplaintRequest, Downtime, NetworkComplaint, PayRequest, PayStatus,
    Validation,
};
use bbps_store_sqlite::SharedConnection;

use crate::util::{from_millis, now, random_upper, stable_hash};

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS sandbox_bbps_fetches (
    ref_id TEXT PRIMARY KEY,
    biller_id TEXT NOT NULL,
    params TEXT NOT NULL,
    bill TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sandbox_bbps_payments (
    ref_id TEXT PRIMARY KEY,
    biller_id TEXT NOT NULL,
    params TEXT NOT NULL,
    amount INTEGER NOT NULL,
    convenience_fee INTEGER NOT NULL,
    txn_ref TEXT UNIQUE,
    approval_ref TEXT,
    status TEXT NOT NULL,
    failure_code TEXT,
    failure_message TEXT,
    pay_requests INTEGER NOT NULL,
    settle_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sandbox_bbps_complaints (
    id TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    description TEXT NOT NULL,
    assignee TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sandbox_bbps_complaint_history (
    complaint_id TEXT NOT NULL REFERENCES sandbox_bbps_complaints(id),
    seq INTEGER NOT NULL,
    status TEXT NOT NULL,
    at INTEGER NOT NULL,
    remarks TEXT NOT NULL,
    PRIMARY KEY (complaint_id, seq)
);
"#;

#[derive(Debug, Clone)]
pub struct SandboxTimings {
    pub slow_delay: Duration,
    pub pending_settle: Duration,
    pub complaint_step: Duration,
    /// How long after the simulator starts it withdraws [`catalogue::WITHDRAWN`] from its catalogue.
    pub catalogue_change: Duration,
}

pub struct SandboxNetwork {
    billers: Arc<Vec<Biller>>,
    by_id: HashMap<BillerId, usize>,
    rules: Mutex<HashMap<BillerId, Arc<ParamRules>>>,
    ledger: SharedConnection,
    timings: SandboxTimings,
}

fn unavailable(e: impl std::fmt::Display) -> BbpsError {
    BbpsError::Unavailable(format!("sandbox ledger: {e}"))
}

fn rejected(code: &str, message: &str) -> BbpsError {
    BbpsError::Rejected { code: code.to_owned(), message: message.to_owned() }
}

const NAMES: &[&str] = &[
    "Aarav Sharma",
    "Priya Nair",
    "Rohan Deshpande",
    "Ananya Iyer",
    "Vikram Singh",
    "Meera Kulkarni",
    "Arjun Reddy",
    "Kavya Menon",
    "Siddharth Jain",
    "Fatima Sheikh",
    "Rahul Banerjee",
    "Neha Gupta",
    "Harpreet Kaur",
    "Suresh Patil",
    "Lakshmi Subramanian",
    "Imran Qureshi",
];

impl SandboxNetwork {
    pub fn open(path: &Path, billers: Arc<Vec<Biller>>, timings: SandboxTimings) -> rusqlite::Result<SandboxNetwork> {
        let conn = bbps_store_sqlite::open(path)?;
        conn.execute_batch(SCHEMA)?;
        let by_id = billers.iter().enumerate().map(|(i, b)| (b.id.clone(), i)).collect();
        Ok(SandboxNetwork {
            billers,
            by_id,
            rules: Mutex::new(HashMap::new()),
            ledger: SharedConnection::new(conn),
            timings,
        })
    }

    fn biller(&self, id: &BillerId) -> Result<&Biller, BbpsError> {
        self.by_id.get(id).map(|&i| &self.billers[i]).ok_or_else(|| rejected("BFR009", "Unknown biller"))
    }

    fn rules(&self, b: &Biller) -> Arc<ParamRules> {
        let mut cache = self.rules.lock().unwrap_or_else(|p| p.into_inner());
        cache.entry(b.id.clone()).or_insert_with(|| Arc::new(ParamRules::new(b))).clone()
    }

    /// The network checks params itself; anything the server let through wrongly is BFR002.
    fn check_params(&self, b: &Biller, params: &[(String, String)]) -> Result<(), BbpsError> {
        let values = params.iter().cloned().collect();
        self.rules(b)
            .validate(&values)
            .map(|_| ())
            .map_err(|_| rejected("BFR002", "Invalid combination of customer params"))
    }

    async fn ledger<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, BbpsError> {
        self.ledger.run(f).await.map_err(unavailable)?.map_err(unavailable)
    }

    /// What the network checks of a payment it has not seen: the bill still payable, the amount within the bill's
    /// rule, the plan on sale at its price, and the fee and GST the biller's table charges.
    fn check_new_payment(b: &Biller, req: &PayRequest) -> Result<(), BbpsError> {
        // A bill the biller took payment for only until a time now past is paid no more: fetch again.
        if req.bill.as_ref().and_then(|bill| bill.valid_until).is_some_and(|until| until <= now()) {
            return Err(rejected("BPR008", "The bill is no longer payable; fetch it again"));
        }
        // A plan is one the biller sells today, paid at its price.
        if let Some(plan_id) = &req.plan_id {
            let today = now().ist_date();
            let plan = plans::plans_of(b, now()).into_iter().find(|p| &p.id == plan_id && p.offered_on(today));
            match plan {
                None => return Err(rejected("BPR014", "The plan is not on sale")),
                Some(p) if p.amount != req.amount => {
                    return Err(rejected("BPR011", "The amount is not the plan's price"));
                }
                Some(_) => {}
            }
        }
        // A list's bills are paid as the biller allows, each in full.
        if let Some(bill) = &req.bill {
            let chosen = Bill::chosen(Some(bill), &req.bills)
                .map_err(|e| rejected("BPR015", &format!("The bills paid: {e}")))?;
            if !chosen.is_empty() && BillList::sum(&chosen) != req.amount {
                return Err(rejected("BPR011", "The amount is not the sum of the bills paid"));
            }
        }
        // The amount must meet the bill's own bounds and step.
        if let Some(e) = req.bill.as_ref().and_then(|bill| bill.amount_rule.check(req.amount).err()) {
            return Err(rejected("BPR011", &format!("The amount does not meet the bill: {e}")));
        }
        // The convenience fee and its GST must be the biller's fee table's, to the paisa.
        // A payment created before GST was charged carries the fee alone, which is taken as it was then.
        let owed = b.fees.charges(req.amount).map_err(|_| rejected("BPR003", "The amount is too large"))?;
        let before_gst = req.convenience_fee_gst.is_zero() && req.convenience_fee == owed.convenience_fee;
        if !before_gst
            && (owed.convenience_fee, owed.convenience_fee_gst) != (req.convenience_fee, req.convenience_fee_gst)
        {
            return Err(rejected(
                "BPR012",
                &format!(
                    "The convenience fee {} + GST {} is not the biller's {} + GST {}",
                    req.convenience_fee, req.convenience_fee_gst, owed.convenience_fee, owed.convenience_fee_gst
                ),
            ));
        }
        Ok(())
    }

    /// The bill an account has today: everything derived from the biller, the account and the date.
    fn bill_for(b: &Biller, params: &[(String, String)], outcome: Outcome) -> Bill {
        let account = params.iter().find(|(_, v)| !v.is_empty()).map_or("", |(_, v)| v.as_str());
        let h = stable_hash(&[b.id.as_str(), account]);
        let ceiling = b.upi_limits(bbps_core::Channel::Mobile).map_or(500_000, |(_, max)| max.get() / 2).max(1_000);
        let amount = Paise::new((10_000 + h % 290_000).min(ceiling)).unwrap_or(Paise::ZERO);
        // A part-payment bill is a whole number of hundreds of rupees, at least ₹1,000, so its step fits it.
        let amount = if outcome == Outcome::PartPayment {
            Paise::new((amount.get() / HUNDRED_RUPEES).max(10) * HUNDRED_RUPEES).unwrap_or(amount)
        } else {
            amount
        };
        let amount_rule = if outcome == Outcome::PartPayment {
            AmountRule { min: Paise::new(5 * HUNDRED_RUPEES), max: Some(amount), multiple: Paise::new(HUNDRED_RUPEES) }
        } else {
            AmountRule::default()
        };
        let today = now().ist_date();
        let bill_date = today - TimeDuration::days(5 + (h % 10) as i64);
        let due_date = if outcome == Outcome::Overdue {
            today - TimeDuration::days(3)
        } else {
            bill_date + TimeDuration::days(18)
        };
        let customer_name = NAMES[(h % NAMES.len() as u64) as usize].to_owned();
        let amount_options = if outcome == Outcome::AmountOptions {
            let early = amount.checked_sub(amount.percent_bps(100).unwrap_or(Paise::ZERO)).unwrap_or(amount);
            let late = amount.checked_add(Paise::new(5_000).unwrap_or(Paise::ZERO)).unwrap_or(amount);
            vec![
                AmountOption { name: "Early Payment Amount".to_owned(), amount: early },
                AmountOption { name: "Late Payment Amount".to_owned(), amount: late },
            ]
        } else {
            Vec::new()
        };
        let prefix: String = b.id.as_str().chars().take(3).collect();
        let selection = match outcome {
            Outcome::BillsAnyOf => Some(BillSelection::Multiple),
            Outcome::BillsOneOf => Some(BillSelection::Single),
            Outcome::BillsAllOf => Some(BillSelection::All),
            _ => None,
        };
        let list = selection.and_then(|s| Self::monthly_bills(s, &prefix, h, amount, today));
        let amount = list.as_ref().map_or(amount, BillList::total);
        let single = list.is_none();
        // The biller's figures (a minimum due, say) are of the amount billed: a list's total.
        let with_info = outcome == Outcome::AmountOptions || h.is_multiple_of(2);
        let additional_info = if with_info {
            b.additional_info
                .iter()
                .map(|name| InfoItem { name: name.clone(), value: info_value(name, h, amount, &customer_name) })
                .collect()
        } else {
            Vec::new()
        };
        Bill {
            amount,
            customer_name: Some(customer_name),
            // A list's bills carry their own number, period and due date.
            bill_number: single.then(|| format!("{prefix}{:09}", h % 1_000_000_000)),
            bill_date: Some(bill_date),
            due_date: single.then_some(due_date),
            bill_period: single.then(|| "MONTHLY".to_owned()),
            amount_options,
            additional_info,
            amount_rule,
            valid_until: catalogue::pays_on_fetch_day(b).then(|| now().next_midnight_ist()),
            list,
        }
    }

    /// Three monthly bills ending with this month's, oldest first, each near `amount`, each due on the 20th.
    fn monthly_bills(selection: BillSelection, prefix: &str, h: u64, amount: Paise, today: Date) -> Option<BillList> {
        let first_of_month = today.replace_day(1).ok()?;
        let items = (0..3u64)
            .rev()
            .map(|back| {
                let month =
                    (0..back).try_fold(first_of_month, |d, _| (d - TimeDuration::days(1)).replace_day(1).ok())?;
                let amount = Paise::new(amount.get() / 2 + (h >> (8 * back)) % 50_000 + 10_000)?;
                Some(BillItem {
                    bill_number: format!("{prefix}{:06}{:02}", h % 1_000_000, u8::from(month.month())),
                    amount,
                    due_date: Some(month + TimeDuration::days(19)),
                    bill_period: Some(format!("{} {}", month.month(), month.year())),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        BillList::new(selection, items).ok()
    }

    /// A transaction reference of the network's own, for a payment that comes without one (the in-process
    /// double; over the wire the customer BBPOU mints it).
    fn new_txn_ref() -> TxnRef {
        TxnRef::parse(&format!("CC01{}", random_upper(16)))
            .unwrap_or_else(|_| unreachable!("a generated reference has the TxnRef shape"))
    }

    fn new_approval() -> ApprovalRef {
        ApprovalRef::parse(&format!("AR{}", random_upper(10)))
            .unwrap_or_else(|_| unreachable!("a generated reference has the ApprovalRef shape"))
    }

    fn complaint_step_ms(&self) -> i64 {
        i64::try_from(self.timings.complaint_step.as_millis()).unwrap_or(i64::MAX / 4).max(1)
    }

    fn assignee(&self, subject: &ComplaintSubject, ledger_biller: Option<String>) -> String {
        match subject {
            ComplaintSubject::Transaction { .. } => ledger_biller
                .and_then(|id| BillerId::parse(&id).ok())
                .and_then(|id| self.biller(&id).ok().map(|b| b.name.clone()))
                .map_or_else(|| "Biller operating unit".to_owned(), |n| format!("{n} (biller operating unit)")),
            ComplaintSubject::Service { target: ServiceTarget::Biller { biller_id }, .. } => self
                .biller(biller_id)
                .map_or_else(|_| "Biller operating unit".to_owned(), |b| format!("{} (biller operating unit)", b.name)),
            ComplaintSubject::Service { target: ServiceTarget::Agent { agent_id }, .. } => {
                format!("Agent institution of {agent_id}")
            }
        }
    }
}

/// How a complaint about `subject` moves, one step each `complaint_step` after it is logged. The disposition picks
/// the ending, so that every closing status can be tried in the sandbox (docs/sandbox.md).
fn complaint_path(subject: &ComplaintSubject, assignee: &str) -> Vec<(ComplaintStatus, String)> {
    let assigned = (ComplaintStatus::Assigned, format!("Assigned to {assignee}"));
    let ending = match subject {
        ComplaintSubject::Transaction { disposition: Disposition::D22, .. } => vec![
            (ComplaintStatus::PendingRefund, "Refund approved: the duplicate payment is being returned".to_owned()),
            (ComplaintStatus::Refunded, "Refunded: the duplicate payment was returned to the customer".to_owned()),
        ],
        ComplaintSubject::Transaction { disposition: Disposition::D23, .. } => vec![(
            ComplaintStatus::Rejected,
            "Rejected: the biller shows the amount paid is the amount billed".to_owned(),
        )],
        ComplaintSubject::Transaction { disposition: Disposition::D13, .. } => vec![(
            ComplaintStatus::DefaultResolved,
            "Resolved in the customer's favour: the biller did not answer within the turnaround time".to_owned(),
        )],
        ComplaintSubject::Transaction { .. } | ComplaintSubject::Service { .. } => vec![(
            ComplaintStatus::Resolved,
            "Resolved: the biller confirmed the payment and updated the account".to_owned(),
        )],
    };
    std::iter::once(assigned).chain(ending).collect()
}

/// The history sequence number of a reopening, past any path's steps; its answer comes one step later.
const REOPEN_SEQ: i64 = 100;
const REOPENED: &str = "Reopened by the customer";

/// The complaint brought up to `at`: each step it has reached is written once, with the time it was reached.
fn progress(
    tx: &rusqlite::Transaction<'_>,
    id: &ComplaintId,
    cid: &str,
    step_ms: i64,
    at: i64,
) -> rusqlite::Result<Option<NetworkComplaint>> {
    let Some((assignee, created, subject)) = tx
        .query_row("SELECT assignee, created_at, subject FROM sandbox_bbps_complaints WHERE id = ?1", [cid], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?))
        })
        .optional()?
    else {
        return Ok(None);
    };
    let subject: ComplaintSubject = serde_json::from_str(&subject)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, Box::new(e)))?;
    let path = complaint_path(&subject, &assignee);
    let reached = usize::try_from((at - created) / step_ms).unwrap_or(0).min(path.len());
    let write = |seq: i64, when: i64, status: ComplaintStatus, remarks: &str| {
        tx.execute(
            "INSERT OR IGNORE INTO sandbox_bbps_complaint_history (complaint_id, seq, status, at, remarks) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![cid, seq, status.as_str(), when, remarks],
        )
    };
    for (i, (status, remarks)) in path.iter().enumerate().take(reached) {
        let seq = i as i64 + 1;
        write(seq, created + seq * step_ms, *status, remarks)?;
    }
    let reopened_at: Option<i64> = tx
        .query_row(
            "SELECT at FROM sandbox_bbps_complaint_history WHERE complaint_id = ?1 AND seq = ?2",
            params![cid, REOPEN_SEQ],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(r) = reopened_at.filter(|r| at - r >= step_ms) {
        write(
            REOPEN_SEQ + 1,
            r + step_ms,
            ComplaintStatus::Resolved,
            "Resolved after reopening: the biller checked again and corrected the account",
        )?;
    }
    let mut stmt = tx.prepare(
        "SELECT status, at, remarks FROM sandbox_bbps_complaint_history WHERE complaint_id = ?1 ORDER BY seq",
    )?;
    let history = stmt
        .query_map([cid], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)))?
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter_map(|(s, at, remarks)| {
            Some(ComplaintHistoryEntry { status: ComplaintStatus::parse(&s).ok()?, at: from_millis(at), remarks })
        })
        .collect::<Vec<_>>();
    let last = history.last().cloned();
    Ok(Some(NetworkComplaint {
        id: id.clone(),
        status: last.as_ref().map_or(ComplaintStatus::Logged, |h| h.status),
        assigned_to: (reached >= 1).then_some(assignee),
        remarks: last.as_ref().map(|h| h.remarks.clone()),
        created_at: from_millis(created),
        updated_at: last.map_or(from_millis(created), |h| h.at),
        history,
    }))
}

/// ₹100 in paise: the step of a part-payment bill.
const HUNDRED_RUPEES: u64 = 10_000;

/// What a payment request met in the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paid {
    /// The first request for its refId, and its outcome.
    First(PayStatus),
    /// A repeat for a refId paid before: the first one's status, `None` while the status lags.
    Again(Option<PayStatus>),
}

/// A payment in the ledger, as a status request finds it by its transaction reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerPayment {
    pub ref_id: RefId,
    pub at: bbps_core::Timestamp,
    /// The bill amount and the convenience fee.
    pub amount: Paise,
    /// `None` while the status lags behind the payment (the answer-lost account).
    pub status: Option<PayStatus>,
}

impl SandboxNetwork {
    /// Pays a bill under the customer BBPOU's transaction reference `txn_ref`. A refId is paid at most once; a
    /// repeat answers with the first payment's status. The answer-lost account's answer comes only after the
    /// slow delay, as a network's late answer would.
    pub async fn pay_as(&self, req: &PayRequest, txn_ref: &TxnRef) -> Result<Paid, BbpsError> {
        let b = self.biller(&req.biller_id)?.clone();
        self.check_params(&b, &req.params)?;
        if req.amount.is_zero() {
            return Err(rejected("BPR003", "The amount must be more than zero"));
        }
        // The checks of a new payment; a refId the ledger has already answers as it was paid, whatever comes now.
        let ref_id = req.ref_id.to_string();
        let known = self
            .ledger(move |c| {
                c.query_row("SELECT 1 FROM sandbox_bbps_payments WHERE ref_id = ?1", [ref_id], |_| Ok(())).optional()
            })
            .await?
            .is_some();
        if !known {
            Self::check_new_payment(&b, req)?;
        }
        let outcome = outcome_for(&req.params);
        let (txn_ref, approval_ref) = (txn_ref.clone(), Self::new_approval());
        let settle_after = self.timings.pending_settle;
        let req = req.clone();
        let answer = self.ledger(move |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let ref_id = req.ref_id.to_string();
            let now_ms = now().unix_millis();
            let seen = tx.execute(
                "UPDATE sandbox_bbps_payments SET pay_requests = pay_requests + 1 WHERE ref_id = ?1",
                [&ref_id],
            )?;
            if seen == 1 {
                let status = read_payment(&tx, &ref_id, now_ms)?;
                tx.commit()?;
                return Ok(Ok(Paid::Again(status)));
            }
            let fetched: Option<(String, String, String)> = tx
                .query_row(
                    "SELECT biller_id, params, bill FROM sandbox_bbps_fetches WHERE ref_id = ?1",
                    [&ref_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            match (&fetched, &req.bill) {
                (Some((biller, params_json, bill_json)), Some(bill)) => {
                    let same_params = serde_json::from_str::<Vec<(String, String)>>(params_json).ok().as_ref() == Some(&req.params);
                    let same_bill = serde_json::from_str::<Bill>(bill_json).ok().as_ref() == Some(bill);
                    if *biller != req.biller_id.as_str() || !same_params || !same_bill {
                        return Ok(Err(rejected("BPR002", "Bill details do not match the bill fetched for this refId")));
                    }
                }
                (None, Some(_)) => return Ok(Err(rejected("BPR002", "No bill was fetched for this refId"))),
                (_, None) if b.fetch_requirement == FetchRequirement::Mandatory => {
                    return Ok(Err(rejected("BPR004", "This biller needs a fetched bill")));
                }
                _ => {}
            }
            let settle_at = now_ms + i64::try_from(settle_after.as_millis()).unwrap_or(i64::MAX / 2);
            let (status, settle_at, failure): (&str, Option<i64>, Option<(&str, &str)>) = match outcome {
                Outcome::PaymentFails => ("failed", None, Some(("BPR001", "Payment declined by the biller"))),
                Outcome::InvalidAccount => ("failed", None, Some(("BFR001", "Invalid customer account"))),
                Outcome::PaymentPending => ("pending", Some(settle_at), None),
                Outcome::AnswerLost => ("lagging", Some(settle_at), None),
                _ => ("success", None, None),
            };
            let approval = failure.is_none().then(|| approval_ref.to_string());
            tx.execute(
                "INSERT INTO sandbox_bbps_payments (ref_id, biller_id, params, amount, convenience_fee, txn_ref, approval_ref, \
                 status, failure_code, failure_message, pay_requests, settle_at, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1, ?11, ?12)",
                params![
                    ref_id,
                    req.biller_id.as_str(),
                    serde_json::to_string(&req.params).unwrap_or_default(),
                    req.amount.get() as i64,
                    bbps_core::fee::fee_with_gst(req.convenience_fee, req.convenience_fee_gst).get() as i64,
                    txn_ref.as_str(),
                    approval,
                    status,
                    failure.map(|f| f.0),
                    failure.map(|f| f.1),
                    settle_at,
                    now_ms
                ],
            )?;
            // The answer of a lagging payment is the success its status will show.
            let result = match outcome {
                Outcome::AnswerLost => Some(PayStatus::Success { txn_ref, approval_ref }),
                _ => read_payment(&tx, &ref_id, now_ms)?,
            };
            tx.commit()?;
            Ok(result.map(Paid::First).ok_or_else(|| rejected("BPR009", "Corrupt ledger entry")))
        })
        .await??;
        if outcome == Outcome::AnswerLost && matches!(answer, Paid::First(_)) {
            // The bill is paid; the answer arrives after the caller stopped waiting.
            tokio::time::sleep(self.timings.slow_delay).await;
        }
        Ok(answer)
    }

    /// Counts another request to pay a refId; `true` when the refId was paid before (the request is a repeat).
    pub async fn repeat_payment(&self, ref_id: &RefId) -> Result<bool, BbpsError> {
        let ref_id = ref_id.to_string();
        self.ledger(move |c| {
            c.execute("UPDATE sandbox_bbps_payments SET pay_requests = pay_requests + 1 WHERE ref_id = ?1", [ref_id])
                .map(|n| n == 1)
        })
        .await
    }

    /// The payment with this transaction reference, settling a deemed one whose time has come.
    pub async fn payment_of_txn(&self, txn_ref: &TxnRef) -> Result<Option<LedgerPayment>, BbpsError> {
        let txn = txn_ref.to_string();
        let row = self
            .ledger(move |c| {
                c.query_row(
                    "SELECT ref_id, created_at, amount + convenience_fee FROM sandbox_bbps_payments WHERE txn_ref = ?1",
                    [txn],
                    |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?)),
                )
                .optional()
            })
            .await?;
        let Some((ref_id, at, amount)) = row else { return Ok(None) };
        let ref_id = RefId::parse(&ref_id).map_err(unavailable)?;
        let status = self.payment_status(&ref_id).await?;
        let amount = Paise::new(u64::try_from(amount).unwrap_or(0)).unwrap_or(Paise::ZERO);
        Ok(Some(LedgerPayment { ref_id, at: from_millis(at), amount, status }))
    }
}

fn info_value(name: &str, h: u64, amount: Paise, customer: &str) -> String {
    match name {
        "Units Consumed" => format!("{} kWh", 50 + h % 900),
        "Tariff Category" => "LT-I Residential".to_owned(),
        "Plan Name" => "Unlimited 599".to_owned(),
        "Data Used" => format!("{} GB", 20 + h % 600),
        "Minimum Amount Due" => amount.percent_bps(500).unwrap_or(Paise::ZERO).to_inr_string(),
        "Statement Date" => now().ist_date().to_string(),
        "Vehicle Number" => format!("MH12AB{:04}", h % 10_000),
        "Offence" => "Jumping a red signal".to_owned(),
        "Student Name" | "Patient Name" | "Policy Holder" | "Owner Name" | "Customer Name" => customer.to_owned(),
        "Tag Balance" => Paise::new(h % 50_000).unwrap_or(Paise::ZERO).to_inr_string(),
        "SCM Consumed" => format!("{} SCM", 5 + h % 60),
        "Meter Reading" => format!("{:06}", h % 1_000_000),
        _ => "As per biller records".to_owned(),
    }
}

fn status_from(
    status: &str,
    txn: Option<String>,
    approval: Option<String>,
    code: Option<String>,
    message: Option<String>,
) -> Option<PayStatus> {
    let txn_ref = txn.as_deref().and_then(|t| TxnRef::parse(t).ok());
    let approval_ref = approval.as_deref().and_then(|a| ApprovalRef::parse(a).ok());
    match status {
        "success" => Some(PayStatus::Success { txn_ref: txn_ref?, approval_ref: approval_ref? }),
        "pending" => Some(PayStatus::Pending { txn_ref: txn_ref?, approval_ref }),
        // Paid, but the network's status does not show it yet.
        "lagging" => None,
        _ => Some(PayStatus::Failed { code: code.unwrap_or_default(), message: message.unwrap_or_default() }),
    }
}

/// Reads a refId's payment, settling a deemed payment whose time has come.
fn read_payment(c: &Connection, ref_id: &str, now_ms: i64) -> rusqlite::Result<Option<PayStatus>> {
    c.execute(
        "UPDATE sandbox_bbps_payments SET status = 'success', settle_at = NULL \
         WHERE ref_id = ?1 AND status IN ('pending', 'lagging') AND settle_at <= ?2",
        params![ref_id, now_ms],
    )?;
    let row = c
        .query_row(
            "SELECT status, txn_ref, approval_ref, failure_code, failure_message FROM sandbox_bbps_payments WHERE ref_id = ?1",
            [ref_id],
            |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    Ok(row.and_then(|(s, t, a, c, m)| status_from(&s, t, a, c, m)))
}

#[async_trait]
impl BbpsNetwork for SandboxNetwork {
    async fn billers(&self) -> Result<Vec<Biller>, BbpsError> {
        Ok(self.billers.as_ref().clone())
    }

    async fn plans(&self, billers: &[BillerId]) -> Result<Vec<Plan>, BbpsError> {
        let at = now();
        Ok(billers.iter().filter_map(|id| self.biller(id).ok()).flat_map(|b| plans::plans_of(b, at)).collect())
    }

    /// [`catalogue::DOWN`] is down since the last half hour began, for two hours: always down, with an end that
    /// moves on every half hour, so the sandbox always shows one biller down by its status.
    async fn downtimes(&self) -> Result<Vec<Downtime>, BbpsError> {
        const HALF_HOUR: i64 = 30 * 60;
        let at = now();
        let start = at.saturating_sub(TimeDuration::seconds(at.unix_seconds().rem_euclid(HALF_HOUR)));
        let down = self.billers.iter().filter(|b| b.name == catalogue::DOWN);
        Ok(down
            .map(|b| Downtime {
                biller_id: b.id.clone(),
                pause: Pause { start, end: start.saturating_add(TimeDuration::hours(2)) },
                reason: Some("Scheduled maintenance (sandbox)".to_owned()),
            })
            .collect())
    }

    async fn fetch_bill(&self, req: &BillRequest) -> Result<Bill, BbpsError> {
        let b = self.biller(&req.biller_id)?;
        if b.fetch_requirement == FetchRequirement::NotSupported {
            return Err(rejected("BFR003", "This biller does not support bill fetch"));
        }
        self.check_params(b, &req.params)?;
        let outcome = outcome_for(&req.params);
        match outcome {
            Outcome::InvalidAccount => return Err(rejected("BFR001", "Invalid customer account")),
            Outcome::NoBillDue => return Err(rejected("BFR004", "No bill is due for this account")),
            Outcome::BillerUnavailable => return Err(rejected("BFR008", "Unable to get the bill from the biller")),
            Outcome::SlowBiller => tokio::time::sleep(self.timings.slow_delay).await,
            _ => {}
        }
        let bill = Self::bill_for(b, &req.params, outcome);
        let record = (
            req.ref_id.to_string(),
            b.id.to_string(),
            serde_json::to_string(&req.params).map_err(unavailable)?,
            serde_json::to_string(&bill).map_err(unavailable)?,
            now().unix_millis(),
        );
        self.ledger(move |c| {
            c.execute(
                "INSERT OR REPLACE INTO sandbox_bbps_fetches (ref_id, biller_id, params, bill, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![record.0, record.1, record.2, record.3, record.4],
            )
        })
        .await?;
        Ok(bill)
    }

    async fn validate(&self, req: &BillRequest) -> Result<Validation, BbpsError> {
        let b = self.biller(&req.biller_id)?;
        if !b.supports_validation {
            return Err(rejected("BVR003", "This biller does not support validation"));
        }
        self.check_params(b, &req.params)?;
        match outcome_for(&req.params) {
            Outcome::InvalidAccount => Err(rejected("BVR001", "Invalid customer account")),
            Outcome::BillerUnavailable => Err(rejected("BFR008", "Unable to reach the biller")),
            Outcome::SlowBiller => {
                tokio::time::sleep(self.timings.slow_delay).await;
                Ok(Validation {
                    customer_name: Some(
                        Self::bill_for(b, &req.params, Outcome::BillDue).customer_name.unwrap_or_default(),
                    ),
                })
            }
            _ => Ok(Validation { customer_name: Self::bill_for(b, &req.params, Outcome::BillDue).customer_name }),
        }
    }

    async fn pay(&self, req: &PayRequest) -> Result<PayStatus, BbpsError> {
        match self.pay_as(req, &Self::new_txn_ref()).await? {
            Paid::First(status) | Paid::Again(Some(status)) => Ok(status),
            Paid::Again(None) => Err(rejected("BPR005", "Duplicate payment request for this refId")),
        }
    }

    async fn payment_status(&self, ref_id: &RefId) -> Result<Option<PayStatus>, BbpsError> {
        let ref_id = ref_id.to_string();
        self.ledger(move |c| read_payment(c, &ref_id, now().unix_millis())).await
    }

    async fn raise_complaint(&self, req: &ComplaintRequest) -> Result<NetworkComplaint, BbpsError> {
        let ledger_biller = match &req.subject {
            ComplaintSubject::Transaction { txn_ref, .. } => {
                let t = txn_ref.to_string();
                let found = self
                    .ledger(move |c| {
                        c.query_row("SELECT biller_id FROM sandbox_bbps_payments WHERE txn_ref = ?1", [t], |r| {
                            r.get::<_, String>(0)
                        })
                        .optional()
                    })
                    .await?;
                match found {
                    Some(b) => Some(b),
                    None => return Err(rejected("CMP001", "No transaction with this reference")),
                }
            }
            ComplaintSubject::Service { .. } => None,
        };
        let assignee = self.assignee(&req.subject, ledger_biller);
        let id = ComplaintId::generate(&mut rand::rng());
        let subject = serde_json::to_string(&req.subject).map_err(unavailable)?;
        let (cid, description, created) = (id.to_string(), req.description.clone(), now());
        self.ledger(move |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            tx.execute(
                "INSERT INTO sandbox_bbps_complaints (id, subject, description, assignee, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![cid, subject, description, assignee, created.unix_millis()],
            )?;
            tx.execute(
                "INSERT INTO sandbox_bbps_complaint_history (complaint_id, seq, status, at, remarks) VALUES (?1, 0, ?2, ?3, ?4)",
                params![cid, ComplaintStatus::Logged.as_str(), created.unix_millis(), "Complaint registered"],
            )?;
            tx.commit()
        })
        .await?;
        self.track_complaint(&id).await?.ok_or_else(|| unavailable("complaint vanished"))
    }

    async fn track_complaint(&self, id: &ComplaintId) -> Result<Option<NetworkComplaint>, BbpsError> {
        let (cid, step_ms) = (id.to_string(), self.complaint_step_ms());
        let id = id.clone();
        self.ledger(move |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let found = progress(&tx, &id, &cid, step_ms, now().unix_millis())?;
            tx.commit()?;
            Ok(found)
        })
        .await
    }

    async fn reopen_complaint(&self, id: &ComplaintId, description: &str) -> Result<NetworkComplaint, BbpsError> {
        let (cid, step_ms) = (id.to_string(), self.complaint_step_ms());
        let (id, description) = (id.clone(), description.trim().to_owned());
        self.ledger(move |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let at = now().unix_millis();
            let Some(current) = progress(&tx, &id, &cid, step_ms, at)? else {
                return Ok(Err(rejected("CMP404", "No complaint has this id")));
            };
            if current.status.is_open() {
                return Ok(Err(rejected("CMP409", "The complaint is still open")));
            }
            if current.history.iter().any(|h| h.remarks.starts_with(REOPENED)) {
                return Ok(Err(rejected("CMP410", "The complaint was reopened before")));
            }
            tx.execute(
                "INSERT INTO sandbox_bbps_complaint_history (complaint_id, seq, status, at, remarks) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![cid, REOPEN_SEQ, ComplaintStatus::Assigned.as_str(), at, format!("{REOPENED}: {description}")],
            )?;
            let reopened = progress(&tx, &id, &cid, step_ms, at)?;
            tx.commit()?;
            Ok(reopened.ok_or_else(|| unavailable("complaint vanished")))
        })
        .await?
    }

    /// The double is in this process: it answers whenever its ledger does.
    async fn check(&self) -> Result<(), BbpsError> {
        self.ledger(|c| c.query_row("SELECT 1", [], |_| Ok(()))).await
    }
}

/// What the ledger holds for a refId's payment: `(status, pay requests received)`. Tests use it to check that a
/// bill was paid exactly once.
pub fn ledger_payment(path: &Path, ref_id: &RefId) -> rusqlite::Result<Option<(String, u32)>> {
    let conn = bbps_store_sqlite::open(path)?;
    conn.query_row("SELECT status, pay_requests FROM sandbox_bbps_payments WHERE ref_id = ?1", [ref_id.as_str()], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .optional()
}
