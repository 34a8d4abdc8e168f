//! The cucumber world: one per scenario, holding its actors, rooms and wire log.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use cucumber::World;

use crate::context::RunContext;
use crate::steps::connectnow::ConnectNowState;
use crate::steps::onechat::OneChatState;
use crate::steps::sama::SamaState;
use crate::steps::unichat::UnichatState;
use crate::target::Account;
use crate::verdict::{EndedOnReading, Note, NoteKind, Verdicts};
use crate::wire::WireLog;

/// The panic payload of a step that cannot run against this target.
#[derive(Clone, Debug)]
pub struct Impossible(pub String);

/// One scenario's state.
#[derive(World)]
#[world(init = Self::new)]
pub struct ChatWorld {
    pub ctx: Arc<RunContext>,
    pub wire: WireLog,
    /// Ties this world to its scenario's report entry (feature file and line).
    pub key: String,
    /// The documentation sentence the scenario checks, from its description.
    pub doc: Option<String>,
    pub unichat: UnichatState,
    pub connectnow: ConnectNowState,
    pub onechat: OneChatState,
    pub sama: SamaState,
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

impl fmt::Debug for ChatWorld {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChatWorld")
            .field("key", &self.key)
            .field("actors", &self.unichat.actors.keys())
            .field("accounts", &self.connectnow.accounts.keys())
            .field("chat users", &self.connectnow.members.keys())
            .field("onechat users", &self.onechat.users.keys())
            .field("sama_actors", &self.sama.actors.keys())
            .finish()
    }
}

impl Drop for ChatWorld {
    fn drop(&mut self) {
        for account in self.accounts.drain(..) {
            self.ctx.return_account(account);
        }
    }
}

impl ChatWorld {
    fn new() -> ChatWorld {
        ChatWorld {
            ctx: RunContext::current(),
            wire: WireLog::default(),
            key: String::new(),
            doc: None,
            unichat: UnichatState::default(),
            connectnow: ConnectNowState::default(),
            onechat: OneChatState::default(),
            sama: SamaState::default(),
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
    /// graded lenient instead (see [`ChatWorld::reading_ends`]).
    pub fn fail(&self, rule: &str, expected: impl fmt::Display, actual: impl fmt::Display) -> ! {
        if let Some(entry) = self.reading_ground.clone() {
            self.reading_ends(&entry, rule, expected, actual)
        }
        let doc = self.doc.as_deref().unwrap_or("(the scenario names no documentation sentence)");
        panic!("{rule}\nexpected: {expected}\nactual: {actual}\ndocumentation: {doc}")
    }

    /// A check that rests on the register reading `entry` (`"S36"`) did not hold: records it
    /// and lets the scenario go on, to be graded lenient; under `--strict` fails it.
    pub fn reading(&self, entry: &str, check: &str, expected: impl fmt::Display, actual: impl fmt::Display) {
        if self.ctx.strict {
            self.strict_fail(entry, check, expected, actual)
        }
        self.verdicts.push(self.lenient_note(entry, check, expected, actual));
    }

    /// Like [`ChatWorld::reading`], for a reading the rest of the scenario depends on: ends
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
        let note = self.lenient_note(entry, check, expected, actual);
        self.verdicts.push(note.clone());
        std::panic::panic_any(EndedOnReading(note))
    }

    fn lenient_note(
        &self,
        entry: &str,
        check: &str,
        expected: impl fmt::Display,
        actual: impl fmt::Display,
    ) -> Note {
        Note {
            kind: NoteKind::Lenient,
            entry: entry.to_owned(),
            deviation: None,
            check: check.to_owned(),
            expected: expected.to_string(),
            actual: actual.to_string(),
        }
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
        panic!(
            "{check}\nexpected: {expected}\nactual: {actual}\ndocumentation: {doc}\nreading: {entry} of specs/src/{api}/NOTES.md (a reading, failed because the run is --strict)"
        )
    }

    /// Ends the scenario as impossible against this target.
    pub fn impossible(&self, why: impl Into<String>) -> ! {
        std::panic::panic_any(Impossible(why.into()))
    }

    /// A name unique to this run, for users, rooms and uids.
    pub fn unique(&self, base: &str) -> String {
        self.ctx.unique(base)
    }
}
