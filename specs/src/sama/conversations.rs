//! Conversations (seed 003): `conversation_create`, `conversation_update`,
//! `conversation_delete`, `conversation_list`, `get_participants_by_cids`,
//! `conversation_search`, the conversation record, and the events and stored messages a
//! change of participants causes.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::envelope::RequestId;
use super::times::{TimeRange, Timestamp};
use super::users::User;

/// "A type param must have only one of two values": `u` "a private conversations for two
/// people only", `g` "conversations for a group of users, two or more".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ConversationType {
    /// `u`: private, two people.
    #[serde(rename = "u")]
    Private,
    /// `g`: a group.
    #[serde(rename = "g")]
    Group,
}

/// `last_message: { _id, body, from, t }` in `conversation_list`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LastMessage {
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    pub from: String,
    /// Seconds since the epoch.
    pub t: i64,
}

/// The conversation record: `{ _id, type, name, description, owner_id, opponent_id,
/// participants, created_at, updated_at }`; `conversation_list` adds `last_message` and
/// `unread_messages_count`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Conversation {
    #[serde(rename = "_id")]
    #[schemars(length(min = 1))]
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ConversationType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub owner_id: String,
    /// The participant of a private conversation who is not its owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opponent_id: Option<String>,
    /// Participants' user ids (in events and in the create and update replies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participants: Option<Vec<String>>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_message: Option<LastMessage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unread_messages_count: Option<u64>,
}

/// `conversation_create: { name, description, type, participants: [...] }`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct ConversationCreateParams {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(rename = "type")]
    pub kind: ConversationType,
    /// The other participants; the creator takes part without being listed.
    pub participants: Vec<String>,
}

/// `participants: { add: [...], remove: [...] }` in `conversation_update`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct ParticipantsChange {
    #[serde(default)]
    pub add: Option<Vec<String>>,
    #[serde(default)]
    pub remove: Option<Vec<String>>,
}

/// `conversation_update: { id, name, description, participants: { add, remove } }`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct ConversationUpdateParams {
    #[schemars(length(min = 1))]
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub participants: Option<ParticipantsChange>,
}

/// `conversation_delete: { id }`: the caller leaves; the conversation goes with its last
/// participant.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct ConversationDeleteParams {
    #[schemars(length(min = 1))]
    pub id: String,
}

/// `{ response: { id, conversation: {...} } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConversationReply {
    pub id: RequestId,
    pub conversation: Conversation,
}

/// `conversation_list: { limit: 67, updated_at: { gt: timestamp_in_ms } }`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct ConversationListParams {
    #[serde(default)]
    pub limit: Option<u64>,
    #[serde(default)]
    pub updated_at: Option<TimeRange>,
}

/// `{ response: { id, conversations: [...] } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConversationsReply {
    pub id: RequestId,
    pub conversations: Vec<Conversation>,
}

/// `get_participants_by_cids: { cids: [...] }`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct GetParticipantsByCidsParams {
    pub cids: Vec<String>,
}

/// `{ response: { id, users: [...], conversations: { <cid>: [<user id>, ...] } } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ParticipantsReply {
    pub id: RequestId,
    pub users: Vec<User>,
    pub conversations: BTreeMap<String, Vec<String>>,
}

/// `conversation_search: { name: "conversationName", limit: 100, updated_at: { gt } }`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct ConversationSearchParams {
    pub name: String,
    #[serde(default)]
    pub limit: Option<u64>,
    #[serde(default)]
    pub updated_at: Option<TimeRange>,
}

/// One hit of `conversation_search`: `{ _id: "507f1f77bcf86cd799439011", name:
/// "conversationNameTest" }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConversationHit {
    #[serde(rename = "_id")]
    pub id: String,
    pub name: String,
}

/// `{ response: { id, conversations: [ { _id, name }, ... ] } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConversationSearchReply {
    pub id: RequestId,
    pub conversations: Vec<ConversationHit>,
}

/// `x: { conversation_created: {...} }`: "After conversation created, all the online
/// participants will receive the following event about newly created conversation".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CreatedX {
    pub conversation_created: Conversation,
}

/// `x: { conversation_updated: {...} }`: "After adding users to a conversation, if they are
/// online, they will receive the following event".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UpdatedX {
    pub conversation_updated: Conversation,
}

/// `x: { conversation_kicked: {...} }`: "After kicking users out of the conversation, if they
/// are online, they will receive the following event".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct KickedX {
    pub conversation_kicked: Conversation,
}

/// A conversation event, sent as `system_message: { _id, t, cid, from, x: {...} }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConversationNotice<X> {
    #[serde(rename = "_id")]
    pub id: String,
    /// Seconds since the epoch.
    pub t: i64,
    pub cid: String,
    /// The user who made the change.
    pub from: String,
    pub x: X,
}

/// What a participant message says happened: `added_participant`, `removed_participant`
/// or `left_participants` (the seed's spellings).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ParticipantChange {
    #[serde(rename = "added_participant")]
    Added,
    #[serde(rename = "removed_participant")]
    Removed,
    #[serde(rename = "left_participants")]
    Left,
}

/// `x: { type: "added_participant", user: {...} }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ParticipantX {
    #[serde(rename = "type")]
    pub kind: ParticipantChange,
    pub user: User,
}

/// A stored participant message, sent as `message`: "The following message will also be
/// sent to all users who are online and saved in the Message": `{ _id, body: "Ivan Ivanovich
/// has been added to the group", cid, from, status: "sent", t, x: { type, user },
/// created_at }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ParticipantMessage {
    #[serde(rename = "_id")]
    pub id: String,
    pub body: String,
    pub cid: String,
    pub from: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Seconds since the epoch.
    pub t: i64,
    pub x: ParticipantX,
    pub created_at: Timestamp,
}
