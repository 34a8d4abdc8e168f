//! The Unichat driver: method calls over HTTP JSON and notifications over SSE (seed 000).

use std::sync::Arc;
use std::time::Duration;

use chatspec_specs::Registry;
use serde_json::{Value, json};

use crate::context::RunContext;
use crate::events::Inbox;
use crate::wire::WireLog;

const API: &str = "unichat";

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

/// Sends a call. `token` is `USER_AUTH_TOKEN`. The profile's extra, omitted and renamed
/// fields apply to `args` (`{login}` is the e-mail of `register` and `login`).
pub async fn call(
    ctx: &RunContext,
    wire: &WireLog,
    actor: Option<&str>,
    token: Option<&str>,
    method: &str,
    args: &Value,
) -> Reply {
    let mut args = args.clone();
    let login = matches!(method, "register" | "login")
        .then(|| args.get("email").and_then(Value::as_str).map(str::to_owned))
        .flatten();
    ctx.shape(method, &mut args, actor, login.as_deref());
    let body = json!({"args": args}).to_string();
    let mut headers: Vec<(&str, Option<&str>)> = vec![("APP_DOMAIN_TOKEN", Some(&ctx.target.domain_token))];
    if let Some(t) = token {
        headers.push(("USER_AUTH_TOKEN", Some(t)));
    }
    raw(ctx, wire, actor, method, body.into_bytes(), &headers).await
}

/// Sends any body with any headers to a method's URL, validating the reply; the body is sent
/// as given, header names as the profile renames them.
pub async fn raw(
    ctx: &RunContext,
    wire: &WireLog,
    actor: Option<&str>,
    method: &str,
    body: Vec<u8>,
    headers: &[(&str, Option<&str>)],
) -> Reply {
    let url = ctx.target.method_url(method);
    let logged = serde_json::from_slice::<Value>(&body)
        .ok()
        .or_else(|| Some(Value::String(String::from_utf8_lossy(&body).into_owned())));
    wire.push("request", actor, format!("POST {url}"), logged);
    let mut req = ctx.http.post(&url).header("content-type", "application/json").body(body);
    for (name, value) in headers {
        if let Some(v) = value {
            req = req.header(ctx.header(name), *v);
        }
    }
    let mut reply = crate::reply::send(method, reqwest::Method::POST, url, req).await;
    validate(&mut reply);
    reply.log(wire, actor, format!("{} {method}", reply.status));
    reply
}

/// Checks a reply against the envelope rules and the method's schema. Seed 000 states both
/// the success envelope and the error one ("On error, the 400 result code will be returned"
/// with `{status: "error", error_code, error_text}`), so every miss is a violation of the
/// document.
fn validate(reply: &mut Reply) {
    if !reply.answered() {
        return;
    }
    if reply.body.is_null() {
        reply.violations.push(format!("the reply is not JSON (HTTP {}); seed 000: \"Use Content-Type: application/json and the JSON encoding for parameters and returned value.\"", reply.status));
        return;
    }
    let status_field = reply.body.get("status").and_then(Value::as_str).map(str::to_owned);
    match (reply.status, status_field.as_deref()) {
        (200, Some("OK")) => {
            let schema = format!("response.{}", reply.name);
            if Registry::global().has(API, &schema) {
                reply.check_schema(API, &schema, None);
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

/// An open SSE connection; the reader stops when this is dropped.
#[derive(Debug)]
pub struct SseConnection {
    pub inbox: Inbox,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for SseConnection {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Opens `GET /sse/{code}` and waits for `event_source_ready`.
pub async fn open_sse(
    ctx: &Arc<RunContext>,
    wire: &WireLog,
    actor: &str,
    code: &str,
) -> Result<SseConnection, String> {
    let url = ctx.target.sse_url(code);
    wire.push("request", Some(actor), format!("GET {url}"), None);
    let resp = tokio::time::timeout(
        ctx.target.wait(Duration::from_secs(5)),
        ctx.stream_http.get(&url).header("accept", "text/event-stream").send(),
    )
    .await
    .map_err(|_| format!("GET {url} did not answer within the timeout"))?
    .map_err(|e| format!("GET {url} failed: {e}"))?;
    let status = resp.status().as_u16();
    if status != 200 {
        let text = resp.text().await.unwrap_or_default();
        wire.push("response", Some(actor), format!("{status} SSE"), Some(Value::String(text.clone())));
        return Err(format!("GET {url} answered HTTP {status}: {text}"));
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
        .map_err(|e| format!("seed 000: \"This event is send once per established connection\" — no event_source_ready: {}", e.describe()))?;
    Ok(conn)
}
