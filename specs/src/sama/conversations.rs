//! Conversations (seed 003): `conversation_create` and its `conversation_created` event,
//! `conversation_list`, `get_participants_by_cids`, `conversation_search`, and the
//! conversation record; changes of who takes part are in `membership.rs`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Meta;
use super::envelope::RequestId;
use super::times::{TimeRange, Timestamp};
use super::users::User;
use crate::endpoint::{Doc, Endpoint};

/// `conversation_create: { name, description, type, participants }`.
pub struct ConversationCreate;

impl Endpoint for ConversationCreate {
    const NAME: &'static str = "conversation_create";
    type Request = ConversationCreateParams;
    type Reply = ConversationReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::seed(
        "003",
        "After conversation created, all the online participants will receive the following event about newly created conversation:",
    )
        .rule("S-conversation-created-event");
}

/// `conversation_list: { limit, updated_at }`.
pub struct ConversationList;

impl Endpoint for ConversationList {
    const NAME: &'static str = "conversation_list";
    type Request = ConversationListParams;
    type Reply = ConversationsReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc =
        Doc::seed("003", "request: { conversation_list: { limit: 67, updated_at: { gt: timestamp_in_ms");
}

/// `get_participants_by_cids: { cids }`.
pub struct GetParticipantsByCids;

impl Endpoint for GetParticipantsByCids {
    const NAME: &'static str = "get_participants_by_cids";
    type Request = GetParticipantsByCidsParams;
    type Reply = ParticipantsReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::seed("003", "request: { get_participants_by_cids: { cids: [");
}

/// `conversation_search: { name, limit, updated_at }`.
pub struct ConversationSearch;

impl Endpoint for ConversationSearch {
    const NAME: &'static str = "conversation_search";
    type Request = ConversationSearchParams;
    type Reply = ConversationSearchReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::seed(
        "003",
        "request: { conversation_search: { name: \"conversationName\", limit: 100, updated_at: { gt: timestamp_in_ms,",
    );
}

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
    /// The message's id: `_id :"507f191e810c19729de860ea"`.
    #[serde(rename = "_id")]
    pub id: String,
    /// Its text: `body: "Any news on the recent decision?"`; absent with attachments only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Its author's user id: `from: "507f191e810c19729de880ee"`.
    pub from: String,
    /// Seconds since the epoch.
    pub t: i64,
}

/// The conversation record: `{ _id, type, name, description, owner_id, opponent_id,
/// participants, created_at, updated_at }`; `conversation_list` adds `last_message` and
/// `unread_messages_count`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Conversation {
    /// The conversation's id (the `cid` of messages): `_id: "646e2092d80fe5c4e688dfa0"`.
    #[serde(rename = "_id")]
    #[schemars(length(min = 1))]
    pub id: String,
    /// `u` (private) or `g` (group): "A type param must have only one of two values".
    #[serde(rename = "type")]
    pub kind: ConversationType,
    /// `name: "General"`, when set; a group needs one (NOTES.md S27).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `description: "General discuss chat"`, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The creator, or who took over when the owner left: `owner_id:
    /// "646c82947b3aceab988c0073"` (NOTES.md S26, S35).
    pub owner_id: String,
    /// The participant of a private conversation who is not its owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opponent_id: Option<String>,
    /// Participants' user ids (in events and in the create and update replies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participants: Option<Vec<String>>,
    /// When the conversation was made: `created_at: "2023-05-24T14:34:58.066Z"`.
    pub created_at: Timestamp,
    /// When it last changed, a new message included (NOTES.md S36).
    pub updated_at: Timestamp,
    /// The latest message, in `conversation_list`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_message: Option<LastMessage>,
    /// How many messages the caller has not read, in `conversation_list`:
    /// `unread_messages_count: 2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unread_messages_count: Option<u64>,
}

/// `conversation_create: { name, description, type, participants: [...] }`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct ConversationCreateParams {
    /// `name: "ChantName"`; required for a group (NOTES.md S27).
    #[serde(default)]
    pub name: Option<String>,
    /// `description: "Description"`.
    #[serde(default)]
    pub description: Option<String>,
    /// `type: "g"` or `"u"`: "A type param must have only one of two values".
    #[serde(rename = "type")]
    pub kind: ConversationType,
    /// The other participants; the creator takes part without being listed.
    pub participants: Vec<String>,
}

/// `{ response: { id, conversation: {...} } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConversationReply {
    /// The request's `id`, echoed as sent.
    pub id: RequestId,
    /// The conversation as it is now.
    pub conversation: Conversation,
}

/// `conversation_list: { limit: 67, updated_at: { gt: timestamp_in_ms } }`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct ConversationListParams {
    /// How many conversations at most: `limit: 67`; default and cap 100 (NOTES.md S36).
    #[serde(default)]
    pub limit: Option<u64>,
    /// Only conversations changed in this range: `updated_at: { gt: timestamp_in_ms }`.
    #[serde(default)]
    pub updated_at: Option<TimeRange>,
}

/// `{ response: { id, conversations: [...] } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConversationsReply {
    /// The request's `id`, echoed as sent.
    pub id: RequestId,
    /// The caller's conversations, most recent activity first (NOTES.md S36).
    pub conversations: Vec<Conversation>,
}

/// `get_participants_by_cids: { cids: [...] }`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct GetParticipantsByCidsParams {
    /// The conversations' ids.
    pub cids: Vec<String>,
}

/// `{ response: { id, users: [...], conversations: { <cid>: [<user id>, ...] } } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ParticipantsReply {
    /// The request's `id`, echoed as sent.
    pub id: RequestId,
    /// Every participant of the conversations, once: `users: [ { _id, login }, ... ]`.
    pub users: Vec<User>,
    /// Each conversation's participants' ids: `conversations: { 635a3b4cb15254ebe43e76ff:
    /// [634ec51c0b65918393dca5bf, 63480e68f4794709f802a2fa], ... }`.
    pub conversations: BTreeMap<String, Vec<String>>,
}

/// `conversation_search: { name: "conversationName", limit: 100, updated_at: { gt } }`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct ConversationSearchParams {
    /// What to look for in the names: `name: "conversationName"`.
    pub name: String,
    /// How many conversations at most: `limit: 100`.
    #[serde(default)]
    pub limit: Option<u64>,
    /// Only conversations changed in this range: `updated_at: { gt: timestamp_in_ms }`.
    #[serde(default)]
    pub updated_at: Option<TimeRange>,
}

/// One hit of `conversation_search`: `{ _id: "507f1f77bcf86cd799439011", name:
/// "conversationNameTest" }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConversationHit {
    /// The conversation's id.
    #[serde(rename = "_id")]
    pub id: String,
    /// The conversation's name.
    pub name: String,
}

/// `{ response: { id, conversations: [ { _id, name }, ... ] } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConversationSearchReply {
    /// The request's `id`, echoed as sent.
    pub id: RequestId,
    /// The conversations whose name matches.
    pub conversations: Vec<ConversationHit>,
}

/// `x: { conversation_created: {...} }`: "After conversation created, all the online
/// participants will receive the following event about newly created conversation".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CreatedX {
    /// The new conversation.
    pub conversation_created: Conversation,
}

/// A conversation event, sent as `system_message: { _id, t, cid, from, x: {...} }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConversationNotice<X> {
    /// The event's id: `_id: "646e2092d80fe5c4e688dfa0"` (the `cid` in every example,
    /// NOTES.md S29).
    #[serde(rename = "_id")]
    pub id: String,
    /// Seconds since the epoch.
    pub t: i64,
    /// The conversation's id.
    pub cid: String,
    /// The user who made the change.
    pub from: String,
    /// What happened: `x: { conversation_created: {...} }`, `conversation_updated` or
    /// `conversation_kicked`.
    pub x: X,
}
