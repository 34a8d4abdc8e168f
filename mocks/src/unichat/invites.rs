//! Inviting and joining, and roles (seed 001, "Invite to the room", "Use invite code"; the
//! public facts `create_group_invite_code` and `set_access`, NOTES.md U24 to U26).

use chatspec_specs::endpoint::Handle;
use chatspec_specs::unichat::{
    envelope::ErrorCode,
    invites::{CreateGroupInviteCodeArgs, InviteArgs, SetAccessArgs, UseInviteCodeArgs, UserIdsArg},
    rooms::Role,
};
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::breakage::Breakage;
use super::endpoint::{Call, Served};
use super::error::{ApiError, fail};
use super::rooms::user_ref;
use super::store::Store;

impl Store {
    /// "Regular rooms by default allow everybody with write permission to invite others".
    pub(crate) fn invite(
        &mut self,
        now: OffsetDateTime,
        me: u64,
        args: InviteArgs,
    ) -> Result<Value, ApiError> {
        let any = self.subs.get(&args.subscription_id).map(|s| s.group_id);
        let (gid, role) = match any.filter(|_| self.config.broken(Breakage::InviteThroughAnySubscription)) {
            Some(gid) => (gid, self.membership(gid, me).map_or(Role::Reader, |s| s.role)),
            None => self.resolve_group(me, None, Some(args.subscription_id))?,
        };
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
            let queued = self.outgoing.len();
            self.post_system(now, gid, me, "invite", Some(user_ref(u)));
            if self.config.broken(Breakage::InviteMessageUnnotified) {
                self.outgoing.truncate(queued);
            }
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
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/unichat/mod.rs) ----
impl Handle<chatspec_specs::unichat::invites::Invite, Call, Served> for Store {
    fn handle(&mut self, c: Call) -> Served {
        self.invite(c.now, c.me, c.args()?)
    }
}

impl Handle<chatspec_specs::unichat::invites::CreateGroupInviteCode, Call, Served> for Store {
    fn handle(&mut self, c: Call) -> Served {
        self.create_group_invite_code(c.me, c.args()?)
    }
}

impl Handle<chatspec_specs::unichat::invites::UseInviteCode, Call, Served> for Store {
    fn handle(&mut self, c: Call) -> Served {
        self.use_invite_code(c.now, c.me, c.args()?)
    }
}

impl Handle<chatspec_specs::unichat::invites::SetAccess, Call, Served> for Store {
    fn handle(&mut self, c: Call) -> Served {
        self.set_access(c.me, c.args()?)
    }
}
