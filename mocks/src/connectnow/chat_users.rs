//! Chat users (seed 002, "Chat users": get all, get single by ID, create, edit, delete).
//! The chat's account manages them; a chat user may read the others of its chat and edit or
//! delete itself (NOTES.md C10). Creating one e-mails it an auth code (NOTES.md C12).

use chatspec_specs::connectnow::{
    chat_users::{ChatUser, CreateChatUser, EditChatUser},
    pagination::Paginated,
};
use chatspec_specs::endpoint::Handle;
use time::OffsetDateTime;

use super::auth::{Actor, Need};
use super::companies::MAX_NAME;
use super::errors::ApiError;
use super::pagination::paginate;
use super::store::{ChatUserRow, Input, Store};
use super::transport::{Call, Served, reply};
use super::validate::{Presence, Validator};

impl Store {
    /// The chat user `email` in `chat_id`, ignoring case.
    pub(crate) fn chat_user_by_email(&self, chat_id: u64, email: &str) -> Option<u64> {
        self.chat_users
            .values()
            .find(|u| u.chat_id == chat_id && u.email.eq_ignore_ascii_case(email))
            .map(|u| u.id)
    }

    /// Adds a chat user and returns its id.
    pub(crate) fn add_chat_user(
        &mut self,
        now: OffsetDateTime,
        chat_id: u64,
        name: String,
        email: String,
    ) -> u64 {
        let id = self.next("chat_user");
        self.chat_users
            .insert(id, ChatUserRow { id, chat_id, name, email, created_at: now, updated_at: now });
        id
    }

    /// Chat user `id` of chat `chat_id` as `actor` may change it: the account's, or the chat
    /// user itself.
    fn changeable_chat_user(&self, actor: Actor, chat_id: u64, id: u64) -> Result<(), ApiError> {
        self.chat_for(actor, chat_id)?;
        if self.chat_users.get(&id).is_none_or(|u| u.chat_id != chat_id) {
            return Err(ApiError::missing("ChatUser", id));
        }
        match actor {
            Actor::ChatUser(me) if me != id => Err(ApiError::Forbidden),
            _ => Ok(()),
        }
    }

    /// `GET /api/chats/{chat-id}/users`, oldest first.
    pub fn list_chat_users(&self, input: &Input, chat_id: u64) -> Result<Paginated<ChatUser>, ApiError> {
        let actor = self.authenticate(&input.creds, Need::Either)?;
        self.chat_for(actor, chat_id)?;
        let page = Store::page(input)?;
        let all =
            self.chat_users.values().filter(|u| u.chat_id == chat_id).map(Store::chat_user_view).collect();
        Ok(self.broken_page(paginate(all, page, &input.url)))
    }

    /// `GET /api/chats/{chat-id}/users/{chat-user-id}`.
    pub fn get_chat_user(&self, input: &Input, chat_id: u64, id: u64) -> Result<ChatUser, ApiError> {
        let actor = self.authenticate(&input.creds, Need::Either)?;
        self.chat_for(actor, chat_id)?;
        self.chat_users
            .get(&id)
            .filter(|u| u.chat_id == chat_id)
            .map(Store::chat_user_view)
            .ok_or_else(|| ApiError::missing("ChatUser", id))
    }

    /// `POST /api/chats/{chat-id}/users`: by the chat's account; the new chat user is
    /// e-mailed an auth code.
    pub fn create_chat_user(
        &mut self,
        now: OffsetDateTime,
        input: &Input,
        chat_id: u64,
    ) -> Result<ChatUser, ApiError> {
        let account = self.account(&input.creds)?;
        self.chat_for(Actor::Account(account), chat_id)?;
        let mut v = Validator::new(&input.body);
        let name = v.string("name", Presence::Required, MAX_NAME);
        let email = v.email("email", Presence::Required);
        if let Some(email) = &email
            && self.chat_user_by_email(chat_id, email).is_some()
        {
            v.fail("email", "The email has already been taken.");
        }
        v.finish()?;
        let req = CreateChatUser { name: name.unwrap_or_default(), email: email.unwrap_or_default() };
        let id = self.add_chat_user(now, chat_id, req.name, req.email);
        self.send_code(now, id);
        self.chat_users.get(&id).map(Store::chat_user_view).ok_or_else(|| ApiError::missing("ChatUser", id))
    }

    /// `PUT /api/chats/{chat-id}/users/{chat-user-id}`: only the fields given change.
    pub fn edit_chat_user(
        &mut self,
        now: OffsetDateTime,
        input: &Input,
        chat_id: u64,
        id: u64,
    ) -> Result<ChatUser, ApiError> {
        let actor = self.authenticate(&input.creds, Need::Either)?;
        self.changeable_chat_user(actor, chat_id, id)?;
        let mut v = Validator::new(&input.body);
        let req = EditChatUser {
            name: v.string("name", Presence::Sometimes, MAX_NAME),
            email: v.email("email", Presence::Sometimes),
        };
        if let Some(email) = &req.email
            && self.chat_user_by_email(chat_id, email).is_some_and(|other| other != id)
        {
            v.fail("email", "The email has already been taken.");
        }
        v.finish()?;
        let row = self.chat_users.get_mut(&id).ok_or_else(|| ApiError::missing("ChatUser", id))?;
        let mut changed = false;
        if let Some(name) = req.name.filter(|n| *n != row.name) {
            row.name = name;
            changed = true;
        }
        if let Some(email) = req.email.filter(|e| *e != row.email) {
            row.email = email;
            changed = true;
        }
        if changed {
            row.updated_at = now;
        }
        Ok(Store::chat_user_view(row))
    }

    /// `DELETE /api/chats/{chat-id}/users/{chat-user-id}`: the chat user goes with its
    /// messages, code and tokens.
    pub fn delete_chat_user(&mut self, input: &Input, chat_id: u64, id: u64) -> Result<ChatUser, ApiError> {
        let actor = self.authenticate(&input.creds, Need::Either)?;
        self.changeable_chat_user(actor, chat_id, id)?;
        self.remove_chat_user(id)
            .map(|row| Store::chat_user_view(&row))
            .ok_or_else(|| ApiError::missing("ChatUser", id))
    }
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/connectnow/mod.rs) ----
impl Handle<chatspec_specs::connectnow::chat_users::List, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        Ok(reply(self.list_chat_users(c.input, c.id(0)?)?))
    }
}

impl Handle<chatspec_specs::connectnow::chat_users::Get, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        Ok(reply(self.get_chat_user(c.input, c.id(0)?, c.id(1)?)?))
    }
}

impl Handle<chatspec_specs::connectnow::chat_users::Create, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        Ok(reply(self.create_chat_user(c.now, c.input, c.id(0)?)?))
    }
}

impl Handle<chatspec_specs::connectnow::chat_users::Edit, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        Ok(reply(self.edit_chat_user(c.now, c.input, c.id(0)?, c.id(1)?)?))
    }
}

impl Handle<chatspec_specs::connectnow::chat_users::Delete, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        Ok(reply(self.delete_chat_user(c.input, c.id(0)?, c.id(1)?)?))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::connectnow::store::fixtures::*;
    use serde_json::json;

    #[test]
    fn creating_a_chat_user_mails_a_code_and_emails_are_unique_per_chat() {
        let (mut store, ann) = store_with_account();
        let chat_a = chat(&mut store, &ann);
        let chat_b = chat(&mut store, &ann);
        let body = json!({"name": "Cy", "email": "cy@example.org"});
        let cy = store.create_chat_user(T0, &api(&ann, body.clone()), chat_a).unwrap();
        let mail = store.outbox().last().unwrap().clone();
        assert_eq!((mail.to.as_str(), mail.chat_user_id), ("cy@example.org", cy.id));
        assert!(mail.body.contains(&mail.auth_code.to_string()));
        let again = json!({"name": "Cy", "email": "CY@example.org"});
        assert!(matches!(
            store.create_chat_user(T0, &api(&ann, again), chat_a),
            Err(ApiError::Validation(e)) if e["email"] == ["The email has already been taken."]
        ));
        assert!(store.create_chat_user(T0, &api(&ann, body), chat_b).is_ok());
    }

    #[test]
    fn a_chat_user_edits_and_deletes_itself_but_no_other() {
        let (mut store, ann) = store_with_account();
        let room = chat(&mut store, &ann);
        let (cy, cy_tok) = joined(&mut store, &ann, room, "cy@example.org");
        let (di, _) = joined(&mut store, &ann, room, "di@example.org");
        let listed = store.list_chat_users(&member(&cy_tok, json!({})), room).unwrap();
        assert_eq!(listed.data.len(), 2);
        let renamed = store.edit_chat_user(T0, &member(&cy_tok, json!({"name": "Cyril"})), room, cy).unwrap();
        assert_eq!(renamed.name, "Cyril");
        assert_eq!(
            store.edit_chat_user(T0, &member(&cy_tok, json!({"name": "x"})), room, di),
            Err(ApiError::Forbidden)
        );
        assert_eq!(store.delete_chat_user(&member(&cy_tok, json!({})), room, di), Err(ApiError::Forbidden));
        assert!(matches!(
            store.edit_chat_user(T0, &api(&ann, json!({"email": "di@example.org"})), room, cy),
            Err(ApiError::Validation(_))
        ));
        assert_eq!(
            store.create_chat_user(T0, &member(&cy_tok, json!({"name": "x", "email": "x@y.z"})), room),
            Err(ApiError::Unauthenticated)
        );
        store.delete_chat_user(&member(&cy_tok, json!({})), room, cy).unwrap();
        assert_eq!(store.get_chat_user_self(&member(&cy_tok, json!({}))), Err(ApiError::Unauthenticated));
    }

    #[test]
    fn a_chat_user_of_another_chat_is_not_found_here() {
        let (mut store, ann) = store_with_account();
        let room = chat(&mut store, &ann);
        let other = chat(&mut store, &ann);
        let (cy, _) = joined(&mut store, &ann, other, "cy@example.org");
        assert!(matches!(store.get_chat_user(&api(&ann, json!({})), room, cy), Err(ApiError::NotFound(_))));
    }
}
