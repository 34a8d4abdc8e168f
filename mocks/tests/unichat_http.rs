//! The Unichat transport: the seed 000 envelope for every kind of bad input (router tested
//! without a socket), CORS for browsers, and SSE over a real socket on port 0.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/tls.rs"]
mod tls;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use chatspec_mocks::kit::{Clock, serve};
use chatspec_mocks::unichat::{self, Config, Unichat};
use futures::StreamExt;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

fn state() -> std::sync::Arc<Unichat> {
    Unichat::new(
        Config::default(),
        Clock::fixed(time::macros::datetime!(2026-01-01 00:00:00 UTC)),
        Duration::from_millis(50),
    )
}

async fn send(app: axum::Router, req: Request<Body>) -> (StatusCode, Value) {
    let resp = app.oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

fn register(s: &Unichat, email: &str) -> String {
    let reply =
        s.call("register", Some("test_token1"), None, json!({"email": email, "password": "p"})).unwrap();
    reply["user"]["auth_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn bad_input_gets_the_error_envelope_never_a_500() {
    let s = state();
    let token = register(&s, "a@b.io");
    let authed = |path: &str, body: String| {
        Request::post(path)
            .header("APP_DOMAIN_TOKEN", "test_token1")
            .header("USER_AUTH_TOKEN", token.clone())
            .body(Body::from(body))
            .unwrap()
    };
    let huge = format!(r#"{{"args": {{"text": "{}"}}}}"#, "x".repeat(33 * 1024 * 1024));
    let cases: Vec<(Request<Body>, &str)> = vec![
        (authed("/api/get_subscriptions", "{not json".into()), "invalid_request"),
        (authed("/api/get_subscriptions", "[1,2]".into()), "invalid_request"),
        (authed("/api/get_subscriptions", r#"{"args": 5}"#.into()), "invalid_request"),
        (authed("/api/nope", r#"{"args": {}}"#.into()), "unknown_method"),
        (authed("/api/create_room", r#"{"args": {"name": 5}}"#.into()), "invalid_args"),
        (authed("/api/get_message", r#"{"args": {"message_id": -1}}"#.into()), "invalid_args"),
        (authed("/api/get_message", r#"{"args": {"message_id": 999}}"#.into()), "not_found"),
        (
            Request::post("/api/get_subscriptions")
                .header("APP_DOMAIN_TOKEN", "test_token1")
                .body(Body::from(r#"{"args": {}}"#))
                .unwrap(),
            "auth_required",
        ),
        (Request::get("/api/get_subscriptions").body(Body::empty()).unwrap(), "invalid_request"),
        (authed("/api/post_message", huge), "too_large"),
    ];
    for (req, code) in cases {
        let what = format!("{} {}", req.method(), req.uri());
        let (status, body) = send(unichat::app(s.clone()), req).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {body}");
        assert_eq!(body["status"], "error", "{what}");
        assert_eq!(body["error_code"], code, "{what}: {body}");
        assert!(body["error_text"].as_str().is_some_and(|t| !t.is_empty()), "{what}");
    }
    let (status, body) =
        send(unichat::app(s.clone()), Request::get("/no/such/path").body(Body::empty()).unwrap()).await;
    assert_eq!((status, body["status"].as_str()), (StatusCode::NOT_FOUND, Some("error")));
    // Nothing was lost: the state still answers.
    assert!(s.call("get_subscriptions", Some("test_token1"), Some(&token), json!({})).is_ok());
}

#[tokio::test]
async fn browsers_may_call_with_credentials_from_any_origin() {
    let req = Request::builder()
        .method(Method::OPTIONS)
        .uri("/api/create_room")
        .header("origin", "http://app.example")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "app_domain_token,user_auth_token,content-type")
        .body(Body::empty())
        .unwrap();
    let resp = unichat::app(state()).oneshot(req).await.unwrap();
    let h = resp.headers();
    assert_eq!(h["access-control-allow-origin"], "http://app.example");
    assert_eq!(h["access-control-allow-credentials"], "true");
    assert!(h["access-control-allow-headers"].to_str().unwrap().contains("user_auth_token"));
}

#[tokio::test]
async fn records_keep_their_shape() {
    let s = state();
    let token = register(&s, "alice@x.io");
    let room = s.call("create_room", Some("test_token1"), Some(&token), json!({"name": "general"})).unwrap();
    let sid = room["subscription"]["id"].clone();
    let args = json!({
        "subscription_id": sid, "text": "hello", "uid": "u-1",
        "attachment": "data:image/png;base64,iVBORw0KGgo=", "attachment_filename": "p.png",
    });
    let msg = s.call("post_message", Some("test_token1"), Some(&token), args).unwrap();
    insta::assert_json_snapshot!("post_message_reply", msg, {
        ".message.id" => "[id]",
        ".message.user_id" => "[id]",
        ".message.group_id" => "[id]",
        ".message.attachment.url" => "[url]",
        ".message.attachment.preview" => "[url]",
        ".message.attachments[].url" => "[url]",
        ".message.attachments[].preview" => "[url]",
    });
    insta::assert_json_snapshot!("create_room_reply", room, {
        ".subscription.id" => "[id]",
        ".subscription.group_id" => "[id]",
        ".subscription.user_id" => "[id]",
        ".subscription.group.id" => "[id]",
        ".subscription.group.owner_id" => "[id]",
        ".subscription.group.last_message_id" => "[id]",
        ".subscription.group.participants[].user_id" => "[id]",
        ".subscription.group.participants[].user.id" => "[id]",
        ".subscription.user.id" => "[id]",
    });
}

#[tokio::test]
async fn sse_streams_ready_pings_and_notifications_and_ends_on_shutdown() {
    let s = state();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = serve::base_url(&listener).unwrap();
    let stop = CancellationToken::new();
    let server = tokio::spawn(unichat::run(s.clone(), listener, stop.clone()));

    let token = register(&s, "a@x.io");
    let code = s.call("create_sse_auth_code", Some("test_token1"), Some(&token), json!({})).unwrap()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let client = tls::http_client().no_proxy().build().unwrap();
    let resp = client.get(format!("{base}/sse/{code}")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let mut body = resp.bytes_stream();
    let mut seen = String::new();
    macro_rules! next {
        () => {
            tokio::time::timeout(Duration::from_secs(5), body.next())
                .await
                .expect("an event in time")
                .map(|c| String::from_utf8_lossy(&c.unwrap()).into_owned())
        };
    }
    while !seen.contains("event_source_ready") {
        seen.push_str(&next!().unwrap());
    }
    assert!(!seen.contains("unichat_notification"), "ready comes first");
    s.call("create_room", Some("test_token1"), Some(&token), json!({"name": "r"})).unwrap();
    while !(seen.contains("unichat_notification") && seen.contains("event: ping")) {
        seen.push_str(&next!().unwrap());
    }
    assert!(seen.contains("\"object_name\":\"subscription\""), "{seen}");
    // The code stays valid for its user's reconnects (NOTES.md U40); a made-up one is refused.
    let again = client.get(format!("{base}/sse/{code}")).send().await.unwrap();
    assert_eq!(again.status(), 200);
    drop(again);
    let made_up = client.get(format!("{base}/sse/made-up")).send().await.unwrap();
    assert_eq!(made_up.status(), 400);
    // Shutdown ends the open stream and the server.
    stop.cancel();
    while next!().is_some() {}
    tokio::time::timeout(Duration::from_secs(5), server).await.expect("the server stops").unwrap().unwrap();
}

#[tokio::test]
async fn a_browser_page_may_provision_test_users() {
    let req = Request::builder()
        .method(Method::POST)
        .uri("/_mock/users")
        .header("origin", "http://app.example")
        .header("content-type", "application/json")
        .body(Body::from(r#"{"name": "alice"}"#))
        .unwrap();
    let resp = unichat::app(state()).oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    assert_eq!(resp.headers()["access-control-allow-origin"], "http://app.example");
}

#[tokio::test]
async fn a_reset_ends_the_streams_opened_before_it() {
    let s = state();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = serve::base_url(&listener).unwrap();
    let stop = CancellationToken::new();
    tokio::spawn(unichat::run(s.clone(), listener, stop.clone()));
    let token = register(&s, "a@x.io");
    let code = s.call("create_sse_auth_code", Some("test_token1"), Some(&token), json!({})).unwrap()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let client = tls::http_client().no_proxy().build().unwrap();
    let mut body = client.get(format!("{base}/sse/{code}")).send().await.unwrap().bytes_stream();
    let mut seen = String::new();
    // Pings come every 50 ms: the stream must end, not go on pinging a user who is gone.
    macro_rules! next {
        () => {
            tokio::time::timeout(Duration::from_secs(5), body.next()).await
        };
    }
    while !seen.contains("event: ping") {
        let chunk = next!().expect("a ping in time").expect("the stream is open").unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    let reset = client.post(format!("{base}/_mock/reset")).send().await.unwrap();
    assert_eq!(reset.status(), 200);
    let ended = async {
        while let Some(chunk) = body.next().await {
            assert!(chunk.is_ok(), "the stream ends cleanly: {chunk:?}");
        }
    };
    tokio::time::timeout(Duration::from_secs(5), ended).await.expect("the stream ends after the reset");
    stop.cancel();
}
