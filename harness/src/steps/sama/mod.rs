//! SAMA steps (seed 003): the scenario state, how users are made and connected, and the
//! helpers every area's steps use: requests, replies, waiting for events, fences.
//!
//! A scenario names users (`Alice`) and their extra devices (`Alice's phone`); each device
//! has its own socket. Conversations, messages, contacts and files are named by labels; the
//! names on the server carry the run id.

mod auth;
mod contacts;
mod conversations;
mod edits;
mod files;
mod frames;
mod messages;
mod offline;
mod push;
mod users;

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};

use crate::drivers::sama::{self as driver, Credentials, HttpReply, Reply, Socket};
use crate::events::Received;
use crate::target::Provisioning;
use crate::world::ChatWorld;

/// One device of a user: its id, its access token and its socket.
#[derive(Debug)]
pub struct Device {
    pub device_id: String,
    pub token: String,
    pub expired_at: i64,
    pub socket: Option<Socket>,
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

/// The SAMA part of a scenario's state.
#[derive(Debug, Default)]
pub struct SamaState {
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
    /// The last HTTP login or logout.
    pub http: Option<HttpReply>,
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
}

/// `"Alice's phone"` -> `("Alice", "phone")`; `"Alice"` -> `("Alice", "")`.
pub fn split_who(who: &str) -> (&str, &str) {
    match who.split_once("'s ") {
        Some((name, device)) => (name.trim(), device.trim()),
        None => (who.trim(), ""),
    }
}

/// The actor called `name`.
pub fn actor<'a>(w: &'a ChatWorld, name: &str) -> &'a Actor {
    match w.sama.actors.get(name) {
        Some(a) => a,
        None => panic!("the scenario has no user {name:?}: add it to `Given the users ...`"),
    }
}

/// The user id of `name`.
pub fn uid(w: &ChatWorld, name: &str) -> String {
    actor(w, name).id.clone()
}

/// The socket of `who` (`Alice`, `Alice's phone`).
pub fn socket<'a>(w: &'a ChatWorld, who: &str) -> &'a Socket {
    let (name, device) = split_who(who);
    match actor(w, name).devices.get(device).and_then(|d| d.socket.as_ref()) {
        Some(s) => s,
        None => panic!("{who} has no open socket in this scenario"),
    }
}

/// The conversation labelled `label`.
pub fn conv(w: &ChatWorld, label: &str) -> Conv {
    match w.sama.convs.get(label) {
        Some(c) => c.clone(),
        None => panic!("the scenario made no conversation {label:?}"),
    }
}

/// The server id of the message labelled `label`.
pub fn mid(w: &ChatWorld, label: &str) -> String {
    match w.sama.messages.get(label) {
        Some(m) => m.clone(),
        None => panic!("the scenario sent no message {label:?}"),
    }
}

// ---- users -----------------------------------------------------------------------------

/// What a new user needs to connect: `(id, login, password, token, device, expired_at)`.
type Credential = (String, String, String, String, String, i64);

/// Makes `name` a user on the target as the profile says and connects its socket.
pub async fn add_actor(w: &mut ChatWorld, name: &str) {
    let (id, login, password, token, device, expired_at, socket) = match w.ctx.target.provisioning.clone() {
        Provisioning::Admin => {
            let (id, login, password, token, device, expired_at) = provision_by_admin(w, name).await;
            (id, login, password, token, device, expired_at, None)
        }
        Provisioning::Accounts { .. } => {
            let wait = w.ctx.target.wait(Duration::from_secs(30));
            let Some(account) = w.ctx.checkout_account(wait).await else {
                w.impossible("the target's pre-made accounts stayed in use: list more accounts in the profile, or run fewer scenarios at once (--concurrency)");
            };
            w.accounts.push(account.clone());
            let device = w.unique("device");
            let (id, token, expired_at) =
                http_login(w, name, &account.login, &account.password, &device).await;
            (id, account.login, account.password, token, device, expired_at, None)
        }
        Provisioning::SignUp { .. } => {
            let (c, socket) = sign_up(w, name).await;
            (c.0, c.1, c.2, c.3, c.4, c.5, Some(socket))
        }
    };
    let socket = match socket {
        Some(s) => s,
        None => open_socket(w, name).await,
    };
    connect_or_fail(w, &socket, name, &token, &device).await;
    let mut devices = BTreeMap::new();
    devices.insert(String::new(), Device { device_id: device, token, expired_at, socket: Some(socket) });
    w.sama.actors.insert(name.to_owned(), Actor { id, login, password, devices });
}

/// Signs `name` up with `user_create` over a new socket, then logs in over HTTP; the socket
/// is not linked yet.
pub async fn sign_up(w: &mut ChatWorld, name: &str) -> (Credential, Socket) {
    let login = w.unique(name).to_lowercase();
    let password = w.unique("pw");
    let socket = open_socket(w, name).await;
    let reply = socket
        .request("user_create", json!({"login": login, "password": password, "first_name": name}))
        .await;
    let body = ok(w, &reply);
    let Some(id) = body.pointer("/user/_id").and_then(Value::as_str).map(str::to_owned) else {
        w.fail("user_create returns the new user", "{user: {_id, login, ...}}", reply.describe());
    };
    let device = w.unique("device");
    let (_, token, expired_at) = http_login(w, name, &login, &password, &device).await;
    ((id, login, password, token, device, expired_at), socket)
}

async fn provision_by_admin(w: &ChatWorld, name: &str) -> Credential {
    let Some(admin) = w.ctx.target.admin_url.clone() else {
        w.impossible("the target offers no admin API");
    };
    let nick = w.unique(name);
    let url = format!("{admin}/_mock/users");
    w.wire.push("request", None, format!("POST {url}"), Some(json!({"name": nick})));
    let resp = match w.ctx.http.post(&url).json(&json!({"name": nick})).send().await {
        Ok(r) => r,
        Err(e) => w.fail("the admin API provisions users", "a reply from POST /_mock/users", e),
    };
    let status = resp.status().as_u16();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    w.wire.push("response", None, format!("{status} /_mock/users"), Some(body.clone()));
    let text = |p: &str| body.pointer(p).and_then(Value::as_str).map(str::to_owned);
    match (text("/user/_id"), text("/login"), text("/password"), text("/access_token"), text("/device_id")) {
        (Some(id), Some(login), Some(password), Some(token), Some(device)) => {
            let expired_at = body.get("expired_at").and_then(Value::as_i64).unwrap_or(0);
            (id, login, password, token, device, expired_at)
        }
        _ => w.fail(
            "POST /_mock/users returns the user and its credentials",
            "{user, login, password, access_token, device_id}",
            format!("HTTP {status} {body}"),
        ),
    }
}

/// `POST /login` with a password; returns `(user id, access token, expired_at)`.
pub async fn http_login(
    w: &ChatWorld,
    who: &str,
    login: &str,
    password: &str,
    device: &str,
) -> (String, String, i64) {
    let body = json!({"login": login, "password": password, "device_id": device});
    let reply =
        driver::login(&w.ctx, &w.wire, Some(who), Some(body.to_string()), &Credentials::default()).await;
    let b = &reply.body;
    match (
        b.pointer("/user/_id").and_then(Value::as_str),
        b.get("access_token").and_then(Value::as_str),
        b.get("expired_at").and_then(Value::as_i64),
    ) {
        (Some(id), Some(token), Some(exp)) if reply.status == 200 => (id.to_owned(), token.to_owned(), exp),
        _ => w.fail(
            "POST /login with login and password answers {user, access_token, expired_at}",
            "HTTP 200 {user: {_id, ...}, access_token, expired_at}",
            reply.describe(),
        ),
    }
}

/// Opens a socket for `who`, failing the step if it cannot.
pub async fn open_socket(w: &ChatWorld, who: &str) -> Socket {
    match Socket::open(&w.ctx, &w.wire, who).await {
        Ok(s) => s,
        Err(e) => w.fail("a client can open a WebSocket to the server", "an open socket", e),
    }
}

/// Sends `connect {token, device_id}` and fails the step unless it succeeds.
pub async fn connect_or_fail(w: &ChatWorld, socket: &Socket, who: &str, token: &str, device: &str) {
    let reply = socket.request("connect", json!({"token": token, "device_id": device})).await;
    if !reply.is_ok() || reply.body.get("success") != Some(&Value::Bool(true)) {
        w.fail(
            &format!("{who} links a socket with connect"),
            "{response: {id, success: true}}",
            reply.describe(),
        );
    }
    no_violations(w, &reply);
}

// ---- requests and replies ----------------------------------------------------------------

/// Sends request `name` from `who` and keeps the reply as the last one.
pub async fn request(w: &mut ChatWorld, who: &str, name: &str, params: Value) -> Reply {
    let reply = socket(w, who).request(name, params).await;
    w.sama.last = Some(reply.clone());
    reply
}

/// The last reply.
pub fn last(w: &ChatWorld) -> Reply {
    match &w.sama.last {
        Some(r) => r.clone(),
        None => panic!("no request was sent before this step"),
    }
}

fn no_violations(w: &ChatWorld, reply: &Reply) {
    if !reply.violations.is_empty() {
        w.fail(
            &format!("the reply to {} matches its schema", reply.request),
            "a reply valid against the committed schema",
            reply.violations.join("\n  "),
        );
    }
}

/// Asserts `reply` succeeded and matches its schema; returns the object under `response`.
pub fn ok(w: &ChatWorld, reply: &Reply) -> Value {
    if let Some(why) = &reply.failure {
        w.fail(&format!("{} is answered", reply.request), "a reply within the timeout", why);
    }
    if !reply.is_ok() {
        w.fail(&format!("{} succeeds", reply.request), "a reply without error", reply.describe());
    }
    no_violations(w, reply);
    reply.body.clone()
}

/// Asserts `reply` is the one error shape with one of `statuses` (NOTES.md S10).
pub fn error(w: &ChatWorld, reply: &Reply, statuses: &[u64]) {
    let want = statuses.iter().map(ToString::to_string).collect::<Vec<_>>().join(" or ");
    if let Some(why) = &reply.failure {
        w.fail(&format!("{} is answered with an error", reply.request), format!("an error {want}"), why);
    }
    let shape = format!(
        "{{\"response\": {{\"id\": {:?}, \"error\": {{\"status\": {want}, \"message\"}}}}}}",
        reply.id
    );
    if reply.is_ok() {
        w.fail(&format!("{} is refused", reply.request), shape, reply.describe());
    }
    if !reply.violations.is_empty() {
        w.fail(
            "errors come in the one error shape {response: {id, error: {status, message}}} (register S10)",
            shape,
            reply.violations.join("\n  "),
        );
    }
    let status = reply.error_status().unwrap_or(0);
    if !statuses.contains(&status) {
        w.fail(&format!("{} is refused with status {want}", reply.request), shape, reply.describe());
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

/// Fails if an event `who` received broke its schema.
fn check_inbox(w: &ChatWorld, who: &str) {
    let violations = socket(w, who).inbox.violations();
    if !violations.is_empty() {
        w.fail(
            "every event matches its schema",
            "events valid against the committed schemas",
            violations.join("\n  "),
        );
    }
}

/// Waits for an event to `who` matching `pred`; fails with every frame seen.
pub async fn expect_frame(
    w: &ChatWorld,
    who: &str,
    what: &str,
    pred: impl Fn(&Received) -> bool,
) -> Received {
    let timeout = w.ctx.target.wait(Duration::from_secs(5));
    let got = match socket(w, who).inbox.wait_for(timeout, pred).await {
        Ok(e) => e,
        Err(e) => w.fail(&format!("{who} receives {what}"), what, e.describe()),
    };
    check_inbox(w, who);
    got
}

/// Makes sure every event the server queued for `who` before now has arrived: any reply to
/// a request sent now comes after them.
pub async fn fence(w: &ChatWorld, who: &str) {
    let reply = socket(w, who).request("list_blocked_users", json!({})).await;
    if let Some(why) = reply.failure {
        w.fail(&format!("{who}'s socket answers requests"), "a reply to list_blocked_users", why);
    }
}

/// Fails if `who` received an event matching `pred` (checked after a fence).
pub async fn expect_no_frame(w: &ChatWorld, who: &str, what: &str, pred: impl Fn(&Received) -> bool) {
    fence(w, who).await;
    if let Some(e) = socket(w, who).inbox.pending(pred).first() {
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
pub fn fill(w: &ChatWorld, text: &str) -> Value {
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
