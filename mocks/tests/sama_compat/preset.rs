//! The preset `sama-server-0.36`: every switch on, and a client written for the public
//! server going through sign-up, login, connect and a conversation as it would there.

use chatspec_mocks::sama::{PRESET, Switch};
use serde_json::{Value, json};

use super::{Client, Server, start};

/// Signs up over the socket and logs in over HTTP as the public server wants it; returns
/// the user's `_id` and a connected socket.
async fn sign_up_and_connect(server: &Server, login: &str) -> (String, Client) {
    let mut s = server.socket().await;
    let made = s
        .request(
            "user_create",
            json!({"login": login, "password": "secret_1", "email": format!("{login}@example.com"),
                "organization_id": "org_1", "device_id": "web_1"}),
        )
        .await;
    let id = made["user"]["_id"].as_str().unwrap_or_else(|| panic!("{made}")).to_owned();
    let (status, _, body) = server
        .login(
            json!({"login": login, "password": "secret_1", "device_id": "web_1", "organization_id": "org_1"}),
            &[],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let token = serde_json::from_str::<Value>(&body).unwrap()["access_token"].as_str().unwrap().to_owned();
    assert_eq!(token.split('.').count(), 3, "a JWT: {token}");
    let linked = s.request("connect", json!({"token": token, "device_id": "web_1"})).await;
    assert_eq!(linked["success"], true, "{linked}");
    (id, s)
}

#[tokio::test]
async fn the_preset_turns_every_switch_on() {
    let on = Switch::parse_all([PRESET]).unwrap();
    assert_eq!(on.len(), Switch::ALL.len());
    let server = start(&on.into_iter().collect::<Vec<_>>()).await;
    assert_eq!(server.state.compat().len(), Switch::ALL.len());
}

#[tokio::test]
async fn a_client_of_the_public_server_signs_up_connects_and_chats() {
    let server = start(&Switch::ALL).await;
    let (alice, mut a) = sign_up_and_connect(&server, "alice_1").await;
    let (bob, mut b) = sign_up_and_connect(&server, "bob_1").await;

    let made = a.request("conversation_create", json!({"type": "u", "participants": [bob]})).await;
    let conversation = &made["conversation"];
    assert!(conversation.get("participants").is_none(), "{made}");
    assert_eq!(conversation["owner_id"], alice.as_str());
    let cid = conversation["_id"].as_str().unwrap().to_owned();
    let created = b.event("system_message").await;
    assert_eq!(created["x"]["conversation_created"]["_id"], cid.as_str());

    let answer = a.post(&cid, "hello from a real client").await;
    let ask = &answer["ask"];
    assert_eq!(ask["mid"].as_str().map(|m| m.starts_with("mid-")), Some(true), "{answer}");
    let heard = b.event("message").await;
    assert_eq!(heard["_id"], ask["server_mid"]);
    assert_eq!(heard["body"], "hello from a real client");

    let activity = b.request("user_last_activity", json!({"ids": [alice]})).await;
    assert_eq!(activity["last_activity"][&alice], 0, "{activity}");

    // What a harness writing the id first sends is refused, as a string.
    a.send_text(r#"{"request": {"id": "x1", "conversation_list": {}}}"#.to_owned()).await;
    let refused = a.wait_for("the refusal", |f| f["response"]["id"] == "x1").await;
    assert!(
        refused["response"]["error"].as_str().unwrap().starts_with("unknown request \"id\""),
        "{refused}"
    );
}
