//! Where the customer is: one screen at a time.

use bbps_core::ErrorCode;

/// Why the widget cannot start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FatalReason {
    /// No publishable key was given.
    NoKey,
    /// The server refused the key or the embedding origin.
    Refused(ErrorCode),
    /// The page framing the widget is not the one its configuration names (`parent`).
    ParentMismatch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Starting: the session is being opened (or a payment resumed).
    Loading,
    Categories,
    Billers,
    Form,
    /// A prepaid biller's plans to choose from.
    Plans,
    /// The fetched bill, or the reason there is none.
    Bill,
    Amount,
    /// The payment from the UPI link to its result, drawn from the server's status.
    Payment,
    Track,
    Complaint,
    ComplaintStatus,
    /// The widget cannot work with this configuration (no key, a refused key or origin).
    Fatal(FatalReason),
}

impl Step {
    /// A stable name for host-page events and `data-step`.
    pub fn name(self) -> &'static str {
        match self {
            Step::Loading => "loading",
            Step::Categories => "categories",
            Step::Billers => "billers",
            Step::Form => "customer_details",
            Step::Plans => "plans",
            Step::Bill => "bill",
            Step::Amount => "confirm",
            Step::Payment => "payment",
            Step::Track => "track_payment",
            Step::Complaint => "raise_complaint",
            Step::ComplaintStatus => "track_complaint",
            Step::Fatal(_) => "error",
        }
    }

    /// The screens reached from the help links, which return where they were opened from.
    pub fn is_side(self) -> bool {
        matches!(self, Step::Track | Step::Complaint | Step::ComplaintStatus)
    }
}
