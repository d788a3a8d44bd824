//! The requests waiting for their responses. A response is matched to its request by the response kind, refId and
//! msgId (the kinds without a `Txn` have no msgId and match by refId alone). A request is remembered for a while
//! after it was answered or timed out, which is how a late response is told from a duplicate, and both from a
//! response to a request we never sent. A request answered in parts (the biller master data) listens for every
//! part until it has them all.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bbps_core::RefId;
use tokio::sync::{mpsc, oneshot};

use crate::codes::MessageKind;
use crate::ids::MsgId;
use crate::message::Message;

/// What identifies the response to one request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub kind: MessageKind,
    pub ref_id: RefId,
    pub msg_id: Option<MsgId>,
}

impl Key {
    /// The key of the response that answers `request`; `None` for a message that is not a request.
    pub fn answering(request: &Message) -> Option<Key> {
        Some(Key {
            kind: request.kind().response()?,
            ref_id: request.ref_id()?.clone(),
            msg_id: request.msg_id().cloned(),
        })
    }

    /// The key a response carries.
    pub fn of_response(response: &Message) -> Option<Key> {
        Some(Key { kind: response.kind(), ref_id: response.ref_id()?.clone(), msg_id: response.msg_id().cloned() })
    }
}

enum Slot {
    Waiting(oneshot::Sender<Message>),
    /// Takes every response for the key until its listener stops.
    Listening(mpsc::UnboundedSender<Message>),
    /// The caller stopped waiting; a response now is late.
    Expired,
    Answered,
}

impl Slot {
    /// Whether a call is still waiting for responses on it.
    fn is_open(&self) -> bool {
        matches!(self, Slot::Waiting(_) | Slot::Listening(_))
    }
}

struct Entry {
    slot: Slot,
    since: Instant,
}

/// What became of a received response.
#[derive(Debug)]
pub enum Delivery {
    /// Handed to the waiting call.
    Delivered,
    /// Its call had given up: handed back for the late sink.
    Late(Box<Message>),
    /// Its request was already answered.
    Duplicate,
    /// No request we remember asked for it.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a request with the same refId and msgId is already waiting")]
pub struct AlreadyWaiting;

struct State {
    entries: HashMap<Key, Entry>,
    pruned: Instant,
}

pub struct Outstanding {
    state: Mutex<State>,
    retention: Duration,
}

impl Outstanding {
    pub fn new(retention: Duration) -> Arc<Outstanding> {
        Arc::new(Outstanding {
            state: Mutex::new(State { entries: HashMap::new(), pruned: Instant::now() }),
            retention,
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic elsewhere while holding the lock leaves the map consistent (every change is one insert).
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers a request before it is sent (its response may arrive before its Ack does).
    pub fn expect(self: &Arc<Self>, key: Key) -> Result<Waiter, AlreadyWaiting> {
        let (tx, rx) = oneshot::channel();
        self.register(key.clone(), Slot::Waiting(tx))?;
        Ok(Waiter { rx, key, registry: Arc::clone(self) })
    }

    /// Registers a request answered in parts: every response for its key reaches the listener until it is dropped.
    pub fn listen(self: &Arc<Self>, key: Key) -> Result<Listener, AlreadyWaiting> {
        // Unbounded: the parts of one answer, each signed by the counterparty, which chose how many there are.
        let (tx, rx) = mpsc::unbounded_channel();
        self.register(key.clone(), Slot::Listening(tx))?;
        Ok(Listener { rx, key, registry: Arc::clone(self) })
    }

    fn register(&self, key: Key, slot: Slot) -> Result<(), AlreadyWaiting> {
        let mut state = self.state();
        let now = Instant::now();
        // Forgetting old requests is a scan of the map, so at most once a second.
        if now.duration_since(state.pruned) >= Duration::from_secs(1) {
            let retention = self.retention;
            state.entries.retain(|_, e| e.slot.is_open() || now.duration_since(e.since) < retention);
            state.pruned = now;
        }
        let entries = &mut state.entries;
        if entries.get(&key).is_some_and(|e| e.slot.is_open()) {
            return Err(AlreadyWaiting);
        }
        entries.insert(key, Entry { slot, since: now });
        Ok(())
    }

    /// Whether a response for `key` would be taken now (by its waiter, its listener or the late sink) rather than
    /// refused as a duplicate or unknown.
    pub fn awaits(&self, key: &Key) -> bool {
        let state = self.state();
        state.entries.get(key).is_some_and(|e| {
            !matches!(e.slot, Slot::Answered)
                && (e.slot.is_open() || Instant::now().duration_since(e.since) < self.retention)
        })
    }

    /// Whether this process sent the request `key` answers (and still remembers it).
    pub fn knows(&self, key: &Key) -> bool {
        self.state().entries.contains_key(key)
    }

    pub fn deliver(&self, key: &Key, message: Message) -> Delivery {
        let mut state = self.state();
        let Some(entry) = state.entries.get_mut(key) else { return Delivery::Unknown };
        if Instant::now().duration_since(entry.since) >= self.retention && !entry.slot.is_open() {
            return Delivery::Unknown;
        }
        let slot = std::mem::replace(&mut entry.slot, Slot::Answered);
        entry.since = Instant::now();
        match slot {
            // The waiter may have given up between its timeout and this lookup: then the response is late.
            Slot::Waiting(tx) => match tx.send(message) {
                Ok(()) => Delivery::Delivered,
                Err(message) => Delivery::Late(Box::new(message)),
            },
            Slot::Listening(tx) => match tx.send(message) {
                Ok(()) => {
                    entry.slot = Slot::Listening(tx);
                    Delivery::Delivered
                }
                Err(e) => Delivery::Late(Box::new(e.0)),
            },
            Slot::Expired => Delivery::Late(Box::new(message)),
            Slot::Answered => Delivery::Duplicate,
        }
    }

    fn give_up(&self, key: &Key) {
        if let Some(entry) = self.state().entries.get_mut(key).filter(|e| e.slot.is_open()) {
            entry.slot = Slot::Expired;
            entry.since = Instant::now();
        }
    }
}

/// One call waiting for its response. Dropping it (the call timed out or was cancelled) makes a later response
/// late rather than unknown.
pub struct Waiter {
    rx: oneshot::Receiver<Message>,
    key: Key,
    registry: Arc<Outstanding>,
}

impl Waiter {
    /// The response, or `None` when none came within `limit`.
    pub async fn wait(mut self, limit: Duration) -> Option<Message> {
        tokio::time::timeout(limit, &mut self.rx).await.ok().and_then(Result::ok)
    }
}

impl Drop for Waiter {
    fn drop(&mut self) {
        self.registry.give_up(&self.key);
    }
}

/// One call listening for the parts of its answer. Dropping it makes later parts late.
pub struct Listener {
    rx: mpsc::UnboundedReceiver<Message>,
    key: Key,
    registry: Arc<Outstanding>,
}

impl Listener {
    /// The next response, or `None` when none came before `deadline`.
    pub async fn next(&mut self, deadline: tokio::time::Instant) -> Option<Message> {
        tokio::time::timeout_at(deadline, self.rx.recv()).await.ok().flatten()
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.registry.give_up(&self.key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::{Head, ReqDiagnostic, ResDiagnostic};
    use crate::time::WireTime;

    fn diagnostic(ref_id: &RefId) -> (Message, Message) {
        let head = Head {
            ver: "1.0".into(),
            ts: WireTime::parse("2026-11-25T14:16:28+05:30").unwrap(),
            orig_inst: crate::ids::InstitutionId::parse("AI01").unwrap(),
            ref_id: ref_id.clone(),
        };
        (
            Message::ReqDiagnostic(ReqDiagnostic { head: head.clone() }),
            Message::ResDiagnostic(ResDiagnostic { head, errors: vec![] }),
        )
    }

    fn ref_id(c: char) -> RefId {
        RefId::parse(&format!("{}60330140", c.to_string().repeat(27))).unwrap()
    }

    #[tokio::test]
    async fn delivers_then_refuses_duplicates_and_unknowns() {
        let registry = Outstanding::new(Duration::from_secs(60));
        let (req, resp) = diagnostic(&ref_id('A'));
        let key = Key::answering(&req).unwrap();
        assert_eq!(Key::of_response(&resp), Some(key.clone()));
        let waiter = registry.expect(key.clone()).unwrap();
        assert!(registry.expect(key.clone()).is_err(), "one waiter per key");
        assert!(matches!(registry.deliver(&key, resp.clone()), Delivery::Delivered));
        assert_eq!(waiter.wait(Duration::from_secs(1)).await, Some(resp.clone()));
        assert!(matches!(registry.deliver(&key, resp.clone()), Delivery::Duplicate));
        let (_, other) = diagnostic(&ref_id('B'));
        assert!(matches!(registry.deliver(&Key::of_response(&other).unwrap(), other), Delivery::Unknown));
    }

    #[tokio::test]
    async fn a_response_after_the_timeout_is_late_and_forgotten_after_the_retention() {
        let registry = Outstanding::new(Duration::from_millis(200));
        let (req, resp) = diagnostic(&ref_id('C'));
        let key = Key::answering(&req).unwrap();
        assert_eq!(registry.expect(key.clone()).unwrap().wait(Duration::from_millis(10)).await, None);
        assert!(matches!(registry.deliver(&key, resp.clone()), Delivery::Late(_)));
        assert!(matches!(registry.deliver(&key, resp.clone()), Delivery::Duplicate));
        let (req2, resp2) = diagnostic(&ref_id('D'));
        let key2 = Key::answering(&req2).unwrap();
        drop(registry.expect(key2.clone()).unwrap());
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert!(matches!(registry.deliver(&key2, resp2), Delivery::Unknown));
    }

    #[tokio::test]
    async fn a_listener_takes_every_part_until_it_stops() {
        let registry = Outstanding::new(Duration::from_secs(60));
        let (req, resp) = diagnostic(&ref_id('E'));
        let key = Key::answering(&req).unwrap();
        let mut listener = registry.listen(key.clone()).unwrap();
        assert!(registry.expect(key.clone()).is_err(), "one call per key");
        for _ in 0..3 {
            assert!(matches!(registry.deliver(&key, resp.clone()), Delivery::Delivered));
        }
        let deadline = tokio::time::Instant::now() + Duration::from_secs(1);
        for _ in 0..3 {
            assert_eq!(listener.next(deadline).await, Some(resp.clone()));
        }
        assert_eq!(listener.next(tokio::time::Instant::now() + Duration::from_millis(10)).await, None);
        drop(listener);
        assert!(matches!(registry.deliver(&key, resp), Delivery::Late(_)), "a part after the call stopped is late");
    }
}
