//! Mini-app server calls (seed 004, "registerMiniApp": "Register new mini app in OneChat
//! Admin Portal"; "authenticateUser": "Authenticate user session ID for Mini App Server";
//! NOTES.md O2, O11, O12).

use axum::{
    Json,
    response::{IntoResponse, Response},
};
use chatspec_specs::endpoint::Handle;
use chatspec_specs::onechat::{
    envelope::{NO_DESCRIPTION, SUCCESS},
    miniapps::{
        AppId, AuthenticateUser, AuthenticateUserReply, RegisterMiniApp, RegisterMiniAppReply, Truth,
    },
};
use serde_json::{Map, Value};

use super::error::ApiError;
use super::store::{Store, required};
use super::transport::{Received, reply};

/// `appId` as given: a string, or a number taken as its digits.
fn app_id(body: &Map<String, Value>) -> Result<AppId, ApiError> {
    match body.get("appId") {
        Some(Value::Number(n)) => n.as_u64().map(AppId::Number).ok_or(ApiError::InvalidField {
            field: "appId",
            reason: "must be a string or a whole number".into(),
        }),
        _ => required(body, "appId").map(AppId::Text),
    }
}

/// Whether a body posted to `registerMiniApp` is an authenticateUser call: the seed gives
/// both the same URL (NOTES.md O2).
pub fn is_authenticate_body(body: &Map<String, Value>) -> bool {
    !body.contains_key("adminJid") && ["jid", "appId", "apiKey"].iter().all(|f| body.contains_key(*f))
}

impl Store {
    /// `POST /onechat/api/registerMiniApp`: an app for the admin's domain, by an active
    /// session of the admin.
    pub fn register_mini_app(&mut self, body: &Map<String, Value>) -> Result<RegisterMiniAppReply, ApiError> {
        let req = RegisterMiniApp {
            admin_jid: required(body, "adminJid")?.trim().to_lowercase(),
            session_id: required(body, "sessionId")?,
            app_name: required(body, "appName")?.trim().to_owned(),
            app_icon: required(body, "appIcon")?.trim().to_owned(),
            app_url: required(body, "appUrl")?.trim().to_owned(),
        };
        let lower = req.app_url.to_ascii_lowercase();
        let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
        if rest.is_none_or(str::is_empty) {
            return Err(ApiError::InvalidField {
                field: "appUrl",
                reason: format!("{:?} is not an http(s) URL", req.app_url),
            });
        }
        if self.sessions.get(&req.session_id) != Some(&req.admin_jid) {
            return Err(ApiError::Unauthorized);
        }
        let domain =
            self.users.get(&req.admin_jid).map(|u| u.domain.clone()).ok_or(ApiError::Unauthorized)?;
        let app = self.add_app(&req.admin_jid, &domain, req.app_name, req.app_icon, req.app_url);
        Ok(RegisterMiniAppReply {
            status: SUCCESS.into(),
            description: NO_DESCRIPTION.into(),
            app_id: AppId::Text(app.id),
            api_key: app.api_key,
        })
    }

    /// `POST /onechat/api/authenticateUser`: whether `sessionId` is an active session of
    /// `jid`, for an app whose credentials are right.
    pub fn authenticate_user(&self, body: &Map<String, Value>) -> Result<AuthenticateUserReply, ApiError> {
        let req = AuthenticateUser {
            jid: required(body, "jid")?.trim().to_lowercase(),
            session_id: required(body, "sessionId")?,
            app_id: app_id(body)?,
            api_key: required(body, "apiKey")?,
        };
        let id = match &req.app_id {
            AppId::Text(t) => t.trim().to_owned(),
            AppId::Number(n) => n.to_string(),
        };
        if self.apps.get(&id).is_none_or(|a| a.api_key != req.api_key) {
            return Err(ApiError::Unauthorized);
        }
        let valid = self.users.contains_key(&req.jid)
            && self.sessions.get(&req.session_id).is_some_and(|owner| {
                *owner == req.jid || self.broken(super::breakage::Breakage::AnySessionAuthenticates)
            });
        Ok(AuthenticateUserReply {
            status: SUCCESS.into(),
            description: NO_DESCRIPTION.into(),
            is_authenticated: Truth::Bool(valid),
        })
    }
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/onechat/mod.rs) ----
impl Handle<chatspec_specs::onechat::miniapps::RegisterMiniAppCall, Received<'_>, Response> for Store {
    fn handle(&mut self, c: Received<'_>) -> Response {
        // The seed gives authenticateUser this URL too (NOTES.md O2).
        if is_authenticate_body(&c.call.body) {
            return <Self as Handle<
                chatspec_specs::onechat::miniapps::AuthenticateUserCall,
                Received<'_>,
                Response,
            >>::handle(self, c);
        }
        reply(self.register_mini_app(&c.call.body))
    }
}

impl Handle<chatspec_specs::onechat::miniapps::AuthenticateUserCall, Received<'_>, Response> for Store {
    fn handle(&mut self, c: Received<'_>) -> Response {
        match self.authenticate_user(&c.call.body) {
            Ok(v) => Json(v).into_response(),
            // "isAuthenticated — Returns user validity": false on every failure.
            Err(e) => e.into_response_with("isAuthenticated", Value::Bool(false)),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::onechat::store::fixtures::*;
    use serde_json::json;

    fn registered(store: &mut Store) -> (Value, RegisterMiniAppReply) {
        let admin = store.provision_user("admin@example.org").unwrap();
        let reply = store
            .register_mini_app(&body(json!({
                "adminJid": admin["jid"], "sessionId": admin["sessionId"],
                "appName": "Pay", "appIcon": "https://x.test/i.png", "appUrl": "https://x.test/"
            })))
            .unwrap();
        (admin, reply)
    }

    #[test]
    fn an_admin_session_registers_an_app_whose_key_relays_alerts() {
        let mut store = Store::new();
        let (_, reply) = registered(&mut store);
        assert_eq!(reply.status, "Success");
        assert_eq!(reply.api_key.len(), 23);
        assert_eq!(reply.app_id, AppId::Text("app-2".into()));
        let msg = body(json!({"domain": "example.org", "message": "from the app"}));
        store.mass_broadcast(T0, Some(&reply.api_key), &msg).unwrap();
        assert_eq!(store.outbox()[0].app_id.as_deref(), Some("app-2"));
    }

    #[test]
    fn registering_needs_the_admins_own_session_and_a_web_url() {
        let mut store = Store::new();
        let admin = store.provision_user("admin@example.org").unwrap();
        let other = store.provision_user("other@example.org").unwrap();
        let mut req = json!({
            "adminJid": admin["jid"], "sessionId": other["sessionId"],
            "appName": "Pay", "appIcon": "i", "appUrl": "https://x.test/"
        });
        assert_eq!(store.register_mini_app(&body(req.clone())), Err(ApiError::Unauthorized));
        req["sessionId"] = admin["sessionId"].clone();
        req["appUrl"] = json!("ftp://x.test/");
        assert!(matches!(
            store.register_mini_app(&body(req.clone())),
            Err(ApiError::InvalidField { field: "appUrl", .. })
        ));
        req.as_object_mut().unwrap().remove("appIcon");
        assert_eq!(store.register_mini_app(&body(req)), Err(ApiError::MissingField("appIcon")));
    }

    #[test]
    fn authentication_checks_the_app_then_the_session() {
        let mut store = Store::new();
        let (admin, app) = registered(&mut store);
        let ann = store.provision_user("ann@example.org").unwrap();
        let ask = |jid: &Value, session: &Value, key: &str| {
            body(json!({"jid": jid, "sessionId": session, "appId": "app-2", "apiKey": key}))
        };
        let yes = store.authenticate_user(&ask(&ann["jid"], &ann["sessionId"], &app.api_key)).unwrap();
        assert_eq!(yes.is_authenticated, Truth::Bool(true));
        let other_session =
            store.authenticate_user(&ask(&ann["jid"], &admin["sessionId"], &app.api_key)).unwrap();
        assert_eq!(other_session.is_authenticated, Truth::Bool(false));
        assert_eq!(other_session.status, "Success");
        assert_eq!(
            store.authenticate_user(&ask(&ann["jid"], &ann["sessionId"], "wrong")),
            Err(ApiError::Unauthorized)
        );
        let sid = ann["sessionId"].as_str().unwrap().to_owned();
        store.end_session(&sid).unwrap();
        let ended = store.authenticate_user(&ask(&ann["jid"], &ann["sessionId"], &app.api_key)).unwrap();
        assert_eq!(ended.is_authenticated, Truth::Bool(false));
    }

    #[test]
    fn an_authenticate_body_is_told_from_a_register_body() {
        assert!(is_authenticate_body(&body(
            json!({"jid": "a@b", "sessionId": "s", "appId": "1", "apiKey": "k"})
        )));
        assert!(!is_authenticate_body(&body(
            json!({"adminJid": "a@b", "jid": "a@b", "appId": "1", "apiKey": "k"})
        )));
        assert!(!is_authenticate_body(&body(json!({}))));
    }
}
