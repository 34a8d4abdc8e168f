//! One WebSocket connection (seed 003: "one JSON object per text frame"): frames in go to
//! the store; frames out come from the socket's queue, in the order the store made them.
//! Bad input gets an error frame and the socket stays open; the loop ends when the client
//! goes, when the store drops the socket (reset, or its device linked a newer one), or on
//! shutdown.

use std::sync::Arc;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use futures::{SinkExt, StreamExt};

use super::Sama;

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
                // Write what is queued in one go, then flush once.
                let mut batch = vec![frame];
                while let Ok(more) = queue.try_recv() {
                    batch.push(more);
                }
                let mut failed = false;
                for frame in batch {
                    if sink.feed(Message::Text(Utf8Bytes::from(&*frame))).await.is_err() {
                        failed = true;
                        break;
                    }
                }
                if failed || sink.flush().await.is_err() {
                    break;
                }
            }
            inbound = stream.next() => match inbound {
                Some(Ok(Message::Text(text))) => state.receive(conn, text.as_str()),
                Some(Ok(Message::Binary(_))) => state.receive_binary(conn),
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
            },
        }
    }
    state.close(conn);
}
