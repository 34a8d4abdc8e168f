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
            RunVerdict::Failed => "FAILED",
            RunVerdict::PassedWhatRan => "passed what ran",
            RunVerdict::Passed => "passed",
        }
    }

    /// The words as a title: `Failed`, `Passed what ran`, ...
    pub fn title(self) -> &'static str {
        match self {
            RunVerdict::NothingRan => "Nothing ran",
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

fn figures(record: &RunRecord, tally: &Tally) -> String {
    let n = |o| tally.get(o);
    let left_out: usize = record.info.not_selected.iter().map(|l| l.count).sum();
    let total = tally.total() + left_out;
    // `--impossible-fails` grades an impossible scenario as failed; it still never ran.
    let impossible = match tally.forced() {
        0 => format!("{} impossible", n(Outcome::Impossible)),
        k => format!("{} impossible, {k} of them failed by --impossible-fails", n(Outcome::Impossible) + k),
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
        "{set_up}{shard}{} of {} ran ({not_selected}not run: {} skipped, {impossible}, {blocked}); {} passed strictly, {} on a lenient reading, {} with declared deviation, {}, {}, {}",
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
}
