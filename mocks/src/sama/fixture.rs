//! A test fixture for the store's unit tests: sockets as numbers, frames in, what each socket
//! received collected per socket, on a fixed clock.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use chatspec_specs::Registry;
use chatspec_specs::sama::auth::{LoginBody, ProvisionedUser};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::datetime;

use super::auth::HttpLogin;
use super::store::{Config, ConnId, Outgoing, Store};

pub(crate) struct Fixture {
    pub store: Store,
    pub now: OffsetDateTime,
    /// Frames received and not yet looked at, by socket.
    pub inbox: BTreeMap<ConnId, Vec<Value>>,
    /// Sockets the store asked to close.
    pub closed: Vec<ConnId>,
    next_conn: ConnId,
    next_request: u64,
    /// Whether frames are checked against the schemas (not with the public server's
    /// switches on, whose shapes differ on purpose).
    schemas: bool,
}

impl Fixture {
    pub fn new() -> Fixture {
        Fixture {
            store: Store::new(Config::default()),
            now: datetime!(2026-03-01 12:00:00 UTC),
            inbox: BTreeMap::new(),
            closed: Vec::new(),
            next_conn: 0,
            next_request: 0,
            schemas: true,
        }
    }

    /// A fixture whose store reproduces the public server's switches `compat`.
    pub fn with_compat(compat: &[super::compat::Switch]) -> Fixture {
        let config = Config::with_compat(compat.iter().copied().collect());
        Fixture { store: Store::new(config), schemas: compat.is_empty(), ..Fixture::new() }
    }

    pub fn advance(&mut self, seconds: i64) {
        self.now += time::Duration::seconds(seconds);
    }

    /// Collects what the store sent, each frame checked against its schema; returns the
    /// frames for `conn` apart.
    fn pump(&mut self, conn: Option<ConnId>) -> Vec<Value> {
        let mut mine = Vec::new();
        for out in self.store.take_outgoing() {
            match out {
                Outgoing::Frame { to, body } => {
                    if self.schemas {
                        check_event(&body);
                    }
                    for c in to {
                        if Some(c) == conn {
                            mine.push(body.clone());
                        } else {
                            self.inbox.entry(c).or_default().push(body.clone());
                        }
                    }
                }
                Outgoing::Backlog { to, bodies } => {
                    for body in bodies {
                        if self.schemas {
                            check_event(&body);
                        }
                        if Some(to) == conn {
                            mine.push(body);
                        } else {
                            self.inbox.entry(to).or_default().push(body);
                        }
                    }
                }
                Outgoing::Close(c) => self.closed.push(c),
            }
        }
        mine
    }

    pub fn provision(&mut self, name: &str) -> ProvisionedUser {
        self.store.provision(self.now, name, None).unwrap()
    }

    /// A user with exactly this login; returns its id and password.
    pub fn user_with_password(&mut self, login: &str) -> (String, String) {
        let password = format!("{login}-secret");
        let now = self.store.tick(self.now);
        let id = self.store.add_user(now, login, &password, Default::default()).unwrap();
        (id, password)
    }

    pub fn open(&mut self) -> ConnId {
        self.next_conn += 1;
        self.store.open(self.next_conn);
        self.next_conn
    }

    pub fn close(&mut self, conn: ConnId) {
        self.store.close(self.now, conn);
        self.pump(None);
    }

    /// Sends one frame; returns every frame it caused on the same socket.
    pub fn send_silent(&mut self, conn: ConnId, frame: Value) -> Vec<Value> {
        self.store.handle(self.now, conn, &frame.to_string());
        let mine = self.pump(Some(conn));
        // Anything after the reply (op log deliveries) waits in the inbox like other events.
        if mine.len() > 1 {
            self.inbox.entry(conn).or_default().extend(mine[1..].iter().cloned());
        }
        mine.into_iter().take(1).collect()
    }

    /// Sends one frame; returns the reply on the same socket.
    pub fn send(&mut self, conn: ConnId, frame: Value) -> Value {
        let mut mine = self.send_silent(conn, frame);
        assert_eq!(mine.len(), 1, "expected one reply");
        mine.remove(0)
    }

    /// Sends a request; returns the object under `response`.
    pub fn request(&mut self, conn: ConnId, name: &str, params: Value) -> Value {
        self.next_request += 1;
        let id = format!("r{}", self.next_request);
        let reply = self.send(conn, json!({"request": {name: params, "id": id}}));
        let response = reply["response"].clone();
        assert_eq!(response["id"], id.as_str(), "{reply}");
        if !self.schemas {
            return response;
        }
        let schema = match name {
            _ if response.get("error").is_some() => "error".to_owned(),
            "contacts" => "response.contact_batch_add".to_owned(),
            _ => format!("response.{name}"),
        };
        check(&schema, &response);
        response
    }

    pub fn link(&mut self, conn: ConnId, user: &ProvisionedUser) {
        let reply =
            self.request(conn, "connect", json!({"token": user.access_token, "device_id": user.device_id}));
        assert_eq!(reply["success"], true, "{reply}");
    }

    pub fn connect(&mut self, user: &ProvisionedUser) -> ConnId {
        let conn = self.open();
        self.link(conn, user);
        conn
    }

    /// Logs `user` in on another device and connects a socket for it.
    pub fn connect_device(&mut self, user: &ProvisionedUser, device: &str) -> ConnId {
        let out = self
            .store
            .http_login(
                self.now,
                HttpLogin {
                    body: LoginBody {
                        login: Some(user.login.clone()),
                        password: Some(user.password.clone()),
                        device_id: Some(device.into()),
                    },
                    ..HttpLogin::default()
                },
            )
            .unwrap();
        let conn = self.open();
        let reply =
            self.request(conn, "connect", json!({"token": out.reply.access_token, "device_id": device}));
        assert_eq!(reply["success"], true, "{reply}");
        conn
    }

    /// Creates a group conversation; returns its id.
    pub fn group(&mut self, conn: ConnId, name: &str, others: &[&String]) -> String {
        let reply = self.request(
            conn,
            "conversation_create",
            json!({"type": "g", "name": name, "participants": others}),
        );
        reply["conversation"]["_id"].as_str().unwrap_or_else(|| panic!("{reply}")).to_owned()
    }

    /// Posts a message; returns its `server_mid`.
    pub fn post(&mut self, conn: ConnId, cid: &str, body: &str) -> String {
        self.next_request += 1;
        let id = format!("m{}", self.next_request);
        let reply = self.send(conn, json!({"message": {"id": id, "cid": cid, "body": body}}));
        let ack = reply.get("ack").or_else(|| reply.get("ask")).unwrap_or_else(|| panic!("{reply}"));
        ack["server_mid"].as_str().unwrap_or_else(|| panic!("{reply}")).to_owned()
    }

    /// Forgets every frame received so far.
    pub fn drain(&mut self) {
        self.pump(None);
        self.inbox.clear();
    }

    /// Takes every frame `conn` received so far.
    pub fn all_events(&mut self, conn: ConnId) -> Vec<Value> {
        self.pump(None);
        self.inbox.remove(&conn).unwrap_or_default()
    }

    /// Takes the bodies of the `key` events `conn` received so far, leaving the others.
    pub fn events(&mut self, conn: ConnId, key: &str) -> Vec<Value> {
        self.pump(None);
        let frames = self.inbox.remove(&conn).unwrap_or_default();
        let (hits, rest): (Vec<Value>, Vec<Value>) = frames.into_iter().partition(|f| f.get(key).is_some());
        if !rest.is_empty() {
            self.inbox.insert(conn, rest);
        }
        hits.into_iter().map(|f| f[key].clone()).collect()
    }
}

/// Panics unless `instance` satisfies schema `sama/<name>`.
fn check(name: &str, instance: &Value) {
    if let Err(violations) = Registry::global().validate("sama", name, instance) {
        let text: Vec<String> = violations.iter().map(ToString::to_string).collect();
        panic!("{instance} breaks {name}:\n{}", text.join("\n"));
    }
}

/// Checks a frame a socket received against the schema of its kind.
fn check_event(frame: &Value) {
    let Some((key, body)) = frame.as_object().and_then(|o| o.iter().next()) else {
        panic!("a frame must be an object with one key: {frame}");
    };
    let name = match key.as_str() {
        // Replies are checked by `request`, which knows the request's name; errors here.
        "response" if body.get("error").is_some() => "error".to_owned(),
        "response" => return,
        "message" if body["x"].get("user").is_some() => "event.participant_message".to_owned(),
        "system_message" => ["conversation_created", "conversation_updated", "conversation_kicked"]
            .into_iter()
            .find(|k| body["x"].get(*k).is_some())
            .map_or("event.system_message".to_owned(), |k| format!("event.{k}")),
        other => format!("event.{other}"),
    };
    check(&name, body);
}
