//! Chats (seed 002, "Chats": get all, get single by ID, create, edit, delete). A chat belongs
//! to a company; the company's account manages it and its chat users may read it (NOTES.md
//! C9, C10).

use chatspec_specs::connectnow::{
    chats::{Chat, CreateChat, EditChat},
    pagination::Paginated,
};
use chatspec_specs::endpoint::Handle;
use time::OffsetDateTime;

use super::auth::Need;
use super::companies::MAX_NAME;
use super::errors::ApiError;
use super::pagination::paginate;
use super::store::{ChatRow, Input, Store, random_token};
use super::transport::{Call, Served, reply};
use super::validate::{Presence, Validator};

impl Store {
    /// `GET /api/chats`: the chats of the account's companies, oldest first.
    pub fn list_chats(&self, input: &Input) -> Result<Paginated<Chat>, ApiError> {
        let account = self.account(&input.creds)?;
        let page = Store::page(input)?;
        let all = self
            .chats
            .values()
            .filter(|c| self.companies.get(&c.company_id).is_some_and(|co| co.user_id == account))
            .map(Store::chat_view)
            .collect();
        Ok(self.broken_page(paginate(all, page, &input.url)))
    }

    /// `GET /api/chats/{chat-id}`: for the company's account or a chat user of the chat.
    pub fn get_chat(&self, input: &Input, id: u64) -> Result<Chat, ApiError> {
        let actor = self.authenticate(&input.creds, Need::Either)?;
        self.chat_for(actor, id).map(Store::chat_view)
    }

    /// `POST /api/chats`: in one of the account's companies. A `company_id` that does not
    /// exist is 422; another account's is 403.
    pub fn create_chat(&mut self, now: OffsetDateTime, input: &Input) -> Result<Chat, ApiError> {
        let account = self.account(&input.creds)?;
        let mut v = Validator::new(&input.body);
        let company_id = v.integer("company_id", Presence::Required, 0, u64::MAX);
        let name = v.string("name", Presence::Required, MAX_NAME);
        if let Some(cid) = company_id
            && !self.companies.contains_key(&cid)
        {
            v.fail("company_id", "The selected company id is invalid.");
        }
        v.finish()?;
        let req = CreateChat { company_id: company_id.unwrap_or_default(), name: name.unwrap_or_default() };
        self.own_company(account, req.company_id)?;
        let id = self.next("chat");
        let row = ChatRow {
            id,
            company_id: req.company_id,
            name: req.name,
            password: random_token(12),
            created_at: now,
            updated_at: now,
        };
        let view = Store::chat_view(&row);
        self.chats.insert(id, row);
        Ok(view)
    }

    /// `PUT /api/chats/{chat-id}`: only the fields given change.
    pub fn edit_chat(&mut self, now: OffsetDateTime, input: &Input, id: u64) -> Result<Chat, ApiError> {
        let account = self.account(&input.creds)?;
        self.chat_for(super::auth::Actor::Account(account), id)?;
        let mut v = Validator::new(&input.body);
        let req = EditChat { name: v.string("name", Presence::Sometimes, MAX_NAME) };
        v.finish()?;
        let row = self.chats.get_mut(&id).ok_or_else(|| ApiError::missing("Chat", id))?;
        if let Some(name) = req.name.filter(|n| *n != row.name) {
            row.name = name;
            row.updated_at = now;
        }
        Ok(Store::chat_view(row))
    }

    /// `DELETE /api/chats/{chat-id}`: "deleting a chat takes its users and messages with it".
    pub fn delete_chat(&mut self, input: &Input, id: u64) -> Result<Chat, ApiError> {
        let account = self.account(&input.creds)?;
        self.chat_for(super::auth::Actor::Account(account), id)?;
        self.remove_chat(id).map(|row| Store::chat_view(&row)).ok_or_else(|| ApiError::missing("Chat", id))
    }
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/connectnow/mod.rs) ----
impl Handle<chatspec_specs::connectnow::chats::List, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        Ok(reply(self.list_chats(c.input)?))
    }
}

impl Handle<chatspec_specs::connectnow::chats::Get, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        Ok(reply(self.get_chat(c.input, c.id(0)?)?))
    }
}

impl Handle<chatspec_specs::connectnow::chats::Create, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        Ok(reply(self.create_chat(c.now, c.input)?))
    }
}

impl Handle<chatspec_specs::connectnow::chats::Edit, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        Ok(reply(self.edit_chat(c.now, c.input, c.id(0)?)?))
    }
}

impl Handle<chatspec_specs::connectnow::chats::Delete, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        Ok(reply(self.delete_chat(c.input, c.id(0)?)?))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::connectnow::store::fixtures::*;
    use serde_json::json;

    #[test]
    fn a_chat_goes_only_into_an_existing_company_of_ones_own() {
        let (mut store, ann) = store_with_account();
        let bob = account(&mut store, "bob");
        let bobco = store.create_company(T0, &api(&bob, json!({"name": "Bobco"}))).unwrap();
        assert!(matches!(
            store.create_chat(T0, &api(&ann, json!({"company_id": 42, "name": "x"}))),
            Err(ApiError::Validation(e)) if e["company_id"] == ["The selected company id is invalid."]
        ));
        assert_eq!(
            store.create_chat(T0, &api(&ann, json!({"company_id": bobco.id, "name": "x"}))),
            Err(ApiError::Forbidden)
        );
        let chat = chat(&mut store, &ann);
        let listed = store.list_chats(&api(&ann, json!({}))).unwrap();
        assert_eq!(listed.data.iter().map(|c| c.id).collect::<Vec<_>>(), [chat]);
        assert!(store.list_chats(&api(&bob, json!({}))).unwrap().data.is_empty());
    }

    #[test]
    fn a_chat_user_may_read_its_own_chat_only() {
        let (mut store, ann) = store_with_account();
        let first = chat(&mut store, &ann);
        let second = chat(&mut store, &ann);
        let (_, tok) = joined(&mut store, &ann, first, "c@example.org");
        assert_eq!(store.get_chat(&member(&tok, json!({})), first).unwrap().id, first);
        assert_eq!(store.get_chat(&member(&tok, json!({})), second), Err(ApiError::Forbidden));
        // The chat routes that manage chats want an API token.
        assert_eq!(store.list_chats(&member(&tok, json!({}))), Err(ApiError::Unauthenticated));
        assert_eq!(
            store.edit_chat(T0, &member(&tok, json!({"name": "x"})), first),
            Err(ApiError::Unauthenticated)
        );
    }

    #[test]
    fn deleting_a_chat_takes_its_users_messages_and_tokens() {
        let (mut store, ann) = store_with_account();
        let doomed = chat(&mut store, &ann);
        let kept = chat(&mut store, &ann);
        let (_, tok) = joined(&mut store, &ann, doomed, "c@example.org");
        let (_, other) = joined(&mut store, &ann, kept, "d@example.org");
        store.create_chat_message(T0, &member(&tok, json!({"message": "hi"})), doomed).unwrap();
        store.create_chat_message(T0, &member(&other, json!({"message": "hi"})), kept).unwrap();
        store.delete_chat(&api(&ann, json!({})), doomed).unwrap();
        assert!(store.chat_users.values().all(|u| u.chat_id == kept));
        assert!(store.messages.values().all(|m| m.chat_id == kept));
        assert_eq!(store.get_chat_user_self(&member(&tok, json!({}))), Err(ApiError::Unauthenticated));
        assert!(store.get_chat_user_self(&member(&other, json!({}))).is_ok());
        // Deleting the company takes the rest.
        let company = store.chats[&kept].company_id;
        store.delete_company(&api(&ann, json!({})), company).unwrap();
        assert!(store.chats.values().all(|c| c.company_id != company));
        assert!(store.chat_users.is_empty() && store.messages.is_empty());
    }
}
