//! A Unichat SSE consumer that stops reading is dropped once its queue is full (NOTES.md U44):
//! its stream ends with a comment that says why, the user shows offline if that was their
//! only stream, and a reconnect with `Last-Event-ID` replays what is still in the window.
//! Another user's stream of the same room keeps every notification. No sleeps: the test posts
//! until the mock reports the stalled user offline, reading the other stream as it goes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use chatspec_mocks::kit::hub::{QUEUE_LIMIT, TOO_SLOW_REASON};
use common::{DOMAIN, Mock};
use eventsource_stream::Eventsource;
use futures::StreamExt;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// More notifications than the queue, the socket buffers of a 4 KiB receive window and the
/// mock's write buffers can hold: a stalled consumer is dropped well before.
const MAX_POSTS: usize = 20 * QUEUE_LIMIT;

fn is_online(m: &Mock, email: &str) -> bool {
    let user = m.state.call("login", DOMAIN, None, json!({"email": email, "password": "p"})).unwrap();
    user["user"]["is_online"].as_bool().unwrap()
}

#[tokio::test]
async fn a_stalled_sse_consumer_is_dropped_and_the_others_keep_receiving() {
    let m = Mock::start(Duration::from_secs(3600)).await;
    let (alice, bob, carol) = (m.user("alice@x.io"), m.user("bob@x.io"), m.user("carol@x.io"));
    let code = |t: &str| m.call(t, "create_sse_auth_code", json!({}))["code"].as_str().unwrap().to_owned();
    let users: Vec<Value> = ["alice@x.io", "bob@x.io"]
        .iter()
        .map(|e| {
            m.state.call("login", DOMAIN, None, json!({"email": e, "password": "p"})).unwrap()["user"]["id"]
                .clone()
        })
        .collect();
    let room = m.call(&carol, "create_room", json!({"name": "busy", "user_ids": users}));
    let sub = room["subscription"]["id"].as_u64().unwrap();

    // Alice's stream: a socket with a small receive window that reads up to the first event,
    // then stops reading.
    let addr = m.base.trim_start_matches("http://").to_owned();
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut stalled = socket.connect(addr.parse().unwrap()).await.unwrap();
    let request =
        format!("GET /sse/{} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n", code(&alice));
    stalled.write_all(request.as_bytes()).await.unwrap();
    let mut seen = Vec::new();
    while !String::from_utf8_lossy(&seen).contains("event_source_ready") {
        let mut buf = [0u8; 1024];
        let n = tokio::time::timeout(Duration::from_secs(5), stalled.read(&mut buf)).await.unwrap().unwrap();
        assert!(n > 0, "the stream ended before event_source_ready");
        seen.extend_from_slice(&buf[..n]);
    }
    assert!(is_online(&m, "alice@x.io"));

    // Bob's stream, read as a client library would.
    let resp = m.http.get(format!("{}/sse/{}", m.base, code(&bob))).send().await.unwrap();
    let mut events = Box::pin(resp.bytes_stream().eventsource());
    let mut next_text = async || loop {
        let e = tokio::time::timeout(Duration::from_secs(5), events.next()).await.unwrap().unwrap().unwrap();
        if e.event == "unichat_notification" {
            let data: Value = serde_json::from_str(&e.data).unwrap();
            return data["object"]["text"].as_str().unwrap_or_default().to_owned();
        }
    };

    let mut posts = 0;
    while is_online(&m, "alice@x.io") {
        assert!(posts < MAX_POSTS, "alice never read, yet her stream took {posts} notifications");
        m.call(&carol, "post_message", json!({"subscription_id": sub, "text": format!("m{posts}")}));
        assert_eq!(next_text().await, format!("m{posts}"), "bob misses nothing");
        posts += 1;
    }
    assert!(posts > QUEUE_LIMIT, "dropped after {posts} notifications: the queue holds {QUEUE_LIMIT}");
    m.call(&carol, "post_message", json!({"subscription_id": sub, "text": "after"}));
    assert_eq!(next_text().await, "after");

    // Alice reads again: what the sockets held, then the reason, then the end of the stream.
    let mut rest = Vec::new();
    let reason = format!(": {TOO_SLOW_REASON}");
    while !rest.ends_with(b"0\r\n\r\n") {
        let mut buf = [0u8; 16 * 1024];
        let n = tokio::time::timeout(Duration::from_secs(5), stalled.read(&mut buf)).await.unwrap().unwrap();
        if n == 0 {
            break;
        }
        rest.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&rest);
    assert!(
        text.contains(&reason),
        "the stream says why it ends: {}",
        &text[text.len().saturating_sub(300)..]
    );
    assert!(!text.contains("\"after\""), "nothing reaches a dropped consumer");
    assert!(text.ends_with("0\r\n\r\n"), "the response ends: {}", &text[text.len().saturating_sub(300)..]);
}
