//! Status codes and error bodies (seed 002, "Response Status Codes"; NOTES.md C5, C19, C20): the
//! API's own bodies for bad input, wrong methods and unknown paths, and the rate limit.

use super::*;

#[tokio::test]
async fn bad_input_gets_the_apis_own_error_bodies() {
    let m = start().await;
    let (ann, _) = m.account("Ann").await;
    let url = |path: &str| format!("{}{path}?api_token={ann}", m.base);
    // Malformed, non-object and oversized bodies.
    for (body, status) in [
        ("{\"name\": ", StatusCode::UNPROCESSABLE_ENTITY),
        ("[1, 2]", StatusCode::UNPROCESSABLE_ENTITY),
        ("\"Acme\"", StatusCode::UNPROCESSABLE_ENTITY),
        ("\u{0}\u{1}", StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let r = m
            .http
            .post(url("/api/companies"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), status, "{body:?}");
        let v: Value = r.json().await.unwrap();
        check("connectnow", "error.validation", &v);
        assert!(v["errors"]["body"].is_array());
    }
    let huge = m
        .http
        .post(url("/api/companies"))
        .header("content-type", "application/json")
        .body(format!("{{\"name\": \"{}\"}}", "x".repeat(2 * 1024 * 1024)))
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
    check("connectnow", "error", &huge.json().await.unwrap());
    // Wrong types and missing fields name every bad field.
    let r = m.api(Method::POST, "/api/chats", &ann, Some(json!({"company_id": "abc", "name": 3}))).await;
    error(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.body,
        json!({
            "message": "The company id must be an integer. (and 1 more error)",
            "errors": {
                "company_id": ["The company id must be an integer."],
                "name": ["The name must be a string."]
            }
        })
    );
    let chat = m.chat(&ann).await;
    let r = m
        .api(
            Method::POST,
            &format!("/api/chats/{chat}/users"),
            &ann,
            Some(json!({"email": "not an address"})),
        )
        .await;
    error(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.body["errors"],
        json!({"email": ["The email must be a valid email address."], "name": ["The name field is required."]})
    );
    // Wrong methods, unknown paths, non-numeric ids.
    for (method, path, allow) in [
        (Method::DELETE, "/api/companies", "GET, HEAD, POST"),
        (Method::POST, "/api/companies/1", "GET, HEAD, PUT, PATCH, DELETE"),
        (Method::GET, "/chats/1/users/get-token", "POST"),
        (Method::PUT, "/chats/1/share", "POST"),
        (Method::POST, "/api/user", "GET, HEAD"),
    ] {
        let r = m.api(method, path, &ann, None).await;
        error(&r, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(r.headers["allow"], allow, "{path}");
    }
    for path in [
        "/api/nothing",
        "/",
        "/api/companies/1/extra",
        "/api/companies/abc",
        "/api/chats/-1",
        "/api/companies/%FF",
        "/api/chats/99999999999999999999999",
    ] {
        let r = m.api(Method::GET, path, &ann, None).await;
        error(&r, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn the_rate_limit_is_off_until_set_and_then_answers_429() {
    let m = start().await;
    let (ann, _) = m.account("Ann").await;
    for _ in 0..100 {
        let r = m.api(Method::GET, "/api/user", &ann, None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.headers.get("x-ratelimit-limit").is_none());
    }
    let set = m.admin(Method::POST, "/_mock/rate-limit", Some(json!({"per_minute": 3}))).await;
    assert_eq!(set, json!({"per_minute": 3}));
    for remaining in ["2", "1", "0"] {
        let r = m.api(Method::GET, "/api/user", &ann, None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.headers["x-ratelimit-limit"], "3");
        assert_eq!(r.headers["x-ratelimit-remaining"], remaining);
    }
    let over = m.api(Method::GET, "/api/user", &ann, None).await;
    error(&over, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(over.body, json!({"message": "Too Many Attempts."}));
    assert_eq!(over.headers["retry-after"], "60");
    // Another caller counts apart; a minute later the window is new.
    let (bob, _) = m.account("Bob").await;
    let r = m.api(Method::GET, "/api/user", &bob, None).await;
    assert_eq!(r.status, StatusCode::OK);
    m.advance(60).await;
    let r = m.api(Method::GET, "/api/user", &ann, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let off = m.admin(Method::POST, "/_mock/rate-limit", Some(json!({"per_minute": null}))).await;
    assert_eq!(off, json!({"per_minute": null}));
    assert_eq!(m.admin(Method::GET, "/_mock/rate-limit", None).await, json!({"per_minute": null}));
}
