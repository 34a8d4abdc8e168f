//! Steps for users going offline and coming back (seed 003): push notifications to offline
//! participants read from the admin outbox, missed edits and deletions, and `op_log_list`
//! (NOTES.md S42, S49, S58). Last activity has its own area.
//!
//! A user goes offline when their socket drops. Another user of the scenario watches them on a
//! device of their own (`user_last_activity_subscribe`), so the step knows the server noticed
//! without sleeping, and the watcher's own sockets see nothing of it.

use std::time::Duration;

use chatspec_specs::sama::activity::{UserLastActivitySubscribe, UserLastActivitySubscribeParams};
use chatspec_specs::sama::compat::Switch;
use chatspec_specs::sama::offline::{OpLogList, OpLogListParams};
use chatspec_specs::sama::times::TimeRange;
use cucumber::{given, then, when};
use serde_json::Value;

use super::edits::{check_deletion, check_edit, conv_of, is_deletion, is_edit};
use crate::events::Received;
use crate::sama::SamaWorld;
use crate::sama::driver::SamaReply;
use crate::sama::world::Device;

const OBSERVER: &str = "observer";

/// A seconds value of `last_activity` (not "online", not the public server's 0).
pub(super) fn offline_seconds(v: Option<&Value>) -> Option<i64> {
    v.and_then(Value::as_i64).filter(|s| *s > 0)
}

/// Opens (once) a device of another user that watches the others' activity.
async fn observer(w: &mut SamaWorld, not: &str) -> String {
    if let Some((name, _)) = w.actors.iter().find(|(_, a)| a.devices.contains_key(OBSERVER)) {
        return format!("{name}'s {OBSERVER}");
    }
    let Some(name) = w.actors.keys().find(|n| n.as_str() != not).cloned() else {
        panic!("going offline needs another user in the scenario to watch: add one to `Given the users ...`");
    };
    let a = w.actor(&name);
    let (login, password) = (a.login.clone(), a.password.clone());
    let device_id = w.unique(OBSERVER);
    let got = w.http_login(&name, &login, &password, &device_id, false).await;
    let label = format!("{name}'s {OBSERVER}");
    let s = w.open_socket(&label).await;
    w.connect_or_fail(&s, &label, &got.token, &device_id).await;
    if let Some(a) = w.actors.get_mut(&name) {
        let d = Device {
            device_id,
            token: got.token,
            expired_at: got.expired_at,
            socket: Some(s),
            cookie: got.cookie,
        };
        a.devices.insert(OBSERVER.into(), d);
    }
    label
}

/// Drops `name`'s main socket and waits until the server reports them offline.
async fn go_offline(w: &mut SamaWorld, name: &str) {
    let watcher = observer(w, name).await;
    let id = w.uid(name);
    let params = UserLastActivitySubscribeParams { id: id.clone() };
    let reply = w.look_up::<UserLastActivitySubscribe>(&watcher, params).await;
    w.ok(&reply);
    let dropped = w.actors.get_mut(name).and_then(|a| a.devices.get_mut("")).and_then(|d| d.socket.take());
    if let Some(s) = dropped {
        s.vanish();
    }
    let what = format!("last_activity {{{id}: <seconds>}} once {name}'s socket dropped");
    let e = w
        .expect_frame(&watcher, &what, |e| {
            e.name == "last_activity" && offline_seconds(e.data.get(&id)).is_some()
        })
        .await;
    let secs = offline_seconds(e.data.get(&id)).unwrap_or(0);
    // Whatever the server logs for this user from now on comes after this time.
    w.marks.insert(format!("offline:{name}"), (secs - 1) * 1000);
}

/// Opens a new socket for `name` and links it with their first device's token.
async fn come_back(w: &mut SamaWorld, name: &str) {
    let (token, device) = {
        let d = w.actor(name).devices.get("").map(|d| (d.token.clone(), d.device_id.clone()));
        d.unwrap_or_default()
    };
    let s = w.open_socket(name).await;
    w.connect_or_fail(&s, name, &token, &device).await;
    if let Some(d) = w.actors.get_mut(name).and_then(|a| a.devices.get_mut("")) {
        d.socket = Some(s);
    }
}

#[given(regex = r"^(\w+) has gone offline$")]
async fn has_gone_offline(w: &mut SamaWorld, name: String) {
    go_offline(w, &name).await;
}

#[when(regex = r"^(\w+) goes offline$")]
async fn goes_offline(w: &mut SamaWorld, name: String) {
    go_offline(w, &name).await;
}

#[given(regex = r"^(\w+) has come back online$")]
async fn has_come_back(w: &mut SamaWorld, name: String) {
    come_back(w, &name).await;
}

#[when(regex = r"^(\w+) comes back online$")]
async fn comes_back(w: &mut SamaWorld, name: String) {
    come_back(w, &name).await;
}

// ---- the outbox ----------------------------------------------------------------------------

/// The outbox entries for `name` (the mock admin API's `GET /_mock/outbox`), once `done` holds
/// for them or the scaled wait is over: a server may push after it answers (S14).
pub async fn outbox_for(w: &SamaWorld, name: &str, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    if !w.ctx.target.offers_admin() {
        w.impossible(format!(
            "the scenario reads the pushes of the outbox (GET /_mock/outbox); {}",
            crate::kit::lacking(&w.ctx.target, &reqwest::Method::GET, "/_mock/outbox")
        ));
    }
    let id = w.uid(name);
    let mine = |all: &[Value]| -> Vec<Value> {
        all.iter().filter(|e| e.get("to").and_then(Value::as_str) == Some(id.as_str())).cloned().collect()
    };
    let all = w.outbox_until(|all| done(&mine(all))).await;
    let mine = mine(&all);
    w.wire.push(
        "note",
        Some(name),
        format!("{} outbox entries for {name}", mine.len()),
        Some(Value::Array(mine.clone())),
    );
    mine
}

fn push_for<'a>(entries: &'a [Value], body: &str) -> Option<&'a Value> {
    entries.iter().find(|e| {
        e.get("type").and_then(Value::as_str) == Some("push")
            && e.pointer("/notification/body").and_then(Value::as_str) == Some(body)
    })
}

#[then(regex = r#"^(\w+) gets a push notification from (\w+) for "([^"]*)" in "([^"]*)"$"#)]
async fn gets_push(w: &mut SamaWorld, who: String, _from: String, label: String, to: String) {
    let cid = w.conv(&to).cid;
    let entries = outbox_for(w, &who, |e| push_for(e, &label).is_some()).await;
    let rule = "\"all conversation's participants who is offline will receive the following push notification: title, body, firstAttachmentUrl, cid\"";
    let Some(entry) = push_for(&entries, &label) else {
        w.fail(rule, format!("a push to {who} with body {label:?}"), Value::Array(entries));
    };
    let n = entry.get("notification").cloned().unwrap_or(Value::Null);
    let violations = crate::sama::driver::violations("record.push_notification", &n);
    let title_ok = n.get("title").and_then(Value::as_str).is_some_and(|t| !t.is_empty());
    if !violations.is_empty() || !title_ok || n.get("cid").and_then(Value::as_str) != Some(cid.as_str()) {
        w.fail(
            rule,
            format!("{{title: <the sender's name>, body: {label:?}, firstAttachmentUrl, cid: {cid:?}}}"),
            format!("{n}\n  {}", violations.join("\n  ")),
        );
    }
}

#[then(regex = r#"^(\w+) gets no push notification for "([^"]*)"$"#)]
async fn gets_no_push(w: &mut SamaWorld, who: String, label: String) {
    // Read after the offline participants' push for the same message was seen: one message's
    // pushes are decided together.
    let entries = outbox_for(w, &who, |_| true).await;
    if let Some(e) = push_for(&entries, &label) {
        w.fail(&format!("{who} is online, so {who} gets no push notification (S42)"), "no push", e);
    }
}

#[then(regex = r#"^(\w+)'s push notification for "([^"]*)" carries the URL of "([^"]*)"$"#)]
async fn push_carries_url(w: &mut SamaWorld, who: String, label: String, file: String) {
    let file_id = super::files::file_id(w, &file);
    let entries = outbox_for(w, &who, |e| push_for(e, &label).is_some()).await;
    let url = push_for(&entries, &label).and_then(|e| e.pointer("/notification/firstAttachmentUrl")).cloned();
    let ok =
        url.as_ref().and_then(Value::as_str).is_some_and(|u| u.starts_with("http") && u.contains(&file_id));
    if !ok {
        w.fail(
            "firstAttachmentUrl is the URL of the message's first attachment (S42)",
            format!("a URL of the file {file_id}"),
            format!("{url:?}"),
        );
    }
}

// ---- missed edits and deletions ------------------------------------------------------------

/// The op log entries of `who` since they went offline (`None` when the request fails).
async fn op_log_since(w: &mut SamaWorld, who: &str) -> Option<Vec<Value>> {
    let gt = w.marks.get(&format!("offline:{who}")).copied().unwrap_or(0);
    let params = OpLogListParams { created_at: TimeRange { gt: Some(gt), lt: None } };
    let reply = w.request::<OpLogList>(who, params).await;
    reply.is_ok().then(|| crate::sama::world::items(&reply.body, "logs"))
}

/// Finds a missed event (S49): "they will receive a message once became online", so it must
/// be delivered on the socket after reconnecting (waited for). An event kept only in the op
/// log, never delivered, is adapted to where the profile declares offline_edits_lost, else
/// graded as the register's reading S49 (a lenient pass; a failure under `--strict`). `None`
/// when neither and the profile declares offline_edits_lost.
async fn missed(w: &mut SamaWorld, who: &str, key: &str, pred: impl Fn(&Received) -> bool) -> Option<Value> {
    w.fence(who).await;
    if let Some(e) = w.socket(who).inbox.pending(&pred).first() {
        return Some(e.data.clone());
    }
    // A server may deliver what was missed a while after the connect.
    let wait = w.ctx.target.wait(Duration::from_secs(5));
    if let Ok(e) = w.socket(who).inbox.wait_for(wait, &pred).await {
        return Some(e.data);
    }
    let rule = "\"If users are offline, they will receive a message once became online.\"";
    let expected = format!("the missed {key} delivered on the socket after connect");
    let logs = op_log_since(w, who).await.unwrap_or_default();
    let from_log = logs
        .iter()
        .filter_map(|l| l.pointer(&format!("/packet/{key}")))
        .find(|p| pred(&Received::detached(key, (*p).clone())));
    if let Some(p) = from_log {
        let actual = format!("nothing on the socket within {wait:?}; only op_log_list holds it: {p}");
        if !w.deviation(Switch::OfflineEditsLost, rule, &expected, &actual) {
            w.reading("S49", rule, &expected, &actual);
        }
        return Some(p.clone());
    }
    let actual = format!("nothing on the socket within {wait:?}; op log: {}", Value::Array(logs));
    w.fail_known(Switch::OfflineEditsLost, rule, expected, actual);
    None
}

#[then(regex = r#"^(\w+) gets the missed edit of "([^"]*)" to "([^"]*)" from (\w+)$"#)]
async fn missed_edit(w: &mut SamaWorld, who: String, label: String, body: String, from: String) {
    let (id, from_id) = (w.mid(&label), w.uid(&from));
    let Some(data) = missed(w, &who, "message_edit", |e| is_edit(e, &id)).await else { return };
    check_edit(
        w,
        &data,
        &body,
        &from_id,
        "a missed message_edit is the event as the online participants got it (S49)",
    );
}

#[then(regex = r#"^(\w+) gets the missed deletion of "([^"]*)" for all from (\w+)$"#)]
async fn missed_deletion(w: &mut SamaWorld, who: String, label: String, from: String) {
    let (id, from_id) = (w.mid(&label), w.uid(&from));
    let cid = w.conv(&conv_of(w, &label)).cid;
    let Some(data) = missed(w, &who, "message_delete", |e| is_deletion(e, &id)).await else { return };
    check_deletion(
        w,
        &data,
        &cid,
        &from_id,
        "a missed message_delete is the event as the online participants got it (S49)",
    );
}

#[when(regex = r"^(\w+) lists (?:her|his) op log since (?:she|he) went offline$")]
async fn lists_op_log(w: &mut SamaWorld, who: String) {
    op_log_since(w, &who).await;
}

#[when(regex = r"^(\w+) lists (?:her|his) op log from before (?:she|he) went offline$")]
async fn lists_op_log_before(w: &mut SamaWorld, who: String) {
    let lt = w.marks.get(&format!("offline:{who}")).copied().unwrap_or(0);
    w.request::<OpLogList>(&who, OpLogListParams { created_at: TimeRange { gt: None, lt: Some(lt) } }).await;
}

#[then(regex = r#"^the op log holds nothing about "([^"]*)"$"#)]
async fn op_log_holds_nothing(w: &mut SamaWorld, label: String) {
    let reply = w.last();
    let body = w.ok(&reply);
    let id = w.mid(&label);
    if body.to_string().contains(&id) {
        w.fail(
            "op_log_list with created_at lt lists only earlier entries (S58)",
            format!("nothing about {id}"),
            reply.describe(),
        );
    }
}

#[when(regex = r"^(\w+) lists (?:her|his) op log without gt or lt$")]
async fn lists_op_log_unbounded(w: &mut SamaWorld, who: String) {
    w.request::<OpLogList>(&who, OpLogListParams { created_at: TimeRange::default() }).await;
}

#[then(regex = r"^the op log request is refused(?: with status (\d+))?$")]
async fn op_log_refused(w: &mut SamaWorld, status: String) {
    let reply = w.last();
    let rule = "op_log_list: \"gt or lt param is required\"";
    if reply.is_ok() {
        w.fail_known(Switch::OpLogWithoutRange, rule, "an error reply", reply.describe());
        return;
    }
    let want: Vec<u64> = status.parse().into_iter().collect();
    w.refused(&reply, &want);
}

#[then(regex = r#"^the op log holds the edit of "([^"]*)" to "([^"]*)" for (\w+)$"#)]
async fn op_log_holds(w: &mut SamaWorld, label: String, body: String, who: String) {
    let reply = w.last();
    let rule =
        "op_log_list answers { response: { logs: [ { _id, user_id, packet: { <event> } } ], id } } (S58)";
    let reply_body = w.ok(&reply);
    let (id, user) = (w.mid(&label), w.uid(&who));
    let logs = crate::sama::world::items(&reply_body, "logs");
    let entry = logs
        .iter()
        .find(|l| l.pointer("/packet/message_edit/id").and_then(Value::as_str) == Some(id.as_str()));
    match entry {
        Some(l)
            if l.get("user_id").and_then(Value::as_str) == Some(user.as_str())
                && l.pointer("/packet/message_edit/body").and_then(Value::as_str) == Some(body.as_str()) => {}
        None => w.fail_known(
            Switch::OpLogSkipsEdits,
            rule,
            format!("an entry for {user} with packet {{message_edit: {{id: {id:?}, body: {body:?}}}}}"),
            reply.describe(),
        ),
        Some(_) => w.fail(
            rule,
            format!("an entry for {user} with packet {{message_edit: {{id: {id:?}, body: {body:?}}}}}"),
            reply.describe(),
        ),
    }
}
