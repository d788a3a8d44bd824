//! The engine's error: a refusal the caller can act on (with its stable API code), or a failure of the store or
//! of the engine itself. The server maps it to HTTP; nothing here knows about status codes.

use bbps_core::{ApiError, ErrorCode};

use crate::ports::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Refused: the envelope says why, with a stable code and the field at fault.
    #[error("{0}")]
    Refused(ApiError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Something that should not happen did (a value that does not serialize, a link that does not build).
    #[error("{context}: {message}")]
    Internal { context: &'static str, message: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn refused(code: ErrorCode, message: impl Into<String>) -> Error {
        Error::Refused(ApiError::new(code, message))
    }

    /// A refusal about one input.
    pub fn field(code: ErrorCode, message: impl Into<String>, field: &str) -> Error {
        Error::Refused(ApiError::new(code, message).with_field(field))
    }

    pub fn internal(context: &'static str, e: impl std::fmt::Display) -> Error {
        Error::Internal { context, message: e.to_string() }
    }

    /// The API code this error answers with.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Refused(e) => e.code,
            Error::Store(_) | Error::Internal { .. } => ErrorCode::Internal,
        }
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Error {
        Error::Refused(e)
    }
}
