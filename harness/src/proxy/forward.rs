//! The HTTP side of the proxy: each request is read whole, checked, passed to the upstream,
//! and its reply checked and passed back; an event stream is passed on chunk by chunk while
//! a copy is parsed and each event checked. WebSocket upgrades go to [`super::ws`].

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{HeaderMap, HeaderName, Method, StatusCode, header},
    response::{IntoResponse, Response},
};
use eventsource_stream::Eventsource;
use futures::StreamExt;
use serde_json::Value;

use super::check::{self, Direction};
use super::log::ExchangeId;
use super::rest::{self, Sent};
use super::routes::{self, Checked};
use super::{BODY_LIMIT, Proxy, ws};

/// Hop-by-hop headers (RFC 9110 7.6.1) and those the HTTP layers set themselves.
fn forwarded(name: &HeaderName) -> bool {
    !matches!(
        name.as_str(),
        "connection"
            | "keep-alive"
            | "proxy-connection"
            | "transfer-encoding"
            | "te"
            | "trailer"
            | "upgrade"
            | "host"
            | "content-length"
    )
}

fn copy_headers(from: &HeaderMap, to: &mut HeaderMap) {
    for (name, value) in from.iter().filter(|(n, _)| forwarded(n)) {
        to.append(name.clone(), value.clone());
    }
}

/// A body for the wire log: its JSON, or its text.
pub(super) fn logged(body: &[u8]) -> Option<Value> {
    if body.is_empty() {
        return None;
    }
    Some(
        serde_json::from_slice(body)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into_owned())),
    )
}

/// The client's side of one request: what its checks found.
fn check_request(
    checked: Checked<'_>,
    kind: &str,
    method: &Method,
    sent: &Sent<'_>,
) -> Vec<check::Violation> {
    match checked {
        Checked::UnichatCall(m) => check::unichat_request(m, sent.body),
        Checked::ConnectNow(r) => rest::connectnow_request(r, kind, sent),
        Checked::OneChat(r) => rest::onechat_request(r, kind, true, sent),
        Checked::OneChatNotPost(r) => {
            rest::onechat_request(r, &format!("{method} {}", r.meta().path), false, sent)
        }
        Checked::SamaHttp(r) => rest::sama_request(r, kind, sent),
        Checked::UnichatStream | Checked::Unchecked => Vec::new(),
    }
}

/// The server's side of one reply: what its checks found.
fn check_reply(checked: Checked<'_>, kind: &str, status: u16, body: &[u8]) -> Vec<check::Violation> {
    match checked {
        Checked::UnichatCall(m) => check::unichat_reply(m, status, body),
        Checked::ConnectNow(r) => rest::connectnow_reply(r, kind, status, body),
        Checked::OneChat(r) => rest::onechat_reply(r, kind, status, body),
        Checked::SamaHttp(r) => rest::sama_reply(r, kind, status, body),
        Checked::OneChatNotPost(_) | Checked::UnichatStream | Checked::Unchecked => Vec::new(),
    }
}

/// The fallback route of the proxy: every request that is not `/_mock/faults`.
pub(super) async fn forward(State(p): State<Proxy>, req: Request) -> Response {
    if ws::is_upgrade(req.headers()) {
        return ws::bridge(p, req).await;
    }
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_owned();
    let path_and_query = parts.uri.path_and_query().map_or("/", |pq| pq.as_str()).to_owned();
    let exchange = format!("{} {path}", parts.method);
    let checked = routes::classify(p.api(), &parts.method, &path);
    let kind = checked.kind();
    // A stream's events are exchanges of their own; its opening request checks nothing.
    let sides: &[Direction] = match checked {
        Checked::Unchecked | Checked::UnichatStream => &[],
        Checked::OneChatNotPost(_) => &[Direction::Client],
        _ => &[Direction::Client, Direction::Server],
    };
    let id = p.open(kind.as_deref().filter(|_| !sides.is_empty()), sides);
    let kind = kind.unwrap_or_else(|| exchange.clone());
    let body = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b,
        Err(e) => {
            p.log(&id, "request", exchange, None);
            return (
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the proxy could not read the request body: {e}"),
            )
                .into_response();
        }
    };
    p.log(&id, "request", exchange.clone(), logged(&body));
    let sent = Sent { headers: &parts.headers, query: parts.uri.query(), body: &body };
    p.found(&id, check_request(checked, &kind, &parts.method, &sent));
    let url = format!("{}{path_and_query}", p.upstream());
    let mut headers = HeaderMap::new();
    copy_headers(&parts.headers, &mut headers);
    let sent = p.shared.http.request(parts.method.clone(), &url).headers(headers).body(body).send().await;
    let resp = match sent {
        Ok(r) => r,
        Err(e) => {
            let why = crate::reply::root_cause(&e);
            p.log(&id, "response", format!("no reply from the upstream: {why}"), None);
            return (StatusCode::BAD_GATEWAY, format!("the upstream {url} did not answer: {why}"))
                .into_response();
        }
    };
    let status = resp.status();
    let mut out_headers = HeaderMap::new();
    copy_headers(resp.headers(), &mut out_headers);
    let is_stream = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/event-stream"));
    if is_stream && status.is_success() {
        p.log(&id, "response", format!("{} {exchange}: event stream open", status.as_u16()), None);
        let body = tee_events(p, matches!(checked, Checked::UnichatStream), resp);
        let mut out = Response::new(body);
        *out.status_mut() = status;
        *out.headers_mut() = out_headers;
        return out;
    }
    let bytes = match resp.bytes().await {
        Ok(b) => b,
        Err(e) => {
            let why = crate::reply::root_cause(&e);
            p.log(
                &id,
                "response",
                format!("{} {exchange}: the body did not come: {why}", status.as_u16()),
                None,
            );
            return (StatusCode::BAD_GATEWAY, format!("the upstream's reply was cut: {why}")).into_response();
        }
    };
    p.log(&id, "response", format!("{} {exchange}", status.as_u16()), logged(&bytes));
    p.found(&id, check_reply(checked, &kind, status.as_u16(), &bytes));
    let mut out = Response::new(Body::from(bytes));
    *out.status_mut() = status;
    *out.headers_mut() = out_headers;
    out
}

/// The upstream's event stream passed on chunk by chunk as it comes, while a copy is parsed
/// (eventsource-stream, the WHATWG rules) and each event logged as an exchange of its own
/// and, for Unichat, checked.
fn tee_events(p: Proxy, check: bool, resp: reqwest::Response) -> Body {
    let (tx, rx) = futures::channel::mpsc::unbounded::<Result<Bytes, std::io::Error>>();
    tokio::spawn(async move {
        let mut events = rx.eventsource();
        while let Some(Ok(event)) = events.next().await {
            if event.event == "ping" {
                continue;
            }
            let kind = format!("SSE {}", event.event);
            let id: ExchangeId = p.open(check.then_some(kind.as_str()), &[Direction::Server]);
            let data = serde_json::from_str(&event.data).unwrap_or(Value::String(event.data.clone()));
            let summary = if event.id.is_empty() {
                event.event.clone()
            } else {
                format!("{} id {}", event.event, event.id)
            };
            p.log(&id, "event", summary, Some(data));
            if check {
                p.found(&id, check::unichat_event(&event.event, &event.data));
            }
        }
    });
    Body::from_stream(resp.bytes_stream().map(move |chunk| {
        if let Ok(bytes) = &chunk {
            let _ = tx.unbounded_send(Ok(bytes.clone()));
        }
        chunk
    }))
}
