//! Chat users (seed 002, "Chat users": `GET /api/chats/{chat-id}/users`,
//! `GET /api/chats/{chat-id}/users/{chat-user-id}`, `POST /api/chats/{chat-id}/users`,
//! `PUT /api/chats/{chat-id}/users/{chat-user-id}`,
//! `DELETE /api/chats/{chat-id}/users/{chat-user-id}`), and the chat user behind a chat-user
//! token ("Get authenticated via chat-user token", `GET /api/chat-user`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::timestamps::Timestamp;

/// A person in one chat: "Chat-user tokens are tokens that are scoped to a user in a given
/// chat". The e-mail is unique within the chat.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ChatUser {
    pub id: u64,
    pub chat_id: u64,
    pub name: String,
    pub email: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// `POST /api/chats/{chat-id}/users` ("Create"). The mock e-mails the new chat user an auth
/// code (NOTES.md C12).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CreateChatUser {
    /// Required, at most 255 characters.
    #[schemars(length(min = 1, max = 255))]
    pub name: String,
    /// Required, a valid e-mail address not yet used in this chat.
    #[schemars(email, length(max = 255))]
    pub email: String,
}

/// `PUT /api/chats/{chat-id}/users/{chat-user-id}` ("Edit"): only the fields given change.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EditChatUser {
    #[serde(default)]
    #[schemars(length(min = 1, max = 255))]
    pub name: Option<String>,
    #[serde(default)]
    #[schemars(email, length(max = 255))]
    pub email: Option<String>,
}
