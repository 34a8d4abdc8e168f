//! Steps for how every call is made (seed 004, "Guide to make API call": "Make sure Http method
//! is set to POST", "Enter your API Key under Headers", "Enter the message details under
//! Body"; NOTES.md O1, O3, O4).

use cucumber::{then, when};
use reqwest::Method;
use serde_json::json;

use super::Key;
use crate::drivers::onechat::{self as driver, Body};
use crate::verdict::Ground;
use crate::world::ChatWorld;

#[when(regex = r"^someone sends (GET|PUT|DELETE|PATCH) to (\w+)$")]
async fn wrong_method(w: &mut ChatWorld, verb: String, call: String) {
    let method: Method = verb.parse().unwrap_or(Method::GET);
    let url = w.ctx.target.onechat_url(&call);
    let reply = driver::request(&w.ctx, &w.wire, None, method, url, &call, None, None).await;
    w.onechat.last = Some(reply);
}

#[when(regex = r"^someone calls the unknown call (\w+)$")]
async fn unknown_call(w: &mut ChatWorld, call: String) {
    let url = w.ctx.target.onechat_url(&call);
    let body = Body::Json(json!({}));
    let reply = driver::request(&w.ctx, &w.wire, None, Method::POST, url, &call, None, Some(body)).await;
    w.onechat.last = Some(reply);
}

#[when(regex = r#"^(\w+) sends the body "(.*)" to the call (\w+)$"#)]
async fn sends_body(w: &mut ChatWorld, actor: String, body: String, call: String) {
    let bytes = body.replace("\\\"", "\"").into_bytes();
    let body = Body::Raw { content_type: "application/json".into(), bytes };
    w.oc_call(Some(&actor), &call, Key::Own, body).await;
}

#[when(regex = r#"^(\w+) sends (\w+) the alert "([^"]*)" as a form$"#)]
async fn sends_form(w: &mut ChatWorld, actor: String, to: String, label: String) {
    let jid = w.oc_user(&to).jid;
    let text = w.oc_text(&label);
    let form = form_urlencoded::Serializer::new(String::new())
        .append_pair("jid", &jid)
        .append_pair("message", &text)
        .finish();
    let body =
        Body::Raw { content_type: "application/x-www-form-urlencoded".into(), bytes: form.into_bytes() };
    w.oc_call(Some(&actor), "singleMessage", Key::Own, body).await;
}

#[when(regex = r"^(\w+) calls (massBroadcast|singleMessage|groupMessage) without an apikey$")]
async fn without_apikey(w: &mut ChatWorld, actor: String, call: String) {
    let user = w.oc_user(&actor);
    let domain = w.oc_domain(&user.domain);
    let text = w.oc_text("keyless");
    let body = match call.as_str() {
        "massBroadcast" => json!({"domain": domain, "message": text}),
        "singleMessage" => json!({"jid": user.jid, "message": text}),
        _ => json!({"jid": format!("ops@muc.{domain}"), "message": text}),
    };
    w.oc_call(Some(&actor), &call, Key::Missing, Body::Json(body)).await;
}

#[then(regex = r"^the reply is Error with a description and HTTP (\d{3})$")]
async fn error_with_status(w: &mut ChatWorld, status: u16) {
    let reply = w.oc_last();
    w.oc_error(&reply);
    // Seed 004 gives no status codes (NOTES.md O4).
    w.check_on(
        &Ground::Reading("O4".into()),
        reply.status == status,
        &format!("{} answers HTTP {status}", reply.name),
        format!("HTTP {status}"),
        reply.describe(),
    );
}

#[then("the reply is Error with a description, not a server error")]
async fn error_not_5xx(w: &mut ChatWorld) {
    let reply = w.oc_last();
    w.oc_error(&reply);
    // "a malformed body must get an Error reply, never a 5xx" (NOTES.md O3).
    w.check_on(
        &Ground::Reading("O3".into()),
        reply.status < 500,
        "bad input is the caller's error",
        "an HTTP status below 500",
        reply.describe(),
    );
}
