//! Chat messages (seed 002, "Chat messages": `GET /api/chats/{chat-id}/messages`,
//! `GET /api/chats/{chat-id}/messages/{chat-message-id}`, `POST /api/chats/{chat-id}/messages`,
//! `PUT /api/chats/{chat-id}/messages/{chat-message-id}`,
//! `DELETE /api/chats/{chat-id}/messages/{chat-message-id}`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::pagination::{ListQuery, Paginated};
use super::timestamps::Timestamp;
use super::{Auth, Meta, NoBody};
use crate::endpoint::{Doc, Endpoint};

/// `GET /api/chats/{chat-id}/messages` ("Chat messages", "Get all"): a page of the chat_messages.
pub struct List;

impl Endpoint for List {
    const NAME: &'static str = "list_chat_messages";
    type Request = ListQuery;
    type Reply = Paginated<ChatMessage>;
    type Meta = Meta;
    const META: Meta = Meta::get("/api/chats/{chat-id}/messages", Auth::Either);
    const DOC: Doc =
        Doc::seed("002", "Get all GET /api/chats/{chat-id}/messages").rule("C-chat-messages-list");
}

/// `GET /api/chats/{chat-id}/messages/{chat-message-id}` ("Chat messages", "Get single by ID").
pub struct Get;

impl Endpoint for Get {
    const NAME: &'static str = "get_chat_message";
    type Request = NoBody;
    type Reply = ChatMessage;
    type Meta = Meta;
    const META: Meta = Meta::get("/api/chats/{chat-id}/messages/{chat-message-id}", Auth::Either);
    const DOC: Doc = Doc::seed("002", "Get single by ID GET /api/chats/{chat-id}/messages/{chat-message-id}")
        .rule("C-chat-messages-get");
}

/// `POST /api/chats/{chat-id}/messages` ("Chat messages", "Create").
pub struct Create;

impl Endpoint for Create {
    const NAME: &'static str = "create_chat_message";
    type Request = CreateChatMessage;
    type Reply = ChatMessage;
    type Meta = Meta;
    const META: Meta = Meta::create("/api/chats/{chat-id}/messages", Auth::ChatUser);
    const DOC: Doc =
        Doc::seed("002", "Create POST /api/chats/{chat-id}/messages").rule("C-chat-messages-create");
}

/// `PUT /api/chats/{chat-id}/messages/{chat-message-id}` ("Chat messages", "Edit").
pub struct Edit;

impl Endpoint for Edit {
    const NAME: &'static str = "edit_chat_message";
    type Request = EditChatMessage;
    type Reply = ChatMessage;
    type Meta = Meta;
    const META: Meta = Meta::put("/api/chats/{chat-id}/messages/{chat-message-id}", Auth::Either);
    const DOC: Doc = Doc::seed("002", "Edit PUT /api/chats/{chat-id}/messages/{chat-message-id}")
        .rule("C-chat-messages-edit");
}

/// `DELETE /api/chats/{chat-id}/messages/{chat-message-id}` ("Chat messages", "Delete"): answers the deleted record (NOTES.md C16).
pub struct Delete;

impl Endpoint for Delete {
    const NAME: &'static str = "delete_chat_message";
    type Request = NoBody;
    type Reply = ChatMessage;
    type Meta = Meta;
    const META: Meta = Meta::delete("/api/chats/{chat-id}/messages/{chat-message-id}", Auth::Either);
    const DOC: Doc = Doc::seed("002", "Delete DELETE /api/chats/{chat-id}/messages/{chat-message-id}")
        .rule("C-chat-messages-delete");
}

/// A message a chat user wrote in a chat.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ChatMessage {
    /// The message's id, an integer (public fact: "Records use integer ids").
    pub id: u64,
    /// The chat the message is in.
    pub chat_id: u64,
    /// The author.
    pub chat_user_id: u64,
    /// The text (the field name is the mock's reading; NOTES.md C14).
    pub message: String,
    /// When the message was posted (NOTES.md C6).
    pub created_at: Timestamp,
    /// When the message last changed (NOTES.md C6).
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
    /// The new text, at most 65,535 characters; absent: unchanged, null: refused as blank
    /// (NOTES.md C18, C19).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", length(min = 1, max = 65535))]
    pub message: Option<String>,
}
