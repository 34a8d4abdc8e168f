//! The WebSocket side of the proxy (RFC 6455): the client's upgrade is accepted, a socket to
//! the same path of the upstream is opened, and frames are passed both ways as they come,
//! each text frame logged and, for SAMA, checked.

use axum::{
    extract::{FromRequestParts, Request, ws::Message as ClientMessage, ws::WebSocket, ws::WebSocketUpgrade},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use futures::{SinkExt, StreamExt};
use serde_json::Value;
use tokio_tungstenite::tungstenite::{Message as UpstreamMessage, protocol::CloseFrame as UpstreamClose};

use chatspec_mocks::faults::{Fault, FaultKind};

use super::Proxy;
use super::check::{Direction, SamaSocket};

/// Whether the request asks for a WebSocket (`Upgrade: websocket`).
pub fn is_upgrade(headers: &HeaderMap) -> bool {
    headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

/// Opens the upstream socket first, so a refusal reaches the client as a refusal, then
/// accepts the client's upgrade and bridges the two.
pub async fn bridge(p: Proxy, req: Request) -> Response {
    let (mut parts, _) = req.into_parts();
    let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &()).await {
        Ok(u) => u,
        Err(rejection) => return rejection.into_response(),
    };
    let path = parts.uri.path_and_query().map_or("/", |pq| pq.as_str()).to_owned();
    let url = format!("{}{path}", p.upstream()).replacen("http", "ws", 1);
    let id = p.open(None, &[]);
    p.log(&id, "request", format!("GET {path} (WebSocket)"), None);
    let upstream = match tokio_tungstenite::connect_async(&url).await {
        Ok((socket, _)) => socket,
        Err(e) => {
            p.log(&id, "response", format!("the upstream refused the WebSocket: {e}"), None);
            return (StatusCode::BAD_GATEWAY, format!("the upstream {url} refused the WebSocket: {e}"))
                .into_response();
        }
    };
    p.log(&id, "response", "101 WebSocket open".into(), None);
    let faults = p.faults().take("GET", parts.uri.path());
    upgrade.on_upgrade(move |client| pump(p, client, upstream, FrameFaults { faults, seen: 0, held: None }))
}

/// The faults armed for one socket, applied to the server's frames.
struct FrameFaults {
    faults: Vec<Fault>,
    seen: u32,
    held: Option<ClientMessage>,
}

impl FrameFaults {
    /// What the client gets for one server frame, in order; `None` when the socket must be
    /// closed here (`close_stream`).
    fn shape(&mut self, msg: ClientMessage) -> Option<Vec<ClientMessage>> {
        let key = match &msg {
            ClientMessage::Text(t) => serde_json::from_str::<Value>(t.as_str())
                .ok()
                .and_then(|v| v.as_object().and_then(|o| o.keys().next().cloned())),
            _ => None,
        };
        let mut out = vec![msg];
        for f in &self.faults {
            let named = f.event.as_deref().is_none_or(|e| key.as_deref() == Some(e));
            match f.kind {
                FaultKind::CloseStream { after } if self.seen >= after => return None,
                FaultKind::DropEvents if named => out.clear(),
                FaultKind::DuplicateEvents if named => {
                    out = out.into_iter().flat_map(|m| [m.clone(), m]).collect()
                }
                FaultKind::ReorderEvents if named && self.held.is_none() => {
                    self.held = out.pop();
                }
                _ => {}
            }
        }
        self.seen += 1;
        if !out.is_empty() {
            out.extend(self.held.take());
        }
        Some(out)
    }
}

type Upstream = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn pump(p: Proxy, client: WebSocket, upstream: Upstream, mut faults: FrameFaults) {
    let (mut to_client, mut from_client) = client.split();
    let (mut to_upstream, mut from_upstream) = upstream.split();
    let mut sama = (p.api() == "sama").then(SamaSocket::default);
    loop {
        tokio::select! {
            msg = from_client.next() => {
                let Some(Ok(msg)) = msg else {
                    let _ = to_upstream.close().await;
                    break;
                };
                if let ClientMessage::Text(text) = &msg {
                    let kind = sama.is_some().then(|| frame_kind(text.as_str(), Direction::Client));
                    let id = p.open(kind.as_deref(), &[Direction::Client]);
                    p.log(&id, "frame", "client".into(), Some(as_json(text.as_str())));
                    if let Some(s) = sama.as_mut() {
                        p.found(&id, s.client_frame(text.as_str()));
                    }
                }
                let closing = matches!(msg, ClientMessage::Close(_));
                if to_upstream.send(upstream_message(msg)).await.is_err() || closing {
                    break;
                }
            }
            msg = from_upstream.next() => {
                let Some(Ok(msg)) = msg else {
                    let _ = to_client.close().await;
                    break;
                };
                if let UpstreamMessage::Text(text) = &msg {
                    let kind = sama.is_some().then(|| frame_kind(text.as_str(), Direction::Server));
                    let id = p.open(kind.as_deref(), &[Direction::Server]);
                    p.log(&id, "frame", "server".into(), Some(as_json(text.as_str())));
                    if let Some(s) = sama.as_mut() {
                        p.found(&id, s.server_frame(text.as_str()));
                    }
                }
                let closing = matches!(msg, UpstreamMessage::Close(_));
                let Some(msg) = client_message(msg) else { continue };
                let framed = matches!(msg, ClientMessage::Text(_) | ClientMessage::Binary(_));
                let Some(shaped) = (if framed { faults.shape(msg) } else { Some(vec![msg]) }) else {
                    let id = p.open(None, &[]);
                    p.log(&id, "fault", "close_stream: the WebSocket is closed".into(), None);
                    let _ = to_client.send(ClientMessage::Close(Some(axum::extract::ws::CloseFrame {
                        code: 1001,
                        reason: "fault injected: close_stream".into(),
                    }))).await;
                    let _ = to_upstream.close().await;
                    break;
                };
                let mut gone = false;
                for m in shaped {
                    gone |= to_client.send(m).await.is_err();
                }
                if gone || closing {
                    break;
                }
            }
        }
    }
}

/// The kind of a SAMA frame for the reports: `WS request user_create` for a client's
/// request (`WS request (no such request)` for a name seed 003 does not have), `WS <key>`
/// for any other frame (`WS message`, `WS response`), `WS (not JSON)` for the rest.
fn frame_kind(text: &str, side: Direction) -> String {
    let frame = serde_json::from_str::<Value>(text).ok();
    let Some((key, body)) = frame.as_ref().and_then(crate::sama::driver::frame::key_of) else {
        return "WS (not a one-key JSON object)".to_owned();
    };
    if side == Direction::Client && key == "request" {
        let name = body.as_object().and_then(|o| o.keys().find(|k| k.as_str() != "id"));
        return match name.and_then(|n| chatspec_specs::sama::Request::from_name(n)) {
            Some(r) => format!("WS request {r}"),
            None => "WS request (no such request)".to_owned(),
        };
    }
    format!("WS {side} {key}")
}

fn as_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

fn upstream_message(msg: ClientMessage) -> UpstreamMessage {
    match msg {
        ClientMessage::Text(t) => UpstreamMessage::text(t.as_str().to_owned()),
        ClientMessage::Binary(b) => UpstreamMessage::Binary(b),
        ClientMessage::Ping(b) => UpstreamMessage::Ping(b),
        ClientMessage::Pong(b) => UpstreamMessage::Pong(b),
        ClientMessage::Close(frame) => UpstreamMessage::Close(
            frame.map(|f| UpstreamClose { code: f.code.into(), reason: f.reason.as_str().to_owned().into() }),
        ),
    }
}

/// The upstream's frame for the client; raw frames never come out of a read.
fn client_message(msg: UpstreamMessage) -> Option<ClientMessage> {
    Some(match msg {
        UpstreamMessage::Text(t) => ClientMessage::Text(t.as_str().to_owned().into()),
        UpstreamMessage::Binary(b) => ClientMessage::Binary(b),
        UpstreamMessage::Ping(b) => ClientMessage::Ping(b),
        UpstreamMessage::Pong(b) => ClientMessage::Pong(b),
        UpstreamMessage::Close(frame) => ClientMessage::Close(frame.map(|f| axum::extract::ws::CloseFrame {
            code: f.code.into(),
            reason: f.reason.as_str().to_owned().into(),
        })),
        UpstreamMessage::Frame(_) => return None,
    })
}
