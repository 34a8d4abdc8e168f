//! Users, groups and sessions. In OneChat they come from sign-up, the browser libraries
//! (`ocwp.chat.group.create`, `OC.user.getSessionID`) and the portal, all out of the API's
//! reach; the mock makes them through its admin API (NOTES.md O13, O14) and through its own
//! copies of the libraries (`chat_plugin.rs`, `mini_app_library.rs`).

use serde::Deserialize;
use serde_json::{Value, json};

use super::store::{Group, Store, User, random_key};

/// The domain of a provisioned user whose name names none: the seed's sample domain.
pub const DEFAULT_DOMAIN: &str = "onechat.net";

/// `POST /_mock/groups`: a group and its members.
#[derive(Clone, Debug, Deserialize)]
pub struct NewGroup {
    /// The group's display name; not blank.
    pub name: String,
    /// Member jids; at least one, each a provisioned user.
    pub members: Vec<String>,
    /// The group's domain; the first member's when absent.
    #[serde(default)]
    pub domain: Option<String>,
    /// The group's jid (or its part before `@`); made up when absent.
    #[serde(default)]
    pub jid: Option<String>,
}

/// Why the admin API refuses to make or change a user, group or session.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DirectoryError {
    /// A domain that is not lower-case letters, digits, dots and dashes (as given).
    #[error("{0:?} is not a domain name")]
    NotADomain(String),
    /// A user's domain under `muc.`, where groups live (the domain, lower case).
    #[error("{0}: muc. domains hold groups, not users")]
    GroupDomain(String),
    /// A blank user or group name.
    #[error("name must not be empty")]
    EmptyName,
    /// An empty password.
    #[error("password must not be empty")]
    EmptyPassword,
    /// No user has this jid (as given).
    #[error("no user with jid {0:?}")]
    NoUser(String),
    /// A group with no member.
    #[error("a group needs at least one member")]
    NoMembers,
    /// A group jid outside its domain (the domain).
    #[error("a group of {0} has a jid ending in @muc.{0} or @{0}")]
    JidOutsideDomain(String),
    /// A group or user already has this jid.
    #[error("a group or user with jid {0} exists")]
    JidTaken(String),
    /// No active session has this id.
    #[error("no session {0:?}")]
    NoSession(String),
    /// `device_id` asked for: OneChat users have no devices.
    #[error(transparent)]
    NoDevices(#[from] crate::kit::admin::NoDevices),
}

/// Letters and digits of `text` in lower case, other runs as one `-`.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    if out.is_empty() { "user".into() } else { out.to_owned() }
}

/// A domain name as the mock accepts it: lower case letters, digits, dots and dashes.
fn domain(text: &str) -> Result<String, DirectoryError> {
    let d = text.trim().to_lowercase();
    let ok = !d.is_empty()
        && d.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && !d.starts_with('.')
        && !d.ends_with('.')
        && !d.contains("..");
    if !ok {
        return Err(DirectoryError::NotADomain(text.to_owned()));
    }
    if d.starts_with("muc.") {
        return Err(DirectoryError::GroupDomain(d));
    }
    Ok(d)
}

impl Store {
    /// `POST /_mock/users {"name"}`: a user with a session and an app of its own. A name of
    /// the form `Name@domain` puts the user in that domain, otherwise in `onechat.net`.
    pub fn provision_user(&mut self, name: &str) -> Result<Value, DirectoryError> {
        let (display, dom) = match name.rsplit_once('@') {
            Some((display, dom)) => (display.trim(), domain(dom)?),
            None => (name.trim(), DEFAULT_DOMAIN.to_owned()),
        };
        if display.is_empty() {
            return Err(DirectoryError::EmptyName);
        }
        let n = self.next("user");
        let local = slug(display);
        let jid_domain = if self.broken(super::breakage::Breakage::UserJidOutsideDomain) {
            DEFAULT_DOMAIN
        } else {
            dom.as_str()
        };
        let mut jid = format!("{local}@{jid_domain}");
        if self.users.contains_key(&jid) {
            jid = format!("{local}-{n}@{jid_domain}");
        }
        let password = random_key(12);
        let user = User {
            jid: jid.clone(),
            name: display.to_owned(),
            domain: dom.clone(),
            password: password.clone(),
        };
        self.users.insert(jid.clone(), user);
        let session = self.new_session(&jid);
        let app = self.add_app(
            &jid,
            &dom,
            format!("{display}'s app"),
            "https://apps.chatspec.test/icon.png".into(),
            "https://apps.chatspec.test/".into(),
        );
        Ok(json!({
            "name": display,
            "jid": jid,
            "domain": dom,
            "sessionId": session,
            "apikey": app.api_key,
            "appId": app.id,
            "password": password,
        }))
    }

    /// `POST /_mock/passwords {"jid", "password"}`: sets the password `ocwp.login` takes.
    pub fn set_password(&mut self, jid: &str, password: &str) -> Result<Value, DirectoryError> {
        let jid = jid.trim().to_lowercase();
        if password.is_empty() {
            return Err(DirectoryError::EmptyPassword);
        }
        let Some(user) = self.users.get_mut(&jid) else {
            return Err(DirectoryError::NoUser(jid));
        };
        user.password = password.to_owned();
        Ok(json!({"status": "ok", "jid": jid}))
    }

    pub(crate) fn new_session(&mut self, jid: &str) -> String {
        let id = random_key(32);
        self.sessions.insert(id.clone(), jid.to_owned());
        id
    }

    /// `POST /_mock/groups`: `{"jid", "name", "domain", "members"}`.
    pub fn provision_group(&mut self, req: NewGroup) -> Result<Value, DirectoryError> {
        if req.name.trim().is_empty() {
            return Err(DirectoryError::EmptyName);
        }
        let mut members: Vec<String> = Vec::new();
        for m in &req.members {
            let jid = m.trim().to_lowercase();
            if !self.users.contains_key(&jid) {
                return Err(DirectoryError::NoUser(m.clone()));
            }
            if !members.contains(&jid) {
                members.push(jid);
            }
        }
        let Some(first) = members.first() else {
            return Err(DirectoryError::NoMembers);
        };
        let dom = match &req.domain {
            Some(d) => domain(d)?,
            None => {
                self.users.get(first).map(|u| u.domain.clone()).unwrap_or_else(|| DEFAULT_DOMAIN.to_owned())
            }
        };
        let n = self.next("group");
        let jid = match req.jid.as_deref().map(|j| j.trim().to_lowercase()) {
            // The REST sample's `abcdef-123456@muc.onechat.net`, or the `OC` sample's
            // `group-jid@domain.tld` (NOTES.md O14).
            Some(j) if j.contains('@') => {
                if !(j.ends_with(&format!("@muc.{dom}")) || j.ends_with(&format!("@{dom}"))) {
                    return Err(DirectoryError::JidOutsideDomain(dom));
                }
                j
            }
            Some(j) if !j.is_empty() => format!("{j}@muc.{dom}"),
            _ => format!("{}-{n:06}@muc.{dom}", slug(&req.name)),
        };
        let group =
            Group { jid, name: req.name.trim().to_owned(), domain: dom, members, avatar: String::new() };
        self.insert_group(group)
    }

    /// Adds `group` unless its jid is taken by a group or a user; returns
    /// `{"jid", "name", "domain", "members"}`.
    pub(crate) fn insert_group(&mut self, group: Group) -> Result<Value, DirectoryError> {
        if self.groups.contains_key(&group.jid) || self.users.contains_key(&group.jid) {
            return Err(DirectoryError::JidTaken(group.jid));
        }
        let reply = json!({
            "jid": group.jid,
            "name": group.name,
            "domain": group.domain,
            "members": group.members,
        });
        self.groups.insert(group.jid.clone(), group);
        Ok(reply)
    }

    /// `POST /_mock/sessions {"jid"}`: another active session, `{"jid", "sessionId"}`.
    pub fn open_session(&mut self, jid: &str) -> Result<Value, DirectoryError> {
        let jid = jid.trim().to_lowercase();
        if !self.users.contains_key(&jid) {
            return Err(DirectoryError::NoUser(jid));
        }
        let session = self.new_session(&jid);
        Ok(json!({"jid": jid, "sessionId": session}))
    }

    /// `DELETE /_mock/sessions/{sessionId}`: ends a session, `{"status": "ok", "jid"}`.
    pub fn end_session(&mut self, id: &str) -> Result<Value, DirectoryError> {
        match self.sessions.remove(id) {
            Some(jid) => Ok(json!({"status": "ok", "jid": jid})),
            None => Err(DirectoryError::NoSession(id.to_owned())),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_user_gets_a_jid_in_its_domain_a_session_and_an_app() {
        let mut store = Store::new();
        let ann = store.provision_user("Ann Lee").unwrap();
        assert_eq!(ann["jid"], "ann-lee@onechat.net");
        assert_eq!(ann["domain"], "onechat.net");
        let key = ann["apikey"].as_str().unwrap();
        assert_eq!(store.app_for_key(Some(key)).unwrap().domain, "onechat.net");
        let sid = ann["sessionId"].as_str().unwrap();
        assert_eq!(store.sessions[sid], "ann-lee@onechat.net");
        let again = store.provision_user("ann lee").unwrap();
        assert_eq!(again["jid"], "ann-lee-2@onechat.net");
        let other = store.provision_user("Bo@Run7.Example").unwrap();
        assert_eq!(other["jid"], "bo@run7.example");
        assert_eq!(other["name"], "Bo");
        assert!(store.provision_user("x@muc.example").is_err());
        assert!(store.provision_user("x@bad domain").is_err());
        assert!(store.provision_user(" @example.org").is_err());
    }

    #[test]
    fn a_group_lives_on_its_domains_muc_and_needs_known_members() {
        let mut store = Store::new();
        let ann = store.provision_user("ann@example.org").unwrap();
        let bo = store.provision_user("bo@example.org").unwrap();
        let group = store
            .provision_group(NewGroup {
                name: "Ops team".into(),
                members: vec![
                    ann["jid"].as_str().unwrap().to_uppercase(),
                    bo["jid"].as_str().unwrap().into(),
                    bo["jid"].as_str().unwrap().into(),
                ],
                domain: None,
                jid: None,
            })
            .unwrap();
        assert_eq!(group["jid"], "ops-team-000001@muc.example.org");
        assert_eq!(group["members"], json!(["ann@example.org", "bo@example.org"]));
        let named = store
            .provision_group(NewGroup {
                name: "Named".into(),
                members: vec!["ann@example.org".into()],
                domain: None,
                jid: Some("abcdef-123456".into()),
            })
            .unwrap();
        assert_eq!(named["jid"], "abcdef-123456@muc.example.org");
        for bad in [
            NewGroup { name: "x".into(), members: vec![], domain: None, jid: None },
            NewGroup {
                name: "x".into(),
                members: vec!["nobody@example.org".into()],
                domain: None,
                jid: None,
            },
            NewGroup {
                name: "x".into(),
                members: vec!["ann@example.org".into()],
                domain: None,
                jid: Some("abcdef-123456".into()),
            },
        ] {
            assert!(store.provision_group(bad).is_err());
        }
    }

    #[test]
    fn sessions_open_and_end() {
        let mut store = Store::new();
        store.provision_user("ann").unwrap();
        let s = store.open_session("ANN@onechat.net").unwrap();
        let sid = s["sessionId"].as_str().unwrap().to_owned();
        assert_eq!(store.sessions[&sid], "ann@onechat.net");
        assert!(store.end_session(&sid).is_ok());
        assert!(store.end_session(&sid).is_err());
        assert!(store.open_session("nobody@onechat.net").is_err());
    }
}
