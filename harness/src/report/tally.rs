//! Outcome counts by area, API and run, and the cells every writer shows them in: one place,
//! so the console, Markdown, HTML and `report compare` figures agree.

use std::collections::BTreeMap;

use super::{AreaKey, format_percent};
use crate::outcome::{Outcome, RunRecord, ScenarioRecord};

/// Outcome counts of a group of scenarios (an area, an API or the whole run).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    counts: BTreeMap<Outcome, usize>,
    /// Impossible scenarios `--impossible-fails` graded as failed: counted as failures, never
    /// as run.
    forced: usize,
    /// Impossible scenarios whose set-up broke ([`ScenarioRecord::provisioning_error`]):
    /// counted among the impossible ones, and apart, since they fail the run.
    provisioning: usize,
    /// Impossible scenarios (failed by `--impossible-fails` or not) that became impossible
    /// after some of their steps ran ([`ScenarioRecord::impossible_after_steps`]): still not
    /// run, and said apart.
    partly_ran: usize,
    /// Scenarios the profile lists as known failures that did not run (impossible or
    /// skipped), so the entry was not checked ([`ScenarioRecord::known_failure_unchecked`]).
    unchecked_known: usize,
}

impl Tally {
    /// Counts one more scenario with `outcome`.
    pub fn add(&mut self, outcome: Outcome) {
        *self.counts.entry(outcome).or_default() += 1;
    }

    /// Counts one scenario: its outcome, and whether `--impossible-fails` failed it without
    /// running it (a failure with the cause of an impossible scenario).
    pub fn add_scenario(&mut self, scenario: &ScenarioRecord) {
        self.add(scenario.outcome);
        if scenario.forced_fail() {
            self.forced += 1;
        }
        if scenario.provisioning_error {
            self.provisioning += 1;
        }
        if scenario.impossible_after_steps > 0 && scenario.unforced_outcome() == Outcome::Impossible {
            self.partly_ran += 1;
        }
        if scenario.known_failure_unchecked() {
            self.unchecked_known += 1;
        }
    }

    /// Counts one more impossible scenario whose set-up broke (what [`Tally::add_scenario`]
    /// counts of a [`ScenarioRecord::provisioning_error`]).
    pub fn add_provisioning_error(&mut self) {
        self.add(Outcome::Impossible);
        self.provisioning += 1;
    }

    /// Counts one impossible scenario `--impossible-fails` failed: a failure that never ran
    /// (what [`Tally::add_scenario`] counts of a [`ScenarioRecord::forced_fail`]).
    pub fn add_forced(&mut self) {
        self.add(Outcome::Fail);
        self.forced += 1;
    }

    /// Counts, among the impossible scenarios already counted, `partly_ran` that became
    /// impossible after some steps ran, and `unchecked_known` known failures that did not run
    /// (what [`Tally::add_scenario`] counts of each scenario): for a reader of the counts.
    pub fn add_apart(&mut self, partly_ran: usize, unchecked_known: usize) {
        self.partly_ran += partly_ran;
        self.unchecked_known += unchecked_known;
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &Tally) {
        for (outcome, n) in &other.counts {
            *self.counts.entry(*outcome).or_default() += n;
        }
        self.forced += other.forced;
        self.provisioning += other.provisioning;
        self.partly_ran += other.partly_ran;
        self.unchecked_known += other.unchecked_known;
    }

    /// Scenarios with `outcome` (0 when none).
    pub fn get(&self, outcome: Outcome) -> usize {
        self.counts.get(&outcome).copied().unwrap_or(0)
    }

    /// Of the failures, the impossible scenarios `--impossible-fails` failed: they never ran.
    pub fn forced(&self) -> usize {
        self.forced
    }

    /// Of the impossible scenarios, those whose set-up broke: each fails the run.
    pub fn provisioning_errors(&self) -> usize {
        self.provisioning
    }

    /// Of the impossible scenarios (failed by `--impossible-fails` or not), those that became
    /// impossible after some of their steps ran: they never count as run.
    pub fn partly_ran(&self) -> usize {
        self.partly_ran
    }

    /// Scenarios listed as known failures that did not run, so their entries went unchecked.
    pub fn unchecked_known(&self) -> usize {
        self.unchecked_known
    }

    /// All scenarios counted.
    pub fn total(&self) -> usize {
        self.counts.values().sum()
    }

    /// Scenarios that ran against the target: all but skipped, impossible and blocked ones
    /// (impossible ones `--impossible-fails` failed included).
    pub fn executed(&self) -> usize {
        self.total()
            - self.get(Outcome::Skipped)
            - self.get(Outcome::Impossible)
            - self.get(Outcome::Blocked)
            - self.forced
    }

    /// Scenarios whose every document check held: passes of every grade (strict, on a lenient
    /// reading, with declared deviation) and unexpected passes.
    pub fn passed(&self) -> usize {
        Outcome::ALL.iter().filter(|o| o.passed()).map(|o| self.get(*o)).sum::<usize>()
            + self.get(Outcome::UnexpectedPass)
    }

    /// Share of executed scenarios that passed, in percent rounded to one decimal.
    ///
    /// Skipped and impossible scenarios are left out of the denominator: they say nothing
    /// about how the target behaves, and a target should not score lower because it lacks an
    /// admin API the suite could have used. Passes of every grade count as passed (each
    /// report shows the grades apart). Unexpected passes count as passed: the target
    /// does what the documentation says, only its known-failures list is stale. Expected
    /// failures count against it: the target still does not conform. Blocked scenarios did
    /// not run, but count against it as well: the target broke a rule their set-up rests on,
    /// so a run with blocked scenarios is never 100 %. `None` when nothing ran.
    pub fn passed_percent(&self) -> Option<f64> {
        let judged = self.judged();
        (judged > 0).then(|| (self.passed() as f64 * 1000.0 / judged as f64).round() / 10.0)
    }

    /// The scenarios [`Tally::passed_percent`] is over: those that ran and the blocked ones.
    /// Impossible scenarios `--impossible-fails` failed count against the target as well.
    pub fn judged(&self) -> usize {
        self.executed() + self.get(Outcome::Blocked) + self.forced
    }
}

/// The pass figure every report shows for an area, an API or the run: `87.5 % (7 of 8)`,
/// the passes over the scenarios that ran and the blocked ones; `—` when none did.
pub fn passed_cell(tally: &Tally) -> String {
    match tally.passed_percent() {
        Some(p) => format!("{} ({} of {})", format_percent(Some(p)), tally.passed(), tally.judged()),
        None => format_percent(None),
    }
}

/// What ran of a group, and what did not, by outcome, beside its [`passed_cell`]: `8 of 10
/// ran (1 impossible, 1 blocked)`, so a 100 % over what ran never hides what did not.
pub fn ran_cell(tally: &Tally) -> String {
    let mut not_run: Vec<String> = Vec::new();
    for (outcome, word) in
        [(Outcome::Skipped, "skipped"), (Outcome::Impossible, "impossible"), (Outcome::Blocked, "blocked")]
    {
        if tally.get(outcome) > 0 {
            not_run.push(format!("{} {word}", tally.get(outcome)));
        }
        // Those that became impossible after some steps ran follow the impossible ones.
        if outcome == Outcome::Impossible && tally.forced == 0 && tally.partly_ran > 0 {
            not_run.push(partly_ran_words(tally.partly_ran));
        }
    }
    if tally.forced > 0 {
        not_run.push(format!("{} impossible, failed by --impossible-fails", tally.forced));
        if tally.partly_ran > 0 {
            not_run.push(partly_ran_words(tally.partly_ran));
        }
    }
    let ran = format!("{} of {} ran", tally.executed(), tally.total());
    if not_run.is_empty() { ran } else { format!("{ran} ({})", not_run.join(", ")) }
}

/// `5 of them after some steps ran`: said of the impossible scenarios just counted.
pub(crate) fn partly_ran_words(k: usize) -> String {
    format!("{k} of them after some steps ran")
}

/// A count of `outcome` as the count cells of every report show it (the console's and
/// summary.md's area tables, report.html's badges and bars): the failures say how many of
/// them are impossible scenarios `--impossible-fails` failed, which never ran, so a count of
/// failures never reads as failures of scenarios that ran: `118 (118 of them impossible,
/// failed by --impossible-fails)`.
pub fn count_cell(tally: &Tally, outcome: Outcome) -> String {
    let n = tally.get(outcome);
    match outcome {
        Outcome::Fail if tally.forced > 0 => {
            format!("{n} ({} of them impossible, failed by --impossible-fails)", tally.forced)
        }
        _ => n.to_string(),
    }
}

/// Scenarios grouped by `(api, area)`, each group in feature-file order.
///
/// Sorting here, not trusting the record's order, keeps reports identical between runs even
/// when scenarios finish in a different order.
pub fn scenarios_by_area(record: &RunRecord) -> BTreeMap<AreaKey, Vec<&ScenarioRecord>> {
    let mut groups: BTreeMap<AreaKey, Vec<&ScenarioRecord>> = BTreeMap::new();
    for scenario in &record.scenarios {
        groups.entry((scenario.api.clone(), scenario.area.clone())).or_default().push(scenario);
    }
    for scenarios in groups.values_mut() {
        scenarios.sort_by(|a, b| (&a.feature_file, a.line, &a.id).cmp(&(&b.feature_file, b.line, &b.id)));
    }
    groups
}

/// Outcome counts per `(api, area)`.
pub fn area_counts(record: &RunRecord) -> BTreeMap<AreaKey, Tally> {
    scenarios_by_area(record)
        .into_iter()
        .map(|(key, scenarios)| {
            let mut tally = Tally::default();
            scenarios.iter().for_each(|s| tally.add_scenario(s));
            (key, tally)
        })
        .collect()
}

/// Outcome counts per API, summed from [`area_counts`].
pub fn api_counts(record: &RunRecord) -> BTreeMap<String, Tally> {
    let mut apis: BTreeMap<String, Tally> = BTreeMap::new();
    for ((api, _), tally) in area_counts(record) {
        apis.entry(api).or_default().merge(&tally);
    }
    apis
}

/// Outcome counts of the whole run.
pub fn run_counts(record: &RunRecord) -> Tally {
    let mut total = Tally::default();
    area_counts(record).values().for_each(|t| total.merge(t));
    total
}
