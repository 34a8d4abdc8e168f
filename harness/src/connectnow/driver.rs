//! The connectnow driver: REST calls carrying an API token or a chat-user token in the query
//! string, the body or `Authorization: Bearer` (seed 002, NOTES.md C3). Every well-formed
//! body is checked against its route's request schema before it leaves (a mismatch is a bug of
//! the suite, not of the server); every reply is validated against the committed schemas,
//! picked by route and status, and logged to the wire log.

use std::fmt;
use std::time::Duration;

use chatspec_specs::connectnow::{API, Route};
use chatspec_specs::{Endpoints as _, Registry, SchemaViolation};
use reqwest::Method;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::context::RunContext;
use crate::reply::{FailureKind, TransportFailure, Via};
use crate::wire::WireLog;

pub use crate::reply::Reply;

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

impl Placement {
    /// The placement a step names: "in the query string" (also the default for any other
    /// words), "in the body", "in a form body", "as a bearer token".
    pub fn from_words(words: &str) -> Placement {
        match words.trim() {
            "in the body" => Placement::Body,
            "in a form body" => Placement::Form,
            "as a bearer token" => Placement::Bearer,
            _ => Placement::Query,
        }
    }
}

/// A token and where it goes.
#[derive(Clone, Debug)]
pub struct Token {
    /// Which kind of token it is, so which parameter carries it.
    pub kind: Kind,
    /// The token itself.
    pub value: String,
    /// Where the request carries it.
    pub at: Placement,
}

/// What a request carries as its body.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Body {
    /// No body.
    #[default]
    None,
    /// A well-formed body built from the route's `specs` request type ([`Body::typed`]):
    /// checked against the route's request schema before it is sent.
    WellFormed(Value),
    /// A negative scenario's body, written in its step as literal JSON, deliberately outside
    /// (or beside) the request schema ([`Body::malformed`]): sent as written, never checked.
    Malformed(Value),
    /// Bytes sent exactly as given, with their content type: a body that is not JSON at all.
    Raw {
        /// The `Content-Type` header sent with them.
        content_type: String,
        /// The bytes of the body.
        bytes: Vec<u8>,
    },
}

impl Body {
    /// The well-formed body of a route's request, from its `specs` type
    /// (`CreateCompany { name }`). An optional field left `None` is not sent at all: a
    /// client "may omit" it, while a `null` would be a value (Laravel's `sometimes|required`
    /// refuses it).
    pub fn typed<T: Serialize>(request: &T) -> Body {
        // The specs types serialise to objects; one that would not is sent as `null` and
        // refused by the request schema check as a suite bug.
        match serde_json::to_value(request).unwrap_or(Value::Null) {
            Value::Object(mut fields) => {
                fields.retain(|_, v| !v.is_null());
                Body::WellFormed(Value::Object(fields))
            }
            other => Body::WellFormed(other),
        }
    }

    /// The one way to send a body outside the request schema on purpose: the literal JSON a
    /// negative scenario writes in its step (`creates a company with {"name": 7}`). It is sent
    /// as written and never checked against the schema.
    pub fn malformed(json: &str) -> Body {
        match serde_json::from_str(json) {
            Ok(v) => Body::Malformed(v),
            Err(e) => panic!("the step's JSON is not valid: {e}"),
        }
    }

    /// The JSON of the body, if it has some.
    fn json(&self) -> Option<&Value> {
        match self {
            Body::WellFormed(v) | Body::Malformed(v) => Some(v),
            Body::None | Body::Raw { .. } => None,
        }
    }
}

/// A well-formed body its route's request schema refuses: a bug of the suite, never of the
/// server under test.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct SuiteBug {
    /// What was sent: `POST /api/companies (create_company)`.
    pub request: String,
    /// Why the schema refuses it, one violation a line.
    pub violations: Vec<String>,
}

impl fmt::Display for SuiteBug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the suite sent a request its own schema refuses: {}\n  {}",
            self.request,
            self.violations.join("\n  ")
        )
    }
}

/// One request.
#[derive(Clone, Debug)]
pub struct Request {
    /// The route of [`Route::ALL`] the request is for; `None` for a path that is no route (or
    /// a method the route does not take).
    pub route: Option<Route>,
    /// The HTTP method.
    pub method: Method,
    /// The absolute URL, with or without a query string.
    pub url: String,
    /// Query parameters added to the URL.
    pub query: Vec<(String, String)>,
    /// The body; with [`Placement::Form`] a JSON body is sent as a form.
    pub body: Body,
    /// The token and where it goes, if the request carries one.
    pub token: Option<Token>,
}

impl Request {
    /// A request to `route` (or to no route) without token, query or body.
    pub fn new(route: Option<Route>, method: Method, url: String) -> Request {
        Request { route, method, url, query: Vec::new(), body: Body::None, token: None }
    }

    /// The name the request goes by in the wire log, replies and profile shaping: the route's
    /// name, or `(no route)`.
    pub fn name(&self) -> &'static str {
        self.route.map_or(NO_ROUTE, Route::name)
    }
}

/// The name of a request to a path that is no route.
pub const NO_ROUTE: &str = "(no route)";

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
pub fn unwrap_data(body: &Value) -> &Value {
    match body.as_object() {
        Some(o) if o.len() == 1 && o.get("data").is_some_and(Value::is_object) => &o["data"],
        _ => body,
    }
}

/// `{"message": ...}` with the target's message field (NOTES.md C14).
pub fn rename_message_field(body: Value, field: &str) -> Value {
    match body {
        Value::Object(mut o) if field != "message" => {
            if let Some(v) = o.remove("message") {
                o.insert(field.to_owned(), v);
            }
            Value::Object(o)
        }
        other => other,
    }
}

/// Checks a well-formed body against its route's request schema, before any token, rename or
/// profile shaping is applied to it.
pub fn check_request(req: &Request) -> Result<(), SuiteBug> {
    let Body::WellFormed(body) = &req.body else {
        return Ok(());
    };
    let request = format!("{} {} ({})", req.method, crate::reply::path_of(&req.url), req.name());
    let Some(route) = req.route else {
        let violations = vec!["a well-formed body for a path that is no route has no schema".to_owned()];
        return Err(SuiteBug { request, violations });
    };
    match Registry::global().validate(API, &route.request_schema_name(), body) {
        Ok(()) => Ok(()),
        Err(errors) => {
            Err(SuiteBug { request, violations: errors.iter().map(ToString::to_string).collect() })
        }
    }
}

/// Sends a request and validates the reply. A well-formed body its schema refuses is not
/// sent: the error says what the suite got wrong.
pub async fn send(
    ctx: &RunContext,
    wire: &WireLog,
    actor: Option<&str>,
    req: Request,
) -> Result<Reply, SuiteBug> {
    check_request(&req)?;
    let name = req.name();
    let mut url = match reqwest::Url::parse(&req.url) {
        Ok(u) => u,
        Err(e) => {
            let why = format!("{} is not a URL: {e}", req.url);
            wire.push("request", actor, format!("{} {}: {why}", req.method, req.url), None);
            let failure = TransportFailure { kind: FailureKind::Other, detail: why, waited: Duration::ZERO };
            return Ok(Reply::no_reply(name, Via::Http { method: req.method, url: req.url }, failure));
        }
    };
    let mut body =
        req.body.json().map(|b| rename_message_field(b.clone(), &ctx.target.connectnow.message_field));
    if let Some(b) = body.as_mut() {
        ctx.shape(name, b, actor, None);
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
    let raw = match &req.body {
        Body::Raw { content_type, bytes } => Some((content_type, bytes)),
        _ => None,
    };
    let logged_body = match (raw, &body) {
        (Some((_, bytes)), _) => Some(Value::String(String::from_utf8_lossy(bytes).into_owned())),
        (None, b) => b.clone(),
    };
    let bearer_note = if bearer.is_some() { " (Authorization: Bearer)" } else { "" };
    wire.push("request", actor, format!("{} {url}{bearer_note}", req.method), logged_body);
    let mut http = ctx.http.request(req.method.clone(), url.clone()).header("accept", "application/json");
    if let Some(t) = &bearer {
        http = http.header(ctx.header("Authorization"), format!("Bearer {t}"));
    }
    http = match (raw, body) {
        (Some((ct, bytes)), _) => http.header("content-type", ct.as_str()).body(bytes.clone()),
        (None, Some(b)) if form => {
            http.header("content-type", "application/x-www-form-urlencoded").body(form_body(&b))
        }
        (None, Some(b)) => http.json(&b),
        (None, None) => http,
    };
    let mut reply = crate::reply::send(name, req.method.clone(), url.to_string(), http).await;
    validate(&mut reply, req.route);
    reply.log(wire, actor, format!("{} {}", reply.status, reply.name));
    Ok(reply)
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

/// Whether a schema violation concerns a field the public facts fix (the proxy grades a
/// passing reply with it too).
pub fn on_public_field(v: &SchemaViolation) -> bool {
    let last = v.instance_path.rsplit('/').next().unwrap_or_default();
    PUBLIC_FIELDS.contains(&last)
        || PUBLIC_FIELDS.iter().any(|f| v.message.starts_with(&format!("\"{f}\" is a required property")))
}

/// Checks a reply against the status codes of the API's conventions and the schema of its
/// route (success) or of the error bodies. What the public facts fix (JSON replies, the
/// status codes, ids, timestamps, pages) is the document; the record fields (C8), the error
/// bodies (C5) and a 204 (C16) are readings.
/// connectnow's rule for a body that is not JSON (NOTES.md C4), in the driver and in the
/// step "the reply is JSON" alike: a success breaks the public fact, a refusal only the
/// reading that it comes as JSON.
pub const NOT_JSON: crate::reply::NotJson = crate::reply::NotJson {
    success: None,
    refusal: Some("C4"),
    why: "public fact: requests carry \"Accept: application/json\" and are answered in JSON (NOTES.md C4)",
    refusal_why: "reading C4 (NOTES.md): a refusal of a request that carries \"Accept: application/json\" comes as JSON too, as Laravel sends it (the documents show no error body)",
};

fn validate(reply: &mut Reply, route: Option<Route>) {
    if !reply.answered() {
        return;
    }
    let status = reply.status;
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
            if reply.grade_not_json(&NOT_JSON) {
                return;
            }
            let Some(r) = route else { return };
            // "200 with any body and 204 are accepted" for a delete; a record, if one comes
            // back, must be the right one (NOTES.md C16).
            if is_delete && unwrap_data(&reply.body).get("id").is_none() {
                return;
            }
            // Every route has its reply schema (the registry is built from `Route::ALL`): a
            // missing one is reported as a violation, never skipped.
            if let Err(errors) = registry.validate(API, &r.reply_schema_name(), unwrap_data(&reply.body)) {
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
            // A refusal in any shape is a refusal; that it is JSON is the reading C4, the
            // shape of the JSON the reading C5.
            if reply.grade_not_json(&NOT_JSON) {
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
        validate(&mut r, Route::from_name(route));
        r
    }

    fn misses(r: &Reply) -> Vec<String> {
        r.readings.iter().map(|m| format!("{} {}", m.entry, m.text())).collect()
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
        // A refusal that is not JSON breaks the reading C4 (not C5, which reads the JSON's
        // shape), as the step "the reply is JSON" grades it.
        let text = reply("create_chat", Method::POST, 422, Value::Null);
        assert!(text.violations.is_empty(), "{:?}", text.violations);
        assert_eq!(text.readings.len(), 1);
        assert!(misses(&text)[0].starts_with("C4 /: the body is not JSON"), "{:?}", misses(&text));
        // Its ground is the reading's words, not the public fact a success breaks.
        assert_eq!(text.readings[0].ground.as_deref(), Some(NOT_JSON.refusal_why));
        assert!(!misses(&text)[0].contains("public fact"), "{:?}", misses(&text));
        assert_eq!(NOT_JSON.judge(&text).map(|(g, _)| g), Some(crate::verdict::Ground::Reading("C4".into())));
        let five = reply("get_chat", Method::GET, 500, json!({"message": "boom"}));
        assert!(five.violations.iter().any(|v| v.contains("HTTP 500")));
        let mut html = reply("get_chat", Method::GET, 200, Value::Null);
        assert!(html.violations.iter().any(|v| v.contains("not JSON") && v.contains("public fact")));
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
    fn a_well_formed_body_its_schema_refuses_is_a_suite_bug() {
        use chatspec_specs::connectnow::companies::CreateCompany;
        let url = "http://h/api/companies".to_owned();
        let mut req = Request::new(Some(Route::CreateCompany), Method::POST, url);
        req.body = Body::typed(&CreateCompany { name: "Acme".into() });
        assert_eq!(check_request(&req), Ok(()));
        req.body = Body::typed(&CreateCompany { name: String::new() });
        let bug = check_request(&req).err().map(|b| b.to_string()).unwrap_or_default();
        assert!(
            bug.starts_with(
                "the suite sent a request its own schema refuses: POST /api/companies (create_company)"
            ),
            "{bug}"
        );
        assert!(bug.contains("/name"), "{bug}");
        // A body for another route's schema is refused too.
        req.route = Some(Route::CreateChat);
        req.body = Body::typed(&CreateCompany { name: "Acme".into() });
        assert!(check_request(&req).is_err());
        // A negative scenario's body is sent as written.
        req.body = Body::malformed(r#"{"name": 7}"#);
        assert_eq!(check_request(&req), Ok(()));
    }

    #[test]
    fn bodies_use_the_targets_message_field() {
        let renamed = rename_message_field(json!({"message": "hi", "x": 1}), "text");
        assert_eq!(renamed, json!({"text": "hi", "x": 1}));
        assert_eq!(rename_message_field(json!({"message": "hi"}), "message"), json!({"message": "hi"}));
    }

    #[test]
    fn forms_carry_strings_as_they_are() {
        assert_eq!(form_body(&json!({"a": "x y", "n": 5})), "a=x+y&n=5");
    }
}
