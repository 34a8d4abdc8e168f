//! The run context: what every scenario of one run shares (target, HTTP client, run id).
//!
//! Cucumber builds worlds with no arguments, and polls every scenario inside the one task
//! that runs the suite, so the context travels as a task-local set around that run.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use crate::outcome::WireEntry;
use crate::target::{Account, Provisioning, Target};

tokio::task_local! {
    /// The context of the run the current task belongs to.
    pub static CONTEXT: Arc<RunContext>;
}

/// What the harness learned about a scenario that the cucumber events do not carry.
#[derive(Clone, Debug, Default)]
pub struct ScenarioExtras {
    /// What went over the wire, in order, for the reports.
    pub wire_log: Vec<WireEntry>,
    /// The documentation sentence the scenario checks (seed file and quote).
    pub doc: Option<String>,
    /// Readings that did not hold and deviations adapted to.
    pub notes: Vec<crate::verdict::Note>,
}

/// The run's HTTP client could not be built (reqwest found no usable TLS backend or resolver).
#[derive(Debug, thiserror::Error)]
#[error("cannot build the HTTP client: {0}")]
pub struct HttpClientError(#[source] pub reqwest::Error);

/// Shared by every scenario of one run.
pub struct RunContext {
    /// What the run checks: the embedded mock or a profile.
    pub target: Target,
    /// For calls: proxies off, a 10 s timeout (scaled by the timeout factor).
    pub http: reqwest::Client,
    /// For event streams: no overall timeout, as a stream lives as long as its scenario.
    pub stream_http: reqwest::Client,
    /// Goes into every name and uid, so runs never collide on a shared server.
    pub run_id: String,
    /// `--strict`: a register reading that does not hold fails its scenario.
    pub strict: bool,
    /// The run's browser, launched by the first scenario that needs one.
    pub browser: crate::browser::session::BrowserSession,
    smtp: std::sync::OnceLock<crate::smtp::SmtpSink>,
    counter: AtomicU64,
    clock_advanced: AtomicU64,
    extras: Mutex<HashMap<String, ScenarioExtras>>,
    accounts: Mutex<Vec<Account>>,
    account_returned: tokio::sync::Notify,
}

impl RunContext {
    /// A context for `target`.
    pub fn new(target: Target) -> Result<Arc<RunContext>, HttpClientError> {
        RunContext::with_strict(target, false)
    }

    /// A context for `target`; `strict` fails scenarios on readings that do not hold.
    pub fn with_strict(target: Target, strict: bool) -> Result<Arc<RunContext>, HttpClientError> {
        let http = crate::tls::http_client()
            .no_proxy()
            .timeout(target.wait(std::time::Duration::from_secs(10)))
            .connect_timeout(target.wait(std::time::Duration::from_secs(5)))
            .build()
            .map_err(HttpClientError)?;
        let stream_http = crate::tls::http_client()
            .no_proxy()
            .connect_timeout(target.wait(std::time::Duration::from_secs(5)))
            .build()
            .map_err(HttpClientError)?;
        let accounts = match &target.provisioning {
            Provisioning::Accounts { accounts } => accounts.iter().rev().cloned().collect(),
            _ => Vec::new(),
        };
        let run_id = {
            use std::time::{SystemTime, UNIX_EPOCH};
            let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
            format!("{:x}", (nanos as u64) ^ u64::from(std::process::id()).rotate_left(40))
        };
        Ok(Arc::new(RunContext {
            target,
            http,
            stream_http,
            run_id,
            strict,
            browser: crate::browser::session::BrowserSession::default(),
            smtp: std::sync::OnceLock::new(),
            counter: AtomicU64::new(0),
            clock_advanced: AtomicU64::new(0),
            extras: Mutex::new(HashMap::new()),
            accounts: Mutex::new(accounts),
            account_returned: tokio::sync::Notify::new(),
        }))
    }

    /// Counts `seconds` the run moved the target's clock forward (an advance the target
    /// acknowledged): the run reports the total, as it never moves the clock back.
    pub fn clock_moved(&self, seconds: u64) {
        let _ = self
            .clock_advanced
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |s| Some(s.saturating_add(seconds)));
    }

    /// How far the run has moved the target's clock forward, in seconds.
    pub fn clock_advanced(&self) -> u64 {
        self.clock_advanced.load(Ordering::Relaxed)
    }

    /// Starts chatspec's SMTP sink where the profile says (`[smtp] listen`); it stops with
    /// the run. Nothing to do without one.
    pub async fn start_smtp(&self) -> std::io::Result<()> {
        if let Some(addr) = self.target.smtp_listen
            && self.smtp.get().is_none()
        {
            let sink = crate::smtp::SmtpSink::start(addr).await?;
            let _ = self.smtp.set(sink);
        }
        Ok(())
    }

    /// The run's SMTP sink, when the profile names one.
    pub fn smtp(&self) -> Option<&crate::smtp::SmtpSink> {
        self.smtp.get()
    }

    /// The context of the current run.
    pub fn current() -> Arc<RunContext> {
        CONTEXT.with(Arc::clone)
    }

    /// A name unique to this run: `Alice-<run>-<n>`.
    pub fn unique(&self, base: &str) -> String {
        format!("{base}-{}-{}", self.run_id, self.next_n())
    }

    /// A number unique within this run.
    pub fn next_n(&self) -> u64 {
        self.counter.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Shapes the body of request `name` as the target's profile says (`target/shaping.rs`):
    /// `actor` is the scenario's name of the acting user, `login` the login the request is
    /// about, when known.
    pub fn shape(&self, name: &str, body: &mut serde_json::Value, actor: Option<&str>, login: Option<&str>) {
        let shaping = &self.target.shaping;
        if shaping.shapes(name) {
            let vars = crate::target::Vars { run: &self.run_id, n: self.next_n(), login, actor };
            shaping.shape_body(name, body, &vars);
        }
    }

    /// The name the server uses for header `name` (the profile's `header_names`).
    pub fn header<'a>(&'a self, name: &'a str) -> &'a str {
        self.target.shaping.header(name)
    }

    /// Takes a pre-made account, waiting up to `timeout` for a running scenario to give
    /// one back when all are in use.
    pub async fn checkout_account(&self, timeout: std::time::Duration) -> Option<Account> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let returned = self.account_returned.notified();
            tokio::pin!(returned);
            returned.as_mut().enable();
            let taken = self.accounts.lock().unwrap_or_else(PoisonError::into_inner).pop();
            if taken.is_some() {
                return taken;
            }
            if tokio::time::timeout_at(deadline, returned).await.is_err() {
                return None;
            }
        }
    }

    /// Returns a pre-made account for the next scenario.
    pub fn return_account(&self, account: Account) {
        self.accounts.lock().unwrap_or_else(PoisonError::into_inner).push(account);
        self.account_returned.notify_waiters();
    }

    /// Records what a scenario left behind, under its key.
    pub fn put_extras(&self, key: String, extras: ScenarioExtras) {
        self.extras.lock().unwrap_or_else(PoisonError::into_inner).insert(key, extras);
    }

    /// Takes what a scenario left behind.
    pub fn take_extras(&self, key: &str) -> Option<ScenarioExtras> {
        self.extras.lock().unwrap_or_else(PoisonError::into_inner).remove(key)
    }
}

/// The key that ties a scenario's cucumber events to its extras: feature file and line.
pub fn scenario_key(feature: &gherkin::Feature, scenario: &gherkin::Scenario) -> String {
    let path = feature.path.as_ref().map_or_else(|| feature.name.clone(), |p| p.display().to_string());
    format!("{path}:{}", scenario.position.line)
}

use cucumber::gherkin;
