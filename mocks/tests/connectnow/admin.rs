//! The admin API (DESIGN.md, "Mock admin API"): health names the API, reset empties the state.

use super::*;

#[tokio::test]
async fn reset_empties_the_state_and_health_names_the_api() {
    let m = start().await;
    let health = m.admin(Method::GET, "/_mock/health", None).await;
    assert_eq!(health["api"], "connectnow");
    let (ann, _) = m.account("Ann").await;
    let chat = m.chat(&ann).await;
    m.join(&ann, chat, "cy@example.org").await;
    assert_eq!(m.outbox().await.len(), 1);
    m.admin(Method::POST, "/_mock/reset", None).await;
    assert!(m.outbox().await.is_empty());
    let r = m.api(Method::GET, "/api/user", &ann, None).await;
    error(&r, StatusCode::UNAUTHORIZED);
}
