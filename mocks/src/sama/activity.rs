//! Last activity (seed 003): `user_last_activity`, `user_last_activity_subscribe` and
//! `user_last_activity_unsubscribe` (S64); the `last_activity` events are sent where users
//! come and go, in `auth.rs` (NOTES.md S55 to S57).

use std::collections::BTreeMap;

use chatspec_specs::endpoint::Handle;
use chatspec_specs::sama::{
    activity::{
        LastActivity, LastActivityReply, Online, UserLastActivityParams, UserLastActivitySubscribeParams,
    },
    envelope::Status,
};
use serde_json::Value;

use super::error::{SamaError, fail};
use super::frames::to_value;
use super::store::{Call, ConnId, Ctx, MAX_IDS, Served, Store, dedup};

impl Store {
    /// `"online"`, or the public server's `0` (S55).
    pub(crate) fn online_activity(&self) -> LastActivity {
        if self.config.broken(super::breakage::Breakage::OnlineAsZero)
            || self.config.on(super::compat::Switch::OnlineAsZero)
        {
            LastActivity::Seconds(0)
        } else {
            LastActivity::Online(Online::Online)
        }
    }

    /// `"online"`, or the user's last activity in seconds.
    fn activity(&self, user: &str) -> Option<LastActivity> {
        let u = self.users.get(user)?;
        Some(if self.online(user) {
            self.online_activity()
        } else {
            LastActivity::Seconds(u.recent_activity)
        })
    }

    /// `user_last_activity: { ids }`: "max 10 uids per request"; unknown ids are left out.
    pub(crate) fn user_last_activity(&self, cx: &Ctx, p: UserLastActivityParams) -> Result<Value, SamaError> {
        if p.ids.len() > MAX_IDS {
            return fail(
                Status::Unprocessable,
                format!("user_last_activity takes at most {MAX_IDS} ids; got {}", p.ids.len()),
            );
        }
        let last_activity: BTreeMap<String, LastActivity> =
            dedup(p.ids).into_iter().filter_map(|id| self.activity(&id).map(|a| (id, a))).collect();
        Ok(to_value(&LastActivityReply { id: cx.id.clone(), last_activity }))
    }

    /// `user_last_activity_subscribe: { id }`: this socket hears when that user comes and
    /// goes, until it closes.
    pub(crate) fn user_last_activity_subscribe(
        &mut self,
        cx: &Ctx,
        p: UserLastActivitySubscribeParams,
    ) -> Result<Value, SamaError> {
        let Some(activity) = self.activity(&p.id) else {
            return fail(Status::NotFound, format!("no user {:?}", p.id));
        };
        if let Some(c) = self.conns.get_mut(&cx.conn) {
            c.watching.insert(p.id.clone());
        }
        self.watchers.entry(p.id.clone()).or_default().insert(cx.conn);
        Ok(to_value(&LastActivityReply {
            id: cx.id.clone(),
            last_activity: BTreeMap::from([(p.id, activity)]),
        }))
    }

    /// `user_last_activity_unsubscribe: {}`: every subscription of this socket ends (S64); a
    /// socket that watches no one gets `success: true` all the same.
    pub(crate) fn user_last_activity_unsubscribe(&mut self, cx: &Ctx) -> Result<Value, SamaError> {
        self.stop_watching(cx.conn);
        Ok(cx.success())
    }

    /// Ends every activity subscription of socket `conn`.
    pub(crate) fn stop_watching(&mut self, conn: ConnId) {
        let Some(c) = self.conns.get_mut(&conn) else { return };
        for target in std::mem::take(&mut c.watching) {
            if let Some(w) = self.watchers.get_mut(&target) {
                w.remove(&conn);
                if w.is_empty() {
                    self.watchers.remove(&target);
                }
            }
        }
    }
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/sama/mod.rs) ----
impl Handle<chatspec_specs::sama::activity::UserLastActivity, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.user_last_activity(c.cx, c.params()?).map(Some)
    }
}

impl Handle<chatspec_specs::sama::activity::UserLastActivitySubscribe, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.user_last_activity_subscribe(c.cx, c.params()?).map(Some)
    }
}

impl Handle<chatspec_specs::sama::activity::UserLastActivityUnsubscribe, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.user_last_activity_unsubscribe(c.cx).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use serde_json::json;

    #[test]
    fn last_activity_is_online_or_seconds_for_at_most_ten() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let bob = f.provision("bob");
        let a = f.connect(&alice);
        let reply = f.request(a, "user_last_activity", json!({"ids": [alice.user.id, bob.user.id, "ghost"]}));
        let map = reply["last_activity"].as_object().unwrap();
        assert_eq!(map.len(), 2);
        assert_eq!(map[&alice.user.id], "online");
        assert!(map[&bob.user.id].is_i64());
        let many = f.request(a, "user_last_activity", json!({"ids": vec!["x"; 11]}));
        assert_eq!(many["error"]["status"], 422);
        let ghost = f.request(a, "user_last_activity_subscribe", json!({"id": "ghost"}));
        assert_eq!(ghost["error"]["status"], 404);
    }

    #[test]
    fn unsubscribing_ends_every_subscription_of_the_socket_only() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let bob = f.provision("bob");
        let carol = f.provision("carol");
        let b = f.connect(&bob);
        let c = f.connect(&carol);
        f.request(b, "user_last_activity_subscribe", json!({"id": alice.user.id}));
        f.request(c, "user_last_activity_subscribe", json!({"id": alice.user.id}));
        let reply = f.request(b, "user_last_activity_unsubscribe", json!({}));
        assert_eq!(reply["success"], true);
        f.connect(&alice);
        assert!(f.events(b, "last_activity").is_empty());
        assert_eq!(f.events(c, "last_activity").len(), 1);
        let again = f.request(b, "user_last_activity_unsubscribe", json!({}));
        assert_eq!(again["success"], true);
    }

    #[test]
    fn a_closed_socket_stops_watching() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let bob = f.provision("bob");
        let b = f.connect(&bob);
        f.request(b, "user_last_activity_subscribe", json!({"id": alice.user.id}));
        f.close(b);
        assert!(f.store.watchers.is_empty());
        f.connect(&alice);
        assert!(f.events(b, "last_activity").is_empty());
    }
}
