//! Requests and replies of a SAMA scenario: sending them, keeping the last reply, and judging
//! it (success, refusal, schema).

use serde_json::Value;

use super::grading::CONNECTION_ENDED;
use crate::sama::SamaWorld;
use chatspec_specs::Endpoint;
use chatspec_specs::sama::Meta;

use crate::sama::driver::{Body, Reply, SamaReply, SuiteBug};

impl SamaWorld {
    /// Sends request `E` from `who` with parameters of its declared request type, and keeps
    /// the reply as the last one; absence checks wait out [`QUIET`](super::QUIET) from its
    /// reply. Parameters the request schema refuses end the scenario as a bug of the suite.
    pub async fn request<E: Endpoint<Meta = Meta>>(&mut self, who: &str, params: E::Request) -> Reply {
        let sent = self.socket(who).call::<E>(&params).await;
        let reply = self.keep(sent);
        self.quiet_from = Some(tokio::time::Instant::now());
        reply
    }

    /// Sends request `name` from `who` with a body that is wrong on purpose, as the negative
    /// scenario writes it: the one way a step sends what the request schemas refuse (never
    /// checked). Keeps the reply as the last one.
    pub async fn request_malformed(&mut self, who: &str, name: &str, text: impl Into<String>) -> Reply {
        let sent = self.socket(who).request(name, Body::malformed(text)).await;
        let reply = self.keep(sent);
        self.quiet_from = Some(tokio::time::Instant::now());
        reply
    }

    /// Sends request `E` from `who` without keeping the reply (a look-up a check makes on
    /// the side); parameters the request schema refuses end the scenario as a suite bug.
    pub async fn look_up<E: Endpoint<Meta = Meta>>(&self, who: &str, params: E::Request) -> Reply {
        let sent = self.socket(who).call::<E>(&params).await;
        self.sent(sent)
    }

    /// Keeps the reply of a request as the last one; a suite bug ends the scenario as such.
    pub fn keep(&mut self, sent: Result<Reply, SuiteBug>) -> Reply {
        let reply = self.sent(sent);
        self.last = Some(reply.clone());
        reply
    }

    /// The reply of a request; a suite bug ends the scenario as such.
    pub fn sent(&self, sent: Result<Reply, SuiteBug>) -> Reply {
        match sent {
            Ok(reply) => reply,
            Err(bug) => self.suite_bug(bug),
        }
    }

    /// Ends the scenario on a request the suite's own schema refuses: a bug of the suite,
    /// never of the server, and never graded as a reading (`SUITE_BUG`).
    pub fn suite_bug(&self, bug: SuiteBug) -> ! {
        panic!("{bug}")
    }

    /// The last reply.
    pub fn last(&self) -> Reply {
        match &self.last {
            Some(r) => r.clone(),
            None => panic!("no request was sent before this step"),
        }
    }

    /// Fails on schema violations the document rules; notes those a reading rules.
    pub fn check_violations(&self, reply: &Reply) {
        if !reply.violations.is_empty() {
            self.fail_hinting(
                &format!("the reply to {} matches its schema", reply.name),
                "a reply valid against the committed schema",
                reply.violations.join("\n  "),
                &self.suspects(reply),
            );
        }
        self.grade_reply(reply);
    }

    /// Fails the step (never graded as a reading) when the socket ended instead of a reply.
    fn no_drop(&self, reply: &Reply) {
        if let Some(why) = reply.failure.as_ref().filter(|_| reply.dropped()) {
            self.fail(
                &format!("{} is answered ({CONNECTION_ENDED})", reply.name),
                "a reply on an open socket",
                why,
            );
        }
    }

    /// Asserts `reply` succeeded and matches its schema; returns the object under `response` (or
    /// the ack).
    pub fn ok(&self, reply: &Reply) -> Value {
        self.no_drop(reply);
        if let Some(why) = &reply.failure {
            self.fail_hinting(
                &format!("{} is answered", reply.name),
                "a reply within the timeout",
                why,
                &self.suspects(reply),
            );
        }
        if !reply.is_ok() {
            self.fail_hinting(
                &format!("{} succeeds", reply.name),
                "a reply without error",
                reply.describe(),
                &self.suspects(reply),
            );
        }
        if reply.key() == "ask" {
            // Only an undeclared ack_as_ask reaches here: a declared one was read as `ack`.
            self.fail_known(
                chatspec_specs::sama::compat::Switch::AckAsAsk,
                "\"a server will deliver back to client a simple packet\" { ack: { mid, server_mid, t } } (S40)",
                "{ack: {mid, server_mid, t}}",
                reply.describe(),
            );
        }
        self.check_violations(reply);
        reply.body.clone()
    }

    /// Asserts `reply` is a refusal: an error reply in any shape ("the request is refused"). Its
    /// shape and status are the register's (S10): a different one is noted as a reading.
    pub fn refused(&self, reply: &Reply, statuses: &[u64]) {
        self.no_drop(reply);
        if reply.is_ok() {
            // A success where a refusal was due: hints name a known deviation it may be.
            self.fail_hinting(
                &format!("{} is refused", reply.name),
                "an error reply",
                reply.describe(),
                &self.suspects(reply),
            );
        }
        self.expect_refused(reply, &format!("{} is refused", reply.name), "an error reply");
        // The register's shape and statuses (S10): an error schema's misses are readings already.
        let want = statuses.iter().map(ToString::to_string).collect::<Vec<_>>().join(" or ");
        let shape = format!(
            "{{\"response\": {{\"id\": {:?}, \"error\": {{\"status\": {want}, \"message\"}}}}}}",
            reply.id()
        );
        for v in &reply.violations {
            self.reading("S10", "an error is {response: {id, error: {status, message}}} (S10)", &shape, v);
        }
        let status = reply.error_status().unwrap_or(0);
        if !statuses.is_empty() && !statuses.contains(&status) {
            self.reading(
                "S10",
                &format!("{} is refused with status {want}", reply.name),
                &shape,
                reply.describe(),
            );
        }
    }
}
