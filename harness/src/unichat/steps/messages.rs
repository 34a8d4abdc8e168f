//! Steps for posting and reading messages, their notifications and the message record (seed
//! 001, "Post message", "Get single message", "Message record", "Files Attachments",
//! "Mentions"). The uid, serial, editing and deleting steps have their own files.

use base64::Engine;
use chatspec_specs::unichat::messages::{
    GetMessage, GetMessageArgs, MentionArg, PostMessage, PostMessageArgs,
};
use cucumber::{given, then, when};
use serde_json::Value;

use crate::kit::prose::{names, quoted};
use crate::unichat::UnichatWorld;
use crate::unichat::driver::{UnichatReply as _, is_message_event, is_notification, object_u64};
use crate::unichat::world::message_of;
use crate::verdict::Ground;

/// A tiny valid PNG (1x1), for image attachments.
pub(super) const PNG_1X1: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00,
    0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05,
    0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42,
    0x60, 0x82,
];

/// The arguments of a post of `text` with nothing else.
fn text(text: &str) -> PostMessageArgs {
    PostMessageArgs { text: text.to_owned(), ..PostMessageArgs::default() }
}

#[when(regex = r#"^(\w+) posts ("[^"]*"(?:, "[^"]*")*(?: and "[^"]*")?) to "([^"]*)"$"#)]
async fn posts(w: &mut UnichatWorld, actor: String, texts: String, room: String) {
    for t in quoted(&texts) {
        w.post(&actor, &room, text(&t)).await;
    }
}

#[given(regex = r#"^(\w+) has posted ("[^"]*"(?:, "[^"]*")*(?: and "[^"]*")?) to "([^"]*)"$"#)]
async fn has_posted(w: &mut UnichatWorld, actor: String, texts: String, room: String) {
    for t in quoted(&texts) {
        let reply = w.post(&actor, &room, text(&t)).await;
        w.set_up_ok("U-post-returns-message", &reply);
    }
}

#[when(regex = r#"^(\w+) posts "([^"]*)" to "([^"]*)" by group id$"#)]
async fn posts_by_group(w: &mut UnichatWorld, actor: String, t: String, room: String) {
    let args = PostMessageArgs { group_id: Some(w.room(&room).group_id), ..text(&t) };
    let reply = w.call::<PostMessage>(&actor, args).await;
    if reply.is_ok() {
        w.note_message(&t, &message_of(&reply.body));
    }
}

#[given(regex = r#"^(\w+) has posted "([^"]*)" to "([^"]*)" in reply to "([^"]*)"$"#)]
async fn has_posted_reply(w: &mut UnichatWorld, actor: String, t: String, room: String, original: String) {
    let args = PostMessageArgs { in_reply_to_message_id: Some(w.message_id(&original)), ..text(&t) };
    let reply = w.post(&actor, &room, args).await;
    w.set_up_ok("U-post-returns-message", &reply);
}

#[when(regex = r#"^(\w+) posts "([^"]*)" to "([^"]*)" (in reply to|forwarding) "([^"]*)"$"#)]
async fn posts_linked(
    w: &mut UnichatWorld,
    actor: String,
    t: String,
    room: String,
    how: String,
    original: String,
) {
    let id = Some(w.message_id(&original));
    let args = if how == "forwarding" {
        PostMessageArgs { forwarded_message_id: id, ..text(&t) }
    } else {
        PostMessageArgs { in_reply_to_message_id: id, ..text(&t) }
    };
    w.post(&actor, &room, args).await;
}

#[when(regex = r#"^(\w+) posts "([^"]*)" to "([^"]*)" (in reply to|forwarding) the message id (\d+)$"#)]
async fn posts_linked_to_id(
    w: &mut UnichatWorld,
    actor: String,
    t: String,
    room: String,
    how: String,
    id: u64,
) {
    let args = if how == "forwarding" {
        PostMessageArgs { forwarded_message_id: Some(id), ..text(&t) }
    } else {
        PostMessageArgs { in_reply_to_message_id: Some(id), ..text(&t) }
    };
    w.post(&actor, &room, args).await;
}

#[then(regex = r#"^the forward fails with error "(\w+)"$"#)]
async fn forward_fails(w: &mut UnichatWorld, code: String) {
    let reply = w.last().clone();
    let m = message_of(&reply.body);
    // A server that ignored the field under the record's name forwards nothing: that name
    // is the reading U35 (the seed also says `forwarded_to_message_id`).
    if reply.is_ok() && m.get("forwarded_message_id").is_none_or(Value::is_null) {
        w.reading_ends(
            "U35",
            "a forward names its original as forwarded_message_id",
            "the post refused, or a record with forwarded_message_id",
            reply.describe(),
        );
    }
    w.expect_error(&reply, &code);
}

#[when(regex = r#"^(\w+) posts "([^"]*)" to "([^"]*)" with an image attachment named "([^"]*)"$"#)]
async fn posts_image(w: &mut UnichatWorld, actor: String, t: String, room: String, name: String) {
    let url = format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(PNG_1X1));
    w.expected_download = Some(PNG_1X1.to_vec());
    let args = PostMessageArgs { attachment: Some(url), attachment_filename: Some(name), ..text(&t) };
    w.post(&actor, &room, args).await;
}

#[when(regex = r#"^(\w+) posts "([^"]*)" to "([^"]*)" with the attachment "([^"]*)"$"#)]
async fn posts_attachment(w: &mut UnichatWorld, actor: String, t: String, room: String, url: String) {
    w.post(&actor, &room, PostMessageArgs { attachment: Some(url), ..text(&t) }).await;
}

#[given(regex = r#"^(\w+) has posted "([^"]*)" to "([^"]*)" with the attachment "([^"]*)"$"#)]
async fn has_posted_attachment(w: &mut UnichatWorld, actor: String, t: String, room: String, url: String) {
    let reply = w.post(&actor, &room, PostMessageArgs { attachment: Some(url), ..text(&t) }).await;
    w.ok(&reply);
}

#[when(regex = r#"^(\w+) posts "([^"]*)" to "([^"]*)" with the task ids (\d+) and (\d+)$"#)]
async fn posts_tasks(w: &mut UnichatWorld, actor: String, t: String, room: String, a: u64, b: u64) {
    w.post(&actor, &room, PostMessageArgs { task_ids: Some(vec![a, b]), ..text(&t) }).await;
}

#[when(regex = r#"^(\w+) posts "([^"]*)" to "([^"]*)" mentioning (\w+) as "([^"]*)"$"#)]
async fn posts_mention(
    w: &mut UnichatWorld,
    actor: String,
    t: String,
    room: String,
    who: String,
    as_text: String,
) {
    let mention = MentionArg { user_id: w.actor(&who).id, text: as_text };
    w.post(&actor, &room, PostMessageArgs { mentions: Some(vec![mention]), ..text(&t) }).await;
}

#[given(regex = r#"^(\w+) has posted "([^"]*)" to "([^"]*)" mentioning (\w+) as "([^"]*)"$"#)]
async fn has_posted_mention(
    w: &mut UnichatWorld,
    actor: String,
    t: String,
    room: String,
    who: String,
    as_text: String,
) {
    posts_mention(w, actor, t, room, who, as_text).await;
    w.last_ok();
}

#[when(regex = r#"^(\w+) gets the message "([^"]*)"$"#)]
async fn gets_message(w: &mut UnichatWorld, actor: String, label: String) {
    let message_id = w.message_id(&label);
    w.call::<GetMessage>(&actor, GetMessageArgs { message_id }).await;
}

// ---- notifications ---------------------------------------------------------------------

#[then(
    regex = r#"^(.+?) (?:each receive|receives) an? (new|changed|deleted) message notification for "([^"]*)"$"#
)]
async fn message_notification(w: &mut UnichatWorld, list: String, event: String, label: String) {
    let id = w.messages.get(&label).copied();
    for actor in names(&list) {
        let what =
            format!("{{event: {event}, object_type: message, object: {{id: {id:?}, text: {label:?}}}}}");
        w.expect_event(&actor, &what, |e| is_message_event(e, &event, id, &label)).await;
    }
}

#[then(regex = r#"^(.+?) each receive a changed message notification with the text "([^"]*)"$"#)]
async fn changed_with_text(w: &mut UnichatWorld, list: String, text: String) {
    for actor in names(&list) {
        w.expect_event(&actor, &format!("a changed message notification with text {text:?}"), |e| {
            is_message_event(e, "changed", None, &text)
        })
        .await;
    }
}

#[then(regex = r#"^(\w+) receives a new message notification with xtag "(\w+)"$"#)]
async fn new_xtag_notification(w: &mut UnichatWorld, actor: String, xtag: String) {
    w.expect_event(&actor, &format!("a new message notification with xtag {xtag}"), |e| {
        is_notification(e, "new", "message")
            && e.data.pointer("/object/xtag").and_then(Value::as_str) == Some(xtag.as_str())
    })
    .await;
}

#[then(regex = r#"^(\w+) receives no notification about "([^"]*)"$"#)]
async fn no_notification_about(w: &mut UnichatWorld, actor: String, label: String) {
    let id = w.messages.get(&label).copied();
    w.expect_no_event(&actor, &format!("the message {label:?} of a group it is not in"), |e| {
        e.name == "unichat_notification"
            && (e.data.pointer("/object/text").and_then(Value::as_str) == Some(label.as_str())
                || (id.is_some() && object_u64(e, "id") == id && is_notification(e, "new", "message")))
    })
    .await;
}

// ---- the reply's message ---------------------------------------------------------------

#[then(regex = r#"^the reply's message has the text "([^"]*)"$"#)]
async fn reply_text(w: &mut UnichatWorld, text: String) {
    let m = w.reply_message();
    if m.get("text").and_then(Value::as_str) != Some(text.as_str()) {
        w.fail("the message record carries the text", format!("text {text:?}"), m);
    }
}

#[then(regex = r#"^the reply's message belongs to "([^"]*)" and to (\w+)$"#)]
async fn reply_belongs(w: &mut UnichatWorld, room: String, actor: String) {
    let m = w.reply_message();
    let (gid, uid) = (w.room(&room).group_id, w.actor(&actor).id);
    if m.get("group_id").and_then(Value::as_u64) != Some(gid)
        || m.get("user_id").and_then(Value::as_u64) != Some(uid)
    {
        w.fail("the message record names its group and author", format!("group_id {gid}, user_id {uid}"), m);
    }
}

/// The edit time, under the record's name or the seed's other one (`last_edited_at`).
pub(super) fn edited_at(m: &Value) -> Value {
    m.get("edited_at").or_else(|| m.get("last_edited_at")).cloned().unwrap_or(Value::Null)
}

#[then(regex = r"^the reply's message is not deleted( and not edited)?$")]
async fn reply_live(w: &mut UnichatWorld, not_edited: String) {
    let m = w.reply_message();
    if !m.get("deleted_at").is_some_and(Value::is_null) {
        w.fail("a live message has deleted_at null", "deleted_at: null", m);
    }
    if !not_edited.is_empty() && !edited_at(&m).is_null() {
        w.fail("a message that was never edited has a null edit time", "edited_at: null", m);
    }
}

#[then(regex = r#"^the reply's message (replies to|forwards) "([^"]*)"$"#)]
async fn reply_links(w: &mut UnichatWorld, how: String, label: String) {
    let m = w.reply_message();
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

#[then(regex = r#"^the reply's message has (\d+) attachments? of type "([^"]*)" (with|without) a preview$"#)]
async fn reply_attachments(w: &mut UnichatWorld, n: usize, content_type: String, preview: String) {
    let m = w.reply_message();
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

#[then(regex = r"^the attachment's link downloads the (?:same|uploaded) bytes$")]
async fn downloads(w: &mut UnichatWorld) {
    let m = w.reply_message();
    let Some(url) = m.pointer("/attachments/0/url").and_then(Value::as_str).map(str::to_owned) else {
        w.fail("the attachment has a download link", "attachments[0].url", m);
    };
    let want = w.expected_download.clone().unwrap_or_default();
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
async fn reply_tasks(w: &mut UnichatWorld, a: u64, b: u64) {
    let m = w.reply_message();
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
async fn reply_mentions(w: &mut UnichatWorld, who: String, text: String) {
    let m = w.reply_message();
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

#[when(regex = r#"^(\w+) posts to "([^"]*)" without text$"#)]
async fn posts_without_text(w: &mut UnichatWorld, actor: String, room: String) {
    // Everything else as in a valid post: only `text` is missing.
    let subscription_id = w.sub_of(&actor, &room).await;
    let token = Some(w.actor(&actor).token.clone());
    let args = serde_json::json!({"subscription_id": subscription_id});
    w.call_malformed(Some(&actor), "post_message", crate::unichat::driver::Malformed::Args { args, token })
        .await;
}

#[when(regex = r#"^(\w+) posts "([^"]*)" to "([^"]*)" with the attachment "([^"]*)" named "([^"]*)"$"#)]
async fn posts_attachment_named(
    w: &mut UnichatWorld,
    actor: String,
    t: String,
    room: String,
    url: String,
    name: String,
) {
    let args = PostMessageArgs { attachment: Some(url), attachment_filename: Some(name), ..text(&t) };
    w.post(&actor, &room, args).await;
}

#[then(regex = r#"^the reply's message's attachment is named "([^"]*)"$"#)]
async fn attachment_named(w: &mut UnichatWorld, name: String) {
    let m = w.reply_message();
    let attachment =
        m.pointer("/attachments/0").or_else(|| m.get("attachment")).cloned().unwrap_or(Value::Null);
    // The seed names no field for the name: the record's `filename`, else the last segment
    // of the download link (NOTES.md U41).
    let named = attachment.get("filename").and_then(Value::as_str).map(str::to_owned).or_else(|| {
        let url = attachment.get("url").and_then(Value::as_str)?;
        let last = url.split('?').next()?.rsplit('/').next()?;
        Some(form_urlencoded::parse(format!("n={last}").as_bytes()).map(|(_, v)| v.into_owned()).collect())
    });
    w.check_on(
        &Ground::Reading("U41".into()),
        named.as_deref() == Some(name.as_str()),
        "attachment_filename names the transmitted file",
        format!("an attachment named {name:?}"),
        &attachment,
    );
}

#[then(regex = r"^the reply's message leaves out forwarded_message_id and in_reply_to_message_id$")]
async fn links_left_out(w: &mut UnichatWorld) {
    let m = w.reply_message();
    let present: Vec<&str> = ["forwarded_message_id", "in_reply_to_message_id"]
        .into_iter()
        .filter(|f| m.get(*f).is_some())
        .collect();
    if !present.is_empty() {
        w.fail(
            "the reply and forward links are \"optional: only if not null\"",
            "neither forwarded_message_id nor in_reply_to_message_id in the record",
            format!("{} present in {m}", present.join(" and ")),
        );
    }
}

#[then(regex = r"^the reply's message's attachment is (\d+) bytes in size$")]
async fn attachment_size(w: &mut UnichatWorld, size: u64) {
    let m = w.reply_message();
    let atts = m.get("attachments").cloned().unwrap_or(Value::Null);
    if atts.pointer("/0/byte_size").and_then(Value::as_u64) != Some(size) {
        w.fail("\"byte_size\": the attachment's \"size in bytes\"", format!("byte_size {size}"), atts);
    }
}

#[then(regex = r#"^(\w+)'s new message notification for "([^"]*)" mentions (\w+) as "([^"]*)"$"#)]
async fn notification_mentions(
    w: &mut UnichatWorld,
    actor: String,
    label: String,
    who: String,
    as_text: String,
) {
    let id = w.messages.get(&label).copied();
    let uid = w.actor(&who).id;
    let what = format!("{{event: new, object_type: message, object: {{id: {id:?}, text: {label:?}}}}}");
    let e = w.expect_event(&actor, &what, |e| is_message_event(e, "new", id, &label)).await;
    let mentions = e.data.pointer("/object/mentions").cloned().unwrap_or(Value::Null);
    let ok = mentions.as_array().is_some_and(|ms| {
        ms.iter().any(|x| {
            x.get("user_id").and_then(Value::as_u64) == Some(uid)
                && x.get("text").and_then(Value::as_str) == Some(as_text.as_str())
        })
    });
    if !ok {
        w.fail(
            "\"the recipient will already get the new message notification, which will contain mentions\"",
            format!("object.mentions: [{{user_id: {uid}, text: {as_text:?}}}]"),
            e.data,
        );
    }
}
