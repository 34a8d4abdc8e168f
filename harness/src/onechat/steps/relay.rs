//! Steps for the alert relays (seed 004, "1-2-1 alert message relay API": "Allows
//! admin/system to send message to a particular user"; "Group alert message relay API":
//! "Allows admin/system to send message to a particular group"; NOTES.md O8, O9), the groups
//! they reach, and who received an alert. OneChat makes groups through the browser libraries
//! and the portal, out of the API's reach, so the harness makes them through the mock admin API
//! (NOTES.md O13).

use chatspec_specs::onechat::Route;
use chatspec_specs::onechat::relay::{GroupMessage, SingleMessage};
use cucumber::{given, then, when};
use reqwest::Method;
use serde_json::{Value, json};

use super::endpoint::route;
use crate::kit::prose::names;
use crate::onechat::OneChatWorld;
use crate::onechat::driver::Body;
use crate::onechat::world::{Group, Key, key_of, recipients};

impl OneChatWorld {
    /// The jid of the group labelled `label`.
    pub fn group_jid(&self, label: &str) -> String {
        match self.groups.get(label) {
            Some(g) => g.jid.clone(),
            None => panic!("the scenario made no group {label:?}"),
        }
    }
}

#[given(regex = r#"^the group "([^"]*)" of (\w+(?:(?:, | and )\w+)*)$"#)]
async fn group_of(w: &mut OneChatWorld, label: String, list: String) {
    let members: Vec<String> = names(&list).iter().map(|n| w.user(n).jid).collect();
    let name = w.unique(&label);
    let body = json!({"name": name, "members": members});
    let reply = w.admin(Method::POST, "/_mock/groups", Some(body), "provisions groups").await;
    let jid = w.admin_field(&reply, "jid", "POST /_mock/groups");
    w.groups.insert(label, Group { jid });
}

#[when(
    regex = r#"^(\w+) sends (\w+) the alert "([^"]*)"(?: (without an apikey|with the apikey "([^"]*)"))?$"#
)]
async fn sends_user(
    w: &mut OneChatWorld,
    actor: String,
    to: String,
    label: String,
    how: String,
    key: String,
) {
    let jid = w.user(&to).jid;
    let message = w.text(&label);
    let body = Body::typed(&SingleMessage { jid, message });
    w.call(Some(&actor), Route::SingleMessage, key_of(&how, &key), body).await;
}

#[when(regex = r#"^(\w+) sends (\w+) the alert "([^"]*)" without its (jid|message)$"#)]
async fn sends_user_without(w: &mut OneChatWorld, actor: String, to: String, label: String, field: String) {
    let jid = w.user(&to).jid;
    let message = w.text(&label);
    let body = Body::typed(&SingleMessage { jid, message }).without(&field);
    w.call(Some(&actor), Route::SingleMessage, Key::Own, body).await;
}

#[when(regex = r#"^(\w+) sends (\w+) the alert "([^"]*)" with the (jid|message) (.+)$"#)]
async fn sends_user_with(
    w: &mut OneChatWorld,
    actor: String,
    to: String,
    label: String,
    field: String,
    value: String,
) {
    let jid = w.user(&to).jid;
    let message = w.text(&label);
    let mut body = serde_json::to_value(SingleMessage { jid, message }).unwrap_or(Value::Null);
    body[field.as_str()] =
        serde_json::from_str(&value).unwrap_or_else(|e| panic!("the step's JSON value is not valid: {e}"));
    w.call(Some(&actor), Route::SingleMessage, Key::Own, Body::Malformed(body)).await;
}

#[when(regex = r#"^(\w+) sends the alert "([^"]*)" to the jid "([^@"]*)@([^"]*)"$"#)]
async fn sends_jid(w: &mut OneChatWorld, actor: String, label: String, local: String, domain: String) {
    // The domain is a label of the scenario, so the jid is on the scenario's own domain.
    let domain = w.domain(&domain);
    let message = w.text(&label);
    let body = Body::typed(&SingleMessage { jid: format!("{local}@{domain}"), message });
    w.call(Some(&actor), Route::SingleMessage, Key::Own, body).await;
}

#[when(
    regex = r#"^(\w+) sends the group "([^"]*)" the alert "([^"]*)"(?: (without an apikey|with the apikey "([^"]*)"))?$"#
)]
async fn sends_group(
    w: &mut OneChatWorld,
    actor: String,
    group: String,
    label: String,
    how: String,
    key: String,
) {
    let jid = w.group_jid(&group);
    let message = w.text(&label);
    let body = Body::typed(&GroupMessage { jid, message });
    w.call(Some(&actor), Route::GroupMessage, key_of(&how, &key), body).await;
}

#[when(regex = r#"^(\w+) sends the group "([^"]*)" the alert "([^"]*)" without its (jid|message)$"#)]
async fn sends_group_without(
    w: &mut OneChatWorld,
    actor: String,
    group: String,
    label: String,
    field: String,
) {
    let jid = w.group_jid(&group);
    let message = w.text(&label);
    let body = Body::typed(&GroupMessage { jid, message }).without(&field);
    w.call(Some(&actor), Route::GroupMessage, Key::Own, body).await;
}

#[when(regex = r#"^(\w+) sends the group of the jid "([^"@]*)@([^"]*)" the alert "([^"]*)"$"#)]
async fn sends_unknown_group(
    w: &mut OneChatWorld,
    actor: String,
    local: String,
    domain: String,
    label: String,
) {
    let domain = w.domain(&domain);
    let message = w.text(&label);
    let body = Body::typed(&GroupMessage { jid: format!("{local}@{domain}"), message });
    w.call(Some(&actor), Route::GroupMessage, Key::Own, body).await;
}

#[when(regex = r#"^(\w+) sends the group (\w+)'s jid the alert "([^"]*)"$"#)]
async fn sends_user_as_group(w: &mut OneChatWorld, actor: String, user: String, label: String) {
    let jid = w.user(&user).jid;
    let message = w.text(&label);
    let body = Body::typed(&GroupMessage { jid, message });
    w.call(Some(&actor), Route::GroupMessage, Key::Own, body).await;
}

#[when(regex = r#"^(\w+) calls (singleMessage|groupMessage|massBroadcast) with (\{.*\})$"#)]
async fn calls_with(w: &mut OneChatWorld, actor: String, call: String, body: String) {
    w.call(Some(&actor), route(&call), Key::Own, Body::malformed(&body)).await;
}

#[then(regex = r#"^(\w+(?:(?:, | and )\w+)*) received "([^"]*)" and nobody else did$"#)]
async fn received_only(w: &mut OneChatWorld, list: String, label: String) {
    let who = names(&list);
    let alerts = w.reached(&who, &label).await;
    let want: Vec<String> = who.iter().map(|n| w.user(n).jid.to_lowercase()).collect();
    let got = recipients(&alerts);
    if let Some(extra) = got.iter().find(|j| !want.contains(j)) {
        w.fail(
            &format!("the alert reaches {list} and nobody else"),
            format!("alerts to {want:?} only"),
            format!("an alert to {extra}; all: {got:?}"),
        );
    }
}

#[then(regex = r#"^each of (\w+(?:(?:, | and )\w+)*) received "([^"]*)" exactly once$"#)]
async fn received_once(w: &mut OneChatWorld, list: String, label: String) {
    let who = names(&list);
    let alerts = w.reached(&who, &label).await;
    let got = recipients(&alerts);
    for name in &who {
        let jid = w.user(name).jid.to_lowercase();
        let n = got.iter().filter(|j| **j == jid).count();
        if n != 1 {
            w.fail(&format!("{name} gets the alert once"), "one alert", format!("{n} alerts to {jid}"));
        }
    }
}

#[then(regex = r#"^nobody received "([^"]*)"$"#)]
async fn nobody_received(w: &mut OneChatWorld, label: String) {
    // Nothing to wait for: an alert that was not sent never arrives.
    let alerts = w.alerts(&label, |_| true).await;
    if !alerts.is_empty() {
        w.fail("a refused call delivers nothing", "no alert", Value::Array(alerts));
    }
}

#[then(regex = r#"^(\w+(?:(?:, | and )\w+)*) received no alert but "([^"]*)"$"#)]
async fn received_nothing_else(w: &mut OneChatWorld, list: String, label: String) {
    let who = names(&list);
    // The refused call is the last one; the alert shown before it to have arrived waits for
    // the outbox to hold what was sent before the refusal.
    let call = w.last().name;
    w.alerts(&label, |a| !a.is_empty()).await;
    let text = w.text(&label);
    let jids: Vec<String> = who.iter().map(|n| w.user(n).jid.to_lowercase()).collect();
    let outbox = w.outbox().await;
    // The users are the scenario's own: an alert to them by the refused call is this
    // scenario's, whatever other scenarios send at the same time.
    let others: Vec<&Value> = outbox
        .iter()
        .filter(|a| recipients([*a]).first().is_some_and(|j| jids.contains(j)))
        .filter(|a| a.get("via").and_then(Value::as_str) == Some(call.as_str()))
        .filter(|a| a.get("message").and_then(Value::as_str) != Some(text.as_str()))
        .collect();
    if !others.is_empty() {
        let shown = Value::Array(others.into_iter().cloned().collect());
        w.fail("a refused call delivers nothing", format!("alerts to {jids:?} of {text:?} only"), shown);
    }
}
