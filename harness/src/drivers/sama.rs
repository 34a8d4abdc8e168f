//! The SAMA driver (seed 003): `POST /login` and `POST /logout` over HTTP, and a WebSocket
//! client that sends requests and packets, matches replies to them, and files every other
//! frame (events, carbons, unmatched errors) in an [`Inbox`].
//!
//! Every frame is first adapted to the deviations the target declares
//! (`crate::deviations`; each adaptation is noted in the scenario's verdicts), then matched:
//! a reply by its `response.id` or an ack by its `mid`; an error to a packet under the
//! packet's own key or under `response`, by the packet's id when it carries one, else to the
//! oldest packet still waiting (a server may answer a refused packet without an id, S12).
//! Replies and events are validated against the committed schemas, each violation graded as
//! the document's or a reading's (`frame.rs`), and every frame goes to the wire log.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chatspec_specs::sama::compat::Switch;
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;

use crate::context::RunContext;
use crate::deviations::{Applied, Deviations};
use crate::events::Inbox;
use crate::verdict::Verdicts;
use crate::wire::WireLog;

pub mod frame;
mod http;

pub use frame::{Violations, event_schema};
pub use http::{Credentials, HttpReply, login, logout};

/// How long a request waits for its reply before the timeout factor.
pub const REPLY_WAIT: Duration = Duration::from_secs(5);

/// The document's violations of `instance` against schema `sama/<name>`, as text.
pub fn violations(name: &str, instance: &Value) -> Vec<String> {
    frame::validate(name, instance).document
}

/// How a reply that timed out begins.
const NO_ANSWER: &str = "nothing answered";

/// The prefix of an inbox violation that rests on a reading: `reading S47: ...`.
pub const READING_PREFIX: &str = "reading ";

/// A reply to one request or packet.
#[derive(Clone, Debug, Default)]
pub struct Reply {
    /// The request's name, or the packet's (`message`, `system_message`, `typing`).
    pub request: String,
    /// The id it was sent with (empty for a packet sent without one).
    pub id: String,
    /// The reply frame's key: `response`, `ack` (or what the server used instead) for a
    /// packet, or the packet's own key for its error; empty without a reply.
    pub key: String,
    /// The object under that key, adapted to the declared deviations.
    pub body: Value,
    /// Why no reply came (a timeout, a dropped socket).
    pub failure: Option<String>,
    /// Schema violations, graded.
    pub violations: Violations,
    /// Known deviations the reply shows that the target does not declare.
    pub suspects: Vec<Switch>,
}

impl Reply {
    /// A reply that is no error.
    pub fn is_ok(&self) -> bool {
        self.failure.is_none() && self.body.get("error").is_none()
    }

    /// Whether the socket ended instead of a reply (not a timeout).
    pub fn dropped(&self) -> bool {
        self.failure.as_ref().is_some_and(|f| !f.starts_with(NO_ANSWER))
    }

    /// An error reply in any shape (the request was refused).
    pub fn is_refusal(&self) -> bool {
        self.failure.is_none() && self.body.get("error").is_some()
    }

    /// The error's `status`, for an error reply in the register's shape.
    pub fn error_status(&self) -> Option<u64> {
        self.body.pointer("/error/status").and_then(Value::as_u64)
    }

    /// The error's text: its `message`, or the error itself when it is a string.
    pub fn error_text(&self) -> Option<&str> {
        match self.body.get("error")? {
            Value::String(s) => Some(s),
            e => e.get("message").and_then(Value::as_str),
        }
    }

    /// One line for failure messages.
    pub fn describe(&self) -> String {
        let label = if self.id.is_empty() { String::new() } else { format!(" (id {:?})", self.id) };
        match &self.failure {
            Some(why) => format!("no reply to {}{label}: {why}", self.request),
            None => format!("{{\"{}\": {}}}", self.key, self.body),
        }
    }
}

/// What the reader hands a waiting request: the reply frame's key, its body, and the known
/// deviations it showed undeclared.
type Answer = (String, Value, Vec<Switch>);
type Waiter = oneshot::Sender<Result<Answer, String>>;

struct Waiting {
    /// The packet's kind, for a packet; `None` for a request.
    packet: Option<String>,
    tx: Waiter,
}

#[derive(Default)]
struct Pending {
    /// Requests and packets waiting for their reply, by id (or a key of the harness's own
    /// for a packet sent without an id).
    waiting: HashMap<String, Waiting>,
    /// The keys of the waiting packets, oldest first.
    packets: Vec<String>,
    /// Why the socket ended, once it has.
    closed: Option<String>,
}

impl Pending {
    /// Takes the waiter for `key`, unless its request gave up.
    fn take(&mut self, key: &str) -> Option<Waiter> {
        self.packets.retain(|k| k != key);
        self.waiting.remove(key).map(|w| w.tx).filter(|tx| !tx.is_closed())
    }

    /// Takes the oldest waiting packet (of `kind`, when given) whose step still waits.
    fn oldest_packet(&mut self, kind: Option<&str>) -> Option<Waiter> {
        let keys: Vec<String> = self.packets.clone();
        for key in keys {
            let matches =
                self.waiting.get(&key).is_some_and(|w| kind.is_none_or(|k| w.packet.as_deref() == Some(k)));
            if matches && let Some(tx) = self.take(&key) {
                return Some(tx);
            }
        }
        None
    }
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
            p.packets.clear();
            p.waiting.drain().map(|(_, w)| w.tx).collect()
        };
        for w in waiting {
            let _ = w.send(Err(why.to_owned()));
        }
    }

    /// The waiter a frame answers, if any.
    fn waiter_for(&self, frame: &Value) -> Option<Waiter> {
        let (key, body) = frame::key_of(frame)?;
        let id = match key {
            "response" | "message" | "system_message" | "typing" => body.get("id"),
            "ack" | "ask" => body.get("mid"),
            _ => return None,
        };
        let mut p = self.lock();
        if let Some(tx) = id.and_then(frame::id_text).and_then(|id| p.take(&id)) {
            return Some(tx);
        }
        // An error without an id (or with one nobody waits for) answers the oldest packet:
        // under the packet's own key, a packet of that kind; under `response`, any packet.
        body.get("error")?;
        match key {
            "message" | "system_message" | "typing" => p.oldest_packet(Some(key)),
            "response" if id.is_none_or(Value::is_null) => p.oldest_packet(None),
            _ => None,
        }
    }
}

/// The reply a step awaits for a request or packet it sent.
pub struct PendingReply {
    request: String,
    id: String,
    rx: Option<oneshot::Receiver<Result<Answer, String>>>,
    failure: Option<String>,
    wait: Duration,
    deviations: Arc<Deviations>,
    verdicts: Verdicts,
    wire: WireLog,
    label: String,
}

impl std::fmt::Debug for PendingReply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingReply").field("request", &self.request).field("id", &self.id).finish()
    }
}

impl PendingReply {
    /// Waits for the reply, up to the socket's scaled reply wait.
    pub async fn reply(mut self) -> Reply {
        let failed = |why: String| {
            self.wire.push(
                "note",
                Some(&self.label),
                format!("no reply to {} {}: {why}", self.request, self.id),
                None,
            );
            Reply {
                request: self.request.clone(),
                id: self.id.clone(),
                failure: Some(why),
                ..Reply::default()
            }
        };
        if let Some(why) = &self.failure {
            return failed(why.clone());
        }
        let Some(rx) = self.rx.take() else { return failed("nothing was sent".into()) };
        let what = if self.id.is_empty() { "the packet".to_owned() } else { format!("id {:?}", self.id) };
        match tokio::time::timeout(self.wait, rx).await {
            Ok(Ok(Ok((key, mut body, mut suspects)))) => {
                let violations = if let Some(e) = body.get("error") {
                    let text = e.as_str().map_or_else(|| e.to_string(), str::to_owned);
                    for s in self.deviations.refusal_suspects(&self.request, &text) {
                        if !suspects.contains(&s) {
                            suspects.push(s);
                        }
                    }
                    frame::validate("error", &body)
                } else if key == "response" {
                    for a in self.deviations.adapt_reply(&self.request, &mut body) {
                        note(&self.verdicts, &a);
                    }
                    let mut v = frame::reply_violations(&self.request, &body);
                    if self.request == "conversation_search"
                        && self.deviations.declares(Switch::SearchAnswersBareIds)
                    {
                        // Bare ids carry no name: the declared deviation, noted when adapted.
                        v.document.retain(|e| !(e.starts_with("/conversations/") && e.contains("\"name\"")));
                    }
                    v
                } else {
                    self.ack_violations(&body, &mut suspects)
                };
                Reply { request: self.request, id: self.id, key, body, failure: None, violations, suspects }
            }
            Ok(Ok(Err(why))) => failed(format!("the socket dropped before the reply: {why}")),
            Ok(Err(_)) => failed("the socket's reader has stopped".into()),
            Err(_) => failed(format!("{NO_ANSWER} {what} within {:?}", self.wait)),
        }
    }
}

impl PendingReply {
    /// The violations of an ack. A system message's ack without `server_mid` is the known
    /// deviation ack_as_ask (S40): accepted and noted where declared, a hint otherwise.
    fn ack_violations(&self, body: &Value, suspects: &mut Vec<Switch>) -> Violations {
        let mut v = frame::validate("event.ack", body);
        if self.request == "system_message" && body.get("server_mid").is_none() {
            let missing = |e: &String| e.contains("\"server_mid\" is a required property");
            if self.deviations.declares(Switch::AckAsAsk) {
                v.document.retain(|e| !missing(e));
                self.verdicts.deviation(
                    Switch::AckAsAsk.name(),
                    Switch::AckAsAsk.entry(),
                    "the ack of a system message",
                    "{ack: {mid, server_mid, t}}",
                    "no server_mid",
                );
            } else if !suspects.contains(&Switch::AckAsAsk) {
                suspects.push(Switch::AckAsAsk);
            }
        }
        v
    }
}

/// Records a deviation the driver adapted to.
fn note(verdicts: &Verdicts, a: &Applied) {
    verdicts.deviation(&a.name, &a.entry, &a.check, &a.expected, &a.actual);
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
    deviations: Arc<Deviations>,
    verdicts: Verdicts,
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

impl Socket {
    /// Opens a WebSocket to the target's socket URL, outside any scenario's verdicts.
    pub async fn open(ctx: &RunContext, wire: &WireLog, label: &str) -> Result<Socket, String> {
        Socket::open_graded(ctx, wire, &Verdicts::default(), label).await
    }

    /// Opens a WebSocket to the target's socket URL; the deviations it adapts to are noted in
    /// `verdicts`.
    pub async fn open_graded(
        ctx: &RunContext,
        wire: &WireLog,
        verdicts: &Verdicts,
        label: &str,
    ) -> Result<Socket, String> {
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
        let deviations = Arc::new(ctx.target.sama.deviations.clone());

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

        let reader_ctx = Reader {
            shared: shared.clone(),
            inbox: inbox.clone(),
            log: wire.clone(),
            who: label.to_owned(),
            deviations: deviations.clone(),
            verdicts: verdicts.clone(),
        };
        let reader = tokio::spawn(async move {
            let why = loop {
                match stream.next().await {
                    Some(Ok(Message::Text(text))) => reader_ctx.on_text(&text),
                    Some(Ok(Message::Binary(b))) => reader_ctx.on_binary(&b),
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
            reader_ctx.log.push("note", Some(&reader_ctx.who), why.clone(), None);
            reader_ctx.shared.close(&why);
            reader_ctx.inbox.close(why);
        });

        Ok(Socket {
            label: label.to_owned(),
            inbox,
            out,
            shared,
            wire: wire.clone(),
            wait,
            next_id: AtomicU64::new(0),
            deviations,
            verdicts: verdicts.clone(),
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
        let text = frame::request(name, &params, &json!(id));
        self.exchange(name, &id, &text).await
    }

    /// Sends a top-level packet (`message`, `system_message`, `typing`) whose body carries
    /// `id`, and waits for its ack or error.
    pub async fn packet(&self, kind: &str, id: &str, body: Value) -> Reply {
        self.send_packet(kind, Some(id), &body).reply().await
    }

    /// Sends a top-level packet and returns its reply to await, if the step expects one: a
    /// packet without an id (`typing: { cid }`) is answered only when refused.
    pub fn send_packet(&self, kind: &str, id: Option<&str>, body: &Value) -> PendingReply {
        let key = match id {
            Some(id) => id.to_owned(),
            None => format!("\u{0}{}", self.next_id(kind)),
        };
        let mut pending = self.register(kind, &key, Some(kind));
        pending.id = id.unwrap_or_default().to_owned();
        self.send_registered(&mut pending, &key, &frame::packet(kind, body));
        pending
    }

    /// Sends `text` as one frame and waits for the reply that answers `id`.
    pub async fn exchange(&self, name: &str, id: &str, text: &str) -> Reply {
        let mut pending = self.register(name, id, None);
        self.send_registered(&mut pending, id, text);
        pending.reply().await
    }

    fn register(&self, name: &str, key: &str, packet: Option<&str>) -> PendingReply {
        let (tx, rx) = oneshot::channel();
        let mut pending = PendingReply {
            request: name.to_owned(),
            id: key.to_owned(),
            rx: Some(rx),
            failure: None,
            wait: self.wait,
            deviations: self.deviations.clone(),
            verdicts: self.verdicts.clone(),
            wire: self.wire.clone(),
            label: self.label.clone(),
        };
        let mut p = self.shared.lock();
        if let Some(why) = &p.closed {
            pending.failure = Some(format!("the socket had already ended: {why}"));
            return pending;
        }
        p.waiting.insert(key.to_owned(), Waiting { packet: packet.map(str::to_owned), tx });
        if packet.is_some() {
            p.packets.push(key.to_owned());
        }
        pending
    }

    fn send_registered(&self, pending: &mut PendingReply, key: &str, text: &str) {
        if pending.failure.is_some() {
            return;
        }
        self.log_out(text);
        if self.out.send(Message::text(text.to_owned())).is_err() {
            let mut p = self.shared.lock();
            p.take(key);
            pending.failure = Some("the socket's writer has stopped".into());
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
        let summary = match frame::key_of(&body) {
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
}

/// What the reader task of a socket needs.
struct Reader {
    shared: Arc<Shared>,
    inbox: Inbox,
    log: WireLog,
    who: String,
    deviations: Arc<Deviations>,
    verdicts: Verdicts,
}

impl Reader {
    fn on_binary(&self, bytes: &[u8]) {
        let text = String::from_utf8_lossy(bytes).into_owned();
        self.log.push("event", Some(&self.who), "binary frame", Some(Value::String(text.clone())));
        self.inbox.push(
            self.log.elapsed_ms(),
            "binary".into(),
            Value::String(text),
            vec!["seed 003 frames are JSON text; the server sent a binary frame".into()],
        );
    }

    /// One text frame from the server: adapted, then a reply goes to its waiter and anything
    /// else to the inbox.
    fn on_text(&self, text: &str) {
        let Ok(mut frame) = serde_json::from_str::<Value>(text) else {
            self.log.push(
                "event",
                Some(&self.who),
                "a frame that is not JSON",
                Some(Value::String(text.to_owned())),
            );
            self.inbox.push(
                self.log.elapsed_ms(),
                "text".into(),
                Value::String(text.to_owned()),
                vec![format!(
                    "seed 003 frames are JSON objects; got {:?}",
                    text.chars().take(120).collect::<String>()
                )],
            );
            return;
        };
        let suspects = self.deviations.suspects(&frame);
        for a in self.deviations.adapt_frame(&mut frame) {
            note(&self.verdicts, &a);
        }
        let (key, mut body) =
            frame::key_of(&frame).map_or((String::new(), Value::Null), |(k, v)| (k.to_owned(), v.clone()));
        if let Some(w) = self.shared.waiter_for(&frame) {
            self.log.push("response", Some(&self.who), key.clone(), Some(frame.clone()));
            let _ = w.send(Ok((key, body, suspects)));
            return;
        }
        for a in self.deviations.adapt_event(&key, &mut body) {
            note(&self.verdicts, &a);
        }
        self.log.push(
            "event",
            Some(&self.who),
            if key.is_empty() { "frame" } else { &key },
            Some(frame.clone()),
        );
        let mut found = Vec::new();
        if key.is_empty() {
            found.push(format!("a frame is one JSON object with one key (seed 003); got {frame}"));
        } else if let Some(schema) = event_schema(&key, &body) {
            let v = frame::validate(&schema, &body);
            found.extend(v.document.into_iter().map(|e| format!("{key} event: {e}")));
            found.extend(
                v.readings.into_iter().map(|(entry, e)| format!("{READING_PREFIX}{entry}: {key} event: {e}")),
            );
        }
        self.inbox.push(self.log.elapsed_ms(), key, body, found);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn shared_with(
        waiting: &[(&str, Option<&str>)],
    ) -> (Shared, Vec<oneshot::Receiver<Result<Answer, String>>>) {
        let shared = Shared::default();
        let mut rxs = Vec::new();
        {
            let mut p = shared.lock();
            for (key, packet) in waiting {
                let (tx, rx) = oneshot::channel();
                rxs.push(rx);
                p.waiting.insert((*key).to_owned(), Waiting { packet: packet.map(str::to_owned), tx });
                if packet.is_some() {
                    p.packets.push((*key).to_owned());
                }
            }
        }
        (shared, rxs)
    }

    #[test]
    fn replies_are_matched_by_response_id_or_ack_mid() {
        let (s, _rx) =
            shared_with(&[("r-1", None), ("7", None), ("m1", Some("message")), ("m2", Some("message"))]);
        assert!(s.waiter_for(&json!({"response": {"id": "r-1", "success": true}})).is_some());
        assert!(s.waiter_for(&json!({"response": {"id": 7}})).is_some());
        assert!(s.waiter_for(&json!({"ack": {"mid": "m1", "server_mid": "x", "t": 1}})).is_some());
        assert!(s.waiter_for(&json!({"ask": {"mid": "m2"}})).is_some(), "an undeclared ask still answers");
        assert!(s.waiter_for(&json!({"message": {"_id": "m3"}})).is_none());
    }

    #[test]
    fn a_packet_error_without_an_id_answers_the_oldest_packet_waiting() {
        let (s, _rx) =
            shared_with(&[("r", None), ("\u{0}typing-1", Some("typing")), ("m9", Some("message"))]);
        let error = json!({"message": {"error": {"status": 403, "message": "no"}}});
        assert!(s.waiter_for(&error).is_some(), "the message packet m9");
        assert!(s.lock().waiting.contains_key("\u{0}typing-1"), "not the typing packet");
        let anonymous = json!({"response": {"error": {"status": 403, "message": "no"}}});
        assert!(s.waiter_for(&anonymous).is_some(), "the typing packet");
        assert!(s.waiter_for(&anonymous).is_none(), "a request is never answered without its id");
        assert!(s.lock().waiting.contains_key("r"));
    }

    #[test]
    fn a_step_that_stopped_waiting_is_skipped() {
        let (s, mut rx) = shared_with(&[("\u{0}typing-1", Some("typing")), ("m1", Some("message"))]);
        drop(rx.remove(0));
        let anonymous = json!({"response": {"error": "not a participant"}});
        let w = s.waiter_for(&anonymous).unwrap();
        w.send(Ok(("response".into(), json!({}), vec![]))).unwrap();
        assert!(rx[0].try_recv().is_ok(), "the message packet got it");
    }
}
