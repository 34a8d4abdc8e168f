//! Reading and writing socket frames (seed 003): `{ request: { <name>: {...}, id } }`, the
//! top-level `message`, `system_message` and `typing` packets, `{ response: { id, ... } }`,
//! and the one error shape (NOTES.md S1, S2, S11, S12).

use chatspec_specs::sama::{
    Request, Transport,
    envelope::{RequestId, Status},
};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Map, Value, json};

use super::error::{Cause, SamaError};

/// What a client sent in one text frame.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Packet {
    /// `{ request: { <name>: params, id } }`.
    Request { id: RequestId, name: String, params: Value },
    /// `{ message: {...} }`, `{ system_message: {...} }` or `{ typing: {...} }`.
    Top { kind: &'static str, id: Option<RequestId>, params: Value },
}

/// A frame that could not be read: the id it carried, if any, and why.
pub(crate) type Unreadable = (Option<RequestId>, SamaError);

pub(crate) fn unprocessable(id: Option<RequestId>, message: impl Into<String>) -> Unreadable {
    (id, SamaError::new(Status::Unprocessable, message).because(Cause::Malformed))
}

pub(crate) fn id_of(value: Option<&Value>) -> Option<RequestId> {
    match value? {
        Value::String(s) => Some(RequestId::Text(s.clone())),
        Value::Number(n) => n.as_i64().map(RequestId::Number),
        _ => None,
    }
}

/// Reads one text frame.
pub(crate) fn decode(text: &str) -> Result<Packet, Unreadable> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| unprocessable(None, format!("the frame is not JSON: {e}")))?;
    let Value::Object(top) = value else {
        return Err(unprocessable(
            None,
            "a frame is one JSON object: {\"request\": {\"<name>\": {...}, \"id\": \"...\"}}",
        ));
    };
    if top.len() != 1 {
        let keys: Vec<&str> = top.keys().map(String::as_str).collect();
        return Err(unprocessable(
            None,
            format!("a frame holds exactly one of request, message, system_message or typing; got {keys:?}"),
        ));
    }
    let Some((key, inner)) = top.into_iter().next() else {
        return Err(unprocessable(None, "the frame is an empty object"));
    };
    if key == "request" {
        return decode_request(inner);
    }
    let Some(kind) = packet_named(&key) else {
        return Err(unprocessable(
            None,
            format!("unknown packet {key:?}; a frame is a request, message, system_message or typing"),
        ));
    };
    let id = id_of(inner.get("id"));
    if !inner.is_object() {
        return Err(unprocessable(id, format!("{kind} must be a JSON object")));
    }
    Ok(Packet::Top { kind, id, params: inner })
}

fn decode_request(inner: Value) -> Result<Packet, Unreadable> {
    let Value::Object(mut fields) = inner else {
        return Err(unprocessable(None, "request must be an object: {\"<name>\": {...}, \"id\": \"...\"}"));
    };
    let raw_id = fields.remove("id");
    let id = id_of(raw_id.as_ref());
    let names: Vec<String> = fields.keys().cloned().collect();
    let [name] = names.as_slice() else {
        return Err(unprocessable(
            id,
            if names.is_empty() {
                "the request names no operation: {\"request\": {\"<name>\": {...}, \"id\": \"...\"}}"
                    .to_owned()
            } else {
                format!("the request names several operations: {names:?}")
            },
        ));
    };
    check_request_name(id.as_ref(), name)?;
    let Some(id) = id else {
        return Err(unprocessable(
            None,
            match raw_id {
                None => format!("the {name} request needs an id"),
                Some(_) => format!("the {name} request's id must be a string or an integer"),
            },
        ));
    };
    let params = fields.remove(name.as_str()).unwrap_or(Value::Null);
    Ok(Packet::Request { id, name: name.clone(), params })
}

/// The packet sent as a top-level object under `key` (`message`, `system_message`, `typing`).
pub(crate) fn packet_named(key: &str) -> Option<&'static str> {
    Request::from_name(key).filter(|r| matches!(r.meta().transport, Transport::Packet)).map(Request::name)
}

/// Refuses a name inside `request` that is a top-level packet or no socket request at all.
pub(crate) fn check_request_name(id: Option<&RequestId>, name: &str) -> Result<(), Unreadable> {
    match Request::from_name(name).map(|r| r.meta().transport) {
        Some(Transport::Request) => Ok(()),
        Some(Transport::Packet) => Err(unprocessable(
            id.cloned(),
            format!("{name} is sent as a top-level packet, {{\"{name}\": {{...}}}}, not inside request"),
        )),
        Some(Transport::Http { .. }) | None => {
            Err(unprocessable(id.cloned(), format!("unknown request {name:?}")))
        }
    }
}

/// Parses a request's parameters, naming the offending field on failure.
pub(crate) fn params<T: DeserializeOwned>(name: &str, params: Value) -> Result<T, SamaError> {
    // `user_logout: {}` may come as `null` or be left out.
    let params = if params.is_null() { json!({}) } else { params };
    serde_path_to_error::deserialize(params).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let at = if path == "." { name.to_owned() } else { format!("{name}.{path}") };
        SamaError::new(Status::Unprocessable, format!("{at}: {inner}"))
    })
}

/// Serialises a wire record; the records always serialise.
pub(crate) fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// `{ response: <reply> }`.
pub(crate) fn response(reply: Value) -> Value {
    let mut frame = Map::with_capacity(1);
    frame.insert("response".into(), reply);
    Value::Object(frame)
}

/// `{ response: { id, error: { status, message } } }`.
pub(crate) fn error_frame(id: Option<RequestId>, error: &SamaError) -> Value {
    response(to_value(&error.reply(id)))
}

/// `{ <key>: <body> }`: an event.
pub(crate) fn event(key: &str, body: Value) -> Value {
    let mut frame = Map::with_capacity(1);
    frame.insert(key.into(), body);
    Value::Object(frame)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status_of(text: &str) -> (Option<RequestId>, u16) {
        let (id, e) = decode(text).unwrap_err();
        (id, e.status.code())
    }

    #[test]
    fn a_request_names_one_operation_and_carries_its_id() {
        let p = decode(r#"{"request": {"user_search": {"keyword": "a"}, "id": 5}}"#).unwrap();
        assert_eq!(
            p,
            Packet::Request {
                id: RequestId::Number(5),
                name: "user_search".into(),
                params: json!({"keyword": "a"}),
            }
        );
        let p = decode(r#"{"request": {"id": "x", "user_logout": {}}}"#).unwrap();
        assert!(matches!(p, Packet::Request { name, .. } if name == "user_logout"));
    }

    #[test]
    fn packets_are_top_level() {
        let p = decode(r#"{"message": {"id": "m1", "cid": "c", "body": "hi"}}"#).unwrap();
        assert!(
            matches!(p, Packet::Top { kind: "message", id: Some(RequestId::Text(ref m)), .. } if m == "m1")
        );
        let (id, status) = status_of(r#"{"request": {"typing": {"cid": "c"}, "id": "t"}}"#);
        assert_eq!((id, status), (Some("t".into()), 422));
    }

    #[test]
    fn unreadable_frames_say_why_and_keep_the_id_when_they_can() {
        assert_eq!(status_of("not json"), (None, 422));
        assert_eq!(status_of("[1, 2]"), (None, 422));
        assert_eq!(status_of(r#"{"hello": {}}"#), (None, 422));
        assert_eq!(status_of(r#"{"request": {"id": "1"}}"#), (Some("1".into()), 422));
        assert_eq!(status_of(r#"{"request": {"fly": {}, "id": "2"}}"#), (Some("2".into()), 422));
        assert_eq!(
            status_of(r#"{"request": {"user_logout": {}, "user_delete": {}, "id": "3"}}"#),
            (Some("3".into()), 422)
        );
        assert_eq!(status_of(r#"{"request": {"user_logout": {}}}"#), (None, 422));
        let (_, e) = decode(r#"{"request": {"fly": {}, "id": "2"}}"#).unwrap_err();
        assert!(e.message.contains("unknown request \"fly\""), "{}", e.message);
    }

    #[test]
    fn parameters_name_the_offending_field() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct P {
            cid: String,
        }
        let e = params::<P>("message_list", json!({"cid": 3})).unwrap_err();
        assert!(e.message.starts_with("message_list.cid:"), "{}", e.message);
        let e = params::<P>("message_list", json!({})).unwrap_err();
        assert!(e.message.contains("missing field `cid`"), "{}", e.message);
    }
}
