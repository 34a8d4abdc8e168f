//! The connectnow store: all state and every rule, with no I/O (seed 002).
//!
//! A request goes in as an [`Input`] (tokens, query string, body, the list's URL) plus the
//! path ids, and comes out as a wire record or an [`ApiError`]. E-mails the rules send are
//! kept in the outbox.

use std::collections::{BTreeMap, HashMap};

use chatspec_specs::connectnow::{
    chat_messages::ChatMessage, chat_users::ChatUser, chats::Chat, companies::Company, timestamps::Timestamp,
    users::User,
};
use serde::Serialize;
use serde_json::{Map, Value};
use time::{Duration, OffsetDateTime, format_description::FormatItem, macros::format_description};

use super::auth::Credentials;
use super::errors::ApiError;
use super::pagination::PageRequest;
use super::throttle::Window;

/// How the mock behaves where the documents leave a choice open.
#[derive(Clone, Debug)]
pub struct Config {
    /// How long an e-mailed auth code stays valid (NOTES.md C12).
    pub auth_code_ttl: Duration,
    /// Requests per minute per token; `None`: no limit (NOTES.md C20).
    pub rate_limit: Option<u32>,
    /// The base URL used for page links when a request has no `Host` header.
    pub public_base: String,
    /// Rules to break on purpose (honoured only with the `breakage` feature).
    pub breakage: std::collections::BTreeSet<super::breakage::Breakage>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            auth_code_ttl: Duration::minutes(10),
            rate_limit: None,
            public_base: "http://localhost".into(),
            breakage: std::collections::BTreeSet::new(),
        }
    }
}

/// Laravel's JSON time: `2026-01-02T03:04:05.000000Z`.
const LARAVEL_TIME: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

/// A record time on the wire (NOTES.md C6).
pub(crate) fn stamp(t: OffsetDateTime) -> Timestamp {
    Timestamp(t.format(LARAVEL_TIME).unwrap_or_else(|_| crate::kit::clock::wire(t)))
}

/// What a request brings besides its path: tokens, query string, body and the list URL.
#[derive(Clone, Debug, Default)]
pub struct Input {
    /// The tokens, by placement.
    pub creds: Credentials,
    /// The query string, every value a JSON string.
    pub query: Map<String, Value>,
    /// The body: a JSON object, or a form as strings.
    pub body: Map<String, Value>,
    /// The absolute URL of the request's path, without a query string (page links).
    pub url: String,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Account {
    pub id: u64,
    pub name: String,
    pub email: String,
    pub api_token: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct CompanyRow {
    pub id: u64,
    pub user_id: u64,
    pub name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct ChatRow {
    pub id: u64,
    pub company_id: u64,
    pub name: String,
    /// The chat password `POST /chats/{chat-id}/share` gives out.
    pub password: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct ChatUserRow {
    pub id: u64,
    pub chat_id: u64,
    pub name: String,
    pub email: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct MessageRow {
    pub id: u64,
    pub chat_id: u64,
    pub chat_user_id: u64,
    pub message: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// An auth code waiting to be exchanged; one per chat user, the newest.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct PendingCode {
    pub code: u64,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// An e-mail the mock "sent": what `GET /_mock/outbox` lists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Email {
    /// 1, 2, ... in sending order.
    pub id: u64,
    /// Always `email`.
    pub kind: &'static str,
    /// The chat user's address: "The auth code sent to the persons email".
    pub to: String,
    /// `Your auth code for <chat name>`.
    pub subject: String,
    /// The text, with the code and how long it is valid.
    pub body: String,
    /// The chat the code lets its holder into.
    pub chat_id: u64,
    /// The chat user the code is for.
    pub chat_user_id: u64,
    /// The code, also in the text, for clients that do not want to parse it.
    pub auth_code: u64,
    /// When it was sent (Laravel's JSON time, NOTES.md C6).
    pub sent_at: String,
    /// When the code stops working (NOTES.md C12).
    pub expires_at: String,
}

/// All connectnow state.
#[derive(Debug, Default, Serialize)]
pub struct Store {
    #[serde(skip)]
    pub(crate) config: Config,
    pub(crate) next_id: BTreeMap<&'static str, u64>,
    pub(crate) accounts: BTreeMap<u64, Account>,
    #[serde(skip)]
    pub(crate) api_tokens: HashMap<String, u64>,
    pub(crate) companies: BTreeMap<u64, CompanyRow>,
    pub(crate) chats: BTreeMap<u64, ChatRow>,
    pub(crate) chat_users: BTreeMap<u64, ChatUserRow>,
    /// Chat-user token to chat user id.
    pub(crate) chat_user_tokens: BTreeMap<String, u64>,
    pub(crate) messages: BTreeMap<u64, MessageRow>,
    /// Chat user id to its pending code.
    pub(crate) codes: BTreeMap<u64, PendingCode>,
    pub(crate) outbox: Vec<Email>,
    #[serde(skip)]
    pub(crate) windows: HashMap<String, Window>,
}

impl Store {
    /// An empty store.
    pub fn new(config: Config) -> Store {
        Store { config, ..Store::default() }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Sets the base URL for page links of requests without a `Host` header.
    pub fn set_public_base(&mut self, base: String) {
        self.config.public_base = base;
    }

    /// Empties all state, keeping the configuration.
    pub fn reset(&mut self) {
        *self = Store::new(self.config.clone());
    }

    /// Every e-mail sent, oldest first.
    pub fn outbox(&self) -> &[Email] {
        &self.outbox
    }

    pub(crate) fn next(&mut self, kind: &'static str) -> u64 {
        let n = self.next_id.entry(kind).or_insert(0);
        *n += 1;
        *n
    }

    // ---- views: rows to wire records ---------------------------------------------------

    pub(crate) fn user_view(a: &Account) -> User {
        User {
            id: a.id,
            name: a.name.clone(),
            email: a.email.clone(),
            created_at: stamp(a.created_at),
            updated_at: stamp(a.updated_at),
        }
    }

    pub(crate) fn company_view(c: &CompanyRow) -> Company {
        Company {
            id: c.id,
            user_id: c.user_id,
            name: c.name.clone(),
            created_at: stamp(c.created_at),
            updated_at: stamp(c.updated_at),
        }
    }

    pub(crate) fn chat_view(c: &ChatRow) -> Chat {
        Chat {
            id: c.id,
            company_id: c.company_id,
            name: c.name.clone(),
            created_at: stamp(c.created_at),
            updated_at: stamp(c.updated_at),
        }
    }

    pub(crate) fn chat_user_view(u: &ChatUserRow) -> ChatUser {
        ChatUser {
            id: u.id,
            chat_id: u.chat_id,
            name: u.name.clone(),
            email: u.email.clone(),
            created_at: stamp(u.created_at),
            updated_at: stamp(u.updated_at),
        }
    }

    pub(crate) fn message_view(m: &MessageRow) -> ChatMessage {
        ChatMessage {
            id: m.id,
            chat_id: m.chat_id,
            chat_user_id: m.chat_user_id,
            message: m.message.clone(),
            created_at: stamp(m.created_at),
            updated_at: stamp(m.updated_at),
        }
    }

    /// The query's page request; validated after authentication, as Laravel does.
    pub(crate) fn page(input: &Input) -> Result<PageRequest, ApiError> {
        PageRequest::from_query(&input.query)
    }

    // ---- cascades (NOTES.md C17) --------------------------------------------------------

    /// Removes a chat user with their messages, pending code and tokens.
    pub(crate) fn remove_chat_user(&mut self, id: u64) -> Option<ChatUserRow> {
        let row = self.chat_users.remove(&id)?;
        self.messages.retain(|_, m| m.chat_user_id != id);
        self.codes.remove(&id);
        self.chat_user_tokens.retain(|_, owner| *owner != id);
        Some(row)
    }

    /// Removes a chat with its chat users, their messages, codes and tokens.
    pub(crate) fn remove_chat(&mut self, id: u64) -> Option<ChatRow> {
        let row = self.chats.remove(&id)?;
        if self.config.broken(super::breakage::Breakage::NoCascadeOnChatDelete) {
            return Some(row);
        }
        let members: Vec<u64> = self.chat_users.values().filter(|u| u.chat_id == id).map(|u| u.id).collect();
        for member in members {
            self.remove_chat_user(member);
        }
        self.messages.retain(|_, m| m.chat_id != id);
        Some(row)
    }

    /// Removes a company with its chats and everything in them.
    pub(crate) fn remove_company(&mut self, id: u64) -> Option<CompanyRow> {
        let row = self.companies.remove(&id)?;
        let chats: Vec<u64> = self.chats.values().filter(|c| c.company_id == id).map(|c| c.id).collect();
        for chat in chats {
            self.remove_chat(chat);
        }
        Some(row)
    }
}

/// A fresh unguessable token of `len` letters and digits (Laravel's `Str::random`).
pub(crate) fn random_token(len: usize) -> String {
    use rand::{Rng, distr::Alphanumeric};
    rand::rng().sample_iter(&Alphanumeric).take(len).map(char::from).collect()
}

/// Builders the area tests share.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) mod fixtures {
    use serde_json::{Value, json};
    use time::{OffsetDateTime, macros::datetime};

    use super::{Config, Input, Store};
    use crate::connectnow::auth::Credentials;

    /// The fixed start of every test's clock.
    pub const T0: OffsetDateTime = datetime!(2026-01-01 00:00:00 UTC);

    /// An input with `api_token` and a body.
    pub fn api(token: &str, body: Value) -> Input {
        Input {
            creds: Credentials { api_token: Some(token.to_owned()), ..Credentials::default() },
            body: body.as_object().cloned().unwrap_or_default(),
            url: "http://localhost/x".into(),
            ..Input::default()
        }
    }

    /// An input with `chat_user_token` and a body.
    pub fn member(token: &str, body: Value) -> Input {
        Input {
            creds: Credentials { chat_user_token: Some(token.to_owned()), ..Credentials::default() },
            body: body.as_object().cloned().unwrap_or_default(),
            url: "http://localhost/x".into(),
            ..Input::default()
        }
    }

    /// An input with no token and a body.
    pub fn anonymous(body: Value) -> Input {
        Input { body: body.as_object().cloned().unwrap_or_default(), ..Input::default() }
    }

    /// A store with one account; returns the store and the account's token.
    pub fn store_with_account() -> (Store, String) {
        let mut store = Store::new(Config::default());
        let token = account(&mut store, "owner");
        (store, token)
    }

    /// Provisions an account and returns its API token.
    pub fn account(store: &mut Store, name: &str) -> String {
        store.provision(T0, name)["api_token"].as_str().unwrap().to_owned()
    }

    /// A company and a chat of the account; returns the chat id.
    pub fn chat(store: &mut Store, token: &str) -> u64 {
        let company = store.create_company(T0, &api(token, json!({"name": "Acme"}))).unwrap();
        store.create_chat(T0, &api(token, json!({"company_id": company.id, "name": "Support"}))).unwrap().id
    }

    /// Adds a chat user by the account and redeems its e-mailed code; returns the chat
    /// user's id and token.
    pub fn joined(store: &mut Store, token: &str, chat: u64, email: &str) -> (u64, String) {
        let user =
            store.create_chat_user(T0, &api(token, json!({"name": email, "email": email})), chat).unwrap();
        let code = store.outbox().last().unwrap().auth_code;
        let reply =
            store.get_token(T0, &anonymous(json!({"email": email, "auth-code": code})), chat).unwrap();
        (user.id, reply.chat_user_token)
    }
}
