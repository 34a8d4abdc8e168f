//! Steps for the two kinds of token, where a request carries them, and whether a request
//! without a good one gets in (seed 002, "Authentication": "two types of tokens exist for
//! authentication depending on what you're trying to access"; NOTES.md C3, C4).

use cucumber::{then, when};

use crate::connectnow::ConnectNowWorld;
use crate::connectnow::driver::{Kind, NOT_JSON, Placement, Token};
use crate::verdict::Ground;

#[when(regex = r"^someone calls (GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (/\S*) without a token$")]
async fn calls_without_token(w: &mut ConnectNowWorld, verb: String, path: String) {
    w.call_path(None, &verb, &path, None).await;
}

#[when(
    regex = r#"^someone calls (GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (/\S*) with the (API|chat-user) token "([^"]*)"$"#
)]
async fn calls_with_token(w: &mut ConnectNowWorld, verb: String, path: String, kind: String, value: String) {
    let kind = if kind == "API" { Kind::Api } else { Kind::ChatUser };
    w.call_path(None, &verb, &path, Some(Token { kind, value, at: Placement::Query })).await;
}

#[then("the reply is JSON")]
async fn reply_is_json(w: &mut ConnectNowWorld) {
    let reply = w.last();
    let ct = reply.header("content-type").unwrap_or_default();
    let check = "a request with \"Accept: application/json\" is answered in JSON";
    // The body is judged by the driver's one rule (a success breaks the public fact, a
    // refusal the reading C4); the header, as that rule grades this reply.
    let judged = NOT_JSON.judge(&reply);
    let ground = match &judged {
        Some((ground, _)) => ground.clone(),
        None if reply.refused() => Ground::Reading("C4".into()),
        None => Ground::Document,
    };
    w.check_on(
        &ground,
        ct.starts_with("application/json") && judged.is_none(),
        check,
        "Content-Type: application/json and a JSON body",
        format!("Content-Type: {ct:?}, {}", judged.map_or_else(|| reply.describe(), |(_, miss)| miss)),
    );
}
