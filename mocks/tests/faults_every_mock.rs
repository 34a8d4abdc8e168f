//! `/_mock/faults` on the connectnow, OneChat and SAMA mocks: the same vocabulary as on
//! Unichat (`faults.rs`), driven over a real socket on port 0 by a plain HTTP client. A
//! `server_error` armed for a route replaces its next reply, is listed as fired, and a reset
//! disarms what is left.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/tls.rs"]
mod tls;

use chatspec_mocks::kit::serve;
use chatspec_mocks::{connectnow, onechat, sama};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

/// Starts a mock with `run` on port 0; returns its base URL and the token that stops it.
async fn start<F, Fut>(run: F) -> (String, CancellationToken)
where
    F: FnOnce(tokio::net::TcpListener, CancellationToken) -> Fut,
    Fut: std::future::Future<Output = std::io::Result<()>> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = serve::base_url(&listener).unwrap();
    let stop = CancellationToken::new();
    tokio::spawn(run(listener, stop.clone()));
    (base, stop)
}

/// Arms a 503 on `method path`, checks the next such request gets it and the one after does
/// not, that it is listed as fired, and that a reset disarms a fault armed for many requests.
async fn a_server_error_fires_once(base: &str, method: &str, path: &str) {
    let http = tls::http_client().no_proxy().build().unwrap();
    let send = || async {
        let req = http.request(method.parse().unwrap(), format!("{base}{path}"));
        req.json(&json!({})).send().await.unwrap().status().as_u16()
    };
    let armed = http
        .post(format!("{base}/_mock/faults"))
        .json(&json!({"kind": "server_error", "status": 503, "route": path, "method": method, "times": 1}))
        .send()
        .await
        .unwrap();
    assert!(armed.status().is_success(), "{base}: arming answered {}", armed.status());
    assert_eq!(send().await, 503, "{base}{path}: the armed fault replaces the reply");
    assert_ne!(send().await, 503, "{base}{path}: a fault for 1 occurrence is spent");
    let listing: Value = http.get(format!("{base}/_mock/faults")).send().await.unwrap().json().await.unwrap();
    assert_eq!(
        listing["fired"],
        json!([{"fault": 1, "kind": "server_error", "request": format!("{method} {path}"), "status": 503}]),
        "{base}: {listing}"
    );
    http.post(format!("{base}/_mock/faults"))
        .json(&json!({"kind": "server_error", "route": path, "times": 100}))
        .send()
        .await
        .unwrap();
    http.post(format!("{base}/_mock/reset")).send().await.unwrap();
    assert_ne!(send().await, 503, "{base}{path}: a reset disarms every fault");
    let listing: Value = http.get(format!("{base}/_mock/faults")).send().await.unwrap().json().await.unwrap();
    assert_eq!(listing["armed"], json!([]), "{base}: {listing}");
}

#[tokio::test]
async fn connectnow_serves_faults() {
    let state = connectnow::ConnectNow::with_defaults();
    let (base, stop) = start(move |l, s| connectnow::run(state, l, s)).await;
    a_server_error_fires_once(&base, "GET", "/api/user").await;
    stop.cancel();
}

#[tokio::test]
async fn onechat_serves_faults() {
    let state = onechat::OneChat::with_defaults();
    let (base, stop) = start(move |l, s| onechat::run(state, l, s)).await;
    a_server_error_fires_once(&base, "POST", "/onechat/api/massBroadcast").await;
    stop.cancel();
}

#[tokio::test]
async fn sama_serves_faults() {
    let state = sama::Sama::with_defaults();
    let (base, stop) = start(move |l, s| sama::run(state, l, s)).await;
    a_server_error_fires_once(&base, "POST", "/login").await;
    stop.cancel();
}
