//! Black-box tests of the connectnow mock: the real server on `127.0.0.1:0`, driven over
//! HTTP as a client would, every reply checked against its committed schema.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use chatspec_mocks::connectnow::{self, Config, ConnectNow};
use chatspec_mocks::kit::{Clock, serve};
use chatspec_specs::{Registry, connectnow::ROUTES};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use time::macros::datetime;
use tokio_util::sync::CancellationToken;

/// Where a request carries its token.
#[derive(Clone, Copy, Debug)]
enum At {
    Query,
    Body,
    Form,
    Bearer,
}

/// A running mock and a client for it.
struct Mock {
    base: String,
    http: reqwest::Client,
    stop: CancellationToken,
    /// Route names whose success replies were checked against their schemas.
    seen: Arc<Mutex<BTreeSet<&'static str>>>,
}

impl Drop for Mock {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// A reply: status, headers and JSON body.
struct Reply {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

async fn start() -> Mock {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = serve::base_url(&listener).unwrap();
    let state = ConnectNow::new(Config::default(), Clock::fixed(datetime!(2026-03-01 09:00:00 UTC)));
    let stop = CancellationToken::new();
    tokio::spawn(connectnow::run(state, listener, stop.clone()));
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    Mock { base, http, stop, seen: Arc::default() }
}

impl Mock {
    /// Sends `method path` with `token` placed `at`, and `body` (JSON, or a form for
    /// `At::Form`).
    async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<(&str, &str, At)>,
        body: Option<Value>,
    ) -> Reply {
        let mut url = format!("{}{path}", self.base);
        let mut body = body;
        let mut bearer = None;
        let mut form = false;
        if let Some((name, value, at)) = token {
            match at {
                At::Query => {
                    let sep = if url.contains('?') { '&' } else { '?' };
                    url = format!("{url}{sep}{name}={value}");
                }
                At::Body | At::Form => {
                    let mut obj = body.take().unwrap_or_else(|| json!({}));
                    obj[name] = json!(value);
                    body = Some(obj);
                    form = matches!(at, At::Form);
                }
                At::Bearer => bearer = Some(value),
            }
        }
        let mut req = self.http.request(method, &url).header("accept", "application/json");
        if let Some(token) = bearer {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = if form {
                let pairs: Vec<(String, String)> = body
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().map_or(v.to_string(), str::to_owned)))
                    .collect();
                req.header("content-type", "application/x-www-form-urlencoded").body(
                    pairs.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&"),
                )
            } else {
                req.json(&body)
            };
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {text:?}"));
        Reply { status, headers, body }
    }

    /// A request with an API token in the query string.
    async fn api(&self, method: Method, path: &str, token: &str, body: Option<Value>) -> Reply {
        self.send(method, path, Some(("api_token", token, At::Query)), body).await
    }

    /// A request with a chat-user token in the query string.
    async fn member(&self, method: Method, path: &str, token: &str, body: Option<Value>) -> Reply {
        self.send(method, path, Some(("chat_user_token", token, At::Query)), body).await
    }

    /// Asserts the route's success status and that the body fits `response.<route>`.
    fn ok(&self, route: &'static str, reply: &Reply) -> Value {
        let expected = ROUTES.iter().find(|r| r.name == route).unwrap().status;
        assert_eq!(reply.status.as_u16(), expected, "{route}: {}", reply.body);
        check("connectnow", &format!("response.{route}"), &reply.body);
        self.seen.lock().unwrap().insert(route);
        reply.body.clone()
    }

    async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        assert!(resp.status().is_success(), "{path}: {}", resp.status());
        resp.json().await.unwrap()
    }

    /// Provisions an account; returns its API token and user id.
    async fn account(&self, name: &str) -> (String, u64) {
        let v = self.admin(Method::POST, "/_mock/users", Some(json!({"name": name}))).await;
        check("connectnow", "record.user", &v["user"]);
        (v["api_token"].as_str().unwrap().to_owned(), v["user"]["id"].as_u64().unwrap())
    }

    async fn outbox(&self) -> Vec<Value> {
        let v = self.admin(Method::GET, "/_mock/outbox", None).await;
        v["outbox"].as_array().unwrap().clone()
    }

    /// The newest code mailed to `email`.
    async fn code_for(&self, email: &str) -> u64 {
        self.outbox().await.iter().rev().find(|m| m["to"] == email).unwrap()["auth_code"].as_u64().unwrap()
    }

    async fn advance(&self, seconds: i64) {
        self.admin(Method::POST, "/_mock/clock/advance", Some(json!({"seconds": seconds}))).await;
    }

    /// A company and a chat of the account; returns the chat id.
    async fn chat(&self, token: &str) -> u64 {
        let company = self.api(Method::POST, "/api/companies", token, Some(json!({"name": "Acme"}))).await;
        let chat = self
            .api(
                Method::POST,
                "/api/chats",
                token,
                Some(json!({"company_id": company.body["id"], "name": "Support"})),
            )
            .await;
        assert_eq!(chat.status, StatusCode::CREATED, "{}", chat.body);
        chat.body["id"].as_u64().unwrap()
    }

    /// Adds a chat user and exchanges its mailed code; returns its id and token.
    async fn join(&self, token: &str, chat: u64, email: &str) -> (u64, String) {
        let user = self
            .api(
                Method::POST,
                &format!("/api/chats/{chat}/users"),
                token,
                Some(json!({"name": "Someone", "email": email})),
            )
            .await;
        assert_eq!(user.status, StatusCode::CREATED, "{}", user.body);
        let code = self.code_for(email).await;
        let reply = self
            .send(
                Method::POST,
                &format!("/chats/{chat}/users/get-token"),
                None,
                Some(json!({"email": email, "auth-code": code})),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        (user.body["id"].as_u64().unwrap(), reply.body["chat_user_token"].as_str().unwrap().to_owned())
    }
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn check(api: &str, schema: &str, value: &Value) {
    if let Err(errors) = Registry::global().validate(api, schema, value) {
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        panic!("{schema}: {value}\n{}", text.join("\n"));
    }
}

/// Asserts an error reply: the status and the API's error body.
fn error(reply: &Reply, status: StatusCode) {
    assert_eq!(reply.status, status, "{}", reply.body);
    let schema = if status == StatusCode::UNPROCESSABLE_ENTITY { "error.validation" } else { "error" };
    check("connectnow", schema, &reply.body);
}

#[tokio::test]
async fn every_route_answers_with_its_documented_shape() {
    let m = start().await;
    let (ann, ann_id) = m.account("Ann").await;
    use Method as M;

    let me = m.api(M::GET, "/api/user", &ann, None).await;
    assert_eq!(m.ok("get_user", &me)["id"], ann_id);

    let company = m.api(M::POST, "/api/companies", &ann, Some(json!({"name": "Acme"}))).await;
    let company = m.ok("create_company", &company);
    assert_eq!(company["user_id"], ann_id);
    let cid = company["id"].as_u64().unwrap();
    let list = m.api(M::GET, "/api/companies", &ann, None).await;
    assert_eq!(m.ok("list_companies", &list)["data"][0], company);
    let one = m.api(M::GET, &format!("/api/companies/{cid}"), &ann, None).await;
    assert_eq!(m.ok("get_company", &one), company);
    let edited =
        m.api(M::PUT, &format!("/api/companies/{cid}"), &ann, Some(json!({"name": "Acme Ltd"}))).await;
    assert_eq!(m.ok("edit_company", &edited)["name"], "Acme Ltd");

    let chat = m.api(M::POST, "/api/chats", &ann, Some(json!({"company_id": cid, "name": "Support"}))).await;
    let chat = m.ok("create_chat", &chat);
    let chat_id = chat["id"].as_u64().unwrap();
    let list = m.api(M::GET, "/api/chats", &ann, None).await;
    assert_eq!(m.ok("list_chats", &list)["data"][0], chat);
    let one = m.api(M::GET, &format!("/api/chats/{chat_id}"), &ann, None).await;
    assert_eq!(m.ok("get_chat", &one), chat);
    let edited = m.api(M::PUT, &format!("/api/chats/{chat_id}"), &ann, Some(json!({"name": "Help"}))).await;
    assert_eq!(m.ok("edit_chat", &edited)["name"], "Help");
    let shared = m.api(M::POST, &format!("/chats/{chat_id}/share"), &ann, None).await;
    let password = m.ok("share", &shared)["password"].as_str().unwrap().to_owned();

    let users = format!("/api/chats/{chat_id}/users");
    let cy = m.api(M::POST, &users, &ann, Some(json!({"name": "Cy", "email": "cy@example.org"}))).await;
    let cy = m.ok("create_chat_user", &cy);
    let cy_id = cy["id"].as_u64().unwrap();
    let code = m.code_for("cy@example.org").await;
    let token = m
        .send(
            M::POST,
            &format!("/chats/{chat_id}/users/get-token"),
            None,
            Some(json!({"email": "cy@example.org", "auth-code": code})),
        )
        .await;
    let token = m.ok("get_token", &token);
    assert_eq!(token["chat_user"], cy);
    let cy_tok = token["chat_user_token"].as_str().unwrap().to_owned();
    let me = m.member(M::GET, "/api/chat-user", &cy_tok, None).await;
    assert_eq!(m.ok("get_chat_user_self", &me), cy);
    let list = m.member(M::GET, &users, &cy_tok, None).await;
    assert_eq!(m.ok("list_chat_users", &list)["data"][0], cy);
    let one = m.api(M::GET, &format!("{users}/{cy_id}"), &ann, None).await;
    assert_eq!(m.ok("get_chat_user", &one), cy);
    let edited = m.member(M::PUT, &format!("{users}/{cy_id}"), &cy_tok, Some(json!({"name": "Cyril"}))).await;
    assert_eq!(m.ok("edit_chat_user", &edited)["name"], "Cyril");
    let asked = m
        .send(
            M::POST,
            &format!("/chats/{chat_id}/users/request-code"),
            None,
            Some(json!({"email": "di@example.org", "password": password})),
        )
        .await;
    m.ok("request_auth_code", &asked);

    let messages = format!("/api/chats/{chat_id}/messages");
    let posted = m.member(M::POST, &messages, &cy_tok, Some(json!({"message": "hello"}))).await;
    let posted = m.ok("create_chat_message", &posted);
    assert_eq!(posted["chat_user_id"], cy_id);
    let mid = posted["id"].as_u64().unwrap();
    let list = m.api(M::GET, &messages, &ann, None).await;
    assert_eq!(m.ok("list_chat_messages", &list)["data"][0], posted);
    let one = m.member(M::GET, &format!("{messages}/{mid}"), &cy_tok, None).await;
    assert_eq!(m.ok("get_chat_message", &one), posted);
    let edited =
        m.member(M::PUT, &format!("{messages}/{mid}"), &cy_tok, Some(json!({"message": "hello!"}))).await;
    assert_eq!(m.ok("edit_chat_message", &edited)["message"], "hello!");
    let gone = m.member(M::DELETE, &format!("{messages}/{mid}"), &cy_tok, None).await;
    assert_eq!(m.ok("delete_chat_message", &gone)["id"], mid);
    let gone = m.api(M::DELETE, &format!("{users}/{cy_id}"), &ann, None).await;
    assert_eq!(m.ok("delete_chat_user", &gone)["id"], cy_id);
    let gone = m.api(M::DELETE, &format!("/api/chats/{chat_id}"), &ann, None).await;
    assert_eq!(m.ok("delete_chat", &gone)["id"], chat_id);
    let gone = m.api(M::DELETE, &format!("/api/companies/{cid}"), &ann, None).await;
    assert_eq!(m.ok("delete_company", &gone)["id"], cid);

    let seen = m.seen.lock().unwrap().clone();
    let all: BTreeSet<&str> = ROUTES.iter().map(|r| r.name).collect();
    assert_eq!(seen, all, "routes not exercised");
}

#[tokio::test]
async fn the_two_undocumented_prefixes_and_patch_are_accepted() {
    let m = start().await;
    let (ann, _) = m.account("Ann").await;
    let chat = m.chat(&ann).await;
    let shared = m.api(Method::POST, &format!("/api/chats/{chat}/share"), &ann, None).await;
    m.ok("share", &shared);
    let patched =
        m.api(Method::PATCH, &format!("/api/chats/{chat}"), &ann, Some(json!({"name": "Patched"}))).await;
    assert_eq!(m.ok("edit_chat", &patched)["name"], "Patched");
    m.api(
        Method::POST,
        &format!("/api/chats/{chat}/users"),
        &ann,
        Some(json!({"name": "Cy", "email": "cy@example.org"})),
    )
    .await;
    let code = m.code_for("cy@example.org").await;
    let token = m
        .send(
            Method::POST,
            &format!("/api/chats/{chat}/users/get-token"),
            None,
            Some(json!({"email": "cy@example.org", "auth-code": code})),
        )
        .await;
    m.ok("get_token", &token);
}

#[tokio::test]
async fn tokens_work_in_the_query_the_body_a_form_and_the_bearer_header() {
    let m = start().await;
    let (ann, ann_id) = m.account("Ann").await;
    let chat = m.chat(&ann).await;
    let (cy_id, cy) = m.join(&ann, chat, "cy@example.org").await;
    for at in [At::Query, At::Body, At::Form, At::Bearer] {
        let me = m.send(Method::GET, "/api/user", Some(("api_token", &ann, at)), None).await;
        assert_eq!(m.ok("get_user", &me)["id"], ann_id, "{at:?}");
        let me = m.send(Method::GET, "/api/chat-user", Some(("chat_user_token", &cy, at)), None).await;
        assert_eq!(m.ok("get_chat_user_self", &me)["id"], cy_id, "{at:?}");
        let made = m
            .send(
                Method::POST,
                "/api/companies",
                Some(("api_token", &ann, at)),
                Some(json!({"name": format!("Made via {at:?}")})),
            )
            .await;
        m.ok("create_company", &made);
        let posted = m
            .send(
                Method::POST,
                &format!("/api/chats/{chat}/messages"),
                Some(("chat_user_token", &cy, at)),
                Some(json!({"message": format!("via {at:?}")})),
            )
            .await;
        m.ok("create_chat_message", &posted);
    }
    // No token, an unknown one, the other kind, or a bad one before a good one: 401.
    let none = m.send(Method::GET, "/api/user", None, None).await;
    error(&none, StatusCode::UNAUTHORIZED);
    assert_eq!(none.body, json!({"message": "Unauthenticated."}));
    for (name, token, path) in [
        ("api_token", "nope", "/api/user"),
        ("api_token", cy.as_str(), "/api/user"),
        ("chat_user_token", ann.as_str(), "/api/chat-user"),
    ] {
        for at in [At::Query, At::Body, At::Bearer] {
            let r = m.send(Method::GET, path, Some((name, token, at)), None).await;
            error(&r, StatusCode::UNAUTHORIZED);
        }
    }
    let mixed =
        m.http.get(format!("{}/api/user?api_token=wrong", m.base)).bearer_auth(&ann).send().await.unwrap();
    assert_eq!(mixed.status(), StatusCode::UNAUTHORIZED);
    // Posting a message takes a chat-user token, not an API token.
    let by_account = m
        .api(Method::POST, &format!("/api/chats/{chat}/messages"), &ann, Some(json!({"message": "x"})))
        .await;
    error(&by_account, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn lists_are_paginated_fifteen_at_a_time_up_to_249() {
    let m = start().await;
    let (ann, _) = m.account("Ann").await;
    for n in 1..=20 {
        m.api(Method::POST, "/api/companies", &ann, Some(json!({"name": format!("Co {n}")}))).await;
    }
    let first = m.api(Method::GET, "/api/companies", &ann, None).await;
    let first = m.ok("list_companies", &first);
    let path = format!("{}/api/companies", m.base);
    assert_eq!(first["data"].as_array().unwrap().len(), 15);
    assert_eq!(first["data"][0]["name"], "Co 1");
    assert_eq!(first["current_page"], 1);
    assert_eq!(first["per_page"], 15);
    assert_eq!((first["from"].clone(), first["to"].clone()), (json!(1), json!(15)));
    assert_eq!(first["path"], path);
    assert_eq!(first["first_page_url"], format!("{path}?page=1"));
    assert_eq!(first["prev_page_url"], Value::Null);
    let next = first["next_page_url"].as_str().unwrap();
    assert_eq!(next, format!("{path}?page=2"));
    assert!(!next.contains(&ann), "a page link must not carry the token");
    // The next link works as given, with the token added.
    let second = m.http.get(next).bearer_auth(&ann).send().await.unwrap().json::<Value>().await.unwrap();
    assert_eq!(second["data"].as_array().unwrap().len(), 5);
    assert_eq!((second["from"].clone(), second["to"].clone()), (json!(16), json!(20)));
    assert_eq!(second["next_page_url"], Value::Null);
    assert_eq!(second["prev_page_url"], format!("{path}?page=1"));

    let sized = m.api(Method::GET, "/api/companies?per_page=7&page=3", &ann, None).await;
    let sized = m.ok("list_companies", &sized);
    assert_eq!(sized["data"].as_array().unwrap().len(), 6);
    assert_eq!(sized["from"], 15);
    assert_eq!(sized["prev_page_url"], format!("{path}?page=2&per_page=7"));
    let all = m.api(Method::GET, "/api/companies?per_page=249", &ann, None).await;
    assert_eq!(m.ok("list_companies", &all)["data"].as_array().unwrap().len(), 20);
    let past = m.api(Method::GET, "/api/companies?page=5", &ann, None).await;
    let past = m.ok("list_companies", &past);
    assert_eq!(past["data"], json!([]));
    assert_eq!((past["from"].clone(), past["to"].clone()), (Value::Null, Value::Null));
    for bad in ["per_page=250", "per_page=0", "page=0", "page=two"] {
        let r = m.api(Method::GET, &format!("/api/companies?{bad}"), &ann, None).await;
        error(&r, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[tokio::test]
async fn tokens_act_only_on_their_own_data() {
    let m = start().await;
    let (ann, _) = m.account("Ann").await;
    let (bob, _) = m.account("Bob").await;
    let ann_chat = m.chat(&ann).await;
    let bob_chat = m.chat(&bob).await;
    let (_, cy) = m.join(&ann, ann_chat, "cy@example.org").await;
    let (di_id, _) = m.join(&bob, bob_chat, "di@example.org").await;
    let ann_company =
        m.api(Method::GET, "/api/companies", &ann, None).await.body["data"][0]["id"].as_u64().unwrap();

    // Bob sees none of Ann's records, and lists hold only his own.
    for (method, path) in [
        (Method::GET, format!("/api/companies/{ann_company}")),
        (Method::PUT, format!("/api/companies/{ann_company}")),
        (Method::DELETE, format!("/api/companies/{ann_company}")),
        (Method::GET, format!("/api/chats/{ann_chat}")),
        (Method::DELETE, format!("/api/chats/{ann_chat}")),
        (Method::GET, format!("/api/chats/{ann_chat}/users")),
        (Method::GET, format!("/api/chats/{ann_chat}/messages")),
        (Method::POST, format!("/chats/{ann_chat}/share")),
    ] {
        let r = m.api(method.clone(), &path, &bob, Some(json!({"name": "x"}))).await;
        error(&r, StatusCode::FORBIDDEN);
    }
    let listed = m.api(Method::GET, "/api/chats", &bob, None).await;
    let ids: Vec<u64> = m.ok("list_chats", &listed)["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [bob_chat]);
    let into_other = m
        .api(Method::POST, "/api/chats", &bob, Some(json!({"company_id": ann_company, "name": "sneaky"})))
        .await;
    error(&into_other, StatusCode::FORBIDDEN);

    // A chat-user token acts only in its own chat.
    for path in [
        format!("/api/chats/{bob_chat}"),
        format!("/api/chats/{bob_chat}/users"),
        format!("/api/chats/{bob_chat}/users/{di_id}"),
        format!("/api/chats/{bob_chat}/messages"),
    ] {
        let r = m.member(Method::GET, &path, &cy, None).await;
        error(&r, StatusCode::FORBIDDEN);
    }
    let post = m
        .member(Method::POST, &format!("/api/chats/{bob_chat}/messages"), &cy, Some(json!({"message": "hi"})))
        .await;
    error(&post, StatusCode::FORBIDDEN);
    for path in ["/api/companies", "/api/chats", "/api/user"] {
        let r = m.member(Method::GET, path, &cy, None).await;
        error(&r, StatusCode::UNAUTHORIZED);
    }
    let own = m.member(Method::GET, &format!("/api/chats/{ann_chat}"), &cy, None).await;
    m.ok("get_chat", &own);
    let missing = m.api(Method::GET, "/api/chats/9999", &ann, None).await;
    error(&missing, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn authors_change_their_messages_and_the_account_moderates() {
    let m = start().await;
    let (ann, _) = m.account("Ann").await;
    let chat = m.chat(&ann).await;
    let (_, cy) = m.join(&ann, chat, "cy@example.org").await;
    let (di_id, di) = m.join(&ann, chat, "di@example.org").await;
    let path = format!("/api/chats/{chat}/messages");
    let posted = m.member(Method::POST, &path, &cy, Some(json!({"message": "mine"}))).await;
    let mid = posted.body["id"].as_u64().unwrap();
    let by_other =
        m.member(Method::PUT, &format!("{path}/{mid}"), &di, Some(json!({"message": "yours"}))).await;
    error(&by_other, StatusCode::FORBIDDEN);
    let by_other = m.member(Method::DELETE, &format!("{path}/{mid}"), &di, None).await;
    error(&by_other, StatusCode::FORBIDDEN);
    let by_other = m.member(Method::DELETE, &format!("/api/chats/{chat}/users/{di_id}"), &cy, None).await;
    error(&by_other, StatusCode::FORBIDDEN);
    let moderated =
        m.api(Method::PUT, &format!("{path}/{mid}"), &ann, Some(json!({"message": "[removed]"}))).await;
    assert_eq!(m.ok("edit_chat_message", &moderated)["message"], "[removed]");
    let deleted = m.api(Method::DELETE, &format!("{path}/{mid}"), &ann, None).await;
    m.ok("delete_chat_message", &deleted);
    let gone = m.member(Method::GET, &format!("{path}/{mid}"), &cy, None).await;
    error(&gone, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_auth_code_arrives_by_mail_expires_and_works_once() {
    let m = start().await;
    let (ann, _) = m.account("Ann").await;
    let chat = m.chat(&ann).await;
    let get_token = format!("/chats/{chat}/users/get-token");
    let created = m
        .api(
            Method::POST,
            &format!("/api/chats/{chat}/users"),
            &ann,
            Some(json!({"name": "Cy", "email": "cy@example.org"})),
        )
        .await;
    let cy_id = created.body["id"].as_u64().unwrap();
    let mail = m.outbox().await.last().unwrap().clone();
    assert_eq!(mail["kind"], "email");
    assert_eq!(mail["to"], "cy@example.org");
    assert_eq!(mail["chat_id"], chat);
    assert_eq!(mail["chat_user_id"], cy_id);
    let code = mail["auth_code"].as_u64().unwrap();
    assert!(mail["body"].as_str().unwrap().contains(&code.to_string()));

    // Expired after ten minutes of the mock clock.
    m.advance(600).await;
    let late = m
        .send(Method::POST, &get_token, None, Some(json!({"email": "cy@example.org", "auth-code": code})))
        .await;
    error(&late, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(late.body["errors"]["auth-code"].is_array());

    // A new code, asked for with the chat password, works once, as a form too.
    let password = m.api(Method::POST, &format!("/chats/{chat}/share"), &ann, None).await.body["password"]
        .as_str()
        .unwrap()
        .to_owned();
    let wrong = m
        .send(
            Method::POST,
            &format!("/chats/{chat}/users/request-code"),
            None,
            Some(json!({"email": "cy@example.org", "password": "guess"})),
        )
        .await;
    error(&wrong, StatusCode::UNPROCESSABLE_ENTITY);
    let asked = m
        .send(
            Method::POST,
            &format!("/chats/{chat}/users/request-code"),
            None,
            Some(json!({"email": "cy@example.org", "password": password})),
        )
        .await;
    m.ok("request_auth_code", &asked);
    let fresh = m.code_for("cy@example.org").await;
    m.advance(599).await;
    let first = m
        .send(
            Method::POST,
            &get_token,
            Some(("email", "cy@example.org", At::Form)),
            Some(json!({"auth-code": fresh.to_string()})),
        )
        .await;
    assert_eq!(m.ok("get_token", &first)["chat_user"]["id"], cy_id);
    let again = m
        .send(Method::POST, &get_token, None, Some(json!({"email": "cy@example.org", "auth-code": fresh})))
        .await;
    error(&again, StatusCode::UNPROCESSABLE_ENTITY);
    let missing = m.send(Method::POST, &get_token, None, Some(json!({}))).await;
    error(&missing, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        missing.body["errors"],
        json!({"auth-code": ["The auth-code field is required."], "email": ["The email field is required."]})
    );
    let no_chat = m
        .send(
            Method::POST,
            "/chats/9999/users/get-token",
            None,
            Some(json!({"email": "cy@example.org", "auth-code": fresh})),
        )
        .await;
    error(&no_chat, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn deleting_a_chat_takes_its_users_and_messages_with_it() {
    let m = start().await;
    let (ann, _) = m.account("Ann").await;
    let doomed = m.chat(&ann).await;
    let kept = m.chat(&ann).await;
    let (cy_id, cy) = m.join(&ann, doomed, "cy@example.org").await;
    let (_, di) = m.join(&ann, kept, "di@example.org").await;
    m.member(Method::POST, &format!("/api/chats/{doomed}/messages"), &cy, Some(json!({"message": "bye"})))
        .await;
    m.member(
        Method::POST,
        &format!("/api/chats/{kept}/messages"),
        &di,
        Some(json!({"message": "still here"})),
    )
    .await;
    let deleted = m.api(Method::DELETE, &format!("/api/chats/{doomed}"), &ann, None).await;
    m.ok("delete_chat", &deleted);
    for path in [
        format!("/api/chats/{doomed}"),
        format!("/api/chats/{doomed}/users/{cy_id}"),
        format!("/api/chats/{doomed}/messages"),
    ] {
        let r = m.api(Method::GET, &path, &ann, None).await;
        error(&r, StatusCode::NOT_FOUND);
    }
    let orphan = m.member(Method::GET, "/api/chat-user", &cy, None).await;
    error(&orphan, StatusCode::UNAUTHORIZED);
    let state = m.admin(Method::GET, "/_mock/state", None).await;
    assert!(state["chat_users"].as_object().unwrap().values().all(|u| u["chat_id"] == kept));
    assert!(state["messages"].as_object().unwrap().values().all(|msg| msg["chat_id"] == kept));
    let kept_messages = m.member(Method::GET, &format!("/api/chats/{kept}/messages"), &di, None).await;
    assert_eq!(m.ok("list_chat_messages", &kept_messages)["data"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn bad_input_gets_the_apis_own_error_bodies() {
    let m = start().await;
    let (ann, _) = m.account("Ann").await;
    let url = |path: &str| format!("{}{path}?api_token={ann}", m.base);
    // Malformed, non-object and oversized bodies.
    for (body, status) in [
        ("{\"name\": ", StatusCode::UNPROCESSABLE_ENTITY),
        ("[1, 2]", StatusCode::UNPROCESSABLE_ENTITY),
        ("\"Acme\"", StatusCode::UNPROCESSABLE_ENTITY),
        ("\u{0}\u{1}", StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let r = m
            .http
            .post(url("/api/companies"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), status, "{body:?}");
        let v: Value = r.json().await.unwrap();
        check("connectnow", "error.validation", &v);
        assert!(v["errors"]["body"].is_array());
    }
    let huge = m
        .http
        .post(url("/api/companies"))
        .header("content-type", "application/json")
        .body(format!("{{\"name\": \"{}\"}}", "x".repeat(2 * 1024 * 1024)))
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
    check("connectnow", "error", &huge.json().await.unwrap());
    // Wrong types and missing fields name every bad field.
    let r = m.api(Method::POST, "/api/chats", &ann, Some(json!({"company_id": "abc", "name": 3}))).await;
    error(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.body,
        json!({
            "message": "The company id must be an integer. (and 1 more error)",
            "errors": {
                "company_id": ["The company id must be an integer."],
                "name": ["The name must be a string."]
            }
        })
    );
    let chat = m.chat(&ann).await;
    let r = m
        .api(
            Method::POST,
            &format!("/api/chats/{chat}/users"),
            &ann,
            Some(json!({"email": "not an address"})),
        )
        .await;
    error(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.body["errors"],
        json!({"email": ["The email must be a valid email address."], "name": ["The name field is required."]})
    );
    // Wrong methods, unknown paths, non-numeric ids.
    for (method, path, allow) in [
        (Method::DELETE, "/api/companies", "GET, HEAD, POST"),
        (Method::POST, "/api/companies/1", "GET, HEAD, PUT, PATCH, DELETE"),
        (Method::GET, "/chats/1/users/get-token", "POST"),
        (Method::PUT, "/chats/1/share", "POST"),
        (Method::POST, "/api/user", "GET, HEAD"),
    ] {
        let r = m.api(method, path, &ann, None).await;
        error(&r, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(r.headers["allow"], allow, "{path}");
    }
    for path in [
        "/api/nothing",
        "/",
        "/api/companies/1/extra",
        "/api/companies/abc",
        "/api/chats/-1",
        "/api/companies/%FF",
        "/api/chats/99999999999999999999999",
    ] {
        let r = m.api(Method::GET, path, &ann, None).await;
        error(&r, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn the_rate_limit_is_off_until_set_and_then_answers_429() {
    let m = start().await;
    let (ann, _) = m.account("Ann").await;
    for _ in 0..100 {
        let r = m.api(Method::GET, "/api/user", &ann, None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.headers.get("x-ratelimit-limit").is_none());
    }
    let set = m.admin(Method::POST, "/_mock/rate-limit", Some(json!({"per_minute": 3}))).await;
    assert_eq!(set, json!({"per_minute": 3}));
    for remaining in ["2", "1", "0"] {
        let r = m.api(Method::GET, "/api/user", &ann, None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.headers["x-ratelimit-limit"], "3");
        assert_eq!(r.headers["x-ratelimit-remaining"], remaining);
    }
    let over = m.api(Method::GET, "/api/user", &ann, None).await;
    error(&over, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(over.body, json!({"message": "Too Many Attempts."}));
    assert_eq!(over.headers["retry-after"], "60");
    // Another caller counts apart; a minute later the window is new.
    let (bob, _) = m.account("Bob").await;
    let r = m.api(Method::GET, "/api/user", &bob, None).await;
    assert_eq!(r.status, StatusCode::OK);
    m.advance(60).await;
    let r = m.api(Method::GET, "/api/user", &ann, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let off = m.admin(Method::POST, "/_mock/rate-limit", Some(json!({"per_minute": null}))).await;
    assert_eq!(off, json!({"per_minute": null}));
    assert_eq!(m.admin(Method::GET, "/_mock/rate-limit", None).await, json!({"per_minute": null}));
}

#[tokio::test]
async fn reset_empties_the_state_and_health_names_the_api() {
    let m = start().await;
    let health = m.admin(Method::GET, "/_mock/health", None).await;
    assert_eq!(health["api"], "connectnow");
    let (ann, _) = m.account("Ann").await;
    let chat = m.chat(&ann).await;
    m.join(&ann, chat, "cy@example.org").await;
    assert_eq!(m.outbox().await.len(), 1);
    m.admin(Method::POST, "/_mock/reset", None).await;
    assert!(m.outbox().await.is_empty());
    let r = m.api(Method::GET, "/api/user", &ann, None).await;
    error(&r, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn concurrent_creates_lose_nothing_and_ids_stay_sequential() {
    let m = Arc::new(start().await);
    let (ann, _) = m.account("Ann").await;
    let mut tasks = Vec::new();
    for n in 0..32 {
        let (m, ann) = (m.clone(), ann.clone());
        tasks.push(tokio::spawn(async move {
            let r =
                m.api(Method::POST, "/api/companies", &ann, Some(json!({"name": format!("Co {n}")}))).await;
            assert_eq!(r.status, StatusCode::CREATED);
            r.body["id"].as_u64().unwrap()
        }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        ids.push(t.await.unwrap());
    }
    ids.sort_unstable();
    assert_eq!(ids, (1..=32).collect::<Vec<u64>>());
    let all = m.api(Method::GET, "/api/companies?per_page=249", &ann, None).await;
    assert_eq!(all.body["data"].as_array().unwrap().len(), 32);
}
