//! Steps for the endpoint, accounts and SSE features (seed 000).

use std::time::Duration;

use cucumber::{given, then, when};
use serde_json::{Value, json};

use crate::drivers::unichat as driver;
use crate::world::ChatWorld;

#[when(regex = r"^(\w+) lists (?:her|his) subscriptions$")]
async fn lists_subscriptions(w: &mut ChatWorld, actor: String) {
    w.call_as(Some(&actor), "get_subscriptions", json!({})).await;
}

#[then("the call succeeds")]
async fn the_call_succeeds(w: &mut ChatWorld) {
    let reply = w.last().clone();
    w.ok(&reply);
}

#[then(regex = r#"^the call fails with error "(\w+)"$"#)]
async fn the_call_fails(w: &mut ChatWorld, code: String) {
    let reply = w.last().clone();
    w.expect_error(&reply, &code);
}

#[when(regex = r#"^(\w+) sends the raw body "(.*)" to (\w+)$"#)]
async fn raw_body(w: &mut ChatWorld, actor: String, body: String, method: String) {
    let body = body.replace("\\\"", "\"");
    let token = w.actor(&actor).token.clone();
    let domain = w.ctx.target.domain_token.clone();
    let headers = [("APP_DOMAIN_TOKEN", Some(domain.as_str())), ("USER_AUTH_TOKEN", Some(token.as_str()))];
    let reply = driver::raw(&w.ctx, &w.wire, Some(&actor), &method, body.into_bytes(), &headers).await;
    w.unichat.last = Some(reply);
}

#[when(regex = r#"^(\w+) calls "(\w+)" with (\{.*\})$"#)]
async fn calls_with(w: &mut ChatWorld, actor: String, method: String, args: String) {
    let args: Value =
        serde_json::from_str(&args).unwrap_or_else(|e| panic!("the step's JSON is not valid: {e}"));
    w.call_as(Some(&actor), &method, args).await;
}

#[when(regex = r"^(\w+) calls (\w+) without the APP_DOMAIN_TOKEN header$")]
async fn without_domain(w: &mut ChatWorld, actor: String, method: String) {
    let token = w.actor(&actor).token.clone();
    let headers = [("USER_AUTH_TOKEN", Some(token.as_str()))];
    let reply =
        driver::raw(&w.ctx, &w.wire, Some(&actor), &method, br#"{"args": {}}"#.to_vec(), &headers).await;
    w.unichat.last = Some(reply);
}

#[when(regex = r#"^(\w+) calls (\w+) with APP_DOMAIN_TOKEN "(.*)"$"#)]
async fn with_domain(w: &mut ChatWorld, actor: String, method: String, domain: String) {
    let token = w.actor(&actor).token.clone();
    let headers = [("APP_DOMAIN_TOKEN", Some(domain.as_str())), ("USER_AUTH_TOKEN", Some(token.as_str()))];
    let reply =
        driver::raw(&w.ctx, &w.wire, Some(&actor), &method, br#"{"args": {}}"#.to_vec(), &headers).await;
    w.unichat.last = Some(reply);
}

#[when(regex = r"^someone calls (\w+) without USER_AUTH_TOKEN$")]
async fn without_token(w: &mut ChatWorld, method: String) {
    w.call_with_token(None, None, &method, json!({})).await;
}

#[when(regex = r#"^someone calls (\w+) with USER_AUTH_TOKEN "(.*)"$"#)]
async fn with_token(w: &mut ChatWorld, method: String, token: String) {
    w.call_with_token(None, Some(&token), &method, json!({})).await;
}

// ---- accounts ------------------------------------------------------------------------

async fn register(w: &mut ChatWorld, email: String) {
    let password = w.unique("pw");
    w.unichat.signup = Some((email.clone(), password.clone()));
    w.call_with_token(None, None, "register", json!({"email": email, "password": password})).await;
}

fn fresh_email(w: &ChatWorld) -> String {
    format!("{}@chatspec.test", w.unique("new").to_lowercase())
}

#[when("a new user registers with a fresh e-mail address")]
async fn registers_fresh(w: &mut ChatWorld) {
    let email = fresh_email(w);
    register(w, email).await;
}

#[given("a new user has registered with a fresh e-mail address")]
async fn has_registered(w: &mut ChatWorld) {
    let email = fresh_email(w);
    register(w, email).await;
    let reply = w.last().clone();
    w.ok(&reply);
}

#[when(regex = r#"^a new user registers with the e-mail "(.*)"$"#)]
async fn registers_with(w: &mut ChatWorld, email: String) {
    register(w, email).await;
}

#[when("a new user registers with the same e-mail address")]
async fn registers_same(w: &mut ChatWorld) {
    let Some((email, _)) = w.unichat.signup.clone() else { panic!("nobody registered before this step") };
    register(w, email).await;
}

#[when(regex = r"^the user logs in with (the right|a wrong) password$")]
async fn logs_in(w: &mut ChatWorld, which: String) {
    let Some((email, password)) = w.unichat.signup.clone() else {
        panic!("nobody registered before this step")
    };
    let password = if which == "the right" { password } else { format!("{password}-wrong") };
    w.call_with_token(None, None, "login", json!({"email": email, "password": password})).await;
}

#[then("the reply's user carries an auth_token that works for get_subscriptions")]
async fn token_works(w: &mut ChatWorld) {
    let reply = w.last().clone();
    let body = w.ok(&reply);
    let Some(token) = body.pointer("/user/auth_token").and_then(Value::as_str) else {
        w.fail("the extended chat user record includes auth_token", "user.auth_token", body);
    };
    let check = w.call_with_token(None, Some(token), "get_subscriptions", json!({})).await;
    w.ok(&check);
}

// ---- SSE ----------------------------------------------------------------------------

async fn new_code(w: &mut ChatWorld, actor: &str) -> String {
    let reply = w.call_as(Some(actor), "create_sse_auth_code", json!({})).await;
    let body = w.ok(&reply);
    body.get("code").and_then(Value::as_str).map(str::to_owned).unwrap_or_default()
}

#[when(regex = r"^(\w+) opens a second event stream$")]
async fn second_stream(w: &mut ChatWorld, actor: String) {
    let code = new_code(w, &actor).await;
    match driver::open_sse(&w.ctx, &w.wire, &actor, &code).await {
        Ok(conn) => w.unichat.extra_stream = Some(conn),
        Err(e) => w.fail("a second event stream can be opened", "an open stream", e),
    }
}

#[then("the second stream's first event is event_source_ready")]
async fn first_is_ready(w: &mut ChatWorld) {
    let Some(conn) = &w.unichat.extra_stream else { panic!("no second stream") };
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
async fn receives_ping(w: &mut ChatWorld, actor: String) {
    let Some(sse) = &w.actor(&actor).sse else { panic!("{actor} has no event stream") };
    // Pings are periodic; a server may space them widely, so this wait is long.
    let timeout = w.ctx.target.wait(Duration::from_secs(40));
    if let Err(e) = sse.inbox.wait_for(timeout, |e| e.name == "ping").await {
        w.fail("the service sends ping events periodically", "a ping event", e.describe());
    }
}

async fn raw_get(w: &mut ChatWorld, url: &str, origin: Option<&str>) {
    w.wire.push("request", None, format!("GET {url}"), origin.map(|o| json!({"Origin": o})));
    let mut req = w.ctx.http.get(url).header("accept", "text/event-stream");
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    // Only the status and headers matter; the stream itself is dropped unread.
    match tokio::time::timeout(w.ctx.target.wait(Duration::from_secs(5)), req.send()).await {
        Ok(Ok(resp)) => {
            w.wire.push("response", None, format!("{} SSE", resp.status().as_u16()), None);
            w.unichat.raw = Some((resp.status().as_u16(), resp.headers().clone()));
        }
        Ok(Err(e)) => w.fail("the SSE URL answers", "an HTTP reply", e),
        Err(_) => w.fail("the SSE URL answers", "an HTTP reply within the timeout", "nothing"),
    }
}

#[when(regex = r"^(\w+) opens an event stream with a code, then opens another with the same code$")]
async fn code_twice(w: &mut ChatWorld, actor: String) {
    let code = new_code(w, &actor).await;
    match driver::open_sse(&w.ctx, &w.wire, &actor, &code).await {
        Ok(conn) => w.unichat.extra_stream = Some(conn),
        Err(e) => w.fail("a fresh SSE code opens a stream", "an open stream", e),
    }
    let url = w.ctx.target.sse_url(&code);
    raw_get(w, &url, None).await;
}

#[when(regex = r#"^someone opens an event stream with the code "(.*)"$"#)]
async fn made_up_code(w: &mut ChatWorld, code: String) {
    let url = w.ctx.target.sse_url(&code);
    raw_get(w, &url, None).await;
}

#[then(regex = r"^the (?:second )?connection is refused$")]
async fn refused(w: &mut ChatWorld) {
    let Some((status, headers)) = w.unichat.raw.clone() else { panic!("no connection was attempted") };
    let ct = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    if status == 200 && ct.starts_with("text/event-stream") {
        w.fail(
            "an SSE code that is spent or made up opens no stream",
            "an HTTP error status",
            format!("HTTP {status} {ct}"),
        );
    }
}

#[when(regex = r#"^a browser at "(.*)" opens (\w+)'s event stream with credentials$"#)]
async fn browser_stream(w: &mut ChatWorld, origin: String, actor: String) {
    let code = new_code(w, &actor).await;
    let url = w.ctx.target.sse_url(&code);
    raw_get(w, &url, Some(&origin)).await;
}

#[when(regex = r#"^a browser at "(.*)" asks whether it may POST with the USER_AUTH_TOKEN header$"#)]
async fn preflight(w: &mut ChatWorld, origin: String) {
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
            w.unichat.raw = Some((resp.status().as_u16(), resp.headers().clone()));
        }
        Err(e) => w.fail("the endpoint answers CORS preflights", "an HTTP reply", e),
    }
}

fn raw_header(w: &ChatWorld, name: &str) -> String {
    let Some((_, headers)) = &w.unichat.raw else { panic!("no raw exchange before this step") };
    headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",")
}

#[then(regex = r#"^the reply allows the origin "(.*)" with credentials$"#)]
async fn allows_origin(w: &mut ChatWorld, origin: String) {
    let allowed = raw_header(w, "access-control-allow-origin");
    let creds = raw_header(w, "access-control-allow-credentials");
    if allowed != origin || creds != "true" {
        w.fail(
            "a browser EventSource with credentials may connect (credentials need the exact origin, not *)",
            format!("Access-Control-Allow-Origin: {origin}, Access-Control-Allow-Credentials: true"),
            format!("Access-Control-Allow-Origin: {allowed:?}, Access-Control-Allow-Credentials: {creds:?}"),
        );
    }
}

#[then(regex = r#"^the reply allows the header "(.*)"$"#)]
async fn allows_header(w: &mut ChatWorld, header: String) {
    let allowed = raw_header(w, "access-control-allow-headers").to_ascii_lowercase();
    if !allowed.split(',').any(|h| h.trim() == header.to_ascii_lowercase() || h.trim() == "*") {
        w.fail(
            "the endpoint lets browsers send the documented headers",
            format!("Access-Control-Allow-Headers including {header}"),
            allowed,
        );
    }
}

#[then("the reply is an event stream")]
async fn is_event_stream(w: &mut ChatWorld) {
    let ct = raw_header(w, "content-type");
    let status = w.unichat.raw.as_ref().map_or(0, |r| r.0);
    if status != 200 || !ct.starts_with("text/event-stream") {
        w.fail("GET /sse/{code} streams events", "HTTP 200 text/event-stream", format!("HTTP {status} {ct}"));
    }
}
