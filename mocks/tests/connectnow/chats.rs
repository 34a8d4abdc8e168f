//! Chats (seed 002, "Chats"; NOTES.md C17): deleting one takes its users, messages and tokens.

use super::*;

#[tokio::test]
async fn deleting_a_chat_takes_its_users_and_messages_with_it() {
    let m = start().await;
    let (ann, _) = m.account("Ann").await;
    let doomed = m.chat(&ann).await;
    let kept = m.chat(&ann).await;
    let (cy_id, cy) = m.join(&ann, doomed, "cy@example.org").await;
    let (_, di) = m.join(&ann, kept, "di@example.org").await;
    m.member(Method::POST, &format!("/api/chats/{doomed}/messages"), &cy, Some(json!({"message": "bye"})))
        .await;
    m.member(
        Method::POST,
        &format!("/api/chats/{kept}/messages"),
        &di,
        Some(json!({"message": "still here"})),
    )
    .await;
    let deleted = m.api(Method::DELETE, &format!("/api/chats/{doomed}"), &ann, None).await;
    m.ok(Route::DeleteChat, &deleted);
    for path in [
        format!("/api/chats/{doomed}"),
        format!("/api/chats/{doomed}/users/{cy_id}"),
        format!("/api/chats/{doomed}/messages"),
    ] {
        let r = m.api(Method::GET, &path, &ann, None).await;
        error(&r, StatusCode::NOT_FOUND);
    }
    let orphan = m.member(Method::GET, "/api/chat-user", &cy, None).await;
    error(&orphan, StatusCode::UNAUTHORIZED);
    let state = m.admin(Method::GET, "/_mock/state", None).await;
    assert!(state["chat_users"].as_object().unwrap().values().all(|u| u["chat_id"] == kept));
    assert!(state["messages"].as_object().unwrap().values().all(|msg| msg["chat_id"] == kept));
    let kept_messages = m.member(Method::GET, &format!("/api/chats/{kept}/messages"), &di, None).await;
    assert_eq!(m.ok(Route::ListChatMessages, &kept_messages)["data"].as_array().unwrap().len(), 1);
}
