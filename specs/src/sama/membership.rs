//! Who takes part (seed 003): `conversation_update` (name, description, participants added
//! and removed), `conversation_delete` (leaving), the `conversation_updated` and
//! `conversation_kicked` events and the stored participant messages (NOTES.md S29, S31 to
//! S35).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Meta;
use super::conversations::{Conversation, ConversationReply};
use super::envelope::SuccessReply;
use super::times::Timestamp;
use super::users::User;
use crate::endpoint::{Doc, Endpoint};

/// `conversation_update: { id, name, description, participants: { add, remove } }`.
pub struct ConversationUpdate;

impl Endpoint for ConversationUpdate {
    const NAME: &'static str = "conversation_update";
    type Request = ConversationUpdateParams;
    type Reply = ConversationReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::seed(
        "003",
        "After adding users to a conversation, if they are online, they will receive the following event about the newly created conversation:",
    )
        .rule("S-conversation-updated-event");
}

/// `conversation_delete: { id }`: leaving the conversation.
pub struct ConversationDelete;

impl Endpoint for ConversationDelete {
    const NAME: &'static str = "conversation_delete";
    type Request = ConversationDeleteParams;
    type Reply = SuccessReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::seed(
        "003",
        "When a user leaves the group chat, the next message will also be sent to all users who are online and saved in the Messages",
    )
        .rule("S-left-participants-message");
}

/// `participants: { add: [...], remove: [...] }` in `conversation_update`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct ParticipantsChange {
    /// Users to add: `add: [ "63077ad836b78c3d82af0812", "63077ad836b78c3d82af0832" ]`.
    #[serde(default)]
    pub add: Option<Vec<String>>,
    /// Users to remove: `remove: [ "63077ad836b78c3d82af0816" ]`; only the owner may
    /// (NOTES.md S31).
    #[serde(default)]
    pub remove: Option<Vec<String>>,
}

/// `conversation_update: { id, name, description, participants: { add, remove } }`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct ConversationUpdateParams {
    /// The conversation's id: `id: currentConversationId`.
    #[schemars(length(min = 1))]
    pub id: String,
    /// The new name: `name: "NewName"`.
    #[serde(default)]
    pub name: Option<String>,
    /// The new description: `description: "NewDescription"`.
    #[serde(default)]
    pub description: Option<String>,
    /// Who joins and who goes.
    #[serde(default)]
    pub participants: Option<ParticipantsChange>,
}

/// `conversation_delete: { id }`: the caller leaves; the conversation goes with its last
/// participant.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct ConversationDeleteParams {
    /// The conversation's id: `id: "63077ad836b78c3d82af0812"`.
    #[schemars(length(min = 1))]
    pub id: String,
}

/// `x: { conversation_updated: {...} }`: "After adding users to a conversation, if they are
/// online, they will receive the following event".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UpdatedX {
    /// The conversation as it now is.
    pub conversation_updated: Conversation,
}

/// `x: { conversation_kicked: {...} }`: "After kicking users out of the conversation, if they
/// are online, they will receive the following event".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct KickedX {
    /// The conversation as it now is.
    pub conversation_kicked: Conversation,
}

/// What a participant message says happened: `added_participant`, `removed_participant`
/// or `left_participants` (the seed's spellings).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ParticipantChange {
    /// `type: "added_participant"`: "has been added to the group".
    #[serde(rename = "added_participant")]
    Added,
    /// `type: "removed_participant"`: "has been remove from the group".
    #[serde(rename = "removed_participant")]
    Removed,
    /// `type: "left_participants"`: "has left the group".
    #[serde(rename = "left_participants")]
    Left,
}

/// `x: { type: "added_participant", user: {...} }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ParticipantX {
    /// What happened to the user.
    #[serde(rename = "type")]
    pub kind: ParticipantChange,
    /// The user added, removed or leaving.
    pub user: User,
}

/// A stored participant message, sent as `message`: "The following message will also be
/// sent to all users who are online and saved in the Message": `{ _id, body: "Ivan Ivanovich
/// has been added to the group", cid, from, status: "sent", t, x: { type, user },
/// created_at }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ParticipantMessage {
    /// The stored message's id: `_id: "655b479fe980b3e36f402234"`.
    #[serde(rename = "_id")]
    pub id: String,
    /// What happened, for people: `body: "Ivan Ivanovich has been added to the group"`.
    pub body: String,
    /// The conversation's id.
    pub cid: String,
    /// The user who made the change.
    pub from: String,
    /// `status: "sent"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Seconds since the epoch.
    pub t: i64,
    /// The change: `x: { type: "added_participant", user: {...} }`.
    pub x: ParticipantX,
    /// When it was stored: `created_at: "2023-05-24T14:34:58.066Z"`.
    pub created_at: Timestamp,
}
