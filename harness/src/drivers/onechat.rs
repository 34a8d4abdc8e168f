//! The OneChat driver: `POST {prefix}/{call}` with the `apikey` header and the details in the
//! body (seed 004: "Make sure Http method is set to POST", "Enter your API Key under Headers",
//! "Enter the message details under Body"), every reply validated against the committed
//! schemas, picked by call and `status`, and logged to the wire log.

use chatspec_specs::Registry;
use chatspec_specs::onechat::ROUTES;
use reqwest::Method;
use reqwest::header::HeaderMap;
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

/// A reply to one call.
#[derive(Clone, Debug)]
pub struct Reply {
    /// The seed's call name (`massBroadcast`, ...).
    pub call: String,
    pub method: Method,
    pub url: String,
    /// HTTP status; 0 when no reply came (connection refused, timeout).
    pub status: u16,
    pub headers: HeaderMap,
    /// The JSON body; `Value::Null` when it was empty or not JSON.
    pub body: Value,
    /// The raw body text, or the transport error.
    pub text: String,
    /// Schema and envelope violations of the reply.
    pub violations: Vec<String>,
}

impl Reply {
    /// The reply's `status` field: `Success` or `Error`.
    pub fn outcome(&self) -> Option<&str> {
        self.body.get("status").and_then(Value::as_str)
    }

    /// The reply's `description` field.
    pub fn description(&self) -> Option<&str> {
        self.body.get("description").and_then(Value::as_str)
    }

    /// One line for failure messages.
    pub fn describe(&self) -> String {
        if self.status == 0 {
            return format!("no reply to {}: {}", self.call, self.text);
        }
        let body =
            if self.body.is_null() { self.text.chars().take(300).collect() } else { self.body.to_string() };
        format!("HTTP {} {body}", self.status)
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
        http = http.header("apikey", k);
    }
    http = match body {
        Some(Body::Json(v)) => http.json(&v),
        Some(Body::Raw { content_type, bytes }) => http.header("content-type", content_type).body(bytes),
        None => http,
    };
    let mut reply = Reply {
        call: call.to_owned(),
        method,
        url,
        status: 0,
        headers: HeaderMap::new(),
        body: Value::Null,
        text: String::new(),
        violations: Vec::new(),
    };
    let got = super::exchange(http).await;
    (reply.status, reply.headers, reply.body, reply.text) = (got.status, got.headers, got.body, got.text);
    validate(&mut reply);
    let summary = if reply.status == 0 {
        format!("no reply: {}", reply.text)
    } else {
        format!("{} {} {}", reply.status, reply.call, reply.outcome().unwrap_or("(no status)"))
    };
    let logged =
        if reply.body.is_null() { Some(Value::String(reply.text.clone())) } else { Some(reply.body.clone()) };
    wire.push("response", actor, summary, logged);
    reply
}

/// Checks a reply: JSON with `status` `Success` (and a 2xx) or `Error`, against the call's
/// reply schema or the error schema.
fn validate(reply: &mut Reply) {
    let registry = Registry::global();
    let status = reply.status;
    if status == 0 {
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
                reply.violations.push(format!(
                    "HTTP {status} with status \"Success\": a successful call answers a 2xx (NOTES.md O4)"
                ));
            }
            route_name(&reply.call).map(|r| format!("response.{r}"))
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
        let mut r = Reply {
            call: call.into(),
            method: Method::POST,
            url: "http://h/x".into(),
            status,
            headers: HeaderMap::new(),
            text: body.to_string(),
            body,
            violations: Vec::new(),
        };
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
        let late = reply("groupMessage", 500, json!({"status": "Success", "description": "-"}));
        assert!(late.violations.iter().any(|v| v.contains("HTTP 500")));
        let app = reply("registerMiniApp", 200, json!({"status": "Success", "description": "-", "appId": 7}));
        assert!(app.violations.iter().any(|v| v.contains("apiKey")), "{:?}", app.violations);
        let yes = json!({"status": "Success", "description": "-", "isAuthenticated": "True"});
        assert!(reply("authenticateUser", 200, yes).violations.is_empty());
        assert!(!reply("authenticateUser", 200, Value::Null).violations.is_empty());
    }
}
