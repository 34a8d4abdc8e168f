//! Writes `summary.md`: a Markdown summary sized for a CI step summary (GitHub Actions).

use crate::outcome::{KnownFailure, Outcome, RunRecord, ScenarioRecord};

use super::{
    Tally, area_counts, count_cell, format_duration, format_started, note_line, outcome_label,
    outcome_symbol, passed_cell, ran_cell, run_counts, scenario_message, scenarios_by_area,
};

/// Longest expected, actual or message block shown; CI summaries have a size limit.
const BLOCK_LIMIT: usize = 4_000;

/// Renders the Markdown summary of `record`.
pub fn render(record: &RunRecord) -> String {
    // Secrets are shown redacted (`report/redact.rs`); the run used the real values.
    let record = &super::redact::record(record);
    let info = &record.info;
    let mark = if record.failed() { "❌" } else { "✅" };
    // The console's headline: its verdict in the title, its figures below.
    let headline = super::headline::Headline::of(record);
    let mut out = format!(
        "## {mark} chatspec: {} {}\n\n{}\n\n",
        text(&info.target),
        headline.verdict.word(),
        text(&headline.figures)
    );

    let mut facts = vec![format!("Target **{}**", text(&info.target))];
    if let Some(version) = &info.target_version {
        facts.push(format!("version {}", code(version)));
    }
    facts.push(format!("chatspec {}", code(&info.chatspec_version)));
    facts.push(format!("suite {}", code(&info.suite_revision)));
    facts.push(format!("started {}", text(&format_started(&info.started_at))));
    facts.push(format!("took {}", format_duration(info.duration_ms)));
    if let Some(tags) = &info.tags {
        facts.push(format!("tags {}", code(tags)));
    }
    out.push_str(&facts.join(" · "));
    out.push_str("\n\n");

    areas_table(&mut out, record);
    super::rules::markdown(&mut out, record);

    let groups = scenarios_by_area(record);
    let with = |outcome: Outcome| -> Vec<&ScenarioRecord> {
        groups.values().flatten().copied().filter(|s| s.outcome == outcome).collect()
    };
    let failures = with(Outcome::Fail);
    if !failures.is_empty() {
        out.push_str(&heading(Outcome::Fail, "Failures", failures.len()));
        for s in failures {
            failure(&mut out, s);
        }
    }
    for (outcome, title) in [
        (Outcome::UnexpectedPass, "Unexpected passes"),
        (Outcome::ExpectedFailure, "Expected failures"),
        (Outcome::PassLenient, "Passed on a lenient reading"),
        (Outcome::PassDeviation, "Passed with declared deviation"),
        (Outcome::Blocked, "Blocked by a broken rule (not run)"),
        (Outcome::Impossible, "Impossible against this target"),
        (Outcome::Skipped, "Skipped"),
    ] {
        let listed = with(outcome);
        if listed.is_empty() {
            continue;
        }
        out.push_str(&heading(outcome, title, listed.len()));
        for s in listed {
            let why = match (outcome, &s.known_failure) {
                (Outcome::ExpectedFailure, Some(known)) => format!(" {}", known_note(known)),
                (Outcome::UnexpectedPass, Some(known)) => {
                    format!(" listed as a known failure ({}) but passed", known_note(known))
                }
                (Outcome::PassLenient | Outcome::PassDeviation, _) => {
                    // One sub-item per register entry, so each reads on its own.
                    s.notes.iter().map(|n| format!("\n  - {}", text(&note_line(s, n)))).collect()
                }
                _ => format!(" {}", text(&scenario_message(s).unwrap_or_default())),
            };
            out.push_str(&format!("- **{}: {}** {}:{why}\n", text(&area_of(s)), text(&s.name), code(&s.id)));
        }
        out.push('\n');
    }
    let unchecked = super::unchecked_known_failures(record);
    if !unchecked.is_empty() {
        out.push_str(&format!(
            "### {} Known failures not checked ({})\n\n{}\n\n",
            outcome_symbol(Outcome::ExpectedFailure),
            unchecked.len(),
            text(super::UNCHECKED_KNOWN_FAILURES)
        ));
        for s in unchecked {
            out.push_str(&format!("- {}: {}\n", code(&s.id), text(&super::unchecked_known_failure_line(s))));
        }
        out.push('\n');
    }
    out
}

fn areas_table(out: &mut String, record: &RunRecord) {
    out.push_str("| API | Area | Scenarios |");
    for outcome in Outcome::ALL {
        out.push_str(&format!(" {} {} |", outcome_symbol(outcome), capitalised(outcome_label(outcome))));
    }
    out.push_str(" Passed | Ran |\n| --- | --- | ---: |");
    out.push_str(&" ---: |".repeat(Outcome::ALL.len()));
    out.push_str(" ---: | ---: |\n");
    for ((api, area), tally) in area_counts(record) {
        out.push_str(&row(&text(&api), &text(&area), &tally, |cell| cell));
    }
    out.push_str(&row("**All**", "", &run_counts(record), |cell| format!("**{cell}**")));
    out.push_str(
        "\nPassed: passes of every grade and unexpected passes over the scenarios that ran \
         and the blocked ones (skipped and impossible ones left out; a blocked scenario did not run, as a \
         set-up step found a rule broken that is not its own). A pass on a lenient reading held every check the \
         document states but not a reading of the API's register; a pass with declared deviation held \
         once the harness adapted to a deviation the target declares.\n\n",
    );
}

fn row(api: &str, area: &str, tally: &Tally, emphasis: impl Fn(String) -> String) -> String {
    let mut line = format!("| {api} | {area} | {} |", emphasis(tally.total().to_string()));
    for outcome in Outcome::ALL {
        line.push_str(&format!(" {} |", emphasis(count_cell(tally, outcome))));
    }
    line.push_str(&format!(" {} | {} |\n", emphasis(passed_cell(tally)), emphasis(ran_cell(tally))));
    line
}

fn heading(outcome: Outcome, title: &str, n: usize) -> String {
    format!("### {} {title} ({n})\n\n", outcome_symbol(outcome))
}

fn failure(out: &mut String, s: &ScenarioRecord) {
    out.push_str(&format!("#### {}: {}\n\n", text(&area_of(s)), text(&s.name)));
    out.push_str(&format!("{} · {}\n\n", code(&s.id), code(&format!("{}:{}", s.feature_file, s.line))));
    let message = scenario_message(s).unwrap_or_default();
    match &s.failure {
        Some(f) => {
            if !f.step.is_empty() {
                out.push_str(&format!("**Failed step:** {}\n\n", code(&f.step)));
            }
            out.push_str(&block(&f.cause(s.doc.as_deref())));
            if let Some(expected) = &f.expected {
                out.push_str(&format!("**Expected**\n\n{}", block(expected)));
            }
            if let Some(actual) = &f.actual {
                out.push_str(&format!("**Actual**\n\n{}", block(actual)));
            }
        }
        None => out.push_str(&block(&message)),
    }
    if let Some(doc) = &s.doc {
        out.push_str("> **Documentation**\n>\n");
        for line in doc.lines() {
            out.push_str(&format!("> {}\n", text(line)));
        }
        out.push('\n');
    }
}

/// `reason, <link>`: the link as an autolink, so escaping cannot break it.
fn known_note(known: &KnownFailure) -> String {
    let reason = text(&known.reason);
    match &known.link {
        Some(link) if is_plain_url(link) => format!("{reason}, <{link}>"),
        Some(link) => format!("{reason}, {}", code(link)),
        None => reason,
    }
}

fn is_plain_url(link: &str) -> bool {
    (link.starts_with("https://") || link.starts_with("http://"))
        && !link.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '`'))
}

fn area_of(s: &ScenarioRecord) -> String {
    format!("{}/{}", s.api, s.area)
}

fn capitalised(label: &str) -> String {
    let mut chars = label.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Inline text with Markdown and HTML specials backslash-escaped, on one line.
///
/// `|` is escaped too, so the same text is safe in a table cell.
pub(crate) fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in visible(value).chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// An inline code span on one line, fenced with more backticks than it holds; `|` escaped
/// because GitHub splits table rows before it reads code spans.
pub(crate) fn code(value: &str) -> String {
    let flat: String = visible(value).chars().map(|c| if c.is_whitespace() { ' ' } else { c }).collect();
    let fence = "`".repeat(longest_run(&flat, '`') + 1);
    let pad = if flat.starts_with('`') || flat.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{}{pad}{fence}", flat.replace('|', "\\|"))
}

/// A fenced code block, cut at [`BLOCK_LIMIT`].
fn block(value: &str) -> String {
    let mut body = visible(value);
    if body.chars().count() > BLOCK_LIMIT {
        body = body.chars().take(BLOCK_LIMIT).collect::<String>() + "\n… (cut; see report.html)";
    }
    let fence = "`".repeat(longest_run(&body, '`').max(2) + 1);
    format!("{fence}\n{}\n{fence}\n\n", body.trim_end_matches('\n'))
}

fn longest_run(value: &str, c: char) -> usize {
    value.split(|x| x != c).map(str::len).max().unwrap_or(0)
}

/// Control characters shown as `\u{..}`, so an ANSI colour code cannot garble the summary.
fn visible(value: &str) -> String {
    value
        .chars()
        .map(|c| match c {
            '\n' | '\t' => c.to_string(),
            c if c.is_control() => format!("\\u{{{:04x}}}", u32::from(c)),
            c => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn matches_the_golden_file() {
        // The sample's times and ids are fixed: nothing to normalise.
        crate::report::golden("summary.md", &render(&sample::record()));
    }

    #[test]
    fn verdict_and_run_facts_come_first() {
        let md = render(&sample::record());
        let mut lines = md.lines();
        assert_eq!(lines.next(), Some("## ❌ chatspec: acme-chat FAILED"));
        assert_eq!(lines.next(), Some(""));
        assert_eq!(
            lines.next(),
            Some(
                "10 of 13 scenarios ran (not run: 1 skipped, 1 impossible, 1 blocked by a broken rule); 4 passed strictly, 1 on a lenient reading, 1 with declared deviation, 2 failed, 1 expected failure, 1 unexpected pass"
            )
        );
        assert_eq!(lines.next(), Some(""));
        assert_eq!(
            lines.next(),
            Some(
                "Target **acme-chat** · version `4.2.0-rc.1` · chatspec `0.1.0` · suite `9f2c1e4b7a10` · started 2026-05-04 09:30:12 UTC · took 8.73 s · tags `not @slow`"
            )
        );
    }

    #[test]
    fn area_table_agrees_with_the_counts() {
        let md = render(&sample::record());
        assert!(md.contains("| API | Area | Scenarios | ✓ Pass | ≈ Pass on a lenient reading | ⚐ Pass with declared deviation | ✗ Fail | ↷ Skipped | ⚑ Expected failure | ! Unexpected pass | ⊘ Impossible | ⛔ Blocked by a broken rule | Passed | Ran |"));
        assert!(md.contains(
            "| unichat | messages | 3 | 2 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 66.7 % (2 of 3) | 3 of 3 ran |"
        ));
        assert!(md.contains("| connectnow | presence | 4 | 1 | 1 | 0 | 1 | 0 | 0 | 0 | 0 | 1 | 50.0 % (2 of 4) | 3 of 4 ran (1 blocked) |"));
        assert!(md.contains(
            "| sama | auth | 4 | 1 | 0 | 1 | 0 | 1 | 0 | 0 | 1 | 0 | 100.0 % (2 of 2) | 2 of 4 ran (1 skipped, 1 impossible) |"
        ));
        assert!(md.contains(
            "| **All** |  | **13** | **4** | **1** | **1** | **2** | **1** | **1** | **1** | **1** | **1** | **63.6 % (7 of 11)** | **10 of 13 ran (1 skipped, 1 impossible, 1 blocked)** |"
        ));
        let rows = md.lines().filter(|l| l.starts_with("| ")).count();
        assert_eq!(rows, 2 + 4 + 1, "header, rule, areas, total");
    }

    #[test]
    fn failures_show_step_expected_actual_and_doc() {
        let md = render(&sample::record());
        let start = md.find("#### unichat/messages: Posting twice").expect("failure listed");
        let failure = &md[start..];
        assert!(failure.contains("**Failed step:** `Then the room holds one message`"));
        assert!(failure.contains("**Expected**\n\n```\n1 message with uid \"u1\"\n```"));
        assert!(failure.contains("\"text\": \"<b>hi</b> & bye\""), "code blocks keep their text");
        assert!(failure.contains(
            "> **Documentation**\n>\n> seeds/unichat/messages.md: \"If a message with the same uid"
        ));
        assert!(failure.contains(
            "```\nThen the room holds one message: expected 1 message, found 2 (GET /api/messages)\n```"
        ));
        let outline = &md[md.find("Status \\<status\\> is broadcast").expect("outline listed")..];
        assert!(outline.contains("\\u{001b}[31monline"));
        assert!(!md.contains('\u{1b}'));
    }

    #[test]
    fn other_outcomes_are_listed_with_reasons() {
        let md = render(&sample::record());
        assert!(md.contains("### ! Unexpected passes (1)\n\n- **unichat/uid: Reusing a uid in another room is allowed** `unichat/uid/reusing-a-uid-in-another-room-is-allowed`: listed as a known failure (rooms share one uid space on this server) but passed"));
        assert!(md.contains(
            "### ⊘ Impossible against this target (1)\n\n- **sama/auth: An expired token is refused**"
        ));
        assert!(md.contains("uid length is not checked, <https://tracker.example/ACME-12?view=full&tab=1>"));
        assert!(md.contains("### ↷ Skipped (1)"));
        assert!(md.contains("### ≈ Passed on a lenient reading (1)\n\n- **connectnow/presence: An unknown status is refused** `connectnow/presence/an-unknown-status-is-refused`:\n  - reading C5 did not hold: the refusal is the API's error body; expected HTTP 422 {\"message\": \\<non-empty\\>"), "{md}");
        assert!(
            md.contains("text/plain \"status \\<gone\\> \\& more\" (specs/src/connectnow/NOTES.md)\n"),
            "{md}"
        );
        assert!(md.contains("### ⚐ Passed with declared deviation (1)\n\n- **sama/auth: A login by token opens the socket** `sama/auth/a-login-by-token-opens-the-socket`:\n  - declared deviation token\\_login\\_needs\\_organization (S8)"), "{md}");
    }

    #[test]
    fn escaping() {
        assert_eq!(text("a | b <i>x</i> & *y*"), "a \\| b \\<i\\>x\\</i\\> \\& \\*y\\*");
        assert_eq!(text("two\nlines"), "two lines");
        assert_eq!(code("a|b"), "`a\\|b`");
        assert_eq!(code("x `y` z"), "``x `y` z``");
        assert_eq!(code("`edge"), "`` `edge ``");
        assert!(block("has ```\nfence").starts_with("````\n"));
        let mut record = sample::record();
        for s in record.scenarios.iter_mut().filter(|s| s.id == sample::MARKUP) {
            s.outcome = Outcome::Impossible;
        }
        let md = render(&record);
        assert!(md.contains("Message text keeps \\<b\\>markup\\</b\\> \\& \"quotes\" \\| pipes"));
    }

    #[test]
    fn long_blocks_are_cut_and_output_is_deterministic() {
        let long = "x".repeat(BLOCK_LIMIT + 10);
        assert!(block(&long).contains("… (cut; see report.html)"));
        let record = sample::record();
        let mut shuffled = record.clone();
        shuffled.scenarios.reverse();
        assert_eq!(render(&record), render(&shuffled));
    }

    #[test]
    fn a_passing_run_says_so() {
        let mut record = sample::record();
        record.scenarios.retain(|s| s.outcome.passed());
        let md = render(&record);
        assert!(md.starts_with("## ✅ chatspec: acme-chat passed\n\n6 of 6 scenarios ran (not run: 0 skipped, 0 impossible, 0 blocked by a broken rule); 4 passed strictly, 1 on a lenient reading, 1 with declared deviation, 0 failed, "), "{md}");
        assert!(!md.contains("### ✗"));
        record.scenarios.retain(|s| s.outcome == Outcome::Pass);
        let md = render(&record);
        assert!(md.starts_with("## ✅ chatspec: acme-chat passed\n\n4 of 4 scenarios ran"), "{md}");
        assert!(!md.contains("### ✗") && !md.contains("Rules not met"));
        assert!(md.contains("### Rules: 1/1 rules met\n"), "{md}");
    }
}
