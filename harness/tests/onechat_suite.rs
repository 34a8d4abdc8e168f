//! The whole OneChat suite against the embedded mock: every scenario must pass. And the
//! scenarios a target cannot run (no admin API) end as impossible, not failed.

mod common;

use chatspec::check::{self, CheckOptions};
use chatspec::outcome::Outcome;
use common::{not_passed, run_api, start_onechat, target_for};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_onechat_scenario_passes_against_the_embedded_mock() {
    let record = check::run(CheckOptions::new("onechat")).await.expect("the suite runs");
    let bad = not_passed(&record);
    assert!(bad.is_empty(), "{} scenarios did not pass:\n\n{}", bad.len(), bad.join("\n\n"));
    assert!(record.scenarios.len() >= 45, "only {} scenarios ran", record.scenarios.len());
    let areas: std::collections::BTreeSet<&str> = record.scenarios.iter().map(|s| s.area.as_str()).collect();
    assert_eq!(areas.into_iter().collect::<Vec<_>>(), ["broadcast", "endpoint", "miniapps", "relay"]);
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
