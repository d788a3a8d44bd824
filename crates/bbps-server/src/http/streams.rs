//! Caps on open event streams, per widget session and per client address: each stream holds a slot for as long
//! as it is open, so thousands of idle streams from one place are refused instead of exhausting the server.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use bbps_core::{ApiError, ErrorCode, SessionId};
use bbps_http::HttpError;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Holder {
    Session(SessionId),
    Address(IpAddr),
}

pub struct StreamSlots {
    per_session: usize,
    per_address: usize,
    open: Mutex<HashMap<Holder, usize>>,
}

/// One open stream's claim; released when dropped (the stream ended or its client left).
pub struct StreamSlot {
    slots: Arc<StreamSlots>,
    holders: [Holder; 2],
}

impl StreamSlots {
    pub fn new(per_session: usize, per_address: usize) -> Arc<StreamSlots> {
        Arc::new(StreamSlots { per_session, per_address, open: Mutex::new(HashMap::new()) })
    }

    /// A slot for a stream of `session` from `address`, unless either has all its streams open.
    pub fn claim(self: &Arc<Self>, session: &SessionId, address: IpAddr) -> Result<StreamSlot, HttpError> {
        let holders = [Holder::Session(session.clone()), Holder::Address(address)];
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let count = |h: &Holder| open.get(h).copied().unwrap_or(0);
        if count(&holders[0]) >= self.per_session || count(&holders[1]) >= self.per_address {
            return Err(HttpError(
                ApiError::new(ErrorCode::RateLimited, "too many open event streams; close one or poll the payment")
                    .with_retry_after(5),
            ));
        }
        for h in &holders {
            *open.entry(h.clone()).or_insert(0) += 1;
        }
        Ok(StreamSlot { slots: self.clone(), holders })
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.slots.open.lock().unwrap_or_else(|p| p.into_inner());
        for h in &self.holders {
            if let Some(n) = open.get_mut(h) {
                *n -= 1;
                if *n == 0 {
                    open.remove(h);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_capped_and_released() {
        let slots = StreamSlots::new(2, 3);
        let (a, b) = (SessionId::generate(&mut rand::rng()), SessionId::generate(&mut rand::rng()));
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let s1 = slots.claim(&a, ip).unwrap();
        let _s2 = slots.claim(&a, ip).unwrap();
        assert!(slots.claim(&a, ip).is_err(), "the session has all its streams");
        let _s3 = slots.claim(&b, ip).unwrap();
        assert!(slots.claim(&b, ip).is_err(), "the address has all its streams");
        drop(s1);
        assert!(slots.claim(&b, ip).is_ok(), "a closed stream frees its slot");
    }
}
