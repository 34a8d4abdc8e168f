//! Steps for chat messages (seed 002, "Chat messages": get all, get single by ID, create,
//! edit, delete). A message's label is its text; the body field is the target's (NOTES.md
//! C14).

use cucumber::{given, then, when};
use serde_json::{Value, json};

use super::{Message, rename_message_field};
use crate::drivers::connectnow::ConnectNowReply as _;
use crate::steps::quoted;
use crate::world::ChatWorld;

impl ChatWorld {
    /// `actor` posts `text` in `chat`; the reply becomes the last one.
    pub async fn cn_post(&mut self, actor: &str, text: &str, chat: &str) {
        let chat_id = self.cn_chat(chat).id;
        let field = self.ctx.target.connectnow.message_field.clone();
        let reply =
            self.cn_call(actor, "create_chat_message", &[chat_id], Some(json!({ field: text }))).await;
        if let Some(id) = reply.record().get("id").and_then(Value::as_u64).filter(|_| reply.status < 300) {
            let message = Message { id, chat: chat.to_owned(), author: actor.to_owned() };
            self.connectnow.messages.insert(text.to_owned(), message);
            self.cn_note_first("chat-message", text);
        }
    }

    /// Checks that `record` is the message `label` by `author` in `chat`, reading `text`.
    pub fn cn_check_message(&self, record: &Value, label: &str, text: &str, author: &str, chat: &str) {
        let id = self.connectnow.messages.get(label).map(|m| m.id);
        let chat_id = self.cn_chat(chat).id;
        let author_id = self.cn_member_id(author);
        let field = self.ctx.target.connectnow.message_field.clone();
        self.cn_check_record(
            record,
            &format!("the reply is the message {text:?} by {author} in {chat:?}"),
            id,
            &[("chat_id", json!(chat_id)), ("chat_user_id", json!(author_id)), (&field, json!(text))],
        );
    }
}

#[when(regex = r#"^(\w+) posts the message "([^"]*)" in "([^"]*)"$"#)]
async fn posts(w: &mut ChatWorld, actor: String, text: String, chat: String) {
    w.cn_post(&actor, &text, &chat).await;
}

#[given(regex = r#"^(\w+) has posted the messages? ("[^"]*"(?:(?:, | and )"[^"]*")*) in "([^"]*)"$"#)]
async fn has_posted(w: &mut ChatWorld, actor: String, list: String, chat: String) {
    for text in quoted(&list) {
        w.cn_post(&actor, &text, &chat).await;
        let reply = w.cn_last();
        w.cn_ok(&reply, &[201]);
    }
}

#[when(regex = r#"^(\w+) posts in "([^"]*)" with (\{.*\})$"#)]
async fn posts_with(w: &mut ChatWorld, actor: String, chat: String, body: String) {
    let body: Value =
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("the step's JSON is not valid: {e}"));
    let body = rename_message_field(body, &w.ctx.target.connectnow.message_field);
    let chat_id = w.cn_chat(&chat).id;
    w.cn_call(&actor, "create_chat_message", &[chat_id], Some(body)).await;
}

#[when(regex = r#"^(\w+) fetches the message "([^"]*)"(?: through "([^"]*)")?$"#)]
async fn fetches_message(w: &mut ChatWorld, actor: String, label: String, through: String) {
    let m = w.cn_message(&label);
    let chat = if through.is_empty() { m.chat } else { through };
    let chat_id = w.cn_chat(&chat).id;
    w.cn_call(&actor, "get_chat_message", &[chat_id, m.id], None).await;
}

#[when(regex = r#"^(\w+) edits the message "([^"]*)" to "([^"]*)"$"#)]
async fn edits(w: &mut ChatWorld, actor: String, label: String, text: String) {
    let m = w.cn_message(&label);
    let chat_id = w.cn_chat(&m.chat).id;
    let field = w.ctx.target.connectnow.message_field.clone();
    w.cn_call(&actor, "edit_chat_message", &[chat_id, m.id], Some(json!({ field: text }))).await;
}

#[when(regex = r#"^(\w+) deletes the message "([^"]*)"$"#)]
async fn deletes(w: &mut ChatWorld, actor: String, label: String) {
    let m = w.cn_message(&label);
    let chat_id = w.cn_chat(&m.chat).id;
    w.cn_call(&actor, "delete_chat_message", &[chat_id, m.id], None).await;
}

#[then(regex = r#"^the reply is the message "([^"]*)" by (\w+) in "([^"]*)"$"#)]
async fn reply_is_message(w: &mut ChatWorld, text: String, author: String, chat: String) {
    let reply = w.cn_last();
    let record = w.cn_ok(&reply, &[200, 201]);
    w.cn_check_message(&record, &text, &text, &author, &chat);
}

#[then(regex = r#"^the reply is the message "([^"]*)" reading "([^"]*)"$"#)]
async fn reply_is_edited(w: &mut ChatWorld, label: String, text: String) {
    let reply = w.cn_last();
    let record = w.cn_ok(&reply, &[200]);
    let m = w.cn_message(&label);
    w.cn_check_message(&record, &label, &text, &m.author, &m.chat);
}

#[then(regex = r#"^the message "([^"]*)" still reads "([^"]*)"$"#)]
async fn still_reads(w: &mut ChatWorld, label: String, text: String) {
    let m = w.cn_message(&label);
    let chat_id = w.cn_chat(&m.chat).id;
    let reader = w.cn_chat(&m.chat).owner;
    let reply = w.cn_call(&reader, "get_chat_message", &[chat_id, m.id], None).await;
    let record = w.cn_ok(&reply, &[200]);
    w.cn_check_message(&record, &label, &text, &m.author, &m.chat);
}
