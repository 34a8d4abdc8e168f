//! Rooms: creating one, with its first participants and system messages (seed 001, "Create
//! room": "A room is a general purpose chat. Creator becomes owner and admins.").

use chatspec_specs::endpoint::Handle;
use chatspec_specs::unichat::{
    envelope::FlexId,
    messages::Reference,
    rooms::{CreateRoomArgs, Role},
};
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::breakage::Breakage;
use super::endpoint::{Call, Served};
use super::error::ApiError;
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
        let name = match self.config.broken(Breakage::RoomNameAsciiOnly) {
            false => args.name,
            true => args.name.chars().filter(char::is_ascii).collect(),
        };
        self.groups.insert(
            gid,
            Group {
                id: gid,
                name,
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
        let creator_notified = !self.config.broken(Breakage::NoCreatorSubNotification);
        let own_notified = creator_notified.then_some(own);
        for sid in own_notified.into_iter().chain(invited.iter().copied()) {
            let Some(user) = self.subs.get(&sid).map(|s| s.user_id) else {
                continue;
            };
            let body = Self::notification("new", "subscription", self.sub_value(sid, false, user));
            self.outgoing.push(Outgoing { user_id: user, body: body.into() });
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
    pub(super) fn add_member(&mut self, now: OffsetDateTime, gid: u64, user: u64, role: Role) -> u64 {
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
}

/// `reference: {type: "user", id: "<user id>"}`, as in the seed's example.
pub(super) fn user_ref(user: u64) -> Reference {
    Reference { kind: "user".into(), id: FlexId::Text(user.to_string()) }
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/unichat/mod.rs) ----
impl Handle<chatspec_specs::unichat::rooms::CreateRoom, Call, Served> for Store {
    fn handle(&mut self, c: Call) -> Served {
        self.create_room(c.now, c.me, c.args()?)
    }
}
