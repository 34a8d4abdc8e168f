//! The frames of the SAMA WebSocket protocol and its one error shape (seed 003: `request: {
//! <name>: {...}, id }`, `{ response: { id, ... } }`, and the HTTP routes' JSON bodies).

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};

/// A request id as the client chose it. The seed shows strings (`id: "4"`, `id:
/// "421cda83-..."`) and, for the push calls, numbers (`id: 1`); a reply echoes it as sent.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RequestId {
    /// A string id: `id: "421cda83-7f39-45a9-81e8-5f83cfa0733c"`.
    Text(String),
    /// A number id: `id: 1`.
    Number(i64),
}

impl From<&str> for RequestId {
    fn from(s: &str) -> RequestId {
        RequestId::Text(s.to_owned())
    }
}

/// What went wrong: `{status, message}`, the status an HTTP-like code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ErrorBody {
    /// 401 (not authenticated), 403 (not allowed), 404 (no such object) or 422 (the request
    /// is malformed or breaks a rule); a server may use other 4xx codes.
    #[schemars(range(min = 400, max = 499))]
    pub status: u16,
    /// A text for people.
    #[schemars(length(min = 1))]
    pub message: String,
}

/// The one error shape: over the socket the object under `response`, `{ response: { id,
/// error: { status, message } } }`, with the `id` of the request (absent when the frame
/// carried none); over HTTP the whole body, `{ error: { status, message } }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ErrorReply {
    /// The failed request's `id`, echoed as sent; absent over HTTP and when the frame carried
    /// none (NOTES.md S2, S10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<RequestId>,
    /// What went wrong.
    pub error: ErrorBody,
}

/// The statuses the reference mock answers with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// No valid session: a request before `connect`, an unknown or expired token, wrong
    /// credentials.
    Unauthorized,
    /// The user may not do this (not a participant, not the owner, not the author, blocked).
    Forbidden,
    /// No such user, contact, conversation, message, file or subscription.
    NotFound,
    /// The frame or request is malformed, names no known request, or breaks a rule.
    Unprocessable,
}

impl Status {
    /// The status as a number on the wire.
    pub fn code(self) -> u16 {
        match self {
            Status::Unauthorized => 401,
            Status::Forbidden => 403,
            Status::NotFound => 404,
            Status::Unprocessable => 422,
        }
    }
}

/// `{ response: { id: "3", success: true } }`: the reply of every request that returns
/// nothing else.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SuccessReply {
    /// The request's `id`, echoed as sent.
    pub id: RequestId,
    /// Always `true`.
    pub success: bool,
}

/// A request that takes no parameters: `user_logout: {}`, `user_delete: {}`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct NoParams {}

/// The reply of a packet answered with no frame on success: "A user either can send typing or
/// stop typing packets", which go to the others only (NOTES.md S47). No value has this type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum NoReply {}

impl JsonSchema for NoReply {
    fn schema_name() -> Cow<'static, str> {
        "NoReply".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "No frame answers this packet on success; a failure is the one error shape (NOTES.md S47).",
            "not": {}
        })
    }
}
