//! Black-box tests of the SAMA mock's compatibility switches (`--compat`): for each switch,
//! the same request to the reference mock and to a mock with the switch on, both on
//! `127.0.0.1:0`, showing what the public SAMA server 0.36 does differently; then the
//! preset with a client written for that server. Frames are written as the document writes
//! them, the request's name before its id.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod auth;
mod conversations;
mod frames;
mod messages;
mod other;
mod preset;
#[path = "../common/tls.rs"]
mod tls;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chatspec_mocks::kit::Clock;
use chatspec_mocks::sama::{self, Config, Sama, Switch};
use chatspec_specs::sama::auth::ProvisionedUser;
use futures::{SinkExt, StreamExt, stream::SplitSink};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, tungstenite::Message};
use tokio_util::sync::CancellationToken;

/// How long any one wait may take.
const WAIT: Duration = Duration::from_secs(5);

type Sink = SplitSink<WebSocketStream<MaybeTlsStream<TcpStream>>, Message>;

/// A mock on port 0, stopped when dropped.
pub struct Server {
    pub state: Arc<Sama>,
    pub addr: SocketAddr,
    pub http: reqwest::Client,
    stop: CancellationToken,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// A mock with `switches` on (none: the reference mock).
pub async fn start(switches: &[Switch]) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = Sama::new(Config::with_compat(switches.iter().copied().collect()), Clock::system());
    let stop = CancellationToken::new();
    tokio::spawn(sama::run(state.clone(), listener, stop.clone()));
    let http = tls::http_client().no_proxy().build().unwrap();
    Server { state, addr, http, stop }
}

/// The reference mock and one with `switch` on.
pub async fn pair(switch: Switch) -> (Server, Server) {
    (start(&[]).await, start(&[switch]).await)
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A user from the admin API, logged in on a device of its own.
    pub async fn provision(&self, name: &str) -> ProvisionedUser {
        let resp =
            self.http.post(self.url("/_mock/users")).json(&json!({"name": name})).send().await.unwrap();
        assert_eq!(resp.status(), 201);
        resp.json().await.unwrap()
    }

    /// `POST /login` with `body` (and `headers`); the status, the content type and the body.
    pub async fn login(&self, body: Value, headers: &[(&str, &str)]) -> (u16, String, String) {
        let mut req = self.http.post(self.url("/login")).json(&body);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let ct =
            resp.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        (status, ct, resp.text().await.unwrap())
    }

    /// A socket not linked to anyone yet.
    pub async fn socket(&self) -> Client {
        let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{}/", self.addr)).await.unwrap();
        let (sink, mut stream) = ws.split();
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Some(Ok(msg)) = stream.next().await {
                if let Message::Text(text) = msg
                    && tx.send(serde_json::from_str::<Value>(&text).unwrap()).is_err()
                {
                    break;
                }
            }
        });
        Client { sink, rx, backlog: VecDeque::new(), next_id: 0 }
    }

    /// A socket linked to `user`'s provisioned device.
    pub async fn connected(&self, user: &ProvisionedUser) -> Client {
        let mut c = self.socket().await;
        let reply =
            c.request("connect", json!({"token": user.access_token, "device_id": user.device_id})).await;
        assert_eq!(reply["success"], true, "{reply}");
        c
    }
}

/// One WebSocket client: frames read while waiting for another are kept for later.
pub struct Client {
    sink: Sink,
    rx: mpsc::UnboundedReceiver<Value>,
    backlog: VecDeque<Value>,
    next_id: u64,
}

impl Client {
    /// Closes the socket with a Close frame.
    pub async fn close(mut self) {
        self.sink.close().await.unwrap();
    }

    /// Sends one text frame as written.
    pub async fn send_text(&mut self, text: String) {
        self.sink.send(Message::text(text)).await.unwrap();
    }

    pub async fn send(&mut self, frame: Value) {
        self.send_text(frame.to_string()).await;
    }

    /// Waits for the first frame `pick` accepts.
    pub async fn wait_for(&mut self, what: &str, pick: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&pick) {
            return self.backlog.remove(i).unwrap();
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, self.rx.recv()).await {
                Ok(Some(v)) if pick(&v) => return v,
                Ok(Some(v)) => self.backlog.push_back(v),
                Ok(None) => panic!("socket gone waiting for {what}; saw {:?}", self.backlog),
                Err(_) => panic!("no {what} within {WAIT:?}; saw {:?}", self.backlog),
            }
        }
    }

    /// Sends `{"request": {"<name>": params, "id": "<name>-n"}}`, the name first as the
    /// document writes it; returns the whole reply frame.
    pub async fn request_frame(&mut self, name: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = format!("{name}-{}", self.next_id);
        self.send_text(format!(r#"{{"request": {{"{name}": {params}, "id": "{id}"}}}}"#)).await;
        self.wait_for(&format!("the reply to {id}"), |f| f["response"]["id"] == id.as_str()).await
    }

    /// A request's reply: the object under `response`.
    pub async fn request(&mut self, name: &str, params: Value) -> Value {
        self.request_frame(name, params).await["response"].clone()
    }

    /// Sends a `message`; returns the frame that answered it (`ack`, `ask` or an error).
    pub async fn post(&mut self, cid: &str, body: &str) -> Value {
        self.next_id += 1;
        let mid = format!("mid-{}", self.next_id);
        self.send(json!({"message": {"id": mid, "cid": cid, "body": body}})).await;
        self.wait_for(&format!("the answer to {mid}"), |f| {
            ["ack", "ask"].iter().any(|k| f[*k]["mid"] == mid.as_str())
                || f["response"]["id"] == mid.as_str()
                || f["message"].get("error").is_some()
        })
        .await
    }

    /// Waits for an event `{ <key>: body }`; returns the body.
    pub async fn event(&mut self, key: &str) -> Value {
        self.wait_for(&format!("a {key} event"), |f| f.get(key).is_some()).await[key].clone()
    }

    /// The `key` events that came before the reply to a fence request (the server answers
    /// it after anything queued for this socket before).
    pub async fn events_so_far(&mut self, key: &str) -> Vec<Value> {
        self.request("list_blocked_users", json!({})).await;
        let (hits, rest): (Vec<Value>, Vec<Value>) =
            self.backlog.drain(..).partition(|f| f.get(key).is_some());
        self.backlog.extend(rest);
        hits.into_iter().map(|f| f[key].clone()).collect()
    }
}

/// A group conversation made by `c` with `others`; its id.
pub async fn group(c: &mut Client, name: &str, others: &[&str]) -> String {
    let reply =
        c.request("conversation_create", json!({"type": "g", "name": name, "participants": others})).await;
    reply["conversation"]["_id"].as_str().unwrap_or_else(|| panic!("{reply}")).to_owned()
}

#[test]
fn every_switch_has_a_black_box_test() {
    let sources = [
        include_str!("auth.rs"),
        include_str!("conversations.rs"),
        include_str!("frames.rs"),
        include_str!("messages.rs"),
        include_str!("other.rs"),
    ]
    .concat();
    for s in Switch::ALL {
        // A switch added without a test would leave its behaviour unshown.
        assert!(
            sources.contains(&format!("pair(Switch::{s:?})")),
            "no test compares {} with the default",
            s.name()
        );
    }
}
