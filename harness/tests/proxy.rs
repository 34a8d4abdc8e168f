//! `chatspec proxy` between a client and a mock: a malformed request from a small client of
//! the test's own is reported with its rule; the Unichat suite (HTTP and SSE) and SAMA
//! scenarios (WebSocket) run through the proxy with zero violations; faults armed on the proxy
//! reach the client.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chatspec::proxy::{Direction, Proxy};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

/// A proxy for `api` in front of `upstream` on port 0; its base URL.
async fn proxy(api: &str, upstream: &str) -> (Proxy, String, CancellationToken) {
    common::run_proxy(Proxy::new(api, upstream, false).unwrap()).await
}

async fn provision(http: &reqwest::Client, base: &str, name: &str) -> String {
    let user = common::provision_user(http, base, name).await;
    user["auth_token"]
        .as_str()
        .or_else(|| user["token"].as_str())
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("{user}"))
}

#[tokio::test]
async fn a_malformed_request_is_reported_with_its_rule_and_the_client_at_fault() {
    let mock = common::start_unichat(&[]).await;
    let (p, base, stop) = proxy("unichat", &mock.base_url).await;
    let http = common::client();
    let token = provision(&http, &base, "Alice").await;
    let room: Value = http
        .post(format!("{base}/api/create_room"))
        .header("APP_DOMAIN_TOKEN", "test_token1")
        .header("USER_AUTH_TOKEN", &token)
        .body(r#"{"args": {"name": "r"}}"#)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(room["status"], "OK", "{room}");
    assert!(p.violations().is_empty(), "{:?}", p.violations());

    let uid = "u".repeat(65);
    let body = format!(
        r#"{{"args": {{"subscription_id": {}, "text": "hi", "uid": "{uid}"}}}}"#,
        room["subscription"]["id"]
    );
    let reply = http
        .post(format!("{base}/api/post_message"))
        .header("APP_DOMAIN_TOKEN", "test_token1")
        .header("USER_AUTH_TOKEN", &token)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 400, "the mock refuses it too, and the proxy passes the refusal on");
    let found = p.violations();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].direction, Direction::Client);
    assert_eq!(found[0].rule, "U-uid-max-64");
    assert_eq!(found[0].path, "/args/uid");
    assert!(found[0].quote.as_deref().unwrap().contains("Maximum allowed size is 64 characters"));
    let report = p.report();
    assert_eq!(report["violations"][0]["rule"], "U-uid-max-64");
    assert!(report["wire"].as_array().unwrap().iter().any(|e| e["kind"] == "violation"));
    stop.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_unichat_suite_passes_through_the_proxy_with_zero_violations() {
    let mock = common::start_unichat(&[]).await;
    let (p, base, stop) = proxy("unichat", &mock.base_url).await;
    // The timeouts of a normal run: the small factor of the broken-server tests is too tight
    // for 32 scenarios at once through one more hop on a busy machine.
    let mut target = common::target(&base, "unichat via proxy");
    target.timeout_factor = 1.0;
    let record = common::run(target, &[]).await;
    let bad = common::not_passed(&record);
    assert!(
        bad.is_empty(),
        "{} scenarios did not pass through the proxy:\n\n{}",
        bad.len(),
        bad.join("\n\n")
    );
    assert!(record.scenarios.len() >= 100, "only {} scenarios ran", record.scenarios.len());
    // The suite's negative scenarios send malformed requests on purpose: only the server
    // must be clean, and the events of the SSE streams must have passed.
    let server: Vec<_> = p.violations().into_iter().filter(|v| v.direction == Direction::Server).collect();
    assert!(server.is_empty(), "{} server violations: {server:#?}", server.len());
    let events = p
        .wire()
        .iter()
        .filter(|e| e.kind == "event" && e.summary.starts_with("unichat_notification"))
        .count();
    assert!(events > 50, "only {events} notifications passed the proxy");
    stop.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sama_scenarios_pass_through_the_proxy_over_websocket_with_zero_violations() {
    let mock = common::start_sama(&[]).await;
    let (p, base, stop) = proxy("sama", &mock.base_url).await;
    let mut target = common::sama_target(&base, "sama via proxy");
    target.timeout_factor = 1.0;
    let record = common::run_sama(target, &["messages", "conversations"]).await;
    let bad = common::not_passed(&record);
    assert!(
        bad.is_empty(),
        "{} scenarios did not pass through the proxy:\n\n{}",
        bad.len(),
        bad.join("\n\n")
    );
    let server: Vec<_> = p.violations().into_iter().filter(|v| v.direction == Direction::Server).collect();
    assert!(server.is_empty(), "{} server violations: {server:#?}", server.len());
    let frames = p.wire().iter().filter(|e| e.kind == "frame").count();
    assert!(frames > 50, "only {frames} frames passed the proxy");
    stop.cancel();
}

#[tokio::test]
async fn a_fault_armed_on_the_proxy_drops_a_reply_and_the_uid_retry_stores_one_message() {
    let mock = common::start_unichat(&[]).await;
    let (p, base, stop) = proxy("unichat", &mock.base_url).await;
    let http = common::client();
    let token = provision(&http, &base, "Alice").await;
    let post = |method: &str, args: Value| {
        http.post(format!("{base}/api/{method}"))
            .header("APP_DOMAIN_TOKEN", "test_token1")
            .header("USER_AUTH_TOKEN", &token)
            .json(&json!({"args": args}))
            .send()
    };
    let room: Value = post("create_room", json!({"name": "r"})).await.unwrap().json().await.unwrap();
    let sub = room["subscription"]["id"].as_u64().unwrap();
    let armed = http
        .post(format!("{base}/_mock/faults"))
        .json(&json!({"kind": "drop_reply", "route": "/api/post_message"}))
        .send()
        .await
        .unwrap();
    assert_eq!(armed.status(), 201);
    let args = json!({"subscription_id": sub, "text": "once", "uid": "u-1"});
    let first = match post("post_message", args.clone()).await {
        Ok(resp) => resp.json::<Value>().await.ok(),
        Err(_) => None,
    };
    assert!(first.is_none(), "the first reply is dropped: {first:?}");
    let retry: Value = post("post_message", args).await.unwrap().json().await.unwrap();
    assert_eq!(retry["status"], "OK");
    let group = room["subscription"]["group_id"].as_u64().unwrap();
    let messages: Value =
        post("get_messages", json!({"group_id": group})).await.unwrap().json().await.unwrap();
    let once = messages["messages"].as_array().unwrap().iter().filter(|m| m["text"] == "once").count();
    assert_eq!(once, 1, "{messages}");
    assert_eq!(p.faults().fired().len(), 1);
    assert!(p.report()["faults_fired"][0]["kind"] == "drop_reply");
    stop.cancel();
}

#[tokio::test]
async fn a_websocket_closed_by_a_fault_on_the_proxy_ends_with_a_close_frame() {
    use futures::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    let mock = common::start_sama(&[]).await;
    let (p, base, stop) = proxy("sama", &mock.base_url).await;
    let armed = common::client()
        .post(format!("{base}/_mock/faults"))
        .json(&json!({"kind": "close_stream", "route": "/*", "after": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(armed.status(), 201);
    let (mut ws, _) = tokio_tungstenite::connect_async(base.replacen("http", "ws", 1)).await.unwrap();
    let create = |id: &str| {
        Message::text(format!(
            r#"{{"request":{{"user_create":{{"login":"u{id}","password":"p4ssword{id}"}},"id":"{id}"}}}}"#
        ))
    };
    ws.send(create("1")).await.unwrap();
    let first =
        tokio::time::timeout(std::time::Duration::from_secs(5), ws.next()).await.unwrap().unwrap().unwrap();
    assert!(first.to_text().unwrap().contains("\"response\""), "{first:?}");
    ws.send(create("2")).await.unwrap();
    let cut =
        tokio::time::timeout(std::time::Duration::from_secs(5), ws.next()).await.unwrap().unwrap().unwrap();
    match cut {
        Message::Close(Some(frame)) => assert_eq!(u16::from(frame.code), 1001),
        other => panic!("expected the fault's Close frame, got {other:?}"),
    }
    assert_eq!(p.faults().fired().len(), 1);
    assert!(p.wire().iter().any(|e| e.kind == "fault"));
    stop.cancel();
}
