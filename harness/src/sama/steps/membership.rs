//! Steps for who takes part in a conversation (seed 003): `conversation_update` (renaming,
//! adding, removing) and `conversation_delete` (leaving), the events they send and the
//! stored participant messages (NOTES.md S31 to S35).

use std::panic::AssertUnwindSafe;

use chatspec_specs::sama::membership::{
    ConversationDelete, ConversationDeleteParams, ConversationUpdate, ConversationUpdateParams,
    ParticipantsChange,
};
use chatspec_specs::sama::messages::{MessageList, MessageListParams};
use cucumber::{given, then, when};
use futures::FutureExt;
use serde_json::{Value, json};

use super::conversations::{lists_participants, participants_of, reply_conversation};
use super::users::user_ids;
use crate::events::Received;
use crate::kit::prose::names;
use crate::sama::SamaWorld;
use crate::sama::world::items;

#[then(regex = r#"^"([^"]*)" still has only the participants (.+)$"#)]
async fn still_only(w: &mut SamaWorld, label: String, list: String) {
    let c = w.conv(&label);
    let mut got = participants_of(w, &c.creator, &c.cid).await;
    let mut want = user_ids(w, &list);
    got.sort();
    want.sort();
    if got != want {
        w.fail(
            "\"(user) - a private conversations for two people only\": its participants stay",
            format!("{want:?}"),
            format!("{got:?}"),
        );
    }
}

// ---- participant messages ------------------------------------------------------------------

fn is_participant_message(e: &Received, kind: &str, user: &str, cid: &str) -> bool {
    e.name == "message"
        && e.data.pointer("/x/type").and_then(Value::as_str) == Some(kind)
        && e.data.pointer("/x/user/_id").and_then(Value::as_str) == Some(user)
        && e.data.get("cid").and_then(Value::as_str) == Some(cid)
}

#[then(
    regex = r#"^(.+?) (?:each receive|receives) the participant message "(\w+)" about (\w+) in "([^"]*)"(?: \(reading (S\d+)\))?$"#
)]
async fn receives_participant_message(
    w: &mut SamaWorld,
    list: String,
    kind: String,
    about: String,
    label: String,
    entry: String,
) {
    let done = AssertUnwindSafe(participant_message(w, &list, &kind, &about, &label)).catch_unwind().await;
    w.grade(&entry, done);
}

async fn participant_message(w: &SamaWorld, list: &str, kind: &str, about: &str, label: &str) {
    let (user, cid) = (w.uid(about), w.conv(label).cid);
    for who in names(list) {
        let what = format!("message {{cid: {cid:?}, body, x: {{type: {kind:?}, user: {{_id: {user:?}}}}}}}");
        let e = w.expect_frame(&who, &what, |e| is_participant_message(e, kind, &user, &cid)).await;
        if e.data.get("body").and_then(Value::as_str).is_none_or(str::is_empty) {
            w.fail("a participant message has a body saying what happened (S34)", what, e.data);
        }
    }
}

#[then(
    regex = r#"^(\w+) receives the participant message "(\w+)" about (\w+) in "([^"]*)" saying (?:she|he) "([^"]*)"(?: \(reading (S\d+)\))?$"#
)]
async fn participant_message_saying(
    w: &mut SamaWorld,
    who: String,
    kind: String,
    about: String,
    label: String,
    phrase: String,
    entry: String,
) {
    let (user, cid) = (w.uid(&about), w.conv(&label).cid);
    let what = format!("message {{cid: {cid:?}, body, x: {{type: {kind:?}, user: {{_id: {user:?}}}}}}}");
    let e = w.expect_frame(&who, &what, |e| is_participant_message(e, &kind, &user, &cid)).await;
    let done = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let record = e.data.pointer("/x/user").cloned().unwrap_or(Value::Null);
        let text = |f: &str| record.get(f).and_then(Value::as_str).filter(|t| !t.is_empty());
        let login = text("login").map_or_else(|| w.actor(&about).login.clone(), str::to_owned);
        // "Ivan Ivanovich has been added": first and last name; "lane1991 has left": the login.
        let names: Vec<&str> = ["first_name", "last_name"].into_iter().filter_map(text).collect();
        let name = if names.is_empty() || kind == "left_participants" { login } else { names.join(" ") };
        let mut want = vec![format!("{name} {phrase}")];
        // The seed's own words for a removal: "has been remove from the group".
        if phrase.contains("removed") {
            want.push(format!("{name} {}", phrase.replace("removed", "remove")));
        }
        let body = e.data.get("body").and_then(Value::as_str).unwrap_or_default();
        if !want.iter().any(|t| t == body) {
            w.fail(
                "a participant message's body names the user as the seed's examples do (S34)",
                want.join(" or "),
                body,
            );
        }
    }));
    w.grade(&entry, done);
}

#[then(
    regex = r#"^(\w+) receives the participant message "left_participants" about (\w+) in "([^"]*)" with the user's native_id$"#
)]
async fn left_with_native_id(w: &mut SamaWorld, who: String, about: String, label: String) {
    let (user, cid) = (w.uid(&about), w.conv(&label).cid);
    let what = format!(
        "message {{cid: {cid:?}, x: {{type: \"left_participants\", user: {{native_id, _id: {user:?}}}}}}}"
    );
    let e =
        w.expect_frame(&who, &what, |e| is_participant_message(e, "left_participants", &user, &cid)).await;
    let record = e.data.pointer("/x/user").cloned().unwrap_or(Value::Null);
    let Some(native) = record.get("native_id").and_then(Value::as_str).filter(|t| !t.is_empty()) else {
        w.fail(
            "the user of a left_participants message carries native_id",
            format!("x.user {{native_id, _id: {user:?}, login, ...}}"),
            record,
        );
    };
    if native != user {
        w.reading("S62", "native_id equals the user's _id, as in the example", &user, native);
    }
}

#[then(
    regex = r#"^(\w+) receives no participant message "(\w+)" about (\w+) in "([^"]*)"(?: \(reading (S\d+)\))?$"#
)]
async fn no_participant_message(
    w: &mut SamaWorld,
    who: String,
    kind: String,
    about: String,
    label: String,
    entry: String,
) {
    let (user, cid) = (w.uid(&about), w.conv(&label).cid);
    let what = format!("the {kind} message about {about}");
    let done =
        AssertUnwindSafe(w.expect_no_frame(&who, &what, |e| is_participant_message(e, &kind, &user, &cid)))
            .catch_unwind()
            .await;
    w.grade(&entry, done);
}

#[then(regex = r#"^"([^"]*)" holds a stored "(\w+)" message about (\w+)$"#)]
async fn stored_participant_message(w: &mut SamaWorld, label: String, kind: String, about: String) {
    let c = w.conv(&label);
    let user = w.uid(&about);
    let params = MessageListParams { cid: c.cid.clone(), ..MessageListParams::default() };
    let reply = w.request::<MessageList>(&c.creator, params).await;
    let body = w.ok(&reply);
    let found = items(&body, "messages").into_iter().any(|m| {
        m.pointer("/x/type").and_then(Value::as_str) == Some(kind.as_str())
            && m.pointer("/x/user/_id").and_then(Value::as_str) == Some(user.as_str())
    });
    if !found {
        w.fail(
            "\"The following message will also be sent to all users who are online and saved in the Message\"",
            format!("a stored message with x.type {kind:?} about {user}"),
            reply.describe(),
        );
    }
}

// ---- changes -----------------------------------------------------------------------------

#[when(regex = r#"^(\w+) renames "([^"]*)" to "([^"]*)" with the description "([^"]*)"$"#)]
async fn renames(w: &mut SamaWorld, who: String, label: String, new: String, description: String) {
    let cid = w.conv(&label).cid;
    let name = w.unique(&new);
    w.remembered.insert("new_name".into(), json!(name));
    let params = ConversationUpdateParams {
        id: cid,
        name: Some(name),
        description: Some(description),
        ..ConversationUpdateParams::default()
    };
    w.request::<ConversationUpdate>(&who, params).await;
}

#[then(
    regex = r#"^the reply's conversation has the new name and the description "([^"]*)"(?: \(reading (S\d+)\))?$"#
)]
async fn renamed(w: &mut SamaWorld, description: String, entry: String) {
    let done = std::panic::catch_unwind(AssertUnwindSafe(|| renamed_to(w, &description)));
    w.grade(&entry, done);
}

fn renamed_to(w: &SamaWorld, description: &str) {
    let c = reply_conversation(w);
    let name = w.remembered.get("new_name").cloned().unwrap_or(Value::Null);
    if c.get("name") != Some(&name) || c.get("description").and_then(Value::as_str) != Some(description) {
        w.fail(
            "conversation_update answers the conversation as changed",
            format!("name {name}, description {description:?}"),
            c,
        );
    }
}

/// `conversation_update: { id, participants: { add: [...] } }` (or `remove`, when `add` is
/// false).
async fn change(w: &mut SamaWorld, who: &str, label: &str, add: bool, list: &str) {
    let cid = w.conv(label).cid;
    let ids = user_ids(w, list);
    let participants = if add {
        ParticipantsChange { add: Some(ids), remove: None }
    } else {
        ParticipantsChange { add: None, remove: Some(ids) }
    };
    let params = ConversationUpdateParams {
        id: cid,
        participants: Some(participants),
        ..ConversationUpdateParams::default()
    };
    w.request::<ConversationUpdate>(who, params).await;
}

#[when(regex = r#"^(\w+) adds (.+) to the conversation "([^"]*)"$"#)]
async fn adds(w: &mut SamaWorld, who: String, list: String, label: String) {
    change(w, &who, &label, true, &list).await;
}

#[given(regex = r#"^(\w+) has added (.+) to the conversation "([^"]*)"$"#)]
async fn has_added(w: &mut SamaWorld, who: String, list: String, label: String) {
    change(w, &who, &label, true, &list).await;
    let reply = w.last();
    w.ok(&reply);
}

#[when(regex = r#"^(\w+) removes (.+) from the conversation "([^"]*)"$"#)]
async fn removes(w: &mut SamaWorld, who: String, list: String, label: String) {
    change(w, &who, &label, false, &list).await;
}

#[then(regex = r"^the reply's conversation lists (.+)$")]
async fn reply_lists(w: &mut SamaWorld, list: String) {
    let c = reply_conversation(w);
    let want = user_ids(w, &list);
    if !lists_participants(w, &c, &want, "the conversation_update reply") {
        w.fail("conversation_update answers the conversation with its participants", format!("{want:?}"), c);
    }
}

#[when(regex = r#"^(\w+) leaves the conversation (?:"([^"]*)"|with the unknown id "([^"]*)")$"#)]
async fn leaves(w: &mut SamaWorld, who: String, label: String, unknown: String) {
    let cid = if label.is_empty() { unknown } else { w.conv(&label).cid };
    w.request::<ConversationDelete>(&who, ConversationDeleteParams { id: cid }).await;
}

#[then(regex = r#"^(\w+) (can|can no longer) list the messages of "([^"]*)"(?: \(reading (S\d+)\))?$"#)]
async fn can_list(w: &mut SamaWorld, who: String, can: String, label: String, entry: String) {
    let cid = w.conv(&label).cid;
    let reply =
        w.request::<MessageList>(&who, MessageListParams { cid, ..MessageListParams::default() }).await;
    let done = std::panic::catch_unwind(AssertUnwindSafe(|| {
        if can == "can" {
            w.ok(&reply);
        } else {
            w.refused(&reply, &[403, 404]);
        }
    }));
    w.grade(&entry, done);
}
