//! Push notifications (seed 003): `push_subscription_create`, `push_subscription_list`,
//! `push_subscription_delete`, `push_event_create`, and the notification offline
//! participants get for a new message.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::envelope::RequestId;
use super::times::Timestamp;

/// The platform a subscription delivers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    Web,
    Ios,
    Android,
}

/// `push_subscription_create: { platform, web_endpoint, web_key_auth, web_key_p256dh,
/// device_token, device_udid }`: "The [`web_endpoint`, `web_key_auth`, `web_key_p256dh`] and
/// `device_token` fields are interchangeable for different devices".
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct PushSubscriptionCreateParams {
    pub platform: Platform,
    #[serde(default)]
    pub web_endpoint: Option<String>,
    #[serde(default)]
    pub web_key_auth: Option<String>,
    #[serde(default)]
    pub web_key_p256dh: Option<String>,
    #[serde(default)]
    pub device_token: Option<String>,
    #[schemars(length(min = 1))]
    pub device_udid: String,
}

/// The subscription record: `{ _id, platform, web_endpoint, web_key_auth, web_key_p256dh,
/// device_udid, user_id, created_at, updated_at }` (`device_token` for mobile platforms).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PushSubscription {
    #[serde(rename = "_id")]
    pub id: String,
    pub platform: Platform,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_key_auth: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_key_p256dh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_token: Option<String>,
    pub device_udid: String,
    pub user_id: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// `{ response: { id, subscription: {...} } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PushSubscriptionReply {
    pub id: RequestId,
    pub subscription: PushSubscription,
}

/// `push_subscription_list: { user_id }`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct PushSubscriptionListParams {
    #[serde(default)]
    pub user_id: Option<String>,
}

/// `{ response: { id, subscriptions: [...] } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PushSubscriptionsReply {
    pub id: RequestId,
    pub subscriptions: Vec<PushSubscription>,
}

/// `push_subscription_delete: { device_udid }`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct PushSubscriptionDeleteParams {
    #[schemars(length(min = 1))]
    pub device_udid: String,
}

/// `message: { title: "Title", body: "Message body" }` in `push_event_create`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PushMessage {
    pub title: String,
    pub body: String,
}

/// `push_event_create: { recipients_ids: [...], message: { title, body } }`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct PushEventCreateParams {
    pub recipients_ids: Vec<String>,
    pub message: PushMessage,
}

/// The push event record: `{ _id, user_id, recipients_ids, message:
/// '{"title":"Title","body":"Message body"}', created_at, updated_at }` (the message as a JSON
/// string).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PushEvent {
    #[serde(rename = "_id")]
    pub id: String,
    pub user_id: String,
    pub recipients_ids: Vec<String>,
    pub message: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// `{ response: { id, event: {...} } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PushEventReply {
    pub id: RequestId,
    pub event: PushEvent,
}

/// "Additionally, all conversation's participants who is offline will receive the following
/// push notification: title: "UserName" body: "MessageText", firstAttachmentUrl: "url", cid".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PushNotification {
    pub title: String,
    /// The message's body; empty for a message with attachments only.
    pub body: String,
    /// The download URL of the first attachment, null without one.
    #[serde(rename = "firstAttachmentUrl")]
    pub first_attachment_url: Option<String>,
    pub cid: String,
}
