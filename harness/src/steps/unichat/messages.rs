//! Steps for posting, uid, serials, loading and authorisation (seed 001); editing and deleting
//! are in `editing.rs`.

use base64::Engine;
use cucumber::{given, then, when};
use serde_json::{Value, json};

use super::{is_notification, message_of, object_u64};
use crate::drivers::unichat::UnichatReply as _;
use crate::steps::{names, quoted};
use crate::verdict::Ground;
use crate::world::ChatWorld;

/// A tiny valid PNG (1x1), for image attachments.
const PNG_1X1: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00,
    0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05,
    0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42,
    0x60, 0x82,
];

/// Posts `text` to `room` as `actor` with extra args; remembers the message under `text`.
pub async fn post(
    w: &mut ChatWorld,
    actor: &str,
    text: &str,
    room: &str,
    extra: Value,
) -> crate::drivers::unichat::Reply {
    let sid = w.sub_of(actor, room).await;
    let mut args = json!({"subscription_id": sid, "text": text});
    if let (Some(obj), Value::Object(more)) = (args.as_object_mut(), extra) {
        obj.extend(more);
    }
    let reply = w.call_as(Some(actor), "post_message", args).await;
    if reply.is_ok() {
        w.note_message(text, &message_of(&reply.body));
    }
    reply
}

fn uid_for(w: &ChatWorld, uid: &str) -> String {
    // uids carry the run id so reruns against a dirty server never collide.
    format!("{uid}-{}", w.ctx.run_id)
}

#[when(regex = r#"^(\w+) posts ("[^"]*"(?:, "[^"]*")*(?: and "[^"]*")?) to "([^"]*)"$"#)]
async fn posts(w: &mut ChatWorld, actor: String, texts: String, room: String) {
    for text in quoted(&texts) {
        post(w, &actor, &text, &room, json!({})).await;
    }
}

#[given(regex = r#"^(\w+) has posted ("[^"]*"(?:, "[^"]*")*(?: and "[^"]*")?) to "([^"]*)"$"#)]
async fn has_posted(w: &mut ChatWorld, actor: String, texts: String, room: String) {
    for text in quoted(&texts) {
        let reply = post(w, &actor, &text, &room, json!({})).await;
        w.ok(&reply);
    }
}

#[when(regex = r#"^(\w+) posts "([^"]*)" to "([^"]*)" with uid "([^"]*)"( again)?$"#)]
async fn posts_with_uid(
    w: &mut ChatWorld,
    actor: String,
    text: String,
    room: String,
    uid: String,
    _again: String,
) {
    let uid = uid_for(w, &uid);
    let reply = post(w, &actor, &text, &room, json!({"uid": uid})).await;
    w.unichat.batch.push(reply);
}

#[when(regex = r#"^(\w+) posts "([^"]*)" to "([^"]*)" with uid "([^"]*)" (\d+) times at once$"#)]
async fn posts_concurrently(
    w: &mut ChatWorld,
    actor: String,
    text: String,
    room: String,
    uid: String,
    times: usize,
) {
    let sid = w.sub_of(&actor, &room).await;
    let uid = uid_for(w, &uid);
    let token = w.actor(&actor).token.clone();
    let args = json!({"subscription_id": sid, "text": text, "uid": uid});
    let calls = (0..times).map(|_| {
        crate::drivers::unichat::call(&w.ctx, &w.wire, Some(&actor), Some(&token), "post_message", &args)
    });
    let replies = futures::future::join_all(calls).await;
    if let Some(first) = replies.iter().find(|r| r.is_ok()) {
        w.note_message(&text, &message_of(&first.body));
    }
    w.unichat.last = replies.last().cloned();
    w.unichat.batch.extend(replies);
}

#[when(regex = r#"^(\w+) posts "([^"]*)" to "([^"]*)" with a uid of (\d+) characters$"#)]
async fn posts_long_uid(w: &mut ChatWorld, actor: String, text: String, room: String, len: usize) {
    let base = uid_for(w, "u");
    let uid: String = base.chars().chain(std::iter::repeat('x')).take(len).collect();
    post(w, &actor, &text, &room, json!({"uid": uid})).await;
}

#[when(regex = r#"^(\w+) posts "([^"]*)" to "([^"]*)" by group id$"#)]
async fn posts_by_group(w: &mut ChatWorld, actor: String, text: String, room: String) {
    let gid = w.room(&room).group_id;
    let reply = w.call_as(Some(&actor), "post_message", json!({"group_id": gid, "text": text})).await;
    if reply.is_ok() {
        w.note_message(&text, &message_of(&reply.body));
    }
}

#[given(regex = r#"^(\w+) has posted "([^"]*)" to "([^"]*)" in reply to "([^"]*)"$"#)]
async fn has_posted_reply(w: &mut ChatWorld, actor: String, text: String, room: String, original: String) {
    let id = w.message_id(&original);
    let reply = post(w, &actor, &text, &room, json!({"in_reply_to_message_id": id})).await;
    w.ok(&reply);
}

#[when(regex = r#"^(\w+) posts "([^"]*)" to "([^"]*)" (in reply to|forwarding) "([^"]*)"$"#)]
async fn posts_linked(
    w: &mut ChatWorld,
    actor: String,
    text: String,
    room: String,
    how: String,
    original: String,
) {
    let id = w.message_id(&original);
    let field = if how == "forwarding" { "forwarded_message_id" } else { "in_reply_to_message_id" };
    post(w, &actor, &text, &room, json!({ field: id })).await;
}

#[when(regex = r#"^(\w+) posts "([^"]*)" to "([^"]*)" in reply to the message id (\d+)$"#)]
async fn posts_reply_to_id(w: &mut ChatWorld, actor: String, text: String, room: String, id: u64) {
    post(w, &actor, &text, &room, json!({"in_reply_to_message_id": id})).await;
}

#[when(regex = r#"^(\w+) posts "([^"]*)" to "([^"]*)" with an image attachment named "([^"]*)"$"#)]
async fn posts_image(w: &mut ChatWorld, actor: String, text: String, room: String, name: String) {
    let url = format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(PNG_1X1));
    w.unichat.expected_download = Some(PNG_1X1.to_vec());
    post(w, &actor, &text, &room, json!({"attachment": url, "attachment_filename": name})).await;
}

#[when(regex = r#"^(\w+) posts "([^"]*)" to "([^"]*)" with the attachment "([^"]*)"$"#)]
async fn posts_attachment(w: &mut ChatWorld, actor: String, text: String, room: String, url: String) {
    post(w, &actor, &text, &room, json!({"attachment": url})).await;
}

#[given(regex = r#"^(\w+) has posted "([^"]*)" to "([^"]*)" with the attachment "([^"]*)"$"#)]
async fn has_posted_attachment(w: &mut ChatWorld, actor: String, text: String, room: String, url: String) {
    let reply = post(w, &actor, &text, &room, json!({"attachment": url})).await;
    w.ok(&reply);
}

#[when(regex = r#"^(\w+) posts "([^"]*)" to "([^"]*)" with the task ids (\d+) and (\d+)$"#)]
async fn posts_tasks(w: &mut ChatWorld, actor: String, text: String, room: String, a: u64, b: u64) {
    post(w, &actor, &text, &room, json!({"task_ids": [a, b]})).await;
}

#[when(regex = r#"^(\w+) posts "([^"]*)" to "([^"]*)" mentioning (\w+) as "([^"]*)"$"#)]
async fn posts_mention(
    w: &mut ChatWorld,
    actor: String,
    text: String,
    room: String,
    who: String,
    as_text: String,
) {
    let uid = w.actor(&who).id;
    post(w, &actor, &text, &room, json!({"mentions": [{"user_id": uid, "text": as_text}]})).await;
}

#[given(regex = r#"^(\w+) has posted "([^"]*)" to "([^"]*)" mentioning (\w+) as "([^"]*)"$"#)]
async fn has_posted_mention(
    w: &mut ChatWorld,
    actor: String,
    text: String,
    room: String,
    who: String,
    as_text: String,
) {
    posts_mention(w, actor, text, room, who, as_text).await;
    let reply = w.last().clone();
    w.ok(&reply);
}

// ---- notifications ---------------------------------------------------------------------

fn is_message_event(e: &crate::events::Received, event: &str, id: Option<u64>, text: &str) -> bool {
    is_notification(e, event, "message")
        && match id {
            Some(id) => object_u64(e, "id") == Some(id),
            None => e.data.pointer("/object/text").and_then(Value::as_str) == Some(text),
        }
}

#[then(
    regex = r#"^(.+?) (?:each receive|receives) an? (new|changed|deleted) message notification for "([^"]*)"$"#
)]
async fn message_notification(w: &mut ChatWorld, list: String, event: String, label: String) {
    let id = w.unichat.messages.get(&label).copied();
    for actor in names(&list) {
        let what =
            format!("{{event: {event}, object_type: message, object: {{id: {id:?}, text: {label:?}}}}}");
        w.expect_event(&actor, &what, |e| is_message_event(e, &event, id, &label)).await;
    }
}

#[then(regex = r#"^(.+?) each receive a changed message notification with the text "([^"]*)"$"#)]
async fn changed_with_text(w: &mut ChatWorld, list: String, text: String) {
    for actor in names(&list) {
        w.expect_event(&actor, &format!("a changed message notification with text {text:?}"), |e| {
            is_message_event(e, "changed", None, &text)
        })
        .await;
    }
}

#[then(regex = r#"^(\w+) receives exactly (\d+) new message notifications? for "([^"]*)"$"#)]
async fn exactly_n_notifications(w: &mut ChatWorld, actor: String, n: usize, label: String) {
    let id = w.unichat.messages.get(&label).copied();
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

#[then(regex = r#"^(\w+) receives no notification about "([^"]*)"$"#)]
async fn no_notification_about(w: &mut ChatWorld, actor: String, label: String) {
    let id = w.unichat.messages.get(&label).copied();
    w.expect_no_event(&actor, &format!("the message {label:?} of a group it is not in"), |e| {
        e.name == "unichat_notification"
            && (e.data.pointer("/object/text").and_then(Value::as_str) == Some(label.as_str())
                || (id.is_some() && object_u64(e, "id") == id && is_notification(e, "new", "message")))
    })
    .await;
}

#[then(regex = r#"^(\w+)'s new message notification for "([^"]*)" carries the uid "([^"]*)"$"#)]
async fn notification_uid(w: &mut ChatWorld, actor: String, label: String, uid: String) {
    let id = w.unichat.messages.get(&label).copied();
    let e = w
        .expect_event(&actor, &format!("a new message notification for {label:?}"), |e| {
            is_message_event(e, "new", id, &label)
        })
        .await;
    let want = uid_for(w, &uid);
    let got = e.data.pointer("/object/uid").cloned().unwrap_or(Value::Null);
    if got.as_str() != Some(want.as_str()) {
        w.fail(
            "the poster's copy of the notification carries object.uid",
            format!("object.uid {want:?}"),
            got,
        );
    }
}

// ---- the reply's message ---------------------------------------------------------------

pub(super) fn reply_message(w: &ChatWorld) -> Value {
    let reply = w.last().clone();
    let body = w.ok(&reply);
    message_of(&body)
}

#[then(regex = r#"^the reply's message has the text "([^"]*)"$"#)]
async fn reply_text(w: &mut ChatWorld, text: String) {
    let m = reply_message(w);
    if m.get("text").and_then(Value::as_str) != Some(text.as_str()) {
        w.fail("the message record carries the text", format!("text {text:?}"), m);
    }
}

#[then(regex = r#"^the reply's message belongs to "([^"]*)" and to (\w+)$"#)]
async fn reply_belongs(w: &mut ChatWorld, room: String, actor: String) {
    let m = reply_message(w);
    let (gid, uid) = (w.room(&room).group_id, w.actor(&actor).id);
    if m.get("group_id").and_then(Value::as_u64) != Some(gid)
        || m.get("user_id").and_then(Value::as_u64) != Some(uid)
    {
        w.fail("the message record names its group and author", format!("group_id {gid}, user_id {uid}"), m);
    }
}

fn edited_at(m: &Value) -> Value {
    m.get("edited_at").or_else(|| m.get("last_edited_at")).cloned().unwrap_or(Value::Null)
}

#[then(regex = r"^the reply's message is not deleted( and not edited)?$")]
async fn reply_live(w: &mut ChatWorld, not_edited: String) {
    let m = reply_message(w);
    if !m.get("deleted_at").is_some_and(Value::is_null) {
        w.fail("a live message has deleted_at null", "deleted_at: null", m);
    }
    if !not_edited.is_empty() && !edited_at(&m).is_null() {
        w.fail("a message that was never edited has a null edit time", "edited_at: null", m);
    }
}

#[then("the reply's message has an edit time")]
async fn reply_edited(w: &mut ChatWorld) {
    let m = reply_message(w);
    if !edited_at(&m).is_string() {
        w.fail(
            "\"Edited messages has non-null last_edited_at field\" (the record calls it edited_at)",
            "edited_at: <time>",
            m,
        );
    }
}

#[then(regex = r#"^the reply's message (replies to|forwards) "([^"]*)"$"#)]
async fn reply_links(w: &mut ChatWorld, how: String, label: String) {
    let m = reply_message(w);
    let id = w.message_id(&label);
    let field = if how == "forwards" { "forwarded_message_id" } else { "in_reply_to_message_id" };
    // The seed names the forward field two ways; the record's name is the reading U35.
    let ground = if how == "forwards" { Ground::Reading("U35".into()) } else { Ground::Document };
    w.check_on(
        &ground,
        m.get(field).and_then(Value::as_u64) == Some(id),
        &format!("{field} points to the original message"),
        format!("{field}: {id}"),
        &m,
    );
}

#[then("the reply's message replies to nothing")]
async fn reply_links_nothing(w: &mut ChatWorld) {
    let m = reply_message(w);
    if m.get("in_reply_to_message_id").is_some_and(|v| !v.is_null()) {
        w.fail(
            "clear_in_reply_to_message_id drops in_reply_to_message_id",
            "no in_reply_to_message_id (or null)",
            m,
        );
    }
}

#[then(regex = r#"^the reply's message has (\d+) attachments? of type "([^"]*)" (with|without) a preview$"#)]
async fn reply_attachments(w: &mut ChatWorld, n: usize, content_type: String, preview: String) {
    let m = reply_message(w);
    let atts = m.get("attachments").and_then(Value::as_array).cloned().unwrap_or_default();
    let has_preview = |a: &Value| a.get("preview").and_then(Value::as_str).is_some_and(|p| !p.is_empty());
    let ok = atts.len() == n
        && atts.iter().all(|a| {
            a.get("content_type").and_then(Value::as_str) == Some(content_type.as_str())
                && a.get("url").and_then(Value::as_str).is_some_and(|u| !u.is_empty())
                && (preview == "without" || has_preview(a))
        });
    let what = format!("{n} attachment(s) of type {content_type} {preview} a preview");
    if !ok {
        w.fail(
            "attachments carry content_type, byte_size and url, and \"For mediatypes image/* the system will prepare also preview image\"",
            &what,
            Value::Array(atts.clone()),
        );
    }
    // That other types get no preview is the reading U36.
    w.check_on(
        &Ground::Reading("U36".into()),
        preview == "with" || !atts.iter().any(has_preview),
        "a preview only for images",
        &what,
        Value::Array(atts.clone()),
    );
    if n > 0 && m.get("attachment").and_then(|a| a.get("url")) != atts.last().and_then(|a| a.get("url")) {
        w.fail(
            "\"attachment ... contains the latest attachment\"",
            "attachment equal to the last of attachments",
            m,
        );
    }
}

#[then("the reply's message has no attachments")]
async fn reply_no_attachments(w: &mut ChatWorld) {
    let m = reply_message(w);
    let n = m.get("attachments").and_then(Value::as_array).map_or(0, Vec::len);
    if n != 0 || m.get("attachment").is_some_and(|a| !a.is_null()) {
        w.fail("an empty attachment deletes the attachment", "attachments: [] and attachment: null", m);
    }
}

#[then(regex = r"^the attachment's link downloads the (?:same|uploaded) bytes$")]
async fn downloads(w: &mut ChatWorld) {
    let m = reply_message(w);
    let Some(url) = m.pointer("/attachments/0/url").and_then(Value::as_str).map(str::to_owned) else {
        w.fail("the attachment has a download link", "attachments[0].url", m);
    };
    let want = w.unichat.expected_download.clone().unwrap_or_default();
    w.wire.push("request", None, format!("GET {url}"), None);
    let got = match w.ctx.http.get(&url).send().await {
        Ok(r) if r.status().is_success() => r.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
        Ok(r) => w.fail("the download link serves the file", "HTTP 200", format!("HTTP {}", r.status())),
        Err(e) => w.fail("the download link serves the file", "HTTP 200", e),
    };
    w.wire.push("response", None, format!("{} bytes", got.len()), None);
    if got != want {
        w.fail(
            "the download link serves the attached bytes",
            format!("{} bytes, as attached", want.len()),
            format!("{} different bytes", got.len()),
        );
    }
}

#[then(regex = r"^the reply's message carries the tasks (\d+) and (\d+)$")]
async fn reply_tasks(w: &mut ChatWorld, a: u64, b: u64) {
    let m = reply_message(w);
    let ids: Vec<u64> = m
        .get("tasks")
        .and_then(Value::as_array)
        .map(|t| t.iter().filter_map(|t| t.get("id").and_then(Value::as_u64)).collect())
        .unwrap_or_default();
    // `task_record` is never defined: `{id}` records are the reading U37.
    w.check_on(
        &Ground::Reading("U37".into()),
        ids == [a, b],
        "task_ids attach tasks to the message",
        format!("tasks with ids {a} and {b}"),
        &m,
    );
}

#[then(regex = r#"^the reply's message mentions (\w+) as "([^"]*)"$"#)]
async fn reply_mentions(w: &mut ChatWorld, who: String, text: String) {
    let m = reply_message(w);
    let uid = w.actor(&who).id;
    let ok = m.get("mentions").and_then(Value::as_array).is_some_and(|ms| {
        ms.iter().any(|x| {
            x.get("user_id").and_then(Value::as_u64) == Some(uid)
                && x.get("text").and_then(Value::as_str) == Some(text.as_str())
        })
    });
    if !ok {
        w.fail(
            "\"Mentions are reported in the message record as .mention array\"",
            format!("mentions: [{{user_id: {uid}, text: {text:?}}}]"),
            m,
        );
    }
}

#[when(regex = r#"^(\w+) gets the message "([^"]*)"$"#)]
async fn gets_message(w: &mut ChatWorld, actor: String, label: String) {
    let id = w.message_id(&label);
    w.call_as(Some(&actor), "get_message", json!({"message_id": id})).await;
}

// ---- uid ---------------------------------------------------------------------------------

#[then("every reply is the same message")]
async fn same_message(w: &mut ChatWorld) {
    let batch = w.unichat.batch.clone();
    let records: Vec<Value> = batch.iter().map(|r| message_of(&w.ok(r))).collect();
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
async fn n_messages_with_text(w: &mut ChatWorld, room: String, n: usize, text: String) {
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

// ---- serials and loading -----------------------------------------------------------------

pub(super) fn serial(m: &Value) -> Option<u64> {
    m.get("serial").and_then(Value::as_u64)
}

#[then(regex = r"^the serials of (.+) increase$")]
async fn serials_increase(w: &mut ChatWorld, list: String) {
    let serials: Vec<Option<u64>> =
        quoted(&list).iter().map(|l| w.unichat.seen.get(l).and_then(serial)).collect();
    if serials.iter().any(Option::is_none) || serials.windows(2).any(|p| p[0] >= p[1]) {
        w.fail(
            "each new message gets a bigger serial than any before it",
            "strictly increasing serials",
            format!("{serials:?}"),
        );
    }
}

async fn check_serial_above_rest(w: &mut ChatWorld, label: &str, room: &str) {
    let id = w.message_id(label);
    let Some(mine) = w.unichat.seen.get(label).and_then(serial) else {
        w.fail("the changed message has a serial", "serial", format!("{:?}", w.unichat.seen.get(label)));
    };
    let reader = w.room(room).creator;
    let all = w.latest_messages(&reader, room).await;
    let others: Vec<u64> =
        all.iter().filter(|m| m.get("id").and_then(Value::as_u64) != Some(id)).filter_map(serial).collect();
    if let Some(max) = others.iter().max().filter(|&&max| max >= mine) {
        w.fail("\"its serial field gets some new value, which is guaranteed to be bigger than it was\" (and than every serial before the change)", format!("serial > {max}"), mine);
    }
}

#[then(
    regex = r#"^the serial of (?:the deleted )?"([^"]*)" is greater than every serial "([^"]*)" had before$"#
)]
async fn serial_above(w: &mut ChatWorld, label: String, room: String) {
    check_serial_above_rest(w, &label, &room).await;
}

#[given(regex = r#"^(\w+) remembers the greatest serial in "([^"]*)"$"#)]
async fn remembers_serial(w: &mut ChatWorld, actor: String, room: String) {
    let all = w.latest_messages(&actor, &room).await;
    w.unichat.remembered_serial = all.iter().filter_map(serial).max();
}

async fn load(w: &mut ChatWorld, actor: &str, room: &str, extra: Value) {
    let sid = w.sub_of(actor, room).await;
    let mut args = json!({"subscription_id": sid});
    if let (Some(obj), Value::Object(more)) = (args.as_object_mut(), extra) {
        obj.extend(more);
    }
    let reply = w.call_as(Some(actor), "get_messages", args).await;
    let body = w.ok(&reply);
    w.unichat.loaded = body.get("messages").and_then(Value::as_array).cloned().unwrap_or_default();
}

#[when(regex = r#"^(\w+) loads "([^"]*)" after the remembered serial$"#)]
async fn loads_after(w: &mut ChatWorld, actor: String, room: String) {
    let after = w.unichat.remembered_serial.unwrap_or(0);
    load(w, &actor, &room, json!({"after_serial": after})).await;
}

#[when(regex = r#"^(\w+) loads the latest (\d+) messages of "([^"]*)"$"#)]
async fn loads_latest(w: &mut ChatWorld, actor: String, n: u64, room: String) {
    load(w, &actor, &room, json!({"limit": n})).await;
}

#[when(regex = r#"^(\w+) loads (\d+) messages of "([^"]*)" at offset (\d+)$"#)]
async fn loads_offset(w: &mut ChatWorld, actor: String, n: u64, room: String, offset: u64) {
    load(w, &actor, &room, json!({"limit": n, "offset": offset})).await;
}

#[when(regex = r#"^(\w+) loads (\d+) messages of "([^"]*)" before "([^"]*)"$"#)]
async fn loads_before(w: &mut ChatWorld, actor: String, n: u64, room: String, label: String) {
    let id = w.message_id(&label);
    load(w, &actor, &room, json!({"limit": n, "before_id": id})).await;
}

#[then(regex = r"^the messages are (.+) in that order$")]
async fn messages_in_order(w: &mut ChatWorld, list: String) {
    let want = quoted(&list);
    let got: Vec<String> = w
        .unichat
        .loaded
        .iter()
        .map(|m| m.get("text").and_then(Value::as_str).unwrap_or("<no text>").to_owned())
        .collect();
    if got != want {
        w.fail("messages come in the documented order", format!("{want:?}"), format!("{got:?}"));
    }
}

#[then("the messages' serials increase")]
async fn loaded_serials_increase(w: &mut ChatWorld) {
    let serials: Vec<Option<u64>> = w.unichat.loaded.iter().map(serial).collect();
    if serials.iter().any(Option::is_none) || serials.windows(2).any(|p| p[0] >= p[1]) {
        w.fail(
            "after_serial returns messages most recent last",
            "serials increasing",
            format!("{serials:?}"),
        );
    }
}

// ---- authorisation -------------------------------------------------------------------------

#[when(regex = r#"^(\w+) loads the messages of "([^"]*)" by group id$"#)]
async fn loads_by_group(w: &mut ChatWorld, actor: String, room: String) {
    let gid = w.room(&room).group_id;
    w.call_as(Some(&actor), "get_messages", json!({"group_id": gid})).await;
}

#[when(regex = r#"^(\w+) uses (\w+)'s subscription to "([^"]*)" to load its messages$"#)]
async fn uses_others_sub(w: &mut ChatWorld, actor: String, owner: String, room: String) {
    let sid = w.sub_of(&owner, &room).await;
    w.call_as(Some(&actor), "get_messages", json!({"subscription_id": sid})).await;
}

#[when(regex = r#"^(\w+) updates (\w+)'s subscription to "([^"]*)" with the draft "([^"]*)"$"#)]
async fn updates_others_sub(w: &mut ChatWorld, actor: String, owner: String, room: String, draft: String) {
    let sid = w.sub_of(&owner, &room).await;
    w.call_as(Some(&actor), "update_subscription", json!({"subscription_id": sid, "draft": draft})).await;
}
