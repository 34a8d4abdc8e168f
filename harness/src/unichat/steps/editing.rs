//! Steps for editing messages and the edit window (seed 001, "Edit own message": "Editing
//! own messages is only allowed within certain time period after its creation. Message
//! editing does not prolong this period.").

use chatspec_specs::unichat::messages::{
    EditMessage, EditMessageArgs, GetMessage, GetMessageArgs, TaskIdsArg,
};
use cucumber::{then, when};
use serde_json::Value;

use super::messages::{PNG_1X1, edited_at};
use crate::unichat::UnichatWorld;
use crate::unichat::driver::{Malformed, Reply, UnichatReply as _};
use crate::unichat::world::message_of;
use crate::verdict::Ground;

impl UnichatWorld {
    /// Edits the message `label` as `actor` with `args` (its id filled in); the new record is
    /// remembered under the label and under its new text.
    async fn edit(&mut self, actor: &str, label: &str, args: EditMessageArgs) {
        let message_id = self.message_id(label);
        let reply = self.call::<EditMessage>(actor, EditMessageArgs { message_id, ..args }).await;
        if reply.is_ok() {
            let m = message_of(&reply.body);
            if let Some(text) = m.get("text").and_then(Value::as_str).map(str::to_owned) {
                self.note_message(&text, &m);
            }
            self.note_message(label, &m);
        }
    }

    /// Edits the message `label` as `actor` with `args` plus `extra` fields the typed request
    /// cannot say (an explicit null, a field the declaration lacks); remembers the record
    /// like [`UnichatWorld::edit`].
    async fn edit_with(&mut self, actor: &str, label: &str, args: EditMessageArgs, extra: &[(&str, Value)]) {
        let message_id = self.message_id(label);
        let mut body = serde_json::to_value(EditMessageArgs { message_id, ..args }).unwrap_or(Value::Null);
        if let Some(fields) = body.as_object_mut() {
            for (k, v) in extra {
                fields.insert((*k).to_owned(), v.clone());
            }
        }
        let token = Some(self.actor(actor).token.clone());
        let reply: Reply =
            self.call_malformed(Some(actor), "edit_message", Malformed::Args { args: body, token }).await;
        if reply.is_ok() {
            let m = message_of(&reply.body);
            if let Some(text) = m.get("text").and_then(Value::as_str).map(str::to_owned) {
                self.note_message(&text, &m);
            }
            self.note_message(label, &m);
        }
    }

    /// The target's edit window: the seed gives none, so the profile must.
    fn edit_window(&self) -> u64 {
        match self.ctx.target.edit_window_seconds {
            Some(s) => s,
            None => self.impossible(
                "the seed gives no edit window and the target profile names none (edit_window_seconds)",
            ),
        }
    }
}

#[when(regex = r#"^(\w+) edits "([^"]*)" to "([^"]*)"$"#)]
async fn edits(w: &mut UnichatWorld, actor: String, label: String, text: String) {
    w.edit(&actor, &label, EditMessageArgs { text: Some(text), ..EditMessageArgs::default() }).await;
}

#[when(regex = r#"^(\w+) edits "([^"]*)" to "([^"]*)" clearing the reply link$"#)]
async fn edits_clearing(w: &mut UnichatWorld, actor: String, label: String, text: String) {
    let args = EditMessageArgs {
        text: Some(text),
        clear_in_reply_to_message_id: Some(true),
        ..EditMessageArgs::default()
    };
    w.edit(&actor, &label, args).await;
}

#[when(regex = r#"^(\w+) replaces the attachment of "([^"]*)" with "([^"]*)"$"#)]
async fn replaces_attachment(w: &mut UnichatWorld, actor: String, label: String, url: String) {
    w.edit(&actor, &label, EditMessageArgs { attachment: Some(url), ..EditMessageArgs::default() }).await;
}

#[when(regex = r#"^(\w+) edits "([^"]*)" with neither text nor attachment$"#)]
async fn edits_nothing(w: &mut UnichatWorld, actor: String, label: String) {
    let args = EditMessageArgs { clear_in_reply_to_message_id: Some(true), ..EditMessageArgs::default() };
    w.edit(&actor, &label, args).await;
}

#[then(regex = r#"^the message "([^"]*)" still has the text "([^"]*)"$"#)]
async fn still_has_text(w: &mut UnichatWorld, label: String, text: String) {
    let message_id = w.message_id(&label);
    let room_owner = w.rooms.values().next().map(|r| r.creator.clone()).unwrap_or_default();
    w.call::<GetMessage>(&room_owner, GetMessageArgs { message_id }).await;
    let m = w.reply_message();
    if m.get("text").and_then(Value::as_str) != Some(text.as_str()) {
        w.fail("a refused change leaves the message as it was", format!("text {text:?}"), m);
    }
}

#[when("the edit window of the target passes")]
async fn window_passes(w: &mut UnichatWorld) {
    let s = w.edit_window();
    w.advance_clock(s + 1).await;
}

#[when("most of the edit window of the target passes")]
async fn most_window_passes(w: &mut UnichatWorld) {
    let s = w.edit_window();
    w.advance_clock(s.saturating_sub(60)).await;
}

#[when("the rest of the edit window passes")]
async fn rest_window_passes(w: &mut UnichatWorld) {
    w.advance_clock(61).await;
}

#[then("the reply's message has an edit time")]
async fn reply_edited(w: &mut UnichatWorld) {
    let m = w.reply_message();
    if !edited_at(&m).is_string() {
        w.fail(
            "\"Edited messages has non-null last_edited_at field\" (the record calls it edited_at)",
            "edited_at: <time>",
            m,
        );
    }
}

#[then("the reply's message replies to nothing")]
async fn reply_links_nothing(w: &mut UnichatWorld) {
    let m = w.reply_message();
    if m.get("in_reply_to_message_id").is_some_and(|v| !v.is_null()) {
        w.fail(
            "clear_in_reply_to_message_id drops in_reply_to_message_id",
            "no in_reply_to_message_id (or null)",
            m,
        );
    }
}

#[then("the reply's message has no attachments")]
async fn reply_no_attachments(w: &mut UnichatWorld) {
    let m = w.reply_message();
    let n = m.get("attachments").and_then(Value::as_array).map_or(0, Vec::len);
    if n != 0 || m.get("attachment").is_some_and(|a| !a.is_null()) {
        w.fail("an empty attachment deletes the attachment", "attachments: [] and attachment: null", m);
    }
}

#[when(regex = r#"^(\w+) detaches the tasks of "([^"]*)" with an empty string$"#)]
async fn detaches_tasks(w: &mut UnichatWorld, actor: String, label: String) {
    // An edit needs text or attachment: the text stays as it was, only the tasks change.
    let args = EditMessageArgs {
        text: Some(label.clone()),
        task_ids: Some(TaskIdsArg::Text(String::new())),
        ..EditMessageArgs::default()
    };
    w.edit(&actor, &label, args).await;
}

#[then("the reply's message carries no tasks")]
async fn no_tasks(w: &mut UnichatWorld) {
    let m = w.reply_message();
    let tasks = m.get("tasks").and_then(Value::as_array).map_or(0, Vec::len);
    // `task_record` is never defined: `{id}` records are the reading U37.
    w.check_on(
        &Ground::Reading("U37".into()),
        tasks == 0,
        "\"Empty string for detach a task from a message\"",
        "no tasks (absent or empty)",
        &m,
    );
}

#[when(regex = r#"^(\w+) edits "([^"]*)" sending text null and the attachment "([^"]*)"$"#)]
async fn edits_text_null(w: &mut UnichatWorld, actor: String, label: String, url: String) {
    let args = EditMessageArgs { attachment: Some(url), ..EditMessageArgs::default() };
    w.edit_with(&actor, &label, args, &[("text", Value::Null)]).await;
}

#[when(regex = r#"^(\w+) edits "([^"]*)" to "([^"]*)" sending attachment null$"#)]
async fn edits_attachment_null(w: &mut UnichatWorld, actor: String, label: String, text: String) {
    let args = EditMessageArgs { text: Some(text), ..EditMessageArgs::default() };
    w.edit_with(&actor, &label, args, &[("attachment", Value::Null)]).await;
}

#[when(regex = r#"^(\w+) replaces the attachment of "([^"]*)" with an image$"#)]
async fn replaces_with_image(w: &mut UnichatWorld, actor: String, label: String) {
    use base64::Engine as _;
    let url = format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(PNG_1X1));
    w.edit(&actor, &label, EditMessageArgs { attachment: Some(url), ..EditMessageArgs::default() }).await;
}

#[when(regex = r#"^(\w+) edits "([^"]*)" to "([^"]*)" setting the reply link to "([^"]*)"$"#)]
async fn edits_setting_reply(
    w: &mut UnichatWorld,
    actor: String,
    label: String,
    text: String,
    original: String,
) {
    let original = w.message_id(&original);
    let args = EditMessageArgs { text: Some(text), ..EditMessageArgs::default() };
    w.edit_with(&actor, &label, args, &[("in_reply_to_message_id", Value::from(original))]).await;
}

#[then(regex = r#"^the message "([^"]*)" still replies to nothing$"#)]
async fn still_replies_to_nothing(w: &mut UnichatWorld, label: String) {
    let check = "\"currently it can not be set to anything but dropped while editing the message\"";
    // Refusing the edit or ignoring the field both keep the link unset (NOTES.md U42).
    let reply = w.last().clone();
    if reply.is_ok() {
        let m = message_of(&reply.body);
        if m.get("in_reply_to_message_id").is_some_and(|v| !v.is_null()) {
            w.fail(check, "the edit refused, or a record that replies to nothing", m);
        }
    } else {
        w.expect_refused(&reply, check, "the edit refused with the error envelope, or done without the link");
    }
    let message_id = w.message_id(&label);
    let reader = w.rooms.values().next().map(|r| r.creator.clone()).unwrap_or_default();
    let m = message_of(&w.ok(&w.look_up::<GetMessage>(&reader, GetMessageArgs { message_id }).await));
    if m.get("in_reply_to_message_id").is_some_and(|v| !v.is_null()) {
        w.fail(check, "the message as stored replies to nothing", m);
    }
}

#[when(regex = r#"^(\w+) attaches the tasks (\d+) and (\d+) to "([^"]*)" while editing$"#)]
async fn edits_tasks(w: &mut UnichatWorld, actor: String, a: u64, b: u64, label: String) {
    // An edit needs text or attachment: the text stays as it was, only the tasks change.
    let args = EditMessageArgs {
        text: Some(label.clone()),
        task_ids: Some(TaskIdsArg::Ids(vec![a, b])),
        ..EditMessageArgs::default()
    };
    w.edit(&actor, &label, args).await;
}
