//! Conversations (seed 003): the record, `conversation_create` with its
//! `conversation_created` event, `conversation_list`, `get_participants_by_cids` and
//! `conversation_search` (NOTES.md S26 to S30, S36 to S38); changes of who takes part are in
//! `membership.rs`.

use std::collections::BTreeMap;

use chatspec_specs::endpoint::Handle;
use chatspec_specs::sama::{
    conversations::{
        self as wire, ConversationCreateParams, ConversationHit, ConversationListParams, ConversationReply,
        ConversationSearchParams, ConversationSearchReply, ConversationType, ConversationsReply,
        GetParticipantsByCidsParams, LastMessage, ParticipantsReply,
    },
    envelope::Status,
};
use serde::Serialize;
use serde_json::{Value, json};

use super::breakage::Breakage;
use super::compat::Switch;
use super::error::{Cause, SamaError, fail};
use super::frames::{event, to_value};
use super::store::{Call, Ctx, Millis, Served, Store, dedup, iso, limit};

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Conv {
    pub id: String,
    pub kind: ConversationType,
    pub name: Option<String>,
    pub description: Option<String>,
    pub owner_id: String,
    /// User ids, oldest participant first.
    pub participants: Vec<String>,
    pub created_at: Millis,
    pub updated_at: Millis,
    /// Message ids, oldest first.
    pub messages: Vec<String>,
}

pub(crate) fn text(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

impl Store {
    /// The conversation record; `viewer` set for `conversation_list` (last message and
    /// unread count, no participants), unset for events and replies (participants).
    pub(crate) fn conv_view(&self, c: &Conv, viewer: Option<&str>) -> wire::Conversation {
        let opponent_id = match c.kind {
            ConversationType::Private => c.participants.iter().find(|p| **p != c.owner_id).cloned(),
            ConversationType::Group => None,
        };
        let (participants, last_message, unread_messages_count) = match viewer {
            // The public server's conversation objects carry no participants (S28).
            None if self.config.on(Switch::ConversationsWithoutParticipants) => (None, None, None),
            None => (Some(c.participants.clone()), None, None),
            Some(me) => {
                let last = c
                    .messages
                    .iter()
                    .rev()
                    .filter_map(|id| self.messages.get(id))
                    .find(|m| !m.hidden_for.contains(me))
                    .map(|m| LastMessage {
                        id: m.id.clone(),
                        body: m.body.clone(),
                        from: m.from.clone(),
                        t: m.t(),
                    });
                let unread = c
                    .messages
                    .iter()
                    .filter_map(|id| self.messages.get(id))
                    .filter(|m| m.unread_by(me))
                    .count();
                (None, last, Some(u64::try_from(unread).unwrap_or(u64::MAX)))
            }
        };
        wire::Conversation {
            id: c.id.clone(),
            kind: c.kind,
            name: c.name.clone(),
            description: c.description.clone(),
            owner_id: c.owner_id.clone(),
            opponent_id,
            participants,
            created_at: iso(c.created_at),
            updated_at: iso(c.updated_at),
            last_message,
            unread_messages_count,
        }
    }

    /// Conversation `cid` with `me` taking part: 404 when it does not exist, 403 when `me`
    /// is not a participant.
    pub(crate) fn joined(&self, me: &str, cid: &str) -> Result<&Conv, SamaError> {
        match self.convs.get(cid) {
            None => Err(SamaError::new(Status::NotFound, format!("no conversation {cid:?}"))
                .because(Cause::NoConversation)),
            Some(c) if !c.participants.iter().any(|p| p == me) => {
                fail(Status::Forbidden, format!("you are not a participant of conversation {cid:?}"))
            }
            Some(c) => Ok(c),
        }
    }

    /// `system_message: { _id: cid, t, cid, from, x: { <key>: conversation } }` (S29).
    pub(crate) fn notice(&self, cx: &Ctx, cid: &str, key: &str) -> Value {
        let conversation = self.convs.get(cid).map_or(Value::Null, |c| to_value(&self.conv_view(c, None)));
        event(
            "system_message",
            json!({"_id": cid, "t": cx.secs(), "cid": cid, "from": cx.me, "x": {key: conversation}}),
        )
    }

    /// `conversation_create: { name, description, type, participants }` (S26, S27, S30).
    pub(crate) fn conversation_create(
        &mut self,
        cx: &Ctx,
        p: ConversationCreateParams,
    ) -> Result<Value, SamaError> {
        let others: Vec<String> = dedup(p.participants).into_iter().filter(|id| *id != cx.me).collect();
        self.check_users_exist(&others)?;
        match p.kind {
            // The public server creates a private conversation with two others (S27).
            ConversationType::Private if others.len() > 1 && self.config.on(Switch::PrivateWithTwoOthers) => {
            }
            ConversationType::Private => {
                let [other] = others.as_slice() else {
                    return fail(
                        Status::Unprocessable,
                        format!(
                            "a private conversation (type u) has exactly one other participant; got {}",
                            others.len()
                        ),
                    );
                };
                let existing = self.convs.values().find(|c| {
                    c.kind == ConversationType::Private
                        && c.participants.len() == 2
                        && c.participants.contains(&cx.me)
                        && c.participants.contains(other)
                });
                if let Some(c) = existing {
                    return Ok(to_value(&ConversationReply {
                        id: cx.id.clone(),
                        conversation: self.conv_view(c, None),
                    }));
                }
            }
            ConversationType::Group => {
                if others.is_empty() {
                    return fail(
                        Status::Unprocessable,
                        "a group conversation (type g) needs at least one other participant",
                    );
                }
                if text(p.name.clone()).is_none() {
                    return fail(Status::Unprocessable, "a group conversation needs a name");
                }
            }
        }
        let cid = self.new_id();
        let mut participants = vec![cx.me.clone()];
        participants.extend(others);
        let conv = Conv {
            id: cid.clone(),
            kind: p.kind,
            name: text(p.name),
            description: text(p.description),
            owner_id: cx.me.clone(),
            participants: participants.clone(),
            created_at: cx.now,
            updated_at: cx.now,
            messages: Vec::new(),
        };
        let view = self.conv_view(&conv, None);
        self.convs.insert(cid.clone(), conv);
        let notice = self.notice(cx, &cid, "conversation_created");
        self.emit(&participants, cx.conn, notice);
        Ok(to_value(&ConversationReply { id: cx.id.clone(), conversation: view }))
    }

    /// Most recent activity first (S36).
    pub(crate) fn conversation_list(&self, cx: &Ctx, p: ConversationListParams) -> Result<Value, SamaError> {
        let range = p.updated_at.unwrap_or_default();
        let mut mine: Vec<&Conv> = self
            .convs
            .values()
            .filter(|c| c.participants.contains(&cx.me))
            .filter(|c| range.contains(c.updated_at))
            .collect();
        mine.sort_by(|a, b| (b.updated_at, &b.id).cmp(&(a.updated_at, &a.id)));
        // The public server lists the oldest first (S36).
        if self.config.on(Switch::OtherListOrders) {
            mine.reverse();
        }
        let limit = if self.config.broken(Breakage::ConversationListLimitIgnored) {
            usize::MAX
        } else {
            limit(p.limit)
        };
        let conversations = mine.into_iter().take(limit).map(|c| self.conv_view(c, Some(&cx.me))).collect();
        Ok(to_value(&ConversationsReply { id: cx.id.clone(), conversations }))
    }

    /// Conversations the caller is not in are left out (S37).
    pub(crate) fn get_participants_by_cids(
        &self,
        cx: &Ctx,
        p: GetParticipantsByCidsParams,
    ) -> Result<Value, SamaError> {
        let mut conversations = BTreeMap::new();
        let mut user_ids: Vec<String> = Vec::new();
        for cid in dedup(p.cids) {
            if let Ok(c) = self.joined(&cx.me, &cid) {
                user_ids.extend(c.participants.iter().cloned());
                conversations.insert(cid, c.participants.clone());
            }
        }
        let users =
            dedup(user_ids).iter().filter_map(|id| self.users.get(id)).map(|u| self.user_view(u)).collect();
        Ok(to_value(&ParticipantsReply { id: cx.id.clone(), users, conversations }))
    }

    /// The caller's conversations whose name contains the text, ignoring case (S38).
    pub(crate) fn conversation_search(
        &self,
        cx: &Ctx,
        p: ConversationSearchParams,
    ) -> Result<Value, SamaError> {
        let needle = p.name.trim().to_lowercase();
        if needle.is_empty() {
            return fail(Status::Unprocessable, "conversation_search.name must not be empty");
        }
        let ignored = self.config.broken(Breakage::ConversationSearchFiltersIgnored);
        let range = p.updated_at.filter(|_| !ignored).unwrap_or_default();
        let limit = |l| if ignored { usize::MAX } else { limit(l) };
        let mut hits: Vec<&Conv> = self
            .convs
            .values()
            .filter(|c| c.participants.contains(&cx.me))
            .filter(|c| range.contains(c.updated_at))
            .filter(|c| c.name.as_deref().is_some_and(|n| n.to_lowercase().contains(&needle)))
            .collect();
        hits.sort_by(|a, b| (b.updated_at, &b.id).cmp(&(a.updated_at, &a.id)));
        // The public server answers bare ids (S38).
        if self.config.on(Switch::SearchAnswersBareIds) {
            let ids: Vec<&str> = hits.iter().take(limit(p.limit)).map(|c| c.id.as_str()).collect();
            return Ok(json!({"id": cx.id, "conversations": ids}));
        }
        let conversations = hits
            .into_iter()
            .take(limit(p.limit))
            .map(|c| ConversationHit { id: c.id.clone(), name: c.name.clone().unwrap_or_default() })
            .collect();
        Ok(to_value(&ConversationSearchReply { id: cx.id.clone(), conversations }))
    }
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/sama/mod.rs) ----
impl Handle<chatspec_specs::sama::conversations::ConversationCreate, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.conversation_create(c.cx, c.params()?).map(Some)
    }
}

impl Handle<chatspec_specs::sama::conversations::ConversationList, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.conversation_list(c.cx, c.params()?).map(Some)
    }
}

impl Handle<chatspec_specs::sama::conversations::GetParticipantsByCids, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.get_participants_by_cids(c.cx, c.params()?).map(Some)
    }
}

impl Handle<chatspec_specs::sama::conversations::ConversationSearch, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.conversation_search(c.cx, c.params()?).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use serde_json::json;

    #[test]
    fn participants_but_the_acting_socket_hear_of_a_new_conversation() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let bob = f.provision("bob");
        let carol = f.provision("carol");
        let a1 = f.connect(&alice);
        let a2 = f.connect_device(&alice, "second");
        let b = f.connect(&bob);
        let c = f.connect(&carol);
        let reply = f.request(
            a1,
            "conversation_create",
            json!({"type": "g", "name": "Team", "participants": [bob.user.id, alice.user.id]}),
        );
        let cid = reply["conversation"]["_id"].as_str().unwrap().to_owned();
        assert_eq!(reply["conversation"]["participants"], json!([alice.user.id, bob.user.id]));
        for conn in [a2, b] {
            let seen = f.events(conn, "system_message");
            assert_eq!(seen.len(), 1, "{seen:?}");
            assert_eq!(seen[0]["_id"], cid.as_str());
            assert_eq!(seen[0]["x"]["conversation_created"]["name"], "Team");
        }
        assert!(f.events(a1, "system_message").is_empty());
        assert!(f.events(c, "system_message").is_empty());
    }

    #[test]
    fn a_private_conversation_is_for_two_and_is_found_again() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let bob = f.provision("bob");
        let carol = f.provision("carol");
        let a = f.connect(&alice);
        let three = f.request(
            a,
            "conversation_create",
            json!({"type": "u", "participants": [bob.user.id, carol.user.id]}),
        );
        assert_eq!(three["error"]["status"], 422);
        let first = f.request(a, "conversation_create", json!({"type": "u", "participants": [bob.user.id]}));
        assert_eq!(first["conversation"]["opponent_id"], bob.user.id.as_str());
        let again = f.request(a, "conversation_create", json!({"type": "u", "participants": [bob.user.id]}));
        assert_eq!(first["conversation"]["_id"], again["conversation"]["_id"]);
        let unknown = f.request(
            a,
            "conversation_create",
            json!({"type": "g", "name": "G", "participants": ["nobody"]}),
        );
        assert_eq!(unknown["error"]["status"], 404);
        let nameless =
            f.request(a, "conversation_create", json!({"type": "g", "participants": [bob.user.id]}));
        assert_eq!(nameless["error"]["status"], 422);
    }

    #[test]
    fn list_search_and_participants() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let bob = f.provision("bob");
        let carol = f.provision("carol");
        let a = f.connect(&alice);
        let old = f.group(a, "Press team", &[&bob.user.id]);
        let new = f.group(a, "General", &[&carol.user.id]);
        let listed = f.request(a, "conversation_list", json!({"limit": 67}));
        let ids: Vec<&str> =
            listed["conversations"].as_array().unwrap().iter().map(|c| c["_id"].as_str().unwrap()).collect();
        assert_eq!(ids, vec![new.as_str(), old.as_str()]);
        assert_eq!(listed["conversations"][0]["unread_messages_count"], 0);
        assert!(listed["conversations"][0].get("participants").is_none());
        let found = f.request(a, "conversation_search", json!({"name": "PRESS"}));
        assert_eq!(found["conversations"], json!([{"_id": old, "name": "Press team"}]));
        let b = f.connect(&bob);
        let parts = f.request(b, "get_participants_by_cids", json!({"cids": [old, new]}));
        assert_eq!(parts["conversations"], json!({ &old: [alice.user.id, bob.user.id] }));
        assert_eq!(parts["users"].as_array().unwrap().len(), 2);
    }
}
