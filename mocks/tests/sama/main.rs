//! Black-box tests of the SAMA mock: the real server on `127.0.0.1:0`, HTTP login with
//! reqwest, real WebSockets with tokio-tungstenite. Every reply and event is checked against
//! the committed schemas; waits are timeouts around channel reads, and absence is checked
//! with a fence (a request whose reply the server must send after anything queued before).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod client;
mod slow;
#[path = "../common/tls.rs"]
mod tls;

use client::*;
use std::sync::Arc;
use std::time::Instant;

use chatspec_mocks::kit::admin::MockAdmin;
use chatspec_specs::sama::auth::ProvisionedUser;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
#[tokio::test]
async fn sign_up_log_in_over_http_then_connect_the_socket() {
    let server = start().await;
    let mut socket = server.socket_at("/any/path").await;
    let created =
        socket.request("user_create", json!({"login": "user_1", "password": "user_paswword_1"})).await;
    assert_eq!(created["user"]["login"], "user_1");

    let resp = server
        .http
        .post(server.url("/login"))
        .json(&json!({"login": "user_1", "password": "user_paswword_1", "device_id": "device_u1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let cookie = resp.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(cookie.starts_with("refresh_token=") && cookie.contains("HttpOnly"), "{cookie}");
    let login: Value = resp.json().await.unwrap();
    check("response.login", &login);
    assert_eq!(login["user"]["_id"], created["user"]["_id"]);
    let token = login["access_token"].as_str().unwrap().to_owned();
    assert!(login["expired_at"].as_i64().unwrap() > 1_700_000_000_000);

    socket.connect(&token, "device_u1").await;
    let listed = socket.request("conversation_list", json!({})).await;
    assert_eq!(listed["conversations"], json!([]));

    // An access token and the device in a header: a new token, no cookie.
    let resp = server
        .http
        .post(server.url("/login"))
        .bearer_auth(&token)
        .header("device_id", "device_u1")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers().get("set-cookie").is_none());
    let by_token: Value = resp.json().await.unwrap();
    assert_ne!(by_token["access_token"], token.as_str());

    // The refresh-token cookie alone.
    let refresh = cookie.split(';').next().unwrap().to_owned();
    let resp = server
        .http
        .post(server.url("/login"))
        .header("cookie", &refresh)
        .json(&json!({"device_id": "device_u1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers().get("set-cookie").is_some());
    // Each login replaced the device's access token; the socket stays linked.
    let by_cookie: Value = resp.json().await.unwrap();
    let token = by_cookie["access_token"].as_str().unwrap().to_owned();

    // Logging out ends the socket's session; the socket stays open.
    let resp = server.http.post(server.url("/logout")).bearer_auth(&token).send().await.unwrap();
    let body: Value = resp.json().await.unwrap();
    check("response.logout", &body);
    assert_eq!(body, json!({"success": true}));
    let after = socket.request("conversation_list", json!({})).await;
    assert_eq!(after["error"]["status"], 401);
}

#[tokio::test]
async fn http_errors_come_in_the_one_error_shape() {
    let server = start().await;
    let user = server.provision("Dana").await;
    let cases = [
        (
            server
                .http
                .post(server.url("/login"))
                .json(&json!({"login": user.login, "password": "wrong", "device_id": "d"})),
            401,
        ),
        (
            server
                .http
                .post(server.url("/login"))
                .json(&json!({"login": user.login, "password": user.password})),
            422,
        ),
        (server.http.post(server.url("/login")).body("{not json"), 422),
        (server.http.post(server.url("/logout")), 401),
        (server.http.get(server.url("/")), 426),
        (server.http.post(server.url("/nowhere")), 404),
        (server.http.get(server.url("/login")), 405),
    ];
    for (request, status) in cases {
        let resp = request.send().await.unwrap();
        assert_eq!(resp.status().as_u16(), status);
        let body: Value = resp.json().await.unwrap();
        check("error", &body);
        assert_eq!(body["error"]["status"], status, "{body}");
    }
    // Token expiry follows the mock clock.
    server.state.clock().advance(3601).unwrap();
    let mut socket = server.socket().await;
    let reply =
        socket.request("connect", json!({"token": user.access_token, "device_id": user.device_id})).await;
    assert_eq!(reply["error"]["status"], 401);
}

#[tokio::test]
async fn participants_get_events_and_others_do_not() {
    let server = start().await;
    let (alice, bob, carol) =
        (server.provision("Alice").await, server.provision("Bob").await, server.provision("Carol").await);
    let mut a = server.connected(&alice).await;
    let mut b = server.connected(&bob).await;
    let mut c = server.connected(&carol).await;

    let cid = group(&mut a, "Team", &[&bob.user.id]).await;
    let created = b.event("system_message").await;
    assert_eq!(created["x"]["conversation_created"]["_id"], cid.as_str());
    assert_eq!(created["from"], alice.user.id.as_str());

    let ack = a.post(&cid, "hey how is going?").await;
    let got = b.event("message").await;
    assert_eq!(got["_id"], ack["server_mid"]);
    assert_eq!(got["t"], ack["t"]);
    assert_eq!(got["body"], "hey how is going?");

    b.send(json!({"typing": {"cid": cid}})).await;
    assert_eq!(a.event("typing").await["from"], bob.user.id.as_str());

    b.request("message_read", json!({"cid": cid})).await;
    let read = a.event("message_read").await;
    assert_eq!(read["ids"], json!([ack["server_mid"]]));

    let edited =
        a.request("message_edit", json!({"id": ack["server_mid"], "body": "how is it going?"})).await;
    assert_eq!(edited["success"], true);
    assert_eq!(b.event("message_edit").await["body"], "how is it going?");

    a.request("conversation_update", json!({"id": cid, "participants": {"add": [carol.user.id]}})).await;
    let updated = c.event("system_message").await;
    assert_eq!(updated["x"]["conversation_updated"]["_id"], cid.as_str());
    let added = b.event("message").await;
    assert_eq!(added["x"]["type"], "added_participant");
    assert_eq!(added["x"]["user"]["_id"], carol.user.id.as_str());

    // Carol saw nothing from before she joined; Alice hears nothing of her own acts.
    c.assert_no("typing").await;
    c.assert_no("message_edit").await;
    a.assert_no("system_message").await;
    a.assert_no("message").await;
}

#[tokio::test]
async fn carbons_reach_the_senders_other_device_only() {
    let server = start().await;
    let alice = server.provision("Alice").await;
    let bob = server.provision("Bob").await;
    let mut a1 = server.connected(&alice).await;
    let token = server.login_device(&alice, "phone").await;
    let mut a2 = server.socket().await;
    a2.connect(&token, "phone").await;
    let mut b = server.connected(&bob).await;
    let reply = a1.request("conversation_create", json!({"type": "u", "participants": [bob.user.id]})).await;
    let cid = reply["conversation"]["_id"].as_str().unwrap().to_owned();
    assert_eq!(reply["conversation"]["opponent_id"], bob.user.id.as_str());
    a2.event("system_message").await;
    b.event("system_message").await;

    let ack = a1.post(&cid, "from the laptop").await;
    let carbon = a2.event("message").await;
    assert_eq!(carbon["_id"], ack["server_mid"]);
    assert_eq!(carbon["from"], alice.user.id.as_str());
    assert_eq!(b.event("message").await["_id"], ack["server_mid"]);
    a1.assert_no("message").await;
}

#[tokio::test]
async fn offline_participants_get_a_push_in_the_outbox() {
    let server = start().await;
    let alice = server.provision("Alice Liddell").await;
    let bob = server.provision("Bob").await;
    let mut a = server.connected(&alice).await;
    let cid = group(&mut a, "Team", &[&bob.user.id]).await;
    a.post(&cid, "are you there?").await;
    let outbox = server.outbox().await;
    assert_eq!(outbox.len(), 1, "{outbox:?}");
    assert_eq!(outbox[0]["type"], "push");
    assert_eq!(outbox[0]["to"], bob.user.id.as_str());
    check("record.push_notification", &outbox[0]["notification"]);
    assert_eq!(
        outbox[0]["notification"],
        json!({"title": "Alice Liddell", "body": "are you there?", "firstAttachmentUrl": null, "cid": cid})
    );
    // Online participants get no push.
    let mut b = server.connected(&bob).await;
    a.post(&cid, "now?").await;
    b.event("message").await;
    assert_eq!(server.outbox().await.len(), 1);
}

#[tokio::test]
async fn missed_edits_and_deletions_come_back_with_the_user() {
    let server = start().await;
    let alice = server.provision("Alice").await;
    let bob = server.provision("Bob").await;
    let mut a = server.connected(&alice).await;
    let mut b = server.connected(&bob).await;
    a.request("user_last_activity_subscribe", json!({"id": bob.user.id})).await;
    let cid = group(&mut a, "Team", &[&bob.user.id]).await;
    let first = a.post(&cid, "first").await;
    let second = a.post(&cid, "second").await;
    b.event("message").await;
    let before = server.state.state()["last_ms"].as_i64().unwrap();
    b.vanish();
    // Bob is offline once the server noticed the connection went.
    let gone = a.event("last_activity").await;
    assert!(gone[&bob.user.id].is_i64(), "{gone}");

    a.request("message_edit", json!({"id": first["server_mid"], "body": "first, edited"})).await;
    a.request("message_delete", json!({"cid": cid, "ids": [second["server_mid"]], "type": "all"})).await;

    let mut b = server.connected(&bob).await;
    let edit = b.event("message_edit").await;
    assert_eq!(edit["id"], first["server_mid"]);
    let deleted = b.event("message_delete").await;
    assert_eq!(deleted["ids"], json!([second["server_mid"]]));
    let logs = b.request("op_log_list", json!({"created_at": {"gt": before}})).await;
    let packets: Vec<&Value> = logs["logs"].as_array().unwrap().iter().map(|l| &l["packet"]).collect();
    assert_eq!(packets.len(), 2, "{logs}");
    assert_eq!(packets[0]["message_edit"]["body"], "first, edited");
    assert!(packets[1]["message_delete"].is_object());
    let missing = b.request("op_log_list", json!({"created_at": {}})).await;
    assert_eq!(missing["error"]["status"], 422);
}

#[tokio::test]
async fn bad_frames_get_the_error_shape_and_the_socket_stays_usable() {
    let server = start().await;
    let user = server.provision("Eve").await;
    let mut s = server.socket().await;
    s.send_message(Message::text("this is not json")).await;
    let e = s.wait_for("an error", |f| f.get("response").is_some()).await;
    check("error", &e["response"]);
    assert_eq!(e["response"]["error"]["status"], 422);

    s.send_message(Message::binary(vec![0u8, 1, 2])).await;
    let e = s.wait_for("an error", |f| f.get("response").is_some()).await;
    assert_eq!(e["response"]["error"]["status"], 422);

    s.send(json!({"request": {"teleport": {}, "id": "t1"}})).await;
    let e = s.wait_for("an error", |f| f["response"]["id"] == "t1").await;
    check("error", &e["response"]);
    assert!(e["response"]["error"]["message"].as_str().unwrap().contains("teleport"));

    let early = s.request("conversation_list", json!({})).await;
    assert_eq!(early["error"]["status"], 401);
    s.send(json!({"message": {"id": "m1", "cid": "c", "body": "x"}})).await;
    let e = s.wait_for("an error", |f| f["response"]["id"] == "m1").await;
    assert_eq!(e["response"]["error"]["status"], 401);

    let wrong = s.request("conversation_create", json!({"type": "x", "participants": "no"})).await;
    assert_eq!(wrong["error"]["status"], 401);

    s.connect(&user.access_token, &user.device_id).await;
    let wrong = s.request("conversation_create", json!({"type": "x", "participants": []})).await;
    assert_eq!(wrong["error"]["status"], 422);
    assert!(wrong["error"]["message"].as_str().unwrap().starts_with("conversation_create.type"), "{wrong}");
    let fine = s.request("list_blocked_users", json!({})).await;
    assert_eq!(fine["users"], json!([]));
}

#[tokio::test]
async fn an_abrupt_disconnect_leaves_state_consistent() {
    let server = start().await;
    let alice = server.provision("Alice").await;
    let bob = server.provision("Bob").await;
    let mut a = server.connected(&alice).await;
    let watched = a.request("user_last_activity_subscribe", json!({"id": bob.user.id})).await;
    assert!(watched["last_activity"][&bob.user.id].is_i64());

    let mut b = server.connected(&bob).await;
    assert_eq!(a.event("last_activity").await, json!({ &bob.user.id: "online" }));
    // Bob asks for something and vanishes before reading the reply.
    b.send(json!({"request": {"conversation_create": {"type": "g", "name": "Half",
        "participants": [alice.user.id]}, "id": "gone"}}))
        .await;
    b.vanish();

    let offline = a.event("last_activity").await;
    assert!(offline[&bob.user.id].is_i64(), "{offline}");
    // The request was applied whole: Alice heard of the conversation and can use it.
    let created = a.event("system_message").await;
    let cid = created["x"]["conversation_created"]["_id"].as_str().unwrap().to_owned();
    a.post(&cid, "still here?").await;
    let activity = a.request("user_last_activity", json!({"ids": [bob.user.id]})).await;
    assert!(activity["last_activity"][&bob.user.id].is_i64());
    let state = server.state.state();
    assert!(
        state["conns"].as_object().unwrap().values().all(|c| c["user"] != bob.user.id.as_str()),
        "{state}"
    );

    // Bob comes back on the same device and carries on.
    let mut b = server.connected(&bob).await;
    assert_eq!(a.event("last_activity").await, json!({ &bob.user.id: "online" }));
    let listed = b.request("message_list", json!({"cid": cid})).await;
    assert_eq!(listed["messages"][0]["body"], "still here?");
}

#[tokio::test]
async fn two_sockets_of_one_device_both_stay_open_and_hear_the_user() {
    // Two tabs of one browser share its fingerprint as `device_id`; the public server keeps
    // both sockets (S7), so a client that reconnects on close never loops.
    let server = start().await;
    let alice = server.provision("Alice").await;
    let bob = server.provision("Bob").await;
    let mut first = server.connected(&alice).await;
    let mut second = server.connected(&alice).await;
    let mut b = server.connected(&bob).await;
    let cid = group(&mut b, "pair", &[&alice.user.id]).await;
    b.post(&cid, "to both tabs").await;
    assert_eq!(first.event("message").await["body"], "to both tabs");
    assert_eq!(second.event("message").await["body"], "to both tabs");
}

#[tokio::test]
async fn files_upload_and_download_through_their_urls() {
    let server = start().await;
    let alice = server.provision("Alice").await;
    let mut a = server.connected(&alice).await;
    let made =
        a.request("create_files", json!([{"name": "1.png", "size": 4, "content_type": "image/png"}])).await;
    check("record.file", &made["files"][0]);
    let id = made["files"][0]["_id"].as_str().unwrap().to_owned();
    let upload_url = made["files"][0]["upload_url"].as_str().unwrap();
    let put = server.http.put(upload_url).body(vec![137u8, 80, 78, 71]).send().await.unwrap();
    assert_eq!(put.status(), 200);
    let urls = a.request("get_file_urls", json!({"file_ids": [id]})).await;
    let url = urls["file_urls"][0]["url"].as_str().unwrap();
    let got = server.http.get(url).send().await.unwrap();
    assert_eq!(got.headers()["content-type"], "image/png");
    assert_eq!(got.bytes().await.unwrap().as_ref(), &[137u8, 80, 78, 71]);
}

#[tokio::test]
async fn reset_closes_every_socket_and_shutdown_ends_the_rest() {
    let server = start().await;
    let alice = server.provision("Alice").await;
    let mut a = server.connected(&alice).await;
    let resp = server.http.post(server.url("/_mock/reset")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    a.closed().await;
    let state = server.state.state();
    assert_eq!(state["users"], json!({}));

    let bob = server.provision("Bob").await;
    let mut b = server.connected(&bob).await;
    server.stop.cancel();
    assert_eq!(b.closed().await, Some(1001));
    tokio::time::timeout(WAIT, server.task).await.expect("the server stops").unwrap().unwrap();
}

#[tokio::test]
async fn a_burst_of_concurrent_sockets_all_hear_each_other() {
    const USERS: usize = 40;
    let server = Arc::new(start().await);
    let users: Vec<ProvisionedUser> = futures::future::join_all((0..USERS).map(|i| {
        let server = server.clone();
        async move { server.provision(&format!("User {i}")).await }
    }))
    .await;
    let mut clients: Vec<Client> = futures::future::join_all(users.iter().map(|u| {
        let server = server.clone();
        async move { server.connected(u).await }
    }))
    .await;
    let others: Vec<&str> = users[1..].iter().map(|u| u.user.id.as_str()).collect();
    let cid = group(&mut clients[0], "Everyone", &others).await;
    for c in clients.iter_mut().skip(1) {
        c.event("system_message").await;
    }

    let started = Instant::now();
    let results = futures::future::join_all(clients.into_iter().enumerate().map(|(i, mut c)| {
        let cid = cid.clone();
        tokio::spawn(async move {
            c.post(&cid, &format!("hello from {i}")).await;
            let mut heard = 0;
            while heard < USERS - 1 {
                let m = c.event("message").await;
                assert_ne!(m["body"], format!("hello from {i}"));
                heard += 1;
            }
            heard
        })
    }))
    .await;
    let elapsed = started.elapsed();
    for r in results {
        assert_eq!(r.unwrap(), USERS - 1);
    }
    // 40 messages fanned out to 39 sockets each: well within the wait budget.
    assert!(elapsed < WAIT, "took {elapsed:?}");
    let listed = server.state.state()["convs"][&cid]["messages"].as_array().unwrap().len();
    assert_eq!(listed, USERS);
}
