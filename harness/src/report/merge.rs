//! `chatspec report merge`: the `conformance.json` of the shards of one run (`check --shard
//! i/n` on several runners) joined into one record, from which every report is written again.
//!
//! The shards must come from one suite revision and one target, hold no scenario twice, and,
//! when they say which shard they were, be every shard of the split exactly once. A merged
//! report carries each scenario's outcome, steps, failure, notes and times; the wire logs
//! stay in each shard's own HTML and Cucumber JSON reports.

use std::collections::BTreeMap;

use crate::outcome::{RunRecord, ScenarioRecord};

use super::conformance::ConformanceDoc;

/// Why shards cannot be merged.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MergeError {
    /// Nothing to merge.
    #[error("no conformance.json to merge")]
    Empty,
    /// Two files ran different feature files.
    #[error("{0} and {1} ran different suites (suite revisions {2} and {3}): merge the shards of one run")]
    Revisions(String, String, String, String),
    /// Two files ran against different targets.
    #[error("{0} and {1} ran against different targets ({2:?} and {3:?}): merge the shards of one run")]
    Targets(String, String, String, String),
    /// A scenario is in two files.
    #[error("scenario {id} is in both {first} and {second}: were they run with the same --shard?")]
    Twice {
        /// The scenario id.
        id: String,
        /// The first file holding it.
        first: String,
        /// The second.
        second: String,
    },
    /// The files name their shards, and the set is not one whole split.
    #[error("the shards are {found}; a whole split of {count} is 1/{count} to {count}/{count}, each once")]
    Shards {
        /// The shards found, in file order (`1/3, 3/3`).
        found: String,
        /// The split's size, from the first shard.
        count: String,
    },
}

/// Joins `docs` (`(file name, document)`, the shards of one run) into one record.
pub fn merge(docs: &[(String, ConformanceDoc)]) -> Result<RunRecord, MergeError> {
    let Some((first_name, first)) = docs.first() else { return Err(MergeError::Empty) };
    check_shards(docs)?;
    let mut info = first.run.clone();
    info.shard = None;
    // The shards hold disjoint parts of the suite: what each one's own filters left out adds
    // up, and the other shards' scenarios are in the merge.
    info.not_selected = Vec::new();
    info.clock_advanced_seconds = 0;
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    let mut scenarios = Vec::new();
    for (name, doc) in docs {
        if doc.run.suite_revision != first.run.suite_revision {
            return Err(MergeError::Revisions(
                first_name.clone(),
                name.clone(),
                first.run.suite_revision.clone(),
                doc.run.suite_revision.clone(),
            ));
        }
        if doc.run.target != first.run.target {
            return Err(MergeError::Targets(
                first_name.clone(),
                name.clone(),
                first.run.target.clone(),
                doc.run.target.clone(),
            ));
        }
        // The shards ran side by side: the whole run took as long as the longest.
        info.duration_ms = info.duration_ms.max(doc.run.duration_ms);
        info.started_at = info.started_at.clone().min(doc.run.started_at.clone());
        let own: Vec<_> =
            doc.run.not_selected.iter().filter(|n| !n.filter.starts_with("--shard")).cloned().collect();
        crate::outcome::NotSelected::add(&mut info.not_selected, &own);
        info.clock_advanced_seconds =
            info.clock_advanced_seconds.saturating_add(doc.run.clock_advanced_seconds);
        for api in &doc.run.apis {
            if !info.apis.contains(api) {
                info.apis.push(api.clone());
            }
        }
        for line in &doc.scenarios {
            if let Some(other) = seen.insert(&line.id, name) {
                return Err(MergeError::Twice {
                    id: line.id.clone(),
                    first: other.to_owned(),
                    second: name.clone(),
                });
            }
            scenarios.push(ScenarioRecord {
                id: line.id.clone(),
                api: line.api.clone(),
                area: line.area.clone(),
                feature: line.feature.clone(),
                feature_file: line.feature_file.clone(),
                name: line.name.clone(),
                line: line.line,
                tags: line.tags.clone(),
                outcome: line.outcome,
                doc: line.doc.clone(),
                steps: line.steps.clone(),
                duration_ms: line.duration_ms,
                failure: line.failure.clone(),
                impossible: line.impossible.clone(),
                known_failure: line.known_failure.clone(),
                blocked_by: line.blocked_by.clone(),
                notes: line.notes.clone(),
                wire_log: Vec::new(),
            });
        }
    }
    info.apis.sort();
    Ok(RunRecord { info, scenarios })
}

/// When any file names its shard, every file must, and together they must be one whole split.
fn check_shards(docs: &[(String, ConformanceDoc)]) -> Result<(), MergeError> {
    let shards: Vec<Option<&str>> = docs.iter().map(|(_, d)| d.run.shard.as_deref()).collect();
    if shards.iter().all(Option::is_none) {
        return Ok(());
    }
    let found = shards.iter().map(|s| s.unwrap_or("(no --shard)")).collect::<Vec<_>>().join(", ");
    let parsed: Vec<Option<crate::shard::Shard>> =
        shards.iter().map(|s| s.and_then(|s| s.parse().ok())).collect();
    let count = parsed.iter().flatten().next().map(|s| s.count).unwrap_or(0);
    let mut indexes: Vec<u32> =
        parsed.iter().flatten().filter(|s| s.count == count).map(|s| s.index).collect();
    indexes.sort_unstable();
    let whole = parsed.iter().all(Option::is_some) && indexes == (1..=count).collect::<Vec<_>>();
    if whole { Ok(()) } else { Err(MergeError::Shards { found, count: count.to_string() }) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::Outcome;
    use crate::report::{conformance, sample};

    /// The sample run split in two by shard, each half as its own conformance.json.
    fn halves() -> Vec<(String, ConformanceDoc)> {
        let record = sample::record();
        (1..=2)
            .map(|i| {
                let shard = crate::shard::Shard { index: i, count: 2 };
                let mut half = record.clone();
                half.scenarios.retain(|s| shard.holds(&s.id));
                half.info.shard = Some(shard.to_string());
                let text = conformance::render(&half);
                (format!("shard-{i}/conformance.json"), conformance::parse(&text).unwrap())
            })
            .collect()
    }

    #[test]
    fn merged_shards_write_the_reports_of_the_whole_run() {
        let whole = sample::record();
        let merged = merge(&halves()).unwrap();
        assert_eq!(merged.scenarios.len(), whole.scenarios.len());
        assert_eq!(merged.info.shard, None);
        // The same conformance.json as the unsplit run, but for times and the scenario order.
        let mut a = conformance::build(&merged);
        let mut b = conformance::build(&whole);
        for doc in [&mut a, &mut b] {
            doc.run.duration_ms = 0;
            doc.scenarios.sort_by(|x, y| x.id.cmp(&y.id));
        }
        assert_eq!(a.totals, b.totals);
        assert_eq!(a.apis, b.apis);
        assert_eq!(a.scenarios, b.scenarios);
        let failed = merged.scenarios.iter().find(|s| s.outcome == Outcome::Fail).unwrap();
        assert!(failed.failure.as_ref().is_some_and(|f| !f.message.is_empty()));
    }

    #[test]
    fn a_missing_or_repeated_shard_is_refused() {
        let mut docs = halves();
        docs.pop();
        assert!(matches!(merge(&docs), Err(MergeError::Shards { .. })), "{:?}", merge(&docs).err());
        let mut twice = halves();
        twice.push(twice[0].clone());
        assert!(merge(&twice).is_err());
        let mut other = halves();
        other[1].1.run.suite_revision = "other".into();
        assert!(matches!(merge(&other), Err(MergeError::Revisions(..))));
        assert_eq!(merge(&[]).err(), Some(MergeError::Empty));
    }

    #[test]
    fn a_scenario_in_two_files_is_refused() {
        let mut docs = halves();
        for (_, d) in &mut docs {
            d.run.shard = None;
        }
        let moved = docs[0].1.scenarios[0].clone();
        docs[1].1.scenarios.push(moved);
        assert!(matches!(merge(&docs), Err(MergeError::Twice { .. })));
    }
}
