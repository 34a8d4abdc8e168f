//! Steps for changing sent messages (seed 003): `message_edit` and `message_delete`, and the
//! events they send (NOTES.md S48 to S50).

use std::panic::AssertUnwindSafe;

use chatspec_specs::sama::edits::{
    DeleteScope, MessageDelete, MessageDeleteParams, MessageEdit, MessageEditParams,
};
use chatspec_specs::sama::messages::{MessageList, MessageListParams};
use cucumber::{given, then, when};
use futures::FutureExt;
use serde_json::Value;

use crate::events::Received;
use crate::kit::prose::names;
use crate::sama::SamaWorld;
use crate::sama::world::{field, items};

/// The conversation label a message was sent to.
pub fn conv_of(w: &SamaWorld, label: &str) -> String {
    match w.msg_conv.get(label) {
        Some(c) => c.clone(),
        None => panic!("the scenario sent no message {label:?}"),
    }
}

#[when(regex = r#"^(\w+) changes the message "([^"]*)" to "([^"]*)"$"#)]
async fn edits(w: &mut SamaWorld, who: String, label: String, body: String) {
    let id = w.mid(&label);
    w.request::<MessageEdit>(&who, MessageEditParams { id, body }).await;
}

#[given(regex = r#"^(\w+) has changed the message "([^"]*)" to "([^"]*)"$"#)]
async fn has_edited(w: &mut SamaWorld, who: String, label: String, body: String) {
    edits(w, who, label, body).await;
    let reply = w.last();
    w.ok(&reply);
}

#[when(regex = r#"^(\w+) changes the message with the unknown id "([^"]*)" to "([^"]*)"$"#)]
async fn edits_unknown(w: &mut SamaWorld, who: String, id: String, body: String) {
    w.request::<MessageEdit>(&who, MessageEditParams { id, body }).await;
}

/// Is `e` the `message_edit` of message `id`?
pub fn is_edit(e: &Received, id: &str) -> bool {
    e.name == "message_edit" && field(e, "id") == Some(id)
}

/// Checks an edit event's body and author.
pub fn check_edit(w: &SamaWorld, data: &Value, body: &str, from: &str, rule: &str) {
    if data.get("body").and_then(Value::as_str) != Some(body)
        || data.get("from").and_then(Value::as_str) != Some(from)
    {
        w.fail(rule, format!("message_edit {{id, body: {body:?}, from: {from:?}}}"), data);
    }
}

#[given(regex = r#"^(.+?) (?:each have|has) received the edit of "([^"]*)" to "([^"]*)" from (\w+)$"#)]
#[then(regex = r#"^(.+?) (?:each receive|receives) the edit of "([^"]*)" to "([^"]*)" from (\w+)$"#)]
async fn receives_edit(w: &mut SamaWorld, list: String, label: String, body: String, from: String) {
    let (id, from_id) = (w.mid(&label), w.uid(&from));
    for who in names(&list) {
        let e = w
            .expect_frame(&who, &format!("message_edit {{id: {id:?}, body: {body:?}}}"), |e| is_edit(e, &id))
            .await;
        check_edit(
            w,
            &e.data,
            &body,
            &from_id,
            "\"other users in this conversation who is online will receive the following message: message_edit: { id, body, from }\"",
        );
    }
}

#[then(regex = r#"^(\w+) receives no edit of "([^"]*)"(?: \(reading (S\d+)\))?$"#)]
async fn no_edit(w: &mut SamaWorld, who: String, label: String, entry: String) {
    let id = w.mid(&label);
    let what = format!("an edit of {label:?}");
    let done = AssertUnwindSafe(w.expect_no_frame(&who, &what, |e| is_edit(e, &id))).catch_unwind().await;
    w.grade(&entry, done);
}

async fn listed(w: &mut SamaWorld, who: &str, to: &str) -> Vec<Value> {
    let cid = w.conv(to).cid;
    let reply =
        w.request::<MessageList>(who, MessageListParams { cid, ..MessageListParams::default() }).await;
    let body = w.ok(&reply);
    items(&body, "messages")
}

#[then(regex = r#"^"([^"]*)" lists the message "([^"]*)" with the body "([^"]*)"$"#)]
async fn listed_with_body(w: &mut SamaWorld, to: String, label: String, body: String) {
    let id = w.mid(&label);
    let creator = w.conv(&to).creator;
    let all = listed(w, &creator, &to).await;
    let m = all
        .into_iter()
        .find(|m| m.get("_id").and_then(Value::as_str) == Some(id.as_str()))
        .unwrap_or(Value::Null);
    if m.get("body").and_then(Value::as_str) != Some(body.as_str()) {
        w.fail(
            "message_list shows a message as its sender last left it (S50)",
            format!("{label:?} with the body {body:?}"),
            m,
        );
    }
}

// ---- deleting ------------------------------------------------------------------------------

#[when(regex = r#"^(\w+) deletes the message "([^"]*)" for (all|herself|himself)$"#)]
async fn deletes(w: &mut SamaWorld, who: String, label: String, scope: String) {
    let (id, cid) = (w.mid(&label), w.conv(&conv_of(w, &label)).cid);
    let scope = if scope == "all" { DeleteScope::All } else { DeleteScope::Myself };
    w.request::<MessageDelete>(&who, MessageDeleteParams { cid, ids: vec![id], scope }).await;
}

#[when(regex = r#"^(\w+) deletes the messages "([^"]*)" and "([^"]*)" for all$"#)]
async fn deletes_two(w: &mut SamaWorld, who: String, a: String, b: String) {
    let cid = w.conv(&conv_of(w, &a)).cid;
    let ids = vec![w.mid(&a), w.mid(&b)];
    w.request::<MessageDelete>(&who, MessageDeleteParams { cid, ids, scope: DeleteScope::All }).await;
}

#[then(regex = r#"^(\w+) receives the deletion of "([^"]*)" and "([^"]*)" for all from (\w+)$"#)]
async fn receives_two_deletions(w: &mut SamaWorld, who: String, a: String, b: String, from: String) {
    let from_id = w.uid(&from);
    let cid = w.conv(&conv_of(w, &a)).cid;
    let mut missing = vec![w.mid(&a), w.mid(&b)];
    // One event naming both, as the seed's example; or one per id.
    while let Some(id) = missing.first().cloned() {
        let what = format!("message_delete {{ids: {missing:?}, type: all}}");
        let e = w.expect_frame(&who, &what, |e| is_deletion(e, &id)).await;
        check_deletion(
            w,
            &e.data,
            &cid,
            &from_id,
            "\"If use \"all\", then other users in this conversation who is online will receive\" message_delete",
        );
        missing.retain(|m| !is_deletion(&e, m));
    }
}

#[when(
    regex = r#"^(\w+) deletes the message with the unknown id "([^"]*)" in "([^"]*)" for (?:herself|himself)$"#
)]
async fn deletes_unknown(w: &mut SamaWorld, who: String, id: String, to: String) {
    let cid = w.conv(&to).cid;
    let params = MessageDeleteParams { cid, ids: vec![id], scope: DeleteScope::Myself };
    w.request::<MessageDelete>(&who, params).await;
}

/// Is `e` a `message_delete` that names message `id`?
pub fn is_deletion(e: &Received, id: &str) -> bool {
    e.name == "message_delete"
        && e.data
            .get("ids")
            .and_then(Value::as_array)
            .is_some_and(|ids| ids.iter().any(|i| i.as_str() == Some(id)))
}

/// Checks a deletion event's fields.
pub fn check_deletion(w: &SamaWorld, data: &Value, cid: &str, from: &str, rule: &str) {
    if data.get("type").and_then(Value::as_str) != Some("all")
        || data.get("cid").and_then(Value::as_str) != Some(cid)
        || data.get("from").and_then(Value::as_str) != Some(from)
    {
        w.fail(rule, format!("message_delete {{cid: {cid:?}, ids, type: \"all\", from: {from:?}}}"), data);
    }
}

#[then(regex = r#"^(.+?) (?:each receive|receives) the deletion of "([^"]*)" for all from (\w+)$"#)]
async fn receives_deletion(w: &mut SamaWorld, list: String, label: String, from: String) {
    let (id, from_id) = (w.mid(&label), w.uid(&from));
    let cid = w.conv(&conv_of(w, &label)).cid;
    for who in names(&list) {
        let e = w
            .expect_frame(&who, &format!("message_delete {{ids: [{id:?}], type: all}}"), |e| {
                is_deletion(e, &id)
            })
            .await;
        check_deletion(
            w,
            &e.data,
            &cid,
            &from_id,
            "\"If use \"all\", then other users in this conversation who is online will receive\" message_delete",
        );
    }
}

#[then(regex = r#"^(\w+) receives no deletion of "([^"]*)"(?: \(reading (S\d+)\))?$"#)]
async fn no_deletion(w: &mut SamaWorld, who: String, label: String, entry: String) {
    let id = w.mid(&label);
    let what = format!("a deletion of {label:?}");
    let done = AssertUnwindSafe(w.expect_no_frame(&who, &what, |e| is_deletion(e, &id))).catch_unwind().await;
    w.grade(&entry, done);
}

#[then(
    regex = r#"^"([^"]*)" (no longer|still) lists the message "([^"]*)" for (\w+)(?: \(reading (S\d+)\))?$"#
)]
async fn lists_for(w: &mut SamaWorld, to: String, how: String, label: String, who: String, entry: String) {
    let done = AssertUnwindSafe(listed_for(w, &to, &how, &label, &who)).catch_unwind().await;
    w.grade(&entry, done);
}

async fn listed_for(w: &mut SamaWorld, to: &str, how: &str, label: &str, who: &str) {
    let id = w.mid(label);
    let all = listed(w, who, to).await;
    let present = all.iter().any(|m| m.get("_id").and_then(Value::as_str) == Some(id.as_str()));
    if present != (how == "still") {
        let rule = if how == "still" {
            "a deletion \"for current user\" leaves the message for the others; a refused deletion changes nothing"
        } else {
            "a deleted message is no longer listed for whom it was deleted (S45, S48)"
        };
        w.fail(
            rule,
            format!("{label:?} {}listed for {who}", if how == "still" { "" } else { "not " }),
            format!("{} messages listed", all.len()),
        );
    }
}
