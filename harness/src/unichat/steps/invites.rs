//! Steps for inviting and joining, and for roles (seed 001, "Invite to the room", "Use
//! invite code"; the public facts `create_group_invite_code` and `set_access`, NOTES.md U24 to
//! U26), and the subscription notifications they cause.

use chatspec_specs::unichat::{
    invites::{
        CreateGroupInviteCode, CreateGroupInviteCodeArgs, Invite, InviteArgs, SetAccess, SetAccessArgs,
        UseInviteCode, UseInviteCodeArgs, UserIdsArg,
    },
    rooms::Role,
};
use cucumber::{given, then, when};
use serde_json::Value;

use crate::kit::prose::names;
use crate::unichat::UnichatWorld;
use crate::unichat::driver::is_notification;

#[when(regex = r#"^(\w+) invites (.+) to "([^"]*)"$"#)]
async fn invites(w: &mut UnichatWorld, actor: String, list: String, room: String) {
    let ids: Vec<u64> = names(&list).iter().map(|n| w.actor(n).id).collect();
    let sid = w.sub_of(&actor, &room).await;
    let user_id = if ids.len() == 1 { UserIdsArg::One(ids[0]) } else { UserIdsArg::Many(ids) };
    w.call::<Invite>(&actor, InviteArgs { subscription_id: sid, user_id }).await;
}

#[then(regex = r#"^(\w+) can load the messages of "([^"]*)"$"#)]
async fn can_load(w: &mut UnichatWorld, actor: String, room: String) {
    w.latest_messages(&actor, &room).await;
}

/// The role `a reader`, `a writer` or `an admin` names.
fn role_named(words: &str) -> Role {
    match words {
        "a reader" => Role::Reader,
        "a writer" => Role::Writer,
        _ => Role::Admin,
    }
}

#[when(regex = r#"^(\w+) makes (\w+) (a reader|a writer|an admin) of "([^"]*)"$"#)]
async fn makes(w: &mut UnichatWorld, actor: String, subject: String, role: String, room: String) {
    let sid = w.sub_of(&actor, &room).await;
    let uid = w.actor(&subject).id;
    w.call::<SetAccess>(
        &actor,
        SetAccessArgs { subscription_id: sid, user_id: uid, role: role_named(&role) },
    )
    .await;
}

#[given(regex = r#"^(\w+) has made (\w+) (a reader|a writer|an admin) of "([^"]*)"$"#)]
async fn has_made(w: &mut UnichatWorld, actor: String, subject: String, role: String, room: String) {
    makes(w, actor, subject, role, room).await;
    w.last_ok();
}

#[given(regex = r#"^(\w+) has created an invite code for "([^"]*)"$"#)]
async fn invite_code(w: &mut UnichatWorld, actor: String, room: String) {
    let sid = w.sub_of(&actor, &room).await;
    w.call::<CreateGroupInviteCode>(&actor, CreateGroupInviteCodeArgs { subscription_id: sid }).await;
    let body = w.last_ok();
    w.invite_code = body.get("code").and_then(Value::as_str).map(str::to_owned);
}

#[when(regex = r#"^(\w+) uses the invite code(?: "([^"]*)")?$"#)]
async fn uses_code(w: &mut UnichatWorld, actor: String, code: String) {
    let code = if code.is_empty() { w.invite_code.clone().unwrap_or_default() } else { code };
    w.call::<UseInviteCode>(&actor, UseInviteCodeArgs { code }).await;
}

#[then(
    regex = r#"^(.+?) (?:each receive|receives) a new subscription notification about (\w+) in "([^"]*)"$"#
)]
async fn new_sub_about(w: &mut UnichatWorld, list: String, subject: String, room: String) {
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
async fn changed_sub_for(w: &mut UnichatWorld, actor: String, room: String) {
    changed_sub_about(w, actor.clone(), actor, room).await;
}

#[then(
    regex = r#"^(.+?) (?:each receive|receives) a changed subscription notification about (\w+) in "([^"]*)"$"#
)]
async fn changed_sub_about(w: &mut UnichatWorld, list: String, subject: String, room: String) {
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

#[when(regex = r#"^(\w+) invites (\w+) to "([^"]*)" through (\w+)'s subscription$"#)]
async fn invites_through(w: &mut UnichatWorld, actor: String, invitee: String, room: String, owner: String) {
    let sid = w.sub_of(&owner, &room).await;
    let user_id = UserIdsArg::One(w.actor(&invitee).id);
    w.call::<Invite>(&actor, InviteArgs { subscription_id: sid, user_id }).await;
}

#[then(
    regex = r#"^(.+?) (?:each receive|receives) a new message notification for the invite of (\w+) to "([^"]*)"$"#
)]
async fn invite_message_notified(w: &mut UnichatWorld, list: String, invitee: String, room: String) {
    let (gid, uid) = (w.room(&room).group_id, w.actor(&invitee).id);
    for actor in names(&list) {
        let what = format!(
            "{{event: new, object_type: message, object: {{group_id: {gid}, xtag: invite, reference: {{type: user, id: {uid}}}}}}}"
        );
        w.expect_event(&actor, &what, |e| {
            let reference = e.data.pointer("/object/reference/id");
            // The reference id may come as a string or a number (NOTES.md U12).
            let refers = reference.and_then(Value::as_u64) == Some(uid)
                || reference.and_then(Value::as_str) == Some(uid.to_string().as_str());
            is_notification(e, "new", "message")
                && e.data.pointer("/object/group_id").and_then(Value::as_u64) == Some(gid)
                && e.data.pointer("/object/xtag").and_then(Value::as_str) == Some("invite")
                && refers
        })
        .await;
    }
}
