//! The simulator's listener: a BBPOU POSTs each request to `<base>/<MessageName>/1.0/urn:referenceId:<refId>`.
//! The request is opened (its signature checked against the BBPOU's certificate before anything in it is read)
//! and answered at once with a signed Ack; the response follows later, to the BBPOU's callback listener.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use bbps_npci_xml::codes::{AckCode, MessageKind};
use bbps_npci_xml::message::{Ack, ErrorMessage, Message};
use bbps_npci_xml::time::WireTime;

use super::Sim;
use crate::util::now;

/// The largest request a BBPOU sends (a payment with its echoed bill is a few KB).
const MAX_REQUEST_BYTES: usize = 256 * 1024;

pub(super) fn router(sim: Arc<Sim>) -> Router {
    Router::new()
        .route("/{message}/1.0/{reference}", post(receive))
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES))
        .with_state(sim)
}

/// The kinds this BBPCU answers: every request of the customer BBPOU's message set but the transaction status by
/// reference (`TxnStatusRequest`), which BBPOUs ask through `TxnStatusComplainRequest` (xchangeId 401).
fn answered(kind: MessageKind) -> bool {
    kind.response().is_some() && kind != MessageKind::TxnStatusRequest
}

async fn receive(
    State(sim): State<Arc<Sim>>,
    Path((name, reference)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let request = match sim.envelope.open(&body) {
        Ok(m) => m,
        Err(e) => {
            tracing::warn!(path = %name, reason = %e, "BBPCU simulator: refused a request");
            return sim.ack(None, AckCode::ValidationError, Some(e.to_string()), StatusCode::BAD_REQUEST);
        }
    };
    let kind = request.kind();
    let path_reference = request.ref_id().map(|r| format!("urn:referenceId:{r}"));
    if !answered(kind) || name != kind.as_str() || path_reference.as_deref() != Some(reference.as_str()) {
        let reason = format!("a {kind} is not taken at /{name}/1.0/{reference}");
        tracing::warn!(%reason, "BBPCU simulator: refused a request");
        return sim.ack(Some(&request), AckCode::ValidationError, Some(reason), StatusCode::BAD_REQUEST);
    }
    // A payment of a refId paid before is a repeat: the BBPOU asks for the first one's status.
    let repeat = match &request {
        Message::BillPaymentRequest(r) => match sim.network.repeat_payment(&r.head.ref_id).await {
            Ok(seen) => seen,
            Err(e) => {
                tracing::error!(error = %e, "BBPCU simulator: its ledger failed");
                return sim.ack(
                    Some(&request),
                    AckCode::ValidationError,
                    Some(e.to_string()),
                    StatusCode::SERVICE_UNAVAILABLE,
                );
            }
        },
        _ => false,
    };
    if repeat {
        tracing::info!(ref_id = ?request.ref_id(), "BBPCU simulator: a repeated payment");
        return sim.ack(Some(&request), AckCode::DuplicateRequest, None, StatusCode::OK);
    }
    let ack = sim.ack(Some(&request), AckCode::Successful, None, StatusCode::OK);
    let answering = Arc::clone(&sim);
    tokio::spawn(async move { answering.respond(&request).await });
    ack
}

impl Sim {
    /// The signed Ack of `request` (or of a body that could not be read as one).
    fn ack(&self, request: Option<&Message>, code: AckCode, error: Option<String>, status: StatusCode) -> Response {
        let ack = Ack {
            api: request.map(Message::kind),
            ref_id: request.and_then(Message::ref_id).map(ToString::to_string),
            msg_id: request.and_then(Message::msg_id).cloned(),
            rsp_cd: code,
            ts: WireTime::from(now()),
            errors: error.map(|detail| ErrorMessage { code: code.as_str().to_owned(), detail }).into_iter().collect(),
        };
        match self.envelope.seal(&Message::Ack(ack)) {
            Ok(xml) => (status, [(header::CONTENT_TYPE, "application/xml")], xml).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "BBPCU simulator: could not sign an Ack");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }
}
