//! One WebSocket connection (seed 003: "one JSON object per text frame"): frames in go to
//! the store; frames out come from the socket's queue, in the order the store made them.
//! Bad input gets an error frame and the socket stays open; the loop ends when the client
//! goes, when the store drops the socket (reset, or its device linked a newer one), or on
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

fn close(code: u16, reason: &'static str) -> Message {
    Message::Close(Some(CloseFrame { code, reason: Utf8Bytes::from_static(reason) }))
}

/// Serves one socket until it ends; the store forgets it afterwards whatever the reason.
pub(crate) async fn serve(state: Arc<Sama>, socket: WebSocket) {
    let (conn, mut queue) = state.open();
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
                    let later = state.receive(conn, text.as_str());
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
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
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
        if sink.feed(Message::Text(Utf8Bytes::from(&*frame))).await.is_err() {
            return false;
        }
    }
    sink.flush().await.is_ok()
}
