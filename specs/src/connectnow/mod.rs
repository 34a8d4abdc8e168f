//! Chat API (connectnow): companies, chats, chat users, chat messages and the two kinds of
//! token, over REST with Laravel conventions.
//!
//! Seed: `002_cd925feeca94537e.txt`, plus the public facts about the API's conventions
//! (token placement, pagination, status codes). The interpretation register is `NOTES.md`
//! here.

pub mod chat_messages;
pub mod chat_users;
pub mod chats;
pub mod companies;
pub mod errors;
pub mod pagination;
pub mod timestamps;
pub mod tokens;
pub mod users;

use schemars::Schema;

use crate::{request_schema, response_schema as schema};

/// The name of this API in file names, tags and the command line.
pub const API: &str = "connectnow";

/// Which token a route takes: "two types of tokens exist for authentication depending on
/// what you're trying to access".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// `api_token`: "usual tokens that you use to authenticate most API requests".
    Api,
    /// `chat_user_token`: "required to interact as a given user in a given chat".
    ChatUser,
    /// Either kind; each sees what it may.
    Either,
    /// No token: the auth-code routes.
    None,
}

/// One route of the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    /// The schema stem: `response.<name>` (and `request.<name>` when it takes a body).
    pub name: &'static str,
    pub method: &'static str,
    /// The path template, with the seed's `{placeholders}`.
    pub path: &'static str,
    pub auth: Auth,
    /// The success status.
    pub status: u16,
    /// Whether the route is in the seed (`false`: the mock's own, NOTES.md).
    pub documented: bool,
}

const fn route(
    name: &'static str,
    method: &'static str,
    path: &'static str,
    auth: Auth,
    status: u16,
) -> Route {
    Route { name, method, path, auth, status, documented: true }
}

/// Every route the mock serves, in the seed's order.
pub const ROUTES: &[Route] = &[
    route("get_user", "GET", "/api/user", Auth::Api, 200),
    route("get_chat_user_self", "GET", "/api/chat-user", Auth::ChatUser, 200),
    route("list_companies", "GET", "/api/companies", Auth::Api, 200),
    route("get_company", "GET", "/api/companies/{company-id}", Auth::Api, 200),
    route("create_company", "POST", "/api/companies", Auth::Api, 201),
    route("edit_company", "PUT", "/api/companies/{company-id}", Auth::Api, 200),
    route("delete_company", "DELETE", "/api/companies/{company-id}", Auth::Api, 200),
    route("list_chats", "GET", "/api/chats", Auth::Api, 200),
    route("get_chat", "GET", "/api/chats/{chat-id}", Auth::Either, 200),
    route("create_chat", "POST", "/api/chats", Auth::Api, 201),
    route("edit_chat", "PUT", "/api/chats/{chat-id}", Auth::Api, 200),
    route("delete_chat", "DELETE", "/api/chats/{chat-id}", Auth::Api, 200),
    route("list_chat_users", "GET", "/api/chats/{chat-id}/users", Auth::Either, 200),
    route("get_chat_user", "GET", "/api/chats/{chat-id}/users/{chat-user-id}", Auth::Either, 200),
    route("create_chat_user", "POST", "/api/chats/{chat-id}/users", Auth::Api, 201),
    route("edit_chat_user", "PUT", "/api/chats/{chat-id}/users/{chat-user-id}", Auth::Either, 200),
    route("delete_chat_user", "DELETE", "/api/chats/{chat-id}/users/{chat-user-id}", Auth::Either, 200),
    route("list_chat_messages", "GET", "/api/chats/{chat-id}/messages", Auth::Either, 200),
    route("get_chat_message", "GET", "/api/chats/{chat-id}/messages/{chat-message-id}", Auth::Either, 200),
    route("create_chat_message", "POST", "/api/chats/{chat-id}/messages", Auth::ChatUser, 201),
    route("edit_chat_message", "PUT", "/api/chats/{chat-id}/messages/{chat-message-id}", Auth::Either, 200),
    route(
        "delete_chat_message",
        "DELETE",
        "/api/chats/{chat-id}/messages/{chat-message-id}",
        Auth::Either,
        200,
    ),
    route("get_token", "POST", "/chats/{chat-id}/users/get-token", Auth::None, 200),
    route("share", "POST", "/chats/{chat-id}/share", Auth::Api, 200),
    Route {
        name: "request_auth_code",
        method: "POST",
        path: "/chats/{chat-id}/users/request-code",
        auth: Auth::None,
        status: 200,
        documented: false,
    },
];

/// Every schema of the API, by file name (without `.json`), in a stable order.
pub fn schemas() -> Vec<(String, Schema)> {
    use chat_messages::*;
    use chat_users::*;
    use chats::*;
    use companies::*;
    use pagination::{ListQuery, Paginated};
    use tokens::*;
    use users::User;
    let mut out: Vec<(String, Schema)> = vec![
        ("error".into(), schema::<errors::ErrorMessage>()),
        ("error.validation".into(), schema::<errors::ValidationError>()),
        ("record.user".into(), schema::<User>()),
        ("record.company".into(), schema::<Company>()),
        ("record.chat".into(), schema::<Chat>()),
        ("record.chat_user".into(), schema::<ChatUser>()),
        ("record.chat_message".into(), schema::<ChatMessage>()),
        ("request.list".into(), request_schema::<ListQuery>()),
    ];
    macro_rules! reply {
        ($name:literal, $reply:ty) => {
            out.push((format!("response.{}", $name), schema::<$reply>()));
        };
    }
    macro_rules! call {
        ($name:literal, $body:ty, $reply:ty) => {
            out.push((format!("request.{}", $name), request_schema::<$body>()));
            reply!($name, $reply);
        };
    }
    reply!("get_user", User);
    reply!("get_chat_user_self", ChatUser);
    reply!("list_companies", Paginated<Company>);
    reply!("get_company", Company);
    call!("create_company", CreateCompany, Company);
    call!("edit_company", EditCompany, Company);
    reply!("delete_company", Company);
    reply!("list_chats", Paginated<Chat>);
    reply!("get_chat", Chat);
    call!("create_chat", CreateChat, Chat);
    call!("edit_chat", EditChat, Chat);
    reply!("delete_chat", Chat);
    reply!("list_chat_users", Paginated<ChatUser>);
    reply!("get_chat_user", ChatUser);
    call!("create_chat_user", CreateChatUser, ChatUser);
    call!("edit_chat_user", EditChatUser, ChatUser);
    reply!("delete_chat_user", ChatUser);
    reply!("list_chat_messages", Paginated<ChatMessage>);
    reply!("get_chat_message", ChatMessage);
    call!("create_chat_message", CreateChatMessage, ChatMessage);
    call!("edit_chat_message", EditChatMessage, ChatMessage);
    reply!("delete_chat_message", ChatMessage);
    call!("get_token", GetToken, GetTokenReply);
    reply!("share", ShareReply);
    call!("request_auth_code", RequestAuthCode, MessageReply);
    out
}
