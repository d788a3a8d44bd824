//! The wire archive: every message exchanged with the BBPS network, kept exactly as it went over the wire, for
//! disputes and audits. The network adapter writes it (through the store); the worker forgets what is older
//! than the configured retention; operators read it with `bbps-server wire`.

use bbps_core::{RefId, Timestamp};

use crate::Engine;

bbps_core::wire_enum! {
    /// Which way a message went.
    pub enum WireDirection {
        Sent = "sent",
        Received = "received",
    }
}

/// An archived message's place in the archive (in the order messages were archived).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WireMessageId(pub i64);

impl std::fmt::Display for WireMessageId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// One message, as it was on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireMessage {
    pub at: Timestamp,
    pub direction: WireDirection,
    /// The message's name on the wire (its root element: `BillFetchRequest`, `Ack`…); [`UNREADABLE`] for a
    /// received body that could not be read far enough to tell.
    pub kind: String,
    pub ref_id: Option<RefId>,
    pub msg_id: Option<String>,
    /// Why a received message was refused (signature, shape, a response to nothing we asked); `None` when taken.
    pub refusal: Option<String>,
    /// The bytes exactly as sent or received, signature included.
    pub body: Vec<u8>,
}

/// The kind of a received body that could not be read.
pub const UNREADABLE: &str = "-";

/// Which archived messages to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireQuery {
    /// Only the messages of this refId (every message of one bill: fetch, payment, their Acks…).
    pub ref_id: Option<RefId>,
    /// The most recent this many, returned oldest first.
    pub limit: u32,
}

impl Engine {
    /// Forgets archived messages older than the retention; the worker calls it now and then.
    pub(crate) async fn prune_wire_archive(&self) {
        let retention = time::Duration::try_from(self.config.wire_retention).unwrap_or(time::Duration::MAX);
        let before = self.now().saturating_add(-retention);
        match self.store.prune_wire_messages(before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(forgotten = n, %before, "wire archive pruned"),
            Err(e) => tracing::error!(%e, "wire archive: pruning failed"),
        }
    }
}
