//! Chat API (connectnow): companies, chats, chat users, chat messages and the two kinds of
//! token, over REST with Laravel conventions.
//!
//! Seed: `002_cd925feeca94537e.txt`, plus the public facts about the API's conventions
//! (token placement, pagination, status codes). The interpretation register is `NOTES.md`
//! here.
//!
//! One file per area, named as the feature files are (`features/connectnow/<area>.feature`);
//! the `auth` and `scoping` features check [`Auth`] across every route. [`Route`] lists every
//! route once; each area names its routes after the seed's headings (`companies::Create` is
//! "Companies", "Create").

pub mod chat_messages;
pub mod chat_users;
pub mod chats;
pub mod companies;
pub mod errors;
pub mod pagination;
pub mod timestamps;
pub mod tokens;
pub mod users;

use schemars::{JsonSchema, Schema};
use serde::{Deserialize, Serialize};

use crate::endpoint::{Endpoints, endpoints};
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

/// Where and how a route is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Meta {
    /// The HTTP method: `GET`, `POST`, `PUT` or `DELETE`.
    pub method: &'static str,
    /// The path template, with the seed's `{placeholders}`.
    pub path: &'static str,
    /// The token the route takes.
    pub auth: Auth,
    /// The success status: 201 for "Create", 200 otherwise.
    pub status: u16,
}

impl Meta {
    /// A `GET` route answering 200.
    pub const fn get(path: &'static str, auth: Auth) -> Meta {
        Meta { method: "GET", path, auth, status: 200 }
    }

    /// A "Create" route: `POST`, answering 201.
    pub const fn create(path: &'static str, auth: Auth) -> Meta {
        Meta { method: "POST", path, auth, status: 201 }
    }

    /// A `POST` route that creates no record, answering 200.
    pub const fn post(path: &'static str, auth: Auth) -> Meta {
        Meta { method: "POST", path, auth, status: 200 }
    }

    /// An "Edit" route: `PUT`, answering 200.
    pub const fn put(path: &'static str, auth: Auth) -> Meta {
        Meta { method: "PUT", path, auth, status: 200 }
    }

    /// A "Delete" route: `DELETE`, answering 200 (NOTES.md C16).
    pub const fn delete(path: &'static str, auth: Auth) -> Meta {
        Meta { method: "DELETE", path, auth, status: 200 }
    }
}

/// The body of a route that reads none: its ids come from the path; only a token may ride in
/// it (`api_token` or `chat_user_token`, NOTES.md C3).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NoBody {}

endpoints! {
    /// Every route of seed 002, in the seed's order, and the mock's request-code route.
    pub enum Route: Meta for "connectnow" {
        GetUser => users::CurrentUser ["users"],
        GetChatUserSelf => users::CurrentChatUser ["users"],
        ListCompanies => companies::List ["companies", "pagination"],
        GetCompany => companies::Get ["companies"],
        CreateCompany => companies::Create ["companies"],
        EditCompany => companies::Edit ["companies"],
        DeleteCompany => companies::Delete ["companies"],
        ListChats => chats::List ["chats", "pagination"],
        GetChat => chats::Get ["chats"],
        CreateChat => chats::Create ["chats"],
        EditChat => chats::Edit ["chats"],
        DeleteChat => chats::Delete ["chats"],
        ListChatUsers => chat_users::List ["chat_users", "pagination"],
        GetChatUser => chat_users::Get ["chat_users"],
        CreateChatUser => chat_users::Create ["chat_users"],
        EditChatUser => chat_users::Edit ["chat_users"],
        DeleteChatUser => chat_users::Delete ["chat_users"],
        ListChatMessages => chat_messages::List ["chat_messages", "pagination"],
        GetChatMessage => chat_messages::Get ["chat_messages"],
        CreateChatMessage => chat_messages::Create ["chat_messages"],
        EditChatMessage => chat_messages::Edit ["chat_messages"],
        DeleteChatMessage => chat_messages::Delete ["chat_messages"],
        GetToken => tokens::GetChatUserToken ["tokens"],
        Share => tokens::GetChatPassword ["tokens"],
        RequestAuthCode => tokens::RequestCode ["tokens"],
    }
}

/// Every schema of the API, by file name (without `.json`): the error bodies, the records and
/// the query of every list, then each route's request and reply.
pub fn schemas() -> Vec<(String, Schema)> {
    let mut out: Vec<(String, Schema)> = vec![
        ("error".into(), schema::<errors::ErrorMessage>()),
        ("error.validation".into(), schema::<errors::ValidationError>()),
        ("record.user".into(), schema::<users::User>()),
        ("record.company".into(), schema::<companies::Company>()),
        ("record.chat".into(), schema::<chats::Chat>()),
        ("record.chat_user".into(), schema::<chat_users::ChatUser>()),
        ("record.chat_message".into(), schema::<chat_messages::ChatMessage>()),
        ("request.list".into(), request_schema::<pagination::ListQuery>()),
    ];
    out.extend(Route::schemas());
    out
}
