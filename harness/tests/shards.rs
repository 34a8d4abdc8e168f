//! `check --shard i/n` and `report merge` as a CI matrix uses them: the shards of one area run
//! as separate processes, hold every scenario exactly once under the id a whole run gives it
//! (outline rows included), and merge into the reports of the whole run; an incomplete set of
//! shards merges into reports that say which shard is missing, a repeated shard is refused.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_chatspec");

fn features() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../features")
}

fn run(args: &[&str], dir: &Path) -> Output {
    Command::new(BIN).args(args).current_dir(dir).output().expect("chatspec runs")
}

fn ids(conformance: &Path) -> Vec<String> {
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(conformance).unwrap()).unwrap();
    doc["scenarios"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_owned()).collect()
}

/// An empty temp folder named after `name`, the suites' folder, and connectnow's scenarios
/// as `chatspec list --format json` gives them.
fn fresh(name: &str) -> (std::path::PathBuf, std::path::PathBuf, Value) {
    let dir = std::env::temp_dir().join(format!("chatspec-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let features = features();
    let out = run(
        &["list", "--api", "connectnow", "--format", "json", "--features", features.to_str().unwrap()],
        &dir,
    );
    (dir, features, serde_json::from_slice(&out.stdout).unwrap())
}

#[test]
fn shards_hold_every_scenario_once_and_merge_into_the_whole_run() {
    let (dir, features, listed) = fresh("shards");
    let features = features.to_str().unwrap();
    // An area with outline rows: each keeps the `#n` of a whole run in whatever shard it lands.
    let area = "errors";
    let expected: BTreeSet<String> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["area"] == area)
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(expected.len() >= 6, "{expected:?}");

    // One shard of the area's connectnow run, its reports in `out_dir`.
    let check_shard = |shard: &str, out_dir: &str, extra: &[&str]| {
        let mut args =
            vec!["check", "--api", "connectnow", "--area", area, "--shard", shard, "--report-dir", out_dir];
        args.extend_from_slice(extra);
        args.extend(["--features", features]);
        run(&args, &dir)
    };
    let mut files = Vec::new();
    let mut seen = Vec::new();
    for shard in ["1/3", "2/3", "3/3"] {
        let out_dir = format!("shard-{}", &shard[..1]);
        let out = check_shard(shard, &out_dir, &[]);
        assert!(out.status.success(), "shard {shard}: {}", String::from_utf8_lossy(&out.stdout));
        let file = dir.join(&out_dir).join("conformance.json");
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        assert_eq!(doc["run"]["shard"], shard);
        seen.extend(ids(&file));
        files.push(format!("{out_dir}/conformance.json"));
    }
    let unique: BTreeSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "a scenario ran in two shards: {seen:?}");
    assert_eq!(unique, expected);

    let mut args = vec!["report", "merge", "--report-dir", "merged"];
    args.extend(files.iter().map(String::as_str));
    let out = run(&args, &dir);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let merged: BTreeSet<String> = ids(&dir.join("merged/conformance.json")).into_iter().collect();
    assert_eq!(merged, expected);
    for report in ["junit.xml", "cucumber.json", "summary.md", "report.html"] {
        assert!(dir.join("merged").join(report).is_file(), "{report}");
    }
    let junit = std::fs::read_to_string(dir.join("merged/junit.xml")).unwrap();
    assert!(junit.contains(&format!("tests=\"{}\"", expected.len())), "{junit}");

    // The whole run compared with one shard: the shard's column says so, and the scenarios
    // of the other shards are not in it, not missing, in every format.
    for format in ["text", "markdown"] {
        let out = run(&["report", "compare", "--format", format, "merged/conformance.json", &files[0]], &dir);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(said.contains(" · shard 1/3"), "{format}: {said}");
        assert!(said.contains("not in this shard"), "{format}: {said}");
        let differs = said.lines().any(|l| l.starts_with("≠ ") || l.starts_with("| ≠ |"));
        assert!(!differs, "{format}: the shard's own scenarios agree with the merge: {said}");
    }

    // Two of three shards: merged, and every report says which shard is missing; the run
    // fails, as it did not check the whole selection.
    let out = run(&["report", "merge", "--report-dir", "partial", &files[0], &files[1]], &dir);
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("merged 2 of 3 shards (missing 3/3)"), "{said}");
    let summary = std::fs::read_to_string(dir.join("partial/summary.md")).unwrap();
    assert!(summary.contains("merged 2 of 3 shards (missing 3/3)"), "{summary}");

    // The same shard twice: refused, naming both files.
    let out = run(&["report", "merge", "--report-dir", "twice", &files[0], &files[0]], &dir);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("are both shard 1/3"), "{err}");
    assert!(!dir.join("twice").exists());

    // A shard graded under --strict is not a shard of a plain run: refused, naming the field
    // and both files.
    let out = check_shard("3/3", "strict-3", &["--strict"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let strict = dir.join("strict-3/conformance.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&strict).unwrap()).unwrap();
    assert_eq!(doc["run"]["strict"], true);
    let out = run(
        &["report", "merge", "--report-dir", "mixed", &files[0], &files[1], "strict-3/conformance.json"],
        &dir,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("shard-1/conformance.json and strict-3/conformance.json are not shards of one run: their --strict differ (no --strict and --strict)"),
        "{err}"
    );
    assert!(!dir.join("mixed").exists());

    // One outline row alone keeps its id too.
    let row = expected.iter().find(|id| id.ends_with("#2")).expect("an outline row").clone();
    let out = run(&["check", "--scenario", &row, "--report-dir", "row", "--features", features], &dir);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(ids(&dir.join("row/conformance.json")), vec![row]);

    let out = run(&["check", "--api", "unichat", "--shard", "4/3"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("i/n"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A CI matrix runs every shard whatever the split: a shard that holds none of a selection
/// that is not empty passes and says so, and the merge of the shards is the run of the
/// selection. A merge of shards where nothing ran at all fails.
#[test]
fn a_shard_the_split_leaves_empty_passes_and_says_so() {
    let (dir, features, listed) = fresh("empty-shard");
    let features = features.to_str().unwrap();
    let id = listed.as_array().unwrap()[0]["id"].as_str().unwrap().to_owned();

    // One scenario, two shards: one of them holds it, the other nothing.
    let mut empty = Vec::new();
    let mut files = Vec::new();
    for shard in ["1/2", "2/2"] {
        let out_dir = format!("shard-{}", &shard[..1]);
        let out = run(
            &["check", "--scenario", &id, "--shard", shard, "--report-dir", &out_dir, "--features", features],
            &dir,
        );
        let said = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "shard {shard}: {said}{}", String::from_utf8_lossy(&out.stderr));
        let file = dir.join(&out_dir).join("conformance.json");
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        assert_eq!(doc["run"]["selected_before_split"], 1);
        if ids(&file).is_empty() {
            let line = format!(
                "NOTHING TO RUN: shard {shard}: the split put the 1 scenario selected by --scenario in the other shards"
            );
            assert!(said.contains(&line), "{said}");
            let summary = std::fs::read_to_string(dir.join(&out_dir).join("summary.md")).unwrap();
            assert!(summary.contains("NOTHING TO RUN"), "{summary}");
            empty.push(file.clone());
        }
        files.push(format!("{out_dir}/conformance.json"));
    }
    assert_eq!(empty.len(), 1, "exactly one shard is empty");
    let out = run(&["report", "merge", "--report-dir", "merged", &files[0], &files[1]], &dir);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(ids(&dir.join("merged/conformance.json")), vec![id.clone()]);

    // The empty shard alone, merged, is a run of the split that lacks a shard: it fails.
    let empty_file = empty[0].to_str().unwrap();
    let out = run(&["report", "merge", "--report-dir", "alone", empty_file], &dir);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    let _ = std::fs::remove_dir_all(&dir);
}
