//! Leaving and kicking, the owner hand-off and the group's end (seed 001, "Leaving the room",
//! "When the group owner leaves", "When the last participant leves"; the public fact `kick`,
//! NOTES.md U26 to U28).

use chatspec_specs::endpoint::Handle;
use chatspec_specs::unichat::{
    envelope::ErrorCode,
    leaving::{KickArgs, UnsubscribeArgs},
    rooms::Role,
};
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::breakage::Breakage;
use super::endpoint::{Call, Served};
use super::error::{ApiError, fail};
use super::rooms::user_ref;
use super::store::{Store, Sub};

impl Store {
    /// Admins remove others; "It is not possible to ... kick him or her [the owner] out".
    pub(crate) fn kick(&mut self, now: OffsetDateTime, me: u64, args: KickArgs) -> Result<Value, ApiError> {
        let (gid, role) = self.resolve_group(me, None, Some(args.subscription_id))?;
        if role != Role::Admin {
            return fail(ErrorCode::AccessDenied, "only admins may kick");
        }
        if self.groups.get(&gid).map(|g| g.owner_id) == Some(args.user_id) {
            return fail(ErrorCode::OwnerProtected, "the owner cannot be kicked");
        }
        let Some(target) = self.membership(gid, args.user_id).map(|s| s.id) else {
            return fail(ErrorCode::NotFound, format!("user {} is not a participant", args.user_id));
        };
        self.post_system(now, gid, me, "kick_out", Some(user_ref(args.user_id)));
        self.remove_member(now, target);
        Ok(json!({}))
    }

    /// "the system posts unichat system message from leaving user with xtag: leave just
    /// before unsubscribing"; then the deleted notification; then the owner hand-off or the
    /// group's end.
    pub(crate) fn unsubscribe(
        &mut self,
        now: OffsetDateTime,
        me: u64,
        args: UnsubscribeArgs,
    ) -> Result<Value, ApiError> {
        let sid = self.own_sub(me, args.subscription_id)?.id;
        let Some(gid) = self.subs.get(&sid).map(|s| s.group_id) else {
            return fail(ErrorCode::NotFound, "no such subscription");
        };
        if !self.config.broken(Breakage::NoLeaveMessage) {
            let from = if self.config.broken(Breakage::LeaveMessageFromOther) {
                self.member_users(gid).into_iter().find(|&u| u != me).unwrap_or(me)
            } else {
                me
            };
            self.post_system(now, gid, from, "leave", None);
        }
        self.remove_member(now, sid);
        let Some(g) = self.groups.get(&gid) else {
            return Ok(json!({}));
        };
        if g.members.is_empty() {
            // "The group is destroyed by the system if there are no more participants."
            self.destroy_group(gid);
        } else if g.owner_id == me && !self.config.broken(Breakage::NoOwnerHandoff) {
            self.hand_off_owner(gid);
        }
        Ok(json!({}))
    }

    /// Removes subscription `sid` and tells the group and the leaver: "only the id field is
    /// guaranteed to be present".
    fn remove_member(&mut self, now: OffsetDateTime, sid: u64) {
        let Some(s) = self.subs.get(&sid).cloned() else {
            return;
        };
        let mut recipients = self.member_users(s.group_id);
        if !recipients.contains(&s.user_id) {
            recipients.push(s.user_id);
        }
        let body = Self::notification(
            "deleted",
            "subscription",
            json!({"id": sid, "group_id": s.group_id, "user_id": s.user_id}),
        );
        self.notify_all(&recipients, &body);
        self.subs.remove(&sid);
        if let Some(g) = self.groups.get_mut(&s.group_id) {
            g.members.retain(|&m| m != sid);
            g.updated_at = now;
        }
    }

    /// "the system tries to find the best candidate for this role (the oldest administrator,
    /// or oldest writer or oldest reader ...), and assign it on this role. The subscription of
    /// the new role is promoted to the admin level if need. The usual subscription change
    /// notification is sent."
    fn hand_off_owner(&mut self, gid: u64) {
        let Some(g) = self.groups.get(&gid) else {
            return;
        };
        let mut members: Vec<&Sub> = g.members.iter().filter_map(|sid| self.subs.get(sid)).collect();
        if self.config.broken(Breakage::HandoffToYoungestAdmin) {
            // The youngest admin first; writers and readers keep their order.
            if let Some(i) = members.iter().rposition(|s| s.role == Role::Admin) {
                let youngest = members.remove(i);
                members.insert(0, youngest);
            }
        }
        let best = [Role::Admin, Role::Writer, Role::Reader]
            .into_iter()
            .find_map(|role| members.iter().find(|s| s.role == role).map(|s| (s.id, s.user_id)));
        let Some((sid, user)) = best else { return };
        if let Some(g) = self.groups.get_mut(&gid) {
            g.owner_id = user;
        }
        if let Some(s) = self.subs.get_mut(&sid) {
            s.role = Role::Admin;
        }
        self.notify_sub_to_group("changed", sid);
    }

    fn destroy_group(&mut self, gid: u64) {
        if let Some(g) = self.groups.remove(&gid)
            && let Some(code) = g.invite_code
        {
            self.invite_codes.remove(&code);
        }
        let gone: Vec<u64> = self.messages.values().filter(|m| m.group_id == gid).map(|m| m.id).collect();
        for id in gone {
            if let Some(m) = self.messages.remove(&id)
                && let Some(uid) = m.uid
            {
                self.uids.remove(&(m.user_id, uid));
            }
        }
    }
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/unichat/mod.rs) ----
impl Handle<chatspec_specs::unichat::leaving::Kick, Call, Served> for Store {
    fn handle(&mut self, c: Call) -> Served {
        self.kick(c.now, c.me, c.args()?)
    }
}

impl Handle<chatspec_specs::unichat::leaving::Unsubscribe, Call, Served> for Store {
    fn handle(&mut self, c: Call) -> Served {
        self.unsubscribe(c.now, c.me, c.args()?)
    }
}
