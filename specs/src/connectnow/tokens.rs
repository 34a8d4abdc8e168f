//! Chat-user tokens and the chat password (seed 002, "Users": "Chat user-token",
//! `POST /chats/{chat-id}/users/get-token`; "Chat password", `POST /chats/{chat-id}/share`),
//! and the mock's route for asking for an auth code (NOTES.md C12).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::chat_users::ChatUser;
use super::{Auth, Meta, NoBody};
use crate::endpoint::{Doc, Endpoint};

/// `POST /chats/{chat-id}/users/get-token` ("Get valid chat-user token"): an auth code in, a
/// chat-user token out.
pub struct GetChatUserToken;

impl Endpoint for GetChatUserToken {
    const NAME: &'static str = "get_token";
    type Request = GetToken;
    type Reply = GetTokenReply;
    type Meta = Meta;
    const META: Meta = Meta::post("/chats/{chat-id}/users/get-token", Auth::None);
    const DOC: Doc = Doc::seed(
        "002",
        "This endpoint is used to exchange a valid auth-code for a chat-user token, which can then be saved in something like the local-storage and is required when creating chat messages.",
    );
}

/// `POST /chats/{chat-id}/share` ("Get chat password").
pub struct GetChatPassword;

impl Endpoint for GetChatPassword {
    const NAME: &'static str = "share";
    type Request = NoBody;
    type Reply = ShareReply;
    type Meta = Meta;
    const META: Meta = Meta::post("/chats/{chat-id}/share", Auth::Api);
    const DOC: Doc = Doc::seed("002", "Get chat password POST /chats/{chat-id}/share");
}

/// `POST /chats/{chat-id}/users/request-code`: the mock's way to ask for an auth code
/// (NOTES.md C12).
pub struct RequestCode;

impl Endpoint for RequestCode {
    const NAME: &'static str = "request_auth_code";
    type Request = RequestAuthCode;
    type Reply = MessageReply;
    type Meta = Meta;
    const META: Meta = Meta::post("/chats/{chat-id}/users/request-code", Auth::None);
    const DOC: Doc = Doc::mock("002", "The auth code sent to the persons email", "C12");
}

/// An auth code as a client may send it: "auth-code | int". A numeric string is accepted
/// too, as Laravel's `integer` rule does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum AuthCode {
    /// The code as a number: "auth-code | int".
    Number(u64),
    /// The code as a string of digits (Laravel's `integer` rule takes both).
    Text(#[schemars(pattern(r"^\d+$"))] String),
}

/// `POST /chats/{chat-id}/users/get-token`: "This endpoint is used to exchange a valid
/// auth-code for a chat-user token".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GetToken {
    /// "Email of the person requesting a token" (required, "A valid email address").
    #[schemars(email)]
    pub email: String,
    /// "The auth code sent to the persons email" (required, "A valid auth code").
    #[serde(rename = "auth-code")]
    pub auth_code: AuthCode,
}

/// The reply to get-token: the token, "which can then be saved in something like the
/// local-storage and is required when creating chat messages", and whose chat user it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GetTokenReply {
    /// The value to send as `chat_user_token` (or `Authorization: Bearer`).
    #[schemars(length(min = 1))]
    pub chat_user_token: String,
    /// The chat user the token acts as.
    pub chat_user: ChatUser,
}

/// `POST /chats/{chat-id}/share` ("Get chat password"): the password that lets people join
/// the chat, for the chat's company owner.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ShareReply {
    /// The chat the password lets people join.
    pub chat_id: u64,
    /// The chat password, stable for the chat's life (NOTES.md C13).
    #[schemars(length(min = 1))]
    pub password: String,
}

/// `POST /chats/{chat-id}/users/request-code` (the mock's; NOTES.md C12): e-mails an auth code
/// to a person who knows the chat password, adding them to the chat when new.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RequestAuthCode {
    /// The address the auth code is sent to: "The auth code sent to the persons email".
    #[schemars(email)]
    pub email: String,
    /// The chat password from `POST /chats/{chat-id}/share`.
    pub password: String,
    /// The name a new chat user gets; the e-mail's local part when absent.
    #[serde(default)]
    #[schemars(length(min = 1, max = 255))]
    pub name: Option<String>,
}

/// A reply that only says what happened: `{"message": "..."}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MessageReply {
    /// What happened, for people: e.g. that a code was sent.
    pub message: String,
}
