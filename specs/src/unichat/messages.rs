//! Messages: posting with an idempotent uid, serials, loading, editing and deleting (seed 001,
//! "Post message", "Why uid?", "Message serial", "Load messages", "Get single message", "Edit
//! own message", "Delete own message", "Mentions"), and the message record.

use schemars::{JsonSchema, Schema};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::Meta;
use super::attachments::{Attachment, DataUrl, UploadIds};
use super::envelope::{FlexId, Timestamp};
use crate::endpoint::{Doc, Endpoint};

/// `post_message(...) -> {message}`.
pub struct PostMessage;

impl Endpoint for PostMessage {
    const NAME: &'static str = "post_message";
    type Request = PostMessageArgs;
    type Reply = MessageReply;
    type Meta = Meta;
    const META: Meta = Meta::USER;
    const DOC: Doc =
        Doc::seed("001", "User can post messages to groups where it is subscribed and has write permission.");
}

/// `get_messages(group_id|subscription_id, limit, offset, before_id, after_serial) ->
/// {messages}`.
pub struct GetMessages;

impl Endpoint for GetMessages {
    const NAME: &'static str = "get_messages";
    type Request = GetMessagesArgs;
    type Reply = MessagesReply;
    type Meta = Meta;
    const META: Meta = Meta::USER;
    const DOC: Doc = Doc::seed(
        "001",
        "This function allow reading exisitng messages in a group with paging in tow modes: get most recently created and get created and added after some point.",
    );
}

/// `get_message(message_id) -> {message}`.
pub struct GetMessage;

impl Endpoint for GetMessage {
    const NAME: &'static str = "get_message";
    type Request = GetMessageArgs;
    type Reply = MessageReply;
    type Meta = Meta;
    const META: Meta = Meta::USER;
    const DOC: Doc = Doc::seed("001", "get_message(message_id:<long>) -> {message:<message_record>}")
        .rule("U-get-message");
}

/// `edit_message(message_id, text, attachment, clear_in_reply_to_message_id, task_ids) ->
/// {message}`.
pub struct EditMessage;

impl Endpoint for EditMessage {
    const NAME: &'static str = "edit_message";
    type Request = EditMessageArgs;
    type Reply = MessageReply;
    type Meta = Meta;
    const META: Meta = Meta::USER;
    const DOC: Doc = Doc::seed(
        "001",
        "Editing own messages is only allowed within certain time period after its creation.",
    )
    .rule("U-edit-window");
}

/// `delete_message(message_id) -> {message}`.
pub struct DeleteMessage;

impl Endpoint for DeleteMessage {
    const NAME: &'static str = "delete_message";
    type Request = DeleteMessageArgs;
    type Reply = MessageReply;
    type Meta = Meta;
    const META: Meta = Meta::USER;
    const DOC: Doc =
        Doc::seed("001", "Could be done by the author at any time. This operation is irreversible.");
}

/// `upload_id` as a client may pass it: "Available: nil, empty string, array, number."
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum UploadIdArg {
    /// One upload id or an array of them: "identifiers of attachments made through the
    /// attachment_by_chunks method".
    Ids(UploadIds),
    /// The empty string: "all attachments will be destroyed".
    Text(String),
}

/// A mention as posted: `{user_id:<long>,text: <string>}`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct MentionArg {
    /// "the id of the mentioned user as it was when the message was comosing".
    pub user_id: u64,
    /// "a subsctring in the source message, that the client could use to highlight or
    /// substitute to the link".
    pub text: String,
}

/// The arguments of `post_message(...) -> {message}`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct PostMessageArgs {
    /// "group_id OR subscription_id: one of two is required."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<u64>,
    /// "Call it wuth subscripion whereever possible to reduce server load."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<u64>,
    /// "message text, required as for now."
    pub text: String,
    /// "Maximum allowed size is 64 characters."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    /// "if present, must be a valid and full data-url string, e.g.
    /// `data:<mediatype>;base64,<data>`."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<DataUrl>,
    /// "you can change the name of the transmitted file."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment_filename: Option<String>,
    /// "if present, must point to the original message to which new one will reply."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_reply_to_message_id: Option<u64>,
    /// The message this one forwards (the seed's `forwarded_to_message_id`, NOTES.md U35).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forwarded_message_id: Option<u64>,
    /// "are identifiers of attachments made through the attachment_by_chunks method."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_id: Option<UploadIdArg>,
    /// "important do not pass null, just omit this field if not needed."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentions: Option<Vec<MentionArg>>,
    /// "optional array of tasks. Attaching tasks to message"
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_ids: Option<Vec<u64>>,
}

/// `{message: <message_record>}`
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct MessageReply {
    /// The message record, as it is now.
    pub message: Message,
}

/// The arguments of `get_messages(group_id|subscription_id, limit, offset, before_id,
/// after_serial)`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct GetMessagesArgs {
    /// "the group to read messages from, current user must have read access to it."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<u64>,
    /// The caller's subscription to the group: "Please use subscription_id where possible."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<u64>,
    /// How many messages at most; default 100: "limit and offset allow paging in usual
    /// sense".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
    /// How many messages to skip first; default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// "select messages that are older than a given id, in most recent first."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_id: Option<u64>,
    /// "select messages that are created and modified path one with such serial number,
    /// most recent last."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_serial: Option<u64>,
}

/// `{messages: [<message_record>,...]}`
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct MessagesReply {
    /// The messages selected, in the order the arguments ask for.
    pub messages: Vec<Message>,
}

/// The arguments of `get_message(message_id)`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct GetMessageArgs {
    /// The message's id: "get a message just by its id".
    pub message_id: u64,
}

/// The arguments of `edit_message(message_id, text, attachment, clear_in_reply_to_message_id,
/// task_ids)`: "requires at least one of attachment and text".
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct EditMessageArgs {
    /// The id of the caller's own message.
    pub message_id: u64,
    /// "Pass empty string to delete the text only. Pass null to leave text unchanfed."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// "Use empty string "" to delete attachment keeping the message."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<DataUrl>,
    /// "if set to true, drops in_reply_to_message_id."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clear_in_reply_to_message_id: Option<bool>,
    /// "if present, attach the tasks to the message. Empty string for detach a task from a
    /// message."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_ids: Option<TaskIdsArg>,
}

/// `task_ids` on edit: an array, or "Empty string for detach a task from a message."
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum TaskIdsArg {
    /// The ids of the tasks to attach.
    Ids(Vec<u64>),
    /// The empty string: detach every task.
    Text(String),
}

/// The arguments of `delete_message(message_id)`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct DeleteMessageArgs {
    /// The id of the caller's own message: "Could be done by the author at any time."
    pub message_id: u64,
}

/// A mention: "text is a subsctring in the source message ... and user_id is the id of the
/// mentioned user".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Mention {
    /// "the id of the mentioned user as it was when the message was comosing".
    pub user_id: u64,
    /// "a subsctring in the source message".
    pub text: String,
}

/// "With some unichat system messages referenced are used to specify some connected object,
/// in which case its type and id are passed in this field."
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Reference {
    /// The connected object's type: `{type: "user", id: "1"}`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The connected object's id, a string or a number (NOTES.md U12).
    pub id: FlexId,
}

/// A task attached with `task_ids` (the seed names `task_record` without defining it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Task {
    /// The task's id, as given in `task_ids` (NOTES.md U37).
    pub id: u64,
}

/// The message record (seed 001, "Message record"): "It can be short and long. Short version
/// represents deleted messages, where text and some other fieds are not available."
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = full_unless_deleted)]
pub struct Message {
    /// The message's id.
    pub id: u64,
    /// The author's user id.
    pub user_id: u64,
    /// The group the message is in.
    pub group_id: u64,
    /// null "meaning it is not deleted".
    pub deleted_at: Option<Timestamp>,
    /// "Every time message is changed ... its serial field gets some new value, which is
    /// guaranteed to be bigger than it was."
    pub serial: u64,
    /// The message text; absent when deleted: "it has no text, attachemt, edited_at and
    /// created_at fields".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// "String tag user with unichat system messages to specify type of special message."
    pub xtag: Option<String>,
    /// "The attachment field is obsolete ... contains the latest attachment."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<Attachment>,
    /// "If message has attachments, it will be included into message record with the
    /// attachments key."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<Attachment>>,
    /// "[] or null, or array of mention records"
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentions: Option<Vec<Mention>>,
    /// "its type and id are passed in this field"; null when the message references nothing.
    pub reference: Option<Reference>,
    /// "optional: only if not null"
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forwarded_message_id: Option<u64>,
    /// "optional: only if not null"
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_reply_to_message_id: Option<u64>,
    /// null: "was not edited".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<Option<Timestamp>>,
    /// When the message was posted; absent when deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// "tassk - array of tasks."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<Task>>,
    /// The client's uid: in the poster's copy "first few hours after message creation at
    /// least"; others may get null or nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    /// Uploads attached through `attachment_by_chunks`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_id: Option<UploadIds>,
}

/// A message that is not deleted must carry the long form's fields.
fn full_unless_deleted(schema: &mut Schema) {
    schema.insert("if".into(), json!({"properties": {"deleted_at": {"type": "null"}}}));
    schema.insert(
        "then".into(),
        json!({
            "required": ["text", "attachments", "created_at", "edited_at"],
            "properties": {"text": {"type": "string"}, "created_at": {"type": "string"}}
        }),
    );
    schema.insert(
        "else".into(),
        json!({"not": {"anyOf": [{"required": ["text"]}, {"required": ["created_at"]}]}}),
    );
}
