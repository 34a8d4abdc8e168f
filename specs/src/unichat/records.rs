//! The records Unichat returns: chat users, groups, subscriptions, messages (seed 001).

use schemars::{JsonSchema, Schema};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A time on the wire. The seeds show two forms, `2018-10-15T18:33:56Z` (message record) and
/// `2019-01-01 01:02:03` (voice recognition); both are accepted, the mock sends the first.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct Timestamp(#[schemars(pattern(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}"))] pub String);

/// An id that the seeds show as a string in one place and a number in another
/// (`"reference": {type: "user", id: "1"}` vs `reference_id: user_id`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum FlexId {
    Number(u64),
    Text(String),
}

/// A participant's rights in a group: reader, writer or admin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub enum Role {
    /// Reader: may read only.
    #[serde(rename = "ro")]
    Reader,
    /// Writer: may post and invite.
    #[serde(rename = "rw")]
    Writer,
    /// Admin: may also change others' roles and kick.
    #[serde(rename = "admin")]
    Admin,
}

impl Role {
    /// The role as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "ro",
            Role::Writer => "rw",
            Role::Admin => "admin",
        }
    }
}

/// The chat user record as others see it: `{id, nick, is_online, status}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ChatUser {
    pub id: u64,
    pub nick: String,
    pub is_online: bool,
    pub status: Option<String>,
}

/// The extended chat user record a login returns (seed 000): "callint party gets the
/// extended chat user record, which includes auth_token fields".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OwnChatUser {
    pub id: u64,
    pub nick: String,
    pub is_online: bool,
    pub status: Option<String>,
    pub email: String,
    /// The value to send as `USER_AUTH_TOKEN`.
    #[schemars(length(min = 1))]
    pub auth_token: String,
    pub avatar: Option<String>,
}

/// One participant of a group, in the group's `participants` list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Participant {
    pub user_id: u64,
    pub role: Role,
    pub user: ChatUser,
}

/// The group record. `participants` is left out in the short form (seed 001: "set short:
/// true to get subscription information without group participants").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Group {
    pub id: u64,
    pub name: String,
    /// `room` for rooms made by `create_room`.
    #[serde(rename = "type")]
    pub kind: String,
    pub is_space: bool,
    pub is_deleted: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub last_message_id: Option<u64>,
    /// The greatest serial any message of the group has had.
    pub last_serial: u64,
    pub invite_code: Option<String>,
    /// The owner's user id (not in the public record; see NOTES.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participants: Option<Vec<Participant>>,
}

/// The subscription record (seed 001): "a group information plus user rights in the group
/// and more important data".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Subscription {
    pub id: u64,
    pub group_id: u64,
    pub user_id: u64,
    pub role: Role,
    pub mute_until: Option<Timestamp>,
    pub draft: Option<String>,
    /// Per-subscription tags: "Tags are not visible to others."
    pub tags: Vec<String>,
    /// "the service does not check the value against message ids so you can write there
    /// zero, negative value".
    pub last_read_message_id: Option<i64>,
    pub last_mentioned_in_message_id: Option<u64>,
    pub created_at: Timestamp,
    pub deleted_at: Option<Timestamp>,
    pub group: Group,
    pub user: ChatUser,
}

/// A file attached to a message (seed 001, "Files Attachments").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Attachment {
    pub content_type: String,
    /// "size in bytes"
    pub byte_size: u64,
    /// "download link"
    pub url: String,
    /// "only for images"
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview: Option<String>,
    /// The name given with `attachment_filename` or `file_name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
}

/// A mention: "text is a subsctring in the source message ... and user_id is the id of the
/// mentioned user".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Mention {
    pub user_id: u64,
    pub text: String,
}

/// "With some unichat system messages referenced are used to specify some connected object,
/// in which case its type and id are passed in this field."
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Reference {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: FlexId,
}

/// A task attached with `task_ids` (the seed names `task_record` without defining it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Task {
    pub id: u64,
}

/// Upload ids as a message carries them: `"upload_id": 14` or `"upload_id": [14, 21]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum UploadIds {
    One(u64),
    Many(Vec<u64>),
}

/// The message record (seed 001, "Message record"): "It can be short and long. Short version
/// represents deleted messages, where text and some other fieds are not available."
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = full_unless_deleted)]
pub struct Message {
    pub id: u64,
    pub user_id: u64,
    pub group_id: u64,
    /// null "meaning it is not deleted".
    pub deleted_at: Option<Timestamp>,
    /// "Every time message is changed ... its serial field gets some new value, which is
    /// guaranteed to be bigger than it was."
    pub serial: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// "String tag user with unichat system messages to specify type of special message."
    pub xtag: Option<String>,
    /// "The attachment field is obsolete ... contains the latest attachment."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<Attachment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<Attachment>>,
    /// "[] or null, or array of mention records"
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentions: Option<Vec<Mention>>,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
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

/// The audio a voice recognition is about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct VoiceAudio {
    pub filename: String,
    pub content_type: String,
    /// The seed's example shows a string (`"2432543"`); a number is accepted too.
    pub byte_size: FlexId,
    pub url: String,
}

/// The state of a voice recognition: pending, completed or failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VoiceStatus {
    Pending,
    Completed,
    Failed,
}

/// A voice recognition result (seed 001, "Voice recognition"): "If the status = failed, the
/// error field must be filled. If the status = completed, the transcript field must be
/// filled."
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = voice_fields_by_status)]
pub struct VoiceRecognition {
    pub status: VoiceStatus,
    pub transcript: Option<String>,
    pub error: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub audio: VoiceAudio,
}

fn voice_fields_by_status(schema: &mut Schema) {
    schema.insert(
        "allOf".into(),
        json!([
            {"if": {"properties": {"status": {"const": "completed"}}},
             "then": {"properties": {"transcript": {"type": "string"}}}},
            {"if": {"properties": {"status": {"const": "failed"}}},
             "then": {"properties": {"error": {"type": "string", "minLength": 1}}}}
        ]),
    );
}
