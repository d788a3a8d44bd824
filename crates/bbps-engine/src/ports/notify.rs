//! What leaves the engine towards people waiting on a payment: the status notifier (the widget's event stream)
//! and the transport that carries a signed webhook to a merchant's endpoint.

use async_trait::async_trait;
use bbps_core::api::Payment;

/// Told of every persisted change of a payment, after it is written. Best effort: a listener that misses one
/// reads the stored payment instead.
pub trait StatusNotifier: Send + Sync {
    fn payment_changed(&self, payment: Payment);
}

/// How a merchant's endpoint answered one webhook delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookAnswer {
    /// The endpoint answered with this HTTP status.
    Status(u16),
    /// It did not answer: why (refused, timed out, unreachable).
    NoAnswer(String),
}

/// Delivers one webhook: `body` POSTed to `url` with the signature header. The engine decides what the answer
/// means and when to try again.
#[async_trait]
pub trait WebhookTransport: Send + Sync {
    async fn deliver(&self, url: &str, signature: &str, body: &str) -> WebhookAnswer;
}
