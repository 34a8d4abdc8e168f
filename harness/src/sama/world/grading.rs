//! How SAMA checks are graded (`crate::verdict`): a check on the document fails the scenario; a
//! check on a register reading is noted and the scenario goes on; a declared deviation is
//! adapted to and noted; a known deviation the profile did not declare fails with a hint.
//!
//! A step whose text ends in `(reading S51)` rests as a whole on that register entry: the
//! first of its checks that does not hold ends the step, is noted as the reading, and the
//! scenario goes on with its next step ([`grade`]).

use std::any::Any;
use std::fmt::Display;

use chatspec_specs::sama::compat::Switch;

use serde_json::{Value, json};

use crate::deviations::hint;
use crate::kit::Impossible;
use crate::reply::{Reply, Via};
use crate::sama::SamaWorld;
use crate::sama::driver::{SUITE_BUG, SamaReply};
use crate::verdict::EndedOnReading;

/// Words every failure about a connection that ended carries: such a failure is never graded
/// as a reading.
pub const CONNECTION_ENDED: &str = "the connection ended";

impl SamaWorld {
    /// Grades what a step whose checks rest on reading `entry` ended with: a failed check becomes
    /// a note of the reading; without an entry, or for an impossible scenario, the step ends as
    /// it did.
    pub fn grade(&self, entry: &str, done: Result<(), Box<dyn Any + Send>>) {
        let Err(payload) = done else { return };
        if entry.is_empty() || payload.is::<Impossible>() || payload.is::<EndedOnReading>() {
            std::panic::resume_unwind(payload);
        }
        let text = match (payload.downcast_ref::<String>(), payload.downcast_ref::<&str>()) {
            (Some(s), _) => s.clone(),
            (None, Some(s)) => (*s).to_owned(),
            _ => std::panic::resume_unwind(payload),
        };
        if text.contains(CONNECTION_ENDED) || text.starts_with(SUITE_BUG) {
            // A server that drops the connection breaks more than a reading; a request the
            // suite's own schema refuses is a bug of the suite.
            std::panic::resume_unwind(payload);
        }
        let (check, rest) = text.split_once("\nexpected: ").unwrap_or((text.as_str(), ""));
        let (expected, rest) = rest.split_once("\nactual: ").unwrap_or((rest, ""));
        let actual = rest.split("\ndocumentation: ").next().unwrap_or_default();
        self.reading(entry, check, expected, actual);
    }

    /// Runs `check`, a step's check that rests on rule `rule_id` of the index rather than on
    /// the scenario's own rules (a set-up step's): a miss fails naming that rule, with the
    /// check, what was expected and what came back as the miss said them.
    pub fn on_rule<T>(&self, rule_id: &str, check: impl FnOnce() -> T) -> T {
        let payload = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(check)) {
            Ok(v) => return v,
            Err(payload) => payload,
        };
        if payload.is::<Impossible>() || payload.is::<EndedOnReading>() {
            std::panic::resume_unwind(payload);
        }
        let text = match (payload.downcast_ref::<String>(), payload.downcast_ref::<&str>()) {
            (Some(s), _) => s.clone(),
            (None, Some(s)) => (*s).to_owned(),
            _ => std::panic::resume_unwind(payload),
        };
        if text.starts_with(SUITE_BUG) {
            std::panic::resume_unwind(payload);
        }
        let (what, rest) = text.split_once("\nexpected: ").unwrap_or((text.as_str(), ""));
        let (expected, rest) = rest.split_once("\nactual: ").unwrap_or((rest, ""));
        let actual = rest.split("\ndocumentation: ").next().unwrap_or_default();
        self.fail_on_rule(rule_id, what, expected, actual)
    }

    /// Whether the profile declares deviation `s`; if it does, notes that the harness adapted to
    /// it at this check.
    pub fn deviation(&self, s: Switch, check: &str, expected: impl Display, actual: impl Display) -> bool {
        if !self.ctx.target.sama.has(s) {
            return false;
        }
        self.verdicts.deviation(s.name(), s.entry(), check, &expected.to_string(), &actual.to_string());
        true
    }

    /// A check the known deviation `s` breaks: adapted to when declared, else failed with a hint
    /// naming it.
    pub fn fail_known(&self, s: Switch, rule: &str, expected: impl Display, actual: impl Display) {
        if !self.deviation(s, rule, &expected, &actual) {
            self.fail(rule, expected, format!("{actual}\nhint: {}", hint(s)));
        }
    }

    /// Fails the step, with hints for known deviations seen that the profile did not declare.
    pub fn fail_hinting(
        &self,
        rule: &str,
        expected: impl Display,
        actual: impl Display,
        suspects: &[Switch],
    ) -> ! {
        if suspects.is_empty() {
            self.fail(rule, expected, actual);
        }
        let hints: Vec<String> = suspects.iter().map(|s| format!("hint: {}", hint(*s))).collect();
        self.fail(rule, expected, format!("{actual}\n{}", hints.join("\n")))
    }

    /// Like [`SamaWorld::fail_hinting`], for a set-up call that rests on the rule `rule_id`
    /// (`S-connect-reply`, ...): the failure quotes that rule, and blocks a scenario that does
    /// not check it ([`crate::kit::Scenario::fail_on_rule`]).
    pub fn fail_hinting_on(
        &self,
        rule_id: &str,
        check: &str,
        expected: impl Display,
        actual: impl Display,
        suspects: &[Switch],
    ) -> ! {
        let hints: String = suspects.iter().map(|s| format!("\nhint: {}", hint(*s))).collect();
        self.fail_on_rule(rule_id, check, expected, format!("{actual}{hints}"))
    }

    /// The known deviations a reply shows that the profile does not declare, for hints: a
    /// frame's form (`ask`, a `packet` wrapper, `0` for online...), what a refusal's error names,
    /// a system message's ack without `server_mid`.
    pub fn suspects(&self, reply: &Reply) -> Vec<Switch> {
        let d = &self.ctx.target.sama.deviations;
        let mut out = Vec::new();
        let call = match &reply.via {
            Via::Frame { key, .. } => {
                if !key.is_empty() {
                    out.extend(d.suspects(&json!({ key.as_str(): reply.body.clone() })));
                }
                reply.name.clone()
            }
            Via::Http { .. } => format!("/{}", reply.name),
        };
        if let Some(text) = reply.error_text() {
            out.extend(d.refusal_suspects(&call, &text));
        }
        if reply.name == "system_message"
            && reply.key() == "ack"
            && reply.body.get("server_mid").is_none_or(Value::is_null)
            && !d.declares(Switch::AckAsAsk)
        {
            out.push(Switch::AckAsAsk);
        }
        out.sort();
        out.dedup();
        out
    }

    /// A reply for a failure message, with a hint for each known deviation it shows undeclared.
    pub fn hinted(&self, reply: &Reply) -> String {
        let mut out = reply.describe();
        for s in self.suspects(reply) {
            out.push_str(&format!("\nhint: {}", hint(s)));
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::panic::AssertUnwindSafe;

    use super::*;
    use crate::context::{CONTEXT, RunContext};
    use crate::target::Target;

    #[test]
    fn a_suite_bug_is_never_graded_as_a_reading() {
        let ctx = RunContext::new(Target::embedded("sama", "http://127.0.0.1:9".into())).unwrap();
        CONTEXT.sync_scope(ctx, || {
            let w = SamaWorld::default();
            let bug: Box<dyn Any + Send> = Box::new(format!("{SUITE_BUG}: contact_list {{}}"));
            let graded = std::panic::catch_unwind(AssertUnwindSafe(|| w.grade("S24", Err(bug))));
            assert!(graded.is_err(), "a suite bug ends the step");
            assert!(w.verdicts.notes().is_empty(), "{:?}", w.verdicts.notes());
            // A check that failed, by contrast, becomes a note of the reading.
            let check: Box<dyn Any + Send> = Box::new("a check\nexpected: x\nactual: y".to_owned());
            w.grade("S24", Err(check));
            assert_eq!(w.verdicts.notes().len(), 1);
        });
    }
}
