//! One WebSocket connection (seed 003: "one JSON object per text frame"): frames in go to
//! the store; frames out come from the socket's queue, in the order the store made them.
//! Bad input gets an error frame and the socket stays open; a protocol error closes it
//! with the RFC 6455 code for it (1002, 1007, 1009); a client's Close is answered with a
//! Close. The loop ends when the client goes, when the store drops the socket (reset, or its
//! device linked a newer one), when the client reads too slowly to keep up (1008, NOTES.md
//! S65), or on shutdown.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use futures::{Sink, SinkExt, StreamExt};
use tokio_util::sync::CancellationToken;

use super::Sama;
use crate::kit::hub::{Consumer, Next, TOO_SLOW_REASON};

/// The close code for "going away" (RFC 6455).
const GOING_AWAY: u16 = 1001;
/// The close code for a normal closure.
const NORMAL: u16 = 1000;
/// RFC 6455 7.4.1: "a protocol error" (unmasked frame, unknown opcode, reserved bits ...).
const PROTOCOL_ERROR: u16 = 1002;
/// RFC 6455 7.4.1: "data within a message that was not consistent with the type of the
/// message (e.g., non-UTF-8 data within a text message)".
const INCONSISTENT_DATA: u16 = 1007;
/// RFC 6455 7.4.1: "a message that is too big for it to process".
const TOO_BIG: u16 = 1009;
/// RFC 6455 7.4.1: "a message that violates its policy. This is a generic status code that
/// can be returned when there is no other more suitable status code": here, a reader that
/// fell [`crate::kit::hub::QUEUE_LIMIT`] frames behind.
const POLICY: u16 = 1008;
/// How long a socket dropped for being too slow has to take its close frame (behind what its
/// socket buffers already hold) before the connection is cut without one.
pub const CLOSE_GRACE: Duration = Duration::from_secs(10);

/// The largest message (and frame) a socket takes, in bytes: larger is closed with 1009.
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;
/// Bytes reserved per socket for reading frames; grows only for a larger frame (the
/// WebSocket layer's default, 128 KiB, made an idle socket cost ~136 KiB).
pub const READ_BUFFER_BYTES: usize = 4 * 1024;
/// Bytes of frames gathered before they are written (a flush writes them at once anyway).
/// What waits to be written beyond it is bounded by the socket's queue
/// ([`crate::kit::hub::QUEUE_LIMIT`] frames): the loop takes no more from the queue while a
/// flush is pending.
pub const WRITE_BUFFER_BYTES: usize = 8 * 1024;

/// The close frame a read error calls for (RFC 6455 7.4.1), or none when the peer is gone.
fn close_for(error: axum::Error) -> Option<Message> {
    use tungstenite::error::{Error, ProtocolError};
    let inner = error.into_inner();
    let error = inner.downcast_ref::<Error>()?;
    match error {
        Error::Utf8(_) => Some(close(INCONSISTENT_DATA, "a text frame is not valid UTF-8")),
        Error::Capacity(_) => Some(close(TOO_BIG, "a message is larger than 16 MiB")),
        Error::Protocol(ProtocolError::ResetWithoutClosingHandshake) => None,
        Error::Protocol(p) => Some(close(PROTOCOL_ERROR, protocol_reason(p))),
        _ => None,
    }
}

fn protocol_reason(p: &tungstenite::error::ProtocolError) -> &'static str {
    use tungstenite::error::ProtocolError as P;
    match p {
        P::UnmaskedFrameFromClient => "a client frame must be masked",
        P::UnknownDataFrameType(_) | P::UnknownControlFrameType(_) => "unknown opcode",
        P::NonZeroReservedBits => "reserved bits set without an extension",
        P::FragmentedControlFrame | P::ControlFrameTooBig => "a control frame must be whole and short",
        P::UnexpectedContinueFrame | P::ExpectedFragment(_) => "frames out of sequence",
        _ => "WebSocket protocol error",
    }
}

fn close(code: u16, reason: &'static str) -> Message {
    Message::Close(Some(CloseFrame { code, reason: Utf8Bytes::from_static(reason) }))
}

/// One entry of a socket's queue (the hub's frames, serialised once and shared).
#[derive(Clone, Debug)]
pub(crate) enum Queued {
    /// One text frame.
    Frame(Utf8Bytes),
    /// What its user missed while offline, handed over at `connect`, oldest first: one entry
    /// however long the absence, so it never counts as a reader falling behind (NOTES.md
    /// S65). It holds no more than the store already kept for the user.
    Backlog(Arc<[Utf8Bytes]>),
}

/// Serves one socket until it ends; the store forgets it afterwards whatever the reason.
/// `base` is the URL the client reached the mock at, for the file URLs it is given.
pub(crate) async fn serve(state: Arc<Sama>, socket: WebSocket, base: Option<String>) {
    let (conn, mut queue) = state.open(base);
    let shutdown = state.shutdown_token();
    let too_slow = queue.too_slow();
    let (mut sink, mut stream) = socket.split();
    loop {
        tokio::select! {
            biased;
            () = shutdown.cancelled() => {
                let _ = sink.send(close(GOING_AWAY, "the server is shutting down")).await;
                break;
            }
            () = too_slow.cancelled() => break,
            frame = queue.recv() => {
                let frame = match frame {
                    Next::Frame(frame) => frame,
                    Next::TooSlow => break,
                    Next::Ended => {
                        let _ = sink.send(close(NORMAL, "the session ended")).await;
                        break;
                    }
                };
                if !write_queued(&mut sink, Some(frame), &mut queue, &too_slow).await {
                    break;
                }
            }
            inbound = stream.next() => match inbound {
                Some(Ok(Message::Text(text))) => {
                    let started = std::time::Instant::now();
                    let later = state.receive(conn, text.as_str());
                    let ms = started.elapsed().as_secs_f64() * 1000.0;
                    tracing::info!(target: "chatspec_mocks::frames", "sama socket {conn} in {} bytes {ms:.2} ms", text.len());
                    if !later.is_empty() {
                        // `events_after_reply`: the reply is on the wire before anyone else
                        // hears of the request; the events go even if this socket failed.
                        let written = write_queued(&mut sink, None, &mut queue, &too_slow).await;
                        state.release(later);
                        if !written {
                            break;
                        }
                    }
                }
                Some(Ok(Message::Binary(_))) => state.receive_binary(conn),
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                Some(Ok(Message::Close(_))) => {
                    // RFC 6455 5.5.1: the endpoint "MUST send a Close frame in response"; the
                    // WebSocket layer queued it, a flush puts it on the wire.
                    let _ = sink.flush().await;
                    break;
                }
                Some(Err(e)) => {
                    if let Some(frame) = close_for(e) {
                        let _ = sink.send(frame).await;
                    }
                    break;
                }
                None => break,
            },
        }
    }
    // The store forgets the socket first: a reader too slow is offline from now on, whatever
    // its close frame waits behind.
    state.close(conn);
    if too_slow.is_cancelled() {
        tracing::info!(target: "chatspec_mocks::frames", "sama socket {conn} closed: {TOO_SLOW_REASON}");
        let closing = sink.send(Message::Close(Some(CloseFrame {
            code: POLICY,
            reason: Utf8Bytes::from_static(TOO_SLOW_REASON),
        })));
        tokio::select! {
            _ = tokio::time::timeout(CLOSE_GRACE, closing) => {}
            () = shutdown.cancelled() => {}
        }
    }
}

/// Writes `first` and everything queued for the socket in one go, then flushes once; false
/// when the socket failed, or when the hub dropped it for being too slow while a write was
/// waiting for the reader. The frames are the hub's shared bytes: nothing is copied per socket
/// before the WebSocket layer frames them.
async fn write_queued<S>(
    sink: &mut S,
    first: Option<Queued>,
    queue: &mut Consumer<Queued>,
    too_slow: &CancellationToken,
) -> bool
where
    S: Sink<Message> + Unpin,
{
    let mut batch: Vec<Utf8Bytes> = Vec::new();
    let mut take = |queued: Queued| match queued {
        Queued::Frame(frame) => batch.push(frame),
        Queued::Backlog(frames) => batch.extend(frames.iter().cloned()),
    };
    first.into_iter().for_each(&mut take);
    while let Some(more) = queue.try_recv() {
        take(more);
    }
    let write = async {
        for frame in batch {
            tracing::info!(target: "chatspec_mocks::frames", "sama socket out {} bytes", frame.len());
            if sink.feed(Message::Text(frame)).await.is_err() {
                return false;
            }
        }
        sink.flush().await.is_ok()
    };
    tokio::select! {
        written = write => written,
        () = too_slow.cancelled() => false,
    }
}
