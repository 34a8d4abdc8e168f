//! Serving a mock's router on a listener until shutdown.

use std::net::SocketAddr;
use std::time::Instant;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use axum::serve::{ListenerExt, TapIo};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;

/// Binds `addr` (use port 0 for an ephemeral port).
pub async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr).await
}

/// Serves `router` on `listener` until `shutdown` is cancelled, every accepted socket with
/// TCP_NODELAY ([`tuned`]), every request body read to its end before the reply
/// ([`super::drain`], so keep-alive holds) and every call logged ([`log_calls`]). Long-lived
/// streams (SSE, WebSocket) must watch the same token, or graceful shutdown would wait for
/// them forever.
pub async fn run(router: Router, listener: TcpListener, shutdown: CancellationToken) -> std::io::Result<()> {
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    let router = router
        .layer(axum::middleware::from_fn(super::drain::drain))
        .layer(axum::middleware::from_fn_with_state(port, log_calls));
    axum::serve(tuned(listener), router)
        .with_graceful_shutdown(async move { shutdown.cancelled().await })
        .await
}

/// The listener with TCP_NODELAY set on every accepted socket: without it a reply (a SAMA
/// ack) can wait behind Nagle's algorithm for the client's delayed ACK, tens of ms.
pub fn tuned(listener: TcpListener) -> TapIo<TcpListener, fn(&mut TcpStream)> {
    fn no_delay(tcp: &mut TcpStream) {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!("TCP_NODELAY could not be set on an accepted socket: {e}");
        }
    }
    listener.tap_io(no_delay as fn(&mut TcpStream))
}

/// One `tracing` line per HTTP call at target `chatspec_mocks::calls`, level INFO: the port
/// served, method, path, status and latency in milliseconds (for a stream, until its head).
/// Seen with `RUST_LOG=chatspec_mocks=info` or `chatspec serve --log`.
pub async fn log_calls(State(port): State<u16>, req: Request<Body>, next: Next) -> Response {
    let (method, path) = (req.method().clone(), req.uri().path().to_owned());
    let started = Instant::now();
    let resp = next.run(req).await;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(target: "chatspec_mocks::calls", ":{port} {method} {path} {} {ms:.2} ms", resp.status().as_u16());
    resp
}

/// Resolves on the first of SIGINT (Ctrl-C) and, on Unix, SIGTERM (`docker stop`, CI
/// runners): the moment to cancel the mocks' shutdown token so streams end cleanly.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sig) => {
                sig.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

/// The address `chatspec serve --addr` names: `HOST:PORT` (an IP, or `localhost` for
/// 127.0.0.1), or a bare `PORT` on 127.0.0.1; `port` (from `--port`) replaces the port.
/// Errors say what is accepted.
pub fn listen_addr(text: &str, port: Option<u16>) -> Result<SocketAddr, AddrError> {
    let text = text.trim();
    let parsed = if let Ok(p) = text.parse::<u16>() {
        SocketAddr::from(([127, 0, 0, 1], p))
    } else if let Ok(addr) = text.parse::<SocketAddr>() {
        addr
    } else {
        let (host, p) = text.rsplit_once(':').ok_or_else(|| AddrError::NoPort(text.to_owned()))?;
        let p: u16 =
            p.parse().map_err(|_| AddrError::BadPort { addr: text.to_owned(), port: p.to_owned() })?;
        if !host.eq_ignore_ascii_case("localhost") {
            return Err(AddrError::BadHost { addr: text.to_owned(), host: host.to_owned() });
        }
        SocketAddr::from(([127, 0, 0, 1], p))
    };
    Ok(match port {
        Some(p) => SocketAddr::new(parsed.ip(), p),
        None => parsed,
    })
}

/// Why `--addr` names no address to listen on; every message ends with what is accepted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AddrError {
    /// Neither a port, an IP address with its port, nor `HOST:PORT` (the text).
    #[error("{0:?}: {ACCEPTED}")]
    NoPort(String),
    /// The part after the last `:` is not a port number.
    #[error("{addr:?}: the port {port:?} is not 0 to 65535; {ACCEPTED}")]
    BadPort {
        /// The whole `--addr` text.
        addr: String,
        /// Its port part.
        port: String,
    },
    /// The host is a name other than `localhost` (no names are resolved).
    #[error("{addr:?}: the host {host:?} is not an IP address or localhost; {ACCEPTED}")]
    BadHost {
        /// The whole `--addr` text.
        addr: String,
        /// Its host part.
        host: String,
    },
}

const ACCEPTED: &str = "expected HOST:PORT (an IP or localhost), [IPv6]:PORT, or a port";

/// The base URL a client reached the mock at: `http://<Host>` (`https` when
/// `X-Forwarded-Proto: https`), so links work behind a port mapping or a proxy; `None` when
/// the request has no `Host` that is a plain `host[:port]`.
pub fn request_base(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(axum::http::header::HOST)?.to_str().ok()?.trim();
    let plain = |c: char| c.is_ascii_alphanumeric() || "-._:[]".contains(c);
    if host.is_empty() || !host.chars().all(plain) {
        return None;
    }
    let proto = headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()).map(str::trim);
    let scheme = if proto.is_some_and(|p| p.eq_ignore_ascii_case("https")) { "https" } else { "http" };
    Some(format!("{scheme}://{host}"))
}

/// The base URL a listener is reachable at (`http://127.0.0.1:PORT`).
pub fn base_url(listener: &TcpListener) -> std::io::Result<String> {
    let addr = listener.local_addr()?;
    Ok(format!("http://{addr}"))
}

/// One request through `router` without a socket, on the calling thread: method, path and
/// query, headers and body in; status, headers and body out. For test doubles that wrap a
/// mock and break its replies in a synchronous callback, often on a thread of an async
/// runtime, which must not block. The mocks' REST routes never wait on I/O (the body is
/// already in memory), so the request is polled once and is complete; a route that would wait
/// (an SSE stream, a `delay` fault) gets 500 with a text that says so, rather than a blocked
/// thread.
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
    use futures::FutureExt as _;
    let waits = || {
        let text = "the route waits (a stream or a delay): respond serves only replies ready at once";
        (StatusCode::INTERNAL_SERVER_ERROR, HeaderMap::new(), Bytes::from_static(text.as_bytes()))
    };
    let resp = match router.oneshot(req).now_or_never() {
        Some(Ok(resp)) => resp,
        Some(Err(never)) => match never {},
        None => return waits(),
    };
    let (parts, body) = resp.into_parts();
    match axum::body::to_bytes(body, usize::MAX).now_or_never() {
        Some(bytes) => (parts.status, parts.headers, bytes.unwrap_or_default()),
        None => waits(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_addresses_take_a_port_localhost_or_an_ip() {
        let local = |p: u16| SocketAddr::from(([127, 0, 0, 1], p));
        assert_eq!(listen_addr("8080", None), Ok(local(8080)));
        assert_eq!(listen_addr("localhost:8081", None), Ok(local(8081)));
        assert_eq!(listen_addr("LOCALHOST:0", None), Ok(local(0)));
        assert_eq!(listen_addr("0.0.0.0:9000", None), Ok(SocketAddr::from(([0, 0, 0, 0], 9000))));
        assert_eq!(listen_addr("[::1]:9000", None).map(|a| a.port()), Ok(9000));
        assert_eq!(listen_addr("127.0.0.1:8080", Some(9999)), Ok(local(9999)));
        for bad in ["example.com:80", "localhost", "localhost:99999", "", ":x"] {
            let e = listen_addr(bad, None).expect_err(bad).to_string();
            assert!(e.contains("expected HOST:PORT"), "{bad}: {e}");
        }
    }

    #[tokio::test]
    async fn accepted_sockets_have_tcp_nodelay() {
        use axum::serve::Listener as _;
        let mut listener = tuned(TcpListener::bind("127.0.0.1:0").await.unwrap());
        let addr = listener.local_addr().unwrap();
        let client = tokio::spawn(TcpStream::connect(addr));
        let (accepted, _) = listener.accept().await;
        assert!(accepted.nodelay().unwrap(), "Nagle's algorithm must be off on accepted sockets");
        drop(client.await);
    }
}
