//! Steps for status codes and error bodies (seed 002, "Response Status Codes": "See: API
//! Philosophy - status codes"; public fact: 200, 201, 401, 403, 404, 405, 422 (validation)
//! and 429; NOTES.md C5, C19, C20): the outcome of any call, the bodies a negative scenario
//! writes, the Allow header and the rate limit.

use cucumber::{then, when};
use reqwest::Method;
use serde_json::{Value, json};

use crate::connectnow::ConnectNowWorld;
use crate::connectnow::driver::{Body, ConnectNowReply as _, Request};
use crate::kit::prose::quoted;
use crate::verdict::Ground;

#[when(regex = r"^(\w+) calls (GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (/\S*) with (\{.*\})$")]
async fn calls_with_body(w: &mut ConnectNowWorld, actor: String, verb: String, path: String, body: String) {
    // "someone" is nobody in particular: no token.
    let actor = (actor != "someone").then_some(actor);
    let m: Method = verb.parse().unwrap_or_else(|_| panic!("{verb:?} is not an HTTP method"));
    let (route, url) = w.resolve(&m, &path);
    let mut req = Request::new(route, m, url);
    req.body = Body::malformed(&body);
    req.token = actor.as_deref().map(|a| w.token(a));
    w.send(actor.as_deref(), req).await;
}

#[when(regex = r#"^(\w+) sends the body "(.*)" to (POST|PUT) (/\S*)$"#)]
async fn sends_body(w: &mut ConnectNowWorld, actor: String, body: String, verb: String, path: String) {
    let m: Method = verb.parse().unwrap_or(Method::POST);
    let (route, url) = w.resolve(&m, &path);
    let mut req = Request::new(route, m, url);
    req.body =
        Body::Raw { content_type: "application/json".into(), bytes: body.replace("\\\"", "\"").into_bytes() };
    req.token = Some(w.token(&actor));
    w.send(Some(&actor), req).await;
}

// ---- outcomes ---------------------------------------------------------------------------

#[then(regex = r"^the call succeeds with (\d{3})(?: or (\d{3}))?$")]
async fn succeeds(w: &mut ConnectNowWorld, status: u16, or: String) {
    let mut statuses = vec![status];
    statuses.extend(or.parse::<u16>().ok());
    let reply = w.last();
    w.ok(&reply, &statuses);
}

#[then(regex = r"^the call is refused with (\d{3})((?: or \d{3})*)$")]
async fn refused(w: &mut ConnectNowWorld, status: u16, more: String) {
    let mut statuses = vec![status];
    statuses.extend(more.split(" or ").filter_map(|s| s.trim().parse::<u16>().ok()));
    let reply = w.last();
    w.refused(&reply, &statuses);
}

#[then(regex = r#"^the call is refused with 422 naming ("[^"]*"(?:(?:, | and )"[^"]*")*)$"#)]
async fn refused_naming(w: &mut ConnectNowWorld, list: String) {
    let reply = w.last();
    w.refused(&reply, &[422]);
    // Which field a 422 names, and how, is the error body's shape: the reading C5.
    let named = reply.error_fields();
    for field in quoted(&list) {
        let field = w.field(&field);
        w.check_on(
            &Ground::Reading("C5".into()),
            named.contains(&field),
            &format!("a validation error names the field {field:?}"),
            format!("\"errors\" with the key {field:?}"),
            reply.describe(),
        );
    }
}

#[then("the reply says which methods are allowed")]
async fn allow_header(w: &mut ConnectNowWorld) {
    let reply = w.last();
    // RFC 9110: "The origin server MUST generate an Allow header field in a 405 response".
    if reply.header("allow").is_none_or(|a| a.trim().is_empty()) {
        w.fail("a 405 names the methods the route takes", "an Allow header", reply.describe());
    }
}

#[then("the call is refused with a 4xx and a message")]
async fn refused_4xx(w: &mut ConnectNowWorld) {
    let reply = w.last();
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

// ---- the rate limit ---------------------------------------------------------------------

#[when(regex = r"^(\w+) calls GET (/\S*) (\d+) times under a rate limit of (\d+) a minute$")]
async fn rate_limited(w: &mut ConnectNowWorld, actor: String, path: String, times: usize, limit: u64) {
    // The limit is the server's, shared by every scenario: this one runs alone (@serial) and
    // puts the old limit back before anything is checked.
    if let Some(lacks) = rate_limit_lacks(&w.ctx.target) {
        w.impossible(format!(
            "the scenario reads and sets the rate limit (GET and POST /_mock/rate-limit); {lacks}"
        ));
    }
    let before =
        w.admin(Method::GET, "/_mock/rate-limit", None, "controls the rate limit (NOTES.md C20)").await;
    let old = before.get("per_minute").cloned().unwrap_or(Value::Null);
    w.admin(Method::POST, "/_mock/rate-limit", Some(json!({"per_minute": limit})), "sets the rate limit")
        .await;
    let token = w.token(&actor);
    let mut replies = Vec::new();
    for _ in 0..times {
        let (route, url) = w.resolve(&Method::GET, &path);
        let mut req = Request::new(route, Method::GET, url);
        req.token = Some(token.clone());
        replies.push(w.send(Some(&actor), req).await);
    }
    w.admin(Method::POST, "/_mock/rate-limit", Some(json!({"per_minute": old})), "restores the rate limit")
        .await;
    w.batch = replies;
}

/// What the profile lacks to read and to set the rate limit, both operations named at once
/// (the scenario needs both), when it maps operations and leaves either out.
fn rate_limit_lacks(target: &crate::target::Target) -> Option<String> {
    use crate::target::operations::Operation;
    let field = match target.provisioning {
        crate::target::Provisioning::Http { .. } => "webhooks",
        _ => "commands",
    };
    let missing: Vec<String> = [Operation::GetRateLimit, Operation::SetRateLimit]
        .into_iter()
        .filter(|op| target.provisioning.offers(*op) == Some(false))
        .map(|op| format!("provisioning.{field}.{}", op.name()))
        .collect();
    match missing.as_slice() {
        [] => None,
        [one] => Some(format!("the profile lacks {one} (it has the other)")),
        both => Some(format!("the profile lacks both {}", both.join(" and "))),
    }
}

#[then(regex = r"^the first (\d+) calls succeed and the next is refused with 429$")]
async fn first_succeed(w: &mut ConnectNowWorld, n: usize) {
    let replies = w.batch.clone();
    for (i, reply) in replies.iter().enumerate() {
        if i < n {
            w.ok(reply, &[200]);
        } else {
            w.refused(reply, &[429]);
        }
    }
    if replies.len() <= n {
        panic!("the scenario made only {} calls", replies.len());
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn commands(list: &str) -> crate::target::Target {
        crate::target::Target::parse(&format!(
            "name = \"x\"\napi = \"connectnow\"\nbase_url = \"http://h\"\n[provisioning]\nmode = \"command\"\n[provisioning.commands]\ncreate_user = \"./u.sh\"\n{list}"
        ))
        .unwrap()
    }

    #[test]
    fn a_missing_rate_limit_operation_is_named_with_the_other() {
        let none = rate_limit_lacks(&commands("")).unwrap();
        assert!(
            none.contains("provisioning.commands.get_rate_limit and provisioning.commands.set_rate_limit"),
            "{none}"
        );
        let set = rate_limit_lacks(&commands("get_rate_limit = \"./r.sh\"\n")).unwrap();
        assert!(set.contains("provisioning.commands.set_rate_limit") && !set.contains("get_rate"), "{set}");
        assert_eq!(
            rate_limit_lacks(&commands("get_rate_limit = \"./r.sh\"\nset_rate_limit = \"./r.sh\"\n")),
            None
        );
    }
}
