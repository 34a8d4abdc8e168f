//! Messages (seed 003): the `message` and `system_message` packets and their `ack`,
//! `message_list`, `message_read`, the `typing` packet, the message record, and the events
//! they cause; edits and deletions are in `edits.rs`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Meta;
use super::envelope::{NoReply, RequestId, SuccessReply};
use super::times::{TimeRange, Timestamp};
use crate::endpoint::{Doc, Endpoint};

/// The `message` packet, answered with an `ack`.
pub struct MessagePacket;

impl Endpoint for MessagePacket {
    const NAME: &'static str = "message";
    type Request = MessageParams;
    type Reply = Ack;
    type Meta = Meta;
    const META: Meta = Meta::PACKET;
    const DOC: Doc = Doc::seed(
        "003",
        "All conversation's participants who is online will receive the following message in real-time:",
    )
    .rule("S-message-delivery");
}

/// The `system_message` packet, to `uids` or to a conversation, answered with an `ack`
/// (NOTES.md S40, S44).
pub struct SystemMessagePacket;

impl Endpoint for SystemMessagePacket {
    const NAME: &'static str = "system_message";
    type Request = SystemMessageParams;
    type Reply = Ack;
    type Meta = Meta;
    const META: Meta = Meta::PACKET;
    const DOC: Doc = Doc::seed(
        "003",
        "'uids' should contain recipients user id, who is online will receive the following message in real-time:",
    )
        .rule("S-system-message-uids");
}

/// The `typing` packet, passed on to the others and answered with nothing (NOTES.md S47).
pub struct TypingPacket;

impl Endpoint for TypingPacket {
    const NAME: &'static str = "typing";
    type Request = TypingParams;
    type Reply = NoReply;
    type Meta = Meta;
    const META: Meta = Meta::PACKET;
    const DOC: Doc = Doc::seed("003", "A user either can send typing or stop typing packets:");
}

/// `message_list: { cid, limit, updated_at }`.
pub struct MessageList;

impl Endpoint for MessageList {
    const NAME: &'static str = "message_list";
    type Request = MessageListParams;
    type Reply = MessagesReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc =
        Doc::seed("003", "All offline participants can retrieve the messages via below List messages");
}

/// `message_read: { cid, ids }`.
pub struct MessageRead;

impl Endpoint for MessageRead {
    const NAME: &'static str = "message_read";
    type Request = MessageReadParams;
    type Reply = SuccessReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc =
        Doc::seed("003", "If ids is omit, we mark all unread messages as read.").rule("S-message-read-all");
}

/// A message attachment. The seed shows `{ name: "file_1", size: 240, content_type: "type" }`
/// on sending and `{ file_id: "123123_file_1", file_name: "file_1" }` on delivery; an
/// attachment is kept and delivered as the client sent it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Attachment {
    /// The `_id` of a file made with `create_files`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_id: Option<String>,
    /// The file's name on delivery: `file_name: "file_1"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// The file's name on sending: `name: "file_1"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The file's size in bytes: `size: 240`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// The file's media type: `content_type: "type"`.
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
    /// The client's id for the message, echoed as the ack's `mid`: `id: "5а34p21m0xj23"`.
    #[schemars(length(min = 1))]
    pub id: String,
    /// The conversation's id: `cid: "63480e68f4794709f802a2fa"`.
    #[schemars(length(min = 1))]
    pub cid: String,
    /// The text: `body: "hey how is going?"`.
    #[serde(default)]
    pub body: Option<String>,
    /// Free-form extra data, delivered as sent.
    #[serde(default)]
    pub x: Option<BTreeMap<String, Value>>,
    /// Files: `attachments: [ { name: "file_1", size: 240, content_type: "type" }, ... ]`.
    #[serde(default)]
    pub attachments: Option<Vec<Attachment>>,
}

/// The message record: "All conversation's participants who is online will receive the
/// following message in real-time: message: { _id, t, from, body, cid, x, attachments,
/// created_at }"; `message_list` shows `status: "sent"` too.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Message {
    /// The stored message's id: `_id: "63480e68f4794709f802a2fa"`.
    #[serde(rename = "_id")]
    #[schemars(length(min = 1))]
    pub id: String,
    /// Seconds since the epoch: "the time at which the message was stored".
    pub t: i64,
    /// The author's user id: `from: "634ec51c0b65918393dca5bf"`.
    pub from: String,
    /// Left out when the message has attachments only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The conversation's id.
    pub cid: String,
    /// The extra data the sender gave: `x: { param1: "value", param2: "value" }`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<BTreeMap<String, Value>>,
    /// The files, as sent: `attachments: [ { file_id: "123123_file_1", file_name: "file_1" },
    /// ... ]` (NOTES.md S39).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<Attachment>>,
    /// `sent`, or `read` once a recipient has read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// When it was stored: `created_at: "2023-07-04T07:23:53.308Z"`.
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
    /// The client's id, delivered as `_id`: `id: "5а34p21m0xj23"` (NOTES.md S44).
    #[schemars(length(min = 1))]
    pub id: String,
    /// "'uids' should contain recipients user id".
    #[serde(default)]
    pub uids: Option<Vec<String>>,
    /// Or the conversation whose participants get it: "with 'cid'".
    #[serde(default)]
    pub cid: Option<String>,
    /// The data to deliver: `x: { param1: "value", param2: "value" }`.
    #[serde(default)]
    pub x: Option<BTreeMap<String, Value>>,
}

/// A delivered system message: `system_message: { _id: "5а34p21m0xj23", t, from, x }`, with
/// `cid` when sent to a conversation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SystemMessage {
    /// The sender's `id`: `_id: "5а34p21m0xj23"`.
    #[serde(rename = "_id")]
    pub id: String,
    /// Seconds since the epoch: `t: 15673838833`.
    pub t: i64,
    /// The sender's user id: `from: "634ec51c0b65918393dca5bf"`.
    pub from: String,
    /// The conversation's id, when sent "with 'cid'".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cid: Option<String>,
    /// The data, as sent: `x: { param1: "value", param2: "value" }`.
    pub x: BTreeMap<String, Value>,
}

/// `message_list: { cid, limit: 27, updated_at: { gt: timestamp_in_ms } }`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct MessageListParams {
    /// The conversation's id: `cid: "63077ad836b78c3d82af0812"`.
    #[schemars(length(min = 1))]
    pub cid: String,
    /// How many messages at most: `limit: 27`.
    #[serde(default)]
    pub limit: Option<u64>,
    /// Only messages changed in this range: `updated_at: { gt: timestamp_in_ms }`.
    #[serde(default)]
    pub updated_at: Option<TimeRange>,
}

/// `{ response: { id, messages: [...] } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MessagesReply {
    /// The request's `id`, echoed as sent.
    pub id: RequestId,
    /// The conversation's messages: `messages: [ { _id, body, cid, from, status: "sent", ...
    /// } ]`.
    pub messages: Vec<Message>,
}

/// `message_read: { cid, ids: [...] }`: "If ids is omit, we mark all unread messages as
/// read."
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct MessageReadParams {
    /// The conversation's id: `cid: "63077ad836b78c3d82af0812"`.
    #[schemars(length(min = 1))]
    pub cid: String,
    /// The messages read: "If ids is omit, we mark all unread messages as read."
    #[serde(default)]
    pub ids: Option<Vec<String>>,
}

/// "Then, all the users whose messages we read will receive the following message:
/// message_read: { cid, ids, from }".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MessageReadEvent {
    /// The conversation's id.
    pub cid: String,
    /// The messages read: `ids: ["63480e68f4794709f802a2fa", "63077ad836b78c3d82af0866"]`.
    pub ids: Vec<String>,
    /// The reader.
    pub from: String,
}

/// "A user either can send typing or stop typing packets: typing: { cid: "xcv" }". A
/// `status` and an `id` may come along.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct TypingParams {
    /// The conversation's id: `cid: "xcv"`.
    #[schemars(length(min = 1))]
    pub cid: String,
    /// Whether the user types or stopped (e.g. `start`): "can send typing or stop typing
    /// packets".
    #[serde(default)]
    pub status: Option<String>,
    /// An id for the error reply, should the packet fail (NOTES.md S47).
    #[serde(default)]
    pub id: Option<RequestId>,
}

/// "Then other users in this conversation who is online will receive the same typing
/// message", with `from` saying who types.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TypingEvent {
    /// The conversation's id.
    pub cid: String,
    /// Who types.
    pub from: String,
    /// The sender's `status`, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}
