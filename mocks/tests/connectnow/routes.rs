//! Every route of `connectnow::Route`, each answering with its declared status and reply schema;
//! the seed's paths without `/api` served under it too, and `PATCH` beside `PUT` (NOTES.md C2).

use super::*;

#[tokio::test]
async fn every_route_answers_with_its_documented_shape() {
    let m = start().await;
    let (ann, ann_id) = m.account("Ann").await;
    use Method as M;

    let me = m.api(M::GET, "/api/user", &ann, None).await;
    assert_eq!(m.ok(Route::GetUser, &me)["id"], ann_id);

    let company = m.api(M::POST, "/api/companies", &ann, Some(json!({"name": "Acme"}))).await;
    let company = m.ok(Route::CreateCompany, &company);
    assert_eq!(company["user_id"], ann_id);
    let cid = company["id"].as_u64().unwrap();
    let list = m.api(M::GET, "/api/companies", &ann, None).await;
    assert_eq!(m.ok(Route::ListCompanies, &list)["data"][0], company);
    let one = m.api(M::GET, &format!("/api/companies/{cid}"), &ann, None).await;
    assert_eq!(m.ok(Route::GetCompany, &one), company);
    let edited =
        m.api(M::PUT, &format!("/api/companies/{cid}"), &ann, Some(json!({"name": "Acme Ltd"}))).await;
    assert_eq!(m.ok(Route::EditCompany, &edited)["name"], "Acme Ltd");

    let chat = m.api(M::POST, "/api/chats", &ann, Some(json!({"company_id": cid, "name": "Support"}))).await;
    let chat = m.ok(Route::CreateChat, &chat);
    let chat_id = chat["id"].as_u64().unwrap();
    let list = m.api(M::GET, "/api/chats", &ann, None).await;
    assert_eq!(m.ok(Route::ListChats, &list)["data"][0], chat);
    let one = m.api(M::GET, &format!("/api/chats/{chat_id}"), &ann, None).await;
    assert_eq!(m.ok(Route::GetChat, &one), chat);
    let edited = m.api(M::PUT, &format!("/api/chats/{chat_id}"), &ann, Some(json!({"name": "Help"}))).await;
    assert_eq!(m.ok(Route::EditChat, &edited)["name"], "Help");
    let shared = m.api(M::POST, &format!("/chats/{chat_id}/share"), &ann, None).await;
    let password = m.ok(Route::Share, &shared)["password"].as_str().unwrap().to_owned();

    let users = format!("/api/chats/{chat_id}/users");
    let cy = m.api(M::POST, &users, &ann, Some(json!({"name": "Cy", "email": "cy@example.org"}))).await;
    let cy = m.ok(Route::CreateChatUser, &cy);
    let cy_id = cy["id"].as_u64().unwrap();
    let code = m.code_for("cy@example.org").await;
    let token = m
        .send(
            M::POST,
            &format!("/chats/{chat_id}/users/get-token"),
            None,
            Some(json!({"email": "cy@example.org", "auth-code": code})),
        )
        .await;
    let token = m.ok(Route::GetToken, &token);
    assert_eq!(token["chat_user"], cy);
    let cy_tok = token["chat_user_token"].as_str().unwrap().to_owned();
    let me = m.member(M::GET, "/api/chat-user", &cy_tok, None).await;
    assert_eq!(m.ok(Route::GetChatUserSelf, &me), cy);
    let list = m.member(M::GET, &users, &cy_tok, None).await;
    assert_eq!(m.ok(Route::ListChatUsers, &list)["data"][0], cy);
    let one = m.api(M::GET, &format!("{users}/{cy_id}"), &ann, None).await;
    assert_eq!(m.ok(Route::GetChatUser, &one), cy);
    let edited = m.member(M::PUT, &format!("{users}/{cy_id}"), &cy_tok, Some(json!({"name": "Cyril"}))).await;
    assert_eq!(m.ok(Route::EditChatUser, &edited)["name"], "Cyril");
    let asked = m
        .send(
            M::POST,
            &format!("/chats/{chat_id}/users/request-code"),
            None,
            Some(json!({"email": "di@example.org", "password": password})),
        )
        .await;
    m.ok(Route::RequestAuthCode, &asked);

    let messages = format!("/api/chats/{chat_id}/messages");
    let posted = m.member(M::POST, &messages, &cy_tok, Some(json!({"message": "hello"}))).await;
    let posted = m.ok(Route::CreateChatMessage, &posted);
    assert_eq!(posted["chat_user_id"], cy_id);
    let mid = posted["id"].as_u64().unwrap();
    let list = m.api(M::GET, &messages, &ann, None).await;
    assert_eq!(m.ok(Route::ListChatMessages, &list)["data"][0], posted);
    let one = m.member(M::GET, &format!("{messages}/{mid}"), &cy_tok, None).await;
    assert_eq!(m.ok(Route::GetChatMessage, &one), posted);
    let edited =
        m.member(M::PUT, &format!("{messages}/{mid}"), &cy_tok, Some(json!({"message": "hello!"}))).await;
    assert_eq!(m.ok(Route::EditChatMessage, &edited)["message"], "hello!");
    let gone = m.member(M::DELETE, &format!("{messages}/{mid}"), &cy_tok, None).await;
    assert_eq!(m.ok(Route::DeleteChatMessage, &gone)["id"], mid);
    let gone = m.api(M::DELETE, &format!("{users}/{cy_id}"), &ann, None).await;
    assert_eq!(m.ok(Route::DeleteChatUser, &gone)["id"], cy_id);
    let gone = m.api(M::DELETE, &format!("/api/chats/{chat_id}"), &ann, None).await;
    assert_eq!(m.ok(Route::DeleteChat, &gone)["id"], chat_id);
    let gone = m.api(M::DELETE, &format!("/api/companies/{cid}"), &ann, None).await;
    assert_eq!(m.ok(Route::DeleteCompany, &gone)["id"], cid);

    let seen = m.seen.lock().unwrap().clone();
    let all: BTreeSet<Route> = Route::ALL.iter().copied().collect();
    assert_eq!(seen, all, "routes not exercised");
}

#[tokio::test]
async fn the_two_undocumented_prefixes_and_patch_are_accepted() {
    let m = start().await;
    let (ann, _) = m.account("Ann").await;
    let chat = m.chat(&ann).await;
    let shared = m.api(Method::POST, &format!("/api/chats/{chat}/share"), &ann, None).await;
    m.ok(Route::Share, &shared);
    let patched =
        m.api(Method::PATCH, &format!("/api/chats/{chat}"), &ann, Some(json!({"name": "Patched"}))).await;
    assert_eq!(m.ok(Route::EditChat, &patched)["name"], "Patched");
    m.api(
        Method::POST,
        &format!("/api/chats/{chat}/users"),
        &ann,
        Some(json!({"name": "Cy", "email": "cy@example.org"})),
    )
    .await;
    let code = m.code_for("cy@example.org").await;
    let token = m
        .send(
            Method::POST,
            &format!("/api/chats/{chat}/users/get-token"),
            None,
            Some(json!({"email": "cy@example.org", "auth-code": code})),
        )
        .await;
    m.ok(Route::GetToken, &token);
}
