//! The whole OneChat suite against the embedded mock: every scenario must pass, the library
//! areas in headless Chromium. And the scenarios a target cannot run (no admin API, readings it
//! does not follow, no browser) end as impossible, not failed.

mod common;

use chatspec::check::{self, CheckOptions};
use chatspec::outcome::Outcome;
use common::{not_passed, run_api, start_onechat, target_for};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_onechat_scenario_passes_against_the_embedded_mock() {
    let record = check::run(CheckOptions::new("onechat")).await.expect("the suite runs");
    let bad = not_passed(&record);
    assert!(bad.is_empty(), "{} scenarios did not pass:\n\n{}", bad.len(), bad.join("\n\n"));
    assert!(record.scenarios.len() >= 88, "only {} scenarios ran", record.scenarios.len());
    let areas: std::collections::BTreeSet<&str> = record.scenarios.iter().map(|s| s.area.as_str()).collect();
    assert_eq!(
        areas.into_iter().collect::<Vec<_>>(),
        ["broadcast", "chat_plugin", "endpoint", "mini_app_library", "miniapps", "relay"]
    );
    assert!(!record.failed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_a_target_cannot_do_is_impossible_not_failed() {
    let mock = start_onechat(&[]).await;
    let mut t = target_for("onechat", &mock.base_url, "limited");
    t.admin_url = None;
    let record = run_api("onechat", t, &["broadcast"]).await;
    assert!(record.scenarios.iter().all(|s| s.outcome == Outcome::Impossible), "{:?}", not_passed(&record));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_may_rename_a_call() {
    // NOTES.md O2: a server that answers authenticateUser at registerMiniApp's URL.
    let mock = start_onechat(&[]).await;
    let mut t = target_for("onechat", &mock.base_url, "renamed");
    t.onechat.call_names.insert("authenticateUser".into(), "registerMiniApp".into());
    let record = run_api("onechat", t, &["miniapps"]).await;
    assert!(not_passed(&record).is_empty(), "{:?}", not_passed(&record));
}

#[test]
fn without_a_browser_the_library_scenarios_are_impossible_and_the_rest_pass() {
    // A PATH with no browser on it, and no CHATSPEC_CHROMIUM: the binary, as a user runs it.
    let dir = std::env::temp_dir().join(format!("chatspec-no-browser-{}", std::process::id()));
    let empty = dir.join("bin");
    std::fs::create_dir_all(&empty).expect("a folder");
    let reports = dir.join("reports");
    let features = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../features");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_chatspec"))
        .args(["check", "--api", "onechat", "--report-dir"])
        .arg(&reports)
        .arg("--features")
        .arg(&features)
        .env("PATH", &empty)
        .env_remove("CHATSPEC_CHROMIUM")
        .output()
        .expect("chatspec check runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(reports.join("conformance.json")).expect("conformance.json"),
    )
    .expect("JSON");
    let totals = &doc["totals"];
    assert_eq!(totals["fail"], 0, "{totals}");
    assert!(totals["pass"].as_u64().is_some_and(|n| n >= 50), "{totals}");
    let impossible: Vec<&serde_json::Value> = doc["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .filter(|s| s["outcome"] == "impossible")
        .collect();
    assert!(impossible.len() >= 34, "{totals}");
    assert!(impossible.iter().all(|s| s["area"] == "chat_plugin" || s["area"] == "mini_app_library"));
    let junit = std::fs::read_to_string(reports.join("junit.xml")).expect("junit.xml");
    assert!(
        junit.contains("the scenario runs the OneChat libraries in a browser: no browser: none of chromium"),
        "{junit}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_points_the_library_areas_at_other_copies_by_url() {
    // The libraries by URL, as a team's own build would be given: here the mock's copies under
    // URLs of another form, so the pages must load exactly what the profile says.
    let mock = start_onechat(&[]).await;
    let mut t = target_for("onechat", &mock.base_url, "own build");
    t.timeout_factor = 1.0;
    let other = mock.base_url.replace("127.0.0.1", "localhost");
    t.onechat.libraries.ocwp_url = Some(format!("{other}/ocwp.js?build=team"));
    t.onechat.libraries.oc_url = Some(format!("{other}/oc.js?build=team&jid={{jid}}"));
    let record = run_api("onechat", t, &["chat_plugin", "mini_app_library"]).await;
    let impossible: Vec<&str> =
        record.scenarios.iter().filter(|s| s.outcome == Outcome::Impossible).map(|s| s.id.as_str()).collect();
    // Only the scenario that stops a server of its own, whose copy it would have to load.
    assert_eq!(
        impossible,
        ["onechat/chat_plugin/a-server-that-stops-disconnects-the-plugin-and-a-login-to-it-fails-to-connect"],
        "{:?}",
        not_passed(&record)
    );
    assert!(
        record.scenarios.iter().all(|s| matches!(s.outcome, Outcome::Pass | Outcome::Impossible)),
        "{:?}",
        not_passed(&record)
    );
    let loaded: Vec<&str> = record
        .scenarios
        .iter()
        .flat_map(|s| &s.wire_log)
        .filter(|e| e.summary.starts_with("open "))
        .filter_map(|e| e.body.as_ref().and_then(|b| b.as_str()))
        .collect();
    assert!(!loaded.is_empty() && loaded.iter().all(|html| html.contains("build=team")), "{loaded:?}");
}
