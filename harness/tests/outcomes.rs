//! Honest outcomes against real targets: known failures, unexpected passes, impossible
//! scenarios, and a run that executes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chatspec::check::{self, CheckOptions};
use chatspec::outcome::Outcome;
use chatspec::target::KnownFailureEntry;
use chatspec_mocks::unichat::Breakage;
use common::{run, start_unichat, target};

const LEAVE: &str = "unichat/leaving/leaving-posts-a-leave-message-first-then-a-deleted-notification";
const KICK_OWNER: &str = "unichat/leaving/the-owner-cannot-be-kicked-or-lose-the-admin-role";
const DELETE_LATE: &str = "unichat/deleting/the-author-can-delete-at-any-time-even-after-the-edit-window";

fn known(id: &str) -> KnownFailureEntry {
    KnownFailureEntry {
        scenario: id.into(),
        reason: "not done yet".into(),
        link: Some("https://tracker.example/1".into()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listed_failure_is_expected_and_does_not_fail_the_run() {
    let mock = start_unichat(&[Breakage::NoLeaveMessage]).await;
    let mut t = target(&mock.base_url, "known");
    t.known_failures = vec![known(LEAVE)];
    let record = run(t, &["leaving"]).await;
    let s = record.scenarios.iter().find(|s| s.id == LEAVE).unwrap();
    assert_eq!(s.outcome, Outcome::ExpectedFailure);
    assert_eq!(s.known_failure.as_ref().unwrap().reason, "not done yet");
    assert!(!record.failed(), "an expected failure alone does not fail the run");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listed_scenario_that_passes_is_an_unexpected_pass_and_fails_the_run() {
    let mock = start_unichat(&[]).await;
    let mut t = target(&mock.base_url, "stale list");
    t.known_failures = vec![known(KICK_OWNER)];
    let record = run(t, &["leaving"]).await;
    let s = record.scenarios.iter().find(|s| s.id == KICK_OWNER).unwrap();
    assert_eq!(s.outcome, Outcome::UnexpectedPass);
    assert!(record.failed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenarios_needing_clock_control_are_impossible_without_it() {
    let mock = start_unichat(&[]).await;
    let mut t = target(&mock.base_url, "no clock");
    t.clock_control = false;
    // A known failure on a scenario that cannot run here: never checked, and said so.
    t.known_failures = vec![known(DELETE_LATE)];
    let record = run(t.clone(), &["editing", "deleting"]).await;
    let impossible: Vec<&str> =
        record.scenarios.iter().filter(|s| s.outcome == Outcome::Impossible).map(|s| s.id.as_str()).collect();
    assert_eq!(impossible.len(), 3, "{impossible:?}");
    assert!(record.scenarios.iter().all(|s| matches!(s.outcome, Outcome::Pass | Outcome::Impossible)));
    assert!(!record.failed(), "impossible is not failure unless asked");
    assert!(
        record
            .scenarios
            .iter()
            .filter(|s| s.outcome == Outcome::Impossible)
            .all(|s| s.impossible.as_deref().is_some_and(|w| w.contains("clock")))
    );
    // Each became impossible at its clock step, after its background (users, a room, a post)
    // had talked to the server: counted, and still not run.
    for s in record.scenarios.iter().filter(|s| s.outcome == Outcome::Impossible) {
        let passed = s.steps.iter().filter(|st| st.status == chatspec::outcome::StepStatus::Passed).count();
        assert!(s.impossible_after_steps >= 3, "{}: {:?}", s.id, s.steps);
        assert_eq!(s.impossible_after_steps, passed, "{}", s.id);
    }
    let headline = check::headline(&record);
    assert!(headline.contains("3 impossible, 3 of them after some steps ran"), "{headline}");
    let doc = chatspec::report::conformance::build(&record);
    assert_eq!(doc.totals.counts.impossible_partly_ran, 3);
    assert_eq!(doc.totals.ran, record.scenarios.len() - 3);
    let late = record.scenarios.iter().find(|s| s.id == DELETE_LATE).unwrap();
    assert_eq!(late.outcome, Outcome::Impossible);
    assert!(late.known_failure_unchecked());
    assert_eq!(doc.totals.counts.known_failures_unchecked, 1);
    let details = check::console_details(&record);
    assert!(details.contains("KNOWN FAILURES NOT CHECKED (1): "), "{details}");
    assert!(details.contains(&format!("  {DELETE_LATE}: not run, impossible after ")), "{details}");

    let mut opts = CheckOptions::new("unichat");
    opts.target = Some(t);
    opts.areas = vec!["deleting".into()];
    opts.impossible_fails = true;
    let strict = check::run(opts).await.unwrap();
    assert!(strict.failed());
    assert_eq!(strict.count(Outcome::Fail), 1);
    // Failed by the flag, never run: conformance.json counts it apart, and its rules stay
    // impossible, as without the flag.
    let doc = chatspec::report::conformance::build(&strict);
    assert_eq!((doc.totals.counts.fail, doc.totals.counts.impossible_failed), (1, 1));
    assert_eq!(doc.totals.ran, strict.scenarios.len() - 1);
    let forced = strict.scenarios.iter().find(|s| s.outcome == Outcome::Fail).unwrap();
    let rules: Vec<_> = doc.rules.iter().filter(|r| r.scenarios.contains(&forced.id)).collect();
    assert!(!rules.is_empty(), "{:?}", forced.tags);
    for r in rules {
        assert_eq!(r.verdict, chatspec::report::rules::RuleVerdict::Impossible, "{}", r.id);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_an_admin_api_users_come_from_sign_up() {
    let mock = start_unichat(&[]).await;
    let mut t = target(&mock.base_url, "signup");
    t.admin_url = None;
    t.clock_control = false;
    t.provisioning = chatspec::target::Provisioning::SignUp { email_domain: "example.test".into() };
    let record = run(t, &["messages", "editing"]).await;
    let bad: Vec<_> = record
        .scenarios
        .iter()
        .filter(|s| !matches!(s.outcome, Outcome::Pass | Outcome::Impossible))
        .collect();
    assert!(bad.is_empty(), "{:?}", bad.iter().map(|s| (&s.id, &s.failure)).collect::<Vec<_>>());
    assert_eq!(record.count(Outcome::Impossible), 2, "the clock scenarios of editing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_that_executes_no_scenario_fails() {
    let mut opts = CheckOptions::new("unichat");
    // Known tags that no scenario matches together (an unknown tag is refused before the run).
    opts.tags = Some("@uid and not @uid".into());
    let record = check::run(opts).await.unwrap();
    assert!(record.scenarios.is_empty());
    assert!(record.failed());
}
