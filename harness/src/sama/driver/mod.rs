//! The SAMA driver (seed 003): `POST /login` and `POST /logout` over HTTP, and a WebSocket
//! client that sends requests and packets, matches replies to them, and files every other
//! frame (events, carbons, unmatched errors) in an [`Inbox`](crate::events::Inbox): `http.rs` and
//! `socket.rs`.
//!
//! Every well-formed body (a request's, a packet's, `POST /login`'s) is built from its
//! `specs` request type and checked against its request schema before it is sent; a refusal
//! is a [`SuiteBug`], and nothing is sent. A negative scenario's body goes as
//! [`Body::Malformed`], sent as written and never checked (`body.rs`).
//!
//! Every frame is first adapted to the deviations the target declares
//! (`crate::deviations`; each adaptation is noted in the scenario's verdicts), then matched:
//! a reply by its `response.id` or an ack by its `mid`; an error to a packet under the
//! packet's own key or under `response`, by the packet's id when it carries one, else to the
//! oldest packet still waiting (a server may answer a refused packet without an id, S12).
//! Replies and events are validated against the committed schemas, each violation graded as
//! the document's or a reading's (`frame.rs`), and every frame goes to the wire log.

use std::time::Duration;

use serde_json::Value;

use crate::reply::{FailureKind, Via};

mod body;
pub mod frame;
mod http;
mod pending;
mod socket;

pub use crate::reply::Reply;
pub use body::{Body, SUITE_BUG, SuiteBug, check_request};
pub use frame::{Violations, event_schema};
pub use http::{Credentials, login, logout, refresh_cookie, set_cookies};
pub use pending::{PendingReply, Unanswered};
pub use socket::{Socket, SocketError};

/// How long a request waits for its reply before the timeout factor.
pub const REPLY_WAIT: Duration = Duration::from_secs(5);

/// The document's violations of `instance` against schema `sama/<name>`, as text.
pub fn violations(name: &str, instance: &Value) -> Vec<String> {
    frame::validate(name, instance).document
}

/// The prefix of an inbox violation that rests on a reading: `reading S47: ...`.
pub const READING_PREFIX: &str = "reading ";

/// How a step reads a SAMA [`Reply`] (`crate::reply`): over the socket or over HTTP.
pub trait SamaReply {
    /// The id the request was sent with (empty over HTTP, or for a packet without one).
    fn id(&self) -> &str;
    /// The key of the frame that answered (`response`, `ack`, a packet's own key).
    fn key(&self) -> &str;
    /// A reply that is no error: answered, not refused, no server error.
    fn is_ok(&self) -> bool;
    /// Whether the connection ended instead of a reply (not a timeout).
    fn dropped(&self) -> bool;
    /// The error's `status`, for an error in the register's shape.
    fn error_status(&self) -> Option<u64>;
    /// The error's text: its `message`, the error itself when it is a string, or the body of
    /// an HTTP error that is not JSON.
    fn error_text(&self) -> Option<String>;
}

impl SamaReply for Reply {
    fn id(&self) -> &str {
        match &self.via {
            Via::Frame { id, .. } => id,
            Via::Http { .. } => "",
        }
    }

    fn key(&self) -> &str {
        match &self.via {
            Via::Frame { key, .. } => key,
            Via::Http { .. } => "",
        }
    }

    fn is_ok(&self) -> bool {
        self.answer() == crate::reply::Answer::Success
    }

    fn dropped(&self) -> bool {
        self.failure.as_ref().is_some_and(|f| f.kind != FailureKind::TimedOut)
    }

    fn error_status(&self) -> Option<u64> {
        self.body.pointer("/error/status").and_then(Value::as_u64)
    }

    fn error_text(&self) -> Option<String> {
        match self.body.get("error") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(e) => e.get("message").and_then(Value::as_str).map(str::to_owned),
            None if self.refused() && !self.text.is_empty() => Some(self.text.clone()),
            None => None,
        }
    }
}
