//! Steps for how every call is made (seed 004, "Guide to make API call": "Make sure Http method
//! is set to POST", "Enter your API Key under Headers", "Enter the message details under
//! Body"; NOTES.md O1, O3, O4), the reply envelope every call answers ("Response Details"), and
//! the users of a domain every call is made by. OneChat makes users through sign-up, out of
//! the API's reach, so the harness makes them through the mock admin API (NOTES.md O13, O14);
//! a target without one makes these scenarios impossible.

use chatspec_specs::onechat::Route;
use chatspec_specs::onechat::broadcast::MassBroadcast;
use chatspec_specs::onechat::relay::{GroupMessage, SingleMessage};
use cucumber::{given, then, when};
use reqwest::Method;
use serde_json::{Value, json};

use crate::kit::prose::names;
use crate::onechat::OneChatWorld;
use crate::onechat::driver::{self, Body};
use crate::onechat::world::{Key, User};
use crate::verdict::Ground;

/// The rule the users of a domain rest on: "mass broadcast to every user in the specific
/// domain", a user of a domain being one whose jid is in it (NOTES.md O7). A set-up step whose
/// user comes back with a jid outside the domain fails on it, and so blocks a scenario of
/// another rule; an admin call that fails makes the scenario impossible (`kit/admin.rs`).
pub const DOMAIN_RULE: &str = "O-broadcast-domain-users";

impl OneChatWorld {
    /// Provisions the user `name` in the domain labelled `domain`: a jid in that domain, a
    /// session and the key of an app of its own (rule `O-broadcast-domain-users`).
    pub async fn add_user(&mut self, name: &str, domain: &str) {
        let server_domain = self.domain(domain);
        let body = json!({"name": format!("{name}@{server_domain}")});
        let reply = self.admin(Method::POST, "/_mock/users", Some(body), "provisions users").await;
        let field = |f: &str| self.admin_field(&reply, f, "POST /_mock/users");
        let (jid, session, apikey) = (field("jid"), field("sessionId"), field("apikey"));
        if !jid.to_lowercase().ends_with(&format!("@{server_domain}")) {
            self.fail_on_rule(
                DOMAIN_RULE,
                &format!("{name}, a user of the domain {server_domain}, has a jid in it"),
                format!("a jid ending in @{server_domain}"),
                &jid,
            );
        }
        let password = reply.get("password").and_then(Value::as_str).unwrap_or_default().to_owned();
        let user = User { jid, domain: domain.to_owned(), session, second_session: None, apikey, password };
        self.users.insert(name.to_owned(), user);
    }
}

/// The route a step names by its call (`singleMessage`).
pub(super) fn route(call: &str) -> Route {
    match Route::from_call(call) {
        Some(r) => r,
        None => panic!("{call:?} is not a call of seed 004"),
    }
}

#[given(regex = r#"^the domain "([^"]*)" with the users? (\w+(?:(?:, | and )\w+)*)$"#)]
async fn domain_with_users(w: &mut OneChatWorld, domain: String, list: String) {
    for name in names(&list) {
        w.add_user(&name, &domain).await;
    }
}

#[when(regex = r"^someone sends (GET|PUT|DELETE|PATCH) to (\w+)$")]
async fn wrong_method(w: &mut OneChatWorld, verb: String, call: String) {
    let method: Method = verb.parse().unwrap_or(Method::GET);
    let url = w.ctx.target.onechat_url(&call);
    let sent = driver::request(&w.ctx, &w.wire, None, method, url, &call, None, None).await;
    w.keep(sent);
}

#[when(regex = r"^someone calls the unknown call (\w+)$")]
async fn unknown_call(w: &mut OneChatWorld, call: String) {
    let url = w.ctx.target.onechat_url(&call);
    let body = Body::Malformed(json!({}));
    let sent = driver::request(&w.ctx, &w.wire, None, Method::POST, url, &call, None, Some(body)).await;
    w.keep(sent);
}

#[when(regex = r#"^(\w+) sends the body "(.*)" to the call (\w+)$"#)]
async fn sends_body(w: &mut OneChatWorld, actor: String, body: String, call: String) {
    let bytes = body.replace("\\\"", "\"").into_bytes();
    let body = Body::Raw { content_type: "application/json".into(), bytes };
    w.call(Some(&actor), route(&call), Key::Own, body).await;
}

#[when(regex = r#"^(\w+) sends (\w+) the alert "([^"]*)" as a form$"#)]
async fn sends_form(w: &mut OneChatWorld, actor: String, to: String, label: String) {
    let jid = w.user(&to).jid;
    let text = w.text(&label);
    let form = form_urlencoded::Serializer::new(String::new())
        .append_pair("jid", &jid)
        .append_pair("message", &text)
        .finish();
    let body =
        Body::Raw { content_type: "application/x-www-form-urlencoded".into(), bytes: form.into_bytes() };
    w.call(Some(&actor), Route::SingleMessage, Key::Own, body).await;
}

#[when(regex = r"^(\w+) calls (massBroadcast|singleMessage|groupMessage) (with its|without an) apikey$")]
async fn with_or_without_apikey(w: &mut OneChatWorld, actor: String, call: String, how: String) {
    let user = w.user(&actor);
    let domain = w.domain(&user.domain);
    let message = w.text(if how == "with its" { "keyed" } else { "keyless" });
    let route = route(&call);
    // One valid call of each kind, the same with and without the key: to the caller's own
    // domain, to the caller, and to the scenario's group "Ops", which the scenario makes first.
    let body = match route {
        Route::MassBroadcast => Body::typed(&MassBroadcast { domain, message }),
        Route::SingleMessage => Body::typed(&SingleMessage { jid: user.jid, message }),
        Route::GroupMessage => Body::typed(&GroupMessage { jid: w.group_jid("Ops"), message }),
        Route::RegisterMiniApp | Route::AuthenticateUser => {
            panic!("{call} takes no apikey (seed 004 lists none in its headers)")
        }
    };
    let key = if how == "with its" { Key::Own } else { Key::Missing };
    w.call(Some(&actor), route, key, body).await;
}

#[then("the reply is Success")]
async fn is_success(w: &mut OneChatWorld) {
    let reply = w.last();
    w.success(&reply);
}

#[then("the reply is Error with a description")]
async fn is_error(w: &mut OneChatWorld) {
    let reply = w.last();
    w.error(&reply);
}

#[then(regex = r"^the reply is Error with a description and HTTP (\d{3})$")]
async fn error_with_status(w: &mut OneChatWorld, status: u16) {
    let reply = w.last();
    w.error(&reply);
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
async fn error_not_5xx(w: &mut OneChatWorld) {
    let reply = w.last();
    w.error(&reply);
    // "a malformed body must get an Error reply, never a 5xx" (NOTES.md O3).
    w.check_on(
        &Ground::Reading("O3".into()),
        reply.status < 500,
        "bad input is the caller's error",
        "an HTTP status below 500",
        reply.describe(),
    );
}
