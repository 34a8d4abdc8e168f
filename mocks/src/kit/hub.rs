//! The fan-out hub: delivers serialised notifications to every live connection of a key (a
//! user id for Unichat, one socket's connection id for SAMA, whose store tracks devices).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::mpsc;

/// One queued notification, already serialised for its recipient.
pub type Frame = Arc<str>;

/// Live connections by key. Delivery never blocks: each connection has an unbounded
/// queue drained by its own task, so a slow reader cannot stall the store.
#[derive(Clone, Default)]
pub struct Hub {
    inner: Arc<Mutex<HashMap<u64, Vec<mpsc::UnboundedSender<Frame>>>>>,
}

impl Hub {
    /// Registers a connection for `user` and returns its queue.
    pub fn connect(&self, user: u64) -> mpsc::UnboundedReceiver<Frame> {
        let (tx, rx) = mpsc::unbounded_channel();
        let mut map = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        map.entry(user).or_default().push(tx);
        rx
    }

    /// Queues `frame` on every live connection of `user`; closed ones are dropped.
    pub fn send(&self, user: u64, frame: Frame) {
        let mut map = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(conns) = map.get_mut(&user) {
            conns.retain(|tx| tx.send(frame.clone()).is_ok());
            if conns.is_empty() {
                map.remove(&user);
            }
        }
    }

    /// How many live connections `user` has.
    pub fn connections(&self, user: u64) -> usize {
        let mut map = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(conns) = map.get_mut(&user) {
            conns.retain(|tx| !tx.is_closed());
        }
        map.get(&user).map_or(0, Vec::len)
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

    #[tokio::test]
    async fn every_connection_of_a_user_gets_each_frame_in_order() {
        let hub = Hub::default();
        let mut a = hub.connect(1);
        let mut b = hub.connect(1);
        let mut other = hub.connect(2);
        hub.send(1, "one".into());
        hub.send(1, "two".into());
        for rx in [&mut a, &mut b] {
            assert_eq!(&*rx.recv().await.unwrap(), "one");
            assert_eq!(&*rx.recv().await.unwrap(), "two");
        }
        assert!(other.try_recv().is_err());
        drop(a);
        assert_eq!(hub.connections(1), 1);
    }

    #[tokio::test]
    async fn a_disconnected_key_drains_then_ends() {
        let hub = Hub::default();
        let mut rx = hub.connect(7);
        hub.send(7, "last".into());
        hub.disconnect(7);
        hub.send(7, "dropped".into());
        assert_eq!(&*rx.recv().await.unwrap(), "last");
        assert!(rx.recv().await.is_none());
        assert_eq!(hub.connections(7), 0);
    }
}
