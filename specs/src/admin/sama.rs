//! The SAMA admin shapes: a new user with everything a client needs to `connect` (optionally
//! on a device the caller names), and the push notifications "sent" to offline users.

use schemars::{JsonSchema, Schema};
use serde::{Deserialize, Serialize};

use super::Outbox;
use crate::response_schema;
use crate::sama::auth::ProvisionedUser;
use crate::sama::offline::PushNotification;
use crate::sama::push::PushMessage;
use crate::sama::times::Timestamp;

/// One push "sent" to a user, by its `type`. The harness finds a user's pushes by `to` and
/// reads `type` and `notification`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Push {
    /// A message to a conversation one of whose participants is offline: "all
    /// conversation's participants who is offline will receive the following push
    /// notification: title, body, firstAttachmentUrl, cid".
    Push {
        /// The recipient's user id (`_id`).
        #[schemars(length(min = 1))]
        to: String,
        /// What the push shows.
        notification: PushNotification,
        /// The `device_udid`s of the recipient's push subscriptions, possibly none (the
        /// reference mock's).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subscriptions: Option<Vec<String>>,
        /// When it was sent (the reference mock's).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        created_at: Option<Timestamp>,
    },
    /// A `push_event_create` to one of its `recipients_ids`.
    PushEvent {
        /// The recipient's user id (`_id`).
        #[schemars(length(min = 1))]
        to: String,
        /// The event's `message`: `{ title, body }`.
        notification: PushMessage,
        /// The `device_udid`s of the recipient's push subscriptions, possibly none (the
        /// reference mock's).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subscriptions: Option<Vec<String>>,
        /// When it was sent (the reference mock's).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        created_at: Option<Timestamp>,
    },
}

/// SAMA's schemas under `specs/schemas/admin/`.
pub fn schemas() -> Vec<(String, Schema)> {
    vec![
        ("sama.response.users".into(), response_schema::<ProvisionedUser>()),
        ("sama.response.outbox".into(), response_schema::<Outbox<Push>>()),
    ]
}
