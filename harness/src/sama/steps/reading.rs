//! Steps for reading (seed 003): `message_read`, the `message_read` event to the senders, and
//! the unread counts and read marks of listings (NOTES.md S45, S46).

use std::panic::AssertUnwindSafe;

use chatspec_specs::sama::compat::Switch;
use chatspec_specs::sama::conversations::{ConversationList, ConversationListParams};
use chatspec_specs::sama::messages::{MessageListParams, MessageRead, MessageReadParams};
use cucumber::{then, when};
use futures::FutureExt;
use serde_json::Value;

use super::messages::list_messages;
use crate::kit::prose::quoted;
use crate::sama::SamaWorld;
use crate::sama::world::{field, items};

#[when(regex = r#"^(\w+) reads ("[^"]*"(?:, "[^"]*")*(?: and "[^"]*")?) in "([^"]*)"$"#)]
async fn reads(w: &mut SamaWorld, who: String, labels: String, to: String) {
    let ids: Vec<String> = quoted(&labels).iter().map(|l| w.mid(l)).collect();
    let cid = w.conv(&to).cid;
    w.request::<MessageRead>(&who, MessageReadParams { cid, ids: Some(ids) }).await;
}

#[when(regex = r#"^(\w+) reads everything in "([^"]*)"$"#)]
async fn reads_all(w: &mut SamaWorld, who: String, to: String) {
    let cid = w.conv(&to).cid;
    w.request::<MessageRead>(&who, MessageReadParams { cid, ids: None }).await;
}

#[then(regex = r#"^(\w+) receives the message_read from (\w+) in "([^"]*)" for (.+)$"#)]
async fn receives_read(w: &mut SamaWorld, who: String, reader: String, to: String, labels: String) {
    let (reader_id, cid) = (w.uid(&reader), w.conv(&to).cid);
    let mut want: Vec<String> = quoted(&labels).iter().map(|l| w.mid(l)).collect();
    want.sort();
    let what = format!("message_read {{cid: {cid:?}, ids: {want:?}, from: {reader_id:?}}}");
    let e = w
        .expect_frame(&who, &what, |e| {
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
async fn no_read(w: &mut SamaWorld, who: String) {
    // A message_read for messages already read, sent again, is the known deviation
    // read_receipts_repeated (S46): a repeat names only ids an earlier message_read named.
    let earlier: Vec<Value> = w
        .socket(&who)
        .inbox
        .all()
        .iter()
        .filter(|e| e.name == "message_read")
        .flat_map(|e| crate::sama::world::items(&e.data, "ids"))
        .collect();
    let repeat = |e: &crate::events::Received| {
        let ids = crate::sama::world::items(&e.data, "ids");
        !ids.is_empty() && ids.iter().all(|i| earlier.contains(i))
    };
    let done = AssertUnwindSafe(
        w.expect_no_frame(&who, "a message_read", |e| e.name == "message_read" && !repeat(e)),
    )
    .catch_unwind()
    .await;
    if let Err(p) = done {
        std::panic::resume_unwind(p);
    }
    if let Some(e) = w.socket(&who).inbox.pending(|e| e.name == "message_read" && repeat(e)).first() {
        w.fail_known(
            Switch::ReadReceiptsRepeated,
            "\"all the users whose messages we read will receive\": nothing newly read, no message_read (S46)",
            "no message_read",
            &e.data,
        );
    }
}

#[then(regex = r#"^(\w+)'s list of conversations shows "([^"]*)" with (\d+) unread messages?$"#)]
async fn unread_count(w: &mut SamaWorld, who: String, to: String, n: u64) {
    let cid = w.conv(&to).cid;
    let params = ConversationListParams { limit: Some(100), updated_at: None };
    let reply = w.request::<ConversationList>(&who, params).await;
    let body = w.ok(&reply);
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
async fn shown_read(w: &mut SamaWorld, who: String, to: String, labels: String, entry: String) {
    list_messages(w, &who, &to, MessageListParams::default()).await;
    let done = std::panic::catch_unwind(AssertUnwindSafe(|| shown_as_read(w, &labels)));
    w.grade(&entry, done);
}

fn shown_as_read(w: &SamaWorld, labels: &str) {
    for label in quoted(labels) {
        let id = w.mid(&label);
        let m = w.listed.iter().find(|m| m.get("_id").and_then(Value::as_str) == Some(id.as_str())).cloned();
        if m.as_ref().and_then(|m| m.get("status")).and_then(Value::as_str) != Some("read") {
            w.fail(
                "a message a recipient read has status \"read\" (S45)",
                format!("{label:?} with status read"),
                format!("{m:?}"),
            );
        }
    }
}
