//! The whole connectnow suite against the embedded mock: every scenario must pass. And the
//! scenarios a target cannot run (no clock control, no admin API) end as impossible, not
//! failed; scenarios on a reading run on every target.

mod common;

use chatspec::check::{self, CheckOptions};
use chatspec::outcome::Outcome;
use common::{not_passed, run_api, start_connectnow, target_for};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_connectnow_scenario_passes_against_the_embedded_mock() {
    let record = check::run(CheckOptions::new("connectnow")).await.expect("the suite runs");
    let bad = not_passed(&record);
    assert!(bad.is_empty(), "{} scenarios did not pass:\n\n{}", bad.len(), bad.join("\n\n"));
    assert!(record.scenarios.len() >= 150, "only {} scenarios ran", record.scenarios.len());
    let areas: std::collections::BTreeSet<&str> = record.scenarios.iter().map(|s| s.area.as_str()).collect();
    for area in [
        "auth",
        "chat_messages",
        "chat_users",
        "chats",
        "companies",
        "errors",
        "pagination",
        "scoping",
        "tokens",
        "users",
    ] {
        assert!(areas.contains(area), "no scenario of {area}");
    }
    assert!(!record.failed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scenarios_that_run_alone_are_tagged_serial() {
    let mut opts = CheckOptions::new("connectnow");
    opts.tags = Some("@serial".into());
    let record = check::run(opts).await.expect("the suite runs");
    let ids: Vec<&str> = record.scenarios.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        ["connectnow/errors/too-many-requests-are-answered-429", "connectnow/tokens/an-auth-code-expires"]
    );
    assert!(record.scenarios.iter().all(|s| s.outcome == Outcome::Pass));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_a_target_cannot_do_is_impossible_not_failed() {
    let mock = start_connectnow(&[]).await;
    let mut t = target_for("connectnow", &mock.base_url, "limited");
    t.clock_control = false;
    t.connectnow.request_code_path = None;
    let record = run_api("connectnow", t.clone(), &["tokens", "pagination", "chat_messages"]).await;
    let mut impossible: Vec<&str> =
        record.scenarios.iter().filter(|s| s.outcome == Outcome::Impossible).map(|s| s.id.as_str()).collect();
    impossible.sort_unstable();
    assert_eq!(
        impossible,
        [
            "connectnow/tokens/a-wrong-chat-password-gets-no-auth-code",
            "connectnow/tokens/an-auth-code-expires",
            "connectnow/tokens/the-chat-password-gets-a-newcomer-an-auth-code",
        ]
    );
    assert!(record.scenarios.iter().all(|s| matches!(s.outcome, Outcome::Pass | Outcome::Impossible)));
    assert!(!record.failed(), "impossible is not failure unless asked");

    // Without the admin API there are no accounts to run anything with.
    t.admin_url = None;
    let record = run_api("connectnow", t, &["users"]).await;
    assert!(record.scenarios.iter().all(|s| s.outcome == Outcome::Impossible), "{:?}", not_passed(&record));
    let why = record.scenarios[0].impossible.as_deref().unwrap_or_default();
    assert!(why.contains("the profile lacks an [admin] section with url"), "{why}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_clock_control_a_profile_may_wait_in_real_time() {
    const EXPIRES: &str = "connectnow/tokens/an-auth-code-expires";
    let mock = start_connectnow(&[]).await;
    let mut t = target_for("connectnow", &mock.base_url, "no clock");
    t.clock_control = false;
    // The profile says codes live 1 s; this server keeps them 10 minutes.
    t.connectnow.auth_code_ttl_seconds = Some(1);
    let record = run_api("connectnow", t.clone(), &["tokens"]).await;
    let s = record.scenarios.iter().find(|s| s.id == EXPIRES).expect("the expiry scenario");
    assert_eq!(s.outcome, Outcome::Impossible, "no real-time wait allowed: {:?}", s.failure);
    assert!(s.impossible.as_deref().is_some_and(|w| w.contains("max_real_time_wait_seconds")));

    t.max_real_time_wait_seconds = 5;
    let record = run_api("connectnow", t, &["tokens"]).await;
    let s = record.scenarios.iter().find(|s| s.id == EXPIRES).expect("the expiry scenario");
    // It waited out the 1 s lifetime in real time and found the code still good: the profile
    // was wrong about this server.
    assert_eq!(s.outcome, Outcome::Fail, "{:?}", s.failure);
    assert!(s.duration_ms >= 1_000, "{} ms", s.duration_ms);
    assert!(s.wire_log.iter().any(|e| e.summary.contains("in real time")), "{:?}", s.wire_log);
    assert!(record.scenarios.iter().filter(|s| s.id != EXPIRES).all(|s| s.outcome == Outcome::Pass));
}
