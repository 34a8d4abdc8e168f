//! Steps for messages (seed 003): the `message` packet with its ack and carbons, and
//! `message_list` (NOTES.md S39 to S42, S45). System messages, reading and typing have their
//! own areas.

use std::panic::AssertUnwindSafe;

use chatspec_specs::sama::messages::{
    Attachment, MessageList, MessageListParams, MessagePacket, MessageParams,
};
use chatspec_specs::sama::times::TimeRange;
use cucumber::{given, then, when};
use futures::FutureExt;
use serde_json::Value;

use crate::events::Received;
use crate::kit::prose::{names, quoted};
use crate::sama::SamaWorld;
use crate::sama::driver::SamaReply;
use crate::sama::driver::{Body, Reply};
use crate::sama::world::{field, items, millis};

/// Sends a `message` packet from `who`; the ack (or error) becomes the last reply, and an
/// acked message is remembered under `label`.
pub async fn send(w: &mut SamaWorld, who: &str, label: &str, cid: String, extra: MessageParams) -> Reply {
    let id = w.unique("mid");
    let body = (!label.is_empty()).then(|| label.to_owned());
    let params = MessageParams { id: id.clone(), cid, body, ..extra };
    let sent = w.socket(who).packet::<MessagePacket>(&id, &params).await;
    let reply = w.sent(sent);
    w.quiet_from = Some(tokio::time::Instant::now());
    if let Some(server_mid) = reply.body.get("server_mid").and_then(Value::as_str).filter(|_| reply.is_ok()) {
        w.messages.insert(label.to_owned(), server_mid.to_owned());
    }
    w.acks.insert(label.to_owned(), reply.clone());
    w.last = Some(reply.clone());
    reply
}

async fn send_to(w: &mut SamaWorld, who: &str, label: &str, to: &str, extra: MessageParams) -> Reply {
    let cid = w.conv(to).cid;
    w.msg_conv.insert(label.to_owned(), to.to_owned());
    send(w, who, label, cid, extra).await
}

#[when(regex = r#"^(\w+) sends "([^"]*)" to "([^"]*)"$"#)]
async fn sends(w: &mut SamaWorld, who: String, label: String, to: String) {
    send_to(w, &who, &label, &to, MessageParams::default()).await;
}

#[given(regex = r#"^(\w+) has sent ("[^"]*"(?:, "[^"]*")*(?: and "[^"]*")?) to "([^"]*)"$"#)]
async fn has_sent(w: &mut SamaWorld, who: String, labels: String, to: String) {
    for label in quoted(&labels) {
        let reply = send_to(w, &who, &label, &to, MessageParams::default()).await;
        // A set-up step: a message not acknowledged breaks the ack's rule, not the scenario's.
        w.on_rule("S-ack", || {
            let ack = w.ok(&reply);
            if ack.get("server_mid").and_then(Value::as_str).is_none() {
                w.fail(
                    "a participant's message is acknowledged",
                    "{ack: {mid, server_mid, t}}",
                    reply.describe(),
                );
            }
        });
    }
}

#[when(regex = r#"^(\w+) sends "([^"]*)" to "([^"]*)" with the x (\{.*\}) and two attachments$"#)]
async fn sends_with_x(w: &mut SamaWorld, who: String, label: String, to: String, x: String) {
    let x = w.fill_x(&x);
    // Both forms the seed shows, sending and delivering (S39).
    let attachments = vec![
        Attachment {
            name: Some("file_1".into()),
            size: Some(240),
            content_type: Some("type".into()),
            ..Attachment::default()
        },
        Attachment {
            file_id: Some("123123_file_1".into()),
            file_name: Some("file_1".into()),
            ..Attachment::default()
        },
    ];
    let extra = MessageParams { x: Some(x), attachments: Some(attachments), ..MessageParams::default() };
    // What a recipient must get back, as sent on the wire.
    let sent = Body::typed(&extra).json().unwrap_or_default();
    w.remembered.insert("x".into(), sent.get("x").cloned().unwrap_or_default());
    w.remembered.insert("attachments".into(), sent.get("attachments").cloned().unwrap_or_default());
    send_to(w, &who, &label, &to, extra).await;
}

#[when(regex = r#"^(\w+) sends "([^"]*)" to "([^"]*)" with the file "([^"]*)" attached$"#)]
async fn sends_with_file(w: &mut SamaWorld, who: String, label: String, to: String, file: String) {
    let id = super::files::file_id(w, &file);
    let attachment = Attachment { file_id: Some(id), file_name: Some(file), ..Attachment::default() };
    let extra = MessageParams { attachments: Some(vec![attachment]), ..MessageParams::default() };
    send_to(w, &who, &label, &to, extra).await;
}

#[when(regex = r#"^(\w+) sends an empty message to "([^"]*)"$"#)]
async fn sends_empty(w: &mut SamaWorld, who: String, to: String) {
    send_to(w, &who, "", &to, MessageParams::default()).await;
}

#[when(regex = r#"^(\w+) sends "([^"]*)" to the conversation id "([^"]*)"$"#)]
async fn sends_nowhere(w: &mut SamaWorld, who: String, label: String, cid: String) {
    send(w, &who, &label, cid, MessageParams::default()).await;
}

#[given(regex = r#"^(\w+) is also connected on the device "([^"]*)"$"#)]
async fn also_connected(w: &mut SamaWorld, who: String, device: String) {
    let a = w.actor(&who);
    let (login, password) = (a.login.clone(), a.password.clone());
    let device_id = w.unique(&device);
    let got = w.http_login(&who, &login, &password, &device_id, false).await;
    let (token, expired_at, cookie) = (got.token, got.expired_at, got.cookie);
    let label = format!("{who}'s {device}");
    let s = w.open_socket(&label).await;
    w.connect_or_fail(&s, &label, &token, &device_id).await;
    if let Some(a) = w.actors.get_mut(&who) {
        a.devices.insert(
            device,
            crate::sama::world::Device { device_id, token, expired_at, socket: Some(s), cookie },
        );
    }
}

// ---- delivery ------------------------------------------------------------------------------

fn is_message(e: &Received, body: &str) -> bool {
    e.name == "message" && field(e, "body") == Some(body) && e.data.pointer("/x/user").is_none()
}

#[then(
    regex = r#"^(.+?) (?:each receive|receives) the message "([^"]*)" from (\w+) in "([^"]*)"( with that x and those attachments)?$"#
)]
async fn receives_message(
    w: &mut SamaWorld,
    list: String,
    label: String,
    from: String,
    to: String,
    extras: String,
) {
    let (from_id, cid) = (w.uid(&from), w.conv(&to).cid);
    let server_mid = w.messages.get(&label).cloned();
    for who in names(&list) {
        let what =
            format!("message {{_id: {server_mid:?}, from: {from_id:?}, cid: {cid:?}, body: {label:?}}}");
        let e = w.expect_frame(&who, &what, |e| is_message(e, &label)).await;
        let d = &e.data;
        let id_ok = server_mid.as_deref().is_none_or(|m| field(&e, "_id") == Some(m));
        if field(&e, "from") != Some(from_id.as_str()) || field(&e, "cid") != Some(cid.as_str()) || !id_ok {
            w.fail(
                "\"All conversation's participants who is online will receive the following message\"",
                what,
                d,
            );
        }
        if !extras.is_empty() {
            let (x, attachments) = (w.remembered.get("x").cloned(), w.remembered.get("attachments").cloned());
            if d.get("x").cloned() != x || d.get("attachments").cloned() != attachments {
                w.fail(
                    "x and attachments are delivered as sent (S39)",
                    format!("x {}, attachments {}", x.unwrap_or_default(), attachments.unwrap_or_default()),
                    d,
                );
            }
        }
    }
}

#[then(regex = r#"^(\w+) receives no message "([^"]*)"(?: \(reading (S\d+)\))?$"#)]
async fn no_message(w: &mut SamaWorld, who: String, label: String, entry: String) {
    let what = format!("the message {label:?}");
    let done =
        AssertUnwindSafe(w.expect_no_frame(&who, &what, |e| is_message(e, &label))).catch_unwind().await;
    w.grade(&entry, done);
}

/// The ack of `label` (S40): under the key `ack`, or `ask` where the profile declares
/// ack_as_ask (the driver reads it as `ack` then).
pub(super) fn ack_of(w: &SamaWorld, label: &str, rule: &str) -> Value {
    let Some(reply) = w.acks.get(label).cloned() else {
        panic!("the scenario sent no message {label:?}");
    };
    let body = w.ok(&reply);
    if reply.key() != "ack" {
        w.fail(rule, "{ack: {mid, server_mid, t}}", reply.describe());
    }
    body
}

/// A plausible `t`: seconds since the epoch, not milliseconds.
pub(super) fn seconds(t: &Value) -> Option<i64> {
    t.as_i64().filter(|t| (1_000_000_000..100_000_000_000).contains(t))
}

#[then(regex = r#"^(\w+) gets an ack for "([^"]*)" with its id, the stored message id and the time$"#)]
async fn gets_ack(w: &mut SamaWorld, _who: String, label: String) {
    let rule = "\"a server will deliver back to client a simple packet with message id and timestamp at which the message was stored\"";
    let ack = ack_of(w, &label, rule);
    let sent_id = w.acks.get(&label).map(|r| r.id().to_owned()).unwrap_or_default();
    let server_mid_ok = ack.get("server_mid").and_then(Value::as_str).is_some_and(|m| !m.is_empty());
    if ack.get("mid").and_then(Value::as_str) != Some(sent_id.as_str())
        || !server_mid_ok
        || seconds(&ack["t"]).is_none()
    {
        w.fail(rule, format!("{{ack: {{mid: {sent_id:?}, server_mid: <id>, t: <seconds>}}}}"), ack);
    }
}

#[then(regex = r#"^(\w+) receives the message "([^"]*)" with the server_mid and t of its ack$"#)]
async fn receives_as_acked(w: &mut SamaWorld, who: String, label: String) {
    let ack = w.acks.get(&label).map(|r| r.body.clone()).unwrap_or(Value::Null);
    let e = w.expect_frame(&who, &format!("the message {label:?}"), |e| is_message(e, &label)).await;
    if e.data.get("_id") != ack.get("server_mid") || e.data.get("t") != ack.get("t") {
        w.fail(
            "\"so both sender & recipient will have same date sent time stored\"",
            format!("_id {} and t {}, as acked", ack["server_mid"], ack["t"]),
            e.data,
        );
    }
}

#[then(regex = r#"^"([^"]*)" lists the message "([^"]*)" with the server_mid and t of its ack$"#)]
async fn listed_as_acked(w: &mut SamaWorld, to: String, label: String) {
    let c = w.conv(&to);
    let ack = w.acks.get(&label).map(|r| r.body.clone()).unwrap_or(Value::Null);
    let params = MessageListParams { cid: c.cid.clone(), ..MessageListParams::default() };
    let reply = w.request::<MessageList>(&c.creator, params).await;
    let body = w.ok(&reply);
    let found = items(&body, "messages")
        .into_iter()
        .find(|m| m.get("body").and_then(Value::as_str) == Some(label.as_str()));
    let stored = found.unwrap_or(Value::Null);
    if stored.get("_id") != ack.get("server_mid") || stored.get("t") != ack.get("t") {
        w.fail(
            "the ack's t is \"the timestamp at which the message was stored in DB\"",
            format!("_id {}, t {}", ack["server_mid"], ack["t"]),
            stored,
        );
    }
}

// ---- listing -------------------------------------------------------------------------------

/// Lists the messages of the conversation `to` as `who`, with `limit` and `updated_at` as
/// `extra` gives them (its `cid` is replaced by the conversation's).
pub(super) async fn list_messages(w: &mut SamaWorld, who: &str, to: &str, extra: MessageListParams) {
    let cid = w.conv(to).cid;
    let reply = w.request::<MessageList>(who, MessageListParams { cid, ..extra }).await;
    if reply.is_ok() {
        w.listed = items(&reply.body, "messages");
    }
}

#[when(regex = r#"^(\w+) lists the messages of the conversation "([^"]*)"$"#)]
async fn lists(w: &mut SamaWorld, who: String, to: String) {
    list_messages(w, &who, &to, MessageListParams::default()).await;
}

#[when(regex = r#"^(\w+) lists (\d+) messages of "([^"]*)"$"#)]
async fn lists_n(w: &mut SamaWorld, who: String, n: u64, to: String) {
    list_messages(w, &who, &to, MessageListParams { limit: Some(n), ..MessageListParams::default() }).await;
}

#[when(
    regex = r#"^(\w+) lists the messages of the conversation "([^"]*)" changed after "([^"]*)" was stored$"#
)]
async fn lists_since(w: &mut SamaWorld, who: String, to: String, label: String) {
    list_messages(w, &who, &to, MessageListParams::default()).await;
    let id = w.mid(&label);
    let stored = w.listed.iter().find(|m| m.get("_id").and_then(Value::as_str) == Some(id.as_str())).cloned();
    let Some(gt) = stored.as_ref().and_then(|m| millis(&m["created_at"])) else {
        w.fail(
            "message_list lists a sent message with its created_at",
            format!("{label:?} with created_at"),
            format!("{stored:?}"),
        );
    };
    let since = TimeRange { gt: Some(gt), lt: None };
    list_messages(
        w,
        &who,
        &to,
        MessageListParams { updated_at: Some(since), ..MessageListParams::default() },
    )
    .await;
}

#[then(regex = r"^the listed messages are (.+) in that order(?: \(reading (S\d+)\))?$")]
async fn listed_in_order(w: &mut SamaWorld, labels: String, entry: String) {
    let reply = w.last();
    w.ok(&reply);
    let done = std::panic::catch_unwind(AssertUnwindSafe(|| listed_messages(w, &labels)));
    w.grade(&entry, done);
}

fn listed_messages(w: &SamaWorld, labels: &str) {
    let want = quoted(labels);
    let got: Vec<String> = w
        .listed
        .iter()
        .filter_map(|m| m.get("body").and_then(Value::as_str))
        .filter(|b| w.messages.contains_key(*b))
        .map(str::to_owned)
        .collect();
    if got != want {
        w.fail(
            "message_list lists the newest first; limit and updated_at gt select (S45)",
            format!("{want:?}"),
            format!("{got:?}"),
        );
    }
}

#[then(regex = r"^(\d+) messages? (?:is|are) listed$")]
async fn n_listed(w: &mut SamaWorld, n: usize) {
    let reply = w.last();
    w.ok(&reply);
    if w.listed.len() != n {
        w.fail(
            "message_list honours limit (\"limit: 27\")",
            format!("{n} messages"),
            format!("{} messages: {}", w.listed.len(), reply.describe()),
        );
    }
}
