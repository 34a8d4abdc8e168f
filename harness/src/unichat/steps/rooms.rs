//! Steps for creating rooms, the group record, roles and participants (seed 001, "Create
//! room": "A room is a general purpose chat. Creator becomes owner and admins ... each
//! involved user, including creator, will receive new subscription notificaton").

use chatspec_specs::unichat::invites::{SetAccess, SetAccessArgs};
use chatspec_specs::unichat::rooms::{CreateRoom, CreateRoomArgs, Role};
use cucumber::{given, then, when};
use serde_json::Value;

use crate::kit::prose::names;
use crate::unichat::UnichatWorld;
use crate::unichat::driver::{UnichatReply as _, is_notification};
use crate::unichat::world::Room;
use crate::verdict::Ground;

impl UnichatWorld {
    /// `actor` creates the room `label` (a space when `space`) with `invitees`; the room is
    /// remembered when it was made.
    pub(super) async fn create_room(&mut self, actor: &str, label: &str, space: bool, invitees: Vec<u64>) {
        let name = self.unique(label);
        self.room_names.insert(label.to_owned(), name.clone());
        let args =
            CreateRoomArgs { name: name.clone(), user_ids: Some(invitees), is_space: space.then_some(true) };
        let reply = self.call::<CreateRoom>(actor, args).await;
        if !reply.is_ok() {
            return;
        }
        let sub = reply.body.get("subscription").cloned().unwrap_or(Value::Null);
        let (Some(gid), Some(sid)) =
            (sub.get("group_id").and_then(Value::as_u64), sub.get("id").and_then(Value::as_u64))
        else {
            self.fail(
                "create_room returns the creator's subscription",
                "{subscription: {id, group_id, ...}}",
                reply.describe(),
            );
        };
        let mut room = Room { group_id: gid, name, creator: actor.to_owned(), ..Room::default() };
        room.subs.insert(actor.to_owned(), sid);
        self.rooms.insert(label.to_owned(), room);
    }

    /// The user ids of `Bob and Carol`, or of `the user id 987654321`.
    fn invitee_ids(&self, list: &str) -> Vec<u64> {
        if let Some(id) = list.strip_prefix("the user id ") {
            return vec![id.trim().parse::<u64>().unwrap_or(0)];
        }
        names(list).iter().map(|n| self.actor(n).id).collect()
    }

    /// System messages of `room` with `xtag`, read by the room's creator.
    async fn system_messages(&mut self, room: &str, xtag: &str) -> Vec<Value> {
        let reader = self.room(room).creator;
        let all = self.latest_messages(&reader, room).await;
        all.into_iter().filter(|m| m.get("xtag").and_then(Value::as_str) == Some(xtag)).collect()
    }

    /// The user ids of `room`'s participants, from its creator's subscription record.
    async fn participants(&mut self, room: &str) -> Vec<u64> {
        let creator = self.room(room).creator;
        let sub = self.sub_record(&creator, room).await;
        let list = sub.pointer("/group/participants").and_then(Value::as_array).cloned().unwrap_or_default();
        list.iter().filter_map(|p| p.get("user_id").or_else(|| p.get("id")).and_then(Value::as_u64)).collect()
    }
}

#[when(regex = r#"^(\w+) creates the (room|space) "([^"]*)"$"#)]
async fn creates(w: &mut UnichatWorld, actor: String, kind: String, label: String) {
    w.create_room(&actor, &label, kind == "space", Vec::new()).await;
}

#[when(regex = r#"^(\w+) creates the room "([^"]*)" with (.+)$"#)]
async fn creates_with(w: &mut UnichatWorld, actor: String, label: String, list: String) {
    let ids = w.invitee_ids(&list);
    w.create_room(&actor, &label, false, ids).await;
}

#[given(regex = r#"^(\w+) has created the room "([^"]*)"(?: with (.+))?$"#)]
async fn has_created(w: &mut UnichatWorld, actor: String, label: String, list: String) {
    let ids = if list.is_empty() { Vec::new() } else { w.invitee_ids(&list) };
    w.create_room(&actor, &label, false, ids).await;
    let reply = w.last().clone();
    w.set_up_ok("U-room-returns-creator-sub", &reply);
}

#[then(regex = r#"^the reply is (\w+)'s subscription to "([^"]*)" with role "(\w+)"$"#)]
async fn reply_is_sub(w: &mut UnichatWorld, actor: String, room: String, role: String) {
    let body = w.last_ok();
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
        && let Some(r) = w.rooms.get_mut(&room)
    {
        r.subs.insert(actor, sid);
    }
}

#[then(regex = r#"^(\w+) is the owner of "([^"]*)"$"#)]
async fn is_owner(w: &mut UnichatWorld, actor: String, room: String) {
    let sub = w.sub_record(&actor, &room).await;
    let id = w.actor(&actor).id;
    // The public group record has no owner field; the mock reports `owner_id`. Where a
    // server reports none, the owner is told by what the document says of the owner alone:
    // "It is not possible to remove owner's admin role" (NOTES.md U9). Any other admin may
    // give up the admin role, so the probe (the actor making itself a writer) is refused for
    // the owner only.
    match sub.pointer("/group/owner_id").and_then(Value::as_u64) {
        Some(owner) if owner == id => {}
        Some(owner) => w.fail(
            "the owner is as documented",
            format!("owner_id {id} ({actor})"),
            format!("owner_id {owner}"),
        ),
        None => {
            if sub.get("role").and_then(Value::as_str) != Some("admin") {
                w.fail("the owner is \"its unrevokable admin\"", "role admin", sub);
            }
            let sid = w.sub_of(&actor, &room).await;
            let args = SetAccessArgs { subscription_id: sid, user_id: id, role: Role::Writer };
            let probe = w.look_up::<SetAccess>(&actor, args).await;
            if probe.is_ok() {
                w.fail(
                    &format!("{actor} is the owner: the owner's admin role cannot be removed"),
                    format!("{actor} making itself a writer is refused, as for the owner"),
                    format!("accepted, so {actor} is an admin but not the owner: {}", probe.describe()),
                );
            }
        }
    }
}

#[then(regex = r#"^(\w+)'s role in "([^"]*)" is "(\w+)"$"#)]
async fn role_is(w: &mut UnichatWorld, actor: String, room: String, role: String) {
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
async fn new_sub_notification(w: &mut UnichatWorld, list: String, room: String) {
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
            (e.data.pointer("/object/id").and_then(Value::as_u64), w.rooms.get_mut(&room))
        {
            r.subs.insert(actor, sid);
        }
    }
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
async fn one_system_message(w: &mut UnichatWorld, room: String, xtag: String, actor: String) {
    let found = w.system_messages(&room, &xtag).await;
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
async fn system_message_from(
    w: &mut UnichatWorld,
    room: String,
    xtag: String,
    actor: String,
    subject: String,
) {
    let found = w.system_messages(&room, &xtag).await;
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
async fn n_system_messages(w: &mut UnichatWorld, room: String, n: usize, xtag: String) {
    let found = w.system_messages(&room, &xtag).await;
    if found.len() != n {
        w.fail(&format!("the room has {n} '{xtag}' system messages"), n, Value::Array(found));
    }
}

#[then(regex = r#"^"([^"]*)" has (\d+) participants?$"#)]
async fn n_participants(w: &mut UnichatWorld, room: String, n: usize) {
    let got = w.participants(&room).await;
    if got.len() != n {
        w.fail("the group lists its participants", format!("{n} participants"), format!("{got:?}"));
    }
}

#[then(regex = r#"^(.+) (?:are participants|is a participant) of "([^"]*)"$"#)]
async fn are_participants(w: &mut UnichatWorld, list: String, room: String) {
    let got = w.participants(&room).await;
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
async fn not_participant(w: &mut UnichatWorld, actor: String, room: String) {
    let got = w.participants(&room).await;
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
async fn is_space(w: &mut UnichatWorld, want: String) {
    let body = w.last_ok();
    let got = body.pointer("/subscription/group/is_space").and_then(Value::as_bool);
    if got != Some(want == "true") {
        w.fail("is_space sets the group attribute", format!("group.is_space {want}"), format!("{got:?}"));
    }
}

#[then(regex = r#"^(\w+) has no subscription named "([^"]*)"$"#)]
async fn no_subscription_named(w: &mut UnichatWorld, actor: String, label: String) {
    let name = w.room_names.get(&label).cloned().unwrap_or(label);
    let subs = w.subscriptions_of(&actor).await;
    if let Some(s) =
        subs.iter().find(|s| s.pointer("/group/name").and_then(Value::as_str) == Some(name.as_str()))
    {
        w.fail(&format!("{actor} has no subscription to {name:?}"), "none", s);
    }
}

#[then(regex = r#"^the room "([^"]*)" has the name it was created with$"#)]
async fn keeps_name(w: &mut UnichatWorld, label: String) {
    let sent = w.room_names.get(&label).cloned().unwrap_or_default();
    let body = w.last_ok();
    let replied = body.pointer("/subscription/group/name").cloned().unwrap_or(Value::Null);
    let creator = w.room(&label).creator;
    let stored = w.sub_record(&creator, &label).await.pointer("/group/name").cloned().unwrap_or(Value::Null);
    for (how, got) in [("in the reply to create_room", replied), ("in get_subscription", stored)] {
        if got.as_str() != Some(sent.as_str()) {
            w.fail(
                &format!("the room name is \"Any string.\", kept as given ({how})"),
                format!("group.name {sent:?}"),
                got,
            );
        }
    }
}
