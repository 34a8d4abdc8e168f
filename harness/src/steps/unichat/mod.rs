//! Unichat steps: the shared scenario state and the helpers every area's steps use.

mod attachments;
mod editing;
mod endpoint;
mod messages;
mod rooms;
mod subscriptions;

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};

use crate::drivers::unichat::{self as driver, Reply, SseConnection, UnichatReply};
use crate::events::Received;
use crate::target::Provisioning;
use crate::verdict::Ground;
use crate::world::ChatWorld;

/// A scenario actor: a user on the target with its token and its event stream.
#[derive(Debug)]
pub struct Actor {
    pub id: u64,
    pub nick: String,
    pub token: String,
    pub sse: Option<SseConnection>,
}

/// A room the scenario made, with the subscription ids learned so far.
#[derive(Clone, Debug, Default)]
pub struct Room {
    pub group_id: u64,
    /// The name on the server (the label plus the run id).
    pub name: String,
    /// The actor who made it, who reads the room in checks.
    pub creator: String,
    pub subs: BTreeMap<String, u64>,
}

/// An upload: its id, its bytes, and each chunk reply with the chunk's size and CRC32.
pub type Upload = (u64, Vec<u8>, Vec<(Value, u64, u64)>);

/// The Unichat part of a scenario's state.
#[derive(Debug, Default)]
pub struct UnichatState {
    pub actors: BTreeMap<String, Actor>,
    pub rooms: BTreeMap<String, Room>,
    /// Messages by label (their text when posted, and any text they were edited to).
    pub messages: BTreeMap<String, u64>,
    /// The last reply.
    pub last: Option<Reply>,
    /// Replies of repeated posts, for the uid checks.
    pub batch: Vec<Reply>,
    /// Records last seen, by message label.
    pub seen: BTreeMap<String, Value>,
    pub invite_code: Option<String>,
    pub remembered_serial: Option<u64>,
    /// The messages of the last load.
    pub loaded: Vec<Value>,
    /// The second stream or raw HTTP exchange of the SSE and CORS scenarios.
    pub extra_stream: Option<SseConnection>,
    pub raw: Option<(u16, reqwest::header::HeaderMap)>,
    /// The last upload: its id, bytes and every chunk reply with the chunk's size and CRC.
    pub upload: Option<Upload>,
    /// Credentials of the user of the sign-up scenarios.
    pub signup: Option<(String, String)>,
    /// Server-side names of rooms by label, including rooms whose creation failed.
    pub room_names: BTreeMap<String, String>,
    /// Bytes a download link must serve.
    pub expected_download: Option<Vec<u8>>,
    /// The last voice recognition result.
    pub voice: Option<Value>,
    fences: u64,
}

/// Is this a notification of `event` about a `kind` object?
pub fn is_notification(e: &Received, event: &str, kind: &str) -> bool {
    e.name == "unichat_notification"
        && e.data.get("event").and_then(Value::as_str) == Some(event)
        && [e.data.get("object_name"), e.data.get("object_type")]
            .iter()
            .flatten()
            .any(|k| k.as_str() == Some(kind))
}

/// The notified object's field as u64.
pub fn object_u64(e: &Received, field: &str) -> Option<u64> {
    e.data.get("object").and_then(|o| o.get(field)).and_then(Value::as_u64)
}

impl ChatWorld {
    /// The actor called `name`.
    pub fn actor(&self, name: &str) -> &Actor {
        match self.unichat.actors.get(name) {
            Some(a) => a,
            None => panic!("the scenario has no user {name:?}: add it to `Given the users ...`"),
        }
    }

    /// Provisions `name` on the target and opens its event stream.
    pub async fn add_actor(&mut self, name: &str) {
        let nick = self.unique(name);
        let (id, token) = match self.ctx.target.provisioning.clone() {
            Provisioning::Admin => self.provision_by_admin(&nick).await,
            Provisioning::SignUp { email_domain } => {
                let email = format!("{}@{email_domain}", nick.to_lowercase());
                let password = self.unique("pw");
                let reply = self
                    .call_as(None, "register", json!({"email": email, "password": password, "nick": nick}))
                    .await;
                self.user_from(&reply, "register")
            }
            Provisioning::Accounts { .. } => {
                let wait = self.ctx.target.wait(Duration::from_secs(30));
                let Some(account) = self.ctx.checkout_account(wait).await else {
                    self.impossible("the target's pre-made accounts stayed in use: list more accounts in the profile, or run fewer scenarios at once (--concurrency)");
                };
                let reply = self
                    .call_as(None, "login", json!({"email": account.login, "password": account.password}))
                    .await;
                self.accounts.push(account);
                self.user_from(&reply, "login")
            }
        };
        let mut actor = Actor { id, nick, token, sse: None };
        let code_reply =
            self.call_with_token(Some(name), Some(&actor.token), "create_sse_auth_code", json!({})).await;
        let code = match code_reply.body.get("code").and_then(Value::as_str) {
            Some(c) if code_reply.is_ok() => c.to_owned(),
            _ => self.fail("create_sse_auth_code returns {code}", "a code", code_reply.describe()),
        };
        match driver::open_sse(&self.ctx, &self.wire, name, &code).await {
            Ok(conn) => actor.sse = Some(conn),
            Err(e) => self.fail("every user can open an event stream", "an open SSE stream", e),
        }
        self.unichat.actors.insert(name.to_owned(), actor);
    }

    async fn provision_by_admin(&self, nick: &str) -> (u64, String) {
        let Some(admin) = self.ctx.target.admin_url.clone() else {
            self.impossible("the target offers no admin API");
        };
        let url = format!("{admin}/_mock/users");
        let mut body = json!({"name": nick});
        self.ctx.shape(crate::target::shaping::PROVISION, &mut body, None, Some(nick));
        self.wire.push("request", None, format!("POST {url}"), Some(body.clone()));
        let resp = match self.ctx.http.post(&url).json(&body).send().await {
            Ok(r) => r,
            Err(e) => self.fail("the admin API provisions users", "a reply from POST /_mock/users", e),
        };
        let status = resp.status().as_u16();
        let body: Value = resp.json().await.unwrap_or(Value::Null);
        self.wire.push("response", None, format!("{status} /_mock/users"), Some(body.clone()));
        match (body.get("id").and_then(Value::as_u64), body.get("auth_token").and_then(Value::as_str)) {
            (Some(id), Some(token)) => (id, token.to_owned()),
            _ => self.fail(
                "POST /_mock/users returns the extended chat user record",
                "{id, auth_token, ...}",
                format!("HTTP {status} {body}"),
            ),
        }
    }

    fn user_from(&self, reply: &Reply, how: &str) -> (u64, String) {
        let user = reply.body.get("user");
        match (
            user.and_then(|u| u.get("id")).and_then(Value::as_u64),
            user.and_then(|u| u.get("auth_token")).and_then(Value::as_str),
        ) {
            (Some(id), Some(token)) if reply.is_ok() => (id, token.to_owned()),
            _ => self.fail(
                &format!("{how} returns the extended chat user record with auth_token"),
                "{status: OK, user: {id, auth_token, ...}}",
                reply.describe(),
            ),
        }
    }

    /// Calls `method` as `actor` (or anonymously), remembers the reply as the last one.
    pub async fn call_as(&mut self, actor: Option<&str>, method: &str, args: Value) -> Reply {
        let token = actor.map(|a| self.actor(a).token.clone());
        self.call_with_token(actor, token.as_deref(), method, args).await
    }

    /// Calls `method` with an explicit token.
    pub async fn call_with_token(
        &mut self,
        actor: Option<&str>,
        token: Option<&str>,
        method: &str,
        args: Value,
    ) -> Reply {
        let reply = driver::call(&self.ctx, &self.wire, actor, token, method, &args).await;
        self.unichat.last = Some(reply.clone());
        reply
    }

    /// The last reply.
    pub fn last(&self) -> &Reply {
        match &self.unichat.last {
            Some(r) => r,
            None => panic!("no call was made before this step"),
        }
    }

    /// Asserts that `reply` succeeded and conforms to its schema; returns its body.
    pub fn ok(&self, reply: &Reply) -> Value {
        self.expect_answer(reply, &reply.name);
        if !reply.is_ok() {
            self.fail(
                &format!("{} succeeds", reply.name),
                "HTTP 200 with status \"OK\"",
                reply.describe_all(),
            );
        }
        if !reply.violations.is_empty() {
            self.fail(
                &format!("the reply to {} matches its schema", reply.name),
                "a reply valid against the schema",
                reply.violations.join("\n  "),
            );
        }
        self.grade_reply(reply);
        reply.body.clone()
    }

    /// Asserts that `reply` is the error envelope (seed 000: "On error, the 400 result code
    /// will be returned", with `{status: "error", error_code, error_text}`) with the (mapped)
    /// `code`. The codes are the register's reading (U5), except the two public facts.
    pub fn expect_error(&self, reply: &Reply, code: &str) {
        let want = self.ctx.target.error_code(code).to_owned();
        let envelope = format!("HTTP 400 {{\"status\": \"error\", \"error_code\": \"{want}\", ...}}");
        let check = "a failed call answers HTTP 400 with the error envelope (seed 000: \"On error, the 400 result code will be returned\")";
        self.expect_refused(reply, check, &envelope);
        if reply.status != 400 || reply.body.get("status").and_then(Value::as_str) != Some("error") {
            self.fail(check, envelope, reply.describe());
        }
        if !reply.violations.is_empty() {
            self.fail(
                "the error envelope matches its schema",
                "{status: \"error\", error_code: <non-empty string>, error_text: <string>}",
                reply.violations.join("\n  "),
            );
        }
        // "The error_code is a constant per-error string value": only these two are public.
        let ground = if matches!(code, "invalid_email" | "registration_error") {
            Ground::Document
        } else {
            Ground::Reading("U5".into())
        };
        self.check_on(
            &ground,
            reply.error_code() == Some(want.as_str()),
            &format!("{} fails with error_code {want}", reply.name),
            format!("error_code \"{want}\""),
            reply.describe(),
        );
    }

    /// The room labelled `label`.
    pub fn room(&self, label: &str) -> Room {
        match self.unichat.rooms.get(label) {
            Some(r) => r.clone(),
            None => panic!("the scenario made no room {label:?}"),
        }
    }

    /// `actor`'s subscription id for `room`, looked up through get_subscriptions when unknown.
    pub async fn sub_of(&mut self, actor: &str, room: &str) -> u64 {
        let r = self.room(room);
        if let Some(&sid) = r.subs.get(actor) {
            return sid;
        }
        match self.find_sub(actor, r.group_id).await {
            Some(sid) => {
                if let Some(room) = self.unichat.rooms.get_mut(room) {
                    room.subs.insert(actor.to_owned(), sid);
                }
                sid
            }
            None => self.fail(
                &format!("{actor} is a participant of {room:?}"),
                format!("a subscription of {actor} to group {}", r.group_id),
                "none in get_subscriptions",
            ),
        }
    }

    /// `actor`'s subscription to `group_id`, if any, fresh from the server.
    pub async fn find_sub(&mut self, actor: &str, group_id: u64) -> Option<u64> {
        let subs = self.subscriptions_of(actor).await;
        subs.iter()
            .find(|s| s.get("group_id").and_then(Value::as_u64) == Some(group_id))
            .and_then(|s| s.get("id"))
            .and_then(Value::as_u64)
    }

    /// All of `actor`'s subscriptions, in full form.
    pub async fn subscriptions_of(&mut self, actor: &str) -> Vec<Value> {
        let reply = driver::call(
            &self.ctx,
            &self.wire,
            Some(actor),
            Some(&self.actor(actor).token.clone()),
            "get_subscriptions",
            &json!({"short": false}),
        )
        .await;
        let body = self.ok(&reply);
        body.get("subscriptions").and_then(Value::as_array).cloned().unwrap_or_default()
    }

    /// `actor`'s subscription record for `room`.
    pub async fn sub_record(&mut self, actor: &str, room: &str) -> Value {
        let sid = self.sub_of(actor, room).await;
        let token = self.actor(actor).token.clone();
        let reply = driver::call(
            &self.ctx,
            &self.wire,
            Some(actor),
            Some(&token),
            "get_subscription",
            &json!({"subscription_id": sid, "id": sid}),
        )
        .await;
        let body = self.ok(&reply);
        body.get("subscription").cloned().unwrap_or(Value::Null)
    }

    /// The id of the message labelled `label`.
    pub fn message_id(&self, label: &str) -> u64 {
        match self.unichat.messages.get(label) {
            Some(&id) => id,
            None => panic!("the scenario posted no message {label:?}"),
        }
    }

    /// Remembers a message record under its label (and its id).
    pub fn note_message(&mut self, label: &str, record: &Value) {
        if let Some(id) = record.get("id").and_then(Value::as_u64) {
            self.unichat.messages.insert(label.to_owned(), id);
        }
        self.unichat.seen.insert(label.to_owned(), record.clone());
    }

    /// Waits for a notification to `actor` matching `pred`; fails with every event seen.
    pub async fn expect_event(&self, actor: &str, what: &str, pred: impl Fn(&Received) -> bool) -> Received {
        let Some(sse) = &self.actor(actor).sse else {
            panic!("{actor} has no event stream");
        };
        let timeout = self.ctx.target.wait(Duration::from_secs(5));
        let got = match sse.inbox.wait_for(timeout, pred).await {
            Ok(e) => e,
            Err(e) => self.fail(&format!("{actor} is notified"), what, e.describe()),
        };
        let violations = sse.inbox.violations();
        if !violations.is_empty() {
            self.fail(
                "every notification matches its schema",
                "notifications valid against the schemas",
                violations.join("\n  "),
            );
        }
        got
    }

    /// Makes sure every notification the server sent `actor` before now has arrived: the
    /// actor creates a room of its own and waits for that room's notification, which the
    /// server sends after anything it had queued before.
    pub async fn fence(&mut self, actor: &str) {
        self.unichat.fences += 1;
        let name = self.unique("fence");
        let token = self.actor(actor).token.clone();
        let reply = driver::call(
            &self.ctx,
            &self.wire,
            Some(actor),
            Some(&token),
            "create_room",
            &json!({"name": name}),
        )
        .await;
        let body = self.ok(&reply);
        let gid = body.pointer("/subscription/group_id").and_then(Value::as_u64);
        self.expect_event(actor, "the new subscription notification of a fence room", |e| {
            is_notification(e, "new", "subscription")
                && e.data.pointer("/object/group_id").and_then(Value::as_u64) == gid
        })
        .await;
    }

    /// Fails if `actor` has an unconsumed notification matching `pred` (after a fence).
    pub async fn expect_no_event(&mut self, actor: &str, what: &str, pred: impl Fn(&Received) -> bool) {
        self.fence(actor).await;
        let Some(sse) = &self.actor(actor).sse else {
            panic!("{actor} has no event stream");
        };
        let found = sse.inbox.pending(pred);
        if let Some(e) = found.first() {
            self.fail(
                &format!("{actor} is not notified of {what}"),
                "no such notification",
                format!("+{}ms {}: {}", e.at_ms, e.name, e.data),
            );
        }
    }

    /// Loads up to 100 of the latest messages of `room` as `actor`.
    pub async fn latest_messages(&mut self, actor: &str, room: &str) -> Vec<Value> {
        let sid = self.sub_of(actor, room).await;
        let token = self.actor(actor).token.clone();
        let reply = driver::call(
            &self.ctx,
            &self.wire,
            Some(actor),
            Some(&token),
            "get_messages",
            &json!({"subscription_id": sid, "limit": 100}),
        )
        .await;
        let body = self.ok(&reply);
        body.get("messages").and_then(Value::as_array).cloned().unwrap_or_default()
    }
}

/// The message record inside a reply.
pub fn message_of(body: &Value) -> Value {
    body.get("message").cloned().unwrap_or(Value::Null)
}
