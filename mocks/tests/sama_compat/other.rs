//! Files, push, contacts: object ids for file URLs, `user_ids` and base64 in push events,
//! incomplete contacts dropped from a batch, `ids` refused by `contact_list`, `user_id`
//! needed by `push_subscription_list`.

use base64::Engine;
use chatspec_mocks::sama::Switch;
use serde_json::json;

use super::pair;

#[tokio::test]
async fn file_urls_are_asked_and_answered_by_object_id() {
    let (plain, switched) = pair(Switch::FileUrlsByObjectId).await;
    for (server, by_object) in [(&plain, false), (&switched, true)] {
        let alice = server.provision("Alice").await;
        let mut a = server.connected(&alice).await;
        let made = a
            .request("create_files", json!([{"name": "1.png", "size": 4, "content_type": "image/png"}]))
            .await;
        let file = &made["files"][0];
        let id = file["_id"].as_str().unwrap();
        let put = server
            .http
            .put(file["upload_url"].as_str().unwrap())
            .body(vec![1u8, 2, 3, 4])
            .send()
            .await
            .unwrap();
        assert_eq!(put.status(), 200);
        let by_id = a.request("get_file_urls", json!({"file_ids": [id]})).await;
        if !by_object {
            assert!(file.get("object_id").is_none(), "{made}");
            assert_eq!(by_id["file_urls"][0]["file_id"], id, "{by_id}");
            continue;
        }
        assert_eq!(by_id["error"]["status"], 404, "{by_id}");
        let object = file["object_id"].as_str().unwrap_or_else(|| panic!("no object_id: {made}"));
        let urls = a.request("get_file_urls", json!({"file_ids": [object]})).await;
        let url = urls["file_urls"][object].as_str().unwrap_or_else(|| panic!("{urls}"));
        let got = server.http.get(url).send().await.unwrap();
        assert_eq!(got.bytes().await.unwrap().as_ref(), &[1u8, 2, 3, 4]);
    }
}

#[tokio::test]
async fn a_push_event_answers_user_ids_and_a_base64_message() {
    let (plain, switched) = pair(Switch::PushEventUserIdsBase64).await;
    for (server, public) in [(&plain, false), (&switched, true)] {
        let alice = server.provision("Alice").await;
        let bob = server.provision("Bob").await;
        let mut a = server.connected(&alice).await;
        let create =
            json!({"recipients_ids": [bob.user.id], "message": {"title": "Title", "body": "Message body"}});
        let reply = a.request("push_event_create", create).await;
        let event = &reply["event"];
        let text = r#"{"title":"Title","body":"Message body"}"#;
        if public {
            assert_eq!(event["user_ids"], json!([bob.user.id]), "{reply}");
            assert!(event.get("recipients_ids").is_none(), "{reply}");
            let decoded =
                base64::engine::general_purpose::STANDARD.decode(event["message"].as_str().unwrap()).unwrap();
            assert_eq!(String::from_utf8(decoded).unwrap(), text);
        } else {
            assert_eq!(event["recipients_ids"], json!([bob.user.id]), "{reply}");
            assert_eq!(event["message"], text);
        }
    }
}

#[tokio::test]
async fn a_contact_batch_drops_contacts_with_neither_email_nor_phone() {
    let (plain, switched) = pair(Switch::BatchDropsIncompleteContacts).await;
    for (server, drops) in [(&plain, false), (&switched, true)] {
        let alice = server.provision("Alice").await;
        let mut a = server.connected(&alice).await;
        let batch = json!({"contacts": [
            {"first_name": "One", "email": [{"type": "work", "value": "one@x.io"}]},
            {"first_name": "Two"}
        ]});
        let reply = a.request("contact_batch_add", batch).await;
        if drops {
            assert_eq!(reply["contacts"].as_array().unwrap().len(), 1, "{reply}");
            assert_eq!(reply["contacts"][0]["first_name"], "One");
        } else {
            assert_eq!(reply["error"]["status"], 422, "{reply}");
        }
    }
}

#[tokio::test]
async fn contact_list_refuses_ids() {
    let (plain, switched) = pair(Switch::ContactListRefusesIds).await;
    for (server, refuses) in [(&plain, false), (&switched, true)] {
        let alice = server.provision("Alice").await;
        let mut a = server.connected(&alice).await;
        let made = a
            .request(
                "contact_add",
                json!({"first_name": "One", "phone": [{"type": "home", "value": "+100"}]}),
            )
            .await;
        let id = made["contact"]["_id"].clone();
        let picked = a.request("contact_list", json!({"ids": [id]})).await;
        if refuses {
            assert_eq!(picked["error"]["message"], "\"ids\" is not allowed", "{picked}");
        } else {
            assert_eq!(picked["contacts"][0]["_id"], id, "{picked}");
        }
        let all = a.request("contact_list", json!({"limit": 10})).await;
        assert_eq!(all["contacts"].as_array().unwrap().len(), 1, "{all}");
    }
}

#[tokio::test]
async fn push_subscription_list_needs_the_user_id() {
    let (plain, switched) = pair(Switch::SubscriptionListNeedsUserId).await;
    for (server, needs) in [(&plain, false), (&switched, true)] {
        let alice = server.provision("Alice").await;
        let mut a = server.connected(&alice).await;
        let bare = a.request("push_subscription_list", json!({})).await;
        if needs {
            assert_eq!(bare["error"]["message"], "\"user_id\" is required", "{bare}");
        } else {
            assert_eq!(bare["subscriptions"], json!([]), "{bare}");
        }
        let named = a.request("push_subscription_list", json!({"user_id": alice.user.id})).await;
        assert_eq!(named["subscriptions"], json!([]), "{named}");
    }
}
