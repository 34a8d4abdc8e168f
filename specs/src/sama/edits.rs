//! Changing sent messages (seed 003): `message_delete` (`myself` or `all`) and
//! `message_edit`, and the events they send; the others hear now, or through the op log once
//! back online (NOTES.md S48 to S50).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Meta;
use super::envelope::SuccessReply;
use crate::endpoint::{Doc, Endpoint};

/// `message_delete: { cid, ids, type }`.
pub struct MessageDelete;

impl Endpoint for MessageDelete {
    const NAME: &'static str = "message_delete";
    type Request = MessageDeleteParams;
    type Reply = SuccessReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::seed(
        "003",
        "Delete multiple messages in conversation. Can delete for current user or for all users in a conversation.",
    );
}

/// `message_edit: { id, body }`.
pub struct MessageEdit;

impl Endpoint for MessageEdit {
    const NAME: &'static str = "message_edit";
    type Request = MessageEditParams;
    type Reply = SuccessReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::seed("003", "A message sender can edit own message.").rule("S-message-edit-own");
}

/// `type: "myself" | "all"`: "Can delete for current user or for all users in a
/// conversation."
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeleteScope {
    /// `myself`: "for current user".
    Myself,
    /// `all`: "for all users in a conversation".
    All,
}

/// `message_delete: { cid, ids: [...], type: "myself" | "all" }`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct MessageDeleteParams {
    /// The conversation's id: `cid: "63077ad836b78c3d82af0812"`.
    #[schemars(length(min = 1))]
    pub cid: String,
    /// The messages' ids: "Delete multiple messages in conversation."
    pub ids: Vec<String>,
    /// For whom: `type: "myself" | "all"`.
    #[serde(rename = "type")]
    pub scope: DeleteScope,
}

/// "If use "all", then other users in this conversation who is online will receive the
/// following message: message_delete: { cid, ids, type: "all", from }".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MessageDeleteEvent {
    /// The conversation's id.
    pub cid: String,
    /// The deleted messages' ids.
    pub ids: Vec<String>,
    /// Always `all`: `type: "all"`.
    #[serde(rename = "type")]
    pub scope: DeleteScope,
    /// Who deleted them: `from: "634ec51c0b65918393dca5bf"`.
    pub from: String,
}

/// `message_edit: { id, body }`: "A message sender can edit own message."
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct MessageEditParams {
    /// The message's id: `id: "63077ad836b78c3d82af0812"`.
    #[schemars(length(min = 1))]
    pub id: String,
    /// The new text: `body: "updated message body"`.
    pub body: String,
}

/// "Then other users in this conversation who is online will receive the following message:
/// message_edit: { id, body, from }".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MessageEditEvent {
    /// The message's id.
    pub id: String,
    /// The new text: `body: "updated message body"`.
    pub body: String,
    /// Who edited it: `from: "634ec51c0b65918393dca5bf"`.
    pub from: String,
}
