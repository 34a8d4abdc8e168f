//! Steps for status codes and error bodies (seed 002, "Response Status Codes": "See: API
//! Philosophy - status codes"; public fact: 200, 201, 401, 403, 404, 405, 422 (validation)
//! and 429; NOTES.md C5, C19, C20).

use cucumber::{then, when};
use reqwest::Method;
use serde_json::{Value, json};

use crate::drivers::connectnow::{ConnectNowReply as _, Request};
use crate::verdict::Ground;
use crate::world::ChatWorld;

#[then("the reply says which methods are allowed")]
async fn allow_header(w: &mut ChatWorld) {
    let reply = w.cn_last();
    // RFC 9110: "The origin server MUST generate an Allow header field in a 405 response".
    if reply.header("allow").is_none_or(|a| a.trim().is_empty()) {
        w.fail("a 405 names the methods the route takes", "an Allow header", reply.describe());
    }
}

#[when(regex = r#"^(\w+) sends the body "(.*)" to (POST|PUT) (/\S*)$"#)]
async fn sends_body(w: &mut ChatWorld, actor: String, body: String, verb: String, path: String) {
    let m: Method = verb.parse().unwrap_or(Method::POST);
    let (route, url) = w.cn_resolve(&m, &path);
    let mut req = Request::new(&route, m, url);
    req.raw = Some(("application/json".into(), body.replace("\\\"", "\"").into_bytes()));
    req.token = Some(w.cn_token(&actor));
    w.cn_send(Some(&actor), req).await;
}

#[then("the call is refused with a 4xx and a message")]
async fn refused_4xx(w: &mut ChatWorld) {
    let reply = w.cn_last();
    // "a malformed body must be a 4xx, never a 5xx" (NOTES.md C19); the message is the
    // error body's shape, the reading C5.
    w.expect_refused(&reply, "a malformed body is refused", "HTTP 4xx with {\"message\": ...}");
    if !(400..500).contains(&reply.status) {
        w.fail("a malformed body is refused", "HTTP 4xx with {\"message\": ...}", reply.describe());
    }
    w.check_on(
        &Ground::Reading("C5".into()),
        reply.message().is_some_and(|m| !m.is_empty()),
        "a refusal says why in its message",
        "{\"message\": <non-empty>}",
        reply.describe(),
    );
}

#[when(regex = r"^(\w+) calls GET (/\S*) (\d+) times under a rate limit of (\d+) a minute$")]
async fn rate_limited(w: &mut ChatWorld, actor: String, path: String, times: usize, limit: u64) {
    // The limit is the server's, shared by every scenario: this one runs alone (@serial) and
    // puts the old limit back before anything is checked.
    let before =
        w.admin(Method::GET, "/_mock/rate-limit", None, "controls the rate limit (NOTES.md C20)").await;
    let old = before.get("per_minute").cloned().unwrap_or(Value::Null);
    w.admin(Method::POST, "/_mock/rate-limit", Some(json!({"per_minute": limit})), "sets the rate limit")
        .await;
    let token = w.cn_token(&actor);
    let mut replies = Vec::new();
    for _ in 0..times {
        let (route, url) = w.cn_resolve(&Method::GET, &path);
        let mut req = Request::new(&route, Method::GET, url);
        req.token = Some(token.clone());
        replies.push(w.cn_send(Some(&actor), req).await);
    }
    w.admin(Method::POST, "/_mock/rate-limit", Some(json!({"per_minute": old})), "restores the rate limit")
        .await;
    w.connectnow.batch = replies;
}

#[then(regex = r"^the first (\d+) calls succeed and the next is refused with 429$")]
async fn first_succeed(w: &mut ChatWorld, n: usize) {
    let replies = w.connectnow.batch.clone();
    for (i, reply) in replies.iter().enumerate() {
        if i < n {
            w.cn_ok(reply, &[200]);
        } else {
            w.cn_refused(reply, &[429]);
        }
    }
    if replies.len() <= n {
        panic!("the scenario made only {} calls", replies.len());
    }
}
