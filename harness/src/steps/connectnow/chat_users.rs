//! Steps for chat users (seed 002, "Chat users": get all, get single by ID, create, edit,
//! delete), and joining a chat: added by the chat's account, then the e-mailed auth code
//! exchanged for a chat-user token.

use cucumber::{given, then, when};
use serde_json::{Value, json};

use super::Member;
use crate::drivers::connectnow::ConnectNowReply as _;
use crate::steps::names;
use crate::world::ChatWorld;

impl ChatWorld {
    /// The chat's account adds the person `label` to `chat`; the reply becomes the last one.
    pub async fn cn_add_member(&mut self, actor: &str, label: &str, chat: &str) {
        let email = self.cn_email(label);
        let name = self.cn_name(label);
        self.connectnow.members.insert(
            label.to_owned(),
            Member { id: None, chat: chat.to_owned(), email: email.clone(), token: None, code: None },
        );
        let chat_id = self.cn_chat(chat).id;
        let body = json!({"name": name, "email": email});
        let reply = self.cn_call(actor, "create_chat_user", &[chat_id], Some(body)).await;
        if let Some(id) = reply.record().get("id").and_then(Value::as_u64).filter(|_| reply.status < 300) {
            if let Some(m) = self.connectnow.members.get_mut(label) {
                m.id = Some(id);
            }
            self.cn_note_first("chat-user", label);
        }
    }

    /// `label` joins `chat`: the chat's account adds them, and they exchange the auth code
    /// the server e-mailed them for a chat-user token.
    pub async fn cn_join(&mut self, label: &str, chat: &str) {
        let owner = self.cn_chat(chat).owner;
        self.cn_add_member(&owner, label, chat).await;
        let reply = self.cn_last();
        self.cn_ok(&reply, &[201]);
        self.cn_exchange_code(label, chat).await;
        let reply = self.cn_last();
        self.cn_ok(&reply, &[200]);
        self.cn_take_token(label);
    }
}

#[given(regex = r#"^(\w+(?:(?:, | and )\w+)*) (?:has|have) joined "([^"]*)"$"#)]
async fn have_joined(w: &mut ChatWorld, list: String, chat: String) {
    for label in names(&list) {
        w.cn_join(&label, &chat).await;
    }
}

#[when(regex = r#"^(\w+) adds (\w+) to "([^"]*)"$"#)]
async fn adds(w: &mut ChatWorld, actor: String, label: String, chat: String) {
    w.cn_add_member(&actor, &label, &chat).await;
}

#[given(regex = r#"^(\w+) has added (\w+(?:(?:, | and )\w+)*) to "([^"]*)"$"#)]
async fn has_added(w: &mut ChatWorld, actor: String, list: String, chat: String) {
    for label in names(&list) {
        w.cn_add_member(&actor, &label, &chat).await;
        let reply = w.cn_last();
        w.cn_ok(&reply, &[201]);
    }
}

#[when(regex = r#"^(\w+) adds a chat user to "([^"]*)" with (\{.*\})$"#)]
async fn adds_with(w: &mut ChatWorld, actor: String, chat: String, body: String) {
    let body: Value =
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("the step's JSON is not valid: {e}"));
    let chat_id = w.cn_chat(&chat).id;
    w.cn_call(&actor, "create_chat_user", &[chat_id], Some(body)).await;
}

#[when(regex = r#"^(\w+) fetches the chat user (\w+)(?: through "([^"]*)")?$"#)]
async fn fetches_chat_user(w: &mut ChatWorld, actor: String, label: String, through: String) {
    let chat = if through.is_empty() { w.cn_member(&label).chat } else { through };
    let (chat_id, id) = (w.cn_chat(&chat).id, w.cn_member_id(&label));
    w.cn_call(&actor, "get_chat_user", &[chat_id, id], None).await;
}

async fn rename(w: &mut ChatWorld, actor: &str, label: &str, to: &str) {
    let member = w.cn_member(label);
    let (chat_id, id) = (w.cn_chat(&member.chat).id, w.cn_member_id(label));
    let name = w.cn_name(to);
    w.cn_call(actor, "edit_chat_user", &[chat_id, id], Some(json!({"name": name}))).await;
}

#[when(regex = r#"^(\w+) renames the chat user (\w+) to "([^"]*)"$"#)]
async fn renames_chat_user(w: &mut ChatWorld, actor: String, label: String, to: String) {
    rename(w, &actor, &label, &to).await;
}

#[when(regex = r#"^(\w+) renames (?:himself|herself) to "([^"]*)"$"#)]
async fn renames_self(w: &mut ChatWorld, actor: String, to: String) {
    rename(w, &actor, &actor.clone(), &to).await;
}

#[when(regex = r#"^(\w+) removes (\w+) from "([^"]*)"$"#)]
async fn removes(w: &mut ChatWorld, actor: String, label: String, chat: String) {
    let label = if matches!(label.as_str(), "himself" | "herself") { actor.clone() } else { label };
    let (chat_id, id) = (w.cn_chat(&chat).id, w.cn_member_id(&label));
    w.cn_call(&actor, "delete_chat_user", &[chat_id, id], None).await;
}

#[then(regex = r#"^the reply is the chat user (\w+) named "([^"]*)"$"#)]
async fn reply_is_named(w: &mut ChatWorld, label: String, to: String) {
    let reply = w.cn_last();
    let record = w.cn_ok(&reply, &[200]);
    let (id, name) = (w.cn_member_id(&label), w.cn_name(&to));
    w.cn_check_record(&record, "Edit changes the chat user's name", Some(id), &[("name", json!(name))]);
}

#[then(regex = r"^(\w+)'s token is refused$")]
async fn token_refused(w: &mut ChatWorld, label: String) {
    let reply = w.cn_call(&label, "get_chat_user_self", &[], None).await;
    // That the token stops working is the document (C17 cascades); 401 is the reading C5.
    w.expect_refused(
        &reply,
        &format!("{label}'s chat-user token no longer authenticates"),
        "HTTP 401 from GET /api/chat-user",
    );
    w.cn_refused(&reply, &[401]);
}
