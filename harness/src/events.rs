//! Waiting for notifications: one helper for every transport (DESIGN.md, "Asynchronous
//! events").
//!
//! Events land in an [`Inbox`] as they arrive. A wait checks them against an expectation,
//! skips unrelated ones, consumes the first match, and fails after a scaled timeout listing
//! every event seen, with its time. No bare sleeps anywhere.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::Notify;

/// One received event.
#[derive(Clone, Debug)]
pub struct Received {
    /// Milliseconds since the scenario started.
    pub at_ms: u64,
    /// The SSE event name or frame kind (`unichat_notification`, `ping`, ...).
    pub name: String,
    /// The parsed body (`Value::Null` when it was not JSON).
    pub data: Value,
    /// Schema violations found on arrival.
    pub violations: Vec<String>,
    /// Arrival order on this connection, from 0.
    pub seq: usize,
    consumed: bool,
}

impl Received {
    /// An event that came some other way than a live connection (kept in a log, say), so the
    /// same predicates can look at it.
    pub fn detached(name: &str, data: Value) -> Received {
        Received { at_ms: 0, name: name.to_owned(), data, violations: Vec::new(), seq: 0, consumed: false }
    }
}

#[derive(Debug, Default)]
struct State {
    events: Vec<Received>,
    /// Why the stream ended, once it has.
    closed: Option<String>,
}

/// The events one connection received. Clones share the same events.
#[derive(Clone, Debug, Default)]
pub struct Inbox {
    state: Arc<Mutex<State>>,
    notify: Arc<Notify>,
}

impl Inbox {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds an event and wakes waiters.
    pub fn push(&self, at_ms: u64, name: String, data: Value, violations: Vec<String>) {
        let mut st = self.lock();
        let seq = st.events.len();
        st.events.push(Received { at_ms, name, data, violations, seq, consumed: false });
        drop(st);
        self.notify.notify_waiters();
    }

    /// Marks the stream ended.
    pub fn close(&self, why: String) {
        self.lock().closed.get_or_insert(why);
        self.notify.notify_waiters();
    }

    /// Every event so far.
    pub fn all(&self) -> Vec<Received> {
        self.lock().events.clone()
    }

    /// Every schema violation among the events so far.
    pub fn violations(&self) -> Vec<String> {
        self.lock().events.iter().flat_map(|e| e.violations.iter().cloned()).collect()
    }

    /// Waits for the first unconsumed event matching `pred`, consumes and returns it.
    pub async fn wait_for(
        &self,
        timeout: Duration,
        pred: impl Fn(&Received) -> bool,
    ) -> Result<Received, WaitError> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            {
                let mut st = self.lock();
                if let Some(e) = st.events.iter_mut().find(|e| !e.consumed && pred(e)) {
                    e.consumed = true;
                    return Ok(e.clone());
                }
                if let Some(why) = &st.closed {
                    return Err(WaitError {
                        timed_out: false,
                        closed: Some(why.clone()),
                        seen: st.events.clone(),
                        waited: timeout,
                    });
                }
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let st = self.lock();
                return Err(WaitError {
                    timed_out: true,
                    closed: st.closed.clone(),
                    seen: st.events.clone(),
                    waited: timeout,
                });
            }
        }
    }

    /// Unconsumed events matching `pred`, without consuming them.
    pub fn pending(&self, pred: impl Fn(&Received) -> bool) -> Vec<Received> {
        self.lock().events.iter().filter(|e| !e.consumed && pred(e)).cloned().collect()
    }
}

/// Why a wait failed, with everything that was seen.
#[derive(Debug)]
pub struct WaitError {
    /// Whether the wait ran out of time (else the stream closed first).
    pub timed_out: bool,
    /// Why the stream closed, if it did (the reader's last error).
    pub closed: Option<String>,
    /// Every event the actor received, matched or not, oldest first.
    pub seen: Vec<Received>,
    /// How long the wait was given (after the timeout factor).
    pub waited: Duration,
}

impl WaitError {
    /// "no match within 2s; events seen: ..." for failure messages.
    pub fn describe(&self) -> String {
        let mut out = if self.timed_out {
            format!("nothing matched within {:?} ({})", self.waited, crate::reply::SCALED_WAIT)
        } else {
            format!("the event stream ended ({})", self.closed.as_deref().unwrap_or("closed"))
        };
        if self.seen.is_empty() {
            out.push_str("; no events were received at all");
        } else {
            out.push_str("; events received:");
            for e in &self.seen {
                let used = if e.consumed { " (matched earlier)" } else { "" };
                out.push_str(&format!("\n    +{}ms {}{}: {}", e.at_ms, e.name, used, e.data));
            }
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[tokio::test]
    async fn a_wait_skips_unrelated_events_and_consumes_the_match() {
        let inbox = Inbox::default();
        inbox.push(1, "ping".into(), json!({}), vec![]);
        inbox.push(2, "n".into(), json!({"x": 1}), vec![]);
        let got = inbox.wait_for(Duration::from_secs(1), |e| e.name == "n").await.unwrap();
        assert_eq!(got.data, json!({"x": 1}));
        let again = inbox.wait_for(Duration::from_millis(20), |e| e.name == "n").await.unwrap_err();
        assert!(again.timed_out);
        assert!(again.describe().contains("(matched earlier)"), "{}", again.describe());
    }

    #[tokio::test]
    async fn a_wait_wakes_when_the_event_arrives_later() {
        let inbox = Inbox::default();
        let other = inbox.clone();
        let waiter =
            tokio::spawn(async move { other.wait_for(Duration::from_secs(5), |e| e.name == "late").await });
        tokio::task::yield_now().await;
        inbox.push(5, "late".into(), json!(1), vec![]);
        assert_eq!(waiter.await.unwrap().unwrap().data, json!(1));
    }

    #[tokio::test]
    async fn a_closed_stream_fails_the_wait_at_once() {
        let inbox = Inbox::default();
        inbox.close("connection reset".into());
        let err = inbox.wait_for(Duration::from_secs(60), |_| true).await.unwrap_err();
        assert!(!err.timed_out);
        assert!(err.describe().contains("connection reset"));
    }
}
