//! Push subscriptions and push events (seed 003): `push_subscription_create`,
//! `push_subscription_list`, `push_subscription_delete` and `push_event_create` (NOTES.md S52
//! to S54). The push notification offline participants get for a new message is in
//! `offline.rs`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Meta;
use super::envelope::{RequestId, SuccessReply};
use super::times::Timestamp;
use crate::endpoint::{Doc, Endpoint};

/// `push_subscription_create: { platform, web_endpoint, web_key_auth, web_key_p256dh,
/// device_token, device_udid }`.
pub struct PushSubscriptionCreate;

impl Endpoint for PushSubscriptionCreate {
    const NAME: &'static str = "push_subscription_create";
    type Request = PushSubscriptionCreateParams;
    type Reply = PushSubscriptionReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::seed(
        "003",
        "The [`web_endpoint`, `web_key_auth`, `web_key_p256dh`] and `device_token` fields are interchangeable for different devices",
    )
        .rule("S-push-subscription-fields");
}

/// `push_subscription_list: { user_id }`.
pub struct PushSubscriptionList;

impl Endpoint for PushSubscriptionList {
    const NAME: &'static str = "push_subscription_list";
    type Request = PushSubscriptionListParams;
    type Reply = PushSubscriptionsReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc =
        Doc::seed("003", "request: { push_subscription_list: { user_id: \"644157e316eec28e3dfb8b31\"");
}

/// `push_subscription_delete: { device_udid }`.
pub struct PushSubscriptionDelete;

impl Endpoint for PushSubscriptionDelete {
    const NAME: &'static str = "push_subscription_delete";
    type Request = PushSubscriptionDeleteParams;
    type Reply = SuccessReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::seed("003", "request: { push_subscription_delete: { device_udid: \"deviceId\"");
}

/// `push_event_create: { recipients_ids, message: { title, body } }`.
pub struct PushEventCreate;

impl Endpoint for PushEventCreate {
    const NAME: &'static str = "push_event_create";
    type Request = PushEventCreateParams;
    type Reply = PushEventReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::seed(
        "003",
        "request: { push_event_create: { recipients_ids: [\"644157e316eec28e3dfb8b31\", \"644157e316eec28e3dfb8b32\"],",
    );
}

/// The platform a subscription delivers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    /// `web`: a browser, with `web_endpoint`, `web_key_auth` and `web_key_p256dh`.
    Web,
    /// `ios`: a device with a `device_token`.
    Ios,
    /// `android`: a device with a `device_token`.
    Android,
}

/// `push_subscription_create: { platform, web_endpoint, web_key_auth, web_key_p256dh,
/// device_token, device_udid }`: "The [`web_endpoint`, `web_key_auth`, `web_key_p256dh`] and
/// `device_token` fields are interchangeable for different devices".
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct PushSubscriptionCreateParams {
    /// Where to deliver: `platform: "web"`.
    pub platform: Platform,
    /// The web push endpoint URL: `web_endpoint: 'enpoint'`; for `web`.
    #[serde(default)]
    pub web_endpoint: Option<String>,
    /// The web push auth secret: `web_key_auth: 'auth'`; for `web`.
    #[serde(default)]
    pub web_key_auth: Option<String>,
    /// The web push public key: `web_key_p256dh: 'p256dh'`; for `web`.
    #[serde(default)]
    pub web_key_p256dh: Option<String>,
    /// The mobile push token: `device_token: "..."`; for `ios` and `android`.
    #[serde(default)]
    pub device_token: Option<String>,
    /// The device's id: `device_udid: "deviceId"`.
    #[schemars(length(min = 1))]
    pub device_udid: String,
}

/// The subscription record: `{ _id, platform, web_endpoint, web_key_auth, web_key_p256dh,
/// device_udid, user_id, created_at, updated_at }` (`device_token` for mobile platforms).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PushSubscription {
    /// The subscription's id: `_id: "644156fea451b5950d13d0e8"`.
    #[serde(rename = "_id")]
    pub id: String,
    /// Where it delivers: `platform: 'web'`.
    pub platform: Platform,
    /// The web push endpoint URL, for `web`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_endpoint: Option<String>,
    /// The web push auth secret, for `web`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_key_auth: Option<String>,
    /// The web push public key, for `web`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_key_p256dh: Option<String>,
    /// The mobile push token, for `ios` and `android`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_token: Option<String>,
    /// The device's id: `device_udid: 'deviceId'`.
    pub device_udid: String,
    /// The subscribed user: `user_id: "644156fea451b5950d13d0e5"`.
    pub user_id: String,
    /// When it was made (the examples show `""`; an ISO date).
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// `{ response: { id, subscription: {...} } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PushSubscriptionReply {
    /// The request's `id`, echoed as sent.
    pub id: RequestId,
    /// The subscription made.
    pub subscription: PushSubscription,
}

/// `push_subscription_list: { user_id }`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct PushSubscriptionListParams {
    /// Whose subscriptions: `user_id: "644157e316eec28e3dfb8b31"`; the caller's when absent.
    #[serde(default)]
    pub user_id: Option<String>,
}

/// `{ response: { id, subscriptions: [...] } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PushSubscriptionsReply {
    /// The request's `id`, echoed as sent.
    pub id: RequestId,
    /// The user's subscriptions: `subscriptions: [ {...}, {...} ]`.
    pub subscriptions: Vec<PushSubscription>,
}

/// `push_subscription_delete: { device_udid }`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct PushSubscriptionDeleteParams {
    /// The device whose subscription goes: `device_udid: "deviceId"`.
    #[schemars(length(min = 1))]
    pub device_udid: String,
}

/// `message: { title: "Title", body: "Message body" }` in `push_event_create`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PushMessage {
    /// `title: "Title"`.
    pub title: String,
    /// `body: "Message body"`.
    pub body: String,
}

/// `push_event_create: { recipients_ids: [...], message: { title, body } }`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct PushEventCreateParams {
    /// The users to notify: `recipients_ids: ["644157e316eec28e3dfb8b31", ...]`.
    pub recipients_ids: Vec<String>,
    /// What to show: `message: { title: "Title", body: "Message body" }`.
    pub message: PushMessage,
}

/// The push event record: `{ _id, user_id, recipients_ids, message:
/// '{"title":"Title","body":"Message body"}', created_at, updated_at }` (the message as a JSON
/// string).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PushEvent {
    /// The event's id: `_id: "64415891066758fe6754f477"`.
    #[serde(rename = "_id")]
    pub id: String,
    /// The sender: `user_id: '64415890066758fe6754f472'`.
    pub user_id: String,
    /// The users notified.
    pub recipients_ids: Vec<String>,
    /// The message as a JSON string: `message: '{"title":"Title","body":"Message body"}'`.
    pub message: String,
    /// When it was made (the example shows `""`; an ISO date).
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// `{ response: { id, event: {...} } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PushEventReply {
    /// The request's `id`, echoed as sent.
    pub id: RequestId,
    /// The event made.
    pub event: PushEvent,
}
