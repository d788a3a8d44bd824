//! `GET /api/payments/{payment_id}`: what a merchant's server does when its page reports `payment.success`. The
//! browser event is only a hint, so the site asks the BBPS API itself, over HTTP with the demo merchant's secret
//! key (which never reaches the browser), and tells the page what the API says.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bbps_core::api::Payment;
use bbps_core::{ApprovalRef, Paise, PaymentId, PaymentStatus, TxnRef};
use serde::Serialize;
use serde_json::json;

use crate::DemoSite;

/// The merchant server's verdict on a payment.
#[derive(Debug, Serialize)]
struct Verification {
    payment_id: PaymentId,
    status: PaymentStatus,
    /// `true` only for `completed`: the bill is paid.
    verified: bool,
    txn_ref: Option<TxnRef>,
    approval_ref: Option<ApprovalRef>,
    biller_name: String,
    total: Paise,
}

impl From<Payment> for Verification {
    fn from(p: Payment) -> Verification {
        Verification {
            verified: p.status == PaymentStatus::Completed,
            txn_ref: p.receipt.as_ref().map(|r| r.txn_ref.clone()),
            approval_ref: p.receipt.as_ref().map(|r| r.approval_ref.clone()),
            payment_id: p.id,
            status: p.status,
            biller_name: p.biller_name,
            total: p.charges.total,
        }
    }
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({ "error": code, "message": message }))).into_response()
}

pub async fn payment(State(site): State<Arc<DemoSite>>, Path(id): Path<String>) -> Response {
    let Ok(id) = PaymentId::parse(&id) else {
        return error(StatusCode::BAD_REQUEST, "payment_id_invalid", "a payment id looks like pay_ and 24 characters");
    };
    let url = format!("{}/v1/merchant/payments/{id}", site.config.api_base);
    let answer = match site.http.get(&url).bearer_auth(&site.config.secret_key).send().await {
        Ok(answer) => answer,
        Err(e) => {
            tracing::warn!(%e, "demo site: the BBPS API did not answer");
            return error(StatusCode::BAD_GATEWAY, "api_unreachable", "the BBPS API did not answer");
        }
    };
    match answer.status() {
        StatusCode::OK => match answer.json::<Payment>().await {
            Ok(payment) => Json(Verification::from(payment)).into_response(),
            Err(e) => {
                tracing::warn!(%e, "demo site: the BBPS API's payment did not parse");
                error(StatusCode::BAD_GATEWAY, "api_answer_invalid", "the BBPS API's answer did not parse")
            }
        },
        StatusCode::NOT_FOUND => {
            error(StatusCode::NOT_FOUND, "payment_not_found", "the BBPS API has no such payment for this merchant")
        }
        status => error(StatusCode::BAD_GATEWAY, "api_error", &format!("the BBPS API answered {status}")),
    }
}
