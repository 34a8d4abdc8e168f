//! The headline of a run: its verdict and what ran of the suite, in the one text the
//! console, `summary.md` and `report.html` show, counted by the run's [`Tally`].
//!
//! What did not run is never counted as passed (skipped, impossible, blocked, and the
//! impossible scenarios `--impossible-fails` failed), a pass is never counted in a stricter
//! grade than it earned, and a run of one shard, or with filters, counts the scenarios they
//! left out in the suite's total.

use super::{Tally, run_counts};
use crate::outcome::{Outcome, RunRecord};

/// The verdict a headline opens with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunVerdict {
    /// No scenario ran against the target.
    NothingRan,
    /// One shard of a split that holds none of the selected scenarios: the split put them
    /// all in the other shards. Not a failure.
    NothingToRun,
    /// The run failed: a failure, an unexpected pass, a blocked scenario, a provisioning
    /// error, a missing shard.
    Failed,
    /// Everything that ran passed, but not every selected scenario ran.
    PassedWhatRan,
    /// Every selected scenario ran and passed.
    Passed,
}

impl RunVerdict {
    /// The word the console opens its headline with: `FAILED`, `passed what ran`, ...
    pub fn word(self) -> &'static str {
        match self {
            RunVerdict::NothingRan => "NOTHING RAN",
            RunVerdict::NothingToRun => "NOTHING TO RUN",
            RunVerdict::Failed => "FAILED",
            RunVerdict::PassedWhatRan => "passed what ran",
            RunVerdict::Passed => "passed",
        }
    }

    /// The words as a title: `Failed`, `Passed what ran`, ...
    pub fn title(self) -> &'static str {
        match self {
            RunVerdict::NothingRan => "Nothing ran",
            RunVerdict::NothingToRun => "Nothing to run",
            RunVerdict::Failed => "Failed",
            RunVerdict::PassedWhatRan => "Passed what ran",
            RunVerdict::Passed => "Passed",
        }
    }
}

/// A run's verdict and its figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Headline {
    /// How the run ended.
    pub verdict: RunVerdict,
    /// What ran and how it ended: `shard 2/4: 41 of 135 scenarios ran (94 not selected: ...;
    /// not run: 0 skipped, 3 impossible, 1 blocked by a broken rule); 38 passed strictly, ...`.
    pub figures: String,
}

impl Headline {
    /// The headline of `record`.
    pub fn of(record: &RunRecord) -> Headline {
        if let Some(selected) = record.empty_shard() {
            return Headline { verdict: RunVerdict::NothingToRun, figures: empty_shard(record, selected) };
        }
        let tally = run_counts(record);
        let ran = tally.executed();
        // A broken set-up fails the run even where it kept every scenario from running.
        let verdict = if tally.provisioning_errors() > 0 {
            RunVerdict::Failed
        } else if ran == 0 {
            RunVerdict::NothingRan
        } else if record.failed() {
            RunVerdict::Failed
        } else if ran < tally.total() {
            RunVerdict::PassedWhatRan
        } else {
            RunVerdict::Passed
        };
        Headline { verdict, figures: figures(record, &tally) }
    }

    /// `FAILED: 10 of 13 scenarios ran (not run: ...); ...`: the verdict's word and the figures.
    pub fn line(&self) -> String {
        format!("{}: {}", self.verdict.word(), self.figures)
    }
}

fn plural(k: usize, one: &str, many: &str) -> String {
    if k == 1 { format!("{k} {one}") } else { format!("{k} {many}") }
}

/// `shard 3/6: the split put all 22 scenarios selected by --area users in the other shards`.
fn empty_shard(record: &RunRecord, selected: usize) -> String {
    let info = &record.info;
    let mut by = Vec::new();
    if !info.areas.is_empty() {
        by.push(format!("--area {}", info.areas.join(", ")));
    }
    if !info.scenario_filter.is_empty() {
        by.push("--scenario".to_owned());
    }
    if let Some(tags) = &info.tags {
        by.push(format!("--tags {tags:?}"));
    }
    let what = match (selected, by.is_empty()) {
        (1, true) => "the suite's 1 scenario".to_owned(),
        (n, true) => format!("all {n} scenarios of the suite"),
        (1, false) => format!("the 1 scenario selected by {}", by.join(", ")),
        (n, false) => format!("all {n} scenarios selected by {}", by.join(", ")),
    };
    let shard = info.shard.as_deref().unwrap_or_default();
    format!("shard {shard}: the split put {what} in the other shards; nothing failed")
}

fn figures(record: &RunRecord, tally: &Tally) -> String {
    let n = |o| tally.get(o);
    let left_out: usize = record.info.not_selected.iter().map(|l| l.count).sum();
    let total = tally.total() + left_out;
    // `--impossible-fails` grades an impossible scenario as failed; it still never ran.
    // One that became impossible after some steps ran talked to the target, but never ran.
    let partly = match tally.partly_ran() {
        0 => String::new(),
        k => format!(", {}", super::tally::partly_ran_words(k)),
    };
    let impossible = match tally.forced() {
        0 => format!("{} impossible{partly}", n(Outcome::Impossible)),
        k => format!(
            "{} impossible, {k} of them failed by --impossible-fails{partly}",
            n(Outcome::Impossible) + k
        ),
    };
    // A known failure whose scenario did not run was not checked: it may be stale.
    let unchecked = match tally.unchecked_known() {
        0 => String::new(),
        k => format!("; {} not checked (not run)", plural(k, "known failure", "known failures")),
    };
    let known_blocks = record.scenarios.iter().filter(|s| s.blocked_by_known_failure).count();
    let blocked = match known_blocks {
        0 => format!("{} blocked by a broken rule", n(Outcome::Blocked)),
        k => format!("{} blocked by a broken rule, {k} of them by a known failure", n(Outcome::Blocked)),
    };
    let shard = match (&record.info.shard, &record.info.merged_shards) {
        (_, Some(merged)) => format!("merged {}: ", merged.describe()),
        (Some(s), None) => format!("shard {s}: "),
        (None, None) => String::new(),
    };
    let not_selected = if left_out == 0 {
        String::new()
    } else {
        let by: Vec<String> = record
            .info
            .not_selected
            .iter()
            .map(|l| match l.filter.strip_prefix("--shard ") {
                Some(s) if s.ends_with("(missing)") => format!("{} in the missing shards", l.count),
                Some(_) => format!("{} in the other shards", l.count),
                None => format!("{} by {}", l.count, l.filter),
            })
            .collect();
        format!("{left_out} not selected: {}; ", by.join(", "))
    };
    // A broken set-up is said first: the scenarios it kept from running say nothing of the
    // target, and the run fails however the rest went.
    let set_up = match tally.provisioning_errors() {
        0 => String::new(),
        k => format!("{} could not be set up (provisioning errors); ", plural(k, "scenario", "scenarios")),
    };
    format!(
        "{set_up}{shard}{} of {} ran ({not_selected}not run: {} skipped, {impossible}, {blocked}); {} passed strictly, {} on a lenient reading, {} with declared deviation, {}, {}, {}{unchecked}",
        tally.executed(),
        plural(total, "scenario", "scenarios"),
        n(Outcome::Skipped),
        n(Outcome::Pass),
        n(Outcome::PassLenient),
        n(Outcome::PassDeviation),
        plural(n(Outcome::Fail), "failed", "failed"),
        plural(n(Outcome::ExpectedFailure), "expected failure", "expected failures"),
        plural(n(Outcome::UnexpectedPass), "unexpected pass", "unexpected passes"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    /// Every outcome that did not run: the sample's skipped, impossible and blocked
    /// scenarios, and a copy of its impossible one `--impossible-fails` failed.
    fn not_run_of_every_kind() -> RunRecord {
        let mut record = sample::record();
        let Some(mut forced) = record.scenarios.iter().find(|s| s.id == sample::IMPOSSIBLE).cloned() else {
            panic!("the sample has an impossible scenario")
        };
        forced.id = "sama/auth/a-refresh-token-expires".to_owned();
        forced.name = "A refresh token expires".to_owned();
        crate::outcome::fail_impossible(std::slice::from_mut(&mut forced));
        record.scenarios.push(forced);
        record
    }

    #[test]
    fn console_markdown_and_html_give_the_same_headline() {
        let record = not_run_of_every_kind();
        let headline = Headline::of(&record);
        assert_eq!(headline.verdict, RunVerdict::Failed);
        assert_eq!(
            headline.line(),
            "FAILED: 10 of 14 scenarios ran (not run: 1 skipped, 2 impossible, 1 of them failed by --impossible-fails, 1 blocked by a broken rule); 4 passed strictly, 1 on a lenient reading, 1 with declared deviation, 3 failed, 1 expected failure, 1 unexpected pass"
        );
        let console = crate::console::console_summary(&record);
        assert!(console.contains(&format!("\n{} (", headline.line())), "{console}");
        let md = crate::report::markdown::render(&record);
        assert!(md.starts_with("## ❌ chatspec: acme-chat FAILED\n\n"), "{md}");
        assert!(md.contains(&format!("\n{}\n", crate::report::markdown::text(&headline.figures))), "{md}");
        let html = crate::report::html::render(&record);
        let shown =
            format!("<strong>✗ Failed</strong>{}</div>", crate::report::escape_xml(&headline.figures, false));
        assert!(html.contains(&shown), "{html}");
    }

    /// The sample's passes and its impossible scenario, made a provisioning error.
    fn set_up_broke() -> RunRecord {
        let mut record = sample::record();
        record.scenarios.retain(|s| s.outcome.passed() || s.outcome == Outcome::Impossible);
        for s in record.scenarios.iter_mut().filter(|s| s.outcome == Outcome::Impossible) {
            s.impossible = Some("provisioning error: the scenario makes a user (POST /_mock/users): no reply: connection refused".to_owned());
            s.provisioning_error = true;
        }
        record
    }

    #[test]
    fn a_provisioning_error_fails_the_run_and_the_headline_says_it_first() {
        let mut record = set_up_broke();
        assert!(record.failed(), "a run whose set-up broke never passes (exit code 1)");
        // `--impossible-fails` leaves it as it is: not run, and failing the run already.
        crate::outcome::fail_impossible(&mut record.scenarios);
        let headline = Headline::of(&record);
        assert_eq!(headline.verdict, RunVerdict::Failed);
        assert_eq!(
            headline.line(),
            "FAILED: 1 scenario could not be set up (provisioning errors); 6 of 7 scenarios ran (not run: 0 skipped, 1 impossible, 0 blocked by a broken rule); 4 passed strictly, 1 on a lenient reading, 1 with declared deviation, 0 failed, 0 expected failures, 0 unexpected passes"
        );
        assert!(crate::report::markdown::render(&record).starts_with("## ❌ chatspec: acme-chat FAILED\n\n"));
        // Nothing ran but the set-up broke: a failure, said as one.
        record.scenarios.retain(|s| s.provisioning_error);
        assert!(Headline::of(&record).line().starts_with("FAILED: 1 scenario could not be set up"));
        // A target that lacks a capability is a known limit: the run passes what ran.
        let mut lacks = set_up_broke();
        lacks.scenarios.iter_mut().for_each(|s| s.provisioning_error = false);
        assert!(!lacks.failed());
        assert_eq!(Headline::of(&lacks).verdict, RunVerdict::PassedWhatRan);
    }

    #[test]
    fn a_provisioning_error_is_counted_in_conformance_json_and_read_back() {
        let doc = crate::report::conformance::build(&set_up_broke());
        assert_eq!(doc.totals.counts.provisioning_errors, 1);
        assert_eq!(doc.totals.counts.tally(), run_counts(&set_up_broke()));
        let json = serde_json::to_value(&doc).unwrap_or_default();
        assert_eq!(json["totals"]["provisioning_errors"], 1);
        assert_eq!(
            json["scenarios"]
                .as_array()
                .map(|l| l.iter().filter(|s| s["provisioning_error"] == true).count()),
            Some(1)
        );
        // A file written before the count existed reads as none.
        let mut old = json.clone();
        if let Some(t) = old["totals"].as_object_mut() {
            t.remove("provisioning_errors");
        }
        let read: crate::report::conformance::ConformanceDoc =
            serde_json::from_value(old).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.totals.counts.provisioning_errors, 0);
    }

    #[test]
    fn a_run_that_passed_what_ran_never_says_it_passed_the_suite() {
        let mut record = not_run_of_every_kind();
        record.scenarios.retain(|s| !s.fails_run());
        let headline = Headline::of(&record);
        assert_eq!(headline.verdict, RunVerdict::PassedWhatRan);
        assert!(
            headline.figures.starts_with("7 of 9 scenarios ran (not run: 1 skipped, 1 impossible, 0 blocked")
        );
        assert!(
            crate::report::markdown::render(&record)
                .starts_with("## ✅ chatspec: acme-chat passed what ran\n\n")
        );
        assert!(
            crate::report::html::render(&record)
                .contains("<strong>✓ Passed what ran</strong>7 of 9 scenarios ran")
        );
        record
            .scenarios
            .retain(|s| s.outcome.passed() || s.outcome == crate::outcome::Outcome::ExpectedFailure);
        assert_eq!(Headline::of(&record).verdict, RunVerdict::Passed);
        record.scenarios.clear();
        assert_eq!(
            Headline::of(&record).line(),
            "NOTHING RAN: 0 of 0 scenarios ran (not run: 0 skipped, 0 impossible, 0 blocked by a broken rule); 0 passed strictly, 0 on a lenient reading, 0 with declared deviation, 0 failed, 0 expected failures, 0 unexpected passes"
        );
    }

    /// The sample run with `--impossible-fails`: its impossible scenario failed unrun.
    fn forced() -> RunRecord {
        let mut record = sample::record();
        crate::outcome::fail_impossible(&mut record.scenarios);
        record
    }

    #[test]
    fn every_count_line_shows_the_failures_impossible_fails_made_apart() {
        let record = forced();
        let headline = Headline::of(&record);
        assert!(headline.figures.contains("1 impossible, 1 of them failed by --impossible-fails"));
        // The failures' count says which of them never ran, wherever it is shown.
        let fails = "3 (1 of them impossible, failed by --impossible-fails)";
        assert_eq!(crate::report::count_cell(&run_counts(&record), Outcome::Fail), fails);
        let html = crate::report::html::render(&record);
        assert!(
            html.contains(
                "<span class=\"badge o-fail\">✗ 3 fail (1 of them impossible, failed by --impossible-fails)</span>"
            ),
            "{html}"
        );
        assert!(html.contains("<span class=\"badge o-impossible zero\">⊘ 0 impossible</span>"), "{html}");
        assert!(html.contains("✗ 3 fail (1 of them impossible, failed by --impossible-fails) · "), "{html}");
        let md = crate::report::markdown::render(&record);
        assert!(
            md.contains(&format!("| **All** |  | **13** | **4** | **1** | **1** | **{fails}** |")),
            "{md}"
        );
        let console = crate::console::console_summary(&record);
        assert!(
            console.lines().any(|l| l.starts_with("sama/auth")
                && l.contains("1 (1 of them impossible, failed by --impossible-fails)")),
            "{console}"
        );
        // Without the flag, a count is a number.
        let plain = sample::record();
        assert_eq!(crate::report::count_cell(&run_counts(&plain), Outcome::Fail), "2");
        assert!(crate::report::html::render(&plain).contains("<span class=\"badge o-fail\">✗ 2 fail</span>"));
    }

    /// The sample run, its impossible scenario made impossible after 2 steps passed.
    fn partly_ran() -> RunRecord {
        let mut record = sample::record();
        for s in record.scenarios.iter_mut().filter(|s| s.id == sample::IMPOSSIBLE) {
            for step in s.steps.iter_mut().take(2) {
                step.status = crate::outcome::StepStatus::Passed;
            }
            s.impossible_after_steps = 2;
        }
        record
    }

    #[test]
    fn an_impossible_scenario_that_stopped_part_way_is_said_and_never_counted_as_run() {
        let record = partly_ran();
        let headline = Headline::of(&record);
        assert_eq!(
            headline.line(),
            "FAILED: 10 of 13 scenarios ran (not run: 1 skipped, 1 impossible, 1 of them after some steps ran, 1 blocked by a broken rule); 4 passed strictly, 1 on a lenient reading, 1 with declared deviation, 2 failed, 1 expected failure, 1 unexpected pass"
        );
        assert_eq!(record.failed(), sample::record().failed(), "the exit code does not change");
        let tally = run_counts(&record);
        assert_eq!(tally.executed(), run_counts(&sample::record()).executed());
        assert_eq!(
            crate::report::ran_cell(&tally),
            "10 of 13 ran (1 skipped, 1 impossible, 1 of them after some steps ran, 1 blocked)"
        );
        // The scenario's own line and card.
        let Some(s) = record.scenarios.iter().find(|s| s.id == sample::IMPOSSIBLE) else { panic!("sample") };
        let said = "impossible after 2 steps ran: needs clock control (POST /_mock/clock/advance), which the target lacks";
        assert_eq!(crate::report::scenario_message(s).as_deref(), Some(said));
        assert!(
            crate::console::progress_line(s, false)
                .is_some_and(|l| l.starts_with("  impossible after 2 steps ran sama/auth/"))
        );
        assert!(crate::report::markdown::render(&record).contains(&crate::report::markdown::text(said)));
        assert!(crate::report::html::render(&record).contains(&crate::report::escape_xml(said, false)));
        // conformance.json records it per scenario and in the counts, and reads it back.
        let doc = crate::report::conformance::build(&record);
        assert_eq!(doc.totals.counts.impossible_partly_ran, 1);
        assert_eq!(doc.apis["sama"].areas["auth"].counts.impossible_partly_ran, 1);
        assert_eq!(doc.totals.counts.tally(), tally);
        let line =
            doc.scenarios.iter().find(|l| l.id == sample::IMPOSSIBLE).map(|l| l.impossible_after_steps);
        assert_eq!(line, Some(2));
        let back = crate::report::conformance::parse(&crate::report::conformance::render(&record))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.totals.counts.tally(), tally);
        // `report merge` keeps it.
        let merged =
            crate::report::merge::merge(&[("a.json".to_owned(), back)]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(Headline::of(&merged).figures, headline.figures);
        // `--impossible-fails` says it of the failure it makes.
        let mut forced = record.clone();
        crate::outcome::fail_impossible(&mut forced.scenarios);
        assert!(Headline::of(&forced).figures.contains(
            "1 impossible, 1 of them failed by --impossible-fails, 1 of them after some steps ran"
        ));
        let Some(f) = forced.scenarios.iter().find(|s| s.id == sample::IMPOSSIBLE) else { panic!("sample") };
        assert!(
            crate::report::failure_message(f)
                .starts_with("impossible against this target after 2 steps ran: ")
        );
        // A file written before the count existed reads as none.
        let mut json = serde_json::to_value(&doc).unwrap_or_default();
        if let Some(t) = json["totals"].as_object_mut() {
            t.remove("impossible_partly_ran");
        }
        if let Some(lines) = json["scenarios"].as_array_mut() {
            lines.iter_mut().filter_map(|l| l.as_object_mut()).for_each(|l| {
                l.remove("impossible_after_steps");
            });
        }
        let old: crate::report::conformance::ConformanceDoc =
            serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(old.totals.counts.impossible_partly_ran, 0);
        assert!(old.scenarios.iter().all(|l| l.impossible_after_steps == 0));
    }

    /// Shard 3/6 of a run whose `--area` selection the split put wholly in other shards.
    fn empty_shard_record() -> RunRecord {
        let mut record = sample::record();
        record.scenarios.clear();
        record.info.tags = None;
        record.info.shard = Some("3/6".to_owned());
        record.info.areas = vec!["users".to_owned()];
        record.info.not_selected = vec![
            crate::outcome::NotSelected { filter: "--shard 3/6".to_owned(), count: 147 },
            crate::outcome::NotSelected { filter: "--area users".to_owned(), count: 22 },
        ];
        record.info.selected_before_split = Some(9);
        record
    }

    #[test]
    fn a_shard_the_split_left_empty_passes_and_says_so_in_every_writer() {
        let record = empty_shard_record();
        assert!(!record.failed(), "exit code 0");
        let headline = Headline::of(&record);
        assert_eq!(headline.verdict, RunVerdict::NothingToRun);
        let line = "NOTHING TO RUN: shard 3/6: the split put all 9 scenarios selected by --area users in the other shards; nothing failed";
        assert_eq!(headline.line(), line);
        assert!(crate::console::console_summary(&record).contains(line));
        let md = crate::report::markdown::render(&record);
        assert!(md.starts_with("## ✅ chatspec: acme-chat NOTHING TO RUN\n\n"), "{md}");
        let html = crate::report::html::render(&record);
        assert!(html.contains("<strong>✓ Nothing to run</strong>shard 3/6: the split put all 9"), "{html}");
        // Read back from conformance.json, as `report` rewrites it.
        let back = crate::report::conformance::parse(&crate::report::conformance::render(&record))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.run.selected_before_split, Some(9));
        // Without other filters the whole suite is the selection.
        let mut small = record.clone();
        small.info.areas.clear();
        small.info.selected_before_split = Some(1);
        assert!(Headline::of(&small).figures.contains("the split put the suite's 1 scenario in"));
    }

    #[test]
    fn nothing_selected_at_all_still_fails_with_or_without_a_shard() {
        // The selection is empty before the split: nothing to share out is a mistake.
        let mut none = empty_shard_record();
        none.info.selected_before_split = Some(0);
        assert!(none.failed());
        assert_eq!(Headline::of(&none).verdict, RunVerdict::NothingRan);
        // No --shard: nothing selected fails, whatever the count says.
        let mut unsharded = empty_shard_record();
        unsharded.info.shard = None;
        assert!(unsharded.failed());
        // A file written before the count was recorded: as before, nothing ran fails.
        let mut old = empty_shard_record();
        old.info.selected_before_split = None;
        assert!(old.failed());
        // A shard that holds scenarios of which none executed is no empty shard.
        let mut skipped = sample::record();
        skipped.scenarios.retain(|s| s.outcome == Outcome::Skipped);
        skipped.info.shard = Some("1/2".to_owned());
        skipped.info.selected_before_split = Some(13);
        assert!(skipped.failed());
        assert_eq!(Headline::of(&skipped).verdict, RunVerdict::NothingRan);
    }

    #[test]
    fn merging_shards_where_nothing_ran_at_all_fails() {
        let shards: Vec<(String, crate::report::conformance::ConformanceDoc)> = ["1/2", "2/2"]
            .iter()
            .map(|s| {
                let mut r = empty_shard_record();
                r.info.shard = Some((*s).to_owned());
                let doc = crate::report::conformance::parse(&crate::report::conformance::render(&r))
                    .unwrap_or_else(|e| panic!("{e}"));
                (format!("{s}.json"), doc)
            })
            .collect();
        let merged = crate::report::merge::merge(&shards).unwrap_or_else(|e| panic!("{e}"));
        assert!(merged.failed());
        assert_eq!(Headline::of(&merged).verdict, RunVerdict::NothingRan);
    }

    /// The sample run with its impossible and skipped scenarios listed as known failures.
    fn listed_but_not_run() -> RunRecord {
        let mut record = sample::record();
        let known = |reason: &str| crate::outcome::KnownFailure { reason: reason.to_owned(), link: None };
        crate::outcome::apply_known_failures(
            &mut record.scenarios,
            &[
                (sample::EXPECTED_FAILURE.to_owned(), known("uid length is not checked")),
                (sample::IMPOSSIBLE.to_owned(), known("expiry is not done")),
                (sample::SKIPPED.to_owned(), known("no mail yet")),
            ],
        );
        record
    }

    #[test]
    fn known_failures_whose_scenarios_did_not_run_are_listed_as_not_checked() {
        let record = listed_but_not_run();
        assert_eq!(record.failed(), sample::record().failed(), "they do not fail the run");
        assert_eq!(record.count(Outcome::Impossible), 1);
        let headline = Headline::of(&record);
        assert!(
            headline.figures.ends_with("1 unexpected pass; 2 known failures not checked (not run)"),
            "{}",
            headline.figures
        );
        let impossible = "sama/auth/an-expired-token-is-refused: not run, impossible: needs clock control (POST /_mock/clock/advance), which the target lacks; listed as: expiry is not done";
        let console = crate::console::console_details(&record);
        assert!(console.contains("KNOWN FAILURES NOT CHECKED (2): "), "{console}");
        assert!(console.contains(&format!("\n  {impossible}\n")), "{console}");
        assert!(
            console.contains("\n  sama/auth/sign-up-sends-an-auth-code-by-e-mail: not run, skipped at step"),
            "{console}"
        );
        let md = crate::report::markdown::render(&record);
        assert!(md.contains("### ⚑ Known failures not checked (2)\n\n"), "{md}");
        assert!(
            md.contains(
                "- `sama/auth/an-expired-token-is-refused`: not run, impossible: needs clock control"
            ),
            "{md}"
        );
        let html = crate::report::html::render(&record);
        assert!(html.contains("<h2>Known failures not checked (2)</h2>"), "{html}");
        assert!(html.contains("<a href=\"#scenario-sama.auth.an-expired-token-is-refused\"><code class=\"id\">sama/auth/an-expired-token-is-refused</code></a>: not run, impossible: "), "{html}");
        assert!(html.contains("<span class=\"field\">Known failure, not checked</span>"), "{html}");
        let doc = crate::report::conformance::build(&record);
        assert_eq!(doc.totals.counts.known_failures_unchecked, 2);
        assert_eq!(doc.apis["sama"].totals.counts.known_failures_unchecked, 2);
        assert_eq!(doc.totals.counts.tally(), run_counts(&record));
        // With `--impossible-fails` the listed impossible scenario fails, and still went unchecked.
        let mut forced = record.clone();
        crate::outcome::fail_impossible(&mut forced.scenarios);
        assert_eq!(run_counts(&forced).unchecked_known(), 2);
        // A run with none says nothing of them; a file written before they were counted reads 0.
        let plain = sample::record();
        assert!(!Headline::of(&plain).figures.contains("not checked"));
        assert!(!crate::console::console_details(&plain).contains("NOT CHECKED"));
        assert!(!crate::report::markdown::render(&plain).contains("Known failures not checked"));
        let mut json = serde_json::to_value(&doc).unwrap_or_default();
        if let Some(t) = json["totals"].as_object_mut() {
            t.remove("known_failures_unchecked");
        }
        let old: crate::report::conformance::ConformanceDoc =
            serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(old.totals.counts.known_failures_unchecked, 0);
    }
}
