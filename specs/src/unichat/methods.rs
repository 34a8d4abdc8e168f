//! Arguments and results of every Unichat method (seed 001, and public facts for the calls
//! the seed leaves unnamed; see NOTES.md).
//!
//! Arguments are the deserialize view: what a client may send inside `{"args": {...}}`.
//! Replies are what follows `"status": "OK"` in the success envelope.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::records::{Message, OwnChatUser, Role, Subscription, UploadIds, VoiceRecognition};

/// A method that takes no arguments.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct NoArgs {}

/// `register(email, password) -> {user}` (public fact; errors `invalid_email`,
/// `registration_error`).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct RegisterArgs {
    pub email: String,
    pub password: String,
    /// The nick to show; the mock uses the e-mail's local part when absent.
    #[serde(default)]
    pub nick: Option<String>,
}

/// `login(email, password) -> {user}`: the mock's login (the seeds name none; NOTES.md).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct LoginArgs {
    pub email: String,
    pub password: String,
}

/// `{user: <extended chat user record>}`
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct UserReply {
    pub user: OwnChatUser,
}

/// `get_subscriptions(short, limit, offset)`: "Sunscriptions are ordered by ascending".
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct GetSubscriptionsArgs {
    #[serde(default)]
    pub short: Option<bool>,
    /// 0 or absent: no limit.
    #[serde(default)]
    pub limit: Option<u64>,
    #[serde(default)]
    pub offset: Option<u64>,
}

/// `{subscriptions: [<unichat subscription record>,...]}`
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct SubscriptionsReply {
    pub subscriptions: Vec<Subscription>,
}

/// `get_subscription(id)`: the seed gives no argument name; `subscription_id` and `id` are
/// both accepted.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct GetSubscriptionArgs {
    #[serde(default)]
    pub subscription_id: Option<u64>,
    #[serde(default)]
    pub id: Option<u64>,
}

/// `{subscription: <subscription_record>}`
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct SubscriptionReply {
    pub subscription: Subscription,
}

/// `create_room(name, user_ids, is_space)`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct CreateRoomArgs {
    /// "required room name. Any string."
    pub name: String,
    /// "optional array of user_id to be invited immediately."
    #[serde(default)]
    pub user_ids: Option<Vec<u64>>,
    #[serde(default)]
    pub is_space: Option<bool>,
}

/// An attachment given on posting: a data URL.
pub type DataUrl = String;

/// `upload_id` as a client may pass it: "Available: nil, empty string, array, number."
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum UploadIdArg {
    Ids(UploadIds),
    /// The empty string: "all attachments will be destroyed".
    Text(String),
}

/// A mention as posted.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct MentionArg {
    pub user_id: u64,
    pub text: String,
}

/// `post_message(...) -> {message}`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct PostMessageArgs {
    #[serde(default)]
    pub group_id: Option<u64>,
    #[serde(default)]
    pub subscription_id: Option<u64>,
    /// "message text, required as for now."
    pub text: String,
    /// "Maximum allowed size is 64 characters."
    #[serde(default)]
    pub uid: Option<String>,
    #[serde(default)]
    pub attachment: Option<DataUrl>,
    #[serde(default)]
    pub attachment_filename: Option<String>,
    #[serde(default)]
    pub in_reply_to_message_id: Option<u64>,
    #[serde(default)]
    pub forwarded_message_id: Option<u64>,
    #[serde(default)]
    pub upload_id: Option<UploadIdArg>,
    /// "important do not pass null, just omit this field if not needed."
    #[serde(default)]
    pub mentions: Option<Vec<MentionArg>>,
    #[serde(default)]
    pub task_ids: Option<Vec<u64>>,
}

/// `{message: <message_record>}`
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct MessageReply {
    pub message: Message,
}

/// `attachment_by_chunks(file_chunk, upload_id, file_size, file_checksum, file_name, async,
/// chunk_id)`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct AttachmentByChunksArgs {
    /// "a chunk of file encoded in Base64"
    pub file_chunk: String,
    /// "the first time is NULL, the next time is the value that the method returned"
    #[serde(default)]
    pub upload_id: Option<u64>,
    pub file_size: u64,
    /// "file checksum in CRC32"
    pub file_checksum: u64,
    #[serde(default)]
    pub file_name: Option<String>,
    #[serde(default, rename = "async")]
    pub is_async: Option<bool>,
    /// "Only if async=true"
    #[serde(default)]
    pub chunk_id: Option<u64>,
    #[serde(default)]
    pub content_type: Option<String>,
    #[serde(default)]
    pub voice_recognition: Option<bool>,
    /// "only with voice_recognition=true"
    #[serde(default)]
    pub subscription_id: Option<u64>,
}

/// `{upload_id, file_size, file_checksum, content_type, voice_recognition}`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct AttachmentByChunksReply {
    pub upload_id: u64,
    /// "if async=false then the upload file size, otherwise the upload chunk size"
    pub file_size: u64,
    /// "if async=false then the upload file checksum, otherwise the upload chunk checksum"
    pub file_checksum: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_recognition: Option<bool>,
}

/// `voice_recognition(upload_id)` and `voice_recognition_result(upload_id)`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct VoiceRecognitionArgs {
    pub upload_id: u64,
}

/// `{result: {status, transcript, error, created_at, updated_at, audio}}`
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct VoiceRecognitionReply {
    pub result: VoiceRecognition,
}

/// `get_messages(group_id|subscription_id, limit, offset, before_id, after_serial)`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct GetMessagesArgs {
    #[serde(default)]
    pub group_id: Option<u64>,
    #[serde(default)]
    pub subscription_id: Option<u64>,
    /// Default 100.
    #[serde(default)]
    pub limit: Option<u64>,
    #[serde(default)]
    pub offset: Option<u64>,
    /// "select messages that are older than a given id, in most recent first."
    #[serde(default)]
    pub before_id: Option<u64>,
    /// "select messages that are created and modified path one with such serial number,
    /// most recent last."
    #[serde(default)]
    pub after_serial: Option<u64>,
}

/// `{messages: [<message_record>,...]}`
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct MessagesReply {
    pub messages: Vec<Message>,
}

/// `get_message(message_id)`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct GetMessageArgs {
    pub message_id: u64,
}

/// `edit_message(message_id, text, attachment, clear_in_reply_to_message_id, task_ids)`:
/// "requires at least one of attachment and text".
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct EditMessageArgs {
    pub message_id: u64,
    /// "Pass empty string to delete the text only. Pass null to leave text unchanfed."
    #[serde(default)]
    pub text: Option<String>,
    /// "Use empty string "" to delete attachment keeping the message."
    #[serde(default)]
    pub attachment: Option<DataUrl>,
    #[serde(default)]
    pub clear_in_reply_to_message_id: Option<bool>,
    #[serde(default)]
    pub task_ids: Option<TaskIdsArg>,
}

/// `task_ids` on edit: an array, or "Empty string for detach a task from a message."
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum TaskIdsArg {
    Ids(Vec<u64>),
    Text(String),
}

/// `delete_message(message_id)`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct DeleteMessageArgs {
    pub message_id: u64,
}

/// `update_subscription(subscription_id, ...)`: the seed's "Manage own subscription" call,
/// whose name was lost (NOTES.md). "Only supplied fields will be changed."
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct UpdateSubscriptionArgs {
    pub subscription_id: u64,
    #[serde(default)]
    pub last_read_message_id: Option<i64>,
    /// "Set to empty string to clear it."
    #[serde(default)]
    pub draft: Option<String>,
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// "To clear mute_until set it to any moment in past. Setting to null will not change
    /// its value."
    #[serde(default)]
    pub mute_until: Option<String>,
}

/// One user id or many: "id or array of the users IDs which should be invited".
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum UserIdsArg {
    One(u64),
    Many(Vec<u64>),
}

/// `invite(subscription_id, user_id)`: the seed's "Invite to the room" call (NOTES.md).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct InviteArgs {
    pub subscription_id: u64,
    pub user_id: UserIdsArg,
}

/// "on success, returns the subscription of newly added user"; with several users, the first
/// one's, and all of them in `subscriptions`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct InviteReply {
    pub subscription: Subscription,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscriptions: Option<Vec<Subscription>>,
}

/// `create_group_invite_code(subscription_id) -> {code}` (public fact).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct CreateGroupInviteCodeArgs {
    pub subscription_id: u64,
}

/// `{code}`
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct InviteCodeReply {
    #[schemars(length(min = 1))]
    pub code: String,
}

/// `use_invite_code(code) -> {}`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct UseInviteCodeArgs {
    pub code: String,
}

/// `{}`: "There is no returned data on successful call."
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct EmptyReply {}

/// `set_access(subscription_id, user_id, role) -> {subscription}` (public fact).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct SetAccessArgs {
    pub subscription_id: u64,
    pub user_id: u64,
    pub role: Role,
}

/// `kick(subscription_id, user_id) -> {}` (public fact).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct KickArgs {
    pub subscription_id: u64,
    pub user_id: u64,
}

/// `unsubscribe(subscription_id) -> {}`: "Leaving the room".
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct UnsubscribeArgs {
    pub subscription_id: u64,
}

/// `create_sse_auth_code() -> {code}`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct SseCodeReply {
    #[schemars(length(min = 1))]
    pub code: String,
}
