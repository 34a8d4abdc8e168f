//! [`SamaWorld`]: one SAMA scenario's state (seed 003), and the helpers the steps of several
//! areas use: requests, replies, waiting for events, fences. How users are made and connected
//! is in `world/accounts.rs`, how checks are graded in `world/grading.rs`.
//!
//! A scenario names users (`Alice`) and their extra devices (`Alice's phone`); each device
//! has its own socket. Conversations, messages, contacts and files are named by labels; the
//! names on the server carry the run id.

mod accounts;
mod grading;

use std::collections::BTreeMap;
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::time::Duration;

use serde_json::{Value, json};

use super::driver::SamaReply;
use super::driver::{self as driver, PendingReply, Reply, Socket};
use crate::api::Api;
use crate::events::Received;
use crate::kit::{ApiWorld, Scenario};

pub use accounts::{Login, add_actor, connect_or_fail, http_login, note_extras, open_socket, phone, sign_up};
pub use grading::{CONNECTION_ENDED, deviation, fail, fail_known, grade, hinted, reading, suspects};

/// How long an absent event is waited for, counted from the reply to the request that could
/// have caused it, before the timeout factor: servers may send events after their reply
/// (register S14).
pub const QUIET: Duration = Duration::from_secs(1);

/// One device of a user: its id, its access token and its socket.
#[derive(Debug)]
pub struct Device {
    pub device_id: String,
    pub token: String,
    pub expired_at: i64,
    pub socket: Option<Socket>,
    /// The refresh-token cookie the device's last password or cookie login set (`name=value`).
    pub cookie: Option<String>,
}

/// A scenario user.
#[derive(Debug)]
pub struct Actor {
    /// The user's `_id`.
    pub id: String,
    pub login: String,
    pub password: String,
    /// Devices by name: `""` is the first one, others are named in the steps (`phone`).
    pub devices: BTreeMap<String, Device>,
}

/// A conversation the scenario made.
#[derive(Clone, Debug)]
pub struct Conv {
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
    pub convs: BTreeMap<String, Conv>,
    /// Server ids of sent messages, by label (their body when sent).
    pub messages: BTreeMap<String, String>,
    /// The ack (or error) each message got, by label.
    pub acks: BTreeMap<String, Reply>,
    /// The conversation each message was sent to, by label.
    pub msg_conv: BTreeMap<String, String>,
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

/// The actor called `name`.
pub fn actor<'a>(w: &'a SamaWorld, name: &str) -> &'a Actor {
    match w.actors.get(name) {
        Some(a) => a,
        None => panic!("the scenario has no user {name:?}: add it to `Given the users ...`"),
    }
}

/// The user id of `name`.
pub fn uid(w: &SamaWorld, name: &str) -> String {
    actor(w, name).id.clone()
}

/// The socket of `who` (`Alice`, `Alice's phone`).
pub fn socket<'a>(w: &'a SamaWorld, who: &str) -> &'a Socket {
    let (name, device) = split_who(who);
    match actor(w, name).devices.get(device).and_then(|d| d.socket.as_ref()) {
        Some(s) => s,
        None => panic!("{who} has no open socket in this scenario"),
    }
}

/// The conversation labelled `label`.
pub fn conv(w: &SamaWorld, label: &str) -> Conv {
    match w.convs.get(label) {
        Some(c) => c.clone(),
        None => panic!("the scenario made no conversation {label:?}"),
    }
}

/// The server id of the message labelled `label`.
pub fn mid(w: &SamaWorld, label: &str) -> String {
    match w.messages.get(label) {
        Some(m) => m.clone(),
        None => panic!("the scenario sent no message {label:?}"),
    }
}

// ---- requests and replies ----------------------------------------------------------------

/// Sends request `name` from `who` and keeps the reply as the last one; absence checks wait
/// out [`QUIET`] from its reply.
pub async fn request(w: &mut SamaWorld, who: &str, name: &str, params: Value) -> Reply {
    let reply = socket(w, who).request(name, params).await;
    w.quiet_from = Some(tokio::time::Instant::now());
    w.last = Some(reply.clone());
    reply
}

/// The last reply.
pub fn last(w: &SamaWorld) -> Reply {
    match &w.last {
        Some(r) => r.clone(),
        None => panic!("no request was sent before this step"),
    }
}

/// Fails on schema violations the document rules; notes those a reading rules.
pub(crate) fn check_violations(w: &SamaWorld, reply: &Reply) {
    if !reply.violations.is_empty() {
        fail(
            w,
            &format!("the reply to {} matches its schema", reply.name),
            "a reply valid against the committed schema",
            reply.violations.join("\n  "),
            &suspects(w, reply),
        );
    }
    w.grade_reply(reply);
}

/// Fails the step (never graded as a reading) when the socket ended instead of a reply.
fn no_drop(w: &SamaWorld, reply: &Reply) {
    if let Some(why) = reply.failure.as_ref().filter(|_| reply.dropped()) {
        w.fail(&format!("{} is answered ({CONNECTION_ENDED})", reply.name), "a reply on an open socket", why);
    }
}

/// Asserts `reply` succeeded and matches its schema; returns the object under `response` (or
/// the ack).
pub fn ok(w: &SamaWorld, reply: &Reply) -> Value {
    no_drop(w, reply);
    if let Some(why) = &reply.failure {
        fail(
            w,
            &format!("{} is answered", reply.name),
            "a reply within the timeout",
            why,
            &suspects(w, reply),
        );
    }
    if !reply.is_ok() {
        fail(
            w,
            &format!("{} succeeds", reply.name),
            "a reply without error",
            reply.describe(),
            &suspects(w, reply),
        );
    }
    if reply.key() == "ask" {
        // Only an undeclared ack_as_ask reaches here: a declared one was read as `ack`.
        fail_known(
            w,
            chatspec_specs::sama::compat::Switch::AckAsAsk,
            "\"a server will deliver back to client a simple packet\" { ack: { mid, server_mid, t } } (S40)",
            "{ack: {mid, server_mid, t}}",
            reply.describe(),
        );
    }
    check_violations(w, reply);
    reply.body.clone()
}

/// Asserts `reply` is a refusal: an error reply in any shape ("the request is refused"). Its
/// shape and status are the register's (S10): a different one is noted as a reading.
pub fn refused(w: &SamaWorld, reply: &Reply, statuses: &[u64]) {
    no_drop(w, reply);
    if reply.is_ok() {
        // A success where a refusal was due: hints name a known deviation it may be.
        fail(
            w,
            &format!("{} is refused", reply.name),
            "an error reply",
            reply.describe(),
            &suspects(w, reply),
        );
    }
    w.expect_refused(reply, &format!("{} is refused", reply.name), "an error reply");
    // The register's shape and statuses (S10): an error schema's misses are readings already.
    let want = statuses.iter().map(ToString::to_string).collect::<Vec<_>>().join(" or ");
    let shape = format!(
        "{{\"response\": {{\"id\": {:?}, \"error\": {{\"status\": {want}, \"message\"}}}}}}",
        reply.id()
    );
    for v in &reply.violations {
        reading(w, "S10", "an error is {response: {id, error: {status, message}}} (S10)", &shape, v);
    }
    let status = reply.error_status().unwrap_or(0);
    if !statuses.is_empty() && !statuses.contains(&status) {
        reading(w, "S10", &format!("{} is refused with status {want}", reply.name), &shape, reply.describe());
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

// ---- events ------------------------------------------------------------------------------

/// The known deviations the events `who` received show, undeclared.
fn inbox_suspects(w: &SamaWorld, who: &str) -> Vec<chatspec_specs::sama::compat::Switch> {
    let d = &w.ctx.target.sama.deviations;
    let mut out: Vec<_> = socket(w, who)
        .inbox
        .all()
        .iter()
        .flat_map(|e| d.suspects(&json!({ e.name.clone(): e.data.clone() })))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Fails if an event `who` received broke its schema where the document rules it; notes the
/// rules of readings.
fn check_inbox(w: &SamaWorld, who: &str) {
    let (readings, document): (Vec<String>, Vec<String>) =
        socket(w, who).inbox.violations().into_iter().partition(|v| v.starts_with(driver::READING_PREFIX));
    if !document.is_empty() {
        fail(
            w,
            "every event matches its schema",
            "events valid against the committed schemas",
            document.join("\n  "),
            &inbox_suspects(w, who),
        );
    }
    for v in readings {
        let rest = &v[driver::READING_PREFIX.len()..];
        let (entry, text) = rest.split_once(": ").unwrap_or(("S1", rest));
        reading(w, entry, "the event has the register's form", "the schema's form", text);
    }
}

/// Waits for an event to `who` matching `pred`; fails with every frame seen.
pub async fn expect_frame(
    w: &SamaWorld,
    who: &str,
    what: &str,
    pred: impl Fn(&Received) -> bool,
) -> Received {
    let timeout = w.ctx.target.wait(Duration::from_secs(5));
    let got = match socket(w, who).inbox.wait_for(timeout, pred).await {
        Ok(e) => e,
        Err(e) => fail(w, &format!("{who} receives {what}"), what, e.describe(), &inbox_suspects(w, who)),
    };
    check_inbox(w, who);
    got
}

/// Makes sure every event the server queued for `who` before now has arrived: any reply to
/// a request sent now comes after them.
pub async fn fence(w: &SamaWorld, who: &str) {
    let reply = socket(w, who).request("list_blocked_users", json!({})).await;
    if let Some(why) = reply.failure {
        w.fail(&format!("{who}'s socket answers requests"), "a reply to list_blocked_users", why);
    }
}

/// Fails if `who` receives an event matching `pred`: after a fence, and until [`QUIET`] (scaled)
/// has passed since the reply to the request that could have caused it, as a server may send
/// events after its reply (S14).
pub async fn expect_no_frame(w: &SamaWorld, who: &str, what: &str, pred: impl Fn(&Received) -> bool) {
    fence(w, who).await;
    let deadline = w.quiet_from.unwrap_or_else(tokio::time::Instant::now) + w.ctx.target.wait(QUIET);
    let left = deadline.saturating_duration_since(tokio::time::Instant::now());
    let inbox = &socket(w, who).inbox;
    let seen = match inbox.pending(&pred).into_iter().next() {
        Some(e) => Some(e),
        None => inbox.wait_for(left, &pred).await.ok(),
    };
    if let Some(e) = seen {
        w.fail(
            &format!("{who} is not sent {what}"),
            "no such event",
            format!("+{}ms {}: {}", e.at_ms, e.name, e.data),
        );
    }
    check_inbox(w, who);
}

/// The body of an event as text field `field`.
pub fn field<'a>(e: &'a Received, field: &str) -> Option<&'a str> {
    e.data.get(field).and_then(Value::as_str)
}

// ---- values in steps ---------------------------------------------------------------------

/// Replaces `<Alice>` (a user id), `<cid:Team>` and `<mid:hello>` in step JSON.
pub fn fill(w: &SamaWorld, text: &str) -> Value {
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
            Some(("cid", l)) => conv(w, l).cid,
            Some(("mid", l)) => mid(w, l),
            _ => uid(w, key),
        };
        out.push_str(&value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("the step's JSON is not valid ({e}): {out}"))
}

/// Milliseconds since the epoch of a record date (`2022-10-13T13:11:04.447Z`).
pub fn millis(date: &Value) -> Option<i64> {
    let text = date.as_str()?;
    let t = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()?;
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}
