//! connectnow steps (seed 002): the shared scenario state and the helpers every area's steps
//! use. Accounts, chats and chat users carry the run id, so scenarios run side by side on one
//! server and a suite can be re-run against a dirty one.

mod auth;
mod chat_messages;
mod chat_users;
mod chats;
mod companies;
mod errors;
mod pagination;
mod tokens;
mod users;

use std::collections::BTreeMap;

use chatspec_specs::connectnow::ROUTES;
use reqwest::Method;
use serde_json::{Value, json};

use crate::drivers::connectnow::{self as driver, ConnectNowReply, Kind, Placement, Reply, Request, Token};
use crate::verdict::Ground;
use crate::world::ChatWorld;

/// An account on the target and its API token.
#[derive(Clone, Debug)]
pub struct Account {
    pub user_id: u64,
    /// The name on the server.
    pub name: String,
    pub token: String,
}

/// A company the scenario made.
#[derive(Clone, Debug)]
pub struct Company {
    pub id: u64,
    /// The account that owns it.
    pub owner: String,
}

/// A chat the scenario made.
#[derive(Clone, Debug)]
pub struct Chat {
    pub id: u64,
    /// The account whose company holds it.
    pub owner: String,
    pub company: String,
}

/// A chat user: a person in one chat, with a chat-user token once a code was exchanged.
#[derive(Clone, Debug)]
pub struct Member {
    /// Known once the server made the chat user.
    pub id: Option<u64>,
    pub chat: String,
    pub email: String,
    pub token: Option<String>,
    /// The last auth code e-mailed to the member, once read from the outbox.
    pub code: Option<u64>,
}

/// A chat message the scenario posted; its label is its text.
#[derive(Clone, Debug)]
pub struct Message {
    pub id: u64,
    pub chat: String,
    pub author: String,
}

/// The connectnow part of a scenario's state.
#[derive(Debug, Default)]
pub struct ConnectNowState {
    pub accounts: BTreeMap<String, Account>,
    pub companies: BTreeMap<String, Company>,
    pub chats: BTreeMap<String, Chat>,
    pub members: BTreeMap<String, Member>,
    pub messages: BTreeMap<String, Message>,
    /// The first company, chat, chat user and message made: what the seed's placeholders
    /// (`{company-id}`, ...) stand for in the generic call steps.
    pub first: BTreeMap<&'static str, String>,
    /// Names on the server by label: the label with the run id.
    pub names: BTreeMap<String, String>,
    /// The last reply.
    pub last: Option<Reply>,
    /// Replies of a series of calls.
    pub batch: Vec<Reply>,
    /// Pages read so far, in order.
    pub pages: Vec<Value>,
    /// Chat passwords, by chat label.
    pub passwords: BTreeMap<String, String>,
}

/// The placeholders of the seed's paths, and which kind of record each stands for.
const PLACEHOLDERS: [(&str, &str); 4] = [
    ("{company-id}", "company"),
    ("{chat-id}", "chat"),
    ("{chat-user-id}", "chat-user"),
    ("{chat-message-id}", "chat-message"),
];

/// "in the query string" and the like, to a placement.
pub fn placement(words: &str) -> Placement {
    match words.trim() {
        "in the body" => Placement::Body,
        "in a form body" => Placement::Form,
        "as a bearer token" => Placement::Bearer,
        _ => Placement::Query,
    }
}

impl ChatWorld {
    /// The server name of `label`, made (with the run id) on first use.
    pub fn cn_name(&mut self, label: &str) -> String {
        if let Some(n) = self.connectnow.names.get(label) {
            return n.clone();
        }
        let name = self.unique(label);
        self.connectnow.names.insert(label.to_owned(), name.clone());
        name
    }

    /// A fresh e-mail address for the person `label`.
    pub fn cn_email(&self, label: &str) -> String {
        format!("{}@example.test", self.unique(label).to_lowercase())
    }

    /// The account called `label`.
    pub fn cn_account(&self, label: &str) -> Account {
        match self.connectnow.accounts.get(label) {
            Some(a) => a.clone(),
            None => panic!("the scenario has no account {label:?}: add it with `Given the account ...`"),
        }
    }

    /// The chat labelled `label`.
    pub fn cn_chat(&self, label: &str) -> Chat {
        match self.connectnow.chats.get(label) {
            Some(c) => c.clone(),
            None => panic!("the scenario made no chat {label:?}"),
        }
    }

    /// The company labelled `label`.
    pub fn cn_company(&self, label: &str) -> Company {
        match self.connectnow.companies.get(label) {
            Some(c) => c.clone(),
            None => panic!("the scenario made no company {label:?}"),
        }
    }

    /// The chat user called `label`.
    pub fn cn_member(&self, label: &str) -> Member {
        match self.connectnow.members.get(label) {
            Some(m) => m.clone(),
            None => panic!("the scenario has no chat user {label:?}: add it with `... has joined ...`"),
        }
    }

    /// The id of chat user `label`, known once the server made it.
    pub fn cn_member_id(&self, label: &str) -> u64 {
        match self.cn_member(label).id {
            Some(id) => id,
            None => panic!("the chat user {label:?} was never made on the server"),
        }
    }

    /// The message labelled (and reading) `label`.
    pub fn cn_message(&self, label: &str) -> Message {
        match self.connectnow.messages.get(label) {
            Some(m) => m.clone(),
            None => panic!("the scenario posted no message {label:?}"),
        }
    }

    /// Remembers the first record of a kind, for the seed's placeholders.
    pub fn cn_note_first(&mut self, kind: &'static str, label: &str) {
        self.connectnow.first.entry(kind).or_insert_with(|| label.to_owned());
    }

    /// The token `actor` acts with, in the query string: an account's API token, or a chat
    /// user's chat-user token.
    pub fn cn_token(&self, actor: &str) -> Token {
        if let Some(a) = self.connectnow.accounts.get(actor) {
            return Token { kind: Kind::Api, value: a.token.clone(), at: Placement::Query };
        }
        match self.connectnow.members.get(actor).and_then(|m| m.token.clone()) {
            Some(t) => Token { kind: Kind::ChatUser, value: t, at: Placement::Query },
            None => panic!("{actor:?} is neither an account nor a chat user with a token in this scenario"),
        }
    }

    /// A request for the route `name`, its seed path filled with `ids`.
    pub fn cn_request(&self, name: &str, ids: &[u64]) -> Request {
        let Some(route) = driver::route(name) else {
            panic!("{name:?} is not a connectnow route");
        };
        let method = route.method.parse().unwrap_or(Method::GET);
        Request::new(name, method, self.ctx.target.connectnow_url(name, route.path, ids))
    }

    /// Sends `req` as `actor`; the reply becomes the last one.
    pub async fn cn_send(&mut self, actor: Option<&str>, req: Request) -> Reply {
        let reply = driver::send(&self.ctx, &self.wire, actor, req).await;
        self.connectnow.last = Some(reply.clone());
        reply
    }

    /// Calls route `name` as `actor` with its token in the query string.
    pub async fn cn_call(&mut self, actor: &str, name: &str, ids: &[u64], body: Option<Value>) -> Reply {
        let mut req = self.cn_request(name, ids);
        req.token = Some(self.cn_token(actor));
        req.body = body;
        self.cn_send(Some(actor), req).await
    }

    /// The last reply.
    pub fn cn_last(&self) -> Reply {
        match &self.connectnow.last {
            Some(r) => r.clone(),
            None => panic!("no call was made before this step"),
        }
    }

    /// Asserts that `reply` succeeded (a 2xx: the document) with one of `statuses` (which 2xx
    /// is the register's reading, C5) and matches its schema (the public facts strictly, the
    /// record fields as the reading C8); returns the record or page it carries.
    pub fn cn_ok(&self, reply: &Reply, statuses: &[u16]) -> Value {
        let want = statuses.iter().map(u16::to_string).collect::<Vec<_>>().join(" or ");
        let what = reply.what();
        self.expect_answer(reply, &what);
        if !reply.is_2xx() {
            self.fail(&format!("{what} succeeds"), format!("HTTP {want}"), reply.describe_all());
        }
        if !reply.violations.is_empty() {
            self.fail(
                &format!("the reply to {what} matches its schema"),
                "a reply valid against the committed schema",
                reply.violations.join("\n  "),
            );
        }
        self.check_on(
            &Ground::Reading("C5".into()),
            statuses.contains(&reply.status),
            &format!("{what} succeeds with HTTP {want}"),
            format!("HTTP {want}"),
            reply.describe(),
        );
        self.grade_reply(reply);
        reply.record()
    }

    /// Asserts that `reply` refused the request (the document), with one of `statuses`. The
    /// public facts fix 405 (RFC 9110), 422 (validation) and 429; any other status, and the
    /// error body's shape, are the register's reading (C5).
    pub fn cn_refused(&self, reply: &Reply, statuses: &[u16]) {
        let want = statuses.iter().map(u16::to_string).collect::<Vec<_>>().join(" or ");
        let what = reply.what();
        self.expect_refused(reply, &format!("{what} is refused with {want}"), format!("HTTP {want}"));
        let ground = if statuses.iter().all(|s| matches!(s, 405 | 422 | 429)) {
            Ground::Document
        } else {
            Ground::Reading("C5".into())
        };
        self.expect_refusal_status(reply, statuses, &ground, &format!("{what} is refused"));
    }

    /// Checks that `record` is the one with `id` (a public fact: ids tie records together) and
    /// carries `fields` (the register's reading of the record fields, C8).
    pub fn cn_check_record(&self, record: &Value, check: &str, id: Option<u64>, fields: &[(&str, Value)]) {
        let want_fields: serde_json::Map<String, Value> =
            fields.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
        let expected = match id {
            Some(id) => format!("{{id: {id}, {}}}", Value::Object(want_fields.clone())),
            None => Value::Object(want_fields.clone()).to_string(),
        };
        if let Some(id) = id
            && record.get("id").and_then(Value::as_u64) != Some(id)
        {
            self.fail(check, &expected, record);
        }
        let same = |got: Option<&Value>, want: &Value| match (got, want) {
            // E-mail addresses compare ignoring case.
            (Some(Value::String(g)), Value::String(w)) if w.contains('@') => g.eq_ignore_ascii_case(w),
            (Some(g), w) => g == w,
            (None, _) => false,
        };
        let ok = fields.iter().all(|(k, v)| same(record.get(*k), v));
        self.check_on(&Ground::Reading("C8".into()), ok, check, expected, record);
    }

    /// Resolves a path of the feature: the seed's placeholders become the scenario's first
    /// company, chat, chat user and message; returns the route it names (if the method is
    /// the route's) and the URL.
    pub fn cn_resolve(&self, method: &Method, path: &str) -> (String, String) {
        let (template, query) = path.split_once('?').map_or((path, None), |(p, q)| (p, Some(q)));
        let exact = ROUTES.iter().find(|r| r.path == template && r.method == method.as_str());
        // A method the route does not take still goes to where the target serves the path.
        let by_path = exact.or_else(|| ROUTES.iter().find(|r| r.path == template));
        let name = exact.map_or_else(|| "(no route)".to_owned(), |r| r.name.to_owned());
        let mut ids = Vec::new();
        for p in crate::target::placeholders(template) {
            let Some((_, kind)) = PLACEHOLDERS.iter().find(|(ph, _)| *ph == p) else {
                panic!("{p} is not a placeholder of the seed's paths");
            };
            let Some(label) = self.connectnow.first.get(kind) else {
                panic!("{p} stands for the scenario's first {kind}, and it made none");
            };
            ids.push(match *kind {
                "company" => self.cn_company(label).id,
                "chat" => self.cn_chat(label).id,
                "chat-user" => self.cn_member_id(label),
                _ => self.cn_message(label).id,
            });
        }
        let url = match by_path {
            Some(r) => self.ctx.target.connectnow_url(r.name, r.path, &ids),
            None => {
                format!("{}{}", self.ctx.target.base_url, crate::target::fill_placeholders(template, &ids))
            }
        };
        (name, query.map_or(url.clone(), |q| format!("{url}?{q}")))
    }

    /// A body a generic call to route `name` carries, so that only the token decides.
    pub fn cn_default_body(&mut self, name: &str) -> Option<Value> {
        let field = self.ctx.target.connectnow.message_field.clone();
        let company = self.connectnow.first.get("company").map(|c| self.cn_company(c).id);
        Some(match name {
            "create_company" | "edit_company" | "edit_chat" | "edit_chat_user" => {
                json!({"name": self.unique("Renamed")})
            }
            "create_chat" => json!({"company_id": company, "name": self.unique("Chat")}),
            "create_chat_user" => json!({"name": self.unique("Eve"), "email": self.cn_email("eve")}),
            "create_chat_message" | "edit_chat_message" => json!({ field: "a message" }),
            "get_token" => json!({"email": "nobody@example.test", "auth-code": 123_456}),
            _ => return None,
        })
    }

    /// The body field a feature names, as the target names it (NOTES.md C14).
    pub fn cn_field(&self, field: &str) -> String {
        if field == "message" { self.ctx.target.connectnow.message_field.clone() } else { field.to_owned() }
    }
}

/// `{"message": ...}` with the target's message field (NOTES.md C14).
pub fn rename_message_field(body: Value, field: &str) -> Value {
    match body {
        Value::Object(mut o) if field != "message" => {
            if let Some(v) = o.remove("message") {
                o.insert(field.to_owned(), v);
            }
            Value::Object(o)
        }
        other => other,
    }
}
