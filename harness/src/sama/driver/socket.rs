//! The SAMA WebSocket client: sends requests and packets, matches replies to them (a reply
//! by its `response.id`, an ack by its `mid`, an error to a packet by its id or to the oldest
//! packet still waiting, S12), and files every other frame in an [`Inbox`].

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chatspec_specs::Endpoint;
use chatspec_specs::sama::Meta;
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;

use super::body::{Body, SuiteBug, check_request};
use super::pending::{PendingReply, Shared, note};
use super::{READING_PREFIX, REPLY_WAIT, event_schema, frame};
use crate::context::RunContext;
use crate::deviations::Deviations;
use crate::events::Inbox;
use crate::reply::Reply;
use crate::verdict::Verdicts;
use crate::wire::WireLog;

/// Why a socket could not be opened or written to.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SocketError {
    /// The WebSocket handshake did not finish within the scaled reply wait.
    #[error("opening the WebSocket {url} took longer than {wait:?}")]
    OpenTimedOut {
        /// The socket URL.
        url: String,
        /// How long the handshake was given.
        wait: Duration,
    },
    /// The WebSocket could not be opened.
    #[error("cannot open the WebSocket {url}: {detail}")]
    Open {
        /// The socket URL.
        url: String,
        /// What the WebSocket client said.
        detail: String,
    },
    /// The socket's writer task has stopped (the socket ended): nothing more can be sent.
    #[error("the socket's writer has stopped")]
    WriterStopped,
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
    ctx: Arc<RunContext>,
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
    pub async fn open(ctx: &Arc<RunContext>, wire: &WireLog, label: &str) -> Result<Socket, SocketError> {
        Socket::open_graded(ctx, wire, &Verdicts::default(), label).await
    }

    /// Opens a WebSocket to the target's socket URL; the deviations it adapts to are noted in
    /// `verdicts`.
    pub async fn open_graded(
        ctx: &Arc<RunContext>,
        wire: &WireLog,
        verdicts: &Verdicts,
        label: &str,
    ) -> Result<Socket, SocketError> {
        let url = ctx.target.sama.socket_url.clone();
        wire.push("request", Some(label), format!("WebSocket {url}"), None);
        let wait = ctx.target.wait(REPLY_WAIT);
        let (ws, _) = tokio::time::timeout(wait, tokio_tungstenite::connect_async(url.as_str()))
            .await
            .map_err(|_| SocketError::OpenTimedOut { url: url.clone(), wait })?
            .map_err(|e| SocketError::Open { url: url.clone(), detail: e.to_string() })?;
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
            ctx: ctx.clone(),
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

    /// Sends request `E` with parameters of its declared request type: checked against its
    /// request schema (a refusal is a [`SuiteBug`], and nothing is sent), then as
    /// [`Socket::request`] sends it.
    pub async fn call<E: Endpoint<Meta = Meta>>(&self, params: &E::Request) -> Result<Reply, SuiteBug> {
        self.request(E::NAME, Body::typed(params)).await
    }

    /// Sends `{"request": {<name>: body, "id": <fresh id>}}` and waits for the reply. A
    /// well-formed body is checked against the request schema of `name` first; then the body
    /// is shaped as the profile says (`target/shaping.rs`). A malformed body is sent as
    /// written (shaped too, when it is JSON).
    pub async fn request(&self, name: &str, body: Body) -> Result<Reply, SuiteBug> {
        check_request(name, &body)?;
        let text = self.shaped(name, &body);
        let id = self.next_id(name);
        let frame = frame::request(name, &text, &json!(id));
        Ok(self.exchange(name, &id, &frame).await)
    }

    /// Sends the top-level packet `E` (`message`, `system_message`) whose parameters carry
    /// `id`, and waits for its ack or error. The parameters are checked against the packet's
    /// request schema first (a refusal is a [`SuiteBug`], and nothing is sent).
    pub async fn packet<E: Endpoint<Meta = Meta>>(
        &self,
        id: &str,
        params: &E::Request,
    ) -> Result<Reply, SuiteBug> {
        Ok(self.send_packet::<E>(Some(id), params)?.reply().await)
    }

    /// Sends the top-level packet `E`, checked as [`Socket::packet`] checks it, and returns
    /// its reply to await, if the step expects one: a packet without an id (`typing: { cid
    /// }`) is answered only when refused.
    pub fn send_packet<E: Endpoint<Meta = Meta>>(
        &self,
        id: Option<&str>,
        params: &E::Request,
    ) -> Result<PendingReply, SuiteBug> {
        let kind = E::NAME;
        let body = Body::typed(params);
        check_request(kind, &body)?;
        let mut body = body.json().unwrap_or_default();
        self.shape(kind, &mut body);
        let key = match id {
            Some(id) => id.to_owned(),
            None => format!("\u{0}{}", self.next_id(kind)),
        };
        let mut pending = self.register(kind, &key, Some(kind));
        pending.id = id.unwrap_or_default().to_owned();
        self.send_registered(&mut pending, &key, &frame::packet(kind, &body));
        Ok(pending)
    }

    /// The text of a body as the profile shapes it: JSON is shaped, anything else (a
    /// negative scenario's text that is not JSON) is sent as written.
    fn shaped(&self, name: &str, body: &Body) -> String {
        match body.json() {
            Some(mut v) => {
                self.shape(name, &mut v);
                v.to_string()
            }
            None => body.text(),
        }
    }

    /// Shapes a request's or packet's body as the profile says: the acting user is the
    /// socket's (`Alice` of `Alice's phone`), the login the one the request names, if any.
    fn shape(&self, name: &str, body: &mut Value) {
        let actor = self.label.split("'s ").next().unwrap_or(&self.label).to_owned();
        let login = body.get("login").and_then(Value::as_str).map(str::to_owned);
        self.ctx.shape(name, body, Some(&actor), login.as_deref());
    }

    /// Sends `text` as one frame and waits for the reply that answers `id`.
    pub async fn exchange(&self, name: &str, id: &str, text: &str) -> Reply {
        let mut pending = self.register(name, id, None);
        self.send_registered(&mut pending, id, text);
        pending.reply().await
    }

    fn register(&self, name: &str, key: &str, packet: Option<&str>) -> PendingReply {
        let (rx, failure) = match self.shared.wait_for(key, packet) {
            Ok(rx) => (Some(rx), None),
            Err(why) => (None, Some(why.to_string())),
        };
        PendingReply {
            request: name.to_owned(),
            id: key.to_owned(),
            rx,
            failure,
            wait: self.wait,
            deviations: self.deviations.clone(),
            verdicts: self.verdicts.clone(),
            wire: self.wire.clone(),
            label: self.label.clone(),
            sent: Instant::now(),
        }
    }

    fn send_registered(&self, pending: &mut PendingReply, key: &str, text: &str) {
        if pending.failure.is_some() {
            return;
        }
        self.log_out(text);
        if self.out.send(Message::text(text.to_owned())).is_err() {
            self.shared.lock().take(key);
            pending.failure = Some(SocketError::WriterStopped.to_string());
        }
    }

    /// Sends `text` as one frame without waiting for anything.
    pub fn send_text(&self, text: &str) -> Result<(), SocketError> {
        self.log_out(text);
        self.out.send(Message::text(text.to_owned())).map_err(|_| SocketError::WriterStopped)
    }

    /// Sends raw bytes as one binary frame.
    pub fn send_binary(&self, bytes: Vec<u8>) -> Result<(), SocketError> {
        self.wire.push("request", Some(&self.label), "binary frame", None);
        self.out.send(Message::binary(bytes)).map_err(|_| SocketError::WriterStopped)
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
        for a in self.deviations.adapt_frame(&mut frame) {
            note(&self.verdicts, &a);
        }
        let (key, mut body) =
            frame::key_of(&frame).map_or((String::new(), Value::Null), |(k, v)| (k.to_owned(), v.clone()));
        if let Some(w) = self.shared.waiter_for(&frame) {
            self.log.push("response", Some(&self.who), key.clone(), Some(frame.clone()));
            let _ = w.send(Ok((key, body, text.to_owned())));
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
