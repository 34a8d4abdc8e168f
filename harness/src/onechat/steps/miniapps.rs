//! Steps for the mini-app server calls (seed 004, "registerMiniApp": "Register new mini app in
//! OneChat Admin Portal"; "authenticateUser": "Authenticate user session ID for Mini App
//! Server"; NOTES.md O2, O11, O12), and the sessions they check. OneChat opens and ends
//! sessions out of the API's reach, so the harness does through the mock admin API (NOTES.md
//! O14).

use chatspec_specs::onechat::Route;
use chatspec_specs::onechat::miniapps::{AppId, AuthenticateUser, RegisterMiniApp};
use chatspec_specs::onechat::relay::SingleMessage;
use cucumber::{given, then, when};
use reqwest::Method;
use serde_json::{Value, json};

use crate::onechat::OneChatWorld;
use crate::onechat::driver::{self, Body, OneChatReply as _};
use crate::onechat::world::{App, Key};

impl OneChatWorld {
    /// The registerMiniApp body for `admin`'s app `label`, with `session` as its session.
    fn register_body(&mut self, admin: &str, label: &str, session: &str) -> Body {
        Body::typed(&RegisterMiniApp {
            admin_jid: self.user(admin).jid,
            session_id: session.to_owned(),
            app_name: self.unique(label),
            app_icon: "https://apps.example.test/icon.png".into(),
            app_url: "https://apps.example.test/app".into(),
        })
    }

    /// `admin` registers the mini app `label` with the session `session`.
    async fn register(&mut self, admin: &str, label: &str, session: &str) {
        let body = self.register_body(admin, label, session);
        let reply = self.call(Some(admin), Route::RegisterMiniApp, Key::Missing, body).await;
        if reply.outcome() == Some("Success")
            && let (Some(app_id), Some(key)) =
                (reply.body.get("appId"), reply.body.get("apiKey").and_then(Value::as_str))
        {
            let app = App { app_id: app_id.clone(), api_key: key.to_owned() };
            self.apps.insert(label.to_owned(), app);
        }
    }

    /// The app labelled `label`.
    fn app(&self, label: &str) -> App {
        match self.apps.get(label) {
            Some(a) => a.clone(),
            None => panic!("the scenario registered no mini app {label:?}"),
        }
    }

    /// The authenticateUser body the app `label` sends for `user`'s `session`, with its own
    /// apiKey unless `api_key` is given. An appId the server gave in a form the spec does not
    /// take is sent back as given: it is the server's, not the suite's.
    fn authenticate_body(&self, label: &str, user: &str, session: &str, api_key: Option<String>) -> Body {
        let app = self.app(label);
        let jid = self.user(user).jid;
        let api_key = api_key.unwrap_or(app.api_key);
        match serde_json::from_value::<AppId>(app.app_id.clone()) {
            Ok(app_id) => {
                Body::typed(&AuthenticateUser { jid, session_id: session.to_owned(), app_id, api_key })
            }
            Err(_) => Body::Malformed(
                json!({"jid": jid, "sessionId": session, "appId": app.app_id, "apiKey": api_key}),
            ),
        }
    }

    /// The app `label` asks whether `session` is an active session of `user`.
    async fn authenticate(&mut self, label: &str, user: &str, session: &str, api_key: Option<String>) {
        let body = self.authenticate_body(label, user, session, api_key);
        self.call(None, Route::AuthenticateUser, Key::Missing, body).await;
    }

    /// The app `label` asks whether `session` (from a page) is an active session of `user`.
    pub async fn authenticate_with(&mut self, label: &str, user: &str, session: &str) {
        self.authenticate(label, user, session, None).await;
    }
}

#[given(regex = r"^(\w+) has a second session$")]
async fn second_session(w: &mut OneChatWorld, name: String) {
    let jid = w.user(&name).jid;
    let body = Some(json!({"jid": jid}));
    let reply = w.admin(Method::POST, "/_mock/sessions", body, "opens sessions").await;
    let session = w.admin_field(&reply, "sessionId", "POST /_mock/sessions");
    if let Some(u) = w.users.get_mut(&name) {
        u.second_session = Some(session);
    }
}

#[given(regex = r"^(\w+)'s session has ended$")]
async fn session_ended(w: &mut OneChatWorld, name: String) {
    let session = w.user(&name).session;
    w.admin(Method::DELETE, &format!("/_mock/sessions/{session}"), None, "ends sessions").await;
}

#[when(regex = r#"^(\w+) registers the mini app "([^"]*)"(?: with (\w+)'s session)?$"#)]
async fn registers(w: &mut OneChatWorld, admin: String, label: String, other: String) {
    let who = if other.is_empty() { admin.clone() } else { other };
    let session = w.user(&who).session;
    w.register(&admin, &label, &session).await;
}

#[given(regex = r#"^(\w+) has registered the mini app "([^"]*)"$"#)]
async fn has_registered(w: &mut OneChatWorld, admin: String, label: String) {
    registers(w, admin, label.clone(), String::new()).await;
    let reply = w.last();
    w.set_up_success("O-miniapp-register", &reply);
    if !w.apps.contains_key(&label) {
        w.fail_on_rule(
            "O-miniapp-register",
            "registerMiniApp returns appId and apiKey",
            "{\"appId\", \"apiKey\"}",
            reply.describe(),
        );
    }
}

#[when(regex = r"^(\w+) registers a mini app without (adminJid|sessionId|appName|appIcon|appUrl)$")]
async fn registers_without(w: &mut OneChatWorld, admin: String, field: String) {
    let session = w.user(&admin).session;
    let body = w.register_body(&admin, "app", &session).without(&field);
    w.call(Some(&admin), Route::RegisterMiniApp, Key::Missing, body).await;
}

#[then("the reply carries an appId and an apiKey")]
async fn carries_app(w: &mut OneChatWorld) {
    let reply = w.last();
    let body = w.success(&reply);
    let id_ok = match body.get("appId") {
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Number(_)) => true,
        _ => false,
    };
    let key_ok = body.get("apiKey").and_then(Value::as_str).is_some_and(|k| !k.is_empty());
    if !id_ok || !key_ok {
        w.fail(
            "registerMiniApp returns \"appId — Application ID\" and \"apiKey — apiKey for API calls\"",
            "appId (a string or a number) and a non-empty apiKey",
            body,
        );
    }
}

#[when(regex = r#"^the mini app "([^"]*)" sends (\w+) the alert "([^"]*)"$"#)]
async fn app_sends(w: &mut OneChatWorld, label: String, to: String, text: String) {
    let key = w.app(&label).api_key;
    let jid = w.user(&to).jid;
    let message = w.text(&text);
    let body = Body::typed(&SingleMessage { jid, message });
    w.call(None, Route::SingleMessage, Key::Given(key), body).await;
}

#[when(regex = r#"^the mini app "([^"]*)" authenticates (\w+)'s session$"#)]
async fn authenticates(w: &mut OneChatWorld, label: String, user: String) {
    let session = w.user(&user).session;
    w.authenticate(&label, &user, &session, None).await;
}

#[when(regex = r#"^the mini app "([^"]*)" authenticates (\w+)'s second session$"#)]
async fn authenticates_second(w: &mut OneChatWorld, label: String, user: String) {
    let Some(session) = w.user(&user).second_session else {
        panic!("{user} has no second session: add `Given {user} has a second session`");
    };
    w.authenticate(&label, &user, &session, None).await;
}

#[when(regex = r#"^the mini app "([^"]*)" authenticates (\w+) with (\w+)'s session$"#)]
async fn authenticates_with(w: &mut OneChatWorld, label: String, user: String, other: String) {
    let session = w.user(&other).session;
    w.authenticate(&label, &user, &session, None).await;
}

#[when(regex = r#"^the mini app "([^"]*)" authenticates (\w+)'s session with a wrong apiKey$"#)]
async fn authenticates_wrong_key(w: &mut OneChatWorld, label: String, user: String) {
    let session = w.user(&user).session;
    let key = format!("{}-wrong", w.app(&label).api_key);
    w.authenticate(&label, &user, &session, Some(key)).await;
}

#[when(
    regex = r#"^the mini app "([^"]*)" authenticates (\w+)'s session without (jid|sessionId|appId|apiKey)$"#
)]
async fn authenticates_without(w: &mut OneChatWorld, label: String, user: String, field: String) {
    let session = w.user(&user).session;
    let body = w.authenticate_body(&label, &user, &session, None).without(&field);
    w.call(None, Route::AuthenticateUser, Key::Missing, body).await;
}

#[when(regex = r#"^the mini app "([^"]*)" authenticates (\w+)'s session at the URL of registerMiniApp$"#)]
async fn authenticates_at_register(w: &mut OneChatWorld, label: String, user: String) {
    let session = w.user(&user).session;
    let body = w.authenticate_body(&label, &user, &session, None);
    // NOTES.md O2: the seed gives authenticateUser the URL of registerMiniApp.
    let url = w.ctx.target.onechat_url(Route::RegisterMiniApp.call());
    let call = Route::AuthenticateUser.call();
    let sent = driver::request(&w.ctx, &w.wire, None, Method::POST, url, call, None, Some(body)).await;
    w.keep(sent);
}

/// `isAuthenticated` as a truth value: a boolean, or the words True and False (NOTES.md O12).
fn truth(v: Option<&Value>) -> Option<bool> {
    match v? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

#[then(regex = r"^the user is (authenticated|not authenticated)$")]
async fn is_authenticated(w: &mut OneChatWorld, which: String) {
    let reply = w.last();
    let body = w.success(&reply);
    let want = which == "authenticated";
    let got = truth(body.get("isAuthenticated"));
    if got != Some(want) {
        w.fail(
            "authenticateUser \"Returns user validity — True, False\"",
            format!("isAuthenticated {want}"),
            body,
        );
    }
}

#[then("the reply is Error, or Success with the user not authenticated")]
async fn error_or_false(w: &mut OneChatWorld) {
    let reply = w.last();
    // Wrong app credentials may be an Error or a Success with false (NOTES.md O12).
    if reply.outcome() == Some("Error") {
        w.error(&reply);
        if let Some(t) = reply.body.get("isAuthenticated")
            && truth(Some(t)) != Some(false)
        {
            w.fail(
                "an Error reply does not authenticate",
                "isAuthenticated absent or false",
                reply.describe(),
            );
        }
        return;
    }
    let body = w.success(&reply);
    if truth(body.get("isAuthenticated")) != Some(false) {
        w.fail(
            "wrong app credentials authenticate nobody",
            "{\"status\": \"Error\"} or {\"status\": \"Success\", \"isAuthenticated\": false}",
            body,
        );
    }
}
