//! `chatspec check`: runs an API's suite against the embedded mock or a target.

use std::path::{Path, PathBuf};
use std::time::Instant;

use cucumber::gherkin::tagexpr::TagOperation;
use futures::FutureExt as _;

use crate::api::Api;
use crate::collect::{Collector, doc_of};
use crate::connectnow::ConnectNowWorld;
use crate::context::{CONTEXT, RunContext, ScenarioExtras, scenario_key};
use crate::kit::ApiWorld;
use crate::onechat::OneChatWorld;
use crate::outcome::{RunInfo, RunRecord};
use crate::sama::SamaWorld;
use crate::target::Target;
use crate::unichat::UnichatWorld;

/// Why a suite could not run at all (a scenario that fails is never one of these).
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// The features folder holds no `<api>/` folder.
    #[error("no suites under {}", .0.display())]
    NoSuites(PathBuf),
    /// `--tags` is not a tag expression.
    #[error("--tags {tags:?} is not a tag expression: {reason}")]
    BadTags {
        /// The expression given.
        tags: String,
        /// What the tag parser said.
        reason: String,
    },
    /// `--tags` names a tag that no scenario of the suites carries.
    #[error(
        "--tags names {tag}, which no scenario of the suites carries{} (chatspec list shows every scenario's tags)",
        nearest.as_ref().map(|n| format!("; the nearest is {n}")).unwrap_or_default()
    )]
    UnknownTag {
        /// The tag, with its `@`.
        tag: String,
        /// The nearest tag a scenario carries.
        nearest: Option<String>,
    },
    /// The API has no suite folder under the features folder.
    #[error(
        "no suite for API {api:?}: {} is not a folder (--features names a folder holding <api>/*.feature; without it the built-in suites run)",
        dir.display()
    )]
    NoSuite {
        /// The API asked for.
        api: String,
        /// The folder that is not there.
        dir: PathBuf,
    },
    /// An `--area`, `--scenario` or `known_failures` entry names nothing in the suite.
    #[error(
        "{what} {wanted:?} is not in the {api} suite{} (chatspec list shows them all)",
        nearest.as_ref().map(|n| format!("; the nearest is {n:?}")).unwrap_or_default()
    )]
    NotInSuite {
        /// Where the name came from (`--area`, `--scenario`, `known_failures: scenario`).
        what: &'static str,
        /// The name given.
        wanted: String,
        /// The suite's API.
        api: String,
        /// The suite's closest name, when it has any.
        nearest: Option<String>,
    },
    /// The feature files could not be read or parsed.
    #[error(transparent)]
    Suite(#[from] crate::suites::SuiteError),
    /// The profile's pre-made accounts cannot hold the selection.
    #[error(transparent)]
    Accounts(#[from] crate::target::TooFewAccounts),
    /// The embedded mock did not start.
    #[error(transparent)]
    Mock(#[from] crate::embedded::StartError),
    /// The run's HTTP client could not be built.
    #[error(transparent)]
    Client(#[from] crate::context::HttpClientError),
    /// The pre-flight check could not reach the target.
    #[error(transparent)]
    Unreachable(#[from] crate::target::Unreachable),
    /// A `provisioning.commands` program cannot be run (pre-flight).
    #[error(transparent)]
    MissingProgram(#[from] crate::target::MissingProgram),
    /// The API's name is none chatspec knows.
    #[error(transparent)]
    UnknownApi(#[from] crate::api::UnknownApi),
    /// chatspec's SMTP sink could not listen where the profile says (`[smtp] listen`).
    #[error("the SMTP sink cannot listen on {addr} ([smtp] listen): {source}{}", smtp_hint(source))]
    Smtp {
        /// The address of the profile.
        addr: std::net::SocketAddr,
        /// Why it could not.
        source: std::io::Error,
    },
    /// cucumber could not parse a feature file (the first of its errors).
    #[error("the suite could not be parsed: {0}")]
    Parse(String),
}

/// What to run and where.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    /// The API whose suite runs.
    pub api: String,
    /// A tag expression (`@serial and not @clock`).
    pub tags: Option<String>,
    /// The target; `None` starts the embedded mock.
    pub target: Option<Target>,
    /// The folder holding `<api>/*.feature`.
    pub features: PathBuf,
    /// Print progress to stderr.
    pub progress: bool,
    /// How many scenarios run at once.
    pub concurrency: usize,
    /// Only these areas (feature file stems); empty for all.
    pub areas: Vec<String>,
    /// Count impossible scenarios as failures.
    pub impossible_fails: bool,
    /// Fail scenarios on register readings that do not hold, not only on the document.
    pub strict: bool,
    /// Where a failed browser scenario saves a screenshot of its page (`None`: nowhere).
    pub screenshots: Option<PathBuf>,
    /// Only the scenarios with these ids (as `chatspec list` shows them); empty for all.
    pub scenarios: Vec<String>,
    /// Only the scenarios of this shard (`--shard i/n`); `None` for all.
    pub shard: Option<crate::shard::Shard>,
}

impl CheckOptions {
    /// Defaults for `api`: embedded target, the repository's features.
    pub fn new(api: &str) -> CheckOptions {
        CheckOptions {
            api: api.into(),
            tags: None,
            target: None,
            features: default_features_dir(),
            progress: false,
            concurrency: 32,
            areas: Vec::new(),
            impossible_fails: false,
            strict: false,
            screenshots: None,
            scenarios: Vec::new(),
            shard: None,
        }
    }
}

/// The suites built into this binary (written once to the temporary folder), whatever the
/// working directory holds; `--features DIR` runs another copy.
pub fn default_features_dir() -> PathBuf {
    crate::suites::embedded_dir()
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("features"))
}

/// The APIs chatspec checks.
pub const APIS: &[&str] = crate::embedded::MOCKS;

/// The APIs whose suite is in `features` (`features/<api>/`), in [`APIS`] order.
pub fn apis_with_suites(features: &Path) -> Vec<String> {
    APIS.iter().filter(|a| features.join(a).is_dir()).map(|a| (*a).to_owned()).collect()
}

/// Runs every API's suite against its embedded mock, one after the other, as one run.
pub async fn run_all(opts: CheckOptions) -> Result<RunRecord, CheckError> {
    let apis = apis_with_suites(&opts.features);
    if apis.is_empty() {
        return Err(CheckError::NoSuites(opts.features.clone()));
    }
    // With --scenario, only the APIs those ids name.
    let apis: Vec<String> = apis
        .into_iter()
        .filter(|a| {
            opts.scenarios.is_empty() || opts.scenarios.iter().any(|id| id.starts_with(&format!("{a}/")))
        })
        .collect();
    let mut all: Option<RunRecord> = None;
    let mut revisions = Vec::new();
    for api in &apis {
        if opts.progress {
            eprintln!("chatspec check: the {api} suite");
        }
        let mut one = opts.clone();
        one.api = api.clone();
        one.target = None;
        let record = run(one).await?;
        revisions.push(record.info.suite_revision.clone());
        match &mut all {
            None => all = Some(record),
            Some(acc) => {
                acc.info.duration_ms += record.info.duration_ms;
                crate::outcome::NotSelected::add(&mut acc.info.not_selected, &record.info.not_selected);
                acc.info.clock_advanced_seconds += record.info.clock_advanced_seconds;
                acc.info.selected_before_split =
                    match (acc.info.selected_before_split, record.info.selected_before_split) {
                        (Some(a), Some(b)) => Some(a + b),
                        (a, b) => a.or(b),
                    };
                acc.scenarios.extend(record.scenarios);
            }
        }
    }
    let mut record = all.unwrap_or_default();
    record.info.apis = apis;
    record.info.suite_revision = revisions.join("+");
    Ok(record)
}

/// Runs the suite; the record says how every scenario ended.
pub async fn run(mut opts: CheckOptions) -> Result<RunRecord, CheckError> {
    let tags = opts.tags.as_deref().map(parse_tags).transpose()?;
    let dir = opts.features.join(&opts.api);
    if !dir.is_dir() {
        return Err(CheckError::NoSuite { api: opts.api.clone(), dir });
    }
    let selection = select(&opts)?;
    if let Some(target) = &opts.target
        && let Some(at_once) = crate::target::provisioning_check(target, &selection)?
        && at_once < opts.concurrency
    {
        if opts.progress {
            eprintln!(
                "chatspec check: {at_once} scenarios at once, so that none waits for a pre-made account"
            );
        }
        opts.concurrency = at_once;
    }
    let (_embedded, target) = match opts.target.clone() {
        Some(t) => (None, t),
        None => {
            let e = crate::embedded::start_ephemeral(&opts.api).await?;
            let t = Target::embedded(&opts.api, e.base_url.clone());
            (Some(e), t)
        }
    };
    let ctx = RunContext::with_strict(target, opts.strict)?;
    if opts.target.is_some() {
        // One clear line for an unreachable server, not one failure per scenario.
        crate::target::preflight_commands(&ctx.target)?;
        crate::target::preflight(&ctx.target).await?;
    }
    if let Some(addr) = ctx.target.smtp_listen {
        ctx.start_smtp().await.map_err(|source| CheckError::Smtp { addr, source })?;
    }
    if let Some(dir) = &opts.screenshots {
        ctx.browser.set_screenshots(dir.clone());
    }
    let started_at = time::OffsetDateTime::now_utc();
    let clock = Instant::now();
    let collector = Collector::new(ctx.clone(), opts.progress, &selection);

    let api: Api = opts.api.parse()?;
    // Each API runs with its own world type, so its steps match only its own scenarios.
    let collector = match api {
        Api::Unichat => {
            run_world::<UnichatWorld>(&ctx, collector, &opts, &selection, tags, dir.clone()).await
        }
        Api::ConnectNow => {
            run_world::<ConnectNowWorld>(&ctx, collector, &opts, &selection, tags, dir.clone()).await
        }
        Api::Sama => run_world::<SamaWorld>(&ctx, collector, &opts, &selection, tags, dir.clone()).await,
        Api::OneChat => {
            run_world::<OneChatWorld>(&ctx, collector, &opts, &selection, tags, dir.clone()).await
        }
    };
    if let Some(err) = collector.parse_errors.first() {
        return Err(CheckError::Parse(err.clone()));
    }
    let info = RunInfo {
        target: ctx.target.name.clone(),
        target_version: target_version(&ctx).await,
        chatspec_version: env!("CARGO_PKG_VERSION").into(),
        suite_revision: suite_revision(&dir),
        started_at: started_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
        duration_ms: u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX),
        apis: vec![opts.api.clone()],
        tags: opts.tags.clone(),
        shard: opts.shard.map(|s| s.to_string()),
        areas: opts.areas.clone(),
        scenario_filter: opts.scenarios.clone(),
        known_failures: {
            let mut ids: Vec<String> = ctx.target.known_failures.iter().map(|k| k.scenario.clone()).collect();
            ids.sort();
            ids
        },
        merged_shards: None,
        not_selected: Vec::new(),
        clock_advanced_seconds: ctx.clock_advanced(),
        // The built-in mocks each run on a port of their own: only a profile's target is one.
        base_url: if opts.target.is_some() {
            crate::report::redact::without_userinfo(&ctx.target.base_url)
        } else {
            String::new()
        },
        provisioning: if opts.target.is_some() {
            ctx.target.provisioning.mode().to_owned()
        } else {
            String::new()
        },
        smtp_sink: ctx.target.smtp_listen.is_some(),
        strict: opts.strict,
        impossible_fails: opts.impossible_fails,
        selected_before_split: None,
        profile_fingerprint: opts
            .target
            .as_ref()
            .map(crate::report::merge::profile_fingerprint)
            .unwrap_or_default(),
    };
    let mut record = crate::collect::record(info, collector);
    record.info.not_selected = not_selected(&opts, selection.len(), record.scenarios.len())?;
    record.info.selected_before_split = match opts.shard {
        Some(_) => Some(selected_before_split(&opts)?),
        None => None,
    };
    if opts.impossible_fails {
        crate::outcome::fail_impossible(&mut record.scenarios);
    }
    Ok(record)
}

/// `--tags` as a tag expression.
pub fn parse_tags(tags: &str) -> Result<TagOperation, CheckError> {
    tags.parse().map_err(|e| CheckError::BadTags { tags: tags.to_owned(), reason: format!("{e}") })
}

/// The scenarios of `opts.api` that `--area` and `--scenario` select (tags are applied as
/// the suite runs), after checking that every area, scenario id and known-failure id names
/// one of the suite's, and every tag of `--tags` one that a scenario of the suites carries,
/// with the nearest real one suggested.
pub fn select(opts: &CheckOptions) -> Result<Vec<crate::suites::Entry>, CheckError> {
    let every = crate::suites::catalog(&opts.features)?;
    if let Some(expr) = opts.tags.as_deref().map(parse_tags).transpose()?
        && let Some((tag, nearest)) = crate::tags::unknown(&expr, &every)
    {
        return Err(CheckError::UnknownTag { tag, nearest });
    }
    let all: Vec<crate::suites::Entry> = every.into_iter().filter(|e| e.api == opts.api).collect();
    let unknown = |what: &'static str, wanted: &str, names: Vec<&str>| CheckError::NotInSuite {
        what,
        wanted: wanted.to_owned(),
        api: opts.api.clone(),
        nearest: crate::suites::nearest(wanted, names.iter().copied()).map(str::to_owned),
    };
    let mut areas: Vec<&str> = all.iter().map(|e| e.area.as_str()).collect();
    areas.dedup();
    for a in &opts.areas {
        if !areas.contains(&a.as_str()) {
            return Err(unknown("--area", a, areas.clone()));
        }
    }
    let ids = || all.iter().map(|e| e.id.as_str()).collect::<Vec<_>>();
    for id in opts.scenarios.iter().filter(|id| id.starts_with(&format!("{}/", opts.api))) {
        if !all.iter().any(|e| &e.id == id) {
            return Err(unknown("--scenario", id, ids()));
        }
    }
    if let Some(target) = &opts.target {
        for k in &target.known_failures {
            if !all.iter().any(|e| e.id == k.scenario) {
                return Err(unknown("known_failures: scenario", &k.scenario, ids()));
            }
        }
    }
    Ok(all
        .into_iter()
        .filter(|e| opts.areas.is_empty() || opts.areas.contains(&e.area))
        .filter(|e| opts.scenarios.is_empty() || opts.scenarios.contains(&e.id))
        .filter(|e| opts.shard.is_none_or(|s| s.holds(&e.id)))
        .collect())
}

/// What each filter of `opts` left out of the suite, in the order they apply: `--shard`
/// (the other shards' scenarios), `--area`, `--scenario`, then `--tags` (the selected
/// scenarios that did not come to run: `recorded` of `selected`). A filter that left nothing
/// out is not listed.
fn not_selected(
    opts: &CheckOptions,
    selected: usize,
    recorded: usize,
) -> Result<Vec<crate::outcome::NotSelected>, CheckError> {
    let all: Vec<crate::suites::Entry> =
        crate::suites::catalog(&opts.features)?.into_iter().filter(|e| e.api == opts.api).collect();
    let mut kept: Vec<&crate::suites::Entry> = all.iter().collect();
    let mut out = Vec::new();
    let mut left_out = |filter: String, before: usize, after: usize| {
        if before > after {
            out.push(crate::outcome::NotSelected { filter, count: before - after });
        }
    };
    if let Some(shard) = opts.shard {
        let before = kept.len();
        kept.retain(|e| shard.holds(&e.id));
        left_out(format!("--shard {shard}"), before, kept.len());
    }
    if !opts.areas.is_empty() {
        let before = kept.len();
        kept.retain(|e| opts.areas.contains(&e.area));
        left_out(format!("--area {}", opts.areas.join(", ")), before, kept.len());
    }
    if !opts.scenarios.is_empty() {
        let before = kept.len();
        kept.retain(|e| opts.scenarios.contains(&e.id));
        left_out("--scenario".to_owned(), before, kept.len());
    }
    debug_assert_eq!(kept.len(), selected);
    if let Some(tags) = &opts.tags {
        left_out(format!("--tags {tags:?}"), selected, recorded);
    }
    Ok(out)
}

/// How many of the suite's scenarios `--area`, `--scenario` and `--tags` select in every
/// shard together: the selection `--shard` shares out.
fn selected_before_split(opts: &CheckOptions) -> Result<usize, CheckError> {
    let tags = opts.tags.as_deref().map(parse_tags).transpose()?;
    Ok(crate::suites::catalog(&opts.features)?
        .iter()
        .filter(|e| e.api == opts.api)
        .filter(|e| opts.areas.is_empty() || opts.areas.contains(&e.area))
        .filter(|e| opts.scenarios.is_empty() || opts.scenarios.contains(&e.id))
        .filter(|e| tags.as_ref().is_none_or(|t| crate::tags::selects(t, e)))
        .count())
}

/// Runs the feature files of `dir` with the world type `W`, filtered by the selection and tags.
async fn run_world<W: ApiWorld>(
    ctx: &std::sync::Arc<RunContext>,
    collector: Collector,
    opts: &CheckOptions,
    selection: &[crate::suites::Entry],
    tags: Option<TagOperation>,
    dir: PathBuf,
) -> Collector {
    let hooks_ctx = ctx.clone();
    let cucumber = W::cucumber()
        .max_concurrent_scenarios(opts.concurrency.max(1))
        .with_writer(collector)
        .before(|feature, _rule, scenario, world| {
            async move {
                world.key = scenario_key(feature, scenario);
                world.doc = doc_of(scenario);
                world.rules = scenario
                    .tags
                    .iter()
                    .filter_map(|t| t.strip_prefix(chatspec_specs::rules::TAG_PREFIX))
                    .map(str::to_owned)
                    .collect();
            }
            .boxed_local()
        })
        .after(move |feature, _rule, scenario, finished, world| {
            let ctx = hooks_ctx.clone();
            async move {
                if let Some(w) = world {
                    crate::browser::session::after_scenario(&ctx, feature, scenario, finished, w).await;
                    ctx.put_extras(
                        w.key.clone(),
                        ScenarioExtras {
                            wire_log: w.wire.entries(),
                            doc: w.doc.clone(),
                            notes: w.verdicts.notes(),
                        },
                    );
                }
            }
            .boxed_local()
        })
        .with_default_cli();
    // `--tags` decides on the catalog's entry, as `chatspec list --tags` does.
    let selected: std::collections::HashSet<(String, usize)> = selection
        .iter()
        .filter(|e| tags.as_ref().is_none_or(|t| crate::tags::selects(t, e)))
        .map(|e| (e.area.clone(), e.line))
        .collect();
    let filter = move |feature: &cucumber::gherkin::Feature,
                       _rule: Option<&cucumber::gherkin::Rule>,
                       scenario: &cucumber::gherkin::Scenario| {
        let area =
            feature.path.as_ref().and_then(|p| p.file_stem()).map(|s| s.to_string_lossy().into_owned());
        area.is_some_and(|a| selected.contains(&(a, scenario.position.line)))
    };
    CONTEXT.scope(ctx.clone(), cucumber.filter_run(dir, filter)).await
}

/// What the target says its version is: the embedded mocks are chatspec's own; a profile's
/// `version_url` answers JSON with `version`, or plain text.
async fn target_version(ctx: &RunContext) -> Option<String> {
    if ctx.target.name == "embedded" {
        return Some(format!("chatspec mock {}", env!("CARGO_PKG_VERSION")));
    }
    let url = ctx.target.version_url.as_ref()?;
    let text = ctx.http.get(url).send().await.ok()?.text().await.ok()?;
    let v: Option<serde_json::Value> = serde_json::from_str(&text).ok();
    match v.as_ref().and_then(|v| v.get("version")) {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
        None => Some(text.trim().chars().take(80).collect()),
    }
}

/// A short hash of the feature files: which suite ran.
pub fn suite_revision(dir: &Path) -> String {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "feature"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut hasher = crc32fast::Hasher::new();
    for f in files {
        hasher.update(f.file_name().map(|n| n.as_encoded_bytes()).unwrap_or_default());
        hasher.update(&std::fs::read(&f).unwrap_or_default());
    }
    format!("{:08x}", hasher.finalize())
}

pub use crate::console::{console_details, console_summary, headline};

/// What to do when the SMTP sink's address is taken: another run, or a shard run at the same
/// time on this host, holds it.
fn smtp_hint(e: &std::io::Error) -> &'static str {
    if e.kind() == std::io::ErrorKind::AddrInUse {
        "; another run may hold that port (shards run at once on one host need a profile each, with its own [smtp] listen port and its server sending there)"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_smtp_port_says_who_may_hold_it() {
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], 2525));
        let taken = CheckError::Smtp { addr, source: std::io::ErrorKind::AddrInUse.into() };
        assert!(taken.to_string().contains("another run may hold that port"), "{taken}");
        let other = CheckError::Smtp { addr, source: std::io::ErrorKind::PermissionDenied.into() };
        assert!(!other.to_string().contains("another run"), "{other}");
    }
}
