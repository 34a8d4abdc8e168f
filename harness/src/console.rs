//! What `chatspec check` prints when a run ends: each failure with its step, expected,
//! actual and cause; expected failures and unexpected passes apart; one row per area; and a
//! headline that counts what ran apart from what did not.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::outcome::{Outcome, RunRecord};

/// Every scenario that failed, passed unexpectedly or failed as expected, failures first,
/// with what the step expected, what came back and the whole message (the cause: connection
/// refused, a timeout, the schema path that did not hold, ...).
pub fn console_details(record: &RunRecord) -> String {
    let mut out = String::new();
    let of = |o: Outcome| record.scenarios.iter().filter(move |s| s.outcome == o);
    for s in of(Outcome::Fail) {
        let _ = writeln!(out, "FAIL {} ({}:{})", s.id, s.feature_file, s.line);
        if let Some(f) = &s.failure {
            let _ = writeln!(out, "  step: {}", f.step);
            if let Some(e) = &f.expected {
                let _ = writeln!(out, "  expected: {e}");
            }
            if let Some(a) = &f.actual {
                let _ = writeln!(out, "  actual: {a}");
            }
            for (i, line) in f.message.lines().enumerate() {
                let _ = writeln!(out, "  {}{line}", if i == 0 { "cause: " } else { "  " });
            }
        }
        if let Some(doc) = &s.doc {
            let _ = writeln!(out, "  documentation: {doc}");
        }
    }
    // Blocked scenarios, one line per rule that blocked them: the rule's own scenarios say
    // what broke it, above.
    let mut blockers: BTreeMap<&str, Vec<&crate::outcome::ScenarioRecord>> = BTreeMap::new();
    for s in of(Outcome::Blocked) {
        blockers.entry(s.blocked_by.as_deref().unwrap_or("?")).or_default().push(s);
    }
    for (rule, blocked) in blockers {
        let first = blocked[0].failure.as_ref().and_then(|f| f.message.lines().next()).unwrap_or_default();
        let _ = writeln!(
            out,
            "BLOCKED by rule {rule}: {} not run, as a set-up step found the rule broken ({first}):",
            if blocked.len() == 1 { "1 scenario".to_owned() } else { format!("{} scenarios", blocked.len()) },
        );
        for s in blocked {
            let _ = writeln!(out, "  {}", s.id);
        }
    }
    for s in of(Outcome::UnexpectedPass) {
        let reason = s.known_failure.as_ref().map(|k| k.reason.as_str()).unwrap_or_default();
        let _ = writeln!(
            out,
            "UNEXPECTED PASS {}: listed in known_failures ({reason}) but passed; remove it from the profile",
            s.id
        );
    }
    for s in of(Outcome::ExpectedFailure) {
        let reason = s.known_failure.as_ref().map(|k| k.reason.as_str()).unwrap_or_default();
        let first = s.failure.as_ref().and_then(|f| f.message.lines().next()).unwrap_or_default();
        let _ = writeln!(out, "expected failure {} ({reason}): {first}", s.id);
    }
    out
}

/// A per-area summary for the console: one column per outcome (passes of each grade apart,
/// unexpected passes apart from failures), then the [`headline`].
pub fn console_summary(record: &RunRecord) -> String {
    let mut areas: BTreeMap<(String, String), BTreeMap<Outcome, usize>> = BTreeMap::new();
    for s in &record.scenarios {
        *areas.entry((s.api.clone(), s.area.clone())).or_default().entry(s.outcome).or_default() += 1;
    }
    let mut out = String::new();
    let row = |out: &mut String, cells: [&str; 10]| {
        let _ = writeln!(
            out,
            "{:<28} {:>6} {:>8} {:>10} {:>6} {:>11} {:>11} {:>8} {:>10} {:>8}",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            cells[4],
            cells[5],
            cells[6],
            cells[7],
            cells[8],
            cells[9]
        );
    };
    row(
        &mut out,
        [
            "area",
            "pass",
            "lenient",
            "deviation",
            "fail",
            "unexp.pass",
            "known-fail",
            "skipped",
            "impossible",
            "blocked",
        ],
    );
    for ((api, area), counts) in &areas {
        let c = |o| counts.get(&o).copied().unwrap_or(0).to_string();
        row(
            &mut out,
            [
                &format!("{api}/{area}"),
                &c(Outcome::Pass),
                &c(Outcome::PassLenient),
                &c(Outcome::PassDeviation),
                &c(Outcome::Fail),
                &c(Outcome::UnexpectedPass),
                &c(Outcome::ExpectedFailure),
                &c(Outcome::Skipped),
                &c(Outcome::Impossible),
                &c(Outcome::Blocked),
            ],
        );
    }
    out.push_str(&headline(record));
    out
}

/// `10 of 12 scenarios ran (not run: 1 skipped, 1 impossible, 0 blocked): 4 passed strictly,
/// ...`: what did not run is never counted as passed, a pass is never counted in a stricter
/// grade than it earned, and the verdict word comes first; a second line counts the rules met
/// (`report/rules.rs`) when the scenarios name any.
pub fn headline(record: &RunRecord) -> String {
    let n = |o| record.count(o);
    let total = record.scenarios.len();
    let ran = total - n(Outcome::Skipped) - n(Outcome::Impossible) - n(Outcome::Blocked);
    let verdict = if ran == 0 {
        "NOTHING RAN"
    } else if record.failed() {
        "FAILED"
    } else if ran < total {
        "passed what ran"
    } else {
        "passed"
    };
    let plural =
        |k: usize, one: &str, many: &str| if k == 1 { format!("{k} {one}") } else { format!("{k} {many}") };
    format!(
        "{verdict}: {ran} of {} ran (not run: {} skipped, {} impossible, {} blocked by a broken rule); {} passed strictly, {} on a lenient reading, {} with declared deviation, {}, {}, {} ({:.1}s)\n{}",
        plural(total, "scenario", "scenarios"),
        n(Outcome::Skipped),
        n(Outcome::Impossible),
        n(Outcome::Blocked),
        n(Outcome::Pass),
        n(Outcome::PassLenient),
        n(Outcome::PassDeviation),
        plural(n(Outcome::Fail), "failed", "failed"),
        plural(n(Outcome::ExpectedFailure), "expected failure", "expected failures"),
        plural(n(Outcome::UnexpectedPass), "unexpected pass", "unexpected passes"),
        record.info.duration_ms as f64 / 1000.0,
        crate::report::rules::console_line(record),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_console_shows_each_grade_and_each_failure_apart() {
        let mut record = crate::report::sample::record();
        record.info.duration_ms = 1_500;
        let text = format!("{}{}", console_details(&record), console_summary(&record));
        crate::report::golden("console.txt", &text);
        record.scenarios.retain(|s| matches!(s.outcome, Outcome::Skipped | Outcome::Impossible));
        assert!(headline(&record).starts_with(
            "NOTHING RAN: 0 of 2 scenarios ran (not run: 1 skipped, 1 impossible, 0 blocked by a broken rule)"
        ));
    }

    #[test]
    fn a_run_with_impossible_scenarios_never_claims_a_plain_pass() {
        let mut record = crate::report::sample::record();
        record.scenarios.retain(|s| s.outcome.passed() || s.outcome == Outcome::Impossible);
        let line = headline(&record);
        assert!(line.starts_with("passed what ran: "), "{line}");
        assert!(line.contains("(not run: 0 skipped, 1 impossible, 0 blocked by a broken rule)"), "{line}");
    }
}
