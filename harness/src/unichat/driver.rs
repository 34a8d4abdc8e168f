//! The Unichat driver: method calls over HTTP JSON and notifications over SSE (seed 000).
//!
//! A well-formed call is built from the method's declared request type
//! (`chatspec_specs::unichat`), checked against the method's request schema before it is sent
//! (a mismatch is a bug of the suite, [`RefusedRequest`]), and its reply against the reply
//! schema. A request the suite means to be wrong goes through [`call_malformed`] alone.

use std::sync::Arc;
use std::time::Duration;

use chatspec_specs::unichat::{API, Meta, Method};
use chatspec_specs::{Endpoint, Endpoints, Registry};
use serde_json::{Value, json};

use crate::context::RunContext;
use crate::events::{Inbox, Received};
use crate::wire::WireLog;

pub use crate::reply::Reply;

/// What a Unichat reply says, in seed 000's terms.
pub trait UnichatReply {
    /// Success: HTTP 200 and `"status": "OK"`.
    fn is_ok(&self) -> bool;
    /// The `error_code` of an error reply.
    fn error_code(&self) -> Option<&str>;
}

impl UnichatReply for Reply {
    fn is_ok(&self) -> bool {
        self.status == 200 && self.body.get("status").and_then(Value::as_str) == Some("OK")
    }

    fn error_code(&self) -> Option<&str> {
        self.body.get("error_code").and_then(Value::as_str)
    }
}

/// A request the suite built that its own declaration refuses: a bug of the suite, never of
/// the server, so the scenario fails before anything is sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RefusedRequest {
    /// The endpoint type is not in the declared method list (`unichat::Method`).
    #[error("the suite sent a request its own schema refuses: {name} is not in the declared method list")]
    NotListed {
        /// The endpoint's name.
        name: &'static str,
    },
    /// The typed arguments did not serialise to JSON.
    #[error("the suite sent a request its own schema refuses: {method} arguments do not serialise: {error}")]
    NotSerialisable {
        /// The method called.
        method: Method,
        /// What serde said.
        error: String,
    },
    /// The arguments break the method's request schema (`request.<method>`).
    #[error("the suite sent a request its own schema refuses: {method} {args}\n  {}", violations.join("\n  "))]
    Schema {
        /// The method called.
        method: Method,
        /// The arguments as built.
        args: Value,
        /// Every way they break the schema.
        violations: Vec<String>,
    },
}

/// Checks `args` against the request schema of `method`.
pub fn check_request(method: Method, args: &Value) -> Result<(), RefusedRequest> {
    match Registry::global().validate(API, &method.request_schema_name(), args) {
        Ok(()) => Ok(()),
        Err(errors) => Err(RefusedRequest::Schema {
            method,
            args: args.clone(),
            violations: errors.iter().map(ToString::to_string).collect(),
        }),
    }
}

/// Sends a well-formed call of the endpoint `E`, built from its declared request type.
/// `token` is `USER_AUTH_TOKEN`. The arguments are checked against the method's request
/// schema first; then the profile's extra, omitted and renamed fields apply to them
/// (`{login}` is the e-mail of `register` and `login`).
pub async fn call<E: Endpoint<Meta = Meta>>(
    ctx: &RunContext,
    wire: &WireLog,
    actor: Option<&str>,
    token: Option<&str>,
    args: &E::Request,
) -> Result<Reply, RefusedRequest> {
    let method = Method::from_name(E::NAME).ok_or(RefusedRequest::NotListed { name: E::NAME })?;
    let args = serde_json::to_value(args)
        .map_err(|e| RefusedRequest::NotSerialisable { method, error: e.to_string() })?;
    check_request(method, &args)?;
    let body = shaped_body(ctx, method.name(), args, actor);
    Ok(post(ctx, wire, actor, method.name(), body, &user_headers(ctx, token)).await)
}

/// A request the suite sends wrong on purpose, in a negative scenario: it is never checked
/// against a request schema.
#[derive(Clone, Debug)]
pub enum Malformed {
    /// `{"args": <args>}`, shaped by the profile like any call, with `APP_DOMAIN_TOKEN` and
    /// `USER_AUTH_TOKEN` when `token` is given.
    Args {
        /// The arguments, as the scenario writes them.
        args: Value,
        /// `USER_AUTH_TOKEN`, if any.
        token: Option<String>,
    },
    /// This body byte for byte, with exactly these tokens (a token left out is not sent).
    Raw {
        /// The body.
        body: Vec<u8>,
        /// `APP_DOMAIN_TOKEN`, if any.
        domain: Option<String>,
        /// `USER_AUTH_TOKEN`, if any.
        token: Option<String>,
    },
}

/// Sends a deliberately malformed request to the method named `name` (which need not
/// exist): the one way a scenario sends what the declaration refuses.
pub async fn call_malformed(
    ctx: &RunContext,
    wire: &WireLog,
    actor: Option<&str>,
    name: &str,
    request: Malformed,
) -> Reply {
    match request {
        Malformed::Args { args, token } => {
            let body = shaped_body(ctx, name, args, actor);
            post(ctx, wire, actor, name, body, &user_headers(ctx, token.as_deref())).await
        }
        Malformed::Raw { body, domain, token } => {
            let headers = [("APP_DOMAIN_TOKEN", domain.as_deref()), ("USER_AUTH_TOKEN", token.as_deref())];
            post(ctx, wire, actor, name, body, &headers).await
        }
    }
}

/// `{"args": args}` after the profile's shaping, as bytes.
fn shaped_body(ctx: &RunContext, name: &str, mut args: Value, actor: Option<&str>) -> Vec<u8> {
    let login = matches!(name, "register" | "login")
        .then(|| args.get("email").and_then(Value::as_str).map(str::to_owned))
        .flatten();
    ctx.shape(name, &mut args, actor, login.as_deref());
    json!({"args": args}).to_string().into_bytes()
}

/// The headers of an ordinary call: the domain token, and the user's when given.
fn user_headers<'a>(ctx: &'a RunContext, token: Option<&'a str>) -> [(&'static str, Option<&'a str>); 2] {
    [("APP_DOMAIN_TOKEN", Some(ctx.target.domain_token.as_str())), ("USER_AUTH_TOKEN", token)]
}

/// Posts `body` to the method's URL with the headers that have a value (names as the profile
/// renames them), logs the exchange and validates the reply.
async fn post(
    ctx: &RunContext,
    wire: &WireLog,
    actor: Option<&str>,
    name: &str,
    body: Vec<u8>,
    headers: &[(&str, Option<&str>)],
) -> Reply {
    let url = ctx.target.method_url(name);
    let logged = serde_json::from_slice::<Value>(&body)
        .ok()
        .or_else(|| Some(Value::String(String::from_utf8_lossy(&body).into_owned())));
    wire.push("request", actor, format!("POST {url}"), logged);
    let mut req = ctx.http.post(&url).header("content-type", "application/json").body(body);
    for (header, value) in headers {
        if let Some(v) = value {
            req = req.header(ctx.header(header), *v);
        }
    }
    let mut reply = crate::reply::send(name, reqwest::Method::POST, url, req).await;
    validate(&mut reply, Method::from_name(name));
    reply.log(wire, actor, format!("{} {name}", reply.status));
    reply
}

/// Checks a reply against the envelope rules and the method's reply schema. Seed 000 states
/// both the success envelope and the error one ("On error, the 400 result code will be
/// returned" with `{status: "error", error_code, error_text}`), so every miss is a violation
/// of the document. A name that is no method has no reply schema; it can only be refused.
/// Unichat's rule for a body that is not JSON: seed 000 states JSON for every reply, so a
/// success and a refusal alike break the document.
pub const NOT_JSON: crate::reply::NotJson = crate::reply::NotJson {
    success: None,
    refusal: None,
    why: "seed 000: \"Use Content-Type: application/json and the JSON encoding for parameters and returned value.\"",
    refusal_why: "",
};

fn validate(reply: &mut Reply, method: Option<Method>) {
    if !reply.answered() {
        return;
    }
    if reply.grade_not_json(&NOT_JSON) {
        return;
    }
    let status_field = reply.body.get("status").and_then(Value::as_str).map(str::to_owned);
    match (reply.status, status_field.as_deref()) {
        (200, Some("OK")) => {
            if let Some(method) = method {
                reply.check_schema(API, &method.reply_schema_name(), None);
            }
        }
        (400, Some("error")) => reply.check_schema(API, "error", None),
        (status, field) => reply.violations.push(format!(
            "HTTP {status} with status {field:?}: seed 000 says success is status 'OK' and \"On error, the 400 result code will be returned\" with {{status: \"error\", error_code, error_text}}"
        )),
    }
}

/// Validates one notification body: the envelope, then the record it carries.
pub fn notification_violations(data: &Value) -> Vec<String> {
    let registry = Registry::global();
    let mut out: Vec<String> = match registry.validate(API, "notification", data) {
        Ok(()) => Vec::new(),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    };
    let kind = data.get("object_name").or_else(|| data.get("object_type")).and_then(Value::as_str);
    let event = data.get("event").and_then(Value::as_str);
    let schema = match (kind, event) {
        // "on the deleted object notification, only the id field is guaranteed to be present"
        (Some("subscription"), Some("deleted")) => None,
        (Some("subscription"), _) => Some("record.subscription"),
        (Some("message"), _) => Some("record.message"),
        _ => None,
    };
    if let (Some(schema), Some(object)) = (schema, data.get("object"))
        && let Err(errors) = registry.validate(API, schema, object)
    {
        out.extend(errors.iter().map(|e| format!("in object: {e}")));
    }
    out
}

/// Is this a notification of `event` (`new`, `changed`, `deleted`) about a `kind` object
/// (`message`, `subscription`), named by `object_name` or `object_type` (NOTES.md U11)?
pub fn is_notification(e: &Received, event: &str, kind: &str) -> bool {
    e.name == "unichat_notification"
        && e.data.get("event").and_then(Value::as_str) == Some(event)
        && [e.data.get("object_name"), e.data.get("object_type")]
            .iter()
            .flatten()
            .any(|k| k.as_str() == Some(kind))
}

/// The notified object's `field`, as a number.
pub fn object_u64(e: &Received, field: &str) -> Option<u64> {
    e.data.get("object").and_then(|o| o.get(field)).and_then(Value::as_u64)
}

/// Is this a message notification of `event` about the message `id` or, when its id is not
/// known, about a message with the text `text`?
pub fn is_message_event(e: &Received, event: &str, id: Option<u64>, text: &str) -> bool {
    is_notification(e, event, "message")
        && match id {
            Some(id) => object_u64(e, "id") == Some(id),
            None => e.data.pointer("/object/text").and_then(Value::as_str) == Some(text),
        }
}

/// An open SSE connection; the reader stops when this is dropped.
#[derive(Debug)]
pub struct SseConnection {
    /// Every event received, in order (pings are kept but not logged).
    pub inbox: Inbox,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for SseConnection {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Why an event stream could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum SseOpenError {
    /// The server did not answer the `GET` within the (scaled) wait.
    #[error("GET {url} did not answer within the timeout")]
    Timeout {
        /// The stream's URL.
        url: String,
    },
    /// The request failed before any answer (connection, TLS, protocol).
    #[error("GET {url} failed: {source}")]
    Request {
        /// The stream's URL.
        url: String,
        /// reqwest's error.
        source: reqwest::Error,
    },
    /// The server answered with another status than 200.
    #[error("GET {url} answered HTTP {status}: {body}")]
    Status {
        /// The stream's URL.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The body, as text.
        body: String,
    },
    /// The stream opened but its first event, `event_source_ready`, never came.
    #[error("seed 000: \"This event is send once per established connection\" — no event_source_ready: {0}")]
    NotReady(String),
}

/// Opens `GET /sse/{code}` and waits for `event_source_ready`.
pub async fn open_sse(
    ctx: &Arc<RunContext>,
    wire: &WireLog,
    actor: &str,
    code: &str,
) -> Result<SseConnection, SseOpenError> {
    let url = ctx.target.sse_url(code);
    wire.push("request", Some(actor), format!("GET {url}"), None);
    let resp = tokio::time::timeout(
        ctx.target.wait(Duration::from_secs(5)),
        ctx.stream_http.get(&url).header("accept", "text/event-stream").send(),
    )
    .await
    .map_err(|_| SseOpenError::Timeout { url: url.clone() })?
    .map_err(|source| SseOpenError::Request { url: url.clone(), source })?;
    let status = resp.status().as_u16();
    if status != 200 {
        let text = resp.text().await.unwrap_or_default();
        wire.push("response", Some(actor), format!("{status} SSE"), Some(Value::String(text.clone())));
        return Err(SseOpenError::Status { url, status, body: text });
    }
    wire.push("response", Some(actor), "200 SSE stream open".to_string(), None);
    let inbox = Inbox::default();
    let (sink, log, who) = (inbox.clone(), wire.clone(), actor.to_owned());
    let task = tokio::spawn(async move {
        let why = crate::drivers::sse::read(resp, |ev| {
            let data: Value =
                serde_json::from_str(&ev.data).unwrap_or_else(|_| Value::String(ev.data.clone()));
            let violations =
                if ev.name == "unichat_notification" { notification_violations(&data) } else { Vec::new() };
            if ev.name != "ping" {
                log.push("event", Some(&who), ev.name.clone(), Some(data.clone()));
            }
            sink.push(log.elapsed_ms(), ev.name, data, violations);
        })
        .await;
        sink.close(why);
    });
    let conn = SseConnection { inbox, task };
    conn.inbox
        .wait_for(ctx.target.wait(Duration::from_secs(5)), |e| e.name == "event_source_ready")
        .await
        .map_err(|e| SseOpenError::NotReady(e.describe()))?;
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chatspec_specs::unichat::messages::PostMessageArgs;

    #[test]
    fn typed_arguments_match_their_schema_and_leave_out_what_is_absent() {
        let args = PostMessageArgs { subscription_id: Some(3), text: "hi".into(), ..Default::default() };
        let value = serde_json::to_value(&args).unwrap_or_default();
        assert_eq!(value, json!({"subscription_id": 3, "text": "hi"}));
        assert_eq!(check_request(Method::PostMessage, &value), Ok(()));
    }

    #[test]
    fn a_request_the_schema_refuses_is_a_suite_bug() {
        let err = check_request(Method::GetMessage, &json!({"message_id": "seven"})).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("the suite sent a request its own schema refuses: get_message"), "{text}");
        assert!(text.contains("/message_id"), "{text}");
    }
}
