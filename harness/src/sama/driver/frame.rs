//! SAMA frames (seed 003) as the harness writes and reads them: requests written the way the
//! document's examples write them, the schema each reply and event must satisfy, and which
//! schema rules rest on a register reading rather than on the document.

use chatspec_specs::{Registry, SchemaViolation};
use serde_json::Value;

const API: &str = "sama";

/// `{"request":{"<name>":<params>,"id":<id>}}`, `params` as JSON text (or, for a negative
/// scenario, any text): the request's name first, then its id, as every
/// example of seed 003 writes it (`request: { user_create: {...}, id: "421c..." }`). JSON objects
/// are unordered, but a server may route on the first key of `request` (register S1), and
/// `serde_json` writes maps with sorted keys, which would put `id` first.
pub fn request(name: &str, params: &dyn std::fmt::Display, id: &Value) -> String {
    format!(r#"{{"request":{{{}:{},"id":{}}}}}"#, Value::from(name), params, id)
}

/// `{"<kind>":{...}}` for a top-level packet, its keys in the order the document's example of
/// that packet shows them (`message: { id, body, cid, x, attachments }`), any others after.
pub fn packet(kind: &str, body: &Value) -> String {
    let order: &[&str] = match kind {
        "message" => &["id", "body", "cid", "x", "attachments"],
        "system_message" => &["id", "uids", "cid", "x"],
        "typing" => &["cid"],
        _ => &[],
    };
    format!("{{{}:{}}}", Value::from(kind), ordered(body, order))
}

/// An object's JSON with `order`'s keys first.
fn ordered(body: &Value, order: &[&str]) -> String {
    let Some(obj) = body.as_object() else { return body.to_string() };
    let mut parts: Vec<String> = Vec::with_capacity(obj.len());
    let mut push = |k: &str, v: &Value| parts.push(format!("{}:{v}", Value::from(k)));
    for k in order {
        if let Some(v) = obj.get(*k) {
            push(k, v);
        }
    }
    for (k, v) in obj.iter().filter(|(k, _)| !order.contains(&k.as_str())) {
        push(k, v);
    }
    format!("{{{}}}", parts.join(","))
}

/// The key of a one-key object frame, and the body under it.
pub fn key_of(frame: &Value) -> Option<(&str, &Value)> {
    let obj = frame.as_object()?;
    if obj.len() != 1 {
        return None;
    }
    obj.iter().next().map(|(k, v)| (k.as_str(), v))
}

/// An id as a matching key: strings as they are, numbers as their digits.
pub fn id_text(id: &Value) -> Option<String> {
    match id {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The schema the body of an event frame `{ <key>: body }` must satisfy, if any.
pub fn event_schema(key: &str, body: &Value) -> Option<String> {
    let x = body.get("x");
    Some(match key {
        "message" if x.and_then(|x| x.get("user")).is_some() => "event.participant_message".into(),
        "system_message" => ["conversation_created", "conversation_updated", "conversation_kicked"]
            .into_iter()
            .find(|k| x.and_then(|x| x.get(*k)).is_some())
            .map_or_else(|| "event.system_message".into(), |k| format!("event.{k}")),
        "ack" => "event.ack".into(),
        "response" if body.get("error").is_some() => "error".into(),
        "message" | "typing" | "message_read" | "message_delete" | "message_edit" | "last_activity" => {
            format!("event.{key}")
        }
        _ => return None,
    })
}

/// The schema a successful reply to request `name` must satisfy.
pub fn response_schema(name: &str) -> String {
    match name {
        // The seed's literal batch form answers like `contact_batch_add` (S21).
        "contacts" => "response.contact_batch_add".into(),
        other => format!("response.{other}"),
    }
}

/// Schema violations of one reply or event, split by what they rest on.
#[derive(Clone, Debug, Default)]
pub struct Violations {
    /// Rules the document states: a miss fails the check.
    pub document: Vec<String>,
    /// Rules of a register reading, with the entry: a miss is graded.
    pub readings: Vec<(String, String)>,
}

impl Violations {
    /// Whether nothing was violated.
    pub fn is_empty(&self) -> bool {
        self.document.is_empty() && self.readings.is_empty()
    }
}

/// Validates `instance` against schema `sama/<name>` and grades each violation.
pub fn validate(name: &str, instance: &Value) -> Violations {
    let mut out = Violations::default();
    if let Err(errors) = Registry::global().validate(API, name, instance) {
        for e in errors {
            match reading_of(name, &e) {
                Some(entry) => out.readings.push((entry.to_owned(), e.to_string())),
                None => out.document.push(e.to_string()),
            }
        }
    }
    out
}

/// The register entry a schema rule rests on, where it rests on a reading; `None` where the
/// document shows it.
fn reading_of(schema: &str, v: &SchemaViolation) -> Option<&'static str> {
    let path = v.instance_path.as_str();
    let required = |field: &str| v.rule.ends_with("/required") && v.message.contains(&format!("\"{field}\""));
    if schema == "error" {
        // The seed shows no error at all: its shape is the register's (S10).
        return Some("S10");
    }
    if schema == "event.typing"
        && (required("from") || path.starts_with("/from") || path.starts_with("/status"))
    {
        // "will receive the same typing message": who types is added by the reading (S47).
        return Some("S47");
    }
    if path.contains("/contact") && (path.ends_with("/created_at") || path.ends_with("/updated_at")) {
        // The contact examples show `created_at: ""` (S25).
        return Some("S25");
    }
    if path.starts_with("/logs/") && path.ends_with("/_id") {
        // `_id: 325`: a number in the example, a server's own id form otherwise (S58).
        return Some("S58");
    }
    None
}

/// The violations of a successful reply to request `name`. The `user_edit` example shows the
/// user's `id` where every other record has `_id`; either is accepted there (S16).
pub fn reply_violations(name: &str, body: &Value) -> Violations {
    let schema = response_schema(name);
    if name == "user_edit"
        && let Some(user) = body.get("user").filter(|u| u.get("_id").is_none())
        && let Some(id) = user.get("id")
    {
        let mut read = body.clone();
        read["user"]["_id"] = id.clone();
        return validate(&schema, &read);
    }
    validate(&schema, body)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_request_is_written_name_first_then_id() {
        let text = request("user_create", &json!({"login": "a", "password": "b"}), &json!("u-1"));
        assert_eq!(text, r#"{"request":{"user_create":{"login":"a","password":"b"},"id":"u-1"}}"#);
        assert!(text.starts_with(r#"{"request":{"user_create""#));
        assert_eq!(request("x", &json!({}), &json!(7)), r#"{"request":{"x":{},"id":7}}"#);
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed["request"]["id"], "u-1");
    }

    #[test]
    fn a_packet_is_written_in_the_examples_order() {
        let body = json!({"x": {"k": 1}, "cid": "c", "body": "hi", "id": "m1", "attachments": []});
        assert_eq!(
            packet("message", &body),
            r#"{"message":{"id":"m1","body":"hi","cid":"c","x":{"k":1},"attachments":[]}}"#
        );
        assert_eq!(packet("typing", &json!({"cid": "c"})), r#"{"typing":{"cid":"c"}}"#);
    }

    #[test]
    fn user_edit_may_answer_id_for_the_user() {
        let user = json!({"login": "u", "created_at": "2022-10-13T13:11:04.447Z", "updated_at": "2022-10-13T13:11:04.447Z"});
        let mut with_id = json!({"id": "r1", "user": user.clone()});
        with_id["user"]["id"] = json!("63480e68f4794709f802a2fa");
        assert!(reply_violations("user_edit", &with_id).is_empty());
        assert!(!reply_violations("user_create", &with_id).is_empty());
        assert!(!reply_violations("user_edit", &json!({"id": "r1", "user": user})).is_empty());
    }

    #[test]
    fn events_find_their_schema() {
        let created = json!({"x": {"conversation_created": {}}});
        assert_eq!(event_schema("system_message", &created).as_deref(), Some("event.conversation_created"));
        let added = json!({"x": {"type": "added_participant", "user": {}}});
        assert_eq!(event_schema("message", &added).as_deref(), Some("event.participant_message"));
        assert_eq!(event_schema("message", &json!({"x": {"k": 1}})).as_deref(), Some("event.message"));
        assert_eq!(event_schema("pong", &json!({})), None);
    }

    #[test]
    fn error_shapes_and_who_types_are_readings() {
        let v = validate("error", &json!({"id": "1", "error": "Can't block self user"}));
        assert!(v.document.is_empty() && v.readings.iter().all(|(e, _)| e == "S10"), "{v:?}");
        let v = validate("event.typing", &json!({"cid": "c"}));
        assert!(v.document.is_empty() && v.readings[0].0 == "S47", "{v:?}");
        let v = validate("event.typing", &json!({"from": "u"}));
        assert!(!v.document.is_empty(), "the cid is the document's: {v:?}");
    }
}
