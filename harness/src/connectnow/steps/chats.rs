//! Steps for chats (seed 002, "Chats": get all, get single by ID, create, edit, delete).

use chatspec_specs::connectnow::Route;
use chatspec_specs::connectnow::chats::{CreateChat, EditChat};
use cucumber::{given, then, when};
use serde_json::{Value, json};

use crate::connectnow::ConnectNowWorld;
use crate::connectnow::driver::{Body, ConnectNowReply as _};
use crate::connectnow::world::Chat;
use crate::kit::prose::quoted;

impl ConnectNowWorld {
    /// `actor` creates the chat `label` in the company `company`; the reply becomes the last.
    pub async fn create_chat(&mut self, actor: &str, label: &str, company: &str) {
        let name = self.name(label);
        let company_id = self.company(company).id;
        let body = Body::typed(&CreateChat { company_id, name });
        let reply = self.call(actor, Route::CreateChat, &[], body).await;
        if let Some(id) = reply.record().get("id").and_then(Value::as_u64).filter(|_| reply.status < 300) {
            let chat = Chat { id, owner: actor.to_owned(), company: company.to_owned() };
            self.chats.insert(label.to_owned(), chat);
            self.note_first("chat", label);
        }
    }

    /// Checks that `record` is the chat `label` (its id, name, and company when given).
    pub fn check_chat(&self, record: &Value, label: &str, company: Option<&str>) {
        let chat = self.chat(label);
        let name = self.names.get(label).cloned().unwrap_or_default();
        let mut fields = vec![("name", json!(name))];
        if let Some(c) = company {
            fields.push(("company_id", json!(self.company(c).id)));
        }
        self.check_record(record, &format!("the reply is the chat {label:?}"), Some(chat.id), &fields);
    }
}

#[when(regex = r#"^(\w+) creates the chat "([^"]*)" in "([^"]*)"$"#)]
async fn creates_chat(w: &mut ConnectNowWorld, actor: String, label: String, company: String) {
    w.create_chat(&actor, &label, &company).await;
}

#[given(regex = r#"^(\w+) has created the chats? ("[^"]*"(?:(?:, | and )"[^"]*")*) in "([^"]*)"$"#)]
async fn has_created_chats(w: &mut ConnectNowWorld, actor: String, list: String, company: String) {
    for label in quoted(&list) {
        w.create_chat(&actor, &label, &company).await;
        let reply = w.last();
        w.made(Route::CreateChat, &reply);
    }
}

#[given(regex = r#"^(\w+) has created (\d+) chats in "([^"]*)"$"#)]
async fn has_created_n_chats(w: &mut ConnectNowWorld, actor: String, n: usize, company: String) {
    for i in 1..=n {
        w.create_chat(&actor, &format!("chat {i}"), &company).await;
        let reply = w.last();
        w.made(Route::CreateChat, &reply);
    }
}

#[when(regex = r"^(\w+) creates a chat with (\{.*\})$")]
async fn creates_chat_with(w: &mut ConnectNowWorld, actor: String, body: String) {
    w.call(&actor, Route::CreateChat, &[], Body::malformed(&body)).await;
}

#[when(regex = r#"^(\w+) fetches the chat "([^"]*)"$"#)]
async fn fetches_chat(w: &mut ConnectNowWorld, actor: String, label: String) {
    let id = w.chat(&label).id;
    w.call(&actor, Route::GetChat, &[id], Body::None).await;
}

#[when(regex = r#"^(\w+) renames the chat "([^"]*)" to "([^"]*)"$"#)]
async fn renames_chat(w: &mut ConnectNowWorld, actor: String, label: String, to: String) {
    let id = w.chat(&label).id;
    let body = Body::typed(&EditChat { name: Some(w.name(&to)) });
    w.call(&actor, Route::EditChat, &[id], body).await;
}

#[when(regex = r#"^(\w+) deletes the chat "([^"]*)"$"#)]
async fn deletes_chat(w: &mut ConnectNowWorld, actor: String, label: String) {
    let id = w.chat(&label).id;
    w.call(&actor, Route::DeleteChat, &[id], Body::None).await;
}

#[then(regex = r#"^the reply is the chat "([^"]*)"(?: in "([^"]*)")?$"#)]
async fn reply_is_chat(w: &mut ConnectNowWorld, label: String, company: String) {
    let reply = w.last();
    let record = w.ok(&reply, &[200, 201]);
    w.check_chat(&record, &label, (!company.is_empty()).then_some(company.as_str()));
}

#[then(regex = r#"^the reply is the chat "([^"]*)" renamed "([^"]*)"$"#)]
async fn reply_is_renamed_chat(w: &mut ConnectNowWorld, label: String, to: String) {
    let reply = w.last();
    let record = w.ok(&reply, &[200]);
    let (id, name) = (w.chat(&label).id, w.name(&to));
    if record.get("id").and_then(Value::as_u64) != Some(id)
        || record.get("name").and_then(Value::as_str) != Some(name.as_str())
    {
        w.fail("Edit changes the chat's name", format!("{{id: {id}, name: {name:?}}}"), record);
    }
}
