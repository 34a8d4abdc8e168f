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

/// Bodies that break every assumption an admin route could make, and seeded mutations of
/// well-formed ones.
fn hostile_bodies() -> Vec<Vec<u8>> {
    use rand::{Rng, SeedableRng, rngs::StdRng};
    let mut bodies: Vec<Vec<u8>> = [
        "",
        "null",
        "[]",
        "{}",
        "\"x\"",
        "{\"seconds\": 1000000000000}",
        "{\"seconds\": 9223372036854775807}",
        "{\"seconds\": -9223372036854775808}",
        "{\"seconds\": 1e300}",
        "{\"seconds\": \"1\"}",
        "{\"name\": \"\"}",
        "{\"name\": \"\\u0000\\ud800\"}",
        "{\"name\": 5}",
        "{\"name\": \"Ann\", \"device_id\": \"\"}",
        "{\"name\": \"Ann\", \"device_id\": 7}",
        "{\"limit\": -1, \"window_seconds\": 18446744073709551615}",
        "{\"limit\": 0, \"window_seconds\": 0}",
    ]
    .iter()
    .map(|b| b.as_bytes().to_vec())
    .collect();
    bodies.push(format!("{{\"name\": \"{}\"}}", "n".repeat(100_000)).into_bytes());
    bodies.push(vec![0xff, 0xfe, 0x00, b'{']);
    let seeds = ["{\"name\": \"Ann Lee\"}", "{\"seconds\": 3600}", "{\"limit\": 5, \"window_seconds\": 60}"];
    let mut rng = StdRng::seed_from_u64(12);
    for _ in 0..60 {
        let mut body = seeds[rng.random_range(0..seeds.len())].as_bytes().to_vec();
        for _ in 0..rng.random_range(1..4) {
            let at = rng.random_range(0..body.len());
            match rng.random_range(0..3) {
                0 => body[at] = rng.random(),
                1 => body.insert(at, b"{}[]\",:-9e"[rng.random_range(0..10)]),
                _ => {
                    body.remove(at);
                }
            }
        }
        bodies.push(body);
    }
    bodies
}

#[tokio::test]
async fn no_admin_request_panics_a_mock_or_leaves_it_broken() {
    let paths = [
        "/_mock/users",
        "/_mock/clock/advance",
        "/_mock/reset",
        "/_mock/rate-limit",
        "/_mock/groups",
        "/_mock/sessions",
        "/_mock/passwords",
    ];
    let bodies = hostile_bodies();
    for (api, app) in apps() {
        for path in paths {
            for body in &bodies {
                let req = Request::post(path)
                    .header("content-type", "application/json")
                    .body(Body::from(body.clone()))
                    .unwrap();
                let (status, _, reply) = send(&app, req).await;
                let shown = String::from_utf8_lossy(body);
                assert!(
                    !status.is_server_error(),
                    "{api} POST {path} {shown:?}: expected a 4xx refusal or a success, got {status} {}",
                    String::from_utf8_lossy(&reply)
                );
                let (health, _, _) =
                    send(&app, Request::get("/_mock/health").body(Body::empty()).unwrap()).await;
                assert_eq!(health, StatusCode::OK, "{api}: /_mock/health after POST {path} {shown:?}");
            }
        }
    }
}

#[tokio::test]
async fn reset_restores_a_rate_limit_set_through_the_admin_api() {
    let app = chatspec_mocks::connectnow::app(chatspec_mocks::connectnow::ConnectNow::with_defaults());
    let get = || Request::get("/_mock/rate-limit").body(Body::empty()).unwrap();
    let (_, _, before) = send(&app, get()).await;
    let (status, _, _) = send(&app, post("/_mock/rate-limit", &json!({"per_minute": 3}))).await;
    assert_eq!(status, StatusCode::OK);
    let (_, _, set) = send(&app, get()).await;
    assert_ne!(set, before, "the limit was set");
    send(&app, post("/_mock/reset", &json!({}))).await;
    let (_, _, after) = send(&app, get()).await;
    assert_eq!(
        String::from_utf8_lossy(&after),
        String::from_utf8_lossy(&before),
        "/_mock/reset empties all state: the rate limit must be the one the mock started with"
    );
}
