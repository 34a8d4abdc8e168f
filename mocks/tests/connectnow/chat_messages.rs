//! Chat messages (seed 002, "Chat messages"; NOTES.md C11): authors change their own, the chat's
//! account moderates.

use super::*;

#[tokio::test]
async fn authors_change_their_messages_and_the_account_moderates() {
    let m = start().await;
    let (ann, _) = m.account("Ann").await;
    let chat = m.chat(&ann).await;
    let (_, cy) = m.join(&ann, chat, "cy@example.org").await;
    let (di_id, di) = m.join(&ann, chat, "di@example.org").await;
    let path = format!("/api/chats/{chat}/messages");
    let posted = m.member(Method::POST, &path, &cy, Some(json!({"message": "mine"}))).await;
    let mid = posted.body["id"].as_u64().unwrap();
    let by_other =
        m.member(Method::PUT, &format!("{path}/{mid}"), &di, Some(json!({"message": "yours"}))).await;
    error(&by_other, StatusCode::FORBIDDEN);
    let by_other = m.member(Method::DELETE, &format!("{path}/{mid}"), &di, None).await;
    error(&by_other, StatusCode::FORBIDDEN);
    let by_other = m.member(Method::DELETE, &format!("/api/chats/{chat}/users/{di_id}"), &cy, None).await;
    error(&by_other, StatusCode::FORBIDDEN);
    let moderated =
        m.api(Method::PUT, &format!("{path}/{mid}"), &ann, Some(json!({"message": "[removed]"}))).await;
    assert_eq!(m.ok(Route::EditChatMessage, &moderated)["message"], "[removed]");
    let deleted = m.api(Method::DELETE, &format!("{path}/{mid}"), &ann, None).await;
    m.ok(Route::DeleteChatMessage, &deleted);
    let gone = m.member(Method::GET, &format!("{path}/{mid}"), &cy, None).await;
    error(&gone, StatusCode::NOT_FOUND);
}
