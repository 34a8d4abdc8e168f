//! The chat plugin's server side (seed 004, "Chat Plugin Javascript Library Functions"): what
//! the mock's copy of `ocwp` logs in with, and the groups `ocwp.chat.group.create` makes
//! (NOTES.md O15, O17, O20). The library itself is `js/ocwp.js`.

use chatspec_specs::onechat::{
    chat_plugin::{PluginGroupReply, PluginLoginReply, PluginReady},
    envelope::{NO_DESCRIPTION, SUCCESS, SuccessReply},
};
use serde_json::{Map, Value};

use super::breakage::Breakage;
use super::error::ApiError;
use super::store::{Group, Store, random_key, required};

/// An optional string field: absent, null or blank is `None`.
pub(crate) fn optional(body: &Map<String, Value>, field: &'static str) -> Result<Option<String>, ApiError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
        Some(_) => Err(ApiError::InvalidField { field, reason: "must be a string".into() }),
    }
}

/// A fresh version 4 UUID, as `chatJid` asks: "please use a standard uuid".
pub(crate) fn uuid_v4() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

impl Store {
    /// `ocwp.login(usr, pw)`: "usr — Username / jid": a jid, or the part before `@` of exactly
    /// one user's jid; a wrong `usr` or `pw` is `Unauthorized`.
    pub fn plugin_login(&mut self, body: &Map<String, Value>) -> Result<PluginLoginReply, ApiError> {
        let usr = required(body, "usr")?.trim().to_lowercase();
        let pw = required(body, "pw")?;
        let user = if usr.contains('@') {
            self.users.get(&usr)
        } else {
            let mut named = self.users.values().filter(|u| u.jid.split('@').next() == Some(usr.as_str()));
            match (named.next(), named.next()) {
                (Some(u), None) => Some(u),
                _ => None,
            }
        };
        let Some(user) = user.filter(|u| u.password == pw || self.broken(Breakage::WrongPasswordConnects))
        else {
            return Err(ApiError::Unauthorized);
        };
        let (jid, name) = (user.jid.clone(), user.name.clone());
        let token = random_key(32);
        self.connections.insert(token.clone(), jid.clone());
        Ok(PluginLoginReply { status: SUCCESS.into(), description: NO_DESCRIPTION.into(), jid, name, token })
    }

    /// The user a plugin connection belongs to.
    pub fn plugin_connection(&self, token: &str) -> Result<PluginReady, ApiError> {
        self.connections.get(token).map(|jid| PluginReady { jid: jid.clone() }).ok_or(ApiError::Unauthorized)
    }

    /// `ocwp.logout()`: the connection ends.
    pub fn plugin_logout(&mut self, body: &Map<String, Value>) -> Result<SuccessReply, ApiError> {
        let token = required(body, "token")?;
        self.connections.remove(&token).map(|_| SuccessReply::new()).ok_or(ApiError::Unauthorized)
    }

    /// `ocwp.chat.group.create({members, chatName, chatAvatar, chatJid})`: a group of the
    /// creator and `members` ("have to be at least 1 person, creator doesn't need to be
    /// included and not counted"), or the existing group `chatJid` opened.
    pub fn plugin_group_create(&mut self, body: &Map<String, Value>) -> Result<PluginGroupReply, ApiError> {
        let token = required(body, "token")?;
        let creator = self.connections.get(&token).cloned().ok_or(ApiError::Unauthorized)?;
        let domain = self.users.get(&creator).map(|u| u.domain.clone()).ok_or(ApiError::Unauthorized)?;
        let listed = match body.get("members") {
            Some(Value::Array(items)) => items,
            None | Some(Value::Null) => return Err(ApiError::MissingField("members")),
            Some(_) => {
                return Err(ApiError::InvalidField {
                    field: "members",
                    reason: "must be an array of jids".into(),
                });
            }
        };
        let mut members = Vec::new();
        for item in listed {
            let Some(jid) = item.as_str().map(|j| j.trim().to_lowercase()) else {
                return Err(ApiError::InvalidField {
                    field: "members",
                    reason: "must be an array of jids".into(),
                });
            };
            if !self.users.contains_key(&jid) {
                return Err(ApiError::UnknownJid(jid));
            }
            if jid != creator && !members.contains(&jid) {
                members.push(jid);
            }
        }
        if members.is_empty() {
            return Err(ApiError::InvalidField {
                field: "members",
                reason: "have to be at least 1 person, creator doesn't need to be included and not counted"
                    .into(),
            });
        }
        let chat_jid = optional(body, "chatJid")?;
        let jid = match &chat_jid {
            Some(id) if id.contains('@') => id.to_lowercase(),
            Some(id) => format!("{}@muc.{domain}", id.to_lowercase()),
            None => format!("{}@muc.{domain}", uuid_v4()),
        };
        if let Some(group) = self.groups.get(&jid) {
            // "if group id exist, opens the groupchat": of which the creator must be a member.
            if !group.members.contains(&creator) {
                return Err(ApiError::OutsideDomain(format!("{creator} is no member of the group {jid}")));
            }
            return Ok(group_reply(group, false));
        }
        if !self.broken(Breakage::GroupLeavesCreatorOut) {
            members.insert(0, creator);
        }
        let name = optional(body, "chatName")?.unwrap_or_default();
        let avatar = optional(body, "chatAvatar")?.unwrap_or_default();
        let group = Group { jid: jid.clone(), name, domain, members, avatar };
        self.insert_group(group)
            .map_err(|e| ApiError::InvalidField { field: "chatJid", reason: e.to_string() })?;
        let group = self.groups.get(&jid).ok_or_else(|| ApiError::UnknownJid(jid.clone()))?;
        Ok(group_reply(group, true))
    }
}

fn group_reply(group: &Group, created: bool) -> PluginGroupReply {
    PluginGroupReply {
        status: SUCCESS.into(),
        description: NO_DESCRIPTION.into(),
        jid: group.jid.clone(),
        name: group.name.clone(),
        avatar: group.avatar.clone(),
        members: group.members.clone(),
        created,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::onechat::store::fixtures::body;
    use serde_json::json;

    fn logged_in(store: &mut Store, name: &str) -> (Value, String) {
        let user = store.provision_user(name).unwrap();
        let login = store.plugin_login(&body(json!({"usr": user["jid"], "pw": user["password"]}))).unwrap();
        (user, login.token)
    }

    #[test]
    fn login_takes_the_jid_or_a_unique_user_name_and_the_password() {
        let mut store = Store::new();
        let ann = store.provision_user("ann@example.org").unwrap();
        let pw = ann["password"].as_str().unwrap();
        let ok = store.plugin_login(&body(json!({"usr": "ANN@example.org", "pw": pw}))).unwrap();
        assert_eq!(ok.jid, "ann@example.org");
        assert_eq!(store.plugin_connection(&ok.token).unwrap().jid, "ann@example.org");
        assert!(store.plugin_login(&body(json!({"usr": "ann", "pw": pw}))).is_ok());
        let wrong = body(json!({"usr": "ann@example.org", "pw": "nope"}));
        assert_eq!(store.plugin_login(&wrong), Err(ApiError::Unauthorized));
        store.provision_user("ann@other.org").unwrap();
        assert_eq!(store.plugin_login(&body(json!({"usr": "ann", "pw": pw}))), Err(ApiError::Unauthorized));
        assert_eq!(store.plugin_login(&body(json!({"usr": "ann"}))), Err(ApiError::MissingField("pw")));
        store.set_password("ann@example.org", "secret").unwrap();
        assert!(store.plugin_login(&body(json!({"usr": "ann@example.org", "pw": "secret"}))).is_ok());
    }

    #[test]
    fn logout_ends_the_connection() {
        let mut store = Store::new();
        let (_, token) = logged_in(&mut store, "ann@example.org");
        assert!(store.plugin_logout(&body(json!({"token": token}))).is_ok());
        assert_eq!(store.plugin_connection(&token), Err(ApiError::Unauthorized));
        assert_eq!(store.plugin_logout(&body(json!({"token": token}))), Err(ApiError::Unauthorized));
    }

    #[test]
    fn a_group_has_its_creator_and_at_least_one_other_member() {
        let mut store = Store::new();
        let (ann, token) = logged_in(&mut store, "ann@example.org");
        store.provision_user("ben@example.org").unwrap();
        let only_creator = body(json!({"token": token, "members": [ann["jid"]]}));
        assert!(matches!(
            store.plugin_group_create(&only_creator),
            Err(ApiError::InvalidField { field: "members", .. })
        ));
        let unknown = body(json!({"token": token, "members": ["zed@example.org"]}));
        assert!(matches!(store.plugin_group_create(&unknown), Err(ApiError::UnknownJid(_))));
        let made = store
            .plugin_group_create(&body(
                json!({"token": token, "members": ["Ben@example.org"], "chatName": "Ops"}),
            ))
            .unwrap();
        assert!(made.created);
        assert_eq!(made.members, ["ann@example.org", "ben@example.org"]);
        let id = made.jid.strip_suffix("@muc.example.org").unwrap();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(
            store.plugin_group_create(&body(json!({"token": "x", "members": ["ben@example.org"]}))).is_err()
        );
    }

    #[test]
    fn an_existing_chat_jid_is_opened_not_made_again() {
        let mut store = Store::new();
        let (_, token) = logged_in(&mut store, "ann@example.org");
        store.provision_user("ben@example.org").unwrap();
        store.provision_user("cy@example.org").unwrap();
        let id = "0b0c8f8e-1f7a-4c55-9d7e-3a6f5e1c2b3a";
        let first = body(json!({"token": token, "members": ["ben@example.org"], "chatJid": id}));
        let made = store.plugin_group_create(&first).unwrap();
        assert_eq!(made.jid, format!("{id}@muc.example.org"));
        let again = body(json!({"token": token, "members": ["cy@example.org"], "chatJid": id}));
        let opened = store.plugin_group_create(&again).unwrap();
        assert!(!opened.created);
        assert_eq!(opened.members, ["ann@example.org", "ben@example.org"]);
        let (_, cy) = logged_in(&mut store, "dan@example.org");
        let stranger = body(json!({"token": cy, "members": ["ben@example.org"], "chatJid": id}));
        assert!(store.plugin_group_create(&stranger).is_err());
    }
}
