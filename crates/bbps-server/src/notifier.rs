//! The push channel's hub: the engine reports every persisted payment change here, and each SSE stream follows
//! its own payment's channel, so a change wakes only the streams of that payment. A channel holds only the
//! latest state (a slow stream skips to it; there is no queue to overflow).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bbps_core::PaymentId;
use bbps_core::api::Payment;
use bbps_engine::ports::StatusNotifier;
use tokio::sync::watch;

type Latest = Option<Arc<Payment>>;

#[derive(Default)]
pub struct EventHub {
    channels: Mutex<HashMap<PaymentId, watch::Sender<Latest>>>,
}

impl EventHub {
    /// The changes of `id` from now on (`None` until the first one).
    pub fn subscribe(&self, id: &PaymentId) -> watch::Receiver<Latest> {
        let mut channels = self.channels.lock().unwrap_or_else(|p| p.into_inner());
        channels.entry(id.clone()).or_insert_with(|| watch::channel(None).0).subscribe()
    }

    /// Whether any stream follows `id` now.
    pub fn is_followed(&self, id: &PaymentId) -> bool {
        self.channels.lock().unwrap_or_else(|p| p.into_inner()).get(id).is_some_and(|tx| tx.receiver_count() > 0)
    }

    /// Forgets the channels nobody follows any more.
    pub fn prune(&self) {
        self.channels.lock().unwrap_or_else(|p| p.into_inner()).retain(|_, tx| tx.receiver_count() > 0);
    }

    #[cfg(test)]
    fn channel_count(&self) -> usize {
        self.channels.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

impl StatusNotifier for EventHub {
    fn payment_changed(&self, payment: Payment) {
        let mut channels = self.channels.lock().unwrap_or_else(|p| p.into_inner());
        // Nobody follows it: nothing to do (polling is the fallback, and a new stream reads the store first).
        if let Some(tx) = channels.get(&payment.id) {
            if tx.receiver_count() == 0 {
                channels.remove(&payment.id);
            } else {
                // The same state heard twice (from this instance and through the database) wakes nobody twice.
                tx.send_if_modified(|latest| {
                    if latest.as_deref() == Some(&payment) {
                        return false;
                    }
                    *latest = Some(Arc::new(payment));
                    true
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_reaches_only_its_payments_followers() {
        let hub = EventHub::default();
        let a: Payment = serde_json::from_value(serde_json::json!({
            "id": "pay_aaaaaaaaaaaaaaaaaaaaaaaa", "status": "paid", "ref_id": "AAAAAAAAAAAAAAAAAAAAAAAAAAA63241000",
            "biller_id": "MAHAR0000MAH02", "biller_name": "M", "charges": { "bill_amount": 1, "convenience_fee": 0, "total": 1 },
            "customer_mobile": "9876543210", "channel": "INT", "upi": null, "receipt": null, "failure": null,
            "refund": null, "created_at": "2026-11-20T10:00:00+05:30", "updated_at": "2026-11-20T10:00:00+05:30"
        }))
        .expect("payment");
        let other = PaymentId::parse("pay_bbbbbbbbbbbbbbbbbbbbbbbb").expect("id");
        let rx_a = hub.subscribe(&a.id);
        let rx_b = hub.subscribe(&other);
        hub.payment_changed(a.clone());
        assert!(rx_a.has_changed().expect("open"));
        assert!(!rx_b.has_changed().expect("open"), "another payment's stream is not woken");
        assert_eq!(rx_a.borrow().as_deref(), Some(&a));
        drop((rx_a, rx_b));
        hub.prune();
        assert_eq!(hub.channel_count(), 0);
    }
}
