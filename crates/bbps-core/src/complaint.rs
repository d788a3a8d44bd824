//! BBPS complaints and disputes: transaction-based (against a BBPS transaction) and service-based (against an
//! agent or a biller), the dispute codes, and the statuses a complaint moves through.

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;

crate::wire_enum! {
    /// Dispute codes of a transaction-based complaint.
    pub enum Disposition {
        /// Amount debited but service not received.
        D11 = "D11",
        /// Service disconnected.
        D12 = "D12",
        /// Late payment surcharge added.
        D13 = "D13",
        /// Paid to the wrong account.
        D21 = "D21",
        /// Duplicate payment.
        D22 = "D22",
        /// Wrong amount paid.
        D23 = "D23",
        /// Payment information not received by the biller, or delayed.
        D31 = "D31",
        /// Bill paid but still showing due.
        D32 = "D32",
    }
}

impl Disposition {
    pub fn description(self) -> &'static str {
        match self {
            Disposition::D11 => "Amount debited but service not received",
            Disposition::D12 => "Service disconnected",
            Disposition::D13 => "Late payment surcharge added",
            Disposition::D21 => "Paid to the wrong account",
            Disposition::D22 => "Duplicate payment",
            Disposition::D23 => "Wrong amount paid",
            Disposition::D31 => "Payment not received by the biller, or delayed",
            Disposition::D32 => "Bill paid but still showing due",
        }
    }

    /// Under the harmonised rules the disposition decides the ticket: money or service the customer did not get
    /// (D1x, D2x) is a dispute, information the biller did not get or act on (D3x) is a complaint.
    pub fn ticket_type(self) -> TicketType {
        match self {
            Disposition::D11
            | Disposition::D12
            | Disposition::D13
            | Disposition::D21
            | Disposition::D22
            | Disposition::D23 => TicketType::Dispute,
            Disposition::D31 | Disposition::D32 => TicketType::Complaint,
        }
    }

    /// When a complaint with this disposition about a transaction of a biller in `category`, made at
    /// `transacted_at`, may first be raised. Only "service not received" (D11) waits, for the biller to deliver:
    /// not at all where the service comes at once (FASTag, DTH, mobile prepaid), 24 hours elsewhere.
    pub fn raisable_from(self, category: &str, transacted_at: Timestamp) -> Timestamp {
        let immediate = ["FASTag", "DTH", "Mobile Prepaid"].iter().any(|c| c.eq_ignore_ascii_case(category.trim()));
        if self != Disposition::D11 || immediate {
            return transacted_at;
        }
        transacted_at.saturating_add(SERVICE_COOLING_PERIOD)
    }
}

/// How long a "service not received" complaint waits after its transaction, outside the categories served at once.
pub const SERVICE_COOLING_PERIOD: time::Duration = time::Duration::hours(24);

crate::wire_enum! {
    /// What kind of ticket a complaint is, which decides how long the network gives to resolve it.
    pub enum TicketType {
        /// The customer says money moved but the service, or the right amount, did not: may end in a refund.
        Dispute = "dispute",
        /// The biller did not get or act on the payment's information, or a service-based complaint.
        Complaint = "complaint",
    }
}

impl TicketType {
    /// The turnaround time (TAT) a ticket of this type is to be resolved in, counted from when it is raised.
    ///
    /// The public sources name the TAT date of a ticket but not the number of days per type, so these are this
    /// product's commitment to the customer: a dispute, where money may be owed, gets the shorter time. A date the
    /// network gives for a ticket takes precedence.
    pub fn turnaround(self) -> time::Duration {
        match self {
            TicketType::Dispute => time::Duration::days(5),
            TicketType::Complaint => time::Duration::days(7),
        }
    }

    /// The date (in IST) a ticket raised at `raised_at` is due to be resolved by, to the end of that day: a TAT is
    /// a date, not an instant.
    pub fn resolve_by(self, raised_at: Timestamp) -> time::Date {
        raised_at.saturating_add(self.turnaround()).ist_date()
    }
}

/// How long after a ticket is closed the customer may reopen it, once. The sources name the reopen flag but not
/// its window; 30 days matches the time a customer is given to escalate before going to the RBI ombudsman.
pub const REOPEN_WINDOW: time::Duration = time::Duration::days(30);

/// What a service-based complaint is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ServiceTarget {
    Biller {
        biller_id: crate::ids::BillerId,
    },
    /// A BBPS agent (a collection point or an online agent institution) by its agent id.
    Agent {
        agent_id: crate::ids::AgentId,
    },
}

crate::wire_enum! {
    /// Reasons of a service-based complaint.
    pub enum ServiceReason {
        AgentOvercharging = "agent_overcharging",
        AgentMisbehaviour = "agent_misbehaviour",
        AgentNotIssuingReceipt = "agent_not_issuing_receipt",
        AgentOutletClosed = "agent_outlet_closed",
        AgentRefusingComplaint = "agent_refusing_complaint",
        BillerServiceNotProvided = "biller_service_not_provided",
        BillerWrongBill = "biller_wrong_bill",
        BillerPaymentNotUpdated = "biller_payment_not_updated",
        BillerUnreachable = "biller_unreachable",
    }
}

impl ServiceReason {
    /// Whether the reason is about an agent (otherwise about a biller).
    pub fn is_agent_reason(self) -> bool {
        matches!(
            self,
            ServiceReason::AgentOvercharging
                | ServiceReason::AgentMisbehaviour
                | ServiceReason::AgentNotIssuingReceipt
                | ServiceReason::AgentOutletClosed
                | ServiceReason::AgentRefusingComplaint
        )
    }

    pub fn description(self) -> &'static str {
        match self {
            ServiceReason::AgentOvercharging => "Agent charged more than the bill",
            ServiceReason::AgentMisbehaviour => "Agent misbehaved",
            ServiceReason::AgentNotIssuingReceipt => "Agent did not give a receipt",
            ServiceReason::AgentOutletClosed => "Agent outlet closed",
            ServiceReason::AgentRefusingComplaint => "Agent refused to register a complaint",
            ServiceReason::BillerServiceNotProvided => "Biller is not providing the service",
            ServiceReason::BillerWrongBill => "Biller sent a wrong bill",
            ServiceReason::BillerPaymentNotUpdated => "Biller has not updated my payment",
            ServiceReason::BillerUnreachable => "Biller cannot be reached",
        }
    }
}

crate::wire_enum! {
    pub enum ComplaintStatus {
        Logged = "logged",
        Assigned = "assigned",
        PendingWithBbpou = "pending_with_bbpou",
        Reassigned = "reassigned",
        Escalated = "escalated",
        /// Accepted: the refund is on its way.
        PendingRefund = "pending_refund",
        /// Closed in the customer's favour.
        Resolved = "resolved",
        /// Closed in the customer's favour by the network because nobody acted within the TAT.
        DefaultResolved = "default_resolved",
        /// Closed: the refund reached the customer.
        Refunded = "refunded",
        /// Closed against the customer by the biller's or the agent's side, with their remarks.
        Rejected = "rejected",
    }
}

impl ComplaintStatus {
    pub fn is_open(self) -> bool {
        match self {
            ComplaintStatus::Logged
            | ComplaintStatus::Assigned
            | ComplaintStatus::PendingWithBbpou
            | ComplaintStatus::Reassigned
            | ComplaintStatus::Escalated
            | ComplaintStatus::PendingRefund => true,
            ComplaintStatus::Resolved
            | ComplaintStatus::DefaultResolved
            | ComplaintStatus::Refunded
            | ComplaintStatus::Rejected => false,
        }
    }
}

/// Longest free-text description a complaint accepts.
pub const MAX_DESCRIPTION_CHARS: usize = 500;

/// A description must say something and stay within [`MAX_DESCRIPTION_CHARS`] printable characters.
pub fn description_is_valid(s: &str) -> bool {
    let trimmed = s.trim();
    let n = trimmed.chars().count();
    (3..=MAX_DESCRIPTION_CHARS).contains(&n) && !trimmed.chars().any(|c| c.is_control() && c != '\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_not_received_waits_a_day_except_where_service_is_immediate() {
        let paid = Timestamp::parse("2026-12-02T10:00:00+05:30").unwrap_or_else(|| unreachable!());
        let next_day = Timestamp::parse("2026-12-03T10:00:00+05:30").unwrap_or_else(|| unreachable!());
        assert_eq!(Disposition::D11.raisable_from("Electricity", paid), next_day);
        assert_eq!(Disposition::D11.raisable_from("Water", paid), next_day);
        for immediate in ["Fastag", "FASTag", "DTH", "Mobile Prepaid", " mobile prepaid "] {
            assert_eq!(Disposition::D11.raisable_from(immediate, paid), paid, "{immediate}");
        }
        for other in <Disposition as crate::wire::WireEnum>::ALL.iter().copied().filter(|d| *d != Disposition::D11) {
            assert_eq!(other.raisable_from("Electricity", paid), paid, "{other:?} does not wait");
        }
    }

    #[test]
    fn dispositions_serialize_as_their_codes() {
        for d in Disposition::ALL {
            assert_eq!(serde_json::to_string(d).unwrap(), format!("\"{}\"", d.as_str()));
        }
    }

    #[test]
    fn statuses_round_trip() {
        for s in ComplaintStatus::ALL {
            assert_eq!(ComplaintStatus::parse(s.as_str()), Ok(*s));
        }
        assert!(!ComplaintStatus::Resolved.is_open());
        assert!(!ComplaintStatus::Rejected.is_open());
        assert!(ComplaintStatus::PendingRefund.is_open(), "a refund on its way is not the end");
    }

    #[test]
    fn the_disposition_decides_dispute_or_complaint_and_its_tat_date() {
        use Disposition::*;
        for d in [D11, D12, D13, D21, D22, D23] {
            assert_eq!(d.ticket_type(), TicketType::Dispute, "{d:?}");
        }
        for d in [D31, D32] {
            assert_eq!(d.ticket_type(), TicketType::Complaint, "{d:?}");
        }
        let raised = Timestamp::parse("2026-12-02T23:30:00+05:30").unwrap_or_else(|| unreachable!());
        assert_eq!(TicketType::Dispute.resolve_by(raised), time::macros::date!(2026 - 12 - 07));
        assert_eq!(TicketType::Complaint.resolve_by(raised), time::macros::date!(2026 - 12 - 09));
    }

    #[test]
    fn descriptions() {
        assert!(description_is_valid("Paid twice for the same bill"));
        assert!(!description_is_valid("  "));
        assert!(!description_is_valid(&"x".repeat(501)));
        assert!(!description_is_valid("bad\u{7}bell"));
    }
}
