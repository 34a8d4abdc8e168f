//! `POST /login` and `POST /logout` (seed 003): the HTTP half of the SAMA driver. Replies are
//! the shared [`Reply`] (`crate::reply`); an error's shape (JSON `{error: {status, message}}`)
//! is a reading of the register (S10), any status outside 2xx a refusal.

use reqwest::Method;
use serde_json::{Value, json};

use super::body::{Body, SuiteBug, check_request};
use super::frame::{self, Violations};
use crate::context::RunContext;
use crate::reply::{self, Reply};
use crate::wire::WireLog;

/// The refresh-token cookie a login set: the cookie whose name mentions `refresh` (NOTES.md
/// S5), as `name=value`.
pub fn refresh_cookie(reply: &Reply) -> Option<String> {
    set_cookies(reply).iter().find_map(|c| {
        let pair = c.split(';').next()?.trim();
        let (name, value) = pair.split_once('=')?;
        (name.to_ascii_lowercase().contains("refresh") && !value.is_empty()).then(|| pair.to_owned())
    })
}

/// Every `Set-Cookie` header of a reply.
pub fn set_cookies(reply: &Reply) -> Vec<String> {
    reply.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok().map(str::to_owned)).collect()
}

/// What an HTTP call carries besides its body.
#[derive(Clone, Debug, Default)]
pub struct Credentials<'a> {
    /// `Authorization: Bearer <token>`.
    pub bearer: Option<&'a str>,
    /// The `device_id` header.
    pub device: Option<&'a str>,
    /// A `Cookie` header (`refresh_token=...`).
    pub cookie: Option<&'a str>,
}

/// `POST <login_path>` with `body` (no body when `None`); the reply is named `login`. A
/// well-formed body is checked against `request.login` first (a refusal is a [`SuiteBug`],
/// and nothing is sent); a malformed one is sent as written.
pub async fn login(
    ctx: &RunContext,
    wire: &WireLog,
    actor: Option<&str>,
    body: Option<Body>,
    creds: &Credentials<'_>,
) -> Result<Reply, SuiteBug> {
    if let Some(b) = &body {
        check_request("login", b)?;
    }
    Ok(http(ctx, wire, actor, "login", body.map(|b| b.text()), creds).await)
}

/// `POST <logout_path>`, the access token in `Authorization: Bearer`; the reply is named
/// `logout`.
pub async fn logout(ctx: &RunContext, wire: &WireLog, actor: Option<&str>, creds: &Credentials<'_>) -> Reply {
    http(ctx, wire, actor, "logout", None, creds).await
}

async fn http(
    ctx: &RunContext,
    wire: &WireLog,
    actor: Option<&str>,
    route: &str,
    body: Option<String>,
    creds: &Credentials<'_>,
) -> Reply {
    let sama = &ctx.target.sama;
    let path = if route == "login" { &sama.login_path } else { &sama.logout_path };
    let url = format!("{}{path}", ctx.target.base_url);
    // The body and the header names, shaped as the profile says (`target/shaping.rs`).
    let body = match body {
        Some(text) => match serde_json::from_str::<Value>(&text) {
            Ok(mut v) => {
                let login = v.get("login").and_then(Value::as_str).map(str::to_owned);
                ctx.shape(route, &mut v, actor, login.as_deref());
                Some(v.to_string())
            }
            Err(_) => Some(text),
        },
        None if ctx.target.shaping.shapes(route) => {
            let mut v = Value::Null;
            ctx.shape(route, &mut v, actor, None);
            (!v.is_null()).then(|| v.to_string())
        }
        None => None,
    };
    let mut headers = serde_json::Map::new();
    let mut req = ctx.http.post(&url);
    if let Some(b) = &body {
        req = req.header("content-type", "application/json").body(b.clone());
    }
    let mut set = |name: &str, value: String| {
        let name = ctx.header(name).to_owned();
        headers.insert(name.clone(), json!(value));
        (name, value)
    };
    if let Some(t) = creds.bearer {
        let (name, value) = set("Authorization", format!("Bearer {t}"));
        req = req.header(name, value);
    }
    if let Some(d) = creds.device {
        let (name, value) = set("device_id", d.to_owned());
        req = req.header(name, value);
    }
    if let Some(c) = creds.cookie {
        let (name, value) = set("Cookie", c.to_owned());
        req = req.header(name, value);
    }
    wire.push(
        "request",
        actor,
        format!("POST {url}"),
        Some(json!({
            "headers": headers,
            "body": body.as_deref().map_or(Value::Null, |b| serde_json::from_str(b).unwrap_or_else(|_| json!(b))),
        })),
    );
    let mut reply = reply::send(route, Method::POST, url, req).await;
    if reply.answered() && !reply.grade_not_json(&NOT_JSON) {
        let v = graded(route, &reply);
        reply.violations = v.document;
        for (entry, miss) in v.readings {
            reply.miss(&entry, miss);
        }
    }
    let cookie = if set_cookies(&reply).is_empty() { "" } else { " (sets a cookie)" };
    reply.log(wire, actor, format!("{} /{route}{cookie}", reply.status));
    reply
}

/// SAMA's rule for an HTTP body that is not JSON: a success breaks the document; a refusal
/// only the reading of its shape (S10).
pub const NOT_JSON: crate::reply::NotJson = crate::reply::NotJson {
    success: None,
    refusal: Some("S10"),
    why: "a success of the HTTP routes is the JSON of seed 003; a refusal's shape is NOTES.md S10's reading",
    refusal_why: "NOTES.md S10 reads a refusal of the HTTP routes as JSON like its successes",
};

/// The violations of an answered reply to `route` whose body is JSON: a refusal's shape is
/// a reading (S10), a success's the document's.
fn graded(route: &str, reply: &Reply) -> Violations {
    if reply.refused() {
        frame::validate("error", &reply.body)
    } else {
        frame::validate(&format!("response.{route}"), &reply.body)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::reply::Via;

    #[test]
    fn the_refresh_cookie_is_found_by_its_name() {
        let mut reply = Reply::new("login", Via::Http { method: Method::POST, url: "http://h/login".into() });
        reply.status = 200;
        reply.headers.append("set-cookie", "lang=en; Path=/".parse().unwrap());
        reply.headers.append("set-cookie", "refresh_token=rt_1; Max-Age=9; HttpOnly".parse().unwrap());
        assert_eq!(refresh_cookie(&reply).as_deref(), Some("refresh_token=rt_1"));
    }

    #[test]
    fn an_error_in_text_is_a_refusal_whose_shape_is_a_reading() {
        let mut reply = Reply::new("login", Via::Http { method: Method::POST, url: "http://h/login".into() });
        reply.status = 422;
        reply.text = "'device_id' is required.".into();
        reply.content_type = Some("text/plain".into());
        assert!(reply.refused());
        assert!(reply.grade_not_json(&NOT_JSON));
        assert!(reply.violations.is_empty());
        assert_eq!(reply.readings[0].entry, "S10");
        assert!(reply.readings[0].violation.contains("text/plain"), "{:?}", reply.readings);
        // A success that is not JSON breaks the document.
        reply.status = 200;
        reply.readings.clear();
        assert!(reply.grade_not_json(&NOT_JSON));
        assert!(reply.readings.is_empty() && reply.violations.len() == 1, "{:?}", reply.violations);
    }
}
