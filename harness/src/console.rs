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
    // Secrets are shown redacted (`report/redact.rs`); the run used the real values.
    let record = &crate::report::redact::record(record);
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
            for (i, line) in f.cause(s.doc.as_deref()).lines().enumerate() {
                let _ = writeln!(out, "  {}{line}", if i == 0 { "cause: " } else { "  " });
            }
        }
        if let Some(doc) = &s.doc {
            let _ = writeln!(out, "  documentation: {doc}");
        }
    }
    provisioning_errors(&mut out, record);
    // Blocked scenarios, one line per rule that blocked them: the rule's own scenarios say
    // what broke it, above.
    let mut blockers: BTreeMap<&str, Vec<&crate::outcome::ScenarioRecord>> = BTreeMap::new();
    for s in of(Outcome::Blocked) {
        blockers.entry(s.blocked_by.as_deref().unwrap_or("?")).or_default().push(s);
    }
    for (rule, blocked) in blockers {
        let first = crate::report::blocked_cause(blocked[0]);
        let known = blocked.iter().filter(|s| s.blocked_by_known_failure).count();
        let known = match known {
            0 => String::new(),
            k if k == blocked.len() => "; a known failure, it does not fail the run".to_owned(),
            k => format!("; {k} of them by a known failure, which does not fail the run"),
        };
        let _ = writeln!(
            out,
            "BLOCKED by rule {rule}: {} not run, as a set-up step found the rule broken ({first}){known}:",
            if blocked.len() == 1 { "1 scenario".to_owned() } else { format!("{} scenarios", blocked.len()) },
        );
        for s in blocked {
            // A scenario whose set-up call got another reply says which.
            match crate::report::blocked_cause(s) {
                cause if cause != first => {
                    let _ = writeln!(out, "  {} ({cause})", s.id);
                }
                _ => {
                    let _ = writeln!(out, "  {}", s.id);
                }
            }
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
    let unchecked = crate::report::unchecked_known_failures(record);
    if !unchecked.is_empty() {
        let _ = writeln!(
            out,
            "KNOWN FAILURES NOT CHECKED ({}): {}",
            unchecked.len(),
            crate::report::UNCHECKED_KNOWN_FAILURES
        );
        for s in unchecked {
            let _ = writeln!(out, "  {}: {}", s.id, crate::report::unchecked_known_failure_line(s));
        }
    }
    out
}

/// How many ids a group of provisioning errors lists before `and N more`.
const LISTED_IDS: usize = 10;

/// The scenarios whose set-up broke, grouped by the first line of their cause with ids and
/// numbers made alike (`user ann-x7-12` and `user bob-x7-13`, `status 7` and `status 2`), so
/// one broken admin operation makes one group: its count, the first scenario's whole cause
/// and the ids, at most [`LISTED_IDS`] of them.
fn provisioning_errors(out: &mut String, record: &RunRecord) {
    let broken: Vec<_> = record.scenarios.iter().filter(|s| s.provisioning_error).collect();
    if broken.is_empty() {
        return;
    }
    let mut groups: BTreeMap<String, Vec<&crate::outcome::ScenarioRecord>> = BTreeMap::new();
    for s in &broken {
        groups
            .entry(cause_shape(s.impossible_cause().lines().next().unwrap_or_default()))
            .or_default()
            .push(s);
    }
    let _ = writeln!(
        out,
        "PROVISIONING ERRORS ({}): not run, as their set-up broke (an admin call, command or webhook); the run fails:",
        broken.len()
    );
    let mut groups: Vec<_> = groups.into_values().collect();
    groups.sort_by_key(|g| std::cmp::Reverse(g.len()));
    for group in groups {
        let cause = group[0].impossible_cause();
        let mut lines = cause.lines();
        let n = if group.len() == 1 { "1 scenario".to_owned() } else { format!("{} scenarios", group.len()) };
        let _ = writeln!(out, "  {n}: {}", lines.next().unwrap_or_default());
        for line in lines {
            let _ = writeln!(out, "    {line}");
        }
        for s in group.iter().take(LISTED_IDS) {
            let _ = writeln!(out, "    {}", s.id);
        }
        if group.len() > LISTED_IDS {
            let _ = writeln!(out, "    and {} more", group.len() - LISTED_IDS);
        }
    }
}

/// `line` with every word that holds a digit (an id, a number) as `#`.
fn cause_shape(line: &str) -> String {
    let mut shape = String::new();
    for word in line.split_inclusive(|c: char| !c.is_alphanumeric()) {
        let end = word.len() - word.chars().last().filter(|c| !c.is_alphanumeric()).map_or(0, char::len_utf8);
        let (core, sep) = word.split_at(end);
        shape.push_str(if core.chars().any(|c| c.is_ascii_digit()) { "#" } else { core });
        shape.push_str(sep);
    }
    shape
}

/// A per-area summary for the console: one column per outcome (passes of each grade apart,
/// unexpected passes apart from failures), the pass figure and what ran as every report
/// shows them ([`crate::report::passed_cell`], [`crate::report::ran_cell`]), then the
/// [`headline`].
pub fn console_summary(record: &RunRecord) -> String {
    // Secrets are shown redacted (`report/redact.rs`); the run used the real values.
    let record = &crate::report::redact::record(record);
    let mut out = String::new();
    let row = |out: &mut String, cells: [&str; 12]| {
        let _ = writeln!(
            out,
            "{:<28} {:>6} {:>8} {:>10} {:>6} {:>11} {:>11} {:>8} {:>10} {:>8}  {:<18} {}",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            cells[4],
            cells[5],
            cells[6],
            cells[7],
            cells[8],
            cells[9],
            cells[10],
            cells[11],
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
            "passed",
            "ran",
        ],
    );
    for ((api, area), tally) in &crate::report::area_counts(record) {
        let c = |o| tally.get(o).to_string();
        row(
            &mut out,
            [
                &format!("{api}/{area}"),
                &c(Outcome::Pass),
                &c(Outcome::PassLenient),
                &c(Outcome::PassDeviation),
                &crate::report::count_cell(tally, Outcome::Fail),
                &c(Outcome::UnexpectedPass),
                &c(Outcome::ExpectedFailure),
                &c(Outcome::Skipped),
                &c(Outcome::Impossible),
                &c(Outcome::Blocked),
                &crate::report::passed_cell(tally),
                &crate::report::ran_cell(tally),
            ],
        );
    }
    out.push_str(&headline(record));
    if let Some(line) = clock_line(record) {
        out.push_str(&line);
    }
    out
}

/// How far the run left the clock of a served mock or a real server moved forward, when it
/// moved it (the embedded mocks stop with the run): chatspec never moves a clock back under
/// a live server, so it says so and how to put it back.
pub fn clock_line(record: &RunRecord) -> Option<String> {
    let s = record.info.clock_advanced_seconds;
    if s == 0 || record.info.target == "embedded" {
        return None;
    }
    Some(format!(
        "clock: this run moved the clock of {} forward by {s} s in all and left it there (chatspec never moves a clock back); on `chatspec serve`, POST /_mock/clock/reset puts it back on real time (docs/admin-api.md)\n",
        record.info.target
    ))
}

/// The run's headline ([`crate::report::headline::Headline`], the one summary.md and
/// report.html show: `FAILED: 10 of 12 scenarios ran (not run: 1 skipped, 1 impossible, 0
/// blocked by a broken rule); 4 passed strictly, ...`) with the run's wall time, and a second
/// line that counts the rules met (`report/rules.rs`) when the scenarios name any.
pub fn headline(record: &RunRecord) -> String {
    format!(
        "{} ({:.1}s)\n{}",
        crate::report::headline::Headline::of(record).line(),
        record.info.duration_ms as f64 / 1000.0,
        crate::report::rules::console_line(record),
    )
}

/// Whether a reader closed stdout (a broken pipe): nothing more is written to it.
static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Writes to stdout, as `print!` does, but a closed pipe only stops later writes instead of
/// panicking (`out!`, `outln!`). Other write errors are reported once on stderr.
pub fn write_stdout(line: std::fmt::Arguments<'_>) {
    use std::io::Write;
    use std::sync::atomic::Ordering;
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    if let Err(e) = std::io::stdout().lock().write_fmt(line) {
        STDOUT_CLOSED.store(true, Ordering::Relaxed);
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("chatspec: stdout: {e}");
        }
    }
}

/// The line `check` prints on stderr as a scenario finishes (`None` for a plain pass or a
/// skip): its grade, id and first line of what it found, with the scenario's secrets shown
/// redacted (`report/redact.rs`), as in every report. `known` is whether the target's profile
/// lists it as a known failure.
pub fn progress_line(scenario: &crate::outcome::ScenarioRecord, known: bool) -> Option<String> {
    let r = &crate::report::redact::scenario(scenario);
    match r.outcome {
        Outcome::Fail => {
            let first = r.failure.as_ref().and_then(|f| f.message.lines().next()).unwrap_or("");
            // Known failures are labelled as such, not as failures of the run.
            let label = if known { "expected failure" } else { "FAIL" };
            Some(format!("  {label} {} ({}:{}): {first}", r.id, r.feature_file, r.line))
        }
        // A provisioning error's whole cause is in the list after the run: its first line here.
        Outcome::Impossible => {
            let why = r.impossible.as_deref().unwrap_or("");
            let why = if r.provisioning_error { why.lines().next().unwrap_or_default() } else { why };
            Some(format!("  {} {}: {why}", r.impossible_words(), r.id))
        }
        // One short line: the list after the run gives each block's cause.
        Outcome::Blocked => Some(format!(
            "  blocked by rule {} {} ({}:{})",
            r.blocked_by.as_deref().unwrap_or("?"),
            r.id,
            r.feature_file,
            r.line,
        )),
        Outcome::PassLenient | Outcome::PassDeviation => {
            let first = r.notes.first().map(ToString::to_string).unwrap_or_default();
            Some(format!("  {} {}: {first}", crate::report::outcome_label(r.outcome), r.id))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_line_of_a_lenient_pass_shows_no_secret() {
        let token = "U8LSTxwM82vZ5cVQ3kAU8hA2GEghkjHgiJbCid9vZA1kgkdRTp7NIOoxa8yF";
        let mut record = crate::report::sample::record();
        let lenient = record.scenarios.iter_mut().find(|s| s.outcome == Outcome::PassLenient).unwrap();
        lenient.notes[0].check =
            format!("the reply to GET /api/user?chat_user_token={token} is as the register reads it");
        lenient.notes[0].actual = format!("HTTP 200 garbage {token}");
        let line = progress_line(lenient, false).unwrap();
        assert!(line.starts_with("  pass on a lenient reading "), "{line}");
        assert!(!line.contains(token), "{line}");
        let shown = crate::report::redact::shown(token);
        assert!(line.contains(&format!("chat_user_token={shown} is as")), "{line}");
        assert!(line.contains(&format!("actual HTTP 200 garbage {shown}")), "{line}");
        lenient.outcome = Outcome::Impossible;
        lenient.impossible = Some(format!("GET /api/user?chat_user_token={token} answered 500"));
        let line = progress_line(lenient, false).unwrap();
        assert!(!line.contains(token), "{line}");
    }

    #[test]
    fn provisioning_errors_are_listed_after_the_run_grouped_by_their_cause() {
        let mut record = crate::report::sample::record();
        let Some(template) = record.scenarios.iter().find(|s| s.outcome == Outcome::Impossible).cloned()
        else {
            panic!("the sample has an impossible scenario")
        };
        for i in 0..14 {
            let mut s = template.clone();
            s.id = format!("sama/auth/broken-{i}");
            s.provisioning_error = true;
            s.impossible = Some(match i {
                0 => "provisioning error: the webhook answered 500\nbody: oops".to_owned(),
                _ => format!(
                    "provisioning error: the create_user command (ann-r7x-{i}) exited with status {}\nstderr: no group",
                    i % 3
                ),
            });
            record.scenarios.push(s);
        }
        let text = console_details(&record);
        assert!(text.contains("PROVISIONING ERRORS (14): not run, as their set-up broke"), "{text}");
        let group = "  13 scenarios: provisioning error: the create_user command (ann-r7x-1) exited with status 1\n    stderr: no group\n    sama/auth/broken-1\n";
        assert!(text.contains(group), "{text}");
        assert!(text.contains("    sama/auth/broken-10\n    and 3 more\n"), "{text}");
        assert!(!text.contains("broken-11"), "{text}");
        assert!(text.contains("  1 scenario: provisioning error: the webhook answered 500\n    body: oops\n    sama/auth/broken-0\n"), "{text}");
        let line = progress_line(&record.scenarios[record.scenarios.len() - 1], false).unwrap_or_default();
        assert!(line.ends_with("exited with status 1") && !line.contains("stderr"), "{line}");
        // Without one, no section.
        assert!(!console_details(&crate::report::sample::record()).contains("PROVISIONING"));
    }

    #[test]
    fn a_blocked_scenario_makes_one_short_progress_line_and_its_cause_comes_after_the_run() {
        let record = crate::report::sample::record();
        let Some(blocked) = record.scenarios.iter().find(|s| s.id == crate::report::sample::BLOCKED) else {
            panic!("the sample has a blocked scenario")
        };
        let cause = crate::report::blocked_cause(blocked);
        let line = progress_line(blocked, false).unwrap_or_default();
        assert_eq!(
            line,
            format!(
                "  blocked by rule {} {} (features/connectnow/presence.feature:40)",
                crate::report::sample::RULE_BLOCKING,
                blocked.id
            )
        );
        assert!(!line.contains(&cause) && !line.contains('\n'), "{line}");
        assert!(console_details(&record).contains(&cause));
    }

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

    #[test]
    fn scenarios_failed_by_impossible_fails_never_count_as_ran() {
        let mut record = crate::report::sample::record();
        record.scenarios.retain(|s| s.outcome.passed() || s.outcome == Outcome::Impossible);
        let ran_before = record.scenarios.iter().filter(|s| s.outcome.passed()).count();
        for s in &mut record.scenarios {
            if s.outcome == Outcome::Impossible {
                s.outcome = Outcome::Fail;
            }
        }
        let line = headline(&record);
        assert!(line.starts_with(&format!("FAILED: {ran_before} of ")), "{line}");
        assert!(line.contains("1 impossible, 1 of them failed by --impossible-fails"), "{line}");
        // The area tables count what ran as the headline does.
        let all = crate::report::ran_cell(&crate::report::run_counts(&record));
        assert_eq!(
            all,
            format!(
                "{ran_before} of {} ran (1 impossible, failed by --impossible-fails)",
                record.scenarios.len()
            )
        );
        let summary = console_summary(&record);
        assert!(summary.contains("(1 impossible, failed by --impossible-fails)"), "{summary}");
        let md = crate::report::markdown::render(&record);
        assert!(md.contains(&format!("**{all}**")), "{md}");
    }

    /// The sample's blocked scenario, the one the rule blocking it fails in (tagged with it),
    /// and passes: what a run of a target with one broken set-up rule records.
    fn blocked_by_a_failing_rule() -> RunRecord {
        use crate::report::sample;
        let mut record = sample::record();
        record.scenarios.retain(|s| s.outcome.passed() || s.id == sample::BLOCKED);
        let Some(blocked) = record.scenarios.iter().find(|s| s.id == sample::BLOCKED).cloned() else {
            panic!("the sample has a blocked scenario")
        };
        let mut own = blocked.clone();
        own.id = "connectnow/facts/creating-a-fact-answers-201".into();
        own.area = "facts".into();
        own.outcome = Outcome::Fail;
        own.blocked_by = None;
        own.tags = vec![format!("@rule:{}", sample::RULE_BLOCKING)];
        record.scenarios.push(own);
        record
    }

    fn known(ids: &[&str]) -> Vec<(String, crate::outcome::KnownFailure)> {
        ids.iter().map(|id| ((*id).to_owned(), crate::outcome::KnownFailure::default())).collect()
    }

    #[test]
    fn a_block_by_a_known_failure_stays_blocked_and_does_not_fail_the_run() {
        use crate::report::sample;
        let mut unlisted = blocked_by_a_failing_rule();
        crate::outcome::apply_known_failures(&mut unlisted.scenarios, &known(&[]));
        assert!(unlisted.failed());
        // The rule's own failure listed: the scenario it blocked is still blocked, not run,
        // and no longer fails the run.
        let mut record = blocked_by_a_failing_rule();
        crate::outcome::apply_known_failures(
            &mut record.scenarios,
            &known(&["connectnow/facts/creating-a-fact-answers-201"]),
        );
        assert!(!record.failed(), "{}", headline(&record));
        assert_eq!(record.count(Outcome::Blocked), 1);
        let line = headline(&record);
        assert!(line.starts_with("passed what ran: "), "{line}");
        assert!(line.contains("1 blocked by a broken rule, 1 of them by a known failure"), "{line}");
        assert!(line.contains("0 failed, 1 expected failure"), "{line}");
        let ran = crate::report::run_counts(&record).executed();
        assert_eq!(ran, record.scenarios.len() - 1, "the blocked scenario did not run");
        let json = crate::report::conformance::render(&record);
        assert!(json.contains("\"blocked_by_known_failure\": true"), "{json}");
        assert!(json.contains("\"outcome\": \"blocked\""), "{json}");
        assert!(crate::report::junit::render(&record).contains("failures=\"0\""));
        // A blocked scenario listed itself stays blocked, never an expected failure.
        let mut listed = blocked_by_a_failing_rule();
        crate::outcome::apply_known_failures(
            &mut listed.scenarios,
            &known(&["connectnow/facts/creating-a-fact-answers-201", sample::BLOCKED]),
        );
        assert_eq!(listed.count(Outcome::Blocked), 1);
        assert_eq!(listed.count(Outcome::ExpectedFailure), 1);
        assert!(!listed.failed());
    }

    /// A failure as `Scenario::fail` writes it: the check, `expected:`, `actual:` (here on
    /// two lines), the documentation and the rules, split into expected and actual as the
    /// collector splits it.
    fn failing_as_a_step_fails() -> RunRecord {
        let mut record = crate::report::sample::record();
        let Some(s) = record.scenarios.iter_mut().find(|s| s.outcome == Outcome::Fail && s.doc.is_some())
        else {
            panic!("the sample has a failure with its documentation")
        };
        let doc = s.doc.clone().unwrap_or_default();
        let message = format!(
            "GET /api/messages lists one message\nexpected: OneMessageMarker\nactual: ActualFirstMarker\n  ActualSecondMarker\ndocumentation: {doc}\nrules: U-uid-dedup"
        );
        if let Some(step) = s.steps.iter_mut().find(|st| st.error.is_some()) {
            step.error = Some(message.clone());
        }
        s.failure = Some(crate::outcome::Failure {
            step: "Then the room holds one message".into(),
            message,
            expected: Some("OneMessageMarker".into()),
            actual: Some("ActualFirstMarker\n  ActualSecondMarker".into()),
        });
        record
    }

    #[test]
    fn every_writer_prints_a_failures_expected_and_actual_once() {
        let record = failing_as_a_step_fails();
        let writers = [
            ("console", console_details(&record)),
            ("junit", crate::report::junit::render(&record)),
            ("markdown", crate::report::markdown::render(&record)),
            ("html", crate::report::html::render(&record)),
            ("cucumber json", crate::report::cucumber_json::render(&record)),
        ];
        for (writer, text) in writers {
            for marker in ["OneMessageMarker", "ActualFirstMarker", "ActualSecondMarker"] {
                assert_eq!(
                    text.matches(marker).count(),
                    1,
                    "{writer} prints {marker} more than once:\n{text}"
                );
            }
            assert!(text.contains("GET /api/messages lists one message"), "{writer} keeps the cause");
            assert!(text.contains("U-uid-dedup"), "{writer} keeps the rules line");
        }
        let console = console_details(&record);
        assert_eq!(console.matches("documentation: seeds/unichat/messages.md").count(), 1, "{console}");
    }

    #[test]
    fn a_failure_keeps_every_line_it_does_not_hold_apart() {
        let f = crate::outcome::Failure {
            step: "Then x".into(),
            message: "check\nexpected: e\nactual: a\n  a2\ndocumentation: other sentence\nrules: R".into(),
            expected: Some("e".into()),
            actual: Some("a\n  a2".into()),
        };
        assert_eq!(
            f.cause(Some("the scenario's sentence")),
            "check\ndocumentation: other sentence\nrules: R"
        );
        assert_eq!(f.cause(Some("other sentence")), "check\nrules: R");
        let plain = crate::outcome::Failure {
            message: "no reply: expected: e".into(),
            expected: None,
            actual: None,
            ..f
        };
        assert_eq!(plain.cause(None), "no reply: expected: e");
    }

    #[test]
    fn the_headline_names_the_shard_and_what_the_filters_left_out() {
        use crate::outcome::NotSelected;
        let mut record = crate::report::sample::record();
        let selected = record.scenarios.len();
        record.info.shard = Some("2/4".into());
        record.info.not_selected = vec![
            NotSelected { filter: "--shard 2/4".into(), count: 90 },
            NotSelected { filter: "--tags \"not @slow\"".into(), count: 4 },
        ];
        let line = headline(&record);
        let ran = selected - 3;
        assert!(
            line.starts_with(&format!(
                "FAILED: shard 2/4: {ran} of {} scenarios ran (94 not selected: 90 in the other shards, 4 by --tags \"not @slow\"; not run: 1 skipped, 1 impossible, 1 blocked by a broken rule)",
                selected + 94
            )),
            "{line}"
        );
        record.scenarios.retain(|s| s.outcome.passed());
        assert!(headline(&record).starts_with("passed: shard 2/4: "), "{}", headline(&record));
    }

    #[test]
    fn a_run_that_moved_a_live_clock_says_how_far() {
        let mut record = crate::report::sample::record();
        assert_eq!(clock_line(&record), None);
        record.info.clock_advanced_seconds = 601;
        let summary = console_summary(&record);
        assert!(summary.contains("moved the clock of acme-chat forward by 601 s"), "{summary}");
        assert!(summary.contains("POST /_mock/clock/reset"), "{summary}");
        record.info.target = "embedded".into();
        assert_eq!(clock_line(&record), None, "an embedded mock stops with the run");
    }
}
