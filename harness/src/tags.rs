//! Cross-cutting tags: themes that run through every API's areas (`@uid`, `@notifications`,
//! `@errors`, ...), given to each scenario from what its steps (its backgrounds' included)
//! say, so no hand-kept list can miss a scenario. `chatspec list` shows them beside the
//! feature files' own tags, and `check --tags` and `list --tags` select by both, with
//! [`selects`]: `--tags "@uid or @serial-order"`. A tag no scenario of the suites carries is
//! refused ([`unknown`]), with the nearest real one.

use std::sync::LazyLock;

use cucumber::gherkin;
use cucumber::gherkin::tagexpr::TagOperation;
use cucumber::tag::Ext as _;
use regex::Regex;

use crate::suites::Entry;

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
    // Not `serial`: that is cucumber's tag of the scenarios that run alone.
    ("serial-order", "the scenario checks the serial order of messages", r"\bserials?\b"),
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

/// The tags of `entry` as a tag expression sees them (without `@`): the feature file's, its
/// rule's and the scenario's own (`rule:<id>` included) and the cross-cutting ones.
fn tags_of(entry: &Entry) -> Vec<String> {
    let own = entry.tags.iter().map(|t| t.trim_start_matches('@').to_owned());
    own.chain(entry.rules.iter().map(|r| format!("rule:{r}"))).collect()
}

/// Whether the tag expression `expr` selects `entry`: the one rule of `check --tags` and
/// `list --tags`.
pub fn selects(expr: &TagOperation, entry: &Entry) -> bool {
    expr.eval(tags_of(entry))
}

/// The tags `expr` names (without `@`), in the order written.
fn named(expr: &TagOperation) -> Vec<&str> {
    match expr {
        TagOperation::And(a, b) | TagOperation::Or(a, b) => {
            let mut out = named(a);
            out.extend(named(b));
            out
        }
        TagOperation::Not(a) => named(a),
        TagOperation::Tag(t) => vec![t.as_str()],
    }
}

/// The first tag of `expr` that no scenario of `entries` carries, with the nearest one that
/// some scenario does (both with `@`), if there is such a tag.
pub fn unknown(expr: &TagOperation, entries: &[Entry]) -> Option<(String, Option<String>)> {
    let mut known: Vec<String> = entries.iter().flat_map(tags_of).collect();
    known.sort_unstable();
    known.dedup();
    let wrong = named(expr).into_iter().find(|t| known.binary_search_by(|k| k.as_str().cmp(t)).is_err())?;
    let nearest = crate::suites::nearest(wrong, known.iter().map(String::as_str)).map(|n| format!("@{n}"));
    Some((format!("@{wrong}"), nearest))
}

/// `tags` parsed as a tag expression. One that does not parse, written with bare words
/// (`uid`, `uid or serial`), is refused with the same words as tags (`@uid`) suggested.
pub fn parse(tags: &str) -> Result<TagOperation, crate::check::CheckError> {
    tags.parse().map_err(|e| {
        let mut reason = format!("{e}");
        let words: Vec<String> = tags
            .split_whitespace()
            .map(|w| {
                let bare = w.trim_start_matches('(').trim_end_matches(')');
                match bare {
                    "" | "and" | "or" | "not" => w.to_owned(),
                    _ if bare.starts_with('@') => w.to_owned(),
                    _ => w.replacen(bare, &format!("@{bare}"), 1),
                }
            })
            .collect();
        let suggested = words.join(" ");
        if suggested != tags.trim() && suggested.parse::<TagOperation>().is_ok() {
            reason.push_str(&format!("; tags start with @: did you mean --tags {suggested:?}?"));
        }
        crate::check::CheckError::BadTags { tags: tags.to_owned(), reason }
    })
}

/// A tag `expr` asks for (not under `not`) that no scenario of `api`'s suite carries but
/// some other suite's do: such a filter would select nothing, so it is refused up front.
#[derive(Debug, PartialEq, thiserror::Error)]
#[error(
    "--tags names {tag}, which no scenario of the {api} suite carries: only the {} suite{} {} (chatspec list --tags {tag} shows them)",
    apis.join(" and "),
    if apis.len() > 1 { "s" } else { "" },
    if apis.len() > 1 { "have it" } else { "has it" }
)]
pub struct InOtherSuites {
    /// The tag, with its `@`.
    pub tag: String,
    /// The suite the run or list is of.
    pub api: String,
    /// The suites whose scenarios carry it.
    pub apis: Vec<String>,
}

/// The first tag `expr` asks for that `api`'s suite lacks and another suite of `entries`
/// carries ([`InOtherSuites`]).
pub fn in_other_suites(expr: &TagOperation, api: &str, entries: &[Entry]) -> Option<InOtherSuites> {
    wanted(expr).into_iter().find_map(|t| {
        let carries = |e: &Entry| tags_of(e).iter().any(|k| k == t);
        if entries.iter().any(|e| e.api == api && carries(e)) {
            return None;
        }
        let mut apis: Vec<String> = entries.iter().filter(|e| carries(e)).map(|e| e.api.clone()).collect();
        apis.dedup();
        (!apis.is_empty()).then(|| InOtherSuites { tag: format!("@{t}"), api: api.to_owned(), apis })
    })
}

/// The tags `expr` asks for: those it names outside any `not`.
fn wanted(expr: &TagOperation) -> Vec<&str> {
    match expr {
        TagOperation::And(a, b) | TagOperation::Or(a, b) => {
            let mut out = wanted(a);
            out.extend(wanted(b));
            out
        }
        TagOperation::Not(_) => Vec::new(),
        TagOperation::Tag(t) => vec![t.as_str()],
    }
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
        assert!(themes(["Alice posts \"fluid\" and \"serials\""]).contains(&"serial-order"));
        assert!(!themes(["Alice posts \"fluid\""]).contains(&"uid"));
        assert!(themes(["Alice creates a room"]).is_empty());
        assert!(themes(["the page logged no error"]).is_empty());
        assert_eq!(themes(["the call fails with error \"x\""]), vec!["errors"]);
    }

    #[test]
    fn a_tag_no_scenario_carries_is_named_with_the_nearest() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../features");
        let entries = crate::suites::catalog(&root).unwrap_or_default();
        let expr = |t: &str| t.parse::<TagOperation>().unwrap_or_else(|e| panic!("{t}: {e}"));
        assert_eq!(unknown(&expr("@uid or @serial"), &entries), None);
        assert_eq!(unknown(&expr("@serial-order and not @rule:U-edit-window"), &entries), None);
        assert_eq!(
            unknown(&expr("@uid and not @seral"), &entries),
            Some(("@seral".to_owned(), Some("@serial".to_owned())))
        );
        // `@serial` is cucumber's run-alone tag only: no scenario gets it from its steps.
        let alone = entries.iter().filter(|e| selects(&expr("@serial"), e)).count();
        let order = entries.iter().filter(|e| selects(&expr("@serial-order"), e)).count();
        let both = entries.iter().filter(|e| selects(&expr("@serial and @serial-order"), e)).count();
        assert!(alone > 0 && order > 0 && both < alone, "{alone} {order} {both}");
    }

    #[test]
    fn bare_words_are_refused_with_the_tags_suggested() {
        let e = parse("uid").map(|_| ()).unwrap_err().to_string();
        assert!(e.contains("did you mean --tags \"@uid\"?"), "{e}");
        let e = parse("uid and not (clock)").map(|_| ()).unwrap_err().to_string();
        assert!(e.contains("did you mean --tags \"@uid and not (@clock)\"?"), "{e}");
        assert!(parse("@uid or @serial").is_ok());
    }

    #[test]
    fn a_tag_only_another_suite_carries_is_named_with_that_suite() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../features");
        let entries = crate::suites::catalog(&root).unwrap_or_default();
        let expr = |t: &str| t.parse::<TagOperation>().unwrap_or_else(|e| panic!("{t}: {e}"));
        let got = in_other_suites(&expr("@uid"), "connectnow", &entries);
        assert_eq!(
            got.as_ref().map(|g| (g.tag.as_str(), g.apis.clone())),
            Some(("@uid", vec!["unichat".into()]))
        );
        let text = got.map(|g| g.to_string()).unwrap_or_default();
        assert!(
            text.contains("no scenario of the connectnow suite carries")
                && text.contains("unichat suite has it")
        );
        assert_eq!(in_other_suites(&expr("@uid"), "unichat", &entries), None);
        // A tag ruled out (`not`) selects nothing away: no refusal.
        assert_eq!(in_other_suites(&expr("@errors and not @uid"), "connectnow", &entries), None);
    }
}
