//! Serving a mock's router on a listener until shutdown.

use std::net::SocketAddr;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// Binds `addr` (use port 0 for an ephemeral port).
pub async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr).await
}

/// Serves `router` on `listener` until `shutdown` is cancelled. Long-lived streams (SSE,
/// WebSocket) must watch the same token, or graceful shutdown would wait for them forever.
pub async fn run(router: Router, listener: TcpListener, shutdown: CancellationToken) -> std::io::Result<()> {
    axum::serve(listener, router).with_graceful_shutdown(async move { shutdown.cancelled().await }).await
}

/// The base URL a listener is reachable at (`http://127.0.0.1:PORT`).
pub fn base_url(listener: &TcpListener) -> std::io::Result<String> {
    let addr = listener.local_addr()?;
    Ok(format!("http://{addr}"))
}

/// One request through `router` without a socket, on the calling thread: method, path and
/// query, headers and body in; status, headers and body out. For test doubles that wrap a
/// mock and break its replies in a synchronous callback. The mocks' REST routes never wait on
/// I/O (the body is already in memory), so the request completes without a runtime.
pub fn respond(
    router: Router,
    method: &Method,
    path_and_query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> (StatusCode, HeaderMap, Bytes) {
    use tower::ServiceExt as _;
    let mut req = Request::new(Body::from(body.to_vec()));
    *req.method_mut() = method.clone();
    *req.headers_mut() = headers.clone();
    match path_and_query.parse() {
        Ok(uri) => *req.uri_mut() = uri,
        Err(_) => return (StatusCode::BAD_REQUEST, HeaderMap::new(), Bytes::from_static(b"bad request URI")),
    }
    let resp = match futures::executor::block_on(router.oneshot(req)) {
        Ok(resp) => resp,
        Err(never) => match never {},
    };
    let (parts, body) = resp.into_parts();
    let bytes = futures::executor::block_on(axum::body::to_bytes(body, usize::MAX)).unwrap_or_default();
    (parts.status, parts.headers, bytes)
}
