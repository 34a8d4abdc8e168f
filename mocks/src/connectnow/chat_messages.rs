//! Chat messages (seed 002, "Chat messages": get all, get single by ID, create, edit,
//! delete). Posting takes a chat-user token ("required when creating chat messages"); a chat
//! user changes only its own messages, the chat's account any (NOTES.md C11).

use chatspec_specs::connectnow::{
    chat_messages::{ChatMessage, CreateChatMessage, EditChatMessage},
    pagination::Paginated,
};
use chatspec_specs::endpoint::Handle;
use time::OffsetDateTime;

use super::auth::{Actor, Need};
use super::errors::ApiError;
use super::pagination::paginate;
use super::store::{Input, MessageRow, Store};
use super::transport::{Call, Served, reply};
use super::validate::{Presence, Validator};

/// Longest message accepted (a MySQL `TEXT` column).
pub const MAX_MESSAGE: usize = 65_535;

impl Store {
    /// Message `id` of chat `chat_id` as `actor` may change it: the author's, or any for
    /// the chat's account.
    fn changeable_message(&self, actor: Actor, chat_id: u64, id: u64) -> Result<(), ApiError> {
        self.chat_for(actor, chat_id)?;
        let message = self
            .messages
            .get(&id)
            .filter(|m| m.chat_id == chat_id)
            .ok_or_else(|| ApiError::missing("ChatMessage", id))?;
        match actor {
            Actor::ChatUser(me) if me != message.chat_user_id => Err(ApiError::Forbidden),
            _ => Ok(()),
        }
    }

    /// `GET /api/chats/{chat-id}/messages`, oldest first.
    pub fn list_chat_messages(
        &self,
        input: &Input,
        chat_id: u64,
    ) -> Result<Paginated<ChatMessage>, ApiError> {
        let actor = self.authenticate(&input.creds, Need::Either)?;
        self.chat_for(actor, chat_id)?;
        let page = Store::page(input)?;
        let mut all: Vec<ChatMessage> =
            self.messages.values().filter(|m| m.chat_id == chat_id).map(Store::message_view).collect();
        if self.config.broken(super::breakage::Breakage::ListedAuthorWrong) {
            all.iter_mut().for_each(|m| m.chat_user_id += 1);
        }
        Ok(self.broken_page(paginate(all, page, &input.url)))
    }

    /// `GET /api/chats/{chat-id}/messages/{chat-message-id}`.
    pub fn get_chat_message(&self, input: &Input, chat_id: u64, id: u64) -> Result<ChatMessage, ApiError> {
        let actor = self.authenticate(&input.creds, Need::Either)?;
        self.chat_for(actor, chat_id)?;
        self.messages
            .get(&id)
            .filter(|m| m.chat_id == chat_id)
            .map(Store::message_view)
            .ok_or_else(|| ApiError::missing("ChatMessage", id))
    }

    /// `POST /api/chats/{chat-id}/messages`: by a chat user of the chat, who is its author.
    pub fn create_chat_message(
        &mut self,
        now: OffsetDateTime,
        input: &Input,
        chat_id: u64,
    ) -> Result<ChatMessage, ApiError> {
        let author = self.chat_user(&input.creds)?;
        self.chat_for(Actor::ChatUser(author), chat_id)?;
        let mut v = Validator::new(&input.body);
        let text = v.string("message", Presence::Required, MAX_MESSAGE);
        v.finish()?;
        let req = CreateChatMessage { message: text.unwrap_or_default() };
        let id = self.next("chat_message");
        let row = MessageRow {
            id,
            chat_id,
            chat_user_id: author,
            message: req.message,
            created_at: now,
            updated_at: now,
        };
        let view = Store::message_view(&row);
        self.messages.insert(id, row);
        Ok(view)
    }

    /// `PUT /api/chats/{chat-id}/messages/{chat-message-id}`.
    pub fn edit_chat_message(
        &mut self,
        now: OffsetDateTime,
        input: &Input,
        chat_id: u64,
        id: u64,
    ) -> Result<ChatMessage, ApiError> {
        let actor = self.authenticate(&input.creds, Need::Either)?;
        self.changeable_message(actor, chat_id, id)?;
        let mut v = Validator::new(&input.body);
        let req = EditChatMessage { message: v.string("message", Presence::Sometimes, MAX_MESSAGE) };
        v.finish()?;
        let row = self.messages.get_mut(&id).ok_or_else(|| ApiError::missing("ChatMessage", id))?;
        if let Some(text) = req.message.filter(|t| *t != row.message) {
            row.message = text;
            row.updated_at = now;
        }
        Ok(Store::message_view(row))
    }

    /// `DELETE /api/chats/{chat-id}/messages/{chat-message-id}`.
    pub fn delete_chat_message(
        &mut self,
        input: &Input,
        chat_id: u64,
        id: u64,
    ) -> Result<ChatMessage, ApiError> {
        let actor = self.authenticate(&input.creds, Need::Either)?;
        self.changeable_message(actor, chat_id, id)?;
        self.messages
            .remove(&id)
            .map(|row| Store::message_view(&row))
            .ok_or_else(|| ApiError::missing("ChatMessage", id))
    }
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/connectnow/mod.rs) ----
impl Handle<chatspec_specs::connectnow::chat_messages::List, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        Ok(reply(self.list_chat_messages(c.input, c.id(0)?)?))
    }
}

impl Handle<chatspec_specs::connectnow::chat_messages::Get, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        Ok(reply(self.get_chat_message(c.input, c.id(0)?, c.id(1)?)?))
    }
}

impl Handle<chatspec_specs::connectnow::chat_messages::Create, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        Ok(reply(self.create_chat_message(c.now, c.input, c.id(0)?)?))
    }
}

impl Handle<chatspec_specs::connectnow::chat_messages::Edit, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        Ok(reply(self.edit_chat_message(c.now, c.input, c.id(0)?, c.id(1)?)?))
    }
}

impl Handle<chatspec_specs::connectnow::chat_messages::Delete, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        Ok(reply(self.delete_chat_message(c.input, c.id(0)?, c.id(1)?)?))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::connectnow::store::fixtures::*;
    use serde_json::json;

    #[test]
    fn only_a_chat_user_of_the_chat_posts_and_is_the_author() {
        let (mut store, ann) = store_with_account();
        let room = chat(&mut store, &ann);
        let other = chat(&mut store, &ann);
        let (cy, tok) = joined(&mut store, &ann, room, "cy@example.org");
        let posted = store.create_chat_message(T0, &member(&tok, json!({"message": "hello"})), room).unwrap();
        assert_eq!((posted.chat_user_id, posted.chat_id), (cy, room));
        assert_eq!(
            store.create_chat_message(T0, &api(&ann, json!({"message": "x"})), room),
            Err(ApiError::Unauthenticated)
        );
        assert_eq!(
            store.create_chat_message(T0, &member(&tok, json!({"message": "x"})), other),
            Err(ApiError::Forbidden)
        );
        assert!(matches!(
            store.create_chat_message(T0, &member(&tok, json!({"message": ["x"]})), room),
            Err(ApiError::Validation(e)) if e["message"] == ["The message must be a string."]
        ));
        let listed = store.list_chat_messages(&api(&ann, json!({})), room).unwrap();
        assert_eq!(listed.data, vec![posted]);
    }

    #[test]
    fn authors_change_their_own_messages_and_the_account_moderates() {
        let (mut store, ann) = store_with_account();
        let room = chat(&mut store, &ann);
        let (_, cy) = joined(&mut store, &ann, room, "cy@example.org");
        let (_, di) = joined(&mut store, &ann, room, "di@example.org");
        let m = store.create_chat_message(T0, &member(&cy, json!({"message": "helo"})), room).unwrap();
        assert_eq!(
            store.edit_chat_message(T0, &member(&di, json!({"message": "x"})), room, m.id),
            Err(ApiError::Forbidden)
        );
        let fixed =
            store.edit_chat_message(T0, &member(&cy, json!({"message": "hello"})), room, m.id).unwrap();
        assert_eq!(fixed.message, "hello");
        assert_eq!(store.delete_chat_message(&member(&di, json!({})), room, m.id), Err(ApiError::Forbidden));
        assert_eq!(store.delete_chat_message(&api(&ann, json!({})), room, m.id).unwrap().id, m.id);
        assert!(matches!(
            store.get_chat_message(&member(&cy, json!({})), room, m.id),
            Err(ApiError::NotFound(_))
        ));
    }
}
