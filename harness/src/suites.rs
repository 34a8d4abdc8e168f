//! The suites: the feature files embedded in the binary (or a folder given with
//! `--features`), and the catalog of their scenarios with the ids the reports use.
//!
//! A scenario's id is `<api>/<area>/<slug of its name>`, plus `#<n>` (1-based, in line order)
//! when several scenarios of one feature file share a slug, as the rows of a Scenario Outline
//! do. The id is a property of the feature file alone, so it is the same whichever scenarios
//! a run selects.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cucumber::feature::Ext as _;
use cucumber::gherkin;
use include_dir::{Dir, include_dir};
use serde::Serialize;

/// Why the suites could not be written out or read.
#[derive(Debug, thiserror::Error)]
pub enum SuiteError {
    /// The built-in suites could not be written under the temporary folder.
    #[error("cannot write the built-in suites under {}: {source}", path.display())]
    Extract {
        /// The staging folder being written.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// The written copy could not be moved into place, and no other run's copy is there.
    #[error("cannot write the built-in suites under {}", .0.display())]
    NotInPlace(PathBuf),
    /// A suite's folder (`<features>/<api>`) could not be listed.
    #[error("cannot read {}: {source}", path.display())]
    ReadDir {
        /// The folder.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// A feature file is not Gherkin (or could not be read).
    #[error("cannot parse {}: {source}", path.display())]
    Parse {
        /// The feature file.
        path: PathBuf,
        /// The parser's error (boxed: it is large, and the error travels by value).
        source: Box<gherkin::ParseFileError>,
    },
    /// A Scenario Outline's steps name a `<placeholder>` its Examples lack.
    #[error("cannot expand the outlines of {}: {source}", path.display())]
    Expand {
        /// The feature file.
        path: PathBuf,
        /// Which placeholder, where (boxed, as the parser's error).
        source: Box<cucumber::feature::ExpandExamplesError>,
    },
}

/// The repository's `features/` folder as it was when this binary was built.
static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../features");

/// A short hash of the embedded feature files: which built-in suite this binary carries.
pub fn embedded_revision() -> String {
    let mut files = Vec::new();
    collect_files(&EMBEDDED, &mut files);
    files.sort_by(|a, b| a.path().cmp(b.path()));
    let mut hasher = crc32fast::Hasher::new();
    for f in files {
        hasher.update(f.path().as_os_str().as_encoded_bytes());
        hasher.update(f.contents());
    }
    format!("{:08x}", hasher.finalize())
}

fn collect_files<'a>(dir: &'a Dir<'a>, out: &mut Vec<&'a include_dir::File<'a>>) {
    out.extend(dir.files());
    for d in dir.dirs() {
        collect_files(d, out);
    }
}

/// Writes the embedded suites once under the system's temporary folder and returns the
/// `features` folder holding `<api>/*.feature`. The folder is named by the suites' hash and
/// written whole before it appears, so concurrent runs share it safely.
pub fn embedded_dir() -> Result<PathBuf, SuiteError> {
    let root = std::env::temp_dir().join(format!("chatspec-suites-{}", embedded_revision()));
    let features = root.join("features");
    if features.is_dir() {
        return Ok(features);
    }
    let staging =
        std::env::temp_dir().join(format!("chatspec-suites-{}.{}", embedded_revision(), std::process::id()));
    let written = staging.join("features");
    std::fs::create_dir_all(&written)
        .and_then(|()| EMBEDDED.extract(&written))
        .map_err(|source| SuiteError::Extract { path: staging.clone(), source })?;
    if std::fs::rename(&staging, &root).is_err() {
        // Another run wrote it first; its copy is the same.
        let _ = std::fs::remove_dir_all(&staging);
    }
    if features.is_dir() { Ok(features) } else { Err(SuiteError::NotInPlace(root)) }
}

/// `api`'s rule index, with the rules its endpoint declarations state (`Doc::rule`) given
/// the scenarios of `entries` tagged with them ([`chatspec_specs::rules::RuleIndex::link`]);
/// `None` for an API without an index, or whose index does not parse.
pub fn rule_index(api: &str, entries: &[Entry]) -> Option<chatspec_specs::rules::RuleIndex> {
    let mut index = chatspec_specs::rules::index(api)?.ok()?;
    index.link(|id| {
        entries
            .iter()
            .filter(|e| e.api == api && e.rules.iter().any(|r| r == id))
            .map(|e| e.id.clone())
            .collect()
    });
    Some(index)
}

/// One scenario of a suite, as `chatspec list` shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entry {
    /// The stable id used by reports and `known_failures`.
    pub id: String,
    /// The API whose suite holds it (`unichat`, `sama`, `connectnow`, `onechat`).
    pub api: String,
    /// The feature file stem.
    pub area: String,
    /// The scenario's name (an outline row's with its values filled in).
    pub name: String,
    /// `features/<api>/<area>.feature`.
    pub feature_file: String,
    /// The line of the scenario (of the Examples row, for an outline row).
    pub line: usize,
    /// Tags of the feature, its rule and the scenario, `@` included, `@rule:` ones apart, then
    /// the cross-cutting tags its steps give it ([`crate::tags`]).
    pub tags: Vec<String>,
    /// The `@rule:<id>` tags' ids.
    pub rules: Vec<String>,
    /// How many users the scenario's `Given the users ...` steps name (its background's
    /// included): the pre-made accounts it holds at once.
    pub users: usize,
}

/// The users a `the users Alice, Bob and Carol` step names.
fn users_of(steps: &[gherkin::Step]) -> usize {
    steps
        .iter()
        .filter_map(|s| s.value.strip_prefix("the users "))
        .map(|names| names.split([',', ' ']).filter(|n| !n.is_empty() && *n != "and").count())
        .sum()
}

/// The ids of a feature's scenarios, by line, from the feature as cucumber runs it (outlines
/// expanded).
pub fn ids_by_line(feature: &gherkin::Feature, api: &str, area: &str) -> BTreeMap<usize, String> {
    let mut scenarios: Vec<&gherkin::Scenario> =
        feature.scenarios.iter().chain(feature.rules.iter().flat_map(|r| &r.scenarios)).collect();
    scenarios.sort_by_key(|s| s.position.line);
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for s in &scenarios {
        *count.entry(crate::collect::slug(&s.name)).or_default() += 1;
    }
    let mut nth: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = BTreeMap::new();
    for s in scenarios {
        let slug = crate::collect::slug(&s.name);
        let id = if count.get(&slug).copied().unwrap_or(0) > 1 {
            let n = nth.entry(slug.clone()).or_default();
            *n += 1;
            format!("{api}/{area}/{slug}#{n}")
        } else {
            format!("{api}/{area}/{slug}")
        };
        out.insert(s.position.line, id);
    }
    out
}

/// Every scenario under `features` (`<api>/*.feature`), in API, file and line order.
pub fn catalog(features: &Path) -> Result<Vec<Entry>, SuiteError> {
    let mut out = Vec::new();
    for api in crate::check::apis_with_suites(features) {
        let dir = features.join(&api);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|source| SuiteError::ReadDir { path: dir.clone(), source })?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "feature"))
            .collect();
        files.sort();
        for path in files {
            let area = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let feature = gherkin::Feature::parse_path(&path, gherkin::GherkinEnv::default())
                .map_err(|e| SuiteError::Parse { path: path.clone(), source: Box::new(e) })?
                .expand_examples()
                .map_err(|e| SuiteError::Expand { path: path.clone(), source: Box::new(e) })?;
            let ids = ids_by_line(&feature, &api, &area);
            let mut entries = Vec::new();
            let background = feature.background.as_ref().map_or(0, |b| users_of(&b.steps));
            let mut push = |rule: Option<&gherkin::Rule>, s: &gherkin::Scenario| {
                let rule_background =
                    rule.and_then(|r| r.background.as_ref()).map_or(0, |b| users_of(&b.steps));
                let all = feature.tags.iter().chain(rule.iter().flat_map(|r| &r.tags)).chain(&s.tags);
                let mut tags = Vec::new();
                let mut rules = Vec::new();
                for t in all {
                    match t.strip_prefix("rule:") {
                        Some(r) => rules.push(r.to_owned()),
                        None if !tags.contains(&format!("@{t}")) => tags.push(format!("@{t}")),
                        None => {}
                    }
                }
                for theme in crate::tags::themes(crate::tags::step_texts(&feature, rule, s)) {
                    if !tags.contains(&format!("@{theme}")) {
                        tags.push(format!("@{theme}"));
                    }
                }
                entries.push(Entry {
                    id: ids.get(&s.position.line).cloned().unwrap_or_default(),
                    api: api.clone(),
                    area: area.clone(),
                    name: s.name.clone(),
                    feature_file: format!("features/{api}/{area}.feature"),
                    line: s.position.line,
                    tags,
                    rules,
                    users: background + rule_background + users_of(&s.steps),
                });
            };
            for s in &feature.scenarios {
                push(None, s);
            }
            for r in &feature.rules {
                for s in &r.scenarios {
                    push(Some(r), s);
                }
            }
            entries.sort_by_key(|e| e.line);
            out.extend(entries);
        }
    }
    Ok(out)
}

/// The ids `wanted` stands for among `entries`: a scenario's id stands for itself; the base id
/// of a Scenario Outline (its rows' id without `#<n>`) stands for every row, as a rule index's
/// scenario names do (`specs/src/rules.rs`, `Rule::names`). An id that names nothing stands for
/// itself, so the check that follows refuses it with the nearest real id.
pub fn expand_ids(wanted: &[String], entries: &[Entry]) -> Vec<String> {
    let mut out = Vec::new();
    for id in wanted {
        let rows: Vec<&Entry> = entries
            .iter()
            .filter(|e| {
                e.id.strip_prefix(id.as_str()).and_then(|n| n.strip_prefix('#')).is_some_and(is_number)
            })
            .collect();
        if rows.is_empty() || entries.iter().any(|e| &e.id == id) {
            out.push(id.clone());
        } else {
            out.extend(rows.iter().map(|e| e.id.clone()));
        }
    }
    out.dedup();
    out
}

fn is_number(n: &str) -> bool {
    !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
}

/// The suites other than `api`'s that have an area named `area` (for "it is an area of").
pub fn area_elsewhere(area: &str, api: &str, entries: &[Entry]) -> Vec<String> {
    let mut apis: Vec<String> =
        entries.iter().filter(|e| e.api != api && e.area == area).map(|e| e.api.clone()).collect();
    apis.dedup();
    apis
}

/// The id of `ids` nearest to `wanted` (fewest single-character edits), for "did you mean".
pub fn nearest<'a>(wanted: &str, ids: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    ids.into_iter().min_by_key(|id| edit_distance(wanted, id))
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// `chatspec list` as text: one line per scenario (id, tags, rules).
pub fn render_text(entries: &[Entry]) -> String {
    let mut out = String::new();
    for e in entries {
        out.push_str(&e.id);
        for t in &e.tags {
            out.push(' ');
            out.push_str(t);
        }
        if !e.rules.is_empty() {
            out.push_str(&format!(" [{}]", e.rules.join(", ")));
        }
        out.push('\n');
    }
    out
}

/// `chatspec list --format md`: the scenario index, one table per API area.
pub fn render_markdown(entries: &[Entry]) -> String {
    let mut out = String::from(
        "# Scenario index\n\nGenerated by `chatspec list --format md`; the id is what reports show and \
         what a profile's `known_failures` names.\n",
    );
    let mut area = None;
    for e in entries {
        let here = (e.api.as_str(), e.area.as_str());
        if area != Some(here) {
            area = Some(here);
            out.push_str(&format!("\n## {}/{} (`{}`)\n\n", e.api, e.area, e.feature_file));
            out.push_str("| id | scenario | tags | rules |\n|---|---|---|---|\n");
        }
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            e.id,
            e.name.replace('|', "\\|"),
            e.tags.join(" "),
            e.rules.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo_features() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../features")
    }

    #[test]
    fn outline_rows_get_numbered_ids_and_all_ids_are_unique() {
        let entries = catalog(&repo_features()).unwrap_or_default();
        assert!(entries.len() > 400, "{} scenarios", entries.len());
        let mut ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(before, ids.len(), "duplicate ids");
        assert!(entries.iter().any(|e| e.id.ends_with("#2")), "no outline row numbered");
    }

    #[test]
    fn the_embedded_suites_are_the_repository_ones() {
        let dir = embedded_dir().unwrap_or_default();
        let embedded = catalog(&dir).unwrap_or_default();
        let repo = catalog(&repo_features()).unwrap_or_default();
        assert_eq!(embedded, repo);
    }

    #[test]
    fn every_known_failure_id_in_every_template_exists() {
        let entries = catalog(&repo_features()).unwrap_or_default();
        let templates = crate::check::APIS.iter().filter_map(|api| crate::target::example(api));
        let mut named = 0;
        for text in templates {
            for line in text.lines() {
                let Some(id) = line.trim_start_matches(['#', ' ']).strip_prefix("scenario = ") else {
                    continue;
                };
                let id = id.trim_matches('"');
                named += 1;
                assert!(entries.iter().any(|e| e.id == id), "a template names {id:?}, which no suite has");
            }
        }
        assert!(named >= 4, "{named} ids found in the templates");
    }

    #[test]
    fn every_cross_cutting_tag_selects_scenarios_of_the_suites() {
        let entries = catalog(&repo_features()).unwrap_or_default();
        for (theme, _, _) in crate::tags::THEMES {
            let tag = format!("@{theme}");
            let apis: std::collections::BTreeSet<&str> =
                entries.iter().filter(|e| e.tags.contains(&tag)).map(|e| e.api.as_str()).collect();
            assert!(!apis.is_empty(), "{tag} selects no scenario");
        }
        let uid = entries.iter().find(|e| e.id == "unichat/uid/a-uid-of-64-characters-is-accepted");
        assert!(uid.is_some_and(|e| e.tags.contains(&"@uid".to_owned())), "{uid:?}");
    }

    #[test]
    fn an_outline_base_id_stands_for_every_row() {
        let entries = catalog(&repo_features()).unwrap_or_default();
        let base = "connectnow/auth/an-api-token-works-in-every-placement";
        let rows: Vec<String> =
            entries.iter().filter(|e| e.id.starts_with(&format!("{base}#"))).map(|e| e.id.clone()).collect();
        assert!(rows.len() > 1, "{rows:?}");
        assert_eq!(expand_ids(&[base.to_owned()], &entries), rows);
        let one = format!("{base}#1");
        assert_eq!(expand_ids(std::slice::from_ref(&one), &entries), [one]);
        let other = "unichat/uid/a-uid-of-64-characters-is-accepted".to_owned();
        assert_eq!(expand_ids(std::slice::from_ref(&other), &entries), [other]);
        assert_eq!(expand_ids(&["connectnow/auth/an-api".to_owned()], &entries), ["connectnow/auth/an-api"]);
        assert_eq!(area_elsewhere("tokens", "unichat", &entries), ["connectnow"]);
        assert!(area_elsewhere("uid", "unichat", &entries).is_empty());
    }

    #[test]
    fn no_step_speaks_of_the_mock() {
        // The steps run against any target; "the mock" would be wrong against a real server.
        let mut steps = 0;
        for api in crate::check::APIS {
            let Ok(dir) = std::fs::read_dir(repo_features().join(api)) else { continue };
            for path in dir.filter_map(Result::ok).map(|e| e.path()) {
                let Ok(feature) = gherkin::Feature::parse_path(&path, gherkin::GherkinEnv::default()) else {
                    continue;
                };
                let scenarios =
                    feature.scenarios.iter().chain(feature.rules.iter().flat_map(|r| &r.scenarios));
                let backgrounds = feature
                    .background
                    .iter()
                    .chain(feature.rules.iter().filter_map(|r| r.background.as_ref()));
                let all = scenarios.flat_map(|s| &s.steps).chain(backgrounds.flat_map(|b| &b.steps));
                for step in all {
                    steps += 1;
                    assert!(!step.value.contains("the mock"), "{}: {:?}", path.display(), step.value);
                }
            }
        }
        assert!(steps > 1000, "{steps} steps read");
    }

    #[test]
    fn the_nearest_id_is_suggested() {
        let ids = ["unichat/uid/a-uid-of-64-characters-is-accepted", "unichat/uid/different-uids"];
        assert_eq!(nearest("unichat/uid/a-uid-of-64-character-is-accepted", ids), Some(ids[0]));
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn the_scenario_index_is_in_sync() {
        let entries = catalog(&repo_features()).unwrap_or_default();
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/SCENARIOS.md");
        if std::env::var_os("CHATSPEC_BLESS").is_some() {
            let _ = std::fs::write(&path, render_markdown(&entries));
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == render_markdown(&entries),
            "docs/SCENARIOS.md is stale: run `chatspec list --features features --format md > docs/SCENARIOS.md`"
        );
    }
}
