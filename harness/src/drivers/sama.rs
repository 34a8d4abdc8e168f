//! The SAMA driver (seed 003): `POST /login` and `POST /logout` over HTTP, and a WebSocket
//! client that sends requests, matches replies by id, and files every other frame (events,
//! carbons, unmatched errors) in an [`Inbox`]. Every reply and event is validated against the
//! committed schemas on arrival and every frame goes to the scenario's wire log.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chatspec_specs::Registry;
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;

use crate::context::RunContext;
use crate::events::Inbox;
use crate::wire::WireLog;

mod http;

pub use http::{Credentials, HttpReply, login, logout};

const API: &str = "sama";

/// How long a request waits for its reply before the timeout factor.
pub const REPLY_WAIT: Duration = Duration::from_secs(5);

/// The violations of `instance` against schema `sama/<name>`, as text.
pub fn violations(name: &str, instance: &Value) -> Vec<String> {
    match Registry::global().validate(API, name, instance) {
        Ok(()) => Vec::new(),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

// ---- frames ----------------------------------------------------------------------------

/// The schema the body of an event frame `{ <key>: body }` must satisfy, if any.
pub fn event_schema(key: &str, body: &Value) -> Option<String> {
    let x = body.get("x");
    Some(match key {
        "message" if x.and_then(|x| x.get("user")).is_some() => "event.participant_message".into(),
        "system_message" => ["conversation_created", "conversation_updated", "conversation_kicked"]
            .into_iter()
            .find(|k| x.and_then(|x| x.get(*k)).is_some())
            .map_or_else(|| "event.system_message".into(), |k| format!("event.{k}")),
        // `ask` is the public server's spelling of `ack` (NOTES.md S40): same body.
        "ack" | "ask" => "event.ack".into(),
        "response" => "error".into(),
        "message" | "typing" | "message_read" | "message_delete" | "message_edit" | "last_activity" => {
            format!("event.{key}")
        }
        _ => return None,
    })
}

/// The schema a successful reply to request `name` must satisfy.
fn response_schema(name: &str) -> String {
    match name {
        // The seed's literal batch form answers like `contact_batch_add` (S21).
        "contacts" => "response.contact_batch_add".into(),
        other => format!("response.{other}"),
    }
}

/// The violations of a successful reply to request `name`. The `user_edit` example shows
/// the user's `id` where every other record has `_id`; either is accepted there (S16).
fn reply_violations(name: &str, body: &Value) -> Vec<String> {
    let schema = response_schema(name);
    if name == "user_edit"
        && let Some(user) = body.get("user").filter(|u| u.get("_id").is_none())
        && let Some(id) = user.get("id")
    {
        let mut read = body.clone();
        read["user"]["_id"] = id.clone();
        return violations(&schema, &read);
    }
    violations(&schema, body)
}

/// A reply to one request or packet.
#[derive(Clone, Debug)]
pub struct Reply {
    /// The request's name, or the packet's (`message`, `system_message`, `typing`).
    pub request: String,
    /// The id it was sent with.
    pub id: String,
    /// The reply frame's key: `response`, or `ack` (`ask`) for a packet; empty without one.
    pub key: String,
    /// The object under that key.
    pub body: Value,
    /// Why no reply came (a timeout, a dropped socket).
    pub failure: Option<String>,
    pub violations: Vec<String>,
}

impl Reply {
    /// A reply that is no error.
    pub fn is_ok(&self) -> bool {
        self.failure.is_none() && self.body.get("error").is_none()
    }

    /// The error's `status`, for an error reply.
    pub fn error_status(&self) -> Option<u64> {
        self.body.pointer("/error/status").and_then(Value::as_u64)
    }

    /// One line for failure messages.
    pub fn describe(&self) -> String {
        match &self.failure {
            Some(why) => format!("no reply to {} (id {:?}): {why}", self.request, self.id),
            None => format!("{{\"{}\": {}}}", self.key, self.body),
        }
    }
}

type Waiter = oneshot::Sender<Result<(String, Value), String>>;

#[derive(Default)]
struct Pending {
    /// Requests waiting for their reply, by id.
    waiting: HashMap<String, Waiter>,
    /// Why the socket ended, once it has.
    closed: Option<String>,
}

#[derive(Default)]
struct Shared {
    pending: Mutex<Pending>,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Marks the socket ended and fails every waiting request at once.
    fn close(&self, why: &str) {
        let waiting: Vec<Waiter> = {
            let mut p = self.lock();
            p.closed.get_or_insert_with(|| why.to_owned());
            p.waiting.drain().map(|(_, w)| w).collect()
        };
        for w in waiting {
            let _ = w.send(Err(why.to_owned()));
        }
    }
}

/// An open socket; its reader and writer stop when it is dropped.
pub struct Socket {
    /// Who it belongs to in the wire log: `Alice`, `Alice's phone`.
    pub label: String,
    /// Every frame that was not a reply to a request of this socket.
    pub inbox: Inbox,
    out: mpsc::UnboundedSender<Message>,
    shared: Arc<Shared>,
    wire: WireLog,
    wait: Duration,
    next_id: AtomicU64,
    reader: JoinHandle<()>,
    writer: JoinHandle<()>,
}

impl std::fmt::Debug for Socket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Socket").field("label", &self.label).finish()
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        // The writer sends a close frame once its queue ends; the reader goes at once.
        let _ = self.out.send(Message::Close(None));
        self.reader.abort();
    }
}

/// The key of a one-key object frame, and the body under it.
fn key_of(frame: &Value) -> Option<(&str, &Value)> {
    let obj = frame.as_object()?;
    if obj.len() != 1 {
        return None;
    }
    obj.iter().next().map(|(k, v)| (k.as_str(), v))
}

/// The id a reply frame answers: `response.id`, or the `mid` of an ack.
fn answers(frame: &Value) -> Option<String> {
    let (key, body) = key_of(frame)?;
    let id = match key {
        "response" => body.get("id")?,
        "ack" | "ask" => body.get("mid")?,
        // The public server answers a failed packet under the packet's own key (S12).
        "message" | "system_message" | "typing" if body.get("error").is_some() => body.get("id")?,
        _ => return None,
    };
    match id {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl Socket {
    /// Opens a WebSocket to the target's socket URL.
    pub async fn open(ctx: &RunContext, wire: &WireLog, label: &str) -> Result<Socket, String> {
        let url = ctx.target.sama.socket_url.clone();
        wire.push("request", Some(label), format!("WebSocket {url}"), None);
        let wait = ctx.target.wait(REPLY_WAIT);
        let (ws, _) = tokio::time::timeout(wait, tokio_tungstenite::connect_async(url.as_str()))
            .await
            .map_err(|_| format!("opening the WebSocket {url} took longer than {wait:?}"))?
            .map_err(|e| format!("cannot open the WebSocket {url}: {e}"))?;
        wire.push("response", Some(label), "WebSocket open".to_owned(), None);
        let (mut sink, mut stream) = ws.split();
        let shared = Arc::new(Shared::default());
        let inbox = Inbox::default();

        let (out, mut queue) = mpsc::unbounded_channel::<Message>();
        let writer_shared = shared.clone();
        let writer = tokio::spawn(async move {
            while let Some(msg) = queue.recv().await {
                let closing = matches!(msg, Message::Close(_));
                let sent = tokio::time::timeout(Duration::from_secs(5), sink.send(msg)).await;
                if closing {
                    break;
                }
                match sent {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => {
                        writer_shared.close(&format!("sending on the socket failed: {e}"));
                        break;
                    }
                    Err(_) => {
                        writer_shared.close("sending on the socket did not finish within 5s");
                        break;
                    }
                }
            }
        });

        let (reader_shared, sink_inbox, log, who) =
            (shared.clone(), inbox.clone(), wire.clone(), label.to_owned());
        let reader = tokio::spawn(async move {
            let why = loop {
                match stream.next().await {
                    Some(Ok(Message::Text(text))) => on_frame(&reader_shared, &sink_inbox, &log, &who, &text),
                    Some(Ok(Message::Binary(b))) => {
                        let text = String::from_utf8_lossy(&b).into_owned();
                        log.push("event", Some(&who), "binary frame", Some(Value::String(text.clone())));
                        sink_inbox.push(
                            log.elapsed_ms(),
                            "binary".into(),
                            Value::String(text),
                            vec!["seed 003 frames are JSON text; the server sent a binary frame".into()],
                        );
                    }
                    Some(Ok(Message::Close(frame))) => {
                        break match frame {
                            Some(f) => {
                                format!("the server closed the socket ({} {})", u16::from(f.code), f.reason)
                            }
                            None => "the server closed the socket".to_owned(),
                        };
                    }
                    Some(Ok(_)) => {}
                    Some(Err(e)) => break format!("the socket failed: {e}"),
                    None => break "the socket ended".to_owned(),
                }
            };
            log.push("note", Some(&who), why.clone(), None);
            reader_shared.close(&why);
            sink_inbox.close(why);
        });

        Ok(Socket {
            label: label.to_owned(),
            inbox,
            out,
            shared,
            wire: wire.clone(),
            wait,
            next_id: AtomicU64::new(0),
            reader,
            writer,
        })
    }

    /// Why the socket ended, if it has.
    pub fn closed(&self) -> Option<String> {
        self.shared.lock().closed.clone()
    }

    /// A fresh request id for this socket.
    pub fn next_id(&self, base: &str) -> String {
        format!("{base}-{}", self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }

    /// Sends `{"request": {<name>: params, "id": <fresh id>}}` and waits for the reply.
    pub async fn request(&self, name: &str, params: Value) -> Reply {
        let id = self.next_id(name);
        let frame = json!({"request": {name: params, "id": id}});
        self.exchange(name, &id, &frame.to_string()).await
    }

    /// Sends a top-level packet (`message`, `system_message`, `typing`) whose body carries
    /// `id`, and waits for its ack or error.
    pub async fn packet(&self, kind: &str, id: &str, body: Value) -> Reply {
        let frame = json!({ kind: body });
        self.exchange(kind, id, &frame.to_string()).await
    }

    /// Sends `text` as one frame and waits for the reply that answers `id`.
    pub async fn exchange(&self, name: &str, id: &str, text: &str) -> Reply {
        let (tx, rx) = oneshot::channel();
        {
            let mut p = self.shared.lock();
            if let Some(why) = &p.closed {
                return self.failed(name, id, format!("the socket had already ended: {why}"));
            }
            p.waiting.insert(id.to_owned(), tx);
        }
        self.log_out(text);
        if self.out.send(Message::text(text.to_owned())).is_err() {
            self.shared.lock().waiting.remove(id);
            return self.failed(name, id, "the socket's writer has stopped".into());
        }
        match tokio::time::timeout(self.wait, rx).await {
            Ok(Ok(Ok((key, body)))) => {
                let violations = match key.as_str() {
                    _ if body.get("error").is_some() => violations("error", &body),
                    "response" => reply_violations(name, &body),
                    _ => violations("event.ack", &body),
                };
                Reply { request: name.into(), id: id.into(), key, body, failure: None, violations }
            }
            Ok(Ok(Err(why))) => self.failed(name, id, format!("the socket dropped before the reply: {why}")),
            Ok(Err(_)) => self.failed(name, id, "the socket's reader has stopped".into()),
            Err(_) => {
                self.shared.lock().waiting.remove(id);
                self.failed(name, id, format!("nothing answered id {id:?} within {:?}", self.wait))
            }
        }
    }

    /// Sends `text` as one frame without waiting for anything.
    pub fn send_text(&self, text: &str) -> Result<(), String> {
        self.log_out(text);
        self.out
            .send(Message::text(text.to_owned()))
            .map_err(|_| "the socket's writer has stopped".to_owned())
    }

    /// Sends raw bytes as one binary frame.
    pub fn send_binary(&self, bytes: Vec<u8>) -> Result<(), String> {
        self.wire.push("request", Some(&self.label), "binary frame", None);
        self.out.send(Message::binary(bytes)).map_err(|_| "the socket's writer has stopped".to_owned())
    }

    /// Drops the connection without a closing handshake, as a client that loses its network.
    pub fn vanish(self) {
        self.wire.push("note", Some(&self.label), "the connection drops without a close", None);
        self.writer.abort();
        self.reader.abort();
    }

    fn log_out(&self, text: &str) {
        let body = serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()));
        let summary = match key_of(&body) {
            Some(("request", inner)) => {
                let name = inner
                    .as_object()
                    .and_then(|o| o.keys().find(|k| *k != "id").cloned())
                    .unwrap_or_else(|| "(no name)".into());
                format!("request {name}")
            }
            Some((key, _)) => key.to_owned(),
            None => "frame".to_owned(),
        };
        self.wire.push("request", Some(&self.label), summary, Some(body));
    }

    fn failed(&self, name: &str, id: &str, why: String) -> Reply {
        self.wire.push("note", Some(&self.label), format!("no reply to {name} {id}: {why}"), None);
        Reply {
            request: name.into(),
            id: id.into(),
            key: String::new(),
            body: Value::Null,
            failure: Some(why),
            violations: Vec::new(),
        }
    }
}

/// One text frame from the server: a reply goes to its waiter, anything else to the inbox.
fn on_frame(shared: &Shared, inbox: &Inbox, log: &WireLog, who: &str, text: &str) {
    let Ok(frame) = serde_json::from_str::<Value>(text) else {
        log.push("event", Some(who), "a frame that is not JSON", Some(Value::String(text.to_owned())));
        inbox.push(
            log.elapsed_ms(),
            "text".into(),
            Value::String(text.to_owned()),
            vec![format!(
                "seed 003 frames are JSON objects; got {:?}",
                text.chars().take(120).collect::<String>()
            )],
        );
        return;
    };
    let waiter = answers(&frame).and_then(|id| shared.lock().waiting.remove(&id));
    let (key, body) = key_of(&frame).map_or(("", Value::Null), |(k, v)| (k, v.clone()));
    if let Some(w) = waiter {
        log.push("response", Some(who), key.to_owned(), Some(frame.clone()));
        let _ = w.send(Ok((key.to_owned(), body)));
        return;
    }
    log.push("event", Some(who), if key.is_empty() { "frame" } else { key }, Some(frame.clone()));
    let mut found = Vec::new();
    if key.is_empty() {
        found.push(format!("a frame is one JSON object with one key (seed 003); got {frame}"));
    } else if let Some(schema) = event_schema(key, &body) {
        found = violations(&schema, &body).into_iter().map(|v| format!("{key} event: {v}")).collect();
    }
    inbox.push(log.elapsed_ms(), key.to_owned(), body, found);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_are_matched_by_response_id_or_ack_mid() {
        assert_eq!(answers(&json!({"response": {"id": "r-1", "success": true}})).as_deref(), Some("r-1"));
        assert_eq!(answers(&json!({"response": {"id": 7}})).as_deref(), Some("7"));
        assert_eq!(answers(&json!({"ack": {"mid": "m1", "server_mid": "x", "t": 1}})).as_deref(), Some("m1"));
        assert_eq!(answers(&json!({"ask": {"mid": "m2"}})).as_deref(), Some("m2"));
        assert_eq!(answers(&json!({"message": {"_id": "m3"}})), None);
        let failed_packet = json!({"message": {"id": "m4", "error": {"status": 403, "message": "no"}}});
        assert_eq!(answers(&failed_packet).as_deref(), Some("m4"));
        assert_eq!(answers(&json!({"response": {"error": {"status": 422}}})), None);
    }

    #[test]
    fn user_edit_may_answer_id_for_the_user() {
        let user = json!({"login": "u", "created_at": "2022-10-13T13:11:04.447Z", "updated_at": "2022-10-13T13:11:04.447Z"});
        let mut with_id = json!({"id": "r1", "user": user.clone()});
        with_id["user"]["id"] = json!("63480e68f4794709f802a2fa");
        assert!(reply_violations("user_edit", &with_id).is_empty());
        assert!(!reply_violations("user_create", &with_id).is_empty());
        assert!(!reply_violations("user_edit", &json!({"id": "r1", "user": user})).is_empty());
    }

    #[test]
    fn events_find_their_schema() {
        let created = json!({"x": {"conversation_created": {}}});
        assert_eq!(event_schema("system_message", &created).as_deref(), Some("event.conversation_created"));
        let added = json!({"x": {"type": "added_participant", "user": {}}});
        assert_eq!(event_schema("message", &added).as_deref(), Some("event.participant_message"));
        assert_eq!(event_schema("message", &json!({"x": {"k": 1}})).as_deref(), Some("event.message"));
        assert_eq!(event_schema("ask", &json!({})).as_deref(), Some("event.ack"));
        assert_eq!(event_schema("pong", &json!({})), None);
    }
}
