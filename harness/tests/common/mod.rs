//! Shared by the self-tests: starting (broken) mocks and checking what a run caught.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode};
use chatspec::check::{self, CheckOptions};
use chatspec::outcome::{Outcome, RunRecord};
use chatspec::target::Target;
use chatspec_mocks::connectnow::{self, ConnectNow};
use chatspec_mocks::kit::{Clock, serve};
use chatspec_mocks::onechat::{self, OneChat};
use chatspec_mocks::sama::{self, Sama};
use chatspec_mocks::unichat::{self, Breakage, Config, Unichat};
use serde_json::Value;
use tokio_util::sync::CancellationToken;
use wiremock::{Mock, MockServer, ResponseTemplate};

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

/// Runs the areas' scenarios of the Unichat suite against `target`.
pub async fn run(target: Target, areas: &[&str]) -> RunRecord {
    run_api("unichat", target, areas).await
}

/// A target for a mock at `base`, with a small timeout factor so broken waits end fast.
pub fn target(base: &str, name: &str) -> Target {
    let mut t = Target::embedded_unichat(base.to_owned());
    t.name = name.to_owned();
    t.timeout_factor = 0.3;
    t
}

/// Every scenario that did not pass, with why and where, for assertion messages.
pub fn not_passed(record: &RunRecord) -> Vec<String> {
    record
        .scenarios
        .iter()
        .filter(|s| s.outcome != Outcome::Pass)
        .map(|s| {
            let why = s
                .failure
                .as_ref()
                .map(|f| f.message.clone())
                .or_else(|| s.impossible.clone())
                .unwrap_or_default();
            format!("{} ({:?}) at {}:{}\n{why}", s.id, s.outcome, s.feature_file, s.line)
        })
        .collect()
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

// ---- the REST APIs: connectnow and OneChat ------------------------------------------------

/// A REST mock (connectnow or OneChat) on an ephemeral port; stopped when dropped.
pub struct RunningRest<S> {
    pub state: Arc<S>,
    pub base_url: String,
    stop: CancellationToken,
}

impl<S> Drop for RunningRest<S> {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// Starts a connectnow mock that breaks the given rules.
pub async fn start_connectnow(breakage: &[connectnow::Breakage]) -> RunningRest<ConnectNow> {
    let config = connectnow::Config { breakage: breakage.iter().copied().collect(), ..Default::default() };
    let state = ConnectNow::new(config, Clock::system());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = serve::base_url(&listener).unwrap();
    let stop = CancellationToken::new();
    tokio::spawn(connectnow::run(state.clone(), listener, stop.clone()));
    RunningRest { state, base_url, stop }
}

/// Starts a OneChat mock that breaks the given rules.
pub async fn start_onechat(breakage: &[onechat::Breakage]) -> RunningRest<OneChat> {
    let state = OneChat::with_breakage(Clock::system(), breakage.iter().copied().collect());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = serve::base_url(&listener).unwrap();
    let stop = CancellationToken::new();
    tokio::spawn(onechat::run(state.clone(), listener, stop.clone()));
    RunningRest { state, base_url, stop }
}

/// Runs the areas' scenarios of `api` against `target`.
pub async fn run_api(api: &str, target: Target, areas: &[&str]) -> RunRecord {
    run_api_strict(api, target, areas, false).await
}

/// Runs the areas' scenarios of `api` against `target`; `strict` fails scenarios on readings.
pub async fn run_api_strict(api: &str, target: Target, areas: &[&str], strict: bool) -> RunRecord {
    let mut opts = CheckOptions::new(api);
    opts.target = Some(target);
    opts.areas = areas.iter().map(|a| (*a).to_owned()).collect();
    opts.strict = strict;
    check::run(opts).await.expect("the suite runs")
}

/// Asserts the run passed with exactly `expected` passed on a lenient reading (every other
/// scenario a strict pass), each naming the register entry `entry`.
pub fn assert_graded(record: &RunRecord, expected: &[&str], entry: &str) {
    assert!(!record.failed(), "a reading alone never fails the run: {:?}", not_passed(record));
    let got: BTreeSet<String> =
        record.scenarios.iter().filter(|s| s.outcome == Outcome::PassLenient).map(|s| s.id.clone()).collect();
    let want: BTreeSet<String> = expected.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(got, want, "exactly these scenarios pass on a lenient reading: {:?}", not_passed(record));
    for s in record.scenarios.iter().filter(|s| s.outcome != Outcome::Pass) {
        assert_eq!(s.outcome, Outcome::PassLenient, "{}", s.id);
        assert!(
            s.notes.iter().any(|n| n.entry == entry),
            "{} should name the reading {entry}: {:?}",
            s.id,
            s.notes
        );
    }
}

/// A target for the `api` mock at `base`, with a small timeout factor so broken waits end fast.
pub fn target_for(api: &str, base: &str, name: &str) -> Target {
    let mut t = Target::embedded(api, base.to_owned());
    t.name = name.to_owned();
    t.timeout_factor = 0.3;
    t
}

/// How a double breaks one REST reply: it sees the method and path, may change the status
/// and the body (a JSON string is sent as a raw text body, `Null` as no body), and may delay
/// the reply.
pub type RestBreaker = dyn Fn(&str, &str, &mut u16, &mut Value) -> Option<Duration> + Send + Sync;

/// A synchronous entry point of a mock's transport: method, path and query, headers, body in;
/// status, headers, body out.
pub type Respond = dyn Fn(&Method, &str, &HeaderMap, &[u8]) -> (StatusCode, HeaderMap, Bytes) + Send + Sync;

struct RestDelegate {
    respond: Arc<Respond>,
    breaker: Arc<RestBreaker>,
}

impl wiremock::Respond for RestDelegate {
    fn respond(&self, req: &wiremock::Request) -> ResponseTemplate {
        let path = req.url.path().to_owned();
        let path_and_query = match req.url.query() {
            Some(q) => format!("{path}?{q}"),
            None => path.clone(),
        };
        let (status, headers, bytes) = (self.respond)(&req.method, &path_and_query, &req.headers, &req.body);
        let mut status = status.as_u16();
        let mut body: Value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        let delay = (self.breaker)(req.method.as_str(), &path, &mut status, &mut body);
        let mut reply = match &body {
            Value::Null => ResponseTemplate::new(status),
            Value::String(text) => ResponseTemplate::new(status).set_body_raw(text.clone(), "text/html"),
            json => ResponseTemplate::new(status).set_body_json(json),
        };
        for (name, value) in &headers {
            if name != "content-type" && name != "content-length" {
                reply = reply.insert_header(name.clone(), value.clone());
            }
        }
        if let Some(d) = delay {
            reply = reply.set_delay(d);
        }
        reply
    }
}

/// A wiremock double in front of a mock: every request is answered through the mock's own
/// transport (`respond`), then broken by `breaker`.
pub async fn rest_double(
    respond: impl Fn(&Method, &str, &HeaderMap, &[u8]) -> (StatusCode, HeaderMap, Bytes) + Send + Sync + 'static,
    breaker: impl Fn(&str, &str, &mut u16, &mut Value) -> Option<Duration> + Send + Sync + 'static,
) -> MockServer {
    let double = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(RestDelegate { respond: Arc::new(respond), breaker: Arc::new(breaker) })
        .mount(&double)
        .await;
    double
}

/// Runs `areas` of `api` against a double of its mock that breaks replies with `breaker`; the
/// admin API stays on the real mock at `admin`.
pub async fn run_rest_double(
    api: &str,
    double: &MockServer,
    admin: &str,
    areas: &[&str],
    factor: f64,
) -> RunRecord {
    run_rest_double_strict(api, double, admin, areas, factor, false).await
}

/// [`run_rest_double`], `strict` failing scenarios on readings.
pub async fn run_rest_double_strict(
    api: &str,
    double: &MockServer,
    admin: &str,
    areas: &[&str],
    factor: f64,
    strict: bool,
) -> RunRecord {
    let mut t = target_for(api, &double.uri(), "wiremock double");
    t.admin_url = Some(admin.to_owned());
    t.timeout_factor = factor;
    run_api_strict(api, t, areas, strict).await
}

// ---- SAMA ----------------------------------------------------------------------------------

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
    run_api("sama", target, areas).await
}

/// Fails unless `this_file` (a self-test file's source) breaks every one of `breakages` in a
/// test: a breakage added without a test would leave its rule unproven.
pub fn assert_every_breakage_tested<B: std::fmt::Debug>(
    this_file: &str,
    breakages: impl IntoIterator<Item = B>,
) {
    for b in breakages {
        let name = format!("Breakage::{b:?},");
        assert!(this_file.contains(&name), "no self-test breaks {b:?}");
    }
}

/// `POST {base}/_mock/users {"name"}` (the admin API every mock serves): the user's record as
/// the mock answers it.
pub async fn provision_user(http: &reqwest::Client, base: &str, name: &str) -> serde_json::Value {
    http.post(format!("{base}/_mock/users"))
        .json(&serde_json::json!({"name": name}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Runs `proxy` on port 0 until the token is cancelled; the proxy, its base URL and the token.
pub async fn run_proxy(proxy: chatspec::proxy::Proxy) -> (chatspec::proxy::Proxy, String, CancellationToken) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let stop = CancellationToken::new();
    let running = proxy.clone();
    let until = stop.clone();
    tokio::spawn(async move { running.run(listener, until).await });
    (proxy, base, stop)
}

/// An HTTP client that ignores any proxy of the environment.
pub fn client() -> reqwest::Client {
    chatspec::tls::http_client().no_proxy().build().unwrap()
}

/// How many scenarios the built-in suite of `api` holds (every one a whole run must report).
pub fn suite_size(api: &str) -> usize {
    let features = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../features");
    chatspec::suites::catalog(&features).unwrap().iter().filter(|e| e.api == api).count()
}

/// Asserts that breaking `rule`, a rule a set-up step rests on, failed the rule's own
/// scenarios and blocked the others: every scenario tagged with the rule passed or failed, one
/// at least failed; every other scenario passed, was blocked by the rule (quoting the rule, not
/// its own sentence) or failed naming it in a step that is no set-up; a scenario outside
/// `area` (the rule's own area) is blocked; and the per-rule results report the rule not met,
/// with exactly the blocked scenarios' ids.
pub fn assert_blocks_other_areas(record: &RunRecord, rule: &str, area: &str) {
    let tag = format!("rule:{rule}");
    let names = |message: &str| {
        message
            .lines()
            .filter_map(|l| l.strip_prefix("rules: "))
            .any(|ids| ids.split([',', ' ']).any(|id| id == rule))
    };
    let mut own_failed = 0;
    let mut blocked = BTreeSet::new();
    for s in &record.scenarios {
        let message = s.failure.as_ref().map(|f| f.message.as_str()).unwrap_or_default();
        if s.tags.iter().any(|t| t.trim_start_matches('@') == tag) {
            assert!(matches!(s.outcome, Outcome::Pass | Outcome::Fail), "{} is {:?}", s.id, s.outcome);
            own_failed += usize::from(s.outcome == Outcome::Fail);
            continue;
        }
        match s.outcome {
            Outcome::Pass => {}
            Outcome::Blocked => {
                assert_eq!(s.blocked_by.as_deref(), Some(rule), "{}", s.id);
                assert!(names(message), "{} should name {rule}:\n{message}", s.id);
                if let Some(doc) = &s.doc {
                    let quote = doc.split_once(' ').map_or(doc.as_str(), |(_, q)| q);
                    assert!(!message.contains(quote), "{} quotes its own sentence:\n{message}", s.id);
                }
                blocked.insert(s.id.clone());
            }
            Outcome::Fail => assert!(names(message), "{} failed naming another rule:\n{message}", s.id),
            other => panic!("{} is {other:?}: {:?}", s.id, not_passed(record)),
        }
    }
    assert!(own_failed > 0, "no scenario of {rule} failed: {:?}", not_passed(record));
    let outside = record.scenarios.iter().filter(|s| blocked.contains(&s.id) && s.area != area).count();
    assert!(
        outside > 0,
        "no scenario outside the area {area} was blocked by {rule}: {:?}",
        not_passed(record)
    );
    let results = chatspec::report::rules::results(record);
    let result = results.iter().find(|r| r.id == rule).expect("the rule is reported");
    assert_eq!(result.verdict, chatspec::report::rules::RuleVerdict::NotMet);
    let listed: BTreeSet<String> = result.blocked_scenarios.iter().cloned().collect();
    assert_eq!(listed, blocked, "the rule lists the scenarios it blocked");
    assert_eq!(result.blocking, blocked.len());
}

/// A folder of its own for this run's profile and the fixture scripts
/// (`fixtures/command-provisioning/`), copied beside it so the profile names them as
/// `./create-user.sh` or `./admin.sh`.
pub fn profile_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("chatspec-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let fixtures =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/command-provisioning");
    for entry in std::fs::read_dir(fixtures).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    dir
}
