//! A SAMA socket that stops reading is dropped once its queue is full (NOTES.md S65): the
//! mock closes it with 1008 and a reason that says why, its user goes offline (subscribers
//! of their activity hear of it), and another participant's socket keeps every message. No
//! sleeps: the test posts until the activity event says the stalled user is gone.

use super::client::*;

use chatspec_mocks::kit::hub::{QUEUE_LIMIT, TOO_SLOW_REASON};
use futures::{SinkExt, StreamExt};
use serde_json::json;
use tokio_tungstenite::tungstenite::{Message, protocol::frame::coding::CloseCode};

/// More messages than the queue, the socket buffers of a 4 KiB receive window and the mock's
/// write buffers can hold: a stalled consumer is dropped well before.
const MAX_POSTS: usize = 20 * QUEUE_LIMIT;

#[tokio::test]
async fn a_stalled_socket_is_closed_with_1008_and_the_others_keep_receiving() {
    let server = start().await;
    let (alice, bob, carol) =
        (server.provision("alice").await, server.provision("bob").await, server.provision("carol").await);

    // Alice's socket: a small receive window, read only up to the reply to `connect`.
    let tcp = tokio::net::TcpSocket::new_v4().unwrap();
    tcp.set_recv_buffer_size(4096).unwrap();
    let tcp = tcp.connect(server.addr).await.unwrap();
    let (mut stalled, _) =
        tokio_tungstenite::client_async(format!("ws://{}/", server.addr), tcp).await.unwrap();
    let connect = json!({"request": {"connect": {"token": alice.access_token, "device_id": alice.device_id}, "id": "c"}});
    stalled.send(Message::text(connect.to_string())).await.unwrap();
    let reply = stalled.next().await.unwrap().unwrap();
    assert!(reply.to_text().unwrap().contains("\"success\":true"), "{reply}");

    let mut b = server.connected(&bob).await;
    let mut c = server.connected(&carol).await;
    let watched = b.request("user_last_activity_subscribe", json!({"id": alice.user.id})).await;
    assert_eq!(watched["last_activity"][&alice.user.id], "online");
    let cid = group(&mut c, "busy", &[&alice.user.id, &bob.user.id]).await;
    b.event("system_message").await;

    let gone = |b: &Client| b.backlog.iter().any(|f| f["last_activity"][&alice.user.id].is_i64());
    let mut posts = 0;
    while !gone(&b) {
        assert!(posts < MAX_POSTS, "alice never read, yet her socket took {posts} messages");
        let body = format!("m{posts}");
        c.post(&cid, &body).await;
        let got = b.wait_for("the message", |f| f["message"].get("body").is_some()).await;
        assert_eq!(got["message"]["body"], body.as_str(), "bob misses nothing");
        posts += 1;
    }
    assert!(posts > QUEUE_LIMIT, "dropped after {posts} messages: the queue holds {QUEUE_LIMIT}");
    c.post(&cid, "after").await;
    let got = b.wait_for("the message", |f| f["message"].get("body").is_some()).await;
    assert_eq!(got["message"]["body"], "after");

    // Alice reads again: what the sockets held, then the close frame with the reason.
    let mut frames = 0;
    let close = loop {
        let next = tokio::time::timeout(WAIT, stalled.next()).await.expect("the close in time");
        match next {
            Some(Ok(Message::Text(t))) => {
                assert!(!t.contains("\"after\""), "nothing reaches a dropped consumer");
                frames += 1;
            }
            Some(Ok(Message::Close(frame))) => break frame.expect("a close code and reason"),
            Some(Ok(_)) => {}
            other => panic!("the socket ended without a close frame after {frames} frames: {other:?}"),
        }
    };
    assert_eq!(close.code, CloseCode::Policy, "1008, {close:?}");
    assert_eq!(close.reason.as_str(), TOO_SLOW_REASON);
}

/// A backlog is not a slow reader: a user who missed more edits than a queue holds gets them
/// all at `connect`, in order, and keeps the socket (S65: what was logged while offline is
/// handed over as one entry of the queue).
#[tokio::test]
async fn more_missed_edits_than_a_queue_holds_all_come_back_at_connect() {
    let server = start().await;
    let (alice, bob) = (server.provision("alice").await, server.provision("bob").await);
    let mut a = server.connected(&alice).await;
    let b = server.connected(&bob).await;
    a.request("user_last_activity_subscribe", json!({"id": bob.user.id})).await;
    let cid = group(&mut a, "edits", &[&bob.user.id]).await;
    let ack = a.post(&cid, "draft").await;
    b.vanish();
    let gone = a.event("last_activity").await;
    assert!(gone[&bob.user.id].is_i64(), "{gone}");

    let edits = QUEUE_LIMIT + 200;
    for n in 0..edits {
        let edited =
            a.request("message_edit", json!({"id": ack["server_mid"], "body": format!("v{n}")})).await;
        assert_eq!(edited["success"], true, "{edited}");
    }

    let mut b = server.connected(&bob).await;
    for n in 0..edits {
        let edit = b.wait_for("a missed edit", |f| f.get("message_edit").is_some()).await;
        assert_eq!(edit["message_edit"]["body"], format!("v{n}").as_str(), "in order, none lost");
    }
    // The socket is still served: a request after the backlog gets its reply.
    let after = b.request("list_blocked_users", json!({})).await;
    assert!(after.get("error").is_none(), "{after}");
}
