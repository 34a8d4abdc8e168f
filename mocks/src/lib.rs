//! Reference in-memory servers for the APIs chatspec checks, and the kit they share.
//!
//! Every mock keeps its rules in a synchronous **store** (no I/O, unit tested directly) and
//! serves them through a thin **transport** (axum routes, SSE, WebSocket). Each exposes
//! `app(state) -> Router` and `run(listener, shutdown)`.

#![warn(missing_docs)]

pub mod connectnow;
pub mod faults;
pub mod kit;
pub mod onechat;
pub mod sama;
pub mod unichat;

// The tests' one way to build an HTTP client (the integration tests share the file).
#[cfg(test)]
#[path = "../tests/common/tls.rs"]
mod tls;
