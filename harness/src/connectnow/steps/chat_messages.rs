//! Steps for chat messages (seed 002, "Chat messages": get all, get single by ID, create,
//! edit, delete). A message's label is its text; the body field is the target's (NOTES.md
//! C14).

use chatspec_specs::connectnow::Route;
use chatspec_specs::connectnow::chat_messages::{CreateChatMessage, EditChatMessage};
use cucumber::{given, then, when};
use serde_json::{Value, json};

use crate::connectnow::ConnectNowWorld;
use crate::connectnow::driver::{Body, ConnectNowReply as _};
use crate::connectnow::world::Message;
use crate::kit::prose::quoted;

impl ConnectNowWorld {
    /// `actor` posts `text` in `chat`; the reply becomes the last one.
    pub async fn post(&mut self, actor: &str, text: &str, chat: &str) {
        let chat_id = self.chat(chat).id;
        let body = Body::typed(&CreateChatMessage { message: text.to_owned() });
        let reply = self.call(actor, Route::CreateChatMessage, &[chat_id], body).await;
        if let Some(id) = reply.record().get("id").and_then(Value::as_u64).filter(|_| reply.status < 300) {
            let message = Message { id, chat: chat.to_owned(), author: actor.to_owned() };
            self.messages.insert(text.to_owned(), message);
            self.note_first("chat-message", text);
        }
    }

    /// Checks that `record` is the message `label` by `author` in `chat`, reading `text`.
    pub fn check_message(&self, record: &Value, label: &str, text: &str, author: &str, chat: &str) {
        let id = self.messages.get(label).map(|m| m.id);
        let chat_id = self.chat(chat).id;
        let author_id = self.member_id(author);
        let field = self.field("message");
        self.check_record(
            record,
            &format!("the reply is the message {text:?} by {author} in {chat:?}"),
            id,
            &[("chat_id", json!(chat_id)), ("chat_user_id", json!(author_id)), (&field, json!(text))],
        );
    }
}

#[when(regex = r#"^(\w+) posts the message "([^"]*)" in "([^"]*)"$"#)]
async fn posts(w: &mut ConnectNowWorld, actor: String, text: String, chat: String) {
    w.post(&actor, &text, &chat).await;
}

#[given(regex = r#"^(\w+) has posted the messages? ("[^"]*"(?:(?:, | and )"[^"]*")*) in "([^"]*)"$"#)]
async fn has_posted(w: &mut ConnectNowWorld, actor: String, list: String, chat: String) {
    for text in quoted(&list) {
        w.post(&actor, &text, &chat).await;
        let reply = w.last();
        w.made(Route::CreateChatMessage, &reply);
    }
}

#[when(regex = r#"^(\w+) posts in "([^"]*)" with (\{.*\})$"#)]
async fn posts_with(w: &mut ConnectNowWorld, actor: String, chat: String, body: String) {
    let chat_id = w.chat(&chat).id;
    w.call(&actor, Route::CreateChatMessage, &[chat_id], Body::malformed(&body)).await;
}

#[when(regex = r#"^(\w+) fetches the message "([^"]*)"(?: through "([^"]*)")?$"#)]
async fn fetches_message(w: &mut ConnectNowWorld, actor: String, label: String, through: String) {
    let m = w.message(&label);
    let chat = if through.is_empty() { m.chat } else { through };
    let chat_id = w.chat(&chat).id;
    w.call(&actor, Route::GetChatMessage, &[chat_id, m.id], Body::None).await;
}

#[when(regex = r#"^(\w+) edits the message "([^"]*)" to "([^"]*)"$"#)]
async fn edits(w: &mut ConnectNowWorld, actor: String, label: String, text: String) {
    let m = w.message(&label);
    let chat_id = w.chat(&m.chat).id;
    let body = Body::typed(&EditChatMessage { message: Some(text) });
    w.call(&actor, Route::EditChatMessage, &[chat_id, m.id], body).await;
}

#[when(regex = r#"^(\w+) deletes the message "([^"]*)"$"#)]
async fn deletes(w: &mut ConnectNowWorld, actor: String, label: String) {
    let m = w.message(&label);
    let chat_id = w.chat(&m.chat).id;
    w.call(&actor, Route::DeleteChatMessage, &[chat_id, m.id], Body::None).await;
}

#[then(regex = r#"^the reply is the message "([^"]*)" by (\w+) in "([^"]*)"$"#)]
async fn reply_is_message(w: &mut ConnectNowWorld, text: String, author: String, chat: String) {
    let reply = w.last();
    let record = w.ok(&reply, &[200, 201]);
    w.check_message(&record, &text, &text, &author, &chat);
}

#[then(regex = r#"^the reply is the message "([^"]*)" reading "([^"]*)"$"#)]
async fn reply_is_edited(w: &mut ConnectNowWorld, label: String, text: String) {
    let reply = w.last();
    let record = w.ok(&reply, &[200]);
    let m = w.message(&label);
    w.check_message(&record, &label, &text, &m.author, &m.chat);
}

#[then(regex = r#"^the message "([^"]*)" still reads "([^"]*)"$"#)]
async fn still_reads(w: &mut ConnectNowWorld, label: String, text: String) {
    let m = w.message(&label);
    let chat_id = w.chat(&m.chat).id;
    let reader = w.chat(&m.chat).owner;
    let reply = w.call(&reader, Route::GetChatMessage, &[chat_id, m.id], Body::None).await;
    let record = w.ok(&reply, &[200]);
    w.check_message(&record, &label, &text, &m.author, &m.chat);
}

#[then("each listed message names its own chat and its author")]
async fn listed_messages_tied(w: &mut ConnectNowWorld) {
    let reply = w.last();
    let page = w.ok(&reply, &[200]);
    let data = page.get("data").and_then(Value::as_array).cloned().unwrap_or_default();
    for record in &data {
        let id = record.get("id").and_then(Value::as_u64);
        let Some((label, m)) = w.messages.iter().find(|(_, m)| Some(m.id) == id) else {
            continue;
        };
        let want = json!({"chat_id": w.chat(&m.chat).id, "chat_user_id": w.member_id(&m.author)});
        let got = json!({"chat_id": record.get("chat_id"), "chat_user_id": record.get("chat_user_id")});
        if want != got {
            w.fail(
                &format!("the listed message {label:?} names the chat it is in and the chat user who posted it (NOTES.md C5)"),
                want,
                got,
            );
        }
    }
}
