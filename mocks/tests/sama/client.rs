//! The SAMA mock on a real socket, and a WebSocket client of the tests: start, frames,
//! waits with timeouts, fences.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chatspec_mocks::sama::{self, Sama};
use chatspec_specs::Registry;
use chatspec_specs::sama::auth::ProvisionedUser;
use futures::{SinkExt, StreamExt, stream::SplitSink};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, tungstenite::Message};
use tokio_util::sync::CancellationToken;

/// How long any one wait may take.
pub(crate) const WAIT: Duration = Duration::from_secs(5);

pub(crate) type Sink = SplitSink<WebSocketStream<MaybeTlsStream<TcpStream>>, Message>;

pub(crate) struct Server {
    pub(crate) state: Arc<Sama>,
    pub(crate) addr: SocketAddr,
    pub(crate) http: reqwest::Client,
    pub(crate) stop: CancellationToken,
    pub(crate) task: JoinHandle<std::io::Result<()>>,
}

pub(crate) async fn start() -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = Sama::with_defaults();
    let stop = CancellationToken::new();
    let task = tokio::spawn(sama::run(state.clone(), listener, stop.clone()));
    let http = crate::tls::http_client().no_proxy().build().unwrap();
    Server { state, addr, http, stop, task }
}

/// Panics unless `instance` satisfies `sama/<name>`.
pub(crate) fn check(name: &str, instance: &Value) {
    if let Err(violations) = Registry::global().validate("sama", name, instance) {
        let text: Vec<String> = violations.iter().map(ToString::to_string).collect();
        panic!("{instance} breaks {name}:\n{}", text.join("\n"));
    }
}

/// The schema an event frame's body must satisfy.
pub(crate) fn event_schema(key: &str, body: &Value) -> String {
    match key {
        "message" if body["x"].get("user").is_some() => "event.participant_message".into(),
        "system_message" => ["conversation_created", "conversation_updated", "conversation_kicked"]
            .into_iter()
            .find(|k| body["x"].get(*k).is_some())
            .map_or("event.system_message".into(), |k| format!("event.{k}")),
        "response" => "error".into(),
        other => format!("event.{other}"),
    }
}

impl Server {
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub(crate) async fn provision(&self, name: &str) -> ProvisionedUser {
        let resp =
            self.http.post(self.url("/_mock/users")).json(&json!({"name": name})).send().await.unwrap();
        assert_eq!(resp.status(), 201);
        resp.json().await.unwrap()
    }

    pub(crate) async fn outbox(&self) -> Vec<Value> {
        let v: Value = self.http.get(self.url("/_mock/outbox")).send().await.unwrap().json().await.unwrap();
        v["outbox"].as_array().unwrap().clone()
    }

    /// A socket on `path`, not linked to anyone yet.
    pub(crate) async fn socket_at(&self, path: &str) -> Client {
        let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{}{path}", self.addr)).await.unwrap();
        let (sink, mut stream) = ws.split();
        let (tx, rx) = mpsc::unbounded_channel();
        let reader = tokio::spawn(async move {
            while let Some(Ok(msg)) = stream.next().await {
                let item = match msg {
                    Message::Text(text) => Inbound::Frame(serde_json::from_str(&text).unwrap()),
                    Message::Close(frame) => Inbound::Closed(frame.map(|f| u16::from(f.code))),
                    _ => continue,
                };
                if tx.send(item).is_err() {
                    break;
                }
            }
        });
        Client { sink: Some(sink), rx, backlog: VecDeque::new(), reader, next_id: 0 }
    }

    pub(crate) async fn socket(&self) -> Client {
        self.socket_at("/").await
    }

    /// A socket linked to `user`'s provisioned device.
    pub(crate) async fn connected(&self, user: &ProvisionedUser) -> Client {
        let mut c = self.socket().await;
        c.connect(&user.access_token, &user.device_id).await;
        c
    }

    /// `POST /login` with a password on another device; returns the access token.
    pub(crate) async fn login_device(&self, user: &ProvisionedUser, device: &str) -> String {
        let resp = self
            .http
            .post(self.url("/login"))
            .json(&json!({"login": user.login, "password": user.password, "device_id": device}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let body: Value = resp.json().await.unwrap();
        check("response.login", &body);
        body["access_token"].as_str().unwrap().to_owned()
    }
}

#[derive(Debug)]
pub(crate) enum Inbound {
    Frame(Value),
    Closed(Option<u16>),
}

pub(crate) struct Client {
    pub(crate) sink: Option<Sink>,
    pub(crate) rx: mpsc::UnboundedReceiver<Inbound>,
    /// Frames read while waiting for something else.
    pub(crate) backlog: VecDeque<Value>,
    pub(crate) reader: JoinHandle<()>,
    pub(crate) next_id: u64,
}

impl Client {
    pub(crate) async fn send_message(&mut self, msg: Message) {
        self.sink.as_mut().unwrap().send(msg).await.unwrap();
    }

    pub(crate) async fn send(&mut self, frame: Value) {
        self.send_message(Message::text(frame.to_string())).await;
    }

    /// Waits for the first frame `pick` accepts, keeping the others for later.
    pub(crate) async fn wait_for(&mut self, what: &str, pick: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&pick) {
            return self.backlog.remove(i).unwrap();
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, self.rx.recv()).await {
                Ok(Some(Inbound::Frame(v))) if pick(&v) => return v,
                Ok(Some(Inbound::Frame(v))) => self.backlog.push_back(v),
                Ok(Some(Inbound::Closed(code))) => {
                    panic!("closed ({code:?}) waiting for {what}; saw {:?}", self.backlog)
                }
                Ok(None) => panic!("socket gone waiting for {what}; saw {:?}", self.backlog),
                Err(_) => panic!("no {what} within {WAIT:?}; saw {:?}", self.backlog),
            }
        }
    }

    /// Waits for an event `{ <key>: body }`; returns the body, checked against its schema.
    pub(crate) async fn event(&mut self, key: &str) -> Value {
        let frame = self.wait_for(&format!("a {key} event"), |f| f.get(key).is_some()).await;
        let body = frame[key].clone();
        check(&event_schema(key, &body), &body);
        body
    }

    /// Sends a request; returns the object under `response`, checked against its schema.
    pub(crate) async fn request(&mut self, name: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = format!("{name}-{}", self.next_id);
        self.send(json!({"request": {name: params, "id": id}})).await;
        let frame =
            self.wait_for(&format!("the reply to {id}"), |f| f["response"]["id"] == id.as_str()).await;
        let response = frame["response"].clone();
        let schema =
            if response.get("error").is_some() { "error".to_owned() } else { format!("response.{name}") };
        check(&schema, &response);
        response
    }

    pub(crate) async fn connect(&mut self, token: &str, device: &str) {
        let reply = self.request("connect", json!({"token": token, "device_id": device})).await;
        assert_eq!(reply["success"], true, "{reply}");
    }

    /// Sends a `message`; returns the `ack`.
    pub(crate) async fn post(&mut self, cid: &str, body: &str) -> Value {
        self.next_id += 1;
        let mid = format!("mid-{}", self.next_id);
        self.send(json!({"message": {"id": mid, "cid": cid, "body": body}})).await;
        let frame = self
            .wait_for(&format!("the ack of {mid}"), |f| {
                f["ack"]["mid"] == mid.as_str() || f["response"]["id"] == mid.as_str()
            })
            .await;
        let ack = frame.get("ack").unwrap_or_else(|| panic!("{mid} failed: {frame}")).clone();
        check("event.ack", &ack);
        ack
    }

    /// Asserts no `key` event came: the server answers a fence request after delivering
    /// anything queued for this socket before it.
    pub(crate) async fn assert_no(&mut self, key: &str) {
        self.request("list_blocked_users", json!({})).await;
        let seen: Vec<&Value> = self.backlog.iter().filter(|f| f.get(key).is_some()).collect();
        assert!(seen.is_empty(), "unexpected {key}: {seen:?}");
    }

    /// Drops the connection without a closing handshake.
    pub(crate) fn vanish(mut self) {
        self.sink.take();
        self.reader.abort();
    }

    /// Waits until the server closes the socket; returns the close code.
    pub(crate) async fn closed(&mut self) -> Option<u16> {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, self.rx.recv()).await {
                Ok(Some(Inbound::Closed(code))) => return code,
                Ok(None) => return None,
                Ok(Some(Inbound::Frame(v))) => self.backlog.push_back(v),
                Err(_) => panic!("the socket stayed open"),
            }
        }
    }
}

pub(crate) async fn group(c: &mut Client, name: &str, others: &[&str]) -> String {
    let reply =
        c.request("conversation_create", json!({"type": "g", "name": name, "participants": others})).await;
    reply["conversation"]["_id"].as_str().unwrap().to_owned()
}
