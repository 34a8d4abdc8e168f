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
