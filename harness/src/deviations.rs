//! Declared deviations as adapters (DESIGN.md, "Deviations and compatibility"): where a target
//! profile declares that its server departs from seed 003 in a known way, the harness changes
//! what it accepts at the one check the deviation concerns, records that it did
//! ([`crate::verdict::Verdicts::deviation`]), and goes on checking everything else. The
//! scenario is then graded "passed with declared deviation".
//!
//! Two sources, one mechanism:
//! - the catalogue of the public SAMA server's deviations, [`Switch`] (`specs/src/sama/compat.rs`),
//!   named in `[sama] deviations = [...]`. Those that change the wire form are applied here to
//!   every frame; the others are adapted by the step that checks the rule (see [`Deviations::declares`]);
//! - adapters written in the profile without new code (`[[sama.adapters]]`): a key the server
//!   spells otherwise (`rename_key`), a wrapper around what the document shows bare (`unwrap`),
//!   a field sent as a JSON-encoded string (`json_string`).
//!
//! A deviation chatspec knows but the profile does not declare is not adapted: the check fails
//! with a hint naming it ([`hint`]).

use std::collections::BTreeSet;

use base64::Engine as _;
use chatspec_specs::sama::compat::{PRESET, Switch, SwitchKind};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// How a profile-declared adapter changes what the server sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum AdapterKind {
    /// The server spells the key `from` where the document has `to` (at any depth).
    RenameKey {
        /// The key as the server spells it.
        from: String,
        /// The key as the document spells it.
        to: String,
    },
    /// The server wraps what the document shows bare in `{ <key>: ... }`: a frame
    /// `{ <key>: { <event>: ... } }`, or a reply `{ id, <key>: { ... } }`.
    Unwrap {
        /// The wrapping key.
        key: String,
    },
    /// The server sends the field `key` (at any depth) as a JSON-encoded string.
    JsonString {
        /// The field sent as a string.
        key: String,
    },
}

/// One adapter a profile declares: `[[sama.adapters]] name = "...", kind = "rename_key", ...`
/// (unknown fields are refused by [`AdapterKind`], which receives every field but these).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adapter {
    /// How reports name the deviation.
    pub name: String,
    /// The register entry it concerns (`S40`), if any.
    #[serde(default)]
    pub entry: Option<String>,
    /// What the adapter does, with its fields (`kind = "rename_key"`, ...).
    #[serde(flatten)]
    pub kind: AdapterKind,
}

/// One adaptation made to what the server sent: becomes a deviation note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// The deviation's name (`ack_as_ask`, or a profile adapter's `name`).
    pub name: String,
    /// The register entry.
    pub entry: String,
    /// What was checked.
    pub check: String,
    /// What the document shows.
    pub expected: String,
    /// What the server sent.
    pub actual: String,
}

/// What a target declares: catalogue deviations and profile adapters.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Deviations {
    /// Deviations of the catalogue (`SwitchKind::Deviation` only), by name on the wire.
    #[serde(with = "switch_names")]
    pub switches: BTreeSet<Switch>,
    /// Adapters written in the profile.
    pub adapters: Vec<Adapter>,
}

/// A name a profile cannot declare as a deviation.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DeviationError {
    /// No switch and no preset has this name.
    #[error("{0:?} is not a known deviation; known: {known}", known = known_names())]
    Unknown(String),
    /// The name is a behaviour: a reading of something the document leaves open, which the
    /// harness accepts without any declaration.
    #[error(
        "{name:?} is not a deviation from the document but a reading of a silent one (register {entry}): the harness accepts it without a declaration"
    )]
    Behaviour {
        /// The name given.
        name: String,
        /// Its entry in the SAMA register (`S12`).
        entry: &'static str,
    },
}

/// `"ack_as_ask"` -> the catalogue deviation; the preset name and behaviours are refused with
/// a message saying why.
pub fn parse_deviation(name: &str) -> Result<Vec<Switch>, DeviationError> {
    let Some(switches) = Switch::expand(name) else {
        return Err(DeviationError::Unknown(name.to_owned()));
    };
    if name == PRESET {
        return Ok(switches.into_iter().filter(|s| s.kind() == SwitchKind::Deviation).collect());
    }
    match switches.as_slice() {
        [s] if s.kind() == SwitchKind::Behaviour => {
            Err(DeviationError::Behaviour { name: name.to_owned(), entry: s.entry() })
        }
        _ => Ok(switches),
    }
}

/// The names of every declarable deviation, for messages.
pub fn known_names() -> String {
    let mut names: Vec<&str> =
        Switch::ALL.iter().filter(|s| s.kind() == SwitchKind::Deviation).map(|s| s.name()).collect();
    names.push(PRESET);
    names.join(", ")
}

/// The hint a check adds when the server shows a known deviation the profile did not declare.
pub fn hint(s: Switch) -> String {
    format!(
        "this looks like deviation {} (register {} of specs/src/sama/NOTES.md); declare it in the profile's [sama] deviations if your server has it",
        s.name(),
        s.entry()
    )
}

impl Deviations {
    /// Whether the profile declares catalogue deviation `s`.
    pub fn declares(&self, s: Switch) -> bool {
        self.switches.contains(&s)
    }

    /// Whether nothing is declared.
    pub fn is_empty(&self) -> bool {
        self.switches.is_empty() && self.adapters.is_empty()
    }

    /// Adapts a whole frame as it arrives, before it is matched to a request: keys renamed,
    /// top-level wrappers removed, JSON strings parsed.
    pub fn adapt_frame(&self, frame: &mut Value) -> Vec<Applied> {
        let mut applied = Vec::new();
        if self.declares(Switch::AckAsAsk) && rename_top(frame, "ask", "ack") {
            applied.push(builtin(
                Switch::AckAsAsk,
                "the ack of a message",
                "{ack: {mid, server_mid, t}}",
                "{ask: {...}}",
            ));
        }
        if self.declares(Switch::OpLogInPacket) {
            if unwrap_in(frame, "packet") {
                applied.push(builtin(
                    Switch::OpLogInPacket,
                    "a reply or event as the document shows it",
                    "no packet wrapper",
                    "{packet: {...}} around it",
                ));
            }
            if parse_strings(frame, "packet") {
                applied.push(builtin(
                    Switch::OpLogInPacket,
                    "op_log_list logs: packet is an object",
                    "packet: { ... }",
                    "packet as a JSON string",
                ));
            }
        }
        for a in &self.adapters {
            let entry = a.entry.clone().unwrap_or_else(|| "-".into());
            let done = match &a.kind {
                AdapterKind::RenameKey { from, to } => rename_everywhere(frame, from, to)
                    .then(|| (format!("the key {to:?}"), format!("{to:?}"), format!("{from:?}"))),
                AdapterKind::Unwrap { key } => unwrap_in(frame, key).then(|| {
                    ("no wrapper".to_owned(), "the document's form".to_owned(), format!("{{{key}: ...}}"))
                }),
                AdapterKind::JsonString { key } => parse_strings(frame, key).then(|| {
                    (format!("{key} is JSON"), format!("{key}: {{...}}"), format!("{key} as a JSON string"))
                }),
            };
            if let Some((check, expected, actual)) = done {
                applied.push(Applied { name: a.name.clone(), entry: entry.clone(), check, expected, actual });
            }
        }
        applied
    }

    /// Adapts the body of a successful reply to request `request`.
    pub fn adapt_reply(&self, request: &str, body: &mut Value) -> Vec<Applied> {
        let mut applied = Vec::new();
        if self.declares(Switch::OnlineAsZero)
            && matches!(request, "user_last_activity" | "user_last_activity_subscribe")
            && let Some(map) = body.get_mut("last_activity")
            && zero_to_online(map)
        {
            applied.push(builtin(Switch::OnlineAsZero, "last_activity of an online user", "\"online\"", "0"));
        }
        if self.declares(Switch::SearchAnswersBareIds)
            && request == "conversation_search"
            && let Some(Value::Array(list)) = body.get_mut("conversations")
            && list.iter().any(Value::is_string)
        {
            for item in list.iter_mut() {
                if let Value::String(id) = item {
                    let mut hit = Map::new();
                    hit.insert("_id".into(), Value::String(id.clone()));
                    *item = Value::Object(hit);
                }
            }
            applied.push(builtin(
                Switch::SearchAnswersBareIds,
                "conversation_search answers {_id, name}",
                "[{_id, name}]",
                "bare ids",
            ));
        }
        if self.declares(Switch::PushEventUserIdsBase64)
            && request == "push_event_create"
            && let Some(Value::Object(event)) = body.get_mut("event")
        {
            let mut changed = false;
            if !event.contains_key("recipients_ids")
                && let Some(ids) = event.remove("user_ids")
            {
                event.insert("recipients_ids".into(), ids);
                changed = true;
            }
            if let Some(Value::String(m)) = event.get("message")
                && serde_json::from_str::<Value>(m).is_err()
                && let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(m.trim())
                && let Ok(text) = String::from_utf8(bytes)
            {
                event.insert("message".into(), Value::String(text));
                changed = true;
            }
            if changed {
                applied.push(builtin(
                    Switch::PushEventUserIdsBase64,
                    "push_event_create answers the event",
                    "{recipients_ids, message: '{\"title\",\"body\"}'}",
                    "{user_ids, message in base64}",
                ));
            }
        }
        applied
    }

    /// Adapts the body of an event `{ <key>: body }`.
    pub fn adapt_event(&self, key: &str, body: &mut Value) -> Vec<Applied> {
        if self.declares(Switch::OnlineAsZero) && key == "last_activity" && zero_to_online(body) {
            return vec![builtin(
                Switch::OnlineAsZero,
                "last_activity of a user who came online",
                "\"online\"",
                "0",
            )];
        }
        Vec::new()
    }

    /// The known deviations a refusal of `call` (a request name, or `/login`) points at, from
    /// what its error says, that the profile does not declare (for hints).
    pub fn refusal_suspects(&self, call: &str, error_text: &str) -> Vec<Switch> {
        let says = |field: &str| error_text.contains(field);
        let mut out = Vec::new();
        match call {
            "user_create" if says("organization_id") || says("email") => {
                out.push(Switch::SignUpNeedsOrganization)
            }
            "user_login" | "/login" if says("organization_id") => {
                out.extend([Switch::SignUpNeedsOrganization, Switch::TokenLoginNeedsOrganization]);
            }
            "user_login" if says("device_id") => out.push(Switch::TokenLoginNeedsOrganization),
            "/login" if says("device_id") => out.push(Switch::LoginDeviceIdInBodyOnly),
            "contact_list" if says("ids") => out.push(Switch::ContactListRefusesIds),
            "get_file_urls" => out.push(Switch::FileUrlsByObjectId),
            _ => {}
        }
        out.retain(|s| !self.declares(*s));
        out
    }

    /// The known deviations a frame shows that the profile does not declare (for hints).
    pub fn suspects(&self, frame: &Value) -> Vec<Switch> {
        let mut out = Vec::new();
        let Some((key, body)) = frame.as_object().filter(|o| o.len() == 1).and_then(|o| o.iter().next())
        else {
            return out;
        };
        if key == "ask" {
            out.push(Switch::AckAsAsk);
        }
        if key == "packet" || (key == "response" && body.get("packet").is_some()) {
            out.push(Switch::OpLogInPacket);
        }
        if key == "last_activity"
            && body.as_object().is_some_and(|m| m.values().any(|v| v.as_i64() == Some(0)))
        {
            out.push(Switch::OnlineAsZero);
        }
        if key == "response" {
            if body
                .pointer("/last_activity")
                .and_then(Value::as_object)
                .is_some_and(|m| m.values().any(|v| v.as_i64() == Some(0)))
            {
                out.push(Switch::OnlineAsZero);
            }
            if body
                .get("conversations")
                .and_then(Value::as_array)
                .is_some_and(|l| l.iter().any(Value::is_string))
            {
                out.push(Switch::SearchAnswersBareIds);
            }
            if body.pointer("/event/user_ids").is_some() {
                out.push(Switch::PushEventUserIdsBase64);
            }
        }
        out.retain(|s| !self.declares(*s));
        out
    }
}

/// Switches (de)serialised by their names.
mod switch_names {
    use std::collections::BTreeSet;

    use chatspec_specs::sama::compat::Switch;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(switches: &BTreeSet<Switch>, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(switches.iter().map(|x| x.name()))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeSet<Switch>, D::Error> {
        let names = Vec::<String>::deserialize(d)?;
        names
            .iter()
            .map(|n| {
                Switch::parse(n).ok_or_else(|| serde::de::Error::custom(format!("unknown deviation {n:?}")))
            })
            .collect()
    }
}

fn builtin(s: Switch, check: &str, expected: &str, actual: &str) -> Applied {
    Applied {
        name: s.name().to_owned(),
        entry: s.entry().to_owned(),
        check: check.to_owned(),
        expected: expected.to_owned(),
        actual: actual.to_owned(),
    }
}

/// `{from: x}` -> `{to: x}` for a one-key frame.
fn rename_top(frame: &mut Value, from: &str, to: &str) -> bool {
    let Some(obj) = frame.as_object_mut().filter(|o| o.len() == 1) else { return false };
    match obj.remove(from) {
        Some(v) => {
            obj.insert(to.to_owned(), v);
            true
        }
        None => false,
    }
}

/// Renames the key `from` to `to` in every object, at any depth, where `to` is not there yet.
fn rename_everywhere(v: &mut Value, from: &str, to: &str) -> bool {
    match v {
        Value::Object(obj) => {
            let mut changed = false;
            if !obj.contains_key(to)
                && let Some(x) = obj.remove(from)
            {
                obj.insert(to.to_owned(), x);
                changed = true;
            }
            for x in obj.values_mut() {
                changed |= rename_everywhere(x, from, to);
            }
            changed
        }
        Value::Array(items) => items.iter_mut().fold(false, |c, x| rename_everywhere(x, from, to) | c),
        _ => false,
    }
}

/// `{key: {event: ...}}` -> `{event: ...}`; `{response: {id, key: {logs}}}` ->
/// `{response: {id, logs}}` (a wrapper JSON string is parsed first).
fn unwrap_in(frame: &mut Value, key: &str) -> bool {
    let Some(top) = frame.as_object_mut().filter(|o| o.len() == 1) else { return false };
    if let Some(inner) = top.get(key).cloned().and_then(as_object) {
        *top = inner;
        return true;
    }
    let Some(body) = top.values_mut().next().and_then(Value::as_object_mut) else { return false };
    let Some(inner) = body.get(key).cloned().and_then(as_object) else { return false };
    body.remove(key);
    for (k, v) in inner {
        body.entry(k).or_insert(v);
    }
    true
}

/// An object, or a JSON string holding one.
fn as_object(v: Value) -> Option<Map<String, Value>> {
    match v {
        Value::Object(m) => Some(m),
        Value::String(s) => match serde_json::from_str(&s) {
            Ok(Value::Object(m)) => Some(m),
            _ => None,
        },
        _ => None,
    }
}

/// Parses every string field named `key` (at any depth) that holds a JSON object or array.
fn parse_strings(v: &mut Value, key: &str) -> bool {
    match v {
        Value::Object(obj) => {
            let mut changed = false;
            if let Some(Value::String(s)) = obj.get(key)
                && let Ok(parsed @ (Value::Object(_) | Value::Array(_))) = serde_json::from_str::<Value>(s)
            {
                obj.insert(key.to_owned(), parsed);
                changed = true;
            }
            for x in obj.values_mut() {
                changed |= parse_strings(x, key);
            }
            changed
        }
        Value::Array(items) => items.iter_mut().fold(false, |c, x| parse_strings(x, key) | c),
        _ => false,
    }
}

/// `{uid: 0}` -> `{uid: "online"}` in a last_activity map.
fn zero_to_online(map: &mut Value) -> bool {
    let Some(obj) = map.as_object_mut() else { return false };
    let mut changed = false;
    for v in obj.values_mut() {
        if v.as_i64() == Some(0) {
            *v = Value::String("online".into());
            changed = true;
        }
    }
    changed
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn declaring(names: &[&str]) -> Deviations {
        let switches = names.iter().flat_map(|n| parse_deviation(n).unwrap()).collect();
        Deviations { switches, adapters: Vec::new() }
    }

    #[test]
    fn names_parse_and_behaviours_need_no_declaration() {
        assert_eq!(parse_deviation("ack_as_ask").unwrap(), vec![Switch::AckAsAsk]);
        let e = parse_deviation("errors_as_strings").unwrap_err().to_string();
        assert!(e.contains("without a declaration"), "{e}");
        assert!(parse_deviation("ack").unwrap_err().to_string().contains("ack_as_ask"));
        let all = parse_deviation(PRESET).unwrap();
        assert!(all.iter().all(|s| s.kind() == SwitchKind::Deviation));
        assert!(all.contains(&Switch::OnlineAsZero));
        assert!(hint(Switch::AckAsAsk).contains("deviation ack_as_ask (register S40"));
    }

    #[test]
    fn a_declared_ack_as_ask_reads_ask_as_ack_and_says_so() {
        let mut frame = json!({"ask": {"mid": "m1", "t": 1}});
        assert_eq!(Deviations::default().suspects(&frame), vec![Switch::AckAsAsk]);
        assert!(Deviations::default().adapt_frame(&mut frame.clone()).is_empty());
        let d = declaring(&["ack_as_ask"]);
        assert!(d.suspects(&frame).is_empty());
        let applied = d.adapt_frame(&mut frame);
        assert_eq!(frame, json!({"ack": {"mid": "m1", "t": 1}}));
        assert_eq!(applied[0].name, "ack_as_ask");
        assert_eq!(applied[0].entry, "S40");
    }

    #[test]
    fn the_op_log_packet_wrapper_is_unwrapped_and_its_strings_parsed() {
        let d = declaring(&["op_log_in_packet"]);
        let mut frame = json!({"response": {"id": "1", "packet": {"logs": [{"_id": 1, "packet": "{\"message_edit\":{\"id\":\"m\"}}"}]}}});
        let applied = d.adapt_frame(&mut frame);
        assert_eq!(applied.len(), 2, "{applied:?}");
        assert_eq!(
            frame,
            json!({"response": {"id": "1", "logs": [{"_id": 1, "packet": {"message_edit": {"id": "m"}}}]}})
        );
        let mut event = json!({"packet": {"message_edit": {"id": "m"}}});
        d.adapt_frame(&mut event);
        assert_eq!(event, json!({"message_edit": {"id": "m"}}));
    }

    #[test]
    fn profile_adapters_rename_unwrap_and_parse_without_code() {
        let d = Deviations {
            switches: BTreeSet::new(),
            adapters: vec![
                Adapter {
                    name: "my_ack".into(),
                    entry: Some("S40".into()),
                    kind: AdapterKind::RenameKey { from: "ask".into(), to: "ack".into() },
                },
                Adapter {
                    name: "wrapped".into(),
                    entry: None,
                    kind: AdapterKind::Unwrap { key: "data".into() },
                },
            ],
        };
        let mut ack = json!({"ask": {"mid": "m"}});
        let applied = d.adapt_frame(&mut ack);
        assert_eq!(ack, json!({"ack": {"mid": "m"}}));
        assert_eq!((applied[0].name.as_str(), applied[0].entry.as_str()), ("my_ack", "S40"));
        let mut reply = json!({"response": {"id": "2", "data": {"users": []}}});
        assert_eq!(d.adapt_frame(&mut reply).len(), 1);
        assert_eq!(reply, json!({"response": {"id": "2", "users": []}}));
        let mut plain = json!({"response": {"id": "3", "users": []}});
        assert!(d.adapt_frame(&mut plain).is_empty());
    }

    #[test]
    fn replies_and_events_adapt_only_where_declared() {
        let d = declaring(&["online_as_zero", "search_answers_bare_ids", "push_event_user_ids_base64"]);
        let mut activity = json!({"id": "1", "last_activity": {"u1": 0, "u2": 1700000000}});
        assert_eq!(d.adapt_reply("user_last_activity", &mut activity).len(), 1);
        assert_eq!(activity["last_activity"], json!({"u1": "online", "u2": 1700000000}));
        let mut found = json!({"id": "2", "conversations": ["c1"]});
        d.adapt_reply("conversation_search", &mut found);
        assert_eq!(found["conversations"], json!([{"_id": "c1"}]));
        let message = base64::engine::general_purpose::STANDARD.encode(r#"{"title":"T","body":"B"}"#);
        let mut event = json!({"id": 1, "event": {"user_ids": ["u"], "message": message}});
        d.adapt_reply("push_event_create", &mut event);
        assert_eq!(event["event"]["recipients_ids"], json!(["u"]));
        assert_eq!(event["event"]["message"], json!(r#"{"title":"T","body":"B"}"#));
        let mut online = json!({"u1": 0});
        assert_eq!(d.adapt_event("last_activity", &mut online).len(), 1);
        assert!(Deviations::default().adapt_event("last_activity", &mut json!({"u1": 0})).is_empty());
    }
}
