//! What each value of the domain is called: an exhaustive map from every server error code, payment and complaint
//! status, failure, refund reason and dispute code to its key, so a new value does not compile until it has
//! words.

use bbps_core::api::{FailureCode, ReceiptStatus, RefundReason};
use bbps_core::complaint::{ComplaintStatus, Disposition, ServiceReason};
use bbps_core::money::MoneyParseError;
use bbps_core::{ErrorCode, PaymentStatus};

use super::keys::Msg;

/// The message for each server error code.
pub fn error_msg(code: ErrorCode) -> Msg {
    use ErrorCode as E;
    match code {
        E::BadRequest => Msg::ErrBadRequest,
        // Requests only a bug in the widget (or a server-to-server caller) could send.
        E::InvalidJson
        | E::InvalidQuery
        | E::InvalidPath
        | E::MethodNotAllowed
        | E::UnsupportedMediaType
        | E::SecretKeyInvalid
        | E::SecretKeyMissing
        | E::IdempotencyKeyMissing
        | E::IdempotencyKeyInvalid
        | E::CallbackSignatureInvalid
        | E::WebhookDeliveryNotFound
        | E::SandboxOnly
        | E::SandboxActionInvalid => Msg::ErrRequestRejected,
        E::NotFound => Msg::ErrNotFound,
        E::PayloadTooLarge => Msg::ErrTooLarge,
        E::RateLimited => Msg::ErrRateLimited,
        E::Internal => Msg::ErrInternal,
        E::ServiceUnavailable => Msg::ErrServiceUnavailable,
        E::PublishableKeyInvalid => Msg::ErrKeyInvalid,
        E::SessionTokenMissing => Msg::ErrSessionMissing,
        E::SessionTokenInvalid => Msg::ErrSessionInvalid,
        E::SessionExpired => Msg::ErrSessionExpired,
        E::OriginNotAllowed => Msg::ErrOriginNotAllowed,
        E::BillerNotFound => Msg::ErrBillerNotFound,
        E::CategoryNotFound => Msg::ErrCategoryNotFound,
        E::ParamMissing => Msg::ErrParamMissing,
        E::ParamTooShort => Msg::ErrParamTooShort,
        E::ParamTooLong => Msg::ErrParamTooLong,
        E::ParamNotNumeric => Msg::ErrParamNotNumeric,
        E::ParamPatternMismatch => Msg::ErrParamPattern,
        E::ParamNotAllowed => Msg::ErrParamNotAllowed,
        E::ParamGroupUnsatisfied => Msg::ErrParamGroup,
        E::ParamUnknown => Msg::ErrParamUnknown,
        E::BillInvalidAccount => Msg::ErrBillInvalidAccount,
        E::BillInvalidParamCombination => Msg::ErrBillParamCombination,
        E::BillNoData => Msg::ErrBillNoData,
        E::BillNoBillDue => Msg::ErrBillNoBillDue,
        E::BillAccountBlocked => Msg::ErrBillAccountBlocked,
        E::BillAccountInactive => Msg::ErrBillAccountInactive,
        E::BillDueDateExpired => Msg::ErrBillDueDateExpired,
        E::BillerUnavailable => Msg::ErrBillerUnavailable,
        E::BillerTimeout => Msg::ErrBillerTimeout,
        E::BillValidationFailed => Msg::ErrBillValidationFailed,
        E::BillFetchNotSupported => Msg::ErrBillFetchNotSupported,
        E::BillValidationNotSupported => Msg::ErrBillValidationNotSupported,
        E::BillFetchRequired => Msg::ErrBillFetchRequired,
        E::QuoteNotFound => Msg::ErrQuoteNotFound,
        E::QuoteExpired => Msg::ErrQuoteExpired,
        E::PlansNotSupported => Msg::ErrPlansNotSupported,
        E::BillUnpayable => Msg::ErrBillUnpayable,
        E::PlanRequired => Msg::ErrPlanRequired,
        E::PlanNotAvailable => Msg::ErrPlanNotAvailable,
        E::AmountMustEqualPlan => Msg::ErrAmountMustEqualPlan,
        E::BillExpired => Msg::ErrBillExpired,
        E::BillerNotAvailable => Msg::ErrBillerNotAvailable,
        E::QuoteAlreadyUsed => Msg::ErrQuoteAlreadyUsed,
        E::AmountOptionUnknown => Msg::ErrAmountOptionUnknown,
        E::BillsNotChosen => Msg::ErrBillsNotChosen,
        E::BillNotListed => Msg::ErrBillNotListed,
        E::OneBillOnly => Msg::OneBillPerPayment,
        E::AllBillsRequired => Msg::AllBillsTogether,
        // Only a widget that names bills it was not shown, or names one twice, sends these.
        E::BillChosenTwice | E::BillNotAList => Msg::ErrRequestRejected,
        // The widget narrows by PIN code, never by city.
        E::CityUnknown => Msg::ErrRequestRejected,
        E::AmountInvalid => Msg::ErrAmountInvalid,
        E::AmountZero => Msg::ErrAmountZero,
        E::AmountMustEqualBill => Msg::ErrAmountMustEqualBill,
        E::AmountBelowBill => Msg::ErrAmountBelowBill,
        E::AmountAboveBill => Msg::ErrAmountAboveBill,
        E::AmountBelowMin => Msg::ErrAmountBelowMin,
        E::AmountBelowBillMin => Msg::ErrAmountBelowBillMin,
        E::AmountAboveBillMax => Msg::ErrAmountAboveBillMax,
        E::AmountNotMultiple => Msg::ErrAmountNotMultiple,
        E::AmountAboveMax => Msg::ErrAmountAboveMax,
        E::UpiNotAccepted => Msg::ErrUpiNotAccepted,
        E::MobileInvalid | E::CustomerMobileRequired => Msg::ErrMobileInvalid,
        E::IdempotencyKeyReused => Msg::ErrIdempotencyReused,
        E::PaymentNotFound => Msg::ErrPaymentNotFound,
        E::TransactionNotFound => Msg::ErrTransactionNotFound,
        E::DateRangeInvalid => Msg::ErrDateRange,
        E::ComplaintNotFound => Msg::ErrComplaintNotFound,
        E::ComplaintDescriptionInvalid => Msg::ErrComplaintDescription,
        E::ComplaintTargetInvalid => Msg::ErrComplaintTarget,
        E::ComplaintNotAllowed => Msg::ErrComplaintNotAllowed,
        E::ComplaintTooEarly => Msg::ErrComplaintTooEarly,
        E::ComplaintStillOpen => Msg::ErrComplaintStillOpen,
        E::PincodeUnknown => Msg::ErrPincodeUnknown,
        E::ComplaintAlreadyReopened => Msg::ErrComplaintAlreadyReopened,
        E::ComplaintReopenWindowOver => Msg::ErrComplaintReopenWindowOver,
        E::OtpRequired => Msg::ErrOtpRequired,
        E::OtpInvalid => Msg::ErrOtpInvalid,
        E::OtpExpired => Msg::ErrOtpExpired,
        E::OtpLocked => Msg::ErrOtpLocked,
    }
}

pub fn money_parse_error(e: MoneyParseError) -> Msg {
    match e {
        MoneyParseError::Empty => Msg::AmountEmpty,
        MoneyParseError::InvalidCharacter => Msg::AmountBadChar,
        MoneyParseError::TooManyDecimals => Msg::AmountDecimals,
        MoneyParseError::MisplacedComma => Msg::AmountCommas,
        MoneyParseError::TooLarge => Msg::AmountTooLarge,
    }
}

pub fn payment_status(s: PaymentStatus) -> Msg {
    match s {
        PaymentStatus::Created => Msg::PsCreated,
        PaymentStatus::AwaitingPayment => Msg::PsAwaiting,
        PaymentStatus::Paid => Msg::PsPaid,
        PaymentStatus::BillPaymentPending => Msg::PsBillPending,
        PaymentStatus::Completed => Msg::PsCompleted,
        PaymentStatus::BillPaymentFailed => Msg::PsBillFailed,
        PaymentStatus::RefundPending => Msg::PsRefundPending,
        PaymentStatus::Refunded => Msg::PsRefunded,
        PaymentStatus::Expired => Msg::PsExpired,
        PaymentStatus::PaymentFailed => Msg::PsFailed,
    }
}

/// Why a payment did not complete, in words.
pub fn failure_msg(code: FailureCode) -> Msg {
    match code {
        FailureCode::UpiDeclined => Msg::FailUpiDeclined,
        FailureCode::BillPaymentFailed => Msg::FailBill,
        FailureCode::Expired => Msg::ExpiredBody,
        FailureCode::AmountMismatch => Msg::FailAmountMismatch,
    }
}

/// Why a payment's money goes back, as the start of a sentence ([`Msg::RefundPendingBody`]).
pub fn refund_reason(reason: RefundReason) -> Msg {
    match reason {
        RefundReason::BillPaymentFailed => Msg::RefundBillFailed,
        RefundReason::AmountMismatch => Msg::RefundAmountMismatch,
        RefundReason::PaidAfterExpiry => Msg::RefundPaidAfterExpiry,
        RefundReason::PaidAfterFailure => Msg::RefundPaidAfterFailure,
        RefundReason::DuplicateDebit => Msg::RefundDuplicate,
    }
}

/// A receipt's status: settled, or deemed and settling.
pub fn receipt_status(status: ReceiptStatus) -> Msg {
    match status {
        ReceiptStatus::Success => Msg::StatusSuccess,
        ReceiptStatus::Pending => Msg::StatusPending,
    }
}

pub fn complaint_status(s: ComplaintStatus) -> Msg {
    match s {
        ComplaintStatus::Logged => Msg::CsLogged,
        ComplaintStatus::Assigned => Msg::CsAssigned,
        ComplaintStatus::PendingWithBbpou => Msg::CsPendingWithBbpou,
        ComplaintStatus::Resolved => Msg::CsResolved,
        ComplaintStatus::Reassigned => Msg::CsReassigned,
        ComplaintStatus::Escalated => Msg::CsEscalated,
        ComplaintStatus::PendingRefund => Msg::CsPendingRefund,
        ComplaintStatus::DefaultResolved => Msg::CsDefaultResolved,
        ComplaintStatus::Refunded => Msg::CsRefunded,
        ComplaintStatus::Rejected => Msg::CsRejected,
    }
}

pub fn disposition(d: Disposition) -> Msg {
    match d {
        Disposition::D11 => Msg::D11,
        Disposition::D12 => Msg::D12,
        Disposition::D13 => Msg::D13,
        Disposition::D21 => Msg::D21,
        Disposition::D22 => Msg::D22,
        Disposition::D23 => Msg::D23,
        Disposition::D31 => Msg::D31,
        Disposition::D32 => Msg::D32,
    }
}

pub fn reason(r: ServiceReason) -> Msg {
    match r {
        ServiceReason::AgentOvercharging => Msg::RAgentOvercharging,
        ServiceReason::AgentMisbehaviour => Msg::RAgentMisbehaviour,
        ServiceReason::AgentNotIssuingReceipt => Msg::RAgentNoReceipt,
        ServiceReason::AgentOutletClosed => Msg::RAgentOutletClosed,
        ServiceReason::AgentRefusingComplaint => Msg::RAgentRefusedComplaint,
        ServiceReason::BillerServiceNotProvided => Msg::RBillerNoService,
        ServiceReason::BillerWrongBill => Msg::RBillerWrongBill,
        ServiceReason::BillerPaymentNotUpdated => Msg::RBillerNotUpdated,
        ServiceReason::BillerUnreachable => Msg::RBillerUnreachable,
    }
}
