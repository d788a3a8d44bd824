//! The push channel's hub: the engine reports every persisted payment change here, and each SSE stream
//! forwards the changes of its payment.

use std::sync::Arc;

use bbps_core::api::Payment;
use bbps_engine::ports::StatusNotifier;
use tokio::sync::broadcast;

pub struct EventHub {
    tx: broadcast::Sender<Arc<Payment>>,
}

impl Default for EventHub {
    fn default() -> EventHub {
        // Slow subscribers that fall this far behind reload the payment instead (see the SSE route).
        let (tx, _) = broadcast::channel(1024);
        EventHub { tx }
    }
}

impl EventHub {
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Payment>> {
        self.tx.subscribe()
    }
}

impl StatusNotifier for EventHub {
    fn payment_changed(&self, payment: Payment) {
        // No subscriber is fine: polling is the fallback.
        let _ = self.tx.send(Arc::new(payment));
    }
}
