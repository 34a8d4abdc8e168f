//! OneChat steps (seed 004): the shared scenario state and the helpers every area's steps use.
//! Domains, users, groups and alert texts carry the run id, so scenarios run side by side on
//! one server, and each scenario reads only its own alerts from the shared outbox. The
//! browser libraries' areas (`chat_plugin`, `mini_app_library`) run in a page (`page.rs`).

mod broadcast;
mod chat_plugin;
mod directory;
mod endpoint;
mod mini_app_library;
mod miniapps;
pub mod page;
mod relay;

use std::collections::BTreeMap;

use cucumber::then;
use serde_json::Value;

use crate::drivers::onechat::{self as driver, Body, OneChatReply, Reply};
use crate::steps::names;
use crate::verdict::Ground;
use crate::world::ChatWorld;

/// A user on the target: its jid, session and the key of its own approved app.
#[derive(Clone, Debug)]
pub struct User {
    pub jid: String,
    /// The label of its domain.
    pub domain: String,
    pub session: String,
    /// Another active session, once made.
    pub second_session: Option<String>,
    pub apikey: String,
    /// The password `ocwp.login` takes (NOTES.md O16).
    pub password: String,
}

/// A group the scenario made.
#[derive(Clone, Debug)]
pub struct Group {
    pub jid: String,
}

/// A mini app the scenario registered.
#[derive(Clone, Debug)]
pub struct App {
    pub app_id: Value,
    pub api_key: String,
}

/// The OneChat part of a scenario's state.
#[derive(Debug, Default)]
pub struct OneChatState {
    /// Domains on the server by label.
    pub domains: BTreeMap<String, String>,
    pub users: BTreeMap<String, User>,
    pub groups: BTreeMap<String, Group>,
    pub apps: BTreeMap<String, App>,
    /// Alert texts by label: the label and a tag with the run id, as sent.
    pub texts: BTreeMap<String, String>,
    /// The last reply.
    pub last: Option<Reply>,
    /// The scenario's page, once opened.
    pub page: Option<page::LibraryPage>,
    /// The page's folder on the page server (`/s/<unique>/`), once made.
    pub folder: String,
    /// What the last library call in the page gave.
    pub js: Option<Value>,
    /// UUIDs made for `chatJid`s, by label.
    pub uuids: BTreeMap<String, String>,
    /// The user the page's libraries run for.
    pub plugin_user: Option<String>,
    /// A server of the scenario's own, to stop.
    pub own_server: Option<chat_plugin::OwnServer>,
}

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
    Own,
    Missing,
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

impl ChatWorld {
    /// The domain labelled `label` on the server, made (with the run id) on first use. A
    /// label that is a subdomain of a known one stays its subdomain.
    pub fn oc_domain(&mut self, label: &str) -> String {
        if let Some(d) = self.onechat.domains.get(label) {
            return d.clone();
        }
        let known_parent = label
            .split_once('.')
            .and_then(|(first, rest)| self.onechat.domains.get(rest).map(|p| format!("{first}.{p}")));
        let domain = known_parent.unwrap_or_else(|| match label.split_once('.') {
            Some((first, rest)) => format!("{}.{rest}", self.unique(first)),
            None => format!("{}.example", self.unique(label)),
        });
        let domain = domain.to_lowercase();
        self.onechat.domains.insert(label.to_owned(), domain.clone());
        domain
    }

    /// The user called `name`.
    pub fn oc_user(&self, name: &str) -> User {
        match self.onechat.users.get(name) {
            Some(u) => u.clone(),
            None => panic!(
                "the scenario has no user {name:?}: add it with `Given the domain ... with the users ...`"
            ),
        }
    }

    /// The text sent for the label `label`: the label and a tag with the run id.
    pub fn oc_text(&mut self, label: &str) -> String {
        if let Some(t) = self.onechat.texts.get(label) {
            return t.clone();
        }
        let text = format!("{label} ({})", self.unique("alert"));
        self.onechat.texts.insert(label.to_owned(), text.clone());
        text
    }

    /// Calls `call` as `actor` with the key `key` (the actor's own for [`Key::Own`]).
    pub async fn oc_call(&mut self, actor: Option<&str>, call: &str, key: Key, body: Body) -> Reply {
        let apikey = match key {
            Key::Own => actor.map(|a| self.oc_user(a).apikey),
            Key::Missing => None,
            Key::Given(k) => Some(k),
        };
        let reply = driver::call(&self.ctx, &self.wire, actor, call, apikey.as_deref(), body).await;
        self.onechat.last = Some(reply.clone());
        reply
    }

    /// The last reply.
    pub fn oc_last(&self) -> Reply {
        match &self.onechat.last {
            Some(r) => r.clone(),
            None => panic!("no call was made before this step"),
        }
    }

    /// Asserts that `reply` is a `Success` reply valid against its schema (seed 004: "status
    /// | Status | Success, Error"); the HTTP status is the reading O4. Returns its body.
    pub fn oc_success(&self, reply: &Reply) -> Value {
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

    /// Asserts that `reply` is an `Error` reply with a description: seed 004 states the two
    /// fields of every reply, so the envelope is the document; its HTTP status is the reading
    /// O4 (a caller's error answers a 4xx).
    pub fn oc_error(&self, reply: &Reply) {
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
    pub async fn oc_alerts(&mut self, label: &str, done: impl Fn(&[&Value]) -> bool) -> Vec<Value> {
        let text = self.oc_text(label);
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
    pub async fn oc_reached(&mut self, who: &[String], label: &str) -> Vec<Value> {
        let jids: Vec<String> = who.iter().map(|n| self.oc_user(n).jid.to_lowercase()).collect();
        let want = jids.clone();
        let alerts = self
            .oc_alerts(label, move |a| {
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
        let text = self.oc_text(label);
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

#[then("the reply is Success")]
async fn is_success(w: &mut ChatWorld) {
    let reply = w.oc_last();
    w.oc_success(&reply);
}

#[then("the reply is Error with a description")]
async fn is_error(w: &mut ChatWorld) {
    let reply = w.oc_last();
    w.oc_error(&reply);
}

#[then(regex = r#"^(\w+(?:(?:, | and )\w+)*) received "([^"]*)" and nobody else did$"#)]
async fn received_only(w: &mut ChatWorld, list: String, label: String) {
    let who = names(&list);
    let alerts = w.oc_reached(&who, &label).await;
    let want: Vec<String> = who.iter().map(|n| w.oc_user(n).jid.to_lowercase()).collect();
    let got = recipients(&alerts);
    if let Some(extra) = got.iter().find(|j| !want.contains(j)) {
        w.fail(
            &format!("the alert reaches {list} and nobody else"),
            format!("alerts to {want:?} only"),
            format!("an alert to {extra}; all: {got:?}"),
        );
    }
}

#[then(regex = r#"^each of (\w+(?:(?:, | and )\w+)*) received "([^"]*)" exactly once$"#)]
async fn received_once(w: &mut ChatWorld, list: String, label: String) {
    let who = names(&list);
    let alerts = w.oc_reached(&who, &label).await;
    let got = recipients(&alerts);
    for name in &who {
        let jid = w.oc_user(name).jid.to_lowercase();
        let n = got.iter().filter(|j| **j == jid).count();
        if n != 1 {
            w.fail(&format!("{name} gets the alert once"), "one alert", format!("{n} alerts to {jid}"));
        }
    }
}

#[then(regex = r#"^nobody received "([^"]*)"$"#)]
async fn nobody_received(w: &mut ChatWorld, label: String) {
    // Nothing to wait for: an alert that was not sent never arrives.
    let alerts = w.oc_alerts(&label, |_| true).await;
    if !alerts.is_empty() {
        w.fail("a refused call delivers nothing", "no alert", Value::Array(alerts));
    }
}
