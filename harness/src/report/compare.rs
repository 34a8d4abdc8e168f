//! Writes the comparison of several `conformance.json` files: one column per run, an area
//! matrix of pass percentages, a scenario matrix of outcomes and a rule matrix of verdicts
//! (`report/rules.rs`), as Markdown or plain text.

use std::collections::{BTreeMap, BTreeSet};

use crate::outcome::Outcome;

use super::conformance::{ConformanceDoc, Counts, ScenarioLine};
use super::markdown::{code, text};
use super::rules::RuleVerdict;

/// Shown where a run has no such scenario or area.
const MISSING: &str = "—";

/// Shown where a run of one shard (`check --shard i/n`) has no such scenario or area because
/// it belongs to another shard of the split: not absent from the target, only not run here.
const OTHER_SHARD: &str = "not in this shard";

/// The shard a run was, when it was one.
fn shard_of(doc: &ConformanceDoc) -> Option<crate::shard::Shard> {
    doc.run.shard.as_deref().and_then(|s| s.parse().ok())
}

/// The cell of a scenario a run does not hold: [`OTHER_SHARD`] when the run is a shard the
/// scenario is not in, else [`MISSING`].
fn absent(doc: &ConformanceDoc, id: &str) -> &'static str {
    match shard_of(doc) {
        Some(shard) if !shard.holds(id) => OTHER_SHARD,
        _ => MISSING,
    }
}

/// The short label of an outcome in a matrix cell.
pub fn short_label(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "✓",
        Outcome::PassLenient => "✓ lenient",
        Outcome::PassDeviation => "✓ deviation",
        Outcome::Fail => "✗",
        Outcome::ExpectedFailure => "⚑ known",
        Outcome::UnexpectedPass => "! unexpected",
        Outcome::Skipped => "↷ skipped",
        Outcome::Impossible => "⊘ impossible",
        Outcome::Blocked => "⛔ blocked",
    }
}

/// The short label of a rule's verdict in a matrix cell.
pub fn rule_label(verdict: RuleVerdict) -> &'static str {
    match verdict {
        RuleVerdict::Met => "✓",
        RuleVerdict::MetLenient => "✓ lenient",
        RuleVerdict::MetDeviation => "✓ deviation",
        RuleVerdict::UnexpectedPass => "! unexpected",
        RuleVerdict::NotMet => "✗ not met",
        RuleVerdict::ExpectedFailure => "⚑ known",
        RuleVerdict::Blocked => "⛔ blocked",
        RuleVerdict::Impossible => "⊘ impossible",
        RuleVerdict::NotRun => "↷ not run",
    }
}

/// The matrices, as cell text, before either format lays them out.
struct Matrix {
    columns: Vec<String>,
    /// `(api/area, cells)`, ending with the whole run.
    areas: Vec<(String, Vec<String>)>,
    /// `(scenario id, whether the runs disagree, cells)`.
    scenarios: Vec<(String, bool, Vec<String>)>,
    /// `(rule id, whether the runs disagree, cells)`, in the order the runs list them; empty
    /// when no run lists rules (reports written before rules were reported).
    rules: Vec<(String, bool, Vec<String>)>,
}

/// The rule matrix: every rule any run lists, by API and in the order of the runs' reports
/// (the order of each API's index), one verdict per run.
fn rule_rows(docs: &[(String, ConformanceDoc)]) -> Vec<(String, bool, Vec<String>)> {
    let mut keys: Vec<(&str, &str)> = Vec::new();
    for (_, doc) in docs {
        for r in &doc.rules {
            if !keys.contains(&(r.api.as_str(), r.id.as_str())) {
                keys.push((r.api.as_str(), r.id.as_str()));
            }
        }
    }
    let api_pos = |api: &str| chatspec_specs::rules::APIS.iter().position(|a| *a == api);
    // Stable: within an API, the first run's order, then rules only later runs list.
    keys.sort_by_key(|(api, _)| api_pos(api));
    keys.into_iter()
        .map(|(api, id)| {
            let row: Vec<Option<RuleVerdict>> = docs
                .iter()
                .map(|(_, doc)| doc.rules.iter().find(|r| r.api == api && r.id == id).map(|r| r.verdict))
                .collect();
            // A shard lists only the rules its own scenarios check: the others are elsewhere.
            let gone = |doc: &ConformanceDoc| if shard_of(doc).is_some() { OTHER_SHARD } else { MISSING };
            let held: Vec<Option<RuleVerdict>> = row
                .iter()
                .zip(docs)
                .filter(|(v, (_, doc))| v.is_some() || gone(doc) == MISSING)
                .map(|(v, _)| *v)
                .collect();
            let differs = held.windows(2).any(|pair| pair[0] != pair[1]);
            let cells = row
                .iter()
                .zip(docs)
                .map(|(v, (_, doc))| v.map_or(gone(doc), rule_label).to_owned())
                .collect();
            (id.to_owned(), differs, cells)
        })
        .collect()
}

fn build(docs: &[(String, ConformanceDoc)]) -> Matrix {
    let mut area_keys = BTreeSet::new();
    let mut scenario_keys = BTreeSet::new();
    for (_, doc) in docs {
        for (api, summary) in &doc.apis {
            area_keys.extend(summary.areas.keys().map(|area| (api.as_str(), area.as_str())));
        }
        scenario_keys.extend(doc.scenarios.iter().map(|s| (s.api.as_str(), s.area.as_str(), s.id.as_str())));
    }
    let mut areas: Vec<(String, Vec<String>)> = area_keys
        .into_iter()
        .map(|(api, area)| {
            let cells = docs
                .iter()
                .map(|(_, doc)| {
                    let summary = doc.apis.get(api).and_then(|a| a.areas.get(area));
                    // A shard holds only part of an area: one it holds none of is elsewhere.
                    let gone = if shard_of(doc).is_some() { OTHER_SHARD } else { MISSING };
                    summary.map_or_else(|| gone.to_owned(), |s| share(&s.counts))
                })
                .collect();
            (format!("{api}/{area}"), cells)
        })
        .collect();
    areas.push(("all".to_owned(), docs.iter().map(|(_, doc)| share(&doc.totals.counts)).collect()));
    let outcomes: Vec<BTreeMap<&str, &'static str>> = docs
        .iter()
        .map(|(_, doc)| doc.scenarios.iter().map(|s| (s.id.as_str(), scenario_cell(s))).collect())
        .collect();
    let scenarios = scenario_keys
        .into_iter()
        .map(|(_, _, id)| {
            let row: Vec<Option<&str>> = outcomes.iter().map(|run| run.get(id).copied()).collect();
            // A scenario another shard holds says nothing about this run: only the runs that
            // hold it are compared.
            let held: Vec<&str> = row
                .iter()
                .zip(docs)
                .filter_map(|(o, (_, doc))| (*o).or_else(|| (absent(doc, id) == MISSING).then_some(MISSING)))
                .collect();
            let differs = held.windows(2).any(|pair| pair[0] != pair[1]);
            let cells = row
                .iter()
                .zip(docs)
                .map(|(o, (_, doc))| o.unwrap_or_else(|| absent(doc, id)).to_owned())
                .collect();
            (id.to_owned(), differs, cells)
        })
        .collect();
    Matrix { columns: column_labels(docs), areas, scenarios, rules: rule_rows(docs) }
}

/// `66.7 % (2 of 3); 3 of 4 ran (1 impossible)`: the pass figure and what ran, as every
/// report shows them ([`super::passed_cell`], [`super::ran_cell`]); the percentage a file
/// records is recomputed from its counts, as the reports of this version compute it.
fn share(counts: &Counts) -> String {
    let tally = counts.tally();
    format!("{}; {}", super::passed_cell(&tally), super::ran_cell(&tally))
}

/// The cell of an impossible scenario `--impossible-fails` failed: a failure that never ran.
const FORCED: &str = "✗ impossible, failed";

/// A scenario's cell: its outcome's [`short_label`], or [`FORCED`].
fn scenario_cell(line: &ScenarioLine) -> &'static str {
    if line.outcome == Outcome::Fail && line.impossible.is_some() {
        FORCED
    } else {
        short_label(line.outcome)
    }
}

/// One label per run: target and start time, or the caller's label (the file name) when a
/// target appears more than once; any label still shared gets a ` (n)` suffix.
fn column_labels(docs: &[(String, ConformanceDoc)]) -> Vec<String> {
    let mut per_target: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, doc) in docs {
        *per_target.entry(doc.run.target.as_str()).or_default() += 1;
    }
    let base: Vec<String> = docs
        .iter()
        .map(|(label, doc)| match per_target.get(doc.run.target.as_str()) {
            Some(1) => format!("{} {}", doc.run.target, short_start(&doc.run.started_at)),
            _ => label.clone(),
        })
        .collect();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    base.iter()
        .zip(docs)
        .map(|(label, (_, doc))| {
            let n = seen.entry(label.as_str()).or_default();
            *n += 1;
            let label = if *n == 1 { label.clone() } else { format!("{label} ({n})") };
            // A shard's column says so: its blank cells are the other shards' scenarios.
            match shard_of(doc) {
                Some(shard) => format!("{label} · shard {shard}"),
                None => label,
            }
        })
        .collect()
}

/// `2026-05-04 09:30` in UTC, or the text as given when it is not RFC 3339.
fn short_start(started_at: &str) -> String {
    use time::format_description::well_known::Rfc3339;
    let shown = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    time::OffsetDateTime::parse(started_at, &Rfc3339)
        .ok()
        .and_then(|t| t.to_offset(time::UtcOffset::UTC).format(shown).ok())
        .unwrap_or_else(|| started_at.to_owned())
}

/// The legend of the scenario matrix; the cell of [`FORCED`] scenarios only when `m` shows one.
fn legend(m: &Matrix) -> String {
    let mut marks: Vec<String> = Outcome::ALL
        .iter()
        .map(|o| {
            let (short, label) = (short_label(*o), super::outcome_label(*o));
            if short.ends_with(label) { short.to_owned() } else { format!("{short} = {label}") }
        })
        .collect();
    if m.scenarios.iter().any(|(_, _, cells)| cells.iter().any(|c| c == FORCED)) {
        marks.push(format!("{FORCED} = impossible, failed by --impossible-fails (it never ran)"));
    }
    let other_shard = |cells: &[String]| cells.iter().any(|c| c == OTHER_SHARD);
    if m.scenarios.iter().any(|(_, _, cells)| other_shard(cells))
        || m.areas.iter().any(|(_, c)| other_shard(c))
    {
        marks.push(format!(
            "{OTHER_SHARD} = the run was one shard (check --shard i/n) and another shard of its split holds the scenario"
        ));
    }
    format!("{}; {MISSING} = not in that run; ≠ = the runs disagree", marks.join(", "))
}

/// The legend of the rule matrix.
fn rule_legend() -> String {
    let marks: Vec<String> = RuleVerdict::ALL
        .iter()
        .map(|v| {
            let (short, label) = (rule_label(*v), v.label());
            if short.ends_with(label) { short.to_owned() } else { format!("{short} = {label}") }
        })
        .collect();
    format!("Rules: {}", marks.join(", "))
}

/// Renders the comparison as Markdown tables.
pub fn render_markdown(docs: &[(String, ConformanceDoc)]) -> String {
    if docs.is_empty() {
        return "No runs to compare.\n".to_owned();
    }
    let m = build(docs);
    let header: String = m.columns.iter().map(|c| format!(" {} |", text(c))).collect();
    let align = " :---: |".repeat(m.columns.len());
    let cells = |cells: &[String]| -> String { cells.iter().map(|c| format!(" {} |", text(c))).collect() };
    let mut out = format!(
        "## chatspec: {} runs compared\n\n### Areas\n\n| Area |{header}\n| --- |{align}\n",
        docs.len()
    );
    for (area, row) in &m.areas {
        let area = if area == "all" { "**All**".to_owned() } else { text(area) };
        out.push_str(&format!("| {area} |{}\n", cells(row)));
    }
    out.push_str(
        "\nPassed: passes and unexpected passes over the scenarios that ran and the blocked ones; what did not run stands beside it.\n\n",
    );
    out.push_str(&format!("### Scenarios\n\n| | Scenario |{header}\n| --- | --- |{align}\n"));
    for (id, differs, row) in &m.scenarios {
        let mark = if *differs { "≠" } else { "" };
        out.push_str(&format!("| {mark} | {} |{}\n", code(id), cells(row)));
    }
    if !m.rules.is_empty() {
        out.push_str(&format!("\n### Rules\n\n| | Rule |{header}\n| --- | --- |{align}\n"));
        for (id, differs, row) in &m.rules {
            let mark = if *differs { "≠" } else { "" };
            out.push_str(&format!("| {mark} | {} |{}\n", code(id), cells(row)));
        }
    }
    out.push_str(&format!("\n{}\n", text(&legend(&m))));
    if !m.rules.is_empty() {
        out.push_str(&format!("\n{}\n", text(&rule_legend())));
    }
    out
}

/// Renders the comparison as aligned plain text, for a terminal.
pub fn render_text(docs: &[(String, ConformanceDoc)]) -> String {
    if docs.is_empty() {
        return "No runs to compare.\n".to_owned();
    }
    let m = build(docs);
    let mut out = format!(
        "chatspec: {} runs compared\n\nAreas (passed %, passes of what ran and was blocked; what ran)\n",
        docs.len()
    );
    let areas: Vec<Vec<String>> =
        m.areas.iter().map(|(a, row)| [vec![a.clone()], row.clone()].concat()).collect();
    out.push_str(&table(&[vec!["area".to_owned()], m.columns.clone()].concat(), &areas));
    out.push_str("\nScenarios\n");
    let scenarios: Vec<Vec<String>> = m
        .scenarios
        .iter()
        .map(|(id, differs, row)| {
            [vec![format!("{} {id}", if *differs { "≠" } else { " " })], row.clone()].concat()
        })
        .collect();
    out.push_str(&table(&[vec!["  scenario".to_owned()], m.columns.clone()].concat(), &scenarios));
    if !m.rules.is_empty() {
        out.push_str("\nRules\n");
        let rules: Vec<Vec<String>> = m
            .rules
            .iter()
            .map(|(id, differs, row)| {
                [vec![format!("{} {id}", if *differs { "≠" } else { " " })], row.clone()].concat()
            })
            .collect();
        out.push_str(&table(&[vec!["  rule".to_owned()], m.columns.clone()].concat(), &rules));
    }
    out.push_str(&format!("\n{}\n", legend(&m)));
    if !m.rules.is_empty() {
        out.push_str(&format!("{}\n", rule_legend()));
    }
    out
}

/// Columns padded to their widest cell, separated by ` | `.
fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let width = |s: &str| s.chars().count();
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    let line = |cells: &[String]| -> String {
        let padded: Vec<String> =
            cells.iter().zip(&widths).map(|(c, w)| format!("{c}{}", " ".repeat(w - width(c)))).collect();
        format!("{}\n", padded.join(" | ").trim_end())
    };
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    let mut out = line(header);
    out.push_str(&format!("{}\n", rule.join("-+-")));
    for row in rows {
        out.push_str(&line(row));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{conformance, sample};

    fn runs() -> Vec<(String, ConformanceDoc)> {
        let first = sample::record();
        let mut second = first.clone();
        second.info.target = "embedded".to_owned();
        second.info.started_at = "2026-05-04T10:00:00Z".to_owned();
        second.scenarios.retain(|s| s.id != sample::SKIPPED);
        for s in &mut second.scenarios {
            if s.id == sample::FAIL {
                s.outcome = Outcome::Pass;
            }
        }
        vec![
            ("a/conformance.json".to_owned(), conformance::build(&first)),
            ("b/conformance.json".to_owned(), conformance::build(&second)),
        ]
    }

    #[test]
    fn columns_are_target_and_start_or_file_when_target_repeats() {
        let docs = runs();
        assert_eq!(column_labels(&docs), ["acme-chat 2026-05-04 09:30", "embedded 2026-05-04 10:00"]);
        let same = vec![docs[0].clone(), ("again.json".to_owned(), docs[0].1.clone()), docs[1].clone()];
        assert_eq!(column_labels(&same), ["a/conformance.json", "again.json", "embedded 2026-05-04 10:00"]);
        let clash = vec![docs[0].clone(), docs[0].clone()];
        assert_eq!(column_labels(&clash), ["a/conformance.json", "a/conformance.json (2)"]);
    }

    #[test]
    fn matrices_mark_missing_and_changed_rows() {
        let m = build(&runs());
        let row = |id: &str| m.scenarios.iter().find(|(i, _, _)| i == id).expect("row present");
        assert_eq!(row(sample::FAIL), &(sample::FAIL.to_owned(), true, vec!["✗".to_owned(), "✓".to_owned()]));
        assert_eq!(row(sample::SKIPPED).2, ["↷ skipped", MISSING]);
        assert!(row(sample::SKIPPED).1);
        assert!(!row(sample::PASS).1);
        assert_eq!(row(sample::EXPECTED_FAILURE).2, ["⚑ known", "⚑ known"]);
        assert_eq!(m.scenarios.len(), 13);
        assert_eq!(row(sample::LENIENT).2, ["✓ lenient", "✓ lenient"]);
        assert_eq!(m.areas.last().map(|(a, _)| a.as_str()), Some("all"));
        let messages = m.areas.iter().find(|(a, _)| a == "unichat/messages").expect("area row");
        assert_eq!(messages.1, ["66.7 % (2 of 3); 3 of 3 ran", "100.0 % (3 of 3); 3 of 3 ran"]);
        // A 100 % never hides what did not run.
        let auth = m.areas.iter().find(|(a, _)| a == "sama/auth").expect("area row");
        assert_eq!(auth.1[0], "100.0 % (2 of 2); 2 of 4 ran (1 skipped, 1 impossible)");
    }

    #[test]
    fn markdown_layout() {
        let md = render_markdown(&runs());
        assert!(md.starts_with("## chatspec: 2 runs compared\n\n### Areas\n\n| Area | acme-chat 2026-05-04 09:30 | embedded 2026-05-04 10:00 |\n| --- | :---: | :---: |\n"));
        assert!(
            md.contains("| **All** | 63.6 % (7 of 11); 10 of 13 ran (1 skipped, 1 impossible, 1 blocked) |"),
            "{md}"
        );
        assert!(
            md.contains("| ≠ | `unichat/messages/posting-twice-with-one-uid-keeps-one-message` | ✗ | ✓ |")
        );
        assert!(md.contains("| ≠ | `sama/auth/sign-up-sends-an-auth-code-by-e-mail` | ↷ skipped | — |"));
        assert!(md.contains(
            "|  | `unichat/uid/reusing-a-uid-in-another-room-is-allowed` | \\! unexpected | \\! unexpected |"
        ));
        assert_eq!(render_markdown(&[]), "No runs to compare.\n");
    }

    #[test]
    fn text_layout_is_aligned() {
        let text = render_text(&runs());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "chatspec: 2 runs compared");
        let header = lines.iter().position(|l| l.starts_with("area ")).expect("area header");
        let bar = |l: &str| l.chars().position(|c| c == '|' || c == '+');
        assert_eq!(bar(lines[header]), bar(lines[header + 1]));
        assert_eq!(bar(lines[header]), bar(lines[header + 2]));
        assert!(text.contains("≠ unichat/messages/posting-twice-with-one-uid-keeps-one-message"));
        assert!(text.contains("≠ = the runs disagree\nRules: "), "{text}");
        assert_eq!(text, render_text(&runs()));
    }

    #[test]
    fn rules_are_compared_run_by_run() {
        let m = build(&runs());
        let row = |id: &str| m.rules.iter().find(|(i, _, _)| i == id).expect("rule row present");
        // The second run passes the failed scenario: its rule is met there.
        assert_eq!(
            row(sample::RULE_FAILED),
            &(sample::RULE_FAILED.to_owned(), true, vec!["✗ not met".to_owned(), "✓".to_owned()])
        );
        assert_eq!(row(sample::RULE_BLOCKING).2, ["↷ not run", "↷ not run"]);
        assert!(!row(sample::RULE_BLOCKING).1);
        assert_eq!(row(sample::RULE_BLOCKED).2, ["⛔ blocked", "⛔ blocked"]);
        // A run written before rules were reported lists none: its cells are missing.
        let mut docs = runs();
        docs[1].1.rules.clear();
        let m = build(&docs);
        assert!(m.rules.iter().all(|(_, differs, cells)| *differs && cells[1] == MISSING));
    }

    #[test]
    fn each_area_shows_the_cells_every_writer_shows() {
        // One run with a blocked scenario, one without it and with an impossible scenario
        // `--impossible-fails` failed.
        let blocked = sample::record();
        let mut forced = sample::record();
        forced.info.target = "embedded".to_owned();
        forced.scenarios.retain(|s| s.id != sample::BLOCKED);
        crate::outcome::fail_impossible(&mut forced.scenarios);
        let records = [blocked, forced];
        let docs: Vec<(String, ConformanceDoc)> =
            records.iter().map(|r| ("conformance.json".to_owned(), conformance::build(r))).collect();
        let m = build(&docs);
        let cell = |t: &crate::report::Tally| {
            format!("{}; {}", super::super::passed_cell(t), super::super::ran_cell(t))
        };
        for (i, record) in records.iter().enumerate() {
            // The console's area table shows the same cells.
            let console = crate::console::console_summary(record);
            for ((api, area), tally) in crate::report::area_counts(record) {
                let row = m.areas.iter().find(|(a, _)| *a == format!("{api}/{area}")).expect("area row");
                assert_eq!(row.1[i], cell(&tally), "{api}/{area} of run {i}");
                assert!(console.contains(&super::super::ran_cell(&tally)), "{console}");
            }
            let all = m.areas.last().expect("the row of the whole run");
            assert_eq!(all.1[i], cell(&crate::report::run_counts(record)));
        }
        let all = &m.areas.last().expect("the row of the whole run").1;
        assert_eq!(all[0], "63.6 % (7 of 11); 10 of 13 ran (1 skipped, 1 impossible, 1 blocked)");
        assert_eq!(
            all[1],
            "63.6 % (7 of 11); 10 of 12 ran (1 skipped, 1 impossible, failed by --impossible-fails)"
        );
        let row = |id: &str| m.scenarios.iter().find(|(i, _, _)| i == id).expect("row present");
        assert_eq!(row(sample::IMPOSSIBLE).2, ["⊘ impossible", FORCED]);
        assert_eq!(row(sample::BLOCKED).2, ["⛔ blocked", MISSING]);
        let text = render_text(&docs);
        assert!(text.contains("✗ impossible, failed = impossible, failed by --impossible-fails"), "{text}");
        assert!(!render_text(&runs()).contains("--impossible-fails"));
    }

    #[test]
    fn a_shards_column_says_so_and_the_other_shards_scenarios_are_not_missing() {
        let whole = sample::record();
        let shard = crate::shard::Shard { index: 1, count: 2 };
        let mut half = whole.clone();
        half.info.target = "embedded".to_owned();
        half.scenarios.retain(|s| shard.holds(&s.id));
        half.info.shard = Some(shard.to_string());
        let elsewhere: Vec<String> =
            whole.scenarios.iter().filter(|s| !shard.holds(&s.id)).map(|s| s.id.clone()).collect();
        assert!(!elsewhere.is_empty() && elsewhere.len() < whole.scenarios.len());
        let docs = vec![
            ("a/conformance.json".to_owned(), conformance::build(&whole)),
            ("b/conformance.json".to_owned(), conformance::build(&half)),
        ];
        let m = build(&docs);
        assert_eq!(m.columns, ["acme-chat 2026-05-04 09:30", "embedded 2026-05-04 09:30 · shard 1/2"]);
        for (id, differs, cells) in &m.scenarios {
            if elsewhere.contains(id) {
                assert_eq!(cells[1], OTHER_SHARD, "{id}");
                assert!(!differs, "{id}: another shard's scenario is no difference");
            } else {
                assert_eq!(cells[0], cells[1], "{id}");
            }
        }
        // Every format shows the column's shard and the cells' meaning.
        let md = render_markdown(&docs);
        assert!(
            md.contains("| Area | acme-chat 2026-05-04 09:30 | embedded 2026-05-04 09:30 · shard 1/2 |"),
            "{md}"
        );
        assert!(md.contains(&format!("|  | {} | ", code(&elsewhere[0]))), "{md}");
        assert!(md.contains(&format!(" | {OTHER_SHARD} |")), "{md}");
        assert!(md.contains(&format!("{OTHER_SHARD} = the run was one shard")), "{md}");
        let text = render_text(&docs);
        assert!(text.contains("embedded 2026-05-04 09:30 · shard 1/2"), "{text}");
        assert!(text.contains(&format!("{OTHER_SHARD} = the run was one shard")), "{text}");
        // A run that is no shard and lacks a scenario still shows it missing.
        assert!(!render_markdown(&runs()).contains(OTHER_SHARD));
    }

    #[test]
    fn matches_the_golden_files() {
        crate::report::golden("compare.md", &render_markdown(&runs()));
        crate::report::golden("compare.txt", &render_text(&runs()));
    }
}
