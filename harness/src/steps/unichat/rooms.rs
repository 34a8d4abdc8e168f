//! Steps for rooms, invitations, roles, leaving and the owner hand-off (seed 001).

use cucumber::{given, then, when};
use serde_json::{Value, json};

use super::{Room, is_notification};
use crate::drivers::unichat::UnichatReply as _;
use crate::steps::names;
use crate::verdict::Ground;
use crate::world::ChatWorld;

async fn create_room(w: &mut ChatWorld, actor: &str, label: &str, space: bool, invitees: Vec<Value>) {
    let name = w.unique(label);
    w.unichat.room_names.insert(label.to_owned(), name.clone());
    let mut args = json!({"name": name, "user_ids": invitees});
    if space {
        args["is_space"] = json!(true);
    }
    let reply = w.call_as(Some(actor), "create_room", args).await;
    if !reply.is_ok() {
        return;
    }
    let sub = reply.body.get("subscription").cloned().unwrap_or(Value::Null);
    let (Some(gid), Some(sid)) =
        (sub.get("group_id").and_then(Value::as_u64), sub.get("id").and_then(Value::as_u64))
    else {
        w.fail(
            "create_room returns the creator's subscription",
            "{subscription: {id, group_id, ...}}",
            reply.describe(),
        );
    };
    let mut room = Room { group_id: gid, name, creator: actor.to_owned(), ..Room::default() };
    room.subs.insert(actor.to_owned(), sid);
    w.unichat.rooms.insert(label.to_owned(), room);
}

fn invitee_ids(w: &ChatWorld, list: &str) -> Vec<Value> {
    if let Some(id) = list.strip_prefix("the user id ") {
        return vec![json!(id.trim().parse::<u64>().unwrap_or(0))];
    }
    names(list).iter().map(|n| json!(w.actor(n).id)).collect()
}

#[when(regex = r#"^(\w+) creates the (room|space) "([^"]*)"$"#)]
async fn creates(w: &mut ChatWorld, actor: String, kind: String, label: String) {
    create_room(w, &actor, &label, kind == "space", Vec::new()).await;
}

#[when(regex = r#"^(\w+) creates the room "([^"]*)" with (.+)$"#)]
async fn creates_with(w: &mut ChatWorld, actor: String, label: String, list: String) {
    let ids = invitee_ids(w, &list);
    create_room(w, &actor, &label, false, ids).await;
}

#[given(regex = r#"^(\w+) has created the room "([^"]*)"(?: with (.+))?$"#)]
async fn has_created(w: &mut ChatWorld, actor: String, label: String, list: String) {
    let ids = if list.is_empty() { Vec::new() } else { invitee_ids(w, &list) };
    create_room(w, &actor, &label, false, ids).await;
    let reply = w.last().clone();
    w.ok(&reply);
}

#[then(regex = r#"^the reply is (\w+)'s subscription to "([^"]*)" with role "(\w+)"$"#)]
async fn reply_is_sub(w: &mut ChatWorld, actor: String, room: String, role: String) {
    let reply = w.last().clone();
    let body = w.ok(&reply);
    let sub = body.get("subscription").cloned().unwrap_or(Value::Null);
    let (uid, gid) = (w.actor(&actor).id, w.room(&room).group_id);
    let got = (sub.get("user_id").and_then(Value::as_u64), sub.get("group_id").and_then(Value::as_u64));
    let expected = format!("user_id {uid}, group_id {gid}, role {role}");
    if got != (Some(uid), Some(gid)) {
        w.fail("the reply is the subscription of the right user and group", &expected, &sub);
    }
    // "Creator becomes owner and admins"; that a new participant writes is the reading U25.
    let ground = if role == "rw" { Ground::Reading("U25".into()) } else { Ground::Document };
    w.check_on(
        &ground,
        sub.get("role").and_then(Value::as_str) == Some(role.as_str()),
        "the reply is the subscription with the right role",
        expected,
        &sub,
    );
    if let Some(sid) = sub.get("id").and_then(Value::as_u64)
        && let Some(r) = w.unichat.rooms.get_mut(&room)
    {
        r.subs.insert(actor, sid);
    }
}

#[then(regex = r#"^(\w+) is the owner of "([^"]*)"$"#)]
async fn is_owner(w: &mut ChatWorld, actor: String, room: String) {
    let sub = w.sub_record(&actor, &room).await;
    let id = w.actor(&actor).id;
    // The public group record has no owner field; the mock reports `owner_id`. Where a
    // server reports none, the owner must at least be an admin (NOTES.md).
    match sub.pointer("/group/owner_id").and_then(Value::as_u64) {
        Some(owner) if owner == id => {}
        Some(owner) => w.fail(
            "the owner is as documented",
            format!("owner_id {id} ({actor})"),
            format!("owner_id {owner}"),
        ),
        None if sub.get("role").and_then(Value::as_str) == Some("admin") => {}
        None => w.fail("the owner is an admin", "role admin", sub),
    }
}

#[then(regex = r#"^(\w+)'s role in "([^"]*)" is "(\w+)"$"#)]
async fn role_is(w: &mut ChatWorld, actor: String, room: String, role: String) {
    let sub = w.sub_record(&actor, &room).await;
    if sub.get("role").and_then(Value::as_str) != Some(role.as_str()) {
        w.fail(
            &format!("{actor}'s role is {role}"),
            format!("role {role:?}"),
            sub.get("role").cloned().unwrap_or(Value::Null),
        );
    }
}

#[then(regex = r#"^(.+?) (?:each receive|receives) a new subscription notification for "([^"]*)"$"#)]
async fn new_sub_notification(w: &mut ChatWorld, list: String, room: String) {
    let gid = w.room(&room).group_id;
    for actor in names(&list) {
        let uid = w.actor(&actor).id;
        let what =
            format!("{{event: new, object_name: subscription, object: {{user_id: {uid}, group_id: {gid}}}}}");
        let e = w
            .expect_event(&actor, &what, |e| {
                is_notification(e, "new", "subscription")
                    && e.data.pointer("/object/group_id").and_then(Value::as_u64) == Some(gid)
                    && e.data.pointer("/object/user_id").and_then(Value::as_u64) == Some(uid)
            })
            .await;
        if let (Some(sid), Some(r)) =
            (e.data.pointer("/object/id").and_then(Value::as_u64), w.unichat.rooms.get_mut(&room))
        {
            r.subs.insert(actor, sid);
        }
    }
}

#[then(
    regex = r#"^(.+?) (?:each receive|receives) a new subscription notification about (\w+) in "([^"]*)"$"#
)]
async fn new_sub_about(w: &mut ChatWorld, list: String, subject: String, room: String) {
    let (gid, uid) = (w.room(&room).group_id, w.actor(&subject).id);
    for actor in names(&list) {
        let what = format!("a new subscription notification for user {uid} in group {gid}");
        w.expect_event(&actor, &what, |e| {
            is_notification(e, "new", "subscription")
                && e.data.pointer("/object/group_id").and_then(Value::as_u64) == Some(gid)
                && e.data.pointer("/object/user_id").and_then(Value::as_u64) == Some(uid)
        })
        .await;
    }
}

#[then(regex = r#"^(\w+) receives a changed subscription notification for "([^"]*)"$"#)]
async fn changed_sub_for(w: &mut ChatWorld, actor: String, room: String) {
    changed_sub_about(w, actor.clone(), actor, room).await;
}

#[then(
    regex = r#"^(.+?) (?:each receive|receives) a changed subscription notification about (\w+) in "([^"]*)"$"#
)]
async fn changed_sub_about(w: &mut ChatWorld, list: String, subject: String, room: String) {
    let (gid, uid) = (w.room(&room).group_id, w.actor(&subject).id);
    for actor in names(&list) {
        let what = format!("a changed subscription notification for user {uid} in group {gid}");
        w.expect_event(&actor, &what, |e| {
            is_notification(e, "changed", "subscription")
                && e.data.pointer("/object/group_id").and_then(Value::as_u64) == Some(gid)
                && e.data.pointer("/object/user_id").and_then(Value::as_u64) == Some(uid)
        })
        .await;
    }
}

/// System messages of `room` with `xtag`, read by the room's creator.
async fn system_messages(w: &mut ChatWorld, room: &str, xtag: &str) -> Vec<Value> {
    let reader = w.room(room).creator;
    let all = w.latest_messages(&reader, room).await;
    all.into_iter().filter(|m| m.get("xtag").and_then(Value::as_str) == Some(xtag)).collect()
}

fn refers_to_user(m: &Value, user: u64) -> bool {
    let r = m.get("reference");
    let kind_ok = r.and_then(|r| r.get("type")).and_then(Value::as_str) == Some("user");
    let id = r.and_then(|r| r.get("id"));
    let id_ok = id.and_then(Value::as_u64) == Some(user)
        || id.and_then(Value::as_str) == Some(user.to_string().as_str());
    kind_ok && id_ok
}

#[then(regex = r#"^"([^"]*)" has exactly one system message "(\w+)" from (\w+)$"#)]
async fn one_system_message(w: &mut ChatWorld, room: String, xtag: String, actor: String) {
    let found = system_messages(w, &room, &xtag).await;
    let uid = w.actor(&actor).id;
    if found.len() != 1 || found[0].get("user_id").and_then(Value::as_u64) != Some(uid) {
        w.fail(
            &format!("the room has one '{xtag}' system message from {actor}"),
            format!("one message with xtag {xtag:?} and user_id {uid}"),
            Value::Array(found),
        );
    }
}

#[then(regex = r#"^"([^"]*)" has a system message "(\w+)" from (\w+)(?: referring to the user (\w+))?$"#)]
async fn system_message_from(w: &mut ChatWorld, room: String, xtag: String, actor: String, subject: String) {
    let found = system_messages(w, &room, &xtag).await;
    let uid = w.actor(&actor).id;
    let target = (!subject.is_empty()).then(|| w.actor(&subject).id);
    let ok = found.iter().any(|m| {
        m.get("user_id").and_then(Value::as_u64) == Some(uid) && target.is_none_or(|t| refers_to_user(m, t))
    });
    if !ok {
        let want = match target {
            Some(t) => format!(
                "a message with xtag {xtag:?} from user {uid} with reference {{type: \"user\", id: {t}}}"
            ),
            None => format!("a message with xtag {xtag:?} from user {uid}"),
        };
        w.fail(&format!("the room has a '{xtag}' system message"), want, Value::Array(found));
    }
}

#[then(regex = r#"^"([^"]*)" has exactly (\d+) system messages "(\w+)"$"#)]
async fn n_system_messages(w: &mut ChatWorld, room: String, n: usize, xtag: String) {
    let found = system_messages(w, &room, &xtag).await;
    if found.len() != n {
        w.fail(&format!("the room has {n} '{xtag}' system messages"), n, Value::Array(found));
    }
}

#[then(regex = r#"^(\w+) receives a new message notification with xtag "(\w+)"$"#)]
async fn new_xtag_notification(w: &mut ChatWorld, actor: String, xtag: String) {
    w.expect_event(&actor, &format!("a new message notification with xtag {xtag}"), |e| {
        is_notification(e, "new", "message")
            && e.data.pointer("/object/xtag").and_then(Value::as_str) == Some(xtag.as_str())
    })
    .await;
}

async fn participants(w: &mut ChatWorld, room: &str) -> Vec<u64> {
    let creator = w.room(room).creator;
    let sub = w.sub_record(&creator, room).await;
    let list = sub.pointer("/group/participants").and_then(Value::as_array).cloned().unwrap_or_default();
    list.iter().filter_map(|p| p.get("user_id").or_else(|| p.get("id")).and_then(Value::as_u64)).collect()
}

#[then(regex = r#"^"([^"]*)" has (\d+) participants?$"#)]
async fn n_participants(w: &mut ChatWorld, room: String, n: usize) {
    let got = participants(w, &room).await;
    if got.len() != n {
        w.fail("the group lists its participants", format!("{n} participants"), format!("{got:?}"));
    }
}

#[then(regex = r#"^(.+) (?:are participants|is a participant) of "([^"]*)"$"#)]
async fn are_participants(w: &mut ChatWorld, list: String, room: String) {
    let got = participants(w, &room).await;
    for actor in names(&list) {
        let id = w.actor(&actor).id;
        if !got.contains(&id) {
            w.fail(
                &format!("{actor} is a participant"),
                format!("user {id} among the participants"),
                format!("{got:?}"),
            );
        }
    }
}

#[then(regex = r#"^(\w+) is not a participant of "([^"]*)"$"#)]
async fn not_participant(w: &mut ChatWorld, actor: String, room: String) {
    let got = participants(w, &room).await;
    let id = w.actor(&actor).id;
    if got.contains(&id) {
        w.fail(
            &format!("{actor} is not a participant"),
            format!("user {id} not among the participants"),
            format!("{got:?}"),
        );
    }
}

#[then(regex = r"^the reply's group has is_space (true|false)$")]
async fn is_space(w: &mut ChatWorld, want: String) {
    let reply = w.last().clone();
    let body = w.ok(&reply);
    let got = body.pointer("/subscription/group/is_space").and_then(Value::as_bool);
    if got != Some(want == "true") {
        w.fail("is_space sets the group attribute", format!("group.is_space {want}"), format!("{got:?}"));
    }
}

#[then(regex = r#"^(\w+) has no subscription named "([^"]*)"$"#)]
async fn no_subscription_named(w: &mut ChatWorld, actor: String, label: String) {
    let name = w.unichat.room_names.get(&label).cloned().unwrap_or(label);
    let subs = w.subscriptions_of(&actor).await;
    if let Some(s) =
        subs.iter().find(|s| s.pointer("/group/name").and_then(Value::as_str) == Some(name.as_str()))
    {
        w.fail(&format!("{actor} has no subscription to {name:?}"), "none", s);
    }
}

// ---- invitations and roles ------------------------------------------------------------

#[when(regex = r#"^(\w+) invites (.+) to "([^"]*)"$"#)]
async fn invites(w: &mut ChatWorld, actor: String, list: String, room: String) {
    let ids: Vec<u64> = names(&list).iter().map(|n| w.actor(n).id).collect();
    let sid = w.sub_of(&actor, &room).await;
    let user_id = if ids.len() == 1 { json!(ids[0]) } else { json!(ids) };
    w.call_as(Some(&actor), "invite", json!({"subscription_id": sid, "user_id": user_id})).await;
}

#[then(regex = r#"^(\w+) can load the messages of "([^"]*)"$"#)]
async fn can_load(w: &mut ChatWorld, actor: String, room: String) {
    w.latest_messages(&actor, &room).await;
}

#[then(regex = r#"^(\w+) can no longer load the messages of "([^"]*)"$"#)]
async fn cannot_load(w: &mut ChatWorld, actor: String, room: String) {
    let sid = w.sub_of(&actor, &room).await;
    let gid = w.room(&room).group_id;
    for args in [json!({"subscription_id": sid}), json!({"group_id": gid})] {
        let reply = w.call_as(Some(&actor), "get_messages", args).await;
        if reply.is_ok() || reply.status != 400 {
            w.fail(
                "after unsubscribing the user has no access to the group",
                "the error envelope",
                reply.describe(),
            );
        }
    }
}

fn role_name(words: &str) -> &'static str {
    match words {
        "a reader" => "ro",
        "a writer" => "rw",
        _ => "admin",
    }
}

#[when(regex = r#"^(\w+) makes (\w+) (a reader|a writer|an admin) of "([^"]*)"$"#)]
async fn makes(w: &mut ChatWorld, actor: String, subject: String, role: String, room: String) {
    let sid = w.sub_of(&actor, &room).await;
    let uid = w.actor(&subject).id;
    w.call_as(
        Some(&actor),
        "set_access",
        json!({"subscription_id": sid, "user_id": uid, "role": role_name(&role)}),
    )
    .await;
}

#[given(regex = r#"^(\w+) has made (\w+) (a reader|a writer|an admin) of "([^"]*)"$"#)]
async fn has_made(w: &mut ChatWorld, actor: String, subject: String, role: String, room: String) {
    makes(w, actor, subject, role, room).await;
    let reply = w.last().clone();
    w.ok(&reply);
}

#[given(regex = r#"^(\w+) has created an invite code for "([^"]*)"$"#)]
async fn invite_code(w: &mut ChatWorld, actor: String, room: String) {
    let sid = w.sub_of(&actor, &room).await;
    let reply = w.call_as(Some(&actor), "create_group_invite_code", json!({"subscription_id": sid})).await;
    let body = w.ok(&reply);
    w.unichat.invite_code = body.get("code").and_then(Value::as_str).map(str::to_owned);
}

#[when(regex = r#"^(\w+) uses the invite code(?: "([^"]*)")?$"#)]
async fn uses_code(w: &mut ChatWorld, actor: String, code: String) {
    let code = if code.is_empty() { w.unichat.invite_code.clone().unwrap_or_default() } else { code };
    w.call_as(Some(&actor), "use_invite_code", json!({"code": code})).await;
}

// ---- leaving ----------------------------------------------------------------------------

#[when(regex = r#"^(\w+) leaves "([^"]*)"$"#)]
async fn leaves(w: &mut ChatWorld, actor: String, room: String) {
    let sid = w.sub_of(&actor, &room).await;
    // Every other known participant's subscription is learned now, while they can see it.
    w.call_as(Some(&actor), "unsubscribe", json!({"subscription_id": sid})).await;
}

#[when(regex = r#"^(\w+) kicks (\w+) from "([^"]*)"$"#)]
async fn kicks(w: &mut ChatWorld, actor: String, subject: String, room: String) {
    let sid = w.sub_of(&actor, &room).await;
    w.sub_of(&subject, &room).await;
    let uid = w.actor(&subject).id;
    w.call_as(Some(&actor), "kick", json!({"subscription_id": sid, "user_id": uid})).await;
}

#[then(
    regex = r#"^(\w+) receives a new message notification with xtag "(\w+)" before the deleted notification for (?:his|her) subscription to "([^"]*)"$"#
)]
async fn leave_before_deleted(w: &mut ChatWorld, actor: String, xtag: String, room: String) {
    let sid = w.sub_of(&actor, &room).await;
    let gid = w.room(&room).group_id;
    let leave = w
        .expect_event(&actor, &format!("a new message with xtag {xtag} in group {gid}"), |e| {
            is_notification(e, "new", "message")
                && e.data.pointer("/object/xtag").and_then(Value::as_str) == Some(xtag.as_str())
                && e.data.pointer("/object/group_id").and_then(Value::as_u64) == Some(gid)
        })
        .await;
    let deleted = w
        .expect_event(&actor, &format!("a deleted notification for subscription {sid}"), |e| {
            is_notification(e, "deleted", "subscription")
                && e.data.pointer("/object/id").and_then(Value::as_u64) == Some(sid)
        })
        .await;
    if leave.seq > deleted.seq {
        w.fail(
            "the leave message is posted just before unsubscribing",
            "the leave message notification first",
            format!("deleted at +{}ms, leave at +{}ms", deleted.at_ms, leave.at_ms),
        );
    }
}

#[then(
    regex = r#"^(\w+) receives a deleted subscription notification carrying the id of (\w+)'s subscription to "([^"]*)"$"#
)]
async fn deleted_sub(w: &mut ChatWorld, actor: String, subject: String, room: String) {
    let sid = w.sub_of(&subject, &room).await;
    w.expect_event(
        &actor,
        &format!("{{event: deleted, object_name: subscription, object: {{id: {sid}}}}}"),
        |e| {
            is_notification(e, "deleted", "subscription")
                && e.data.pointer("/object/id").and_then(Value::as_u64) == Some(sid)
        },
    )
    .await;
}
