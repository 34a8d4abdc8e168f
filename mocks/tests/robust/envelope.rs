//! Every error in the API's own envelope: a `%FF` in a path, and a wrong method on Unichat's
//! SSE and file URLs (seed 000: "On error, the 400 result code will be returned" with the
//! envelope), never axum's empty or plain-text replies.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::Value;

use super::support::send;

async fn json_error(app: &axum::Router, method: Method, path: &str) -> (StatusCode, Value) {
    let req = Request::builder().method(method.clone()).uri(path).body(Body::empty()).unwrap();
    let (status, headers, body) = send(app, req).await;
    let ct = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let value: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    assert!(
        ct.starts_with("application/json") && value.is_object(),
        "{method} {path}: expected the API's JSON error envelope, got {status} {ct:?} {:?}",
        String::from_utf8_lossy(&body)
    );
    (status, value)
}

#[tokio::test]
async fn unichat_errors_are_enveloped_on_every_path() {
    let app = chatspec_mocks::unichat::app(chatspec_mocks::unichat::Unichat::with_defaults());
    for (method, path) in
        [(Method::POST, "/api/%FF"), (Method::GET, "/sse/%FF"), (Method::GET, "/files/%FF/a.txt")]
    {
        let (status, body) = json_error(&app, method, path).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {body}");
        assert_eq!(body["error_code"], "invalid_request", "{path}: {body}");
    }
    for (method, path) in [(Method::POST, "/sse/abc"), (Method::DELETE, "/files/1/a.txt")] {
        let (status, body) = json_error(&app, method.clone(), path).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}: {body}");
    }
}

#[tokio::test]
async fn sama_file_urls_with_a_bad_path_get_the_error_shape() {
    let app = chatspec_mocks::sama::app(chatspec_mocks::sama::Sama::with_defaults());
    for method in [Method::GET, Method::PUT] {
        let (status, body) = json_error(&app, method.clone(), "/files/%FF").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method}: {body}");
        assert!(body["error"]["message"].is_string(), "{method}: {body}");
    }
}

#[tokio::test]
async fn unichat_attachment_urls_use_the_host_the_client_used() {
    let app = chatspec_mocks::unichat::app(chatspec_mocks::unichat::Unichat::with_defaults());
    let host = "chat.example.test:18080";
    let call = |method: &str, token: Option<&str>, args: serde_json::Value| {
        let mut req = Request::post(format!("/api/{method}"))
            .header("host", host)
            .header("content-type", "application/json")
            .header("APP_DOMAIN_TOKEN", "test_token1");
        if let Some(t) = token {
            req = req.header("USER_AUTH_TOKEN", t);
        }
        req.body(Body::from(serde_json::json!({"args": args}).to_string())).unwrap()
    };
    let (_, _, reg) =
        send(&app, call("register", None, serde_json::json!({"email": "a@b.io", "password": "p"}))).await;
    let reg: Value = serde_json::from_slice(&reg).unwrap();
    let token = reg["user"]["auth_token"].as_str().unwrap().to_owned();
    let (_, _, room) =
        send(&app, call("create_room", Some(&token), serde_json::json!({"name": "r", "user_ids": []}))).await;
    let room: Value = serde_json::from_slice(&room).unwrap();
    let sid = room["subscription"]["id"].clone();
    let args =
        serde_json::json!({"subscription_id": sid, "text": "f", "attachment": "data:text/plain;base64,aGk="});
    let (_, _, posted) = send(&app, call("post_message", Some(&token), args)).await;
    let posted: Value = serde_json::from_slice(&posted).unwrap();
    let url = posted["message"]["attachments"][0]["url"].as_str().unwrap_or_default();
    assert!(
        url.starts_with(&format!("http://{host}/files/")),
        "the attachment URL must use the Host the client used, not the listening address: {posted}"
    );
}

#[tokio::test]
async fn unknown_method_names_what_the_mock_serves() {
    let app = chatspec_mocks::unichat::app(chatspec_mocks::unichat::Unichat::with_defaults());
    let req = Request::post("/api/post_mesage")
        .header("APP_DOMAIN_TOKEN", "test_token1")
        .body(Body::from("{}"))
        .unwrap();
    let (_, _, body) = send(&app, req).await;
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["error_code"], "unknown_method", "{body}");
    let text = body["error_text"].as_str().unwrap_or_default();
    for method in chatspec_specs::unichat::Method::ALL {
        assert!(text.contains(method.name()), "the reply must list {}: {text}", method.name());
    }
}
