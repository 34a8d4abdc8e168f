//! Steps for chats (seed 002, "Chats": get all, get single by ID, create, edit, delete).

use cucumber::{given, then, when};
use serde_json::{Value, json};

use super::Chat;
use crate::drivers::connectnow::ConnectNowReply as _;
use crate::steps::quoted;
use crate::world::ChatWorld;

impl ChatWorld {
    /// `actor` creates the chat `label` in the company `company`; the reply becomes the last.
    pub async fn cn_create_chat(&mut self, actor: &str, label: &str, company: &str) {
        let name = self.cn_name(label);
        let company_id = self.cn_company(company).id;
        let body = json!({"company_id": company_id, "name": name});
        let reply = self.cn_call(actor, "create_chat", &[], Some(body)).await;
        if let Some(id) = reply.record().get("id").and_then(Value::as_u64).filter(|_| reply.status < 300) {
            let chat = Chat { id, owner: actor.to_owned(), company: company.to_owned() };
            self.connectnow.chats.insert(label.to_owned(), chat);
            self.cn_note_first("chat", label);
        }
    }

    /// Checks that `record` is the chat `label` (its id, name, and company when given).
    pub fn cn_check_chat(&self, record: &Value, label: &str, company: Option<&str>) {
        let chat = self.cn_chat(label);
        let name = self.connectnow.names.get(label).cloned().unwrap_or_default();
        let mut fields = vec![("name", json!(name))];
        if let Some(c) = company {
            fields.push(("company_id", json!(self.cn_company(c).id)));
        }
        self.cn_check_record(record, &format!("the reply is the chat {label:?}"), Some(chat.id), &fields);
    }
}

#[when(regex = r#"^(\w+) creates the chat "([^"]*)" in "([^"]*)"$"#)]
async fn creates_chat(w: &mut ChatWorld, actor: String, label: String, company: String) {
    w.cn_create_chat(&actor, &label, &company).await;
}

#[given(regex = r#"^(\w+) has created the chats? ("[^"]*"(?:(?:, | and )"[^"]*")*) in "([^"]*)"$"#)]
async fn has_created_chats(w: &mut ChatWorld, actor: String, list: String, company: String) {
    for label in quoted(&list) {
        w.cn_create_chat(&actor, &label, &company).await;
        let reply = w.cn_last();
        w.cn_ok(&reply, &[201]);
    }
}

#[given(regex = r#"^(\w+) has created (\d+) chats in "([^"]*)"$"#)]
async fn has_created_n_chats(w: &mut ChatWorld, actor: String, n: usize, company: String) {
    for i in 1..=n {
        w.cn_create_chat(&actor, &format!("chat {i}"), &company).await;
        let reply = w.cn_last();
        w.cn_ok(&reply, &[201]);
    }
}

#[when(regex = r"^(\w+) creates a chat with (\{.*\})$")]
async fn creates_chat_with(w: &mut ChatWorld, actor: String, body: String) {
    let body: Value =
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("the step's JSON is not valid: {e}"));
    w.cn_call(&actor, "create_chat", &[], Some(body)).await;
}

#[when(regex = r#"^(\w+) fetches the chat "([^"]*)"$"#)]
async fn fetches_chat(w: &mut ChatWorld, actor: String, label: String) {
    let id = w.cn_chat(&label).id;
    w.cn_call(&actor, "get_chat", &[id], None).await;
}

#[when(regex = r#"^(\w+) renames the chat "([^"]*)" to "([^"]*)"$"#)]
async fn renames_chat(w: &mut ChatWorld, actor: String, label: String, to: String) {
    let id = w.cn_chat(&label).id;
    let name = w.cn_name(&to);
    w.cn_call(&actor, "edit_chat", &[id], Some(json!({"name": name}))).await;
}

#[when(regex = r#"^(\w+) deletes the chat "([^"]*)"$"#)]
async fn deletes_chat(w: &mut ChatWorld, actor: String, label: String) {
    let id = w.cn_chat(&label).id;
    w.cn_call(&actor, "delete_chat", &[id], None).await;
}

#[then(regex = r#"^the reply is the chat "([^"]*)"(?: in "([^"]*)")?$"#)]
async fn reply_is_chat(w: &mut ChatWorld, label: String, company: String) {
    let reply = w.cn_last();
    let record = w.cn_ok(&reply, &[200, 201]);
    w.cn_check_chat(&record, &label, (!company.is_empty()).then_some(company.as_str()));
}

#[then(regex = r#"^the reply is the chat "([^"]*)" renamed "([^"]*)"$"#)]
async fn reply_is_renamed_chat(w: &mut ChatWorld, label: String, to: String) {
    let reply = w.cn_last();
    let record = w.cn_ok(&reply, &[200]);
    let (id, name) = (w.cn_chat(&label).id, w.cn_name(&to));
    if record.get("id").and_then(Value::as_u64) != Some(id)
        || record.get("name").and_then(Value::as_str) != Some(name.as_str())
    {
        w.fail("Edit changes the chat's name", format!("{{id: {id}, name: {name:?}}}"), record);
    }
}
