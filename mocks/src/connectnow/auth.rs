//! Authentication (seed 002, "Authentication": "two types of tokens exist for authentication
//! depending on what you're trying to access"; NOTES.md C3): which token a request carries,
//! where, and who it names. What each caller may then reach is in `scoping.rs`.

use super::errors::ApiError;
use super::store::Store;

/// The tokens a request carries, by placement (NOTES.md C3).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Credentials {
    /// `api_token` from the query string, else from the body. A value that is not a string
    /// is kept as an empty token, so it fails rather than counting as absent.
    pub api_token: Option<String>,
    /// `chat_user_token` from the query string, else from the body.
    pub chat_user_token: Option<String>,
    /// `Authorization: Bearer <token>`.
    pub bearer: Option<String>,
}

impl Credentials {
    /// The token that identifies the caller for rate limiting: the first one present.
    pub fn key(&self) -> Option<&str> {
        self.api_token.as_deref().or(self.chat_user_token.as_deref()).or(self.bearer.as_deref())
    }
}

/// Which token a route takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// An API token: "usual tokens that you use to authenticate most API requests".
    Api,
    /// A chat-user token: "required to interact as a given user in a given chat".
    ChatUser,
    /// Either kind.
    Either,
}

/// Who is calling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    /// An account, by user id, through its API token.
    Account(u64),
    /// A chat user, by id, through a chat-user token.
    ChatUser(u64),
}

impl Store {
    fn api_actor(&self, token: &str) -> Result<Actor, ApiError> {
        match self.api_tokens.get(token) {
            Some(&id) if !token.is_empty() => Ok(Actor::Account(id)),
            _ => Err(ApiError::Unauthenticated),
        }
    }

    fn chat_user_actor(&self, token: &str) -> Result<Actor, ApiError> {
        match self.chat_user_tokens.get(token) {
            Some(&id) if !token.is_empty() => Ok(Actor::ChatUser(id)),
            _ => Err(ApiError::Unauthenticated),
        }
    }

    /// The caller, looking for the token kind the route takes: the query string or body
    /// first, then the bearer header. The first placement present decides; a bad token there
    /// is 401 even when another placement holds a good one.
    pub fn authenticate(&self, creds: &Credentials, need: Need) -> Result<Actor, ApiError> {
        let bearer = creds.bearer.as_deref();
        match need {
            Need::Api => match (creds.api_token.as_deref(), bearer) {
                (Some(t), _) | (None, Some(t)) => self.api_actor(t),
                (None, None) => Err(ApiError::Unauthenticated),
            },
            Need::ChatUser => match (creds.chat_user_token.as_deref(), bearer) {
                (Some(t), _) | (None, Some(t)) => self.chat_user_actor(t),
                (None, None) => Err(ApiError::Unauthenticated),
            },
            Need::Either => {
                if let Some(t) = creds.api_token.as_deref() {
                    self.api_actor(t)
                } else if let Some(t) = creds.chat_user_token.as_deref() {
                    self.chat_user_actor(t)
                } else if let Some(t) = bearer {
                    self.api_actor(t).or_else(|_| self.chat_user_actor(t))
                } else {
                    Err(ApiError::Unauthenticated)
                }
            }
        }
    }

    /// The account behind an API token.
    pub(crate) fn account(&self, creds: &Credentials) -> Result<u64, ApiError> {
        match self.authenticate(creds, Need::Api)? {
            Actor::Account(id) => Ok(id),
            Actor::ChatUser(_) => Err(ApiError::Unauthenticated),
        }
    }

    /// The chat user behind a chat-user token.
    pub(crate) fn chat_user(&self, creds: &Credentials) -> Result<u64, ApiError> {
        match self.authenticate(creds, Need::ChatUser)? {
            Actor::ChatUser(id) => Ok(id),
            Actor::Account(_) => Err(ApiError::Unauthenticated),
        }
    }
}
