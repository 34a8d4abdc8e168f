//! Black-box tests of the OneChat mock: the real server on `127.0.0.1:0`, driven over HTTP as
//! a client would, every reply checked against its committed schema and every delivery read
//! back from the admin outbox.
#![allow(clippy::unwrap_used)]

#[path = "common/tls.rs"]
mod tls;

use chatspec_mocks::kit::{Clock, serve};
use chatspec_mocks::onechat::{self, OneChat};
use chatspec_specs::Registry;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use time::macros::datetime;
use tokio_util::sync::CancellationToken;

/// A running mock and a client for it.
struct Mock {
    base: String,
    http: reqwest::Client,
    stop: CancellationToken,
}

impl Drop for Mock {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

async fn start() -> Mock {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = serve::base_url(&listener).unwrap();
    let state = OneChat::new(Clock::fixed(datetime!(2026-03-01 09:00:00 UTC)));
    let stop = CancellationToken::new();
    tokio::spawn(onechat::run(state, listener, stop.clone()));
    let http = tls::http_client().no_proxy().build().unwrap();
    Mock { base, http, stop }
}

fn check(schema: &str, value: &Value) {
    if let Err(errors) = Registry::global().validate("onechat", schema, value) {
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        panic!("{schema}: {value}\n{}", text.join("\n"));
    }
}

impl Mock {
    /// `POST /onechat/api/{name}` with an optional `apikey` header and a JSON body.
    async fn call(&self, name: &str, apikey: Option<&str>, body: Value) -> (StatusCode, Value) {
        let mut req = self.http.post(format!("{}/onechat/api/{name}", self.base)).json(&body);
        if let Some(key) = apikey {
            req = req.header("apikey", key);
        }
        let resp = req.send().await.unwrap();
        (resp.status(), resp.json().await.unwrap())
    }

    /// Asserts a success reply that fits `response.<schema>`.
    async fn ok(&self, name: &str, schema: &str, apikey: Option<&str>, body: Value) -> Value {
        let (status, reply) = self.call(name, apikey, body).await;
        assert_eq!(status, StatusCode::OK, "{name}: {reply}");
        check(&format!("response.{schema}"), &reply);
        assert_eq!(reply["status"], "Success");
        reply
    }

    /// Asserts an `Error` reply with `status` and a description containing `text`.
    async fn fails(
        &self,
        name: &str,
        apikey: Option<&str>,
        body: Value,
        status: StatusCode,
        text: &str,
    ) -> Value {
        let (got, reply) = self.call(name, apikey, body).await;
        assert_eq!(got, status, "{name}: {reply}");
        check("error", &reply);
        let description = reply["description"].as_str().unwrap();
        assert!(description.contains(text), "{description:?} lacks {text:?}");
        reply
    }

    async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        (resp.status(), resp.json().await.unwrap())
    }

    async fn user(&self, name: &str) -> Value {
        let (status, user) = self.admin(Method::POST, "/_mock/users", Some(json!({"name": name}))).await;
        assert_eq!(status, StatusCode::CREATED, "{user}");
        user
    }

    async fn group(&self, name: &str, members: &[&Value]) -> String {
        let jids: Vec<&Value> = members.iter().map(|m| &m["jid"]).collect();
        let (status, group) =
            self.admin(Method::POST, "/_mock/groups", Some(json!({"name": name, "members": jids}))).await;
        assert_eq!(status, StatusCode::CREATED, "{group}");
        group["jid"].as_str().unwrap().to_owned()
    }

    async fn outbox(&self) -> Vec<Value> {
        let (_, v) = self.admin(Method::GET, "/_mock/outbox", None).await;
        v["outbox"].as_array().unwrap().clone()
    }

    /// Who received each alert of the newest delivery, and with which text.
    async fn last_delivery(&self) -> Vec<(String, String)> {
        let outbox = self.outbox().await;
        let Some(last) = outbox.last() else {
            return Vec::new();
        };
        let n = last["delivery"].clone();
        outbox
            .iter()
            .filter(|a| a["delivery"] == n)
            .map(|a| (a["to"].as_str().unwrap().to_owned(), a["message"].as_str().unwrap().to_owned()))
            .collect()
    }
}

impl Mock {
    /// `isAuthenticated` of a successful authenticateUser call.
    async fn authenticated(&self, body: Value) -> Value {
        self.ok("authenticateUser", "authenticate_user", None, body).await["isAuthenticated"].clone()
    }
}

fn key(user: &Value) -> &str {
    user["apikey"].as_str().unwrap()
}

#[tokio::test]
async fn every_call_answers_in_its_documented_shape() {
    let m = start().await;
    let admin = m.user("Admin").await;
    assert_eq!(admin["jid"], "admin@onechat.net");
    assert_eq!(admin["domain"], "onechat.net");
    let ann = m.user("Ann").await;
    let group = m.group("ops", &[&ann]).await;

    let app = m
        .ok(
            "registerMiniApp",
            "register_mini_app",
            None,
            json!({
                "adminJid": admin["jid"], "sessionId": admin["sessionId"], "appName": "Pay",
                "appIcon": "https://apps.example/pay.png", "appUrl": "https://apps.example/pay"
            }),
        )
        .await;
    assert_eq!(app["description"], "-");
    let api_key = app["apiKey"].as_str().unwrap();
    let auth = m
        .ok(
            "authenticateUser",
            "authenticate_user",
            None,
            json!({"jid": ann["jid"], "sessionId": ann["sessionId"], "appId": app["appId"], "apiKey": api_key}),
        )
        .await;
    assert_eq!(auth["isAuthenticated"], true);

    let r = m
        .ok(
            "massBroadcast",
            "mass_broadcast",
            Some(api_key),
            json!({"domain": "onechat.net", "message": "Hi"}),
        )
        .await;
    assert_eq!(r, json!({"status": "Success", "description": "-"}));
    m.ok(
        "singleMessage",
        "single_message",
        Some(key(&admin)),
        json!({"jid": ann["jid"], "message": "Hi Ann"}),
    )
    .await;
    m.ok("groupMessage", "group_message", Some(key(&admin)), json!({"jid": group, "message": "Hi ops"}))
        .await;
    let outbox = m.outbox().await;
    assert_eq!(outbox.len(), 4);
    let first = &outbox[0];
    assert_eq!(first["kind"], "alert");
    assert_eq!(first["via"], "massBroadcast");
    assert_eq!(first["app_id"], app["appId"]);
    assert_eq!(first["sent_at"], "2026-03-01T09:00:00Z");
    assert_eq!(outbox[3]["group"], group.as_str());
}

#[tokio::test]
async fn a_broadcast_reaches_every_user_of_the_domain_and_no_one_outside_it() {
    let m = start().await;
    let admin = m.user("Admin@run1.example").await;
    let ann = m.user("Ann@run1.example").await;
    let bo = m.user("Bo@RUN1.example").await;
    m.user("Cy@run2.example").await;
    m.user("Di@sub.run1.example").await;
    m.ok(
        "massBroadcast",
        "mass_broadcast",
        Some(key(&admin)),
        json!({"domain": "run1.example", "message": "Maintenance at 9"}),
    )
    .await;
    let mut got = m.last_delivery().await;
    got.sort();
    let text = "Maintenance at 9".to_owned();
    assert_eq!(
        got,
        vec![
            (admin["jid"].as_str().unwrap().to_owned(), text.clone()),
            (ann["jid"].as_str().unwrap().to_owned(), text.clone()),
            (bo["jid"].as_str().unwrap().to_owned(), text),
        ]
    );
    // Another domain is not the app's to broadcast to.
    m.fails(
        "massBroadcast",
        Some(key(&admin)),
        json!({"domain": "run2.example", "message": "x"}),
        StatusCode::FORBIDDEN,
        "own domain",
    )
    .await;
    assert_eq!(m.outbox().await.len(), 3);
}

#[tokio::test]
async fn a_single_alert_reaches_its_user_and_a_group_alert_every_member() {
    let m = start().await;
    let admin = m.user("Admin@run3.example").await;
    let ann = m.user("Ann@run3.example").await;
    let bo = m.user("Bo@run3.example").await;
    let cy = m.user("Cy@run3.example").await;
    m.ok(
        "singleMessage",
        "single_message",
        Some(key(&admin)),
        json!({"jid": bo["jid"].as_str().unwrap().to_uppercase(), "message": "Just you"}),
    )
    .await;
    assert_eq!(
        m.last_delivery().await,
        vec![(bo["jid"].as_str().unwrap().to_owned(), "Just you".to_owned())]
    );
    let group = m.group("Night shift", &[&ann, &cy]).await;
    assert!(group.ends_with("@muc.run3.example"), "{group}");
    m.ok(
        "groupMessage",
        "group_message",
        Some(key(&admin)),
        json!({"jid": group, "message": "Shift starts"}),
    )
    .await;
    let outbox = m.outbox().await;
    let to: Vec<&str> = outbox[1..].iter().map(|a| a["to"].as_str().unwrap()).collect();
    assert_eq!(to, [ann["jid"].as_str().unwrap(), cy["jid"].as_str().unwrap()]);
    assert!(outbox[1..].iter().all(|a| a["group"] == group.as_str()));
    assert!(outbox[1..].iter().all(|a| a["via"] == "groupMessage"));
}

#[tokio::test]
async fn a_bad_apikey_or_an_unknown_jid_gets_error_and_delivers_nothing() {
    let m = start().await;
    let admin = m.user("Admin@run4.example").await;
    let ann = m.user("Ann@run4.example").await;
    let outsider = m.user("Out@run5.example").await;
    let to_ann = json!({"jid": ann["jid"], "message": "x"});
    for name in ["massBroadcast", "singleMessage", "groupMessage"] {
        for apikey in [None, Some(""), Some("j4w4tty4Lw80hAbAHQGKwto")] {
            let reply = m.fails(name, apikey, to_ann.clone(), StatusCode::UNAUTHORIZED, "").await;
            assert_eq!(reply, json!({"status": "Error", "description": "Unauthorized"}));
        }
    }
    let k = Some(key(&admin));
    m.fails(
        "singleMessage",
        k,
        json!({"jid": "nobody@run4.example", "message": "x"}),
        StatusCode::NOT_FOUND,
        "Unknown jid: nobody@run4.example",
    )
    .await;
    m.fails(
        "groupMessage",
        k,
        json!({"jid": "nogroup-1@muc.run4.example", "message": "x"}),
        StatusCode::NOT_FOUND,
        "Unknown jid",
    )
    .await;
    m.fails("groupMessage", k, to_ann.clone(), StatusCode::NOT_FOUND, "Unknown jid").await;
    m.fails(
        "singleMessage",
        k,
        json!({"jid": outsider["jid"], "message": "x"}),
        StatusCode::FORBIDDEN,
        "outside",
    )
    .await;
    assert!(m.outbox().await.is_empty());
}

#[tokio::test]
async fn a_mini_app_checks_sessions_as_they_open_and_end() {
    let m = start().await;
    let admin = m.user("Admin@run6.example").await;
    let ann = m.user("Ann@run6.example").await;
    let app = m
        .ok(
            "registerMiniApp",
            "register_mini_app",
            None,
            json!({
                "adminJid": admin["jid"], "sessionId": admin["sessionId"], "appName": "Pay",
                "appIcon": "data:image/png;base64,AAAA", "appUrl": "http://apps.example/"
            }),
        )
        .await;
    let ask = |session: &Value, api_key: &Value| json!({"jid": ann["jid"], "sessionId": session, "appId": app["appId"], "apiKey": api_key});
    assert_eq!(m.authenticated(ask(&ann["sessionId"], &app["apiKey"])).await, true);
    // Someone else's session, or none, is not Ann's.
    assert_eq!(m.authenticated(ask(&admin["sessionId"], &app["apiKey"])).await, false);
    assert_eq!(m.authenticated(ask(&json!("made-up"), &app["apiKey"])).await, false);
    // An ended session fails; a new one works.
    let sid = ann["sessionId"].as_str().unwrap();
    let (status, ended) = m.admin(Method::DELETE, &format!("/_mock/sessions/{sid}"), None).await;
    assert_eq!((status, ended["jid"].clone()), (StatusCode::OK, ann["jid"].clone()));
    assert_eq!(m.authenticated(ask(&ann["sessionId"], &app["apiKey"])).await, false);
    let (status, fresh) = m.admin(Method::POST, "/_mock/sessions", Some(json!({"jid": ann["jid"]}))).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(m.authenticated(ask(&fresh["sessionId"], &app["apiKey"])).await, true);
    // The seed gives authenticateUser the registerMiniApp URL: that works too.
    let (status, via_register) =
        m.call("registerMiniApp", None, ask(&fresh["sessionId"], &app["apiKey"])).await;
    assert_eq!(status, StatusCode::OK);
    check("response.authenticate_user", &via_register);
    assert_eq!(via_register["isAuthenticated"], true);
    // Wrong app credentials: Error, and not authenticated.
    let (status, wrong) = m.call("authenticateUser", None, ask(&fresh["sessionId"], &json!("wrong"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    check("error", &wrong);
    assert_eq!(wrong["isAuthenticated"], false);
    // A session that is not the admin's cannot register an app.
    m.fails(
        "registerMiniApp",
        None,
        json!({
            "adminJid": admin["jid"], "sessionId": fresh["sessionId"], "appName": "X",
            "appIcon": "i", "appUrl": "https://x.example/"
        }),
        StatusCode::UNAUTHORIZED,
        "Unauthorized",
    )
    .await;
    // The app's key relays alerts in its admin's domain.
    m.ok(
        "singleMessage",
        "single_message",
        app["apiKey"].as_str(),
        json!({"jid": ann["jid"], "message": "Paid"}),
    )
    .await;
    assert_eq!(m.outbox().await[0]["app_id"], app["appId"]);
}

#[tokio::test]
async fn bad_input_gets_the_error_reply() {
    let m = start().await;
    let admin = m.user("Admin").await;
    let url = |name: &str| format!("{}/onechat/api/{name}", m.base);
    let raw = |name: &str, body: &'static str| {
        m.http
            .post(url(name))
            .header("apikey", key(&admin))
            .header("content-type", "application/json")
            .body(body)
    };
    for body in ["{\"jid\": ", "[1]", "\"hi\"", "\u{0}"] {
        let resp = raw("singleMessage", body).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{body:?}");
        let v: Value = resp.json().await.unwrap();
        check("error", &v);
        assert!(v["description"].as_str().unwrap().starts_with("Malformed"));
    }
    let k = Some(key(&admin));
    for (body, text) in [
        (json!({"message": "x"}), "Missing mandatory field: jid"),
        (json!({"jid": "admin@onechat.net"}), "Missing mandatory field: message"),
        (json!({"jid": "admin@onechat.net", "message": "   "}), "Missing mandatory field: message"),
        (json!({"jid": ["admin@onechat.net"], "message": "x"}), "Invalid jid"),
        (json!({"jid": "admin@onechat.net", "message": 42}), "Invalid message"),
        (json!({"jid": "admin", "message": "x"}), "Invalid jid"),
    ] {
        m.fails("singleMessage", k, body, StatusCode::BAD_REQUEST, text).await;
    }
    m.fails(
        "registerMiniApp",
        None,
        json!({"adminJid": admin["jid"]}),
        StatusCode::BAD_REQUEST,
        "Missing mandatory field: sessionId",
    )
    .await;
    let huge = m
        .http
        .post(url("massBroadcast"))
        .header("apikey", key(&admin))
        .json(&json!({"domain": "onechat.net", "message": "x".repeat(2 * 1024 * 1024)}))
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
    check("error", &huge.json().await.unwrap());
    // "Make sure Http method is set to POST."
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        let resp = m.http.request(method, url("massBroadcast")).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(resp.headers()["allow"], "POST");
        check("error", &resp.json().await.unwrap());
    }
    for path in ["/onechat/api/nothing", "/", "/onechat/api/massBroadcast/extra"] {
        let resp = m.http.post(format!("{}{path}", m.base)).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{path}");
        check("error", &resp.json().await.unwrap());
    }
    // A key that is not visible ASCII is no key.
    let odd = m
        .http
        .post(url("singleMessage"))
        .header("apikey", reqwest::header::HeaderValue::from_bytes(b"\xffkey").unwrap())
        .json(&json!({"jid": "admin@onechat.net", "message": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(odd.status(), StatusCode::UNAUTHORIZED);
    check("error", &odd.json().await.unwrap());
    // A form body is read like JSON.
    let form = m
        .http
        .post(url("singleMessage"))
        .header("apikey", key(&admin))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("jid=admin%40onechat.net&message=Hi+from+a+form")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::OK);
    assert_eq!(m.last_delivery().await[0].1, "Hi from a form");
}

#[tokio::test]
async fn the_admin_api_provisions_groups_and_sessions_and_resets() {
    let m = start().await;
    let (status, health) = m.admin(Method::GET, "/_mock/health", None).await;
    assert_eq!((status, health["api"].clone()), (StatusCode::OK, json!("onechat")));
    let ann = m.user("Ann").await;
    let again = m.user("ann").await;
    assert_ne!(ann["jid"], again["jid"]);
    for bad in [
        json!({"name": "g", "members": []}),
        json!({"name": "g", "members": ["nobody@onechat.net"]}),
        json!({"members": [ann["jid"]]}),
        json!("not an object"),
    ] {
        let (status, err) = m.admin(Method::POST, "/_mock/groups", Some(bad)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
        assert_eq!(err["status"], "error");
    }
    let (status, named) = m
        .admin(
            Method::POST,
            "/_mock/groups",
            Some(json!({"name": "g", "members": [ann["jid"]], "jid": "abcdef-123456"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(named["jid"], "abcdef-123456@muc.onechat.net");
    let (status, _) = m.admin(Method::POST, "/_mock/sessions", Some(json!({"jid": "nobody@x.y"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = m.admin(Method::DELETE, "/_mock/sessions/unknown", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    m.admin(Method::POST, "/_mock/reset", None).await;
    m.fails(
        "singleMessage",
        Some(key(&ann)),
        json!({"jid": ann["jid"], "message": "x"}),
        StatusCode::UNAUTHORIZED,
        "Unauthorized",
    )
    .await;
}
