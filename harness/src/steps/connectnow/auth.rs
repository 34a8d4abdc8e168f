//! Steps for the two kinds of token, where a request carries them, and whom they let in
//! (seed 002, "Authentication": "two types of tokens exist for authentication depending on
//! what you're trying to access"; NOTES.md C3, C9, C10): any route called by any actor, and
//! the outcome of a call.

use cucumber::{then, when};
use reqwest::Method;
use serde_json::Value;

use crate::drivers::connectnow::{ConnectNowReply as _, Kind, Placement, Token};
use crate::verdict::Ground;
use crate::world::ChatWorld;

fn method(m: &str) -> Method {
    m.parse().unwrap_or_else(|_| panic!("{m:?} is not an HTTP method"))
}

/// Calls `verb path` as `actor` (or anonymously) with `token`, and the body a call to that
/// route needs, so only the token decides.
async fn call_path(w: &mut ChatWorld, actor: Option<&str>, verb: &str, path: &str, token: Option<Token>) {
    let m = method(verb);
    let (route, url) = w.cn_resolve(&m, path);
    let mut req = crate::drivers::connectnow::Request::new(&route, m, url);
    req.body = w.cn_default_body(&route);
    req.token = token;
    w.cn_send(actor, req).await;
}

#[when(regex = r"^(\w+) calls (GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (/\S*)$")]
async fn calls(w: &mut ChatWorld, actor: String, verb: String, path: String) {
    let token = w.cn_token(&actor);
    call_path(w, Some(&actor), &verb, &path, Some(token)).await;
}

#[when(regex = r"^someone calls (GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (/\S*) without a token$")]
async fn calls_without_token(w: &mut ChatWorld, verb: String, path: String) {
    call_path(w, None, &verb, &path, None).await;
}

#[when(
    regex = r#"^someone calls (GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (/\S*) with the (API|chat-user) token "([^"]*)"$"#
)]
async fn calls_with_token(w: &mut ChatWorld, verb: String, path: String, kind: String, value: String) {
    let kind = if kind == "API" { Kind::Api } else { Kind::ChatUser };
    call_path(w, None, &verb, &path, Some(Token { kind, value, at: Placement::Query })).await;
}

#[when(regex = r"^(\w+) calls (GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (/\S*) with (\{.*\})$")]
async fn calls_with_body(w: &mut ChatWorld, actor: String, verb: String, path: String, body: String) {
    let body: Value =
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("the step's JSON is not valid: {e}"));
    // "someone" is nobody in particular: no token.
    let actor = (actor != "someone").then_some(actor);
    let m = method(&verb);
    let (route, url) = w.cn_resolve(&m, &path);
    let mut req = crate::drivers::connectnow::Request::new(&route, m, url);
    req.body = Some(super::rename_message_field(body, &w.ctx.target.connectnow.message_field));
    req.token = actor.as_deref().map(|a| w.cn_token(a));
    w.cn_send(actor.as_deref(), req).await;
}

// ---- outcomes ---------------------------------------------------------------------------

#[then(regex = r"^the call succeeds with (\d{3})(?: or (\d{3}))?$")]
async fn succeeds(w: &mut ChatWorld, status: u16, or: String) {
    let mut statuses = vec![status];
    statuses.extend(or.parse::<u16>().ok());
    let reply = w.cn_last();
    w.cn_ok(&reply, &statuses);
}

#[then(regex = r"^the call is refused with (\d{3})((?: or \d{3})*)$")]
async fn refused(w: &mut ChatWorld, status: u16, more: String) {
    let mut statuses = vec![status];
    statuses.extend(more.split(" or ").filter_map(|s| s.trim().parse::<u16>().ok()));
    let reply = w.cn_last();
    w.cn_refused(&reply, &statuses);
}

#[then(regex = r#"^the call is refused with 422 naming ("[^"]*"(?:(?:, | and )"[^"]*")*)$"#)]
async fn refused_naming(w: &mut ChatWorld, list: String) {
    let reply = w.cn_last();
    w.cn_refused(&reply, &[422]);
    // Which field a 422 names, and how, is the error body's shape: the reading C5.
    let named = reply.error_fields();
    for field in crate::steps::quoted(&list) {
        let field = w.cn_field(&field);
        w.check_on(
            &Ground::Reading("C5".into()),
            named.contains(&field),
            &format!("a validation error names the field {field:?}"),
            format!("\"errors\" with the key {field:?}"),
            reply.describe(),
        );
    }
}

#[then("the reply is JSON")]
async fn reply_is_json(w: &mut ChatWorld) {
    let reply = w.cn_last();
    let ct = reply.header("content-type").unwrap_or_default();
    // A refusal in any shape is a refusal: that it comes as JSON is the reading C4.
    w.check_on(
        &Ground::Reading("C4".into()),
        ct.starts_with("application/json") && !reply.body.is_null(),
        "a request with \"Accept: application/json\" is answered in JSON",
        "Content-Type: application/json and a JSON body",
        format!("Content-Type: {ct:?}, body {}", reply.describe()),
    );
}
