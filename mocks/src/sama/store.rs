//! The SAMA store: all state and every rule, with no I/O (seed 003).
//!
//! A socket frame goes in as `(now, connection, text)`; what it causes comes out of
//! [`Store::take_outgoing`] as frames addressed to connections, in order, the reply to the
//! sender first. The transport owns the sockets; the store knows which user and device each
//! connection is linked to, so every delivery rule ("online participants", carbons, the op
//! log for offline users) lives here.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chatspec_specs::sama::{
    Request, Transport,
    envelope::{RequestId, Status, SuccessReply},
    push::PushEvent,
    times::Timestamp,
    users,
};
use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;
use time::macros::format_description;

use super::compat::{Compat, Switch, decode_first_key};
use super::error::{Cause, SamaError, fail};
use super::frames::{self, Packet, params};

/// A socket, as the transport numbers them.
pub type ConnId = u64;

/// Milliseconds since the epoch.
pub type Millis = i64;

/// How the mock behaves where the document leaves a choice open.
#[derive(Clone, Debug)]
pub struct Config {
    /// How long an access token lives (the seed does not say; NOTES.md S5).
    pub access_ttl_ms: Millis,
    /// How long a refresh token lives.
    pub refresh_ttl_ms: Millis,
    /// The base URL file links are built on.
    pub public_base: String,
    /// Rules to break on purpose (honoured only with the `breakage` feature).
    pub breakage: BTreeSet<super::breakage::Breakage>,
    /// The public SAMA server's behaviours and deviations to reproduce (`--compat`; none by
    /// default).
    pub compat: Compat,
}

impl Config {
    /// The default configuration with the switches `compat` on.
    pub fn with_compat(compat: Compat) -> Config {
        Config { compat, ..Config::default() }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            access_ttl_ms: 60 * 60 * 1000,
            refresh_ttl_ms: 30 * 24 * 60 * 60 * 1000,
            public_base: "http://localhost".into(),
            breakage: BTreeSet::new(),
            compat: Compat::new(),
        }
    }
}

/// Longest list of ids `contact_list` and `user_last_activity` take.
pub const MAX_IDS: usize = 10;

/// The page size lists default to and are capped at.
pub const MAX_LIMIT: u64 = 100;

/// Something for the transport to do, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Outgoing {
    /// Send `body` as one text frame to each connection in `to`.
    Frame {
        /// The sockets it goes to.
        to: Vec<ConnId>,
        /// The frame's JSON (a `response`, `message`, `message_*` or `event` object).
        body: Value,
    },
    /// Send `bodies` in order to `to`, the socket that brought its user back: what was
    /// logged while the user was offline, handed over at `connect` as one entry of the
    /// socket's queue, so a long absence is not taken for a slow reader (NOTES.md S65).
    Backlog {
        /// The socket that connected.
        to: ConnId,
        /// The frames' JSON, oldest first.
        bodies: Vec<Value>,
    },
    /// Close the connection (its device was linked from a newer socket).
    Close(ConnId),
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct User {
    pub id: String,
    pub login: String,
    #[serde(skip)]
    pub password: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub created_at: Millis,
    pub updated_at: Millis,
    /// Seconds: when the user's last device went offline (or sign-up).
    pub recent_activity: i64,
    /// The organization given at sign-up (`sign_up_needs_organization`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
}

impl User {
    /// "Ivan Ivanovich": first and last name, or the login.
    pub fn display_name(&self) -> String {
        let parts: Vec<&str> = [&self.first_name, &self.last_name]
            .into_iter()
            .filter_map(|p| p.as_deref().map(str::trim).filter(|p| !p.is_empty()))
            .collect();
        if parts.is_empty() { self.login.clone() } else { parts.join(" ") }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub(crate) enum TokenKind {
    Access,
    Refresh,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Token {
    pub user: String,
    pub device: String,
    pub kind: TokenKind,
    pub expires: Millis,
}

/// One open socket: the user and device it is linked to, and whose activity it watches.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct Conn {
    /// `http://<Host>` of the upgrade request, when it had a usable `Host`.
    #[serde(skip)]
    pub base: Option<String>,
    pub user: Option<String>,
    pub device: Option<String>,
    pub watching: BTreeSet<String>,
}

/// One push notification "sent" to a user, as `GET /_mock/outbox` lists it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OutboxEntry {
    /// `push` for a message to an offline participant, `push_event` for `push_event_create`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The recipient's user id.
    pub to: String,
    /// The payload.
    pub notification: Value,
    /// The `device_udid`s of the recipient's push subscriptions (possibly none).
    pub subscriptions: Vec<String>,
    /// When it was sent, on the mock clock, as the ISO 8601 time SAMA records carry.
    pub created_at: Timestamp,
}

/// The context of one request: when, on which socket, its id, and who sent it (empty
/// before `connect`).
pub(crate) struct Ctx {
    pub now: Millis,
    pub conn: ConnId,
    pub id: RequestId,
    pub me: String,
}

/// What the dispatch hands a handler ([`Handle`](chatspec_specs::endpoint::Handle)): the call's
/// context, the request's name and its raw parameters.
pub(crate) struct Call<'a> {
    pub cx: &'a Ctx,
    pub name: &'static str,
    pub p: Value,
}

impl Call<'_> {
    /// The parameters as the handler's type, naming the offending field on failure.
    pub fn params<T: serde::de::DeserializeOwned>(self) -> Result<T, SamaError> {
        params(self.name, self.p)
    }

    /// The `organization_id` a request brings, trimmed, when not empty.
    pub fn organization_id(&self) -> Option<String> {
        super::compat::text_field(&self.p, "organization_id")
    }
}

/// What a handler answers: the reply, or `None` when there is none (`typing`).
pub(crate) type Served = Result<Option<Value>, SamaError>;

impl Ctx {
    /// `now` in seconds, for `t` fields.
    pub fn secs(&self) -> i64 {
        self.now.div_euclid(1000)
    }

    /// `{ id, success: true }`.
    pub fn success(&self) -> Value {
        frames::to_value(&SuccessReply { id: self.id.clone(), success: true })
    }
}

/// All SAMA state.
#[derive(Debug, Default, Serialize)]
pub struct Store {
    #[serde(skip)]
    pub(crate) config: Config,
    /// The last time handed out: every request gets a later one (NOTES.md S13).
    pub(crate) last_ms: Millis,
    pub(crate) id_counter: u64,
    #[serde(skip)]
    pub(crate) token_counter: u64,
    /// The key JWT access tokens are signed with (`jwt_access_tokens`).
    #[serde(skip)]
    pub(crate) jwt_secret: [u8; 32],
    pub(crate) users: BTreeMap<String, User>,
    #[serde(skip)]
    pub(crate) logins: HashMap<String, String>,
    #[serde(skip)]
    pub(crate) tokens: HashMap<String, Token>,
    /// `(user, device)` to its current access token.
    #[serde(skip)]
    pub(crate) device_access: HashMap<(String, String), String>,
    pub(crate) conns: BTreeMap<ConnId, Conn>,
    /// The base URL of the request being handled, from the `Host` its socket was opened
    /// with: file URLs are built on it, so they work behind a port mapping or a proxy.
    #[serde(skip)]
    pub(crate) serving_base: Option<String>,
    /// Linked connections by user.
    #[serde(skip)]
    pub(crate) user_conns: HashMap<String, BTreeSet<ConnId>>,
    /// `(user, device)` to its linked connections (a device may have several, S7).
    #[serde(skip)]
    pub(crate) device_conn: HashMap<(String, String), BTreeSet<ConnId>>,
    /// Connections watching a user's activity, by watched user.
    #[serde(skip)]
    pub(crate) watchers: HashMap<String, BTreeSet<ConnId>>,
    pub(crate) contacts: BTreeMap<String, super::contacts::Contact>,
    pub(crate) convs: BTreeMap<String, super::conversations::Conv>,
    pub(crate) messages: BTreeMap<String, super::messages::Msg>,
    pub(crate) push_subs: BTreeMap<String, super::push::PushSub>,
    pub(crate) push_events: BTreeMap<String, PushEvent>,
    pub(crate) files: BTreeMap<String, super::files::FileRec>,
    pub(crate) oplog: BTreeMap<u64, super::offline::OpLogRec>,
    /// Op log entries to deliver when their user next comes online.
    pub(crate) pending: BTreeMap<String, Vec<u64>>,
    /// Events to deliver when their user next comes online that the op log does not keep
    /// (`op_log_skips_edits`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) pending_unlogged: BTreeMap<String, Vec<Value>>,
    /// Blocked user ids by blocker, in the order blocked.
    pub(crate) blocks: BTreeMap<String, Vec<String>>,
    pub(crate) outbox: Vec<OutboxEntry>,
    #[serde(skip)]
    pub(crate) outgoing: Vec<Outgoing>,
}

impl Store {
    /// An empty store.
    pub fn new(config: Config) -> Store {
        use rand::Rng;
        Store { config, jwt_secret: rand::rng().random(), ..Store::default() }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Sets the base URL file links are built on.
    pub fn set_public_base(&mut self, base: String) {
        self.config.public_base = base;
    }

    /// Empties all state, keeping the configuration. Connections are forgotten: the
    /// transport closes their sockets.
    pub fn reset(&mut self) {
        *self = Store::new(self.config.clone());
    }

    /// What happened since the last call, in order.
    pub fn take_outgoing(&mut self) -> Vec<Outgoing> {
        std::mem::take(&mut self.outgoing)
    }

    /// The push notifications recorded so far, oldest first.
    pub fn outbox(&self) -> &[OutboxEntry] {
        &self.outbox
    }

    /// A time for this request: the clock's, or just after the previous request's.
    pub(crate) fn tick(&mut self, now: OffsetDateTime) -> Millis {
        let ms = i64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX);
        self.last_ms = ms.max(self.last_ms.saturating_add(1));
        self.last_ms
    }

    /// A fresh ObjectId-like id: 24 hex digits from a counter.
    pub(crate) fn new_id(&mut self) -> String {
        self.id_counter += 1;
        format!("6650{:020x}", self.id_counter)
    }

    /// A fresh unguessable token.
    pub(crate) fn new_token(&mut self, prefix: &str) -> String {
        use rand::Rng;
        self.token_counter += 1;
        let noise: u128 = rand::rng().random();
        format!("{prefix}{:x}{noise:032x}", self.token_counter)
    }

    // ---- frames in ----------------------------------------------------------------------

    /// Reads one text frame from `conn` and applies it. A socket the store does not know
    /// (closed, or from before a reset) is ignored.
    pub fn handle(&mut self, now: OffsetDateTime, conn: ConnId, text: &str) {
        if !self.conns.contains_key(&conn) {
            return;
        }
        let now = self.tick(now);
        let mark = self.outgoing.len();
        let decoded = if self.config.on(Switch::RoutesOnFirstKey) {
            decode_first_key(text)
        } else {
            frames::decode(text)
        };
        if self.config.broken(super::breakage::Breakage::DropOnMessageRead)
            && matches!(&decoded, Ok(Packet::Request { name, .. }) if name == "message_read")
        {
            self.outgoing.push(Outgoing::Close(conn));
            return;
        }
        let reply = match decoded {
            Err((id, e)) => Some(self.error_frame(None, id, &e)),
            Ok(Packet::Request { id, name, params }) => {
                Some(match self.request(now, conn, &id, &name, params) {
                    Ok(reply) => frames::response(reply),
                    Err(e) => self.error_frame(None, Some(id), &e),
                })
            }
            Ok(Packet::Top { kind, id, params }) => match self.packet(now, conn, kind, id.clone(), params) {
                Ok(reply) => reply,
                Err(e) => Some(self.error_frame(Some(kind), id, &e)),
            },
        };
        // The reply goes before the events its request caused (on its own socket, only
        // the op log deliveries after `connect` follow it).
        if let Some(body) = reply {
            self.outgoing.insert(mark, Outgoing::Frame { to: vec![conn], body });
        }
    }

    /// A binary frame: the protocol is JSON text.
    pub fn handle_binary(&mut self, conn: ConnId) {
        if self.conns.contains_key(&conn) {
            let e = SamaError::new(Status::Unprocessable, "frames are JSON text; a binary frame is not read")
                .because(Cause::Malformed);
            let frame = self.error_frame(None, None, &e);
            self.push_frame(vec![conn], frame);
        }
    }

    fn request(
        &mut self,
        now: Millis,
        conn: ConnId,
        id: &RequestId,
        name: &str,
        p: Value,
    ) -> Result<Value, SamaError> {
        // Only socket requests reach here (`frames::decode`); any other name needs a session
        // and is then refused as unknown, as a packet's name is.
        let request = Request::from_name(name).filter(|r| matches!(r.meta().transport, Transport::Request));
        let me = self.linked_user(conn);
        if request.is_none_or(|r| r.meta().session) && me.is_none() {
            return Err(no_session(name));
        }
        let Some(request) = request else {
            return fail(Status::Unprocessable, format!("unknown request {name:?}"));
        };
        self.compat_checks(name, &p)?;
        let cx = Ctx { now, conn, id: id.clone(), me: me.unwrap_or_default() };
        self.serve(&cx, request, p)?
            .ok_or_else(|| SamaError::new(Status::Unprocessable, format!("unknown request {name:?}")))
    }

    /// A top-level packet; `Ok(None)` when it has no reply (`typing`).
    fn packet(
        &mut self,
        now: Millis,
        conn: ConnId,
        kind: &str,
        id: Option<RequestId>,
        p: Value,
    ) -> Result<Option<Value>, SamaError> {
        let Some(me) = self.linked_user(conn) else {
            return Err(no_session(kind));
        };
        let Some(request) =
            Request::from_name(kind).filter(|r| matches!(r.meta().transport, Transport::Packet))
        else {
            return fail(Status::Unprocessable, format!("unknown packet {kind:?}"));
        };
        self.compat_checks(kind, &p)?;
        let cx = Ctx { now, conn, id: id.unwrap_or(RequestId::Text(String::new())), me };
        self.serve(&cx, request, p)
    }

    /// Serves one request or packet of the declared list: its
    /// [`Handle`](chatspec_specs::endpoint::Handle) impl, in the area file of the endpoint
    /// (`endpoints!` in specs makes the dispatch, so a new endpoint does not build until it
    /// has one). `Ok(None)`: no reply (`typing`).
    fn serve(&mut self, cx: &Ctx, request: Request, p: Value) -> Served {
        request.dispatch(self, Call { cx, name: request.name(), p })
    }

    // ---- frames out ---------------------------------------------------------------------

    /// The user `conn` is linked to.
    pub(crate) fn linked_user(&self, conn: ConnId) -> Option<String> {
        self.conns.get(&conn).and_then(|c| c.user.clone())
    }

    /// Whether one of `user`'s devices has a linked socket.
    pub(crate) fn online(&self, user: &str) -> bool {
        self.user_conns.get(user).is_some_and(|c| !c.is_empty())
    }

    /// Queues `body` for `to` (nothing when empty).
    pub(crate) fn push_frame(&mut self, to: Vec<ConnId>, body: Value) {
        if !to.is_empty() {
            self.outgoing.push(Outgoing::Frame { to, body });
        }
    }

    /// Queues `body` for every linked socket of `users` but `except` (the acting one).
    pub(crate) fn emit(&mut self, users: &[String], except: ConnId, body: Value) {
        let mut to: Vec<ConnId> = Vec::new();
        for user in users {
            if let Some(conns) = self.user_conns.get(user) {
                to.extend(conns.iter().copied().filter(|c| *c != except));
            }
        }
        to.sort_unstable();
        to.dedup();
        self.push_frame(to, body);
    }

    // ---- views and lookups shared by every area ------------------------------------------

    pub(crate) fn user_view(&self, u: &User) -> users::User {
        users::User {
            id: u.id.clone(),
            // The seed's only example has it equal to `_id` (S62).
            native_id: Some(u.id.clone()),
            login: u.login.clone(),
            first_name: u.first_name.clone(),
            last_name: u.last_name.clone(),
            email: u.email.clone(),
            phone: u.phone.clone(),
            recent_activity: Some(u.recent_activity),
            created_at: iso(u.created_at),
            updated_at: iso(u.updated_at),
        }
    }

    /// The user `id`, or 404.
    pub(crate) fn user(&self, id: &str) -> Result<&User, SamaError> {
        match self.users.get(id) {
            Some(u) => Ok(u),
            None => fail(Status::NotFound, format!("no user {id:?}")),
        }
    }

    /// 404 naming every id in `ids` that is not a user.
    pub(crate) fn check_users_exist<'a>(
        &self,
        ids: impl IntoIterator<Item = &'a String>,
    ) -> Result<(), SamaError> {
        let missing: Vec<&String> = ids.into_iter().filter(|id| !self.users.contains_key(*id)).collect();
        if missing.is_empty() {
            Ok(())
        } else {
            fail(Status::NotFound, format!("no such users: {missing:?}"))
        }
    }

    /// The download URL of file `id`.
    pub(crate) fn file_url(&self, id: &str) -> String {
        let base = self.serving_base.as_deref().unwrap_or(&self.config.public_base);
        format!("{}/files/{id}", base.trim_end_matches('/'))
    }
}

/// 401: `what` needs a linked socket.
fn no_session(what: &str) -> SamaError {
    SamaError::new(
        Status::Unauthorized,
        format!("{what} needs a connected socket: POST /login, then send connect {{token, device_id}}"),
    )
    .because(Cause::NoSession)
}

/// A record date: `2022-10-13T13:11:04.447Z`.
pub(crate) fn iso(ms: Millis) -> Timestamp {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    let t = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    Timestamp(t.format(format).unwrap_or_else(|_| ms.to_string()))
}

/// Drops duplicates, keeping the first of each.
pub(crate) fn dedup(ids: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    ids.into_iter().filter(|id| seen.insert(id.clone())).collect()
}

/// A `limit` parameter: default and cap [`MAX_LIMIT`].
pub(crate) fn limit(requested: Option<u64>) -> usize {
    let n = requested.filter(|n| *n > 0).unwrap_or(MAX_LIMIT).min(MAX_LIMIT);
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// An empty `x` is no `x`.
pub(crate) fn nonempty(x: Option<BTreeMap<String, Value>>) -> Option<BTreeMap<String, Value>> {
    x.filter(|m| !m.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn every_request_gets_a_later_time() {
        let mut store = Store::default();
        let t = datetime!(2026-01-02 03:04:05.678 UTC);
        let a = store.tick(t);
        let b = store.tick(t);
        assert_eq!(a, 1_767_323_045_678);
        assert_eq!(b, a + 1);
        assert_eq!(iso(a).0, "2026-01-02T03:04:05.678Z");
    }

    #[test]
    fn ids_look_like_object_ids() {
        let mut store = Store::default();
        let a = store.new_id();
        assert_eq!(a.len(), 24);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, store.new_id());
    }

    #[test]
    fn limits_default_to_and_stop_at_one_hundred() {
        assert_eq!(limit(None), 100);
        assert_eq!(limit(Some(0)), 100);
        assert_eq!(limit(Some(7)), 7);
        assert_eq!(limit(Some(1000)), 100);
    }
}
