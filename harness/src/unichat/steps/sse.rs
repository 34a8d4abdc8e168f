//! Steps for receiving events over SSE, and for browsers (seed 000, "Receiving events":
//! "event_source_ready", "ping", "unichat_notification"; CORS for a browser EventSource).

use std::time::Duration;

use chatspec_specs::unichat::{envelope::NoArgs, sse::CreateSseAuthCode};
use cucumber::{then, when};
use serde_json::{Value, json};

use crate::unichat::UnichatWorld;
use crate::unichat::driver;

impl UnichatWorld {
    /// A fresh SSE code of `actor`'s, from `create_sse_auth_code()`.
    async fn new_sse_code(&mut self, actor: &str) -> String {
        self.call::<CreateSseAuthCode>(actor, NoArgs {}).await;
        let body = self.last_ok();
        body.get("code").and_then(Value::as_str).map(str::to_owned).unwrap_or_default()
    }

    /// `GET url` as a browser's EventSource would, keeping only the status and headers.
    async fn raw_get(&mut self, url: &str, origin: Option<&str>) {
        self.wire.push("request", None, format!("GET {url}"), origin.map(|o| json!({"Origin": o})));
        let mut req = self.ctx.http.get(url).header("accept", "text/event-stream");
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        // Only the status and headers matter; the stream itself is dropped unread.
        match tokio::time::timeout(self.ctx.target.wait(Duration::from_secs(5)), req.send()).await {
            Ok(Ok(resp)) => {
                self.wire.push("response", None, format!("{} SSE", resp.status().as_u16()), None);
                self.raw = Some((resp.status().as_u16(), resp.headers().clone()));
            }
            Ok(Err(e)) => self.fail("the SSE URL answers", "an HTTP reply", e),
            Err(_) => self.fail("the SSE URL answers", "an HTTP reply within the timeout", "nothing"),
        }
    }

    /// The values of the last raw exchange's header `name`, joined with commas.
    fn raw_header(&self, name: &str) -> String {
        let Some((_, headers)) = &self.raw else { panic!("no raw exchange before this step") };
        headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",")
    }
}

#[when(regex = r"^(\w+) opens a second event stream$")]
async fn second_stream(w: &mut UnichatWorld, actor: String) {
    let code = w.new_sse_code(&actor).await;
    match driver::open_sse(&w.ctx, &w.wire, &actor, &code).await {
        Ok(conn) => w.extra_stream = Some(conn),
        Err(e) => w.fail("a second event stream can be opened", "an open stream", e),
    }
}

#[then("the second stream's first event is event_source_ready")]
async fn first_is_ready(w: &mut UnichatWorld) {
    let Some(conn) = &w.extra_stream else { panic!("no second stream") };
    let first = conn.inbox.all().into_iter().next();
    match first {
        Some(e) if e.name == "event_source_ready" => {}
        other => w.fail(
            "event_source_ready is sent first, once per connection",
            "event_source_ready first",
            format!("{other:?}"),
        ),
    }
}

#[then(regex = r"^(\w+) receives a ping event$")]
async fn receives_ping(w: &mut UnichatWorld, actor: String) {
    let Some(sse) = &w.actor(&actor).sse else { panic!("{actor} has no event stream") };
    // Pings are periodic; a server may space them widely, so this wait is long.
    let timeout = w.ctx.target.wait(Duration::from_secs(40));
    if let Err(e) = sse.inbox.wait_for(timeout, |e| e.name == "ping").await {
        w.fail("the service sends ping events periodically", "a ping event", e.describe());
    }
}

#[when(regex = r"^(\w+) opens an event stream with a code, then opens another with the same code$")]
async fn code_twice(w: &mut UnichatWorld, actor: String) {
    let code = w.new_sse_code(&actor).await;
    match driver::open_sse(&w.ctx, &w.wire, &actor, &code).await {
        Ok(conn) => w.extra_stream = Some(conn),
        Err(e) => w.fail("a fresh SSE code opens a stream", "an open stream", e),
    }
    let url = w.ctx.target.sse_url(&code);
    w.raw_get(&url, None).await;
}

#[when(regex = r#"^someone opens an event stream with the code "(.*)"$"#)]
async fn made_up_code(w: &mut UnichatWorld, code: String) {
    let url = w.ctx.target.sse_url(&code);
    w.raw_get(&url, None).await;
}

#[then("the second connection is an event stream or is refused")]
async fn stream_or_refused(w: &mut UnichatWorld) {
    // The seed never says how long a code lives (NOTES.md U40): both readings are accepted,
    // and only a reply that is neither a stream nor a refusal fails.
    let Some((status, headers)) = w.raw.clone() else { panic!("no connection was attempted") };
    let ct = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    let stream = status == 200 && ct.starts_with("text/event-stream");
    if !stream && !(400..500).contains(&status) {
        w.fail(
            "a reused SSE code either opens its user's event stream again or is refused (NOTES.md U40)",
            "HTTP 200 text/event-stream, or an HTTP 4xx error",
            format!("HTTP {status} {ct}"),
        );
    }
}

#[then(regex = r"^the connection is refused$")]
async fn refused(w: &mut UnichatWorld) {
    let Some((status, headers)) = w.raw.clone() else { panic!("no connection was attempted") };
    let ct = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    if status == 200 && ct.starts_with("text/event-stream") {
        w.fail(
            "an SSE code that was never issued opens no stream",
            "an HTTP error status",
            format!("HTTP {status} {ct}"),
        );
    }
}

#[when(regex = r#"^a browser at "(.*)" opens (\w+)'s event stream with credentials$"#)]
async fn browser_stream(w: &mut UnichatWorld, origin: String, actor: String) {
    let code = w.new_sse_code(&actor).await;
    let url = w.ctx.target.sse_url(&code);
    w.raw_get(&url, Some(&origin)).await;
}

#[when(regex = r#"^a browser at "(.*)" asks whether it may POST with the USER_AUTH_TOKEN header$"#)]
async fn preflight(w: &mut UnichatWorld, origin: String) {
    let url = w.ctx.target.method_url("get_subscriptions");
    w.wire.push("request", None, format!("OPTIONS {url}"), Some(json!({"Origin": origin})));
    let req = w
        .ctx
        .http
        .request(reqwest::Method::OPTIONS, &url)
        .header("origin", &origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type,app_domain_token,user_auth_token");
    match req.send().await {
        Ok(resp) => {
            w.wire.push("response", None, format!("{} preflight", resp.status().as_u16()), None);
            w.raw = Some((resp.status().as_u16(), resp.headers().clone()));
        }
        Err(e) => w.fail("the endpoint answers CORS preflights", "an HTTP reply", e),
    }
}

#[then(regex = r#"^the reply allows the origin "(.*)" with credentials$"#)]
async fn allows_origin(w: &mut UnichatWorld, origin: String) {
    let allowed = w.raw_header("access-control-allow-origin");
    let creds = w.raw_header("access-control-allow-credentials");
    if allowed != origin || creds != "true" {
        w.fail(
            "a browser EventSource with credentials may connect (credentials need the exact origin, not *)",
            format!("Access-Control-Allow-Origin: {origin}, Access-Control-Allow-Credentials: true"),
            format!("Access-Control-Allow-Origin: {allowed:?}, Access-Control-Allow-Credentials: {creds:?}"),
        );
    }
}

#[then(regex = r#"^the reply allows the header "(.*)"$"#)]
async fn allows_header(w: &mut UnichatWorld, header: String) {
    let allowed = w.raw_header("access-control-allow-headers").to_ascii_lowercase();
    if !allowed.split(',').any(|h| h.trim() == header.to_ascii_lowercase() || h.trim() == "*") {
        w.fail(
            "the endpoint lets browsers send the documented headers",
            format!("Access-Control-Allow-Headers including {header}"),
            allowed,
        );
    }
}

#[then("the reply is an event stream")]
async fn is_event_stream(w: &mut UnichatWorld) {
    let ct = w.raw_header("content-type");
    let status = w.raw.as_ref().map_or(0, |r| r.0);
    if status != 200 || !ct.starts_with("text/event-stream") {
        w.fail("GET /sse/{code} streams events", "HTTP 200 text/event-stream", format!("HTTP {status} {ct}"));
    }
}

#[when(regex = r#"^(\w+) creates the room "([^"]*)" while the second stream is open$"#)]
async fn room_while_second_open(w: &mut UnichatWorld, actor: String, label: String) {
    w.create_room(&actor, &label, false, Vec::new()).await;
}

#[then(
    regex = r#"^the second stream carries exactly one event_source_ready, before the notification of "([^"]*)"$"#
)]
async fn ready_once(w: &mut UnichatWorld, label: String) {
    let gid = w.room(&label).group_id;
    let Some(conn) = &w.extra_stream else { panic!("no second stream") };
    let timeout = w.ctx.target.wait(Duration::from_secs(5));
    let later = conn
        .inbox
        .wait_for(timeout, |e| {
            e.name == "unichat_notification"
                && e.data.pointer("/object/group_id").and_then(Value::as_u64) == Some(gid)
        })
        .await;
    let later = match later {
        Ok(e) => e,
        Err(e) => w.fail_on_rule(
            "U-room-new-sub-notification",
            "the second stream is notified of the new room, so the events before it can be counted",
            format!("a new subscription notification for group {gid}"),
            e.describe(),
        ),
    };
    let readies: Vec<u64> =
        conn.inbox.all().iter().filter(|e| e.name == "event_source_ready").map(|e| e.at_ms).collect();
    if readies.len() != 1 {
        w.fail(
            "event_source_ready is sent once per established connection",
            format!("exactly one event_source_ready before the notification at +{}ms", later.at_ms),
            format!("{} event_source_ready events, at {readies:?} ms", readies.len()),
        );
    }
}
