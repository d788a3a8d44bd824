//! Extractors that turn every malformed request into the error envelope: JSON bodies (content type, size,
//! syntax, shape, with the field at fault), query strings and path parameters.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use bbps_core::{ApiError, ErrorCode};
use serde::de::DeserializeOwned;

use crate::HttpError;

/// A JSON body of type `T`.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = HttpError;

    async fn from_request(req: Request, state: &S) -> Result<Self, HttpError> {
        if !is_json(req.headers().get(header::CONTENT_TYPE)) {
            return Err(HttpError::new(ErrorCode::UnsupportedMediaType, "send the body as application/json"));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(body_rejection)?;
        parse_json(&bytes).map(ApiJson)
    }
}

pub fn is_json(content_type: Option<&header::HeaderValue>) -> bool {
    let Some(ct) = content_type.and_then(|v| v.to_str().ok()) else { return false };
    let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

pub fn body_rejection(r: BytesRejection) -> HttpError {
    if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
        HttpError::new(ErrorCode::PayloadTooLarge, "the request body is too large")
    } else {
        HttpError::new(ErrorCode::BadRequest, "the request body could not be read")
    }
}

/// Parses JSON, naming the field at fault (`source.quote_id`) for shape errors.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, HttpError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return HttpError::new(ErrorCode::InvalidJson, format!("the body is not valid JSON: {inner}"));
        }
        let field = (path != ".").then_some(path);
        let code = match field.as_deref() {
            Some("customer_mobile") => ErrorCode::MobileInvalid,
            _ => ErrorCode::InvalidJson,
        };
        let mut err = ApiError::new(code, format!("the body does not have the expected shape: {inner}"));
        err.field = field;
        HttpError(err)
    })?;
    de.end().map_err(|_| HttpError::new(ErrorCode::InvalidJson, "the body has trailing characters after the JSON"))?;
    Ok(value)
}

/// A query string of type `T`.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, HttpError> {
        let query = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de).map(ApiQuery).map_err(|e| {
            let path = e.path().to_string();
            let mut err = ApiError::new(ErrorCode::InvalidQuery, format!("invalid query: {}", e.into_inner()));
            err.field = (path != ".").then_some(path);
            HttpError(err)
        })
    }
}

/// Path parameters of type `T`.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, HttpError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| ApiPath(p.0))
            .map_err(|e| HttpError::new(ErrorCode::InvalidPath, format!("invalid path: {}", e.body_text())))
    }
}
