//! Steps for leaving and kicking, and the owner hand-off (seed 001, "Leaving the room":
//! "the system posts unichat system message from leaving user with xtag: leave just before
//! unsubscribing"; "When the group owner leaves"; the public fact `kick`, NOTES.md U26 to U28).

use chatspec_specs::unichat::{
    leaving::{Kick, KickArgs, Unsubscribe, UnsubscribeArgs},
    messages::{GetMessages, GetMessagesArgs},
};
use cucumber::{then, when};
use serde_json::Value;

use crate::unichat::UnichatWorld;
use crate::unichat::driver::{UnichatReply as _, is_notification};

#[when(regex = r#"^(\w+) leaves "([^"]*)"$"#)]
async fn leaves(w: &mut UnichatWorld, actor: String, room: String) {
    let sid = w.sub_of(&actor, &room).await;
    // Every other known participant's subscription is learned now, while they can see it.
    w.call::<Unsubscribe>(&actor, UnsubscribeArgs { subscription_id: sid }).await;
}

#[when(regex = r#"^(\w+) kicks (\w+) from "([^"]*)"$"#)]
async fn kicks(w: &mut UnichatWorld, actor: String, subject: String, room: String) {
    let sid = w.sub_of(&actor, &room).await;
    w.sub_of(&subject, &room).await;
    let uid = w.actor(&subject).id;
    w.call::<Kick>(&actor, KickArgs { subscription_id: sid, user_id: uid }).await;
}

#[then(
    regex = r#"^(\w+) receives a new message notification with xtag "(\w+)" before the deleted notification for (?:his|her) subscription to "([^"]*)"$"#
)]
async fn leave_before_deleted(w: &mut UnichatWorld, actor: String, xtag: String, room: String) {
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
    // "the system posts unichat system message from leaving user"
    let from = leave.data.pointer("/object/user_id").and_then(Value::as_u64);
    let leaver = w.actor(&actor).id;
    if from != Some(leaver) {
        w.fail(
            &format!("the leave message is from the leaving user, {actor}"),
            format!("object.user_id {leaver}"),
            format!("object.user_id {from:?}"),
        );
    }
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
async fn deleted_sub(w: &mut UnichatWorld, actor: String, subject: String, room: String) {
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

#[then(regex = r#"^(\w+) can no longer load the messages of "([^"]*)"$"#)]
async fn cannot_load(w: &mut UnichatWorld, actor: String, room: String) {
    let sid = w.sub_of(&actor, &room).await;
    let gid = w.room(&room).group_id;
    let by_subscription = GetMessagesArgs { subscription_id: Some(sid), ..GetMessagesArgs::default() };
    let by_group = GetMessagesArgs { group_id: Some(gid), ..GetMessagesArgs::default() };
    for args in [by_subscription, by_group] {
        let reply = w.call::<GetMessages>(&actor, args).await;
        if reply.is_ok() || reply.status != 400 {
            w.fail(
                "after unsubscribing the user has no access to the group",
                "the error envelope",
                reply.describe(),
            );
        }
    }
}
