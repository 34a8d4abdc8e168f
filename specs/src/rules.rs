//! The rule index of every API: each checkable sentence of the seeds, with a stable id, its
//! quote, and the scenarios that check it, or the register entry that says why no scenario
//! can, or the gap still to close.
//!
//! One TOML file per API area beside the API's register, `specs/src/<api>/rules/<area>.toml`
//! (the area is the file's stem, as in `features/<api>/<area>.feature`), each a list of rules:
//!
//! ```toml
//! [[rule]]
//! id = "U-uid-unique-per-user"    # stable: never renumbered, renamed or reused
//! seed = "001"                    # the seed file the quote is from, or "register"
//! quote = "uid must be unique for a user ofr medium time intervals."
//! scenarios = ["unichat/uid/..."] # the scenarios that check it, and/or
//! gap = "what no scenario checks yet" # or
//! reason = "U18"                  # the register entry that says why no scenario can
//! ```
//!
//! - `id` is the API's prefix ([`ApiRules::prefix`]), a hyphen and a lowercase slug.
//! - `quote` is verbatim from the seed, typos included; only whitespace may differ. A rule
//!   whose `seed` is `"register"` quotes the API's register (`NOTES.md`): a public fact, or a
//!   reading of what the seed leaves out that scenarios check on their own.
//! - `scenarios` are scenario ids as reports print them, `<api>/<feature stem>/<slug of the
//!   scenario name>`, with `#n` for the n-th row of a scenario outline; an outline's id
//!   without `#n` stands for every row. A scenario checks a rule only if it can fail when the
//!   rule is broken.
//! - `gap` says what is not checked yet: alone, no scenario checks the rule; beside
//!   `scenarios`, they check it only in part (they also pass a server that breaks it in the
//!   way the gap says).
//! - `reason` names the register entry that explains why no scenario can check it; it stands
//!   alone.
//!
//! An endpoint's declaration may state its own rule instead (`Doc::rule`, in
//! `specs/src/<api>/<area>.rs`): the declaration's seed and quote, the id it gives, the first
//! area its `endpoints!` line names, and, for scenarios, those tagged `@rule:<id>`
//! ([`RuleIndex::link`]). A new endpoint needs no TOML entry that way.
//!
//! Scenarios name their rules with tags, `@rule:<id>` on the scenario (every row of an
//! outline) or on an `Examples:` block (its rows). `specs/tests/rules.rs` keeps the index,
//! the seeds (`specs/seeds/`), the registers and the feature files in step, and renders
//! `specs/src/<api>/RULES.md`, the index for readers, from it.

use std::fmt::Write as _;

use serde::Deserialize;

use crate::endpoint::Endpoints;

/// The APIs with a rule index, in report order.
pub const APIS: [&str; 4] = ["unichat", "connectnow", "sama", "onechat"];

/// What a feature-file tag starts with (after the `@`) to name a rule: `@rule:U-uid-max-64`.
pub const TAG_PREFIX: &str = "rule:";

/// The `seed` of a rule quoted from the API's register rather than from a seed.
pub const REGISTER: &str = "register";

/// What is known of one API's index before its files are read.
#[derive(Clone, Copy, Debug)]
pub struct ApiRules {
    /// The API's name: `unichat`, `connectnow`, `sama`, `onechat`.
    pub api: &'static str,
    /// The start of every rule id of the API, before the hyphen: `U`, `C`, `S`, `O`.
    pub prefix: &'static str,
    /// Each area's name and the text of its `rules/<area>.toml`, in the order of the seeds.
    pub areas: &'static [(&'static str, &'static str)],
    /// The rules the API's endpoint declarations state ([`declared`]).
    pub declared: fn() -> Vec<Rule>,
}

/// The rules the endpoints of `E` state in their declarations (`Doc::rule`), each in the first
/// area its `endpoints!` line names, with no scenarios yet ([`RuleIndex::link`] adds them).
pub fn declared<E: Endpoints>() -> Vec<Rule> {
    E::ALL
        .iter()
        .filter_map(|e| {
            let doc = e.doc();
            Some(Rule {
                id: doc.rule?.to_owned(),
                area: e.areas().first().copied().unwrap_or_default().to_owned(),
                seed: doc.seed.to_owned(),
                quote: doc.quote.to_owned(),
                scenarios: Vec::new(),
                reason: None,
                gap: None,
                endpoint: Some(e.name().to_owned()),
            })
        })
        .collect()
}

macro_rules! areas {
    ($api:literal: $($area:literal),+ $(,)?) => {
        &[$(($area, include_str!(concat!($api, "/rules/", $area, ".toml")))),+]
    };
}

/// Every API's index, as committed.
pub const SOURCES: [ApiRules; 4] = [
    ApiRules {
        api: "unichat",
        prefix: "U",
        declared: declared::<crate::unichat::Method>,
        areas: areas!("unichat": "endpoint", "accounts", "sse", "subscriptions", "rooms", "messages",
            "deleting", "serial", "authorization", "invites", "uid", "attachments", "editing", "leaving"),
    },
    ApiRules {
        api: "connectnow",
        prefix: "C",
        declared: declared::<crate::connectnow::Route>,
        areas: areas!("connectnow": "auth", "scoping", "errors", "users", "companies", "chats",
            "chat_users", "chat_messages", "tokens", "pagination"),
    },
    ApiRules {
        api: "sama",
        prefix: "S",
        declared: declared::<crate::sama::Request>,
        areas: areas!("sama": "users", "auth", "contacts", "conversations", "membership", "messages",
            "offline", "system", "reading", "typing", "edits", "push", "activity", "files",
            "blocking", "frames"),
    },
    ApiRules {
        api: "onechat",
        prefix: "O",
        declared: || {
            let mut rules = declared::<crate::onechat::Route>();
            rules.extend(declared::<crate::onechat::Library>());
            rules
        },
        areas: areas!("onechat": "endpoint", "broadcast", "relay", "miniapps", "chat_plugin",
            "mini_app_library"),
    },
];

/// One API's rule index.
#[derive(Clone, Debug)]
pub struct RuleIndex {
    /// The API's name.
    pub api: String,
    /// The start of every rule id of the API, before the hyphen.
    pub prefix: String,
    /// The areas, in order.
    pub areas: Vec<String>,
    /// The rules, area by area, in the order of their files.
    pub rules: Vec<Rule>,
}

/// The shape of one `rules/<area>.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AreaFile {
    #[serde(default)]
    rule: Vec<Rule>,
}

/// One checkable sentence of a seed (or fact of a register).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable id: the API's prefix, a hyphen and a slug (`U-leave-message-from`).
    pub id: String,
    /// The feature area whose scenarios check it, or would: its file's stem.
    #[serde(skip)]
    pub area: String,
    /// The seed the quote is from (`"000"` to `"004"`), or [`REGISTER`].
    pub seed: String,
    /// The sentence, verbatim (whitespace aside).
    pub quote: String,
    /// Scenario ids that check it (an outline's id without `#n`: every row).
    #[serde(default)]
    pub scenarios: Vec<String>,
    /// The register entry (`U7`, `C25`, ...) that says why no scenario can check it.
    #[serde(default)]
    pub reason: Option<String>,
    /// What no scenario checks yet.
    #[serde(default)]
    pub gap: Option<String>,
    /// The endpoint whose declaration states the rule (`Doc::rule`); `None` for a rule of a
    /// `rules/<area>.toml`.
    #[serde(skip)]
    pub endpoint: Option<String>,
}

/// Where a rule stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Scenarios check it.
    Checked,
    /// Scenarios check it in part; a gap remains.
    Partial,
    /// No scenario checks it yet.
    Gap,
    /// No scenario can check it; the register says why.
    Reason,
}

/// Counts of an index's rules by status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    /// Every rule.
    pub rules: usize,
    /// Rules with at least one scenario (checked in full or in part).
    pub with_scenario: usize,
    /// Rules with a scenario and a gap beside it.
    pub partial: usize,
    /// Rules with no scenario yet.
    pub gaps: usize,
    /// Rules no scenario can check (a register entry says why).
    pub reasons: usize,
}

impl Rule {
    /// Where the rule stands.
    pub fn status(&self) -> Status {
        match (self.scenarios.is_empty(), &self.gap, &self.reason) {
            (_, _, Some(_)) => Status::Reason,
            (false, None, None) => Status::Checked,
            (false, Some(_), None) => Status::Partial,
            (true, _, None) => Status::Gap,
        }
    }

    /// Does the entry `listed` of `scenarios` name the scenario `id`? Exactly, or as the
    /// outline whose row `id` is.
    pub fn names(listed: &str, id: &str) -> bool {
        listed == id || (!listed.contains('#') && id.split_once('#').is_some_and(|(base, _)| base == listed))
    }

    /// Does the rule list the scenario `id`?
    pub fn checked_by(&self, id: &str) -> bool {
        self.scenarios.iter().any(|s| Rule::names(s, id))
    }

    /// What is wrong with the rule on its own (its shape, not its links to seeds or suites).
    pub fn problems(&self, prefix: &str) -> Vec<String> {
        let mut out = Vec::new();
        let slug = self.id.strip_prefix(prefix).and_then(|s| s.strip_prefix('-'));
        let slug_ok = slug.is_some_and(|s| {
            !s.is_empty()
                && s.split('-').all(|w| !w.is_empty())
                && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        });
        if !slug_ok {
            out.push(format!("{}: an id is \"{prefix}-\" and a lowercase slug", self.id));
        }
        if self.quote.trim().is_empty() {
            out.push(format!("{}: the quote is empty", self.id));
        }
        if self.reason.is_some() && (!self.scenarios.is_empty() || self.gap.is_some()) {
            out.push(format!("{}: a reason stands alone (no scenarios, no gap)", self.id));
        }
        if self.scenarios.is_empty() && self.reason.is_none() && self.gap.is_none() {
            out.push(format!("{}: no scenarios, no reason and no gap", self.id));
        }
        if self.gap.as_deref().is_some_and(|g| g.trim().is_empty()) {
            out.push(format!("{}: the gap says nothing", self.id));
        }
        out
    }
}

impl RuleIndex {
    /// Reads an index from its areas' TOML texts.
    pub fn parse(source: &ApiRules) -> Result<RuleIndex, RuleFileError> {
        let mut rules = Vec::new();
        let mut declared = (source.declared)();
        for (area, text) in source.areas {
            let file: AreaFile = toml::from_str(text).map_err(|error| RuleFileError {
                api: source.api,
                area,
                error: Box::new(error),
            })?;
            rules.extend(file.rule.into_iter().map(|r| Rule { area: (*area).to_owned(), ..r }));
            rules.extend(declared.extract_if(.., |r| r.area == *area));
        }
        // A declaration naming an area with no rule file: kept, and refused by the index's
        // tests, which check every rule's area.
        rules.append(&mut declared);
        Ok(RuleIndex {
            api: source.api.to_owned(),
            prefix: source.prefix.to_owned(),
            areas: source.areas.iter().map(|(a, _)| (*a).to_owned()).collect(),
            rules,
        })
    }

    /// Gives each rule an endpoint declaration states ([`declared`]) the scenarios that name
    /// it: `tagged(id)` is the ids of the scenarios tagged `@rule:<id>`. The rules of the TOML
    /// files keep the scenarios they list.
    pub fn link(&mut self, tagged: impl Fn(&str) -> Vec<String>) {
        for r in self.rules.iter_mut().filter(|r| r.endpoint.is_some()) {
            r.scenarios = tagged(&r.id);
        }
    }

    /// The rule with `id`.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Counts of the rules by status.
    pub fn figures(&self) -> Figures {
        let mut f = Figures { rules: self.rules.len(), ..Figures::default() };
        for r in &self.rules {
            match r.status() {
                Status::Checked => f.with_scenario += 1,
                Status::Partial => {
                    f.with_scenario += 1;
                    f.partial += 1;
                }
                Status::Gap => f.gaps += 1,
                Status::Reason => f.reasons += 1,
            }
        }
        f
    }

    /// The rules that name the scenario `id` (exactly or as its outline).
    pub fn rules_of(&self, id: &str) -> Vec<&Rule> {
        self.rules.iter().filter(|r| r.checked_by(id)).collect()
    }

    /// The human-readable index, `RULES.md`: figures, gaps, then every rule by area.
    pub fn to_markdown(&self) -> String {
        let f = self.figures();
        let mut out = String::new();
        let _ = writeln!(out, "# Rule index: {}\n", self.api);
        let _ = writeln!(
            out,
            "Generated from `rules/*.toml` and the rules the endpoint declarations state (\"declared \
             with\") by `UPDATE_RULES=1 cargo test -p chatspec-specs --test rules`; do not edit by \
             hand. Each rule is a checkable sentence of a seed (or a fact of the register, \
             `NOTES.md`), with the scenarios that check it.\n"
        );
        let _ = writeln!(
            out,
            "Rules: {}; with a scenario: {} ({} of them in part); gaps (no scenario yet): {}; \
             no scenario possible (register entry): {}.\n",
            f.rules, f.with_scenario, f.partial, f.gaps, f.reasons
        );
        let gaps: Vec<&Rule> = self.rules.iter().filter(|r| r.gap.is_some()).collect();
        if !gaps.is_empty() {
            let _ = writeln!(out, "## Gaps\n");
            for r in gaps {
                let part = if r.scenarios.is_empty() { "" } else { " (checked in part)" };
                let _ = writeln!(out, "- `{}`{part}: {}", r.id, r.gap.as_deref().unwrap_or_default());
            }
            out.push('\n');
        }
        for area in &self.areas {
            let rules: Vec<&Rule> = self.rules.iter().filter(|r| &r.area == area).collect();
            let _ = writeln!(out, "## {area}\n");
            let _ = writeln!(out, "| rule | source | quote | checked by |");
            let _ = writeln!(out, "| --- | --- | --- | --- |");
            for r in rules {
                let mut source =
                    if r.seed == REGISTER { "register".to_owned() } else { format!("seed {}", r.seed) };
                if let Some(endpoint) = &r.endpoint {
                    let _ = write!(source, ", declared with `{endpoint}`");
                }
                let _ = writeln!(
                    out,
                    "| `{}` | {source} | {} | {} |",
                    r.id,
                    cell(&normalise_whitespace(&r.quote)),
                    checked_by(r)
                );
            }
            out.push('\n');
        }
        out
    }
}

fn checked_by(r: &Rule) -> String {
    let mut parts: Vec<String> = r.scenarios.iter().map(|s| format!("`{s}`")).collect();
    if let Some(gap) = &r.gap {
        parts.push(format!("**gap**: {}", cell(gap)));
    }
    if let Some(reason) = &r.reason {
        parts.push(format!("none can: register {reason}"));
    }
    parts.join("<br>")
}

/// A Markdown table cell: pipes, angle brackets and stars escaped, on one line.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('*', "\\*")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\n', " ")
}

/// A rule file that is not the TOML an area's rules are written in.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("specs/src/{api}/rules/{area}.toml: {error}")]
pub struct RuleFileError {
    /// The API the file belongs to.
    pub api: &'static str,
    /// The area, the file's stem.
    pub area: &'static str,
    /// What the TOML parser found, with the line and column.
    pub error: Box<toml::de::Error>,
}

/// The committed index of `api`, read; `None` for an API without one.
pub fn index(api: &str) -> Option<Result<RuleIndex, RuleFileError>> {
    SOURCES.iter().find(|s| s.api == api).map(RuleIndex::parse)
}

/// `text` with every run of whitespace made one space, trimmed.
pub fn normalise_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Is `quote` in `text`, whitespace aside? Whitespace is left out of both altogether, not only
/// collapsed: the seeds break lines before punctuation (seed 003: "refresh_token\n, a new
/// refresh_token"), and a quote written as prose says "refresh_token, a new refresh_token".
pub fn quote_in(text: &str, quote: &str) -> bool {
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    let quote = squeeze(quote);
    !quote.is_empty() && squeeze(text).contains(&quote)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(scenarios: &[&str], gap: Option<&str>, reason: Option<&str>) -> Rule {
        Rule {
            id: "U-some-rule".into(),
            area: "uid".into(),
            seed: "001".into(),
            quote: "uid must be unique".into(),
            scenarios: scenarios.iter().map(|s| (*s).to_owned()).collect(),
            reason: reason.map(str::to_owned),
            gap: gap.map(str::to_owned),
            endpoint: None,
        }
    }

    #[test]
    fn every_committed_index_parses() {
        for api in APIS {
            let index = index(api).unwrap_or_else(|| panic!("no index for {api}"));
            let index = index.unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(index.api, api);
        }
    }

    #[test]
    fn an_outline_id_names_every_row_and_a_row_only_itself() {
        assert!(Rule::names("unichat/endpoint/every-method", "unichat/endpoint/every-method#3"));
        assert!(Rule::names("unichat/endpoint/every-method#3", "unichat/endpoint/every-method#3"));
        assert!(!Rule::names("unichat/endpoint/every-method#3", "unichat/endpoint/every-method#4"));
        assert!(!Rule::names("unichat/endpoint/every", "unichat/endpoint/every-method#1"));
    }

    #[test]
    fn status_follows_scenarios_gap_and_reason() {
        assert_eq!(rule(&["a/b/c"], None, None).status(), Status::Checked);
        assert_eq!(rule(&["a/b/c"], Some("only half"), None).status(), Status::Partial);
        assert_eq!(rule(&[], Some("nothing yet"), None).status(), Status::Gap);
        assert_eq!(rule(&[], None, Some("U7")).status(), Status::Reason);
    }

    #[test]
    fn a_rule_needs_a_well_formed_id_and_exactly_one_standing() {
        assert!(rule(&["a/b/c"], None, None).problems("U").is_empty());
        assert!(!rule(&[], None, None).problems("U").is_empty());
        assert!(!rule(&["a/b/c"], None, Some("U7")).problems("U").is_empty());
        let mut bad = rule(&["a/b/c"], None, None);
        bad.id = "U-Not_A_Slug".into();
        assert!(!bad.problems("U").is_empty());
        assert!(!rule(&["a/b/c"], None, None).problems("C").is_empty());
    }

    #[test]
    fn link_gives_declared_rules_their_tagged_scenarios_and_leaves_listed_ones() {
        let mut declared = rule(&[], None, None);
        declared.id = "U-declared".into();
        declared.endpoint = Some("post_message".into());
        let listed = rule(&["unichat/uid/listed"], None, None);
        let mut index = RuleIndex {
            api: "unichat".into(),
            prefix: "U".into(),
            areas: vec!["uid".into()],
            rules: vec![listed, declared],
        };
        index
            .link(|id| if id == "U-declared" { vec!["unichat/uid/tagged".into()] } else { vec!["x".into()] });
        assert_eq!(index.rules[0].scenarios, ["unichat/uid/listed"]);
        assert_eq!(index.rules[1].scenarios, ["unichat/uid/tagged"]);
        assert!(index.to_markdown().contains("| `U-declared` | seed 001, declared with `post_message` |"));
    }

    #[test]
    fn quotes_match_whatever_the_whitespace() {
        assert!(quote_in("Get all\nGET /api/chats\n", "Get all GET  /api/chats"));
        assert!(!quote_in("Get all\nGET /api/chats\n", "Get all POST /api/chats"));
        assert!(!quote_in("anything", "  "));
        assert!(quote_in("or refresh_token\n, a new refresh_token", "or refresh_token, a new refresh_token"));
    }

    #[test]
    fn figures_count_partial_rules_as_checked_and_as_partial() {
        let index = RuleIndex {
            api: "unichat".into(),
            prefix: "U".into(),
            areas: vec!["uid".into()],
            rules: vec![
                rule(&["a/b/c"], None, None),
                rule(&["a/b/c"], Some("half"), None),
                rule(&[], Some("none"), None),
                rule(&[], None, Some("U7")),
            ],
        };
        assert_eq!(index.figures(), Figures { rules: 4, with_scenario: 2, partial: 1, gaps: 1, reasons: 1 });
        let md = index.to_markdown();
        assert!(md.contains("Rules: 4; with a scenario: 2 (1 of them in part)"), "{md}");
        assert!(md.contains("(checked in part): half"), "{md}");
    }
}
