//! The OneChat world (seed 004): one scenario's domains, users, groups, apps and alert texts,
//! its page for the browser libraries, and the helpers every area's steps use. Domains, users,
//! groups and alert texts carry the run id, so scenarios run side by side on one server, and
//! each scenario reads only its own alerts from the shared outbox.

pub mod page;

use std::collections::BTreeMap;
use std::fmt;
use std::ops::{Deref, DerefMut};

use chatspec_specs::onechat::Route;
use serde_json::Value;

use super::driver::{self, Body, OneChatReply, Reply};
use crate::api::Api;
use crate::kit::{ApiWorld, Scenario};
use crate::verdict::Ground;
pub use page::{CONTAINER, LibraryPage, js_string};

/// A user on the target: its jid, session and the key of its own approved app.
#[derive(Clone, Debug)]
pub struct User {
    /// The user's jid on the server (`ann@run7.example`).
    pub jid: String,
    /// The label of its domain.
    pub domain: String,
    /// An active session of the user.
    pub session: String,
    /// Another active session, once made.
    pub second_session: Option<String>,
    /// The key of the user's own approved app: the `apikey` header of its calls.
    pub apikey: String,
    /// The password `ocwp.login` takes (NOTES.md O16).
    pub password: String,
}

/// A group the scenario made.
#[derive(Clone, Debug)]
pub struct Group {
    /// The group's jid (`<id>@muc.<domain>`).
    pub jid: String,
}

/// A mini app the scenario registered.
#[derive(Clone, Debug)]
pub struct App {
    /// `appId` as registerMiniApp returned it (a string or a number).
    pub app_id: Value,
    /// `apiKey` as registerMiniApp returned it.
    pub api_key: String,
}

/// A server the scenario starts for itself, to stop it (embedded mocks only).
pub struct OwnServer {
    /// The running mock, until the scenario stops it.
    pub mock: Option<crate::embedded::Embedded>,
    /// Its base URL.
    pub base_url: String,
}

impl fmt::Debug for OwnServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnServer").field("base_url", &self.base_url).finish()
    }
}

/// One OneChat scenario: the kit's [`Scenario`] and what the scenario made, by label.
#[derive(cucumber::World, Default)]
pub struct OneChatWorld {
    /// The kit's share: context, wire log, verdicts, pre-made accounts of the target.
    pub sc: Scenario,
    /// Domains on the server by label.
    pub domains: BTreeMap<String, String>,
    /// Users by name.
    pub users: BTreeMap<String, User>,
    /// Groups by label.
    pub groups: BTreeMap<String, Group>,
    /// Mini apps by label.
    pub apps: BTreeMap<String, App>,
    /// Alert texts by label: the label and a tag with the run id, as sent.
    pub texts: BTreeMap<String, String>,
    /// The reply to the last call.
    pub last_reply: Option<Reply>,
    /// The scenario's page, once opened.
    pub page: Option<LibraryPage>,
    /// The page's folder on the page server (`/s/<unique>/`), once made.
    pub folder: String,
    /// What the last library call in the page gave.
    pub js: Option<Value>,
    /// UUIDs made for `chatJid`s, by label.
    pub uuids: BTreeMap<String, String>,
    /// The user the page's libraries run for.
    pub plugin_user: Option<String>,
    /// A server of the scenario's own, to stop.
    pub own_server: Option<OwnServer>,
}

impl Deref for OneChatWorld {
    type Target = Scenario;
    fn deref(&self) -> &Scenario {
        &self.sc
    }
}

impl DerefMut for OneChatWorld {
    fn deref_mut(&mut self) -> &mut Scenario {
        &mut self.sc
    }
}

impl ApiWorld for OneChatWorld {
    const API: Api = Api::OneChat;
}

impl fmt::Debug for OneChatWorld {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OneChatWorld")
            .field("key", &self.key)
            .field("users", &self.users.keys())
            .field("groups", &self.groups.keys())
            .field("apps", &self.apps.keys())
            .finish()
    }
}

crate::shared_steps!(OneChatWorld);

/// A fresh version 4 UUID, for `chatJid` ("please use a standard uuid").
pub fn uuid_v4() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

/// How a call carries its key: the actor's own, none, or a given one.
#[derive(Clone, Debug)]
pub enum Key {
    /// The `apikey` of the acting user's own approved app.
    Own,
    /// No `apikey` header.
    Missing,
    /// This `apikey`.
    Given(String),
}

/// "without an apikey", "with the apikey \"x\"" or nothing, to a [`Key`].
pub fn key_of(words: &str, given: &str) -> Key {
    if words.starts_with("without") {
        Key::Missing
    } else if words.starts_with("with") {
        Key::Given(given.to_owned())
    } else {
        Key::Own
    }
}

impl OneChatWorld {
    /// The domain labelled `label` on the server, made (with the run id) on first use. A
    /// label that is a subdomain of a known one stays its subdomain.
    pub fn domain(&mut self, label: &str) -> String {
        if let Some(d) = self.domains.get(label) {
            return d.clone();
        }
        let known_parent = label
            .split_once('.')
            .and_then(|(first, rest)| self.domains.get(rest).map(|p| format!("{first}.{p}")));
        let domain = known_parent.unwrap_or_else(|| match label.split_once('.') {
            Some((first, rest)) => format!("{}.{rest}", self.unique(first)),
            None => format!("{}.example", self.unique(label)),
        });
        let domain = domain.to_lowercase();
        self.domains.insert(label.to_owned(), domain.clone());
        domain
    }

    /// The user called `name`.
    pub fn user(&self, name: &str) -> User {
        match self.users.get(name) {
            Some(u) => u.clone(),
            None => panic!(
                "the scenario has no user {name:?}: add it with `Given the domain ... with the users ...`"
            ),
        }
    }

    /// The text sent for the label `label`: the label and a tag with the run id.
    pub fn text(&mut self, label: &str) -> String {
        if let Some(t) = self.texts.get(label) {
            return t.clone();
        }
        let text = format!("{label} ({})", self.unique("alert"));
        self.texts.insert(label.to_owned(), text.clone());
        text
    }

    /// Calls `route` as `actor` with the key `key` (the actor's own for [`Key::Own`]); the
    /// reply becomes the last one. A well-formed body its own schema refuses fails the
    /// scenario as a bug of the suite.
    pub async fn call(&mut self, actor: Option<&str>, route: Route, key: Key, body: Body) -> Reply {
        let apikey = match key {
            Key::Own => actor.map(|a| self.user(a).apikey),
            Key::Missing => None,
            Key::Given(k) => Some(k),
        };
        let sent = driver::call(&self.ctx, &self.wire, actor, route, apikey.as_deref(), body).await;
        self.keep(sent)
    }

    /// Keeps the reply of a request as the last one; a suite bug fails the scenario as such.
    pub fn keep(&mut self, sent: Result<Reply, driver::SuiteBug>) -> Reply {
        match sent {
            Ok(reply) => {
                self.last_reply = Some(reply.clone());
                reply
            }
            Err(bug) => panic!("{bug}"),
        }
    }

    /// The last reply.
    pub fn last(&self) -> Reply {
        match &self.last_reply {
            Some(r) => r.clone(),
            None => panic!("no call was made before this step"),
        }
    }

    /// Asserts that `reply` is a `Success` reply valid against its schema (seed 004: "status
    /// | Status | Success, Error"); the HTTP status is the reading O4. Returns its body.
    pub fn success(&self, reply: &Reply) -> Value {
        self.expect_answer(reply, &reply.name);
        if reply.outcome() != Some("Success") {
            self.fail(
                &format!("{} succeeds", reply.name),
                "{\"status\": \"Success\", ...}",
                reply.describe_all(),
            );
        }
        if !reply.violations.is_empty() {
            self.fail(
                &format!("the reply to {} matches its schema", reply.name),
                "a reply valid against the committed schema",
                reply.violations.join("\n  "),
            );
        }
        self.grade_reply(reply);
        reply.body.clone()
    }

    /// Like [`OneChatWorld::success`], for a call of a set-up step that rests on the rule
    /// `rule` (`O-miniapp-register`, ...): a miss fails on that rule, and so blocks a scenario
    /// that does not check it; the register's readings of the reply grade only a scenario
    /// whose own rule it is.
    pub fn set_up_success(&self, rule: &str, reply: &Reply) -> Value {
        if !reply.answered() || reply.outcome() != Some("Success") {
            let check = format!("{} succeeds", reply.name);
            self.fail_on_rule(rule, &check, "{\"status\": \"Success\", ...}", reply.describe_all());
        }
        if !reply.violations.is_empty() {
            self.fail_on_rule(
                rule,
                &format!("the reply to {} matches its schema", reply.name),
                "a reply valid against the committed schema",
                reply.violations.join("\n  "),
            );
        }
        if self.rules.iter().any(|r| r == rule) {
            self.grade_reply(reply);
        }
        reply.body.clone()
    }

    /// Asserts that `reply` is an `Error` reply with a description: seed 004 states the two
    /// fields of every reply, so the envelope is the document; its HTTP status is the reading
    /// O4 (a caller's error answers a 4xx).
    pub fn error(&self, reply: &Reply) {
        self.expect_answer(reply, &reply.name);
        if reply.outcome() != Some("Error") {
            self.fail(
                &format!("{} fails with status Error", reply.name),
                "{\"status\": \"Error\", \"description\": \"...\"}",
                reply.describe(),
            );
        }
        if !reply.violations.is_empty() {
            self.fail(
                "an Error reply has a description saying what went wrong",
                "{\"status\": \"Error\", \"description\": <non-empty>}",
                reply.violations.join("\n  "),
            );
        }
        self.grade_reply(reply);
        self.check_on(
            &Ground::Reading("O4".into()),
            (400..500).contains(&reply.status),
            &format!("{} refuses with a 4xx: the caller's error", reply.name),
            "HTTP 4xx",
            reply.describe(),
        );
    }

    /// The alerts of the outbox carrying the text labelled `label`, once `done` holds for
    /// them (or the bounded wait is over).
    pub async fn alerts(&mut self, label: &str, done: impl Fn(&[&Value]) -> bool) -> Vec<Value> {
        let text = self.text(label);
        // The tag with its parentheses: `(alert-<run>-1)` is no part of `(alert-<run>-12)`.
        let tag = text.rsplit_once(" (").map_or(text.clone(), |(_, t)| format!("({t}"));
        let mine = |outbox: &[Value]| -> Vec<Value> {
            outbox
                .iter()
                .filter(|a| a.get("message").and_then(Value::as_str).is_some_and(|m| m.contains(&tag)))
                .cloned()
                .collect()
        };
        let outbox = self.outbox_until(|o| done(&mine(o).iter().collect::<Vec<_>>())).await;
        let alerts = mine(&outbox);
        self.wire.push("outbox", None, format!("alerts of {text:?}"), Some(Value::Array(alerts.clone())));
        alerts
    }

    /// Checks that each of `who` got the alert `label` at least once, exactly as it was sent.
    pub async fn reached(&mut self, who: &[String], label: &str) -> Vec<Value> {
        let jids: Vec<String> = who.iter().map(|n| self.user(n).jid.to_lowercase()).collect();
        let want = jids.clone();
        let alerts = self
            .alerts(label, move |a| {
                let got = recipients(a.iter().copied());
                want.iter().all(|j| got.contains(j))
            })
            .await;
        let got = recipients(&alerts);
        for (name, jid) in who.iter().zip(&jids) {
            if !got.contains(jid) {
                self.fail(
                    &format!("the alert reaches {name}"),
                    format!("an alert to {jid}"),
                    format!("alerts to {got:?}"),
                );
            }
        }
        let text = self.text(label);
        if let Some(a) =
            alerts.iter().find(|a| a.get("message").and_then(Value::as_str) != Some(text.as_str()))
        {
            self.fail("the message is relayed as it was sent", format!("message {text:?}"), a);
        }
        alerts
    }
}

/// The jids that `alerts` went to, in lower case.
pub fn recipients<'a>(alerts: impl IntoIterator<Item = &'a Value>) -> Vec<String> {
    alerts.into_iter().filter_map(|a| a.get("to").and_then(Value::as_str)).map(str::to_lowercase).collect()
}
