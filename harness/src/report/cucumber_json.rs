//! Writes `cucumber.json`: the standard Cucumber JSON format, one feature per feature file.
//!
//! Existing Cucumber tooling knows only passed, failed and skipped steps, so chatspec's
//! outcomes are mapped onto them: skipped and impossible scenarios have every step skipped,
//! expected failures keep their failed step and say so in the description, and an
//! unexpected pass gets a failed `after` hook so tools show the scenario red, as the run is.
//! A provisioning error (the scenario's set-up broke, so it did not run and the run fails)
//! keeps its steps skipped and gets a failed `before` hook holding the whole cause: `failed`
//! is the one status every Cucumber viewer shows red and counts as not passed, and a failed
//! before hook with skipped steps is how Cucumber itself reports a set-up that broke.
//! A pass on a lenient reading or with declared deviation keeps its passed steps and names
//! its grade and each register entry in the description (`@pass_lenient: reading C5 ...`).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::outcome::{Outcome, RunRecord, ScenarioRecord, StepRecord, StepStatus};

use super::{known_failure_note, note_line, scenario_message, scenarios_by_area, unexpected_pass_message};

#[derive(Serialize)]
struct Feature<'a> {
    uri: &'a str,
    id: String,
    keyword: &'static str,
    name: &'a str,
    description: &'static str,
    line: usize,
    tags: Vec<Tag>,
    elements: Vec<Element<'a>>,
}

#[derive(Serialize)]
struct Element<'a> {
    id: String,
    keyword: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'a str,
    description: String,
    line: usize,
    tags: Vec<Tag>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    before: Vec<Hook>,
    steps: Vec<Step<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    after: Vec<Hook>,
}

#[derive(Serialize)]
struct Tag {
    name: String,
    line: usize,
}

#[derive(Serialize)]
struct Step<'a> {
    keyword: &'a str,
    name: &'a str,
    line: usize,
    result: StepResult,
}

/// A hook that carries a scenario-level failure no step holds.
#[derive(Serialize)]
struct Hook {
    #[serde(rename = "match")]
    matched: HookMatch,
    result: StepResult,
}

#[derive(Serialize)]
struct HookMatch {
    location: String,
}

#[derive(Serialize)]
struct StepResult {
    status: &'static str,
    /// Nanoseconds, as the format requires.
    duration: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_message: Option<String>,
}

/// Renders the Cucumber JSON report of `record`.
pub fn render(record: &RunRecord) -> String {
    // Secrets are shown redacted (`report/redact.rs`); the run used the real values.
    let record = &super::redact::record(record);
    let mut files: BTreeMap<&str, Vec<&ScenarioRecord>> = BTreeMap::new();
    for scenario in scenarios_by_area(record).into_values().flatten() {
        files.entry(scenario.feature_file.as_str()).or_default().push(scenario);
    }
    let features: Vec<Feature> = files
        .into_iter()
        .map(|(uri, mut scenarios)| {
            scenarios.sort_by_key(|s| (s.line, s.id.as_str()));
            let name = scenarios.first().map_or(uri, |s| s.feature.as_str());
            let id = slug(name);
            Feature {
                uri,
                keyword: "Feature",
                name,
                description: "",
                line: 1,
                tags: Vec::new(),
                elements: scenarios.iter().map(|s| element(&id, s)).collect(),
                id,
            }
        })
        .collect();
    // Plain structs with string keys always serialise; the fallback is never expected.
    let mut json = serde_json::to_string_pretty(&features).unwrap_or_else(|_| "[]".to_owned());
    json.push('\n');
    json
}

fn element<'a>(feature_id: &str, s: &'a ScenarioRecord) -> Element<'a> {
    let not_run = matches!(s.outcome, Outcome::Skipped | Outcome::Impossible);
    let mut failure_reported = false;
    let steps = s
        .steps
        .iter()
        .map(|step| {
            let mut result = step_result(step, not_run);
            if result.status == "failed" && !failure_reported {
                failure_reported = true;
                result.error_message = Some(failure_text(s, step));
            }
            Step { keyword: &step.keyword, name: &step.text, line: step.line, result }
        })
        .collect();
    let mut after = Vec::new();
    let failed_without_step =
        matches!(s.outcome, Outcome::Fail | Outcome::ExpectedFailure) && !failure_reported;
    if failed_without_step || s.outcome == Outcome::UnexpectedPass {
        after.push(Hook {
            matched: HookMatch { location: format!("chatspec:{}", s.outcome.as_str()) },
            result: StepResult { status: "failed", duration: 0, error_message: scenario_message(s) },
        });
    }
    let mut before = Vec::new();
    if s.provisioning_error {
        let message = scenario_message(s).unwrap_or_else(|| s.impossible_cause());
        before.push(Hook {
            matched: HookMatch { location: "chatspec:provisioning_error".to_owned() },
            result: StepResult { status: "failed", duration: 0, error_message: Some(message) },
        });
    }
    Element {
        id: format!("{feature_id};{}", scenario_slug(s)),
        keyword: "Scenario",
        kind: "scenario",
        name: &s.name,
        description: description(s),
        line: s.line,
        tags: s
            .tags
            .iter()
            .map(|t| Tag {
                name: if t.starts_with('@') { t.clone() } else { format!("@{t}") },
                // Tags sit on the line above their scenario.
                line: s.line.saturating_sub(1).max(1),
            })
            .collect(),
        before,
        steps,
        after,
    }
}

fn step_result(step: &StepRecord, not_run: bool) -> StepResult {
    let status = match step.status {
        _ if not_run => "skipped",
        StepStatus::Passed => "passed",
        StepStatus::Failed => "failed",
        StepStatus::Skipped => "skipped",
    };
    StepResult {
        status,
        duration: step.duration_ms.saturating_mul(1_000_000),
        error_message: step.error.clone().filter(|_| status == "failed"),
    }
}

/// The error of the first failed step: the scenario's failure split for people when it has one.
fn failure_text(s: &ScenarioRecord, step: &StepRecord) -> String {
    let Some(failure) = &s.failure else {
        return step.error.clone().unwrap_or_else(|| "step failed".to_owned());
    };
    let mut text = failure.cause(s.doc.as_deref());
    if let Some(expected) = &failure.expected {
        text.push_str(&format!("\nexpected: {expected}"));
    }
    if let Some(actual) = &failure.actual {
        text.push_str(&format!("\nactual: {actual}"));
    }
    text
}

/// Notes Cucumber has no field for: the chatspec outcome when it is not plain, and the doc.
fn description(s: &ScenarioRecord) -> String {
    let mut lines = Vec::new();
    match s.outcome {
        Outcome::ExpectedFailure => {
            let known = s.known_failure.as_ref().map(known_failure_note).unwrap_or_default();
            lines.push(format!("@expected_failure: known failure of this target ({known})"));
        }
        Outcome::UnexpectedPass => lines.push(format!("@unexpected_pass: {}", unexpected_pass_message(s))),
        // The failed before hook holds the cause.
        Outcome::Impossible if s.provisioning_error => {
            lines.push("@provisioning_error: not run, its set-up broke; the run fails".to_owned());
        }
        Outcome::Impossible | Outcome::Skipped | Outcome::Blocked => {
            lines.push(format!("@{}: {}", s.outcome.as_str(), scenario_message(s).unwrap_or_default()));
        }
        Outcome::PassLenient | Outcome::PassDeviation => {
            for n in &s.notes {
                lines.push(format!("@{}: {}", s.outcome.as_str(), note_line(s, n)));
            }
        }
        Outcome::Pass | Outcome::Fail => {}
    }
    if let Some(doc) = &s.doc {
        lines.push(format!("documentation: {doc}"));
    }
    lines.join("\n")
}

/// The scenario part of the id: the slug chatspec already gave it, else one from its name.
fn scenario_slug(s: &ScenarioRecord) -> String {
    match s.id.splitn(3, '/').nth(2) {
        Some(rest) if !rest.is_empty() => rest.to_owned(),
        _ => slug(&s.name),
    }
}

/// Lower-case words joined by `-`, as Cucumber forms ids.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;
    use serde_json::Value;

    fn parsed() -> Value {
        serde_json::from_str(&render(&sample::record())).expect("valid JSON")
    }

    fn element_named<'a>(doc: &'a Value, name: &str) -> &'a Value {
        doc.as_array()
            .into_iter()
            .flatten()
            .flat_map(|f| f["elements"].as_array().into_iter().flatten())
            .find(|e| e["name"] == name)
            .expect("scenario present")
    }

    fn statuses(element: &Value) -> Vec<&str> {
        element["steps"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["result"]["status"].as_str())
            .collect()
    }

    #[test]
    fn matches_the_golden_file() {
        // The sample's times and ids are fixed: nothing to normalise.
        crate::report::golden("cucumber.json", &render(&sample::record()));
    }

    #[test]
    fn features_group_scenarios_by_file() {
        let doc = parsed();
        let uris: Vec<&str> =
            doc.as_array().into_iter().flatten().filter_map(|f| f["uri"].as_str()).collect();
        assert_eq!(
            uris,
            [
                "features/connectnow/presence.feature",
                "features/sama/auth.feature",
                "features/unichat/messages.feature",
                "features/unichat/uid.feature"
            ]
        );
        let messages = &doc[2];
        assert_eq!(messages["id"], "unichat-messages");
        assert_eq!(messages["keyword"], "Feature");
        assert_eq!(messages["name"], "Unichat messages");
        let lines: Vec<u64> = messages["elements"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["line"].as_u64())
            .collect();
        assert_eq!(lines, [8, 15, 22]);
        let first = &messages["elements"][0];
        assert_eq!(first["id"], "unichat-messages;alice-posts-a-message-and-bob-is-notified");
        assert_eq!(first["type"], "scenario");
        assert_eq!(first["keyword"], "Scenario");
        assert_eq!(first["tags"][0]["name"], "@smoke");
        assert_eq!(first["tags"][0]["line"], 7);
        assert_eq!(first["steps"][0]["keyword"], "Given ");
        assert_eq!(first["steps"][0]["result"]["duration"], 14_000_000);
    }

    #[test]
    fn outcomes_map_to_step_statuses() {
        let doc = parsed();
        let fail = element_named(&doc, "Posting twice with one uid keeps one message");
        assert_eq!(statuses(fail), ["passed", "passed", "failed", "skipped"]);
        let error = fail["steps"][2]["result"]["error_message"].as_str().unwrap_or_default();
        assert!(
            error.contains("found 2") && error.contains("expected: 1 message with uid \"u1\""),
            "{error}"
        );
        assert!(fail.get("after").is_none());

        let impossible = element_named(&doc, "An expired token is refused");
        assert_eq!(statuses(impossible), ["skipped", "skipped"]);
        assert!(
            impossible["description"]
                .as_str()
                .unwrap_or_default()
                .starts_with("@impossible: needs clock control")
        );

        let expected = element_named(&doc, "A uid longer than 64 characters is refused");
        assert_eq!(statuses(expected), ["passed", "failed"]);
        assert_eq!(
            expected["description"].as_str().unwrap_or_default().lines().next(),
            Some(
                "@expected_failure: known failure of this target (uid length is not checked, https://tracker.example/ACME-12?view=full&tab=1)"
            )
        );

        let unexpected = element_named(&doc, "Reusing a uid in another room is allowed");
        assert_eq!(statuses(unexpected), ["passed", "passed"]);
        assert_eq!(unexpected["after"][0]["result"]["status"], "failed");
        assert_eq!(
            unexpected["after"][0]["result"]["error_message"],
            "listed as a known failure (rooms share one uid space on this server) but passed"
        );

        let lenient = element_named(&doc, "An unknown status is refused");
        assert_eq!(statuses(lenient), ["passed", "passed"]);
        assert!(lenient.get("after").is_none());
        let description = lenient["description"].as_str().unwrap_or_default();
        assert!(description.starts_with("@pass_lenient: reading C5 did not hold"), "{description}");
        assert!(
            description.contains("(specs/src/connectnow/NOTES.md)\ndocumentation: seed 002"),
            "{description}"
        );
        let deviation = element_named(&doc, "A login by token opens the socket");
        assert!(
            deviation["description"]
                .as_str()
                .unwrap_or_default()
                .starts_with("@pass_deviation: declared deviation token_login_needs_organization (S8)")
        );

        let outline = element_named(&doc, "Status <status> is broadcast");
        assert_eq!(outline["id"], "connectnow-presence;status-is-broadcast#2");
        assert!(
            outline["steps"][1]["result"]["error_message"].as_str().unwrap_or_default().contains('\u{1b}')
        );
    }

    #[test]
    fn a_provisioning_error_reads_as_failed_not_skipped() {
        let mut record = sample::record();
        let Some(s) = record.scenarios.iter_mut().find(|s| s.id == sample::IMPOSSIBLE) else {
            panic!("the sample has an impossible scenario")
        };
        s.provisioning_error = true;
        s.impossible =
            Some("provisioning error: the create_user command exited with status 7\nstderr: boom".into());
        let doc: Value = serde_json::from_str(&render(&record)).expect("valid JSON");
        let broken = element_named(&doc, "An expired token is refused");
        assert_eq!(broken["before"][0]["result"]["status"], "failed");
        assert_eq!(
            broken["before"][0]["result"]["error_message"],
            "provisioning error: the create_user command exited with status 7\nstderr: boom"
        );
        assert_eq!(statuses(broken), ["skipped", "skipped"], "its steps did not run");
        let description = broken["description"].as_str().unwrap_or_default();
        assert!(description.starts_with("@provisioning_error: not run"), "{description}");
        // An impossible scenario the target cannot run stays skipped, with no hook.
        let plain = element_named(&parsed(), "An expired token is refused").clone();
        assert!(plain.get("before").is_none());
    }

    #[test]
    fn a_failure_without_failed_step_gets_a_hook() {
        let mut record = sample::record();
        for s in &mut record.scenarios {
            if s.id == sample::FAIL {
                s.steps.retain(|st| st.status == StepStatus::Passed);
            }
        }
        let doc: Value = serde_json::from_str(&render(&record)).expect("valid JSON");
        let fail = element_named(&doc, "Posting twice with one uid keeps one message");
        assert_eq!(fail["after"][0]["result"]["status"], "failed");
        assert!(fail["after"][0]["result"]["error_message"].as_str().unwrap_or_default().contains("found 2"));
    }

    #[test]
    fn output_is_deterministic_and_escaped() {
        let record = sample::record();
        let mut shuffled = record.clone();
        shuffled.scenarios.rotate_left(3);
        let text = render(&record);
        assert_eq!(text, render(&shuffled));
        assert!(text.contains("\"name\": \"Message text keeps <b>markup</b> & \\\"quotes\\\" | pipes\""));
        assert!(text.contains("\\u001b[31monline"));
        assert_eq!(render(&RunRecord::default()), "[]\n");
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Unichat: messages & uids!"), "unichat-messages-uids");
        assert_eq!(slug("  Ça va  "), "ça-va");
    }
}
