//! The rule indexes (`specs/src/<api>/rules/<area>.toml`) stay in step with the seeds
//! (`specs/seeds/`), the registers (`specs/src/<api>/NOTES.md`) and the suites
//! (`features/<api>/`): every quote is in its seed, every rule has scenarios, a gap or a
//! register entry, every scenario names its rules with `@rule:<id>` tags that agree with the
//! index, and every `Doc:` quote of a scenario is in its seed. The figures and gaps of each
//! index are printed (`cargo test -p chatspec-specs --test rules -- --nocapture`).
//!
//! `RULES.md` beside each index is generated from it; regenerate with
//! `UPDATE_RULES=1 cargo test -p chatspec-specs --test rules`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chatspec_specs::rules::{self, APIS, REGISTER, RuleIndex, TAG_PREFIX};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The seeds each API's rules and scenarios may quote.
fn seeds_of(api: &str) -> &'static [&'static str] {
    match api {
        "unichat" => &["000", "001"],
        "connectnow" => &["002"],
        "sama" => &["003"],
        "onechat" => &["004"],
        other => panic!("no seeds are known for {other}"),
    }
}

/// Every seed's text by its number (`"001"`), from `specs/seeds/NNN_*.txt`.
fn seeds() -> BTreeMap<String, String> {
    let dir = root().join("specs/seeds");
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("specs/seeds exists") {
        let path = entry.expect("dir entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        if let Some((number, _)) = name.split_once('_')
            && name.ends_with(".txt")
        {
            out.insert(number.to_owned(), read(&path));
        }
    }
    out
}

/// One scenario as reports see it (an outline row is a scenario of its own).
#[derive(Debug)]
struct Scenario {
    /// `<api>/<area>/<slug>[#n]`, as `harness/src/collect.rs` makes it.
    id: String,
    /// `features/<api>/<area>.feature:<line>`.
    place: String,
    /// The rule ids of its `@rule:` tags (feature, scenario and `Examples:` block).
    rules: BTreeSet<String>,
    /// The text after `Doc:` in its description.
    doc: Option<String>,
}

/// `Retrying a post with the same uid` -> `retrying-a-post-with-the-same-uid`, exactly as
/// `harness/src/collect.rs` slugs scenario names for ids.
fn slug(name: &str) -> String {
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

fn rule_tags<'a>(tags: impl IntoIterator<Item = &'a String>) -> BTreeSet<String> {
    tags.into_iter().filter_map(|t| t.strip_prefix(TAG_PREFIX)).map(str::to_owned).collect()
}

/// Every scenario of `features/<api>/`, outlines expanded row by row as cucumber does
/// (a row's line is its `Examples:` line + its index + 2), with ids made unique as reports
/// make them: `#n` in line order when a name repeats within a feature.
fn scenarios(api: &str) -> Vec<Scenario> {
    let dir = root().join("features").join(api);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "feature"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let area = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
        let feature = gherkin::Feature::parse_path(&path, gherkin::GherkinEnv::default())
            .unwrap_or_else(|e| panic!("cannot parse {}: {e}", path.display()));
        let all =
            feature.scenarios.iter().map(|s| (s, Vec::new())).chain(
                feature.rules.iter().flat_map(|r| r.scenarios.iter().map(move |s| (s, r.tags.clone()))),
            );
        let mut rows: Vec<(usize, String, BTreeSet<String>, Option<String>)> = Vec::new();
        for (s, rule_block_tags) in all {
            let doc = s.description.as_deref().and_then(|d| {
                d.lines().find_map(|l| l.trim().strip_prefix("Doc:").map(|x| x.trim().to_owned()))
            });
            let base = feature.tags.iter().chain(&rule_block_tags).chain(&s.tags);
            if s.examples.is_empty() {
                rows.push((s.position.line, s.name.clone(), rule_tags(base), doc));
                continue;
            }
            for ex in &s.examples {
                let Some((header, values)) = ex.table.as_ref().and_then(|t| t.rows.split_first()) else {
                    continue;
                };
                for (i, row) in values.iter().enumerate() {
                    let mut name = s.name.clone();
                    for (k, v) in header.iter().zip(row) {
                        name = name.replace(&format!("<{k}>"), v);
                    }
                    let tags = rule_tags(base.clone().chain(&ex.tags));
                    rows.push((ex.position.line + i + 2, name, tags, doc.clone()));
                }
            }
        }
        rows.sort_by_key(|r| r.0);
        let mut count: BTreeMap<String, usize> = BTreeMap::new();
        for (_, name, _, _) in &rows {
            *count.entry(slug(name)).or_default() += 1;
        }
        let mut nth: BTreeMap<String, usize> = BTreeMap::new();
        for (line, name, rules, doc) in rows {
            let s = slug(&name);
            let id = if count[&s] > 1 {
                let n = nth.entry(s.clone()).or_default();
                *n += 1;
                format!("{api}/{area}/{s}#{n}")
            } else {
                format!("{api}/{area}/{s}")
            };
            out.push(Scenario { id, place: format!("features/{api}/{area}.feature:{line}"), rules, doc });
        }
    }
    out
}

/// Everything one API's checks need.
struct Api {
    name: &'static str,
    index: RuleIndex,
    register: String,
    scenarios: Vec<Scenario>,
}

/// Every API's index, the rules its declarations state linked to the scenarios tagged with
/// them.
fn apis() -> Vec<Api> {
    APIS.iter()
        .map(|&name| {
            let mut index = rules::index(name)
                .unwrap_or_else(|| panic!("no rule index for {name}"))
                .unwrap_or_else(|e| panic!("{e}"));
            let scenarios = scenarios(name);
            index
                .link(|id| scenarios.iter().filter(|s| s.rules.contains(id)).map(|s| s.id.clone()).collect());
            Api {
                name,
                index,
                register: read(&root().join("specs/src").join(name).join("NOTES.md")),
                scenarios,
            }
        })
        .collect()
}

fn assert_none(problems: &[String], what: &str) {
    assert!(problems.is_empty(), "{what} ({}):\n  {}", problems.len(), problems.join("\n  "));
}

#[test]
fn every_rule_is_well_formed_and_stands_somewhere() {
    let mut problems = Vec::new();
    for api in apis() {
        let index = &api.index;
        if index.api != api.name {
            problems.push(format!("the index of {} names the api {:?}", api.name, index.api));
        }
        let mut ids = BTreeSet::new();
        for r in &index.rules {
            problems.extend(r.problems(&index.prefix).into_iter().map(|p| format!("{}: {p}", api.name)));
            if !ids.insert(r.id.as_str()) {
                problems.push(format!("{}: the id {} is used twice", api.name, r.id));
            }
            if r.seed != REGISTER && !seeds_of(api.name).contains(&r.seed.as_str()) {
                problems.push(format!(
                    "{}: {} quotes seed {:?}; {} rules quote seed {:?} or \"{REGISTER}\"",
                    api.name,
                    r.id,
                    r.seed,
                    api.name,
                    seeds_of(api.name)
                ));
            }
            if !index.areas.contains(&r.area) {
                problems.push(format!(
                    "{}: {} is in the area {:?}, which has no features/{}/{}.feature nor rules file (areas: {})",
                    api.name,
                    r.id,
                    r.area,
                    api.name,
                    r.area,
                    index.areas.join(", ")
                ));
            }
            if let Some(entry) = &r.reason
                && !api.register.contains(&format!("| {entry} |"))
            {
                problems.push(format!(
                    "{}: {} gives the reason {entry}, which is no entry of specs/src/{}/NOTES.md",
                    api.name, r.id, api.name
                ));
            }
        }
        let f = index.figures();
        println!(
            "{}: rules {}, with a scenario {} ({} in part), gaps {}, no scenario possible {}",
            api.name, f.rules, f.with_scenario, f.partial, f.gaps, f.reasons
        );
        for r in index.rules.iter().filter(|r| r.gap.is_some()) {
            let part = if r.scenarios.is_empty() { "gap" } else { "gap, checked in part" };
            println!("  {part}: {}: {}", r.id, r.gap.as_deref().unwrap_or_default());
        }
        if f.rules != f.with_scenario + f.gaps + f.reasons {
            problems.push(format!("{}: the figures do not add up: {f:?}", api.name));
        }
    }
    assert_none(&problems, "malformed rules");
}

#[test]
fn every_area_file_is_read() {
    let mut problems = Vec::new();
    for source in rules::SOURCES {
        let dir = root().join("specs/src").join(source.api).join("rules");
        let read: BTreeSet<&str> = source.areas.iter().map(|(a, _)| *a).collect();
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        {
            let path = entry.expect("dir entry").path();
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
            if path.extension().is_some_and(|x| x == "toml") && !read.contains(stem.as_str()) {
                problems.push(format!(
                    "specs/src/{}/rules/{stem}.toml is not read: add \"{stem}\" to the areas of {} in specs/src/rules.rs",
                    source.api, source.api
                ));
            }
        }
    }
    assert_none(&problems, "rule files the index does not read");
}

#[test]
fn every_rule_quote_is_in_its_seed_or_register() {
    let seeds = seeds();
    let mut problems = Vec::new();
    for api in apis() {
        for r in &api.index.rules {
            let (text, source) = if r.seed == REGISTER {
                (Some(&api.register), format!("specs/src/{}/NOTES.md", api.name))
            } else {
                (seeds.get(&r.seed), format!("seed {}", r.seed))
            };
            if !text.is_some_and(|t| rules::quote_in(t, &r.quote)) {
                problems.push(format!("{}: the quote is not in {source}: {:?}", r.id, r.quote));
            }
        }
    }
    assert_none(&problems, "rule quotes not found (only whitespace may differ from the source)");
}

#[test]
fn every_listed_scenario_exists() {
    let mut problems = Vec::new();
    for api in apis() {
        let ids: Vec<&str> = api.scenarios.iter().map(|s| s.id.as_str()).collect();
        for r in &api.index.rules {
            let mut seen = BTreeSet::new();
            for listed in &r.scenarios {
                if !seen.insert(listed.as_str()) {
                    problems.push(format!("{} lists {listed} twice", r.id));
                }
                if !ids.iter().any(|id| rules::Rule::names(listed, id)) {
                    problems
                        .push(format!("{} lists {listed}, which no feature file of {} has", r.id, api.name));
                }
            }
        }
    }
    assert_none(&problems, "scenarios the index lists but the suites do not have");
}

#[test]
fn every_scenario_names_its_rules_and_the_index_agrees() {
    let mut problems = Vec::new();
    for api in apis() {
        let index = &api.index;
        for s in &api.scenarios {
            let listed: BTreeSet<String> = index.rules_of(&s.id).iter().map(|r| r.id.clone()).collect();
            for tag in &s.rules {
                if index.rule(tag).is_none() {
                    problems.push(format!("{} ({}) names the unknown rule @rule:{tag}", s.id, s.place));
                }
            }
            if s.rules.is_empty() {
                problems.push(format!("{} ({}) has no @rule tag", s.id, s.place));
            }
            for missing in listed.difference(&s.rules) {
                problems.push(format!(
                    "{} ({}): the index lists it under {missing}, but it has no @rule:{missing} tag",
                    s.id, s.place
                ));
            }
            for extra in s.rules.difference(&listed).filter(|t| index.rule(t).is_some()) {
                problems.push(format!(
                    "{} ({}) is tagged @rule:{extra}, but {extra} does not list it (specs/src/{}/rules/)",
                    s.id, s.place, api.name
                ));
            }
        }
    }
    assert_none(&problems, "scenarios and the rule index disagree");
}

/// A `Doc:` line that cites a seed: `001 "quote"[ and "quote"]...`, then any remark
/// (`; public fact ...`, ` (NOTES.md ...)`).
struct DocQuote {
    seed: String,
    /// Everything between the first and the closing double quote.
    whole: String,
    /// `whole` cut at ` and `, ` with the reply ` and ` with ` between quotes.
    parts: Vec<String>,
}

impl DocQuote {
    /// `None` when the line cites no seed (`public fact ...`).
    fn parse(doc: &str) -> Option<DocQuote> {
        let (seed, rest) = doc.split_once(' ')?;
        if seed.len() != 3 || !seed.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let body = rest.trim().strip_prefix('"')?;
        let remark = [r#""; "#, r#"" ("#].iter().filter_map(|m| body.find(m)).min();
        let whole = body[..remark.or_else(|| body.rfind('"'))?].to_owned();
        let mut parts = vec![whole.clone()];
        for joint in [r#"" with the reply ""#, r#"" and ""#, r#"" with ""#] {
            parts = parts.iter().flat_map(|p| p.split(joint).map(str::to_owned)).collect();
        }
        Some(DocQuote { seed: seed.to_owned(), whole, parts })
    }

    /// The quote as a whole, or else each of its parts, is in `seed` (whitespace aside).
    fn missing_from(&self, seed: &str) -> Vec<&str> {
        if rules::quote_in(seed, &self.whole) {
            return Vec::new();
        }
        self.parts.iter().filter(|q| !rules::quote_in(seed, q)).map(String::as_str).collect()
    }
}

#[test]
fn every_doc_quote_is_in_its_seed() {
    let seeds = seeds();
    let mut problems = Vec::new();
    for api in apis() {
        for s in &api.scenarios {
            let Some(doc) = &s.doc else {
                problems.push(format!("{} ({}) has no Doc: line", s.id, s.place));
                continue;
            };
            let Some(quote) = DocQuote::parse(doc) else { continue };
            let seed = quote.seed.as_str();
            let Some(text) = seeds.get(seed).filter(|_| seeds_of(api.name).contains(&seed)) else {
                problems.push(format!(
                    "{} ({}) cites seed {seed}, which is not one of {}'s",
                    s.id, s.place, api.name
                ));
                continue;
            };
            let missing = quote.missing_from(text);
            if !missing.is_empty() {
                problems.push(format!("{} ({}): not in seed {seed}: {missing:?}", s.id, s.place));
            }
        }
    }
    assert_none(&problems, "Doc: quotes not found in the seed (only whitespace may differ)");
}

#[test]
fn rules_md_is_generated_from_the_index() {
    let update = std::env::var_os("UPDATE_RULES").is_some();
    let mut drift = Vec::new();
    for api in apis() {
        let path = root().join("specs/src").join(api.name).join("RULES.md");
        let text = api.index.to_markdown();
        if update {
            std::fs::write(&path, &text).expect("write RULES.md");
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            drift.push(format!("specs/src/{}/RULES.md", api.name));
        }
    }
    assert!(
        drift.is_empty(),
        "RULES.md differs from the index; run UPDATE_RULES=1 cargo test -p chatspec-specs --test rules:\n  {}",
        drift.join("\n  ")
    );
}

#[test]
fn doc_lines_are_read_as_seed_quotes() {
    let two = DocQuote::parse(r#"001 "Edit own message" and "Delete own message""#).unwrap();
    assert_eq!(two.seed, "001");
    assert_eq!(two.parts, ["Edit own message", "Delete own message"]);
    assert!(two.missing_from("Edit own message\n\nDelete own message").is_empty());
    assert_eq!(two.missing_from("Edit own message"), ["Delete own message"]);
    let remark =
        DocQuote::parse(r#"002 "Create POST /api/chats"; public fact: "422 (validation)" (NOTES.md C22)"#);
    assert_eq!(remark.unwrap().whole, "Create POST /api/chats");
    let inner = DocQuote::parse(r#"001 "system message from new user with xtag:"joined".""#).unwrap();
    assert_eq!(inner.whole, r#"system message from new user with xtag:"joined"."#);
    assert!(
        inner
            .missing_from(r#"Also system posts unichat system message from new user with xtag:"joined"."#)
            .is_empty()
    );
    assert!(DocQuote::parse(r#"public fact "register(email, password)""#).is_none());
}

#[test]
fn scenario_ids_are_the_reports_ids() {
    assert_eq!(slug("Retrying a post with the same uid, twice!"), "retrying-a-post-with-the-same-uid-twice");
    let all = scenarios("unichat");
    let outline: Vec<&str> = all
        .iter()
        .map(|s| s.id.as_str())
        .filter(|id| {
            id.starts_with("unichat/endpoint/every-method-that-needs-a-user-refuses-a-call-without-a-token")
        })
        .collect();
    assert_eq!(outline.len(), 19, "{outline:?}");
    assert!(outline[0].ends_with("#1") && outline[18].ends_with("#19"), "{outline:?}");
}
