//! The OneChat driver: `POST {prefix}/{call}` with the `apikey` header and the details in the
//! body (seed 004: "Make sure Http method is set to POST", "Enter your API Key under Headers",
//! "Enter the message details under Body"), every reply validated against the committed
//! schemas, picked by call and `status`, and logged to the wire log.

use chatspec_specs::onechat::Route;
use chatspec_specs::{Endpoints as _, Registry};
use reqwest::Method;
use serde::Serialize;
use serde_json::Value;

use crate::context::RunContext;
use crate::wire::WireLog;

const API: &str = "onechat";

/// What a request carries as its body.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// A well-formed body built from the call's `specs` request type ([`Body::typed`]):
    /// checked against the call's request schema before it is sent.
    WellFormed(Value),
    /// A negative scenario's body, deliberately outside (or beside) the request schema
    /// ([`Body::malformed`], or a typed body with a field taken out): sent as written, never
    /// checked. JSON, the reading of NOTES.md O3.
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
    /// The well-formed body of a call's request, from its `specs` type
    /// (`SingleMessage { jid, message }`).
    pub fn typed<T: Serialize>(request: &T) -> Body {
        // The specs types serialise to objects; one that would not is sent as `null` and
        // refused by the request schema check as a suite bug.
        Body::WellFormed(serde_json::to_value(request).unwrap_or(Value::Null))
    }

    /// The literal JSON a negative scenario writes in its step (`calls singleMessage with
    /// {"jid": 7}`): sent as written, never checked against the schema.
    pub fn malformed(json: &str) -> Body {
        match serde_json::from_str(json) {
            Ok(v) => Body::Malformed(v),
            Err(e) => panic!("the step's JSON is not valid: {e}"),
        }
    }

    /// A well-formed body without the field `field`: the one thing a negative scenario changes.
    pub fn without(self, field: &str) -> Body {
        match self {
            Body::WellFormed(mut v) | Body::Malformed(mut v) => {
                if let Some(o) = v.as_object_mut() {
                    o.remove(field);
                }
                Body::Malformed(v)
            }
            raw @ Body::Raw { .. } => raw,
        }
    }
}

/// A well-formed body its call's request schema refuses: a bug of the suite, never of the
/// server under test.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the suite sent a request its own schema refuses: {call} ({name})\n  {}", violations.join("\n  "))]
pub struct SuiteBug {
    /// The call: `singleMessage`.
    pub call: String,
    /// The schema stem: `single_message`.
    pub name: String,
    /// What the schema says is wrong.
    pub violations: Vec<String>,
}

/// Checks a well-formed body against the request schema of `route`, before any profile
/// shaping is applied to it. Bodies of no route, malformed and raw bodies are sent as written.
pub fn check_request(route: Option<Route>, body: Option<&Body>) -> Result<(), SuiteBug> {
    let (Some(route), Some(Body::WellFormed(body))) = (route, body) else {
        return Ok(());
    };
    match Registry::global().validate(API, &route.request_schema_name(), body) {
        Ok(()) => Ok(()),
        Err(errors) => Err(SuiteBug {
            call: route.call().to_owned(),
            name: route.name().to_owned(),
            violations: errors.iter().map(ToString::to_string).collect(),
        }),
    }
}

pub use crate::reply::Reply;

/// What a OneChat reply says, in seed 004's terms.
pub trait OneChatReply {
    /// The reply's `status` field: `Success` or `Error`.
    fn outcome(&self) -> Option<&str>;
    /// The reply's `description` field.
    fn description(&self) -> Option<&str>;
}

impl OneChatReply for Reply {
    fn outcome(&self) -> Option<&str> {
        self.body.get("status").and_then(Value::as_str)
    }

    fn description(&self) -> Option<&str> {
        self.body.get("description").and_then(Value::as_str)
    }
}

/// `POST`s `route` with an optional `apikey` header and validates the reply. A well-formed
/// body its schema refuses is not sent: the error says what the suite got wrong.
pub async fn call(
    ctx: &RunContext,
    wire: &WireLog,
    actor: Option<&str>,
    route: Route,
    apikey: Option<&str>,
    body: Body,
) -> Result<Reply, SuiteBug> {
    let url = ctx.target.onechat_url(route.call());
    request(ctx, wire, actor, Method::POST, url, route.call(), apikey, Some(body)).await
}

/// Sends any method to any URL as the call `call` (a route's, or a name that is none) and
/// validates the reply.
#[allow(clippy::too_many_arguments)]
pub async fn request(
    ctx: &RunContext,
    wire: &WireLog,
    actor: Option<&str>,
    method: Method,
    url: String,
    call: &str,
    apikey: Option<&str>,
    body: Option<Body>,
) -> Result<Reply, SuiteBug> {
    let route = Route::from_call(call);
    check_request(route, body.as_ref())?;
    let json = match body {
        Some(Body::WellFormed(mut v) | Body::Malformed(mut v)) => {
            ctx.shape(call, &mut v, actor, None);
            Some(Ok(v))
        }
        Some(Body::Raw { content_type, bytes }) => Some(Err((content_type, bytes))),
        None => None,
    };
    let logged = match &json {
        Some(Ok(v)) => Some(v.clone()),
        Some(Err((_, bytes))) => Some(Value::String(String::from_utf8_lossy(bytes).into_owned())),
        None => None,
    };
    let key_note = match apikey {
        Some(k) => format!(" (apikey: {k})"),
        None => " (no apikey)".to_owned(),
    };
    wire.push("request", actor, format!("{method} {url}{key_note}"), logged);
    let mut http = ctx.http.request(method.clone(), &url);
    if let Some(k) = apikey {
        http = http.header(ctx.header("apikey"), k);
    }
    http = match json {
        Some(Ok(v)) => http.json(&v),
        Some(Err((content_type, bytes))) => http.header("content-type", content_type).body(bytes),
        None => http,
    };
    let mut reply = crate::reply::send(call, method, url, http).await;
    validate(&mut reply, route);
    let outcome = reply.outcome().unwrap_or("(no status)").to_owned();
    reply.log(wire, actor, format!("{} {} {outcome}", reply.status, reply.name));
    Ok(reply)
}

/// OneChat's rule for a body that is not JSON: seed 004 shows every call's reply as JSON, so a
/// success and a refusal alike break the document.
pub const NOT_JSON: crate::reply::NotJson = crate::reply::NotJson {
    success: None,
    refusal: None,
    why: "seed 004: \"The figure below shows the JSON response of an API call\"",
    refusal_why: "",
};

/// Checks a reply: JSON with `status` `Success` or `Error` (seed 004 states both fields),
/// against the call's reply schema or the error schema. The HTTP status is the register's
/// reading (O4): a `Success` with another status than a 2xx breaks only that reading.
fn validate(reply: &mut Reply, route: Option<Route>) {
    let registry = Registry::global();
    let status = reply.status;
    if !reply.answered() {
        return;
    }
    if reply.grade_not_json(&NOT_JSON) {
        return;
    }
    if !reply.body.is_object() {
        reply.violations.push(format!(
            "/: the reply is not a JSON object (HTTP {status}); seed 004: \"The figure below shows the JSON response of an API call\", with status and description"
        ));
        return;
    }
    let schema = match reply.outcome() {
        Some("Success") => {
            if !(200..300).contains(&status) {
                reply.miss(
                    "O4",
                    format!("HTTP {status} with status \"Success\": a successful call answers a 2xx"),
                );
            }
            route.map(|r| r.reply_schema_name())
        }
        Some("Error") => Some("error".to_owned()),
        other => {
            reply.violations.push(format!(
                "/status: {} is neither \"Success\" nor \"Error\" (seed 004: \"status | Status | Success, Error\")",
                other.map_or_else(|| "missing".to_owned(), |s| format!("{s:?}"))
            ));
            None
        }
    };
    if let Some(schema) = schema
        && let Err(errors) = registry.validate(API, &schema, &reply.body)
    {
        reply.violations.extend(errors.iter().map(ToString::to_string));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reply(call: &str, status: u16, body: Value) -> Reply {
        let mut r =
            Reply::new(call, crate::reply::Via::Http { method: Method::POST, url: "http://h/x".into() });
        r.status = status;
        r.text = body.to_string();
        r.body = body;
        validate(&mut r, Route::from_call(call));
        r
    }

    #[test]
    fn replies_are_checked_by_call_and_status() {
        assert!(
            reply("massBroadcast", 200, json!({"status": "Success", "description": "-"}))
                .violations
                .is_empty()
        );
        assert!(
            reply("massBroadcast", 401, json!({"status": "Error", "description": "Unauthorized"}))
                .violations
                .is_empty()
        );
        let lower = reply("singleMessage", 200, json!({"status": "success", "description": "-"}));
        assert!(lower.violations.iter().any(|v| v.contains("/status")), "{:?}", lower.violations);
        let silent = reply("singleMessage", 401, json!({"status": "Error"}));
        assert!(silent.violations.iter().any(|v| v.contains("description")), "{:?}", silent.violations);
        // The status code is the register's reading (O4), not the document.
        let late = reply("groupMessage", 500, json!({"status": "Success", "description": "-"}));
        assert!(late.violations.is_empty(), "{:?}", late.violations);
        assert!(late.readings.iter().any(|m| m.entry == "O4" && m.violation.contains("HTTP 500")));
        let app = reply("registerMiniApp", 200, json!({"status": "Success", "description": "-", "appId": 7}));
        assert!(app.violations.iter().any(|v| v.contains("apiKey")), "{:?}", app.violations);
        let yes = json!({"status": "Success", "description": "-", "isAuthenticated": "True"});
        assert!(reply("authenticateUser", 200, yes).violations.is_empty());
        assert!(!reply("authenticateUser", 200, Value::Null).violations.is_empty());
    }

    #[test]
    fn well_formed_bodies_are_checked_against_their_request_schema() {
        use chatspec_specs::onechat::relay::SingleMessage;
        let good = Body::typed(&SingleMessage { jid: "ann@x.example".into(), message: "Hi".into() });
        assert_eq!(check_request(Some(Route::SingleMessage), Some(&good)), Ok(()));
        let empty = Body::typed(&SingleMessage { jid: String::new(), message: "Hi".into() });
        let bug = check_request(Some(Route::SingleMessage), Some(&empty)).err().map(|b| b.to_string());
        assert!(
            bug.as_deref().is_some_and(|b| b.starts_with(
                "the suite sent a request its own schema refuses: singleMessage (single_message)"
            ) && b.contains("/jid")),
            "{bug:?}"
        );
        // A body for another call's schema is refused too.
        assert!(check_request(Some(Route::RegisterMiniApp), Some(&good)).is_err());
        // A negative scenario's body is sent as written, and so is a field taken out.
        assert_eq!(
            check_request(Some(Route::SingleMessage), Some(&Body::malformed(r#"{"jid": 7}"#))),
            Ok(())
        );
        assert_eq!(check_request(Some(Route::SingleMessage), Some(&good.without("message"))), Ok(()));
        assert_eq!(check_request(None, Some(&empty)), Ok(()));
    }
}
