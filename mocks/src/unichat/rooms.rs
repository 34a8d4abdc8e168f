//! Rooms and participation: creating, inviting, invite codes, roles, kicking, leaving and the
//! owner hand-off (seed 001, "Create room", "Invite to the room", "Use invite code",
//! "Leaving the room", "When the group owner leaves", "When the last participant leves").

use chatspec_specs::unichat::{
    envelope::ErrorCode,
    methods::{
        CreateGroupInviteCodeArgs, CreateRoomArgs, InviteArgs, KickArgs, SetAccessArgs, UnsubscribeArgs,
        UseInviteCodeArgs, UserIdsArg,
    },
    records::{FlexId, Reference, Role},
};
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::breakage::Breakage;
use super::error::{ApiError, fail};
use super::store::{Group, Outgoing, Store, Sub};

impl Store {
    /// "Creator becomes owner and admins ... all invited users will get write permissions."
    pub(crate) fn create_room(
        &mut self,
        now: OffsetDateTime,
        me: u64,
        args: CreateRoomArgs,
    ) -> Result<Value, ApiError> {
        let mut invitees: Vec<u64> = Vec::new();
        for id in args.user_ids.unwrap_or_default() {
            if id != me && !invitees.contains(&id) {
                invitees.push(id);
            }
        }
        self.check_users_exist(&invitees)?;
        let gid = self.next("group");
        self.groups.insert(
            gid,
            Group {
                id: gid,
                name: args.name,
                is_space: args.is_space.unwrap_or(false),
                created_at: now,
                updated_at: now,
                last_message_id: None,
                last_serial: 0,
                invite_code: None,
                owner_id: me,
                members: Vec::new(),
            },
        );
        let own = self.add_member(now, gid, me, Role::Admin);
        let invitee_role =
            if self.config.broken(Breakage::InviteesAsReaders) { Role::Reader } else { Role::Writer };
        let invited: Vec<u64> =
            invitees.iter().map(|&u| self.add_member(now, gid, u, invitee_role)).collect();
        // "each involved user, including creator, will receive new subscription notificaton"
        for sid in std::iter::once(own).chain(invited.iter().copied()) {
            let Some(user) = self.subs.get(&sid).map(|s| s.user_id) else {
                continue;
            };
            let body = Self::notification("new", "subscription", self.sub_value(sid, false, user));
            self.outgoing.push(Outgoing { user_id: user, body });
        }
        // "one unichat system message with xtag: 'creation' from room owner and one xtag:
        // 'invite', reference_type: 'user', reference_id: user_id for each invited user."
        self.post_system(now, gid, me, "creation", None);
        for &u in &invitees {
            self.post_system(now, gid, me, "invite", Some(user_ref(u)));
        }
        Ok(json!({"subscription": self.sub_value(own, false, me)}))
    }

    /// Adds `user` to `gid` with `role`; returns the new subscription id.
    fn add_member(&mut self, now: OffsetDateTime, gid: u64, user: u64, role: Role) -> u64 {
        let sid = self.next("subscription");
        self.subs.insert(
            sid,
            Sub {
                id: sid,
                group_id: gid,
                user_id: user,
                role,
                mute_until: None,
                draft: None,
                tags: Vec::new(),
                last_read_message_id: None,
                last_mentioned_in_message_id: None,
                created_at: now,
            },
        );
        if let Some(g) = self.groups.get_mut(&gid) {
            g.members.push(sid);
            g.updated_at = now;
        }
        sid
    }

    /// "Regular rooms by default allow everybody with write permission to invite others".
    pub(crate) fn invite(
        &mut self,
        now: OffsetDateTime,
        me: u64,
        args: InviteArgs,
    ) -> Result<Value, ApiError> {
        let (gid, role) = self.resolve_group(me, None, Some(args.subscription_id))?;
        if role == Role::Reader {
            return fail(ErrorCode::AccessDenied, "only participants with write permission may invite");
        }
        let ids = match args.user_id {
            UserIdsArg::One(id) => vec![id],
            UserIdsArg::Many(ids) => ids,
        };
        if ids.is_empty() {
            return fail(ErrorCode::InvalidArgs, "args.user_id: at least one user id is required");
        }
        self.check_users_exist(&ids)?;
        if let Some(&dup) = ids.iter().find(|&&u| self.membership(gid, u).is_some()) {
            return fail(ErrorCode::AlreadyMember, format!("user {dup} is already a participant"));
        }
        let mut added = Vec::new();
        for u in ids {
            if added.iter().any(|&(user, _)| user == u) {
                continue;
            }
            let sid = self.add_member(now, gid, u, Role::Writer);
            // "send a notification of the new subscription and post a unichat system message
            // from inviter with xtag:"invite" and reference pointing to the new user."
            self.notify_sub_to_group("new", sid);
            self.post_system(now, gid, me, "invite", Some(user_ref(u)));
            added.push((u, sid));
        }
        let subs: Vec<Value> = added.iter().map(|&(u, sid)| self.sub_value(sid, false, u)).collect();
        let mut reply = json!({"subscription": subs[0].clone()});
        if subs.len() > 1 {
            reply["subscriptions"] = Value::Array(subs);
        }
        Ok(reply)
    }

    pub(crate) fn create_group_invite_code(
        &mut self,
        me: u64,
        args: CreateGroupInviteCodeArgs,
    ) -> Result<Value, ApiError> {
        let (gid, role) = self.resolve_group(me, None, Some(args.subscription_id))?;
        if role == Role::Reader {
            return fail(ErrorCode::AccessDenied, "only participants with write permission may invite");
        }
        if let Some(code) = self.groups.get(&gid).and_then(|g| g.invite_code.clone()) {
            return Ok(json!({"code": code}));
        }
        let code = self.token("inv_");
        self.invite_codes.insert(code.clone(), gid);
        if let Some(g) = self.groups.get_mut(&gid) {
            g.invite_code = Some(code.clone());
        }
        Ok(json!({"code": code}))
    }

    /// "all participants (include new one) will receive usual new subscription event. Also
    /// system posts unichat system message from new user with xtag:"joined"."
    pub(crate) fn use_invite_code(
        &mut self,
        now: OffsetDateTime,
        me: u64,
        args: UseInviteCodeArgs,
    ) -> Result<Value, ApiError> {
        let Some(&gid) = self.invite_codes.get(&args.code) else {
            return fail(ErrorCode::InvalidInviteCode, "no such invite code");
        };
        if !self.groups.contains_key(&gid) {
            return fail(ErrorCode::InvalidInviteCode, "the group of this invite code is gone");
        }
        if self.membership(gid, me).is_some() {
            return fail(ErrorCode::AlreadyMember, "you are already a participant");
        }
        let sid = self.add_member(now, gid, me, Role::Writer);
        self.notify_sub_to_group("new", sid);
        self.post_system(now, gid, me, "joined", None);
        Ok(json!({}))
    }

    /// Admins set others' roles; the owner stays admin ("It is not possible to remove
    /// owner's admin role").
    pub(crate) fn set_access(&mut self, me: u64, args: SetAccessArgs) -> Result<Value, ApiError> {
        let (gid, role) = self.resolve_group(me, None, Some(args.subscription_id))?;
        if role != Role::Admin {
            return fail(ErrorCode::AccessDenied, "only admins may change roles");
        }
        let Some(target) = self.membership(gid, args.user_id).map(|s| s.id) else {
            return fail(ErrorCode::NotFound, format!("user {} is not a participant", args.user_id));
        };
        let owner = self.groups.get(&gid).map(|g| g.owner_id);
        if owner == Some(args.user_id) && args.role != Role::Admin {
            return fail(ErrorCode::OwnerProtected, "the owner's admin role cannot be removed");
        }
        let changed = match self.subs.get_mut(&target) {
            Some(s) if s.role != args.role => {
                s.role = args.role;
                true
            }
            _ => false,
        };
        if changed {
            self.notify_sub_to_group("changed", target);
        }
        Ok(json!({"subscription": self.sub_value(target, false, me)}))
    }

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
            self.post_system(now, gid, me, "leave", None);
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
        let members: Vec<&Sub> = g.members.iter().filter_map(|sid| self.subs.get(sid)).collect();
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

/// `reference: {type: "user", id: "<user id>"}`, as in the seed's example.
fn user_ref(user: u64) -> Reference {
    Reference { kind: "user".into(), id: FlexId::Text(user.to_string()) }
}
