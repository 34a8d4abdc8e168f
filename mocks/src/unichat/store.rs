//! The Unichat store: all state and every rule, with no I/O (seeds 000 and 001).
//!
//! A call goes in as `(method, tokens, args)` (`endpoint.rs` dispatches it to its area's
//! handler) and comes out as a reply value plus the notifications it caused, queued in
//! `outgoing` for the transport to deliver in order. This file holds the state, the views
//! that turn it into wire records, and the lookups and rules every area shares.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use chatspec_specs::unichat::{
    self as spec,
    accounts::ChatUser,
    envelope::{ErrorCode, Timestamp},
    rooms::Role,
};
use serde::Serialize;
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use super::breakage::Breakage;
use super::error::{ApiError, fail};
use crate::kit::clock::wire;

/// How the mock behaves where the documents leave a choice open.
#[derive(Clone, Debug)]
pub struct Config {
    /// The accepted `APP_DOMAIN_TOKEN` values (seed 000: "test_token1" could be used).
    pub domain_tokens: Vec<String>,
    /// How long after creation a message may be edited (the seed gives no length).
    pub edit_window: Duration,
    /// The base URL file links are built on.
    pub public_base: String,
    /// Rules to break on purpose (honoured only with the `breakage` feature).
    pub breakage: std::collections::BTreeSet<super::breakage::Breakage>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            domain_tokens: vec!["test_token1".into()],
            edit_window: Duration::hours(24),
            public_base: "http://localhost".into(),
            breakage: std::collections::BTreeSet::new(),
        }
    }
}

/// Longest uid accepted: "Maximum allowed size is 64 characters."
pub const MAX_UID_CHARS: usize = 64;

#[derive(Clone, Debug, Serialize)]
pub(crate) struct User {
    pub id: u64,
    pub nick: String,
    pub email: String,
    #[serde(skip)]
    pub password: String,
    pub auth_token: String,
    pub status: Option<String>,
    pub avatar: Option<String>,
    pub online: bool,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Group {
    pub id: u64,
    pub name: String,
    pub is_space: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    pub last_message_id: Option<u64>,
    pub last_serial: u64,
    pub invite_code: Option<String>,
    pub owner_id: u64,
    /// Subscription ids, oldest first: the order of seniority for owner hand-off.
    pub members: Vec<u64>,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Sub {
    pub id: u64,
    pub group_id: u64,
    pub user_id: u64,
    pub role: Role,
    pub mute_until: Option<String>,
    pub draft: Option<String>,
    pub tags: Vec<String>,
    pub last_read_message_id: Option<i64>,
    pub last_mentioned_in_message_id: Option<u64>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Msg {
    pub id: u64,
    pub user_id: u64,
    pub group_id: u64,
    #[serde(with = "time::serde::rfc3339::option")]
    pub deleted_at: Option<OffsetDateTime>,
    pub serial: u64,
    pub text: String,
    pub xtag: Option<String>,
    pub attachments: Vec<spec::attachments::Attachment>,
    pub mentions: Option<Vec<spec::messages::Mention>>,
    pub reference: Option<spec::messages::Reference>,
    pub forwarded_message_id: Option<u64>,
    pub in_reply_to_message_id: Option<u64>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub edited_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub task_ids: Vec<u64>,
    pub uid: Option<String>,
    pub upload_id: Option<spec::attachments::UploadIds>,
}

/// A notification waiting for delivery: recipient and body. Recipients of the same view share
/// one body (consecutive entries, the same `Arc`), which the transport serialises once.
#[derive(Clone, Debug, PartialEq)]
pub struct Outgoing {
    /// The user to notify: every open event stream of theirs gets it.
    pub user_id: u64,
    /// The notification: `{event, object_name, object_type, object}`.
    pub body: Arc<Value>,
}

/// All Unichat state.
#[derive(Debug, Default, Serialize)]
pub struct Store {
    #[serde(skip)]
    pub(crate) config: Config,
    /// The base URL of the call being handled, from its `Host`: attachment URLs are built
    /// on it, so they work behind a port mapping or a proxy.
    #[serde(skip)]
    pub(crate) serving_base: Option<String>,
    /// The Base64 of the call being handled, decoded before the lock was taken.
    #[serde(skip)]
    pub(crate) predecoded: super::attachments::Predecoded,
    pub(crate) next_id: BTreeMap<&'static str, u64>,
    pub(crate) users: BTreeMap<u64, User>,
    #[serde(skip)]
    pub(crate) tokens: HashMap<String, u64>,
    #[serde(skip)]
    pub(crate) emails: HashMap<String, u64>,
    pub(crate) groups: BTreeMap<u64, Group>,
    pub(crate) subs: BTreeMap<u64, Sub>,
    pub(crate) messages: BTreeMap<u64, Msg>,
    /// `(user, uid)` to message id: "the system will detect and ignore unintentional
    /// duplications".
    #[serde(skip)]
    pub(crate) uids: HashMap<(u64, String), u64>,
    pub(crate) invite_codes: BTreeMap<String, u64>,
    #[serde(skip)]
    pub(crate) sse_codes: HashMap<String, u64>,
    pub(crate) uploads: BTreeMap<u64, super::attachments::Upload>,
    #[serde(skip)]
    pub(crate) files: BTreeMap<u64, super::attachments::StoredFile>,
    pub(crate) voice: BTreeMap<u64, super::attachments::VoiceJob>,
    #[serde(skip)]
    pub(crate) outgoing: Vec<Outgoing>,
    #[serde(skip)]
    pub(crate) token_counter: u64,
}

impl Store {
    /// An empty store.
    pub fn new(config: Config) -> Store {
        Store { config, ..Store::default() }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Sets the base URL file links are built on.
    pub fn set_public_base(&mut self, base: String) {
        self.config.public_base = base;
    }

    /// Empties all state, keeping the configuration.
    pub fn reset(&mut self) {
        *self = Store::new(self.config.clone());
    }

    /// Takes the notifications queued since the last call, in the order they happened.
    pub fn take_outgoing(&mut self) -> Vec<Outgoing> {
        let mut out = std::mem::take(&mut self.outgoing);
        if self.config.broken(Breakage::NotificationIdAsText) {
            for o in &mut out {
                if let Some(id) = Arc::make_mut(&mut o.body).pointer_mut("/object/id") {
                    *id = Value::String(id.to_string());
                }
            }
        }
        out
    }

    pub(crate) fn next(&mut self, kind: &'static str) -> u64 {
        let n = self.next_id.entry(kind).or_insert(0);
        *n += 1;
        *n
    }

    /// A fresh unguessable token.
    pub(crate) fn token(&mut self, prefix: &str) -> String {
        use rand::Rng;
        self.token_counter += 1;
        let noise: u128 = rand::rng().random();
        format!("{prefix}{:x}{noise:032x}", self.token_counter)
    }

    // ---- views: internal state to wire records --------------------------------------

    pub(crate) fn user_view(&self, id: u64) -> ChatUser {
        match self.users.get(&id) {
            Some(u) => ChatUser { id, nick: u.nick.clone(), is_online: u.online, status: u.status.clone() },
            None => ChatUser { id, nick: String::new(), is_online: false, status: None },
        }
    }

    pub(crate) fn own_user_view(&self, id: u64) -> Option<spec::accounts::OwnChatUser> {
        self.users.get(&id).map(|u| spec::accounts::OwnChatUser {
            id,
            nick: u.nick.clone(),
            is_online: u.online,
            status: u.status.clone(),
            email: u.email.clone(),
            auth_token: u.auth_token.clone(),
            avatar: u.avatar.clone(),
        })
    }

    pub(crate) fn group_view(&self, g: &Group, short: bool) -> spec::rooms::Group {
        let participants = (!short).then(|| {
            g.members
                .iter()
                .filter_map(|sid| self.subs.get(sid))
                .map(|s| spec::rooms::Participant {
                    user_id: s.user_id,
                    role: s.role,
                    user: self.user_view(s.user_id),
                })
                .collect()
        });
        spec::rooms::Group {
            id: g.id,
            name: g.name.clone(),
            kind: "room".into(),
            is_space: g.is_space,
            is_deleted: false,
            created_at: Timestamp(wire(g.created_at)),
            updated_at: Timestamp(wire(g.updated_at)),
            last_message_id: g.last_message_id,
            last_serial: g.last_serial,
            invite_code: g.invite_code.clone(),
            owner_id: Some(g.owner_id),
            participants,
        }
    }

    /// A subscription as `viewer` sees it: draft, tags and mute are private to its owner
    /// ("Tags are not visible to others").
    pub(crate) fn sub_view(
        &self,
        s: &Sub,
        short: bool,
        viewer: u64,
    ) -> Option<spec::subscriptions::Subscription> {
        let g = self.groups.get(&s.group_id)?;
        let own = viewer == s.user_id;
        Some(spec::subscriptions::Subscription {
            id: s.id,
            group_id: s.group_id,
            user_id: s.user_id,
            role: s.role,
            mute_until: if own { s.mute_until.clone().map(Timestamp) } else { None },
            draft: if own { s.draft.clone() } else { None },
            tags: if own { s.tags.clone() } else { Vec::new() },
            last_read_message_id: s.last_read_message_id,
            last_mentioned_in_message_id: if own { s.last_mentioned_in_message_id } else { None },
            created_at: Timestamp(wire(s.created_at)),
            deleted_at: None,
            group: self.group_view(g, short),
            user: self.user_view(s.user_id),
        })
    }

    pub(crate) fn sub_value(&self, sub_id: u64, short: bool, viewer: u64) -> Value {
        self.subs
            .get(&sub_id)
            .and_then(|s| self.sub_view(s, short, viewer))
            .map_or(Value::Null, |v| to_value(&v))
    }

    /// A message as `viewer` sees it: the poster's copy carries `uid`; a deleted message is
    /// the short form ("it has no text, attachemt, edited_at and created_at fields").
    pub(crate) fn msg_view(&self, m: &Msg, viewer: u64) -> spec::messages::Message {
        let uid = if viewer == m.user_id { m.uid.clone() } else { None };
        if let Some(deleted) = m.deleted_at {
            return spec::messages::Message {
                id: m.id,
                user_id: m.user_id,
                group_id: m.group_id,
                deleted_at: Some(Timestamp(wire(deleted))),
                serial: m.serial,
                text: self.config.broken(Breakage::DeletedKeepsText).then(|| m.text.clone()),
                xtag: m.xtag.clone(),
                attachment: None,
                attachments: None,
                mentions: None,
                reference: m.reference.clone(),
                forwarded_message_id: None,
                in_reply_to_message_id: None,
                edited_at: None,
                created_at: None,
                tasks: None,
                uid,
                upload_id: None,
            };
        }
        spec::messages::Message {
            id: m.id,
            user_id: m.user_id,
            group_id: m.group_id,
            deleted_at: None,
            serial: m.serial,
            text: Some(m.text.clone()),
            xtag: m.xtag.clone(),
            attachment: m.attachments.last().cloned(),
            attachments: Some(m.attachments.clone()),
            mentions: m.mentions.clone(),
            reference: m.reference.clone(),
            forwarded_message_id: m.forwarded_message_id,
            in_reply_to_message_id: m.in_reply_to_message_id,
            edited_at: Some(m.edited_at.map(|t| Timestamp(wire(t)))),
            created_at: Some(Timestamp(wire(m.created_at))),
            tasks: Some(m.task_ids.iter().map(|&id| spec::messages::Task { id }).collect()),
            uid,
            upload_id: m.upload_id.clone(),
        }
    }

    pub(crate) fn msg_value(&self, id: u64, viewer: u64) -> Value {
        let mut v = self.messages.get(&id).map_or(Value::Null, |m| to_value(&self.msg_view(m, viewer)));
        if let Value::Object(fields) = &mut v
            && self.config.broken(Breakage::NullLinks)
            && fields.contains_key("text")
        {
            for link in ["forwarded_message_id", "in_reply_to_message_id"] {
                fields.entry(link).or_insert(Value::Null);
            }
        }
        v
    }

    // ---- lookups and rules shared by every area ---------------------------------------

    /// The user ids of a group's participants, oldest first.
    pub(crate) fn member_users(&self, group_id: u64) -> Vec<u64> {
        self.groups.get(&group_id).map_or_else(Vec::new, |g| {
            g.members.iter().filter_map(|sid| self.subs.get(sid)).map(|s| s.user_id).collect()
        })
    }

    /// `user`'s subscription to `group_id`, if any.
    pub(crate) fn membership(&self, group_id: u64, user: u64) -> Option<&Sub> {
        let g = self.groups.get(&group_id)?;
        g.members.iter().filter_map(|sid| self.subs.get(sid)).find(|s| s.user_id == user)
    }

    /// Resolves `group_id` or `subscription_id` to a group `me` is in: "one of two is
    /// required".
    pub(crate) fn resolve_group(
        &self,
        me: u64,
        group_id: Option<u64>,
        subscription_id: Option<u64>,
    ) -> Result<(u64, Role), ApiError> {
        match (subscription_id, group_id) {
            (Some(sid), _) => match self.subs.get(&sid) {
                Some(s) if s.user_id == me => Ok((s.group_id, s.role)),
                Some(_) => fail(ErrorCode::AccessDenied, format!("subscription {sid} is not yours")),
                None => fail(ErrorCode::NotFound, format!("no subscription {sid}")),
            },
            (None, Some(gid)) => {
                if !self.groups.contains_key(&gid) {
                    return fail(ErrorCode::NotFound, format!("no group {gid}"));
                }
                match self.membership(gid, me) {
                    Some(s) => Ok((gid, s.role)),
                    None => {
                        fail(ErrorCode::AccessDenied, format!("you are not a participant of group {gid}"))
                    }
                }
            }
            (None, None) => fail(ErrorCode::InvalidArgs, "group_id or subscription_id is required"),
        }
    }

    /// `me`'s own subscription `sid`.
    pub(crate) fn own_sub(&self, me: u64, sid: u64) -> Result<&Sub, ApiError> {
        match self.subs.get(&sid) {
            Some(s) if s.user_id == me => Ok(s),
            Some(_) => fail(ErrorCode::AccessDenied, format!("subscription {sid} is not yours")),
            None => fail(ErrorCode::NotFound, format!("no subscription {sid}")),
        }
    }

    /// Queues `body` for each of `users`, one body shared by all.
    pub(crate) fn notify_all(&mut self, users: &[u64], body: &Value) {
        let body = Arc::new(body.clone());
        for &user_id in users {
            self.outgoing.push(Outgoing { user_id, body: body.clone() });
        }
    }

    /// A notification body. The seed names the kind `object_name` once and `object_type`
    /// twice; both are sent (NOTES.md).
    pub(crate) fn notification(event: &str, kind: &str, object: Value) -> Value {
        json!({"event": event, "object_name": kind, "object_type": kind, "object": object})
    }

    /// Notifies every participant of a message's group of its new state, each with their
    /// own view (the poster's carries `uid`).
    pub(crate) fn notify_message(&mut self, event: &str, msg_id: u64) {
        let Some(m) = self.messages.get(&msg_id) else {
            return;
        };
        let (group, poster) = (m.group_id, m.user_id);
        let mut users = self.member_users(group);
        if self.config.broken(Breakage::NoNotificationToPoster) {
            users.retain(|&u| u != poster);
        }
        if self.config.broken(Breakage::LeakToOutsiders) {
            users = self.users.keys().copied().collect();
        }
        if self.config.broken(Breakage::MuteSilences) {
            let at = m.created_at;
            users.retain(|&u| {
                let until = self.membership(group, u).and_then(|s| s.mute_until.as_deref());
                let until = until.and_then(|t| OffsetDateTime::parse(t, &Rfc3339).ok());
                until.is_none_or(|t| t <= at)
            });
        }
        // The views differ only in the poster's `uid`: one body for the poster, one shared by
        // everyone else.
        let mut others: Option<Arc<Value>> = None;
        for user in users {
            let body = match &others {
                Some(shared) if user != poster => shared.clone(),
                _ => {
                    let mut object = self.msg_value(msg_id, user);
                    if let (Some(fields), true) =
                        (object.as_object_mut(), self.config.broken(Breakage::MentionsNotNotified))
                    {
                        fields.insert("mentions".into(), Value::Null);
                    }
                    let body = Arc::new(Self::notification(event, "message", object));
                    if user != poster {
                        others = Some(body.clone());
                    }
                    body
                }
            };
            self.outgoing.push(Outgoing { user_id: user, body });
        }
    }

    /// Notifies every participant of a group about subscription `sid`, each with their view.
    pub(crate) fn notify_sub_to_group(&mut self, event: &str, sid: u64) {
        let Some(s) = self.subs.get(&sid) else { return };
        let leak = self.config.broken(Breakage::LeakPrivateFields).then_some(s.user_id);
        for user in self.member_users(s.group_id) {
            let viewer = leak.unwrap_or(user);
            let body = Self::notification(event, "subscription", self.sub_value(sid, false, viewer));
            self.outgoing.push(Outgoing { user_id: user, body: body.into() });
        }
    }

    /// The user ids that exist, for validating invitations.
    pub(crate) fn check_users_exist(&self, ids: &[u64]) -> Result<(), ApiError> {
        let missing: BTreeSet<u64> = ids.iter().copied().filter(|id| !self.users.contains_key(id)).collect();
        if missing.is_empty() {
            Ok(())
        } else {
            fail(ErrorCode::NotFound, format!("no such users: {missing:?}"))
        }
    }
}

/// Serialises a wire record; our records always serialise.
pub(crate) fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}
