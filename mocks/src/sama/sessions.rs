//! Sockets and presence (seed 003): which user and device each socket is linked to, a
//! newer socket of a device replacing the older, users coming online and going offline,
//! and the `last_activity` events that tell watchers (NOTES.md S7, S14, S57).

use chatspec_specs::sama::activity::{LastActivity, LastActivityEvent};
use time::OffsetDateTime;

use super::frames::{event, to_value};
use super::store::{Conn, ConnId, Millis, Outgoing, Store};

impl Store {
    /// Registers a new socket, linked to no one yet.
    pub fn open(&mut self, conn: ConnId) {
        self.conns.insert(conn, Conn::default());
    }

    /// Links `conn` to `(user, device)`. An earlier socket of the same device is unlinked
    /// and closed; a user coming online is announced to watchers and gets what the op log
    /// kept for them.
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
        let key = (user.to_owned(), device.to_owned());
        if let Some(old) = self.device_conn.insert(key, conn).filter(|old| *old != conn) {
            if let Some(c) = self.conns.get_mut(&old) {
                c.user = None;
                c.device = None;
            }
            self.drop_user_conn(now, old, user);
            self.outgoing.push(Outgoing::Close(old));
        }
        // Whatever the socket was linked to before ends now that the new link holds, so a
        // user re-linking from another device never looks offline in between.
        if let (Some(prev_user), Some(prev_device)) = previous {
            let prev_key = (prev_user.clone(), prev_device);
            if self.device_conn.get(&prev_key) == Some(&conn) {
                self.device_conn.remove(&prev_key);
            }
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
        let key = (user.to_owned(), device.to_owned());
        if self.device_conn.get(&key) == Some(&conn) {
            self.device_conn.remove(&key);
        }
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
        if let Some(c) = self.conns.remove(&conn) {
            for target in c.watching {
                if let Some(w) = self.watchers.get_mut(&target) {
                    w.remove(&conn);
                    if w.is_empty() {
                        self.watchers.remove(&target);
                    }
                }
            }
        }
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
    fn a_newer_socket_of_the_same_device_replaces_the_older() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let first = f.connect(&alice);
        let second = f.open();
        f.link(second, &alice);
        assert!(f.closed.contains(&first), "{:?}", f.closed);
        assert!(f.store.online(&alice.user.id));
        assert_eq!(f.store.linked_user(first), None);
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
