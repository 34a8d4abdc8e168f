//! The connectnow error: Laravel-style bodies with the status codes of the API's conventions
//! (seed 002, "Response Status Codes"; NOTES.md C5).

use std::collections::BTreeMap;

use axum::{
    Json,
    http::{HeaderName, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chatspec_specs::connectnow::errors::{ErrorMessage, ValidationError};

/// A failed request.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// 401: no token, an unknown one, or not the kind the route takes.
    #[error("Unauthenticated.")]
    Unauthenticated,
    /// 403: the token is good but may not touch this record.
    #[error("This action is unauthorized.")]
    Forbidden,
    /// 404: no such record (the text names it).
    #[error("{0}")]
    NotFound(String),
    /// 404: no such route.
    #[error("The route {0} could not be found.")]
    NoRoute(String),
    /// 405: the route exists, the method does not.
    #[error("The {method} method is not supported for route {path}. Supported methods: {allowed}.")]
    MethodNotAllowed {
        /// The method asked for.
        method: String,
        /// The path, without its leading `/`.
        path: String,
        /// The methods the path takes: the `Allow` header.
        allowed: String,
    },
    /// 413: the body is larger than the mock reads.
    #[error("The request body is larger than {0} bytes.")]
    TooLarge(usize),
    /// 422: field name to every message about it.
    #[error("{}", validation_message(.0))]
    Validation(BTreeMap<String, Vec<String>>),
    /// 429: over the rate limit.
    #[error("Too Many Attempts.")]
    TooManyRequests {
        /// Seconds until the counting window ends: the `Retry-After` header.
        retry_after: i64,
        /// The limit per minute: the `X-RateLimit-Limit` header.
        limit: u32,
    },
}

impl ApiError {
    /// A 422 with one message about one field.
    pub fn invalid(field: &str, message: impl Into<String>) -> ApiError {
        let mut errors = BTreeMap::new();
        errors.insert(field.to_owned(), vec![message.into()]);
        ApiError::Validation(errors)
    }

    /// A 404 about a record: "No query results for model \[Chat\] 7."
    pub fn missing(model: &str, id: impl std::fmt::Display) -> ApiError {
        ApiError::NotFound(format!("No query results for model [{model}] {id}."))
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthenticated => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) | ApiError::NoRoute(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
        }
    }
}

/// Laravel's summary: the first message, then "(and N more errors)".
fn validation_message(errors: &BTreeMap<String, Vec<String>>) -> String {
    let mut all = errors.values().flatten();
    let Some(first) = all.next() else {
        return "The given data was invalid.".into();
    };
    match all.count() {
        0 => first.clone(),
        1 => format!("{first} (and 1 more error)"),
        n => format!("{first} (and {n} more errors)"),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = self.to_string();
        let mut extra: Vec<(HeaderName, String)> = Vec::new();
        match &self {
            ApiError::MethodNotAllowed { allowed, .. } => {
                extra.push((header::ALLOW, allowed.clone()));
            }
            ApiError::TooManyRequests { retry_after, limit } => {
                extra.push((header::RETRY_AFTER, retry_after.to_string()));
                extra.push((HeaderName::from_static("x-ratelimit-limit"), limit.to_string()));
                extra.push((HeaderName::from_static("x-ratelimit-remaining"), "0".into()));
            }
            _ => {}
        }
        let mut resp = match self {
            ApiError::Validation(errors) => {
                (status, Json(ValidationError { message, errors })).into_response()
            }
            _ => (status, Json(ErrorMessage { message })).into_response(),
        };
        for (name, value) in extra {
            if let Ok(v) = HeaderValue::from_str(&value) {
                resp.headers_mut().insert(name, v);
            }
        }
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_validation_summary_counts_the_other_errors() {
        let mut errors = BTreeMap::new();
        errors.insert("email".to_owned(), vec!["The email field is required.".to_owned()]);
        assert_eq!(ApiError::Validation(errors.clone()).to_string(), "The email field is required.");
        errors.insert("name".to_owned(), vec!["The name must be a string.".to_owned(), "x".to_owned()]);
        assert_eq!(
            ApiError::Validation(errors).to_string(),
            "The email field is required. (and 2 more errors)"
        );
    }
}
