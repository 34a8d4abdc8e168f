//! Chat users (seed 002, "Chat users": `GET /api/chats/{chat-id}/users`,
//! `GET /api/chats/{chat-id}/users/{chat-user-id}`, `POST /api/chats/{chat-id}/users`,
//! `PUT /api/chats/{chat-id}/users/{chat-user-id}`,
//! `DELETE /api/chats/{chat-id}/users/{chat-user-id}`); the chat user behind a chat-user token
//! (`GET /api/chat-user`) is in `users.rs`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::pagination::{ListQuery, Paginated};
use super::timestamps::Timestamp;
use super::{Auth, Meta, NoBody};
use crate::endpoint::{Doc, Endpoint};

/// `GET /api/chats/{chat-id}/users` ("Chat users", "Get all"): a page of the chat_users.
pub struct List;

impl Endpoint for List {
    const NAME: &'static str = "list_chat_users";
    type Request = ListQuery;
    type Reply = Paginated<ChatUser>;
    type Meta = Meta;
    const META: Meta = Meta::get("/api/chats/{chat-id}/users", Auth::Either);
    const DOC: Doc = Doc::seed("002", "Get all GET /api/chats/{chat-id}/users").rule("C-chat-users-list");
}

/// `GET /api/chats/{chat-id}/users/{chat-user-id}` ("Chat users", "Get single by ID").
pub struct Get;

impl Endpoint for Get {
    const NAME: &'static str = "get_chat_user";
    type Request = NoBody;
    type Reply = ChatUser;
    type Meta = Meta;
    const META: Meta = Meta::get("/api/chats/{chat-id}/users/{chat-user-id}", Auth::Either);
    const DOC: Doc = Doc::seed("002", "Get single by ID GET /api/chats/{chat-id}/users/{chat-user-id}")
        .rule("C-chat-users-get");
}

/// `POST /api/chats/{chat-id}/users` ("Chat users", "Create").
pub struct Create;

impl Endpoint for Create {
    const NAME: &'static str = "create_chat_user";
    type Request = CreateChatUser;
    type Reply = ChatUser;
    type Meta = Meta;
    const META: Meta = Meta::create("/api/chats/{chat-id}/users", Auth::Api);
    const DOC: Doc = Doc::seed("002", "Create POST /api/chats/{chat-id}/users").rule("C-chat-users-create");
}

/// `PUT /api/chats/{chat-id}/users/{chat-user-id}` ("Chat users", "Edit").
pub struct Edit;

impl Endpoint for Edit {
    const NAME: &'static str = "edit_chat_user";
    type Request = EditChatUser;
    type Reply = ChatUser;
    type Meta = Meta;
    const META: Meta = Meta::put("/api/chats/{chat-id}/users/{chat-user-id}", Auth::Either);
    const DOC: Doc =
        Doc::seed("002", "Edit PUT /api/chats/{chat-id}/users/{chat-user-id}").rule("C-chat-users-edit");
}

/// `DELETE /api/chats/{chat-id}/users/{chat-user-id}` ("Chat users", "Delete"): answers the deleted record (NOTES.md C16).
pub struct Delete;

impl Endpoint for Delete {
    const NAME: &'static str = "delete_chat_user";
    type Request = NoBody;
    type Reply = ChatUser;
    type Meta = Meta;
    const META: Meta = Meta::delete("/api/chats/{chat-id}/users/{chat-user-id}", Auth::Either);
    const DOC: Doc = Doc::seed("002", "Delete DELETE /api/chats/{chat-id}/users/{chat-user-id}")
        .rule("C-chat-users-delete");
}

/// A person in one chat: "Chat-user tokens are tokens that are scoped to a user in a given
/// chat". The e-mail is unique within the chat.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ChatUser {
    /// The chat user's id, an integer (public fact: "Records use integer ids").
    pub id: u64,
    /// The one chat the chat user belongs to.
    pub chat_id: u64,
    /// The name shown in the chat, at most 255 characters (NOTES.md C22).
    pub name: String,
    /// The address auth codes are sent to: "The auth code sent to the persons email";
    /// unique within the chat.
    pub email: String,
    /// When the chat user was made (NOTES.md C6).
    pub created_at: Timestamp,
    /// When the chat user last changed (NOTES.md C6).
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
    /// The new name, at most 255 characters; absent: unchanged, null: refused as blank (NOTES.md
    /// C18, C19).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", length(min = 1, max = 255))]
    pub name: Option<String>,
    /// The new e-mail address, not yet used in this chat; absent: unchanged, null: refused as
    /// blank (NOTES.md C18, C19).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", email, length(max = 255))]
    pub email: Option<String>,
}
