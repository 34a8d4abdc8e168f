//! One reply type for every driver: what came back to one request, over HTTP or in a socket
//! frame, and how a step reads it.
//!
//! A [`Reply`] carries the body as JSON ([`Value::Null`] when it was empty or not JSON) beside
//! the raw text and the content type, the schema violations found on arrival, and, when no
//! reply came, a [`TransportFailure`] saying why (refused, timed out, closed) and how long the
//! harness waited. Drivers build replies with [`send`] (HTTP) or [`Reply::frame`] and
//! [`Reply::no_reply`] (a socket); steps judge them with [`Reply::answer`].
//!
//! Violations come in two grounds (see `verdict.rs`): [`Reply::violations`] break the
//! document and fail a scenario; [`Reply::readings`] break only a reading of the API's
//! interpretation register and grade it lenient (failing it under `--strict`).
//!
//! A socket driver answers [`Reply::frame`] when a frame answers a request (the object under
//! the frame's key as the body, the whole frame as the text), and [`Reply::no_reply`] with a
//! [`TransportFailure`] of kind [`FailureKind::TimedOut`] or [`FailureKind::Closed`]
//! otherwise; it records what breaks the document with [`Reply::check_schema`] (or by pushing
//! to [`Reply::violations`]) and what breaks a reading with [`Reply::miss`]. Steps judge any
//! reply with `Scenario::expect_refused`, `grade_reply` and `check_on` (`kit/replies.rs`).
//!
//! **Bodies that are not JSON.** Every driver grades them by one rule, [`NotJson`]: the API
//! names one ground for a success and one for a refusal, and [`Reply::grade_not_json`] picks
//! by the reply. A body is printed escaped ([`escaped`]): control characters and bytes that
//! are not UTF-8 as escapes, a long one cut with its size.
//!
//! **Refusals.** "The request is refused" means any error reply the document allows: an HTTP
//! status of 4xx, or a body carrying an error in any shape (an `error` member that is an
//! object or a string, or a `status` of `"error"`). Which status and which shape are readings,
//! except where a document states them (Unichat seed 000 states HTTP 400 and
//! `{status: "error", error_code, error_text}`); a server error (5xx) is never a refusal.

use std::fmt;
use std::time::{Duration, Instant};

use chatspec_specs::Registry;
use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::wire::WireLog;

mod body;
pub use body::{NotJson, SHOWN_BYTES, escaped};

/// How a request travelled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Via {
    /// An HTTP request: its method and absolute URL.
    Http {
        /// The HTTP method.
        method: Method,
        /// The absolute URL, query included.
        url: String,
    },
    /// A socket frame: the id the request was sent with, and the key of the frame that
    /// answered it (`response`, `ack`), empty while none has.
    Frame {
        /// The request's id.
        id: String,
        /// The answering frame's key (`response`, `ack`); empty while none has answered.
        key: String,
    },
}

/// Why no reply came.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureKind {
    /// The connection could not be made: nothing listens there (connection refused), or the
    /// name, route or TLS handshake failed.
    Refused,
    /// Nothing answered within the scaled wait.
    TimedOut,
    /// The connection or socket closed before the reply was complete.
    Closed,
    /// Anything else (a URL that is no URL, a reply that could not be read).
    Other,
}

impl FailureKind {
    /// Lower-case words for messages: `refused`, `timed out`, `closed`, `failed`.
    pub fn words(self) -> &'static str {
        match self {
            FailureKind::Refused => "refused",
            FailureKind::TimedOut => "timed out",
            FailureKind::Closed => "closed",
            FailureKind::Other => "failed",
        }
    }
}

/// Why no reply came, and how long the harness waited for one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransportFailure {
    /// Refused, timed out, closed, or another failure.
    pub kind: FailureKind,
    /// The cause as the transport said it, e.g. `connection refused`.
    pub detail: String,
    /// How long the harness waited before giving up.
    pub waited: Duration,
}

/// What a message about a wait that ran out adds, so a team with a slow server knows the
/// knob: every wait of a run is the suite's base wait times the profile's `timeout_factor`.
pub const SCALED_WAIT: &str = "waits scale with the target profile's timeout_factor";

impl fmt::Display for TransportFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} after {} ms", self.kind.words(), self.waited.as_millis())?;
        if self.kind == FailureKind::TimedOut {
            write!(f, " ({SCALED_WAIT})")?;
        }
        write!(f, ": {}", self.detail)
    }
}

impl TransportFailure {
    /// Classifies an HTTP client error, with the time waited.
    pub fn from_http(e: &reqwest::Error, waited: Duration) -> TransportFailure {
        let detail = root_cause(e);
        let lower = detail.to_ascii_lowercase();
        let kind = if e.is_timeout() || lower.contains("timed out") {
            FailureKind::TimedOut
        } else if e.is_connect() {
            FailureKind::Refused
        } else if ["closed", "reset", "incomplete", "broken pipe", "unexpected eof"]
            .iter()
            .any(|w| lower.contains(w))
        {
            FailureKind::Closed
        } else {
            FailureKind::Other
        };
        TransportFailure { kind, detail, waited }
    }
}

/// The innermost cause of an error, which says what happened (`connection refused`), with
/// the kind of the outer error when the inner one is too terse.
pub fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause: &(dyn std::error::Error + 'static) = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    if let Some(io) = cause.downcast_ref::<std::io::Error>() {
        return match io.kind() {
            std::io::ErrorKind::ConnectionRefused => "connection refused".to_owned(),
            std::io::ErrorKind::ConnectionReset => "connection reset".to_owned(),
            std::io::ErrorKind::TimedOut => "timed out".to_owned(),
            _ => io.to_string(),
        };
    }
    let text = cause.to_string();
    if text.is_empty() { e.to_string() } else { text }
}

/// A check that holds only on a reading of the register, and did not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadingMiss {
    /// The register entry (`C5`, `O4`).
    pub entry: String,
    /// What did not hold, in the words of a schema violation.
    pub violation: String,
    /// Why it should have held, when the violation does not say (the register's words).
    pub ground: Option<String>,
}

impl ReadingMiss {
    /// The violation with its ground: `/: the body is not JSON (...); reading C4 ...`.
    pub fn text(&self) -> String {
        match &self.ground {
            Some(ground) => format!("{}; {ground}", self.violation),
            None => self.violation.clone(),
        }
    }
}

/// How a reply answered, as a step judges it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// No reply came ([`Reply::failure`] says why).
    NoReply,
    /// A 5xx: a server error is no answer the documents allow.
    ServerError,
    /// The request was refused: a 4xx, or a body carrying an error in any shape.
    Refused,
    /// Anything else: a 2xx (or a frame) without an error.
    Success,
}

/// What came back to one request, over HTTP or in a socket frame.
#[derive(Clone, Debug)]
pub struct Reply {
    /// What was asked, in the API's words: a Unichat method, a connectnow route, a OneChat
    /// call, a SAMA request or packet.
    pub name: String,
    /// Over HTTP or in a socket frame.
    pub via: Via,
    /// The HTTP status; 0 for a socket frame or when no reply came.
    pub status: u16,
    /// The HTTP headers (empty for a socket frame).
    pub headers: HeaderMap,
    /// The `Content-Type` of an HTTP reply, if it had one.
    pub content_type: Option<String>,
    /// The body as JSON (for a frame, the object under its key); [`Value::Null`] when it was
    /// empty or not JSON.
    pub body: Value,
    /// The body as received, as text (bytes that are not UTF-8 replaced; empty when no reply
    /// came).
    pub text: String,
    /// The body's bytes as received, when they are not [`Reply::text`]'s (not UTF-8).
    pub bytes: Option<Vec<u8>>,
    /// Where the reply breaks the document: each fails the scenario that relies on it.
    pub violations: Vec<String>,
    /// Where the reply breaks only a reading of the register: each grades the scenario
    /// lenient (or fails it under `--strict`).
    pub readings: Vec<ReadingMiss>,
    /// Why no reply came.
    pub failure: Option<TransportFailure>,
    /// How long the reply took (or how long the harness waited for none).
    pub waited: Duration,
}

impl Reply {
    /// An empty reply to `name` sent `via`, to be filled in.
    pub fn new(name: &str, via: Via) -> Reply {
        Reply {
            name: name.to_owned(),
            via,
            status: 0,
            headers: HeaderMap::new(),
            content_type: None,
            body: Value::Null,
            text: String::new(),
            bytes: None,
            violations: Vec::new(),
            readings: Vec::new(),
            failure: None,
            waited: Duration::ZERO,
        }
    }

    /// A reply that came in a socket frame `{ <key>: body }` answering request `id`; `text`
    /// is the whole frame as received.
    pub fn frame(name: &str, id: &str, key: &str, body: Value, text: String, waited: Duration) -> Reply {
        let mut r = Reply::new(name, Via::Frame { id: id.to_owned(), key: key.to_owned() });
        r.body = body;
        r.text = text;
        r.waited = waited;
        r
    }

    /// No reply came to `name` sent `via`.
    pub fn no_reply(name: &str, via: Via, failure: TransportFailure) -> Reply {
        let mut r = Reply::new(name, via);
        r.waited = failure.waited;
        r.failure = Some(failure);
        r
    }

    /// Whether a reply came at all.
    pub fn answered(&self) -> bool {
        self.failure.is_none()
    }

    /// The error a body carries, in any shape: its `error` member (an object, a string...),
    /// or the body itself when its `status` says `error` (Unichat, OneChat).
    pub fn error(&self) -> Option<&Value> {
        if let Some(e) = self.body.get("error").filter(|e| !e.is_null()) {
            return Some(e);
        }
        let word = self.body.get("status").and_then(Value::as_str)?;
        word.eq_ignore_ascii_case("error").then_some(&self.body)
    }

    /// How the reply answered (see the module's note on refusals).
    pub fn answer(&self) -> Answer {
        if self.failure.is_some() {
            Answer::NoReply
        } else if self.status >= 500 {
            Answer::ServerError
        } else if (400..500).contains(&self.status) || self.error().is_some() {
            Answer::Refused
        } else {
            Answer::Success
        }
    }

    /// Whether the request was refused in any shape the documents allow.
    pub fn refused(&self) -> bool {
        self.answer() == Answer::Refused
    }

    /// Whether the HTTP status is 2xx.
    pub fn is_2xx(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The HTTP method, for a reply over HTTP.
    pub fn http_method(&self) -> Option<&Method> {
        match &self.via {
            Via::Http { method, .. } => Some(method),
            Via::Frame { .. } => None,
        }
    }

    /// The absolute URL, for a reply over HTTP.
    pub fn url(&self) -> Option<&str> {
        match &self.via {
            Via::Http { url, .. } => Some(url),
            Via::Frame { .. } => None,
        }
    }

    /// A header's value, if present and text.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
    }

    /// What was sent, for messages: `POST /api/post_message` or `request user_create`.
    pub fn what(&self) -> String {
        match &self.via {
            Via::Http { method, url } => format!("{method} {}", path_of(url)),
            Via::Frame { .. } => self.name.clone(),
        }
    }

    /// The body's bytes as received.
    pub fn raw(&self) -> &[u8] {
        self.bytes.as_deref().unwrap_or(self.text.as_bytes())
    }

    /// The body for a wire log: the JSON, or the text when it was not JSON ([`escaped`], cut
    /// after 4 KiB).
    pub fn logged_body(&self) -> Option<Value> {
        if !self.body.is_null() {
            Some(self.body.clone())
        } else if self.raw().is_empty() {
            None
        } else {
            Some(Value::String(escaped(self.raw(), 4096)))
        }
    }

    /// One line for failure messages: `HTTP 400 {...}`, `{"response": {...}}`, or why no
    /// reply came.
    pub fn describe(&self) -> String {
        if let Some(f) = &self.failure {
            return format!("no reply to {} ({f})", self.what());
        }
        match &self.via {
            Via::Frame { key, .. } => format!("{{\"{key}\": {}}}", self.body),
            Via::Http { .. } => {
                let body = if self.body.is_null() {
                    let text = escaped(self.raw(), SHOWN_BYTES);
                    match &self.content_type {
                        Some(ct) => format!("{ct} \"{text}\""),
                        None => format!("\"{text}\""),
                    }
                } else {
                    self.body.to_string()
                };
                format!("HTTP {} {body}", self.status)
            }
        }
    }

    /// [`Reply::describe`] followed by every violation and reading miss, one a line.
    pub fn describe_all(&self) -> String {
        let mut out = self.describe();
        for v in &self.violations {
            out.push_str("\n  ");
            out.push_str(v);
        }
        for m in &self.readings {
            out.push_str(&format!("\n  {} (reading {})", m.text(), m.entry));
        }
        out
    }

    /// Adds the violations of the body (or `instance`) against schema `<api>/<schema>`.
    pub fn check_schema(&mut self, api: &str, schema: &str, instance: Option<&Value>) {
        let found = schema_violations(api, schema, instance.unwrap_or(&self.body));
        self.violations.extend(found);
    }

    /// Adds a miss of the register reading `entry`.
    pub fn miss(&mut self, entry: &str, violation: impl Into<String>) {
        self.readings.push(ReadingMiss {
            entry: entry.to_owned(),
            violation: violation.into(),
            ground: None,
        });
    }

    /// Logs the reply to the wire log under `summary` (a transport failure is logged as
    /// `no reply: ...` whatever the summary).
    pub fn log(&self, wire: &WireLog, actor: Option<&str>, summary: String) {
        match &self.failure {
            Some(f) => wire.push("response", actor, format!("no reply: {f}"), None),
            None => wire.push("response", actor, summary, self.logged_body()),
        }
    }
}

/// The violations of `instance` against schema `<api>/<schema>`, as text; a schema the
/// registry lacks is itself reported.
pub fn schema_violations(api: &str, schema: &str, instance: &Value) -> Vec<String> {
    match Registry::global().validate(api, schema, instance) {
        Ok(()) => Vec::new(),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

/// Sends one HTTP request and reads the whole reply; a transport failure ends up in
/// [`Reply::failure`], never in a panic. `method` and `url` are what `req` was built with.
pub async fn send(name: &str, method: Method, url: String, req: reqwest::RequestBuilder) -> Reply {
    let started = Instant::now();
    let mut reply = Reply::new(name, Via::Http { method, url });
    let resp = match req.send().await {
        Ok(r) => r,
        Err(e) => {
            let failure = TransportFailure::from_http(&e, started.elapsed());
            reply.waited = failure.waited;
            reply.failure = Some(failure);
            return reply;
        }
    };
    reply.status = resp.status().as_u16();
    reply.headers = resp.headers().clone();
    reply.content_type = reply.header("content-type");
    match resp.bytes().await {
        Ok(bytes) => {
            reply.body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            reply.text = String::from_utf8_lossy(&bytes).into_owned();
            if std::str::from_utf8(&bytes).is_err() {
                reply.bytes = Some(bytes.to_vec());
            }
            reply.waited = started.elapsed();
        }
        Err(e) => {
            // The status came, the body did not: the reply is incomplete, so it is none.
            let failure = TransportFailure::from_http(&e, started.elapsed());
            reply.waited = failure.waited;
            reply.failure = Some(TransportFailure {
                detail: format!("HTTP {} came but its body did not: {}", reply.status, failure.detail),
                ..failure
            });
        }
    }
    reply
}

/// The path (and query) of a URL, for messages.
pub fn path_of(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(u) => match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_owned(),
        },
        Err(_) => url.to_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;

    /// A reply to `POST http://h/api/x` with `status` and the JSON `body` (also its text).
    pub(crate) fn http(status: u16, body: Value) -> Reply {
        let mut r = Reply::new("x", Via::Http { method: Method::POST, url: "http://h/api/x".into() });
        r.status = status;
        r.text = body.to_string();
        r.body = body;
        r
    }

    #[test]
    fn a_refusal_is_a_4xx_or_an_error_in_any_shape() {
        assert_eq!(http(400, json!({"status": "error", "error_code": "x"})).answer(), Answer::Refused);
        assert_eq!(http(422, Value::Null).answer(), Answer::Refused);
        assert_eq!(http(200, json!({"status": "Error", "description": "no"})).answer(), Answer::Refused);
        assert_eq!(http(200, json!({"status": "OK"})).answer(), Answer::Success);
        assert_eq!(http(500, json!({"status": "error"})).answer(), Answer::ServerError);
        let string_error = Reply::frame(
            "block_user",
            "b-1",
            "response",
            json!({"id": "b-1", "error": "Can't block self user"}),
            String::new(),
            Duration::ZERO,
        );
        assert_eq!(string_error.answer(), Answer::Refused);
        assert_eq!(string_error.error(), Some(&json!("Can't block self user")));
        let ok = Reply::frame(
            "x",
            "1",
            "response",
            json!({"id": "1", "success": true}),
            String::new(),
            Duration::ZERO,
        );
        assert_eq!(ok.answer(), Answer::Success);
    }

    #[test]
    fn no_reply_says_why_and_how_long_it_waited() {
        let r = Reply::no_reply(
            "user_create",
            Via::Frame { id: "u-1".into(), key: String::new() },
            TransportFailure {
                kind: FailureKind::TimedOut,
                detail: "nothing answered".into(),
                waited: Duration::from_millis(5000),
            },
        );
        assert_eq!(r.answer(), Answer::NoReply);
        assert_eq!(
            r.describe(),
            "no reply to user_create (timed out after 5000 ms (waits scale with the target profile's timeout_factor): nothing answered)"
        );
    }

    #[test]
    fn text_bodies_are_described_with_their_content_type() {
        let mut r = http(422, Value::Null);
        r.text = "'device_id' is required.".into();
        r.content_type = Some("text/plain".into());
        assert_eq!(r.describe(), "HTTP 422 text/plain \"'device_id' is required.\"");
        r.miss("S12", "/: not JSON");
        assert!(r.describe_all().contains("(reading S12)"));
    }

    #[tokio::test]
    async fn a_closed_port_is_a_refused_connection() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let url = format!("http://{addr}/x");
        let client = crate::tls::http_client().no_proxy().build().unwrap();
        let r = send("x", Method::GET, url.clone(), client.get(&url)).await;
        let f = r.failure.clone().unwrap();
        assert_eq!(f.kind, FailureKind::Refused, "{f:?}");
        assert_eq!(f.detail, "connection refused");
        assert_eq!(r.answer(), Answer::NoReply);
    }
}
