//! The OneChat store: users, groups, sessions, apps and the alerts delivered, with every rule
//! and no I/O (seed 004).
//!
//! A call goes in as the `apikey` header (where the call takes one) and the body's fields,
//! and comes out as a wire reply or an [`ApiError`]; alerts delivered are kept in the outbox,
//! with the messages the browser libraries relay (`chat_plugin.rs`, `mini_app_library.rs`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::breakage::Breakage;
use super::error::ApiError;

/// A user of a domain; jids are kept in lower case.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct User {
    pub jid: String,
    pub name: String,
    pub domain: String,
    /// What `ocwp.login(usr, pw)` takes as `pw` (NOTES.md O16).
    pub password: String,
}

/// A group chat: `<id>@muc.<domain>`.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Group {
    pub jid: String,
    pub name: String,
    /// The domain the group belongs to (its jid's, without `muc.`).
    pub domain: String,
    /// Member jids, in the order they were given.
    pub members: Vec<String>,
    /// The avatar `ocwp.chat.group.create` was given ("Path to image or base64 string"), or
    /// empty.
    pub avatar: String,
}

/// An approved app: "the approved App created in the Developer Portal".
#[derive(Clone, Debug, Serialize)]
pub(crate) struct App {
    pub id: String,
    pub name: String,
    pub icon: String,
    pub url: String,
    pub admin_jid: String,
    /// The admin's domain: the only one the app relays to (NOTES.md O6).
    pub domain: String,
    pub api_key: String,
}

/// An alert or message delivered to one user: what `GET /_mock/outbox` lists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Alert {
    /// 1, 2, ... in delivery order.
    pub id: u64,
    /// `alert` for the API's calls, `message` for what a user relays through the `OC` library.
    pub kind: &'static str,
    /// The call that sent it: `massBroadcast`, `singleMessage`, `groupMessage`,
    /// `OC.message.single.relay` or `OC.message.group.relay`.
    pub via: &'static str,
    /// The call it came from: every alert of one call shares it.
    pub delivery: u64,
    /// The recipient's jid.
    pub to: String,
    /// The group's jid for `groupMessage`, else null.
    pub group: Option<String>,
    /// The recipient's domain.
    pub domain: String,
    /// The text, exactly as sent.
    pub message: String,
    /// The app whose `apikey` sent it (the API's calls), else null.
    pub app_id: Option<String>,
    /// The user who relayed it (the `OC` library), else null.
    pub from: Option<String>,
    /// When it was sent, on the mock clock: `YYYY-MM-DDTHH:MM:SSZ`.
    pub sent_at: String,
}

/// Who sends a delivery: an app through the API, or a user through the `OC` library.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Sender<'a> {
    /// The app whose `apikey` made the call.
    App(&'a str),
    /// The user whose page relayed it.
    User(&'a str),
}

/// All OneChat state.
#[derive(Debug, Default, Serialize)]
pub struct Store {
    pub(crate) next_id: BTreeMap<&'static str, u64>,
    pub(crate) users: BTreeMap<String, User>,
    pub(crate) groups: BTreeMap<String, Group>,
    /// Session id to the jid it belongs to.
    pub(crate) sessions: BTreeMap<String, String>,
    pub(crate) apps: BTreeMap<String, App>,
    /// API key to app id.
    #[serde(skip)]
    pub(crate) keys: HashMap<String, String>,
    pub(crate) outbox: Vec<Alert>,
    /// The chat plugin's connections: token to the jid logged in (`ocwp.login`).
    pub(crate) connections: BTreeMap<String, String>,
    /// Page tokens the `OC` library's own calls take but authenticateUser does not know: only
    /// under the breakage `PageSessionUnknown`.
    pub(crate) page_tokens: BTreeMap<String, String>,
    /// Rules to break on purpose (honoured only with the `breakage` feature).
    #[serde(skip)]
    pub(crate) breakage: BTreeSet<Breakage>,
}

impl Store {
    /// An empty store.
    pub fn new() -> Store {
        Store::default()
    }

    /// A store that breaks the given rules (only in builds with the `breakage` feature).
    pub fn with_breakage(breakage: BTreeSet<Breakage>) -> Store {
        Store { breakage, ..Store::default() }
    }

    /// Empties all state, keeping the rules it breaks.
    pub fn reset(&mut self) {
        *self = Store::with_breakage(std::mem::take(&mut self.breakage));
    }

    /// Every alert delivered, oldest first.
    pub fn outbox(&self) -> &[Alert] {
        &self.outbox
    }

    pub(crate) fn next(&mut self, kind: &'static str) -> u64 {
        let n = self.next_id.entry(kind).or_insert(0);
        *n += 1;
        *n
    }

    /// The app an `apikey` header names; a missing or unknown key is "Unauthorized".
    pub(crate) fn app_for_key(&self, apikey: Option<&str>) -> Result<&App, ApiError> {
        apikey
            .filter(|k| !k.is_empty())
            .and_then(|k| self.keys.get(k))
            .and_then(|id| self.apps.get(id))
            .ok_or(ApiError::Unauthorized)
    }

    /// Adds an app for `admin_jid`'s domain and returns it.
    pub(crate) fn add_app(
        &mut self,
        admin_jid: &str,
        domain: &str,
        name: String,
        icon: String,
        url: String,
    ) -> App {
        let id = format!("app-{}", self.next("app"));
        let app = App {
            id: id.clone(),
            name,
            icon,
            url,
            admin_jid: admin_jid.to_owned(),
            domain: domain.to_owned(),
            api_key: random_key(23),
        };
        self.keys.insert(app.api_key.clone(), id.clone());
        self.apps.insert(id, app.clone());
        app
    }

    /// Records one alert per recipient, all under one delivery number.
    pub(crate) fn deliver(
        &mut self,
        now: OffsetDateTime,
        via: &'static str,
        sender: Sender<'_>,
        group: Option<&str>,
        recipients: &[String],
        message: &str,
    ) {
        let (kind, app_id, from) = match sender {
            Sender::App(id) => ("alert", Some(id.to_owned()), None),
            Sender::User(jid) => ("message", None, Some(jid.to_owned())),
        };
        let delivery = self.next("delivery");
        for jid in recipients {
            let domain = self.users.get(jid).map(|u| u.domain.clone()).unwrap_or_default();
            let id = self.outbox.len() as u64 + 1;
            self.outbox.push(Alert {
                id,
                kind,
                via,
                delivery,
                to: jid.clone(),
                group: group.map(str::to_owned),
                domain,
                message: message.to_owned(),
                app_id: app_id.clone(),
                from: from.clone(),
                sent_at: crate::kit::clock::wire(now),
            });
        }
    }
}

/// A mandatory string field: absent, null or blank is "Missing mandatory field"; another
/// type is invalid. The text is returned as sent.
pub(crate) fn required(body: &Map<String, Value>, field: &'static str) -> Result<String, ApiError> {
    match body.get(field) {
        None | Some(Value::Null) => Err(ApiError::MissingField(field)),
        Some(Value::String(s)) if s.trim().is_empty() => Err(ApiError::MissingField(field)),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(ApiError::InvalidField { field, reason: "must be a string".into() }),
    }
}

/// A jid field in lower case, with its domain: `local@domain`.
pub(crate) fn jid_field(
    body: &Map<String, Value>,
    field: &'static str,
) -> Result<(String, String), ApiError> {
    let jid = required(body, field)?.trim().to_lowercase();
    match jid.split_once('@') {
        Some((local, domain)) if !local.is_empty() && !domain.is_empty() && !domain.contains('@') => {
            let domain = domain.to_owned();
            Ok((jid, domain))
        }
        _ => Err(ApiError::InvalidField { field, reason: format!("{jid:?} is not a jid like user@domain") }),
    }
}

/// A fresh unguessable key of `len` letters and digits, like the seed's
/// `j4w4tty4Lw80hAbAHQGKwto`.
pub(crate) fn random_key(len: usize) -> String {
    use rand::{Rng, distr::Alphanumeric};
    rand::rng().sample_iter(&Alphanumeric).take(len).map(char::from).collect()
}

/// Builders the area tests share.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) mod fixtures {
    use serde_json::{Map, Value};
    use time::{OffsetDateTime, macros::datetime};

    /// The fixed time of every test.
    pub const T0: OffsetDateTime = datetime!(2026-01-01 00:00:00 UTC);

    /// A JSON object as a body.
    pub fn body(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::fixtures::body;
    use super::*;
    use serde_json::json;

    #[test]
    fn mandatory_fields_must_be_non_blank_strings() {
        let b = body(json!({"a": "Hi ", "b": "  ", "c": 5, "d": null}));
        assert_eq!(required(&b, "a").unwrap(), "Hi ");
        assert_eq!(required(&b, "b"), Err(ApiError::MissingField("b")));
        assert!(matches!(required(&b, "c"), Err(ApiError::InvalidField { field: "c", .. })));
        assert_eq!(required(&b, "d"), Err(ApiError::MissingField("d")));
        assert_eq!(required(&b, "e"), Err(ApiError::MissingField("e")));
    }

    #[test]
    fn jids_are_lower_cased_and_split() {
        let b = body(json!({"jid": " Ann@OneChat.net ", "bad": "ann", "worse": "a@b@c"}));
        assert_eq!(jid_field(&b, "jid").unwrap(), ("ann@onechat.net".to_owned(), "onechat.net".to_owned()));
        assert!(jid_field(&b, "bad").is_err());
        assert!(jid_field(&b, "worse").is_err());
    }

    #[test]
    fn keys_look_like_the_seeds_sample() {
        let key = random_key(23);
        assert_eq!(key.len(), 23);
        assert!(key.chars().all(|c| c.is_ascii_alphanumeric()));
    }
}
