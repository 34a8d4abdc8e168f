//! Reading the whole request before the reply goes out, so HTTP/1.1 keep-alive holds.
//!
//! hyper reads what is left of a request body after the reply only if it has already
//! arrived; if not (the body comes in a later TCP segment), it closes the connection and the
//! client's next request on it fails. A refusal such as 413 has the same fate, worse: the
//! socket is closed with the client's bytes unread, the kernel resets it, and the client may
//! lose the reply while it still writes. So every mock's handler gets the body as it arrives,
//! and whatever it left unread is read and discarded ([`drain`]) before its reply is
//! returned, within [`DRAIN_LIMIT`] bytes and [`DRAIN_TIME`].

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::Poll;
use std::time::Duration;

use axum::body::{Body, HttpBody as _};
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use futures::StreamExt as _;

/// The most bytes read and discarded after a handler answered: past it the connection is
/// closed after the reply (`Connection: close`).
pub const DRAIN_LIMIT: usize = 64 * 1024 * 1024;

/// The longest wait for the rest of a body after a handler answered: a client that announced
/// more than it sends gets the reply then, with `Connection: close`.
pub const DRAIN_TIME: Duration = Duration::from_secs(5);

/// The middleware: the handler reads the body through a shared handle, and what it did not
/// read is drained before the reply is returned. When the body cannot be drained (too long,
/// too slow, broken, or never asked for by a client waiting on `Expect: 100-continue`), the
/// reply says `Connection: close`, so the client knows the connection ends.
pub async fn drain(req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let waits_for_continue =
        parts.headers.get(header::EXPECT).is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
    let shared = Arc::new(Mutex::new(body));
    let polled = Arc::new(AtomicBool::new(false));
    let reader = (shared.clone(), polled.clone());
    let handed = futures::stream::poll_fn(move |cx| {
        reader.1.store(true, Ordering::Relaxed);
        let mut body = reader.0.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            return match Pin::new(&mut *body).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                    Ok(data) => Poll::Ready(Some(Ok(data))),
                    // Trailers carry nothing a mock reads.
                    Err(_) => continue,
                },
                Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e))),
                Poll::Ready(None) => Poll::Ready(None),
                Poll::Pending => Poll::Pending,
            };
        }
    });
    let mut resp = next.run(Request::from_parts(parts, Body::from_stream(handed))).await;
    let rest = std::mem::take(&mut *shared.lock().unwrap_or_else(PoisonError::into_inner));
    if rest.is_end_stream() {
        return resp;
    }
    // A client waiting for 100 Continue that the handler never asked for sends no body.
    let drained = if waits_for_continue && !polled.load(Ordering::Relaxed) {
        false
    } else {
        tokio::time::timeout(DRAIN_TIME, read_to_end(rest)).await.unwrap_or(false)
    };
    if !drained {
        resp.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    resp
}

/// Reads `body` to its end, discarding it: false when it ends in an error or passes
/// [`DRAIN_LIMIT`].
async fn read_to_end(body: Body) -> bool {
    let mut chunks = body.into_data_stream();
    let mut read = 0usize;
    while let Some(chunk) = chunks.next().await {
        match chunk {
            Ok(bytes) => {
                read = read.saturating_add(bytes.len());
                if read > DRAIN_LIMIT {
                    return false;
                }
            }
            Err(_) => return false,
        }
    }
    true
}
