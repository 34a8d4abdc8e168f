//! Every mock's whole router, and one request through it without a socket.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use chatspec_mocks::{connectnow, onechat, sama, unichat};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// `(api, its whole router)` for every mock, each on fresh state.
pub fn apps() -> Vec<(&'static str, Router)> {
    vec![
        ("unichat", unichat::app(unichat::Unichat::with_defaults())),
        ("sama", sama::app(sama::Sama::with_defaults())),
        ("connectnow", connectnow::app(connectnow::ConnectNow::with_defaults())),
        ("onechat", onechat::app(onechat::OneChat::with_defaults())),
    ]
}

/// One request through `app`: status, headers and body.
pub async fn send(app: &Router, req: Request<Body>) -> (StatusCode, HeaderMap, Vec<u8>) {
    let resp = app.clone().oneshot(req).await.unwrap();
    let (parts, body) = resp.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes().to_vec();
    (parts.status, parts.headers, bytes)
}
