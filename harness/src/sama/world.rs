//! [`SamaWorld`]: one SAMA scenario's state (seed 003), and the helpers the steps of several
//! areas use, all methods of the world: the scenario's users, conversations and messages
//! here; requests (built from the `specs` request types and checked against their request
//! schemas) and replies in `world/replies.rs`; waiting for events and fences in
//! `world/events.rs`; making and connecting users in `world/accounts.rs`; grading in
//! `world/grading.rs`.
//!
//! A scenario names users (`Alice`) and their extra devices (`Alice's phone`); each device
//! has its own socket. Conversations, messages, contacts and files are named by labels; the
//! names on the server carry the run id.

mod accounts;
mod events;
mod grading;
mod replies;

use std::collections::BTreeMap;
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::time::Duration;

use serde_json::Value;

use super::driver::{PendingReply, Reply, Socket};
use crate::api::Api;
use crate::events::Received;
use crate::kit::{ApiWorld, Scenario};

pub use accounts::{LOGIN_REPLY_RULE, Login, PASSWORD_LOGIN_RULE, SIGN_UP_RULE};
pub use grading::CONNECTION_ENDED;

/// How long an absent event is waited for, counted from the reply to the request that could
/// have caused it, before the timeout factor: servers may send events after their reply
/// (register S14).
pub const QUIET: Duration = Duration::from_secs(1);

/// One device of a user: its id, its access token and its socket.
#[derive(Debug)]
pub struct Device {
    /// The `device_id` the device logs in and connects with.
    pub device_id: String,
    /// Its access token.
    pub token: String,
    /// When the access token expires, in milliseconds since the epoch (0 when unknown).
    pub expired_at: i64,
    /// Its socket, once opened (and until dropped).
    pub socket: Option<Socket>,
    /// The refresh-token cookie the device's last password or cookie login set (`name=value`).
    pub cookie: Option<String>,
}

/// A scenario user.
#[derive(Debug)]
pub struct Actor {
    /// The user's `_id`.
    pub id: String,
    /// The name the user signs in with.
    pub login: String,
    /// The user's password.
    pub password: String,
    /// Devices by name: `""` is the first one, others are named in the steps (`phone`).
    pub devices: BTreeMap<String, Device>,
}

/// A conversation the scenario made.
#[derive(Clone, Debug)]
pub struct Conv {
    /// The conversation's `_id`.
    pub cid: String,
    /// The name on the server (the label plus the run id); empty for private ones.
    pub name: String,
    /// The user who made it, who reads it in checks.
    pub creator: String,
    /// The record the creation returned.
    pub record: Value,
}

/// The world of the SAMA suite: the kit's [`Scenario`] and what SAMA scenarios hold.
#[derive(cucumber::World, Default)]
pub struct SamaWorld {
    /// The kit's share: context, wire log, verdicts, accounts.
    pub sc: Scenario,
    /// The users, by the name the scenario gives them.
    pub actors: BTreeMap<String, Actor>,
    /// The conversations made, by label.
    pub convs: BTreeMap<String, Conv>,
    /// Server ids of sent messages, by label (their body when sent).
    pub messages: BTreeMap<String, String>,
    /// The ack (or error) each message got, by label.
    pub acks: BTreeMap<String, Reply>,
    /// The conversation each message was sent to, by label.
    pub msg_conv: BTreeMap<String, String>,
    /// Contact ids, by label.
    pub contacts: BTreeMap<String, String>,
    /// File records by name, as `create_files` returned them.
    pub files: BTreeMap<String, Value>,
    /// The last reply to a socket request or packet.
    pub last: Option<Reply>,
    /// A packet sent without an id whose error, if any, a later step reads.
    pub pending: Option<PendingReply>,
    /// The last HTTP login or logout.
    pub http: Option<Reply>,
    /// A socket that belongs to no scenario user yet.
    pub spare: Option<Socket>,
    /// The device whose socket "that socket" means.
    pub that: Option<String>,
    /// Times remembered by name, in milliseconds.
    pub marks: BTreeMap<String, i64>,
    /// Values a later step checks.
    pub remembered: BTreeMap<String, Value>,
    /// The items of the last listing.
    pub listed: Vec<Value>,
    /// When the reply to the last request or packet that could cause events arrived: absence
    /// checks wait out [`QUIET`] from here.
    pub quiet_from: Option<tokio::time::Instant>,
    /// Deviations a step adapted to that make later checks of the scenario moot (a refusal
    /// that did not come, so the thing exists).
    pub waived: Vec<chatspec_specs::sama::compat::Switch>,
}

impl Deref for SamaWorld {
    type Target = Scenario;
    fn deref(&self) -> &Scenario {
        &self.sc
    }
}

impl DerefMut for SamaWorld {
    fn deref_mut(&mut self) -> &mut Scenario {
        &mut self.sc
    }
}

impl ApiWorld for SamaWorld {
    const API: Api = Api::Sama;
}

impl fmt::Debug for SamaWorld {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SamaWorld").field("key", &self.key).field("actors", &self.actors.keys()).finish()
    }
}

crate::shared_steps!(SamaWorld);

/// `"Alice's phone"` -> `("Alice", "phone")`; `"Alice"` -> `("Alice", "")`.
pub fn split_who(who: &str) -> (&str, &str) {
    match who.split_once("'s ") {
        Some((name, device)) => (name.trim(), device.trim()),
        None => (who.trim(), ""),
    }
}

/// Items of a reply's list field.
pub fn items(body: &Value, field: &str) -> Vec<Value> {
    body.get(field).and_then(Value::as_array).cloned().unwrap_or_default()
}

/// The `_id`s of records.
pub fn ids_of(items: &[Value]) -> Vec<String> {
    items.iter().filter_map(|i| i.get("_id").and_then(Value::as_str).map(str::to_owned)).collect()
}

/// The body of an event as text field `field`.
pub fn field<'a>(e: &'a Received, field: &str) -> Option<&'a str> {
    e.data.get(field).and_then(Value::as_str)
}

/// Milliseconds since the epoch of a record date (`2022-10-13T13:11:04.447Z`).
pub fn millis(date: &Value) -> Option<i64> {
    let text = date.as_str()?;
    let t = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()?;
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}

impl SamaWorld {
    /// The actor called `name`.
    pub fn actor<'a>(&'a self, name: &str) -> &'a Actor {
        match self.actors.get(name) {
            Some(a) => a,
            None => panic!("the scenario has no user {name:?}: add it to `Given the users ...`"),
        }
    }

    /// The user id of `name`.
    pub fn uid(&self, name: &str) -> String {
        self.actor(name).id.clone()
    }

    /// The socket of `who` (`Alice`, `Alice's phone`).
    pub fn socket<'a>(&'a self, who: &str) -> &'a Socket {
        let (name, device) = split_who(who);
        match self.actor(name).devices.get(device).and_then(|d| d.socket.as_ref()) {
            Some(s) => s,
            None => panic!("{who} has no open socket in this scenario"),
        }
    }

    /// The conversation labelled `label`.
    pub fn conv(&self, label: &str) -> Conv {
        match self.convs.get(label) {
            Some(c) => c.clone(),
            None => panic!("the scenario made no conversation {label:?}"),
        }
    }

    /// The server id of the message labelled `label`.
    pub fn mid(&self, label: &str) -> String {
        match self.messages.get(label) {
            Some(m) => m.clone(),
            None => panic!("the scenario sent no message {label:?}"),
        }
    }

    // ---- values in steps ---------------------------------------------------------------------

    /// Replaces `<Alice>` (a user id), `<cid:Team>` and `<mid:hello>` in step JSON.
    pub fn fill(&self, text: &str) -> Value {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find('<') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            let Some(end) = after.find('>') else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let key = &after[..end];
            let value = match key.split_once(':') {
                Some(("cid", l)) => self.conv(l).cid,
                Some(("mid", l)) => self.mid(l),
                _ => self.uid(key),
            };
            out.push_str(&value);
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("the step's JSON is not valid ({e}): {out}"))
    }

    /// Step JSON that must be an object, filled as [`SamaWorld::fill`] fills it: the `x` of
    /// a message or system message (`{"kind": "ping"}`).
    pub fn fill_x(&self, text: &str) -> BTreeMap<String, Value> {
        match self.fill(text) {
            Value::Object(x) => x.into_iter().collect(),
            other => panic!("the step's x is not a JSON object: {other}"),
        }
    }
}
