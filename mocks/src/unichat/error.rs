//! The Unichat error: a stable code and a human text, sent as the seed 000 envelope.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use chatspec_specs::unichat::envelope::ErrorCode;
use serde_json::json;

/// A failed call: "On error, the 400 result code will be returned".
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}: {text}", code.as_str())]
pub struct ApiError {
    /// The stable `error_code`: "a constant per-error string value".
    pub code: ErrorCode,
    /// The `error_text`: "a varying description that is intended only to be read by human".
    pub text: String,
}

impl ApiError {
    /// An error with the given code and text.
    pub fn new(code: ErrorCode, text: impl Into<String>) -> ApiError {
        ApiError { code, text: text.into() }
    }
}

/// Shorthand for `Err(ApiError::new(code, text))`.
pub fn fail<T>(code: ErrorCode, text: impl Into<String>) -> Result<T, ApiError> {
    Err(ApiError::new(code, text))
}

impl ApiError {
    /// The seed 000 envelope: `{status: "error", error_code, error_text}`.
    pub fn envelope(&self) -> serde_json::Value {
        json!({"status": "error", "error_code": self.code.as_str(), "error_text": self.text})
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (StatusCode::BAD_REQUEST, Json(self.envelope())).into_response()
    }
}
