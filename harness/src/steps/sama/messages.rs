//! Steps for messages (seed 003): the `message` packet with its ack and carbons,
//! `message_list`, `system_message`, `message_read` and `typing` (NOTES.md S39 to S47).

use std::panic::AssertUnwindSafe;

use chatspec_specs::sama::compat::Switch;
use cucumber::{given, then, when};
use futures::FutureExt;
use serde_json::{Value, json};

use super::{
    conv, expect_frame, expect_no_frame, fail_known, field, fill, grade, items, last, mid, millis, ok,
    reading, request, socket, uid,
};
use crate::drivers::sama::Reply;
use crate::drivers::sama::SamaReply;
use crate::events::Received;
use crate::steps::{names, quoted};
use crate::world::ChatWorld;

/// Sends a `message` packet from `who`; the ack (or error) becomes the last reply, and an
/// acked message is remembered under `label`.
pub async fn send(w: &mut ChatWorld, who: &str, label: &str, cid: String, extra: Value) -> Reply {
    let id = w.unique("mid");
    let mut body = json!({"id": id, "cid": cid});
    if !label.is_empty() {
        body["body"] = json!(label);
    }
    if let (Some(obj), Value::Object(more)) = (body.as_object_mut(), extra) {
        obj.extend(more);
    }
    let reply = socket(w, who).packet("message", &id, body).await;
    w.sama.quiet_from = Some(tokio::time::Instant::now());
    if let Some(server_mid) = reply.body.get("server_mid").and_then(Value::as_str).filter(|_| reply.is_ok()) {
        w.sama.messages.insert(label.to_owned(), server_mid.to_owned());
    }
    w.sama.acks.insert(label.to_owned(), reply.clone());
    w.sama.last = Some(reply.clone());
    reply
}

async fn send_to(w: &mut ChatWorld, who: &str, label: &str, to: &str, extra: Value) -> Reply {
    let cid = conv(w, to).cid;
    w.sama.msg_conv.insert(label.to_owned(), to.to_owned());
    send(w, who, label, cid, extra).await
}

#[when(regex = r#"^(\w+) sends "([^"]*)" to "([^"]*)"$"#)]
async fn sends(w: &mut ChatWorld, who: String, label: String, to: String) {
    send_to(w, &who, &label, &to, json!({})).await;
}

#[given(regex = r#"^(\w+) has sent ("[^"]*"(?:, "[^"]*")*(?: and "[^"]*")?) to "([^"]*)"$"#)]
async fn has_sent(w: &mut ChatWorld, who: String, labels: String, to: String) {
    for label in quoted(&labels) {
        let reply = send_to(w, &who, &label, &to, json!({})).await;
        let ack = ok(w, &reply);
        if ack.get("server_mid").and_then(Value::as_str).is_none() {
            w.fail(
                "a participant's message is acknowledged",
                "{ack: {mid, server_mid, t}}",
                reply.describe(),
            );
        }
    }
}

#[when(regex = r#"^(\w+) sends "([^"]*)" to "([^"]*)" with the x (\{.*\}) and two attachments$"#)]
async fn sends_with_x(w: &mut ChatWorld, who: String, label: String, to: String, x: String) {
    let x = fill(w, &x);
    // Both forms the seed shows, sending and delivering (S39).
    let attachments = json!([
        {"name": "file_1", "size": 240, "content_type": "type"},
        {"file_id": "123123_file_1", "file_name": "file_1"}
    ]);
    w.sama.remembered.insert("x".into(), x.clone());
    w.sama.remembered.insert("attachments".into(), attachments.clone());
    send_to(w, &who, &label, &to, json!({"x": x, "attachments": attachments})).await;
}

#[when(regex = r#"^(\w+) sends "([^"]*)" to "([^"]*)" with the file "([^"]*)" attached$"#)]
async fn sends_with_file(w: &mut ChatWorld, who: String, label: String, to: String, file: String) {
    let id = super::files::file_id(w, &file);
    send_to(w, &who, &label, &to, json!({"attachments": [{"file_id": id, "file_name": file}]})).await;
}

#[when(regex = r#"^(\w+) sends an empty message to "([^"]*)"$"#)]
async fn sends_empty(w: &mut ChatWorld, who: String, to: String) {
    send_to(w, &who, "", &to, json!({})).await;
}

#[when(regex = r#"^(\w+) sends "([^"]*)" to the conversation id "([^"]*)"$"#)]
async fn sends_nowhere(w: &mut ChatWorld, who: String, label: String, cid: String) {
    send(w, &who, &label, cid, json!({})).await;
}

#[given(regex = r#"^(\w+) is also connected on the device "([^"]*)"$"#)]
async fn also_connected(w: &mut ChatWorld, who: String, device: String) {
    let a = super::actor(w, &who);
    let (login, password) = (a.login.clone(), a.password.clone());
    let device_id = w.unique(&device);
    let got = super::http_login(w, &who, &login, &password, &device_id, false).await;
    let (token, expired_at, cookie) = (got.token, got.expired_at, got.cookie);
    let label = format!("{who}'s {device}");
    let s = super::open_socket(w, &label).await;
    super::connect_or_fail(w, &s, &label, &token, &device_id).await;
    if let Some(a) = w.sama.actors.get_mut(&who) {
        a.devices.insert(device, super::Device { device_id, token, expired_at, socket: Some(s), cookie });
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
    w: &mut ChatWorld,
    list: String,
    label: String,
    from: String,
    to: String,
    extras: String,
) {
    let (from_id, cid) = (uid(w, &from), conv(w, &to).cid);
    let server_mid = w.sama.messages.get(&label).cloned();
    for who in names(&list) {
        let what =
            format!("message {{_id: {server_mid:?}, from: {from_id:?}, cid: {cid:?}, body: {label:?}}}");
        let e = expect_frame(w, &who, &what, |e| is_message(e, &label)).await;
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
            let (x, attachments) =
                (w.sama.remembered.get("x").cloned(), w.sama.remembered.get("attachments").cloned());
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
async fn no_message(w: &mut ChatWorld, who: String, label: String, entry: String) {
    let what = format!("the message {label:?}");
    let done =
        AssertUnwindSafe(expect_no_frame(w, &who, &what, |e| is_message(e, &label))).catch_unwind().await;
    grade(w, &entry, done);
}

/// The ack of `label` (S40): under the key `ack`, or `ask` where the profile declares
/// ack_as_ask (the driver reads it as `ack` then).
fn ack_of(w: &ChatWorld, label: &str, rule: &str) -> Value {
    let Some(reply) = w.sama.acks.get(label).cloned() else {
        panic!("the scenario sent no message {label:?}");
    };
    let body = ok(w, &reply);
    if reply.key() != "ack" {
        w.fail(rule, "{ack: {mid, server_mid, t}}", reply.describe());
    }
    body
}

/// A plausible `t`: seconds since the epoch, not milliseconds.
fn seconds(t: &Value) -> Option<i64> {
    t.as_i64().filter(|t| (1_000_000_000..100_000_000_000).contains(t))
}

#[then(regex = r#"^(\w+) gets an ack for "([^"]*)" with its id, the stored message id and the time$"#)]
async fn gets_ack(w: &mut ChatWorld, _who: String, label: String) {
    let rule = "\"a server will deliver back to client a simple packet with message id and timestamp at which the message was stored\"";
    let ack = ack_of(w, &label, rule);
    let sent_id = w.sama.acks.get(&label).map(|r| r.id().to_owned()).unwrap_or_default();
    let server_mid_ok = ack.get("server_mid").and_then(Value::as_str).is_some_and(|m| !m.is_empty());
    if ack.get("mid").and_then(Value::as_str) != Some(sent_id.as_str())
        || !server_mid_ok
        || seconds(&ack["t"]).is_none()
    {
        w.fail(rule, format!("{{ack: {{mid: {sent_id:?}, server_mid: <id>, t: <seconds>}}}}"), ack);
    }
}

#[then(regex = r#"^(\w+) receives the message "([^"]*)" with the server_mid and t of its ack$"#)]
async fn receives_as_acked(w: &mut ChatWorld, who: String, label: String) {
    let ack = w.sama.acks.get(&label).map(|r| r.body.clone()).unwrap_or(Value::Null);
    let e = expect_frame(w, &who, &format!("the message {label:?}"), |e| is_message(e, &label)).await;
    if e.data.get("_id") != ack.get("server_mid") || e.data.get("t") != ack.get("t") {
        w.fail(
            "\"so both sender & recipient will have same date sent time stored\"",
            format!("_id {} and t {}, as acked", ack["server_mid"], ack["t"]),
            e.data,
        );
    }
}

#[then(regex = r#"^"([^"]*)" lists the message "([^"]*)" with the server_mid and t of its ack$"#)]
async fn listed_as_acked(w: &mut ChatWorld, to: String, label: String) {
    let c = conv(w, &to);
    let ack = w.sama.acks.get(&label).map(|r| r.body.clone()).unwrap_or(Value::Null);
    let reply = request(w, &c.creator, "message_list", json!({"cid": c.cid})).await;
    let body = ok(w, &reply);
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

async fn list_messages(w: &mut ChatWorld, who: &str, to: &str, extra: Value) {
    let cid = conv(w, to).cid;
    let mut params = json!({"cid": cid});
    if let (Some(obj), Value::Object(more)) = (params.as_object_mut(), extra) {
        obj.extend(more);
    }
    let reply = request(w, who, "message_list", params).await;
    if reply.is_ok() {
        w.sama.listed = items(&reply.body, "messages");
    }
}

#[when(regex = r#"^(\w+) lists the messages of the conversation "([^"]*)"$"#)]
async fn lists(w: &mut ChatWorld, who: String, to: String) {
    list_messages(w, &who, &to, json!({})).await;
}

#[when(regex = r#"^(\w+) lists (\d+) messages of "([^"]*)"$"#)]
async fn lists_n(w: &mut ChatWorld, who: String, n: u64, to: String) {
    list_messages(w, &who, &to, json!({"limit": n})).await;
}

#[when(
    regex = r#"^(\w+) lists the messages of the conversation "([^"]*)" changed after "([^"]*)" was stored$"#
)]
async fn lists_since(w: &mut ChatWorld, who: String, to: String, label: String) {
    list_messages(w, &who, &to, json!({})).await;
    let id = mid(w, &label);
    let stored =
        w.sama.listed.iter().find(|m| m.get("_id").and_then(Value::as_str) == Some(id.as_str())).cloned();
    let Some(gt) = stored.as_ref().and_then(|m| millis(&m["created_at"])) else {
        w.fail(
            "message_list lists a sent message with its created_at",
            format!("{label:?} with created_at"),
            format!("{stored:?}"),
        );
    };
    list_messages(w, &who, &to, json!({"updated_at": {"gt": gt}})).await;
}

#[then(regex = r"^the listed messages are (.+) in that order(?: \(reading (S\d+)\))?$")]
async fn listed_in_order(w: &mut ChatWorld, labels: String, entry: String) {
    let reply = last(w);
    ok(w, &reply);
    let done = std::panic::catch_unwind(AssertUnwindSafe(|| listed_messages(w, &labels)));
    grade(w, &entry, done);
}

fn listed_messages(w: &ChatWorld, labels: &str) {
    let want = quoted(labels);
    let got: Vec<String> = w
        .sama
        .listed
        .iter()
        .filter_map(|m| m.get("body").and_then(Value::as_str))
        .filter(|b| w.sama.messages.contains_key(*b))
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
async fn n_listed(w: &mut ChatWorld, n: usize) {
    let reply = last(w);
    ok(w, &reply);
    if w.sama.listed.len() != n {
        w.fail(
            "message_list honours limit (\"limit: 27\")",
            format!("{n} messages"),
            format!("{} messages: {}", w.sama.listed.len(), reply.describe()),
        );
    }
}

// ---- system messages -------------------------------------------------------------------------

#[when(regex = r#"^(\w+) sends a system message with the x (\{.*\}) to (.+)$"#)]
async fn sends_system(w: &mut ChatWorld, who: String, x: String, to: String) {
    let x = fill(w, &x);
    let id = w.unique("sys");
    let mut body = json!({"id": id, "x": x});
    match to.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(label) => body["cid"] = json!(conv(w, label).cid),
        None => body["uids"] = json!(names(&to).iter().map(|n| uid(w, n)).collect::<Vec<_>>()),
    }
    let reply = socket(w, &who).packet("system_message", &id, body).await;
    w.sama.quiet_from = Some(tokio::time::Instant::now());
    w.sama.last = Some(reply);
}

fn is_system(e: &Received, x: &Value) -> bool {
    e.name == "system_message" && e.data.get("x") == Some(x)
}

#[then(regex = r#"^(\w+) receives the system message with the x (\{.*\}) from (\w+)(?: in "([^"]*)")?$"#)]
async fn receives_system(w: &mut ChatWorld, who: String, x: String, from: String, to: String) {
    let x = fill(w, &x);
    let from_id = uid(w, &from);
    let cid = (!to.is_empty()).then(|| conv(w, &to).cid);
    let what = format!("system_message {{x: {x}, from: {from_id:?}, cid: {cid:?}}}");
    let e = expect_frame(w, &who, &what, |e| is_system(e, &x)).await;
    if field(&e, "from") != Some(from_id.as_str())
        || e.data.get("cid").and_then(Value::as_str) != cid.as_deref()
    {
        w.fail(
            "a system message reaches its recipients with who sent it, and its cid when sent to one (S44)",
            what,
            e.data,
        );
    }
}

#[then(regex = r#"^(\w+) receives no system message with the x (\{.*\})(?: \(reading (S\d+)\))?$"#)]
async fn no_system(w: &mut ChatWorld, who: String, x: String, entry: String) {
    let x = fill(w, &x);
    let what = format!("the system message {x}");
    let done = AssertUnwindSafe(expect_no_frame(w, &who, &what, |e| is_system(e, &x))).catch_unwind().await;
    grade(w, &entry, done);
}

#[then(regex = r"^(\w+) gets an ack for that system message$")]
async fn system_ack(w: &mut ChatWorld, _who: String) {
    let reply = last(w);
    w.sama.acks.insert("(system message)".into(), reply.clone());
    let rule = "\"On each message sent to server - a server will deliver back to client a simple packet with message id and timestamp\" (S40)";
    let ack = ack_of(w, "(system message)", rule);
    if ack.get("mid").and_then(Value::as_str) != Some(reply.id()) || seconds(&ack["t"]).is_none() {
        w.fail(rule, format!("{{ack: {{mid: {:?}, server_mid, t: <seconds>}}}}", reply.id()), ack);
    }
    if ack.get("server_mid").and_then(Value::as_str).is_none_or(str::is_empty) {
        fail_known(w, Switch::AckAsAsk, rule, "{ack: {mid, server_mid, t}}", &ack);
    }
}

// ---- reading -------------------------------------------------------------------------------

#[when(regex = r#"^(\w+) reads ("[^"]*"(?:, "[^"]*")*(?: and "[^"]*")?) in "([^"]*)"$"#)]
async fn reads(w: &mut ChatWorld, who: String, labels: String, to: String) {
    let ids: Vec<String> = quoted(&labels).iter().map(|l| mid(w, l)).collect();
    let cid = conv(w, &to).cid;
    request(w, &who, "message_read", json!({"cid": cid, "ids": ids})).await;
}

#[when(regex = r#"^(\w+) reads everything in "([^"]*)"$"#)]
async fn reads_all(w: &mut ChatWorld, who: String, to: String) {
    let cid = conv(w, &to).cid;
    request(w, &who, "message_read", json!({"cid": cid})).await;
}

#[then(regex = r#"^(\w+) receives the message_read from (\w+) in "([^"]*)" for (.+)$"#)]
async fn receives_read(w: &mut ChatWorld, who: String, reader: String, to: String, labels: String) {
    let (reader_id, cid) = (uid(w, &reader), conv(w, &to).cid);
    let mut want: Vec<String> = quoted(&labels).iter().map(|l| mid(w, l)).collect();
    want.sort();
    let what = format!("message_read {{cid: {cid:?}, ids: {want:?}, from: {reader_id:?}}}");
    let e = expect_frame(w, &who, &what, |e| {
        e.name == "message_read" && field(e, "from") == Some(reader_id.as_str())
    })
    .await;
    let mut got: Vec<String> = e
        .data
        .get("ids")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    got.sort();
    if got != want || field(&e, "cid") != Some(cid.as_str()) {
        let rule =
            "\"all the users whose messages we read will receive\" message_read with their messages (S46)";
        w.fail(rule, what, e.data);
    }
}

#[then(regex = r"^(\w+) receives no message_read$")]
async fn no_read(w: &mut ChatWorld, who: String) {
    // A message_read for messages already read, sent again, is the known deviation
    // read_receipts_repeated (S46): a repeat names only ids an earlier message_read named.
    let earlier: Vec<Value> = socket(w, &who)
        .inbox
        .all()
        .iter()
        .filter(|e| e.name == "message_read")
        .flat_map(|e| super::items(&e.data, "ids"))
        .collect();
    let repeat = |e: &crate::events::Received| {
        let ids = super::items(&e.data, "ids");
        !ids.is_empty() && ids.iter().all(|i| earlier.contains(i))
    };
    let done = AssertUnwindSafe(expect_no_frame(w, &who, "a message_read", |e| {
        e.name == "message_read" && !repeat(e)
    }))
    .catch_unwind()
    .await;
    if let Err(p) = done {
        std::panic::resume_unwind(p);
    }
    if let Some(e) = socket(w, &who).inbox.pending(|e| e.name == "message_read" && repeat(e)).first() {
        fail_known(
            w,
            Switch::ReadReceiptsRepeated,
            "\"all the users whose messages we read will receive\": nothing newly read, no message_read (S46)",
            "no message_read",
            &e.data,
        );
    }
}

#[then(regex = r#"^(\w+)'s list of conversations shows "([^"]*)" with (\d+) unread messages?$"#)]
async fn unread_count(w: &mut ChatWorld, who: String, to: String, n: u64) {
    let cid = conv(w, &to).cid;
    let reply = request(w, &who, "conversation_list", json!({"limit": 100})).await;
    let body = ok(w, &reply);
    let c = items(&body, "conversations")
        .into_iter()
        .find(|c| c.get("_id").and_then(Value::as_str) == Some(cid.as_str()));
    let count = c.as_ref().and_then(|c| c.get("unread_messages_count")).and_then(Value::as_u64);
    if count != Some(n) {
        w.fail(
            "reading marks messages read: unread_messages_count drops",
            format!("unread_messages_count {n}"),
            format!("{c:?}"),
        );
    }
}

#[then(regex = r#"^(\w+)'s list of "([^"]*)" shows (.+) as read(?: \(reading (S\d+)\))?$"#)]
async fn shown_read(w: &mut ChatWorld, who: String, to: String, labels: String, entry: String) {
    list_messages(w, &who, &to, json!({})).await;
    let done = std::panic::catch_unwind(AssertUnwindSafe(|| shown_as_read(w, &labels)));
    grade(w, &entry, done);
}

fn shown_as_read(w: &ChatWorld, labels: &str) {
    for label in quoted(labels) {
        let id = mid(w, &label);
        let m =
            w.sama.listed.iter().find(|m| m.get("_id").and_then(Value::as_str) == Some(id.as_str())).cloned();
        if m.as_ref().and_then(|m| m.get("status")).and_then(Value::as_str) != Some("read") {
            w.fail(
                "a message a recipient read has status \"read\" (S45)",
                format!("{label:?} with status read"),
                format!("{m:?}"),
            );
        }
    }
}

// ---- typing --------------------------------------------------------------------------------

#[when(regex = r#"^(\w+) (starts|stops) typing in "([^"]*)"$"#)]
async fn types(w: &mut ChatWorld, who: String, how: String, to: String) {
    let cid = conv(w, &to).cid;
    // `typing: { cid }` as the seed shows it; stopping says so in `status` (S47).
    let mut body = json!({"cid": cid});
    if how == "stops" {
        body["status"] = json!("stop");
    }
    // No reply on success; an error, if one comes, answers it (S12).
    let pending = socket(w, &who).send_packet("typing", None, &body);
    w.sama.quiet_from = Some(tokio::time::Instant::now());
    w.sama.pending = Some(pending);
}

#[then(
    regex = r#"^(.+?) (?:each receive|receives) typing from (\w+) in "([^"]*)"(?: with the status "([^"]*)")?$"#
)]
async fn receives_typing(w: &mut ChatWorld, list: String, from: String, to: String, status: String) {
    let (from_id, cid) = (uid(w, &from), conv(w, &to).cid);
    for who in names(&list) {
        let what = format!("typing {{cid: {cid:?}, from: {from_id:?}}}");
        let e = expect_frame(w, &who, &what, |e| e.name == "typing" && field(e, "cid") == Some(cid.as_str()))
            .await;
        // "receive the same typing message": who types, and how, are the register's (S47).
        if field(&e, "from") != Some(from_id.as_str()) {
            reading(w, "S47", "a forwarded typing says who types", &what, &e.data);
        }
        if !status.is_empty() && field(&e, "status") != Some(status.as_str()) {
            reading(
                w,
                "S47",
                "a forwarded stop typing keeps its status",
                format!("status {status:?}"),
                &e.data,
            );
        }
    }
}

#[then(regex = r"^(\w+) receives no typing(?: \(reading (S\d+)\))?$")]
async fn no_typing(w: &mut ChatWorld, who: String, entry: String) {
    let done = AssertUnwindSafe(expect_no_frame(w, &who, "a typing event", |e| e.name == "typing"))
        .catch_unwind()
        .await;
    grade(w, &entry, done);
}
