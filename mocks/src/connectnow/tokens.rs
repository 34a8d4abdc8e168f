//! Chat-user tokens and the chat password (seed 002, "Users": "Get valid chat-user token",
//! `POST /chats/{chat-id}/users/get-token`, and "Get chat password",
//! `POST /chats/{chat-id}/share`), with the e-mailed auth codes they rest on (NOTES.md C12,
//! C13, C15).

use chatspec_specs::connectnow::tokens::{GetTokenReply, MessageReply, ShareReply};
use chatspec_specs::endpoint::Handle;
use time::OffsetDateTime;

use super::auth::Actor;
use super::breakage::Breakage;
use super::companies::MAX_NAME;
use super::errors::ApiError;
use super::store::{Email, Input, PendingCode, Store, random_token, stamp};
use super::transport::{Call, Served, reply};
use super::validate::{Presence, Validator};

/// The field a bad code is reported on, as the seed names it.
const AUTH_CODE: &str = "auth-code";

impl Store {
    /// E-mails chat user `id` a fresh 6-digit code, replacing any earlier one.
    pub(crate) fn send_code(&mut self, now: OffsetDateTime, id: u64) {
        use rand::Rng;
        let Some(user) = self.chat_users.get(&id) else {
            return;
        };
        let chat_name = self.chats.get(&user.chat_id).map(|c| c.name.clone()).unwrap_or_default();
        let code: u64 = rand::rng().random_range(100_000..=999_999);
        let expires_at = now + self.config.auth_code_ttl;
        let minutes = self.config.auth_code_ttl.whole_minutes();
        let email = Email {
            id: self.outbox.len() as u64 + 1,
            kind: "email",
            to: user.email.clone(),
            subject: format!("Your auth code for {chat_name}"),
            body: format!(
                "Hello {}, your auth code for the chat \"{chat_name}\" is {code}. \
                 It is valid for {minutes} minutes and can be used once.",
                user.name
            ),
            chat_id: user.chat_id,
            chat_user_id: id,
            auth_code: code,
            sent_at: stamp(now).0,
            expires_at: stamp(expires_at).0,
        };
        if !self.config.broken(super::Breakage::CodesNotEmailed) {
            self.outbox.push(email);
        }
        self.codes.insert(id, PendingCode { code, expires_at });
    }

    /// `POST /chats/{chat-id}/users/get-token`: "exchange a valid auth-code for a chat-user
    /// token". A code works once and until it expires; a wrong one says no more than that.
    pub fn get_token(
        &mut self,
        now: OffsetDateTime,
        input: &Input,
        chat_id: u64,
    ) -> Result<GetTokenReply, ApiError> {
        if !self.chats.contains_key(&chat_id) {
            return Err(ApiError::missing("Chat", chat_id));
        }
        let mut v = Validator::new(&input.body);
        let email = v.email("email", Presence::Required);
        let code = v.integer(AUTH_CODE, Presence::Required, 0, u64::MAX);
        v.finish()?;
        let (Some(email), Some(code)) = (email, code) else {
            return Err(ApiError::invalid(AUTH_CODE, "The auth-code field is required."));
        };
        let holder = self
            .chat_user_by_email(chat_id, &email)
            .filter(|id| {
                self.codes.get(id).is_some_and(|p| {
                    p.code == code && (now < p.expires_at || self.config.broken(Breakage::CodesNeverExpire))
                })
            })
            .ok_or_else(|| ApiError::invalid(AUTH_CODE, "The auth-code is invalid or has expired."))?;
        if !self.config.broken(Breakage::ReusableCodes) {
            self.codes.remove(&holder);
        }
        let token = random_token(60);
        self.chat_user_tokens.insert(token.clone(), holder);
        let chat_user = self
            .chat_users
            .get(&holder)
            .map(Store::chat_user_view)
            .ok_or_else(|| ApiError::missing("ChatUser", holder))?;
        Ok(GetTokenReply { chat_user_token: token, chat_user })
    }

    /// `POST /chats/{chat-id}/share`: the chat password, for the chat's account.
    pub fn share(&self, input: &Input, chat_id: u64) -> Result<ShareReply, ApiError> {
        let account = self.account(&input.creds)?;
        let chat = self.chat_for(Actor::Account(account), chat_id)?;
        Ok(ShareReply { chat_id, password: chat.password.clone() })
    }

    /// `POST /chats/{chat-id}/users/request-code` (the mock's): e-mails a code to whoever
    /// knows the chat password, adding them to the chat when new.
    pub fn request_auth_code(
        &mut self,
        now: OffsetDateTime,
        input: &Input,
        chat_id: u64,
    ) -> Result<MessageReply, ApiError> {
        let password = self
            .chats
            .get(&chat_id)
            .map(|c| c.password.clone())
            .ok_or_else(|| ApiError::missing("Chat", chat_id))?;
        let mut v = Validator::new(&input.body);
        let email = v.email("email", Presence::Required);
        let given = v.secret("password", Presence::Required);
        let name = v.string("name", Presence::Sometimes, MAX_NAME);
        if given.as_ref().is_some_and(|g| *g != password) {
            v.fail("password", "The password is incorrect.");
        }
        v.finish()?;
        let email = email.unwrap_or_default();
        let id = match self.chat_user_by_email(chat_id, &email) {
            Some(id) => id,
            None => {
                let name = name.unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_owned());
                self.add_chat_user(now, chat_id, name, email.clone())
            }
        };
        self.send_code(now, id);
        Ok(MessageReply { message: format!("An auth code was sent to {email}.") })
    }
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/connectnow/mod.rs) ----
impl Handle<chatspec_specs::connectnow::tokens::GetChatUserToken, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        Ok(reply(self.get_token(c.now, c.input, c.id(0)?)?))
    }
}

impl Handle<chatspec_specs::connectnow::tokens::GetChatPassword, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        Ok(reply(self.share(c.input, c.id(0)?)?))
    }
}

impl Handle<chatspec_specs::connectnow::tokens::RequestCode, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        Ok(reply(self.request_auth_code(c.now, c.input, c.id(0)?)?))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::connectnow::store::fixtures::*;
    use serde_json::json;
    use time::Duration;

    fn invalid_code(result: Result<GetTokenReply, ApiError>) -> bool {
        matches!(result, Err(ApiError::Validation(e)) if e.contains_key(AUTH_CODE))
    }

    #[test]
    fn a_code_works_once() {
        let (mut store, ann) = store_with_account();
        let room = chat(&mut store, &ann);
        let body = json!({"name": "Cy", "email": "cy@example.org"});
        store.create_chat_user(T0, &api(&ann, body), room).unwrap();
        let code = store.outbox()[0].auth_code;
        assert!((100_000..=999_999).contains(&code));
        // A numeric string is as good as a number; the e-mail's case does not matter.
        let exchange = anonymous(json!({"email": "CY@example.org", "auth-code": code.to_string()}));
        let reply = store.get_token(T0, &exchange, room).unwrap();
        assert_eq!(reply.chat_user.email, "cy@example.org");
        assert!(invalid_code(store.get_token(T0, &exchange, room)));
        let me = store.get_chat_user_self(&member(&reply.chat_user_token, json!({})));
        assert_eq!(me.unwrap().id, reply.chat_user.id);
    }

    #[test]
    fn a_code_expires_and_a_newer_one_replaces_it() {
        let (mut store, ann) = store_with_account();
        let room = chat(&mut store, &ann);
        let body = json!({"name": "Cy", "email": "cy@example.org"});
        let cy = store.create_chat_user(T0, &api(&ann, body), room).unwrap();
        let first = store.outbox()[0].auth_code;
        let late = T0 + Duration::minutes(10);
        let exchange = |code: u64| anonymous(json!({"email": "cy@example.org", "auth-code": code}));
        assert!(invalid_code(store.get_token(late, &exchange(first), room)));
        store.send_code(late, cy.id);
        let second = store.outbox()[1].auth_code;
        if second != first {
            assert!(invalid_code(store.get_token(late, &exchange(first), room)));
        }
        assert!(store.get_token(late, &exchange(second), room).is_ok());
    }

    #[test]
    fn a_code_is_tied_to_its_chat_and_address() {
        let (mut store, ann) = store_with_account();
        let room = chat(&mut store, &ann);
        let other = chat(&mut store, &ann);
        let body = json!({"name": "Cy", "email": "cy@example.org"});
        store.create_chat_user(T0, &api(&ann, body), room).unwrap();
        let code = store.outbox()[0].auth_code;
        let wrong_mail = anonymous(json!({"email": "di@example.org", "auth-code": code}));
        assert!(invalid_code(store.get_token(T0, &wrong_mail, room)));
        let right = anonymous(json!({"email": "cy@example.org", "auth-code": code}));
        assert!(invalid_code(store.get_token(T0, &right, other)));
        assert!(matches!(store.get_token(T0, &right, 99), Err(ApiError::NotFound(_))));
        let missing = anonymous(json!({"email": "nope"}));
        assert!(matches!(
            store.get_token(T0, &missing, room),
            Err(ApiError::Validation(e)) if e.contains_key("email") && e.contains_key(AUTH_CODE)
        ));
    }

    #[test]
    fn the_chat_password_lets_people_ask_for_a_code() {
        let (mut store, ann) = store_with_account();
        let bob = account(&mut store, "bob");
        let room = chat(&mut store, &ann);
        assert_eq!(store.share(&api(&bob, json!({})), room), Err(ApiError::Forbidden));
        let shared = store.share(&api(&ann, json!({})), room).unwrap();
        assert_eq!(shared, store.share(&api(&ann, json!({})), room).unwrap());
        let wrong = anonymous(json!({"email": "eve@example.org", "password": "guess"}));
        assert!(matches!(
            store.request_auth_code(T0, &wrong, room),
            Err(ApiError::Validation(e)) if e.contains_key("password")
        ));
        assert!(store.outbox().is_empty() && store.chat_users.is_empty());
        let ask = anonymous(json!({"email": "eve@example.org", "password": shared.password}));
        store.request_auth_code(T0, &ask, room).unwrap();
        let mail = store.outbox()[0].clone();
        assert_eq!(mail.to, "eve@example.org");
        let eve = &store.chat_users[&mail.chat_user_id];
        assert_eq!((eve.name.as_str(), eve.chat_id), ("eve", room));
        // Asking again mails a new code to the same chat user.
        store.request_auth_code(T0, &ask, room).unwrap();
        assert_eq!(store.outbox()[1].chat_user_id, mail.chat_user_id);
        assert_eq!(store.chat_users.len(), 1);
    }
}
