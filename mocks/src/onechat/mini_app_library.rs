//! The mini-app library's server side (seed 004, "Mini App Library Functions"): the session
//! and vCard the mock's copy of `OC` is served with, the contacts its selector offers, and the
//! relays (NOTES.md O16, O21, O22, O23). The library itself is `js/oc.js`.

use base64::Engine as _;
use chatspec_specs::onechat::{
    envelope::{NO_DESCRIPTION, SUCCESS, SuccessReply},
    mini_app_library::{Contact, ContactsReply, GroupRelayReply},
};
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use super::breakage::Breakage;
use super::chat_plugin::{optional, uuid_v4};
use super::error::ApiError;
use super::store::{Group, Sender, Store, random_key, required};

/// A list of jids: "recipient: '[\"user1@domain.tld\",\"user2@domain.tld\"]'", a JSON string
/// of an array as the seed shows it, or an array; each a user's jid, in lower case, once.
fn jid_list(store: &Store, body: &Map<String, Value>, field: &'static str) -> Result<Vec<String>, ApiError> {
    let bad = || ApiError::InvalidField {
        field,
        reason: "must be a JSON list of jids, like '[\"user1@domain.tld\"]'".into(),
    };
    let items: Vec<Value> = match body.get(field) {
        None | Some(Value::Null) => return Err(ApiError::MissingField(field)),
        Some(Value::String(s)) if s.trim().is_empty() => return Err(ApiError::MissingField(field)),
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Array(items)) => items,
            _ => return Err(bad()),
        },
        Some(Value::Array(items)) => items.clone(),
        Some(_) => return Err(bad()),
    };
    let mut out: Vec<String> = Vec::new();
    for item in items {
        let jid = item.as_str().map(|j| j.trim().to_lowercase()).ok_or_else(bad)?;
        if !store.users.contains_key(&jid) {
            return Err(ApiError::UnknownJid(jid));
        }
        if !out.contains(&jid) {
            out.push(jid);
        }
    }
    if out.is_empty() {
        return Err(ApiError::MissingField(field));
    }
    Ok(out)
}

/// A small picture of the user's initial, as a data URL (the mock has no pictures).
fn avatar(name: &str) -> String {
    let initial: String =
        name.chars().find(|c| c.is_alphanumeric()).map(|c| c.to_uppercase().collect()).unwrap_or_default();
    let svg = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='64' height='64'><rect width='64' height='64' fill='#3b6ea5'/><text x='32' y='42' font-size='32' text-anchor='middle' fill='#fff' font-family='sans-serif'>{initial}</text></svg>"
    );
    format!("data:image/svg+xml;base64,{}", base64::engine::general_purpose::STANDARD.encode(svg))
}

impl Store {
    /// What `GET /oc.js?jid=...` builds into the library: a new active session of the user
    /// (what `OC.user.getSessionID()` returns) and its vCard (`OC.user.getVCard()`):
    /// `{"sessionId", "vCard": {"jid", "userName", "avatar"}}`.
    pub fn page_context(&mut self, jid: &str) -> Result<Value, ApiError> {
        let jid = jid.trim().to_lowercase();
        let user = self.users.get(&jid).cloned().ok_or_else(|| ApiError::UnknownJid(jid.clone()))?;
        let session = if self.broken(Breakage::PageSessionUnknown) {
            // A token the library's own calls take, but no session of the user.
            let token = random_key(32);
            self.page_tokens.insert(token.clone(), jid.clone());
            token
        } else {
            self.new_session(&jid)
        };
        Ok(json!({
            "sessionId": session,
            "vCard": {"jid": user.jid, "userName": user.name, "avatar": avatar(&user.name)},
        }))
    }

    /// The user whose page holds the active session `sessionId`.
    fn page_user(&self, body: &Map<String, Value>) -> Result<String, ApiError> {
        let session = required(body, "sessionId")?;
        self.sessions
            .get(&session)
            .or_else(|| self.page_tokens.get(&session))
            .cloned()
            .ok_or(ApiError::Unauthorized)
    }

    /// `OC.user.selectContacts`: every other user of the page user's domain, by jid.
    pub fn contacts(&self, body: &Map<String, Value>) -> Result<ContactsReply, ApiError> {
        let me = self.page_user(body)?;
        let domain = self.users.get(&me).map(|u| u.domain.clone()).unwrap_or_default();
        let contacts = self
            .users
            .values()
            .filter(|u| u.domain == domain && u.jid != me)
            .map(|u| Contact { jid: u.jid.clone(), name: u.name.clone() })
            .collect();
        Ok(ContactsReply { status: SUCCESS.into(), description: NO_DESCRIPTION.into(), contacts })
    }

    /// `OC.message.single.relay`: "message will be sent to each of the user(s) in the array
    /// of contacts"; "recipient and textMessage are mandatory". All or nothing.
    pub fn relay_single(
        &mut self,
        now: OffsetDateTime,
        body: &Map<String, Value>,
    ) -> Result<SuccessReply, ApiError> {
        let from = self.page_user(body)?;
        let mut to = jid_list(self, body, "recipient")?;
        let text = required(body, "textMessage")?;
        if self.broken(Breakage::SingleRelaySkipsLastRecipient) {
            to.pop();
        }
        self.deliver(now, "OC.message.single.relay", Sender::User(&from), None, &to, &text);
        Ok(SuccessReply::new())
    }

    /// `OC.message.group.relay`: to the group `groupJid` (its other members receive it), or,
    /// without one, to a new group of the sender and `invitees` ("ONE of groupJid or invitees
    /// must be provided, textMessage is mandatory").
    pub fn relay_group(
        &mut self,
        now: OffsetDateTime,
        body: &Map<String, Value>,
    ) -> Result<GroupRelayReply, ApiError> {
        let from = self.page_user(body)?;
        let group_jid = optional(body, "groupJid")?.map(|j| j.to_lowercase());
        let text = required(body, "textMessage")?;
        let (jid, created) = match group_jid {
            Some(jid) => {
                let group = self.groups.get(&jid).ok_or_else(|| ApiError::UnknownJid(jid.clone()))?;
                if !group.members.contains(&from) {
                    return Err(ApiError::OutsideDomain(format!("{from} is no member of the group {jid}")));
                }
                (jid, false)
            }
            None => {
                let invitees = match jid_list(self, body, "invitees") {
                    Err(ApiError::MissingField(_)) => {
                        return Err(ApiError::InvalidField {
                            field: "groupJid",
                            reason: "ONE of groupJid or invitees must be provided".into(),
                        });
                    }
                    other => other?,
                };
                let domain = self.users.get(&from).map(|u| u.domain.clone()).unwrap_or_default();
                let mut members = vec![from.clone()];
                members.extend(invitees.into_iter().filter(|j| *j != from));
                let jid = format!("{}@muc.{domain}", uuid_v4());
                let group =
                    Group { jid: jid.clone(), name: String::new(), domain, members, avatar: String::new() };
                self.insert_group(group)
                    .map_err(|e| ApiError::InvalidField { field: "groupJid", reason: e.to_string() })?;
                (jid, true)
            }
        };
        let to: Vec<String> = self
            .groups
            .get(&jid)
            .map(|g| g.members.iter().filter(|m| **m != from).cloned().collect())
            .unwrap_or_default();
        self.deliver(now, "OC.message.group.relay", Sender::User(&from), Some(&jid), &to, &text);
        Ok(GroupRelayReply {
            status: SUCCESS.into(),
            description: NO_DESCRIPTION.into(),
            group_jid: jid,
            created,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::onechat::store::fixtures::*;

    fn setup() -> (Store, String) {
        let mut store = Store::new();
        for name in ["Ann@example.org", "Ben@example.org", "Cy@example.org", "Dan@other.org"] {
            store.provision_user(name).unwrap();
        }
        let ctx = store.page_context("ann@example.org").unwrap();
        (store, ctx["sessionId"].as_str().unwrap().to_owned())
    }

    fn to(store: &Store) -> Vec<(&str, &str)> {
        store.outbox().iter().map(|a| (a.to.as_str(), a.message.as_str())).collect()
    }

    #[test]
    fn the_page_gets_a_session_the_server_knows_and_the_users_vcard() {
        let (store, session) = setup();
        assert_eq!(store.sessions[&session], "ann@example.org");
        let mut store = store;
        let ctx = store.page_context("Ben@example.org").unwrap();
        assert_eq!(ctx["vCard"]["jid"], "ben@example.org");
        assert_eq!(ctx["vCard"]["userName"], "Ben");
        assert!(ctx["vCard"]["avatar"].as_str().unwrap().starts_with("data:image/svg+xml;base64,"));
        assert!(matches!(store.page_context("zed@example.org"), Err(ApiError::UnknownJid(_))));
    }

    #[test]
    fn contacts_are_the_other_users_of_the_domain() {
        let (store, session) = setup();
        let reply = store.contacts(&body(json!({"sessionId": session}))).unwrap();
        let jids: Vec<&str> = reply.contacts.iter().map(|c| c.jid.as_str()).collect();
        assert_eq!(jids, ["ben@example.org", "cy@example.org"]);
        assert_eq!(store.contacts(&body(json!({"sessionId": "nope"}))), Err(ApiError::Unauthorized));
    }

    #[test]
    fn a_single_relay_reaches_each_recipient_or_nobody() {
        let (mut store, session) = setup();
        let ok = body(
            json!({"sessionId": session, "recipient": "[\"ben@example.org\",\"Cy@example.org\"]", "textMessage": "hi"}),
        );
        store.relay_single(T0, &ok).unwrap();
        assert_eq!(to(&store), [("ben@example.org", "hi"), ("cy@example.org", "hi")]);
        assert_eq!(store.outbox()[0].from.as_deref(), Some("ann@example.org"));
        assert_eq!(store.outbox()[0].kind, "message");
        let cases = [
            (json!({"sessionId": session, "textMessage": "x"}), "Missing mandatory field: recipient"),
            (
                json!({"sessionId": session, "recipient": "[\"ben@example.org\"]"}),
                "Missing mandatory field: textMessage",
            ),
            (json!({"sessionId": session, "recipient": "ben@example.org", "textMessage": "x"}), "JSON list"),
            (
                json!({"sessionId": session, "recipient": "[]", "textMessage": "x"}),
                "Missing mandatory field: recipient",
            ),
            (
                json!({"sessionId": session, "recipient": "[\"ben@example.org\",\"zed@example.org\"]", "textMessage": "x"}),
                "Unknown jid",
            ),
            (
                json!({"sessionId": "nope", "recipient": "[\"ben@example.org\"]", "textMessage": "x"}),
                "Unauthorized",
            ),
        ];
        for (b, text) in cases {
            let err = store.relay_single(T0, &body(b)).unwrap_err();
            assert!(err.to_string().contains(text), "{err}");
        }
        assert_eq!(store.outbox().len(), 2);
        let array =
            body(json!({"sessionId": session, "recipient": ["ben@example.org"], "textMessage": "arr"}));
        store.relay_single(T0, &array).unwrap();
        assert_eq!(store.outbox().len(), 3);
    }

    #[test]
    fn a_group_relay_without_a_group_makes_one_of_the_invitees() {
        let (mut store, session) = setup();
        let new = body(
            json!({"sessionId": session, "invitees": "[\"ben@example.org\",\"cy@example.org\"]", "textMessage": "one"}),
        );
        let made = store.relay_group(T0, &new).unwrap();
        assert!(made.created);
        assert!(made.group_jid.ends_with("@muc.example.org"));
        assert_eq!(to(&store), [("ben@example.org", "one"), ("cy@example.org", "one")]);
        // Given a group, invitees are ignored.
        let again = body(
            json!({"sessionId": session, "groupJid": made.group_jid, "invitees": "[\"dan@other.org\"]", "textMessage": "two"}),
        );
        let sent = store.relay_group(T0, &again).unwrap();
        assert_eq!((sent.group_jid.as_str(), sent.created), (made.group_jid.as_str(), false));
        assert_eq!(to(&store)[2..], [("ben@example.org", "two"), ("cy@example.org", "two")]);
        let neither = body(json!({"sessionId": session, "textMessage": "x"}));
        assert!(
            store.relay_group(T0, &neither).unwrap_err().to_string().contains("ONE of groupJid or invitees")
        );
        let unknown =
            body(json!({"sessionId": session, "groupJid": "nope@muc.example.org", "textMessage": "x"}));
        assert!(matches!(store.relay_group(T0, &unknown), Err(ApiError::UnknownJid(_))));
        let no_text = body(json!({"sessionId": session, "groupJid": made.group_jid}));
        assert_eq!(store.relay_group(T0, &no_text), Err(ApiError::MissingField("textMessage")));
        assert_eq!(store.outbox().len(), 4);
    }

    #[test]
    fn only_members_relay_to_a_group() {
        let (mut store, session) = setup();
        let ctx = store.page_context("cy@example.org").unwrap();
        let cy = ctx["sessionId"].as_str().unwrap().to_owned();
        let made = store
            .relay_group(
                T0,
                &body(json!({"sessionId": session, "invitees": ["ben@example.org"], "textMessage": "a"})),
            )
            .unwrap();
        let outsider = body(json!({"sessionId": cy, "groupJid": made.group_jid, "textMessage": "b"}));
        assert!(matches!(store.relay_group(T0, &outsider), Err(ApiError::OutsideDomain(_))));
    }
}
