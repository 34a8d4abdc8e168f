//! Subscriptions: listing, fetching and managing one's own (seed 001, "Get subscriptions",
//! "Get single subscription", "Manage own subscription"), and the subscription record.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Meta;
use super::accounts::ChatUser;
use super::envelope::Timestamp;
use super::rooms::{Group, Role};
use crate::endpoint::{Doc, Endpoint};

/// `get_subscriptions(short, limit, offset) -> {subscriptions}`.
pub struct GetSubscriptions;

impl Endpoint for GetSubscriptions {
    const NAME: &'static str = "get_subscriptions";
    type Request = GetSubscriptionsArgs;
    type Reply = SubscriptionsReply;
    type Meta = Meta;
    const META: Meta = Meta::USER;
    const DOC: Doc = Doc::seed(
        "001",
        "get_subscriptions(short: false,limit: 0,offset: 1000) -> { subscriptions: [<unichat subscription record>,...]",
    );
}

/// `get_subscription(id) -> {subscription}`.
pub struct GetSubscription;

impl Endpoint for GetSubscription {
    const NAME: &'static str = "get_subscription";
    type Request = GetSubscriptionArgs;
    type Reply = SubscriptionReply;
    type Meta = Meta;
    const META: Meta = Meta::USER;
    const DOC: Doc = Doc::seed(
        "001",
        "Use it when you need to get or refresh only one subscription with known id, for exmaple, after receiving the notification.",
    );
}

/// `update_subscription(subscription_id, ...) -> {subscription}`: the seed's "Manage own
/// subscription", whose name was lost (NOTES.md U29).
pub struct UpdateSubscription;

impl Endpoint for UpdateSubscription {
    const NAME: &'static str = "update_subscription";
    type Request = UpdateSubscriptionArgs;
    type Reply = SubscriptionReply;
    type Meta = Meta;
    const META: Meta = Meta::USER;
    const DOC: Doc = Doc::reading(
        "001",
        "Susbscrption have several fields writable by its owner that allow implement better UX",
        "U29",
    );
}

/// The arguments of `get_subscriptions(short, limit, offset)`: "Sunscriptions are ordered by
/// ascending".
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct GetSubscriptionsArgs {
    /// "set short: true to get subscription information without group participants."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short: Option<bool>,
    /// How many subscriptions to return; 0 or absent: no limit (NOTES.md U7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
    /// How many subscriptions to skip first; default 0 (NOTES.md U7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

/// `{subscriptions: [<unichat subscription record>,...]}`
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct SubscriptionsReply {
    /// The caller's subscriptions: "Sunscriptions are ordered by ascending".
    pub subscriptions: Vec<Subscription>,
}

/// The arguments of `get_subscription(id)`: the seed gives no argument name; `subscription_id`
/// and `id` are both accepted (NOTES.md U8).
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct GetSubscriptionArgs {
    /// The id of one of the caller's subscriptions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<u64>,
    /// The same, as `get_subscription(id)` shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
}

/// `{subscription: <subscription_record>}`
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct SubscriptionReply {
    /// The subscription record.
    pub subscription: Subscription,
}

/// The arguments of `update_subscription(subscription_id, ...)`: the seed's "Manage own
/// subscription" call, whose name was lost (NOTES.md U29). "Only supplied fields will be
/// changed."
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct UpdateSubscriptionArgs {
    /// The id of the caller's own subscription.
    pub subscription_id: u64,
    /// "set it to the message id that was likely read by the user."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_read_message_id: Option<i64>,
    /// "Set to empty string to clear it."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft: Option<String>,
    /// "allow tag the subscription with an array of string tags."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// "To clear mute_until set it to any moment in past. Setting to null will not change
    /// its value."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mute_until: Option<String>,
}

/// The subscription record (seed 001): "a group information plus user rights in the group
/// and more important data".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Subscription {
    /// The subscription's id (the `subscription_id` of the methods).
    pub id: u64,
    /// The group it subscribes to.
    pub group_id: u64,
    /// The subscribed user.
    pub user_id: u64,
    /// The user's rights in the group.
    pub role: Role,
    /// "if set to some time, notifications to this subscription should not be shown to the
    /// user clearly"; null when never set.
    pub mute_until: Option<Timestamp>,
    /// "save here the text entered by the user to not to loose it"; null when none.
    pub draft: Option<String>,
    /// Per-subscription tags: "Tags are not visible to others."
    pub tags: Vec<String>,
    /// "the service does not check the value against message ids so you can write there
    /// zero, negative value".
    pub last_read_message_id: Option<i64>,
    /// The latest message that mentioned the user: "the system will set
    /// subscription.last_mentioned_in_message_id accordingly"; null when none.
    pub last_mentioned_in_message_id: Option<u64>,
    /// When the user subscribed.
    pub created_at: Timestamp,
    /// When the user left; null while subscribed.
    pub deleted_at: Option<Timestamp>,
    /// The group record: "a group information".
    pub group: Group,
    /// The subscribed user's chat user record.
    pub user: ChatUser,
}
