//! Steps for the single HTTP JSON endpoint: its envelope, its headers and its errors (seed
//! 000, "HTTP REST Unichat Endpoint", "Specifying domain token", "Authenticating user").
//! Every request these scenarios get wrong on purpose goes through
//! [`UnichatWorld::call_malformed`].

use cucumber::{then, when};
use serde_json::{Value, json};

use crate::unichat::UnichatWorld;
use crate::unichat::driver::Malformed;

#[then("the call succeeds")]
async fn the_call_succeeds(w: &mut UnichatWorld) {
    w.last_ok();
}

#[then(regex = r#"^the call fails with error "(\w+)"$"#)]
async fn the_call_fails(w: &mut UnichatWorld, code: String) {
    let reply = w.last().clone();
    w.expect_error(&reply, &code);
}

#[when(regex = r#"^(\w+) sends the raw body "(.*)" to (\w+)$"#)]
async fn raw_body(w: &mut UnichatWorld, actor: String, body: String, method: String) {
    let body = body.replace("\\\"", "\"").into_bytes();
    let token = Some(w.actor(&actor).token.clone());
    let domain = Some(w.ctx.target.domain_token.clone());
    w.call_malformed(Some(&actor), &method, Malformed::Raw { body, domain, token }).await;
}

#[when(regex = r#"^(\w+) calls "(\w+)" with (\{.*\})$"#)]
async fn calls_with(w: &mut UnichatWorld, actor: String, method: String, args: String) {
    let args: Value =
        serde_json::from_str(&args).unwrap_or_else(|e| panic!("the step's JSON is not valid: {e}"));
    let token = Some(w.actor(&actor).token.clone());
    w.call_malformed(Some(&actor), &method, Malformed::Args { args, token }).await;
}

#[when(regex = r"^(\w+) calls (\w+) without the APP_DOMAIN_TOKEN header$")]
async fn without_domain(w: &mut UnichatWorld, actor: String, method: String) {
    let token = Some(w.actor(&actor).token.clone());
    let body = br#"{"args": {}}"#.to_vec();
    w.call_malformed(Some(&actor), &method, Malformed::Raw { body, domain: None, token }).await;
}

#[when(regex = r#"^(\w+) calls (\w+) with APP_DOMAIN_TOKEN "(.*)"$"#)]
async fn with_domain(w: &mut UnichatWorld, actor: String, method: String, domain: String) {
    let token = Some(w.actor(&actor).token.clone());
    let body = br#"{"args": {}}"#.to_vec();
    w.call_malformed(Some(&actor), &method, Malformed::Raw { body, domain: Some(domain), token }).await;
}

#[when(regex = r"^someone calls (\w+) without USER_AUTH_TOKEN$")]
async fn without_token(w: &mut UnichatWorld, method: String) {
    w.call_malformed(None, &method, Malformed::Args { args: json!({}), token: None }).await;
}

#[when(regex = r#"^someone calls (\w+) with USER_AUTH_TOKEN "(.*)"$"#)]
async fn with_token(w: &mut UnichatWorld, method: String, token: String) {
    w.call_malformed(None, &method, Malformed::Args { args: json!({}), token: Some(token) }).await;
}

#[then(regex = r#"^the reply is labelled "([^"]*)"$"#)]
async fn labelled(w: &mut UnichatWorld, media_type: String) {
    let reply = w.last().clone();
    let label = reply.content_type.clone().unwrap_or_default();
    let essence = label.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    if essence != media_type {
        w.fail(
            &format!("the reply to {} is labelled {media_type}", reply.name),
            format!("Content-Type: {media_type}"),
            if label.is_empty() { "no Content-Type".to_owned() } else { format!("Content-Type: {label}") },
        );
    }
}
