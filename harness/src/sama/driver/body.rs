//! What a SAMA request, packet or `POST /login` carries, and the check every well-formed one
//! passes before it is sent: its request schema (`request.<name>`, from the declarations of
//! `chatspec_specs::sama::Request`). A body the schema refuses is a bug of the suite, never of
//! the server under test; a negative scenario's body, wrong on purpose, is sent as written and
//! never checked.

use chatspec_specs::sama::{API, Request};
use chatspec_specs::{Endpoints as _, Registry};
use serde::Serialize;
use serde_json::Value;

/// The words every [`SuiteBug`] starts with: a failure carrying them is never graded as a
/// reading.
pub const SUITE_BUG: &str = "the suite sent a request its own schema refuses";

/// What a request, packet or HTTP call carries as its body.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// A well-formed body built from the endpoint's `specs` request type ([`Body::typed`]):
    /// checked against the endpoint's request schema before it is sent.
    WellFormed(Value),
    /// A negative scenario's body, written in its step, deliberately outside (or beside) the
    /// request schema ([`Body::malformed`]): sent as written, never checked. It need not be
    /// JSON at all.
    Malformed(String),
}

impl Body {
    /// The well-formed body of a request from its `specs` type (`ConnectParams { token,
    /// device_id }`). An optional field left `None` is not sent at all: the seed's examples
    /// leave out what they do not use, while a `null` would be a value.
    pub fn typed<T: Serialize>(params: &T) -> Body {
        // The specs types serialise to JSON; one that would not is sent as `null` and refused
        // by the request schema check as a suite bug.
        Body::WellFormed(serde_json::to_value(params).map_or(Value::Null, without_nulls))
    }

    /// The one way to send a body outside the request schema on purpose: the text a negative
    /// scenario writes (`{"type": "x", "participants": []}`, `{not json`). It is sent as
    /// written and never checked against the schema.
    pub fn malformed(text: impl Into<String>) -> Body {
        Body::Malformed(text.into())
    }

    /// The body as JSON, if it is JSON: the profile shapes it (`target/shaping.rs`).
    pub fn json(&self) -> Option<Value> {
        match self {
            Body::WellFormed(v) => Some(v.clone()),
            Body::Malformed(text) => serde_json::from_str(text).ok(),
        }
    }

    /// The body as it goes on the wire, before any shaping.
    pub fn text(&self) -> String {
        match self {
            Body::WellFormed(v) => v.to_string(),
            Body::Malformed(text) => text.clone(),
        }
    }
}

/// `value` without the `null` members of its objects, at any depth.
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, without_nulls(v))).collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// A well-formed body its own request schema refuses: a bug of the suite, never of the server
/// under test.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SuiteBug {
    /// The request, packet or route is not in the declared list (`chatspec_specs::sama::Request`),
    /// so it has no request schema.
    #[error("the suite sent a request its own schema refuses: {name} is not in the declared list")]
    NotListed {
        /// The name it was sent under.
        name: String,
    },
    /// The body breaks the request schema.
    #[error("the suite sent a request its own schema refuses: {name} {body}\n  {}", .violations.join("\n  "))]
    Schema {
        /// The request, packet or route.
        name: String,
        /// The body as built.
        body: Value,
        /// Why the schema refuses it, one violation an entry.
        violations: Vec<String>,
    },
}

/// Checks a well-formed body against the request schema of `name` (a request, a packet, or
/// `login` for `POST /login`), before the profile shapes it; a malformed body passes as it is.
pub fn check_request(name: &str, body: &Body) -> Result<(), SuiteBug> {
    let Body::WellFormed(params) = body else {
        return Ok(());
    };
    let Some(request) = Request::from_name(name) else {
        return Err(SuiteBug::NotListed { name: name.to_owned() });
    };
    Registry::global().validate(API, &request.request_schema_name(), params).map_err(|errors| {
        SuiteBug::Schema {
            name: name.to_owned(),
            body: params.clone(),
            violations: errors.iter().map(ToString::to_string).collect(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chatspec_specs::sama::auth::ConnectParams;
    use chatspec_specs::sama::messages::MessageParams;
    use chatspec_specs::sama::users::UserEditParams;

    #[test]
    fn a_well_formed_body_its_schema_refuses_is_a_suite_bug() {
        let connect = Body::typed(&ConnectParams { token: "t".into(), device_id: "d".into() });
        assert_eq!(check_request("connect", &connect), Ok(()));
        let empty = Body::typed(&ConnectParams { token: String::new(), device_id: "d".into() });
        let bug = check_request("connect", &empty).err().map(|b| b.to_string()).unwrap_or_default();
        assert!(bug.starts_with(SUITE_BUG), "{bug}");
        assert!(bug.contains("/token"), "{bug}");
        // Another request's schema refuses it too, and a name outside the list has none.
        assert!(check_request("contact_delete", &connect).is_err());
        let unlisted = check_request("teleport", &connect).err().map(|b| b.to_string()).unwrap_or_default();
        assert!(unlisted.starts_with(SUITE_BUG) && unlisted.contains("teleport"), "{unlisted}");
    }

    #[test]
    fn a_negative_scenarios_body_is_sent_as_written() {
        let body = Body::malformed(r#"{"type": "x", "participants": []}"#);
        assert_eq!(check_request("conversation_create", &body), Ok(()));
        assert_eq!(check_request("teleport", &Body::malformed("{not json")), Ok(()));
        assert_eq!(Body::malformed("{not json").json(), None);
        assert_eq!(Body::malformed("{not json").text(), "{not json");
    }

    #[test]
    fn options_left_out_are_not_sent() {
        let edit =
            Body::typed(&UserEditParams { email: Some("a@b.test".into()), ..UserEditParams::default() });
        assert_eq!(edit.text(), r#"{"email":"a@b.test"}"#);
        let message =
            Body::typed(&MessageParams { id: "m1".into(), cid: "c1".into(), ..MessageParams::default() });
        assert_eq!(message.json(), Some(serde_json::json!({"id": "m1", "cid": "c1"})));
        assert_eq!(check_request("message", &message), Ok(()));
    }
}
