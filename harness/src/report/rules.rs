//! Per-rule results: every rule of an API's index (`specs/src/<api>/rules/`) that the run's
//! scenarios check, with its verdict, for conformance.json, the Markdown summary, the HTML
//! report and the console.
//!
//! A rule is met when every one of its scenarios passed (in the grade they passed: a pass on a
//! lenient reading stays a reading), not met when one failed or when a set-up step found it
//! broken and blocked other scenarios, and otherwise follows the outcomes of its scenarios:
//! a known failure, blocked by another rule, impossible, not run.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::outcome::{Outcome, RunRecord, ScenarioRecord};

/// Where one rule stands after the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleVerdict {
    /// A scenario of the rule failed, or a set-up step found the rule broken.
    NotMet,
    /// A scenario of the rule failed and the target lists it as a known failure.
    ExpectedFailure,
    /// A scenario of the rule was blocked by another rule a set-up step found broken.
    Blocked,
    /// The target lacks a capability one of the rule's scenarios needs.
    Impossible,
    /// One of the rule's scenarios did not run (no step definition, or a filtered run).
    NotRun,
    /// Every scenario passed, one of them listed as a known failure.
    UnexpectedPass,
    /// Every scenario passed, one on a lenient reading.
    MetLenient,
    /// Every scenario passed, one with a declared deviation.
    MetDeviation,
    /// Every scenario passed strictly.
    Met,
}

impl RuleVerdict {
    /// Every verdict, in report order: what needs reading first.
    pub const ALL: [RuleVerdict; 9] = [
        RuleVerdict::NotMet,
        RuleVerdict::ExpectedFailure,
        RuleVerdict::Blocked,
        RuleVerdict::Impossible,
        RuleVerdict::NotRun,
        RuleVerdict::UnexpectedPass,
        RuleVerdict::MetLenient,
        RuleVerdict::MetDeviation,
        RuleVerdict::Met,
    ];

    /// Whether the rule held, in any grade.
    pub fn met(self) -> bool {
        matches!(
            self,
            RuleVerdict::Met
                | RuleVerdict::MetLenient
                | RuleVerdict::MetDeviation
                | RuleVerdict::UnexpectedPass
        )
    }

    /// The snake_case name conformance.json uses.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleVerdict::NotMet => "not_met",
            RuleVerdict::ExpectedFailure => "expected_failure",
            RuleVerdict::Blocked => "blocked",
            RuleVerdict::Impossible => "impossible",
            RuleVerdict::NotRun => "not_run",
            RuleVerdict::UnexpectedPass => "unexpected_pass",
            RuleVerdict::MetLenient => "met_lenient",
            RuleVerdict::MetDeviation => "met_deviation",
            RuleVerdict::Met => "met",
        }
    }

    /// The words the human-readable reports use.
    pub fn label(self) -> &'static str {
        match self {
            RuleVerdict::NotMet => "not met",
            RuleVerdict::ExpectedFailure => "not met (known failure)",
            RuleVerdict::Blocked => "not run: blocked by a broken rule",
            RuleVerdict::Impossible => "impossible",
            RuleVerdict::NotRun => "not run",
            RuleVerdict::UnexpectedPass => "met (unexpected pass)",
            RuleVerdict::MetLenient => "met on a lenient reading",
            RuleVerdict::MetDeviation => "met with declared deviation",
            RuleVerdict::Met => "met",
        }
    }
}

/// One rule's result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleResult {
    /// The rule's id in its API's index (`C-fact-created-201`).
    pub id: String,
    /// The API.
    pub api: String,
    /// The seed the quote is from (`002`), or `register`; empty for a rule the index lacks.
    pub seed: String,
    /// The area (rule file) the rule belongs to.
    pub area: String,
    /// The sentence, whitespace made single spaces.
    pub quote: String,
    /// The ids of the run's scenarios that check it, in feature-file order.
    pub scenarios: Vec<String>,
    /// Where it stands.
    pub verdict: RuleVerdict,
    /// The rules whose breakage blocked scenarios of this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocked_by: Vec<String>,
    /// How many scenarios (of other rules) a set-up step found this rule broken in.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub blocking: usize,
    /// The ids of those scenarios, in feature-file order: what the rule blocked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocked_scenarios: Vec<String>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The rules a scenario names: its `@rule:` tags, and the index entries that list it.
fn rules_named(s: &ScenarioRecord, index: Option<&chatspec_specs::rules::RuleIndex>) -> Vec<String> {
    let mut ids: Vec<String> = s
        .tags
        .iter()
        .filter_map(|t| t.trim_start_matches('@').strip_prefix(chatspec_specs::rules::TAG_PREFIX))
        .map(str::to_owned)
        .collect();
    if let Some(index) = index {
        ids.extend(index.rules_of(&s.id).into_iter().map(|r| r.id.clone()));
    }
    ids.sort();
    ids.dedup();
    ids
}

/// Every rule the run's scenarios check, or that blocked one: by API (in the order of
/// [`chatspec_specs::rules::APIS`]), then in the order of the API's index; rules the index
/// lacks last, by id.
pub fn results(record: &RunRecord) -> Vec<RuleResult> {
    let indexes: BTreeMap<String, chatspec_specs::rules::RuleIndex> = chatspec_specs::rules::APIS
        .iter()
        .filter_map(|api| Some(((*api).to_owned(), chatspec_specs::rules::index(api)?.ok()?)))
        .collect();
    let mut of_rule: BTreeMap<(String, String), Vec<&ScenarioRecord>> = BTreeMap::new();
    let mut blocking: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for s in super::scenarios_by_area(record).into_values().flatten() {
        for id in rules_named(s, indexes.get(&s.api)) {
            of_rule.entry((s.api.clone(), id)).or_default().push(s);
        }
        if let (Outcome::Blocked, Some(rule)) = (s.outcome, &s.blocked_by) {
            blocking.entry((s.api.clone(), rule.clone())).or_default().push(s.id.clone());
            of_rule.entry((s.api.clone(), rule.clone())).or_default();
        }
    }
    let mut out: Vec<(usize, usize, RuleResult)> = of_rule
        .into_iter()
        .map(|((api, id), scenarios)| {
            let api_pos = chatspec_specs::rules::APIS.iter().position(|a| *a == api).unwrap_or(usize::MAX);
            let index = indexes.get(&api);
            let at = index.and_then(|i| i.rules.iter().position(|r| r.id == id));
            let rule = index.zip(at).map(|(i, n)| &i.rules[n]);
            let blocked_scenarios = blocking.remove(&(api.clone(), id.clone())).unwrap_or_default();
            let blocks = blocked_scenarios.len();
            // A scenario stopped by another rule (blocked in set-up, or failed on that rule
            // later) never made this rule's check.
            let mut blocked_by: Vec<String> = scenarios
                .iter()
                .filter_map(|s| s.blocked_by.clone())
                .chain(scenarios.iter().flat_map(|s| failed_elsewhere(s, &id)))
                .filter(|b| *b != id)
                .collect();
            blocked_by.sort();
            blocked_by.dedup();
            // A rule whose own scenarios the run's filters left out was not run, even when a
            // set-up step of another scenario found it broken: that scenario is blocked, and
            // the rule's verdict waits for a run of its own scenarios.
            // (A rule an endpoint's declaration states has scenarios too: the index's tests
            // refuse one that no scenario is tagged with.)
            let left_out =
                scenarios.is_empty() && rule.is_some_and(|r| !r.scenarios.is_empty() || r.endpoint.is_some());
            let result = RuleResult {
                verdict: if left_out { RuleVerdict::NotRun } else { verdict(&id, &scenarios, blocks) },
                seed: rule.map(|r| r.seed.clone()).unwrap_or_default(),
                area: rule.map_or_else(
                    || scenarios.first().map(|s| s.area.clone()).unwrap_or_default(),
                    |r| r.area.clone(),
                ),
                quote: rule
                    .map(|r| chatspec_specs::rules::normalise_whitespace(&r.quote))
                    .unwrap_or_default(),
                scenarios: scenarios.iter().map(|s| s.id.clone()).collect(),
                api,
                id,
                blocked_by,
                blocking: blocks,
                blocked_scenarios,
            };
            (api_pos, at.unwrap_or(usize::MAX), result)
        })
        .collect();
    out.sort_by(|a, b| (a.0, a.1, &a.2.id).cmp(&(b.0, b.1, &b.2.id)));
    out.into_iter().map(|(_, _, r)| r).collect()
}

/// The rule a failed scenario failed on, when its failure names one alone (the `rules:`
/// line of a check on one rule, `Scenario::fail_on_rule`); `None` otherwise, and the failure
/// stands for every rule the scenario names.
fn failed_on(s: &ScenarioRecord) -> Option<Vec<String>> {
    let message = &s.failure.as_ref()?.message;
    let line = message.lines().rev().find_map(|l| l.strip_prefix("rules: "))?;
    let id = line.split(" (").next().unwrap_or_default();
    (!id.is_empty() && !id.contains(", ")).then(|| vec![id.to_owned()])
}

/// The rules a failed scenario of rule `id` failed on when `id` is not one of them: it
/// stopped before `id`'s check, which never ran.
fn failed_elsewhere(s: &ScenarioRecord, id: &str) -> Vec<String> {
    if !matches!(s.unforced_outcome(), Outcome::Fail | Outcome::ExpectedFailure) {
        return Vec::new();
    }
    match failed_on(s) {
        Some(ids) if !ids.iter().any(|i| i == id) => ids,
        _ => Vec::new(),
    }
}

/// The verdict of rule `id` from its scenarios' outcomes and the scenarios it blocked. A
/// scenario that failed on another rule (its failure names the rules it failed on) leaves
/// this rule blocked by that one, as a blocked scenario does: its check never ran. An
/// impossible scenario `--impossible-fails` failed counts as impossible: it never ran, and
/// the flag changes the run's exit code, never what the run found of a rule.
fn verdict(id: &str, scenarios: &[&ScenarioRecord], blocking: usize) -> RuleVerdict {
    let on_it = |s: &&&ScenarioRecord| failed_elsewhere(s, id).is_empty();
    let any = |o: Outcome| scenarios.iter().filter(on_it).any(|s| s.unforced_outcome() == o);
    let stopped_elsewhere = scenarios.iter().any(|s| !failed_elsewhere(s, id).is_empty());
    if any(Outcome::Fail) {
        RuleVerdict::NotMet
    } else if any(Outcome::ExpectedFailure) {
        RuleVerdict::ExpectedFailure
    } else if blocking > 0 {
        RuleVerdict::NotMet
    } else if any(Outcome::Blocked) || stopped_elsewhere {
        RuleVerdict::Blocked
    } else if any(Outcome::Impossible) {
        RuleVerdict::Impossible
    } else if any(Outcome::Skipped) || scenarios.is_empty() {
        RuleVerdict::NotRun
    } else if any(Outcome::UnexpectedPass) {
        RuleVerdict::UnexpectedPass
    } else if any(Outcome::PassLenient) {
        RuleVerdict::MetLenient
    } else if any(Outcome::PassDeviation) {
        RuleVerdict::MetDeviation
    } else {
        RuleVerdict::Met
    }
}

/// `(api, seed, area)` and its rules: one line of the per-seed, per-area summary.
pub type RuleGroup<'a> = ((String, String, String), Vec<&'a RuleResult>);

/// The rules grouped by `(api, seed, area)`, each group in index order.
pub fn groups(results: &[RuleResult]) -> Vec<RuleGroup<'_>> {
    let mut out: Vec<RuleGroup<'_>> = Vec::new();
    for r in results {
        let key = (r.api.clone(), r.seed.clone(), r.area.clone());
        match out.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(r),
            None => out.push((key, vec![r])),
        }
    }
    // By API, then seed (the register's facts after the seeds); areas keep the index's order.
    let api_pos = |api: &str| chatspec_specs::rules::APIS.iter().position(|a| *a == api);
    out.sort_by_key(|((api, seed, _), _)| {
        (api_pos(api), seed == chatspec_specs::rules::REGISTER, seed.clone())
    });
    out
}

/// `seed 002`, `the register`, or `no seed` for a rule the index lacks.
pub fn source(seed: &str) -> String {
    match seed {
        "" => "no seed".to_owned(),
        chatspec_specs::rules::REGISTER => "the register".to_owned(),
        s => format!("seed {s}"),
    }
}

/// `4/4 rules met` or `3/4 rules met (1 not met); 1 not run, not counted`: a group's count
/// for people. Rules that did not run (their scenarios left out by the run's filters, or
/// skipped) are named apart and left out of the count: a filtered run says nothing of them.
pub fn count_line(rules: &[&RuleResult]) -> String {
    let (not_run, counted): (Vec<&RuleResult>, Vec<&RuleResult>) =
        rules.iter().partition(|r| r.verdict == RuleVerdict::NotRun);
    let met = counted.iter().filter(|r| r.verdict.met()).count();
    let mut by: BTreeMap<RuleVerdict, usize> = BTreeMap::new();
    for r in counted.iter().filter(|r| r.verdict != RuleVerdict::Met) {
        *by.entry(r.verdict).or_default() += 1;
    }
    let rest: Vec<String> = by.iter().map(|(v, n)| format!("{n} {}", v.label())).collect();
    let mut line = format!("{met}/{} rules met", counted.len());
    if !rest.is_empty() {
        let _ = write!(line, " ({})", rest.join(", "));
    }
    if !not_run.is_empty() {
        let _ = write!(line, "; {} not run, not counted", not_run.len());
    }
    line
}

/// The console's one line on rules: `rules: 130/140 met (...)`, or nothing when no scenario
/// names a rule.
pub fn console_line(record: &RunRecord) -> String {
    let results = results(record);
    if results.is_empty() {
        return String::new();
    }
    let all: Vec<&RuleResult> = results.iter().collect();
    format!("rules: {}\n", count_line(&all).replacen(" rules met", " met", 1))
}

/// The Markdown section: one line per seed and area, then the rules not met with their quote.
pub fn markdown(out: &mut String, record: &RunRecord) {
    use super::markdown::{code, text};
    let results = results(record);
    if results.is_empty() {
        return;
    }
    let all: Vec<&RuleResult> = results.iter().collect();
    let _ = writeln!(out, "### Rules: {}\n", count_line(&all));
    for ((api, seed, area), rules) in groups(&results) {
        let _ = writeln!(
            out,
            "- {}, {}/{}: {}",
            text(&source(&seed)),
            text(&api),
            text(&area),
            count_line(&rules)
        );
    }
    out.push('\n');
    let open: Vec<&RuleResult> = results.iter().filter(|r| !r.verdict.met()).collect();
    if open.is_empty() {
        return;
    }
    let _ = writeln!(out, "#### Rules not met or not run ({})\n", open.len());
    for r in open {
        // The rule ids stay code spans outside the bold label: escaped with it, they showed
        // their backticks.
        let mut why = format!("**{}**", text(r.verdict.label()));
        if !r.blocked_by.is_empty() {
            let _ = write!(why, " ({})", r.blocked_by.iter().map(|b| code(b)).collect::<Vec<_>>().join(", "));
        }
        if r.blocking > 0 {
            let _ = write!(why, "; it blocked {}", text(&format!("{} of other rules", plural(r.blocking))));
        }
        let _ = writeln!(
            out,
            "- {} ({}): {}; {}: \"{}\"",
            code(&r.id),
            text(&format!("{}/{}", r.api, r.area)),
            why,
            text(&source(&r.seed)),
            text(&r.quote)
        );
        if !r.blocked_scenarios.is_empty() {
            let ids: Vec<String> = r.blocked_scenarios.iter().map(|s| code(s)).collect();
            let _ = writeln!(out, "  - blocked: {}", ids.join(", "));
        }
    }
    out.push('\n');
}

/// The HTML section: every rule in a table, those that need reading first.
pub fn html(out: &mut String, record: &RunRecord) {
    let esc = |t: &str| super::escape_xml(t, false);
    let results = results(record);
    if results.is_empty() {
        return;
    }
    let all: Vec<&RuleResult> = results.iter().collect();
    let _ = writeln!(
        out,
        "<section class=\"card rules\" id=\"rules\">\n<h2>Rules <span class=\"pct\">{}</span></h2>\n<ul class=\"rule-groups\">",
        esc(&count_line(&all))
    );
    for ((api, seed, area), rules) in groups(&results) {
        let _ = writeln!(
            out,
            "<li>{}, {}/{}: {}</li>",
            esc(&source(&seed)),
            esc(&api),
            esc(&area),
            esc(&count_line(&rules))
        );
    }
    out.push_str("</ul>\n<table class=\"areas\">\n<thead><tr><th>Rule</th><th>Verdict</th><th>Sentence</th><th>Scenarios</th></tr></thead>\n<tbody>\n");
    let mut ordered: Vec<&RuleResult> = results.iter().collect();
    ordered.sort_by_key(|r| RuleVerdict::ALL.iter().position(|v| *v == r.verdict));
    for r in ordered {
        let mut verdict = esc(r.verdict.label());
        for b in &r.blocked_by {
            let _ =
                write!(verdict, " <a href=\"#rule-{}\"><code>{}</code></a>", super::html::anchor(b), esc(b));
        }
        if !r.blocked_scenarios.is_empty() {
            // Collapsed: a rule a set-up step rests on can block most of a suite.
            let _ = write!(
                verdict,
                "<details class=\"blocked-list\"><summary>blocked {}</summary><ul>",
                esc(&plural(r.blocked_scenarios.len()))
            );
            for id in &r.blocked_scenarios {
                let _ = write!(
                    verdict,
                    "<li><a href=\"#scenario-{}\"><code>{}</code></a></li>",
                    super::html::anchor(id),
                    esc(id)
                );
            }
            verdict.push_str("</ul></details>");
        }
        let scenarios: Vec<String> = r
            .scenarios
            .iter()
            .map(|s| format!("<a href=\"#scenario-{}\"><code>{}</code></a>", super::html::anchor(s), esc(s)))
            .collect();
        let _ = writeln!(
            out,
            "<tr class=\"r-{}\" id=\"rule-{}\"><td class=\"name\"><code>{}</code></td><td class=\"verdict\">{verdict}</td>\
             <td class=\"quote\">{}: <q>{}</q></td><td>{}</td></tr>",
            r.verdict.as_str(),
            super::html::anchor(&r.id),
            esc(&r.id),
            esc(&source(&r.seed)),
            esc(&r.quote),
            scenarios.join("<br>"),
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn plural(n: usize) -> String {
    if n == 1 { "1 scenario".to_owned() } else { format!("{n} scenarios") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn each_rule_takes_the_verdict_of_its_scenarios() {
        let results = results(&sample::record());
        let verdict = |id: &str| results.iter().find(|r| r.id == id).map(|r| r.verdict);
        // Listed in the order of their API, then of the index.
        let apis: Vec<&str> = results.iter().map(|r| r.api.as_str()).collect();
        let mut sorted = apis.clone();
        sorted.sort_by_key(|a| chatspec_specs::rules::APIS.iter().position(|x| x == a));
        assert_eq!(apis, sorted);
        assert_eq!(verdict(sample::RULE_FAILED), Some(RuleVerdict::NotMet));
        // Its own scenarios were not selected: not run, though it blocked a scenario.
        assert_eq!(verdict(sample::RULE_BLOCKING), Some(RuleVerdict::NotRun));
        assert_eq!(verdict(sample::RULE_BLOCKED), Some(RuleVerdict::Blocked));
        assert_eq!(verdict(sample::RULE_LENIENT), Some(RuleVerdict::MetLenient));
        assert_eq!(verdict(sample::RULE_MET), Some(RuleVerdict::Met));
        let blocking = results.iter().find(|r| r.id == sample::RULE_BLOCKING).expect("listed");
        assert_eq!(blocking.blocking, 1);
        assert_eq!(blocking.blocked_scenarios, [sample::BLOCKED]);
        assert!(!blocking.quote.is_empty() && blocking.seed == "register", "{blocking:?}");
        let blocked = results.iter().find(|r| r.id == sample::RULE_BLOCKED).expect("listed");
        assert_eq!(blocked.blocked_by, [sample::RULE_BLOCKING]);
    }

    #[test]
    fn a_rule_none_of_whose_scenarios_ran_is_not_run_and_not_counted() {
        let record = sample::record();
        let results = results(&record);
        let blocking = results.iter().find(|r| r.id == sample::RULE_BLOCKING).expect("listed");
        assert!(blocking.scenarios.is_empty());
        assert_eq!(blocking.verdict, RuleVerdict::NotRun);
        let all: Vec<&RuleResult> = results.iter().collect();
        let counted = all.iter().filter(|r| r.verdict != RuleVerdict::NotRun).count();
        let line = count_line(&all);
        assert!(
            line.starts_with(&format!(
                "{}/{counted} rules met",
                all.iter().filter(|r| r.verdict.met()).count()
            )),
            "{line}"
        );
        assert!(line.ends_with("; 1 not run, not counted"), "{line}");
        // Every writer says so.
        let doc = crate::report::conformance::build(&record);
        let listed = doc.rules.iter().find(|r| r.id == sample::RULE_BLOCKING).expect("in conformance.json");
        assert_eq!(listed.verdict, RuleVerdict::NotRun);
        for (writer, text) in [
            ("console", crate::console::console_summary(&record)),
            ("summary.md", crate::report::markdown::render(&record)),
            ("report.html", crate::report::html::render(&record)),
        ] {
            assert!(text.contains("1 not run, not counted"), "{writer}");
            assert!(!text.contains("2 not met"), "{writer} counts the rule as not met");
        }
        let two = [("a".to_owned(), doc.clone()), ("b".to_owned(), doc)];
        let matrix = crate::report::compare::render_markdown(&two);
        let row = matrix.lines().find(|l| l.contains(sample::RULE_BLOCKING)).expect("a row");
        assert!(row.contains("not run") && !row.contains("not met"), "{row}");
    }

    #[test]
    fn a_count_line_counts_every_grade_apart() {
        let results = results(&sample::record());
        let all: Vec<&RuleResult> = results.iter().collect();
        let line = count_line(&all);
        assert!(line.contains(" rules met ("), "{line}");
        assert!(line.contains("not met"), "{line}");
        assert!(console_line(&RunRecord::default()).is_empty());
    }
}
