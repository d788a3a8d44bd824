//! The failures most routes share, for the OpenAPI document: each lists the statuses and envelope a route may
//! answer with, so a route's documentation names them once.

use bbps_core::ApiError;
use utoipa::IntoResponses;

/// Failures any authenticated call can have.
#[derive(IntoResponses)]
pub enum CommonErrors {
    /// Malformed query, path or header (`invalid_query`, `invalid_path`, `bad_request`…).
    #[response(status = 400)]
    BadRequest(ApiError),
    /// Missing, malformed, tampered or expired credentials.
    #[response(status = 401)]
    Unauthorized(ApiError),
    /// Too many requests (`rate_limited`); see `Retry-After`.
    #[response(status = 429)]
    RateLimited(ApiError),
}

/// Failures of a call with a JSON body.
#[derive(IntoResponses)]
pub enum BodyErrors {
    /// The body is larger than the server accepts.
    #[response(status = 413)]
    TooLarge(ApiError),
    /// The body is not `application/json`.
    #[response(status = 415)]
    UnsupportedMediaType(ApiError),
    /// The body is well-formed but refused (field errors, amount rules, network refusals).
    #[response(status = 422)]
    Unprocessable(ApiError),
}

/// The thing named in the path (or body) does not exist for this caller.
#[derive(IntoResponses)]
pub enum NotFoundError {
    #[response(status = 404)]
    NotFound(ApiError),
}

/// The network could not answer (`biller_unavailable`, `biller_timeout`).
#[derive(IntoResponses)]
pub enum NetworkErrors {
    #[response(status = 503)]
    Unavailable(ApiError),
    #[response(status = 504)]
    Timeout(ApiError),
}
