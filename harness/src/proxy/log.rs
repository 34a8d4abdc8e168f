//! The proxy's wire log, bounded so that a proxy left running for days does not grow without
//! end: it keeps the entries of the last `keep` exchanges ([`DEFAULT_KEEP`] unless
//! `--keep-exchanges` says otherwise) and counts the exchanges it dropped, while the per-kind
//! tallies the reports are written from count every exchange, kept or not.
//!
//! An exchange is one HTTP request with its reply, one SSE event, or one WebSocket frame,
//! with the violations found in it. Its kind (`POST /api/companies/{company-id}`,
//! `SSE unichat_notification`, `WS request user_create`) is what the JUnit and HTML reports
//! make one test case of; the number of kinds is capped too ([`MAX_KINDS`]).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use serde::Serialize;
use serde_json::Value;

use super::check::{Direction, Violation};
use crate::outcome::WireEntry;

/// How many exchanges the wire log keeps by default: enough for a long debugging session
/// (a few tens of megabytes with ordinary bodies), not so many that a proxy left running
/// in front of a busy client exhausts the machine.
pub const DEFAULT_KEEP: usize = 10_000;

/// How many distinct exchange kinds are tallied; later new kinds are counted under
/// [`OTHER_KINDS`], so a client inventing paths cannot grow the tallies either.
pub const MAX_KINDS: usize = 1_000;

/// The kind every exchange past [`MAX_KINDS`] distinct kinds is counted under.
pub const OTHER_KINDS: &str = "(other kinds)";

/// What passed under one kind of exchange, over the whole run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct KindTally {
    /// Exchanges of this kind.
    pub exchanges: u64,
    /// Which sides the proxy checks in it: the client's (requests, client frames), the
    /// server's (replies, events, server frames), or both.
    pub sides: Vec<Direction>,
    /// Violations by the client.
    pub client: u64,
    /// Violations by the server.
    pub server: u64,
}

/// One exchange as kept.
#[derive(Clone, Debug)]
struct Exchange {
    kind: Option<String>,
    entries: Vec<WireEntry>,
    violations: Vec<Violation>,
}

#[derive(Debug, Default)]
struct Inner {
    next: u64,
    exchanges: BTreeMap<u64, Exchange>,
    dropped: u64,
    kinds: BTreeMap<String, KindTally>,
}

/// The bounded log; shared by every connection of one proxy.
#[derive(Debug)]
pub struct ExchangeLog {
    start: Instant,
    keep: usize,
    inner: Mutex<Inner>,
}

/// One exchange in progress: where its entries and violations go, and the kind its
/// violations are tallied under even once the log has dropped it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExchangeId(u64, Option<Arc<str>>);

impl ExchangeLog {
    /// A log keeping the last `keep` exchanges (at least one).
    pub fn new(keep: usize) -> ExchangeLog {
        ExchangeLog { start: Instant::now(), keep: keep.max(1), inner: Mutex::default() }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many exchanges are kept.
    pub fn keep(&self) -> usize {
        self.keep
    }

    /// Starts an exchange; `kind` names what the proxy checks in it, on `sides` (`None` for
    /// traffic passed on unchecked: admin routes, files, routes no declaration has). The
    /// oldest exchange is dropped when more than `keep` would be held.
    pub fn open(&self, kind: Option<&str>, sides: &[Direction]) -> ExchangeId {
        let mut inner = self.lock();
        inner.next += 1;
        let id = inner.next;
        let kind = kind.map(|k| {
            let k =
                if inner.kinds.contains_key(k) || inner.kinds.len() < MAX_KINDS { k } else { OTHER_KINDS };
            let tally = inner.kinds.entry(k.to_owned()).or_default();
            tally.exchanges += 1;
            for side in sides {
                if !tally.sides.contains(side) {
                    tally.sides.push(*side);
                    tally.sides.sort_by_key(|d| *d == Direction::Server);
                }
            }
            k.to_owned()
        });
        inner
            .exchanges
            .insert(id, Exchange { kind: kind.clone(), entries: Vec::new(), violations: Vec::new() });
        while inner.exchanges.len() > self.keep {
            inner.exchanges.pop_first();
            inner.dropped += 1;
        }
        ExchangeId(id, kind.map(Arc::from))
    }

    /// Adds an entry to an exchange (nothing when the exchange was already dropped).
    pub fn push(
        &self,
        id: &ExchangeId,
        kind: &str,
        actor: Option<&str>,
        summary: String,
        body: Option<Value>,
    ) {
        let at_ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        let entry =
            WireEntry { at_ms, kind: kind.to_owned(), actor: actor.map(str::to_owned), summary, body };
        if let Some(ex) = self.lock().exchanges.get_mut(&id.0) {
            ex.entries.push(entry);
        }
    }

    /// Records the violations found in an exchange: counted in its kind's tally whether or
    /// not the exchange is still kept.
    pub fn found(&self, id: &ExchangeId, found: &[Violation]) {
        if found.is_empty() {
            return;
        }
        let mut inner = self.lock();
        if let Some(ex) = inner.exchanges.get_mut(&id.0) {
            ex.violations.extend(found.iter().cloned());
        }
        if let Some(tally) = id.1.as_deref().and_then(|k| inner.kinds.get_mut(k)) {
            for v in found {
                match v.direction {
                    Direction::Client => tally.client += 1,
                    Direction::Server => tally.server += 1,
                }
            }
        }
    }

    /// The kept entries, oldest first.
    pub fn entries(&self) -> Vec<WireEntry> {
        let inner = self.lock();
        let mut out: Vec<WireEntry> = inner.exchanges.values().flat_map(|e| e.entries.clone()).collect();
        out.sort_by_key(|e| e.at_ms);
        out
    }

    /// The kept entries of exchanges of `kind`, oldest first.
    pub fn entries_of(&self, kind: &str) -> Vec<WireEntry> {
        let inner = self.lock();
        let mut out: Vec<WireEntry> = inner
            .exchanges
            .values()
            .filter(|e| e.kind.as_deref() == Some(kind))
            .flat_map(|e| e.entries.clone())
            .collect();
        out.sort_by_key(|e| e.at_ms);
        out
    }

    /// The violations of the kept exchanges, in the order of the exchanges.
    pub fn violations(&self) -> Vec<Violation> {
        self.lock().exchanges.values().flat_map(|e| e.violations.clone()).collect()
    }

    /// The violations of the kept exchanges of `kind`.
    pub fn violations_of(&self, kind: &str) -> Vec<Violation> {
        let inner = self.lock();
        inner
            .exchanges
            .values()
            .filter(|e| e.kind.as_deref() == Some(kind))
            .flat_map(|e| e.violations.clone())
            .collect()
    }

    /// Every kind of exchange checked, with its tally over the whole run.
    pub fn kinds(&self) -> BTreeMap<String, KindTally> {
        self.lock().kinds.clone()
    }

    /// How many exchanges were dropped from the log to keep it bounded.
    pub fn dropped(&self) -> u64 {
        self.lock().dropped
    }

    /// How many exchanges the log holds now.
    pub fn held(&self) -> usize {
        self.lock().exchanges.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn violation(direction: Direction) -> Violation {
        Violation {
            direction,
            exchange: "POST /x".into(),
            path: String::new(),
            rule: "R".into(),
            quote: None,
            message: "m".into(),
        }
    }

    #[test]
    fn the_last_exchanges_are_kept_and_the_dropped_ones_counted() {
        let log = ExchangeLog::new(3);
        for n in 0..5 {
            let id = log.open(Some("POST /x"), &[Direction::Client, Direction::Server]);
            log.push(&id, "request", None, format!("request {n}"), None);
            log.found(&id, &[violation(Direction::Client)]);
        }
        assert_eq!(log.held(), 3);
        assert_eq!(log.dropped(), 2);
        let kept: Vec<String> = log.entries().into_iter().map(|e| e.summary).collect();
        assert_eq!(kept, ["request 2", "request 3", "request 4"]);
        assert_eq!(log.violations().len(), 3);
        let tally = &log.kinds()["POST /x"];
        assert_eq!((tally.exchanges, tally.client, tally.server), (5, 5, 0), "the tallies count them all");
        assert_eq!(tally.sides, [Direction::Client, Direction::Server]);
    }

    #[test]
    fn kinds_past_the_cap_are_counted_together() {
        let log = ExchangeLog::new(2);
        for n in 0..=MAX_KINDS {
            log.open(Some(&format!("POST /x{n}")), &[Direction::Client]);
        }
        let kinds = log.kinds();
        assert_eq!(kinds.len(), MAX_KINDS + 1);
        assert_eq!(kinds[OTHER_KINDS].exchanges, 1);
        // An exchange already dropped takes no more entries, and its violations still count.
        let first = ExchangeId(1, Some(Arc::from("POST /x0")));
        log.push(&first, "note", None, "late".into(), None);
        assert!(log.entries().is_empty());
        log.found(&first, &[violation(Direction::Server)]);
        assert_eq!(log.kinds()["POST /x0"].server, 1);
        assert!(log.violations().is_empty());
    }
}
