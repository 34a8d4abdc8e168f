//! Scoping (NOTES.md C9, C10): an API token reaches only its own companies' data, a chat-user token
//! only its own chat.

use super::*;

#[tokio::test]
async fn tokens_act_only_on_their_own_data() {
    let m = start().await;
    let (ann, _) = m.account("Ann").await;
    let (bob, _) = m.account("Bob").await;
    let ann_chat = m.chat(&ann).await;
    let bob_chat = m.chat(&bob).await;
    let (_, cy) = m.join(&ann, ann_chat, "cy@example.org").await;
    let (di_id, _) = m.join(&bob, bob_chat, "di@example.org").await;
    let ann_company =
        m.api(Method::GET, "/api/companies", &ann, None).await.body["data"][0]["id"].as_u64().unwrap();

    // Bob sees none of Ann's records, and lists hold only his own.
    for (method, path) in [
        (Method::GET, format!("/api/companies/{ann_company}")),
        (Method::PUT, format!("/api/companies/{ann_company}")),
        (Method::DELETE, format!("/api/companies/{ann_company}")),
        (Method::GET, format!("/api/chats/{ann_chat}")),
        (Method::DELETE, format!("/api/chats/{ann_chat}")),
        (Method::GET, format!("/api/chats/{ann_chat}/users")),
        (Method::GET, format!("/api/chats/{ann_chat}/messages")),
        (Method::POST, format!("/chats/{ann_chat}/share")),
    ] {
        let r = m.api(method.clone(), &path, &bob, Some(json!({"name": "x"}))).await;
        error(&r, StatusCode::FORBIDDEN);
    }
    let listed = m.api(Method::GET, "/api/chats", &bob, None).await;
    let ids: Vec<u64> = m.ok(Route::ListChats, &listed)["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [bob_chat]);
    let into_other = m
        .api(Method::POST, "/api/chats", &bob, Some(json!({"company_id": ann_company, "name": "sneaky"})))
        .await;
    error(&into_other, StatusCode::FORBIDDEN);

    // A chat-user token acts only in its own chat.
    for path in [
        format!("/api/chats/{bob_chat}"),
        format!("/api/chats/{bob_chat}/users"),
        format!("/api/chats/{bob_chat}/users/{di_id}"),
        format!("/api/chats/{bob_chat}/messages"),
    ] {
        let r = m.member(Method::GET, &path, &cy, None).await;
        error(&r, StatusCode::FORBIDDEN);
    }
    let post = m
        .member(Method::POST, &format!("/api/chats/{bob_chat}/messages"), &cy, Some(json!({"message": "hi"})))
        .await;
    error(&post, StatusCode::FORBIDDEN);
    for path in ["/api/companies", "/api/chats", "/api/user"] {
        let r = m.member(Method::GET, path, &cy, None).await;
        error(&r, StatusCode::UNAUTHORIZED);
    }
    let own = m.member(Method::GET, &format!("/api/chats/{ann_chat}"), &cy, None).await;
    m.ok(Route::GetChat, &own);
    let missing = m.api(Method::GET, "/api/chats/9999", &ann, None).await;
    error(&missing, StatusCode::NOT_FOUND);
}
