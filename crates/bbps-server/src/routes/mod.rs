//! The HTTP surface: thin handlers that parse, call the domain and answer. Every route is registered through
//! `utoipa_axum`, so the router and the OpenAPI document are built from the same list.

pub mod bills;
pub mod catalogue;
pub mod docs;
pub mod merchant;
pub mod payments;
pub mod psp;
pub mod sandbox;
pub mod sessions;
pub mod tracking;

use bbps_core::ApiError;
use utoipa::IntoResponses;

/// Failures any authenticated call can have.
#[derive(IntoResponses)]
#[allow(dead_code)]
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
#[allow(dead_code)]
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
#[allow(dead_code)]
pub enum NotFoundError {
    #[response(status = 404)]
    NotFound(ApiError),
}

/// The network could not answer (`biller_unavailable`, `biller_timeout`).
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum NetworkErrors {
    #[response(status = 503)]
    Unavailable(ApiError),
    #[response(status = 504)]
    Timeout(ApiError),
}
