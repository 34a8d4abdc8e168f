//! The current user (seed 002, "Current user": `GET /api/user` "Get authenticated via API
//! token" and `GET /api/chat-user` "Get authenticated via chat-user token"), and accounts made
//! by the admin API.

use chatspec_specs::connectnow::{chat_users::ChatUser, users::User};
use chatspec_specs::endpoint::Handle;
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::errors::ApiError;
use super::store::{Account, Input, Store, random_token};
use super::transport::{Call, Served, reply};

impl Store {
    /// `GET /api/user`: the account behind the API token.
    pub fn get_user(&self, input: &Input) -> Result<User, ApiError> {
        let id = self.account(&input.creds)?;
        self.accounts.get(&id).map(Store::user_view).ok_or(ApiError::Unauthenticated)
    }

    /// `GET /api/chat-user`: the chat user behind the chat-user token.
    pub fn get_chat_user_self(&self, input: &Input) -> Result<ChatUser, ApiError> {
        let id = self.chat_user(&input.creds)?;
        self.chat_users.get(&id).map(Store::chat_user_view).ok_or(ApiError::Unauthenticated)
    }

    /// Provisions an account for the admin API: `{"user": <user record>, "api_token": "..."}`.
    pub fn provision(&mut self, now: OffsetDateTime, name: &str) -> Value {
        let id = self.next("user");
        let slug: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
            .collect();
        let api_token = random_token(60);
        let account = Account {
            id,
            name: name.to_owned(),
            email: format!("{slug}-{id}@accounts.chatspec.test"),
            api_token: api_token.clone(),
            created_at: now,
            updated_at: now,
        };
        let user = Store::user_view(&account);
        self.api_tokens.insert(api_token.clone(), id);
        self.accounts.insert(id, account);
        json!({"user": user, "api_token": api_token})
    }
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/connectnow/mod.rs) ----
impl Handle<chatspec_specs::connectnow::users::CurrentUser, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        Ok(reply(self.get_user(c.input)?))
    }
}

impl Handle<chatspec_specs::connectnow::users::CurrentChatUser, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        Ok(reply(self.get_chat_user_self(c.input)?))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::connectnow::auth::Credentials;
    use crate::connectnow::store::Config;
    use time::macros::datetime;

    #[test]
    fn a_provisioned_token_finds_its_account_and_no_other_token_does() {
        let mut store = Store::new(Config::default());
        let now = datetime!(2026-01-01 00:00:00 UTC);
        let reply = store.provision(now, "Ann Lee");
        let token = reply["api_token"].as_str().unwrap().to_owned();
        assert_eq!(token.len(), 60);
        let by_query = Input {
            creds: Credentials { api_token: Some(token.clone()), ..Credentials::default() },
            ..Input::default()
        };
        let user = store.get_user(&by_query).unwrap();
        assert_eq!(user.name, "Ann Lee");
        assert_eq!(user.email, "ann-lee-1@accounts.chatspec.test");
        assert_eq!(user.created_at.0, "2026-01-01T00:00:00.000000Z");
        let by_bearer = Input {
            creds: Credentials { bearer: Some(token.clone()), ..Credentials::default() },
            ..Input::default()
        };
        assert_eq!(store.get_user(&by_bearer).unwrap().id, user.id);
        let wrong = Input {
            creds: Credentials {
                api_token: Some("nope".into()),
                bearer: Some(token),
                ..Credentials::default()
            },
            ..Input::default()
        };
        assert_eq!(store.get_user(&wrong), Err(ApiError::Unauthenticated));
        assert_eq!(store.get_user(&Input::default()), Err(ApiError::Unauthenticated));
        assert_eq!(store.get_chat_user_self(&by_query), Err(ApiError::Unauthenticated));
    }
}
