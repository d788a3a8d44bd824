//! The payment lifecycle: states and the transitions allowed between them. The server persists every transition
//! before acting on it; the widget shows the same states.
//!
//! ```text
//! created -> awaiting_payment -> paid -> bill_payment_pending -> completed
//!    |            |                 |            |
//!    |            |                 |            +-> bill_payment_failed -> refund_pending -> refunded
//!    |            |                 +-> refund_pending (amount paid did not match)
//!    |            +-> expired -> refund_pending (the payer paid after expiry)
//!    |            +-> payment_failed
//!    +-> expired (the PSP's link never came, so nobody could pay)
//! ```

crate::wire_enum! {
    pub enum PaymentStatus {
        Created = "created",
        /// The UPI link and QR are issued; waiting for the payer's app.
        AwaitingPayment = "awaiting_payment",
        /// The PSP confirmed the UPI debit (verified callback or status query) for the right amount.
        Paid = "paid",
        /// The bill payment was sent to BBPS (or is deemed and settling).
        BillPaymentPending = "bill_payment_pending",
        /// BBPS confirmed the bill payment: a receipt exists.
        Completed = "completed",
        /// BBPS refused the bill payment after the UPI debit: the money must go back.
        BillPaymentFailed = "bill_payment_failed",
        /// A refund was requested from the PSP and has not settled.
        RefundPending = "refund_pending",
        Refunded = "refunded",
        /// Nobody paid before the link expired.
        Expired = "expired",
        /// The payer declined or the UPI debit failed.
        PaymentFailed = "payment_failed",
    }
}

impl PaymentStatus {
    /// No further transition will happen by itself. `expired` is terminal for the customer, but a late UPI
    /// debit still moves it to a refund.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            PaymentStatus::Completed | PaymentStatus::Refunded | PaymentStatus::Expired | PaymentStatus::PaymentFailed
        )
    }

    /// The customer's money has left their account and not come back yet.
    pub fn holds_customer_money(self) -> bool {
        matches!(
            self,
            PaymentStatus::Paid
                | PaymentStatus::BillPaymentPending
                | PaymentStatus::BillPaymentFailed
                | PaymentStatus::RefundPending
        )
    }

    pub fn can_transition_to(self, next: PaymentStatus) -> bool {
        use PaymentStatus::*;
        matches!(
            (self, next),
            (Created, AwaitingPayment)
                | (Created, Expired)
                | (AwaitingPayment, Paid)
                | (AwaitingPayment, Expired)
                | (AwaitingPayment, PaymentFailed)
                | (AwaitingPayment, RefundPending)
                | (Expired, RefundPending)
                | (PaymentFailed, RefundPending)
                | (Paid, BillPaymentPending)
                | (BillPaymentPending, Completed)
                | (BillPaymentPending, BillPaymentFailed)
                | (BillPaymentFailed, RefundPending)
                | (RefundPending, Refunded)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in PaymentStatus::ALL {
            assert_eq!(PaymentStatus::parse(s.as_str()), Ok(*s));
            assert_eq!(serde_json::to_string(s).unwrap(), format!("\"{}\"", s.as_str()));
        }
    }

    #[test]
    fn completed_and_refunded_are_final() {
        for &next in PaymentStatus::ALL {
            assert!(!PaymentStatus::Completed.can_transition_to(next));
            assert!(!PaymentStatus::Refunded.can_transition_to(next));
        }
    }

    #[test]
    fn money_is_never_stranded() {
        // Every state holding the customer's money has a way forward that ends with the money placed.
        for s in PaymentStatus::ALL.iter().copied().filter(|s| s.holds_customer_money()) {
            assert!(
                PaymentStatus::ALL.iter().copied().any(|n| s.can_transition_to(n)),
                "{s:?} must be able to move on"
            );
        }
        assert!(PaymentStatus::BillPaymentFailed.can_transition_to(PaymentStatus::RefundPending));
        assert!(PaymentStatus::Expired.can_transition_to(PaymentStatus::RefundPending));
        assert!(!PaymentStatus::Paid.can_transition_to(PaymentStatus::Expired));
    }
}
