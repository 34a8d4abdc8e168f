//! The admin API `/_mock/*` of every mock against its contract, the JSON Schemas under
//! `specs/schemas/admin/` (`specs/src/admin/`, `docs/admin-api.md`): each mock runs on
//! `127.0.0.1:0` with a fixed clock, every admin route is called over HTTP, every request
//! body (the shapes `chatspec check` sends) and every reply is validated, and a violation
//! names its JSON path. Each reply also shows that its schema bites: without any one of its
//! required fields, it is refused.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/tls.rs"]
mod tls;

use std::future::Future;

use chatspec_mocks::kit::{Clock, serve};
use chatspec_mocks::{connectnow, onechat, sama, unichat};
use chatspec_specs::{Registry, admin};
use futures::{SinkExt, StreamExt};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use time::macros::datetime;
use tokio_tungstenite::tungstenite::Message;
use tokio_util::sync::CancellationToken;

/// The fixed time every mock starts at, and the same time one minute later.
const START: &str = "2026-03-01T09:00:00Z";
const ONE_MINUTE_LATER: &str = "2026-03-01T09:01:00Z";

fn clock() -> Clock {
    Clock::fixed(datetime!(2026-03-01 09:00:00 UTC))
}

/// A running mock, stopped when dropped.
struct Mock {
    api: &'static str,
    base: String,
    http: reqwest::Client,
    stop: CancellationToken,
}

impl Drop for Mock {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

async fn start<F, Fut>(api: &'static str, run: F) -> Mock
where
    F: FnOnce(tokio::net::TcpListener, CancellationToken) -> Fut,
    Fut: Future<Output = std::io::Result<()>> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = serve::base_url(&listener).unwrap();
    let stop = CancellationToken::new();
    tokio::spawn(run(listener, stop.clone()));
    let http = tls::http_client().no_proxy().build().unwrap();
    Mock { api, base, http, stop }
}

/// The violations of `instance` against `admin/<schema>`, one line each with its JSON path.
fn violations(schema: &str, instance: &Value) -> Vec<String> {
    match Registry::global().validate(admin::API, schema, instance) {
        Ok(()) => Vec::new(),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

/// Panics, naming each JSON path, unless `instance` satisfies `admin/<schema>`.
fn valid(schema: &str, instance: &Value) {
    let errors = violations(schema, instance);
    assert!(errors.is_empty(), "{instance}\nbreaks admin/{schema}:\n{}", errors.join("\n"));
}

/// The committed schema `admin/<name>` as JSON.
fn schema_of(name: &str) -> Value {
    let (_, schema) = admin::schemas().into_iter().find(|(n, _)| n == name).expect("a schema of that name");
    schema.to_value()
}

/// The schema bites: `reply` without any one of the schema's required top-level fields is
/// refused, with a violation that names the field.
fn each_required_field_is_needed(schema: &str, reply: &Value) {
    let required = schema_of(schema)["required"].as_array().cloned().unwrap_or_default();
    for field in required.iter().filter_map(Value::as_str) {
        let mut broken = reply.clone();
        broken.as_object_mut().unwrap().remove(field);
        let errors = violations(schema, &broken);
        assert!(
            errors.iter().any(|e| e.contains(field)),
            "admin/{schema} takes a reply without {field:?}: {broken} ({errors:?})"
        );
    }
}

impl Mock {
    /// `method path` with `body` (checked first against `admin/<request>` when named); the
    /// reply must have `status` and satisfy `admin/<reply>`. Returns the reply's JSON.
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<(Value, Option<&str>)>,
        status: StatusCode,
        reply: &str,
    ) -> Value {
        let mut req = self.http.request(method.clone(), format!("{}{path}", self.base));
        if let Some((body, request)) = body {
            if let Some(request) = request {
                valid(request, &body);
            }
            req = req.json(&body);
        }
        let resp = req.send().await.unwrap();
        let got = resp.status();
        let text = resp.text().await.unwrap();
        assert_eq!(got, status, "{}: {method} {path}: {text}", self.api);
        let json: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: {method} {path}: not JSON ({e}): {text}", self.api));
        valid(reply, &json);
        json
    }

    async fn get(&self, path: &str, reply: &str) -> Value {
        self.call(Method::GET, path, None, StatusCode::OK, reply).await
    }

    /// A refused call: 400 and the admin error shape.
    async fn refused(&self, method: Method, path: &str, body: Value) -> Value {
        self.call(method, path, Some((body, None)), StatusCode::BAD_REQUEST, "error").await
    }

    /// `POST /_mock/users {"name"}` as the harness sends it; the API's credentials.
    async fn user(&self, name: &str) -> Value {
        let schema = format!("{}.response.users", self.api);
        let body = json!({"name": name});
        self.call(
            Method::POST,
            "/_mock/users",
            Some((body, Some("request.users"))),
            StatusCode::CREATED,
            &schema,
        )
        .await
    }

    async fn outbox(&self) -> Vec<Value> {
        let reply = self.get("/_mock/outbox", &format!("{}.response.outbox", self.api)).await;
        reply["outbox"].as_array().unwrap().clone()
    }

    /// The routes every API shares: health, users (and their refusals), the clock, the
    /// state, the fault injection, and a reset that empties the outbox and resets the clock.
    async fn shared_routes(&self) {
        let health = self.get("/_mock/health", "response.health").await;
        assert_eq!((health["api"].as_str(), health["now"].as_str()), (Some(self.api), Some(START)));
        each_required_field_is_needed("response.health", &health);

        let user = self.user("Ann Lee").await;
        each_required_field_is_needed(&format!("{}.response.users", self.api), &user);
        let error = self.refused(Method::POST, "/_mock/users", json!({"name": " "})).await;
        each_required_field_is_needed("error", &error);
        assert!(!violations("request.users", &json!({"name": ""})).is_empty());
        self.refused(Method::POST, "/_mock/users", json!({"nick": "Ann"})).await;
        assert!(!violations("request.users", &json!({"nick": "Ann"})).is_empty());

        let advance = json!({"seconds": 60});
        let moved = self
            .call(
                Method::POST,
                "/_mock/clock/advance",
                Some((advance, Some("request.clock_advance"))),
                StatusCode::OK,
                "response.clock_advance",
            )
            .await;
        assert_eq!(moved["now"], ONE_MINUTE_LATER, "{}", self.api);
        each_required_field_is_needed("response.clock_advance", &moved);
        let health = self.get("/_mock/health", "response.health").await;
        assert_eq!(health["now"], ONE_MINUTE_LATER, "{}: health tells the moved clock", self.api);
        self.refused(Method::POST, "/_mock/clock/advance", json!({"seconds": -1})).await;
        assert!(!violations("request.clock_advance", &json!({"seconds": -1})).is_empty());
        // The clock alone goes back: the user provisioned above is still there.
        let back = self
            .call(Method::POST, "/_mock/clock/reset", None, StatusCode::OK, "response.clock_advance")
            .await;
        assert_eq!(back["now"], START, "{}: the clock is back where it started", self.api);
        let health = self.get("/_mock/health", "response.health").await;
        assert_eq!(health["now"], START, "{}: health tells the clock put back", self.api);
        let state = self.get("/_mock/state", "response.state").await;
        assert!(state.to_string().contains("Ann"), "{}: a clock reset keeps the state: {state}", self.api);
        self.call(
            Method::POST,
            "/_mock/clock/advance",
            Some((json!({"seconds": 60}), Some("request.clock_advance"))),
            StatusCode::OK,
            "response.clock_advance",
        )
        .await;

        let state = self.get("/_mock/state", "response.state").await;
        assert!(!violations("response.state", &json!([state])).is_empty());

        self.faults().await;
    }

    /// `/_mock/faults` (optional for a real server): arm, list, clear.
    async fn faults(&self) {
        let fault = json!({"kind": "server_error", "status": 503, "route": "/nowhere", "times": 2});
        let armed = self
            .call(
                Method::POST,
                "/_mock/faults",
                Some((fault, Some("faults.request.arm"))),
                StatusCode::CREATED,
                "faults.response.arm",
            )
            .await;
        assert_eq!(armed["ids"].as_array().map(Vec::len), Some(1), "{}: {armed}", self.api);
        let many = json!([{"kind": "delay", "ms": 1, "route": "/x/*"}, {"kind": "garbage", "route": "/y"}]);
        self.call(
            Method::POST,
            "/_mock/faults",
            Some((many, Some("faults.request.arm"))),
            StatusCode::CREATED,
            "faults.response.arm",
        )
        .await;
        let listing = self.get("/_mock/faults", "faults.response.list").await;
        assert_eq!(listing["armed"].as_array().map(Vec::len), Some(3), "{}: {listing}", self.api);
        each_required_field_is_needed("faults.response.list", &listing);
        let bad = json!({"kind": "server_error", "status": 404, "route": "/x"});
        assert!(!violations("faults.request.arm", &bad).is_empty());
        self.refused(Method::POST, "/_mock/faults", bad).await;
        let cleared = self.http.delete(format!("{}/_mock/faults", self.base)).send().await.unwrap();
        assert_eq!(cleared.status(), StatusCode::NO_CONTENT, "{}", self.api);
    }

    /// `POST /_mock/reset`: the outbox is empty again and the clock is back at the start.
    async fn reset(&self) {
        let done = self.call(Method::POST, "/_mock/reset", None, StatusCode::OK, "response.reset").await;
        each_required_field_is_needed("response.reset", &done);
        assert!(self.outbox().await.is_empty(), "{}: a reset empties the outbox", self.api);
        let health = self.get("/_mock/health", "response.health").await;
        assert_eq!(health["now"], START, "{}: a reset resets the clock", self.api);
    }
}

#[tokio::test]
async fn unichat_serves_the_admin_contract() {
    let config = unichat::Config::default();
    let state = unichat::Unichat::new(config, clock(), unichat::transport::DEFAULT_PING);
    let m = start("unichat", move |l, s| unichat::run(state, l, s)).await;
    m.shared_routes().await;
    // Unichat users have no device.
    let body = json!({"name": "Ann", "device_id": "browser-1"});
    valid("request.users", &body);
    m.refused(Method::POST, "/_mock/users", body).await;
    // Nothing goes out of band; an outbox with an item would break the contract.
    assert!(m.outbox().await.is_empty());
    assert!(!violations("unichat.response.outbox", &json!({"outbox": [{}]})).is_empty());
    m.reset().await;
}

#[tokio::test]
async fn connectnow_serves_the_admin_contract() {
    let state = connectnow::ConnectNow::new(connectnow::Config::default(), clock());
    let m = start("connectnow", move |l, s| connectnow::run(state, l, s)).await;
    m.shared_routes().await;

    // An account's chat user is e-mailed an auth code.
    let account = m.user("Acme").await;
    let token = account["api_token"].as_str().unwrap();
    let api = |method: Method, path: &str, body: Value| {
        m.http.request(method, format!("{}{path}", m.base)).bearer_auth(token).json(&body).send()
    };
    let company: Value =
        api(Method::POST, "/api/companies", json!({"name": "Acme"})).await.unwrap().json().await.unwrap();
    let chat: Value =
        api(Method::POST, "/api/chats", json!({"company_id": company["id"], "name": "Support"}))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    let path = format!("/api/chats/{}/users", chat["id"]);
    let member = api(Method::POST, &path, json!({"name": "Bo", "email": "bo@example.org"})).await.unwrap();
    assert_eq!(member.status(), StatusCode::CREATED);
    let outbox = m.outbox().await;
    let mail = outbox.iter().find(|e| e["to"] == "bo@example.org").expect("an e-mail to the chat user");
    assert!(mail["auth_code"].is_u64(), "{mail}");
    let reply = json!({"outbox": [mail]});
    each_required_field_is_needed("connectnow.response.outbox", &reply);
    // The code may come in `auth_code` or in the text, but in one of them.
    let mut no_code = mail.clone();
    no_code.as_object_mut().unwrap().remove("auth_code");
    valid("connectnow.response.outbox", &json!({"outbox": [no_code.clone()]}));
    no_code.as_object_mut().unwrap().remove("body");
    let errors = violations("connectnow.response.outbox", &json!({"outbox": [no_code]}));
    assert!(errors.iter().any(|e| e.starts_with("/outbox/0:")), "{errors:?}");

    // The rate limit: read, set, switch off; a body of the wrong type is refused by both.
    let limit = m.get("/_mock/rate-limit", "connectnow.response.rate_limit").await;
    each_required_field_is_needed("connectnow.response.rate_limit", &limit);
    for (per_minute, expect) in [(json!(5), json!(5)), (json!(null), json!(null))] {
        let body = json!({"per_minute": per_minute});
        let set = m
            .call(
                Method::POST,
                "/_mock/rate-limit",
                Some((body, Some("connectnow.request.rate_limit"))),
                StatusCode::OK,
                "connectnow.response.rate_limit",
            )
            .await;
        assert_eq!(set["per_minute"], expect);
    }
    let bad = json!({"per_minute": "many"});
    assert!(!violations("connectnow.request.rate_limit", &bad).is_empty());
    m.refused(Method::POST, "/_mock/rate-limit", bad).await;
    m.reset().await;
}

/// Sends one SAMA request on `ws` and returns its `response`.
async fn sama_request<S>(ws: &mut S, name: &str, params: Value) -> Value
where
    S: futures::Sink<Message>
        + futures::Stream<Item = Result<Message, tokio_tungstenite::tungstenite::Error>>
        + Unpin,
    <S as futures::Sink<Message>>::Error: std::fmt::Debug,
{
    let id = format!("{name}-1");
    ws.send(Message::text(json!({"request": {name: params, "id": id}}).to_string())).await.unwrap();
    let wait = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        while let Some(Ok(msg)) = ws.next().await {
            if let Message::Text(text) = msg {
                let frame: Value = serde_json::from_str(&text).unwrap();
                if frame["response"]["id"] == id.as_str() {
                    return frame["response"].clone();
                }
            }
        }
        panic!("the socket closed before the reply to {id}");
    });
    wait.await.expect("a reply within 5 s")
}

#[tokio::test]
async fn sama_serves_the_admin_contract() {
    let state = sama::Sama::new(sama::Config::default(), clock());
    let m = start("sama", move |l, s| sama::run(state, l, s)).await;
    m.shared_routes().await;

    // A user on a device the caller names.
    let body = json!({"name": "Ann", "device_id": "browser-1"});
    let ann = m
        .call(
            Method::POST,
            "/_mock/users",
            Some((body, Some("request.users"))),
            StatusCode::CREATED,
            "sama.response.users",
        )
        .await;
    assert_eq!(ann["device_id"], "browser-1");
    let bo = m.user("Bo").await;

    // Ann writes to Bo, who is offline (a push), and sends Bo a push event.
    let url = m.base.replacen("http://", "ws://", 1);
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("{url}/")).await.unwrap();
    let connect = json!({"token": ann["access_token"], "device_id": ann["device_id"]});
    assert_eq!(sama_request(&mut ws, "connect", connect).await["success"], true);
    let created = sama_request(
        &mut ws,
        "conversation_create",
        json!({"type": "u", "participants": [bo["user"]["_id"]]}),
    )
    .await;
    let cid = created["conversation"]["_id"].as_str().expect("a conversation").to_owned();
    ws.send(Message::text(json!({"message": {"id": "m1", "cid": cid, "body": "Hi Bo"}}).to_string()))
        .await
        .unwrap();
    let event = json!({"recipients_ids": [bo["user"]["_id"]], "message": {"title": "T", "body": "B"}});
    // Requests on one socket are answered in order: this reply follows the message's handling.
    assert!(sama_request(&mut ws, "push_event_create", event).await.get("event").is_some());
    let outbox = m.outbox().await;
    for kind in ["push", "push_event"] {
        let item = outbox.iter().find(|e| e["type"] == kind && e["to"] == bo["user"]["_id"]);
        let item = item.unwrap_or_else(|| panic!("a {kind} to Bo in {outbox:?}"));
        let reply = json!({"outbox": [item]});
        each_required_field_is_needed("sama.response.outbox", &reply);
        let mut broken = item.clone();
        broken.as_object_mut().unwrap().remove("to");
        let errors = violations("sama.response.outbox", &json!({"outbox": [broken]}));
        assert!(errors.iter().any(|e| e.starts_with("/outbox/0")), "{errors:?}");
    }
    m.reset().await;
}

#[tokio::test]
async fn onechat_serves_the_admin_contract() {
    let state = onechat::OneChat::new(clock());
    let m = start("onechat", move |l, s| onechat::run(state, l, s)).await;
    m.shared_routes().await;
    let admin_user = m.user("Admin@run1.example").await;
    let ann = m.user("Ann@run1.example").await;
    // OneChat users have no device.
    m.refused(Method::POST, "/_mock/users", json!({"name": "Cy@run1.example", "device_id": "d"})).await;

    let body = json!({"name": "ops-r1", "members": [admin_user["jid"], ann["jid"]]});
    let group = m
        .call(
            Method::POST,
            "/_mock/groups",
            Some((body, Some("onechat.request.groups"))),
            StatusCode::CREATED,
            "onechat.response.groups",
        )
        .await;
    each_required_field_is_needed("onechat.response.groups", &group);
    let nobody = json!({"name": "empty", "members": []});
    assert!(!violations("onechat.request.groups", &nobody).is_empty());
    m.refused(Method::POST, "/_mock/groups", nobody).await;

    let body = json!({"jid": ann["jid"]});
    let session = m
        .call(
            Method::POST,
            "/_mock/sessions",
            Some((body, Some("onechat.request.sessions"))),
            StatusCode::CREATED,
            "onechat.response.sessions",
        )
        .await;
    each_required_field_is_needed("onechat.response.sessions", &session);
    let path = format!("/_mock/sessions/{}", session["sessionId"].as_str().unwrap());
    let ended = m.call(Method::DELETE, &path, None, StatusCode::OK, "onechat.response.end_session").await;
    assert_eq!(ended["jid"], ann["jid"]);
    each_required_field_is_needed("onechat.response.end_session", &ended);
    m.call(Method::DELETE, &path, None, StatusCode::BAD_REQUEST, "error").await;

    let body = json!({"jid": ann["jid"], "password": "s3cret-pw"});
    let set = m
        .call(
            Method::POST,
            "/_mock/passwords",
            Some((body, Some("onechat.request.passwords"))),
            StatusCode::OK,
            "onechat.response.passwords",
        )
        .await;
    each_required_field_is_needed("onechat.response.passwords", &set);
    m.refused(Method::POST, "/_mock/passwords", json!({"jid": "nobody@run1.example", "password": "x"})).await;

    // An alert to Ann and one to the group: one outbox item per recipient.
    let apikey = admin_user["apikey"].as_str().unwrap();
    for (jid, text) in [(&ann["jid"], "Hi Ann"), (&group["jid"], "Hi ops")] {
        let call = if text == "Hi Ann" { "singleMessage" } else { "groupMessage" };
        let resp = m
            .http
            .post(format!("{}/onechat/api/{call}", m.base))
            .header("apikey", apikey)
            .json(&json!({"jid": jid, "message": text}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{call}");
    }
    let outbox = m.outbox().await;
    for (via, to) in [("singleMessage", &ann["jid"]), ("groupMessage", &admin_user["jid"])] {
        assert!(outbox.iter().any(|i| i["via"] == via && i["to"] == *to), "{via} to {to}: {outbox:?}");
    }
    for item in &outbox {
        each_required_field_is_needed("onechat.response.outbox", &json!({"outbox": [item]}));
        let mut broken = item.clone();
        broken.as_object_mut().unwrap().remove("via");
        let errors = violations("onechat.response.outbox", &json!({"outbox": [broken]}));
        assert!(errors.iter().any(|e| e.starts_with("/outbox/0:") && e.contains("via")), "{errors:?}");
    }
    m.reset().await;
}
