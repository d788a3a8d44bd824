//! The engine's settings: how long things may take and how often they are retried. The server fills them from
//! its configuration.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// How long a UPI link stays payable.
    pub payment_expiry: Duration,
    /// How long a fetched bill may be paid.
    pub quote_ttl: Duration,
    /// Longest wait for a bill fetch or validation from the network.
    pub fetch_timeout: Duration,
    /// Longest wait for any other network or PSP call.
    pub provider_timeout: Duration,
    /// Longest wait for the network's biller master data (the whole catalogue at start).
    pub catalogue_timeout: Duration,
    /// How often a pending bill payment's status is asked for.
    pub bill_status_poll: Duration,
    /// The worker's periodic wake-up; every transition also wakes it at once.
    pub worker_tick: Duration,
    pub retries: RetryPolicy,
    /// How long after a link is issued, and how often after that, the PSP is asked about it when no notification
    /// has come.
    pub notification_overdue: Duration,
    /// How long after a payment's final state the PSP is still asked about its link, for debits that come late.
    pub reconcile_window: Duration,
    /// Refund requests that may fail before the refund is escalated to people.
    pub refund_escalate_after: u32,
    /// How long a refund the PSP makes of its own accord may stay unconfirmed before it is escalated.
    pub psp_refund_wait: Duration,
    /// How long the messages exchanged with the BBPS network are kept in the wire archive.
    pub wire_retention: Duration,
    /// How long a worker's claim on a payment, refund or webhook lasts if it never releases it (it died): longer
    /// than any one step takes.
    pub lease: Duration,
    /// The rules of the one-time codes that let a customer list their payments by mobile number.
    pub otp: crate::codes::OtpPolicy,
}

/// When failed webhook deliveries and refunds are tried again.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Delay before the second attempt; each later delay doubles, up to `max_delay`.
    pub backoff_base: Duration,
    pub max_delay: Duration,
    /// Webhook attempts before a delivery is given up (refunds are never given up).
    pub max_webhook_attempts: u32,
}

impl RetryPolicy {
    /// The wait before attempt `n + 1` after `n` failed attempts: base, 2×base, 4×base… up to `max_delay`.
    pub fn backoff(&self, failed_attempts: u32) -> Duration {
        let factor = 2u32.saturating_pow(failed_attempts.saturating_sub(1));
        self.backoff_base.saturating_mul(factor).min(self.max_delay)
    }
}

impl Default for EngineConfig {
    fn default() -> EngineConfig {
        EngineConfig {
            payment_expiry: Duration::from_secs(10 * 60),
            quote_ttl: Duration::from_secs(20 * 60),
            fetch_timeout: Duration::from_secs(8),
            provider_timeout: Duration::from_secs(15),
            catalogue_timeout: Duration::from_secs(300),
            bill_status_poll: Duration::from_secs(2),
            worker_tick: Duration::from_secs(1),
            retries: RetryPolicy {
                backoff_base: Duration::from_secs(10),
                max_delay: Duration::from_secs(8 * 60 * 60),
                max_webhook_attempts: 20,
            },
            notification_overdue: Duration::from_secs(60),
            reconcile_window: Duration::from_secs(48 * 3600),
            refund_escalate_after: 8,
            // Refunds the PSP makes of its own accord go out with its next settlement: a business day or so.
            psp_refund_wait: Duration::from_secs(3 * 24 * 3600),
            // Long enough for a complaint raised late and its dispute to be settled.
            wire_retention: Duration::from_secs(180 * 24 * 3600),
            lease: Duration::from_secs(120),
            otp: crate::codes::OtpPolicy::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let c = RetryPolicy {
            backoff_base: Duration::from_secs(10),
            max_delay: Duration::from_secs(60),
            max_webhook_attempts: 5,
        };
        let delays: Vec<u64> = (1..=5).map(|n| c.backoff(n).as_secs()).collect();
        assert_eq!(delays, vec![10, 20, 40, 60, 60]);
    }
}
