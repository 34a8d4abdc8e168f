//! [`UnichatWorld`]: one Unichat scenario's state, and the helpers the steps of several areas
//! use — actors, typed calls, judging replies, rooms, subscriptions, messages, and waiting
//! for notifications. Helpers that only one area uses live beside its steps
//! (`steps/<area>.rs`), as methods on the world too.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::time::Duration;

use chatspec_specs::Endpoint;
use chatspec_specs::unichat::{
    Meta,
    accounts::{Login, LoginArgs, Register, RegisterArgs},
    envelope::NoArgs,
    messages::{GetMessages, GetMessagesArgs, PostMessage, PostMessageArgs},
    rooms::{CreateRoom, CreateRoomArgs},
    sse::CreateSseAuthCode,
    subscriptions::{GetSubscription, GetSubscriptionArgs, GetSubscriptions, GetSubscriptionsArgs},
};
use reqwest::Method as HttpMethod;
use serde_json::{Value, json};

use super::driver::{self, Malformed, RefusedRequest, Reply, SseConnection, UnichatReply};
use crate::api::Api;
use crate::events::Received;
use crate::kit::{ApiWorld, Scenario};
use crate::target::Provisioning;
use crate::verdict::Ground;

/// A scenario actor: a user on the target with its token and its event stream.
#[derive(Debug)]
pub struct Actor {
    /// The user's id on the target.
    pub id: u64,
    /// The user's nick: the scenario's name plus the run id.
    pub nick: String,
    /// Its `USER_AUTH_TOKEN`.
    pub token: String,
    /// Its event stream, open from the moment it is added.
    pub sse: Option<SseConnection>,
}

/// A room the scenario made, with the subscription ids learned so far.
#[derive(Clone, Debug, Default)]
pub struct Room {
    /// The group's id.
    pub group_id: u64,
    /// The name on the server (the label plus the run id).
    pub name: String,
    /// The actor who made it, who reads the room in checks.
    pub creator: String,
    /// Subscription ids by actor.
    pub subs: BTreeMap<String, u64>,
}

/// An upload: its id, its bytes, and each chunk reply with the chunk's size and CRC32.
pub type Upload = (u64, Vec<u8>, Vec<(Value, u64, u64)>);

/// The world of the Unichat suite: the kit's [`Scenario`] and what Unichat scenarios hold.
#[derive(cucumber::World, Default)]
pub struct UnichatWorld {
    /// The kit's share: context, wire log, verdicts, accounts.
    pub sc: Scenario,
    /// The actors, by the name the scenario gives them.
    pub actors: BTreeMap<String, Actor>,
    /// The rooms made, by label.
    pub rooms: BTreeMap<String, Room>,
    /// Messages by label (their text when posted, and any text they were edited to).
    pub messages: BTreeMap<String, u64>,
    /// The last reply.
    pub last: Option<Reply>,
    /// Replies of repeated posts, for the uid checks.
    pub batch: Vec<Reply>,
    /// Records last seen, by message label.
    pub seen: BTreeMap<String, Value>,
    /// Posts that gave no message record, by label: what came back instead, in words.
    pub unrecorded: BTreeMap<String, String>,
    /// The invite code made last.
    pub invite_code: Option<String>,
    /// A serial remembered for loading what came after it.
    pub remembered_serial: Option<u64>,
    /// The messages of the last load.
    pub loaded: Vec<Value>,
    /// The second stream of the SSE scenarios.
    pub extra_stream: Option<SseConnection>,
    /// The status and headers of the last raw HTTP exchange (SSE and CORS scenarios).
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
    /// The ids of every complete upload of the scenario, in order.
    pub uploads: Vec<u64>,
    /// The GUID a scenario posted with as uid.
    pub guid: Option<String>,
}

impl Deref for UnichatWorld {
    type Target = Scenario;
    fn deref(&self) -> &Scenario {
        &self.sc
    }
}

impl DerefMut for UnichatWorld {
    fn deref_mut(&mut self) -> &mut Scenario {
        &mut self.sc
    }
}

impl ApiWorld for UnichatWorld {
    const API: Api = Api::Unichat;
}

impl fmt::Debug for UnichatWorld {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnichatWorld")
            .field("key", &self.key)
            .field("actors", &self.actors.keys())
            .field("rooms", &self.rooms.keys())
            .finish()
    }
}

crate::shared_steps!(UnichatWorld);

/// The message record inside a reply body.
pub fn message_of(body: &Value) -> Value {
    body.get("message").cloned().unwrap_or(Value::Null)
}

/// A message record's serial.
pub fn serial_of(m: &Value) -> Option<u64> {
    m.get("serial").and_then(Value::as_u64)
}

impl UnichatWorld {
    // ---- actors ------------------------------------------------------------------------

    /// The actor called `name`.
    pub fn actor(&self, name: &str) -> &Actor {
        match self.actors.get(name) {
            Some(a) => a,
            None => panic!("the scenario has no user {name:?}: add it to `Given the users ...`"),
        }
    }

    /// Provisions `name` on the target the way its profile says and opens its event stream.
    pub async fn add_actor(&mut self, name: &str) {
        let nick = self.unique(name);
        let (id, token) = match self.ctx.target.provisioning.clone() {
            Provisioning::Admin | Provisioning::Command { .. } | Provisioning::Http { .. } => {
                self.provision_by_admin(&nick).await
            }
            Provisioning::SignUp { email_domain } => {
                let email = format!("{}@{email_domain}", nick.to_lowercase());
                let password = self.unique("pw");
                let args = RegisterArgs { email, password, nick: Some(nick.clone()) };
                let reply = self.call_with_token::<Register>(None, None, args).await;
                self.user_from(&reply, "register")
            }
            Provisioning::Accounts { .. } => {
                let wait = self.ctx.target.wait(Duration::from_secs(30));
                let Some(account) = self.ctx.checkout_account(wait).await else {
                    self.impossible("the target's pre-made accounts stayed in use: list more accounts in the profile, or run fewer scenarios at once (--concurrency)");
                };
                let args = LoginArgs { email: account.login.clone(), password: account.password.clone() };
                let reply = self.call_with_token::<Login>(None, None, args).await;
                self.accounts.push(account);
                self.user_from(&reply, "login")
            }
        };
        let mut actor = Actor { id, nick, token, sse: None };
        let code_reply =
            self.call_with_token::<CreateSseAuthCode>(Some(name), Some(&actor.token), NoArgs {}).await;
        let code = match code_reply.body.get("code").and_then(Value::as_str) {
            Some(c) if code_reply.is_ok() => c.to_owned(),
            _ => self.fail("create_sse_auth_code returns {code}", "a code", code_reply.describe()),
        };
        match driver::open_sse(&self.ctx, &self.wire, name, &code).await {
            Ok(conn) => actor.sse = Some(conn),
            Err(e) => self.fail("every user can open an event stream", "an open SSE stream", e),
        }
        self.actors.insert(name.to_owned(), actor);
    }

    /// `POST /_mock/users`: the extended chat user record of a new user (DESIGN.md, "Mock
    /// admin API").
    async fn provision_by_admin(&self, nick: &str) -> (u64, String) {
        let body = self
            .admin(HttpMethod::POST, "/_mock/users", Some(json!({"name": nick})), "provisions a user")
            .await;
        match (body.get("id").and_then(Value::as_u64), body.get("auth_token").and_then(Value::as_str)) {
            (Some(id), Some(token)) => (id, token.to_owned()),
            _ => self.fail(
                "POST /_mock/users returns the extended chat user record",
                "{id, auth_token, ...}",
                body,
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
            // Provisioning is set-up: it rests on the rule of the call it makes.
            _ => self.fail_on_rule(
                if how == "register" { "U-fact-register" } else { "U-login-extended-record" },
                &format!("{how} returns the extended chat user record with auth_token"),
                "{status: OK, user: {id, auth_token, ...}}",
                reply.describe(),
            ),
        }
    }

    // ---- calls ---------------------------------------------------------------------------

    /// Calls the method `E` as `actor` with arguments of its declared request type; remembers
    /// the reply as the last one.
    pub async fn call<E: Endpoint<Meta = Meta>>(&mut self, actor: &str, args: E::Request) -> Reply {
        let token = self.actor(actor).token.clone();
        self.call_with_token::<E>(Some(actor), Some(&token), args).await
    }

    /// Calls the method `E` with an explicit `USER_AUTH_TOKEN` (or none); remembers the reply.
    pub async fn call_with_token<E: Endpoint<Meta = Meta>>(
        &mut self,
        actor: Option<&str>,
        token: Option<&str>,
        args: E::Request,
    ) -> Reply {
        let reply = driver::call::<E>(&self.ctx, &self.wire, actor, token, &args).await;
        let reply = reply.unwrap_or_else(|e| self.suite_bug(e));
        self.last = Some(reply.clone());
        reply
    }

    /// Calls `E` without remembering the reply (lookups a check makes on the side).
    pub async fn look_up<E: Endpoint<Meta = Meta>>(&self, actor: &str, args: E::Request) -> Reply {
        let token = self.actor(actor).token.clone();
        let reply = driver::call::<E>(&self.ctx, &self.wire, Some(actor), Some(&token), &args).await;
        reply.unwrap_or_else(|e| self.suite_bug(e))
    }

    /// Sends a request that is wrong on purpose (a negative scenario) to the method named
    /// `name`: the one way a step sends what the declared request types refuse. Remembers
    /// the reply.
    pub async fn call_malformed(&mut self, actor: Option<&str>, name: &str, request: Malformed) -> Reply {
        let reply = driver::call_malformed(&self.ctx, &self.wire, actor, name, request).await;
        self.last = Some(reply.clone());
        reply
    }

    /// Ends the scenario on a request the suite's own schema refuses: a bug of the suite.
    pub fn suite_bug(&self, e: RefusedRequest) -> ! {
        panic!("{e}")
    }

    /// The last reply.
    pub fn last(&self) -> &Reply {
        match &self.last {
            Some(r) => r,
            None => panic!("no call was made before this step"),
        }
    }

    // ---- judging replies -------------------------------------------------------------------

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

    /// Like [`UnichatWorld::ok`], for a call of a set-up step that rests on the rule `rule`
    /// (`U-room-returns-creator-sub` for `create_room`, ...): a miss fails on that rule, and so
    /// blocks a scenario that does not check it; the register's readings of the reply grade
    /// only a scenario whose own rule it is.
    pub fn set_up_ok(&self, rule: &str, reply: &Reply) -> Value {
        if !reply.answered() || !reply.is_ok() {
            let check = format!("{} succeeds", reply.name);
            self.fail_on_rule(rule, &check, "HTTP 200 with status \"OK\"", reply.describe_all());
        }
        if !reply.violations.is_empty() {
            self.fail_on_rule(
                rule,
                &format!("the reply to {} matches its schema", reply.name),
                "a reply valid against the schema",
                reply.violations.join("\n  "),
            );
        }
        if self.rules.iter().any(|r| r == rule) {
            self.grade_reply(reply);
        }
        reply.body.clone()
    }

    /// The last reply, which must have succeeded; its body.
    pub fn last_ok(&self) -> Value {
        let reply = self.last().clone();
        self.ok(&reply)
    }

    /// The message record of the last reply, which must have succeeded.
    pub fn reply_message(&self) -> Value {
        message_of(&self.last_ok())
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

    // ---- rooms and subscriptions -------------------------------------------------------------

    /// The room labelled `label`.
    pub fn room(&self, label: &str) -> Room {
        match self.rooms.get(label) {
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
                if let Some(room) = self.rooms.get_mut(room) {
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
    pub async fn find_sub(&self, actor: &str, group_id: u64) -> Option<u64> {
        let subs = self.subscriptions_of(actor).await;
        subs.iter()
            .find(|s| s.get("group_id").and_then(Value::as_u64) == Some(group_id))
            .and_then(|s| s.get("id"))
            .and_then(Value::as_u64)
    }

    /// All of `actor`'s subscriptions, in full form.
    pub async fn subscriptions_of(&self, actor: &str) -> Vec<Value> {
        let args = GetSubscriptionsArgs { short: Some(false), ..GetSubscriptionsArgs::default() };
        let body = self.ok(&self.look_up::<GetSubscriptions>(actor, args).await);
        body.get("subscriptions").and_then(Value::as_array).cloned().unwrap_or_default()
    }

    /// `actor`'s subscription record for `room`.
    pub async fn sub_record(&mut self, actor: &str, room: &str) -> Value {
        let sid = self.sub_of(actor, room).await;
        // The seed shows `get_subscription(id)` but names no argument: both names (U8).
        let args = GetSubscriptionArgs { subscription_id: Some(sid), id: Some(sid) };
        let body = self.ok(&self.look_up::<GetSubscription>(actor, args).await);
        body.get("subscription").cloned().unwrap_or(Value::Null)
    }

    // ---- messages ------------------------------------------------------------------------------

    /// Posts `args` to `room` as `actor` through its subscription; remembers the message
    /// under its text.
    pub async fn post(&mut self, actor: &str, room: &str, mut args: PostMessageArgs) -> Reply {
        args.subscription_id = Some(self.sub_of(actor, room).await);
        let text = args.text.clone();
        let reply = self.call::<PostMessage>(actor, args).await;
        if reply.is_ok() && reply.body.get("message").is_some() {
            self.note_message(&text, &message_of(&reply.body));
        } else {
            self.unrecorded.insert(text, reply.describe());
        }
        reply
    }

    /// The id of the message labelled `label`.
    pub fn message_id(&self, label: &str) -> u64 {
        match self.messages.get(label) {
            Some(&id) => id,
            None => panic!("the scenario posted no message {label:?}"),
        }
    }

    /// Remembers a message record under its label (and its id).
    pub fn note_message(&mut self, label: &str, record: &Value) {
        if let Some(id) = record.get("id").and_then(Value::as_u64) {
            self.messages.insert(label.to_owned(), id);
        }
        self.seen.insert(label.to_owned(), record.clone());
    }

    /// Loads up to 100 of the latest messages of `room` as `actor`.
    pub async fn latest_messages(&mut self, actor: &str, room: &str) -> Vec<Value> {
        let sid = self.sub_of(actor, room).await;
        let args =
            GetMessagesArgs { subscription_id: Some(sid), limit: Some(100), ..GetMessagesArgs::default() };
        let body = self.ok(&self.look_up::<GetMessages>(actor, args).await);
        body.get("messages").and_then(Value::as_array).cloned().unwrap_or_default()
    }

    // ---- notifications -------------------------------------------------------------------------

    /// Waits for a notification to `actor` matching `pred`; fails with every event seen.
    pub async fn expect_event(&self, actor: &str, what: &str, pred: impl Fn(&Received) -> bool) -> Received {
        let Some(sse) = &self.actor(actor).sse else {
            panic!("{actor} has no event stream");
        };
        let timeout = self.ctx.target.wait(Duration::from_secs(5));
        let got = match sse.inbox.wait_for(timeout, pred).await {
            Ok(e) => e,
            Err(e) => {
                // A notification that broke its schema may be why nothing matched: it fails as
                // its own rule, not as the scenario's.
                self.expect_valid_notifications(actor);
                self.fail(&format!("{actor} is notified"), what, e.describe())
            }
        };
        self.expect_valid_notifications(actor);
        got
    }

    /// Fails, as the notification's own rule and not the scenario's, if any notification
    /// `actor` received broke its schema.
    pub fn expect_valid_notifications(&self, actor: &str) {
        let Some(sse) = &self.actor(actor).sse else {
            panic!("{actor} has no event stream");
        };
        let violations = sse.inbox.violations();
        if !violations.is_empty() {
            self.fail_on_rule(
                "U-notification-shape",
                &format!("every notification {actor} receives matches its schema"),
                "notifications valid against the schemas",
                violations.join("\n  "),
            );
        }
    }

    /// Makes sure every notification the server sent `actor` before now has arrived: the
    /// actor creates a room of its own and waits for that room's notification, which the
    /// server sends after anything it had queued before.
    ///
    /// The fence rests on one rule alone, "each involved user, including creator, will
    /// receive new subscription notificaton" (`U-room-new-sub-notification`): it matches the
    /// notification by its group id only, and a fence that fails says so and names that
    /// rule, never the scenario's.
    pub async fn fence(&self, actor: &str) {
        let args = CreateRoomArgs { name: self.unique("fence"), user_ids: None, is_space: None };
        let reply = self.look_up::<CreateRoom>(actor, args).await;
        let gid = reply.body.pointer("/subscription/group_id").and_then(Value::as_u64);
        let (true, Some(gid)) = (reply.is_ok(), gid) else {
            self.fail_on_rule(
                "U-room-returns-creator-sub",
                &format!("the fence failed: {actor} creates a room to flush its event stream"),
                "create_room succeeds with {subscription: {group_id, ...}}",
                reply.describe(),
            );
        };
        let Some(sse) = &self.actor(actor).sse else {
            panic!("{actor} has no event stream");
        };
        let timeout = self.ctx.target.wait(Duration::from_secs(5));
        let fenced = sse
            .inbox
            .wait_for(timeout, |e| {
                e.name == "unichat_notification"
                    && e.data.pointer("/object/group_id").and_then(Value::as_u64) == Some(gid)
            })
            .await;
        if let Err(e) = fenced {
            self.expect_valid_notifications(actor);
            self.fail_on_rule(
                "U-room-new-sub-notification",
                &format!(
                    "the fence failed: {actor} created the room {gid} to flush its event stream and was never notified of it, so whether {actor} gets no notification cannot be told"
                ),
                format!("a new subscription notification for group {gid}"),
                e.describe(),
            );
        }
    }

    /// Fails if `actor` has an unconsumed notification matching `pred` (after a fence).
    pub async fn expect_no_event(&self, actor: &str, what: &str, pred: impl Fn(&Received) -> bool) {
        self.fence(actor).await;
        self.expect_valid_notifications(actor);
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
}
