//! The connectnow driver: REST calls carrying an API token or a chat-user token in the query
//! string, the body or `Authorization: Bearer` (seed 002, NOTES.md C3), every reply validated
//! against the committed schemas, picked by route and status, and logged to the wire log.

use std::time::Duration;

use chatspec_specs::connectnow::{ROUTES, Route};
use chatspec_specs::{Registry, SchemaViolation};
use reqwest::Method;
use serde_json::{Map, Value};

use crate::context::RunContext;
use crate::reply::{FailureKind, TransportFailure, Via};
use crate::wire::WireLog;

const API: &str = "connectnow";

/// The two kinds of token: "two types of tokens exist for authentication depending on what
/// you're trying to access".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `api_token`: "usual tokens that you use to authenticate most API requests".
    Api,
    /// `chat_user_token`: "scoped to a user in a given chat".
    ChatUser,
}

impl Kind {
    /// The parameter that carries a token of this kind.
    pub fn param(self) -> &'static str {
        match self {
            Kind::Api => "api_token",
            Kind::ChatUser => "chat_user_token",
        }
    }
}

/// Where a request carries its token (NOTES.md C3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// `?api_token=...` in the query string.
    Query,
    /// A field of the JSON body.
    Body,
    /// A field of an `application/x-www-form-urlencoded` body.
    Form,
    /// `Authorization: Bearer ...`.
    Bearer,
}

/// A token and where it goes.
#[derive(Clone, Debug)]
pub struct Token {
    pub kind: Kind,
    pub value: String,
    pub at: Placement,
}

/// One request.
#[derive(Clone, Debug)]
pub struct Request {
    /// A route name of `chatspec_specs::connectnow::ROUTES` (its reply schema is
    /// `response.<route>`), or any other label for a path that is no route.
    pub route: String,
    pub method: Method,
    /// The absolute URL, with or without a query string.
    pub url: String,
    /// Query parameters added to the URL.
    pub query: Vec<(String, String)>,
    /// A JSON object body (a form body with [`Placement::Form`]).
    pub body: Option<Value>,
    /// A body sent exactly as given, with its content type.
    pub raw: Option<(String, Vec<u8>)>,
    pub token: Option<Token>,
}

impl Request {
    /// A request without token, query or body.
    pub fn new(route: &str, method: Method, url: String) -> Request {
        Request { route: route.into(), method, url, query: Vec::new(), body: None, raw: None, token: None }
    }
}

pub use crate::reply::Reply;

/// What a connectnow reply carries, in the register's terms.
pub trait ConnectNowReply {
    /// The record a single-record reply carries: the body, or its `data` when the body is
    /// only `{"data": record}` (NOTES.md C21).
    fn record(&self) -> Value;
    /// The `message` of an error reply.
    fn message(&self) -> Option<&str>;
    /// The fields a 422 names in `errors`.
    fn error_fields(&self) -> Vec<String>;
}

impl ConnectNowReply for Reply {
    fn record(&self) -> Value {
        unwrap_data(&self.body).clone()
    }

    fn message(&self) -> Option<&str> {
        self.body.get("message").and_then(Value::as_str)
    }

    fn error_fields(&self) -> Vec<String> {
        self.body
            .get("errors")
            .and_then(Value::as_object)
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    }
}

/// `{"data": record}` to `record`; anything else as it is (NOTES.md C21).
fn unwrap_data(body: &Value) -> &Value {
    match body.as_object() {
        Some(o) if o.len() == 1 && o.get("data").is_some_and(Value::is_object) => &o["data"],
        _ => body,
    }
}

/// The route of `name`, if it is one.
pub fn route(name: &str) -> Option<&'static Route> {
    ROUTES.iter().find(|r| r.name == name)
}

/// Sends a request and validates the reply.
pub async fn send(ctx: &RunContext, wire: &WireLog, actor: Option<&str>, req: Request) -> Reply {
    let mut url = match reqwest::Url::parse(&req.url) {
        Ok(u) => u,
        Err(e) => {
            let why = format!("{} is not a URL: {e}", req.url);
            wire.push("request", actor, format!("{} {}: {why}", req.method, req.url), None);
            let failure = TransportFailure { kind: FailureKind::Other, detail: why, waited: Duration::ZERO };
            return Reply::no_reply(&req.route, Via::Http { method: req.method, url: req.url }, failure);
        }
    };
    let mut body = req.body.clone();
    if let Some(b) = body.as_mut() {
        ctx.shape(&req.route, b, actor, None);
    }
    let mut form = false;
    let mut bearer = None;
    {
        let mut pairs = url.query_pairs_mut();
        for (k, v) in &req.query {
            pairs.append_pair(k, v);
        }
        if let Some(t) = &req.token {
            match t.at {
                Placement::Query => {
                    pairs.append_pair(t.kind.param(), &t.value);
                }
                Placement::Body | Placement::Form => {
                    let mut obj = body.take().and_then(|b| b.as_object().cloned()).unwrap_or_default();
                    obj.insert(t.kind.param().into(), Value::String(t.value.clone()));
                    body = Some(Value::Object(obj));
                    form = t.at == Placement::Form;
                }
                Placement::Bearer => bearer = Some(t.value.clone()),
            }
        }
    }
    if url.query() == Some("") {
        url.set_query(None);
    }
    let logged_body = match (&req.raw, &body) {
        (Some((_, bytes)), _) => Some(Value::String(String::from_utf8_lossy(bytes).into_owned())),
        (None, b) => b.clone(),
    };
    let bearer_note = if bearer.is_some() { " (Authorization: Bearer)" } else { "" };
    wire.push("request", actor, format!("{} {url}{bearer_note}", req.method), logged_body);
    let mut http = ctx.http.request(req.method.clone(), url.clone()).header("accept", "application/json");
    if let Some(t) = &bearer {
        http = http.header(ctx.header("Authorization"), format!("Bearer {t}"));
    }
    http = match (&req.raw, body) {
        (Some((ct, bytes)), _) => http.header("content-type", ct).body(bytes.clone()),
        (None, Some(b)) if form => {
            http.header("content-type", "application/x-www-form-urlencoded").body(form_body(&b))
        }
        (None, Some(b)) => http.json(&b),
        (None, None) => http,
    };
    let mut reply = crate::reply::send(&req.route, req.method.clone(), url.to_string(), http).await;
    validate(&mut reply);
    reply.log(wire, actor, format!("{} {}", reply.status, reply.name));
    reply
}

/// A JSON object as a form: strings as they are, other values as JSON text.
fn form_body(body: &Value) -> String {
    let empty = Map::new();
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in body.as_object().unwrap_or(&empty) {
        match v {
            Value::String(s) => out.append_pair(k, s),
            other => out.append_pair(k, &other.to_string()),
        };
    }
    out.finish()
}

/// The public facts about records (the register's preamble): integer ids, the timestamps,
/// and the pagination fields. A schema violation on any other field breaks only the
/// register's reading of the record fields (C8).
const PUBLIC_FIELDS: [&str; 12] = [
    "id",
    "created_at",
    "updated_at",
    "current_page",
    "data",
    "first_page_url",
    "from",
    "next_page_url",
    "path",
    "per_page",
    "prev_page_url",
    "to",
];

/// Whether a schema violation concerns a field the public facts fix.
fn on_public_field(v: &SchemaViolation) -> bool {
    let last = v.instance_path.rsplit('/').next().unwrap_or_default();
    PUBLIC_FIELDS.contains(&last)
        || PUBLIC_FIELDS.iter().any(|f| v.message.starts_with(&format!("\"{f}\" is a required property")))
}

/// Checks a reply against the status codes of the API's conventions and the schema of its
/// route (success) or of the error bodies. What the public facts fix (JSON replies, the
/// status codes, ids, timestamps, pages) is the document; the record fields (C8), the error
/// bodies (C5) and a 204 (C16) are readings.
fn validate(reply: &mut Reply) {
    if !reply.answered() {
        return;
    }
    let status = reply.status;
    let route = route(&reply.name);
    let is_delete = reply.http_method() == Some(&Method::DELETE);
    if status == 204 {
        if !(is_delete && route.is_some()) {
            let what = reply.what();
            reply.miss("C16", format!("HTTP 204 to {what}: only a delete may answer without a body"));
        }
        return;
    }
    let registry = Registry::global();
    match status {
        200..=299 => {
            if reply.body.is_null() {
                let ct = reply.content_type.clone().unwrap_or_default();
                reply.violations.push(format!(
                    "/: the reply is not JSON (HTTP {status}, content-type {ct:?}); public fact: requests carry \"Accept: application/json\" and are answered in JSON (NOTES.md C4)"
                ));
                return;
            }
            let Some(r) = route else { return };
            // "200 with any body and 204 are accepted" for a delete; a record, if one comes
            // back, must be the right one (NOTES.md C16).
            if is_delete && unwrap_data(&reply.body).get("id").is_none() {
                return;
            }
            let schema = format!("response.{}", r.name);
            if !registry.has(API, &schema) {
                return;
            }
            if let Err(errors) = registry.validate(API, &schema, unwrap_data(&reply.body)) {
                for e in errors {
                    if on_public_field(&e) {
                        reply.violations.push(e.to_string());
                    } else {
                        reply.miss("C8", e.to_string());
                    }
                }
            }
        }
        400..=499 => {
            // A refusal in any shape is a refusal; the shape is the register's reading (C5).
            if reply.body.is_null() {
                let ct = reply.content_type.clone().unwrap_or_default();
                reply.miss("C5", format!("/: the error body is not JSON (content-type {ct:?})"));
                return;
            }
            let schema = if status == 422 { "error.validation" } else { "error" };
            if let Err(errors) = registry.validate(API, schema, &reply.body) {
                for e in errors {
                    reply.miss("C5", e.to_string());
                }
            }
        }
        500..=599 => reply.violations.push(format!(
            "HTTP {status}: a server error; public fact: the status codes are 200, 201, 401, 403, 404, 405, 422 (validation) and 429 (NOTES.md C5)"
        )),
        _ => reply.violations.push(format!(
            "HTTP {status}: public fact: the status codes are 200, 201, 401, 403, 404, 405, 422 (validation) and 429; a request with \"Accept: application/json\" is not redirected (NOTES.md C4)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reply(route: &str, method: Method, status: u16, body: Value) -> Reply {
        let mut r = Reply::new(route, Via::Http { method, url: "http://h/x".into() });
        r.status = status;
        r.text = body.to_string();
        r.body = body;
        validate(&mut r);
        r
    }

    fn misses(r: &Reply) -> Vec<String> {
        r.readings.iter().map(|m| format!("{} {}", m.entry, m.violation)).collect()
    }

    const CHAT: &str = r#"{"id": 1, "company_id": 2, "name": "Support", "created_at": "2026-01-02T03:04:05.000000Z", "updated_at": "2026-01-02 03:04:05"}"#;

    #[test]
    fn records_are_checked_bare_or_wrapped_in_data() {
        let chat: Value = serde_json::from_str(CHAT).unwrap_or_default();
        assert!(reply("get_chat", Method::GET, 200, chat.clone()).violations.is_empty());
        let wrapped = reply("get_chat", Method::GET, 200, json!({"data": chat}));
        assert!(wrapped.violations.is_empty());
        assert_eq!(wrapped.record()["name"], "Support");
        let bad = reply("get_chat", Method::GET, 200, json!({"id": "1", "name": "x"}));
        // The id is a public fact; company_id is the register's reading of the record.
        assert!(bad.violations.iter().any(|v| v.contains("/id")), "{:?}", bad.violations);
        assert!(!bad.violations.iter().any(|v| v.contains("company_id")), "{:?}", bad.violations);
        assert!(
            misses(&bad).iter().any(|m| m.starts_with("C8") && m.contains("company_id")),
            "{:?}",
            misses(&bad)
        );
    }

    #[test]
    fn errors_are_checked_by_status() {
        let found = reply("get_chat", Method::GET, 404, json!({"message": "No query results"}));
        assert!(found.violations.is_empty() && found.readings.is_empty());
        // An error body's shape is a reading (C5): never a violation of the document.
        let no_errors = reply("create_chat", Method::POST, 422, json!({"message": "bad"}));
        assert!(no_errors.violations.is_empty(), "{:?}", no_errors.violations);
        assert!(misses(&no_errors).iter().any(|m| m.starts_with("C5") && m.contains("errors")));
        let text = reply("create_chat", Method::POST, 422, Value::Null);
        assert!(text.violations.is_empty() && misses(&text).iter().any(|m| m.contains("not JSON")));
        let five = reply("get_chat", Method::GET, 500, json!({"message": "boom"}));
        assert!(five.violations.iter().any(|v| v.contains("HTTP 500")));
        let mut html = reply("get_chat", Method::GET, 200, Value::Null);
        assert!(html.violations.iter().any(|v| v.contains("not JSON")));
        html = reply("get_chat", Method::GET, 302, json!({}));
        assert!(html.violations.iter().any(|v| v.contains("redirected")));
    }

    #[test]
    fn deletes_may_answer_204_or_any_body() {
        assert!(reply("delete_chat", Method::DELETE, 204, Value::Null).violations.is_empty());
        assert!(
            reply("delete_chat", Method::DELETE, 200, json!({"message": "Deleted"})).violations.is_empty()
        );
        let wrong = reply("delete_chat", Method::DELETE, 200, json!({"id": 1}));
        assert!(!wrong.violations.is_empty());
        assert!(
            misses(&reply("get_chat", Method::GET, 204, Value::Null)).iter().any(|m| m.starts_with("C16"))
        );
    }

    #[test]
    fn forms_carry_strings_as_they_are() {
        assert_eq!(form_body(&json!({"a": "x y", "n": 5})), "a=x+y&n=5");
    }
}
