//! The admin API as client developers use it: a SAMA user provisioned for the device a
//! browser SDK will send.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};

use super::support::{apps, send};

fn post(path: &str, body: &Value) -> Request<Body> {
    Request::post(path).header("content-type", "application/json").body(Body::from(body.to_string())).unwrap()
}

#[tokio::test]
async fn sama_users_are_provisioned_on_the_device_asked_for_and_others_refuse_a_device() {
    for (api, app) in apps() {
        let (status, _, body) =
            send(&app, post("/_mock/users", &json!({"name": "Ann", "device_id": "fp-42"}))).await;
        let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        if api == "sama" {
            assert_eq!(status, StatusCode::CREATED, "{body}");
            assert_eq!(
                body["device_id"], "fp-42",
                "the token must be issued for the device asked for: {body}"
            );
            assert_eq!(body["user"]["native_id"], body["user"]["_id"], "{body}");
        } else {
            assert_eq!(
                status,
                StatusCode::BAD_REQUEST,
                "{api}: a device_id it cannot honour must be refused: {body}"
            );
            assert!(body.to_string().contains("device"), "{api}: {body}");
        }
    }
}
