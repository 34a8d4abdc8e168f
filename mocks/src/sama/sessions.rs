//! Sockets and presence (seed 003): which user and device each socket is linked to (a
//! device may have several), users coming online and going offline,
//! and the `last_activity` events that tell watchers (NOTES.md S7, S14, S57).

use chatspec_specs::sama::activity::{LastActivity, LastActivityEvent};
use time::OffsetDateTime;

use super::frames::{event, to_value};
use super::store::{Conn, ConnId, Millis, Store};

impl Store {
    /// Registers a new socket, linked to no one yet.
    pub fn open(&mut self, conn: ConnId) {
        self.conns.insert(conn, Conn::default());
    }

    /// Links `conn` to `(user, device)`. Other sockets of the same device stay linked, as
    /// on the public server (two tabs of one browser share its fingerprint; S7); a user
    /// coming online is announced to watchers and gets what the op log kept for them.
    pub(crate) fn link(&mut self, now: Millis, conn: ConnId, user: &str, device: &str) {
        let Some(c) = self.conns.get_mut(&conn) else {
            return;
        };
        let previous = (c.user.replace(user.to_owned()), c.device.replace(device.to_owned()));
        if previous == (Some(user.to_owned()), Some(device.to_owned())) {
            return;
        }
        let was_online = self.online(user);
        self.user_conns.entry(user.to_owned()).or_default().insert(conn);
        self.device_conn.entry((user.to_owned(), device.to_owned())).or_default().insert(conn);
        // Whatever the socket was linked to before ends now that the new link holds, so a
        // user re-linking from another device never looks offline in between.
        if let (Some(prev_user), Some(prev_device)) = previous {
            self.forget_device_conn(conn, &prev_user, &prev_device);
            if prev_user != user {
                self.drop_user_conn(now, conn, &prev_user);
            }
        }
        if !was_online {
            let online = self.online_activity();
            self.announce(user, online);
            self.deliver_pending(conn, user);
        }
    }

    /// The sockets linked to `(user, device)`, oldest first.
    pub(crate) fn device_conns(&self, user: &str, device: &str) -> Vec<ConnId> {
        let key = (user.to_owned(), device.to_owned());
        self.device_conn.get(&key).map(|set| set.iter().copied().collect()).unwrap_or_default()
    }

    fn forget_device_conn(&mut self, conn: ConnId, user: &str, device: &str) {
        let key = (user.to_owned(), device.to_owned());
        if let Some(set) = self.device_conn.get_mut(&key) {
            set.remove(&conn);
            if set.is_empty() {
                self.device_conn.remove(&key);
            }
        }
    }

    /// Unlinks `conn` from its user (the socket stays open).
    pub(crate) fn unlink(&mut self, now: Millis, conn: ConnId) {
        let Some(c) = self.conns.get_mut(&conn) else {
            return;
        };
        let (Some(user), Some(device)) = (c.user.take(), c.device.take()) else {
            return;
        };
        self.detach(now, conn, &user, &device);
    }

    /// Forgets that `conn` serves `(user, device)`.
    fn detach(&mut self, now: Millis, conn: ConnId, user: &str, device: &str) {
        self.forget_device_conn(conn, user, device);
        self.drop_user_conn(now, conn, user);
    }

    /// Removes `conn` from `user`'s sockets; the last one going takes the user offline.
    fn drop_user_conn(&mut self, now: Millis, conn: ConnId, user: &str) {
        let Some(conns) = self.user_conns.get_mut(user) else {
            return;
        };
        conns.remove(&conn);
        if conns.is_empty() {
            self.user_conns.remove(user);
            let secs = now.div_euclid(1000);
            if let Some(u) = self.users.get_mut(user) {
                u.recent_activity = secs;
                self.announce(user, LastActivity::Seconds(secs));
            }
        }
    }

    /// A socket closed: its link and its activity subscriptions end.
    pub fn close(&mut self, now: OffsetDateTime, conn: ConnId) {
        if !self.conns.contains_key(&conn) {
            return;
        }
        let now = self.tick(now);
        self.unlink(now, conn);
        self.stop_watching(conn);
        self.conns.remove(&conn);
    }

    /// Tells every socket watching `user` its new activity.
    fn announce(&mut self, user: &str, activity: LastActivity) {
        let Some(watchers) = self.watchers.get(user) else {
            return;
        };
        let to: Vec<ConnId> = watchers.iter().copied().collect();
        let mut map = LastActivityEvent::default();
        map.0.insert(user.to_owned(), activity);
        self.push_frame(to, event("last_activity", to_value(&map)));
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use serde_json::json;

    #[test]
    fn two_sockets_of_one_device_both_stay_linked() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let bob = f.provision("bob");
        let first = f.connect(&alice);
        let second = f.open();
        f.link(second, &alice);
        assert!(f.closed.is_empty(), "no socket of the device may be closed: {:?}", f.closed);
        assert_eq!(f.store.linked_user(first), Some(alice.user.id.clone()));
        assert_eq!(f.store.linked_user(second), Some(alice.user.id.clone()));
        // Both hear what is sent to the user.
        let b = f.connect(&bob);
        let cid = f.group(b, "pair", &[&alice.user.id]);
        f.post(b, &cid, "hi");
        assert_eq!(f.events(first, "message").len(), 1);
        assert_eq!(f.events(second, "message").len(), 1);
        // The user goes offline only with the last of them.
        f.close(first);
        assert!(f.store.online(&alice.user.id));
        f.close(second);
        assert!(!f.store.online(&alice.user.id));
    }

    #[test]
    fn watchers_see_a_user_go_online_and_offline() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let bob = f.provision("bob");
        let watcher = f.connect(&bob);
        let reply = f.request(watcher, "user_last_activity_subscribe", json!({"id": alice.user.id}));
        assert!(reply["last_activity"][&alice.user.id].is_i64(), "{reply}");
        let a1 = f.connect(&alice);
        let seen = f.events(watcher, "last_activity");
        assert_eq!(seen, vec![json!({ &alice.user.id: "online" })]);
        f.close(a1);
        let seen = f.events(watcher, "last_activity");
        assert_eq!(seen.len(), 1);
        assert!(seen[0][&alice.user.id].is_i64(), "{seen:?}");
    }
}
