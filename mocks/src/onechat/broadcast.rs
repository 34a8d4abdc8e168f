//! Mass broadcast (seed 004, "Mass broadcast API"): "Allows admin/system to mass broadcast to
//! every user in the specific domain" (NOTES.md O6, O7).

use axum::response::Response;
use chatspec_specs::endpoint::Handle;
use chatspec_specs::onechat::{broadcast::MassBroadcast, envelope::SuccessReply};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::breakage::Breakage;
use super::error::ApiError;
use super::store::{Sender, Store, required};
use super::transport::{Received, reply};

impl Store {
    /// `POST /onechat/api/massBroadcast`: every user of `domain` gets `message` once.
    pub fn mass_broadcast(
        &mut self,
        now: OffsetDateTime,
        apikey: Option<&str>,
        body: &Map<String, Value>,
    ) -> Result<SuccessReply, ApiError> {
        let app = self.app_for_key(apikey)?.clone();
        let req = MassBroadcast {
            domain: required(body, "domain")?.trim().to_lowercase(),
            message: required(body, "message")?,
        };
        if req.domain != app.domain {
            return Err(ApiError::OutsideDomain(format!(
                "The app may only broadcast to its own domain {}",
                app.domain
            )));
        }
        let everyone = self.broken(Breakage::BroadcastBeyondDomain);
        let recipients: Vec<String> = self
            .users
            .values()
            .filter(|u| u.domain == req.domain || everyone)
            .map(|u| u.jid.clone())
            .collect();
        self.deliver(now, "massBroadcast", Sender::App(&app.id), None, &recipients, &req.message);
        Ok(SuccessReply::new())
    }
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/onechat/mod.rs) ----
impl Handle<chatspec_specs::onechat::broadcast::MassBroadcastCall, Received<'_>, Response> for Store {
    fn handle(&mut self, c: Received<'_>) -> Response {
        reply(self.mass_broadcast(c.now, c.call.apikey.as_deref(), &c.call.body))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::onechat::store::fixtures::*;
    use serde_json::json;

    #[test]
    fn a_broadcast_reaches_every_user_of_the_domain_and_no_one_else() {
        let mut store = Store::new();
        let admin = store.provision_user("admin@example.org").unwrap();
        store.provision_user("ann@example.org").unwrap();
        store.provision_user("bo@sub.example.org").unwrap();
        store.provision_user("cy@other.org").unwrap();
        let key = admin["apikey"].as_str().unwrap();
        let reply = store
            .mass_broadcast(T0, Some(key), &body(json!({"domain": "Example.org", "message": "Hi"})))
            .unwrap();
        assert_eq!(reply, SuccessReply::new());
        let to: Vec<&str> = store.outbox().iter().map(|a| a.to.as_str()).collect();
        assert_eq!(to, ["admin@example.org", "ann@example.org"]);
        assert!(store.outbox().iter().all(|a| a.message == "Hi" && a.delivery == 1));
    }

    #[test]
    fn a_bad_key_or_a_foreign_domain_delivers_nothing() {
        let mut store = Store::new();
        let admin = store.provision_user("admin@example.org").unwrap();
        store.provision_user("cy@other.org").unwrap();
        let msg = body(json!({"domain": "other.org", "message": "Hi"}));
        assert_eq!(store.mass_broadcast(T0, Some("nope"), &msg), Err(ApiError::Unauthorized));
        assert_eq!(store.mass_broadcast(T0, None, &msg), Err(ApiError::Unauthorized));
        let key = admin["apikey"].as_str();
        assert!(matches!(store.mass_broadcast(T0, key, &msg), Err(ApiError::OutsideDomain(_))));
        assert_eq!(
            store.mass_broadcast(T0, key, &body(json!({"domain": "example.org"}))),
            Err(ApiError::MissingField("message"))
        );
        assert!(store.outbox().is_empty());
    }
}
