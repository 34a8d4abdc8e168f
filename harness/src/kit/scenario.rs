//! [`Scenario`]: what every API's world holds for one scenario — the run context, the wire
//! log, the documentation sentence, the graded verdicts — and the verdict calls every step
//! uses: [`Scenario::fail`] (the document), [`Scenario::reading`] (a register reading) and
//! [`Scenario::impossible`] (the target lacks a capability) and
//! [`Scenario::provisioning_error`] (the scenario's set-up broke).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::context::RunContext;
use crate::target::Account;
use crate::verdict::{EndedOnReading, Ground, Note, NoteKind, Verdicts};
use crate::wire::WireLog;

/// The panic payload of a step that cannot run against this target.
#[derive(Clone, Debug)]
pub struct Impossible {
    /// Why, in words: what the profile lacks, or the call that failed and what came back.
    pub why: String,
    /// Whether the set-up broke ([`Scenario::provisioning_error`]) rather than the target
    /// lacking a capability ([`Scenario::impossible`]): a provisioning error fails the run.
    pub provisioning_error: bool,
}

/// The panic payload of a step that found a rule broken that is not one of its scenario's
/// own (`@rule:` tags): in a `Given` or `Background` step it blocks the scenario (the outcome
/// `blocked`, `collect.rs`); in any other step it fails it, with this message.
#[derive(Clone, Debug)]
pub struct OnRule {
    /// The rule found broken: an id of the API's rule index.
    pub rule: String,
    /// The failure message: the check, expected, actual, the rule's sentence and id.
    pub message: String,
}

/// One scenario's share of the run, embedded in every API's world.
pub struct Scenario {
    /// What every scenario of the run shares: target, HTTP clients, run id.
    pub ctx: Arc<RunContext>,
    /// Every request, reply and event of the scenario, with times.
    pub wire: WireLog,
    /// Ties the world to its scenario's report entry (feature file and line).
    pub key: String,
    /// The documentation sentence the scenario checks, from its description.
    pub doc: Option<String>,
    /// The rule ids the scenario checks, from its `@rule:<id>` tags (rule index,
    /// `specs/src/rules.rs`).
    pub rules: Vec<String>,
    /// Pre-made accounts this scenario holds; returned when it ends.
    pub accounts: Vec<Account>,
    /// Values remembered by name within the scenario.
    pub remembered: BTreeMap<String, serde_json::Value>,
    /// Readings that did not hold and deviations the harness adapted to (`verdict.rs`).
    pub verdicts: Verdicts,
    /// The register entry every check of this scenario rests on, when the scenario as a
    /// whole checks a reading (`And the checks below rest on the reading C11 of the register`).
    pub reading_ground: Option<String>,
}

impl fmt::Debug for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scenario").field("key", &self.key).field("doc", &self.doc).finish()
    }
}

impl Default for Scenario {
    fn default() -> Scenario {
        Scenario::new(RunContext::current())
    }
}

impl Drop for Scenario {
    fn drop(&mut self) {
        for account in self.accounts.drain(..) {
            self.ctx.return_account(account);
        }
    }
}

impl Scenario {
    /// A fresh scenario of the run `ctx`.
    pub fn new(ctx: Arc<RunContext>) -> Scenario {
        Scenario {
            ctx,
            wire: WireLog::default(),
            key: String::new(),
            doc: None,
            rules: Vec::new(),
            accounts: Vec::new(),
            remembered: BTreeMap::new(),
            verdicts: Verdicts::default(),
            reading_ground: None,
        }
    }

    /// Fails the step with what was expected, what came back, and the documentation
    /// sentence the scenario checks.
    ///
    /// In a scenario that as a whole checks a register reading, the miss ends the scenario
    /// graded lenient instead (see [`Scenario::reading_ends`]).
    pub fn fail(&self, rule: &str, expected: impl fmt::Display, actual: impl fmt::Display) -> ! {
        if let Some(entry) = self.reading_ground.clone() {
            self.reading_ends(&entry, rule, expected, actual)
        }
        let doc = self.doc.as_deref().unwrap_or("(the scenario names no documentation sentence)");
        let rules = self.rules_line();
        panic!("{rule}\nexpected: {expected}\nactual: {actual}\ndocumentation: {doc}{rules}")
    }

    /// The `rules:` line of a failure message: the scenario's rule ids, if it names any.
    fn rules_line(&self) -> String {
        match self.rules.as_slice() {
            [] => String::new(),
            ids => format!("\nrules: {}", ids.join(", ")),
        }
    }

    /// Fails the step on the rule `rule_id` (an id of the API's rule index) that a set-up
    /// step or a fence rests on, quoting that rule's sentence, not the scenario's.
    ///
    /// When the rule is one of the scenario's own, this is a failure like [`Scenario::fail`].
    /// When it is not, the scenario's own check could not be made: the step ends with an
    /// [`OnRule`] payload, and a `Given` or `Background` step that ends so leaves the scenario
    /// blocked by that rule, not failed.
    pub fn fail_on_rule(
        &self,
        rule_id: &str,
        check: &str,
        expected: impl fmt::Display,
        actual: impl fmt::Display,
    ) -> ! {
        let quote = self.rule_quote(rule_id);
        if self.rules.iter().any(|r| r == rule_id) {
            // The rule the check failed on, alone: the scenario's other rules were not judged.
            panic!(
                "{check}\nexpected: {expected}\nactual: {actual}\ndocumentation: {quote}\nrules: {rule_id}"
            )
        }
        let message = format!(
            "{check}\nexpected: {expected}\nactual: {actual}\ndocumentation: {quote}\nrules: {rule_id} (the scenario's own check could not be made)"
        );
        std::panic::panic_any(OnRule { rule: rule_id.to_owned(), message })
    }

    /// A check a set-up step makes on the rule `rule_id`, resting on `ground`.
    ///
    /// When it does not hold on the document, the step fails on that rule
    /// ([`Scenario::fail_on_rule`]). When it does not hold on a reading, the reading grades
    /// the scenarios that check the rule, not this one: a scenario whose own rule it is is
    /// graded as [`Scenario::check_on`] grades it; any other scenario goes on ungraded, as the
    /// document allows what came back; under `--strict`, where readings are enforced, the
    /// step fails on the rule.
    pub fn setup_check(
        &self,
        rule_id: &str,
        ground: &Ground,
        holds: bool,
        check: &str,
        expected: impl fmt::Display,
        actual: impl fmt::Display,
    ) {
        if holds {
            return;
        }
        let own = self.rules.iter().any(|r| r == rule_id);
        match ground {
            Ground::Document => self.fail_on_rule(rule_id, check, expected, actual),
            Ground::Reading(_) if own => self.check_on(ground, holds, check, expected, actual),
            Ground::Reading(entry) if self.ctx.strict => self.fail_on_rule(
                rule_id,
                check,
                expected,
                format!(
                    "{actual}\nreading: {entry} of specs/src/{}/NOTES.md (a reading, enforced because the run is --strict)",
                    self.ctx.target.api
                ),
            ),
            Ground::Reading(_) => {}
        }
    }

    /// `seed 002 "..."` (or `the register "..."`): the sentence of rule `rule_id`.
    fn rule_quote(&self, rule_id: &str) -> String {
        let api = &self.ctx.target.api;
        chatspec_specs::rules::index(api)
            .and_then(Result::ok)
            .and_then(|index| {
                index.rule(rule_id).map(|r| {
                    let source = if r.seed == chatspec_specs::rules::REGISTER {
                        "the register".to_owned()
                    } else {
                        format!("seed {}", r.seed)
                    };
                    format!("{source} \"{}\"", chatspec_specs::rules::normalise_whitespace(&r.quote))
                })
            })
            .unwrap_or_else(|| format!("(no rule {rule_id} in the index of {api})"))
    }

    /// A check that rests on the register reading `entry` (`"S36"`) did not hold: records it
    /// and lets the scenario go on, to be graded lenient; under `--strict` fails it.
    pub fn reading(&self, entry: &str, check: &str, expected: impl fmt::Display, actual: impl fmt::Display) {
        if self.ctx.strict {
            self.strict_fail(entry, check, expected, actual)
        }
        self.verdicts.push(lenient_note(entry, check, expected, actual));
    }

    /// Like [`Scenario::reading`], for a reading the rest of the scenario depends on: ends
    /// the scenario, graded lenient (failed under `--strict`).
    pub fn reading_ends(
        &self,
        entry: &str,
        check: &str,
        expected: impl fmt::Display,
        actual: impl fmt::Display,
    ) -> ! {
        if self.ctx.strict {
            self.strict_fail(entry, check, expected, actual)
        }
        let note = lenient_note(entry, check, expected, actual);
        self.verdicts.push(note.clone());
        std::panic::panic_any(EndedOnReading(note))
    }

    fn strict_fail(
        &self,
        entry: &str,
        check: &str,
        expected: impl fmt::Display,
        actual: impl fmt::Display,
    ) -> ! {
        let api = &self.ctx.target.api;
        let doc = self.doc.as_deref().unwrap_or("(the scenario names no documentation sentence)");
        let rules = self.rules_line();
        panic!(
            "{check}\nexpected: {expected}\nactual: {actual}\ndocumentation: {doc}\nreading: {entry} of specs/src/{api}/NOTES.md (a reading, failed because the run is --strict){rules}"
        )
    }

    /// Ends the scenario as impossible against this target: the target lacks a capability
    /// the scenario needs (clock control, an operation, accounts), a known limit of it.
    pub fn impossible(&self, why: impl Into<String>) -> ! {
        std::panic::panic_any(Impossible { why: why.into(), provisioning_error: false })
    }

    /// Ends the scenario as impossible because its set-up broke: an admin call, command or
    /// webhook failed or answered outside the admin contract. The scenario did not run, as
    /// an impossible one does not, but the run fails: the set-up it rests on is broken.
    pub fn provisioning_error(&self, why: impl Into<String>) -> ! {
        std::panic::panic_any(Impossible {
            why: format!("provisioning error: {}", why.into()),
            provisioning_error: true,
        })
    }

    /// A name unique to this run, for users, rooms and uids.
    pub fn unique(&self, base: &str) -> String {
        self.ctx.unique(base)
    }
}

fn lenient_note(entry: &str, check: &str, expected: impl fmt::Display, actual: impl fmt::Display) -> Note {
    Note {
        kind: NoteKind::Lenient,
        entry: entry.to_owned(),
        deviation: None,
        check: check.to_owned(),
        expected: expected.to_string(),
        actual: actual.to_string(),
    }
}
