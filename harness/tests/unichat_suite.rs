//! The whole Unichat suite against the embedded mock: every scenario must pass.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chatspec::check::{self, CheckOptions};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_unichat_scenario_passes_against_the_embedded_mock() {
    let record = check::run(CheckOptions::new("unichat")).await.expect("the suite runs");
    let bad = common::not_passed(&record);
    assert!(bad.is_empty(), "{} scenarios did not pass:\n\n{}", bad.len(), bad.join("\n\n"));
    assert!(record.scenarios.len() >= 100, "only {} scenarios ran", record.scenarios.len());
    assert!(!record.failed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_ids_are_unique_and_stable() {
    let mut opts = CheckOptions::new("unichat");
    opts.tags = Some("@signup".into());
    let first = check::run(opts.clone()).await.expect("the suite runs");
    let second = check::run(opts).await.expect("the suite runs");
    let ids = |r: &chatspec::outcome::RunRecord| r.scenarios.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&first), ids(&second));
    assert_eq!(first.scenarios.len(), 4, "the tag filter selects the sign-up scenarios only");
    let mut unique = ids(&first);
    unique.dedup();
    assert_eq!(unique.len(), first.scenarios.len());
}

#[tokio::test]
async fn a_bad_tag_expression_is_a_clear_error() {
    let mut opts = CheckOptions::new("unichat");
    opts.tags = Some("@a and and".into());
    let err = check::run(opts).await.expect_err("refused").to_string();
    assert!(err.contains("--tags"), "{err}");
}

#[tokio::test]
async fn an_unknown_api_is_a_clear_error() {
    let err = check::run(CheckOptions::new("nosuchapi")).await.expect_err("refused").to_string();
    assert!(err.contains("nosuchapi"), "{err}");
}
