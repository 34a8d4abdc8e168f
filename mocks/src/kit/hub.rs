//! The fan-out hub: delivers serialised notifications to every live connection of a key (a
//! user id for Unichat, one socket's connection id for SAMA, whose store tracks devices).
//!
//! Memory per consumer is bounded: each connection's queue holds at most [`QUEUE_LIMIT`]
//! notifications. A connection whose queue is full when the next notification comes is a
//! consumer too slow to keep up: the hub drops it ([`Consumer::too_slow`] fires, its queue
//! takes nothing more) and its transport ends it with [`TOO_SLOW_REASON`], a WebSocket with
//! the close code 1008, an SSE stream after a comment line (the register entries: Unichat
//! U44, SAMA S65). Every other consumer of the same notifications goes on as before.
//!
//! A notification is serialised once and shared: the hub clones the frame for each
//! connection, and a frame (`Arc<str>`, `Utf8Bytes`, or a struct of them) clones by
//! reference count.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::mpsc::{self, error::TrySendError};
use tokio_util::sync::CancellationToken;

/// One queued notification, already serialised, shared by every connection it goes to.
pub type Frame = Arc<str>;

/// How many notifications one connection may have queued, written or not: a consumer that
/// falls further behind is dropped. About 1,024 × a notification's size (a few hundred bytes
/// for a message) plus the socket's own buffers is the most a stalled consumer holds.
pub const QUEUE_LIMIT: usize = 1024;

/// Why a consumer was dropped, as its WebSocket close frame or SSE comment says it.
pub const TOO_SLOW_REASON: &str = "consumer too slow: 1024 events queued";

/// One connection's side: the frames queued for it, and the signal that it was dropped for
/// being too slow.
pub struct Consumer<T> {
    rx: mpsc::Receiver<T>,
    too_slow: CancellationToken,
}

/// What a consumer gets next.
#[derive(Debug, PartialEq)]
pub enum Next<T> {
    /// The next frame, in order.
    Frame(T),
    /// The hub let the connection go (reset, or its key was disconnected): end normally.
    Ended,
    /// The queue overflowed: end with [`TOO_SLOW_REASON`]; what was still queued is discarded.
    TooSlow,
}

impl<T> Consumer<T> {
    /// The next frame, or why there is none. A consumer dropped for being slow gets
    /// [`Next::TooSlow`] at once, without the backlog that made it so.
    pub async fn recv(&mut self) -> Next<T> {
        if self.too_slow.is_cancelled() {
            return Next::TooSlow;
        }
        match self.rx.recv().await {
            _ if self.too_slow.is_cancelled() => Next::TooSlow,
            Some(frame) => Next::Frame(frame),
            None => Next::Ended,
        }
    }

    /// A frame already queued, without waiting; none once the consumer was dropped as slow.
    pub fn try_recv(&mut self) -> Option<T> {
        if self.too_slow.is_cancelled() {
            return None;
        }
        self.rx.try_recv().ok()
    }

    /// The signal that the hub dropped this consumer for being too slow: a transport blocked
    /// on a write waits on it too, so it stops waiting for a reader that does not read.
    pub fn too_slow(&self) -> CancellationToken {
        self.too_slow.clone()
    }

    /// Whether the hub dropped this consumer for being too slow.
    pub fn is_too_slow(&self) -> bool {
        self.too_slow.is_cancelled()
    }
}

/// The hub's side of one connection.
struct Conn<T> {
    tx: mpsc::Sender<T>,
    too_slow: CancellationToken,
}

/// What one [`Hub::send`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Sent {
    /// Connections that took the frame.
    pub queued: usize,
    /// Connections dropped because their queue was full.
    pub dropped_slow: usize,
}

/// Live connections by key. Delivery never blocks: each connection has a queue of at most
/// [`QUEUE_LIMIT`] frames drained by its own task, so a slow reader cannot stall the store.
pub struct Hub<T = Frame> {
    inner: Arc<Mutex<HashMap<u64, Vec<Conn<T>>>>>,
}

impl<T> Clone for Hub<T> {
    fn clone(&self) -> Self {
        Hub { inner: self.inner.clone() }
    }
}

impl<T> Default for Hub<T> {
    fn default() -> Self {
        Hub { inner: Arc::default() }
    }
}

impl<T: Clone> Hub<T> {
    /// Registers a connection for `key` and returns its queue.
    pub fn connect(&self, key: u64) -> Consumer<T> {
        let (tx, rx) = mpsc::channel(QUEUE_LIMIT);
        let too_slow = CancellationToken::new();
        let mut map = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        map.entry(key).or_default().push(Conn { tx, too_slow: too_slow.clone() });
        Consumer { rx, too_slow }
    }

    /// Queues `frame` on every live connection of `key`: closed ones are forgotten, full
    /// ones dropped as too slow.
    pub fn send(&self, key: u64, frame: T) -> Sent {
        let mut sent = Sent::default();
        let mut map = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(conns) = map.get_mut(&key) {
            conns.retain(|c| match c.tx.try_send(frame.clone()) {
                Ok(()) => {
                    sent.queued += 1;
                    true
                }
                Err(TrySendError::Full(_)) => {
                    c.too_slow.cancel();
                    sent.dropped_slow += 1;
                    false
                }
                Err(TrySendError::Closed(_)) => false,
            });
            if conns.is_empty() {
                map.remove(&key);
            }
        }
        sent
    }

    /// How many live connections `key` has.
    pub fn connections(&self, key: u64) -> usize {
        let mut map = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(conns) = map.get_mut(&key) {
            conns.retain(|c| !c.tx.is_closed());
        }
        map.get(&key).map_or(0, Vec::len)
    }

    /// Drops every connection of `key` (their streams end once drained).
    pub fn disconnect(&self, key: u64) {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner).remove(&key);
    }

    /// Drops every connection (their streams end).
    pub fn clear(&self) {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn frame(s: &str) -> Frame {
        Arc::from(s)
    }

    #[tokio::test]
    async fn every_connection_of_a_user_gets_each_frame_in_order() {
        let hub = Hub::default();
        let mut a = hub.connect(1);
        let mut b = hub.connect(1);
        let mut other = hub.connect(2);
        hub.send(1, frame("one"));
        hub.send(1, frame("two"));
        for rx in [&mut a, &mut b] {
            assert_eq!(rx.recv().await, Next::Frame(frame("one")));
            assert_eq!(rx.recv().await, Next::Frame(frame("two")));
        }
        assert!(other.try_recv().is_none());
        drop(a);
        assert_eq!(hub.connections(1), 1);
    }

    #[tokio::test]
    async fn a_disconnected_key_drains_then_ends() {
        let hub = Hub::default();
        let mut rx = hub.connect(7);
        hub.send(7, frame("last"));
        hub.disconnect(7);
        hub.send(7, frame("dropped"));
        assert_eq!(rx.recv().await, Next::Frame(frame("last")));
        assert_eq!(rx.recv().await, Next::Ended);
        assert_eq!(hub.connections(7), 0);
    }

    #[tokio::test]
    async fn a_full_queue_drops_that_consumer_and_no_other() {
        let hub = Hub::default();
        let mut stalled = hub.connect(1);
        let mut reader = hub.connect(1);
        for n in 0..QUEUE_LIMIT {
            let sent = hub.send(1, frame(&n.to_string()));
            assert_eq!(sent, Sent { queued: 2, dropped_slow: 0 }, "frame {n}");
            assert_eq!(reader.recv().await, Next::Frame(frame(&n.to_string())));
        }
        assert!(!stalled.is_too_slow());
        assert_eq!(hub.send(1, frame("one too many")), Sent { queued: 1, dropped_slow: 1 });
        stalled.too_slow().cancelled().await;
        assert_eq!(stalled.recv().await, Next::TooSlow, "the backlog is discarded, not drained");
        assert!(stalled.try_recv().is_none());
        assert_eq!(reader.recv().await, Next::Frame(frame("one too many")));
        assert_eq!(hub.send(1, frame("after")), Sent { queued: 1, dropped_slow: 0 });
        assert_eq!(reader.recv().await, Next::Frame(frame("after")));
        assert_eq!(hub.connections(1), 1);
    }

    #[test]
    fn a_frame_is_shared_not_copied() {
        let hub = Hub::default();
        let consumers: Vec<_> = (0..3).map(|_| hub.connect(1)).collect();
        let shared = frame("{\"event\":\"x\"}");
        hub.send(1, shared.clone());
        for mut c in consumers {
            assert!(Arc::ptr_eq(&c.try_recv().unwrap(), &shared));
        }
    }
}
