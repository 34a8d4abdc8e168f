//! Report writers: every report is written from one [`crate::outcome::RunRecord`].
//!
//! The per-area counts, the pass percentage and the wording of outcomes live here, so the
//! JUnit, Cucumber JSON, conformance.json, Markdown and HTML reports always agree.

pub mod compare;
pub mod conformance;
pub mod cucumber_json;
pub mod headline;
pub mod html;
pub mod junit;
pub mod markdown;
pub mod merge;
pub mod redact;
pub mod rules;
mod tally;

pub use tally::{
    Tally, api_counts, area_counts, count_cell, passed_cell, ran_cell, run_counts, scenarios_by_area,
};

use std::path::{Path, PathBuf};

use crate::outcome::{KnownFailure, Outcome, RunRecord, ScenarioRecord, StepStatus};
use crate::verdict::Note;

/// `(api, area)`: the key every per-area summary is grouped by.
pub type AreaKey = (String, String);

/// Writes every report of `record` into `dir` (created if needed); returns the paths written.
pub fn write_all(record: &RunRecord, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    type Render = fn(&RunRecord) -> String;
    let reports: [(&str, Render); 5] = [
        ("junit.xml", junit::render),
        ("cucumber.json", cucumber_json::render),
        ("conformance.json", conformance::render),
        ("summary.md", markdown::render),
        ("report.html", html::render),
    ];
    let mut written = Vec::with_capacity(reports.len());
    for (name, render) in reports {
        let path = dir.join(name);
        std::fs::write(&path, render(record))?;
        written.push(path);
    }
    Ok(written)
}

/// The words every human-readable report uses for an outcome.
pub fn outcome_label(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "pass",
        Outcome::PassLenient => "pass on a lenient reading",
        Outcome::PassDeviation => "pass with declared deviation",
        Outcome::Fail => "fail",
        Outcome::Skipped => "skipped",
        Outcome::ExpectedFailure => "expected failure",
        Outcome::UnexpectedPass => "unexpected pass",
        Outcome::Impossible => "impossible",
        Outcome::Blocked => "blocked by a broken rule",
    }
}

/// A one-character mark for an outcome, shown beside its label, never instead of it.
pub fn outcome_symbol(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "✓",
        Outcome::PassLenient => "≈",
        Outcome::PassDeviation => "⚐",
        Outcome::Fail => "✗",
        Outcome::Skipped => "↷",
        Outcome::ExpectedFailure => "⚑",
        Outcome::UnexpectedPass => "!",
        Outcome::Impossible => "⊘",
        Outcome::Blocked => "⛔",
    }
}

/// `reason, link` (or just `reason`) of a known-failure entry.
pub fn known_failure_note(known: &KnownFailure) -> String {
    match &known.link {
        Some(link) => format!("{}, {link}", known.reason),
        None => known.reason.clone(),
    }
}

/// Why an unexpected pass fails the run.
pub fn unexpected_pass_message(scenario: &ScenarioRecord) -> String {
    match &scenario.known_failure {
        Some(known) => {
            format!("listed as a known failure ({}) but passed", known_failure_note(known))
        }
        None => "listed as a known failure but passed".to_owned(),
    }
}

/// The register a scenario's notes refer to: `specs/src/<api>/NOTES.md`.
pub fn register_path(scenario: &ScenarioRecord) -> String {
    format!("specs/src/{}/NOTES.md", scenario.api)
}

/// One note of a scenario for people, with the register it refers to: `reading C5 did not
/// hold: ...; expected ...; actual ... (specs/src/connectnow/NOTES.md)`.
pub fn note_line(scenario: &ScenarioRecord, note: &Note) -> String {
    format!("{note} ({})", register_path(scenario))
}

/// A pass grade's notes, one a line, each with its register entry.
pub fn notes_message(scenario: &ScenarioRecord) -> String {
    scenario.notes.iter().map(|n| note_line(scenario, n)).collect::<Vec<_>>().join("\n")
}

/// The one message that explains an outcome other than a strict pass, if there is one.
pub fn scenario_message(scenario: &ScenarioRecord) -> Option<String> {
    match scenario.outcome {
        Outcome::Pass => None,
        Outcome::PassLenient | Outcome::PassDeviation => Some(notes_message(scenario)),
        Outcome::Fail | Outcome::ExpectedFailure => Some(failure_message(scenario)),
        Outcome::UnexpectedPass => Some(unexpected_pass_message(scenario)),
        // One that stopped part way says so: its passed steps talked to the target.
        Outcome::Impossible => Some(match scenario.impossible_after_steps {
            0 => scenario.impossible_cause(),
            _ => format!("{}: {}", scenario.impossible_words(), scenario.impossible_cause()),
        }),
        Outcome::Skipped => Some(skip_message(scenario)),
        Outcome::Blocked => Some(blocked_message(scenario)),
    }
}

/// The scenarios the profile lists as known failures that did not run (impossible, failed
/// by `--impossible-fails` or not, or skipped), in report order: their entries went
/// unchecked ([`ScenarioRecord::known_failure_unchecked`]). Every writer lists them.
pub fn unchecked_known_failures(record: &RunRecord) -> Vec<&ScenarioRecord> {
    scenarios_by_area(record).into_values().flatten().filter(|s| s.known_failure_unchecked()).collect()
}

/// One unchecked known failure for people, after its id: why its scenario did not run and
/// the profile's entry (`impossible: the profile has no outbox; listed as: not done yet,
/// https://...`).
pub fn unchecked_known_failure_line(scenario: &ScenarioRecord) -> String {
    let listed = scenario.known_failure.as_ref().map(known_failure_note).unwrap_or_default();
    // `--impossible-fails` made a failure of it; why it did not run is what it was.
    let why = match scenario.unforced_outcome() {
        Outcome::Impossible => format!("{}: {}", scenario.impossible_words(), scenario.impossible_cause()),
        _ => scenario_message(scenario).unwrap_or_default(),
    };
    format!("not run, {why}; listed as: {listed}")
}

/// What an unchecked known failure means, as every writer says it above the list.
pub const UNCHECKED_KNOWN_FAILURES: &str = "The profile lists these scenarios as known failures, but they did not run against this target, so their entries were not checked (an entry may be stale). An entry never fails the run; it excuses a check the server fails, not a scenario that did not run, so `--impossible-fails` still fails an impossible one.";

/// Why a scenario is blocked: `blocked by rule C-fact-created-201: <its blocked_cause>`.
pub fn blocked_message(scenario: &ScenarioRecord) -> String {
    let rule = scenario.blocked_by.as_deref().unwrap_or("?");
    let rule =
        if scenario.blocked_by_known_failure { format!("{rule} (a known failure)") } else { rule.to_owned() };
    match blocked_cause(scenario) {
        cause if cause.is_empty() => format!("blocked by rule {rule}"),
        cause => format!("blocked by rule {rule}: {cause}"),
    }
}

/// The longest reply shown in a one-line cause, in characters.
const SHORT_REPLY: usize = 160;

/// What blocked a scenario, in one line: the set-up step's check and what the blocking call
/// got, its HTTP status and the start of its reply (`POST /api/chats succeeds with HTTP 201;
/// got HTTP 200 {"id": 7}`). Without a recorded `actual`, the last reply of the wire log
/// stands for it. Every writer that prints a blocked scenario's cause prints this.
pub fn blocked_cause(scenario: &ScenarioRecord) -> String {
    let Some(failure) = &scenario.failure else { return String::new() };
    let check = failure.message.lines().next().unwrap_or_default();
    let got = failure.actual.as_deref().map(str::to_owned).or_else(|| {
        let reply = scenario.wire_log.iter().rev().find(|e| e.kind == "response")?;
        let body = reply.body.as_ref().map(|b| format!(" {b}")).unwrap_or_default();
        Some(format!("HTTP {}{body}", reply.summary))
    });
    match got {
        Some(got) => {
            let one_line = got.split_whitespace().collect::<Vec<_>>().join(" ");
            let short: String = one_line.chars().take(SHORT_REPLY).collect();
            let cut = if short.len() < one_line.len() { "…" } else { "" };
            format!("{check}; got {short}{cut}")
        }
        None => check.to_owned(),
    }
}

/// The failure text of a failed scenario, falling back to its failed step's error.
pub fn failure_message(scenario: &ScenarioRecord) -> String {
    if let Some(failure) = &scenario.failure {
        return failure.message.clone();
    }
    scenario
        .steps
        .iter()
        .find(|s| s.status == StepStatus::Failed)
        .map(|s| match &s.error {
            Some(error) => format!("{}{}: {error}", s.keyword, s.text),
            None => format!("{}{} failed", s.keyword, s.text),
        })
        .unwrap_or_else(|| "the scenario failed".to_owned())
}

/// Why a scenario did not run: its first skipped step, when it has one.
fn skip_message(scenario: &ScenarioRecord) -> String {
    match scenario.steps.iter().find(|s| s.status == StepStatus::Skipped) {
        Some(step) => format!("skipped at step \"{}{}\"", step.keyword, step.text),
        None => "skipped before it ran".to_owned(),
    }
}

/// A duration for people: `850 ms`, `3.42 s`, `2 min 05 s`.
pub fn format_duration(ms: u64) -> String {
    match ms {
        0..1_000 => format!("{ms} ms"),
        1_000..60_000 => format!("{}.{:02} s", ms / 1_000, ms % 1_000 / 10),
        _ => format!("{} min {:02} s", ms / 60_000, ms % 60_000 / 1_000),
    }
}

/// An RFC 3339 start time as `2026-05-04 09:30:12 UTC`; the text as given when it does not parse.
pub fn format_started(started_at: &str) -> String {
    use time::format_description::well_known::Rfc3339;
    let shown = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second] UTC");
    time::OffsetDateTime::parse(started_at, &Rfc3339)
        .ok()
        .and_then(|t| t.to_offset(time::UtcOffset::UTC).format(shown).ok())
        .unwrap_or_else(|| started_at.to_owned())
}

/// A pass percentage as `83.3 %`, or `—` when nothing ran.
pub fn format_percent(percent: Option<f64>) -> String {
    percent.map_or_else(|| "—".to_owned(), |p| format!("{p:.1} %"))
}

/// Escapes text for XML and HTML element content and attribute values.
///
/// Characters XML 1.0 forbids (most C0 controls, U+FFFE, U+FFFF) would make the whole file
/// unreadable to a parser, so they are shown as `\u{..}` instead. In attributes, newlines
/// and tabs are written as character references so attribute normalisation keeps them.
pub(crate) fn escape_xml(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' if attribute => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' | '\r' | '\t' => out.push(c),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => {
                out.push_str(&format!("\\u{{{:04x}}}", u32::from(c)));
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod sample;

/// Compares `actual` with the golden file `harness/tests/golden/<name>`; with `CHATSPEC_BLESS`
/// set in the environment it rewrites the file first (review the diff before committing).
#[cfg(test)]
pub(crate) fn golden(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
    if std::env::var_os("CHATSPEC_BLESS").is_some() {
        let _ = std::fs::create_dir_all(path.parent().unwrap_or(&path));
        let _ = std::fs::write(&path, actual);
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(expected == actual, "{} differs (CHATSPEC_BLESS=1 rewrites it):\n{actual}", path.display());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn area_counts_cover_every_scenario_once() {
        let record = sample::record();
        let areas = area_counts(&record);
        let keys: Vec<_> = areas.keys().map(|(api, area)| format!("{api}/{area}")).collect();
        assert_eq!(keys, ["connectnow/presence", "sama/auth", "unichat/messages", "unichat/uid"]);
        assert_eq!(areas[&("connectnow".to_owned(), "presence".to_owned())].get(Outcome::PassLenient), 1);
        assert_eq!(areas[&("sama".to_owned(), "auth".to_owned())].get(Outcome::PassDeviation), 1);
        let total: usize = areas.values().map(Tally::total).sum();
        assert_eq!(total, record.scenarios.len());
        assert_eq!(run_counts(&record).total(), record.scenarios.len());
        for outcome in Outcome::ALL {
            assert_eq!(run_counts(&record).get(outcome), record.count(outcome), "{outcome:?}");
        }
    }

    #[test]
    fn passed_percent_leaves_out_what_did_not_run() {
        let mut tally = Tally::default();
        assert_eq!(tally.passed_percent(), None);
        tally.add(Outcome::Skipped);
        tally.add(Outcome::Impossible);
        assert_eq!(tally.passed_percent(), None);
        for outcome in [Outcome::Pass, Outcome::PassLenient, Outcome::PassDeviation, Outcome::UnexpectedPass]
        {
            tally.add(outcome);
        }
        tally.add(Outcome::Fail);
        tally.add(Outcome::ExpectedFailure);
        // 4 passed (of every grade) of 6 executed.
        assert_eq!(tally.passed_percent(), Some(66.7));
        assert_eq!(tally.executed(), 6);
        assert_eq!(tally.total(), 8);
    }

    #[test]
    fn area_cells_count_what_ran_apart_from_what_did_not() {
        let mut tally = Tally::default();
        (0..7).for_each(|_| tally.add(Outcome::Pass));
        tally.add(Outcome::Fail);
        tally.add(Outcome::Impossible);
        tally.add(Outcome::Skipped);
        assert_eq!(ran_cell(&tally), "8 of 10 ran (1 skipped, 1 impossible)");
        assert_eq!(passed_cell(&tally), "87.5 % (7 of 8)");
        // Every scenario that ran passed: 100 % of what ran, with what did not beside it.
        let mut area = Tally::default();
        (0..8).for_each(|_| area.add(Outcome::Pass));
        (0..2).for_each(|_| area.add(Outcome::Impossible));
        assert_eq!(
            format!("{}; {}", passed_cell(&area), ran_cell(&area)),
            "100.0 % (8 of 8); 8 of 10 ran (2 impossible)"
        );
        let mut none = Tally::default();
        none.add(Outcome::Impossible);
        assert_eq!(format!("{}; {}", passed_cell(&none), ran_cell(&none)), "—; 0 of 1 ran (1 impossible)");
    }

    #[test]
    fn groups_do_not_depend_on_record_order() {
        let record = sample::record();
        let mut reversed = record.clone();
        reversed.scenarios.reverse();
        let ids = |r: &RunRecord| -> Vec<String> {
            scenarios_by_area(r).values().flatten().map(|s| s.id.clone()).collect()
        };
        assert_eq!(ids(&record), ids(&reversed));
    }

    #[test]
    fn xml_escaping_covers_markup_quotes_and_controls() {
        assert_eq!(escape_xml("a<b>&\"c'", false), "a&lt;b&gt;&amp;&quot;c&#39;");
        assert_eq!(escape_xml("red\u{1b}[31m", false), "red\\u{001b}[31m");
        assert_eq!(escape_xml("a\nb\tc", false), "a\nb\tc");
        assert_eq!(escape_xml("a\nb\tc", true), "a&#10;b&#9;c");
        assert_eq!(escape_xml("\u{ffff}é", false), "\\u{ffff}é");
    }

    #[test]
    fn messages_and_formats() {
        let record = sample::record();
        let by_id = |id: &str| record.scenarios.iter().find(|s| s.id == id).expect("sample id");
        assert_eq!(
            scenario_message(by_id(sample::UNEXPECTED_PASS)).as_deref(),
            Some("listed as a known failure (rooms share one uid space on this server) but passed")
        );
        assert_eq!(scenario_message(by_id(sample::PASS)), None);
        assert!(scenario_message(by_id(sample::SKIPPED)).is_some_and(|m| m.contains("e-mailed")));
        assert_eq!(
            scenario_message(by_id(sample::LENIENT)).as_deref(),
            Some(
                "reading C5 did not hold: the refusal is the API's error body; expected HTTP 422 {\"message\": <non-empty>, \"errors\": {\"status\": [..]}}; actual HTTP 400 text/plain \"status <gone> & more\" (specs/src/connectnow/NOTES.md)"
            )
        );
        assert!(
            scenario_message(by_id(sample::DEVIATION))
                .is_some_and(|m| m.starts_with("declared deviation token_login_needs_organization (S8)"))
        );
        assert_eq!(format_duration(850), "850 ms");
        assert_eq!(format_duration(3_429), "3.42 s");
        assert_eq!(format_duration(125_000), "2 min 05 s");
        assert_eq!(format_started("2026-05-04T11:30:12+02:00"), "2026-05-04 09:30:12 UTC");
        assert_eq!(format_started("yesterday"), "yesterday");
        assert_eq!(format_percent(Some(100.0)), "100.0 %");
        assert_eq!(format_percent(None), "—");
    }

    #[test]
    fn a_blocked_cause_names_the_status_and_reply_the_set_up_call_got() {
        let record = sample::record();
        let blocked = record.scenarios.iter().find(|s| s.id == sample::BLOCKED).expect("sample id");
        let cause = "POST /api/chats succeeds with HTTP 201; got HTTP 200 {\"id\": 7}";
        assert_eq!(blocked_cause(blocked), cause);
        assert_eq!(
            scenario_message(blocked).as_deref(),
            Some(format!("blocked by rule {}: {cause}", sample::RULE_BLOCKING).as_str())
        );
        assert!(crate::console::console_details(&record).contains(cause));
        assert!(markdown::render(&record).contains(&markdown::text(cause)));
        // Without a recorded `actual`, the wire log's last reply says what came back.
        let mut bare = blocked.clone();
        bare.failure.as_mut().expect("a failure").actual = None;
        assert!(
            blocked_cause(&bare).ends_with("; got HTTP 200 {\"company_id\":3,\"id\":7,\"name\":\"lobby\"}")
        );
    }

    #[test]
    fn write_all_writes_five_files() {
        let dir = std::env::temp_dir().join(format!("chatspec-report-{}", std::process::id()));
        let written = write_all(&sample::record(), &dir.join("nested")).expect("write reports");
        let names: Vec<_> = written.iter().filter_map(|p| p.file_name()?.to_str()).collect();
        assert_eq!(names, ["junit.xml", "cucumber.json", "conformance.json", "summary.md", "report.html"]);
        assert!(written.iter().all(|p| p.metadata().is_ok_and(|m| m.len() > 0)));
        std::fs::remove_dir_all(&dir).expect("clean up");
    }
}
