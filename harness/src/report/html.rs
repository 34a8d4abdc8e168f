//! Writes `report.html`: one self-contained page with the run, per-area bars, every
//! scenario with its failure explained, and every wire log.
//!
//! The page has no external assets and reads fully without script: filtering is CSS
//! (`:has`), the wire logs are `<details>`. A few lines of script only open a wire log that a
//! link points at.

use std::fmt::Write as _;

use crate::outcome::{Outcome, RunRecord, ScenarioRecord, StepStatus, WireEntry};
use crate::verdict::NoteKind;

use super::{
    Tally, area_counts, count_cell, escape_xml, format_duration, format_started, known_failure_note,
    outcome_label, outcome_symbol, passed_cell, ran_cell, register_path, run_counts, scenario_message,
    scenarios_by_area,
};

const STYLE: &str = include_str!("html.css");

/// Opens the `<details>` a fragment link points at; without it the reader clicks the summary.
const SCRIPT: &str = "function openTarget(){try{var e=document.getElementById(decodeURIComponent(location.hash.slice(1)));\
if(e&&e.tagName==='DETAILS'){e.open=true;}}catch(_){}}\
addEventListener('hashchange',openTarget);openTarget();";

/// Renders the HTML report of `record`.
pub fn render(record: &RunRecord) -> String {
    render_with(record, false)
}

/// Renders the page with every wire log open or closed; open suits printing.
pub fn render_with(record: &RunRecord, wire_logs_open: bool) -> String {
    // Secrets are shown redacted (`report/redact.rs`); the run used the real values.
    let record = &super::redact::record(record);
    let info = &record.info;
    let status = if record.failed() { "failed" } else { "passed" };
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>chatspec · {} · {status}</title>", esc(&info.target));
    let _ = writeln!(out, "<style>\n{STYLE}</style>\n</head>\n<body>\n<div class=\"page\">");
    run_header(&mut out, record);
    summary(&mut out, record);
    super::rules::html(&mut out, record);
    filters(&mut out, record);
    // What fails the run comes first, in full; the area lists below link to it.
    let failing: Vec<&ScenarioRecord> =
        scenarios_by_area(record).into_values().flatten().filter(|s| s.fails_run()).collect();
    if !failing.is_empty() {
        let _ = writeln!(
            out,
            "<section class=\"failing\" id=\"failing\">\n<h2>What fails the run ({})</h2>",
            failing.len()
        );
        for s in &failing {
            scenario(&mut out, s, wire_logs_open);
        }
        out.push_str("</section>\n");
    }
    unchecked_known_failures(&mut out, record);
    let mut current_api = None;
    for ((api, area), scenarios) in scenarios_by_area(record) {
        if current_api.as_deref() != Some(api.as_str()) {
            if current_api.is_some() {
                out.push_str("</section>\n");
            }
            let _ =
                writeln!(out, "<section class=\"api\" id=\"api-{}\">\n<h2>{}</h2>", anchor(&api), esc(&api));
            current_api = Some(api.clone());
        }
        let mut tally = Tally::default();
        scenarios.iter().for_each(|s| tally.add_scenario(s));
        let _ = writeln!(
            out,
            "<section class=\"area\" id=\"area-{}\">\n<h3>{} / {} <span class=\"pct\">{} passed · {}</span></h3>",
            anchor(&format!("{api}/{area}")),
            esc(&api),
            esc(&area),
            esc(&passed_cell(&tally)),
            esc(&ran_cell(&tally)),
        );
        for s in scenarios {
            if s.fails_run() {
                mention(&mut out, s);
            } else {
                scenario(&mut out, s, wire_logs_open);
            }
        }
        out.push_str("</section>\n");
    }
    if current_api.is_some() {
        out.push_str("</section>\n");
    }
    let _ = writeln!(
        out,
        "<footer>chatspec {} · suite {} · {}</footer>\n</div>\n<script>{SCRIPT}</script>\n</body>\n</html>",
        esc(&info.chatspec_version),
        esc(&info.suite_revision),
        esc(&format_started(&info.started_at)),
    );
    out
}

/// The known failures whose scenarios did not run, so were not checked: each links to its card.
fn unchecked_known_failures(out: &mut String, record: &RunRecord) {
    let unchecked = super::unchecked_known_failures(record);
    if unchecked.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<section class=\"card unchecked\" id=\"unchecked-known-failures\">\n<h2>Known failures not checked ({})</h2>\n<p class=\"note\">{}</p>\n<ul>",
        unchecked.len(),
        esc(super::UNCHECKED_KNOWN_FAILURES)
    );
    for s in unchecked {
        let _ = writeln!(
            out,
            "<li><a href=\"#scenario-{}\"><code class=\"id\">{}</code></a>: {}</li>",
            anchor(&s.id),
            esc(&s.id),
            esc(&super::unchecked_known_failure_line(s))
        );
    }
    out.push_str("</ul>\n</section>\n");
}

/// The `id` of a scenario's wire log, for links from this page and from elsewhere.
pub fn wire_anchor(scenario_id: &str) -> String {
    format!("wire-{}", anchor(scenario_id))
}

/// A fragment-safe form of an id that keeps it readable and distinct from every other id:
/// letters, digits, `-` and `_` stay, `/` becomes `.`, anything else becomes `~` and its
/// UTF-8 bytes in hex.
pub(crate) fn anchor(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' => out.push(c),
            '/' => out.push('.'),
            _ => {
                let mut bytes = [0; 4];
                for b in c.encode_utf8(&mut bytes).bytes() {
                    let _ = write!(out, "~{b:02x}");
                }
            }
        }
    }
    out
}

fn run_header(out: &mut String, record: &RunRecord) {
    let info = &record.info;
    let (class, mark) = [("passed", "✓"), ("failed", "✗")][usize::from(record.failed())];
    // The console's headline: its verdict and its figures.
    let headline = super::headline::Headline::of(record);
    let word = format!("{mark} {}", headline.verdict.title());
    let why = headline.figures.as_str();
    let _ = writeln!(
        out,
        "<header class=\"card\">\n<div class=\"run-head\">\n<div><h1>chatspec conformance report</h1>\
         <p class=\"subtitle\">{} against <strong>{}</strong></p></div>\n\
         <div class=\"verdict {class}\" role=\"status\"><strong>{word}</strong>{}</div>\n</div>",
        esc(&info.apis.join(", ")),
        esc(&info.target),
        esc(why),
    );
    let version = info.target_version.as_deref().unwrap_or("not reported");
    let mut facts = vec![
        ("Target", info.target.clone()),
        ("Target version", version.to_owned()),
        ("chatspec version", info.chatspec_version.clone()),
        ("Suite revision", info.suite_revision.clone()),
        ("Started", format_started(&info.started_at)),
        ("Duration", format_duration(info.duration_ms)),
    ];
    facts.extend(info.tags.iter().map(|tags| ("Tags", tags.clone())));
    out.push_str("<dl class=\"facts\">");
    for (name, value) in facts {
        let _ = write!(out, "<div><dt>{name}</dt><dd>{}</dd></div>", esc(&value));
    }
    out.push_str("</dl>\n</header>\n");
}

fn summary(out: &mut String, record: &RunRecord) {
    let total = run_counts(record);
    out.push_str("<section class=\"card\" id=\"summary\">\n<h2>Summary</h2>\n<div class=\"totals\">");
    for outcome in Outcome::ALL {
        let zero = if total.get(outcome) == 0 { " zero" } else { "" };
        // The failures say how many are impossible scenarios `--impossible-fails` failed.
        let (n, apart) = split_count(&total, outcome);
        let _ = write!(
            out,
            "<span class=\"badge o-{}{zero}\">{} {n} {}{apart}</span>",
            outcome.as_str(),
            outcome_symbol(outcome),
            outcome_label(outcome)
        );
    }
    out.push_str("</div>\n<table class=\"areas\">\n<thead><tr><th>Area</th><th class=\"pct\">Passed</th><th>Outcomes</th><th class=\"counts\">Counts</th></tr></thead>\n<tbody>\n");
    for ((api, area), tally) in area_counts(record) {
        let name = format!("{api}/{area}");
        let label =
            format!("<a href=\"#area-{}\">{}&#8239;/&#8239;{}</a>", anchor(&name), esc(&api), esc(&area));
        area_row(out, &label, &tally, "");
    }
    area_row(out, "All scenarios", &total, " class=\"all\"");
    out.push_str(
        "</tbody>\n</table>\n<p class=\"note\">Passed: passes of every grade (strict, on a lenient reading, \
         with declared deviation) and unexpected passes over the scenarios that ran and the blocked ones; skipped \
         and impossible scenarios are left out. A blocked scenario did not run: a set-up step found a rule \
         broken that is not the scenario's own. A lenient pass held every check the document states but not a reading of the \
         API's register; a pass with declared deviation held once the harness adapted to a deviation the \
         target declares. Striped segments fail the run.</p>\n</section>\n",
    );
}

fn area_row(out: &mut String, label: &str, tally: &Tally, class: &str) {
    let total = tally.total().max(1) as f64;
    let mut bar = String::new();
    let mut counts = Vec::new();
    for outcome in Outcome::ALL {
        let n = tally.get(outcome);
        if n == 0 {
            continue;
        }
        let _ = write!(
            bar,
            "<span class=\"seg o-{}\" style=\"width:{:.3}%\" title=\"{n} {}\"></span>",
            outcome.as_str(),
            n as f64 * 100.0 / total,
            outcome_label(outcome),
        );
        let (n, apart) = split_count(tally, outcome);
        counts.push(format!("{} {n} {}{apart}", outcome_symbol(outcome), outcome_label(outcome)));
    }
    let _ = writeln!(
        out,
        "<tr{class}><td class=\"name\">{label}</td><td class=\"pct\">{}<span class=\"ran\">{}</span></td>\
         <td class=\"bar-cell\"><div class=\"bar\" role=\"img\" aria-label=\"{}\">{bar}</div></td><td class=\"counts\">{}</td></tr>",
        esc(&passed_cell(tally)),
        esc(&ran_cell(tally)),
        esc(&counts.join(", ")),
        esc(&counts.join(" · ")),
    );
}

/// A count as [`count_cell`] gives it, split into the number and what it says apart (` (118
/// of them impossible, failed by --impossible-fails)`), so the label goes between them.
fn split_count(tally: &Tally, outcome: Outcome) -> (String, String) {
    let cell = count_cell(tally, outcome);
    match cell.split_once(' ') {
        Some((n, apart)) => (n.to_owned(), format!(" {apart}")),
        None => (cell, String::new()),
    }
}

fn filters(out: &mut String, record: &RunRecord) {
    let total = run_counts(record);
    out.push_str(
        "<section class=\"card filters\" aria-label=\"Filter scenarios\"><span class=\"label\">Show</span>",
    );
    for outcome in Outcome::ALL {
        let n = outcome.as_str();
        let _ = write!(
            out,
            "<label><input type=\"checkbox\" id=\"show-{n}\" checked><span class=\"badge o-{n}\">{} {}</span> {}</label>",
            outcome_symbol(outcome),
            outcome_label(outcome),
            count_cell(&total, outcome),
        );
    }
    out.push_str("</section>\n");
}

/// A scenario shown in full in the failing section: one line here, linking to it.
fn mention(out: &mut String, s: &ScenarioRecord) {
    let o = s.outcome.as_str();
    let _ = writeln!(
        out,
        "<p class=\"scenario mention o-{o}\"><span class=\"badge o-{o}\">{} {}</span> <a href=\"#scenario-{}\">{}</a> <code class=\"id\">{}</code></p>",
        outcome_symbol(s.outcome),
        outcome_label(s.outcome),
        anchor(&s.id),
        esc(&s.name),
        esc(&s.id),
    );
}

fn scenario(out: &mut String, s: &ScenarioRecord, wire_open: bool) {
    let o = s.outcome.as_str();
    let _ = write!(
        out,
        "<article class=\"scenario o-{o}\" id=\"scenario-{}\">\n<div class=\"scenario-head\"><span class=\"badge o-{o}\">{} {}</span><h4>{}",
        anchor(&s.id),
        outcome_symbol(s.outcome),
        outcome_label(s.outcome),
        esc(&s.name),
    );
    if !s.tags.is_empty() {
        out.push_str("<span class=\"tags\">");
        for tag in &s.tags {
            let _ = write!(out, "<span class=\"tag\">{}</span>", esc(tag));
        }
        out.push_str("</span>");
    }
    let _ = writeln!(
        out,
        "</h4><span class=\"where\"><code class=\"id\" title=\"the id for known_failures and --scenario\">{}</code> · {}:{} · {}</span></div>",
        esc(&s.id),
        esc(&s.feature_file),
        s.line,
        format_duration(s.duration_ms),
    );
    explanation(out, s);
    steps(out, s);
    // A plain pass's exchange is in cucumber.json; only what needs reading carries its log,
    // so an all-pass page stays small.
    if s.outcome != Outcome::Pass {
        wire_log(out, s, wire_open);
    }
    out.push_str("</article>\n");
}

/// Why the scenario did not plainly pass: the failure split for people, the known-failure
/// entry, or what the target lacks.
fn explanation(out: &mut String, s: &ScenarioRecord) {
    if s.outcome == Outcome::Pass {
        return;
    }
    out.push_str("<div class=\"explain\">\n");
    if let Some(known) = &s.known_failure {
        let _ = match s.outcome {
            Outcome::UnexpectedPass => writeln!(
                out,
                "<p><span class=\"field\">Unexpected pass</span>every step passed, but the target lists this \
                 scenario as a known failure: {}</p>",
                known_link(known)
            ),
            _ if s.known_failure_unchecked() => writeln!(
                out,
                "<p><span class=\"field\">Known failure, not checked</span>the scenario did not run, so this entry was not checked: {}</p>",
                known_link(known)
            ),
            _ => writeln!(out, "<p><span class=\"field\">Known failure</span>{}</p>", known_link(known)),
        };
    }
    match (s.outcome, &s.failure) {
        (Outcome::Fail | Outcome::ExpectedFailure | Outcome::Blocked, Some(f)) => {
            if let Some(rule) = &s.blocked_by {
                let _ = writeln!(
                    out,
                    "<p><span class=\"field\">Not run: blocked by rule</span><a href=\"#rule-{}\"><code>{}</code></a>: a set-up step found this rule broken, so the scenario's own check could not be made</p>",
                    anchor(rule),
                    esc(rule)
                );
            }
            if !f.step.is_empty() {
                let line = s
                    .steps
                    .iter()
                    .find(|st| format!("{}{}", st.keyword, st.text) == f.step)
                    .map(|st| st.line);
                let at = line.map(|l| format!(" <span class=\"where\">line {l}</span>")).unwrap_or_default();
                let _ = writeln!(
                    out,
                    "<p><span class=\"field\">Failed step</span><code>{}</code>{at}</p>",
                    esc(&f.step)
                );
            }
            let _ = writeln!(out, "<pre class=\"message\">{}</pre>", esc(&f.cause(s.doc.as_deref())));
            if f.expected.is_some() || f.actual.is_some() {
                let side =
                    |v: &Option<String>| v.as_deref().map_or_else(|| "<em>not recorded</em>".to_owned(), esc);
                let _ = writeln!(
                    out,
                    "<div class=\"diff\"><div class=\"expected\"><span class=\"field\">Expected</span><pre>{}</pre></div>\
                     <div class=\"actual\"><span class=\"field\">Actual</span><pre>{}</pre></div></div>",
                    side(&f.expected),
                    side(&f.actual),
                );
            }
        }
        (Outcome::Fail | Outcome::ExpectedFailure | Outcome::Blocked, None) => {
            let _ = writeln!(
                out,
                "<pre class=\"message\">{}</pre>",
                esc(&scenario_message(s).unwrap_or_default())
            );
        }
        (Outcome::Impossible | Outcome::Skipped, _) => {
            let _ = writeln!(
                out,
                "<p><span class=\"field\">Not run</span>{}</p>",
                esc(&scenario_message(s).unwrap_or_default())
            );
        }
        _ => {}
    }
    notes(out, s);
    if let Some(doc) = &s.doc {
        // `seeds/unichat/uid.md: "A uid is..."`: the source apart from the quote, when it has one.
        let (source, quote) = match doc.split_once(": ") {
            Some((source, quote)) if !source.contains(' ') => {
                (format!("<cite>{}</cite>", esc(source)), quote)
            }
            _ => (String::new(), doc.as_str()),
        };
        let _ = writeln!(
            out,
            "<blockquote class=\"doc\"><span class=\"field\">Documentation{source}</span><q>{}</q></blockquote>",
            esc(quote)
        );
    }
    // One that became impossible part way talked to the target: its log says what it sent.
    if !matches!(s.outcome, Outcome::Skipped | Outcome::Impossible) || s.impossible_after_steps > 0 {
        let link = if s.wire_log.is_empty() {
            "No wire log was recorded.".to_owned()
        } else {
            format!(
                "<a href=\"#{}\">See the wire log ({}) ↓</a>",
                wire_anchor(&s.id),
                plural(s.wire_log.len(), "entry")
            )
        };
        let _ = writeln!(out, "<p class=\"links\">{link}</p>");
    }
    out.push_str("</div>\n");
}

/// The readings that did not hold and the deviations the harness adapted to, each with its
/// register entry, what the reading (or the document) expects and what came back.
fn notes(out: &mut String, s: &ScenarioRecord) {
    for n in &s.notes {
        let (class, field, sides) = match n.kind {
            NoteKind::Lenient => ("lenient", "Lenient reading".to_owned(), ("The reading expects", "Actual")),
            NoteKind::Deviation => (
                "deviation",
                format!("Declared deviation <code>{}</code>", esc(n.deviation.as_deref().unwrap_or("?"))),
                ("The document expects", "Accepted"),
            ),
        };
        let _ = writeln!(
            out,
            "<div class=\"grade g-{class}\"><p><span class=\"field\">{field}</span>register entry <strong>{}</strong> of \
             <code>{}</code>: {}</p>\n<div class=\"diff\"><div class=\"expected\"><span class=\"field\">{}</span><pre>{}</pre></div>\
             <div class=\"actual\"><span class=\"field\">{}</span><pre>{}</pre></div></div></div>",
            esc(&n.entry),
            esc(&register_path(s)),
            esc(&n.check),
            sides.0,
            esc(&n.expected),
            sides.1,
            esc(&n.actual),
        );
    }
}

/// `reason — link`; only http(s) links are made clickable.
fn known_link(known: &crate::outcome::KnownFailure) -> String {
    match &known.link {
        Some(link) if link.starts_with("https://") || link.starts_with("http://") => {
            format!("{} — <a href=\"{}\">{}</a>", esc(&known.reason), escape_xml(link, true), esc(link))
        }
        _ => esc(&known_failure_note(known)),
    }
}

fn steps(out: &mut String, s: &ScenarioRecord) {
    if s.steps.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<details class=\"steps-box\"><summary>Steps ({})</summary>\n<ol class=\"steps\">",
        s.steps.len()
    );
    for step in &s.steps {
        let (class, word) = match step.status {
            StepStatus::Passed => ("passed", "✓ passed"),
            StepStatus::Failed => ("failed", "✗ failed"),
            StepStatus::Skipped => ("skipped", "↷ skipped"),
        };
        // The scenario's failure is shown whole above the steps: its step gives the first line.
        let error = step
            .error
            .as_deref()
            .map(|e| match &s.failure {
                Some(f) if f.message == e => e.lines().next().unwrap_or_default(),
                _ => e,
            })
            .map(|e| format!("<span class=\"err\">{}</span>", esc(e)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<li><span class=\"st st-{class}\">{word}</span><span><span class=\"kw\">{}</span>{} \
             <span class=\"ln\">line {}</span> <span class=\"dur\">{}</span>{error}</span></li>",
            esc(step.keyword.trim_end()),
            esc(&format!(" {}", step.text)),
            step.line,
            format_duration(step.duration_ms),
        );
    }
    out.push_str("</ol>\n</details>\n");
}

fn wire_log(out: &mut String, s: &ScenarioRecord, open: bool) {
    if s.wire_log.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<details class=\"wire\" id=\"{}\"{}><summary>Wire log ({})</summary>\n<ol class=\"wire-log\">",
        wire_anchor(&s.id),
        if open { " open" } else { "" },
        plural(s.wire_log.len(), "entry"),
    );
    for entry in &s.wire_log {
        wire_entry(out, entry);
    }
    out.push_str("</ol>\n</details>\n");
}

fn wire_entry(out: &mut String, entry: &WireEntry) {
    // Kinds outside the four known ones still render, just without their colour.
    let kind_class: String = entry.kind.chars().filter(char::is_ascii_alphanumeric).collect();
    let _ = write!(
        out,
        "<li class=\"k-{kind_class}\"><div class=\"wire-row\"><span class=\"at\">{} ms</span><span class=\"kind\">{}</span>\
         <span class=\"actor\">{}</span><code class=\"sum\">{}</code></div>",
        entry.at_ms,
        esc(&entry.kind),
        esc(entry.actor.as_deref().unwrap_or("—")),
        esc(&entry.summary),
    );
    if let Some(body) = &entry.body {
        let pretty = serde_json::to_string_pretty(body).unwrap_or_else(|_| body.to_string());
        let _ = write!(out, "<pre>{}</pre>", esc(&pretty));
    }
    out.push_str("</li>\n");
}

fn plural(n: usize, word: &str) -> String {
    match (n, word) {
        (1, _) => format!("1 {word}"),
        (_, "entry") => format!("{n} entries"),
        _ => format!("{n} {word}s"),
    }
}

fn esc(text: &str) -> String {
    escape_xml(text, false)
}

#[cfg(test)]
#[path = "html_tests.rs"]
mod tests;
