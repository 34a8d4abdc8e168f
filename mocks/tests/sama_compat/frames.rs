//! Frames and errors: error strings, packet errors without an id, routing on the first key,
//! unknown fields, the public statuses, events after the reply.

use std::io::Read;
use std::net::TcpStream as StdTcpStream;

use chatspec_mocks::sama::Switch;
use chatspec_specs::sama::auth::ProvisionedUser;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::{self, stream::MaybeTlsStream};

use super::{Client, Server, group, pair, start};

#[tokio::test]
async fn errors_as_strings_over_the_socket_and_as_text_over_http() {
    let (plain, switched) = pair(Switch::ErrorsAsStrings).await;
    for (server, strings) in [(&plain, false), (&switched, true)] {
        let alice = server.provision("Alice").await;
        let mut a = server.connected(&alice).await;
        let e = a.request("block_user", json!({"ids": [alice.user.id]})).await;
        if strings {
            assert_eq!(e["error"], "Can't block self user", "{e}");
        } else {
            assert_eq!(e["error"]["status"], 422, "{e}");
            assert!(e["error"]["message"].is_string(), "{e}");
        }
        let (status, content_type, body) =
            server.login(json!({"login": alice.login, "password": alice.password}), &[]).await;
        assert_eq!(status, 422);
        if strings {
            assert!(content_type.starts_with("text/plain"), "{content_type}");
            assert!(body.contains("device_id"), "{body}");
        } else {
            assert_eq!(content_type, "application/json");
            assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["error"]["status"], 422);
        }
    }
}

#[tokio::test]
async fn a_refused_packet_is_answered_under_its_own_key_without_an_id() {
    let (plain, switched) = pair(Switch::PacketErrorsWithoutId).await;
    for (server, own_key) in [(&plain, false), (&switched, true)] {
        let alice = server.provision("Alice").await;
        let mut a = server.connected(&alice).await;
        let answer = a.post("no-such-conversation", "hi").await;
        if own_key {
            assert_eq!(answer["message"]["error"]["status"], 404, "{answer}");
            assert!(answer["message"].get("id").is_none(), "{answer}");
        } else {
            assert_eq!(answer["response"]["error"]["status"], 404, "{answer}");
            assert!(answer["response"]["id"].as_str().unwrap().starts_with("mid-"), "{answer}");
        }
    }
}

#[tokio::test]
async fn the_first_key_of_request_names_it() {
    let (plain, switched) = pair(Switch::RoutesOnFirstKey).await;
    for (server, first_key) in [(&plain, false), (&switched, true)] {
        let alice = server.provision("Alice").await;
        let mut a = server.connected(&alice).await;
        a.send_text(r#"{"request": {"id": "id-first", "list_blocked_users": {}}}"#.to_owned()).await;
        let reply = a.wait_for("the reply", |f| f["response"]["id"] == "id-first").await;
        if first_key {
            let message = reply["response"]["error"]["message"].as_str().unwrap();
            assert!(message.starts_with("unknown request \"id\""), "{reply}");
        } else {
            assert_eq!(reply["response"]["users"], json!([]), "{reply}");
        }
        // Name first, as the document writes it, works on both.
        let fine = a.request("list_blocked_users", json!({})).await;
        assert_eq!(fine["users"], json!([]), "{fine}");
    }
}

#[tokio::test]
async fn fields_outside_the_public_schema_are_refused() {
    let (plain, switched) = pair(Switch::RefusesUnknownFields).await;
    for (server, strict) in [(&plain, false), (&switched, true)] {
        let mut s = server.socket().await;
        let reply = s
            .request("user_create", json!({"login": "user_1", "password": "pw_1", "first_name": "Ann"}))
            .await;
        if strict {
            assert_eq!(reply["error"]["message"], "\"first_name\" is not allowed", "{reply}");
        } else {
            assert_eq!(reply["user"]["first_name"], "Ann", "{reply}");
        }
        let alice = server.provision("Alice").await;
        let bob = server.provision("Bob").await;
        let mut a = server.connected(&alice).await;
        let cid = group(&mut a, "Team", &[&bob.user.id]).await;
        a.send(json!({"typing": {"cid": cid, "id": "t1"}})).await;
        let before = a.events_so_far("response").await;
        assert_eq!(before.len(), usize::from(strict), "{before:?}");
        if strict {
            assert_eq!(before[0]["error"]["message"], "\"id\" is not allowed");
        }
    }
}

#[tokio::test]
async fn the_public_statuses_where_the_seed_gives_none() {
    let (plain, switched) = pair(Switch::OtherErrorStatuses).await;
    for (server, public) in [(&plain, false), (&switched, true)] {
        let mut s = server.socket().await;
        let early = s.request("conversation_list", json!({})).await;
        assert_eq!(early["error"]["status"], if public { 404 } else { 401 }, "{early}");
        s.send_text(r#"{"request": {"fly": {}, "id": "f1"}}"#.to_owned()).await;
        let bad = s.wait_for("the reply", |f| f["response"]["id"] == "f1").await;
        assert_eq!(bad["response"]["error"]["status"], if public { 400 } else { 422 }, "{bad}");
        let alice = server.provision("Alice").await;
        let (status, _, _) =
            server.login(json!({"login": alice.login, "password": "wrong", "device_id": "d"}), &[]).await;
        assert_eq!(status, if public { 422 } else { 401 });
    }
}

/// Reads whatever bytes are already in a socket's receive buffer, without waiting.
fn ready_bytes(socket: &mut StdTcpStream) -> Vec<u8> {
    socket.set_nonblocking(true).unwrap();
    let mut buf = vec![0u8; 64 * 1024];
    let n = socket.read(&mut buf).unwrap_or(0);
    socket.set_nonblocking(false).unwrap();
    buf.truncate(n);
    buf
}

/// A WebSocket client on a blocking socket that the test reads (or does not read) by hand.
type RawClient = tungstenite::WebSocket<MaybeTlsStream<StdTcpStream>>;

/// Opens a blocking socket and links it to `user`, without reading the reply.
async fn raw_connect(server: &Server, user: &ProvisionedUser) -> RawClient {
    let addr = server.addr;
    let (token, device) = (user.access_token.clone(), user.device_id.clone());
    tokio::task::spawn_blocking(move || {
        let (mut ws, _) = tungstenite::connect(format!("ws://{addr}/")).unwrap();
        let connect = format!(
            r#"{{"request": {{"connect": {{"token": "{token}", "device_id": "{device}"}}, "id": "c"}}}}"#
        );
        ws.send(tungstenite::Message::text(connect)).unwrap();
        ws
    })
    .await
    .unwrap()
}

/// Waits until the server has linked a socket to `user`, asking on `by`'s socket (the
/// user's own socket is not read, and nobody else is told yet).
async fn linked(by: &mut Client, user: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let reply = by.request("user_last_activity", json!({"ids": [user]})).await;
        if reply["last_activity"][user] == "online" {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "{user} was never linked: {reply}");
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_wait_until_the_reply_is_written() {
    // Alice comes online while far more is queued for her socket than it can take unread:
    // the reply to her `connect` and the edits she missed. Bob, who watches her, hears that
    // she is online at once from the reference mock, and only once her socket took its
    // frames from the public server's stand-in.
    const EDITS: usize = 12;
    let (plain, switched) = pair(Switch::EventsAfterReply).await;
    for (server, after) in [(&plain, false), (&switched, true)] {
        let alice = server.provision("Alice").await;
        let bob = server.provision("Bob").await;
        let carol = server.provision("Carol").await;
        let mut b = server.connected(&bob).await;
        b.request("user_last_activity_subscribe", json!({"id": alice.user.id})).await;
        let mut c = server.connected(&carol).await;
        let cid = group(&mut c, "Team", &[&alice.user.id]).await;
        let mid = c.post(&cid, "draft").await["ack"]["server_mid"].clone();
        let big = "x".repeat(1 << 20);
        for _ in 0..EDITS {
            let edited = c.request("message_edit", json!({"id": mid, "body": big})).await;
            assert_eq!(edited["success"], true, "{edited}");
        }
        let mut a = raw_connect(server, &alice).await;
        linked(&mut c, &alice.user.id).await;
        let heard = b.events_so_far("last_activity").await;
        if after {
            assert!(heard.is_empty(), "Bob heard before Alice's reply was written: {heard:?}");
        } else {
            assert_eq!(heard, vec![json!({ &alice.user.id: "online" })]);
        }
        // Alice reads her reply and what she missed; then Bob hears in any case.
        let frames = tokio::task::spawn_blocking(move || {
            (0..=EDITS).map(|_| a.read().unwrap().into_text().unwrap().len()).collect::<Vec<_>>()
        })
        .await
        .unwrap();
        assert!(frames[0] < 100 && frames[1..].iter().all(|n| *n > 1 << 20), "{frames:?}");
        if after {
            assert_eq!(b.event("last_activity").await, json!({ &alice.user.id: "online" }));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_events_after_reply_the_ack_is_on_the_wire_before_the_message() {
    let server = start(&[Switch::EventsAfterReply]).await;
    let alice = server.provision("Alice").await;
    let bob = server.provision("Bob").await;
    let mut b = server.connected(&bob).await;
    let mut a = raw_connect(&server, &alice).await;
    let reply = b.request("conversation_create", json!({"type": "u", "participants": [alice.user.id]})).await;
    let cid = reply["conversation"]["_id"].as_str().unwrap().to_owned();
    for n in 0..20 {
        let frame = json!({"message": {"id": format!("m{n}"), "cid": cid, "body": "hi"}}).to_string();
        a.send(tungstenite::Message::text(frame)).unwrap();
        let heard = b.event("message").await;
        assert_eq!(heard["from"], alice.user.id.as_str());
        // The ack was written before the message was queued for Bob: it is in Alice's
        // receive buffer already.
        let MaybeTlsStream::Plain(tcp) = a.get_mut() else { panic!("a plain socket") };
        let text = String::from_utf8_lossy(&ready_bytes(tcp)).into_owned();
        assert!(text.contains(&format!("\"m{n}\"")), "round {n}: the ack came after the event: {text:?}");
    }
}
