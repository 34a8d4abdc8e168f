//! Auth codes and chat-user tokens (seed 002, "Users"; NOTES.md C12, C13, C15): e-mailed, expiring,
//! single use; the chat password gets one.

use super::*;

#[tokio::test]
async fn an_auth_code_arrives_by_mail_expires_and_works_once() {
    let m = start().await;
    let (ann, _) = m.account("Ann").await;
    let chat = m.chat(&ann).await;
    let get_token = format!("/chats/{chat}/users/get-token");
    let created = m
        .api(
            Method::POST,
            &format!("/api/chats/{chat}/users"),
            &ann,
            Some(json!({"name": "Cy", "email": "cy@example.org"})),
        )
        .await;
    let cy_id = created.body["id"].as_u64().unwrap();
    let mail = m.outbox().await.last().unwrap().clone();
    assert_eq!(mail["kind"], "email");
    assert_eq!(mail["to"], "cy@example.org");
    assert_eq!(mail["chat_id"], chat);
    assert_eq!(mail["chat_user_id"], cy_id);
    let code = mail["auth_code"].as_u64().unwrap();
    assert!(mail["body"].as_str().unwrap().contains(&code.to_string()));

    // Expired after ten minutes of the mock clock.
    m.advance(600).await;
    let late = m
        .send(Method::POST, &get_token, None, Some(json!({"email": "cy@example.org", "auth-code": code})))
        .await;
    error(&late, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(late.body["errors"]["auth-code"].is_array());

    // A new code, asked for with the chat password, works once, as a form too.
    let password = m.api(Method::POST, &format!("/chats/{chat}/share"), &ann, None).await.body["password"]
        .as_str()
        .unwrap()
        .to_owned();
    let wrong = m
        .send(
            Method::POST,
            &format!("/chats/{chat}/users/request-code"),
            None,
            Some(json!({"email": "cy@example.org", "password": "guess"})),
        )
        .await;
    error(&wrong, StatusCode::UNPROCESSABLE_ENTITY);
    let asked = m
        .send(
            Method::POST,
            &format!("/chats/{chat}/users/request-code"),
            None,
            Some(json!({"email": "cy@example.org", "password": password})),
        )
        .await;
    m.ok(Route::RequestAuthCode, &asked);
    let fresh = m.code_for("cy@example.org").await;
    m.advance(599).await;
    let first = m
        .send(
            Method::POST,
            &get_token,
            Some(("email", "cy@example.org", At::Form)),
            Some(json!({"auth-code": fresh.to_string()})),
        )
        .await;
    assert_eq!(m.ok(Route::GetToken, &first)["chat_user"]["id"], cy_id);
    let again = m
        .send(Method::POST, &get_token, None, Some(json!({"email": "cy@example.org", "auth-code": fresh})))
        .await;
    error(&again, StatusCode::UNPROCESSABLE_ENTITY);
    let missing = m.send(Method::POST, &get_token, None, Some(json!({}))).await;
    error(&missing, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        missing.body["errors"],
        json!({"auth-code": ["The auth-code field is required."], "email": ["The email field is required."]})
    );
    let no_chat = m
        .send(
            Method::POST,
            "/chats/9999/users/get-token",
            None,
            Some(json!({"email": "cy@example.org", "auth-code": fresh})),
        )
        .await;
    error(&no_chat, StatusCode::NOT_FOUND);
}
