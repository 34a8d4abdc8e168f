//! Receiving events over SSE: the auth code, and the notifications delivered as
//! `unichat_notification` events (seed 000, "Receiving events": "To subscribe to SSE, the
//! client has to obtain the SSE authenitcation code using create_sse_auth_code() call"; seed
//! 001's notification examples).

use schemars::{JsonSchema, Schema};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::Meta;
use super::envelope::NoArgs;
use crate::endpoint::{Doc, Endpoint};

/// `create_sse_auth_code() -> {code}`.
pub struct CreateSseAuthCode;

impl Endpoint for CreateSseAuthCode {
    const NAME: &'static str = "create_sse_auth_code";
    type Request = NoArgs;
    type Reply = SseCodeReply;
    type Meta = Meta;
    const META: Meta = Meta::USER;
    const DOC: Doc = Doc::seed(
        "000",
        "To subscribe to SSE, the client has to obtain the SSE authenitcation code using create_sse_auth_code() call, see unichat API.",
    );
}

/// `GET /sse/{code}`: the event stream (NOTES.md U3; the seed's URL was lost).
pub const STREAM: Doc =
    Doc::reading("000", "With this code, subscribe to the SSE events with the following URL:<code>", "U3");

/// One SSE event type of the stream: its `event:` name, the schema of its `data:` (none for the
/// two special events, whose data the seed does not give), and the seed sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SseEvent {
    /// The SSE event name (the `event:` field).
    pub name: &'static str,
    /// The registry name of the schema of the JSON in `data:`, if the seed gives one.
    pub schema: Option<&'static str>,
    /// The seed sentence that describes it.
    pub doc: Doc,
}

/// Every SSE event type of the stream, in the seed's order.
pub const EVENTS: &[SseEvent] = &[
    SseEvent {
        name: "unichat_notification",
        schema: Some("notification"),
        doc: Doc::seed("000", "This code receives unichat API notifications in unichat_notification events."),
    },
    SseEvent {
        name: "event_source_ready",
        schema: None,
        doc: Doc::seed(
            "000",
            "This event is send once per established connection, what means that after this event applicaiton will receive events stream.",
        ),
    },
    SseEvent {
        name: "ping",
        schema: None,
        doc: Doc::seed(
            "000",
            "This event is sent periodically by the service to check the connection is not closed or lost. Application does not need to process it in any way.",
        ),
    },
];

/// `{code}`: the reply of `create_sse_auth_code()`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct SseCodeReply {
    /// The code to open the event stream with: "With this code, subscribe to the SSE events
    /// with the following URL:`<code>`" (NOTES.md U3).
    #[schemars(length(min = 1))]
    pub code: String,
}

/// What happened to the object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotificationEvent {
    /// A new object: `{"event": "new", "object_name": "subscription", ...}`.
    New,
    /// A changed object: `{event: 'changed', object_type: 'message', ...}`.
    Changed,
    /// A deleted object: "on the deleted object notification, only the id field is
    /// guaranteed to be present".
    Deleted,
}

/// A notification: `{"event": "new", "object_name": "subscription", "object": {...}}`.
///
/// The seed names the object's kind `object_name` once (new subscription) and `object_type`
/// twice (changed and deleted message); the mock sends both, a server must send at least one.
/// "on the deleted object notification, only the id field is guaranteed to be present".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = kind_named_somehow)]
pub struct Notification {
    /// What happened: `new`, `changed` or `deleted`.
    pub event: NotificationEvent,
    /// The object's kind, `subscription` or `message`, as the new-subscription example names
    /// it: `"object_name": "subscription"` (NOTES.md U11).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_name: Option<String>,
    /// The object's kind, as the message examples name it: `object_type: 'message'`
    /// (NOTES.md U11).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_type: Option<String>,
    /// The record: a subscription or a message (at least `id` when deleted).
    #[schemars(schema_with = "object_with_id")]
    pub object: serde_json::Value,
}

impl Notification {
    /// The object's kind, from `object_name` or `object_type`.
    pub fn kind(&self) -> Option<&str> {
        self.object_name.as_deref().or(self.object_type.as_deref())
    }
}

fn object_with_id(_: &mut schemars::SchemaGenerator) -> Schema {
    json!({"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}})
        .try_into()
        .unwrap_or_default()
}

fn kind_named_somehow(schema: &mut Schema) {
    schema.insert("anyOf".into(), json!([{"required": ["object_name"]}, {"required": ["object_type"]}]));
}
