//! Chats (seed 002, "Chats": `GET /api/chats`, `GET /api/chats/{chat-id}`, `POST /api/chats`,
//! `PUT /api/chats/{chat-id}`, `DELETE /api/chats/{chat-id}`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::pagination::{ListQuery, Paginated};
use super::timestamps::Timestamp;
use super::{Auth, Meta, NoBody};
use crate::endpoint::{Doc, Endpoint};

/// `GET /api/chats` ("Chats", "Get all"): a page of the chats.
pub struct List;

impl Endpoint for List {
    const NAME: &'static str = "list_chats";
    type Request = ListQuery;
    type Reply = Paginated<Chat>;
    type Meta = Meta;
    const META: Meta = Meta::get("/api/chats", Auth::Api);
    const DOC: Doc = Doc::seed("002", "Get all GET /api/chats").rule("C-chats-list");
}

/// `GET /api/chats/{chat-id}` ("Chats", "Get single by ID").
pub struct Get;

impl Endpoint for Get {
    const NAME: &'static str = "get_chat";
    type Request = NoBody;
    type Reply = Chat;
    type Meta = Meta;
    const META: Meta = Meta::get("/api/chats/{chat-id}", Auth::Either);
    const DOC: Doc = Doc::seed("002", "Get single by ID GET /api/chats/{chat-id}").rule("C-chats-get");
}

/// `POST /api/chats` ("Chats", "Create").
pub struct Create;

impl Endpoint for Create {
    const NAME: &'static str = "create_chat";
    type Request = CreateChat;
    type Reply = Chat;
    type Meta = Meta;
    const META: Meta = Meta::create("/api/chats", Auth::Api);
    const DOC: Doc = Doc::seed("002", "Create POST /api/chats").rule("C-chats-create");
}

/// `PUT /api/chats/{chat-id}` ("Chats", "Edit").
pub struct Edit;

impl Endpoint for Edit {
    const NAME: &'static str = "edit_chat";
    type Request = EditChat;
    type Reply = Chat;
    type Meta = Meta;
    const META: Meta = Meta::put("/api/chats/{chat-id}", Auth::Api);
    const DOC: Doc = Doc::seed("002", "Edit PUT /api/chats/{chat-id}").rule("C-chats-edit");
}

/// `DELETE /api/chats/{chat-id}` ("Chats", "Delete"): answers the deleted record (NOTES.md C16).
pub struct Delete;

impl Endpoint for Delete {
    const NAME: &'static str = "delete_chat";
    type Request = NoBody;
    type Reply = Chat;
    type Meta = Meta;
    const META: Meta = Meta::delete("/api/chats/{chat-id}", Auth::Api);
    const DOC: Doc = Doc::seed("002", "Delete DELETE /api/chats/{chat-id}").rule("C-chats-delete");
}

/// A chat, held by one company. People converse in it "without having an account", as chat
/// users.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Chat {
    /// The chat's id, an integer (public fact: "Records use integer ids").
    pub id: u64,
    /// The company that holds the chat.
    pub company_id: u64,
    /// The chat's name, at most 255 characters (NOTES.md C22).
    pub name: String,
    /// When the chat was made (NOTES.md C6).
    pub created_at: Timestamp,
    /// When the chat last changed (NOTES.md C6).
    pub updated_at: Timestamp,
}

/// `POST /api/chats` ("Create").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CreateChat {
    /// One of the caller's companies.
    pub company_id: u64,
    /// Required, at most 255 characters.
    #[schemars(length(min = 1, max = 255))]
    pub name: String,
}

/// `PUT /api/chats/{chat-id}` ("Edit"): only the fields given change.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EditChat {
    /// The new name, at most 255 characters; absent: unchanged, null: refused as blank (NOTES.md
    /// C18, C19).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", length(min = 1, max = 255))]
    pub name: Option<String>,
}
