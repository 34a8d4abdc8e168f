//! Requests and packets waiting for their reply on one socket: which frame answers which
//! (`response.id`, an ack's `mid`, an error to a packet with or without its id), and the
//! [`Reply`] (`crate::reply`) a step gets, adapted to the declared deviations and validated.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use chatspec_specs::sama::compat::Switch;
use serde_json::Value;
use tokio::sync::oneshot;

use super::frame::{self, Violations};
use crate::deviations::{Applied, Deviations};
use crate::reply::{FailureKind, Reply, TransportFailure, Via};
use crate::verdict::Verdicts;
use crate::wire::WireLog;

/// What the reader hands a waiting request: the reply frame's key, its body, and the frame
/// as received.
pub(super) type Answer = (String, Value, String);
type Waiter = oneshot::Sender<Result<Answer, Unanswered>>;

/// Why a request or packet gets no reply frame.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Unanswered {
    /// The socket ended while the request waited; why it ended.
    #[error("{0}")]
    Closed(String),
    /// The socket had ended before the request was sent; why it ended.
    #[error("the socket had already ended: {0}")]
    AlreadyClosed(String),
}

struct Waiting {
    /// The packet's kind, for a packet; `None` for a request.
    packet: Option<String>,
    tx: Waiter,
}

/// What waits on one socket: requests and packets by key, and whether the socket ended.
#[derive(Default)]
pub(super) struct Pending {
    /// Requests and packets waiting for their reply, by id (or a key of the harness's own
    /// for a packet sent without an id).
    waiting: HashMap<String, Waiting>,
    /// The keys of the waiting packets, oldest first.
    packets: Vec<String>,
    /// Why the socket ended, once it has.
    pub(super) closed: Option<String>,
}

impl Pending {
    /// Takes the waiter for `key`, unless its request gave up.
    pub(super) fn take(&mut self, key: &str) -> Option<Waiter> {
        self.packets.retain(|k| k != key);
        self.waiting.remove(key).map(|w| w.tx).filter(|tx| !tx.is_closed())
    }

    /// Takes the oldest waiting packet (of `kind`, when given) whose step still waits.
    fn oldest_packet(&mut self, kind: Option<&str>) -> Option<Waiter> {
        let keys: Vec<String> = self.packets.clone();
        for key in keys {
            let matches =
                self.waiting.get(&key).is_some_and(|w| kind.is_none_or(|k| w.packet.as_deref() == Some(k)));
            if matches && let Some(tx) = self.take(&key) {
                return Some(tx);
            }
        }
        None
    }
}

/// What a socket's reader and its senders share.
#[derive(Default)]
pub(super) struct Shared {
    pending: Mutex<Pending>,
}

impl Shared {
    /// The waiting requests, locked (a poisoned lock is taken over: nothing in it can be
    /// left half-changed).
    pub(super) fn lock(&self) -> MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Marks the socket ended and fails every waiting request at once.
    pub(super) fn close(&self, why: &str) {
        let waiting: Vec<Waiter> = {
            let mut p = self.lock();
            p.closed.get_or_insert_with(|| why.to_owned());
            p.packets.clear();
            p.waiting.drain().map(|(_, w)| w.tx).collect()
        };
        for w in waiting {
            let _ = w.send(Err(Unanswered::Closed(why.to_owned())));
        }
    }

    /// Registers a request (or a packet of kind `packet`) waiting under `key`.
    pub(super) fn wait_for(
        &self,
        key: &str,
        packet: Option<&str>,
    ) -> Result<oneshot::Receiver<Result<Answer, Unanswered>>, Unanswered> {
        let (tx, rx) = oneshot::channel();
        let mut p = self.lock();
        if let Some(why) = &p.closed {
            return Err(Unanswered::AlreadyClosed(why.clone()));
        }
        p.waiting.insert(key.to_owned(), Waiting { packet: packet.map(str::to_owned), tx });
        if packet.is_some() {
            p.packets.push(key.to_owned());
        }
        Ok(rx)
    }

    /// The waiter a frame answers, if any.
    pub(super) fn waiter_for(&self, frame: &Value) -> Option<Waiter> {
        let (key, body) = frame::key_of(frame)?;
        let id = match key {
            "response" | "message" | "system_message" | "typing" => body.get("id"),
            "ack" | "ask" => body.get("mid"),
            _ => return None,
        };
        let mut p = self.lock();
        if let Some(tx) = id.and_then(frame::id_text).and_then(|id| p.take(&id)) {
            return Some(tx);
        }
        // An error without an id (or with one nobody waits for) answers the oldest packet:
        // under the packet's own key, a packet of that kind; under `response`, any packet.
        body.get("error")?;
        match key {
            "message" | "system_message" | "typing" => p.oldest_packet(Some(key)),
            "response" if id.is_none_or(Value::is_null) => p.oldest_packet(None),
            _ => None,
        }
    }
}

/// The reply a step awaits for a request or packet it sent.
pub struct PendingReply {
    /// The request or packet name (`conversation_list`, `message`).
    pub(super) request: String,
    /// The id it was sent with (empty for a packet without one).
    pub(super) id: String,
    /// Where the reader hands the reply; `None` when nothing was sent.
    pub(super) rx: Option<oneshot::Receiver<Result<Answer, Unanswered>>>,
    /// Why it was not sent, if it was not.
    pub(super) failure: Option<String>,
    /// How long the reply is waited for (scaled).
    pub(super) wait: Duration,
    /// The deviations the target declares, adapted to in the reply.
    pub(super) deviations: Arc<Deviations>,
    /// Where adapted deviations are noted.
    pub(super) verdicts: Verdicts,
    /// The scenario's wire log.
    pub(super) wire: WireLog,
    /// Whose socket it was sent on, for the wire log.
    pub(super) label: String,
    /// When it was sent.
    pub(super) sent: Instant,
}

impl std::fmt::Debug for PendingReply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingReply").field("request", &self.request).field("id", &self.id).finish()
    }
}

impl PendingReply {
    /// Waits for the reply, up to the socket's scaled reply wait.
    pub async fn reply(mut self) -> Reply {
        if let Some(why) = self.failure.take() {
            return self.none(FailureKind::Closed, why);
        }
        let Some(rx) = self.rx.take() else {
            return self.none(FailureKind::Other, "nothing was sent".into());
        };
        let what = if self.id.is_empty() { "the packet".to_owned() } else { format!("id {:?}", self.id) };
        match tokio::time::timeout(self.wait, rx).await {
            Ok(Ok(Ok((key, mut body, text)))) => {
                let violations = if body.get("error").is_some() {
                    frame::validate("error", &body)
                } else if key == "response" {
                    for a in self.deviations.adapt_reply(&self.request, &mut body) {
                        note(&self.verdicts, &a);
                    }
                    let mut v = frame::reply_violations(&self.request, &body);
                    if self.request == "conversation_search"
                        && self.deviations.declares(Switch::SearchAnswersBareIds)
                    {
                        // Bare ids carry no name: the declared deviation, noted when adapted.
                        v.document.retain(|e| !(e.starts_with("/conversations/") && e.contains("\"name\"")));
                    }
                    v
                } else {
                    self.ack_violations(&body)
                };
                let mut r = Reply::frame(&self.request, &self.id, &key, body, text, self.sent.elapsed());
                r.violations = violations.document;
                for (entry, v) in violations.readings {
                    r.miss(&entry, v);
                }
                r
            }
            Ok(Ok(Err(why))) => {
                self.none(FailureKind::Closed, format!("the socket dropped before the reply: {why}"))
            }
            Ok(Err(_)) => self.none(FailureKind::Closed, "the socket's reader has stopped".into()),
            Err(_) => {
                self.none(FailureKind::TimedOut, format!("nothing answered {what} within {:?}", self.wait))
            }
        }
    }

    /// No reply came.
    fn none(&self, kind: FailureKind, detail: String) -> Reply {
        let note = format!("no reply to {} {}: {detail}", self.request, self.id);
        self.wire.push("note", Some(&self.label), note, None);
        let via = Via::Frame { id: self.id.clone(), key: String::new() };
        Reply::no_reply(&self.request, via, TransportFailure { kind, detail, waited: self.sent.elapsed() })
    }

    /// The violations of an ack. A system message's ack without `server_mid` is the known
    /// deviation ack_as_ask (S40): accepted and noted where declared (the steps hint at it
    /// otherwise).
    fn ack_violations(&self, body: &Value) -> Violations {
        let mut v = frame::validate("event.ack", body);
        if self.request == "system_message"
            && body.get("server_mid").is_none()
            && self.deviations.declares(Switch::AckAsAsk)
        {
            v.document.retain(|e| !e.contains("\"server_mid\" is a required property"));
            self.verdicts.deviation(
                Switch::AckAsAsk.name(),
                Switch::AckAsAsk.entry(),
                "the ack of a system message",
                "{ack: {mid, server_mid, t}}",
                "no server_mid",
            );
        }
        v
    }
}

/// Records a deviation the driver adapted to.
pub(super) fn note(verdicts: &Verdicts, a: &Applied) {
    verdicts.deviation(&a.name, &a.entry, &a.check, &a.expected, &a.actual);
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn shared_with(
        waiting: &[(&str, Option<&str>)],
    ) -> (Shared, Vec<oneshot::Receiver<Result<Answer, Unanswered>>>) {
        let shared = Shared::default();
        let rxs = waiting.iter().map(|(key, packet)| shared.wait_for(key, *packet).unwrap()).collect();
        (shared, rxs)
    }

    #[test]
    fn replies_are_matched_by_response_id_or_ack_mid() {
        let (s, _rx) =
            shared_with(&[("r-1", None), ("7", None), ("m1", Some("message")), ("m2", Some("message"))]);
        assert!(s.waiter_for(&json!({"response": {"id": "r-1", "success": true}})).is_some());
        assert!(s.waiter_for(&json!({"response": {"id": 7}})).is_some());
        assert!(s.waiter_for(&json!({"ack": {"mid": "m1", "server_mid": "x", "t": 1}})).is_some());
        assert!(s.waiter_for(&json!({"ask": {"mid": "m2"}})).is_some(), "an undeclared ask still answers");
        assert!(s.waiter_for(&json!({"message": {"_id": "m3"}})).is_none());
    }

    #[test]
    fn a_packet_error_without_an_id_answers_the_oldest_packet_waiting() {
        let (s, _rx) =
            shared_with(&[("r", None), ("\u{0}typing-1", Some("typing")), ("m9", Some("message"))]);
        let error = json!({"message": {"error": {"status": 403, "message": "no"}}});
        assert!(s.waiter_for(&error).is_some(), "the message packet m9");
        assert!(s.lock().waiting.contains_key("\u{0}typing-1"), "not the typing packet");
        let anonymous = json!({"response": {"error": {"status": 403, "message": "no"}}});
        assert!(s.waiter_for(&anonymous).is_some(), "the typing packet");
        assert!(s.waiter_for(&anonymous).is_none(), "a request is never answered without its id");
        assert!(s.lock().waiting.contains_key("r"));
    }

    #[test]
    fn a_step_that_stopped_waiting_is_skipped() {
        let (s, mut rx) = shared_with(&[("\u{0}typing-1", Some("typing")), ("m1", Some("message"))]);
        drop(rx.remove(0));
        let anonymous = json!({"response": {"error": "not a participant"}});
        let w = s.waiter_for(&anonymous).unwrap();
        w.send(Ok(("response".into(), json!({}), String::new()))).unwrap();
        assert!(rx[0].try_recv().is_ok(), "the message packet got it");
    }
}
