//! Steps for accounts and the current user (seed 002, "Current user": "Get authenticated via
//! API token — GET /api/user", "Get authenticated via chat-user token — GET /api/chat-user").

use cucumber::{given, then, when};
use reqwest::Method;
use serde_json::{Value, json};

use super::{Account, Company};
use crate::drivers::connectnow::ConnectNowReply as _;
use crate::steps::names;
use crate::world::ChatWorld;

impl ChatWorld {
    /// Provisions the account `label` through the admin API.
    pub async fn cn_add_account(&mut self, label: &str) {
        let name = self.cn_name(label);
        let body = self
            .admin(Method::POST, "/_mock/users", Some(json!({"name": name})), "provisions accounts")
            .await;
        let user_id = body.pointer("/user/id").and_then(Value::as_u64);
        let token = body.get("api_token").and_then(Value::as_str);
        let (Some(user_id), Some(token)) = (user_id, token) else {
            self.fail(
                "POST /_mock/users returns the account and its API token",
                "{\"user\": {\"id\", ...}, \"api_token\"}",
                body,
            );
        };
        let account = Account { user_id, name, token: token.to_owned() };
        self.connectnow.accounts.insert(label.to_owned(), account);
    }

    /// `actor` creates the company `label`; the reply becomes the last one.
    pub async fn cn_create_company(&mut self, actor: &str, label: &str) {
        let name = self.cn_name(label);
        let reply = self.cn_call(actor, "create_company", &[], Some(json!({"name": name}))).await;
        if let Some(id) = reply.record().get("id").and_then(Value::as_u64).filter(|_| reply.status < 300) {
            self.connectnow.companies.insert(label.to_owned(), Company { id, owner: actor.to_owned() });
            self.cn_note_first("company", label);
        }
    }
}

#[given(regex = r#"^the accounts? (\w+(?:(?:, | and )\w+)*)(?: with the (company|chat) "([^"]*)")?$"#)]
async fn the_accounts(w: &mut ChatWorld, list: String, kind: String, label: String) {
    for account in names(&list) {
        w.cn_add_account(&account).await;
        if kind.is_empty() {
            continue;
        }
        // "with the chat": the chat lives in a company named after the account.
        let company = if kind == "company" { label.clone() } else { account.clone() };
        w.cn_create_company(&account, &company).await;
        let reply = w.cn_last();
        w.cn_ok(&reply, &[201]);
        if kind == "chat" {
            w.cn_create_chat(&account, &label, &company).await;
            let reply = w.cn_last();
            w.cn_ok(&reply, &[201]);
        }
    }
}

#[when(regex = r"^(\w+) asks who (?:it|he|she) is$")]
async fn asks_who(w: &mut ChatWorld, actor: String) {
    let route = if w.connectnow.accounts.contains_key(&actor) { "get_user" } else { "get_chat_user_self" };
    w.cn_call(&actor, route, &[], None).await;
}

#[then(regex = r"^the reply is the account (\w+)$")]
async fn reply_is_account(w: &mut ChatWorld, label: String) {
    let reply = w.cn_last();
    let user = w.cn_ok(&reply, &[200]);
    let account = w.cn_account(&label);
    w.cn_check_record(
        &user,
        "GET /api/user answers the account behind the API token",
        Some(account.user_id),
        &[("name", json!(account.name))],
    );
}

#[then(regex = r#"^the reply is the chat user (\w+) of "([^"]*)"$"#)]
async fn reply_is_chat_user(w: &mut ChatWorld, label: String, chat: String) {
    let reply = w.cn_last();
    let record = w.cn_ok(&reply, &[200, 201]);
    w.cn_check_chat_user(&record, &label, &chat);
}

impl ChatWorld {
    /// Checks that `record` is chat user `label` of `chat` (its id, if known, and e-mail).
    pub fn cn_check_chat_user(&self, record: &Value, label: &str, chat: &str) {
        let member = self.cn_member(label);
        let chat_id = self.cn_chat(chat).id;
        self.cn_check_record(
            record,
            &format!("the reply is the chat user {label} of {chat:?}"),
            member.id,
            &[("chat_id", json!(chat_id)), ("email", json!(member.email))],
        );
    }
}
