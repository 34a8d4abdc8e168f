//! The connectnow driver: REST calls carrying an API token or a chat-user token in the query
//! string, the body or `Authorization: Bearer` (seed 002, NOTES.md C3), every reply validated
//! against the committed schemas, picked by route and status, and logged to the wire log.

use chatspec_specs::Registry;
use chatspec_specs::connectnow::{ROUTES, RouteRow as Route};
use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::{Map, Value};

use crate::context::RunContext;
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

/// A reply to one request.
#[derive(Clone, Debug)]
pub struct Reply {
    pub route: String,
    pub method: Method,
    pub url: String,
    /// HTTP status; 0 when no reply came (connection refused, timeout).
    pub status: u16,
    pub headers: HeaderMap,
    /// The JSON body; `Value::Null` when it was empty or not JSON.
    pub body: Value,
    /// The raw body text, or the transport error.
    pub text: String,
    /// Schema and status violations of the reply.
    pub violations: Vec<String>,
}

impl Reply {
    /// One line for failure messages.
    pub fn describe(&self) -> String {
        if self.status == 0 {
            return format!("no reply to {} {}: {}", self.method, self.url, self.text);
        }
        let body =
            if self.body.is_null() { self.text.chars().take(300).collect() } else { self.body.to_string() };
        format!("HTTP {} {body}", self.status)
    }

    /// The record a single-record reply carries: the body, or its `data` when the body is
    /// only `{"data": record}` (NOTES.md C21).
    pub fn record(&self) -> Value {
        unwrap_data(&self.body).clone()
    }

    /// The `message` of an error reply.
    pub fn message(&self) -> Option<&str> {
        self.body.get("message").and_then(Value::as_str)
    }

    /// The fields a 422 names in `errors`.
    pub fn error_fields(&self) -> Vec<String> {
        self.body
            .get("errors")
            .and_then(Value::as_object)
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// A header's value, if present and text.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
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
    let mut reply = Reply {
        route: req.route.clone(),
        method: req.method.clone(),
        url: req.url.clone(),
        status: 0,
        headers: HeaderMap::new(),
        body: Value::Null,
        text: String::new(),
        violations: Vec::new(),
    };
    let mut url = match reqwest::Url::parse(&req.url) {
        Ok(u) => u,
        Err(e) => {
            reply.text = format!("{} is not a URL: {e}", req.url);
            wire.push("request", actor, format!("{} {}: {}", req.method, req.url, reply.text), None);
            return reply;
        }
    };
    let mut body = req.body.clone();
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
        http = http.bearer_auth(t);
    }
    http = match (&req.raw, body) {
        (Some((ct, bytes)), _) => http.header("content-type", ct).body(bytes.clone()),
        (None, Some(b)) if form => {
            http.header("content-type", "application/x-www-form-urlencoded").body(form_body(&b))
        }
        (None, Some(b)) => http.json(&b),
        (None, None) => http,
    };
    reply.url = url.to_string();
    let got = super::exchange(http).await;
    (reply.status, reply.headers, reply.body, reply.text) = (got.status, got.headers, got.body, got.text);
    validate(&mut reply);
    let summary = if reply.status == 0 {
        format!("no reply: {}", reply.text)
    } else {
        format!("{} {}", reply.status, reply.route)
    };
    let logged =
        if reply.body.is_null() { Some(Value::String(reply.text.clone())) } else { Some(reply.body.clone()) };
    wire.push("response", actor, summary, logged);
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

/// Checks a reply against the status codes of the API's conventions and the schema of its
/// route (success) or of the error bodies.
fn validate(reply: &mut Reply) {
    let registry = Registry::global();
    let status = reply.status;
    if status == 0 {
        return;
    }
    let route = route(&reply.route);
    let is_delete = reply.method == Method::DELETE;
    if status == 204 {
        if !(is_delete && route.is_some()) {
            reply.violations.push(format!(
                "HTTP 204 to {} {}: only a delete may answer without a body (NOTES.md C16)",
                reply.method, reply.route
            ));
        }
        return;
    }
    if reply.body.is_null() {
        let ct = reply.header("content-type").unwrap_or_default();
        reply.violations.push(format!(
            "/: the reply is not JSON (HTTP {status}, content-type {ct:?}); public fact: requests carry \"Accept: application/json\" and are answered in JSON (NOTES.md C4)"
        ));
        return;
    }
    let schema = match status {
        200..=299 => match route {
            // "200 with any body and 204 are accepted" for a delete; a record, if one comes
            // back, must be the right one (NOTES.md C16).
            Some(_) if is_delete && unwrap_data(&reply.body).get("id").is_none() => None,
            Some(r) => Some(format!("response.{}", r.name)),
            None => None,
        },
        422 => Some("error.validation".to_owned()),
        400..=499 => Some("error".to_owned()),
        500..=599 => {
            reply.violations.push(format!(
                "HTTP {status}: a server error; public fact: the status codes are 200, 201, 401, 403, 404, 405, 422 (validation) and 429 (NOTES.md C5)"
            ));
            None
        }
        _ => {
            reply.violations.push(format!(
                "HTTP {status}: public fact: the status codes are 200, 201, 401, 403, 404, 405, 422 (validation) and 429; a request with \"Accept: application/json\" is not redirected (NOTES.md C4)"
            ));
            None
        }
    };
    if let Some(schema) = schema
        && registry.has(API, &schema)
    {
        let instance = if status < 300 { unwrap_data(&reply.body) } else { &reply.body };
        if let Err(errors) = registry.validate(API, &schema, instance) {
            reply.violations.extend(errors.iter().map(ToString::to_string));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reply(route: &str, method: Method, status: u16, body: Value) -> Reply {
        let mut r = Reply {
            route: route.into(),
            method,
            url: "http://h/x".into(),
            status,
            headers: HeaderMap::new(),
            text: body.to_string(),
            body,
            violations: Vec::new(),
        };
        validate(&mut r);
        r
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
        assert!(bad.violations.iter().any(|v| v.contains("/id")), "{:?}", bad.violations);
        assert!(bad.violations.iter().any(|v| v.contains("company_id")), "{:?}", bad.violations);
    }

    #[test]
    fn errors_are_checked_by_status() {
        assert!(
            reply("get_chat", Method::GET, 404, json!({"message": "No query results"})).violations.is_empty()
        );
        let no_errors = reply("create_chat", Method::POST, 422, json!({"message": "bad"}));
        assert!(no_errors.violations.iter().any(|v| v.contains("errors")), "{:?}", no_errors.violations);
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
        assert!(!reply("get_chat", Method::GET, 204, Value::Null).violations.is_empty());
    }

    #[test]
    fn forms_carry_strings_as_they_are() {
        assert_eq!(form_body(&json!({"a": "x y", "n": 5})), "a=x+y&n=5");
    }
}
