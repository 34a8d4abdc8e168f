//! Messages (seed 003): the `message` and `system_message` packets and their `ack`,
//! `message_list`, `message_read`, `typing`, `message_delete`, `message_edit`, the message
//! record, and the events they cause.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::envelope::RequestId;
use super::times::{TimeRange, Timestamp};

/// A message attachment. The seed shows `{ name: "file_1", size: 240, content_type: "type" }`
/// on sending and `{ file_id: "123123_file_1", file_name: "file_1" }` on delivery; an
/// attachment is kept and delivered as the client sent it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Attachment {
    /// The `_id` of a file made with `create_files`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Anything else the client put in.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// The `message` packet: `message: { id: "5а34p21m0xj23", body: "hey how is going?", cid,
/// x: { param1: "value" }, attachments: [...] }`. `id` is the client's; the reply is an `ack`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct MessageParams {
    #[schemars(length(min = 1))]
    pub id: String,
    #[schemars(length(min = 1))]
    pub cid: String,
    #[serde(default)]
    pub body: Option<String>,
    /// Free-form extra data, delivered as sent.
    #[serde(default)]
    pub x: Option<BTreeMap<String, Value>>,
    #[serde(default)]
    pub attachments: Option<Vec<Attachment>>,
}

/// The message record: "All conversation's participants who is online will receive the
/// following message in real-time: message: { _id, t, from, body, cid, x, attachments,
/// created_at }"; `message_list` shows `status: "sent"` too.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Message {
    #[serde(rename = "_id")]
    #[schemars(length(min = 1))]
    pub id: String,
    /// Seconds since the epoch: "the time at which the message was stored".
    pub t: i64,
    pub from: String,
    /// Left out when the message has attachments only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    pub cid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<BTreeMap<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<Attachment>>,
    /// `sent`, or `read` once a recipient has read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    pub created_at: Timestamp,
}

/// "On each message sent to server - a server will deliver back to client a simple packet
/// with message id and timestamp at which the message was stored in DB so both sender &
/// recipient will have same date sent time stored: { ack: { mid, server_mid, t } }".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Ack {
    /// The client's `id`.
    pub mid: String,
    /// The stored message's `_id`.
    #[schemars(length(min = 1))]
    pub server_mid: String,
    /// Seconds since the epoch, the message's `t`.
    pub t: i64,
}

/// The `system_message` packet: `system_message: { id, uids: [...], x }` or `{ id, cid, x }`:
/// "'uids' should contain recipients user id".
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct SystemMessageParams {
    #[schemars(length(min = 1))]
    pub id: String,
    #[serde(default)]
    pub uids: Option<Vec<String>>,
    #[serde(default)]
    pub cid: Option<String>,
    #[serde(default)]
    pub x: Option<BTreeMap<String, Value>>,
}

/// A delivered system message: `system_message: { _id: "5а34p21m0xj23", t, from, x }`, with
/// `cid` when sent to a conversation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SystemMessage {
    #[serde(rename = "_id")]
    pub id: String,
    pub t: i64,
    pub from: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cid: Option<String>,
    pub x: BTreeMap<String, Value>,
}

/// `message_list: { cid, limit: 27, updated_at: { gt: timestamp_in_ms } }`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct MessageListParams {
    #[schemars(length(min = 1))]
    pub cid: String,
    #[serde(default)]
    pub limit: Option<u64>,
    #[serde(default)]
    pub updated_at: Option<TimeRange>,
}

/// `{ response: { id, messages: [...] } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MessagesReply {
    pub id: RequestId,
    pub messages: Vec<Message>,
}

/// `message_read: { cid, ids: [...] }`: "If ids is omit, we mark all unread messages as
/// read."
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct MessageReadParams {
    #[schemars(length(min = 1))]
    pub cid: String,
    #[serde(default)]
    pub ids: Option<Vec<String>>,
}

/// "Then, all the users whose messages we read will receive the following message:
/// message_read: { cid, ids, from }".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MessageReadEvent {
    pub cid: String,
    pub ids: Vec<String>,
    /// The reader.
    pub from: String,
}

/// "A user either can send typing or stop typing packets: typing: { cid: "xcv" }". A
/// `status` and an `id` may come along.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct TypingParams {
    #[schemars(length(min = 1))]
    pub cid: String,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub id: Option<RequestId>,
}

/// "Then other users in this conversation who is online will receive the same typing
/// message", with `from` saying who types.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TypingEvent {
    pub cid: String,
    pub from: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// `type: "myself" | "all"`: "Can delete for current user or for all users in a
/// conversation."
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeleteScope {
    Myself,
    All,
}

/// `message_delete: { cid, ids: [...], type: "myself" | "all" }`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct MessageDeleteParams {
    #[schemars(length(min = 1))]
    pub cid: String,
    pub ids: Vec<String>,
    #[serde(rename = "type")]
    pub scope: DeleteScope,
}

/// "If use "all", then other users in this conversation who is online will receive the
/// following message: message_delete: { cid, ids, type: "all", from }".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MessageDeleteEvent {
    pub cid: String,
    pub ids: Vec<String>,
    #[serde(rename = "type")]
    pub scope: DeleteScope,
    pub from: String,
}

/// `message_edit: { id, body }`: "A message sender can edit own message."
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct MessageEditParams {
    #[schemars(length(min = 1))]
    pub id: String,
    pub body: String,
}

/// "Then other users in this conversation who is online will receive the following message:
/// message_edit: { id, body, from }".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MessageEditEvent {
    pub id: String,
    pub body: String,
    pub from: String,
}
