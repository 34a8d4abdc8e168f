//! How a step judges a reply ([`crate::reply::Reply`]), the same way for every API: what
//! rests on the document fails the scenario, what rests on a register reading grades it
//! (`verdict.rs`). The calls are on the kit's [`Scenario`], so every API's world has them.

use std::fmt;

use crate::kit::Scenario;
use crate::reply::{Answer, Reply};
use crate::verdict::Ground;

impl Scenario {
    /// A check on `ground`: when it does not hold, fails the scenario (the document) or grades
    /// it lenient (a reading; a failure under `--strict`) and goes on.
    pub fn check_on(
        &self,
        ground: &Ground,
        holds: bool,
        check: &str,
        expected: impl fmt::Display,
        actual: impl fmt::Display,
    ) {
        if holds {
            return;
        }
        match ground {
            Ground::Document => self.fail(check, expected, actual),
            Ground::Reading(entry) => self.reading(entry, check, expected, actual),
        }
    }

    /// Grades every reading a reply breaks ([`Reply::readings`]): each is a lenient note, or a
    /// failure under `--strict`.
    pub fn grade_reply(&self, reply: &Reply) {
        for m in &reply.readings {
            // "the reply to GET /api/user: the body is not JSON (HTTP 401, ...)": what broke,
            // then the register's reason it should not have.
            let broke = m.violation.strip_prefix("/: ").unwrap_or(&m.violation);
            let expected = match &m.ground {
                Some(ground) => {
                    format!("a reply as register entry {} reads the documents: {ground}", m.entry)
                }
                None => format!("a reply as register entry {} reads the documents", m.entry),
            };
            let actual = format!("{}\n  {}", reply.describe(), m.text());
            self.reading(&m.entry, &format!("the reply to {}: {broke}", reply.what()), expected, actual);
        }
    }

    /// Fails unless a reply came; `check` names what was asked.
    pub fn expect_answer(&self, reply: &Reply, check: &str) {
        if !reply.answered() {
            self.fail(&format!("{check} answers"), "a reply within the timeout", reply.describe());
        }
    }

    /// The request must have been refused, in any way the document allows (see
    /// `crate::reply`): no reply, a success or a server error fails the scenario; the readings
    /// the refusal breaks are graded. `check` says what was refused, `expected` how the
    /// document says so.
    pub fn expect_refused(&self, reply: &Reply, check: &str, expected: impl fmt::Display) {
        match reply.answer() {
            Answer::Refused => self.grade_reply(reply),
            Answer::NoReply => self.fail(check, format!("{expected}, within the timeout"), reply.describe()),
            Answer::ServerError => self.fail(
                check,
                format!("{expected} (a refusal; a server error is none)"),
                reply.describe_all(),
            ),
            Answer::Success => self.fail(check, expected, reply.describe_all()),
        }
    }

    /// A refusal's HTTP status is one of `statuses`, on `ground`: the document where it
    /// states the status, else the register reading that chose it.
    pub fn expect_refusal_status(&self, reply: &Reply, statuses: &[u16], ground: &Ground, check: &str) {
        let want = statuses.iter().map(u16::to_string).collect::<Vec<_>>().join(" or ");
        self.check_on(
            ground,
            statuses.contains(&reply.status),
            &format!("{check} with HTTP {want}"),
            format!("HTTP {want}"),
            reply.describe(),
        );
    }
}
