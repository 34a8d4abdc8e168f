//! The connectnow world (seed 002): one scenario's accounts, companies, chats, chat users and
//! messages, and the helpers every area's steps use. Names on the server carry the run id, so
//! scenarios run side by side on one server and a suite can be re-run against a dirty one.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::{Deref, DerefMut};

use chatspec_specs::connectnow::tokens::{AuthCode, GetToken};
use chatspec_specs::connectnow::{Route, chat_messages, chat_users, chats, companies};
use reqwest::Method;
use serde_json::Value;

use super::driver::{self, Body, ConnectNowReply, Kind, Placement, Reply, Request, Token};
use crate::api::Api;
use crate::kit::{ApiWorld, Scenario};
use crate::verdict::Ground;

/// An account on the target and its API token.
#[derive(Clone, Debug)]
pub struct Account {
    /// The account's id (`GET /api/user` `id`).
    pub user_id: u64,
    /// The name on the server.
    pub name: String,
    /// Its API token.
    pub token: String,
}

/// A company the scenario made.
#[derive(Clone, Debug)]
pub struct Company {
    /// The company's id on the server.
    pub id: u64,
    /// The label of the account that owns it.
    pub owner: String,
}

/// A chat the scenario made.
#[derive(Clone, Debug)]
pub struct Chat {
    /// The chat's id on the server.
    pub id: u64,
    /// The label of the account whose company holds it.
    pub owner: String,
    /// The label of the company that holds it.
    pub company: String,
}

/// A chat user: a person in one chat, with a chat-user token once a code was exchanged.
#[derive(Clone, Debug)]
pub struct Member {
    /// Known once the server made the chat user.
    pub id: Option<u64>,
    /// The label of the chat.
    pub chat: String,
    /// The address auth codes are sent to.
    pub email: String,
    /// The chat-user token, once an auth code was exchanged for it.
    pub token: Option<String>,
    /// The last auth code e-mailed to the member, once read from the outbox.
    pub code: Option<u64>,
}

/// A chat message the scenario posted; its label is its text.
#[derive(Clone, Debug)]
pub struct Message {
    /// The message's id on the server.
    pub id: u64,
    /// The label of the chat it is in.
    pub chat: String,
    /// The label of the chat user who wrote it.
    pub author: String,
}

/// One connectnow scenario: the kit's [`Scenario`] and what the scenario made, by label.
#[derive(cucumber::World, Default)]
pub struct ConnectNowWorld {
    /// The kit's share: context, wire log, verdicts, pre-made accounts of the target.
    pub sc: Scenario,
    /// The accounts the scenario provisioned, with their API tokens.
    pub api_accounts: BTreeMap<String, Account>,
    /// The companies made.
    pub companies: BTreeMap<String, Company>,
    /// The chats made.
    pub chats: BTreeMap<String, Chat>,
    /// The chat users added or joined.
    pub members: BTreeMap<String, Member>,
    /// The messages posted, by text.
    pub messages: BTreeMap<String, Message>,
    /// The first company, chat, chat user and message made: what the seed's placeholders
    /// (`{company-id}`, ...) stand for in the generic call steps.
    pub first: BTreeMap<&'static str, String>,
    /// Names on the server by label: the label with the run id.
    pub names: BTreeMap<String, String>,
    /// The last reply.
    pub last_reply: Option<Reply>,
    /// Replies of a series of calls.
    pub batch: Vec<Reply>,
    /// Pages read so far, in order.
    pub pages: Vec<Value>,
    /// Chat passwords, by chat label.
    pub passwords: BTreeMap<String, String>,
}

impl Deref for ConnectNowWorld {
    type Target = Scenario;
    fn deref(&self) -> &Scenario {
        &self.sc
    }
}

impl DerefMut for ConnectNowWorld {
    fn deref_mut(&mut self) -> &mut Scenario {
        &mut self.sc
    }
}

impl ApiWorld for ConnectNowWorld {
    const API: Api = Api::ConnectNow;
}

impl fmt::Debug for ConnectNowWorld {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectNowWorld")
            .field("key", &self.key)
            .field("accounts", &self.api_accounts.keys())
            .field("chats", &self.chats.keys())
            .field("chat users", &self.members.keys())
            .finish()
    }
}

crate::shared_steps!(ConnectNowWorld);

/// The placeholders of the seed's paths, and which kind of record each stands for.
const PLACEHOLDERS: [(&str, &str); 4] = [
    ("{company-id}", "company"),
    ("{chat-id}", "chat"),
    ("{chat-user-id}", "chat-user"),
    ("{chat-message-id}", "chat-message"),
];

impl ConnectNowWorld {
    /// The server name of `label`, made (with the run id) on first use.
    pub fn name(&mut self, label: &str) -> String {
        if let Some(n) = self.names.get(label) {
            return n.clone();
        }
        let name = self.unique(label);
        self.names.insert(label.to_owned(), name.clone());
        name
    }

    /// A fresh e-mail address for the person `label`.
    pub fn email(&self, label: &str) -> String {
        format!("{}@example.test", self.unique(label).to_lowercase())
    }

    /// The account called `label`.
    pub fn account(&self, label: &str) -> Account {
        match self.api_accounts.get(label) {
            Some(a) => a.clone(),
            None => panic!("the scenario has no account {label:?}: add it with `Given the account ...`"),
        }
    }

    /// The chat labelled `label`.
    pub fn chat(&self, label: &str) -> Chat {
        match self.chats.get(label) {
            Some(c) => c.clone(),
            None => panic!("the scenario made no chat {label:?}"),
        }
    }

    /// The company labelled `label`.
    pub fn company(&self, label: &str) -> Company {
        match self.companies.get(label) {
            Some(c) => c.clone(),
            None => panic!("the scenario made no company {label:?}"),
        }
    }

    /// The chat user called `label`.
    pub fn member(&self, label: &str) -> Member {
        match self.members.get(label) {
            Some(m) => m.clone(),
            None => panic!("the scenario has no chat user {label:?}: add it with `... has joined ...`"),
        }
    }

    /// The id of chat user `label`, known once the server made it.
    pub fn member_id(&self, label: &str) -> u64 {
        match self.member(label).id {
            Some(id) => id,
            None => panic!("the chat user {label:?} was never made on the server"),
        }
    }

    /// The message labelled (and reading) `label`.
    pub fn message(&self, label: &str) -> Message {
        match self.messages.get(label) {
            Some(m) => m.clone(),
            None => panic!("the scenario posted no message {label:?}"),
        }
    }

    /// Remembers the first record of a kind, for the seed's placeholders.
    pub fn note_first(&mut self, kind: &'static str, label: &str) {
        self.first.entry(kind).or_insert_with(|| label.to_owned());
    }

    /// The token `actor` acts with, in the query string: an account's API token, or a chat
    /// user's chat-user token.
    pub fn token(&self, actor: &str) -> Token {
        if let Some(a) = self.api_accounts.get(actor) {
            return Token { kind: Kind::Api, value: a.token.clone(), at: Placement::Query };
        }
        match self.members.get(actor).and_then(|m| m.token.clone()) {
            Some(t) => Token { kind: Kind::ChatUser, value: t, at: Placement::Query },
            None => panic!("{actor:?} is neither an account nor a chat user with a token in this scenario"),
        }
    }

    /// A request for `route`, its path (the seed's, or the profile's) filled with `ids`.
    pub fn request(&self, route: Route, ids: &[u64]) -> Request {
        let method = route.meta().method.parse().unwrap_or(Method::GET);
        Request::new(Some(route), method, self.ctx.target.connectnow_url(route, ids))
    }

    /// Sends `req` as `actor`; the reply becomes the last one. A well-formed body its own
    /// schema refuses fails the scenario as a bug of the suite.
    pub async fn send(&mut self, actor: Option<&str>, req: Request) -> Reply {
        match driver::send(&self.ctx, &self.wire, actor, req).await {
            Ok(reply) => {
                self.last_reply = Some(reply.clone());
                reply
            }
            Err(bug) => panic!("{bug}"),
        }
    }

    /// Calls `route` as `actor` with its token in the query string, and `body`.
    pub async fn call(&mut self, actor: &str, route: Route, ids: &[u64], body: Body) -> Reply {
        let mut req = self.request(route, ids);
        req.token = Some(self.token(actor));
        req.body = body;
        self.send(Some(actor), req).await
    }

    /// Calls `verb path` (a path of the feature, see [`ConnectNowWorld::resolve`]) as `actor`
    /// (or anonymously) with `token`, and the body a call to that route needs, so only the
    /// token decides.
    pub async fn call_path(&mut self, actor: Option<&str>, verb: &str, path: &str, token: Option<Token>) {
        let m: Method = verb.parse().unwrap_or_else(|_| panic!("{verb:?} is not an HTTP method"));
        let (route, url) = self.resolve(&m, path);
        let mut req = Request::new(route, m, url);
        req.body = route.map_or(Body::None, |r| self.default_body(r));
        req.token = token;
        self.send(actor, req).await;
    }

    /// The last reply.
    pub fn last(&self) -> Reply {
        match &self.last_reply {
            Some(r) => r.clone(),
            None => panic!("no call was made before this step"),
        }
    }

    /// Asserts that `reply` succeeded (a 2xx: the document) with one of `statuses` (which 2xx
    /// is the register's reading, C5) and matches its schema (the public facts strictly, the
    /// record fields as the reading C8); returns the record or page it carries.
    pub fn ok(&self, reply: &Reply, statuses: &[u16]) -> Value {
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

    /// Judges the reply to a create call of a set-up step (a `Given`): the scenario is about
    /// something else, so the call rests on the rule the route's declaration states
    /// (`C-companies-create`, ...: `Doc::rule`) and on that of its status
    /// (`C-fact-created-201`), never on the scenario's own sentence; a miss blocks the
    /// scenario on that rule ([`crate::kit::Scenario::fail_on_rule`]).
    ///
    /// The public facts list 200 and 201 among the statuses; that a create answers 201 is the
    /// register's reading C5. So set-up accepts 200 as the document allows it, and leaves the
    /// reading to the scenarios of `C-fact-created-201` (enforced under `--strict`).
    pub fn made(&self, route: Route, reply: &Reply) -> Value {
        let Some(rule) = route.doc().rule else {
            panic!("{} states no rule in its declaration to rest set-up on", route.meta().path)
        };
        self.set_up_ok(rule, reply);
        let what = reply.what();
        self.setup_check(
            "C-fact-created-201",
            &Ground::Reading("C5".into()),
            reply.status == 201,
            &format!("{what} succeeds with HTTP 201"),
            "HTTP 201",
            reply.describe(),
        );
        reply.record()
    }

    /// Judges the reply to a call of a set-up step that rests on the rule `rule`: it must
    /// succeed (any 2xx: which one is the reading C5) with a reply valid against its schema,
    /// else the step fails on `rule`. The register's readings of the reply grade only a
    /// scenario whose own rule it is.
    pub fn set_up_ok(&self, rule: &str, reply: &Reply) {
        let what = reply.what();
        if !reply.answered() || !reply.is_2xx() {
            self.fail_on_rule(rule, &format!("{what} succeeds"), "HTTP 2xx", reply.describe_all());
        }
        if !reply.violations.is_empty() {
            self.fail_on_rule(
                rule,
                &format!("the reply to {what} matches its schema"),
                "a reply valid against the committed schema",
                reply.violations.join("\n  "),
            );
        }
        if self.rules.iter().any(|r| r == rule) {
            self.grade_reply(reply);
        }
    }

    /// Asserts that `reply` refused the request (the document), with one of `statuses`. The
    /// public facts fix 405 (RFC 9110), 422 (validation) and 429; any other status, and the
    /// error body's shape, are the register's reading (C5).
    pub fn refused(&self, reply: &Reply, statuses: &[u16]) {
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
    pub fn check_record(&self, record: &Value, check: &str, id: Option<u64>, fields: &[(&str, Value)]) {
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
    pub fn resolve(&self, method: &Method, path: &str) -> (Option<Route>, String) {
        let (template, query) = path.split_once('?').map_or((path, None), |(p, q)| (p, Some(q)));
        let on_path = || Route::ALL.iter().copied().filter(|r| r.meta().path == template);
        let exact = on_path().find(|r| r.meta().method == method.as_str());
        // A method the route does not take still goes to where the target serves the path.
        let by_path = exact.or_else(|| on_path().next());
        let mut ids = Vec::new();
        for p in crate::target::placeholders(template) {
            let Some((_, kind)) = PLACEHOLDERS.iter().find(|(ph, _)| *ph == p) else {
                panic!("{p} is not a placeholder of the seed's paths");
            };
            let Some(label) = self.first.get(kind) else {
                panic!("{p} stands for the scenario's first {kind}, and it made none");
            };
            ids.push(match *kind {
                "company" => self.company(label).id,
                "chat" => self.chat(label).id,
                "chat-user" => self.member_id(label),
                _ => self.message(label).id,
            });
        }
        let url = match by_path {
            Some(r) => self.ctx.target.connectnow_url(r, &ids),
            None => {
                format!("{}{}", self.ctx.target.base_url, crate::target::fill_placeholders(template, &ids))
            }
        };
        (exact, query.map_or(url.clone(), |q| format!("{url}?{q}")))
    }

    /// A well-formed body a generic call to `route` carries, so that only the token decides.
    pub fn default_body(&mut self, route: Route) -> Body {
        let company = self.first.get("company").map(|c| self.company(c).id);
        match route {
            Route::CreateCompany => Body::typed(&companies::CreateCompany { name: self.unique("Renamed") }),
            Route::EditCompany => Body::typed(&companies::EditCompany { name: Some(self.unique("Renamed")) }),
            Route::EditChat => Body::typed(&chats::EditChat { name: Some(self.unique("Renamed")) }),
            Route::EditChatUser => {
                Body::typed(&chat_users::EditChatUser { name: Some(self.unique("Renamed")), email: None })
            }
            Route::CreateChat => {
                let Some(company_id) = company else {
                    panic!("a call to POST /api/chats needs a company of the scenario's, and it made none");
                };
                Body::typed(&chats::CreateChat { company_id, name: self.unique("Chat") })
            }
            Route::CreateChatUser => Body::typed(&chat_users::CreateChatUser {
                name: self.unique("Eve"),
                email: self.email("eve"),
            }),
            Route::CreateChatMessage => {
                Body::typed(&chat_messages::CreateChatMessage { message: "a message".into() })
            }
            Route::EditChatMessage => {
                Body::typed(&chat_messages::EditChatMessage { message: Some("a message".into()) })
            }
            Route::GetToken => Body::typed(&GetToken {
                email: "nobody@example.test".into(),
                auth_code: AuthCode::Number(123_456),
            }),
            Route::GetUser
            | Route::GetChatUserSelf
            | Route::ListCompanies
            | Route::GetCompany
            | Route::DeleteCompany
            | Route::ListChats
            | Route::GetChat
            | Route::DeleteChat
            | Route::ListChatUsers
            | Route::GetChatUser
            | Route::DeleteChatUser
            | Route::ListChatMessages
            | Route::GetChatMessage
            | Route::DeleteChatMessage
            | Route::Share
            | Route::RequestAuthCode => Body::None,
        }
    }

    /// The body field a feature names, as the target names it (NOTES.md C14).
    pub fn field(&self, field: &str) -> String {
        if field == "message" { self.ctx.target.connectnow.message_field.clone() } else { field.to_owned() }
    }
}
