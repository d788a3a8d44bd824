//! Every message exchanged with the BBPCU, kept exactly as it was on the wire: in the store's wire archive (the
//! engine's port), and, when configured, one file per message in a directory too. Disputes are settled on these
//! bytes, so a received message is kept even when it is refused, with the reason.
//!
//! The archive is also where a payment finds the fetch response it must echo: kept in the store, that survives
//! a restart between the fetch and the payment.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bbps_core::{RefId, Timestamp};
use bbps_engine::ports::Store;
use bbps_engine::wire_archive::{UNREADABLE, WireDirection, WireMessage, WireMessageId, WireQuery};

use crate::codes::MessageKind;
use crate::message::Message;
use crate::xml;

/// The messages of one refId worth reading back: a bill's fetch, payment and status checks with their Acks.
const PER_REF_ID: u32 = 200;

pub struct Archive {
    store: Arc<dyn Store>,
    /// Also writes each message to a file here.
    dir: Option<PathBuf>,
    /// Orders the files of one millisecond.
    seq: AtomicU64,
}

fn now() -> Timestamp {
    Timestamp::from_offset_date_time(time::OffsetDateTime::now_utc())
}

/// The refId and msgId a message is filed under; an Ack is filed under those of the message it acknowledges.
fn filed_under(m: &Message) -> (Option<RefId>, Option<String>) {
    let ref_id = match m {
        Message::Ack(ack) => ack.ref_id.as_deref().and_then(|r| RefId::parse(r).ok()),
        other => other.ref_id().cloned(),
    };
    (ref_id, m.msg_id().map(ToString::to_string))
}

impl Archive {
    pub fn new(store: Arc<dyn Store>, dir: Option<PathBuf>) -> Archive {
        Archive { store, dir, seq: AtomicU64::new(0) }
    }

    /// `message`, sent as `body`.
    pub async fn sent(&self, message: &Message, body: &[u8]) {
        let (ref_id, msg_id) = filed_under(message);
        let kind = message.kind().as_str().to_owned();
        let at = now();
        self.keep(WireMessage {
            at,
            direction: WireDirection::Sent,
            kind,
            ref_id,
            msg_id,
            refusal: None,
            body: body.to_vec(),
        })
        .await;
    }

    /// `body` as received: `opened` is the message when its signature verified, `refusal` why it was not taken.
    /// Nothing in a body that did not open is believed, so only its kind is noted (the root it claims, or the name
    /// in the URL it came to). Its id in the store's archive, when the store kept it.
    pub async fn received(
        &self,
        body: &[u8],
        opened: Option<&Message>,
        refusal: Option<String>,
        claimed: Option<MessageKind>,
    ) -> Option<WireMessageId> {
        let (kind, ref_id, msg_id) = match opened {
            Some(m) => {
                let (ref_id, msg_id) = filed_under(m);
                (m.kind().as_str(), ref_id, msg_id)
            }
            None => {
                let kind = xml::screen(body).map(|s| s.kind).ok().or(claimed);
                (kind.map_or(UNREADABLE, MessageKind::as_str), None, None)
            }
        };
        let message = WireMessage {
            at: now(),
            direction: WireDirection::Received,
            kind: kind.to_owned(),
            ref_id,
            msg_id,
            refusal,
            body: body.to_vec(),
        };
        self.keep(message).await
    }

    /// Whether we (any instance on this store) sent a request of `kind` with this refId and msgId; `Err` when the
    /// archive cannot tell.
    pub async fn was_sent(&self, kind: MessageKind, ref_id: &RefId, msg_id: Option<&str>) -> Result<bool, ()> {
        self.store.wire_request_sent(kind.as_str(), ref_id, msg_id).await.map_err(|e| {
            tracing::warn!(%ref_id, ?msg_id, error = %e, "wire archive: cannot tell whether we sent this");
        })
    }

    /// Whether other instances share this archive and hear what is announced on it.
    pub fn shared(&self) -> bool {
        self.store.relays_wire_messages()
    }

    /// Tells the other instances on this store that message `id` was archived for them.
    pub async fn announce(&self, id: WireMessageId) -> Result<(), ()> {
        self.store.announce_wire_message(id).await.map_err(|e| tracing::warn!(%id, error = %e, "cannot announce"))
    }

    /// The body of the last message of `kind` received and taken for `ref_id` with `msg_id`.
    pub async fn taken(&self, ref_id: &RefId, msg_id: Option<&str>, kind: MessageKind) -> Option<Vec<u8>> {
        let query = WireQuery { ref_id: Some(ref_id.clone()), limit: PER_REF_ID };
        let messages = self
            .store
            .wire_messages(&query)
            .await
            .map_err(|e| tracing::warn!(%ref_id, error = %e, "wire archive: cannot read"))
            .ok()?;
        messages
            .into_iter()
            .rev()
            .find(|m| {
                m.direction == WireDirection::Received
                    && m.refusal.is_none()
                    && m.kind == kind.as_str()
                    && m.msg_id.as_deref() == msg_id
            })
            .map(|m| m.body)
    }

    /// The message archived as `id`.
    pub async fn message(&self, id: WireMessageId) -> Option<WireMessage> {
        self.store.wire_message(id).await.unwrap_or_else(|e| {
            tracing::warn!(%id, error = %e, "wire archive: cannot read");
            None
        })
    }

    /// The body of the last message of `kind` received and taken for `ref_id`.
    pub async fn last_received(&self, ref_id: &RefId, kind: MessageKind) -> Option<Vec<u8>> {
        let query = WireQuery { ref_id: Some(ref_id.clone()), limit: PER_REF_ID };
        let messages = match self.store.wire_messages(&query).await {
            Ok(m) => m,
            Err(e) => {
                tracing::warn!(%ref_id, error = %e, "wire archive: cannot read");
                return None;
            }
        };
        messages
            .into_iter()
            .rev()
            .find(|m| m.direction == WireDirection::Received && m.refusal.is_none() && m.kind == kind.as_str())
            .map(|m| m.body)
    }

    /// A failure to archive is logged loudly but stops nothing: the exchange itself is what moves money, and the
    /// store's own records of it stand.
    async fn keep(&self, message: WireMessage) -> Option<WireMessageId> {
        if let Some(dir) = &self.dir {
            let name = format!(
                "{}-{:06}-{}-{}-{}.xml",
                message.at.unix_millis(),
                self.seq.fetch_add(1, Ordering::Relaxed) % 1_000_000,
                message.direction,
                message.kind,
                message.ref_id.as_ref().map_or("none", RefId::as_str),
            );
            if let Err(e) = tokio::fs::write(dir.join(&name), &message.body).await {
                tracing::error!(file = %dir.join(&name).display(), error = %e, "wire archive: cannot write the file");
            }
        }
        self.store
            .archive_wire_message(&message)
            .await
            .map_err(|e| {
                tracing::error!(kind = %message.kind, ref_id = ?message.ref_id, error = %e, "wire archive: cannot store")
            })
            .ok()
    }
}
