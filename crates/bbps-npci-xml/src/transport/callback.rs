//! Our callback listener: the BBPCU POSTs each response to `<our base>/<MessageName>/1.0/urn:referenceId:<refId>`.
//! A response is opened (size, shape, signature) before anything in it is believed, matched to its waiting call,
//! and answered with our signed Ack. Whatever is refused is logged with its reason and answered with a refusing
//! Ack; nothing a counterparty sends can make the handler panic.
//!
//! With several instances behind one callback address, a response may reach an instance that did not ask. If
//! the archive shows the request was ours (sent by another instance on the same store), the response is
//! archived, acknowledged, and announced; the instance that asked reads it back from the archive
//! ([`take_relayed`]), opens it again and hands it to its call.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use bbps_core::Timestamp;
use bbps_engine::wire_archive::{WireDirection, WireMessageId};

use super::pending::{Delivery, Key, Outstanding};
use crate::archive::Archive;
use crate::codes::{AckCode, MessageKind};
use crate::envelope::{Envelope, Refusal};
use crate::message::{Ack, ErrorMessage, Message};
use crate::time::WireTime;

/// A response that arrived after its call stopped waiting. The engine resolves every unknown outcome by asking
/// for the status again, so a late response is news, not a command; the sink decides what to do with it.
pub trait LateSink: Send + Sync {
    fn late(&self, response: Message);
}

/// What the listener needs: our envelope, the waiting calls, where late responses go, and the archive.
pub struct Inbox {
    pub envelope: Arc<Envelope>,
    pub outstanding: Arc<Outstanding>,
    pub late: Arc<dyn LateSink>,
    pub archive: Arc<Archive>,
}

/// The listener's routes; mount them under the base URL the BBPCU was given, or serve them alone.
pub fn router(inbox: Arc<Inbox>) -> Router {
    Router::new()
        .route("/{message}/1.0/{reference}", post(receive))
        // The body is read by the handler itself, against the envelope's limit, so an oversized body is logged and
        // answered like every other refusal.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .with_state(inbox)
}

/// Why a response is not taken, with its Ack code and HTTP status.
fn refusal(
    status: StatusCode,
    code: AckCode,
    reason: &str,
    about: Option<&Message>,
) -> (StatusCode, AckCode, Vec<ErrorMessage>, Option<Message>) {
    (status, code, vec![ErrorMessage { code: code.as_str().to_owned(), detail: reason.to_owned() }], about.cloned())
}

async fn receive(
    State(inbox): State<Arc<Inbox>>,
    Path((message, reference)): Path<(String, String)>,
    body: Body,
) -> Response {
    let (status, code, errors, about) = take(&inbox, &message, &reference, body).await;
    let ack = Message::Ack(Ack {
        api: about.as_ref().map(Message::kind).or_else(|| MessageKind::parse(&message).ok()),
        ref_id: about.as_ref().and_then(Message::ref_id).map(|r| r.to_string()),
        msg_id: about.as_ref().and_then(Message::msg_id).cloned(),
        rsp_cd: code,
        ts: WireTime::from(Timestamp::from_offset_date_time(time::OffsetDateTime::now_utc())),
        errors,
    });
    match inbox.envelope.seal(&ack) {
        Ok(xml) => {
            inbox.archive.sent(&ack, xml.as_bytes()).await;
            (status, [(header::CONTENT_TYPE, "application/xml")], xml).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "could not sign an Ack");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Reads, judges and archives one posted body: the Ack's HTTP status, code, errors and the message it is about.
async fn take(
    inbox: &Inbox,
    path_kind: &str,
    reference: &str,
    body: Body,
) -> (StatusCode, AckCode, Vec<ErrorMessage>, Option<Message>) {
    let limit = inbox.envelope.max_bytes();
    let bytes: Bytes = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(e) => {
            // Not archived: what was read of it is not the message, and keeping it would let anyone fill the disk.
            tracing::warn!(path_kind, error = %e, limit, "refused a callback: body over the limit or unreadable");
            let reason = Refusal::TooLarge { size: limit + 1, limit }.to_string();
            return refusal(StatusCode::PAYLOAD_TOO_LARGE, AckCode::ValidationError, &reason, None);
        }
    };
    let judged = match read(inbox, path_kind, reference, &bytes) {
        Err(refused) => *refused,
        Ok((key, message)) if inbox.outstanding.awaits(&key) => {
            // On record before its call wakes: what the call returns may be read back from the archive at once
            // (a payment echoes its fetch response from there).
            let kind = MessageKind::parse(path_kind).ok();
            inbox.archive.received(&bytes, Some(&message), None, kind).await;
            return hand_over(inbox, &key, message);
        }
        Ok((key, message)) if !inbox.outstanding.knows(&key) => {
            match relay(inbox, &key, &message, path_kind, &bytes).await {
                Some(judged) => return judged,
                None => hand_over(inbox, &key, message),
            }
        }
        Ok((key, message)) => hand_over(inbox, &key, message),
    };
    let (_, code, errors, about) = &judged;
    let refusal =
        (*code != AckCode::Successful).then(|| errors.iter().map(|e| e.detail.as_str()).collect::<Vec<_>>().join("; "));
    inbox.archive.received(&bytes, about.as_ref(), refusal, MessageKind::parse(path_kind).ok()).await;
    judged
}

type Judged = (StatusCode, AckCode, Vec<ErrorMessage>, Option<Message>);

/// Passes a response to a request this process does not know to the instance on our store that sent it: the
/// Ack to answer with, or `None` when no other instance asked (or none shares our store), for the usual refusal.
async fn relay(inbox: &Inbox, key: &Key, message: &Message, path_kind: &str, bytes: &[u8]) -> Option<Judged> {
    if !inbox.archive.shared() {
        return None;
    }
    let retry =
        |reason: &str| refusal(StatusCode::SERVICE_UNAVAILABLE, AckCode::ValidationError, reason, Some(message));
    let request = key.kind.request()?;
    match inbox.archive.was_sent(request, &key.ref_id, key.msg_id.as_ref().map(|m| m.as_str())).await {
        Ok(true) => {}
        Ok(false) => return None,
        Err(()) => return Some(retry("we cannot tell now whether this answers a request of ours; send it again")),
    }
    let kind = MessageKind::parse(path_kind).ok();
    let Some(id) = inbox.archive.received(bytes, Some(message), None, kind).await else {
        return Some(retry("the response could not be kept for the instance that asked; send it again"));
    };
    match inbox.archive.announce(id).await {
        Ok(()) => {
            tracing::info!(kind = %message.kind(), ref_id = %key.ref_id, msg_id = ?key.msg_id, %id, "relayed a response to the instance that asked");
            Some((StatusCode::OK, AckCode::Successful, Vec::new(), Some(message.clone())))
        }
        // Kept: the instance that asked finds it in the archive when its wait ends.
        Err(()) => Some((StatusCode::OK, AckCode::Successful, Vec::new(), Some(message.clone()))),
    }
}

/// Takes a response another instance received and archived as `id` for us, if it answers a request of ours;
/// it is opened again (only what its signature covers is believed) and handed over as if it had come here.
pub async fn take_relayed(inbox: &Inbox, id: WireMessageId) {
    let Some(archived) = inbox.archive.message(id).await else { return };
    if archived.direction != WireDirection::Received || archived.refusal.is_some() {
        return;
    }
    let message = match inbox.envelope.open(&archived.body) {
        Ok(m) => m,
        Err(refused) => {
            tracing::warn!(%id, reason = %refused, "a relayed response does not open");
            return;
        }
    };
    match Key::of_response(&message) {
        // Another instance's own, or no one's: theirs to take.
        Some(key) if inbox.outstanding.knows(&key) => {
            hand_over(inbox, &key, message);
        }
        _ => {}
    }
}

/// Whether a body is a signed response that belongs where it was posted: its key and the message, or the refusal.
fn read(inbox: &Inbox, path_kind: &str, reference: &str, bytes: &[u8]) -> Result<(Key, Message), Box<Judged>> {
    let message = match inbox.envelope.open(bytes) {
        Ok(m) => m,
        Err(refused) => {
            tracing::warn!(path_kind, reason = %refused, "refused a callback");
            return Err(Box::new(refusal(
                StatusCode::BAD_REQUEST,
                AckCode::ValidationError,
                &refused.to_string(),
                None,
            )));
        }
    };
    let kind = message.kind();
    let expected_reference = message.ref_id().map(|r| format!("urn:referenceId:{r}"));
    if !kind.is_response() || path_kind != kind.as_str() || expected_reference.as_deref() != Some(reference) {
        let reason =
            format!("a {kind} for refId {:?} does not belong at /{path_kind}/1.0/{reference}", message.ref_id());
        tracing::warn!(%reason, "refused a callback");
        return Err(Box::new(refusal(StatusCode::BAD_REQUEST, AckCode::ValidationError, &reason, Some(&message))));
    }
    match Key::of_response(&message) {
        Some(key) => Ok((key, message)),
        None => Err(Box::new(refusal(StatusCode::BAD_REQUEST, AckCode::ValidationError, "no refId", Some(&message)))),
    }
}

/// Hands a response to its waiter (or the late sink); the refusal of a duplicate or of one nobody asked for.
fn hand_over(inbox: &Inbox, key: &Key, message: Message) -> Judged {
    let kind = message.kind();
    match inbox.outstanding.deliver(key, message.clone()) {
        Delivery::Delivered => {
            tracing::info!(%kind, ref_id = %key.ref_id, msg_id = ?key.msg_id, "response received");
            (StatusCode::OK, AckCode::Successful, Vec::new(), Some(message))
        }
        Delivery::Late(late) => {
            tracing::warn!(%kind, ref_id = %key.ref_id, msg_id = ?key.msg_id, "late response, handed to the late sink");
            inbox.late.late(*late);
            (StatusCode::OK, AckCode::Successful, Vec::new(), Some(message))
        }
        Delivery::Duplicate => {
            tracing::warn!(%kind, ref_id = %key.ref_id, msg_id = ?key.msg_id, "refused a duplicate response");
            refusal(
                StatusCode::CONFLICT,
                AckCode::DuplicateRequest,
                "this request was already answered",
                Some(&message),
            )
        }
        Delivery::Unknown => {
            tracing::warn!(%kind, ref_id = %key.ref_id, msg_id = ?key.msg_id, "refused a response to no request of ours");
            refusal(
                StatusCode::NOT_FOUND,
                AckCode::ValidationError,
                "no request of ours has this refId and msgId",
                Some(&message),
            )
        }
    }
}
