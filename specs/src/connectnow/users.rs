//! The current user (seed 002, "Current user": "Get authenticated via API token", `GET
//! /api/user`, and "Get authenticated via chat-user token", `GET /api/chat-user`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::chat_users::ChatUser;
use super::timestamps::Timestamp;
use super::{Auth, Meta, NoBody};
use crate::endpoint::{Doc, Endpoint};

/// `GET /api/user` ("Get authenticated via API token"): the account the API token belongs to.
pub struct CurrentUser;

impl Endpoint for CurrentUser {
    const NAME: &'static str = "get_user";
    type Request = NoBody;
    type Reply = User;
    type Meta = Meta;
    const META: Meta = Meta::get("/api/user", Auth::Api);
    const DOC: Doc = Doc::seed("002", "Get authenticated via API token GET /api/user").rule("C-user-get");
}

/// `GET /api/chat-user` ("Get authenticated via chat-user token"): the chat user the token is
/// scoped to.
pub struct CurrentChatUser;

impl Endpoint for CurrentChatUser {
    const NAME: &'static str = "get_chat_user_self";
    type Request = NoBody;
    type Reply = ChatUser;
    type Meta = Meta;
    const META: Meta = Meta::get("/api/chat-user", Auth::ChatUser);
    const DOC: Doc =
        Doc::seed("002", "Get authenticated via chat-user token GET /api/chat-user").rule("C-chat-user-get");
}

/// The account an API token belongs to. "API tokens are usual tokens that you use to
/// authenticate most API requests."
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct User {
    /// The account's id, an integer (public fact: "Records use integer ids"); the `user_id`
    /// of its companies.
    pub id: u64,
    /// The account's name.
    pub name: String,
    /// The account's e-mail address.
    pub email: String,
    /// When the account was made (NOTES.md C6).
    pub created_at: Timestamp,
    /// When the account last changed (NOTES.md C6).
    pub updated_at: Timestamp,
}
