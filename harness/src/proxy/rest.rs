//! The checks of the REST routes as they pass the proxy: connectnow's routes (seed 002 and
//! the public facts of its conventions), OneChat's calls (seed 004) and SAMA's HTTP routes
//! `POST /login` and `POST /logout` (seed 003). A request body is checked against its route's
//! request schema with the client at fault, a reply against the reply schema of its status
//! with the server at fault, plus the per-message rules the seeds state that a schema does
//! not: the token each connectnow route takes, OneChat's `POST` and `apikey` header, SAMA's
//! access token and `device_id` headers.
//!
//! As in the suites, only what the document states is a violation: what breaks only a
//! register reading (connectnow's record fields C8 and error bodies C5, OneChat's status
//! codes O4, SAMA's error shape S10, numeric strings in connectnow bodies C19) is not the
//! sender's fault and is not reported.

use axum::http::{HeaderMap, header};
use chatspec_specs::connectnow::{self, Auth, Route as CnRoute};
use chatspec_specs::onechat::{self, Route as OcRoute};
use chatspec_specs::sama;
use chatspec_specs::{Endpoints as _, Registry, SchemaViolation};
use serde_json::{Map, Value};

use super::check::{Direction, Violation, from_schema, graded, rule, schema};
use crate::connectnow::driver::{on_public_field, unwrap_data};

const CLIENT: Direction = Direction::Client;
const SERVER: Direction = Direction::Server;

/// A request as the checks read it: its headers, query string and body.
#[derive(Clone, Copy, Debug)]
pub struct Sent<'a> {
    /// The request's headers.
    pub headers: &'a HeaderMap,
    /// The query string, without `?`.
    pub query: Option<&'a str>,
    /// The body as received.
    pub body: &'a [u8],
}

impl Sent<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn bearer(&self) -> Option<&str> {
        let text = self.header("authorization")?;
        let (scheme, token) = text.split_once(' ')?;
        (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()).then_some(token.trim())
    }

    fn is_blank(&self) -> bool {
        self.body.iter().all(u8::is_ascii_whitespace)
    }
}

/// The body of a connectnow request as the API reads it (NOTES.md C19): empty, a form
/// (`application/x-www-form-urlencoded`), or a JSON object; `None` when it is none of them.
fn connectnow_body(sent: &Sent<'_>) -> Option<Map<String, Value>> {
    if sent.is_blank() {
        return Some(Map::new());
    }
    let form = sent
        .header(header::CONTENT_TYPE.as_str())
        .is_some_and(|ct| ct.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"));
    if form {
        return Some(
            form_urlencoded::parse(sent.body)
                .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
                .collect(),
        );
    }
    match serde_json::from_slice(sent.body) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// A connectnow request: the public fact `Accept: application/json`, the token the route
/// takes, and the body against the route's request schema. Numeric strings where a number
/// is due are taken as numbers (Laravel's `integer` rule, NOTES.md C19).
pub fn connectnow_request(route: CnRoute, kind: &str, sent: &Sent<'_>) -> Vec<Violation> {
    let api = connectnow::API;
    let mut out = Vec::new();
    if !sent.header("accept").is_some_and(|a| a.to_ascii_lowercase().contains("application/json")) {
        out.push(rule(
            CLIENT,
            kind,
            api,
            "C-fact-accept-json",
            "",
            "the request does not carry Accept: application/json".into(),
        ));
    }
    let Some(body) = connectnow_body(sent) else {
        out.push(Violation {
            direction: CLIENT,
            exchange: kind.to_owned(),
            path: String::new(),
            rule: format!("schema {api}/{}", route.request_schema_name()),
            quote: None,
            message: "the body is neither a JSON object nor a form".into(),
        });
        return out;
    };
    let query: Map<String, Value> = form_urlencoded::parse(sent.query.unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
        .collect();
    let has = |name: &str| {
        query.get(name).or_else(|| body.get(name)).and_then(Value::as_str).is_some_and(|t| !t.is_empty())
            || sent.bearer().is_some()
    };
    let missing = match route.meta().auth {
        Auth::Api if !has("api_token") => Some(("C-api-token", "api_token")),
        Auth::ChatUser if !has("chat_user_token") => Some(("C-chat-user-token", "chat_user_token")),
        Auth::Either if !has("api_token") && !has("chat_user_token") => {
            Some(("C-tokens-two-kinds", "api_token or chat_user_token"))
        }
        _ => None,
    };
    if let Some((id, token)) = missing {
        out.push(rule(
            CLIENT,
            kind,
            api,
            id,
            "",
            format!("{route} takes {token} (query string, body or Authorization: Bearer), and the request has none"),
        ));
    }
    let body = Value::Object(body);
    let name = route.request_schema_name();
    let registry = Registry::global();
    if let Err(errors) = registry.validate(api, &name, &body) {
        // What only the numeric-string reading would let through is not reported.
        let read = registry.validate(api, &name, &numbers_read(&body)).err().unwrap_or_default();
        let same =
            |e: &SchemaViolation| read.iter().any(|r| r.instance_path == e.instance_path && r.rule == e.rule);
        out.extend(errors.into_iter().filter(same).map(|e| from_schema(CLIENT, kind, "", e)));
    }
    out
}

/// The body with every numeric string as a number (NOTES.md C19).
fn numbers_read(body: &Value) -> Value {
    match body {
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| {
                    let read = match v.as_str().map(str::trim) {
                        Some(s) if !s.is_empty() => serde_json::from_str::<serde_json::Number>(s)
                            .map_or_else(|_| v.clone(), Value::Number),
                        _ => v.clone(),
                    };
                    (k.clone(), read)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A connectnow reply: JSON, a status of the public facts (a "Create" answers 201, no 5xx),
/// and on success the route's reply schema on the fields the public facts fix (ids,
/// timestamps, pages); the other record fields (C8), error bodies (C5) and a delete's 204
/// (C16) are readings.
pub fn connectnow_reply(route: CnRoute, kind: &str, status: u16, body: &[u8]) -> Vec<Violation> {
    let api = connectnow::API;
    let exchange = format!("{kind} -> {status}");
    match status {
        204 | 400..=499 => Vec::new(),
        200..=299 => {
            let Ok(value) = serde_json::from_slice::<Value>(body) else {
                return vec![rule(
                    SERVER,
                    &exchange,
                    api,
                    "C-fact-accept-json",
                    "",
                    format!("the reply (HTTP {status}) is not JSON"),
                )];
            };
            let mut out = Vec::new();
            if route.meta().status == 201 && status != 201 {
                out.push(rule(
                    SERVER,
                    &exchange,
                    api,
                    "C-fact-created-201",
                    "",
                    format!("{route} creates a record and answers HTTP {status}, not 201"),
                ));
            }
            let is_delete = route.meta().method == "DELETE";
            if is_delete && unwrap_data(&value).get("id").is_none() {
                return out;
            }
            if let Err(errors) =
                Registry::global().validate(api, &route.reply_schema_name(), unwrap_data(&value))
            {
                out.extend(
                    errors.into_iter().filter(on_public_field).map(|e| from_schema(SERVER, &exchange, "", e)),
                );
            }
            out
        }
        _ => vec![rule(
            SERVER,
            &exchange,
            api,
            "C-status-codes",
            "",
            format!("HTTP {status}: the status codes are 200, 201, 401, 403, 404, 405, 422 and 429"),
        )],
    }
}

/// A OneChat call: `POST` ("Make sure Http method is set to POST."), the `apikey` header
/// where the seed requires it, a JSON body against the call's request schema.
pub fn onechat_request(route: OcRoute, kind: &str, post: bool, sent: &Sent<'_>) -> Vec<Violation> {
    let api = onechat::API;
    let mut out = Vec::new();
    if !post {
        out.push(rule(
            CLIENT,
            kind,
            api,
            "O-call-post",
            "",
            format!("{} is called with another method than POST", route.call()),
        ));
        return out;
    }
    if route.meta().apikey && sent.header("apikey").is_none_or(|k| k.trim().is_empty()) {
        out.push(rule(CLIENT, kind, api, "O-call-apikey-header", "", "no apikey header".into()));
    }
    match serde_json::from_slice::<Value>(sent.body) {
        Ok(body @ Value::Object(_)) => {
            out.extend(schema(CLIENT, kind, api, &route.request_schema_name(), "", &body))
        }
        _ => out.push(rule(
            CLIENT,
            kind,
            api,
            "O-call-body",
            "",
            "the body is not a JSON object of the call's details".into(),
        )),
    }
    out
}

/// A OneChat reply: a JSON object with `status` `Success` or `Error`, against the call's
/// reply schema or the error schema. The HTTP status is the register's reading (O4).
pub fn onechat_reply(route: OcRoute, kind: &str, status: u16, body: &[u8]) -> Vec<Violation> {
    let api = onechat::API;
    let exchange = format!("{kind} -> {status}");
    let value = match serde_json::from_slice::<Value>(body) {
        Ok(v @ Value::Object(_)) => v,
        _ => {
            return vec![rule(
                SERVER,
                &exchange,
                api,
                "O-reply-json",
                "",
                format!("the reply (HTTP {status}) is not a JSON object"),
            )];
        }
    };
    let name = match value.get("status").and_then(Value::as_str) {
        Some("Success") => route.reply_schema_name(),
        Some("Error") => "error".to_owned(),
        other => {
            let what = other.map_or_else(|| "missing".to_owned(), |s| format!("{s:?}"));
            return vec![rule(
                SERVER,
                &exchange,
                api,
                "O-reply-status",
                "/status",
                format!("status is {what}, neither \"Success\" nor \"Error\""),
            )];
        }
    };
    schema(SERVER, &exchange, api, &name, "", &value)
}

/// A SAMA HTTP request: `POST /login` with its body against `request.login`, the access
/// token's `device_id` header; `POST /logout` with the access token in the header.
pub fn sama_request(route: sama::Request, kind: &str, sent: &Sent<'_>) -> Vec<Violation> {
    let api = sama::API;
    let bearer = sent.bearer().is_some();
    if route == sama::Request::Logout {
        return if bearer {
            Vec::new()
        } else {
            vec![rule(
                CLIENT,
                kind,
                api,
                "S-logout-token-header",
                "",
                "no access token in Authorization: Bearer".into(),
            )]
        };
    }
    let body = if sent.is_blank() {
        Value::Object(Map::new())
    } else {
        match serde_json::from_slice::<Value>(sent.body) {
            Ok(v) => v,
            Err(_) => {
                return vec![rule(CLIENT, kind, api, "S-login-password", "", "the body is not JSON".into())];
            }
        }
    };
    let name = route.request_schema_name();
    let mut out = graded(CLIENT, kind, &name, "", &body);
    let device_header = sent.header("device_id").or_else(|| sent.header("device-id")).is_some();
    let cookie = sent.header("cookie").is_some_and(|c| c.to_ascii_lowercase().contains("refresh"));
    let field = |f: &str| body.get(f).and_then(Value::as_str).is_some_and(|s| !s.is_empty());
    if bearer && !device_header {
        out.push(rule(
            CLIENT,
            kind,
            api,
            "S-login-access-token",
            "",
            "an access-token login without the device_id header".into(),
        ));
    } else if !(bearer || cookie || (field("login") && field("password") && field("device_id"))) {
        out.push(rule(
            CLIENT,
            kind,
            api,
            "S-login-password",
            "",
            "neither an access token, nor the refresh-token cookie, nor login, password and device_id".into(),
        ));
    }
    out
}

/// A SAMA HTTP reply: a refusal's shape is the register's reading (S10); a success is JSON
/// against `response.<route>`.
pub fn sama_reply(route: sama::Request, kind: &str, status: u16, body: &[u8]) -> Vec<Violation> {
    let api = sama::API;
    let exchange = format!("{kind} -> {status}");
    let id = if route == sama::Request::Logout { "S-logout-route" } else { "S-login-response" };
    let value = serde_json::from_slice::<Value>(body).ok();
    if (400..500).contains(&status) || value.as_ref().is_some_and(|v| v.get("error").is_some()) {
        return Vec::new();
    }
    if status >= 500 {
        return vec![rule(SERVER, &exchange, api, id, "", format!("HTTP {status}: a server error"))];
    }
    match value {
        Some(v) => graded(SERVER, &exchange, &route.reply_schema_name(), "", &v),
        None => vec![rule(SERVER, &exchange, api, id, "", format!("the reply (HTTP {status}) is not JSON"))],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent<'a>(headers: &'a HeaderMap, body: &'a [u8]) -> Sent<'a> {
        Sent { headers, query: None, body }
    }

    fn json_headers(token: Option<&str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("accept", "application/json".parse().unwrap_or_else(|_| unreachable!()));
        if let Some(t) = token {
            h.insert("authorization", format!("Bearer {t}").parse().unwrap_or_else(|_| unreachable!()));
        }
        h
    }

    #[test]
    fn connectnow_bodies_are_checked_against_the_route_with_numeric_strings_read_as_numbers() {
        let h = json_headers(Some("t"));
        let kind = "POST /api/companies";
        assert!(
            connectnow_request(CnRoute::CreateCompany, kind, &sent(&h, br#"{"name": "Acme"}"#)).is_empty()
        );
        let found = connectnow_request(CnRoute::CreateCompany, kind, &sent(&h, br#"{"name": 7}"#));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].direction, found[0].path.as_str()), (CLIENT, "/name"));
        assert!(found[0].rule.starts_with("schema connectnow/request.create_company"), "{}", found[0].rule);
        let chat = br#"{"name": "c", "company_id": "7"}"#;
        assert!(connectnow_request(CnRoute::CreateChat, "POST /api/chats", &sent(&h, chat)).is_empty());
    }

    #[test]
    fn connectnow_tokens_and_accept_are_the_clients() {
        let bare = HeaderMap::new();
        let found = connectnow_request(CnRoute::ListCompanies, "GET /api/companies", &sent(&bare, b""));
        let rules: Vec<&str> = found.iter().map(|v| v.rule.as_str()).collect();
        assert_eq!(rules, ["C-fact-accept-json", "C-api-token"]);
        assert!(found[1].quote.as_deref().is_some_and(|q| q.contains("api_token")), "{:?}", found[1].quote);
        let h = json_headers(None);
        let with_query = Sent { headers: &h, query: Some("api_token=abc"), body: b"" };
        assert!(connectnow_request(CnRoute::ListCompanies, "GET /api/companies", &with_query).is_empty());
    }

    #[test]
    fn connectnow_replies_are_the_servers() {
        let kind = "POST /api/companies";
        let company = br#"{"id": 1, "name": "Acme", "created_at": "2026-01-02T03:04:05.000000Z", "updated_at": "2026-01-02T03:04:05.000000Z"}"#;
        let found = connectnow_reply(CnRoute::CreateCompany, kind, 200, company);
        assert_eq!(found.iter().map(|v| v.rule.as_str()).collect::<Vec<_>>(), ["C-fact-created-201"]);
        let bad_id = br#"{"id": "one", "name": "Acme", "created_at": "2026-01-02T03:04:05.000000Z", "updated_at": "2026-01-02T03:04:05.000000Z"}"#;
        let found = connectnow_reply(CnRoute::CreateCompany, kind, 201, bad_id);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].direction, found[0].path.as_str()), (SERVER, "/id"));
        assert!(
            connectnow_reply(CnRoute::CreateCompany, kind, 422, b"not json").is_empty(),
            "C5 is a reading"
        );
        assert_eq!(connectnow_reply(CnRoute::CreateCompany, kind, 500, b"{}")[0].rule, "C-status-codes");
    }

    #[test]
    fn onechat_calls_need_post_the_apikey_and_a_json_body() {
        let bare = HeaderMap::new();
        let kind = "POST /onechat/api/singleMessage";
        let body = br#"{"jid": "ann@x.example", "message": "Hi"}"#;
        let found = onechat_request(OcRoute::SingleMessage, kind, true, &sent(&bare, body));
        assert_eq!(found.iter().map(|v| v.rule.as_str()).collect::<Vec<_>>(), ["O-call-apikey-header"]);
        let found = onechat_request(OcRoute::SingleMessage, kind, false, &sent(&bare, body));
        assert_eq!(found[0].rule, "O-call-post");
        let mut h = HeaderMap::new();
        h.insert("apikey", "k".parse().unwrap_or_else(|_| unreachable!()));
        assert!(onechat_request(OcRoute::SingleMessage, kind, true, &sent(&h, body)).is_empty());
        let found =
            onechat_request(OcRoute::SingleMessage, kind, true, &sent(&h, br#"{"jid": "ann@x.example"}"#));
        assert!(
            found.iter().any(|v| v.rule.starts_with("schema onechat/request.single_message")),
            "{found:?}"
        );
        let found =
            onechat_reply(OcRoute::SingleMessage, kind, 200, br#"{"status": "success", "description": "-"}"#);
        assert_eq!((found[0].direction, found[0].rule.as_str()), (SERVER, "O-reply-status"));
        assert!(
            onechat_reply(
                OcRoute::SingleMessage,
                kind,
                401,
                br#"{"status": "Error", "description": "Unauthorized"}"#
            )
            .is_empty()
        );
    }

    #[test]
    fn sama_login_and_logout_carry_their_credentials() {
        let bare = HeaderMap::new();
        let full = br#"{"login": "u1", "password": "p", "device_id": "d"}"#;
        assert!(sama_request(sama::Request::Login, "POST /login", &sent(&bare, full)).is_empty());
        let found = sama_request(
            sama::Request::Login,
            "POST /login",
            &sent(&bare, br#"{"login": "u1", "password": "p"}"#),
        );
        assert_eq!(found.iter().map(|v| v.rule.as_str()).collect::<Vec<_>>(), ["S-login-password"]);
        let token = json_headers(Some("at"));
        let found = sama_request(sama::Request::Login, "POST /login", &sent(&token, b""));
        assert_eq!(found[0].rule, "S-login-access-token");
        assert_eq!(
            sama_request(sama::Request::Logout, "POST /logout", &sent(&bare, b""))[0].rule,
            "S-logout-token-header"
        );
        assert!(sama_reply(sama::Request::Login, "POST /login", 422, b"'device_id' is required.").is_empty());
        assert_eq!(sama_reply(sama::Request::Login, "POST /login", 200, b"ok")[0].rule, "S-login-response");
        let found = sama_reply(sama::Request::Logout, "POST /logout", 200, br#"{"success": "yes"}"#);
        assert!(found.iter().any(|v| v.path == "/success"), "{found:?}");
    }
}
