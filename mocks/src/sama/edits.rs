//! Changing sent messages (seed 003): `message_delete` (`myself` or `all`) and
//! `message_edit`; the others hear now, or through the op log once back online (NOTES.md
//! S48 to S50).

use chatspec_specs::endpoint::Handle;
use chatspec_specs::sama::{
    edits::{DeleteScope, MessageDeleteEvent, MessageDeleteParams, MessageEditEvent, MessageEditParams},
    envelope::Status,
};
use serde_json::Value;

use super::error::{SamaError, fail};
use super::frames::{event, to_value};
use super::store::{Call, Ctx, Served, Store, dedup};

impl Store {
    /// The conversation's messages `ids`, or 404 naming the missing ones.
    fn messages_in(&self, cid: &str, ids: &[String]) -> Result<(), SamaError> {
        let missing: Vec<&String> =
            ids.iter().filter(|id| self.messages.get(*id).is_none_or(|m| m.cid != cid)).collect();
        if missing.is_empty() {
            Ok(())
        } else {
            fail(Status::NotFound, format!("no such messages in conversation {cid:?}: {missing:?}"))
        }
    }

    /// `myself` hides messages for the caller; `all` deletes the caller's own messages for
    /// everyone, telling the others now or through the op log (S48, S49).
    pub(crate) fn message_delete(&mut self, cx: &Ctx, p: MessageDeleteParams) -> Result<Value, SamaError> {
        let participants = self.joined(&cx.me, &p.cid)?.participants.clone();
        let mut ids = dedup(p.ids);
        if ids.is_empty() {
            return fail(Status::Unprocessable, "message_delete.ids must not be empty");
        }
        if self.config.broken(super::breakage::Breakage::DeleteOnlyFirstId) {
            ids.truncate(1);
        }
        self.messages_in(&p.cid, &ids)?;
        match p.scope {
            DeleteScope::Myself => {
                for id in &ids {
                    if let Some(m) = self.messages.get_mut(id) {
                        m.hidden_for.insert(cx.me.clone());
                    }
                }
            }
            DeleteScope::All => {
                if ids.iter().any(|id| self.messages.get(id).is_some_and(|m| m.from != cx.me)) {
                    return fail(Status::Forbidden, "only your own messages can be deleted for all");
                }
                for id in &ids {
                    self.messages.remove(id);
                }
                if let Some(c) = self.convs.get_mut(&p.cid) {
                    c.messages.retain(|id| !ids.contains(id));
                }
                let deleted = MessageDeleteEvent {
                    cid: p.cid.clone(),
                    ids,
                    scope: DeleteScope::All,
                    from: cx.me.clone(),
                };
                let others: Vec<String> = participants.into_iter().filter(|u| *u != cx.me).collect();
                self.tell_or_log(cx, &others, event("message_delete", to_value(&deleted)));
            }
        }
        Ok(cx.success())
    }

    /// "A message sender can edit own message" (S50).
    pub(crate) fn message_edit(&mut self, cx: &Ctx, p: MessageEditParams) -> Result<Value, SamaError> {
        let Some(m) = self.messages.get(&p.id) else {
            return fail(Status::NotFound, format!("no message {:?}", p.id));
        };
        let participants = self.joined(&cx.me, &m.cid)?.participants.clone();
        if m.from != cx.me {
            return fail(Status::Forbidden, "only the sender edits a message");
        }
        if p.body.trim().is_empty() {
            return fail(Status::Unprocessable, "message_edit.body must not be empty");
        }
        if let Some(m) = self.messages.get_mut(&p.id) {
            m.body = Some(p.body.clone());
            m.updated_at = cx.now;
        }
        let edited = MessageEditEvent { id: p.id, body: p.body, from: cx.me.clone() };
        let others: Vec<String> = participants.into_iter().filter(|u| *u != cx.me).collect();
        self.tell_or_log(cx, &others, event("message_edit", to_value(&edited)));
        Ok(cx.success())
    }
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/sama/mod.rs) ----
impl Handle<chatspec_specs::sama::edits::MessageDelete, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.message_delete(c.cx, c.params()?).map(Some)
    }
}

impl Handle<chatspec_specs::sama::edits::MessageEdit, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.message_edit(c.cx, c.params()?).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use serde_json::json;

    #[test]
    fn delete_for_all_is_for_own_messages_and_reaches_the_offline_later() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let bob = f.provision("bob");
        let carol = f.provision("carol");
        let a = f.connect(&alice);
        let b = f.connect(&bob);
        let cid = f.group(a, "G", &[&bob.user.id, &carol.user.id]);
        let mine = f.post(a, &cid, "mine");
        let theirs = f.post(b, &cid, "theirs");
        f.drain();
        let refused = f.request(a, "message_delete", json!({"cid": cid, "ids": [theirs], "type": "all"}));
        assert_eq!(refused["error"]["status"], 403);
        let hidden = f.request(a, "message_delete", json!({"cid": cid, "ids": [theirs], "type": "myself"}));
        assert_eq!(hidden["success"], true);
        assert!(f.events(b, "message_delete").is_empty());
        let deleted = f.request(a, "message_delete", json!({"cid": cid, "ids": [mine], "type": "all"}));
        assert_eq!(deleted["success"], true);
        assert_eq!(
            f.events(b, "message_delete"),
            vec![json!({"cid": cid, "ids": [mine], "type": "all", "from": alice.user.id})]
        );
        let listed = f.request(a, "message_list", json!({"cid": cid}));
        assert_eq!(listed["messages"], json!([]));
        // Carol was offline: she gets it on connecting, and in the op log.
        let c = f.connect(&carol);
        assert_eq!(f.events(c, "message_delete").len(), 1);
        let logs = f.request(c, "op_log_list", json!({"created_at": {"gt": 0}}));
        assert_eq!(logs["logs"][0]["packet"]["message_delete"]["ids"], json!([mine]));
        let unknown = f.request(a, "message_delete", json!({"cid": cid, "ids": ["nope"], "type": "myself"}));
        assert_eq!(unknown["error"]["status"], 404);
    }

    #[test]
    fn only_the_sender_edits_and_the_edit_moves_updated_at() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let bob = f.provision("bob");
        let a = f.connect(&alice);
        let b = f.connect(&bob);
        let cid = f.group(a, "G", &[&bob.user.id]);
        let mid = f.post(a, &cid, "draft");
        f.drain();
        let refused = f.request(b, "message_edit", json!({"id": mid, "body": "mine now"}));
        assert_eq!(refused["error"]["status"], 403);
        let before = f.store.last_ms;
        let ok = f.request(a, "message_edit", json!({"id": mid, "body": "final"}));
        assert_eq!(ok["success"], true);
        assert_eq!(
            f.events(b, "message_edit"),
            vec![json!({"id": mid, "body": "final", "from": alice.user.id})]
        );
        let changed = f.request(b, "message_list", json!({"cid": cid, "updated_at": {"gt": before}}));
        assert_eq!(changed["messages"][0]["body"], "final");
        assert_eq!(changed["messages"].as_array().unwrap().len(), 1);
        let missing = f.request(a, "message_edit", json!({"id": "nope", "body": "x"}));
        assert_eq!(missing["error"]["status"], 404);
    }
}
