//! Transaction tracking and complaints. Everything is scoped to the caller's merchant: a customer can track and
//! complain about transactions made through this merchant's widget only.

use bbps_core::api::{
    Complaint, ComplaintSubject, MobileNumber, RaiseComplaintRequest, ReopenComplaintRequest, TrackRange,
    TransactionList, TransactionSummary,
};
#[cfg(doc)]
use bbps_core::complaint::REOPEN_WINDOW;
use bbps_core::complaint::{Disposition, ServiceTarget, description_is_valid};
use bbps_core::{ApiError, ComplaintId, ErrorCode, MerchantId, TxnRef};

use crate::model::{ComplaintRecord, PaymentRecord};
use crate::ports::{BbpsError, BbpsNetwork, ComplaintRequest, NetworkComplaint};
use crate::quotes::network_error;
use crate::{Engine, Error, Result};

fn summary(p: &PaymentRecord) -> TransactionSummary {
    TransactionSummary {
        payment_id: p.id.clone(),
        txn_ref: p.txn_ref().cloned(),
        biller_id: p.biller_id.clone(),
        biller_name: p.biller_name.clone(),
        status: p.status,
        charges: p.charges,
        customer_mobile_masked: p.customer_mobile.masked(),
        created_at: p.created_at,
        paid_at: p.debit.as_ref().map(|d| d.at),
    }
}

fn to_complaint(n: NetworkComplaint, subject: ComplaintSubject, description: String) -> Complaint {
    let ticket_type = subject.ticket_type();
    Complaint {
        id: n.id,
        subject,
        ticket_type,
        resolve_by: ticket_type.resolve_by(n.created_at),
        reopened_at: None,
        description,
        status: n.status,
        assigned_to: n.assigned_to,
        remarks: n.remarks,
        created_at: n.created_at,
        updated_at: n.updated_at,
        history: n.history,
    }
}

/// The stored complaint brought up to date with what the network says now. The network may tell only where a
/// complaint stands (the BBPS wire has no history), so the history is ours: each step the network reports is
/// added once, after those already kept, and the complaint keeps when it was raised.
fn merged(stored: &Complaint, n: NetworkComplaint) -> Complaint {
    let mut history = stored.history.clone();
    for step in n.history {
        let known = history.iter().any(|h| h.status == step.status && h.at == step.at);
        let repeats_last = history.last().is_some_and(|h| h.status == step.status);
        if !known && !repeats_last {
            history.push(step);
        }
    }
    let changed = stored.status != n.status || stored.assigned_to != n.assigned_to || stored.remarks != n.remarks;
    Complaint {
        status: n.status,
        assigned_to: n.assigned_to,
        remarks: n.remarks,
        updated_at: if changed { n.updated_at } else { stored.updated_at },
        history,
        ..stored.clone()
    }
}

fn description_checked(description: &str) -> Result<String> {
    if !description_is_valid(description) {
        return Err(Error::field(
            ErrorCode::ComplaintDescriptionInvalid,
            "describe the problem in 3 to 500 characters",
            "description",
        ));
    }
    Ok(description.trim().to_owned())
}

fn target_invalid(message: &str, field: &str) -> Error {
    Error::field(ErrorCode::ComplaintTargetInvalid, message, field)
}

impl Engine {
    /// The transaction with this BBPS reference, made through the merchant.
    pub async fn track_by_txn_ref(&self, merchant: &MerchantId, txn_ref: &TxnRef) -> Result<TransactionList> {
        let payment = self.store.payment_by_txn_ref(merchant, txn_ref).await?.ok_or_else(|| {
            Error::field(ErrorCode::TransactionNotFound, "no transaction has this reference", "txn_ref")
        })?;
        Ok(TransactionList { items: vec![summary(&payment)] })
    }

    /// The merchant's transactions of a mobile number within the days of `range`.
    pub async fn track_by_mobile(
        &self,
        merchant: &MerchantId,
        mobile: &MobileNumber,
        range: TrackRange,
    ) -> Result<TransactionList> {
        let payments = self.store.payments_by_mobile(merchant, mobile, range).await?;
        Ok(TransactionList { items: payments.iter().map(summary).collect() })
    }

    /// Refuses a complaint raised before its disposition's cooling period after the transaction is over, saying
    /// when it can be raised.
    fn check_cooling_period(&self, payment: &PaymentRecord, disposition: Disposition) -> Result<()> {
        let transacted_at = payment.bill_payment.as_ref().map_or(payment.created_at, |b| b.at);
        let category = self.catalogue().get(&payment.biller_id).map(|b| b.category.clone()).unwrap_or_default();
        let from = disposition.raisable_from(&category, transacted_at);
        let now = self.now();
        if now >= from {
            return Ok(());
        }
        let wait = Self::seconds_until(from, now);
        Err(Error::Refused(
            ApiError::new(
                ErrorCode::ComplaintTooEarly,
                format!(
                    "give the biller until {} to deliver the service; this complaint can be raised from then",
                    from.to_ist_display()
                ),
            )
            .with_field("disposition")
            .with_retry_after(wait),
        ))
    }

    pub async fn raise_complaint(&self, merchant: &MerchantId, req: RaiseComplaintRequest) -> Result<Complaint> {
        let (subject, description, mobile, payment_id) = match req {
            RaiseComplaintRequest::Transaction { txn_ref, disposition, description } => {
                let payment = self.store.payment_by_txn_ref(merchant, &txn_ref).await?.ok_or_else(|| {
                    Error::field(
                        ErrorCode::TransactionNotFound,
                        "no transaction of this merchant has this reference",
                        "txn_ref",
                    )
                })?;
                self.check_cooling_period(&payment, disposition)?;
                (
                    ComplaintSubject::Transaction { txn_ref, disposition },
                    description,
                    Some(payment.customer_mobile.clone()),
                    Some(payment.id),
                )
            }
            RaiseComplaintRequest::Service { target, reason, description, customer_mobile } => {
                match &target {
                    ServiceTarget::Agent { .. } if !reason.is_agent_reason() => {
                        return Err(target_invalid("this reason is about a biller, not an agent", "reason"));
                    }
                    ServiceTarget::Biller { .. } if reason.is_agent_reason() => {
                        return Err(target_invalid("this reason is about an agent, not a biller", "reason"));
                    }
                    ServiceTarget::Biller { biller_id } if self.catalogue().get(biller_id).is_none() => {
                        return Err(target_invalid("no biller has this id", "target.biller_id"));
                    }
                    ServiceTarget::Agent { .. } | ServiceTarget::Biller { .. } => {}
                }
                (ComplaintSubject::Service { target, reason }, description, Some(customer_mobile), None)
            }
        };
        let description = description_checked(&description)?;
        let request = ComplaintRequest {
            subject: subject.clone(),
            description: description.clone(),
            customer_mobile: mobile.clone(),
        };
        // The network refusing a complaint is an answer about the complaint (no such transaction, a duplicate, a
        // disposition it does not take), whatever its code: only an unknown outcome is the network's trouble.
        let network = self.network.raise_complaint(&request).await.map_err(|e| match e {
            BbpsError::Rejected { code, message } => {
                Error::Refused(ApiError::new(ErrorCode::ComplaintNotAllowed, message).with_bbps_code(code))
            }
            other => network_error(other),
        })?;
        let complaint = to_complaint(network, subject, description);
        self.store
            .insert_complaint(&ComplaintRecord {
                complaint: complaint.clone(),
                merchant_id: merchant.clone(),
                payment_id,
                customer_mobile: mobile,
            })
            .await?;
        Ok(complaint)
    }

    /// A complaint of the merchant, refreshed from the network.
    pub async fn complaint(&self, merchant: &MerchantId, id: &ComplaintId) -> Result<Complaint> {
        self.refreshed_complaint(merchant, id).await.map(|rec| rec.complaint)
    }

    /// Reopens a closed ticket of the merchant, once, within [`REOPEN_WINDOW`] of its closing.
    pub async fn reopen_complaint(
        &self,
        merchant: &MerchantId,
        id: &ComplaintId,
        req: ReopenComplaintRequest,
    ) -> Result<Complaint> {
        let description = description_checked(&req.description)?;
        let mut rec = self.refreshed_complaint(merchant, id).await?;
        let c = &rec.complaint;
        if c.status.is_open() {
            return Err(Error::refused(
                ErrorCode::ComplaintStillOpen,
                "this ticket is still being worked on; it can be reopened once it is closed",
            ));
        }
        if c.reopened_at.is_some() {
            return Err(Error::refused(ErrorCode::ComplaintAlreadyReopened, "this ticket was reopened once already"));
        }
        let until = c.reopenable_until().unwrap_or(c.updated_at);
        if self.now() > until {
            return Err(Error::refused(
                ErrorCode::ComplaintReopenWindowOver,
                format!("a closed ticket can be reopened until {}; raise a new complaint", until.to_ist_display()),
            ));
        }
        let network = self.network.reopen_complaint(id, &description).await.map_err(|e| match e {
            BbpsError::Rejected { code, message } => {
                Error::Refused(ApiError::new(ErrorCode::ComplaintNotAllowed, message).with_bbps_code(code))
            }
            other => network_error(other),
        })?;
        let reopened_at = self.now();
        // The network reopened it: that is written whatever a refresh wrote meanwhile (compare-and-set, read again
        // on a lost race).
        for _ in 0..3 {
            let previous = rec.complaint.updated_at;
            let mut updated = merged(&rec.complaint, network.clone());
            updated.reopened_at = Some(reopened_at);
            updated.updated_at = reopened_at.max(previous);
            // Reopened, the ticket has a new turnaround from now.
            updated.resolve_by = updated.ticket_type.resolve_by(reopened_at);
            let mut next = rec.clone();
            next.complaint = updated;
            if self.store.update_complaint(&next, previous).await? {
                return Ok(next.complaint);
            }
            rec = self.store.complaint(id).await?.ok_or_else(|| Error::internal("complaint", "vanished"))?;
        }
        Err(Error::internal("complaint", "the reopening lost three races to record it"))
    }

    async fn refreshed_complaint(&self, merchant: &MerchantId, id: &ComplaintId) -> Result<ComplaintRecord> {
        let mut rec = self
            .store
            .complaint(id)
            .await?
            .filter(|c| &c.merchant_id == merchant)
            .ok_or_else(|| Error::refused(ErrorCode::ComplaintNotFound, "no complaint has this id"))?;
        match self.network.track_complaint(id).await {
            Ok(Some(n)) => {
                let updated = merged(&rec.complaint, n);
                if updated != rec.complaint {
                    let previous = rec.complaint.updated_at;
                    rec.complaint = updated;
                    // Someone wrote since we read (a reopening): theirs is newer, and is the answer.
                    if !self.store.update_complaint(&rec, previous).await? {
                        return self.store.complaint(id).await?.ok_or_else(|| Error::internal("complaint", "vanished"));
                    }
                }
            }
            // The stored copy is the best answer while the network cannot be asked.
            Ok(None) => tracing::warn!(complaint = %id, "the network does not know this complaint"),
            Err(e) => tracing::warn!(complaint = %id, %e, "complaint tracking failed"),
        }
        Ok(rec)
    }
}
