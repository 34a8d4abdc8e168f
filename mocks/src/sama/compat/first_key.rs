//! Routing on the first key (`routes_on_first_key`, register S1): the public server takes
//! the first key of the frame, and of `request`, as the name of what it is asked, so
//! `{"request": {"id": "1", "user_create": {...}}}` asks for a request named `id`. JSON
//! objects are unordered once parsed, so the keys' order is read from the text itself.

use std::fmt;

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

use super::super::frames::{
    Packet, Unreadable, check_request_name, decode, id_of, packet_named, unprocessable,
};

/// The keys of an object in the order the client wrote them.
#[derive(Debug, Default, PartialEq)]
struct Keys(Vec<String>);

/// The keys of a frame in the order written: the top level's, and the `request` object's.
#[derive(Debug, Default, PartialEq)]
struct KeyOrder {
    top: Vec<String>,
    request: Vec<String>,
}

struct KeysVisitor;

impl<'de> Visitor<'de> for KeysVisitor {
    type Value = Keys;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
        let mut keys = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            map.next_value::<IgnoredAny>()?;
            keys.push(key);
        }
        Ok(Keys(keys))
    }
}

impl<'de> Deserialize<'de> for Keys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Keys, D::Error> {
        d.deserialize_map(KeysVisitor)
    }
}

struct KeyOrderVisitor;

impl<'de> Visitor<'de> for KeyOrderVisitor {
    type Value = KeyOrder;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeyOrder, A::Error> {
        let mut order = KeyOrder::default();
        while let Some(key) = map.next_key::<String>()? {
            if key == "request" {
                order.request = map.next_value::<Keys>()?.0;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
            order.top.push(key);
        }
        Ok(order)
    }
}

impl<'de> Deserialize<'de> for KeyOrder {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<KeyOrder, D::Error> {
        d.deserialize_map(KeyOrderVisitor)
    }
}

/// Reads one text frame as the public server routes it: the first key of the frame, then of
/// `request`, names it; later keys other than `id` are ignored. A frame whose keys cannot be
/// read this way (not JSON, not an object, `request` not an object) is read as
/// [`decode`] reads it, with the same errors.
pub(crate) fn decode_first_key(text: &str) -> Result<Packet, Unreadable> {
    let (Ok(order), Ok(Value::Object(mut top))) =
        (serde_json::from_str::<KeyOrder>(text), serde_json::from_str::<Value>(text))
    else {
        return decode(text);
    };
    let Some(first) = order.top.first() else {
        return decode(text);
    };
    if first != "request" {
        let Some(kind) = packet_named(first) else {
            return Err(unprocessable(
                None,
                format!("unknown packet {first:?}: the first key names the packet"),
            ));
        };
        let inner = top.remove(kind).unwrap_or(Value::Null);
        let id = id_of(inner.get("id"));
        if !inner.is_object() {
            return Err(unprocessable(id, format!("{kind} must be a JSON object")));
        }
        return Ok(Packet::Top { kind, id, params: inner });
    }
    let Some(Value::Object(mut fields)) = top.remove("request") else {
        return decode(text);
    };
    let id = id_of(fields.get("id"));
    let Some(name) = order.request.first() else {
        return Err(unprocessable(id, "the request names no operation"));
    };
    if name == "id" {
        return Err(unprocessable(
            id,
            "unknown request \"id\": the first key of request names the request, so the name goes before id",
        ));
    }
    check_request_name(id.as_ref(), name)?;
    let Some(id) = id else {
        return Err(unprocessable(None, format!("the {name} request needs a string or integer id")));
    };
    let params = fields.remove(name.as_str()).unwrap_or(Value::Null);
    Ok(Packet::Request { id, name: name.clone(), params })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chatspec_specs::sama::envelope::RequestId;
    use serde_json::json;

    #[test]
    fn the_keys_are_read_in_the_order_written() {
        let order: KeyOrder =
            serde_json::from_str(r#"{"request": {"id": "1", "user_create": {"b": 1, "a": 2}}, "x": 0}"#)
                .unwrap();
        assert_eq!(order.top, vec!["request", "x"]);
        assert_eq!(order.request, vec!["id", "user_create"]);
    }

    #[test]
    fn the_name_must_come_first() {
        let named_first = decode_first_key(r#"{"request": {"user_logout": {}, "id": "1"}}"#).unwrap();
        assert_eq!(
            named_first,
            Packet::Request { id: RequestId::from("1"), name: "user_logout".into(), params: json!({}) }
        );
        let (id, e) = decode_first_key(r#"{"request": {"id": "2", "user_logout": {}}}"#).unwrap_err();
        assert_eq!(id, Some(RequestId::from("2")));
        assert!(e.message.starts_with("unknown request \"id\""), "{}", e.message);
        // The same frame is fine for the document's reading.
        assert!(decode(r#"{"request": {"id": "2", "user_logout": {}}}"#).is_ok());
    }

    #[test]
    fn later_keys_are_ignored_and_unreadable_frames_fail_as_before() {
        let two =
            decode_first_key(r#"{"request": {"user_search": {}, "user_delete": {}, "id": 3}}"#).unwrap();
        assert!(matches!(two, Packet::Request { ref name, .. } if name == "user_search"));
        let packet = decode_first_key(r#"{"typing": {"cid": "c"}, "request": {}}"#).unwrap();
        assert!(matches!(packet, Packet::Top { kind: "typing", .. }));
        assert_eq!(decode_first_key("not json").unwrap_err().1, decode("not json").unwrap_err().1);
        assert!(decode_first_key(r#"{"request": 5}"#).is_err());
        assert!(decode_first_key(r#"{"hello": {}}"#).is_err());
    }
}
