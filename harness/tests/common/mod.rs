//! Shared by the self-tests: starting (broken) mocks and checking what a run caught.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use chatspec::check::{self, CheckOptions};
use chatspec::outcome::{Outcome, RunRecord};
use chatspec::target::Target;
use chatspec_mocks::kit::{Clock, serve};
use chatspec_mocks::sama::{self, Sama};
use chatspec_mocks::unichat::{self, Breakage, Config, Unichat};
use tokio_util::sync::CancellationToken;

/// A Unichat mock on an ephemeral port; stopped when dropped.
pub struct Running {
    pub state: Arc<Unichat>,
    pub base_url: String,
    stop: CancellationToken,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// Starts a Unichat mock that breaks the given rules.
pub async fn start_unichat(breakage: &[Breakage]) -> Running {
    let config = Config { breakage: breakage.iter().copied().collect(), ..Config::default() };
    let state = Unichat::new(config, Clock::system(), Duration::from_millis(200));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = serve::base_url(&listener).unwrap();
    let stop = CancellationToken::new();
    tokio::spawn(unichat::run(state.clone(), listener, stop.clone()));
    Running { state, base_url, stop }
}

/// Runs the areas' scenarios against `target`.
pub async fn run(target: Target, areas: &[&str]) -> RunRecord {
    let mut opts = CheckOptions::new("unichat");
    opts.target = Some(target);
    opts.areas = areas.iter().map(|a| (*a).to_owned()).collect();
    check::run(opts).await.expect("the suite runs")
}

/// A target for a mock at `base`, with a small timeout factor so broken waits end fast.
pub fn target(base: &str, name: &str) -> Target {
    let mut t = Target::embedded_unichat(base.to_owned());
    t.name = name.to_owned();
    t.timeout_factor = 0.3;
    t
}

/// The ids of scenarios that did not pass.
pub fn failing(record: &RunRecord) -> BTreeSet<String> {
    record.scenarios.iter().filter(|s| s.outcome != Outcome::Pass).map(|s| s.id.clone()).collect()
}

/// Asserts the run failed on exactly `expected` (every other scenario passed), and that each
/// failure message mentions one of `words` and names a documentation sentence.
pub fn assert_caught(record: &RunRecord, expected: &[&str], words: &[&str]) {
    assert!(record.failed(), "the run should fail");
    let got = failing(record);
    let want: BTreeSet<String> = expected.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(got, want, "exactly these scenarios should fail");
    for s in record.scenarios.iter().filter(|s| s.outcome != Outcome::Pass) {
        assert_eq!(s.outcome, Outcome::Fail, "{}", s.id);
        let f = s.failure.as_ref().expect("a failure");
        assert!(
            words.iter().any(|w| f.message.contains(w)),
            "the failure of {} should mention one of {words:?}:\n{}",
            s.id,
            f.message
        );
        assert!(
            f.message.contains("documentation: seed"),
            "{} names no documentation sentence:\n{}",
            s.id,
            f.message
        );
    }
}

/// A SAMA mock on an ephemeral port; stopped when dropped.
pub struct RunningSama {
    pub state: Arc<Sama>,
    pub base_url: String,
    stop: CancellationToken,
}

impl Drop for RunningSama {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// Starts a SAMA mock that breaks the given rules.
pub async fn start_sama(breakage: &[sama::Breakage]) -> RunningSama {
    let config = sama::Config { breakage: breakage.iter().copied().collect(), ..sama::Config::default() };
    let state = Sama::new(config, Clock::system());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = serve::base_url(&listener).unwrap();
    let stop = CancellationToken::new();
    tokio::spawn(sama::run(state.clone(), listener, stop.clone()));
    RunningSama { state, base_url, stop }
}

/// A SAMA target for a mock at `base`, with a small timeout factor so broken waits end fast.
pub fn sama_target(base: &str, name: &str) -> Target {
    let mut t = Target::embedded("sama", base.to_owned());
    t.name = name.to_owned();
    t.timeout_factor = 0.3;
    t
}

/// Runs the areas' SAMA scenarios against `target`.
pub async fn run_sama(target: Target, areas: &[&str]) -> RunRecord {
    let mut opts = CheckOptions::new("sama");
    opts.target = Some(target);
    opts.areas = areas.iter().map(|a| (*a).to_owned()).collect();
    check::run(opts).await.expect("the suite runs")
}
