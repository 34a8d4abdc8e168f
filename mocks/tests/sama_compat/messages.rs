//! Messages and what offline users get: `ask`, `0` for online, the op log, edits missed
//! while offline, repeated read receipts.

use chatspec_mocks::sama::Switch;
use serde_json::{Value, json};

use super::{Server, group, pair};

#[tokio::test]
async fn the_ack_comes_as_ask_and_a_system_messages_without_server_mid() {
    let (plain, switched) = pair(Switch::AckAsAsk).await;
    for (server, ask) in [(&plain, false), (&switched, true)] {
        let alice = server.provision("Alice").await;
        let bob = server.provision("Bob").await;
        let mut a = server.connected(&alice).await;
        let cid = group(&mut a, "Team", &[&bob.user.id]).await;
        let answer = a.post(&cid, "hey").await;
        let key = if ask { "ask" } else { "ack" };
        assert!(answer[key]["server_mid"].is_string(), "{answer}");
        a.send(json!({"system_message": {"id": "s1", "cid": cid, "x": {"k": 1}}})).await;
        let answer = a.wait_for("the system ack", |f| f[key]["mid"] == "s1").await;
        assert_eq!(answer[key].get("server_mid").is_none(), ask, "{answer}");
    }
}

#[tokio::test]
async fn an_online_user_is_zero() {
    let (plain, switched) = pair(Switch::OnlineAsZero).await;
    for (server, zero) in [(&plain, false), (&switched, true)] {
        let alice = server.provision("Alice").await;
        let mut a = server.connected(&alice).await;
        let reply = a.request("user_last_activity", json!({"ids": [alice.user.id]})).await;
        let expected = if zero { json!(0) } else { json!("online") };
        assert_eq!(reply["last_activity"][&alice.user.id], expected, "{reply}");
    }
}

/// Bob goes offline, Alice edits and deletes, Bob comes back: what Bob is sent on
/// `connect`, and the op log's reply to `params`.
async fn missed_while_offline(server: &Server, params: Value) -> (Vec<Value>, Value) {
    let alice = server.provision("Alice").await;
    let bob = server.provision("Bob").await;
    let mut a = server.connected(&alice).await;
    a.request("user_last_activity_subscribe", json!({"id": bob.user.id})).await;
    let b = server.connected(&bob).await;
    a.event("last_activity").await;
    let cid = group(&mut a, "Team", &[&bob.user.id]).await;
    let first = a.post(&cid, "first").await;
    let second = a.post(&cid, "second").await;
    let mid = |f: &Value| f.get("ack").or(f.get("ask")).unwrap()["server_mid"].clone();
    b.close().await;
    // Bob is offline once the server noticed the socket went.
    let gone = a.event("last_activity").await;
    assert!(gone[&bob.user.id].is_i64(), "{gone}");
    a.request("message_edit", json!({"id": mid(&first), "body": "first, edited"})).await;
    a.request("message_delete", json!({"cid": cid, "ids": [mid(&second)], "type": "all"})).await;
    let mut b = server.connected(&bob).await;
    let mut missed = b.events_so_far("message_edit").await;
    missed.extend(b.events_so_far("message_delete").await);
    let logs = b.request("op_log_list", params).await;
    (missed, logs)
}

#[tokio::test]
async fn the_op_log_reply_is_wrapped_in_packet_with_string_packets() {
    let (plain, switched) = pair(Switch::OpLogInPacket).await;
    let range = json!({"created_at": {"gt": 0}});
    let (_, logs) = missed_while_offline(&plain, range.clone()).await;
    assert_eq!(logs["logs"][0]["packet"]["message_edit"]["body"], "first, edited", "{logs}");
    let (_, logs) = missed_while_offline(&switched, range).await;
    assert!(logs.get("logs").is_none(), "{logs}");
    let packet = logs["packet"]["logs"][0]["packet"].as_str().unwrap();
    let packet: Value = serde_json::from_str(packet).unwrap();
    assert_eq!(packet["message_edit"]["body"], "first, edited", "{logs}");
}

#[tokio::test]
async fn edits_and_deletions_are_not_logged() {
    let (plain, switched) = pair(Switch::OpLogSkipsEdits).await;
    let range = json!({"created_at": {"gt": 0}});
    let (missed, logs) = missed_while_offline(&plain, range.clone()).await;
    assert_eq!((missed.len(), logs["logs"].as_array().unwrap().len()), (2, 2), "{logs}");
    let (missed, logs) = missed_while_offline(&switched, range).await;
    assert_eq!((missed.len(), logs["logs"].as_array().unwrap().len()), (2, 0), "{logs}");
}

#[tokio::test]
async fn edits_and_deletions_missed_offline_never_arrive() {
    let (plain, switched) = pair(Switch::OfflineEditsLost).await;
    let range = json!({"created_at": {"gt": 0}});
    let (missed, _) = missed_while_offline(&plain, range.clone()).await;
    assert_eq!(missed.len(), 2, "{missed:?}");
    let (missed, logs) = missed_while_offline(&switched, range).await;
    assert_eq!(missed.len(), 0, "{missed:?}");
    assert_eq!(logs["logs"].as_array().unwrap().len(), 2, "still logged: {logs}");
}

#[tokio::test]
async fn op_log_list_needs_no_range() {
    let (plain, switched) = pair(Switch::OpLogWithoutRange).await;
    let (_, logs) = missed_while_offline(&plain, json!({"created_at": {}})).await;
    assert_eq!(logs["error"]["status"], 422, "{logs}");
    let (_, logs) = missed_while_offline(&switched, json!({})).await;
    assert_eq!(logs["logs"].as_array().unwrap().len(), 2, "{logs}");
}

#[tokio::test]
async fn read_receipts_come_again_for_messages_already_read() {
    let (plain, switched) = pair(Switch::ReadReceiptsRepeated).await;
    for (server, repeated) in [(&plain, false), (&switched, true)] {
        let alice = server.provision("Alice").await;
        let bob = server.provision("Bob").await;
        let mut a = server.connected(&alice).await;
        let mut b = server.connected(&bob).await;
        let cid = group(&mut a, "Team", &[&bob.user.id]).await;
        let mid = a.post(&cid, "read me").await["ack"]["server_mid"].clone();
        b.request("message_read", json!({"cid": cid, "ids": [mid]})).await;
        assert_eq!(a.event("message_read").await["ids"], json!([mid]));
        b.request("message_read", json!({"cid": cid, "ids": [mid]})).await;
        let again = a.events_so_far("message_read").await;
        assert_eq!(again.len(), usize::from(repeated), "{again:?}");
    }
}
