//! Writes `conformance.json`: run info, outcome counts per run, API and area, and one line
//! per scenario; and reads it back for `chatspec compare`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::outcome::{Failure, KnownFailure, Outcome, RunInfo, RunRecord, StepRecord};
use crate::verdict::Note;

use super::rules::RuleResult;
use super::{Tally, api_counts, area_counts, run_counts, scenario_message, scenarios_by_area};

/// The whole `conformance.json` document.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ConformanceDoc {
    /// Target, versions, suite revision, start time and duration.
    pub run: RunInfo,
    /// Counts of the whole run.
    pub totals: Totals,
    /// Per API, by name.
    pub apis: BTreeMap<String, ApiSummary>,
    /// Every scenario, grouped by API and area, in feature-file order.
    pub scenarios: Vec<ScenarioLine>,
    /// Every rule the run's scenarios check, with its verdict (`report/rules.rs`); absent in
    /// reports written before rules were reported.
    #[serde(default)]
    pub rules: Vec<RuleResult>,
}

/// How many scenarios ended with each outcome; every outcome is written, 0 when absent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Strict passes.
    pub pass: usize,
    /// Passes on a lenient reading (absent in reports written before grades existed).
    #[serde(default)]
    pub pass_lenient: usize,
    /// Passes with a declared deviation.
    #[serde(default)]
    pub pass_deviation: usize,
    /// Failures, the impossible scenarios `--impossible-fails` failed among them
    /// ([`Counts::impossible_failed`]).
    pub fail: usize,
    /// Of `fail`, the impossible scenarios `--impossible-fails` graded as failed: failed by
    /// the flag, they never ran (absent, so 0, in reports written before it was counted).
    #[serde(default)]
    pub impossible_failed: usize,
    /// Scenarios skipped (not run).
    pub skipped: usize,
    /// Failures the target's profile lists as known.
    pub expected_failure: usize,
    /// Passes of scenarios the target's profile lists as known failures.
    pub unexpected_pass: usize,
    /// Scenarios the target lacks a capability for (not run).
    pub impossible: usize,
    /// Of `impossible`, the scenarios whose set-up broke (a provisioning error: an admin
    /// call, command or webhook that failed); they fail the run (absent, so 0, in reports
    /// written before they were counted).
    #[serde(default)]
    pub provisioning_errors: usize,
    /// Of `impossible` and `impossible_failed`, the scenarios that became impossible after
    /// some of their steps ran (talked to the target): still not run (absent, so 0, in
    /// reports written before they were counted).
    #[serde(default)]
    pub impossible_partly_ran: usize,
    /// Scenarios the profile lists as known failures that did not run here (impossible or
    /// skipped), so their entries went unchecked; they do not fail the run (absent, so 0, in
    /// reports written before they were counted).
    #[serde(default)]
    pub known_failures_unchecked: usize,
    /// Scenarios blocked by a rule a set-up step found broken (not run; never a pass).
    /// Absent in reports written before blocked scenarios existed.
    #[serde(default)]
    pub blocked: usize,
}

impl Counts {
    /// The count of one outcome.
    pub fn get(&self, outcome: Outcome) -> usize {
        match outcome {
            Outcome::Pass => self.pass,
            Outcome::PassLenient => self.pass_lenient,
            Outcome::PassDeviation => self.pass_deviation,
            Outcome::Fail => self.fail,
            Outcome::Skipped => self.skipped,
            Outcome::ExpectedFailure => self.expected_failure,
            Outcome::UnexpectedPass => self.unexpected_pass,
            Outcome::Impossible => self.impossible,
            Outcome::Blocked => self.blocked,
        }
    }

    fn from_tally(tally: &Tally) -> Self {
        Counts {
            pass: tally.get(Outcome::Pass),
            pass_lenient: tally.get(Outcome::PassLenient),
            pass_deviation: tally.get(Outcome::PassDeviation),
            fail: tally.get(Outcome::Fail),
            impossible_failed: tally.forced(),
            skipped: tally.get(Outcome::Skipped),
            expected_failure: tally.get(Outcome::ExpectedFailure),
            unexpected_pass: tally.get(Outcome::UnexpectedPass),
            impossible: tally.get(Outcome::Impossible),
            provisioning_errors: tally.provisioning_errors(),
            impossible_partly_ran: tally.partly_ran(),
            known_failures_unchecked: tally.unchecked_known(),
            blocked: tally.get(Outcome::Blocked),
        }
    }

    /// The counts as a [`Tally`], the impossible scenarios `--impossible-fails` failed apart:
    /// what a reader of the file (`report compare`) computes every figure from.
    pub fn tally(&self) -> Tally {
        let mut tally = Tally::default();
        let forced = self.impossible_failed.min(self.fail);
        let provisioning = self.provisioning_errors.min(self.impossible);
        for outcome in Outcome::ALL {
            let n = match outcome {
                Outcome::Fail => self.fail - forced,
                Outcome::Impossible => self.impossible - provisioning,
                _ => self.get(outcome),
            };
            (0..n).for_each(|_| tally.add(outcome));
        }
        (0..forced).for_each(|_| tally.add_forced());
        (0..provisioning).for_each(|_| tally.add_provisioning_error());
        tally.add_apart(self.impossible_partly_ran, self.known_failures_unchecked);
        tally
    }
}

/// Counts of the whole run or of one API.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    /// Scenarios per outcome.
    #[serde(flatten)]
    pub counts: Counts,
    /// All scenarios, whatever their outcome.
    pub scenarios: usize,
    /// The scenarios that ran against the target: all but the skipped, impossible (failed by
    /// `--impossible-fails` or not) and blocked ones (absent, so 0, in reports written before
    /// it was written: a reader computes it from the counts, [`Counts::tally`]).
    #[serde(default)]
    pub ran: usize,
    /// See [`Tally::passed_percent`]: passes over the scenarios that ran and the blocked ones;
    /// `null` when there are none.
    pub passed_percent: Option<f64>,
}

impl Totals {
    fn from_tally(tally: &Tally) -> Self {
        Totals {
            counts: Counts::from_tally(tally),
            scenarios: tally.total(),
            ran: tally.executed(),
            passed_percent: tally.passed_percent(),
        }
    }
}

/// One API: its totals and its areas.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiSummary {
    /// The API's counts.
    pub totals: Totals,
    /// Per area (feature file stem), by name.
    pub areas: BTreeMap<String, AreaSummary>,
}

/// Counts of one area.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AreaSummary {
    /// Scenarios per outcome.
    #[serde(flatten)]
    pub counts: Counts,
    /// All scenarios of the area.
    pub total: usize,
    /// The scenarios of the area that ran, as [`Totals::ran`] counts them.
    #[serde(default)]
    pub ran: usize,
    /// See [`Tally::passed_percent`].
    pub passed_percent: Option<f64>,
}

/// One scenario's result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioLine {
    /// The stable id (`unichat/uid/...`).
    pub id: String,
    /// The API.
    pub api: String,
    /// The area: the feature file stem.
    pub area: String,
    /// The scenario's name.
    pub name: String,
    /// How it ended.
    pub outcome: Outcome,
    /// Why it did not plainly pass: the failure, the known-failure entry, what the target
    /// lacks, or the readings and declared deviations that graded its pass.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Readings that did not hold and declared deviations the harness adapted to, each with
    /// its register entry (`specs/src/<api>/NOTES.md`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// The feature's name (absent in files written before `report merge` existed, as are
    /// the fields below).
    #[serde(default)]
    pub feature: String,
    /// The feature file, relative to the repository (`features/unichat/uid.feature`).
    #[serde(default)]
    pub feature_file: String,
    /// The feature-file line of the scenario.
    #[serde(default)]
    pub line: usize,
    /// The tags of the scenario, its rule and its feature, each with its `@`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The documentation sentence the scenario checks (seed file and quote).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// Every step, in the order it ran.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<StepRecord>,
    /// How long the scenario took, in milliseconds.
    #[serde(default)]
    pub duration_ms: u64,
    /// What failed, with expected and actual, for `fail` and `expected_failure`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
    /// Why the scenario could not run against this target, for `impossible`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impossible: Option<String>,
    /// For `impossible`: its set-up broke (a provisioning error), which fails the run.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub provisioning_error: bool,
    /// For `impossible` (and one `--impossible-fails` failed): the steps that passed before it
    /// became impossible; absent when none did.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub impossible_after_steps: usize,
    /// The known-failure entry, for `expected_failure` and `unexpected_pass`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_failure: Option<KnownFailure>,
    /// The rule a set-up step found broken, for a blocked scenario.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_by: Option<String>,
    /// For a blocked scenario: the block is a known failure and does not fail the run.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub blocked_by_known_failure: bool,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Builds the document of `record`.
pub fn build(record: &RunRecord) -> ConformanceDoc {
    // Secrets are shown redacted (`report/redact.rs`); the run used the real values.
    let record = &super::redact::record(record);
    let areas = area_counts(record);
    let apis = api_counts(record)
        .into_iter()
        .map(|(api, tally)| {
            let summary = ApiSummary {
                totals: Totals::from_tally(&tally),
                areas: areas
                    .iter()
                    .filter(|((a, _), _)| *a == api)
                    .map(|((_, area), t)| {
                        let summary = AreaSummary {
                            counts: Counts::from_tally(t),
                            total: t.total(),
                            ran: t.executed(),
                            passed_percent: t.passed_percent(),
                        };
                        (area.clone(), summary)
                    })
                    .collect(),
            };
            (api, summary)
        })
        .collect();
    let scenarios = scenarios_by_area(record)
        .into_values()
        .flatten()
        .map(|s| ScenarioLine {
            id: s.id.clone(),
            api: s.api.clone(),
            area: s.area.clone(),
            name: s.name.clone(),
            outcome: s.outcome,
            message: scenario_message(s),
            notes: s.notes.clone(),
            feature: s.feature.clone(),
            feature_file: s.feature_file.clone(),
            line: s.line,
            tags: s.tags.clone(),
            doc: s.doc.clone(),
            steps: s.steps.clone(),
            duration_ms: s.duration_ms,
            failure: s.failure.clone(),
            impossible: s.impossible.clone(),
            provisioning_error: s.provisioning_error,
            impossible_after_steps: s.impossible_after_steps,
            known_failure: s.known_failure.clone(),
            blocked_by: s.blocked_by.clone(),
            blocked_by_known_failure: s.blocked_by_known_failure,
        })
        .collect();
    ConformanceDoc {
        run: record.info.clone(),
        totals: Totals::from_tally(&run_counts(record)),
        apis,
        scenarios,
        rules: super::rules::results(record),
    }
}

/// Renders `conformance.json` (pretty JSON, ending in a newline).
pub fn render(record: &RunRecord) -> String {
    // Plain structs with string keys always serialise; the fallback is never expected.
    let mut json = serde_json::to_string_pretty(&build(record))
        .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()));
    json.push('\n');
    json
}

/// A text that is no `conformance.json` chatspec wrote: not JSON, or not its shape.
#[derive(Debug, thiserror::Error)]
#[error("not a chatspec conformance.json: {0}")]
pub struct NotConformance(#[source] pub serde_json::Error);

/// Reads a `conformance.json` back.
pub fn parse(text: &str) -> Result<ConformanceDoc, NotConformance> {
    serde_json::from_str(text).map_err(NotConformance)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::rules::RuleVerdict;
    use crate::report::sample;
    use serde_json::Value;

    #[test]
    fn matches_the_golden_file() {
        // The sample's times and ids are fixed: nothing to normalise.
        crate::report::golden("conformance.json", &render(&sample::record()));
    }

    #[test]
    fn totals_and_percentages() {
        let doc = build(&sample::record());
        assert_eq!(
            doc.totals.counts,
            Counts {
                pass: 4,
                pass_lenient: 1,
                pass_deviation: 1,
                fail: 2,
                impossible_failed: 0,
                skipped: 1,
                expected_failure: 1,
                unexpected_pass: 1,
                impossible: 1,
                provisioning_errors: 0,
                impossible_partly_ran: 0,
                known_failures_unchecked: 0,
                blocked: 1,
            }
        );
        assert_eq!(doc.totals.scenarios, 13);
        // 7 passed (4 strict + 1 lenient + 1 with deviation + 1 unexpected) of 10 executed.
        // 7 passed of 10 executed and 1 blocked: a blocked scenario counts against the target.
        assert_eq!(doc.totals.passed_percent, Some(63.6));
        assert_eq!(doc.apis["connectnow"].areas["presence"].counts.pass_lenient, 1);
        assert_eq!(doc.apis["connectnow"].areas["presence"].passed_percent, Some(50.0));
        assert_eq!(doc.apis["connectnow"].areas["presence"].counts.blocked, 1);
        let unichat = &doc.apis["unichat"];
        assert_eq!(unichat.totals.scenarios, 5);
        assert_eq!(unichat.areas["messages"].total, 3);
        assert_eq!(unichat.areas["messages"].passed_percent, Some(66.7));
        assert_eq!(unichat.areas["uid"].passed_percent, Some(50.0));
        assert_eq!(doc.apis["sama"].areas["auth"].passed_percent, Some(100.0));
        let keys: Vec<&String> = doc.apis.keys().collect();
        assert_eq!(keys, ["connectnow", "sama", "unichat"]);
    }

    #[test]
    fn every_outcome_is_written_even_when_zero() {
        let json: Value = serde_json::from_str(&render(&sample::record())).expect("valid JSON");
        let presence = &json["apis"]["connectnow"]["areas"]["presence"];
        for outcome in Outcome::ALL {
            assert!(presence[outcome.as_str()].is_u64(), "{}", outcome.as_str());
            assert!(json["totals"][outcome.as_str()].is_u64());
        }
        assert_eq!(presence["impossible"], 0);
        assert_eq!(presence["pass_lenient"], 1);
        assert_eq!(presence["total"], 4);
        assert_eq!(json["totals"]["scenarios"], 13);
        assert_eq!(json["totals"]["pass_deviation"], 1);
        assert_eq!(json["run"]["target"], "acme-chat");
        assert_eq!(json["run"]["suite_revision"], "9f2c1e4b7a10");

        let empty: Value = serde_json::from_str(&render(&RunRecord::default())).expect("valid JSON");
        assert_eq!(empty["totals"]["pass"], 0);
        assert_eq!(empty["totals"]["passed_percent"], Value::Null);
    }

    #[test]
    fn scenario_lines_carry_messages() {
        let doc = build(&sample::record());
        let ids: Vec<&str> = doc.scenarios.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids[0], "connectnow/presence/presence-turns-away-after-5-minutes");
        assert_eq!(ids.len(), 13);
        let line = |id: &str| doc.scenarios.iter().find(|s| s.id == id).expect("present");
        assert_eq!(line(sample::BLOCKED).blocked_by.as_deref(), Some(sample::RULE_BLOCKING));
        assert!(
            line(sample::BLOCKED)
                .message
                .as_deref()
                .is_some_and(|m| m.starts_with("blocked by rule C-fact-created-201: "))
        );
        assert_eq!(line(sample::PASS).message, None);
        assert_eq!(line(sample::FAIL).outcome, Outcome::Fail);
        assert!(line(sample::FAIL).message.as_deref().is_some_and(|m| m.contains("found 2")));
        assert!(line(sample::IMPOSSIBLE).message.as_deref().is_some_and(|m| m.contains("clock")));
        let lenient = line(sample::LENIENT);
        assert_eq!(lenient.outcome, Outcome::PassLenient);
        assert_eq!(lenient.notes.len(), 1);
        assert_eq!(lenient.notes[0].entry, "C5");
        assert!(lenient.message.as_deref().is_some_and(|m| m.contains("specs/src/connectnow/NOTES.md")));
        assert_eq!(
            line(sample::DEVIATION).notes[0].deviation.as_deref(),
            Some("token_login_needs_organization")
        );
        assert!(line(sample::PASS).notes.is_empty());
        let json = render(&sample::record());
        assert!(json.contains("\"outcome\": \"unexpected_pass\""));
        assert!(json.contains("\"kind\": \"lenient\""));
        assert!(json.contains("\"entry\": \"S8\""));
        assert!(!json.contains("\"message\": null"));
    }

    #[test]
    fn parse_reads_back_what_render_writes() {
        let record = sample::record();
        let doc = parse(&render(&record)).expect("parses");
        let value = |d: &ConformanceDoc| serde_json::to_value(d).expect("serialises");
        assert_eq!(value(&doc), value(&build(&record)));
        assert_eq!(doc.run.started_at, "2026-05-04T09:30:12Z");
        assert!(
            parse("{\"run\": 1}")
                .is_err_and(|e| e.to_string().starts_with("not a chatspec conformance.json"))
        );
    }

    #[test]
    fn rules_are_listed_and_old_files_without_them_still_read() {
        let json: Value = serde_json::from_str(&render(&sample::record())).expect("valid JSON");
        let rules = json["rules"].as_array().expect("a rules array");
        let rule = |id: &str| rules.iter().find(|r| r["id"] == id).expect("rule listed");
        let blocking = rule(sample::RULE_BLOCKING);
        // None of its own scenarios was selected: not run, though it blocked one.
        assert_eq!(blocking["verdict"], "not_run");
        assert_eq!(blocking["seed"], "register");
        assert_eq!(blocking["area"], "errors");
        assert_eq!(blocking["blocking"], 1);
        assert!(blocking["quote"].as_str().is_some_and(|q| q.contains("201")));
        assert_eq!(rule(sample::RULE_BLOCKED)["verdict"], "blocked");
        assert_eq!(rule(sample::RULE_BLOCKED)["scenarios"], serde_json::json!([sample::BLOCKED]));
        assert_eq!(rule(sample::RULE_MET)["verdict"], "met");
        // A conformance.json of an earlier chatspec: no rules, no blocked counts or lines.
        let mut old = json.clone();
        if let Some(o) = old.as_object_mut() {
            o.remove("rules");
        }
        let text = old
            .to_string()
            .replace("\"blocked\":1,", "")
            .replace("\"blocked\":0,", "")
            .replace("\"outcome\":\"blocked\"", "\"outcome\":\"fail\"");
        assert!(!text.contains("\"blocked\""), "{text}");
        let doc = parse(&text).expect("old files read");
        assert!(doc.rules.is_empty());
        assert_eq!(doc.totals.counts.blocked, 0);
    }

    /// The sample run with `--impossible-fails`: its impossible scenario, tagged with a rule
    /// only it checks, failed without running.
    fn forced() -> RunRecord {
        let mut record = sample::record();
        if let Some(s) = record.scenarios.iter_mut().find(|s| s.id == sample::IMPOSSIBLE) {
            s.tags.push("@rule:S-login-refresh-token".to_owned());
        }
        crate::outcome::fail_impossible(&mut record.scenarios);
        record
    }

    #[test]
    fn impossible_fails_counts_its_failures_apart_and_never_as_ran() {
        let plain = build(&sample::record());
        let doc = build(&forced());
        assert_eq!(doc.totals.counts.fail, plain.totals.counts.fail + 1);
        assert_eq!(doc.totals.counts.impossible, 0);
        assert_eq!(doc.totals.counts.impossible_failed, 1);
        assert_eq!(plain.totals.counts.impossible_failed, 0);
        // What ran is the same with the flag as without it: 13 less 1 skipped, 1 impossible
        // and 1 blocked.
        assert_eq!((plain.totals.ran, doc.totals.ran), (10, 10));
        let auth = &doc.apis["sama"].areas["auth"];
        assert_eq!((auth.counts.impossible_failed, auth.ran, auth.total), (1, 2, 4));
        assert_eq!(doc.apis["sama"].totals.counts.impossible_failed, 1);
        let json: Value = serde_json::from_str(&render(&forced())).expect("valid JSON");
        assert_eq!(json["totals"]["impossible_failed"], 1);
        assert_eq!(json["totals"]["ran"], 10);
        assert_eq!(json["apis"]["unichat"]["areas"]["uid"]["impossible_failed"], 0);
        // A reader of the file gets the figures every writer shows.
        let tally = run_counts(&forced());
        assert_eq!(doc.totals.counts.tally(), tally);
        assert_eq!(parse(&render(&forced())).expect("parses").totals.counts.tally(), tally);
        assert!(super::super::ran_cell(&tally).contains("1 impossible, failed by --impossible-fails"));
    }

    #[test]
    fn a_rule_whose_scenarios_were_only_impossible_is_never_not_met() {
        let rule = |record: &RunRecord| {
            build(record).rules.into_iter().find(|r| r.id == "S-login-refresh-token").expect("listed")
        };
        let mut without = sample::record();
        if let Some(s) = without.scenarios.iter_mut().find(|s| s.id == sample::IMPOSSIBLE) {
            s.tags.push("@rule:S-login-refresh-token".to_owned());
        }
        assert_eq!(rule(&without).verdict, RuleVerdict::Impossible);
        // The flag changes the exit code and the fail counts, not what the run found.
        let with = forced();
        assert!(with.failed());
        assert_eq!(rule(&with).verdict, RuleVerdict::Impossible);
        let summary = crate::console::console_summary(&with);
        assert!(!summary.contains("2 not met"), "{summary}");
    }

    #[test]
    fn files_without_the_ran_and_forced_figures_still_read() {
        fn strip(v: &mut Value) {
            match v {
                Value::Object(o) => {
                    o.remove("impossible_failed");
                    o.remove("ran");
                    o.values_mut().for_each(strip);
                }
                Value::Array(a) => a.iter_mut().for_each(strip),
                _ => {}
            }
        }
        let mut json: Value = serde_json::from_str(&render(&forced())).expect("valid JSON");
        strip(&mut json);
        let text = json.to_string();
        assert!(!text.contains("\"impossible_failed\"") && !text.contains("\"ran\""), "{text}");
        let doc = parse(&text).expect("old files read");
        assert_eq!((doc.totals.counts.impossible_failed, doc.totals.ran), (0, 0));
        // An old file never told its forced failures apart: they read as failures.
        assert_eq!(doc.totals.counts.tally().forced(), 0);
        assert_eq!(doc.totals.counts.tally().get(Outcome::Fail), 3);
    }

    #[test]
    fn output_is_deterministic() {
        let record = sample::record();
        let mut shuffled = record.clone();
        shuffled.scenarios.reverse();
        assert_eq!(render(&record), render(&shuffled));
    }
}
