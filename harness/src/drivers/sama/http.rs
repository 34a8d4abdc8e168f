//! `POST /login` and `POST /logout` (seed 003): the HTTP half of the SAMA driver.

use serde_json::{Value, json};

use super::frame::{self, Violations};
use crate::context::RunContext;
use crate::wire::WireLog;

/// The reply to `POST /login` or `POST /logout`.
#[derive(Clone, Debug)]
pub struct HttpReply {
    /// `login` or `logout`.
    pub route: String,
    /// HTTP status; 0 when no reply came.
    pub status: u16,
    /// The JSON body, `Value::Null` when it was not JSON.
    pub body: Value,
    /// The raw body, or the transport error.
    pub text: String,
    /// Every `Set-Cookie` header.
    pub cookies: Vec<String>,
    /// Schema violations, graded (an error's shape is a reading, S10).
    pub violations: Violations,
    /// Known deviations a refusal points at that the target does not declare.
    pub suspects: Vec<chatspec_specs::sama::compat::Switch>,
}

impl HttpReply {
    /// A refusal: any status outside 2xx (a reply came).
    pub fn is_refusal(&self) -> bool {
        self.status != 0 && !(200..300).contains(&self.status)
    }

    /// One line for failure messages, with a hint for each known deviation it points at.
    pub fn describe(&self) -> String {
        let mut out = self.describe_bare();
        for s in &self.suspects {
            out.push_str(&format!("\nhint: {}", crate::deviations::hint(*s)));
        }
        out
    }

    fn describe_bare(&self) -> String {
        if self.status == 0 {
            return format!("no reply to POST /{}: {}", self.route, self.text);
        }
        let body =
            if self.body.is_null() { self.text.chars().take(300).collect() } else { self.body.to_string() };
        let cookies =
            if self.cookies.is_empty() { String::new() } else { format!(" Set-Cookie: {:?}", self.cookies) };
        format!("HTTP {} {body}{cookies}", self.status)
    }

    /// The refresh-token cookie a login set: the `HttpOnly` cookie whose name mentions
    /// `refresh` (NOTES.md S5), as `name=value`.
    pub fn refresh_cookie(&self) -> Option<String> {
        self.cookies.iter().find_map(|c| {
            let pair = c.split(';').next()?.trim();
            let (name, value) = pair.split_once('=')?;
            (name.to_ascii_lowercase().contains("refresh") && !value.is_empty()).then(|| pair.to_owned())
        })
    }
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

/// `POST <login_path>` with `body` as its text (no body when `None`).
pub async fn login(
    ctx: &RunContext,
    wire: &WireLog,
    actor: Option<&str>,
    body: Option<String>,
    creds: &Credentials<'_>,
) -> HttpReply {
    http(ctx, wire, actor, "login", body, creds).await
}

/// `POST <logout_path>`, the access token in `Authorization: Bearer`.
pub async fn logout(
    ctx: &RunContext,
    wire: &WireLog,
    actor: Option<&str>,
    creds: &Credentials<'_>,
) -> HttpReply {
    http(ctx, wire, actor, "logout", None, creds).await
}

async fn http(
    ctx: &RunContext,
    wire: &WireLog,
    actor: Option<&str>,
    route: &str,
    body: Option<String>,
    creds: &Credentials<'_>,
) -> HttpReply {
    let sama = &ctx.target.sama;
    let path = if route == "login" { &sama.login_path } else { &sama.logout_path };
    let url = format!("{}{path}", ctx.target.base_url);
    let mut headers = serde_json::Map::new();
    let mut req = ctx.http.post(&url);
    if let Some(b) = &body {
        req = req.header("content-type", "application/json").body(b.clone());
    }
    if let Some(t) = creds.bearer {
        req = req.bearer_auth(t);
        headers.insert("Authorization".into(), json!(format!("Bearer {t}")));
    }
    if let Some(d) = creds.device {
        req = req.header("device_id", d);
        headers.insert("device_id".into(), json!(d));
    }
    if let Some(c) = creds.cookie {
        req = req.header("cookie", c);
        headers.insert("Cookie".into(), json!(c));
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
    let got = crate::drivers::exchange(req).await;
    let cookies =
        got.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok().map(str::to_owned)).collect();
    let mut reply = HttpReply {
        route: route.into(),
        status: got.status,
        body: got.body,
        text: got.text,
        cookies,
        violations: Violations::default(),
        suspects: Vec::new(),
    };
    if reply.is_refusal() {
        reply.suspects = sama.deviations.refusal_suspects(&format!("/{route}"), &reply.text);
    }
    if reply.status != 0 {
        reply.violations = if reply.is_refusal() && reply.body.is_null() {
            let text: String = reply.text.chars().take(120).collect();
            Violations {
                document: Vec::new(),
                readings: vec![(
                    "S10".into(),
                    format!("the error is not JSON: HTTP {} {text:?}", reply.status),
                )],
            }
        } else if reply.is_refusal() {
            frame::validate("error", &reply.body)
        } else if reply.body.is_null() {
            Violations {
                document: vec![format!("the reply to POST /{route} is not JSON (HTTP {})", reply.status)],
                readings: Vec::new(),
            }
        } else {
            frame::validate(&format!("response.{route}"), &reply.body)
        };
    }
    let logged = if reply.body.is_null() { Value::String(reply.text.clone()) } else { reply.body.clone() };
    let summary = if reply.status == 0 {
        format!("no reply: {}", reply.text)
    } else {
        format!("{} /{route}{}", reply.status, if reply.cookies.is_empty() { "" } else { " (sets a cookie)" })
    };
    wire.push("response", actor, summary, Some(logged));
    reply
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refresh_cookie_is_found_by_its_name() {
        let reply = HttpReply {
            route: "login".into(),
            status: 200,
            body: Value::Null,
            text: String::new(),
            cookies: vec!["lang=en; Path=/".into(), "refresh_token=rt_1; Max-Age=9; HttpOnly".into()],
            violations: Violations::default(),
            suspects: Vec::new(),
        };
        assert_eq!(reply.refresh_cookie().as_deref(), Some("refresh_token=rt_1"));
    }
}
