//! `chatspec report merge`: the `conformance.json` of the shards of one run (`check --shard
//! i/n` on several runners) joined into one record, from which every report is written again.
//!
//! Shards of one run differ only in their shard index and the address of the server they ran
//! against (shards run at once on one host each test an instance of their own): the same
//! APIs, target (its name, provisioning mode and SMTP sink), suite revision, chatspec version, filters
//! (`--area`, `--scenario`, `--tags`), known failures, `--strict` and `--impossible-fails`,
//! the same target profile but for its addresses ([`profile_fingerprint`]), each shard of the
//! split at most once and no scenario twice. A set that is not is refused,
//! naming the field that differs and two files that differ in it. A set that lacks some
//! shards of the split is merged, and the merged report says which are missing
//! ([`crate::outcome::MergedShards`]) and fails. A merged report carries each scenario's
//! outcome, steps, failure, notes and times; the wire logs stay in each shard's own HTML and
//! Cucumber JSON reports.

use std::collections::BTreeMap;

use crate::outcome::{MergedShards, NotSelected, RunInfo, RunRecord, ScenarioRecord};

use super::conformance::ConformanceDoc;

/// Why shards cannot be merged.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MergeError {
    /// Nothing to merge.
    #[error("no conformance.json to merge")]
    Empty,
    /// Two files differ in what the shards of one run share.
    #[error(
        "{first} and {second} are not shards of one run: their {field} differ ({a} and {b}); shards of one run differ only in their --shard index"
    )]
    Differs {
        /// What differs: `--area filters`, `targets`, `known failures`...
        field: &'static str,
        /// The first file.
        first: String,
        /// The second file.
        second: String,
        /// The first file's value.
        a: String,
        /// The second file's value.
        b: String,
    },
    /// Two files were run with target profiles that differ in more than their addresses.
    #[error(
        "{first} and {second} are not shards of one run: the shards were run with different target profiles (other than their addresses)"
    )]
    ProfileDiffers {
        /// The first file.
        first: String,
        /// The second file.
        second: String,
    },
    /// Two files are the same shard.
    #[error("{first} and {second} are both shard {shard}: merge each shard of the split once")]
    SameShard {
        /// The shard (`2/3`).
        shard: String,
        /// The first file.
        first: String,
        /// The second file.
        second: String,
    },
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
}

/// The fields of a run the shards of one run share, each with its name and its value as a
/// message shows it.
fn shared(run: &RunInfo) -> [(&'static str, String); 13] {
    let list = |v: &[String]| if v.is_empty() { "none".to_owned() } else { format!("[{}]", v.join(", ")) };
    let mut apis = run.apis.clone();
    apis.sort();
    let split = match run.shard.as_deref().map(str::parse::<crate::shard::Shard>) {
        None => "no --shard".to_owned(),
        Some(Ok(s)) => format!("a split in {}", s.count),
        Some(Err(_)) => format!("an unreadable shard {:?}", run.shard.as_deref().unwrap_or_default()),
    };
    [
        ("APIs", list(&apis)),
        ("targets", format!("{:?}", run.target)),
        ("suite revisions", run.suite_revision.clone()),
        ("chatspec versions", run.chatspec_version.clone()),
        ("--area filters", list(&run.areas)),
        ("--scenario filters", list(&run.scenario_filter)),
        ("--tags filters", run.tags.as_deref().map_or_else(|| "none".to_owned(), |t| format!("{t:?}"))),
        ("known failures", list(&run.known_failures)),
        ("splits", split),
        (
            "provisioning modes",
            if run.provisioning.is_empty() { "none".to_owned() } else { run.provisioning.clone() },
        ),
        ("SMTP sinks", if run.smtp_sink { "an SMTP sink" } else { "no SMTP sink" }.to_owned()),
        ("--strict", if run.strict { "--strict" } else { "no --strict" }.to_owned()),
        (
            "--impossible-fails",
            if run.impossible_fails { "--impossible-fails" } else { "no --impossible-fails" }.to_owned(),
        ),
    ]
}

/// Joins `docs` (`(file name, document)`, the shards of one run) into one record.
pub fn merge(docs: &[(String, ConformanceDoc)]) -> Result<RunRecord, MergeError> {
    let Some((first_name, first)) = docs.first() else { return Err(MergeError::Empty) };
    let reference = shared(&first.run);
    for (name, doc) in &docs[1..] {
        for ((field, a), (_, b)) in reference.iter().zip(shared(&doc.run)) {
            if *a != b {
                return Err(MergeError::Differs {
                    field,
                    first: first_name.clone(),
                    second: name.clone(),
                    a: a.clone(),
                    b,
                });
            }
        }
    }
    // A file written before the fingerprint was recorded has none: unknown, so accepted.
    let printed = || docs.iter().filter(|(_, d)| !d.run.profile_fingerprint.is_empty());
    if let Some((first, a)) = printed().next()
        && let Some((second, _)) =
            printed().find(|(_, b)| b.run.profile_fingerprint != a.run.profile_fingerprint)
    {
        return Err(MergeError::ProfileDiffers { first: first.clone(), second: second.clone() });
    }
    let merged_shards = check_shards(docs)?;
    let mut info = first.run.clone();
    info.shard = None;
    // The shards hold disjoint parts of the suite: what each one's own filters left out adds
    // up, and the other shards' scenarios are in the merge, but for the missing shards'.
    info.not_selected = missing_count(docs, merged_shards.as_ref())
        .map(|(filter, count)| vec![NotSelected { filter, count }])
        .unwrap_or_default();
    info.merged_shards = merged_shards.filter(|m| !m.missing().is_empty());
    info.clock_advanced_seconds = 0;
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    let mut scenarios = Vec::new();
    for (name, doc) in docs {
        // The shards ran side by side: the whole run took as long as the longest.
        info.duration_ms = info.duration_ms.max(doc.run.duration_ms);
        info.started_at = info.started_at.clone().min(doc.run.started_at.clone());
        let own: Vec<_> =
            doc.run.not_selected.iter().filter(|n| !n.filter.starts_with("--shard")).cloned().collect();
        NotSelected::add(&mut info.not_selected, &own);
        info.clock_advanced_seconds =
            info.clock_advanced_seconds.saturating_add(doc.run.clock_advanced_seconds);
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
                provisioning_error: line.provisioning_error,
                impossible_after_steps: line.impossible_after_steps,
                known_failure: line.known_failure.clone(),
                blocked_by: line.blocked_by.clone(),
                blocked_by_known_failure: false,
                notes: line.notes.clone(),
                wire_log: Vec::new(),
            });
        }
    }
    info.apis.sort();
    // A block is known over the merged run: the blocking rule may fail in another shard.
    crate::outcome::mark_known_blocks(&mut scenarios);
    Ok(RunRecord { info, scenarios })
}

/// A SHA-256 digest (hex) of `target`'s grading settings: the parsed profile without what
/// legitimately differs between shards run at once, each against a server instance of its
/// own: its addresses (`base_url`, the SSE, admin, version and socket URLs, the hosts of the
/// webhooks and library URLs and of URL arguments of commands, `[smtp] listen`), the profile
/// file's folder, and the pre-made accounts (shards may check out accounts of their own).
pub fn profile_fingerprint(target: &crate::target::Target) -> String {
    use sha2::Digest;
    let mut t = target.clone();
    t.base_url.clear();
    t.sse_base_url = None;
    t.admin_url = None;
    t.version_url = None;
    t.profile_dir = None;
    t.smtp_listen = None;
    t.sama.socket_url.clear();
    let libraries = &mut t.onechat.libraries;
    for url in [&mut libraries.ocwp_url, &mut libraries.oc_url].into_iter().flatten() {
        *url = without_origin(url);
    }
    match &mut t.provisioning {
        crate::target::Provisioning::Http { webhooks, .. } => {
            webhooks.values_mut().for_each(|url| *url = without_origin(url));
        }
        // A command may name its instance's admin address (`./admin.sh http://127.0.0.1:8081
        // POST /_mock/users`): each argument that is a URL counts without its origin.
        crate::target::Provisioning::Command { commands, .. } => {
            for line in commands.values_mut() {
                if let Ok(argv) = line.argv() {
                    let args =
                        argv.iter().map(|a| if a.contains("://") { without_origin(a) } else { a.clone() });
                    *line = crate::target::operations::CommandLine::Args(args.collect());
                }
            }
        }
        // Shards against one server may each check out accounts of their own.
        crate::target::Provisioning::Accounts { accounts } => accounts.clear(),
        _ => {}
    }
    // Struct fields serialise in declaration order and maps are BTreeMaps: the JSON is stable.
    let json = serde_json::to_string(&t).unwrap_or_default();
    sha2::Sha256::digest(json.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// `http://host:8080/hooks/x?y` -> `/hooks/x?y`: a URL without its scheme and host.
fn without_origin(url: &str) -> String {
    match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or_else(String::new, |i| rest[i..].to_owned()),
        None => url.to_owned(),
    }
}

/// The shards of a split the files are, each once (`None` when no file names a shard; the
/// [`shared`] fields already hold every file to one split).
fn check_shards(docs: &[(String, ConformanceDoc)]) -> Result<Option<MergedShards>, MergeError> {
    let mut by_index: BTreeMap<u32, &str> = BTreeMap::new();
    let mut count = None;
    for (name, doc) in docs {
        let Some(Ok(shard)) = doc.run.shard.as_deref().map(str::parse::<crate::shard::Shard>) else {
            continue;
        };
        count = Some(shard.count);
        if let Some(first) = by_index.insert(shard.index, name) {
            return Err(MergeError::SameShard {
                shard: shard.to_string(),
                first: first.to_owned(),
                second: name.clone(),
            });
        }
    }
    Ok(count.map(|count| MergedShards { count, merged: by_index.into_keys().collect() }))
}

/// How many of the suite's scenarios the missing shards hold, as the `not_selected` entry of
/// the merge (`("--shard 2/3 (missing)", 41)`): every shard counts the whole suite, its own
/// scenarios and those `--shard` left out, so what the merged shards do not hold is the rest.
fn missing_count(
    docs: &[(String, ConformanceDoc)],
    shards: Option<&MergedShards>,
) -> Option<(String, usize)> {
    let shards = shards?;
    let missing = shards.missing();
    if missing.is_empty() {
        return None;
    }
    let in_other = |doc: &ConformanceDoc| -> usize {
        doc.run.not_selected.iter().filter(|n| n.filter.starts_with("--shard")).map(|n| n.count).sum()
    };
    let (_, first) = docs.first()?;
    let suite = first.scenarios.len() + first.run.not_selected.iter().map(|n| n.count).sum::<usize>();
    let held: usize = docs.iter().map(|(_, d)| suite.saturating_sub(in_other(d))).sum();
    let names: Vec<String> = missing.iter().map(|i| format!("{i}/{}", shards.count)).collect();
    Some((format!("--shard {} (missing)", names.join(", ")), suite.saturating_sub(held)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::Outcome;
    use crate::report::{conformance, sample};

    /// The sample run split in two by shard, each half as its own conformance.json.
    fn halves() -> Vec<(String, ConformanceDoc)> {
        halves_of(&sample::record())
    }

    /// `record` split in two by shard, each half as its own conformance.json.
    fn halves_of(record: &crate::outcome::RunRecord) -> Vec<(String, ConformanceDoc)> {
        (1..=2)
            .map(|i| {
                let shard = crate::shard::Shard { index: i, count: 2 };
                let mut half = record.clone();
                half.scenarios.retain(|s| shard.holds(&s.id));
                half.info.shard = Some(shard.to_string());
                let others = record.scenarios.len() - half.scenarios.len();
                half.info.not_selected =
                    vec![crate::outcome::NotSelected { filter: format!("--shard {shard}"), count: others }];
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
    fn a_merge_keeps_the_failures_of_impossible_fails_apart() {
        let mut whole = sample::record();
        crate::outcome::fail_impossible(&mut whole.scenarios);
        let docs = halves_of(&whole);
        let forced: usize = docs.iter().map(|(_, d)| d.totals.counts.impossible_failed).sum();
        assert_eq!(forced, 1, "one shard holds the forced failure");
        let merged = conformance::build(&merge(&docs).unwrap());
        assert_eq!(merged.totals.counts.impossible_failed, 1);
        assert_eq!(merged.totals.ran, conformance::build(&whole).totals.ran);
        assert_eq!(merged.totals, conformance::build(&whole).totals);
    }

    #[test]
    fn a_missing_shard_is_merged_and_named() {
        let mut docs = halves();
        docs.pop();
        let merged = merge(&docs).unwrap();
        let shards = merged.info.merged_shards.clone().expect("the merge says what it holds");
        assert_eq!(shards.describe(), "1 of 2 shards (missing 2/2)");
        assert!(merged.failed(), "a merge that lacks a shard never passes");
        let md = crate::report::markdown::render(&merged);
        assert!(md.contains("\nmerged 1 of 2 shards (missing 2/2): "), "{md}");
        let headline = crate::console::headline(&merged);
        assert!(headline.contains("merged 1 of 2 shards (missing 2/2): "), "{headline}");
        // The suite's total still counts the missing shard's scenarios, as not selected.
        let whole = sample::record().scenarios.len();
        let missing: usize = merged.info.not_selected.iter().map(|n| n.count).sum();
        assert_eq!(merged.scenarios.len() + missing, whole, "{:?}", merged.info.not_selected);
        assert!(headline.contains(&format!("of {whole} scenarios ran")), "{headline}");
        assert!(headline.contains("in the missing shards"), "{headline}");
        // Every shard: nothing said.
        assert_eq!(merge(&halves()).unwrap().info.merged_shards, None);
    }

    #[test]
    fn the_same_shard_twice_is_refused_naming_both_files() {
        let mut twice = halves();
        twice.push(twice[0].clone());
        twice[2].0 = "again/conformance.json".into();
        let err = merge(&twice).unwrap_err();
        assert_eq!(
            err.to_string(),
            "shard-1/conformance.json and again/conformance.json are both shard 1/2: merge each shard of the split once"
        );
        assert_eq!(merge(&[]).err(), Some(MergeError::Empty));
    }

    #[test]
    fn shards_of_different_runs_are_refused_naming_the_field_and_the_files() {
        type Change = fn(&mut crate::outcome::RunInfo);
        let changes: [(&str, Change); 13] = [
            ("--area filters", |r| r.areas = vec!["uid".into()]),
            ("--scenario filters", |r| r.scenario_filter = vec![sample::PASS.into()]),
            ("--tags filters", |r| r.tags = Some("@serial".into())),
            ("known failures", |r| {
                r.known_failures.pop();
            }),
            ("APIs", |r| r.apis.push("onechat".into())),
            ("targets", |r| r.target = "other-chat".into()),
            ("suite revisions", |r| r.suite_revision = "other".into()),
            ("chatspec versions", |r| r.chatspec_version = "0.0.9".into()),
            ("splits", |r| r.shard = Some("2/3".into())),
            ("provisioning modes", |r| r.provisioning = "command".into()),
            ("SMTP sinks", |r| r.smtp_sink = true),
            ("--strict", |r| r.strict = true),
            ("--impossible-fails", |r| r.impossible_fails = true),
        ];
        for (field, change) in changes {
            let mut docs = halves();
            change(&mut docs[1].1.run);
            let err = merge(&docs).unwrap_err();
            let MergeError::Differs { field: named, .. } = &err else { panic!("{field}: {err}") };
            assert_eq!(*named, field);
            let text = err.to_string();
            assert!(
                text.starts_with(&format!(
                    "shard-1/conformance.json and shard-2/conformance.json are not shards of one run: their {field} differ ("
                )),
                "{text}"
            );
        }
    }

    /// Shards run at once on one host each test a server instance of their own (one SMTP sink
    /// port per shard, and the server's mail pointed at it), so their base URLs differ: the
    /// profile's name says they check one target.
    #[test]
    fn shards_of_one_target_served_at_other_addresses_merge() {
        let mut docs = halves();
        docs[0].1.run.base_url = "http://127.0.0.1:8080".into();
        docs[1].1.run.base_url = "http://127.0.0.1:8090".into();
        assert!(merge(&docs).is_ok());
    }

    /// A connectnow profile with command provisioning, its address and message field given.
    fn profile(base_url: &str, message_field: &str, create_user: &str) -> crate::target::Target {
        let text = format!(
            "name = \"acme-chat\"\napi = \"connectnow\"\nbase_url = \"{base_url}\"\n\
             [connectnow]\nmessage_field = \"{message_field}\"\n\
             [provisioning]\nmode = \"command\"\n[provisioning.commands]\ncreate_user = \"{create_user}\"\n"
        );
        crate::target::Target::parse(&text).unwrap()
    }

    #[test]
    fn shards_run_with_different_profiles_are_refused_naming_both_files() {
        let one = profile_fingerprint(&profile("http://127.0.0.1:8080", "message", "make-user {name}"));
        let mut docs = halves();
        docs[0].1.run.profile_fingerprint = one.clone();
        docs[1].1.run.profile_fingerprint =
            profile_fingerprint(&profile("http://127.0.0.1:8080", "text", "make-user {name}"));
        let err = merge(&docs).unwrap_err();
        assert_eq!(
            err.to_string(),
            "shard-1/conformance.json and shard-2/conformance.json are not shards of one run: the shards were run with different target profiles (other than their addresses)"
        );
        docs[1].1.run.profile_fingerprint =
            profile_fingerprint(&profile("http://127.0.0.1:8080", "message", "other-tool {name}"));
        assert!(matches!(merge(&docs), Err(MergeError::ProfileDiffers { .. })));
        // The same profile at another address, loaded from another folder: one run.
        let mut elsewhere = profile("http://10.0.0.7:9000", "message", "make-user {name}");
        elsewhere.profile_dir = Some("shard-2".into());
        elsewhere.admin_url = Some("http://10.0.0.7:9001".into());
        elsewhere.smtp_listen = "127.0.0.1:2526".parse().ok();
        docs[1].1.run.profile_fingerprint = profile_fingerprint(&elsewhere);
        assert_eq!(docs[1].1.run.profile_fingerprint, one);
        assert!(merge(&docs).is_ok());
        // A file written before the fingerprint was recorded: unknown, accepted.
        docs[1].1.run.profile_fingerprint.clear();
        let json = conformance::render(&merge(&docs).unwrap());
        assert!(conformance::parse(&json).is_ok());
        assert!(merge(&docs).is_ok());
    }

    #[test]
    fn a_fingerprint_is_stable_and_leaves_out_only_the_hosts_of_webhooks() {
        let p = profile("http://127.0.0.1:8080", "message", "make-user {name}");
        assert_eq!(profile_fingerprint(&p), profile_fingerprint(&p.clone()));
        assert_eq!(profile_fingerprint(&p).len(), 64);
        let hooks = |url: &str| {
            let mut t = p.clone();
            t.provisioning = crate::target::Provisioning::Http {
                webhooks: [("create_user".to_owned(), url.to_owned())].into(),
                timeout_seconds: 10,
            };
            profile_fingerprint(&t)
        };
        assert_eq!(hooks("http://a:1/hooks/user"), hooks("https://b.example/hooks/user"));
        assert_ne!(hooks("http://a:1/hooks/user"), hooks("http://a:1/hooks/other"));
        assert_eq!(without_origin("http://h:1"), "");
        // A command naming its instance's admin address, and accounts of a shard's own.
        let command = |line: &str| {
            let mut t = p.clone();
            t.provisioning = crate::target::Provisioning::Command {
                commands: [(
                    "create_user".to_owned(),
                    crate::target::operations::CommandLine::Line(line.to_owned()),
                )]
                .into(),
                timeout_seconds: 10,
            };
            profile_fingerprint(&t)
        };
        assert_eq!(
            command("./admin.sh http://127.0.0.1:8081 POST /_mock/users"),
            command("./admin.sh http://127.0.0.1:9081 POST /_mock/users")
        );
        assert_ne!(
            command("./admin.sh http://127.0.0.1:8081 POST /_mock/users"),
            command("./admin.sh http://127.0.0.1:8081 POST /_mock/groups")
        );
        let accounts = |login: &str| {
            let mut t = p.clone();
            let account = crate::target::Account { login: login.to_owned(), password: "pw".to_owned() };
            t.provisioning = crate::target::Provisioning::Accounts { accounts: vec![account] };
            profile_fingerprint(&t)
        };
        assert_eq!(accounts("ann"), accounts("bob"));
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
