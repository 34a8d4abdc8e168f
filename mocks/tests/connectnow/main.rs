//! Black-box tests of the connectnow mock: the real server on `127.0.0.1:0`, driven over
//! HTTP as a client would, every reply checked against its committed schema. One file per
//! area of `features/connectnow/`; `routes` walks every route of `connectnow::Route`, `admin`
//! the admin API.
#![allow(clippy::unwrap_used)]

mod admin;
mod auth;
mod chat_messages;
mod chats;
mod companies;
mod errors;
mod pagination;
mod routes;
mod scoping;
#[path = "../common/tls.rs"]
mod tls;
mod tokens;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use chatspec_mocks::connectnow::{self, Config, ConnectNow};
use chatspec_mocks::kit::{Clock, serve};
use chatspec_specs::{Endpoints as _, Registry, connectnow::Route};
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
    /// Routes whose success replies were checked against their schemas.
    seen: Arc<Mutex<BTreeSet<Route>>>,
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
    let http = tls::http_client().no_proxy().build().unwrap();
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

    /// Asserts the route's declared success status and that the body fits its reply schema.
    fn ok(&self, route: Route, reply: &Reply) -> Value {
        assert_eq!(reply.status.as_u16(), route.meta().status, "{route}: {}", reply.body);
        check("connectnow", &route.reply_schema_name(), &reply.body);
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
