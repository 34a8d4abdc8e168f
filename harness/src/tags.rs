//! Cross-cutting tags: themes that run through every API's areas (`@uid`, `@notifications`,
//! `@errors`, ...), given to each scenario from what its steps (its backgrounds' included)
//! say, so no hand-kept list can miss a scenario. `chatspec list` shows them beside the
//! feature files' own tags, and `check --tags` selects by both: `--tags "@uid or @serial"`.

use std::sync::LazyLock;

use cucumber::gherkin;
use regex::Regex;

/// Each cross-cutting tag (without its `@`), what it means, and the step pattern that gives it
/// (matched case-insensitively against each step's text, keyword left out).
pub const THEMES: &[(&str, &str, &str)] = &[
    (
        "notifications",
        "the scenario waits for, or rules out, a notification or event pushed to a client",
        r"\b(receives?|notified|notifications?|events?)\b",
    ),
    (
        "errors",
        "the scenario expects a refusal: an error reply or status",
        r"\b(refused|rejected|fails with error|is error|an error|error message|error frame)\b",
    ),
    ("uid", "the scenario posts or checks messages by their client uid", r"\buids?\b"),
    ("serial", "the scenario checks the serial order of messages", r"\bserials?\b"),
    ("owner-handoff", "the scenario checks who owns a room or group", r"\bowners?\b"),
    (
        "authorization",
        "the scenario checks tokens, keys, rights or what outsiders may do",
        r"\b(tokens?|apikey|outsiders?|not a member|forbidden|unauthori[sz]ed|permissions?|rights)\b|\b40[13]\b",
    ),
];

static PATTERNS: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    THEMES
        .iter()
        // The patterns are constants checked by the tests below; none fails to compile.
        .filter_map(|(name, _, re)| Regex::new(&format!("(?i){re}")).ok().map(|r| (*name, r)))
        .collect()
});

/// The cross-cutting tags (without `@`) of a scenario whose steps read `steps`, in
/// [`THEMES`] order.
pub fn themes<'a>(steps: impl IntoIterator<Item = &'a str>) -> Vec<&'static str> {
    let steps: Vec<&str> = steps.into_iter().collect();
    PATTERNS.iter().filter(|(_, re)| steps.iter().any(|s| re.is_match(s))).map(|(name, _)| *name).collect()
}

/// The step texts of a scenario, its feature's and its rule's backgrounds first.
pub fn step_texts<'a>(
    feature: &'a gherkin::Feature,
    rule: Option<&'a gherkin::Rule>,
    scenario: &'a gherkin::Scenario,
) -> impl Iterator<Item = &'a str> {
    let background = feature.background.iter().flat_map(|b| &b.steps);
    let rule_background = rule.and_then(|r| r.background.as_ref()).into_iter().flat_map(|b| &b.steps);
    background.chain(rule_background).chain(&scenario.steps).map(|s| s.value.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_compiles() {
        assert_eq!(PATTERNS.len(), THEMES.len());
    }

    #[test]
    fn steps_give_their_themes() {
        assert_eq!(themes(["Alice posts \"hi\" with uid \"u1\" twice"]), vec!["uid"]);
        assert_eq!(themes(["Bob receives no notification about \"hi\""]), vec!["notifications"]);
        assert_eq!(themes(["the request is refused with status 403"]), vec!["errors", "authorization"]);
        assert_eq!(themes(["the owner of the room is Bob"]), vec!["owner-handoff"]);
        assert!(themes(["Alice posts \"fluid\" and \"serials\""]).contains(&"serial"));
        assert!(!themes(["Alice posts \"fluid\""]).contains(&"uid"));
        assert!(themes(["Alice creates a room"]).is_empty());
        assert!(themes(["the page logged no error"]).is_empty());
        assert_eq!(themes(["the call fails with error \"x\""]), vec!["errors"]);
    }
}
