//! Steps for deleting messages (seed 001, "Delete own message": "Could be done by the author
//! at any time ... If the message is already deleted, it is not changed, error is not
//! reported."; "Note that the deleted message record contain less information").

use chatspec_specs::unichat::messages::{DeleteMessage, DeleteMessageArgs};
use cucumber::{given, then, when};
use serde_json::Value;

use crate::unichat::UnichatWorld;
use crate::unichat::driver::UnichatReply as _;
use crate::unichat::world::{message_of, serial_of};

#[when(regex = r#"^(\w+) deletes "([^"]*)"$"#)]
async fn deletes(w: &mut UnichatWorld, actor: String, label: String) {
    let message_id = w.message_id(&label);
    let reply = w.call::<DeleteMessage>(&actor, DeleteMessageArgs { message_id }).await;
    if reply.is_ok() {
        let m = message_of(&reply.body);
        // The record of the first deletion is kept: a second one must not change it.
        if w.seen.get(&label).and_then(|r| r.get("deleted_at")).is_none_or(Value::is_null) {
            w.note_message(&label, &m);
        }
    }
}

#[given(regex = r#"^(\w+) has deleted "([^"]*)"$"#)]
async fn has_deleted(w: &mut UnichatWorld, actor: String, label: String) {
    deletes(w, actor, label).await;
    w.last_ok();
}

#[then("the reply's message is the short form of a deleted message")]
async fn short_form(w: &mut UnichatWorld) {
    let m = w.reply_message();
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
async fn serial_unchanged(w: &mut UnichatWorld, label: String) {
    let before = w.seen.get(&label).and_then(serial_of);
    let now = serial_of(&w.reply_message());
    if before != now {
        w.fail(
            "deleting a deleted message \"is not changed\"",
            format!("serial {before:?}"),
            format!("serial {now:?}"),
        );
    }
}
