//! Steps for chat users (seed 002, "Chat users": get all, get single by ID, create, edit,
//! delete), and joining a chat: added by the chat's account, then the e-mailed auth code
//! exchanged for a chat-user token.

use chatspec_specs::connectnow::Route;
use chatspec_specs::connectnow::chat_users::{CreateChatUser, EditChatUser};
use cucumber::{given, then, when};
use serde_json::{Value, json};

use crate::connectnow::ConnectNowWorld;
use crate::connectnow::driver::{Body, ConnectNowReply as _};
use crate::connectnow::world::Member;
use crate::kit::prose::names;

impl ConnectNowWorld {
    /// `actor` adds the person `label` to `chat`; the reply becomes the last one.
    pub async fn add_member(&mut self, actor: &str, label: &str, chat: &str) {
        let email = self.email(label);
        let name = self.name(label);
        self.members.insert(
            label.to_owned(),
            Member { id: None, chat: chat.to_owned(), email: email.clone(), token: None, code: None },
        );
        let chat_id = self.chat(chat).id;
        let body = Body::typed(&CreateChatUser { name, email });
        let reply = self.call(actor, Route::CreateChatUser, &[chat_id], body).await;
        if let Some(id) = reply.record().get("id").and_then(Value::as_u64).filter(|_| reply.status < 300) {
            if let Some(m) = self.members.get_mut(label) {
                m.id = Some(id);
            }
            self.note_first("chat-user", label);
        }
    }

    /// `label` joins `chat`: the chat's account adds them, and they exchange the auth code
    /// the server e-mailed them for a chat-user token.
    pub async fn join(&mut self, label: &str, chat: &str) {
        let owner = self.chat(chat).owner;
        self.add_member(&owner, label, chat).await;
        let reply = self.last();
        self.made(Route::CreateChatUser, &reply);
        self.exchange_code(label, chat).await;
        let reply = self.last();
        self.set_up_ok("C-get-token-exchange", &reply);
        self.take_token(label);
    }

    /// Checks that `record` is chat user `label` of `chat` (its id, if known, and e-mail).
    pub fn check_chat_user(&self, record: &Value, label: &str, chat: &str) {
        let member = self.member(label);
        let chat_id = self.chat(chat).id;
        self.check_record(
            record,
            &format!("the reply is the chat user {label} of {chat:?}"),
            member.id,
            &[("chat_id", json!(chat_id)), ("email", json!(member.email))],
        );
    }

    /// `actor` renames chat user `label` to the server name of `to`.
    async fn rename_member(&mut self, actor: &str, label: &str, to: &str) {
        let member = self.member(label);
        let (chat_id, id) = (self.chat(&member.chat).id, self.member_id(label));
        let body = Body::typed(&EditChatUser { name: Some(self.name(to)), email: None });
        self.call(actor, Route::EditChatUser, &[chat_id, id], body).await;
    }
}

#[given(regex = r#"^(\w+(?:(?:, | and )\w+)*) (?:has|have) joined "([^"]*)"$"#)]
async fn have_joined(w: &mut ConnectNowWorld, list: String, chat: String) {
    for label in names(&list) {
        w.join(&label, &chat).await;
    }
}

#[when(regex = r#"^(\w+) adds (\w+) to "([^"]*)"$"#)]
async fn adds(w: &mut ConnectNowWorld, actor: String, label: String, chat: String) {
    w.add_member(&actor, &label, &chat).await;
}

#[given(regex = r#"^(\w+) has added (\w+(?:(?:, | and )\w+)*) to "([^"]*)"$"#)]
async fn has_added(w: &mut ConnectNowWorld, actor: String, list: String, chat: String) {
    for label in names(&list) {
        w.add_member(&actor, &label, &chat).await;
        let reply = w.last();
        w.made(Route::CreateChatUser, &reply);
    }
}

#[when(regex = r#"^(\w+) adds a chat user to "([^"]*)" with (\{.*\})$"#)]
async fn adds_with(w: &mut ConnectNowWorld, actor: String, chat: String, body: String) {
    let chat_id = w.chat(&chat).id;
    w.call(&actor, Route::CreateChatUser, &[chat_id], Body::malformed(&body)).await;
}

#[when(regex = r#"^(\w+) fetches the chat user (\w+)(?: through "([^"]*)")?$"#)]
async fn fetches_chat_user(w: &mut ConnectNowWorld, actor: String, label: String, through: String) {
    let chat = if through.is_empty() { w.member(&label).chat } else { through };
    let (chat_id, id) = (w.chat(&chat).id, w.member_id(&label));
    w.call(&actor, Route::GetChatUser, &[chat_id, id], Body::None).await;
}

#[when(regex = r#"^(\w+) renames the chat user (\w+) to "([^"]*)"$"#)]
async fn renames_chat_user(w: &mut ConnectNowWorld, actor: String, label: String, to: String) {
    w.rename_member(&actor, &label, &to).await;
}

#[when(regex = r#"^(\w+) renames (?:himself|herself) to "([^"]*)"$"#)]
async fn renames_self(w: &mut ConnectNowWorld, actor: String, to: String) {
    w.rename_member(&actor, &actor, &to).await;
}

#[when(regex = r#"^(\w+) removes (\w+) from "([^"]*)"$"#)]
async fn removes(w: &mut ConnectNowWorld, actor: String, label: String, chat: String) {
    let label = if matches!(label.as_str(), "himself" | "herself") { actor.clone() } else { label };
    let (chat_id, id) = (w.chat(&chat).id, w.member_id(&label));
    w.call(&actor, Route::DeleteChatUser, &[chat_id, id], Body::None).await;
}

#[then(regex = r#"^the reply is the chat user (\w+) named "([^"]*)"$"#)]
async fn reply_is_named(w: &mut ConnectNowWorld, label: String, to: String) {
    let reply = w.last();
    let record = w.ok(&reply, &[200]);
    let (id, name) = (w.member_id(&label), w.name(&to));
    w.check_record(&record, "Edit changes the chat user's name", Some(id), &[("name", json!(name))]);
}

#[then(regex = r"^(\w+)'s token is refused$")]
async fn token_refused(w: &mut ConnectNowWorld, label: String) {
    let reply = w.call(&label, Route::GetChatUserSelf, &[], Body::None).await;
    // That the token stops working is the document (C17 cascades); 401 is the reading C5.
    w.expect_refused(
        &reply,
        &format!("{label}'s chat-user token no longer authenticates"),
        "HTTP 401 from GET /api/chat-user",
    );
    w.refused(&reply, &[401]);
}
