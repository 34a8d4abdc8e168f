//! Bare axum servers the mocks are measured against in the same run: no store, no rules,
//! only the wire work every server of the kind must do. Each takes the same requests and
//! sends frames of the same shape as the mock it stands beside, on a listener with
//! TCP_NODELAY, so a ratio of the two is what the mock's own work costs.

#![allow(dead_code)]

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::ws::{Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::response::sse::{Event, Sse};
use axum::routing::{any, get, post};
use axum::serve::ListenerExt;
use axum::{Json, Router};
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio_stream::wrappers::UnboundedReceiverStream;

/// Serves `router` on a fresh loopback port with TCP_NODELAY; its address.
pub async fn serve(router: Router) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok(addr)
}

/// `POST /api/{method}` with `{"args": {...}}`: parses the body and answers
/// `{"status": "OK", "result": {"message": <args>}}`, as Unichat's envelope looks.
pub fn json_echo() -> Router {
    async fn echo(Path(_method): Path<String>, Json(body): Json<Value>) -> Json<Value> {
        Json(json!({"status": "OK", "result": {"message": body["args"]}}))
    }
    Router::new().route("/api/{method}", post(echo))
}

/// One stream's queue on the bare SSE server: event ids and shared JSON.
type StreamQueue = mpsc::UnboundedSender<(u64, Arc<str>)>;

/// The streams of the bare SSE server, each an unbounded queue of shared JSON.
#[derive(Clone, Default)]
struct Streams {
    next_id: Arc<AtomicU64>,
    queues: Arc<Mutex<Vec<StreamQueue>>>,
}

/// `GET /sse`: a stream of `unichat_notification` events with ids; `POST /api/{method}` with
/// `{"args": {"text": ...}}`: one notification `{event, object: {text}}`, serialised once, to
/// every stream, and the reply.
pub fn sse_fanout() -> Router {
    async fn stream(State(s): State<Streams>) -> Sse<impl futures::Stream<Item = Result<Event, Infallible>>> {
        let (tx, rx) = mpsc::unbounded_channel();
        s.queues.lock().unwrap_or_else(PoisonError::into_inner).push(tx);
        let ready = futures::stream::iter([Ok(Event::default().event("event_source_ready").data("{}"))]);
        Sse::new(ready.chain(UnboundedReceiverStream::new(rx).map(|(id, json): (u64, Arc<str>)| {
            Ok(Event::default().event("unichat_notification").id(id.to_string()).data(&*json))
        })))
    }
    async fn notify(State(s): State<Streams>, Json(body): Json<Value>) -> Json<Value> {
        let note = json!({"event": "message_created", "object_name": "message", "object": body["args"]});
        let json: Arc<str> = Arc::from(note.to_string());
        let id = s.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        s.queues
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|q| q.send((id, json.clone())).is_ok());
        Json(json!({"status": "OK", "result": {"message": body["args"]}}))
    }
    Router::new()
        .route("/sse", get(stream))
        .route("/api/{method}", post(notify))
        .with_state(Streams::default())
}

/// One socket of the bare WebSocket server: its number and its queue of shared frames.
type Member = (u64, mpsc::UnboundedSender<Utf8Bytes>);

/// The sockets of the bare WebSocket server by room.
#[derive(Clone, Default)]
struct Rooms {
    next: Arc<AtomicU64>,
    rooms: Arc<Mutex<HashMap<String, Vec<Member>>>>,
}

/// `GET /{room}` upgrades to a WebSocket. A text frame `{"message": {"id", "body", ...}}` is
/// answered with `{"ack": {"mid", "server_mid", "t"}}` and forwarded, serialised once, to every
/// other socket of the room as `{"message": {...}}`. Other frames are ignored.
pub fn ws_forward() -> Router {
    async fn upgrade(
        State(rooms): State<Rooms>,
        Path(room): Path<String>,
        ws: WebSocketUpgrade,
    ) -> axum::response::Response {
        ws.on_upgrade(move |socket| serve_socket(rooms, room, socket))
    }
    Router::new().route("/{room}", any(upgrade)).with_state(Rooms::default())
}

async fn serve_socket(rooms: Rooms, room: String, socket: WebSocket) {
    let me = rooms.next.fetch_add(1, Ordering::Relaxed);
    let (tx, mut rx) = mpsc::unbounded_channel::<Utf8Bytes>();
    rooms
        .rooms
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .entry(room.clone())
        .or_default()
        .push((me, tx.clone()));
    let (mut sink, mut stream) = socket.split();
    loop {
        tokio::select! {
            out = rx.recv() => {
                let Some(frame) = out else { break };
                if sink.send(Message::Text(frame)).await.is_err() {
                    break;
                }
            }
            inbound = stream.next() => {
                let Some(Ok(Message::Text(text))) = inbound else {
                    if matches!(inbound, Some(Ok(_))) { continue }
                    break;
                };
                let Ok(frame) = serde_json::from_str::<Value>(text.as_str()) else { continue };
                let Some(msg) = frame.get("message") else { continue };
                let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
                let ack = json!({"ack": {"mid": msg["id"], "server_mid": format!("s{me}-{t}"), "t": t}});
                let _ = tx.send(Utf8Bytes::from(ack.to_string()));
                let out = Utf8Bytes::from(json!({"message": msg}).to_string());
                let others = rooms.rooms.lock().unwrap_or_else(PoisonError::into_inner).get(&room).cloned().unwrap_or_default();
                for (id, q) in others {
                    if id != me {
                        let _ = q.send(out.clone());
                    }
                }
            }
        }
    }
    if let Some(members) = rooms.rooms.lock().unwrap_or_else(PoisonError::into_inner).get_mut(&room) {
        members.retain(|(id, _)| *id != me);
    }
}
