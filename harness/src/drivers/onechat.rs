//! The OneChat driver: `POST {prefix}/{call}` with the `apikey` header and the details in the
//! body (seed 004: "Make sure Http method is set to POST", "Enter your API Key under Headers",
//! "Enter the message details under Body"), every reply validated against the committed
//! schemas, picked by call and `status`, and logged to the wire log.

use chatspec_specs::Registry;
use chatspec_specs::onechat::ROUTES;
use reqwest::Method;
use serde_json::Value;

use crate::context::RunContext;
use crate::wire::WireLog;

const API: &str = "onechat";

/// A request body.
#[derive(Clone, Debug)]
pub enum Body {
    /// A JSON object (the reading of NOTES.md O3).
    Json(Value),
    /// Bytes sent exactly as given, with their content type.
    Raw { content_type: String, bytes: Vec<u8> },
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

/// The schema stem of a call (`massBroadcast` -> `mass_broadcast`).
pub fn route_name(call: &str) -> Option<&'static str> {
    ROUTES.iter().find(|r| r.path.rsplit('/').next() == Some(call)).map(|r| r.name)
}

/// `POST`s a call with an optional `apikey` header and validates the reply.
pub async fn call(
    ctx: &RunContext,
    wire: &WireLog,
    actor: Option<&str>,
    call: &str,
    apikey: Option<&str>,
    body: Body,
) -> Reply {
    let url = ctx.target.onechat_url(call);
    request(ctx, wire, actor, Method::POST, url, call, apikey, Some(body)).await
}

/// Sends any method to any URL as the call `call` and validates the reply.
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
) -> Reply {
    let body = match body {
        Some(Body::Json(mut v)) => {
            ctx.shape(call, &mut v, actor, None);
            Some(Body::Json(v))
        }
        other => other,
    };
    let logged = match &body {
        Some(Body::Json(v)) => Some(v.clone()),
        Some(Body::Raw { bytes, .. }) => Some(Value::String(String::from_utf8_lossy(bytes).into_owned())),
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
    http = match body {
        Some(Body::Json(v)) => http.json(&v),
        Some(Body::Raw { content_type, bytes }) => http.header("content-type", content_type).body(bytes),
        None => http,
    };
    let mut reply = crate::reply::send(call, method, url, http).await;
    validate(&mut reply);
    let outcome = reply.outcome().unwrap_or("(no status)").to_owned();
    reply.log(wire, actor, format!("{} {} {outcome}", reply.status, reply.name));
    reply
}

/// Checks a reply: JSON with `status` `Success` or `Error` (seed 004 states both fields),
/// against the call's reply schema or the error schema. The HTTP status is the register's
/// reading (O4): a `Success` with another status than a 2xx breaks only that reading.
fn validate(reply: &mut Reply) {
    let registry = Registry::global();
    let status = reply.status;
    if !reply.answered() {
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
            route_name(&reply.name).map(|r| format!("response.{r}"))
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
        validate(&mut r);
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
}
