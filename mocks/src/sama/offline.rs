//! What participants miss while offline (seed 003): the push notification for a new message
//! (NOTES.md S42), and the operations log: edits and deletions kept for users who were offline
//! ("If users are offline, they will receive a message once became online"), delivered when
//! they come back and listed by `op_log_list` (NOTES.md S49, S58).

use chatspec_specs::endpoint::Handle;
use chatspec_specs::sama::{
    envelope::Status,
    messages::Message,
    offline::{OpLog, OpLogListParams, OpLogReply, PushNotification},
};
use serde::Serialize;
use serde_json::{Value, json};

use super::compat::Switch;
use super::error::{SamaError, fail};
use super::frames::params;
use super::frames::to_value;
use super::store::{Call, ConnId, Ctx, Millis, Outgoing, Served, Store, iso};

#[derive(Clone, Debug, Serialize)]
pub(crate) struct OpLogRec {
    pub id: u64,
    pub user: String,
    /// The event as it would have been delivered.
    pub packet: Value,
    pub created_at: Millis,
}

impl Store {
    /// Sends `packet` to the users online now and logs it for the others. The public
    /// server logs no edits or deletions (`op_log_skips_edits`) and never delivers them to
    /// those who missed them (`offline_edits_lost`) (S49).
    pub(crate) fn tell_or_log(&mut self, cx: &Ctx, users: &[String], packet: Value) {
        let (online, offline): (Vec<String>, Vec<String>) =
            users.iter().cloned().partition(|u| self.online(u));
        self.emit(&online, cx.conn, packet.clone());
        let logged = !self.config.on(Switch::OpLogSkipsEdits);
        let delivered = !self.config.on(Switch::OfflineEditsLost);
        for user in offline {
            if !logged {
                if delivered {
                    self.pending_unlogged.entry(user).or_default().push(packet.clone());
                }
                continue;
            }
            let id = self.oplog.last_key_value().map_or(1, |(id, _)| id + 1);
            self.oplog
                .insert(id, OpLogRec { id, user: user.clone(), packet: packet.clone(), created_at: cx.now });
            if delivered {
                self.pending.entry(user).or_default().push(id);
            }
        }
    }

    /// Delivers what was logged for `user` while offline to the socket that brought them
    /// back.
    /// However many there are, they take one entry of the socket's queue (S65).
    pub(crate) fn deliver_pending(&mut self, conn: ConnId, user: &str) {
        let ids = self.pending.remove(user).unwrap_or_default();
        let mut bodies: Vec<Value> =
            ids.iter().filter_map(|id| self.oplog.get(id).map(|r| r.packet.clone())).collect();
        bodies.extend(self.pending_unlogged.remove(user).unwrap_or_default());
        if !bodies.is_empty() {
            self.outgoing.push(Outgoing::Backlog { to: conn, bodies });
        }
    }

    /// `op_log_list` parameters: without `created_at`, an empty range when the public
    /// server's `op_log_without_range` is on.
    pub(crate) fn op_log_range(&self, mut p: Value) -> Value {
        if !self.config.on(Switch::OpLogWithoutRange) {
            return p;
        }
        if p.is_null() {
            p = json!({});
        }
        if let Some(fields) = p.as_object_mut() {
            fields.entry("created_at").or_insert_with(|| json!({}));
        }
        p
    }

    /// `op_log_list: { created_at: { gt | lt } }`: the caller's entries, oldest first.
    pub(crate) fn op_log_list(&self, cx: &Ctx, p: OpLogListParams) -> Result<Value, SamaError> {
        if p.created_at.gt.is_none()
            && p.created_at.lt.is_none()
            && !self.config.on(Switch::OpLogWithoutRange)
        {
            return fail(Status::Unprocessable, "op_log_list.created_at needs gt or lt (milliseconds)");
        }
        let logs = self
            .oplog
            .values()
            .filter(|r| r.user == cx.me && p.created_at.contains(r.created_at))
            .map(|r| OpLog {
                id: r.id,
                user_id: r.user.clone(),
                packet: r.packet.clone(),
                created_at: iso(r.created_at),
            })
            .collect();
        let reply = OpLogReply { id: cx.id.clone(), logs };
        if self.config.on(Switch::OpLogInPacket) {
            // `{ id, packet: { logs } }`, each log's packet a JSON string (S58).
            let mut logs = to_value(&reply.logs);
            for log in logs.as_array_mut().into_iter().flatten() {
                if let Some(packet) = log.get_mut("packet") {
                    *packet = Value::String(packet.to_string());
                }
            }
            return Ok(json!({"id": reply.id, "packet": {"logs": logs}}));
        }
        if self.config.broken(super::breakage::Breakage::OpLogInPacket) {
            return Ok(json!({"id": reply.id, "packet": {"logs": reply.logs}}));
        }
        Ok(to_value(&reply))
    }

    /// The push each offline participant gets for a new message (S42).
    pub(crate) fn push_for_offline(&mut self, cx: &Ctx, offline: &[String], message: &Message) {
        if offline.is_empty() {
            return;
        }
        // `title: "UserName"`: the sender's name.
        let title = self.users.get(&cx.me).map(super::store::User::display_name).unwrap_or_default();
        let first_attachment_url = message
            .attachments
            .as_ref()
            .and_then(|a| a.first())
            .and_then(|a| a.file_id.as_deref())
            .and_then(|id| self.attached_file(id))
            .map(|id| self.file_url(id));
        let notification = to_value(&PushNotification {
            title,
            body: message.body.clone().unwrap_or_default(),
            first_attachment_url,
            cid: message.cid.clone(),
        });
        for to in offline {
            self.record_push(cx, "push", to.clone(), notification.clone());
        }
    }
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/sama/mod.rs) ----
impl Handle<chatspec_specs::sama::offline::OpLogList, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        let Call { cx, name, p } = c;
        self.op_log_list(cx, params(name, self.op_log_range(p))?).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use serde_json::json;

    #[test]
    fn an_offline_edit_waits_for_the_user_and_stays_in_the_log() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let bob = f.provision("bob");
        let a = f.connect(&alice);
        let b = f.connect(&bob);
        let cid = f.group(a, "G", &[&bob.user.id]);
        let mid = f.post(a, &cid, "draft");
        f.close(b);
        let since = f.store.last_ms;
        f.request(a, "message_edit", json!({"id": mid, "body": "final"}));
        let b = f.open();
        let reply = f.request(b, "connect", json!({"token": bob.access_token, "device_id": bob.device_id}));
        assert_eq!(reply["success"], true);
        // The reply came first, then the missed edit.
        assert_eq!(
            f.events(b, "message_edit"),
            vec![json!({"id": mid, "body": "final", "from": alice.user.id})]
        );
        let logs = f.request(b, "op_log_list", json!({"created_at": {"gt": since}}));
        assert_eq!(logs["logs"].as_array().unwrap().len(), 1, "{logs}");
        assert_eq!(logs["logs"][0]["_id"], 1);
        assert_eq!(logs["logs"][0]["user_id"], bob.user.id.as_str());
        let before = f.request(b, "op_log_list", json!({"created_at": {"lt": since}}));
        assert_eq!(before["logs"], json!([]));
        let neither = f.request(b, "op_log_list", json!({"created_at": {}}));
        assert_eq!(neither["error"]["status"], 422);
        // Delivered once: a second device coming online gets nothing more.
        let b2 = f.connect_device(&bob, "second");
        assert!(f.events(b2, "message_edit").is_empty());
    }
}
