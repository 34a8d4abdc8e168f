//! Steps for editing and deleting messages, and the edit window (seed 001: "Editing own
//! messages is only allowed within certain time period", "Note that the deleted message record
//! contain less information").

use cucumber::{given, then, when};
use serde_json::{Value, json};

use super::message_of;
use super::messages::{reply_message, serial};
use crate::drivers::unichat::UnichatReply as _;
use crate::world::ChatWorld;

// ---- editing -------------------------------------------------------------------------------

async fn edit(w: &mut ChatWorld, actor: &str, label: &str, args: Value) {
    let id = w.message_id(label);
    let mut all = json!({"message_id": id});
    if let (Some(obj), Value::Object(more)) = (all.as_object_mut(), args) {
        obj.extend(more);
    }
    let reply = w.call_as(Some(actor), "edit_message", all).await;
    if reply.is_ok() {
        let m = message_of(&reply.body);
        if let Some(text) = m.get("text").and_then(Value::as_str).map(str::to_owned) {
            w.note_message(&text, &m);
        }
        w.note_message(label, &m);
    }
}

#[when(regex = r#"^(\w+) edits "([^"]*)" to "([^"]*)"$"#)]
async fn edits(w: &mut ChatWorld, actor: String, label: String, text: String) {
    edit(w, &actor, &label, json!({"text": text})).await;
}

#[when(regex = r#"^(\w+) edits "([^"]*)" to "([^"]*)" clearing the reply link$"#)]
async fn edits_clearing(w: &mut ChatWorld, actor: String, label: String, text: String) {
    edit(w, &actor, &label, json!({"text": text, "clear_in_reply_to_message_id": true})).await;
}

#[when(regex = r#"^(\w+) replaces the attachment of "([^"]*)" with "([^"]*)"$"#)]
async fn replaces_attachment(w: &mut ChatWorld, actor: String, label: String, url: String) {
    edit(w, &actor, &label, json!({"attachment": url})).await;
}

#[when(regex = r#"^(\w+) edits "([^"]*)" with neither text nor attachment$"#)]
async fn edits_nothing(w: &mut ChatWorld, actor: String, label: String) {
    edit(w, &actor, &label, json!({"clear_in_reply_to_message_id": true})).await;
}

#[then(regex = r#"^the message "([^"]*)" still has the text "([^"]*)"$"#)]
async fn still_has_text(w: &mut ChatWorld, label: String, text: String) {
    let id = w.message_id(&label);
    let room_owner = w.unichat.rooms.values().next().map(|r| r.creator.clone()).unwrap_or_default();
    let reply = w.call_as(Some(&room_owner), "get_message", json!({"message_id": id})).await;
    let body = w.ok(&reply);
    let m = message_of(&body);
    if m.get("text").and_then(Value::as_str) != Some(text.as_str()) {
        w.fail("a refused change leaves the message as it was", format!("text {text:?}"), m);
    }
}

fn edit_window(w: &ChatWorld) -> u64 {
    match w.ctx.target.edit_window_seconds {
        Some(s) => s,
        None => w.impossible(
            "the seed gives no edit window and the target profile names none (edit_window_seconds)",
        ),
    }
}

#[when("the edit window of the target passes")]
async fn window_passes(w: &mut ChatWorld) {
    let s = edit_window(w);
    w.advance_clock(s + 1).await;
}

#[when("most of the edit window of the target passes")]
async fn most_window_passes(w: &mut ChatWorld) {
    let s = edit_window(w);
    w.advance_clock(s.saturating_sub(60)).await;
}

#[when("the rest of the edit window passes")]
async fn rest_window_passes(w: &mut ChatWorld) {
    w.advance_clock(61).await;
}

// ---- deleting ------------------------------------------------------------------------------

#[when(regex = r#"^(\w+) deletes "([^"]*)"$"#)]
async fn deletes(w: &mut ChatWorld, actor: String, label: String) {
    let id = w.message_id(&label);
    let reply = w.call_as(Some(&actor), "delete_message", json!({"message_id": id})).await;
    if reply.is_ok() {
        let m = message_of(&reply.body);
        if w.unichat.seen.get(&label).and_then(|r| r.get("deleted_at")).is_none_or(Value::is_null) {
            w.note_message(&label, &m);
        }
    }
}

#[given(regex = r#"^(\w+) has deleted "([^"]*)"$"#)]
async fn has_deleted(w: &mut ChatWorld, actor: String, label: String) {
    deletes(w, actor, label).await;
    let reply = w.last().clone();
    w.ok(&reply);
}

#[then("the reply's message is the short form of a deleted message")]
async fn short_form(w: &mut ChatWorld) {
    let m = reply_message(w);
    let leaked: Vec<&str> = ["text", "attachment", "edited_at", "created_at"]
        .into_iter()
        .filter(|f| m.get(*f).is_some_and(|v| !v.is_null()))
        .collect();
    if !m.get("deleted_at").is_some_and(Value::is_string) || !leaked.is_empty() {
        w.fail(
            "\"the deleted message record ... has no text, attachemt, edited_at and created_at fields\"",
            "deleted_at set; no text, attachment, edited_at, created_at",
            m,
        );
    }
}

#[then(regex = r#"^the serial of "([^"]*)" did not change$"#)]
async fn serial_unchanged(w: &mut ChatWorld, label: String) {
    let before = w.unichat.seen.get(&label).and_then(serial);
    let now = serial(&reply_message(w));
    if before != now {
        w.fail(
            "deleting a deleted message \"is not changed\"",
            format!("serial {before:?}"),
            format!("serial {now:?}"),
        );
    }
}
