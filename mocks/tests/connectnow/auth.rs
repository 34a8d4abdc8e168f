//! Authentication (seed 002, "Authentication"; NOTES.md C3): both kinds of token in every
//! placement, and 401 for none, an unknown one or the wrong kind.

use super::*;

#[tokio::test]
async fn tokens_work_in_the_query_the_body_a_form_and_the_bearer_header() {
    let m = start().await;
    let (ann, ann_id) = m.account("Ann").await;
    let chat = m.chat(&ann).await;
    let (cy_id, cy) = m.join(&ann, chat, "cy@example.org").await;
    for at in [At::Query, At::Body, At::Form, At::Bearer] {
        let me = m.send(Method::GET, "/api/user", Some(("api_token", &ann, at)), None).await;
        assert_eq!(m.ok(Route::GetUser, &me)["id"], ann_id, "{at:?}");
        let me = m.send(Method::GET, "/api/chat-user", Some(("chat_user_token", &cy, at)), None).await;
        assert_eq!(m.ok(Route::GetChatUserSelf, &me)["id"], cy_id, "{at:?}");
        let made = m
            .send(
                Method::POST,
                "/api/companies",
                Some(("api_token", &ann, at)),
                Some(json!({"name": format!("Made via {at:?}")})),
            )
            .await;
        m.ok(Route::CreateCompany, &made);
        let posted = m
            .send(
                Method::POST,
                &format!("/api/chats/{chat}/messages"),
                Some(("chat_user_token", &cy, at)),
                Some(json!({"message": format!("via {at:?}")})),
            )
            .await;
        m.ok(Route::CreateChatMessage, &posted);
    }
    // No token, an unknown one, the other kind, or a bad one before a good one: 401.
    let none = m.send(Method::GET, "/api/user", None, None).await;
    error(&none, StatusCode::UNAUTHORIZED);
    assert_eq!(none.body, json!({"message": "Unauthenticated."}));
    for (name, token, path) in [
        ("api_token", "nope", "/api/user"),
        ("api_token", cy.as_str(), "/api/user"),
        ("chat_user_token", ann.as_str(), "/api/chat-user"),
    ] {
        for at in [At::Query, At::Body, At::Bearer] {
            let r = m.send(Method::GET, path, Some((name, token, at)), None).await;
            error(&r, StatusCode::UNAUTHORIZED);
        }
    }
    let mixed =
        m.http.get(format!("{}/api/user?api_token=wrong", m.base)).bearer_auth(&ann).send().await.unwrap();
    assert_eq!(mixed.status(), StatusCode::UNAUTHORIZED);
    // Posting a message takes a chat-user token, not an API token.
    let by_account = m
        .api(Method::POST, &format!("/api/chats/{chat}/messages"), &ann, Some(json!({"message": "x"})))
        .await;
    error(&by_account, StatusCode::UNAUTHORIZED);
}
