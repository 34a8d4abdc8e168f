//! Conversations and lists: orders, participants, private conversations, search.

use chatspec_mocks::sama::Switch;
use serde_json::{Value, json};

use super::{group, pair};

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|v| v.get("_id").unwrap_or(v).as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn lists_come_in_the_public_servers_order() {
    let (plain, switched) = pair(Switch::OtherListOrders).await;
    for (server, other) in [(&plain, false), (&switched, true)] {
        let alice = server.provision("Alice").await;
        let bob = server.provision("Bob").await;
        let carol = server.provision("Carol").await;
        let mut a = server.connected(&alice).await;
        a.request("block_user", json!({"ids": [bob.user.id]})).await;
        a.request("block_user", json!({"ids": [carol.user.id]})).await;
        let blocked = a.request("list_blocked_users", json!({})).await;
        let (first, second) = (bob.user.id.clone(), carol.user.id.clone());
        let expected = if other { vec![second, first] } else { vec![first, second] };
        assert_eq!(ids(&blocked["users"]), expected);

        let older = group(&mut a, "Older", &[&bob.user.id]).await;
        let newer = group(&mut a, "Newer", &[&carol.user.id]).await;
        let listed = a.request("conversation_list", json!({})).await;
        let expected = if other { vec![older, newer] } else { vec![newer, older] };
        assert_eq!(ids(&listed["conversations"]), expected);
    }
}

#[tokio::test]
async fn a_third_participant_added_to_a_private_conversation_is_ignored() {
    let (plain, switched) = pair(Switch::PrivateAddIgnored).await;
    for (server, ignored) in [(&plain, false), (&switched, true)] {
        let alice = server.provision("Alice").await;
        let bob = server.provision("Bob").await;
        let carol = server.provision("Carol").await;
        let mut a = server.connected(&alice).await;
        let made =
            a.request("conversation_create", json!({"type": "u", "participants": [bob.user.id]})).await;
        let cid = made["conversation"]["_id"].as_str().unwrap().to_owned();
        let add = json!({"id": cid, "participants": {"add": [carol.user.id]}});
        let reply = a.request("conversation_update", add).await;
        if ignored {
            assert_eq!(reply["conversation"]["participants"], json!([alice.user.id, bob.user.id]), "{reply}");
        } else {
            assert_eq!(reply["error"]["status"], 422, "{reply}");
        }
        let parts = a.request("get_participants_by_cids", json!({"cids": [cid]})).await;
        assert_eq!(parts["conversations"][&cid].as_array().unwrap().len(), 2, "{parts}");
    }
}

#[tokio::test]
async fn conversations_and_their_events_carry_no_participants() {
    let (plain, switched) = pair(Switch::ConversationsWithoutParticipants).await;
    for (server, without) in [(&plain, false), (&switched, true)] {
        let alice = server.provision("Alice").await;
        let bob = server.provision("Bob").await;
        let mut a = server.connected(&alice).await;
        let mut b = server.connected(&bob).await;
        let made = a
            .request(
                "conversation_create",
                json!({"type": "g", "name": "Team", "participants": [bob.user.id]}),
            )
            .await;
        let created = b.event("system_message").await;
        for conversation in [&made["conversation"], &created["x"]["conversation_created"]] {
            assert_eq!(conversation.get("participants").is_none(), without, "{conversation}");
            assert_eq!(conversation["owner_id"], alice.user.id.as_str());
        }
    }
}

#[tokio::test]
async fn a_private_conversation_with_two_others_is_created() {
    let (plain, switched) = pair(Switch::PrivateWithTwoOthers).await;
    for (server, created) in [(&plain, false), (&switched, true)] {
        let alice = server.provision("Alice").await;
        let bob = server.provision("Bob").await;
        let carol = server.provision("Carol").await;
        let mut a = server.connected(&alice).await;
        let three = json!({"type": "u", "participants": [bob.user.id, carol.user.id]});
        let reply = a.request("conversation_create", three).await;
        if created {
            assert_eq!(reply["conversation"]["type"], "u", "{reply}");
            assert_eq!(reply["conversation"]["participants"].as_array().unwrap().len(), 3, "{reply}");
        } else {
            assert_eq!(reply["error"]["status"], 422, "{reply}");
        }
    }
}

#[tokio::test]
async fn conversation_search_answers_bare_ids() {
    let (plain, switched) = pair(Switch::SearchAnswersBareIds).await;
    for (server, bare) in [(&plain, false), (&switched, true)] {
        let alice = server.provision("Alice").await;
        let bob = server.provision("Bob").await;
        let mut a = server.connected(&alice).await;
        let cid = group(&mut a, "Press team", &[&bob.user.id]).await;
        let found = a.request("conversation_search", json!({"name": "press"})).await;
        if bare {
            assert_eq!(found["conversations"], json!([cid]), "{found}");
        } else {
            assert_eq!(found["conversations"], json!([{"_id": cid, "name": "Press team"}]), "{found}");
        }
    }
}
