//! Steps that set up domains, users, groups and sessions. OneChat makes them through sign-up,
//! the portal and the browser libraries (`ocwp.chat.group.create`, `OC.user.getSessionID`),
//! out of the API's reach, so the harness makes them through the mock admin API (NOTES.md
//! O13, O14); a target without one makes these scenarios impossible.

use cucumber::given;
use reqwest::Method;
use serde_json::{Value, json};

use super::{Group, User};
use crate::steps::names;
use crate::world::ChatWorld;

impl ChatWorld {
    /// Provisions the user `name` in the domain labelled `domain`.
    pub async fn oc_add_user(&mut self, name: &str, domain: &str) {
        let server_domain = self.oc_domain(domain);
        let body = json!({"name": format!("{name}@{server_domain}")});
        let reply = self.admin(Method::POST, "/_mock/users", Some(body), "provisions users").await;
        let field = |f: &str| reply.get(f).and_then(Value::as_str).map(str::to_owned);
        let (Some(jid), Some(session), Some(apikey)) = (field("jid"), field("sessionId"), field("apikey"))
        else {
            self.fail(
                "POST /_mock/users returns the user's jid, session and apikey",
                "{\"jid\", \"sessionId\", \"apikey\", ...}",
                reply,
            );
        };
        let password = field("password").unwrap_or_default();
        let user = User { jid, domain: domain.to_owned(), session, second_session: None, apikey, password };
        self.onechat.users.insert(name.to_owned(), user);
    }
}

#[given(regex = r#"^the domain "([^"]*)" with the users? (\w+(?:(?:, | and )\w+)*)$"#)]
async fn domain_with_users(w: &mut ChatWorld, domain: String, list: String) {
    for name in names(&list) {
        w.oc_add_user(&name, &domain).await;
    }
}

#[given(regex = r#"^the group "([^"]*)" of (\w+(?:(?:, | and )\w+)*)$"#)]
async fn group_of(w: &mut ChatWorld, label: String, list: String) {
    let members: Vec<String> = names(&list).iter().map(|n| w.oc_user(n).jid).collect();
    let name = w.unique(&label);
    let body = json!({"name": name, "members": members});
    let reply = w.admin(Method::POST, "/_mock/groups", Some(body), "provisions groups").await;
    let Some(jid) = reply.get("jid").and_then(Value::as_str) else {
        w.fail("POST /_mock/groups returns the group's jid", "{\"jid\", ...}", reply);
    };
    w.onechat.groups.insert(label, Group { jid: jid.to_owned() });
}

#[given(regex = r"^(\w+) has a second session$")]
async fn second_session(w: &mut ChatWorld, name: String) {
    let jid = w.oc_user(&name).jid;
    let reply = w.admin(Method::POST, "/_mock/sessions", Some(json!({"jid": jid})), "opens sessions").await;
    let Some(session) = reply.get("sessionId").and_then(Value::as_str) else {
        w.fail("POST /_mock/sessions returns the new session", "{\"sessionId\", ...}", reply);
    };
    if let Some(u) = w.onechat.users.get_mut(&name) {
        u.second_session = Some(session.to_owned());
    }
}

#[given(regex = r"^(\w+)'s session has ended$")]
async fn session_ended(w: &mut ChatWorld, name: String) {
    let session = w.oc_user(&name).session;
    w.admin(Method::DELETE, &format!("/_mock/sessions/{session}"), None, "ends sessions").await;
}
