//! The SAMA error: a status and a text, sent in the one error shape (seed 003 shows none; see
//! NOTES.md S10).

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use chatspec_specs::sama::envelope::{ErrorBody, ErrorReply, RequestId, Status};

/// A failed request: `{ status, message }`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", status.code())]
pub struct SamaError {
    pub status: Status,
    pub message: String,
}

impl SamaError {
    /// An error with the given status and text.
    pub fn new(status: Status, message: impl Into<String>) -> SamaError {
        SamaError { status, message: message.into() }
    }

    /// The error as it goes under `response` (with the request's id) or as an HTTP body.
    pub fn reply(&self, id: Option<RequestId>) -> ErrorReply {
        ErrorReply { id, error: ErrorBody { status: self.status.code(), message: self.message.clone() } }
    }
}

/// Shorthand for `Err(SamaError::new(status, message))`.
pub fn fail<T>(status: Status, message: impl Into<String>) -> Result<T, SamaError> {
    Err(SamaError::new(status, message))
}

impl IntoResponse for SamaError {
    fn into_response(self) -> Response {
        let code = StatusCode::from_u16(self.status.code()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
        (code, Json(self.reply(None))).into_response()
    }
}
