//! Steps for the alert relays (seed 004, "1-2-1 alert message relay API": "Allows
//! admin/system to send message to a particular user"; "Group alert message relay API":
//! "Allows admin/system to send message to a particular group"; NOTES.md O8, O9).

use cucumber::when;
use serde_json::json;

use super::{Key, key_of};
use crate::drivers::onechat::Body;
use crate::world::ChatWorld;

#[when(
    regex = r#"^(\w+) sends (\w+) the alert "([^"]*)"(?: (without an apikey|with the apikey "([^"]*)"))?$"#
)]
async fn sends_user(w: &mut ChatWorld, actor: String, to: String, label: String, how: String, key: String) {
    let jid = w.oc_user(&to).jid;
    let text = w.oc_text(&label);
    let body = Body::Json(json!({"jid": jid, "message": text}));
    w.oc_call(Some(&actor), "singleMessage", key_of(&how, &key), body).await;
}

#[when(regex = r#"^(\w+) sends the alert "([^"]*)" to the jid "([^@"]*)@([^"]*)"$"#)]
async fn sends_jid(w: &mut ChatWorld, actor: String, label: String, local: String, domain: String) {
    // The domain is a label of the scenario, so the jid is on the scenario's own domain.
    let domain = w.oc_domain(&domain);
    let text = w.oc_text(&label);
    let body = Body::Json(json!({"jid": format!("{local}@{domain}"), "message": text}));
    w.oc_call(Some(&actor), "singleMessage", Key::Own, body).await;
}

#[when(
    regex = r#"^(\w+) sends the group "([^"]*)" the alert "([^"]*)"(?: (without an apikey|with the apikey "([^"]*)"))?$"#
)]
async fn sends_group(
    w: &mut ChatWorld,
    actor: String,
    group: String,
    label: String,
    how: String,
    key: String,
) {
    let jid = match w.onechat.groups.get(&group) {
        Some(g) => g.jid.clone(),
        None => panic!("the scenario made no group {group:?}"),
    };
    let text = w.oc_text(&label);
    let body = Body::Json(json!({"jid": jid, "message": text}));
    w.oc_call(Some(&actor), "groupMessage", key_of(&how, &key), body).await;
}

#[when(regex = r#"^(\w+) sends the group of the jid "([^"@]*)@([^"]*)" the alert "([^"]*)"$"#)]
async fn sends_unknown_group(w: &mut ChatWorld, actor: String, local: String, domain: String, label: String) {
    let domain = w.oc_domain(&domain);
    let text = w.oc_text(&label);
    let body = Body::Json(json!({"jid": format!("{local}@{domain}"), "message": text}));
    w.oc_call(Some(&actor), "groupMessage", Key::Own, body).await;
}

#[when(regex = r#"^(\w+) sends the group (\w+)'s jid the alert "([^"]*)"$"#)]
async fn sends_user_as_group(w: &mut ChatWorld, actor: String, user: String, label: String) {
    let jid = w.oc_user(&user).jid;
    let text = w.oc_text(&label);
    let body = Body::Json(json!({"jid": jid, "message": text}));
    w.oc_call(Some(&actor), "groupMessage", Key::Own, body).await;
}

#[when(regex = r#"^(\w+) calls (singleMessage|groupMessage|massBroadcast) with (\{.*\})$"#)]
async fn calls_with(w: &mut ChatWorld, actor: String, call: String, body: String) {
    let body = serde_json::from_str(&body).unwrap_or_else(|e| panic!("the step's JSON is not valid: {e}"));
    w.oc_call(Some(&actor), &call, Key::Own, Body::Json(body)).await;
}
