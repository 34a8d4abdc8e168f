//! Blocking (seed 003): `block_user`, `unblock_user`, `list_blocked_users`; what a block
//! does to messages is in `messages.rs` (NOTES.md S51, S61).

use chatspec_specs::endpoint::Handle;
use chatspec_specs::sama::{
    blocking::{BlockParams, BlockedUsersReply},
    envelope::Status,
};
use serde_json::Value;

use super::compat::Switch;
use super::error::{SamaError, fail};
use super::frames::to_value;
use super::store::{Call, Ctx, Served, Store, dedup};

impl Store {
    pub(crate) fn block_user(&mut self, cx: &Ctx, p: BlockParams) -> Result<Value, SamaError> {
        let ids = dedup(p.ids);
        if ids.contains(&cx.me) {
            // The public server's words, where its errors are strings.
            let text = if self.config.on(Switch::ErrorsAsStrings) {
                "Can't block self user"
            } else {
                "you cannot block yourself"
            };
            return fail(Status::Unprocessable, text);
        }
        self.check_users_exist(&ids)?;
        let blocked = self.blocks.entry(cx.me.clone()).or_default();
        for id in ids {
            if !blocked.contains(&id) {
                blocked.push(id);
            }
        }
        Ok(cx.success())
    }

    pub(crate) fn unblock_user(&mut self, cx: &Ctx, p: BlockParams) -> Result<Value, SamaError> {
        if let Some(blocked) = self.blocks.get_mut(&cx.me) {
            blocked.retain(|id| !p.ids.contains(id));
            if blocked.is_empty() {
                self.blocks.remove(&cx.me);
            }
        }
        Ok(cx.success())
    }

    pub(crate) fn list_blocked_users(&self, cx: &Ctx) -> Result<Value, SamaError> {
        let mut users = self.blocks.get(&cx.me).cloned().unwrap_or_default();
        // The public server lists the newest block first (S61).
        if self.config.on(Switch::OtherListOrders) {
            users.reverse();
        }
        Ok(to_value(&BlockedUsersReply { id: cx.id.clone(), users }))
    }
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/sama/mod.rs) ----
impl Handle<chatspec_specs::sama::blocking::BlockUser, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.block_user(c.cx, c.params()?).map(Some)
    }
}

impl Handle<chatspec_specs::sama::blocking::UnblockUser, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.unblock_user(c.cx, c.params()?).map(Some)
    }
}

impl Handle<chatspec_specs::sama::blocking::ListBlockedUsers, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.list_blocked_users(c.cx).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use serde_json::json;

    #[test]
    fn a_block_stops_private_messages_and_group_deliveries() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let bob = f.provision("bob");
        let carol = f.provision("carol");
        let a = f.connect(&alice);
        let b = f.connect(&bob);
        let c = f.connect(&carol);
        let private =
            f.request(a, "conversation_create", json!({"type": "u", "participants": [bob.user.id]}));
        let pid = private["conversation"]["_id"].as_str().unwrap().to_owned();
        let group = f.group(a, "G", &[&bob.user.id, &carol.user.id]);
        f.drain();
        let reply = f.request(b, "block_user", json!({"ids": [alice.user.id]}));
        assert_eq!(reply["success"], true);
        let listed = f.request(b, "list_blocked_users", json!({}));
        assert_eq!(listed["users"], json!([alice.user.id]));
        let refused = f.send(a, json!({"message": {"id": "m", "cid": pid, "body": "hi"}}));
        assert_eq!(refused["response"]["error"]["status"], 403);
        f.post(a, &group, "to the group");
        assert!(f.events(b, "message").is_empty());
        assert_eq!(f.events(c, "message").len(), 1);
        f.request(b, "unblock_user", json!({"ids": [alice.user.id]}));
        f.post(a, &pid, "again");
        assert_eq!(f.events(b, "message").len(), 1);
        let me = f.request(b, "block_user", json!({"ids": [bob.user.id]}));
        assert_eq!(me["error"]["status"], 422);
        let ghost = f.request(b, "block_user", json!({"ids": ["ghost"]}));
        assert_eq!(ghost["error"]["status"], 404);
    }
}
