//! Steps for the idempotent `uid` of `post_message` (seed 001, "Why uid?": "It is safe to
//! call it repeatedly with the same message and same uid, no duplication will happen and the
//! proper message object will be returned."; "Maximum allowed size is 64 characters.").

use chatspec_specs::unichat::messages::{PostMessage, PostMessageArgs};
use cucumber::{then, when};
use serde_json::Value;

use crate::unichat::UnichatWorld;
use crate::unichat::driver::{self, UnichatReply as _, is_message_event};
use crate::unichat::world::message_of;

impl UnichatWorld {
    /// The uid a scenario writes, with the run id so reruns against a dirty server never
    /// collide.
    fn uid_for(&self, uid: &str) -> String {
        format!("{uid}-{}", self.ctx.run_id)
    }
}

/// The arguments of a post of `text` with `uid`.
fn with_uid(text: &str, uid: String) -> PostMessageArgs {
    PostMessageArgs { text: text.to_owned(), uid: Some(uid), ..PostMessageArgs::default() }
}

#[when(regex = r#"^(\w+) posts "([^"]*)" to "([^"]*)" with uid "([^"]*)"( again)?$"#)]
async fn posts_with_uid(
    w: &mut UnichatWorld,
    actor: String,
    text: String,
    room: String,
    uid: String,
    _again: String,
) {
    let uid = w.uid_for(&uid);
    let reply = w.post(&actor, &room, with_uid(&text, uid)).await;
    w.batch.push(reply);
}

#[when(regex = r#"^(\w+) posts "([^"]*)" to "([^"]*)" with uid "([^"]*)" (\d+) times at once$"#)]
async fn posts_concurrently(
    w: &mut UnichatWorld,
    actor: String,
    text: String,
    room: String,
    uid: String,
    times: usize,
) {
    let sid = w.sub_of(&actor, &room).await;
    let args = PostMessageArgs { subscription_id: Some(sid), ..with_uid(&text, w.uid_for(&uid)) };
    let token = w.actor(&actor).token.clone();
    let calls =
        (0..times).map(|_| driver::call::<PostMessage>(&w.ctx, &w.wire, Some(&actor), Some(&token), &args));
    let replies: Vec<_> = futures::future::join_all(calls).await;
    let replies = replies.into_iter().map(|r| r.unwrap_or_else(|e| w.suite_bug(e))).collect::<Vec<_>>();
    if let Some(first) = replies.iter().find(|r| r.is_ok()) {
        w.note_message(&text, &message_of(&first.body));
    }
    w.last = replies.last().cloned();
    w.batch.extend(replies);
}

#[when(regex = r#"^(\w+) posts "([^"]*)" to "([^"]*)" with a uid of (\d+) characters$"#)]
async fn posts_long_uid(w: &mut UnichatWorld, actor: String, text: String, room: String, len: usize) {
    let base = w.uid_for("u");
    let uid: String = base.chars().chain(std::iter::repeat('x')).take(len).collect();
    w.post(&actor, &room, with_uid(&text, uid)).await;
}

/// A random GUID (36 characters: hex digits in groups of 8-4-4-4-12, version 4).
fn guid() -> String {
    let n: u128 = rand::random();
    let h = format!("{:032x}", (n & !(0xf << 76) & !(0x3 << 62)) | (0x4 << 76) | (0x2 << 62));
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

#[when(regex = r#"^(\w+) posts "([^"]*)" to "([^"]*)" with (a GUID|the same GUID) as uid$"#)]
async fn posts_with_guid(w: &mut UnichatWorld, actor: String, text: String, room: String, which: String) {
    let uid = match (&w.guid, which.as_str()) {
        (Some(g), "the same GUID") => g.clone(),
        _ => guid(),
    };
    w.guid = Some(uid.clone());
    let reply = w.post(&actor, &room, with_uid(&text, uid)).await;
    w.batch.push(reply);
}

#[then("every reply is the same message")]
async fn same_message(w: &mut UnichatWorld) {
    let records: Vec<Value> = w.batch.iter().map(|r| message_of(&w.ok(r))).collect();
    let key = |m: &Value| {
        ["id", "serial", "text", "created_at", "group_id", "user_id"]
            .map(|f| m.get(f).cloned().unwrap_or(Value::Null))
    };
    if let Some(first) = records.first()
        && let Some(other) = records.iter().find(|m| key(m) != key(first))
    {
        w.fail("retrying with the same uid returns \"the proper message object\"", first, other);
    }
}

#[then(regex = r#"^"([^"]*)" has exactly (\d+) messages? with the text "([^"]*)"$"#)]
async fn n_messages_with_text(w: &mut UnichatWorld, room: String, n: usize, text: String) {
    let reader = w.room(&room).creator;
    let all = w.latest_messages(&reader, &room).await;
    let found: Vec<Value> =
        all.into_iter().filter(|m| m.get("text").and_then(Value::as_str) == Some(text.as_str())).collect();
    if found.len() != n {
        w.fail(
            "posting with one uid never duplicates the message",
            format!("{n} message(s) with text {text:?}"),
            Value::Array(found),
        );
    }
}

#[then(regex = r#"^(\w+) receives exactly (\d+) new message notifications? for "([^"]*)"$"#)]
async fn exactly_n_notifications(w: &mut UnichatWorld, actor: String, n: usize, label: String) {
    let id = w.messages.get(&label).copied();
    for _ in 0..n {
        w.expect_event(&actor, &format!("a new message notification for {label:?}"), |e| {
            is_message_event(e, "new", id, &label)
        })
        .await;
    }
    w.expect_no_event(&actor, &format!("another new message {label:?} (a duplicate)"), |e| {
        is_message_event(e, "new", None, &label)
    })
    .await;
}

#[then(regex = r#"^(\w+)'s new message notification for "([^"]*)" carries the uid "([^"]*)"$"#)]
async fn notification_uid(w: &mut UnichatWorld, actor: String, label: String, uid: String) {
    let id = w.messages.get(&label).copied();
    let e = w
        .expect_event(&actor, &format!("a new message notification for {label:?}"), |e| {
            is_message_event(e, "new", id, &label)
        })
        .await;
    let want = w.uid_for(&uid);
    let got = e.data.pointer("/object/uid").cloned().unwrap_or(Value::Null);
    if got.as_str() != Some(want.as_str()) {
        w.fail(
            "the poster's copy of the notification carries object.uid",
            format!("object.uid {want:?}"),
            got,
        );
    }
}
