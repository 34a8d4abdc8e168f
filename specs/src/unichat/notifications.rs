//! Unichat notifications, delivered as SSE `unichat_notification` events (seeds 000, 001).

use schemars::{JsonSchema, Schema};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// What happened to the object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotificationEvent {
    New,
    Changed,
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
    pub event: NotificationEvent,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_name: Option<String>,
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
