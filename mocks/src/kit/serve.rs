//! Serving a mock's router on a listener until shutdown.

use std::net::SocketAddr;

use axum::Router;
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
