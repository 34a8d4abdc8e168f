//! Graded verdicts (DESIGN.md, "Outcomes" and "Rules"): every check in a step rests either on
//! the document or on a reading of the API's interpretation register.
//!
//! - A check that rests on the **document** fails the scenario when it does not hold
//!   ([`crate::kit::Scenario::fail`]).
//! - A check that rests on a **reading** (a register entry such as `S40`) records a
//!   [`Note`] and lets the scenario go on: a scenario whose document checks all held but a
//!   reading did not is *passed on a lenient reading* (Autobahn's NON-STRICT). Under
//!   `--strict` a reading that does not hold fails the scenario like a document check.
//! - Where the target's profile **declares a deviation** (`[sama] deviations = [...]`), the
//!   harness adapts at the exact check the deviation concerns and records a [`Note`] of kind
//!   [`NoteKind::Deviation`]: the scenario is *passed with declared deviation*.
//!
//! Notes are collected per scenario in a [`Verdicts`], shared by the world and by the drivers
//! it starts (a socket reader can adapt to a deviation), and read by the collector when the
//! scenario ends.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};

/// What a check rests on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ground {
    /// A sentence of the seed: a miss fails the scenario.
    Document,
    /// A register entry (`"S40"`, `"U12"`): a miss grades the scenario lenient, or fails it
    /// under `--strict`.
    Reading(String),
}

/// The kind of a [`Note`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// A register reading did not hold; every document check did.
    Lenient,
    /// The harness accepted a deviation the target's profile declares.
    Deviation,
}

/// One reading that did not hold, or one declared deviation the harness adapted to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// A register reading that did not hold, or a declared deviation adapted to.
    pub kind: NoteKind,
    /// The register entry, e.g. `S40` (`specs/src/<api>/NOTES.md`).
    pub entry: String,
    /// The deviation's profile name, for [`NoteKind::Deviation`] (`ack_as_ask`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deviation: Option<String>,
    /// What was checked, in the words of a failure heading.
    pub check: String,
    /// What the reading (or the document) expects.
    pub expected: String,
    /// What came back.
    pub actual: String,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            NoteKind::Lenient => write!(f, "reading {} did not hold: {}", self.entry, self.check)?,
            NoteKind::Deviation => write!(
                f,
                "declared deviation {} ({}): {}",
                self.deviation.as_deref().unwrap_or("?"),
                self.entry,
                self.check
            )?,
        }
        write!(f, "; expected {}; actual {}", self.expected, self.actual)
    }
}

/// The notes of one scenario. Clones share them.
#[derive(Clone, Debug, Default)]
pub struct Verdicts {
    notes: Arc<Mutex<Vec<Note>>>,
}

impl Verdicts {
    /// Records a note; the same note twice is kept once.
    pub fn push(&self, note: Note) {
        let mut notes = self.notes.lock().unwrap_or_else(PoisonError::into_inner);
        if !notes.contains(&note) {
            notes.push(note);
        }
    }

    /// Records that the harness adapted to the declared deviation `name` (register `entry`).
    pub fn deviation(&self, name: &str, entry: &str, check: &str, expected: &str, actual: &str) {
        self.push(Note {
            kind: NoteKind::Deviation,
            entry: entry.to_owned(),
            deviation: Some(name.to_owned()),
            check: check.to_owned(),
            expected: expected.to_owned(),
            actual: actual.to_owned(),
        });
    }

    /// Every note so far, in the order recorded.
    pub fn notes(&self) -> Vec<Note> {
        self.notes.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

/// The panic payload that ends a scenario early on a reading that did not hold, when the
/// steps after it depend on it (the scenario is graded lenient, not failed).
#[derive(Clone, Debug)]
pub struct EndedOnReading(pub Note);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_note_reads_as_its_entry_and_is_kept_once() {
        let v = Verdicts::default();
        let note = Note {
            kind: NoteKind::Lenient,
            entry: "S36".into(),
            deviation: None,
            check: "conversation_list lists the most recent first".into(),
            expected: "B before A".into(),
            actual: "A before B".into(),
        };
        v.push(note.clone());
        v.clone().push(note.clone());
        assert_eq!(v.notes(), vec![note.clone()]);
        assert!(note.to_string().starts_with("reading S36 did not hold"), "{note}");
        v.deviation("ack_as_ask", "S40", "the ack", "ack", "ask");
        assert_eq!(v.notes()[1].kind, NoteKind::Deviation);
        assert!(v.notes()[1].to_string().contains("declared deviation ack_as_ask (S40)"));
    }
}
