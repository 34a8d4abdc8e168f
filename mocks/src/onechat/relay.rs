//! Alert relays (seed 004, "1-2-1 alert message relay API": "Allows admin/system to send
//! message to a particular user"; "Group alert message relay API": "Allows admin/system to
//! send message to a particular group"; NOTES.md O6, O8, O9).

use axum::response::Response;
use chatspec_specs::endpoint::Handle;
use chatspec_specs::onechat::{
    envelope::SuccessReply,
    relay::{GroupMessage, SingleMessage},
};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::breakage::Breakage;
use super::error::ApiError;
use super::store::{Sender, Store, jid_field, required};
use super::transport::{Received, reply};

/// The text of a jid outside the app's domain.
fn outside(what: &str, jid: &str, domain: &str) -> ApiError {
    ApiError::OutsideDomain(format!("The {what} {jid} is outside the app's domain {domain}"))
}

impl Store {
    /// `POST /onechat/api/singleMessage`: the user `jid` gets `message`.
    pub fn single_message(
        &mut self,
        now: OffsetDateTime,
        apikey: Option<&str>,
        body: &Map<String, Value>,
    ) -> Result<SuccessReply, ApiError> {
        let app = self.app_for_key(apikey)?.clone();
        let (jid, _) = jid_field(body, "jid")?;
        let message = self.mandatory(body, "message", Breakage::SingleAlertWithoutMessage)?;
        let req = SingleMessage { jid, message };
        let user = self.users.get(&req.jid).ok_or_else(|| ApiError::UnknownJid(req.jid.clone()))?;
        if user.domain != app.domain {
            return Err(outside("user", &req.jid, &app.domain));
        }
        let to = [user.jid.clone()];
        self.deliver(now, "singleMessage", Sender::App(&app.id), None, &to, &req.message);
        Ok(SuccessReply::new())
    }

    /// `POST /onechat/api/groupMessage`: every member of the group `jid` gets `message`.
    pub fn group_message(
        &mut self,
        now: OffsetDateTime,
        apikey: Option<&str>,
        body: &Map<String, Value>,
    ) -> Result<SuccessReply, ApiError> {
        let app = match self.app_for_key(apikey) {
            Ok(app) => Some(app.clone()),
            Err(_) if apikey.is_none() && self.broken(Breakage::GroupAlertWithoutApikey) => None,
            Err(e) => return Err(e),
        };
        let jids = match jid_field(body, "jid") {
            Ok((jid, _)) => vec![jid],
            Err(ApiError::MissingField(_)) if self.broken(Breakage::GroupAlertWithoutJid) => {
                let domain = app.as_ref().map(|a| a.domain.clone()).unwrap_or_default();
                self.groups.values().filter(|g| g.domain == domain).map(|g| g.jid.clone()).collect()
            }
            Err(e) => return Err(e),
        };
        let message = self.mandatory(body, "message", Breakage::GroupAlertWithoutMessage)?;
        for jid in jids {
            let req = GroupMessage { jid, message: message.clone() };
            let group = self.groups.get(&req.jid).ok_or_else(|| ApiError::UnknownJid(req.jid.clone()))?;
            if let Some(app) = &app
                && group.domain != app.domain
            {
                return Err(outside("group", &req.jid, &app.domain));
            }
            let mut members = group.members.clone();
            if self.broken(Breakage::GroupAlertSkipsLastMember) {
                members.pop();
            }
            let sender = app.as_ref().map_or("", |a| a.id.as_str());
            self.deliver(now, "groupMessage", Sender::App(sender), Some(&req.jid), &members, &req.message);
        }
        Ok(SuccessReply::new())
    }

    /// A mandatory text field ([`required`]); with `breakage` in force, a missing one is
    /// taken as empty, and with [`Breakage::MessageOfAnyType`] one of another type as its JSON.
    fn mandatory(
        &self,
        body: &Map<String, Value>,
        field: &'static str,
        breakage: Breakage,
    ) -> Result<String, ApiError> {
        match required(body, field) {
            Err(ApiError::MissingField(_)) if self.broken(breakage) => Ok(String::new()),
            Err(ApiError::InvalidField { .. }) if self.broken(Breakage::MessageOfAnyType) => {
                Ok(body.get(field).map(Value::to_string).unwrap_or_default())
            }
            other => other,
        }
    }
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/onechat/mod.rs) ----
impl Handle<chatspec_specs::onechat::relay::SingleMessageCall, Received<'_>, Response> for Store {
    fn handle(&mut self, c: Received<'_>) -> Response {
        reply(self.single_message(c.now, c.call.apikey.as_deref(), &c.call.body))
    }
}

impl Handle<chatspec_specs::onechat::relay::GroupMessageCall, Received<'_>, Response> for Store {
    fn handle(&mut self, c: Received<'_>) -> Response {
        reply(self.group_message(c.now, c.call.apikey.as_deref(), &c.call.body))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::onechat::directory::NewGroup;
    use crate::onechat::store::fixtures::*;
    use serde_json::json;

    fn setup() -> (Store, String) {
        let mut store = Store::new();
        let admin = store.provision_user("admin@example.org").unwrap();
        for name in ["ann@example.org", "bo@example.org", "cy@other.org"] {
            store.provision_user(name).unwrap();
        }
        (store, admin["apikey"].as_str().unwrap().to_owned())
    }

    #[test]
    fn a_single_message_reaches_only_its_user() {
        let (mut store, key) = setup();
        let msg = body(json!({"jid": "Ann@example.org", "message": " hello "}));
        store.single_message(T0, Some(&key), &msg).unwrap();
        assert_eq!(store.outbox().len(), 1);
        assert_eq!(store.outbox()[0].to, "ann@example.org");
        assert_eq!(store.outbox()[0].message, " hello ");
        assert_eq!(store.outbox()[0].via, "singleMessage");
    }

    #[test]
    fn unknown_jids_and_foreign_users_get_errors_and_nothing_is_sent() {
        let (mut store, key) = setup();
        let cases = [
            (json!({"jid": "zed@example.org", "message": "x"}), "Unknown jid: zed@example.org"),
            (json!({"jid": "cy@other.org", "message": "x"}), "outside"),
            (json!({"jid": "ann", "message": "x"}), "not a jid"),
            (json!({"jid": 5, "message": "x"}), "must be a string"),
            (json!({"jid": "ann@example.org"}), "Missing mandatory field: message"),
        ];
        for (b, text) in cases {
            let err = store.single_message(T0, Some(&key), &body(b)).unwrap_err();
            assert!(err.to_string().contains(text), "{err}");
        }
        assert_eq!(store.single_message(T0, Some("bad"), &body(json!({}))), Err(ApiError::Unauthorized));
        assert!(store.outbox().is_empty());
    }

    #[test]
    fn a_group_message_reaches_every_member_once() {
        let (mut store, key) = setup();
        let group = store
            .provision_group(NewGroup {
                name: "ops".into(),
                members: vec!["ann@example.org".into(), "bo@example.org".into()],
                domain: None,
                jid: None,
            })
            .unwrap();
        let gjid = group["jid"].as_str().unwrap();
        let msg = body(json!({"jid": gjid, "message": "deploy"}));
        store.group_message(T0, Some(&key), &msg).unwrap();
        let to: Vec<&str> = store.outbox().iter().map(|a| a.to.as_str()).collect();
        assert_eq!(to, ["ann@example.org", "bo@example.org"]);
        assert!(store.outbox().iter().all(|a| a.group.as_deref() == Some(gjid)));
        // A user jid is not a group, and a group jid is not a user.
        let user_as_group = body(json!({"jid": "ann@example.org", "message": "x"}));
        assert!(matches!(store.group_message(T0, Some(&key), &user_as_group), Err(ApiError::UnknownJid(_))));
        assert!(matches!(store.single_message(T0, Some(&key), &msg), Err(ApiError::UnknownJid(_))));
    }
}
