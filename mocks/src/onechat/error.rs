//! The OneChat error: `{"status": "Error", "description": "..."}` (seed 004, "Response
//! Details"), with the HTTP statuses of NOTES.md O4.

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chatspec_specs::onechat::envelope::{ErrorReply, UNAUTHORIZED};
use serde_json::{Value, json};

/// A failed call.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// 401: the `apikey` header is missing or names no app, the session is not the admin's,
    /// or the app's credentials are wrong: the seed's "Unauthorized".
    #[error("{}", UNAUTHORIZED)]
    Unauthorized,
    /// 400: a mandatory body field is absent or blank.
    #[error("Missing mandatory field: {0}")]
    MissingField(&'static str),
    /// 400: a body field has the wrong type or form.
    #[error("Invalid {field}: {reason}")]
    InvalidField {
        /// The field's name as the seed spells it (`chatJid`).
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// 400: the body is not a JSON object or a form.
    #[error("Malformed request body: {0}")]
    BadBody(String),
    /// 404: no user or group has this jid.
    #[error("Unknown jid: {0}")]
    UnknownJid(String),
    /// 403: the target is outside the app's domain (the text says which).
    #[error("{0}")]
    OutsideDomain(String),
    /// 404: no such call.
    #[error("No such API: {0}")]
    NoRoute(String),
    /// 405: "Make sure Http method is set to POST."
    #[error("Method {0} is not allowed; every OneChat API call is a POST")]
    MethodNotAllowed(String),
    /// 413: the body is larger than the mock reads.
    #[error("The request body is larger than {0} bytes")]
    TooLarge(usize),
}

impl ApiError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::MissingField(_) | ApiError::InvalidField { .. } | ApiError::BadBody(_) => {
                StatusCode::BAD_REQUEST
            }
            ApiError::UnknownJid(_) | ApiError::NoRoute(_) => StatusCode::NOT_FOUND,
            ApiError::OutsideDomain(_) => StatusCode::FORBIDDEN,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        }
    }

    /// The error reply with one more field, e.g. `isAuthenticated: false` (NOTES.md O12).
    pub fn into_response_with(self, field: &str, value: Value) -> Response {
        let status = self.status();
        let mut body = json!(ErrorReply::new(self.to_string()));
        body[field] = value;
        (status, Json(body)).into_response()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let post_only = matches!(self, ApiError::MethodNotAllowed(_));
        let mut resp = (status, Json(ErrorReply::new(self.to_string()))).into_response();
        if post_only {
            resp.headers_mut().insert(header::ALLOW, HeaderValue::from_static("POST"));
        }
        resp
    }
}
