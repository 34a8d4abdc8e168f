//! The cucumber writer that turns run events into a [`RunRecord`], and prints progress.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Instant;

use cucumber::event::{self, Cucumber, Feature, Rule, Scenario, Step, StepError};
use cucumber::{Event, gherkin, parser};

use crate::context::{RunContext, scenario_key};
use crate::kit::{ApiWorld, Impossible, OnRule};
use crate::outcome::{Failure, KnownFailure, Outcome, RunRecord, ScenarioRecord, StepRecord, StepStatus};
use crate::verdict::{EndedOnReading, NoteKind};

struct Partial {
    feature: Arc<gherkin::Feature>,
    scenario: Arc<gherkin::Scenario>,
    started: Instant,
    step_started: Option<Instant>,
    steps: Vec<StepRecord>,
    failure: Option<Failure>,
    impossible: Option<String>,
    provisioning_error: bool,
    /// The steps that passed before the scenario became impossible.
    impossible_after_steps: usize,
    blocked_by: Option<String>,
    undefined: bool,
}

/// Collects every scenario's outcome; prints failures as they happen.
pub struct Collector {
    ctx: Arc<RunContext>,
    partial: HashMap<String, Partial>,
    done: Vec<ScenarioRecord>,
    /// Feature files that could not be parsed.
    pub parse_errors: Vec<String>,
    total: usize,
    progress: bool,
    /// The catalog's id of each selected scenario by `(area, line)`: the id a run of all
    /// gives it, whatever else this run selected.
    ids: HashMap<(String, usize), String>,
}

impl Collector {
    /// A collector for the run of `ctx`; `progress` prints to stderr as scenarios finish.
    ///
    /// `selection` gives each scenario its id as the catalog has it (an outline row keeps
    /// its `#n` when it runs alone or in a shard).
    pub fn new(ctx: Arc<RunContext>, progress: bool, selection: &[crate::suites::Entry]) -> Collector {
        Collector {
            ctx,
            partial: HashMap::new(),
            done: Vec::new(),
            parse_errors: Vec::new(),
            total: 0,
            progress,
            ids: selection.iter().map(|e| ((e.area.clone(), e.line), e.id.clone())).collect(),
        }
    }

    /// The scenarios recorded, with stable ids made unique within each feature.
    pub fn into_scenarios(self) -> Vec<ScenarioRecord> {
        let mut done = self.done;
        done.sort_by(|a, b| (&a.feature_file, a.line).cmp(&(&b.feature_file, b.line)));
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for s in &done {
            *seen.entry(s.id.clone()).or_default() += 1;
        }
        let mut nth: BTreeMap<String, usize> = BTreeMap::new();
        for s in &mut done {
            if seen.get(&s.id).copied().unwrap_or(0) > 1 {
                let n = nth.entry(s.id.clone()).or_default();
                *n += 1;
                s.id = format!("{}#{n}", s.id);
            }
        }
        // Known failures, and those the target's declared deviations stand for, match the
        // final ids.
        let expected: Vec<(String, KnownFailure)> = self
            .ctx
            .target
            .expected_failures()
            .into_iter()
            .map(|k| (k.scenario, KnownFailure { reason: k.reason, link: k.link }))
            .collect();
        crate::outcome::apply_known_failures(&mut done, &expected);
        done
    }

    fn on_scenario<W: ApiWorld>(
        &mut self,
        feature: &Arc<gherkin::Feature>,
        scenario: &Arc<gherkin::Scenario>,
        ev: Scenario<W>,
    ) {
        let key = scenario_key(feature, scenario);
        match ev {
            Scenario::Started => {
                self.partial.insert(
                    key,
                    Partial {
                        feature: feature.clone(),
                        scenario: scenario.clone(),
                        started: Instant::now(),
                        step_started: None,
                        steps: Vec::new(),
                        failure: None,
                        impossible: None,
                        provisioning_error: false,
                        impossible_after_steps: 0,
                        blocked_by: None,
                        undefined: false,
                    },
                );
            }
            Scenario::Step(step, ev) => {
                if let Some(p) = self.partial.get_mut(&key) {
                    let set_up = step.ty == gherkin::StepType::Given;
                    on_step(p, &step, ev, set_up);
                }
            }
            Scenario::Background(step, ev) => {
                if let Some(p) = self.partial.get_mut(&key) {
                    on_step(p, &step, ev, true);
                }
            }
            Scenario::Hook(kind, event::Hook::Failed(_, info)) => {
                if let Some(p) = self.partial.get_mut(&key) {
                    let message = panic_text(&info);
                    p.failure.get_or_insert(Failure {
                        step: format!("{kind} hook"),
                        message,
                        expected: None,
                        actual: None,
                    });
                }
            }
            Scenario::Finished => {
                if let Some(p) = self.partial.remove(&key) {
                    let record = self.finish(&key, p);
                    self.report_progress(&record);
                    self.done.push(record);
                }
            }
            Scenario::Hook(..) | Scenario::Log(_) => {}
        }
    }

    fn finish(&self, key: &str, p: Partial) -> ScenarioRecord {
        let extras = self.ctx.take_extras(key).unwrap_or_default();
        let path = p.feature.path.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
        let feature_file = path.find("features/").map_or(path.clone(), |i| path[i..].to_owned());
        let api = std::path::Path::new(&feature_file)
            .parent()
            .and_then(|d| d.file_name())
            .map_or_else(|| self.ctx.target.api.clone(), |n| n.to_string_lossy().into_owned());
        let area = std::path::Path::new(&feature_file)
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        let outcome = if p.impossible.is_some() {
            Outcome::Impossible
        } else if p.blocked_by.is_some() {
            Outcome::Blocked
        } else if p.failure.is_some() {
            Outcome::Fail
        } else if p.undefined || p.steps.is_empty() {
            Outcome::Skipped
        } else if extras.notes.iter().any(|n| n.kind == NoteKind::Lenient) {
            Outcome::PassLenient
        } else if extras.notes.iter().any(|n| n.kind == NoteKind::Deviation) {
            Outcome::PassDeviation
        } else {
            Outcome::Pass
        };
        let mut tags = p.feature.tags.clone();
        tags.extend(p.scenario.tags.iter().cloned());
        ScenarioRecord {
            // The id the catalog gives this line, so a run of a few scenarios names them
            // as a run of all does.
            id: self.ids.get(&(area.clone(), p.scenario.position.line)).cloned().unwrap_or_else(|| {
                crate::suites::ids_by_line(&p.feature, &api, &area)
                    .remove(&p.scenario.position.line)
                    .unwrap_or_else(|| format!("{api}/{area}/{}", slug(&p.scenario.name)))
            }),
            api,
            area,
            feature: p.feature.name.clone(),
            feature_file,
            name: p.scenario.name.clone(),
            line: p.scenario.position.line,
            tags,
            outcome,
            doc: extras.doc.or_else(|| doc_of(&p.scenario)),
            steps: p.steps,
            duration_ms: u64::try_from(p.started.elapsed().as_millis()).unwrap_or(u64::MAX),
            failure: p.failure,
            impossible: p.impossible,
            provisioning_error: p.provisioning_error,
            impossible_after_steps: p.impossible_after_steps,
            known_failure: None,
            blocked_by: p.blocked_by,
            blocked_by_known_failure: false,
            notes: extras.notes,
            wire_log: extras.wire_log,
        }
    }

    fn report_progress(&self, r: &ScenarioRecord) {
        if !self.progress {
            return;
        }
        let n = self.done.len() + 1;
        let known = self.ctx.target.known_failures.iter().any(|k| k.scenario == r.id);
        if let Some(line) = crate::console::progress_line(r, known) {
            eprintln!("{line}");
        }
        if n.is_multiple_of(25) || n == self.total {
            eprintln!("  {n}/{} scenarios done", self.total);
        }
    }
}

/// Records one step's event; `set_up` is true for a `Given` step or one of the background.
fn on_step<W>(p: &mut Partial, step: &gherkin::Step, ev: Step<W>, set_up: bool) {
    let elapsed = |p: &Partial| {
        p.step_started.map_or(0, |t| u64::try_from(t.elapsed().as_millis()).unwrap_or(u64::MAX))
    };
    let record = |status, error: Option<String>| StepRecord {
        keyword: step.keyword.clone(),
        text: step.value.clone(),
        line: step.position.line,
        status,
        duration_ms: elapsed(p),
        error,
    };
    match ev {
        Step::Started => p.step_started = Some(Instant::now()),
        Step::Passed(..) => {
            let r = record(StepStatus::Passed, None);
            p.steps.push(r);
        }
        Step::Skipped => {
            let r = record(StepStatus::Skipped, Some("no step definition matches this step".into()));
            p.undefined = true;
            p.steps.push(r);
        }
        Step::Failed(_, _, _, err) => {
            let text = format!("{}{}", step.keyword, step.value);
            match &err {
                StepError::Panic(info) if info.downcast_ref::<EndedOnReading>().is_some() => {
                    // The scenario stopped on a reading the rest of it depends on: the note
                    // is in the world's verdicts, and the scenario is graded, not failed.
                    let why =
                        info.downcast_ref::<EndedOnReading>().map(|e| e.0.to_string()).unwrap_or_default();
                    let r = record(StepStatus::Passed, Some(format!("ended on a reading: {why}")));
                    p.steps.push(r);
                }
                StepError::Panic(info) if info.downcast_ref::<Impossible>().is_some() => {
                    let Some(i) = info.downcast_ref::<Impossible>() else { return };
                    // The steps before it that passed already talked to the target: the
                    // scenario stopped part way, which every report says.
                    let before = p.steps.iter().filter(|s| s.status == StepStatus::Passed).count();
                    let r = record(StepStatus::Skipped, Some(format!("impossible: {}", i.why)));
                    p.steps.push(r);
                    p.impossible_after_steps = before;
                    p.impossible = Some(i.why.clone());
                    p.provisioning_error = i.provisioning_error;
                }
                StepError::Panic(info) if info.downcast_ref::<OnRule>().is_some() => {
                    // A rule that is not the scenario's own: in set-up it blocks the
                    // scenario, anywhere else it fails it.
                    let Some(on_rule) = info.downcast_ref::<OnRule>() else { return };
                    let r = record(StepStatus::Failed, Some(on_rule.message.clone()));
                    p.steps.push(r);
                    if set_up && p.failure.is_none() {
                        p.blocked_by = Some(on_rule.rule.clone());
                    }
                    let (expected, actual) = split_expectation(&on_rule.message);
                    p.failure.get_or_insert(Failure {
                        step: text,
                        message: on_rule.message.clone(),
                        expected,
                        actual,
                    });
                }
                _ => {
                    let message = match &err {
                        StepError::Panic(info) => panic_text(info),
                        other => other.to_string(),
                    };
                    let r = record(StepStatus::Failed, Some(message.clone()));
                    p.steps.push(r);
                    let (expected, actual) = split_expectation(&message);
                    p.failure.get_or_insert(Failure { step: text, message, expected, actual });
                }
            }
        }
    }
}

/// The text of a panic payload.
pub fn panic_text(info: &event::Info) -> String {
    if let Some(s) = info.downcast_ref::<String>() {
        s.clone()
    } else if let Some(s) = info.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(i) = info.downcast_ref::<Impossible>() {
        format!("impossible: {}", i.why)
    } else if let Some(on_rule) = info.downcast_ref::<OnRule>() {
        on_rule.message.clone()
    } else {
        "the step panicked with a non-text payload".into()
    }
}

/// Pulls the `expected:` and `actual:` lines out of a failure message.
fn split_expectation(message: &str) -> (Option<String>, Option<String>) {
    let mut expected = None;
    let mut actual: Option<String> = None;
    let mut in_actual = false;
    for line in message.lines() {
        if let Some(rest) = line.strip_prefix("expected: ") {
            expected = Some(rest.to_owned());
            in_actual = false;
        } else if let Some(rest) = line.strip_prefix("actual: ") {
            actual = Some(rest.to_owned());
            in_actual = true;
        } else if line.starts_with("documentation: ") {
            in_actual = false;
        } else if in_actual && let Some(a) = actual.as_mut() {
            a.push('\n');
            a.push_str(line);
        }
    }
    (expected, actual)
}

/// The `Doc:` line of a scenario's description: the documentation sentence it checks.
pub fn doc_of(scenario: &gherkin::Scenario) -> Option<String> {
    let description = scenario.description.as_deref()?;
    description.lines().find_map(|l| l.trim().strip_prefix("Doc:").map(|d| format!("seed {}", d.trim())))
}

/// `Retrying a post with the same uid` -> `retrying-a-post-with-the-same-uid`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

impl<W: ApiWorld> cucumber::Writer<W> for Collector {
    type Cli = cucumber::cli::Empty;

    async fn handle_event(&mut self, ev: parser::Result<Event<Cucumber<W>>>, _cli: &Self::Cli) {
        let ev = match ev {
            Ok(ev) => ev.value,
            Err(e) => {
                let text = e.to_string();
                if self.progress {
                    eprintln!("  cannot parse a feature file: {text}");
                }
                self.parse_errors.push(text);
                return;
            }
        };
        match ev {
            Cucumber::ParsingFinished { scenarios, parser_errors, .. } => {
                self.total = scenarios;
                if self.progress {
                    eprintln!(
                        "  {scenarios} scenario{} to run{}",
                        if scenarios == 1 { "" } else { "s" },
                        if parser_errors > 0 {
                            format!(", {parser_errors} feature files could not be parsed")
                        } else {
                            String::new()
                        }
                    );
                }
            }
            Cucumber::Feature(feature, Feature::Scenario(scenario, ev))
            | Cucumber::Feature(feature, Feature::Rule(_, Rule::Scenario(scenario, ev))) => {
                let (f, s): (Arc<gherkin::Feature>, Arc<gherkin::Scenario>) =
                    (feature.into(), scenario.into());
                self.on_scenario(&f, &s, ev.event);
            }
            _ => {}
        }
    }
}

impl cucumber::writer::Normalized for Collector {}

/// Builds the run record.
pub fn record(info: crate::outcome::RunInfo, collector: Collector) -> RunRecord {
    RunRecord { info, scenarios: collector.into_scenarios() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_slugs_of_names() {
        assert_eq!(
            slug("Retrying a post with the same uid, twice!"),
            "retrying-a-post-with-the-same-uid-twice"
        );
    }

    #[test]
    fn expected_and_actual_are_split_out() {
        let (e, a) = split_expectation("rule\nexpected: one\nactual: two\n  more\ndocumentation: seed");
        assert_eq!(e.as_deref(), Some("one"));
        assert_eq!(a.as_deref(), Some("two\n  more"));
    }
}
