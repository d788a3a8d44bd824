//! The HTTP conventions of the API, shared by the server and the sandbox's routes: every failure is the
//! `ApiError` envelope with a status chosen by its code ([`error`]), and malformed bodies, queries and paths are
//! answered in it with the field at fault ([`extract`]).

pub mod error;
pub mod extract;
pub mod responses;

pub use error::{ApiResult, HttpError, api_error_response, status_for};
pub use extract::{ApiJson, ApiPath, ApiQuery, body_rejection, is_json, parse_json};
