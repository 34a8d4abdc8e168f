//! Fault injection: one vocabulary for `chatspec serve` (`POST/GET/DELETE /_mock/faults`) and
//! for `chatspec proxy`, so a client's own tests can break the network on purpose and stay
//! reproducible.
//!
//! A fault is armed for a route (`/api/post_message`, or a prefix ending in `*` such as
//! `/sse/*`), optionally one HTTP method and one SSE event type, and fires on the next `times`
//! matching requests, or on each with `probability` drawn from a generator seeded with `seed`.
//! What it does:
//!
//! | `kind` | effect |
//! | --- | --- |
//! | `drop_reply` | the server acts, then the connection is cut before the reply is read |
//! | `delay` (`ms`) | the request waits `ms` milliseconds before the server sees it |
//! | `server_error` (`status`, default 503) | a 5xx instead of the reply; the server never sees the request |
//! | `garbage` | the server acts, then the reply's body is replaced by bytes that are no JSON |
//! | `close_stream` (`after`) | an SSE stream ends after `after` events; in the proxy, a WebSocket is closed after `after` frames from the server |
//! | `drop_events` / `duplicate_events` / `reorder_events` | on an SSE stream, every matching event is left out, sent twice, or swapped with the next one; in the proxy, the same for the server's WebSocket frames, `event` naming the frame's key (`message`) |
//! | `slow_read` (`bytes_per_second`) | the reply's body trickles out |
//!
//! Every fault that fired is listed by `GET /_mock/faults` (and in the proxy's wire log).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::{
    Json, Router,
    body::{Body, Bytes},
    extract::{FromRef, Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use futures::{Stream, StreamExt, stream};
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde_json::{Value, json};

use crate::kit::admin::AdminRoute;

pub use chatspec_specs::admin::faults::{Fault, FaultKind, Fired};

/// Why a fault is refused when it is armed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum FaultError {
    /// `probability` outside 0 to 1.
    #[error("probability must be between 0 and 1, not {0}")]
    Probability(f64),
    /// `server_error` with a status outside 500 to 599.
    #[error("server_error needs a 5xx status, not {0}")]
    NotServerError(u16),
    /// `slow_read` at 0 bytes a second.
    #[error("bytes_per_second must be at least 1")]
    NoRate,
    /// An empty `route`.
    #[error("route is required (a path, or a prefix ending in *)")]
    NoRoute,
}

/// Why `spec` cannot be armed, if it cannot.
fn check(spec: &Fault) -> Result<(), FaultError> {
    if let Some(p) = spec.probability
        && !(0.0..=1.0).contains(&p)
    {
        return Err(FaultError::Probability(p));
    }
    match spec.kind {
        FaultKind::ServerError { status } if !(500..=599).contains(&status) => {
            Err(FaultError::NotServerError(status))
        }
        FaultKind::SlowRead { bytes_per_second: 0 } => Err(FaultError::NoRate),
        _ if spec.route.is_empty() => Err(FaultError::NoRoute),
        _ => Ok(()),
    }
}

/// Whether `spec` applies to a request of `method` for `path`.
fn matches(spec: &Fault, method: &str, path: &str) -> bool {
    let route = match spec.route.strip_suffix('*') {
        Some(prefix) => path.starts_with(prefix),
        None => path == spec.route,
    };
    route && spec.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
}

/// An armed fault with its remaining count and its generator.
#[derive(Debug)]
struct Armed {
    id: u64,
    spec: Fault,
    left: Option<u32>,
    rng: StdRng,
}

#[derive(Debug, Default)]
struct Inner {
    next_id: u64,
    armed: Vec<Armed>,
    fired: Vec<Fired>,
}

/// The armed faults and what fired; clones share them.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    inner: Arc<Mutex<Inner>>,
}

impl Faults {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Arms a fault; returns its id, or why the spec is refused.
    pub fn arm(&self, spec: Fault) -> Result<u64, FaultError> {
        check(&spec)?;
        let mut inner = self.lock();
        inner.next_id += 1;
        let id = inner.next_id;
        let left = match (spec.times, spec.probability) {
            (None, None) => Some(1),
            (times, _) => times,
        };
        let rng = StdRng::seed_from_u64(spec.seed);
        inner.armed.push(Armed { id, spec, left, rng });
        Ok(id)
    }

    /// Disarms every fault and forgets what fired.
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.armed.clear();
        inner.fired.clear();
    }

    /// Every fault that fired, oldest first.
    pub fn fired(&self) -> Vec<Fired> {
        self.lock().fired.clone()
    }

    /// The faults that fire on this request, each recorded as fired.
    pub fn take(&self, method: &str, path: &str) -> Vec<Fault> {
        let mut inner = self.lock();
        let mut out = Vec::new();
        let mut fired = Vec::new();
        for armed in inner.armed.iter_mut().filter(|a| matches(&a.spec, method, path)) {
            if armed.left == Some(0) {
                continue;
            }
            if let Some(p) = armed.spec.probability
                && !armed.rng.random_bool(p)
            {
                continue;
            }
            if let Some(left) = armed.left.as_mut() {
                *left -= 1;
            }
            fired.push(Fired {
                fault: armed.id,
                kind: armed.spec.kind.clone(),
                request: format!("{method} {path}"),
            });
            out.push(armed.spec.clone());
        }
        inner.fired.extend(fired);
        inner.armed.retain(|a| a.left != Some(0));
        out
    }

    /// `GET /_mock/faults`: what is armed and what fired.
    pub fn listing(&self) -> Value {
        let inner = self.lock();
        let armed: Vec<Value> =
            inner.armed.iter().map(|a| json!({"id": a.id, "left": a.left, "fault": a.spec})).collect();
        json!({"armed": armed, "fired": inner.fired})
    }
}

/// `GET /_mock/faults`, `POST /_mock/faults` (one fault or an array), `DELETE /_mock/faults`,
/// for a router whose state `S` holds the faults: a mock's table of admin routes.
pub fn table<S>() -> Vec<AdminRoute<S>>
where
    S: Clone + Send + Sync + 'static,
    Faults: FromRef<S>,
{
    vec![
        AdminRoute::get("/_mock/faults", list),
        AdminRoute::post("/_mock/faults", arm),
        AdminRoute::delete("/_mock/faults", clear),
    ]
}

/// The routes of [`table`] on `faults` alone (`chatspec proxy`).
pub fn routes(faults: Faults) -> Router {
    crate::kit::admin::router(table::<Faults>()).with_state(faults)
}

async fn list(State(faults): State<Faults>) -> Json<Value> {
    Json(faults.listing())
}

async fn arm(State(faults): State<Faults>, body: Bytes) -> Response {
    let specs: Vec<Fault> = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Array(items)) => match items.into_iter().map(serde_json::from_value).collect() {
            Ok(specs) => specs,
            Err(e) => return refused(format!("not a fault: {e}")),
        },
        Ok(one) => match serde_json::from_value(one) {
            Ok(spec) => vec![spec],
            Err(e) => return refused(format!("not a fault: {e}")),
        },
        Err(e) => return refused(format!("the body is not JSON: {e}")),
    };
    let mut ids = Vec::new();
    for spec in specs {
        match faults.arm(spec) {
            Ok(id) => ids.push(id),
            Err(e) => return refused(e.to_string()),
        }
    }
    (StatusCode::CREATED, Json(json!({"ids": ids}))).into_response()
}

async fn clear(State(faults): State<Faults>) -> StatusCode {
    faults.clear();
    StatusCode::NO_CONTENT
}

fn refused(text: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"status": "error", "error": text}))).into_response()
}

/// The middleware that applies armed faults to every request but the admin routes and
/// WebSocket upgrades (whose frames only a proxy sees: it takes their faults itself):
/// `router.layer(axum::middleware::from_fn_with_state(faults, faults::apply))`.
pub async fn apply(State(faults): State<Faults>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let upgrade =
        req.headers().get(header::UPGRADE).is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"websocket"));
    if path.starts_with("/_mock/") || upgrade {
        return next.run(req).await;
    }
    let fire = faults.take(req.method().as_str(), &path);
    if fire.is_empty() {
        return next.run(req).await;
    }
    for f in &fire {
        match f.kind {
            FaultKind::Delay { ms } => tokio::time::sleep(Duration::from_millis(ms)).await,
            FaultKind::ServerError { status } => {
                let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
                return (status, "fault injected: server_error").into_response();
            }
            _ => {}
        }
    }
    let mut resp = next.run(req).await;
    for f in fire {
        resp = match f.kind {
            FaultKind::DropReply => drop_reply(resp),
            FaultKind::Garbage => garbage(resp),
            FaultKind::SlowRead { bytes_per_second } => map_body(resp, |b| slow(b, bytes_per_second)),
            FaultKind::CloseStream { .. }
            | FaultKind::DropEvents
            | FaultKind::DuplicateEvents
            | FaultKind::ReorderEvents => map_body(resp, move |b| Shaping::new(f, b).run()),
            FaultKind::Delay { .. } | FaultKind::ServerError { .. } => resp,
        };
    }
    resp
}

/// The reply after the server acted, cut: the body fails at once, so the connection ends
/// without a complete reply.
fn drop_reply(resp: Response) -> Response {
    let (mut parts, _) = resp.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let cut = stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::other("fault injected: drop_reply"))
    });
    Response::from_parts(parts, Body::from_stream(cut))
}

fn garbage(resp: Response) -> Response {
    let (mut parts, _) = resp.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Response::from_parts(parts, Body::from(&b"\x00{garbage: fault injected\xff"[..]))
}

type Chunks = std::pin::Pin<Box<dyn Stream<Item = Result<Bytes, axum::Error>> + Send>>;

fn map_body(resp: Response, f: impl FnOnce(Chunks) -> Chunks) -> Response {
    let (mut parts, body) = resp.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from_stream(f(Box::pin(body.into_data_stream()))))
}

/// The body in pieces of `rate` bytes, one piece a second.
fn slow(body: Chunks, rate: u32) -> Chunks {
    let rate = rate.max(1) as usize;
    Box::pin(body.flat_map(move |chunk| {
        let pieces: Vec<Result<Bytes, axum::Error>> = match chunk {
            Ok(bytes) => bytes.chunks(rate).map(|c| Ok(Bytes::copy_from_slice(c))).collect(),
            Err(e) => vec![Err(e)],
        };
        stream::iter(pieces).then(|p| async {
            tokio::time::sleep(Duration::from_secs(1)).await;
            p
        })
    }))
}

/// Applies an event fault to an SSE body, event by event (an event ends at a blank line).
struct Shaping {
    body: Chunks,
    spec: Fault,
    pending: Vec<u8>,
    queue: VecDeque<Bytes>,
    held: Option<Bytes>,
    seen: u32,
    done: bool,
}

impl Shaping {
    fn new(spec: Fault, body: Chunks) -> Shaping {
        Shaping { body, spec, pending: Vec::new(), queue: VecDeque::new(), held: None, seen: 0, done: false }
    }

    /// Queues what becomes of one event; true when the stream must end here.
    fn shape_one(&mut self, event: Bytes) -> bool {
        let named = self.spec.event.as_deref().is_none_or(|name| event_name(&event) == name);
        match self.spec.kind {
            FaultKind::CloseStream { after } => {
                if self.seen >= after {
                    return true;
                }
                self.seen += 1;
                self.queue.push_back(event);
            }
            FaultKind::DropEvents if named => {}
            FaultKind::DuplicateEvents if named => {
                self.queue.push_back(event.clone());
                self.queue.push_back(event);
            }
            FaultKind::ReorderEvents if named && self.held.is_none() => self.held = Some(event),
            _ => {
                self.queue.push_back(event);
                self.queue.extend(self.held.take());
            }
        }
        false
    }

    /// The shaped body.
    fn run(self) -> Chunks {
        Box::pin(stream::unfold(self, |mut s| async move {
            loop {
                if let Some(b) = s.queue.pop_front() {
                    return Some((Ok(b), s));
                }
                if s.done {
                    return None;
                }
                match s.body.next().await {
                    None => {
                        s.done = true;
                        s.queue.extend(s.held.take());
                    }
                    Some(Err(e)) => {
                        s.done = true;
                        return Some((Err(e), s));
                    }
                    Some(Ok(bytes)) => {
                        s.pending.extend_from_slice(&bytes);
                        while let Some(end) = event_end(&s.pending) {
                            let event = Bytes::from(s.pending.drain(..end).collect::<Vec<u8>>());
                            if s.shape_one(event) {
                                // CloseStream: the events before it went out; the body ends.
                                s.done = true;
                                break;
                            }
                        }
                    }
                }
            }
        }))
    }
}

/// Where the first complete event of `buf` ends (after its blank line), if one is complete.
fn event_end(buf: &[u8]) -> Option<usize> {
    let lf = buf.windows(2).position(|w| w == b"\n\n").map(|p| p + 2);
    let crlf = buf.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4);
    match (lf, crlf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The `event:` field of one event block (`message` when absent, as WHATWG says).
fn event_name(event: &[u8]) -> &str {
    let text = std::str::from_utf8(event).unwrap_or("");
    text.lines()
        .find_map(|l| l.strip_prefix("event:").map(|v| v.strip_prefix(' ').unwrap_or(v)))
        .unwrap_or("message")
}
