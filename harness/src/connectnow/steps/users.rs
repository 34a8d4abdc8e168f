//! Steps for accounts and the current user (seed 002, "Current user": "Get authenticated via
//! API token — GET /api/user", "Get authenticated via chat-user token — GET /api/chat-user").

use chatspec_specs::connectnow::Route;
use cucumber::{given, then, when};
use reqwest::Method;
use serde_json::{Value, json};

use crate::connectnow::ConnectNowWorld;
use crate::connectnow::driver::Body;
use crate::connectnow::world::Account;
use crate::kit::prose::names;

impl ConnectNowWorld {
    /// Provisions the account `label` through the admin API.
    pub async fn add_account(&mut self, label: &str) {
        let name = self.name(label);
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
        self.api_accounts.insert(label.to_owned(), account);
    }
}

#[given(regex = r#"^the accounts? (\w+(?:(?:, | and )\w+)*)(?: with the (company|chat) "([^"]*)")?$"#)]
async fn the_accounts(w: &mut ConnectNowWorld, list: String, kind: String, label: String) {
    for account in names(&list) {
        w.add_account(&account).await;
        if kind.is_empty() {
            continue;
        }
        // "with the chat": the chat lives in a company named after the account.
        let company = if kind == "company" { label.clone() } else { account.clone() };
        w.create_company(&account, &company).await;
        let reply = w.last();
        w.made(Route::CreateCompany, &reply);
        if kind == "chat" {
            w.create_chat(&account, &label, &company).await;
            let reply = w.last();
            w.made(Route::CreateChat, &reply);
        }
    }
}

#[when(regex = r"^(\w+) asks who (?:it|he|she) is$")]
async fn asks_who(w: &mut ConnectNowWorld, actor: String) {
    let route = if w.api_accounts.contains_key(&actor) { Route::GetUser } else { Route::GetChatUserSelf };
    w.call(&actor, route, &[], Body::None).await;
}

#[then(regex = r"^the reply is the account (\w+)$")]
async fn reply_is_account(w: &mut ConnectNowWorld, label: String) {
    let reply = w.last();
    let user = w.ok(&reply, &[200]);
    let account = w.account(&label);
    w.check_record(
        &user,
        "GET /api/user answers the account behind the API token",
        Some(account.user_id),
        &[("name", json!(account.name))],
    );
}

#[then(regex = r#"^the reply is the chat user (\w+) of "([^"]*)"$"#)]
async fn reply_is_chat_user(w: &mut ConnectNowWorld, label: String, chat: String) {
    let reply = w.last();
    let record = w.ok(&reply, &[200, 201]);
    w.check_chat_user(&record, &label, &chat);
}
