//! Why `chatspec proxy` cannot start, or cannot take one of its options.

use super::APIS;

/// Why a proxy cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    /// The API is none the proxy knows.
    #[error("unknown API {0:?}; the proxy knows {known}", known = APIS.join(", "))]
    UnknownApi(String),
    /// The upstream is no `http://` or `https://` URL.
    #[error("--upstream must be an http:// or https:// URL, not {0:?}")]
    Upstream(String),
    /// The HTTP client to the upstream could not be built.
    #[error("the HTTP client could not start: {0}")]
    Client(#[source] reqwest::Error),
}

/// A `--fail-on` value that is none of `client`, `server`, `any`.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("--fail-on takes client, server or any, not {0:?}")]
pub struct FailOnError(pub String);

/// A `--fault` the proxy cannot arm.
#[derive(Debug, thiserror::Error)]
pub enum FaultError {
    /// The text is not the JSON of a fault.
    #[error("not a fault: {0}")]
    Json(#[from] serde_json::Error),
    /// The fault vocabulary refuses it (a probability above 1, a 2xx `server_error`, ...).
    #[error("{0}")]
    Refused(String),
}
