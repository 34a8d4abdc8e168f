//! Writes `junit.xml`: one test suite per API area, one test case per scenario, for CI.
//!
//! Only fails, unexpected passes and blocks by a broken rule are JUnit failures, and
//! provisioning errors (a scenario whose set-up broke) JUnit errors, so a CI job goes red
//! exactly when the run fails; an impossible scenario the target cannot run (a known limit
//! of it) is skipped; expected failures pass and say why in `<system-out>`. Passes on a lenient
//! reading and with declared deviation are passing test cases that name their grade and each
//! register entry in `<properties>` (`chatspec.grade`, `chatspec.reading`,
//! `chatspec.deviation`) and in `<system-out>`.

use crate::outcome::{Outcome, RunRecord, ScenarioRecord};

use super::{
    escape_xml, known_failure_note, notes_message, outcome_label, register_path, scenario_message,
    scenarios_by_area, unexpected_pass_message,
};
use crate::verdict::NoteKind;

/// Renders the JUnit XML report of `record`.
pub fn render(record: &RunRecord) -> String {
    // Secrets are shown redacted (`report/redact.rs`); the run used the real values.
    let record = &super::redact::record(record);
    let groups = scenarios_by_area(record);
    let all: Vec<&ScenarioRecord> = groups.values().flatten().copied().collect();
    let info = &record.info;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"{}\" {} time=\"{}\" timestamp=\"{}\">\n",
        attr(&format!("chatspec {}", info.target)),
        totals(&all),
        seconds(info.duration_ms),
        attr(&info.started_at),
    ));
    for ((api, area), scenarios) in &groups {
        let time: u64 = scenarios.iter().map(|s| s.duration_ms).sum();
        out.push_str(&format!(
            "  <testsuite name=\"{}\" {} time=\"{}\" timestamp=\"{}\">\n",
            attr(&format!("{api}/{area}")),
            totals(scenarios),
            seconds(time),
            attr(&info.started_at),
        ));
        out.push_str("    <properties>\n");
        let mut properties = vec![
            ("target", info.target.as_str()),
            ("chatspec_version", info.chatspec_version.as_str()),
            ("suite_revision", info.suite_revision.as_str()),
        ];
        if let Some(version) = &info.target_version {
            properties.insert(1, ("target_version", version));
        }
        for (name, value) in properties {
            out.push_str(&format!("      <property name=\"{name}\" value=\"{}\"/>\n", attr(value)));
        }
        out.push_str("    </properties>\n");
        for scenario in scenarios {
            testcase(&mut out, scenario);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// What a scenario is to JUnit: every test case is exactly one, so the counts add up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Passed,
    Failure,
    /// A provisioning error: the scenario's set-up broke, so it did not run and the run fails.
    Error,
    Skipped,
}

fn kind(s: &ScenarioRecord) -> Kind {
    if s.provisioning_error {
        Kind::Error
    } else if s.fails_run() {
        Kind::Failure
    } else if matches!(s.outcome, Outcome::Skipped | Outcome::Impossible) || s.blocked_by_known_failure {
        Kind::Skipped
    } else {
        Kind::Passed
    }
}

/// The `tests`, `failures`, `errors` and `skipped` attributes of a group of scenarios.
fn totals(scenarios: &[&ScenarioRecord]) -> String {
    let n = |k: Kind| scenarios.iter().filter(|s| kind(s) == k).count();
    format!(
        "tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\"",
        scenarios.len(),
        n(Kind::Failure),
        n(Kind::Error),
        n(Kind::Skipped),
    )
}

/// The test case's name: the scenario's, with the `#n` its id carries for each row of a
/// Scenario Outline, so CI tools keying on classname and name keep every row apart.
fn case_name(s: &ScenarioRecord) -> String {
    match s.id.rsplit_once('#') {
        Some((_, n)) if n.chars().all(|c| c.is_ascii_digit()) => format!("{} #{n}", s.name),
        _ => s.name.clone(),
    }
}

fn testcase(out: &mut String, s: &ScenarioRecord) {
    out.push_str(&format!(
        "    <testcase name=\"{}\" classname=\"{}\" time=\"{}\" file=\"{}\" line=\"{}\"",
        attr(&case_name(s)),
        attr(&format!("{}.{}", s.api, s.area)),
        seconds(s.duration_ms),
        attr(&s.feature_file),
        s.line,
    ));
    let message = scenario_message(s).unwrap_or_default();
    if kind(s) == Kind::Error {
        out.push_str(">\n");
        out.push_str(&format!(
            "      <error message=\"{}\" type=\"chatspec.provisioning\">{}</error>\n",
            attr(first_line(&provisioning_cause(s))),
            text(&format!("{message}\nscenario: {} ({}:{})", s.id, s.feature_file, s.line)),
        ));
        out.push_str("    </testcase>\n");
        return;
    }
    match s.outcome {
        Outcome::Pass => out.push_str("/>\n"),
        Outcome::PassLenient | Outcome::PassDeviation => {
            out.push_str(">\n      <properties>\n");
            out.push_str(&format!(
                "        <property name=\"chatspec.grade\" value=\"{}\"/>\n",
                s.outcome.as_str()
            ));
            for n in &s.notes {
                let (name, value) = match n.kind {
                    NoteKind::Lenient => ("chatspec.reading", format!("{} {}", n.entry, register_path(s))),
                    NoteKind::Deviation => (
                        "chatspec.deviation",
                        format!(
                            "{} ({} {})",
                            n.deviation.as_deref().unwrap_or("?"),
                            n.entry,
                            register_path(s)
                        ),
                    ),
                };
                out.push_str(&format!("        <property name=\"{name}\" value=\"{}\"/>\n", attr(&value)));
            }
            out.push_str("      </properties>\n");
            out.push_str(&format!(
                "      <system-out>{}:\n{}</system-out>\n",
                outcome_label(s.outcome),
                text(&notes_message(s))
            ));
            out.push_str("    </testcase>\n");
        }
        Outcome::Fail => {
            out.push_str(">\n");
            out.push_str(&format!(
                "      <failure message=\"{}\" type=\"fail\">{}</failure>\n",
                attr(first_line(&message)),
                text(&failure_body(s)),
            ));
            out.push_str("    </testcase>\n");
        }
        // A block by a known failure does not fail the run: it did not run, as a skip.
        Outcome::Blocked if s.blocked_by_known_failure => {
            out.push_str(">\n");
            out.push_str(&format!("      <skipped message=\"{}\"/>\n", attr(first_line(&message))));
            out.push_str("    </testcase>\n");
        }
        Outcome::Blocked => {
            out.push_str(">\n");
            out.push_str(&format!(
                "      <failure message=\"{}\" type=\"blocked\">{}</failure>\n",
                attr(first_line(&message)),
                text(&failure_body(s)),
            ));
            out.push_str("    </testcase>\n");
        }
        Outcome::UnexpectedPass => {
            out.push_str(">\n");
            out.push_str(&format!(
                "      <failure message=\"{}\" type=\"unexpected_pass\">{}</failure>\n",
                attr(&message),
                text(&unexpected_pass_message(s)),
            ));
            out.push_str("    </testcase>\n");
        }
        Outcome::Skipped | Outcome::Impossible => {
            let prefix =
                if s.outcome == Outcome::Impossible { "impossible against this target: " } else { "" };
            out.push_str(">\n");
            out.push_str(&format!("      <skipped message=\"{}\"/>\n", attr(&format!("{prefix}{message}"))));
            out.push_str("    </testcase>\n");
        }
        Outcome::ExpectedFailure => {
            let known = s
                .known_failure
                .as_ref()
                .map(known_failure_note)
                .unwrap_or_else(|| "no reason given".to_owned());
            out.push_str(">\n");
            out.push_str(&format!(
                "      <system-out>known failure of this target ({}); it failed as expected:\n{}</system-out>\n",
                text(&known),
                text(&failure_body(s)),
            ));
            out.push_str("    </testcase>\n");
        }
    }
}

/// Why the set-up of a scenario broke, as `provisioning error: ...`.
fn provisioning_cause(s: &ScenarioRecord) -> String {
    let cause = s.impossible_cause();
    if cause.starts_with("provisioning error") { cause } else { format!("provisioning error: {cause}") }
}

/// The full text of a failure: message, expected and actual, and the documentation quote.
fn failure_body(s: &ScenarioRecord) -> String {
    let mut body = match &s.failure {
        Some(failure) => failure.cause(s.doc.as_deref()),
        None => super::failure_message(s),
    };
    if let Some(failure) = &s.failure {
        if !failure.step.is_empty() && !body.contains(&failure.step) {
            body = format!("{}\n{body}", failure.step);
        }
        if let Some(expected) = &failure.expected {
            body.push_str(&format!("\nexpected: {expected}"));
        }
        if let Some(actual) = &failure.actual {
            body.push_str(&format!("\nactual: {actual}"));
        }
    }
    if let Some(doc) = &s.doc {
        body.push_str(&format!("\ndocumentation: {doc}"));
    }
    body.push_str(&format!("\nscenario: {} ({}:{})", s.id, s.feature_file, s.line));
    body
}

fn first_line(message: &str) -> &str {
    message.lines().next().unwrap_or_default()
}

/// Milliseconds as JUnit seconds, with no float rounding so output is stable.
fn seconds(ms: u64) -> String {
    format!("{}.{:03}", ms / 1_000, ms % 1_000)
}

fn attr(value: &str) -> String {
    escape_xml(value, true)
}

fn text(value: &str) -> String {
    escape_xml(value, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    /// The `<testcase ...>` element of scenario `name`, with its children.
    fn case<'a>(xml: &'a str, name: &str) -> &'a str {
        let start = xml.find(&format!("<testcase name=\"{name}\"")).expect("test case present");
        let rest = &xml[start..];
        let first = rest.lines().next().unwrap_or_default();
        if first.ends_with("/>") {
            return first;
        }
        let end = rest.find("</testcase>").expect("test case closed");
        &rest[..end + "</testcase>".len()]
    }

    #[test]
    fn suites_per_area_with_totals() {
        let xml = render(&sample::record());
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"chatspec acme-chat\" tests=\"13\" failures=\"4\" errors=\"0\" skipped=\"2\" time=\"8.734\""));
        let suites: Vec<&str> = xml.lines().filter(|l| l.starts_with("  <testsuite ")).collect();
        assert_eq!(suites.len(), 4);
        assert!(suites[0].contains("name=\"connectnow/presence\" tests=\"4\" failures=\"2\" errors=\"0\" skipped=\"0\" time=\"2.020\""));
        assert!(
            suites[1].contains("name=\"sama/auth\" tests=\"4\" failures=\"0\" errors=\"0\" skipped=\"2\"")
        );
        assert!(suites[2].contains("name=\"unichat/messages\" tests=\"3\" failures=\"1\""));
        assert!(
            suites[3].contains("name=\"unichat/uid\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\"")
        );
        assert!(xml.contains("<property name=\"target_version\" value=\"4.2.0-rc.1\"/>"));
    }

    #[test]
    fn outcomes_map_to_junit_elements() {
        let xml = render(&sample::record());
        let pass = case(&xml, "Alice posts a message and Bob is notified");
        assert!(
            pass.ends_with("/>") && pass.contains("classname=\"unichat.messages\" time=\"0.042\""),
            "{pass}"
        );

        let fail = case(&xml, "Posting twice with one uid keeps one message");
        assert!(fail.contains("<failure message=\"Then the room holds one message: expected 1 message, found 2 (GET /api/messages)\" type=\"fail\">"));
        assert!(fail.contains("expected: 1 message with uid &quot;u1&quot;"));
        assert!(fail.contains("&lt;b&gt;hi&lt;/b&gt; &amp; bye"));
        assert!(fail.contains("documentation: seeds/unichat/messages.md"));

        let unexpected = case(&xml, "Reusing a uid in another room is allowed");
        assert!(unexpected.contains("<failure message=\"listed as a known failure (rooms share one uid space on this server) but passed\" type=\"unexpected_pass\">"));

        let expected = case(&xml, "A uid longer than 64 characters is refused");
        assert!(!expected.contains("<failure"));
        assert!(expected.contains("<system-out>known failure of this target (uid length is not checked, https://tracker.example/ACME-12?view=full&amp;tab=1)"));

        let impossible = case(&xml, "An expired token is refused");
        assert!(
            impossible.contains("<skipped message=\"impossible against this target: needs clock control")
        );
        let lenient = case(&xml, "An unknown status is refused");
        assert!(!lenient.contains("<failure") && !lenient.contains("<skipped"), "{lenient}");
        assert!(lenient.contains("<property name=\"chatspec.grade\" value=\"pass_lenient\"/>"), "{lenient}");
        assert!(
            lenient
                .contains("<property name=\"chatspec.reading\" value=\"C5 specs/src/connectnow/NOTES.md\"/>"),
            "{lenient}"
        );
        assert!(
            lenient.contains("<system-out>pass on a lenient reading:\nreading C5 did not hold"),
            "{lenient}"
        );
        assert!(lenient.contains("text/plain &quot;status &lt;gone&gt; &amp; more&quot;"), "{lenient}");
        let deviation = case(&xml, "A login by token opens the socket");
        assert!(deviation.contains(
            "<property name=\"chatspec.deviation\" value=\"token_login_needs_organization (S8 specs/src/sama/NOTES.md)\"/>"
        ), "{deviation}");
        assert!(deviation.contains("<system-out>pass with declared deviation:\ndeclared deviation"));

        let skipped = case(&xml, "Sign-up sends an auth code by e-mail");
        assert!(skipped.contains(
            "<skipped message=\"skipped at step &quot;Then an auth code is e-mailed to Alice&quot;\"/>"
        ));
    }

    #[test]
    fn names_and_controls_are_escaped() {
        let xml = render(&sample::record());
        assert!(xml.contains(
            "name=\"Message text keeps &lt;b&gt;markup&lt;/b&gt; &amp; &quot;quotes&quot; | pipes\""
        ));
        assert!(xml.contains("\\u{001b}[31monline"));
        assert!(!xml.contains('\u{1b}'));
        // The multi-line outline failure keeps only its first line in the attribute.
        assert!(
            xml.contains("<failure message=\"no matching event within 2 s; events seen:\" type=\"fail\">")
        );
    }

    #[test]
    fn elements_balance() {
        let xml = render(&sample::record());
        for tag in ["testsuites", "testsuite", "properties", "failure", "error", "system-out"] {
            let open = xml.matches(&format!("<{tag}>")).count() + xml.matches(&format!("<{tag} ")).count();
            assert_eq!(open, xml.matches(&format!("</{tag}>")).count(), "{tag}");
        }
        let cases = xml.matches("<testcase ").count();
        let closed = xml.matches("</testcase>").count()
            + xml.lines().filter(|l| l.contains("<testcase ") && l.ends_with("/>")).count();
        assert_eq!(cases, closed);
        assert_eq!(cases, 13);
    }

    #[test]
    fn output_is_deterministic() {
        let record = sample::record();
        let mut shuffled = record.clone();
        shuffled.scenarios.reverse();
        shuffled.scenarios.swap(1, 4);
        assert_eq!(render(&record), render(&shuffled));
    }

    #[test]
    fn matches_the_golden_file() {
        // The sample's times and ids are fixed: nothing to normalise.
        crate::report::golden("junit.xml", &render(&sample::record()));
    }

    /// The `name=` attribute `name` of an element's first line, as a number.
    fn count(line: &str, name: &str) -> usize {
        let start = line.find(&format!(" {name}=\"")).expect("attribute present") + name.len() + 3;
        let end = line[start..].find('"').expect("attribute closed");
        line[start..start + end].parse().expect("a count")
    }

    /// Checks that the counts of the testsuites element and of each suite hold as many
    /// `<failure>`, `<error>` and `<skipped>` elements as they say, and add up to `tests`
    /// with the passed cases; returns (failures, errors, skipped) of the whole run.
    fn counts_add_up(xml: &str) -> (usize, usize, usize) {
        let blocks: Vec<&str> = xml.split("  <testsuite ").collect();
        let mut sums = [0; 4];
        for (i, block) in blocks.iter().enumerate() {
            let head = block.lines().find(|l| l.contains(" tests=")).expect("counts");
            let counts: Vec<usize> =
                ["tests", "failures", "errors", "skipped"].iter().map(|n| count(head, n)).collect();
            let scope = if i == 0 { xml } else { block };
            let found = |tag: &str| scope.matches(&format!("<{tag} ")).count();
            let cases = scope.matches("<testcase ").count();
            let passed = cases - found("failure") - found("error") - found("skipped");
            assert_eq!(counts[0], cases, "{head}");
            assert_eq!(counts[1..], [found("failure"), found("error"), found("skipped")], "{head}");
            assert_eq!(counts[0], counts[1] + counts[2] + counts[3] + passed, "{head}");
            if i > 0 {
                (0..4).for_each(|k| sums[k] += counts[k]);
            }
        }
        let whole = blocks[0].lines().find(|l| l.contains(" tests=")).expect("testsuites");
        let total = ["tests", "failures", "errors", "skipped"].map(|n| count(whole, n));
        assert_eq!(total, sums, "the testsuites element sums its suites");
        (total[1], total[2], total[3])
    }

    /// The sample with its impossible scenario's set-up broken: a provisioning error.
    fn with_a_provisioning_error() -> RunRecord {
        let mut record = sample::record();
        let Some(s) = record.scenarios.iter_mut().find(|s| s.id == sample::IMPOSSIBLE) else {
            panic!("the sample has an impossible scenario")
        };
        s.provisioning_error = true;
        s.impossible = Some(
            "provisioning error: the create_user command (bin/create-user) exited with status 7\nstderr: no such <group> & none"
                .into(),
        );
        record
    }

    #[test]
    fn a_provisioning_error_is_a_junit_error_not_a_skip() {
        let record = with_a_provisioning_error();
        let xml = render(&record);
        let case = case(&xml, "An expired token is refused");
        assert!(!case.contains("<skipped") && !case.contains("<failure"), "{case}");
        assert!(case.contains("<error message=\"provisioning error: the create_user command (bin/create-user) exited with status 7\" type=\"chatspec.provisioning\">"), "{case}");
        assert!(case.contains("exited with status 7\nstderr: no such &lt;group&gt; &amp; none"), "{case}");
        assert!(
            case.contains(&format!("scenario: {} (features/sama/auth.feature:", sample::IMPOSSIBLE)),
            "{case}"
        );
        assert!(xml.contains("<testsuites name=\"chatspec acme-chat\" tests=\"13\" failures=\"4\" errors=\"1\" skipped=\"1\""), "{xml}");
        assert!(
            xml.contains("name=\"sama/auth\" tests=\"4\" failures=\"0\" errors=\"1\" skipped=\"1\""),
            "{xml}"
        );
        assert_eq!(counts_add_up(&xml), (4, 1, 1));
        // The run fails on it, as the CI job does on a JUnit error.
        assert!(record.failed());
    }

    #[test]
    fn the_counts_add_up_with_impossible_fails_and_in_a_merged_run() {
        assert_eq!(counts_add_up(&render(&sample::record())), (4, 0, 2));
        // `--impossible-fails` fails the impossible scenario, not the provisioning error.
        let mut forced = sample::record();
        crate::outcome::fail_impossible(&mut forced.scenarios);
        assert_eq!(counts_add_up(&render(&forced)), (5, 0, 1));
        let mut record = with_a_provisioning_error();
        crate::outcome::fail_impossible(&mut record.scenarios);
        let xml = render(&record);
        assert_eq!(counts_add_up(&xml), (4, 1, 1));
        assert!(case(&xml, "An expired token is refused").contains("type=\"chatspec.provisioning\""));
        // `report merge` reads the provisioning error back from conformance.json.
        let doc = crate::report::conformance::render(&with_a_provisioning_error());
        let docs =
            vec![("conformance.json".to_owned(), crate::report::conformance::parse(&doc).expect("parses"))];
        let merged = crate::report::merge::merge(&docs).expect("merges");
        let xml = render(&merged);
        assert_eq!(counts_add_up(&xml), (4, 1, 1));
        assert!(case(&xml, "An expired token is refused").contains("<error message=\"provisioning error: "));
    }

    #[test]
    fn outline_rows_get_names_of_their_own() {
        let xml = render(&sample::record());
        assert!(xml.contains("<testcase name=\"Status &lt;status&gt; is broadcast #2\""), "{xml}");
    }

    #[test]
    fn empty_run_is_valid() {
        let xml = render(&RunRecord::default());
        assert!(xml.contains("<testsuites name=\"chatspec \" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0.000\""));
        assert!(xml.ends_with("</testsuites>\n"));
    }
}
