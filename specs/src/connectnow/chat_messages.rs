//! Chat messages (seed 002, "Chat messages": `GET /api/chats/{chat-id}/messages`,
//! `GET /api/chats/{chat-id}/messages/{chat-message-id}`, `POST /api/chats/{chat-id}/messages`,
//! `PUT /api/chats/{chat-id}/messages/{chat-message-id}`,
//! `DELETE /api/chats/{chat-id}/messages/{chat-message-id}`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::timestamps::Timestamp;

/// A message a chat user wrote in a chat.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ChatMessage {
    pub id: u64,
    pub chat_id: u64,
    /// The author.
    pub chat_user_id: u64,
    /// The text (the field name is the mock's reading; NOTES.md C14).
    pub message: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// `POST /api/chats/{chat-id}/messages` ("Create"): a chat-user token "is required when
/// creating chat messages".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CreateChatMessage {
    /// Required, at most 65,535 characters.
    #[schemars(length(min = 1, max = 65535))]
    pub message: String,
}

/// `PUT /api/chats/{chat-id}/messages/{chat-message-id}` ("Edit").
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EditChatMessage {
    #[serde(default)]
    #[schemars(length(min = 1, max = 65535))]
    pub message: Option<String>,
}
