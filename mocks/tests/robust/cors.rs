//! CORS with credentials on every mock and every route, admin included (Fetch standard, CORS
//! protocol: with credentials the origin is echoed, never `*`).

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request};

use super::support::{apps, send};

const ORIGIN: &str = "http://app.example.test:3000";

/// A path of each kind every mock serves: an API route and the admin routes.
fn paths(api: &str) -> Vec<(&'static str, Method)> {
    let mut paths = vec![
        ("/_mock/users", Method::POST),
        ("/_mock/reset", Method::POST),
        ("/_mock/health", Method::GET),
        ("/_mock/state", Method::GET),
    ];
    paths.extend(match api {
        "unichat" => vec![("/api/get_subscriptions", Method::POST)],
        "sama" => vec![("/login", Method::POST), ("/logout", Method::POST), ("/files/x", Method::PUT)],
        "connectnow" => vec![("/api/chats", Method::GET), ("/api/users", Method::POST)],
        "onechat" => vec![("/onechat/api/singleMessage", Method::POST)],
        _ => vec![],
    });
    paths
}

fn allows(headers: &HeaderMap, api: &str, what: &str) {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert_eq!(
        get("access-control-allow-origin"),
        ORIGIN,
        "{api} {what}: expected the page's origin echoed in Access-Control-Allow-Origin (a credentialed request \
         forbids `*`); headers {headers:?}"
    );
    assert_eq!(
        get("access-control-allow-credentials"),
        "true",
        "{api} {what}: expected Access-Control-Allow-Credentials: true so a page may send cookies; headers {headers:?}"
    );
}

#[tokio::test]
async fn every_route_answers_a_credentialed_preflight() {
    for (api, app) in apps() {
        for (path, method) in paths(api) {
            let req = Request::builder()
                .method(Method::OPTIONS)
                .uri(path)
                .header("origin", ORIGIN)
                .header("access-control-request-method", method.as_str())
                .header("access-control-request-headers", "content-type,authorization,device_id")
                .body(Body::empty())
                .unwrap();
            let (status, headers, body) = send(&app, req).await;
            let what = format!("OPTIONS {path} (preflight of {method})");
            assert!(
                status.is_success(),
                "{api} {what}: expected 2xx, got {status} {}",
                String::from_utf8_lossy(&body)
            );
            allows(&headers, api, &what);
            let methods =
                headers.get("access-control-allow-methods").and_then(|v| v.to_str().ok()).unwrap_or("");
            assert!(methods.contains(method.as_str()), "{api} {what}: allowed methods {methods:?}");
            let allowed =
                headers.get("access-control-allow-headers").and_then(|v| v.to_str().ok()).unwrap_or("");
            assert!(
                allowed.contains("authorization") && allowed.contains("device_id"),
                "{api} {what}: {allowed:?}"
            );
        }
    }
}

#[tokio::test]
async fn every_reply_lets_a_credentialed_page_read_it() {
    for (api, app) in apps() {
        for (path, method) in paths(api) {
            let req = Request::builder()
                .method(method.clone())
                .uri(path)
                .header("origin", ORIGIN)
                .header("content-type", "application/json")
                .body(Body::from(r#"{"name": "Ann"}"#))
                .unwrap();
            let (status, headers, _) = send(&app, req).await;
            allows(&headers, api, &format!("{method} {path} answered {status}"));
        }
    }
}
