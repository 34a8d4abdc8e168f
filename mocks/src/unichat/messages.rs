//! Messages: posting with idempotent uid, serials, loading, editing and deleting (seed 001,
//! "Post message", "Message serial", "Load messages", "Edit own message", "Delete own
//! message", "Mentions").

use chatspec_specs::endpoint::Handle;
use chatspec_specs::unichat::{
    attachments::UploadIds,
    envelope::ErrorCode,
    messages::{
        DeleteMessageArgs, EditMessageArgs, GetMessageArgs, GetMessagesArgs, Mention, PostMessageArgs,
        Reference, TaskIdsArg, UploadIdArg,
    },
    rooms::Role,
};
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::breakage::Breakage;
use super::endpoint::{Call, Served};
use super::error::{ApiError, fail};
use super::store::{MAX_UID_CHARS, Msg, Store};

/// Whether `uid` is shaped as a GUID: 36 characters, hex digits in groups of 8-4-4-4-12.
fn looks_like_guid(uid: &str) -> bool {
    let groups: Vec<&str> = uid.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// "limit:100" is the default page.
const DEFAULT_LIMIT: u64 = 100;

impl Store {
    /// Gives message `id` the group's next serial: "guaranteed to be bigger than it was".
    fn bump_serial(&mut self, gid: u64) -> u64 {
        match self.groups.get_mut(&gid) {
            Some(g) => {
                g.last_serial += 1;
                g.last_serial
            }
            None => 0,
        }
    }

    /// Stores a new message and notifies the group; returns its id.
    fn insert_message(&mut self, now: OffsetDateTime, mut m: Msg) -> u64 {
        m.id = self.next("message");
        m.serial = self.bump_serial(m.group_id);
        m.created_at = now;
        let id = m.id;
        if let Some(g) = self.groups.get_mut(&m.group_id) {
            g.last_message_id = Some(id);
            g.updated_at = now;
        }
        self.messages.insert(id, m);
        self.notify_message("new", id);
        id
    }

    /// Posts a system message from `actor` with `xtag`.
    pub(crate) fn post_system(
        &mut self,
        now: OffsetDateTime,
        gid: u64,
        actor: u64,
        xtag: &str,
        reference: Option<Reference>,
    ) {
        let m = Msg {
            id: 0,
            user_id: actor,
            group_id: gid,
            deleted_at: None,
            serial: 0,
            text: String::new(),
            xtag: Some(xtag.into()),
            attachments: Vec::new(),
            mentions: None,
            reference,
            forwarded_message_id: None,
            in_reply_to_message_id: None,
            edited_at: None,
            created_at: now,
            task_ids: Vec::new(),
            uid: None,
            upload_id: None,
        };
        self.insert_message(now, m);
    }

    /// "It is safe to call it repeatedly with the same message and same uid, no duplication
    /// will happen and the proper message object will be returned."
    pub(crate) fn post_message(
        &mut self,
        now: OffsetDateTime,
        me: u64,
        args: PostMessageArgs,
    ) -> Result<Value, ApiError> {
        if let Some(uid) = &args.uid {
            if self.config.broken(Breakage::GuidUidRefused) && looks_like_guid(uid) {
                return fail(ErrorCode::InvalidUid, "a GUID is not accepted as uid");
            }
            if uid.chars().count() > MAX_UID_CHARS {
                return fail(
                    ErrorCode::InvalidUid,
                    format!("uid is {} characters; at most {MAX_UID_CHARS} are allowed", uid.chars().count()),
                );
            }
            let across = self.config.broken(Breakage::UidAcrossUsers);
            let known = match across {
                false => self.uids.get(&(me, uid.clone())),
                true => self.uids.iter().find(|((_, u), _)| u == uid).map(|(_, id)| id),
            };
            if let Some(&existing) = known.filter(|_| !self.config.broken(Breakage::DuplicateOnRetry))
                && self.messages.contains_key(&existing)
            {
                return Ok(json!({"message": self.msg_value(existing, me)}));
            }
        }
        let (gid, role) = self.resolve_group(me, args.group_id, args.subscription_id)?;
        if role == Role::Reader {
            return fail(ErrorCode::AccessDenied, "you have read-only access to this group");
        }
        for (field, target) in [
            ("in_reply_to_message_id", args.in_reply_to_message_id),
            ("forwarded_message_id", args.forwarded_message_id),
        ] {
            let unchecked = field == "forwarded_message_id" && self.config.broken(Breakage::ForwardUnchecked);
            if let Some(id) = target.filter(|_| !unchecked) {
                self.readable_message(me, id)
                    .map_err(|e| ApiError::new(e.code, format!("args.{field}: {}", e.text)))?;
            }
        }
        let mut attachments = Vec::new();
        if let Some(url) = args.attachment.as_deref().filter(|u| !u.is_empty()) {
            attachments.push(self.store_data_url(url, args.attachment_filename.clone())?);
        }
        let upload_id = match args.upload_id {
            None => None,
            Some(UploadIdArg::Text(t))
                if t.is_empty() && self.config.broken(Breakage::EmptyUploadIdAttachesAll) =>
            {
                let mine = self.uploads.values().filter(|u| u.owner == me && u.file_id.is_some());
                Some(UploadIds::Many(mine.map(|u| u.id).collect()))
            }
            Some(UploadIdArg::Text(t)) if t.is_empty() => None,
            Some(UploadIdArg::Text(t)) => match t.parse::<u64>() {
                Ok(id) => Some(UploadIds::One(id)),
                Err(_) => {
                    return fail(
                        ErrorCode::InvalidArgs,
                        "args.upload_id: expected a number, an array or an empty string",
                    );
                }
            },
            Some(UploadIdArg::Ids(UploadIds::One(_)))
                if self.config.broken(Breakage::NumberUploadIdRefused) =>
            {
                return fail(ErrorCode::InvalidArgs, "args.upload_id: expected an array");
            }
            Some(UploadIdArg::Ids(UploadIds::Many(ids))) if self.config.broken(Breakage::OnlyFirstUpload) => {
                ids.first().copied().map(UploadIds::One)
            }
            Some(UploadIdArg::Ids(ids)) => Some(ids),
        };
        let upload_list: Vec<u64> = match &upload_id {
            Some(UploadIds::One(id)) => vec![*id],
            Some(UploadIds::Many(ids)) => ids.clone(),
            None => Vec::new(),
        };
        for id in &upload_list {
            attachments.push(self.upload_attachment(me, *id)?);
        }
        let mentions = args.mentions.map(|ms| {
            ms.into_iter().map(|m| Mention { user_id: m.user_id, text: m.text }).collect::<Vec<_>>()
        });
        let m = Msg {
            id: 0,
            user_id: me,
            group_id: gid,
            deleted_at: None,
            serial: 0,
            text: args.text,
            xtag: None,
            attachments,
            mentions: mentions.clone(),
            reference: None,
            forwarded_message_id: args.forwarded_message_id,
            in_reply_to_message_id: args.in_reply_to_message_id,
            edited_at: None,
            created_at: now,
            task_ids: args.task_ids.unwrap_or_default(),
            uid: args.uid.clone(),
            upload_id: (!upload_list.is_empty()).then_some(upload_id).flatten(),
        };
        let id = self.insert_message(now, m);
        if let Some(uid) = args.uid {
            self.uids.insert((me, uid), id);
        }
        // "the system will set subscription.last_mentioned_in_message_id accordingly. This
        // chainge of the subscription will not trigger subscription change notification".
        for mention in mentions.unwrap_or_default() {
            let sid = self.membership(gid, mention.user_id).map(|s| s.id);
            if let Some(s) = sid.and_then(|sid| self.subs.get_mut(&sid)) {
                s.last_mentioned_in_message_id = Some(id);
            }
            if let (Some(sid), true) = (sid, self.config.broken(Breakage::MentionNotifiesSubscription)) {
                let body = Self::notification(
                    "changed",
                    "subscription",
                    self.sub_value(sid, false, mention.user_id),
                );
                self.outgoing.push(super::store::Outgoing { user_id: mention.user_id, body: body.into() });
            }
        }
        Ok(json!({"message": self.msg_value(id, me)}))
    }

    /// A message `me` may read: it exists and `me` is in its group.
    fn readable_message(&self, me: u64, id: u64) -> Result<&Msg, ApiError> {
        let Some(m) = self.messages.get(&id) else {
            return fail(ErrorCode::NotFound, format!("no message {id}"));
        };
        if self.membership(m.group_id, me).is_none() {
            return fail(ErrorCode::AccessDenied, format!("message {id} is in a group you are not in"));
        }
        Ok(m)
    }

    /// "if neither before_id not after_serial are specified, selects most recently created
    /// messages, most recent first"; `before_id`: older, most recent first; `after_serial`:
    /// created and modified since, most recent last.
    pub(crate) fn get_messages(&self, me: u64, args: GetMessagesArgs) -> Result<Value, ApiError> {
        let (gid, _) = match (args.group_id, self.config.broken(Breakage::ReadAnyGroup)) {
            (Some(gid), true) if self.groups.contains_key(&gid) => (gid, Role::Reader),
            _ => self.resolve_group(me, args.group_id, args.subscription_id)?,
        };
        if args.before_id.is_some() && args.after_serial.is_some() {
            return fail(ErrorCode::InvalidArgs, "give before_id or after_serial, not both");
        }
        let default = (!self.config.broken(Breakage::NoDefaultLimit)).then_some(DEFAULT_LIMIT);
        let limit = args.limit.or(default).map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
        let offset = usize::try_from(args.offset.unwrap_or(0)).unwrap_or(usize::MAX);
        let in_group = self.messages.values().filter(|m| m.group_id == gid);
        let picked: Vec<&Msg> = if let Some(after) = args.after_serial {
            let mut v: Vec<&Msg> = in_group.filter(|m| m.serial > after).collect();
            v.sort_by_key(|m| m.serial);
            v.into_iter().skip(offset).take(limit).collect()
        } else {
            let before = args.before_id.unwrap_or(u64::MAX);
            in_group.rev().filter(|m| m.id < before).skip(offset).take(limit).collect()
        };
        let messages: Vec<Value> = picked.iter().map(|m| self.msg_value(m.id, me)).collect();
        Ok(json!({"messages": messages}))
    }

    pub(crate) fn get_message(&self, me: u64, args: GetMessageArgs) -> Result<Value, ApiError> {
        let m = self.readable_message(me, args.message_id)?;
        Ok(json!({"message": self.msg_value(m.id, me)}))
    }

    /// A message `me` may change: readable, own, not deleted.
    fn own_live_message(&self, me: u64, id: u64) -> Result<&Msg, ApiError> {
        let m = self.readable_message(me, id)?;
        if m.user_id != me || m.xtag.is_some() {
            return fail(ErrorCode::NotOwnMessage, format!("message {id} is not your own"));
        }
        Ok(m)
    }

    /// "Editing own messages is only allowed within certain time period after its creation.
    /// Message editing does not prolong this period."
    pub(crate) fn edit_message(
        &mut self,
        now: OffsetDateTime,
        me: u64,
        args: EditMessageArgs,
    ) -> Result<Value, ApiError> {
        let m = self.own_live_message(me, args.message_id)?;
        if m.deleted_at.is_some() {
            return fail(ErrorCode::MessageDeleted, format!("message {} is deleted", m.id));
        }
        if now > m.created_at + self.config.edit_window && !self.config.broken(Breakage::EditWindowIgnored) {
            return fail(
                ErrorCode::EditWindowExpired,
                format!(
                    "message {} was created at {}; it could be edited for {} seconds",
                    m.id,
                    crate::kit::clock::wire(m.created_at),
                    self.config.edit_window.whole_seconds()
                ),
            );
        }
        if args.text.is_none() && args.attachment.is_none() {
            return fail(ErrorCode::InvalidArgs, "edit_message requires at least one of text and attachment");
        }
        let (id, gid) = (m.id, m.group_id);
        let new_attachment = match args.attachment.as_deref() {
            Some("") => Some(Vec::new()),
            Some(url) => Some(vec![self.store_data_url(url, None)?]),
            None if self.config.broken(Breakage::EditDropsAttachment) => Some(Vec::new()),
            None => None,
        };
        let serial = self.bump_serial(gid);
        let Some(m) = self.messages.get_mut(&id) else {
            return fail(ErrorCode::NotFound, format!("no message {id}"));
        };
        if let Some(text) = args.text {
            m.text = text;
        }
        if let Some(att) = new_attachment {
            m.attachments = att;
            m.upload_id = None;
        }
        if args.clear_in_reply_to_message_id == Some(true) {
            m.in_reply_to_message_id = None;
        }
        match args.task_ids {
            Some(TaskIdsArg::Ids(_)) if self.config.broken(Breakage::EditTaskIdsIgnored) => {}
            Some(TaskIdsArg::Ids(ids)) => m.task_ids = ids,
            Some(TaskIdsArg::Text(_)) if self.config.broken(Breakage::TaskIdsEmptyKeeps) => {}
            Some(TaskIdsArg::Text(_)) => m.task_ids.clear(),
            None => {}
        }
        m.edited_at = Some(now);
        if !self.config.broken(Breakage::SerialNotRaisedOnEdit) {
            m.serial = serial;
        }
        self.notify_message("changed", id);
        Ok(json!({"message": self.msg_value(id, me)}))
    }

    /// "Could be done by the author at any time ... If the message is already deleted, it is
    /// not changed, error is not reported."
    pub(crate) fn delete_message(
        &mut self,
        now: OffsetDateTime,
        me: u64,
        args: DeleteMessageArgs,
    ) -> Result<Value, ApiError> {
        let m = self.own_live_message(me, args.message_id)?;
        let (id, gid) = (m.id, m.group_id);
        if m.deleted_at.is_none() {
            let serial = self.bump_serial(gid);
            if let Some(m) = self.messages.get_mut(&id) {
                m.deleted_at = Some(now);
                m.serial = serial;
            }
            self.notify_message("deleted", id);
        }
        Ok(json!({"message": self.msg_value(id, me)}))
    }
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/unichat/mod.rs) ----
impl Handle<chatspec_specs::unichat::messages::PostMessage, Call, Served> for Store {
    fn handle(&mut self, c: Call) -> Served {
        self.post_message(c.now, c.me, c.args()?)
    }
}

impl Handle<chatspec_specs::unichat::messages::GetMessages, Call, Served> for Store {
    fn handle(&mut self, c: Call) -> Served {
        self.get_messages(c.me, c.args()?)
    }
}

impl Handle<chatspec_specs::unichat::messages::GetMessage, Call, Served> for Store {
    fn handle(&mut self, c: Call) -> Served {
        self.get_message(c.me, c.args()?)
    }
}

impl Handle<chatspec_specs::unichat::messages::EditMessage, Call, Served> for Store {
    fn handle(&mut self, c: Call) -> Served {
        let link = self.broken_reply_link(&c.args);
        let (now, me) = (c.now, c.me);
        let reply = self.edit_message(now, me, c.args()?)?;
        Ok(self.set_reply_link(me, reply, link))
    }
}

impl Handle<chatspec_specs::unichat::messages::DeleteMessage, Call, Served> for Store {
    fn handle(&mut self, c: Call) -> Served {
        self.delete_message(c.now, c.me, c.args()?)
    }
}
