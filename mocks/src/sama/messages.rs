//! Messages (seed 003): the record, the `message` packet with its `ack`, carbons and
//! offline pushes, `system_message`, `message_list`, `message_read` and `typing` (NOTES.md
//! S39 to S47, S51); edits and deletions are in `edits.rs`.

use std::collections::{BTreeMap, BTreeSet};

use chatspec_specs::endpoint::Handle;
use chatspec_specs::sama::{
    conversations::ConversationType,
    envelope::Status,
    messages::{
        Ack, Attachment, Message, MessageListParams, MessageParams, MessageReadEvent, MessageReadParams,
        MessagesReply, SystemMessage, SystemMessageParams, TypingEvent, TypingParams,
    },
};
use serde::Serialize;
use serde_json::Value;

use super::breakage::Breakage;
use super::compat::Switch;
use super::error::{Cause, SamaError, fail};
use super::frames::{event, to_value};
use super::store::{Call, Ctx, Millis, Served, Store, dedup, iso, limit, nonempty};

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Msg {
    pub id: String,
    pub cid: String,
    pub from: String,
    pub body: Option<String>,
    pub x: Option<BTreeMap<String, Value>>,
    pub attachments: Option<Vec<Attachment>>,
    pub created_at: Millis,
    /// The last change (an edit moves it): what `message_list`'s `updated_at` filters on.
    pub updated_at: Millis,
    pub read_by: BTreeSet<String>,
    /// Users who deleted it for themselves.
    pub hidden_for: BTreeSet<String>,
}

impl Msg {
    /// A new message stored at `now`.
    pub fn new(
        id: String,
        cid: &str,
        from: &str,
        body: Option<String>,
        x: Option<BTreeMap<String, Value>>,
        attachments: Option<Vec<Attachment>>,
        now: Millis,
    ) -> Msg {
        Msg {
            id,
            cid: cid.to_owned(),
            from: from.to_owned(),
            body,
            x,
            attachments,
            created_at: now,
            updated_at: now,
            read_by: BTreeSet::new(),
            hidden_for: BTreeSet::new(),
        }
    }

    /// `t`: seconds.
    pub fn t(&self) -> i64 {
        self.created_at.div_euclid(1000)
    }

    /// Whether `user` has yet to read it.
    pub fn unread_by(&self, user: &str) -> bool {
        self.from != user && !self.read_by.contains(user) && !self.hidden_for.contains(user)
    }

    /// The message record; `status` is `read` once a recipient read it (S45).
    pub fn view(&self) -> Message {
        Message {
            id: self.id.clone(),
            t: self.t(),
            from: self.from.clone(),
            body: self.body.clone(),
            cid: self.cid.clone(),
            x: self.x.clone(),
            attachments: self.attachments.clone(),
            status: Some(if self.read_by.is_empty() { "sent" } else { "read" }.into()),
            created_at: iso(self.created_at),
        }
    }
}

impl Store {
    /// Files a message in its conversation, which moves the conversation's `updated_at`.
    pub(crate) fn insert_message(&mut self, msg: Msg) {
        if let Some(c) = self.convs.get_mut(&msg.cid) {
            c.messages.push(msg.id.clone());
            c.updated_at = c.updated_at.max(msg.created_at);
        }
        self.messages.insert(msg.id.clone(), msg);
    }

    /// Whether `blocker` blocked `user`.
    pub(crate) fn blocked(&self, blocker: &str, user: &str) -> bool {
        self.blocks.get(blocker).is_some_and(|ids| ids.iter().any(|id| id == user))
    }

    /// The `message` packet: stored, sent to every participant's sockets but the sender's
    /// (carbons included), pushed to offline participants, acknowledged with `ack`.
    pub(crate) fn message(&mut self, cx: &Ctx, p: MessageParams) -> Result<Value, SamaError> {
        let body = p.body.filter(|b| !b.is_empty());
        let attachments = p.attachments.filter(|a| !a.is_empty());
        if body.is_none() && attachments.is_none() {
            return fail(Status::Unprocessable, "a message needs a body or attachments");
        }
        let conv = self.joined(&cx.me, &p.cid)?;
        let others: Vec<String> = conv.participants.iter().filter(|id| **id != cx.me).cloned().collect();
        if conv.kind == ConversationType::Private
            && others.iter().any(|o| self.blocked(o, &cx.me) || self.blocked(&cx.me, o))
        {
            return Err(SamaError::new(
                Status::Forbidden,
                "communication is not possible: one of you blocked the other",
            )
            .because(Cause::Blocked));
        }
        let id = self.new_id();
        let msg = Msg::new(id, &p.cid, &cx.me, body, nonempty(p.x), attachments, cx.now);
        let view = msg.view();
        let skew = i64::from(self.config.broken(Breakage::AckTimeNotStored));
        let ack = Ack { mid: p.id, server_mid: msg.id.clone(), t: msg.t() + skew };
        self.insert_message(msg);
        // A user who blocked the sender gets neither the message nor a push (S51).
        let mut recipients: Vec<String> = others.into_iter().filter(|o| !self.blocked(o, &cx.me)).collect();
        if self.config.broken(Breakage::MessageSkipsLastParticipant) {
            recipients.pop();
        }
        let mut to = recipients.clone();
        to.push(cx.me.clone());
        if self.config.broken(Breakage::MessageLeaksToOutsiders) {
            let conv = self.convs.get(&p.cid).map(|c| c.participants.clone()).unwrap_or_default();
            to.extend(self.user_conns.keys().filter(|u| !conv.contains(u)).cloned());
        }
        self.emit(&to, cx.conn, event("message", to_value(&view)));
        let offline: Vec<String> = recipients.into_iter().filter(|r| !self.online(r)).collect();
        self.push_for_offline(cx, &offline, &view);
        Ok(event(self.ack_key(), to_value(&ack)))
    }

    /// The `system_message` packet, to `uids` or to a conversation (S44).
    pub(crate) fn system_message(&mut self, cx: &Ctx, p: SystemMessageParams) -> Result<Value, SamaError> {
        let (recipients, cid) = match (p.cid, p.uids) {
            (Some(cid), _) => (self.joined(&cx.me, &cid)?.participants.clone(), Some(cid)),
            (None, Some(uids)) => {
                (dedup(uids).into_iter().filter(|u| self.users.contains_key(u)).collect(), None)
            }
            (None, None) => {
                return fail(Status::Unprocessable, "system_message needs uids or a cid");
            }
        };
        let message = SystemMessage {
            id: p.id.clone(),
            t: cx.secs(),
            from: cx.me.clone(),
            cid,
            x: p.x.unwrap_or_default(),
        };
        self.emit(&recipients, cx.conn, event("system_message", to_value(&message)));
        let ack = Ack { mid: p.id.clone(), server_mid: p.id, t: cx.secs() };
        let mut ack = to_value(&ack);
        // The public server acknowledges a system message without `server_mid` (S40).
        if self.config.on(Switch::AckAsAsk)
            && let Some(fields) = ack.as_object_mut()
        {
            fields.remove("server_mid");
        }
        Ok(event(self.ack_key(), ack))
    }

    /// `ack`, or the public server's `ask` (S40).
    fn ack_key(&self) -> &'static str {
        if self.config.broken(Breakage::AckAsAsk) || self.config.on(Switch::AckAsAsk) { "ask" } else { "ack" }
    }

    /// Newest first; messages deleted for the caller are left out (S45).
    pub(crate) fn message_list(&self, cx: &Ctx, p: MessageListParams) -> Result<Value, SamaError> {
        let conv = self.joined(&cx.me, &p.cid)?;
        let range = p.updated_at.unwrap_or_default();
        let messages = conv
            .messages
            .iter()
            .rev()
            .filter_map(|id| self.messages.get(id))
            .filter(|m| !m.hidden_for.contains(&cx.me) && range.contains(m.updated_at))
            .take(limit(p.limit))
            .map(Msg::view)
            .collect();
        Ok(to_value(&MessagesReply { id: cx.id.clone(), messages }))
    }

    /// Marks messages read; each author hears which of theirs (S46).
    pub(crate) fn message_read(&mut self, cx: &Ctx, p: MessageReadParams) -> Result<Value, SamaError> {
        let conv = self.joined(&cx.me, &p.cid)?;
        let ids: Vec<String> = match p.ids {
            Some(ids) => dedup(ids).into_iter().filter(|id| conv.messages.contains(id)).collect(),
            None => conv.messages.clone(),
        };
        // The public server tells the authors of messages already read again (S46).
        let repeat = self.config.on(Switch::ReadReceiptsRepeated);
        let mut by_author: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for id in ids {
            if let Some(m) = self.messages.get_mut(&id)
                && (m.unread_by(&cx.me) || repeat && m.from != cx.me && !m.hidden_for.contains(&cx.me))
            {
                m.read_by.insert(cx.me.clone());
                by_author.entry(m.from.clone()).or_default().push(id);
            }
        }
        for (author, ids) in by_author {
            let read = MessageReadEvent { cid: p.cid.clone(), ids, from: cx.me.clone() };
            self.emit(&[author], cx.conn, event("message_read", to_value(&read)));
        }
        Ok(cx.success())
    }

    /// The `typing` packet, passed on to the other participants (S47).
    pub(crate) fn typing(&mut self, cx: &Ctx, p: TypingParams) -> Result<(), SamaError> {
        let others: Vec<String> =
            self.joined(&cx.me, &p.cid)?.participants.iter().filter(|id| **id != cx.me).cloned().collect();
        let typing = TypingEvent { cid: p.cid, from: cx.me.clone(), status: p.status };
        self.emit(&others, cx.conn, event("typing", to_value(&typing)));
        Ok(())
    }
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/sama/mod.rs) ----
impl Handle<chatspec_specs::sama::messages::MessagePacket, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.message(c.cx, c.params()?).map(Some)
    }
}

impl Handle<chatspec_specs::sama::messages::SystemMessagePacket, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.system_message(c.cx, c.params()?).map(Some)
    }
}

impl Handle<chatspec_specs::sama::messages::MessageList, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.message_list(c.cx, c.params()?).map(Some)
    }
}

impl Handle<chatspec_specs::sama::messages::MessageRead, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.message_read(c.cx, c.params()?).map(Some)
    }
}

impl Handle<chatspec_specs::sama::messages::TypingPacket, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        // A typing packet has no reply.
        self.typing(c.cx, c.params()?).map(|()| None)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use serde_json::json;

    #[test]
    fn a_message_is_acked_carbon_copied_and_delivered() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let bob = f.provision("bob");
        let carol = f.provision("carol");
        let a1 = f.connect(&alice);
        let a2 = f.connect_device(&alice, "phone");
        let b = f.connect(&bob);
        let c = f.connect(&carol);
        let cid = f.group(a1, "G", &[&bob.user.id]);
        f.drain();
        let ack =
            f.send(a1, json!({"message": {"id": "m1", "cid": cid, "body": "hey", "x": {"param1": "value"}}}));
        let ack = &ack["ack"];
        assert_eq!(ack["mid"], "m1");
        let server_mid = ack["server_mid"].as_str().unwrap();
        for conn in [a2, b] {
            let got = f.events(conn, "message");
            assert_eq!(got.len(), 1);
            assert_eq!(got[0]["_id"], server_mid);
            assert_eq!(got[0]["t"], ack["t"]);
            assert_eq!(got[0]["from"], alice.user.id.as_str());
            assert_eq!(got[0]["x"]["param1"], "value");
        }
        assert!(f.events(a1, "message").is_empty());
        assert!(f.events(c, "message").is_empty());
        assert!(f.store.outbox().is_empty());
    }

    #[test]
    fn offline_participants_get_a_push_in_the_outbox() {
        let mut f = Fixture::new();
        let alice = f.provision("Alice Liddell");
        let bob = f.provision("bob");
        let a = f.connect(&alice);
        let cid = f.group(a, "G", &[&bob.user.id]);
        let file = f.request(
            a,
            "create_files",
            json!([{"name": "1.png", "size": 240, "content_type": "image/png"}]),
        );
        let file_id = file["files"][0]["_id"].as_str().unwrap().to_owned();
        f.send(
            a,
            json!({"message": {"id": "m", "cid": cid, "body": "hi", "attachments": [{"file_id": file_id, "file_name": "1.png"}]}}),
        );
        let outbox = f.store.outbox();
        assert_eq!(outbox.len(), 1);
        assert_eq!(outbox[0].to, bob.user.id);
        assert_eq!(outbox[0].notification["title"], "Alice Liddell");
        assert_eq!(outbox[0].notification["body"], "hi");
        assert_eq!(outbox[0].notification["cid"], cid.as_str());
        assert!(outbox[0].notification["firstAttachmentUrl"].as_str().unwrap().ends_with(&file_id));
    }

    #[test]
    fn a_message_needs_content_and_a_conversation_the_sender_is_in() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let bob = f.provision("bob");
        let carol = f.provision("carol");
        let a = f.connect(&alice);
        let cid = f.group(a, "G", &[&bob.user.id]);
        let empty = f.send(a, json!({"message": {"id": "m0", "cid": cid}}));
        assert_eq!(empty["response"]["id"], "m0");
        assert_eq!(empty["response"]["error"]["status"], 422);
        let c = f.connect(&carol);
        let outsider = f.send(c, json!({"message": {"id": "m1", "cid": cid, "body": "x"}}));
        assert_eq!(outsider["response"]["error"]["status"], 403);
        let nowhere = f.send(c, json!({"message": {"id": "m2", "cid": "nope", "body": "x"}}));
        assert_eq!(nowhere["response"]["error"]["status"], 404);
    }

    #[test]
    fn reading_tells_each_author_and_clears_the_unread_count() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let bob = f.provision("bob");
        let carol = f.provision("carol");
        let a = f.connect(&alice);
        let b = f.connect(&bob);
        let c = f.connect(&carol);
        let cid = f.group(a, "G", &[&bob.user.id, &carol.user.id]);
        let m1 = f.post(a, &cid, "from alice");
        let m2 = f.post(b, &cid, "from bob");
        f.drain();
        let listed = f.request(c, "conversation_list", json!({}));
        assert_eq!(listed["conversations"][0]["unread_messages_count"], 2);
        assert_eq!(listed["conversations"][0]["last_message"]["_id"], m2.as_str());
        let reply = f.request(c, "message_read", json!({"cid": cid}));
        assert_eq!(reply["success"], true);
        assert_eq!(
            f.events(a, "message_read"),
            vec![json!({"cid": cid, "ids": [m1], "from": carol.user.id})]
        );
        assert_eq!(
            f.events(b, "message_read"),
            vec![json!({"cid": cid, "ids": [m2], "from": carol.user.id})]
        );
        let again = f.request(c, "message_read", json!({"cid": cid, "ids": [m1]}));
        assert_eq!(again["success"], true);
        assert!(f.events(a, "message_read").is_empty());
        let listed = f.request(a, "message_list", json!({"cid": cid}));
        assert_eq!(listed["messages"][1]["status"], "read");
    }

    #[test]
    fn typing_goes_to_the_others_only() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let bob = f.provision("bob");
        let a1 = f.connect(&alice);
        let a2 = f.connect_device(&alice, "tablet");
        let b = f.connect(&bob);
        let cid = f.group(a1, "G", &[&bob.user.id]);
        f.drain();
        let none = f.send_silent(a1, json!({"typing": {"cid": cid, "status": "start"}}));
        assert!(none.is_empty(), "{none:?}");
        assert_eq!(
            f.events(b, "typing"),
            vec![json!({"cid": cid, "from": alice.user.id, "status": "start"})]
        );
        assert!(f.events(a2, "typing").is_empty());
        let err = f.send(b, json!({"typing": {"cid": "nope", "id": "t1"}}));
        assert_eq!(err["response"]["id"], "t1");
        assert_eq!(err["response"]["error"]["status"], 404);
    }

    #[test]
    fn system_messages_reach_uids_or_a_conversation() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let bob = f.provision("bob");
        let carol = f.provision("carol");
        let a = f.connect(&alice);
        let b = f.connect(&bob);
        let c = f.connect(&carol);
        let ack = f.send(
            a,
            json!({"system_message": {"id": "s1", "uids": [carol.user.id, "ghost"], "x": {"k": 1}}}),
        );
        assert_eq!(ack["ack"]["mid"], "s1");
        let got = f.events(c, "system_message");
        assert_eq!(got[0]["_id"], "s1");
        assert_eq!(got[0]["x"], json!({"k": 1}));
        assert!(got[0].get("cid").is_none());
        assert!(f.events(b, "system_message").is_empty());
        let cid = f.group(a, "G", &[&bob.user.id]);
        f.drain();
        f.send(a, json!({"system_message": {"id": "s2", "cid": cid, "x": {"k": 2}}}));
        assert_eq!(f.events(b, "system_message")[0]["cid"], cid.as_str());
        assert!(f.events(c, "system_message").is_empty());
        let neither = f.send(a, json!({"system_message": {"id": "s3", "x": {}}}));
        assert_eq!(neither["response"]["error"]["status"], 422);
    }
}
