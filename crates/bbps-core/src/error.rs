//! The one error envelope of the API, `{code, message, field?}`, and the closed list of its codes. The server
//! sends it for every failure; the widget maps each code to a localized message.

use serde::{Deserialize, Serialize};

use crate::amount::AmountError;
use crate::bill_list::BillChoiceError;
use crate::validation::{FieldError, ParamErrorCode};

crate::wire_enum! {
    /// Every error code the API can return. The strings are a stable contract: add, never rename.
    pub enum ErrorCode {
        // Request shape.
        BadRequest = "bad_request",
        InvalidJson = "invalid_json",
        InvalidQuery = "invalid_query",
        InvalidPath = "invalid_path",
        NotFound = "not_found",
        MethodNotAllowed = "method_not_allowed",
        UnsupportedMediaType = "unsupported_media_type",
        PayloadTooLarge = "payload_too_large",
        RateLimited = "rate_limited",
        Internal = "internal",
        ServiceUnavailable = "service_unavailable",
        // Keys, sessions, origins.
        PublishableKeyInvalid = "publishable_key_invalid",
        SecretKeyInvalid = "secret_key_invalid",
        SecretKeyMissing = "secret_key_missing",
        SessionTokenMissing = "session_token_missing",
        SessionTokenInvalid = "session_token_invalid",
        SessionExpired = "session_expired",
        OriginNotAllowed = "origin_not_allowed",
        // Catalogue.
        BillerNotFound = "biller_not_found",
        CategoryNotFound = "category_not_found",
        // Customer params (one per field; the envelope's `errors` lists them all).
        ParamMissing = "param_missing",
        ParamTooShort = "param_too_short",
        ParamTooLong = "param_too_long",
        ParamNotNumeric = "param_not_numeric",
        ParamPatternMismatch = "param_pattern_mismatch",
        ParamNotAllowed = "param_not_allowed",
        ParamGroupUnsatisfied = "param_group_unsatisfied",
        ParamUnknown = "param_unknown",
        // Bill fetch and validation outcomes from the network.
        BillInvalidAccount = "bill_invalid_account",
        BillInvalidParamCombination = "bill_invalid_param_combination",
        BillNoData = "bill_no_data",
        BillNoBillDue = "bill_no_bill_due",
        BillAccountBlocked = "bill_account_blocked",
        BillAccountInactive = "bill_account_inactive",
        BillDueDateExpired = "bill_due_date_expired",
        BillerUnavailable = "biller_unavailable",
        BillerTimeout = "biller_timeout",
        BillValidationFailed = "bill_validation_failed",
        BillFetchNotSupported = "bill_fetch_not_supported",
        BillFetchRequired = "bill_fetch_required",
        /// The biller does not support account validation (`/v1/bills/validate`).
        BillValidationNotSupported = "bill_validation_not_supported",
        // Quotes and payments.
        QuoteNotFound = "quote_not_found",
        QuoteExpired = "quote_expired",
        /// The biller takes the fetched bill's payment only until a time that has passed (the end of the day of
        /// the fetch, for a biller paid only on that day): fetch the bill again.
        BillExpired = "bill_expired",
        /// A PIN code that no state's range holds (or an army post office's): the customer chooses a state instead.
        PincodeUnknown = "pincode_unknown",
        /// No biller names this city (and no state was given to place it): the customer chooses a state instead.
        CityUnknown = "city_unknown",
        /// The biller takes no bills now (not effective yet, or temporarily deactivated): `retry_after` says when.
        BillerNotAvailable = "biller_not_available",
        QuoteAlreadyUsed = "quote_already_used",
        /// The biller sells no plans.
        PlansNotSupported = "plans_not_supported",
        /// The biller is paid by plan and none was chosen.
        PlanRequired = "plan_required",
        /// The plan is not on sale (withdrawn, or outside its dates): choose again.
        PlanNotAvailable = "plan_not_available",
        /// A plan is paid at its price, exactly.
        AmountMustEqualPlan = "amount_must_equal_plan",
        AmountOptionUnknown = "amount_option_unknown",
        /// A fetched list of bills is paid by naming the bills (`source.bills`): none was named.
        BillsNotChosen = "bills_not_chosen",
        /// A named bill is not in the fetched list.
        BillNotListed = "bill_not_listed",
        /// A bill is named twice.
        BillChosenTwice = "bill_chosen_twice",
        /// The biller takes one bill of its list per payment.
        OneBillOnly = "one_bill_only",
        /// The biller takes all the bills of its list in one payment.
        AllBillsRequired = "all_bills_required",
        /// Bills were named, but the fetched bill is a single bill.
        BillNotAList = "bill_not_a_list",
        AmountInvalid = "amount_invalid",
        AmountZero = "amount_zero",
        AmountMustEqualBill = "amount_must_equal_bill",
        AmountBelowBill = "amount_below_bill",
        AmountAboveBill = "amount_above_bill",
        AmountBelowMin = "amount_below_min",
        /// Below the fetched bill's own minimum.
        AmountBelowBillMin = "amount_below_bill_min",
        /// Above the fetched bill's own maximum.
        AmountAboveBillMax = "amount_above_bill_max",
        /// No amount can pay the fetched bill: its own bounds or step and the biller's limits do not meet.
        BillUnpayable = "bill_unpayable",
        /// Not a multiple of the fetched bill's step.
        AmountNotMultiple = "amount_not_multiple",
        AmountAboveMax = "amount_above_max",
        UpiNotAccepted = "upi_not_accepted",
        MobileInvalid = "mobile_invalid",
        /// The network needs the customer's mobile number with the bill fetch (`customer_mobile`).
        CustomerMobileRequired = "customer_mobile_required",
        IdempotencyKeyMissing = "idempotency_key_missing",
        IdempotencyKeyInvalid = "idempotency_key_invalid",
        IdempotencyKeyReused = "idempotency_key_reused",
        PaymentNotFound = "payment_not_found",
        // PSP notifications.
        CallbackSignatureInvalid = "callback_signature_invalid",
        // Tracking and complaints.
        TransactionNotFound = "transaction_not_found",
        /// Finding payments by mobile number needs the one-time code sent to it (`tracking_token`).
        OtpRequired = "otp_required",
        /// The one-time code is not the one sent.
        OtpInvalid = "otp_invalid",
        /// The code's time is up (or it was used, or never sent): ask for a new one.
        OtpExpired = "otp_expired",
        /// Too many wrong codes: the number is locked for a while (`retry_after`).
        OtpLocked = "otp_locked",
        DateRangeInvalid = "date_range_invalid",
        ComplaintNotFound = "complaint_not_found",
        ComplaintDescriptionInvalid = "complaint_description_invalid",
        ComplaintTargetInvalid = "complaint_target_invalid",
        ComplaintNotAllowed = "complaint_not_allowed",
        /// A "service not received" complaint raised before the biller's time to deliver is over.
        ComplaintTooEarly = "complaint_too_early",
        /// Only a closed ticket can be reopened.
        ComplaintStillOpen = "complaint_still_open",
        /// A ticket is reopened at most once.
        ComplaintAlreadyReopened = "complaint_already_reopened",
        /// The time to reopen a closed ticket is over.
        ComplaintReopenWindowOver = "complaint_reopen_window_over",
        // Merchant API.
        WebhookDeliveryNotFound = "webhook_delivery_not_found",
        // Sandbox tools.
        SandboxOnly = "sandbox_only",
        SandboxActionInvalid = "sandbox_action_invalid",
    }
}

impl ErrorCode {
    /// The code for a BBPS compliance code in a failed fetch or validation response (`BFR004` -> no bill due).
    pub fn from_bbps(compliance_code: &str) -> Option<ErrorCode> {
        Some(match compliance_code {
            "BFR001" => ErrorCode::BillInvalidAccount,
            "BFR002" => ErrorCode::BillInvalidParamCombination,
            "BFR003" => ErrorCode::BillNoData,
            "BFR004" => ErrorCode::BillNoBillDue,
            "BFR005" => ErrorCode::BillAccountBlocked,
            "BFR006" => ErrorCode::BillAccountInactive,
            "BFR007" => ErrorCode::BillDueDateExpired,
            "BFR008" => ErrorCode::BillerUnavailable,
            "BVR001" | "BVR002" | "BVR003" => ErrorCode::BillValidationFailed,
            _ => return None,
        })
    }
}

impl From<ParamErrorCode> for ErrorCode {
    fn from(c: ParamErrorCode) -> ErrorCode {
        match c {
            ParamErrorCode::ParamMissing => ErrorCode::ParamMissing,
            ParamErrorCode::ParamTooShort => ErrorCode::ParamTooShort,
            ParamErrorCode::ParamTooLong => ErrorCode::ParamTooLong,
            ParamErrorCode::ParamNotNumeric => ErrorCode::ParamNotNumeric,
            ParamErrorCode::ParamPatternMismatch => ErrorCode::ParamPatternMismatch,
            ParamErrorCode::ParamNotAllowed => ErrorCode::ParamNotAllowed,
            ParamErrorCode::ParamGroupUnsatisfied => ErrorCode::ParamGroupUnsatisfied,
            ParamErrorCode::ParamUnknown => ErrorCode::ParamUnknown,
        }
    }
}

impl From<&AmountError> for ErrorCode {
    fn from(e: &AmountError) -> ErrorCode {
        match e {
            AmountError::AmountZero => ErrorCode::AmountZero,
            AmountError::AmountMustEqualBill { .. } => ErrorCode::AmountMustEqualBill,
            AmountError::AmountBelowBill { .. } => ErrorCode::AmountBelowBill,
            AmountError::AmountAboveBill { .. } => ErrorCode::AmountAboveBill,
            AmountError::AmountBelowMin { .. } => ErrorCode::AmountBelowMin,
            AmountError::AmountBelowBillMin { .. } => ErrorCode::AmountBelowBillMin,
            AmountError::AmountAboveBillMax { .. } => ErrorCode::AmountAboveBillMax,
            AmountError::AmountNotMultiple { .. } => ErrorCode::AmountNotMultiple,
            AmountError::AmountAboveMax { .. } => ErrorCode::AmountAboveMax,
            AmountError::UpiNotAccepted => ErrorCode::UpiNotAccepted,
            AmountError::BillFetchRequired => ErrorCode::BillFetchRequired,
        }
    }
}

impl From<&BillChoiceError> for ErrorCode {
    fn from(e: &BillChoiceError) -> ErrorCode {
        match e {
            BillChoiceError::BillsNotChosen => ErrorCode::BillsNotChosen,
            BillChoiceError::BillNotListed { .. } => ErrorCode::BillNotListed,
            BillChoiceError::BillChosenTwice { .. } => ErrorCode::BillChosenTwice,
            BillChoiceError::OneBillOnly => ErrorCode::OneBillOnly,
            BillChoiceError::AllBillsRequired => ErrorCode::AllBillsRequired,
            BillChoiceError::NotAList => ErrorCode::BillNotAList,
        }
    }
}

/// The error envelope. `field` names the input at fault when there is one; `errors` lists every field's error
/// when a form was rejected; `bbps_code` carries the network's response code (`BFR004`) when it decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[error("{message}")]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbps_code: Option<String>,
    /// Seconds to wait before retrying (`rate_limited`, `biller_unavailable`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u32>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError { code, message: message.into(), field: None, errors: Vec::new(), bbps_code: None, retry_after: None }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> ApiError {
        self.field = Some(field.into());
        self
    }

    pub fn with_bbps_code(mut self, code: impl Into<String>) -> ApiError {
        self.bbps_code = Some(code.into());
        self
    }

    pub fn with_retry_after(mut self, seconds: u32) -> ApiError {
        self.retry_after = Some(seconds);
        self
    }

    /// A rejected form: the first error decides code, message and field; all are listed.
    pub fn from_field_errors(errors: Vec<FieldError>) -> ApiError {
        match errors.first() {
            None => ApiError::new(ErrorCode::BadRequest, "the request was rejected"),
            Some(first) => ApiError {
                code: first.code.into(),
                message: first.to_string(),
                field: Some(first.field.clone()),
                errors: errors.clone(),
                bbps_code: None,
                retry_after: None,
            },
        }
    }

    pub fn from_amount(e: &AmountError) -> ApiError {
        ApiError::new(e.into(), e.to_string()).with_field("amount")
    }

    pub fn from_bill_choice(e: &BillChoiceError) -> ApiError {
        ApiError::new(e.into(), e.to_string()).with_field("source.bills")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_shape() {
        let e = ApiError::new(ErrorCode::BillNoBillDue, "No bill is due").with_bbps_code("BFR004");
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"code":"bill_no_bill_due","message":"No bill is due","bbps_code":"BFR004"}"#
        );
        let back: ApiError =
            serde_json::from_str(r#"{"code":"rate_limited","message":"slow down","retry_after":3}"#).unwrap();
        assert_eq!(back.code, ErrorCode::RateLimited);
        assert_eq!(back.retry_after, Some(3));
        assert_eq!(ErrorCode::SessionExpired.as_str(), "session_expired");
    }

    #[test]
    fn wire_strings_are_unique_and_match_serde() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "duplicate {}", code.as_str());
            assert_eq!(serde_json::to_string(code).unwrap(), format!("\"{}\"", code.as_str()));
        }
        assert_eq!(ErrorCode::from_bbps("BFR004"), Some(ErrorCode::BillNoBillDue));
        assert_eq!(ErrorCode::from_bbps("XYZ"), None);
    }

    #[test]
    fn field_errors_share_the_codes() {
        let e = ApiError::from_field_errors(vec![FieldError {
            field: "Consumer Number".into(),
            code: ParamErrorCode::ParamTooShort,
            limit: Some(10),
            group: vec![],
        }]);
        assert_eq!(e.code.as_str(), ParamErrorCode::ParamTooShort.as_str());
        assert_eq!(e.field.as_deref(), Some("Consumer Number"));
        assert_eq!(e.message, "Consumer Number must be at least 10 characters");
    }
}
