//! One WebSocket connection (seed 003: "one JSON object per text frame"): frames in go to
//! the store; frames out come from the socket's queue, in the order the store made them.
//! Bad input gets an error frame and the socket stays open; a protocol error closes it
//! with the RFC 6455 code for it (1002, 1007, 1009); a client's Close is answered with a
//! Close. The loop ends when the client goes, when the store drops the socket (reset, or its device linked a newer one), or on
//! shutdown.

use std::sync::Arc;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use futures::{Sink, SinkExt, StreamExt};
use tokio::sync::mpsc::UnboundedReceiver;

use super::Sama;
use crate::kit::hub::Frame;

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

/// The largest message (and frame) a socket takes, in bytes: larger is closed with 1009.
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;
/// Bytes reserved per socket for reading frames; grows only for a larger frame (the
/// WebSocket layer's default, 128 KiB, made an idle socket cost ~136 KiB).
pub const READ_BUFFER_BYTES: usize = 4 * 1024;
/// Bytes of frames gathered before they are written (a flush writes them at once anyway).
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

/// Serves one socket until it ends; the store forgets it afterwards whatever the reason.
/// `base` is the URL the client reached the mock at, for the file URLs it is given.
pub(crate) async fn serve(state: Arc<Sama>, socket: WebSocket, base: Option<String>) {
    let (conn, mut queue) = state.open(base);
    let shutdown = state.shutdown_token();
    let (mut sink, mut stream) = socket.split();
    loop {
        tokio::select! {
            biased;
            () = shutdown.cancelled() => {
                let _ = sink.send(close(GOING_AWAY, "the server is shutting down")).await;
                break;
            }
            frame = queue.recv() => {
                let Some(frame) = frame else {
                    let _ = sink.send(close(NORMAL, "the session ended")).await;
                    break;
                };
                if !write_queued(&mut sink, Some(frame), &mut queue).await {
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
                        let written = write_queued(&mut sink, None, &mut queue).await;
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
    state.close(conn);
}

/// Writes `first` and everything queued for the socket in one go, then flushes once; false
/// when the socket failed.
async fn write_queued<S>(sink: &mut S, first: Option<Frame>, queue: &mut UnboundedReceiver<Frame>) -> bool
where
    S: Sink<Message> + Unpin,
{
    let mut batch: Vec<Frame> = first.into_iter().collect();
    while let Ok(more) = queue.try_recv() {
        batch.push(more);
    }
    for frame in batch {
        tracing::info!(target: "chatspec_mocks::frames", "sama socket out {} bytes", frame.len());
        if sink.feed(Message::Text(Utf8Bytes::from(&*frame))).await.is_err() {
            return false;
        }
    }
    sink.flush().await.is_ok()
}
