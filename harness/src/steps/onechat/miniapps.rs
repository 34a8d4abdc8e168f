//! Steps for the mini-app server calls (seed 004, "registerMiniApp": "Register new mini app in
//! OneChat Admin Portal"; "authenticateUser": "Authenticate user session ID for Mini App
//! Server"; NOTES.md O2, O11, O12).

use cucumber::{given, then, when};
use serde_json::{Value, json};

use super::{App, Key};
use crate::drivers::onechat::Body;
use crate::drivers::onechat::OneChatReply as _;
use crate::world::ChatWorld;

impl ChatWorld {
    /// The registerMiniApp body for `admin`'s app `label`, with `session` as its session.
    fn oc_register_body(&mut self, admin: &str, label: &str, session: &str) -> Value {
        let name = self.unique(label);
        json!({
            "adminJid": self.oc_user(admin).jid,
            "sessionId": session,
            "appName": name,
            "appIcon": "https://apps.example.test/icon.png",
            "appUrl": "https://apps.example.test/app",
        })
    }

    /// `admin` registers the mini app `label` with the session `session`.
    async fn oc_register(&mut self, admin: &str, label: &str, session: &str) {
        let body = self.oc_register_body(admin, label, session);
        let reply = self.oc_call(Some(admin), "registerMiniApp", Key::Missing, Body::Json(body)).await;
        if reply.outcome() == Some("Success")
            && let (Some(app_id), Some(key)) =
                (reply.body.get("appId"), reply.body.get("apiKey").and_then(Value::as_str))
        {
            let app = App { app_id: app_id.clone(), api_key: key.to_owned() };
            self.onechat.apps.insert(label.to_owned(), app);
        }
    }

    /// The app labelled `label`.
    fn oc_app(&self, label: &str) -> App {
        match self.onechat.apps.get(label) {
            Some(a) => a.clone(),
            None => panic!("the scenario registered no mini app {label:?}"),
        }
    }

    /// The app `label` asks whether `session` is an active session of `user`.
    async fn oc_authenticate(&mut self, label: &str, user: &str, session: &str, api_key: Option<String>) {
        let app = self.oc_app(label);
        let body = json!({
            "jid": self.oc_user(user).jid,
            "sessionId": session,
            "appId": app.app_id,
            "apiKey": api_key.unwrap_or(app.api_key),
        });
        self.oc_call(None, "authenticateUser", Key::Missing, Body::Json(body)).await;
    }

    /// The app `label` asks whether `session` (from a page) is an active session of `user`.
    pub async fn oc_authenticate_with(&mut self, label: &str, user: &str, session: &str) {
        self.oc_authenticate(label, user, session, None).await;
    }
}

#[when(regex = r#"^(\w+) registers the mini app "([^"]*)"(?: with (\w+)'s session)?$"#)]
async fn registers(w: &mut ChatWorld, admin: String, label: String, other: String) {
    let who = if other.is_empty() { admin.clone() } else { other };
    let session = w.oc_user(&who).session;
    w.oc_register(&admin, &label, &session).await;
}

#[given(regex = r#"^(\w+) has registered the mini app "([^"]*)"$"#)]
async fn has_registered(w: &mut ChatWorld, admin: String, label: String) {
    registers(w, admin, label.clone(), String::new()).await;
    let reply = w.oc_last();
    w.oc_success(&reply);
    if !w.onechat.apps.contains_key(&label) {
        w.fail("registerMiniApp returns appId and apiKey", "{\"appId\", \"apiKey\"}", reply.describe());
    }
}

#[when(regex = r"^(\w+) registers a mini app without (adminJid|sessionId|appName|appIcon|appUrl)$")]
async fn registers_without(w: &mut ChatWorld, admin: String, field: String) {
    let session = w.oc_user(&admin).session;
    let mut body = w.oc_register_body(&admin, "app", &session);
    if let Some(o) = body.as_object_mut() {
        o.remove(&field);
    }
    w.oc_call(Some(&admin), "registerMiniApp", Key::Missing, Body::Json(body)).await;
}

#[then("the reply carries an appId and an apiKey")]
async fn carries_app(w: &mut ChatWorld) {
    let reply = w.oc_last();
    let body = w.oc_success(&reply);
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
async fn app_sends(w: &mut ChatWorld, label: String, to: String, text: String) {
    let key = w.oc_app(&label).api_key;
    let jid = w.oc_user(&to).jid;
    let text = w.oc_text(&text);
    let body = Body::Json(json!({"jid": jid, "message": text}));
    w.oc_call(None, "singleMessage", Key::Given(key), body).await;
}

#[when(regex = r#"^the mini app "([^"]*)" authenticates (\w+)'s session$"#)]
async fn authenticates(w: &mut ChatWorld, label: String, user: String) {
    let session = w.oc_user(&user).session;
    w.oc_authenticate(&label, &user, &session, None).await;
}

#[when(regex = r#"^the mini app "([^"]*)" authenticates (\w+)'s second session$"#)]
async fn authenticates_second(w: &mut ChatWorld, label: String, user: String) {
    let Some(session) = w.oc_user(&user).second_session else {
        panic!("{user} has no second session: add `Given {user} has a second session`");
    };
    w.oc_authenticate(&label, &user, &session, None).await;
}

#[when(regex = r#"^the mini app "([^"]*)" authenticates (\w+) with (\w+)'s session$"#)]
async fn authenticates_with(w: &mut ChatWorld, label: String, user: String, other: String) {
    let session = w.oc_user(&other).session;
    w.oc_authenticate(&label, &user, &session, None).await;
}

#[when(regex = r#"^the mini app "([^"]*)" authenticates (\w+)'s session with a wrong apiKey$"#)]
async fn authenticates_wrong_key(w: &mut ChatWorld, label: String, user: String) {
    let session = w.oc_user(&user).session;
    let key = format!("{}-wrong", w.oc_app(&label).api_key);
    w.oc_authenticate(&label, &user, &session, Some(key)).await;
}

#[when(
    regex = r#"^the mini app "([^"]*)" authenticates (\w+)'s session without (jid|sessionId|appId|apiKey)$"#
)]
async fn authenticates_without(w: &mut ChatWorld, label: String, user: String, field: String) {
    let app = w.oc_app(&label);
    let mut body = json!({
        "jid": w.oc_user(&user).jid,
        "sessionId": w.oc_user(&user).session,
        "appId": app.app_id,
        "apiKey": app.api_key,
    });
    if let Some(o) = body.as_object_mut() {
        o.remove(&field);
    }
    w.oc_call(None, "authenticateUser", Key::Missing, Body::Json(body)).await;
}

#[when(regex = r#"^the mini app "([^"]*)" authenticates (\w+)'s session at the URL of registerMiniApp$"#)]
async fn authenticates_at_register(w: &mut ChatWorld, label: String, user: String) {
    let app = w.oc_app(&label);
    let body = json!({
        "jid": w.oc_user(&user).jid,
        "sessionId": w.oc_user(&user).session,
        "appId": app.app_id,
        "apiKey": app.api_key,
    });
    // NOTES.md O2: the seed gives authenticateUser the URL of registerMiniApp.
    let url = w.ctx.target.onechat_url("registerMiniApp");
    let reply = crate::drivers::onechat::request(
        &w.ctx,
        &w.wire,
        None,
        reqwest::Method::POST,
        url,
        "authenticateUser",
        None,
        Some(Body::Json(body)),
    )
    .await;
    w.onechat.last = Some(reply);
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
async fn is_authenticated(w: &mut ChatWorld, which: String) {
    let reply = w.oc_last();
    let body = w.oc_success(&reply);
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
async fn error_or_false(w: &mut ChatWorld) {
    let reply = w.oc_last();
    // Wrong app credentials may be an Error or a Success with false (NOTES.md O12).
    if reply.outcome() == Some("Error") {
        w.oc_error(&reply);
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
    let body = w.oc_success(&reply);
    if truth(body.get("isAuthenticated")) != Some(false) {
        w.fail(
            "wrong app credentials authenticate nobody",
            "{\"status\": \"Error\"} or {\"status\": \"Success\", \"isAuthenticated\": false}",
            body,
        );
    }
}
