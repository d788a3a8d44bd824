//! What the BBPCU answers each request with, decided by the sandbox network (the engine behind the wire) and
//! written with the adapter's own response builders, so every field is mapped once for both sides.

use std::borrow::Cow;
use std::time::Duration;

use bbps_core::{Biller, ComplaintId};
use bbps_engine::ports::{BbpsError, BbpsNetwork, PayStatus};
use bbps_npci_xml::codes::XchangeId;
use bbps_npci_xml::map::status::KnownTxn;
use bbps_npci_xml::map::{bill, biller, biller_status, complaint, plan, status};
use bbps_npci_xml::message::{
    BillFetchRequest, BillPaymentRequest, BillValidationRequest, BillerFetchRequest, Message, ResDiagnostic,
    TxnStatusComplainRequest,
};
use bbps_npci_xml::time::WireTime;

use super::Sim;
use crate::network::{Paid, catalogue};
use crate::util::now;

/// The network's refusal as the `(code, reason)` a failure response carries; `None` when the outcome is
/// unknown (the ledger failed): then no answer goes out, as when a real network stays silent.
fn refusal(e: BbpsError) -> Option<(String, String)> {
    match e {
        BbpsError::Rejected { code, message } => Some((code, message)),
        other => {
            tracing::error!(error = %other, "BBPCU simulator: its ledger failed; no answer");
            None
        }
    }
}

/// The answer of a query the ledger must give; on a failure it is logged and nothing is answered.
fn ledger<T>(read: Result<T, BbpsError>) -> Option<T> {
    read.map_err(|e| tracing::error!(error = %e, "BBPCU simulator: its ledger failed; no answer")).ok()
}

impl Sim {
    /// Answers a request this simulator took: the response goes to the BBPOU's callback, or nothing does when the
    /// simulator stays silent (a request that makes no sense to it is logged; a ledger that failed leaves the
    /// outcome unknown, as a real network's silence does).
    pub(super) async fn respond(&self, request: &Message) {
        let response = match request {
            Message::BillFetchRequest(r) => self.fetch(r).await.map(Message::BillFetchResponse),
            Message::BillValidationRequest(r) => self.validate(r).await.map(Message::BillValidationResponse),
            Message::BillPaymentRequest(r) => self.pay(r).await.map(Message::BillPaymentResponse),
            Message::TxnStatusComplainRequest(r) => {
                self.status_or_complaint(r).await.map(Message::TxnStatusComplainResponse)
            }
            Message::ReqDiagnostic(r) => Some(Message::ResDiagnostic(ResDiagnostic {
                head: self.me.head(&r.head.ref_id, now()),
                errors: vec![],
            })),
            Message::BillerFetchRequest(r) => return self.master_data(r).await,
            Message::PlanPull(r) => ledger(self.network.plans(plan::pulled_billers(r)).await)
                .map(|plans| Message::PlanPush(plan::push_response(r, &plans, &self.me, now()))),
            Message::BillerStatusRequest(r) => ledger(self.network.downtimes().await).map(|down| {
                Message::BillerStatusUpdate(biller_status::status_update(r, &down, self.me.head(&r.head.ref_id, now())))
            }),
            other => {
                tracing::warn!(kind = %other.kind(), "BBPCU simulator: not a request it answers");
                None
            }
        };
        if let Some(response) = response {
            self.deliver(response).await;
        }
    }

    async fn fetch(&self, r: &BillFetchRequest) -> Option<bbps_npci_xml::message::BillFetchResponse> {
        let req = self.read(bill::fetch_request_of(r))?;
        let outcome = match self.network.fetch_bill(&req).await {
            Ok(b) => Ok(b),
            Err(e) => Err(refusal(e)?),
        };
        Some(bill::fetch_response(r, outcome.as_ref().map_err(Clone::clone), &self.me, now()))
    }

    async fn validate(&self, r: &BillValidationRequest) -> Option<bbps_npci_xml::message::BillValidationResponse> {
        let req = self.read(bill::validation_request_of(r))?;
        let outcome = match self.network.validate(&req).await {
            Ok(v) => Ok(v),
            Err(e) => Err(refusal(e)?),
        };
        Some(bill::validation_response(r, outcome.as_ref().map_err(Clone::clone), &self.me, now()))
    }

    /// A payment under the transaction reference the BBPOU minted. A deemed payment is answered only once it
    /// settles (the biller has not confirmed it before); its status says PENDING meanwhile.
    async fn pay(&self, r: &BillPaymentRequest) -> Option<bbps_npci_xml::message::BillPaymentResponse> {
        let req = self.read(bill::payment_request_of(r))?;
        let Some(txn_ref) = r.txn.txn_reference_id.as_ref() else {
            tracing::warn!(ref_id = %r.head.ref_id, "BBPCU simulator: a payment without a txnReferenceId");
            return None;
        };
        let status = match self.network.pay_as(&req, txn_ref).await {
            Ok(Paid::First(status) | Paid::Again(Some(status))) => status,
            // A repeat whose first payment's status lags: nothing to say yet.
            Ok(Paid::Again(None)) => return None,
            Err(e) => return Some(bill::payment_response(r, Err(refusal(e)?), &self.me, now())),
        };
        let status = match status {
            PayStatus::Pending { .. } => {
                tokio::time::sleep(self.timings.pending_settle + Duration::from_millis(50)).await;
                ledger(self.network.payment_of_txn(txn_ref).await)??.status?
            }
            settled => settled,
        };
        let outcome = match &status {
            PayStatus::Success { approval_ref, .. } => Ok(approval_ref),
            PayStatus::Failed { code, message } => Err((code.clone(), message.clone())),
            PayStatus::Pending { .. } => return None,
        };
        Some(bill::payment_response(r, outcome, &self.me, now()))
    }

    async fn status_or_complaint(
        &self,
        r: &TxnStatusComplainRequest,
    ) -> Option<bbps_npci_xml::message::TxnStatusComplainResponse> {
        match r.txn.xchange_id? {
            XchangeId::TxnStatus => {
                let txn_ref = r.query.txn_reference_id.as_ref()?;
                let known = ledger(self.network.payment_of_txn(txn_ref).await)?.and_then(|p| {
                    let status = p.status?;
                    Some(KnownTxn { ref_id: p.ref_id, txn_ref: txn_ref.clone(), at: p.at, amount: p.amount, status })
                });
                Some(status::status_response(r, known.as_ref(), &self.me, now()))
            }
            XchangeId::ComplaintRegistration => {
                let raised = match complaint::reopening_of(r) {
                    Some(reopening) => {
                        let (id, description) = self.read(reopening)?;
                        self.network.reopen_complaint(&id, &description).await
                    }
                    None => self.network.raise_complaint(&self.read(complaint::complaint_request_of(r))?).await,
                };
                let outcome = match raised {
                    Ok(c) => Ok(c),
                    Err(e) => Err(refusal(e)?),
                };
                Some(complaint::complaint_response(r, outcome.as_ref().map_err(Clone::clone), &self.me, now()))
            }
            XchangeId::ComplaintStatus => {
                let id: &ComplaintId = r.query.complaint_id.as_ref()?;
                let found = ledger(self.network.track_complaint(id).await)?;
                let outcome =
                    found.as_ref().ok_or_else(|| ("CMP404".to_owned(), "No complaint has this id".to_owned()));
                Some(complaint::complaint_response(r, outcome, &self.me, now()))
            }
        }
    }

    /// The whole catalogue, or (`SearchByTime`) only what changed since. This simulator publishes its catalogue
    /// when it starts and changes it once: [`catalogue::WITHDRAWN`] is withdrawn `catalogue_change` later, so a pull
    /// since before then gets its record, deactivated, and one since after gets nothing. `Search` narrows to the
    /// billers named. A catalogue larger than one message holds goes in parts, each written and sent in turn.
    async fn master_data(&self, r: &BillerFetchRequest) {
        let at = now();
        let since = r.search_by_time.as_ref().and_then(|s| WireTime::parse(&s.time)).map(WireTime::instant);
        let head = self.me.head(&r.head.ref_id, at);
        let withdrawn_at = self
            .published
            .saturating_add(time::Duration::try_from(self.timings.catalogue_change).unwrap_or(time::Duration::MAX));
        let withdrawn = |b: &&Biller| b.name == catalogue::WITHDRAWN && withdrawn_at <= at;
        if let Some(since) = since.filter(|t| *t >= self.published) {
            let gone: Vec<Biller> =
                self.billers.iter().filter(withdrawn).filter(|_| since < withdrawn_at).cloned().collect();
            self.deliver(Message::BillerFetchResponse(biller::withdrawals_response(&head, &gone))).await;
            return;
        }
        let named =
            |b: &&Biller| r.search.as_ref().is_none_or(|s| s.biller_ids.is_empty() || s.biller_ids.contains(&b.id));
        // The whole catalogue is sent as it is; only a narrowed or changed one is copied.
        let narrowed = r.search.as_ref().is_some_and(|s| !s.biller_ids.is_empty()) || withdrawn_at <= at;
        let billers: Cow<'_, [Biller]> = if narrowed {
            Cow::Owned(self.billers.iter().filter(named).filter(|b| !withdrawn(b)).cloned().collect())
        } else {
            Cow::Borrowed(&self.billers[..])
        };
        for (part, chunk) in biller::parts(&billers) {
            self.deliver(Message::BillerFetchResponse(biller::fetch_response(&head, part, chunk))).await;
        }
    }

    /// A request read as the port's type; one that cannot be is logged and not answered.
    fn read<T>(&self, read: Result<T, String>) -> Option<T> {
        read.map_err(|e| tracing::warn!(error = %e, "BBPCU simulator: a request it cannot read")).ok()
    }
}
