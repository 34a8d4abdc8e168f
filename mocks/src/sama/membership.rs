//! Who takes part (seed 003): `conversation_update` (name, description, participants added
//! and removed), `conversation_delete` (leaving), the `conversation_updated` and
//! `conversation_kicked` events and the stored participant messages (NOTES.md S29, S31 to
//! S35).

use std::collections::BTreeMap;

use chatspec_specs::endpoint::Handle;
use chatspec_specs::sama::{
    conversations::{ConversationReply, ConversationType},
    envelope::Status,
    membership::{ConversationDeleteParams, ConversationUpdateParams, ParticipantChange, ParticipantX},
};
use serde_json::Value;

use super::breakage::Breakage;
use super::compat::Switch;
use super::conversations::text;
use super::error::{SamaError, fail};
use super::frames::{event, to_value};
use super::messages::Msg;
use super::store::{Call, Ctx, Served, Store, dedup};

impl Store {
    /// Stores and sends the message saying `user` was added, removed or left (S34).
    fn participant_message(&mut self, cx: &Ctx, cid: &str, change: ParticipantChange, user: &str) {
        let Some(u) = self.users.get(user) else {
            return;
        };
        let named = match self.users.get(&cx.me) {
            Some(actor) if self.config.broken(Breakage::ParticipantBodyNamesActor) => actor,
            _ => u,
        };
        let body = match change {
            ParticipantChange::Added => format!("{} has been added to the group", named.display_name()),
            ParticipantChange::Removed => {
                format!("{} has been removed from the group", named.display_name())
            }
            ParticipantChange::Left => format!("{} has left the group", named.login),
        };
        let mut user_view = self.user_view(u);
        if change == ParticipantChange::Left && self.config.broken(Breakage::LeftWithoutNativeId) {
            user_view.native_id = None;
        }
        let x = ParticipantX { kind: change, user: user_view };
        let x: BTreeMap<String, Value> = match to_value(&x) {
            Value::Object(fields) => fields.into_iter().collect(),
            _ => BTreeMap::new(),
        };
        let msg = Msg::new(self.new_id(), cid, &cx.me, Some(body), Some(x), None, cx.now);
        let view = msg.view();
        self.insert_message(msg);
        let participants = self.convs.get(cid).map(|c| c.participants.clone()).unwrap_or_default();
        self.emit(&participants, cx.conn, event("message", to_value(&view)));
    }

    /// `conversation_update: { id, name, description, participants: { add, remove } }`
    /// (S31 to S34).
    pub(crate) fn conversation_update(
        &mut self,
        cx: &Ctx,
        p: ConversationUpdateParams,
    ) -> Result<Value, SamaError> {
        let conv = self.joined(&cx.me, &p.id)?;
        let mut change = p.participants.unwrap_or_default();
        // The public server leaves a private conversation's participants as they are (S31).
        if conv.kind == ConversationType::Private && self.config.on(Switch::PrivateAddIgnored) {
            change = Default::default();
        }
        let add: Vec<String> = dedup(change.add.unwrap_or_default())
            .into_iter()
            .filter(|id| !conv.participants.contains(id))
            .collect();
        let remove: Vec<String> = dedup(change.remove.unwrap_or_default())
            .into_iter()
            .filter(|id| conv.participants.contains(id) || *id == cx.me)
            .collect();
        if conv.kind == ConversationType::Private && !(add.is_empty() && remove.is_empty()) {
            return fail(Status::Unprocessable, "the participants of a private conversation cannot change");
        }
        if remove.contains(&cx.me) {
            return fail(Status::Unprocessable, "you cannot remove yourself; leave with conversation_delete");
        }
        if !remove.is_empty() && conv.owner_id != cx.me {
            return fail(Status::Forbidden, "only the owner removes participants");
        }
        if conv.kind == ConversationType::Group && p.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
            return fail(Status::Unprocessable, "a group conversation needs a name");
        }
        self.check_users_exist(&add)?;
        let cid = conv.id.clone();
        if let Some(c) = self.convs.get_mut(&cid) {
            if let Some(name) = p.name {
                c.name = text(Some(name));
            }
            if let Some(d) = p.description {
                c.description = text(Some(d));
            }
            c.participants.retain(|id| !remove.contains(id));
            c.participants.extend(add.iter().cloned());
            c.updated_at = cx.now;
        }
        let updated = self.notice(cx, &cid, "conversation_updated");
        self.emit(&add, cx.conn, updated);
        let kicked = self.notice(cx, &cid, "conversation_kicked");
        self.emit(&remove, cx.conn, kicked);
        for user in &add {
            self.participant_message(cx, &cid, ParticipantChange::Added, user);
        }
        for user in &remove {
            self.participant_message(cx, &cid, ParticipantChange::Removed, user);
        }
        let conversation = self
            .convs
            .get(&cid)
            .map(|c| self.conv_view(c, None))
            .ok_or_else(|| SamaError::new(Status::NotFound, "the conversation is gone"))?;
        Ok(to_value(&ConversationReply { id: cx.id.clone(), conversation }))
    }

    /// `conversation_delete: { id }`: the caller leaves (S35).
    pub(crate) fn conversation_delete(
        &mut self,
        cx: &Ctx,
        p: ConversationDeleteParams,
    ) -> Result<Value, SamaError> {
        self.joined(&cx.me, &p.id)?;
        self.leave(cx, &p.id);
        Ok(cx.success())
    }

    /// `cx.me` leaves `cid`: the others of a group are told, the oldest remaining
    /// participant takes over an owner's conversation, the last one out takes it away.
    pub(crate) fn leave(&mut self, cx: &Ctx, cid: &str) {
        let Some(c) = self.convs.get_mut(cid) else {
            return;
        };
        c.participants.retain(|id| *id != cx.me);
        c.updated_at = cx.now;
        if c.owner_id == cx.me
            && let Some(heir) = c.participants.first()
        {
            c.owner_id = heir.clone();
        }
        if c.participants.is_empty() {
            if let Some(c) = self.convs.remove(cid) {
                for id in c.messages {
                    self.messages.remove(&id);
                }
            }
            return;
        }
        if c.kind == ConversationType::Group {
            self.participant_message(cx, cid, ParticipantChange::Left, &cx.me.clone());
        }
    }
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/sama/mod.rs) ----
impl Handle<chatspec_specs::sama::membership::ConversationUpdate, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.conversation_update(c.cx, c.params()?).map(Some)
    }
}

impl Handle<chatspec_specs::sama::membership::ConversationDelete, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.conversation_delete(c.cx, c.params()?).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use serde_json::json;

    #[test]
    fn adding_and_removing_tell_each_side_and_store_messages() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let bob = f.provision("bob");
        let carol = f.provision("Carol King");
        let a = f.connect(&alice);
        let b = f.connect(&bob);
        let c = f.connect(&carol);
        let cid = f.group(a, "G", &[&bob.user.id]);
        f.drain();
        let reply = f.request(
            a,
            "conversation_update",
            json!({"id": cid, "participants": {"add": [carol.user.id], "remove": [bob.user.id]}}),
        );
        assert_eq!(reply["conversation"]["participants"], json!([alice.user.id, carol.user.id]));
        let carol_saw = f.all_events(c);
        assert!(carol_saw[0]["system_message"]["x"]["conversation_updated"].is_object());
        assert_eq!(carol_saw[1]["message"]["x"]["type"], "added_participant");
        assert_eq!(carol_saw[1]["message"]["body"], "Carol King has been added to the group");
        assert_eq!(carol_saw[2]["message"]["x"]["type"], "removed_participant");
        let bob_saw = f.all_events(b);
        assert_eq!(bob_saw.len(), 1, "{bob_saw:?}");
        assert!(bob_saw[0]["system_message"]["x"]["conversation_kicked"].is_object());
        let listed = f.request(c, "message_list", json!({"cid": cid}));
        assert_eq!(listed["messages"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn only_the_owner_removes_and_nobody_changes_a_private_conversation() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let bob = f.provision("bob");
        let carol = f.provision("carol");
        let a = f.connect(&alice);
        let b = f.connect(&bob);
        let cid = f.group(a, "G", &[&bob.user.id, &carol.user.id]);
        let reply = f.request(
            b,
            "conversation_update",
            json!({"id": cid, "participants": {"remove": [carol.user.id]}}),
        );
        assert_eq!(reply["error"]["status"], 403);
        let renamed = f.request(b, "conversation_update", json!({"id": cid, "name": "New"}));
        assert_eq!(renamed["conversation"]["name"], "New");
        let private =
            f.request(a, "conversation_create", json!({"type": "u", "participants": [bob.user.id]}));
        let pid = private["conversation"]["_id"].as_str().unwrap();
        let reply =
            f.request(a, "conversation_update", json!({"id": pid, "participants": {"add": [carol.user.id]}}));
        assert_eq!(reply["error"]["status"], 422);
        let stranger = f.connect(&carol);
        let reply = f.request(stranger, "conversation_update", json!({"id": pid, "name": "x"}));
        assert_eq!(reply["error"]["status"], 403);
        let reply = f.request(a, "conversation_update", json!({"id": "nope"}));
        assert_eq!(reply["error"]["status"], 404);
    }

    #[test]
    fn leaving_hands_over_ownership_and_the_last_one_out_deletes() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let bob = f.provision("bob");
        let a = f.connect(&alice);
        let b = f.connect(&bob);
        let cid = f.group(a, "G", &[&bob.user.id]);
        f.drain();
        let reply = f.request(a, "conversation_delete", json!({"id": cid}));
        assert_eq!(reply["success"], true);
        assert_eq!(f.store.convs[&cid].owner_id, bob.user.id);
        let left = f.events(b, "message");
        assert_eq!(left[0]["x"]["type"], "left_participants");
        assert_eq!(left[0]["body"], format!("{} has left the group", alice.login));
        f.request(b, "conversation_delete", json!({"id": cid}));
        assert!(!f.store.convs.contains_key(&cid));
        assert!(f.store.messages.is_empty());
    }
}
