//! A scenario's wire log: every request, response and notification, with times.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use serde_json::Value;

use crate::outcome::WireEntry;

/// Cheap to clone; SSE readers append to the same log.
#[derive(Clone, Debug)]
pub struct WireLog {
    start: Instant,
    entries: Arc<Mutex<Vec<WireEntry>>>,
}

impl Default for WireLog {
    fn default() -> Self {
        WireLog { start: Instant::now(), entries: Arc::default() }
    }
}

impl WireLog {
    /// Milliseconds since the scenario started.
    pub fn elapsed_ms(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Appends an entry.
    pub fn push(&self, kind: &str, actor: Option<&str>, summary: impl Into<String>, body: Option<Value>) {
        let entry = WireEntry {
            at_ms: self.elapsed_ms(),
            kind: kind.into(),
            actor: actor.map(str::to_owned),
            summary: summary.into(),
            body,
        };
        self.entries.lock().unwrap_or_else(PoisonError::into_inner).push(entry);
    }

    /// Everything logged so far.
    pub fn entries(&self) -> Vec<WireEntry> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}
