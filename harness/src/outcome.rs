//! The record of one conformance run: what every report is written from.
//!
//! The cucumber writer in `collect.rs` fills it; the writers in `report/` only read it, so
//! every report (JUnit, Cucumber JSON, conformance.json, HTML, Markdown) tells the same story.

use serde::{Deserialize, Serialize};

/// How one scenario ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Every step passed and every check held (a strict pass).
    Pass,
    /// Every check the document states held; a register reading did not (Autobahn's
    /// NON-STRICT). Does not fail the run unless it is `--strict`.
    PassLenient,
    /// Every check held once the harness adapted to a deviation the target declares.
    PassDeviation,
    /// A step failed and the scenario is not listed as a known failure.
    Fail,
    /// The scenario did not run (a step had no definition, or the run was cut short).
    Skipped,
    /// A step failed and the target lists the scenario as a known failure.
    ExpectedFailure,
    /// The target lists the scenario as a known failure, but it passed.
    UnexpectedPass,
    /// The target lacks a capability the scenario needs (admin provisioning, clock control...).
    Impossible,
    /// Not run: a set-up step found a rule broken that is not the scenario's own (the create
    /// call's status, a registration...), so the scenario's own check could not be made. The
    /// rule is reported once, as not met, by the scenarios that check it; a blocked scenario
    /// is never a pass and fails the run, unless the block is a known failure
    /// ([`ScenarioRecord::blocked_by_known_failure`]).
    Blocked,
}

impl Outcome {
    /// Every outcome, in report order.
    pub const ALL: [Outcome; 9] = [
        Outcome::Pass,
        Outcome::PassLenient,
        Outcome::PassDeviation,
        Outcome::Fail,
        Outcome::Skipped,
        Outcome::ExpectedFailure,
        Outcome::UnexpectedPass,
        Outcome::Impossible,
        Outcome::Blocked,
    ];

    /// The snake_case name used in every report.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::PassLenient => "pass_lenient",
            Outcome::PassDeviation => "pass_deviation",
            Outcome::Fail => "fail",
            Outcome::Skipped => "skipped",
            Outcome::ExpectedFailure => "expected_failure",
            Outcome::UnexpectedPass => "unexpected_pass",
            Outcome::Impossible => "impossible",
            Outcome::Blocked => "blocked",
        }
    }

    /// Whether the scenario passed, in any grade.
    pub fn passed(self) -> bool {
        matches!(self, Outcome::Pass | Outcome::PassLenient | Outcome::PassDeviation)
    }

    /// Whether this outcome makes the run fail.
    pub fn fails_run(self) -> bool {
        matches!(self, Outcome::Fail | Outcome::UnexpectedPass | Outcome::Blocked)
    }
}

/// Facts about the run as a whole.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RunInfo {
    /// The target's name: `embedded` for the built-in mocks, else the profile's `name`.
    pub target: String,
    /// The version the target reports about itself, if it does.
    pub target_version: Option<String>,
    /// The version of chatspec that ran the suite.
    pub chatspec_version: String,
    /// The suite revision: a hash of the feature files that ran.
    pub suite_revision: String,
    /// RFC 3339 start time (UTC).
    pub started_at: String,
    /// Wall time of the whole run in milliseconds.
    pub duration_ms: u64,
    /// The APIs that ran, e.g. `["unichat"]`.
    pub apis: Vec<String>,
    /// The tag expression the run was filtered with, if any.
    pub tags: Option<String>,
    /// The shard the run was (`--shard i/n`), if any: `report merge` joins the shards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    /// The areas the run was limited to (`--area`), as given; empty for every area.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<String>,
    /// The scenario ids the run was limited to (`--scenario`), as given; empty for all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scenario_filter: Vec<String>,
    /// The scenario ids the target's profile lists as known failures, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub known_failures: Vec<String>,
    /// For a report `report merge` joined from some of the shards of a split but not all:
    /// which it holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_shards: Option<MergedShards>,
    /// The suite's scenarios the run's filters left out, by filter in the order they apply
    /// (`--shard`, `--area`, `--scenario`, `--tags`); empty when the whole suite was selected.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_selected: Vec<NotSelected>,
    /// How far the run moved the target's clock forward, in seconds (`POST
    /// /_mock/clock/advance` or the `advance_clock` operation); the run never moves it back.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub clock_advanced_seconds: u64,
    /// The profile's `base_url` without any user or password in it; empty for the built-in
    /// mocks, which each run starts on a port of its own.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub base_url: String,
    /// How the run got its test users: the profile's `provisioning.mode` (`admin`,
    /// `accounts`, `signup`, `command`, `http`); empty for the built-in mocks.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub provisioning: String,
    /// Whether the server's e-mail was read from chatspec's SMTP sink (`[smtp] listen`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub smtp_sink: bool,
    /// `check --strict`: a pass on a lenient reading counted as a failure.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub strict: bool,
    /// `check --impossible-fails`: an impossible scenario counted as a failure.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub impossible_fails: bool,
    /// With `--shard`: how many of the suite's scenarios the other filters (`--area`,
    /// `--scenario`, `--tags`) select before the split shares them out, over every shard.
    /// A shard the split left empty of a selection that is not is no failure. `None` without
    /// `--shard`, and in files written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_before_split: Option<usize>,
    /// A digest of the target profile's grading settings (everything but its addresses):
    /// `report merge` refuses shards run with different profiles. Empty for the built-in mocks
    /// and in files written before it was recorded.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub profile_fingerprint: String,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

fn is_zero_steps(n: &usize) -> bool {
    *n == 0
}

/// The shards a merged report holds, of a split into `count`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergedShards {
    /// The split's size: the `n` of `--shard i/n`.
    pub count: u32,
    /// The indexes of the shards merged, ascending.
    pub merged: Vec<u32>,
}

impl MergedShards {
    /// The indexes of the split's shards the merge lacks, ascending.
    pub fn missing(&self) -> Vec<u32> {
        (1..=self.count).filter(|i| !self.merged.contains(i)).collect()
    }

    /// `2 of 3 shards (missing 2/3)`: what a merged report's headline says of it.
    pub fn describe(&self) -> String {
        let missing: Vec<String> = self.missing().iter().map(|i| format!("{i}/{}", self.count)).collect();
        let mut line = format!("{} of {} shards", self.merged.len(), self.count);
        if !missing.is_empty() {
            line.push_str(&format!(" (missing {})", missing.join(", ")));
        }
        line
    }
}

/// Scenarios of the suite one filter of the run left out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotSelected {
    /// The filter as given: `--shard 2/4` (the scenarios of the other shards), `--area uid`,
    /// `--scenario`, `--tags "not @slow"`.
    pub filter: String,
    /// How many scenarios it left out that the filters before it had kept.
    pub count: usize,
}

impl NotSelected {
    /// Adds `more` into `into`, one entry per filter, `count`s summed: the entries of runs
    /// over disjoint parts of the suites (the APIs of one run, the shards of one split).
    pub fn add(into: &mut Vec<NotSelected>, more: &[NotSelected]) {
        for m in more {
            match into.iter_mut().find(|n| n.filter == m.filter) {
                Some(n) => n.count += m.count,
                None => into.push(m.clone()),
            }
        }
    }
}

/// Status of one step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    /// The step ran and held.
    Passed,
    /// The step ran and failed (or panicked).
    Failed,
    /// No step definition matched, or an earlier step failed.
    Skipped,
}

/// One step as it ran.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    /// `Given `, `When `, `Then `, `And `...
    pub keyword: String,
    /// The step text.
    pub text: String,
    /// The feature-file line of the step.
    pub line: usize,
    /// How the step ended.
    pub status: StepStatus,
    /// How long the step took, in milliseconds.
    pub duration_ms: u64,
    /// The failure message, for a failed step.
    pub error: Option<String>,
}

/// Why a scenario failed, split for people.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// The text of the step that failed, with its keyword.
    pub step: String,
    /// The whole failure message.
    pub message: String,
    /// What the documentation requires, when the step could say it.
    pub expected: Option<String>,
    /// What came back instead.
    pub actual: Option<String>,
}

impl Failure {
    /// The message as a writer prints it beside [`Failure::expected`] and
    /// [`Failure::actual`]: without the `expected:` and `actual:` lines those were split from
    /// (nor the lines that continue `actual:`), and without the `documentation:` line when it
    /// quotes `doc`, the scenario's sentence a writer prints apart. Nothing else is dropped.
    pub fn cause(&self, doc: Option<&str>) -> String {
        let quoted = doc.filter(|d| !d.is_empty()).map(|d| format!("documentation: {d}"));
        let mut kept = Vec::new();
        let mut in_actual = false;
        for line in self.message.lines() {
            if line.starts_with("expected: ") && self.expected.is_some() {
                in_actual = false;
            } else if line.starts_with("actual: ") && self.actual.is_some() {
                in_actual = true;
            } else if line.starts_with("documentation: ") || !in_actual {
                in_actual = false;
                kept.push(line);
            }
        }
        let mut cause = kept.join("\n");
        // The quote may span lines: it is dropped only where it stands whole.
        if let Some(quoted) = quoted {
            if let Some(at) = cause.find(&format!("\n{quoted}\n")) {
                cause.replace_range(at..at + quoted.len() + 1, "");
            } else if cause.ends_with(&format!("\n{quoted}")) {
                cause.truncate(cause.len() - quoted.len() - 1);
            }
        }
        cause
    }
}

/// One entry of a scenario's wire log: a request, a response or a notification.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WireEntry {
    /// Milliseconds since the scenario started.
    pub at_ms: u64,
    /// `request`, `response`, `event` (a notification) or `note`.
    pub kind: String,
    /// Which scenario actor it belongs to (`Alice`), if any.
    pub actor: Option<String>,
    /// One line: `POST /api/post_message`, `200`, `unichat_notification`...
    pub summary: String,
    /// The body, if any.
    pub body: Option<serde_json::Value>,
}

/// A target's known failure that matched this scenario.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownFailure {
    /// Why the target fails it, as the profile's `known_failures` says.
    pub reason: String,
    /// A tracker link, as the profile's `known_failures` gives it.
    pub link: Option<String>,
}

/// One scenario as it ran.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ScenarioRecord {
    /// Stable id: `<api>/<feature file stem>/<scenario slug>` (plus `#<n>` for outline rows).
    pub id: String,
    /// `unichat`, `sama`, ...
    pub api: String,
    /// The area: the feature file stem (`messages`, `uid`, ...).
    pub area: String,
    /// The feature's name.
    pub feature: String,
    /// The feature file, relative to the repository (`features/unichat/uid.feature`).
    pub feature_file: String,
    /// The scenario's name.
    pub name: String,
    /// The feature-file line of the scenario.
    pub line: usize,
    /// The tags of the scenario, its rule and its feature, each with its `@`.
    pub tags: Vec<String>,
    /// How the scenario ended.
    pub outcome: Outcome,
    /// The documentation sentence the scenario checks (seed file and quote).
    pub doc: Option<String>,
    /// Every step, in the order it ran.
    pub steps: Vec<StepRecord>,
    /// How long the scenario took, in milliseconds.
    pub duration_ms: u64,
    /// What failed, with expected and actual, for `Fail` and `ExpectedFailure`.
    pub failure: Option<Failure>,
    /// Why the scenario could not run against this target, for `Impossible`.
    pub impossible: Option<String>,
    /// For `Impossible`: its set-up broke (an admin call, command or webhook failed or
    /// answered outside the admin contract), rather than the target lacking a capability.
    /// Such a scenario fails the run, and `--impossible-fails` leaves it impossible. Absent,
    /// so false, in records written before provisioning errors were told apart.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub provisioning_error: bool,
    /// For `Impossible` (and an impossible scenario `--impossible-fails` failed): how many of
    /// its steps passed before it became impossible, so had already talked to the target. It
    /// still did not run (never counted as run), and every report says it stopped part way.
    /// Absent, so 0, in records written before it was counted.
    #[serde(default, skip_serializing_if = "is_zero_steps")]
    pub impossible_after_steps: usize,
    /// The known-failure entry, for `ExpectedFailure` and `UnexpectedPass`, and for a listed
    /// scenario that did not run ([`ScenarioRecord::known_failure_unchecked`]).
    pub known_failure: Option<KnownFailure>,
    /// The rule (an id of the API's rule index) a set-up step found broken, for `Blocked`;
    /// `failure` says what the step expected and got.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_by: Option<String>,
    /// For `Blocked`: the block is a known failure, so it does not fail the run (the scenario
    /// still did not run): the target's profile lists the scenario itself, or every scenario
    /// of the run that failed on the blocking rule is a known failure (see [`mark_known_blocks`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub blocked_by_known_failure: bool,
    /// Readings that did not hold and declared deviations the harness adapted to: why a pass
    /// is lenient or with deviation (`verdict.rs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<crate::verdict::Note>,
    /// The scenario's wire log: requests, replies, events and notes.
    pub wire_log: Vec<WireEntry>,
}

impl ScenarioRecord {
    /// Whether this scenario makes the run fail: its outcome does, and it is no block by a
    /// known failure; or its set-up broke ([`ScenarioRecord::provisioning_error`]).
    pub fn fails_run(&self) -> bool {
        (self.outcome.fails_run() && !self.blocked_by_known_failure) || self.provisioning_error
    }

    /// Whether `--impossible-fails` graded this scenario as failed ([`fail_impossible`]): it
    /// was impossible against the target and never ran.
    pub fn forced_fail(&self) -> bool {
        self.outcome == Outcome::Fail && self.impossible.is_some()
    }

    /// The outcome without `--impossible-fails`: `Impossible` for a scenario it failed, else
    /// [`ScenarioRecord::outcome`]. What the run tells of the target (which rules it meets)
    /// reads this; the exit code and the fail counts read the outcome.
    pub fn unforced_outcome(&self) -> Outcome {
        if self.forced_fail() { Outcome::Impossible } else { self.outcome }
    }

    /// Whether the profile lists this scenario as a known failure but it did not run here
    /// (impossible, failed by `--impossible-fails` or not, or skipped), so the entry was not
    /// checked: a stale entry on a scenario that never runs on the target goes unnoticed
    /// unless the reports list it. It does not fail the run. Blocked scenarios are left out:
    /// [`mark_known_blocks`] handles them.
    pub fn known_failure_unchecked(&self) -> bool {
        self.known_failure.is_some()
            && matches!(self.unforced_outcome(), Outcome::Impossible | Outcome::Skipped)
    }

    /// `impossible`, or `impossible after 3 steps ran` when some of its steps passed first.
    pub fn impossible_words(&self) -> String {
        match self.impossible_after_steps {
            0 => "impossible".to_owned(),
            1 => "impossible after 1 step ran".to_owned(),
            k => format!("impossible after {k} steps ran"),
        }
    }

    /// Why the scenario is impossible against the target.
    pub fn impossible_cause(&self) -> String {
        self.impossible.clone().unwrap_or_else(|| "the target lacks a needed capability".to_owned())
    }
}

/// `--impossible-fails`: grades every impossible scenario as failed, with a failure that
/// says it never ran ("impossible against this target: ..."). It keeps its cause in
/// [`ScenarioRecord::impossible`], so every report can tell it from a scenario that ran and
/// failed ([`ScenarioRecord::forced_fail`]).
pub fn fail_impossible(scenarios: &mut [ScenarioRecord]) {
    // A provisioning error fails the run already; it stays what it is: not run.
    for s in scenarios.iter_mut().filter(|s| s.outcome == Outcome::Impossible && !s.provisioning_error) {
        s.outcome = Outcome::Fail;
        let why =
            s.impossible.get_or_insert_with(|| "the target lacks a needed capability".to_owned()).clone();
        let after = match s.impossible_after_steps {
            0 => String::new(),
            1 => " after 1 step ran".to_owned(),
            k => format!(" after {k} steps ran"),
        };
        s.failure.get_or_insert_with(|| Failure {
            step: "(the scenario as a whole)".into(),
            message: format!("impossible against this target{after}: {why}"),
            expected: None,
            actual: None,
        });
    }
}

/// Grades the scenarios the target's profile lists as known failures (`expected`: each id
/// with its entry): a failure becomes an expected failure, a pass an unexpected pass; a
/// blocked scenario stays blocked (its own check never ran), with its entry. Then marks the
/// blocks that are known failures ([`mark_known_blocks`]).
pub fn apply_known_failures(scenarios: &mut [ScenarioRecord], expected: &[(String, KnownFailure)]) {
    for s in scenarios.iter_mut() {
        if let Some((_, known)) = expected.iter().find(|(id, _)| *id == s.id) {
            s.known_failure = Some(known.clone());
            s.outcome = match s.outcome {
                Outcome::Fail => Outcome::ExpectedFailure,
                Outcome::Pass | Outcome::PassLenient | Outcome::PassDeviation => Outcome::UnexpectedPass,
                other => other,
            };
        }
    }
    mark_known_blocks(scenarios);
}

/// Sets [`ScenarioRecord::blocked_by_known_failure`] on every blocked scenario whose block is
/// known: the profile lists the scenario itself, or the blocking rule's own scenarios in the
/// run (those tagged `@rule:<id>`) include a known failure and no failure. A blocking rule
/// that fails anywhere else unlisted still fails the run, and so do the scenarios it blocked.
pub fn mark_known_blocks(scenarios: &mut [ScenarioRecord]) {
    let known: Vec<bool> = scenarios
        .iter()
        .map(|s| {
            if s.outcome != Outcome::Blocked {
                return false;
            }
            if s.known_failure.is_some() {
                return true;
            }
            let Some(rule) = &s.blocked_by else { return false };
            let checks = |o: &&ScenarioRecord| {
                o.api == s.api
                    && o.tags.iter().any(|t| {
                        t.trim_start_matches('@').strip_prefix(chatspec_specs::rules::TAG_PREFIX)
                            == Some(rule)
                    })
            };
            let own: Vec<&ScenarioRecord> = scenarios.iter().filter(checks).collect();
            own.iter().any(|o| o.outcome == Outcome::ExpectedFailure)
                && !own.iter().any(|o| o.outcome == Outcome::Fail)
        })
        .collect();
    for (s, known) in scenarios.iter_mut().zip(known) {
        s.blocked_by_known_failure = known;
    }
}

/// Everything about one run.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RunRecord {
    /// Target, versions, suite revision, start time and duration.
    pub info: RunInfo,
    /// Every scenario, in the order they finished.
    pub scenarios: Vec<ScenarioRecord>,
}

impl RunRecord {
    /// Count of scenarios with the given outcome.
    pub fn count(&self, outcome: Outcome) -> usize {
        self.scenarios.iter().filter(|s| s.outcome == outcome).count()
    }

    /// For one shard of a split (`--shard`, not a merge) that holds none of a selection that
    /// is not empty: how many scenarios the selection holds, all of them in the other shards.
    pub fn empty_shard(&self) -> Option<usize> {
        let selected = self.info.selected_before_split.filter(|&n| n > 0)?;
        let one_shard = self.info.shard.is_some() && self.info.merged_shards.is_none();
        (one_shard && self.scenarios.is_empty()).then_some(selected)
    }

    /// Whether the run as a whole failed: any fail or unexpected pass, a provisioning error,
    /// nothing executed (but in a shard the split left empty: [`RunRecord::empty_shard`]), or
    /// a merge that lacks shards of its split.
    pub fn failed(&self) -> bool {
        if self.info.merged_shards.as_ref().is_some_and(|m| !m.missing().is_empty()) {
            return true;
        }
        // A CI matrix runs every shard whatever the split: one that got nothing is not red.
        if self.empty_shard().is_some() {
            return false;
        }
        let executed = self
            .scenarios
            .iter()
            .filter(|s| !matches!(s.outcome, Outcome::Skipped | Outcome::Impossible))
            .count();
        executed == 0 || self.scenarios.iter().any(ScenarioRecord::fails_run)
    }
}
