//! The HTTP side of the error envelope: every failure leaves as `bbps_core::ApiError` with a status chosen by
//! its code, and a `Retry-After` header when the envelope says when to retry. Engine errors map here, and only
//! here, to HTTP.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bbps_core::{ApiError, ErrorCode};

/// The HTTP status of each error code.
pub fn status_for(code: ErrorCode) -> StatusCode {
    use ErrorCode::*;
    match code {
        BadRequest | InvalidJson | InvalidQuery | InvalidPath | IdempotencyKeyMissing | IdempotencyKeyInvalid => {
            StatusCode::BAD_REQUEST
        }
        NotFound
        | BillerNotFound
        | CategoryNotFound
        | QuoteNotFound
        | PaymentNotFound
        | WebhookDeliveryNotFound
        | TransactionNotFound
        | ComplaintNotFound
        | SandboxOnly => StatusCode::NOT_FOUND,
        MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        RateLimited | OtpLocked => StatusCode::TOO_MANY_REQUESTS,
        Internal => StatusCode::INTERNAL_SERVER_ERROR,
        ServiceUnavailable | BillerUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        BillerTimeout => StatusCode::GATEWAY_TIMEOUT,
        PublishableKeyInvalid
        | SecretKeyInvalid
        | SecretKeyMissing
        | SessionTokenMissing
        | SessionTokenInvalid
        | SessionExpired
        | CallbackSignatureInvalid
        | OtpRequired => StatusCode::UNAUTHORIZED,
        OriginNotAllowed => StatusCode::FORBIDDEN,
        QuoteExpired | BillExpired | OtpExpired => StatusCode::GONE,
        QuoteAlreadyUsed | IdempotencyKeyReused | ComplaintStillOpen | ComplaintAlreadyReopened => StatusCode::CONFLICT,
        ParamMissing
        | ParamTooShort
        | ParamTooLong
        | ParamNotNumeric
        | ParamPatternMismatch
        | ParamNotAllowed
        | ParamGroupUnsatisfied
        | ParamUnknown
        | BillInvalidAccount
        | BillInvalidParamCombination
        | BillNoData
        | BillNoBillDue
        | BillAccountBlocked
        | BillAccountInactive
        | BillDueDateExpired
        | BillValidationFailed
        | BillFetchNotSupported
        | BillFetchRequired
        | BillValidationNotSupported
        | AmountOptionUnknown
        | BillsNotChosen
        | BillNotListed
        | BillChosenTwice
        | OneBillOnly
        | AllBillsRequired
        | BillNotAList
        | CityUnknown
        | AmountInvalid
        | AmountZero
        | AmountMustEqualBill
        | AmountBelowBill
        | AmountAboveBill
        | AmountBelowMin
        | AmountBelowBillMin
        | AmountAboveBillMax
        | AmountNotMultiple
        | BillUnpayable
        | AmountAboveMax
        | UpiNotAccepted
        | OtpInvalid
        | MobileInvalid
        | CustomerMobileRequired
        | DateRangeInvalid
        | ComplaintDescriptionInvalid
        | ComplaintTargetInvalid
        | ComplaintNotAllowed
        | ComplaintTooEarly
        | ComplaintReopenWindowOver
        | BillerNotAvailable
        | PincodeUnknown
        | PlansNotSupported
        | PlanRequired
        | PlanNotAvailable
        | AmountMustEqualPlan
        | SandboxActionInvalid => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// An error on its way out as an HTTP response.
#[derive(Debug)]
pub struct HttpError(pub ApiError);

pub type ApiResult<T> = Result<T, HttpError>;

impl HttpError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> HttpError {
        HttpError(ApiError::new(code, message))
    }

    /// A refusal about one input.
    pub fn field(code: ErrorCode, message: impl Into<String>, field: &str) -> HttpError {
        HttpError(ApiError::new(code, message).with_field(field))
    }

    /// A failure on our side: logged with its cause, answered without it.
    pub fn internal(context: &str, err: impl std::fmt::Display) -> HttpError {
        tracing::error!(%err, "{context}");
        HttpError::new(ErrorCode::Internal, "something went wrong on our side; try again")
    }

    pub fn code(&self) -> ErrorCode {
        self.0.code
    }
}

impl From<ApiError> for HttpError {
    fn from(e: ApiError) -> HttpError {
        HttpError(e)
    }
}

impl From<bbps_engine::Error> for HttpError {
    fn from(e: bbps_engine::Error) -> HttpError {
        match e {
            bbps_engine::Error::Refused(e) => HttpError(e),
            bbps_engine::Error::Store(e) => HttpError::internal("store", e),
            e @ bbps_engine::Error::Internal { .. } => HttpError::internal("engine", e),
        }
    }
}

impl From<bbps_engine::ports::StoreError> for HttpError {
    fn from(e: bbps_engine::ports::StoreError) -> HttpError {
        HttpError::internal("store", e)
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        api_error_response(self.0)
    }
}

pub fn api_error_response(e: ApiError) -> Response {
    let status = status_for(e.code);
    let retry_after = e.retry_after;
    let mut response = (status, Json(e)).into_response();
    if let Some(secs) = retry_after {
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_client_or_server_status() {
        for code in ErrorCode::ALL {
            let s = status_for(*code);
            assert!(s.is_client_error() || s.is_server_error(), "{code:?}");
            assert_eq!(s == StatusCode::INTERNAL_SERVER_ERROR, *code == ErrorCode::Internal, "{code:?}");
        }
    }
}
