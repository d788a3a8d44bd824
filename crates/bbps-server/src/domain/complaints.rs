//! Transaction tracking and complaints. Everything is scoped to the caller's merchant: a customer can track and
//! complain about transactions made through this merchant's widget only.

use bbps_core::api::{
    Complaint, ComplaintSubject, MAX_TRACK_RANGE_DAYS, MobileNumber, RaiseComplaintRequest, TransactionList,
    TransactionSummary,
};
use bbps_core::complaint::{ServiceTarget, description_is_valid};
use bbps_core::{ApiError, ComplaintId, ErrorCode, IST, MerchantId, Timestamp, TxnRef};
use serde::Deserialize;
use time::{Date, PrimitiveDateTime, Time};
use utoipa::IntoParams;

use crate::app::AppState;
use crate::bbps::{ComplaintRequest, NetworkComplaint};
use crate::domain::quotes::{network_error, timeout_error};
use crate::error::AppError;
use crate::model::{ComplaintRecord, PaymentRecord};

/// `GET /v1/transactions`: by BBPS transaction reference, or by mobile number and a date range.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrackQuery {
    /// The BBPS transaction reference id (20 upper-case letters or digits).
    #[param(pattern = "^[A-Z0-9]{20}$")]
    pub txn_ref: Option<String>,
    /// The customer's mobile number (with `mobile`, `from` and `to` are required).
    #[param(pattern = "^[6-9][0-9]{9}$")]
    pub mobile: Option<String>,
    /// First day, `YYYY-MM-DD` (IST).
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (IST), at most 90 days after `from`.
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
}

fn field_err(code: ErrorCode, message: &str, field: &str) -> AppError {
    AppError(ApiError::new(code, message).with_field(field))
}

fn parse_date(s: &str, field: &str) -> Result<Date, AppError> {
    bbps_core::clock::parse_date(s).ok_or_else(|| field_err(ErrorCode::InvalidQuery, "dates are YYYY-MM-DD", field))
}

fn start_of_day(d: Date) -> Timestamp {
    Timestamp::from_offset_date_time(PrimitiveDateTime::new(d, Time::MIDNIGHT).assume_offset(IST))
}

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

pub async fn track(app: &AppState, merchant: &MerchantId, q: &TrackQuery) -> Result<TransactionList, AppError> {
    if let Some(t) = &q.txn_ref {
        let txn_ref = TxnRef::parse(t).map_err(|e| field_err(ErrorCode::InvalidQuery, &e.to_string(), "txn_ref"))?;
        let payment =
            app.store.payment_by_txn_ref(merchant, &txn_ref).await?.ok_or_else(|| {
                field_err(ErrorCode::TransactionNotFound, "no transaction has this reference", "txn_ref")
            })?;
        return Ok(TransactionList { items: vec![summary(&payment)] });
    }
    let (Some(mobile), Some(from), Some(to)) = (&q.mobile, &q.from, &q.to) else {
        return Err(AppError::new(ErrorCode::InvalidQuery, "give txn_ref, or mobile with from and to"));
    };
    let mobile = MobileNumber::parse(mobile).ok_or_else(|| {
        field_err(ErrorCode::MobileInvalid, "a mobile number is 10 digits starting with 6 to 9", "mobile")
    })?;
    let (from, to) = (parse_date(from, "from")?, parse_date(to, "to")?);
    if to < from || (to - from).whole_days() >= MAX_TRACK_RANGE_DAYS {
        return Err(field_err(
            ErrorCode::DateRangeInvalid,
            "the range must run forwards and span at most 90 days",
            "from",
        ));
    }
    let end = to.next_day().map_or_else(|| start_of_day(to), start_of_day);
    let payments = app.store.payments_by_mobile(merchant, &mobile, start_of_day(from), end).await?;
    Ok(TransactionList { items: payments.iter().map(summary).collect() })
}

fn to_complaint(n: NetworkComplaint, subject: ComplaintSubject, description: String) -> Complaint {
    Complaint {
        id: n.id,
        subject,
        description,
        status: n.status,
        assigned_to: n.assigned_to,
        remarks: n.remarks,
        created_at: n.created_at,
        updated_at: n.updated_at,
        history: n.history,
    }
}

pub async fn raise(app: &AppState, merchant: &MerchantId, req: RaiseComplaintRequest) -> Result<Complaint, AppError> {
    let (subject, description, mobile, payment_id) = match req {
        RaiseComplaintRequest::Transaction { txn_ref, disposition, description } => {
            let payment = app.store.payment_by_txn_ref(merchant, &txn_ref).await?.ok_or_else(|| {
                field_err(
                    ErrorCode::TransactionNotFound,
                    "no transaction of this merchant has this reference",
                    "txn_ref",
                )
            })?;
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
                    return Err(field_err(
                        ErrorCode::ComplaintTargetInvalid,
                        "this reason is about a biller, not an agent",
                        "reason",
                    ));
                }
                ServiceTarget::Biller { .. } if reason.is_agent_reason() => {
                    return Err(field_err(
                        ErrorCode::ComplaintTargetInvalid,
                        "this reason is about an agent, not a biller",
                        "reason",
                    ));
                }
                ServiceTarget::Biller { biller_id } if app.catalogue.get(biller_id).is_none() => {
                    return Err(field_err(
                        ErrorCode::ComplaintTargetInvalid,
                        "no biller has this id",
                        "target.biller_id",
                    ));
                }
                ServiceTarget::Agent { agent_id }
                    if !(4..=30).contains(&agent_id.len()) || !agent_id.bytes().all(|b| b.is_ascii_alphanumeric()) =>
                {
                    return Err(field_err(
                        ErrorCode::ComplaintTargetInvalid,
                        "an agent id is 4 to 30 letters or digits",
                        "target.agent_id",
                    ));
                }
                _ => {}
            }
            (ComplaintSubject::Service { target, reason }, description, Some(customer_mobile), None)
        }
    };
    if !description_is_valid(&description) {
        return Err(field_err(
            ErrorCode::ComplaintDescriptionInvalid,
            "describe the problem in 3 to 500 characters",
            "description",
        ));
    }
    let description = description.trim().to_owned();
    let request = ComplaintRequest {
        subject: subject.clone(),
        description: description.clone(),
        customer_mobile: mobile.clone(),
    };
    let network = tokio::time::timeout(app.config.provider_timeout, app.bbps.raise_complaint(&request))
        .await
        .map_err(|_| timeout_error())?
        .map_err(|e| match e {
            crate::bbps::BbpsError::Rejected { code, message } if code.starts_with("CMP") => {
                AppError(ApiError::new(ErrorCode::ComplaintNotAllowed, message).with_bbps_code(code))
            }
            other => network_error(other),
        })?;
    let complaint = to_complaint(network, subject, description);
    app.store
        .insert_complaint(&ComplaintRecord {
            complaint: complaint.clone(),
            merchant_id: merchant.clone(),
            payment_id,
            customer_mobile: mobile,
        })
        .await?;
    Ok(complaint)
}

/// A complaint of this merchant, refreshed from the network.
pub async fn get(app: &AppState, merchant: &MerchantId, id: &ComplaintId) -> Result<Complaint, AppError> {
    let mut rec = app
        .store
        .complaint(id)
        .await?
        .filter(|c| &c.merchant_id == merchant)
        .ok_or_else(|| AppError::new(ErrorCode::ComplaintNotFound, "no complaint has this id"))?;
    let tracked = tokio::time::timeout(app.config.provider_timeout, app.bbps.track_complaint(id)).await;
    match tracked {
        Ok(Ok(Some(n))) => {
            let updated = to_complaint(n, rec.complaint.subject.clone(), rec.complaint.description.clone());
            if updated != rec.complaint {
                rec.complaint = updated;
                app.store.update_complaint(&rec).await?;
            }
        }
        // The stored copy is the best answer while the network cannot be asked.
        Ok(Ok(None)) => tracing::warn!(complaint = %id, "the network does not know this complaint"),
        Ok(Err(e)) => tracing::warn!(complaint = %id, %e, "complaint tracking failed"),
        Err(_) => tracing::warn!(complaint = %id, "complaint tracking timed out"),
    }
    Ok(rec.complaint)
}
