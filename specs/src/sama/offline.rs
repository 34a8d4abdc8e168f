//! Offline participants (seed 003): the push notification participants who are offline get
//! for a new message, and the operations log, `op_log_list`, where users who were offline
//! find the edits and deletions they missed ("If users are offline, they will receive a
//! message once became online"; NOTES.md S42, S49, S58).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Meta;
use super::envelope::RequestId;
use super::times::{TimeRange, Timestamp};
use crate::endpoint::{Doc, Endpoint};

/// `op_log_list: { created_at: { gt | lt } }`.
pub struct OpLogList;

impl Endpoint for OpLogList {
    const NAME: &'static str = "op_log_list";
    type Request = OpLogListParams;
    type Reply = OpLogReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::seed("003", "request: { op_log_list: { created_at: { gt: timestamp_in_ms");
}

/// "Additionally, all conversation's participants who is offline will receive the following
/// push notification: title: "UserName" body: "MessageText", firstAttachmentUrl: "url", cid".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PushNotification {
    /// The sender's name: `title: "UserName"`.
    pub title: String,
    /// The message's body; empty for a message with attachments only.
    pub body: String,
    /// The download URL of the first attachment, null without one.
    #[serde(rename = "firstAttachmentUrl")]
    pub first_attachment_url: Option<String>,
    /// The conversation's id: `cid: "63480e68f4794709f802a2fa"`.
    pub cid: String,
}

/// `op_log_list: { created_at: { gt: timestamp_in_ms } }`: "gt or lt param is required".
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct OpLogListParams {
    /// Which entries: `created_at: { gt: timestamp_in_ms }`; "or lt param is required".
    pub created_at: TimeRange,
}

/// One log entry: `{ _id: 325, user_id: 634ec51c0b65918393dca5bf, packet: { ... } }`; the
/// packet is the event as it would have been delivered, e.g. `{ message_edit: {...} }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OpLog {
    /// The entry's id, a number: `_id: 325`.
    #[serde(rename = "_id")]
    pub id: u64,
    /// Whose entry it is: `user_id: 634ec51c0b65918393dca5bf`.
    pub user_id: String,
    /// The event frame missed, e.g. `{ message_edit: {...} }` (NOTES.md S58).
    pub packet: Value,
    /// When the event happened.
    pub created_at: Timestamp,
}

/// `{ response: { logs: [...], id } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OpLogReply {
    /// The request's `id`, echoed as sent.
    pub id: RequestId,
    /// The caller's entries, oldest first: `logs: [ { _id: 325, user_id, packet: { ... } },
    /// ... ]`.
    pub logs: Vec<OpLog>,
}
