//! Fault injection on `chatspec serve` (`POST/GET/DELETE /_mock/faults`), driven over a real
//! socket on port 0 by a plain HTTP client, as a client developer's test would.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/tls.rs"]
mod tls;

use std::sync::Arc;
use std::time::Duration;

use chatspec_mocks::kit::{Clock, serve};
use chatspec_mocks::unichat::{self, Config, Unichat};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

struct Mock {
    state: Arc<Unichat>,
    base: String,
    stop: CancellationToken,
    http: reqwest::Client,
}

impl Drop for Mock {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

async fn start() -> Mock {
    let state = Unichat::new(Config::default(), Clock::system(), Duration::from_secs(60));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = serve::base_url(&listener).unwrap();
    let stop = CancellationToken::new();
    tokio::spawn(unichat::run(state.clone(), listener, stop.clone()));
    Mock { state, base, stop, http: tls::http_client().no_proxy().build().unwrap() }
}

impl Mock {
    fn token(&self, email: &str) -> String {
        let reply = self
            .state
            .call("register", Some("test_token1"), None, json!({"email": email, "password": "p"}))
            .unwrap();
        reply["user"]["auth_token"].as_str().unwrap().to_owned()
    }

    /// One call as a client sends it; `Err` when no complete reply came.
    async fn post(&self, token: &str, method: &str, args: Value) -> Result<Value, reqwest::Error> {
        let resp = self
            .http
            .post(format!("{}/api/{method}", self.base))
            .header("APP_DOMAIN_TOKEN", "test_token1")
            .header("USER_AUTH_TOKEN", token)
            .json(&json!({"args": args}))
            .send()
            .await?;
        resp.json().await
    }

    async fn arm(&self, fault: Value) -> reqwest::StatusCode {
        self.http.post(format!("{}/_mock/faults", self.base)).json(&fault).send().await.unwrap().status()
    }

    async fn listing(&self) -> Value {
        self.http.get(format!("{}/_mock/faults", self.base)).send().await.unwrap().json().await.unwrap()
    }
}

#[tokio::test]
async fn a_post_whose_reply_is_dropped_after_commit_is_retried_with_its_uid_and_stored_once() {
    let m = start().await;
    let alice = m.token("alice@x.io");
    let room = m.post(&alice, "create_room", json!({"name": "r"})).await.unwrap();
    let sub = room["subscription"]["id"].as_u64().unwrap();
    let group = room["subscription"]["group_id"].as_u64().unwrap();
    assert_eq!(
        m.arm(json!({"kind": "drop_reply", "route": "/api/post_message", "method": "POST", "times": 1}))
            .await,
        201
    );

    // The client of seed 001's "Why uid?": no reply, so it retries with the same uid.
    let args = json!({"subscription_id": sub, "text": "hello", "uid": "client-uid-1"});
    let mut attempts = 0;
    let reply = loop {
        attempts += 1;
        match m.post(&alice, "post_message", args.clone()).await {
            Ok(reply) => break reply,
            Err(_) if attempts < 3 => continue,
            Err(e) => panic!("no reply after {attempts} attempts: {e}"),
        }
    };
    assert_eq!(attempts, 2, "the first reply was dropped, the retry answered");
    assert_eq!(reply["status"], "OK", "{reply}");
    let messages = m.post(&alice, "get_messages", json!({"group_id": group})).await.unwrap();
    let texts: Vec<&str> =
        messages["messages"].as_array().unwrap().iter().filter_map(|m| m["text"].as_str()).collect();
    assert_eq!(texts.iter().filter(|t| **t == "hello").count(), 1, "exactly one message: {messages}");

    let listing = m.listing().await;
    assert_eq!(
        listing["fired"],
        json!([{"fault": 1, "kind": "drop_reply", "request": "POST /api/post_message"}])
    );
    assert_eq!(listing["armed"], json!([]), "a fault for the next 1 occurrence is spent");
}

#[tokio::test]
async fn server_errors_and_garbage_replace_replies_and_a_seed_repeats_the_draws() {
    let m = start().await;
    let alice = m.token("alice@x.io");
    m.arm(json!({"kind": "server_error", "status": 502, "route": "/api/get_subscriptions", "times": 1}))
        .await;
    let resp = m
        .http
        .post(format!("{}/api/get_subscriptions", m.base))
        .header("APP_DOMAIN_TOKEN", "test_token1")
        .header("USER_AUTH_TOKEN", &alice)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 502);
    m.arm(json!({"kind": "garbage", "route": "/api/*"})).await;
    assert!(m.post(&alice, "get_subscriptions", json!({})).await.is_err(), "garbage is no JSON");
    assert!(m.post(&alice, "get_subscriptions", json!({})).await.is_ok(), "then the fault is spent");

    // The same probability and seed fire on the same occurrences.
    let mut runs = Vec::new();
    for _ in 0..2 {
        let del = m.http.delete(format!("{}/_mock/faults", m.base)).send().await.unwrap();
        assert_eq!(del.status(), 204);
        m.arm(
            json!({"kind": "server_error", "route": "/api/get_subscriptions", "probability": 0.5, "seed": 7}),
        )
        .await;
        let mut fired = Vec::new();
        for _ in 0..16 {
            fired.push(m.post(&alice, "get_subscriptions", json!({})).await.is_err());
        }
        runs.push(fired);
    }
    assert_eq!(runs[0], runs[1]);
    assert!(runs[0].contains(&true) && runs[0].contains(&false), "{:?}", runs[0]);
}

#[tokio::test]
async fn a_bad_fault_is_refused_with_the_reason() {
    let m = start().await;
    for bad in [
        json!({"kind": "server_error", "status": 200, "route": "/api/*"}),
        json!({"kind": "nope", "route": "/api/*"}),
        json!({"kind": "delay", "ms": 5, "route": "/api/*", "probability": 2.0}),
        json!("not a fault"),
    ] {
        assert_eq!(m.arm(bad.clone()).await, 400, "{bad}");
    }
    assert_eq!(m.listing().await["armed"], json!([]));
}
