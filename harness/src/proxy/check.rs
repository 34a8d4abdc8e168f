//! What the proxy checks as traffic passes: every request, reply, SSE event and WebSocket frame
//! against the specs' schemas (the same [`Registry`] the suites validate with), plus the
//! per-message rules the documents state that no JSON Schema of ours expresses (a uid of at
//! most 64 characters, a full data URL, `mentions` never null, one of `group_id` and
//! `subscription_id`, at most 10 `ids`). Each violation names who is at fault, where, the rule
//! and the seed's sentence.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use base64::Engine;
use chatspec_specs::rules::{self, RuleIndex};
use chatspec_specs::{Endpoints, Registry, SchemaViolation};
use serde::Serialize;
use serde_json::Value;

use crate::sama::driver as sama_driver;

/// Who sent what breaks the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The client sent a malformed request or frame.
    Client,
    /// The server sent a malformed reply, event or frame.
    Server,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::Client => "client",
            Direction::Server => "server",
        })
    }
}

/// One way a message breaks the document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// Who is at fault.
    pub direction: Direction,
    /// The exchange: `POST /api/post_message`, `SSE unichat_notification`, `WS request user_create`.
    pub exchange: String,
    /// JSON pointer into the message, e.g. `/args/uid`.
    pub path: String,
    /// The rule: a rule index id (`U-uid-max-64`) or `schema <api>/<name> <schema path>`.
    pub rule: String,
    /// The seed's sentence the rule rests on, with its seed (`001: "Maximum ..."`).
    pub quote: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() { "/" } else { &self.path };
        write!(
            f,
            "[{} at fault] {} {path}: {} (rule {})",
            self.direction, self.exchange, self.message, self.rule
        )?;
        if let Some(q) = &self.quote {
            write!(f, "; documentation: {q}")?;
        }
        Ok(())
    }
}

/// A schema violation as the proxy reports it, `prefix` put before its JSON path.
pub(super) fn from_schema(
    direction: Direction,
    exchange: &str,
    prefix: &str,
    v: SchemaViolation,
) -> Violation {
    Violation {
        direction,
        exchange: exchange.to_owned(),
        path: format!("{prefix}{}", v.instance_path),
        rule: format!("schema {} {}", v.schema, v.rule),
        quote: v.doc,
        message: v.message,
    }
}

/// The violations of `instance` against schema `<api>/<name>`, each with who is at fault.
pub(super) fn schema(
    direction: Direction,
    exchange: &str,
    api: &str,
    name: &str,
    prefix: &str,
    instance: &Value,
) -> Vec<Violation> {
    match Registry::global().validate(api, name, instance) {
        Ok(()) => Vec::new(),
        Err(errors) => errors.into_iter().map(|e| from_schema(direction, exchange, prefix, e)).collect(),
    }
}

/// A violation of rule `id` of `api`'s rule index, quoting it.
pub(super) fn rule(
    direction: Direction,
    exchange: &str,
    api: &str,
    id: &str,
    path: &str,
    message: String,
) -> Violation {
    static INDEXES: OnceLock<Vec<RuleIndex>> = OnceLock::new();
    let indexes = INDEXES.get_or_init(|| {
        rules::APIS.iter().filter_map(|api| rules::index(api).and_then(Result::ok)).collect()
    });
    let quote = indexes
        .iter()
        .find(|i| i.api == api)
        .and_then(|i| i.rule(id))
        .map(|r| format!("{}: \"{}\"", r.seed, rules::normalise_whitespace(&r.quote)));
    Violation {
        direction,
        exchange: exchange.to_owned(),
        path: path.to_owned(),
        rule: id.to_owned(),
        quote,
        message,
    }
}

/// Seed 000's request: `POST /api/{method}` with `{"args": {...}}`, the args against the
/// method's request schema and the per-message rules.
pub fn unichat_request(method: &str, body: &[u8]) -> Vec<Violation> {
    use chatspec_specs::unichat::{API, Method};
    let exchange = format!("POST /api/{method}");
    let c = Direction::Client;
    let Some(m) = Method::from_name(method) else {
        return vec![rule(
            c,
            &exchange,
            API,
            "U-endpoint-method-name",
            "",
            format!("{method} is no Unichat method"),
        )];
    };
    let args = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Default::default())
    } else {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(mut obj)) => match obj.remove("args") {
                None | Some(Value::Null) => Value::Object(Default::default()),
                Some(args) => args,
            },
            Ok(_) | Err(_) => {
                return vec![rule(
                    c,
                    &exchange,
                    API,
                    "U-endpoint-args",
                    "",
                    "the body is not a JSON object {\"args\": {...}}".into(),
                )];
            }
        }
    };
    let mut out = schema(c, &exchange, API, &m.request_schema_name(), "/args", &args);
    out.extend(unichat_message_rules(&exchange, method, &args));
    out
}

/// The per-message rules of seed 001 that the request schemas leave open.
fn unichat_message_rules(exchange: &str, method: &str, args: &Value) -> Vec<Violation> {
    let api = chatspec_specs::unichat::API;
    let c = Direction::Client;
    let mut out = Vec::new();
    let posting = matches!(method, "post_message" | "edit_message");
    if method == "post_message"
        && let Some(uid) = args.get("uid").and_then(Value::as_str)
        && uid.chars().count() > 64
    {
        out.push(rule(
            c,
            exchange,
            api,
            "U-uid-max-64",
            "/args/uid",
            format!("the uid has {} characters", uid.chars().count()),
        ));
    }
    if posting
        && let Some(url) = args.get("attachment").and_then(Value::as_str)
        && !(method == "edit_message" && url.is_empty())
        && !is_full_data_url(url)
    {
        let id = if method == "post_message" {
            "U-post-attachment-data-url"
        } else {
            "U-edit-attachment-data-url"
        };
        let shown: String = url.chars().take(40).collect();
        out.push(rule(
            c,
            exchange,
            api,
            id,
            "/args/attachment",
            format!("{shown:?} is not a full data URL data:<mediatype>;base64,<data>"),
        ));
    }
    if posting && args.get("mentions").is_some_and(Value::is_null) {
        out.push(rule(
            c,
            exchange,
            api,
            "U-post-mentions-not-null",
            "/args/mentions",
            "mentions is null".into(),
        ));
    }
    if method == "post_message"
        && args.get("group_id").is_none_or(Value::is_null)
        && args.get("subscription_id").is_none_or(Value::is_null)
    {
        out.push(rule(
            c,
            exchange,
            api,
            "U-post-group-or-subscription",
            "/args",
            "neither group_id nor subscription_id is given".into(),
        ));
    }
    out
}

/// `data:<mediatype>;base64,<data>` with a type/subtype and Base64 that decodes.
fn is_full_data_url(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("data:") else { return false };
    let Some((media, data)) = rest.split_once(";base64,") else { return false };
    media
        .split(';')
        .next()
        .is_some_and(|t| t.split_once('/').is_some_and(|(a, b)| !a.is_empty() && !b.is_empty()))
        && base64::engine::general_purpose::STANDARD.decode(data).is_ok()
}

/// Seed 000's reply: `{"status": "OK", ...}` against the reply schema, or the 400 error
/// envelope.
pub fn unichat_reply(method: &str, status: u16, body: &[u8]) -> Vec<Violation> {
    use chatspec_specs::unichat::{API, Method};
    let exchange = format!("POST /api/{method} -> {status}");
    let s = Direction::Server;
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return vec![rule(
            s,
            &exchange,
            API,
            "U-endpoint-json",
            "",
            format!("the reply (HTTP {status}) is not JSON"),
        )];
    };
    match (status, value.get("status").and_then(Value::as_str)) {
        (200, Some("OK")) => match Method::from_name(method) {
            Some(m) => schema(s, &exchange, API, &m.reply_schema_name(), "", &value),
            None => Vec::new(),
        },
        (400, Some("error")) => schema(s, &exchange, API, "error", "", &value),
        (status, field) => vec![rule(
            s,
            &exchange,
            API,
            "U-endpoint-error-envelope",
            "/status",
            format!(
                "HTTP {status} with status {field:?}: success is status 'OK', an error is HTTP 400 with status 'error'"
            ),
        )],
    }
}

/// One event of the Unichat stream: a notification against its schema and its record's.
pub fn unichat_event(name: &str, data: &str) -> Vec<Violation> {
    use chatspec_specs::unichat::API;
    if name != "unichat_notification" {
        return Vec::new();
    }
    let exchange = format!("SSE {name}");
    let s = Direction::Server;
    let Ok(value) = serde_json::from_str::<Value>(data) else {
        return vec![rule(
            s,
            &exchange,
            API,
            "U-sse-notification-event",
            "",
            "the event's data is not JSON".into(),
        )];
    };
    let mut out = schema(s, &exchange, API, "notification", "", &value);
    let kind = value.get("object_name").or_else(|| value.get("object_type")).and_then(Value::as_str);
    let record = match (kind, value.get("event").and_then(Value::as_str)) {
        // "on the deleted object notification, only the id field is guaranteed to be present"
        (Some("subscription"), Some("deleted")) => None,
        (Some("subscription"), _) => Some("record.subscription"),
        (Some("message"), _) => Some("record.message"),
        _ => None,
    };
    if let (Some(record), Some(object)) = (record, value.get("object")) {
        out.extend(schema(s, &exchange, API, record, "/object", object));
    }
    out
}

/// The open requests of one SAMA socket: request id to request name, so a reply is checked
/// against its request's reply schema.
#[derive(Debug, Default)]
pub struct SamaSocket {
    open: HashMap<String, String>,
}

impl SamaSocket {
    /// A frame the client sent: `{"request": {<name>: params, "id"}}` or a packet.
    pub fn client_frame(&mut self, text: &str) -> Vec<Violation> {
        let c = Direction::Client;
        let Ok(frame) = serde_json::from_str::<Value>(text) else {
            return vec![rule(c, "WS frame", "sama", "S-reg-bad-frames", "", "the frame is not JSON".into())];
        };
        let Some((key, body)) = sama_driver::frame::key_of(&frame) else {
            return vec![rule(
                c,
                "WS frame",
                "sama",
                "S-reg-bad-frames",
                "",
                "the frame is not an object with one key".into(),
            )];
        };
        if key != "request" {
            let exchange = format!("WS {key}");
            return graded(c, &exchange, &format!("request.{key}"), &format!("/{key}"), body);
        }
        let Some(obj) = body.as_object() else {
            return vec![rule(
                c,
                "WS request",
                "sama",
                "S-reg-bad-frames",
                "/request",
                "request is not an object".into(),
            )];
        };
        let Some((name, params)) = obj.iter().find(|(k, _)| k.as_str() != "id") else {
            return vec![rule(
                c,
                "WS request",
                "sama",
                "S-reg-bad-frames",
                "/request",
                "the request names no call".into(),
            )];
        };
        if let Some(id) = obj.get("id").and_then(sama_driver::frame::id_text) {
            self.open.insert(id, name.clone());
        }
        let exchange = format!("WS request {name}");
        let mut out = graded(c, &exchange, &format!("request.{name}"), &format!("/request/{name}"), params);
        if name == "user_last_activity"
            && let Some(ids) = params.get("ids").and_then(Value::as_array)
            && ids.len() > 10
        {
            out.push(rule(
                c,
                &exchange,
                "sama",
                "S-last-activity-max-10",
                &format!("/request/{name}/ids"),
                format!("{} ids", ids.len()),
            ));
        }
        out
    }

    /// A frame the server sent: a reply to an open request, or an event.
    pub fn server_frame(&mut self, text: &str) -> Vec<Violation> {
        let s = Direction::Server;
        let Ok(frame) = serde_json::from_str::<Value>(text) else {
            return vec![rule(s, "WS frame", "sama", "S-reg-bad-frames", "", "the frame is not JSON".into())];
        };
        let Some((key, body)) = sama_driver::frame::key_of(&frame) else { return Vec::new() };
        if key == "response"
            && body.get("error").is_none()
            && let Some(name) =
                body.get("id").and_then(sama_driver::frame::id_text).and_then(|id| self.open.remove(&id))
        {
            let exchange = format!("WS response {name}");
            let mut out = Vec::new();
            let found = sama_driver::frame::reply_violations(&name, body);
            for v in structured(&sama_driver::frame::response_schema(&name), body) {
                if found.document.contains(&v.to_string()) {
                    out.push(from_schema(s, &exchange, "/response", v));
                }
            }
            return out;
        }
        if key == "response"
            && let Some(id) = body.get("id").and_then(sama_driver::frame::id_text)
        {
            self.open.remove(&id);
        }
        match sama_driver::frame::event_schema(key, body) {
            Some(name) => graded(s, &format!("WS {key}"), &name, &format!("/{key}"), body),
            None => Vec::new(),
        }
    }
}

fn structured(name: &str, instance: &Value) -> Vec<SchemaViolation> {
    Registry::global().validate("sama", name, instance).err().unwrap_or_default()
}

/// The document's violations of a SAMA schema (the register's readings are not the sender's
/// fault), structured.
pub(super) fn graded(
    direction: Direction,
    exchange: &str,
    name: &str,
    prefix: &str,
    instance: &Value,
) -> Vec<Violation> {
    if !Registry::global().has("sama", name) {
        return Vec::new();
    }
    let found = sama_driver::frame::validate(name, instance);
    structured(name, instance)
        .into_iter()
        .filter(|v| found.document.contains(&v.to_string()))
        .map(|v| from_schema(direction, exchange, prefix, v))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_uid_is_the_clients_fault_with_its_rule_and_quote() {
        let uid = "u".repeat(65);
        let body = format!(r#"{{"args": {{"subscription_id": 1, "text": "hi", "uid": "{uid}"}}}}"#);
        let found = unichat_request("post_message", body.as_bytes());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].direction, Direction::Client);
        assert_eq!(found[0].rule, "U-uid-max-64");
        assert_eq!(found[0].path, "/args/uid");
        assert!(
            found[0].quote.as_deref().is_some_and(|q| q.contains("Maximum allowed size is 64 characters"))
        );
    }

    #[test]
    fn data_urls_must_be_full() {
        assert!(is_full_data_url("data:image/png;base64,aGk="));
        assert!(!is_full_data_url("data:;base64,aGk="));
        assert!(!is_full_data_url("http://x/y.png"));
        assert!(!is_full_data_url("data:image/png;base64,**"));
    }

    #[test]
    fn a_reply_outside_the_envelope_is_the_servers_fault() {
        let found = unichat_reply("get_subscriptions", 500, br#"{"oops": 1}"#);
        assert_eq!(found[0].direction, Direction::Server);
        assert_eq!(found[0].rule, "U-endpoint-error-envelope");
    }
}
