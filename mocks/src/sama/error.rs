//! The SAMA error: a status and a text, sent in the one error shape (seed 003 shows none; see
//! NOTES.md S10).

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use chatspec_specs::sama::envelope::{ErrorBody, ErrorReply, RequestId, Status};

/// A failed request: `{ status, message }`, and why it failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", status.code())]
pub struct SamaError {
    /// The status the mock answers (401, 403, 404 or 422), as `error.status`.
    pub status: Status,
    /// The readable text, as `error.message`.
    pub message: String,
    /// Why, as finely as the public server's statuses tell causes apart (the
    /// `other_error_statuses` switch); the mock's own `status` does not depend on it.
    pub cause: Cause,
}

/// Why a request failed, where the public SAMA server 0.36 answers another status than the
/// mock (register S10).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// The frame could not be read as a request or packet (not JSON, no name, no id).
    Malformed,
    /// A request before the socket was linked with `connect`.
    NoSession,
    /// Wrong credentials, an unknown or expired token.
    Credentials,
    /// Not a participant, the owner or the author.
    Rights,
    /// A block stops the message.
    Blocked,
    /// No such conversation.
    NoConversation,
    /// No such user, contact, message, file or subscription.
    NotFound,
    /// The request breaks a rule or its parameters are wrong.
    Rule,
}

impl Cause {
    /// The cause a status stands for when nothing finer is known.
    fn of(status: Status) -> Cause {
        match status {
            Status::Unauthorized => Cause::Credentials,
            Status::Forbidden => Cause::Rights,
            Status::NotFound => Cause::NotFound,
            Status::Unprocessable => Cause::Rule,
        }
    }

    /// The status the public server answers: 400 for a malformed frame, its `Unauthorized.`
    /// 404 before `connect`, 404 for rights and unknown conversations, 422 for the rest
    /// (wrong credentials, expired tokens, blocks, unknown users, contacts and messages).
    pub fn public_status(self) -> u16 {
        match self {
            Cause::Malformed => 400,
            Cause::NoSession | Cause::Rights | Cause::NoConversation => 404,
            Cause::Credentials | Cause::Blocked | Cause::NotFound | Cause::Rule => 422,
        }
    }
}

impl SamaError {
    /// An error with the given status and text.
    pub fn new(status: Status, message: impl Into<String>) -> SamaError {
        SamaError { status, message: message.into(), cause: Cause::of(status) }
    }

    /// The same error with a finer cause.
    pub fn because(mut self, cause: Cause) -> SamaError {
        self.cause = cause;
        self
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
