//! `chatspec check`: runs an API's suite against the embedded mock or a target.

use std::path::{Path, PathBuf};
use std::time::Instant;

use cucumber::{gherkin::tagexpr::TagOperation, tag::Ext as _};
use futures::FutureExt as _;

use crate::api::Api;
use crate::collect::{Collector, doc_of};
use crate::connectnow::ConnectNowWorld;
use crate::context::{CONTEXT, RunContext, ScenarioExtras, scenario_key};
use crate::kit::ApiWorld;
use crate::outcome::{RunInfo, RunRecord};
use crate::target::Target;
use crate::unichat::UnichatWorld;
use crate::world::ChatWorld;

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
        }
    }
}

/// `features/` in the working directory if it exists, else the one this binary was built from.
pub fn default_features_dir() -> PathBuf {
    let here = PathBuf::from("features");
    if here.is_dir() {
        return here;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("features")
}

/// The APIs chatspec checks.
pub const APIS: &[&str] = crate::embedded::MOCKS;

/// The APIs whose suite is in `features` (`features/<api>/`), in [`APIS`] order.
pub fn apis_with_suites(features: &Path) -> Vec<String> {
    APIS.iter().filter(|a| features.join(a).is_dir()).map(|a| (*a).to_owned()).collect()
}

/// Runs every API's suite against its embedded mock, one after the other, as one run.
pub async fn run_all(opts: CheckOptions) -> Result<RunRecord, String> {
    let apis = apis_with_suites(&opts.features);
    if apis.is_empty() {
        return Err(format!("no suites under {}", opts.features.display()));
    }
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
pub async fn run(opts: CheckOptions) -> Result<RunRecord, String> {
    let tags: Option<TagOperation> = match &opts.tags {
        Some(t) => Some(t.parse().map_err(|e| format!("--tags {t:?} is not a tag expression: {e}"))?),
        None => None,
    };
    let dir = opts.features.join(&opts.api);
    if !dir.is_dir() {
        return Err(format!("no suite for API {:?}: {} is not a folder", opts.api, dir.display()));
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
        crate::target::preflight(&ctx.target).await?;
    }
    if let Some(dir) = &opts.screenshots {
        ctx.browser.set_screenshots(dir.clone());
    }
    let started_at = time::OffsetDateTime::now_utc();
    let clock = Instant::now();
    let collector = Collector::new(ctx.clone(), opts.progress);

    let api: Api = opts.api.parse().map_err(|e: crate::api::UnknownApi| e.to_string())?;
    // Each API runs with its own world type, so its steps match only its own scenarios.
    let collector = match api {
        Api::Unichat => run_world::<UnichatWorld>(&ctx, collector, &opts, tags, dir.clone()).await,
        Api::ConnectNow => run_world::<ConnectNowWorld>(&ctx, collector, &opts, tags, dir.clone()).await,
        Api::Sama | Api::OneChat => run_world::<ChatWorld>(&ctx, collector, &opts, tags, dir.clone()).await,
    };
    if let Some(err) = collector.parse_errors.first() {
        return Err(format!("the suite could not be parsed: {err}"));
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
    };
    let mut record = crate::collect::record(info, collector);
    if opts.impossible_fails {
        for s in &mut record.scenarios {
            if s.outcome == crate::outcome::Outcome::Impossible {
                s.outcome = crate::outcome::Outcome::Fail;
                s.failure.get_or_insert_with(|| crate::outcome::Failure {
                    step: "(the scenario as a whole)".into(),
                    message: format!(
                        "impossible against this target: {}",
                        s.impossible.clone().unwrap_or_default()
                    ),
                    expected: None,
                    actual: None,
                });
            }
        }
    }
    Ok(record)
}

/// Runs the feature files of `dir` with the world type `W`, filtered by area and tags.
async fn run_world<W: ApiWorld>(
    ctx: &std::sync::Arc<RunContext>,
    collector: Collector,
    opts: &CheckOptions,
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
    let areas = opts.areas.clone();
    let filter = move |feature: &cucumber::gherkin::Feature,
                       rule: Option<&cucumber::gherkin::Rule>,
                       scenario: &cucumber::gherkin::Scenario| {
        let area =
            feature.path.as_ref().and_then(|p| p.file_stem()).map(|s| s.to_string_lossy().into_owned());
        let area_ok = areas.is_empty() || area.is_some_and(|a| areas.contains(&a));
        let tags_ok = tags.as_ref().is_none_or(|t| {
            t.eval(feature.tags.iter().chain(rule.iter().flat_map(|r| &r.tags)).chain(scenario.tags.iter()))
        });
        area_ok && tags_ok
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

/// A per-area summary for the console: one column per outcome (passes of each grade apart),
/// and a headline that counts what ran apart from what did not.
pub fn console_summary(record: &RunRecord) -> String {
    use crate::outcome::Outcome;
    use std::collections::BTreeMap;
    let mut areas: BTreeMap<(String, String), BTreeMap<Outcome, usize>> = BTreeMap::new();
    for s in &record.scenarios {
        *areas.entry((s.api.clone(), s.area.clone())).or_default().entry(s.outcome).or_default() += 1;
    }
    let mut out = String::new();
    out.push_str(&format!(
        "{:<28} {:>6} {:>8} {:>10} {:>6} {:>8} {:>6} {:>10}\n",
        "area", "pass", "lenient", "deviation", "fail", "skipped", "known", "impossible"
    ));
    for ((api, area), counts) in &areas {
        let c = |o| counts.get(&o).copied().unwrap_or(0);
        out.push_str(&format!(
            "{:<28} {:>6} {:>8} {:>10} {:>6} {:>8} {:>6} {:>10}\n",
            format!("{api}/{area}"),
            c(Outcome::Pass),
            c(Outcome::PassLenient),
            c(Outcome::PassDeviation),
            c(Outcome::Fail) + c(Outcome::UnexpectedPass),
            c(Outcome::Skipped),
            c(Outcome::ExpectedFailure),
            c(Outcome::Impossible)
        ));
    }
    out.push_str(&headline(record));
    out
}

/// `468 scenarios, 466 executed: 460 passed strictly, 4 passed on a lenient reading, ...`:
/// a pass is never counted in a stricter grade than it earned, and what did not run is
/// counted apart from what did.
pub fn headline(record: &RunRecord) -> String {
    use crate::outcome::Outcome;
    let n = |o| record.count(o);
    let total = record.scenarios.len();
    let executed = total - n(Outcome::Skipped) - n(Outcome::Impossible);
    format!(
        "{total} scenarios, {executed} executed: {} passed strictly, {} passed on a lenient reading, {} passed with declared deviation, {} failed, {} expected failures, {} unexpected passes; not run: {} skipped, {} impossible ({:.1}s)\n",
        n(Outcome::Pass),
        n(Outcome::PassLenient),
        n(Outcome::PassDeviation),
        n(Outcome::Fail),
        n(Outcome::ExpectedFailure),
        n(Outcome::UnexpectedPass),
        n(Outcome::Skipped),
        n(Outcome::Impossible),
        record.info.duration_ms as f64 / 1000.0
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::Outcome;

    #[test]
    fn the_console_shows_each_grade_apart() {
        let mut record = crate::report::sample::record();
        record.info.duration_ms = 1_500;
        let text = console_summary(&record);
        let mut lines = text.lines();
        let header = lines.next().unwrap_or_default();
        assert!(header.contains("pass  lenient  deviation"), "{header}");
        let presence = text.lines().find(|l| l.starts_with("connectnow/presence")).unwrap_or_default();
        let cells: Vec<&str> = presence.split_whitespace().collect();
        assert_eq!(cells, ["connectnow/presence", "1", "1", "0", "1", "0", "0", "0"]);
        assert_eq!(
            text.lines().last(),
            Some(
                "12 scenarios, 10 executed: 4 passed strictly, 1 passed on a lenient reading, 1 passed with declared deviation, 2 failed, 1 expected failures, 1 unexpected passes; not run: 1 skipped, 1 impossible (1.5s)"
            )
        );
        record.scenarios.retain(|s| matches!(s.outcome, Outcome::Skipped | Outcome::Impossible));
        assert!(headline(&record).starts_with("2 scenarios, 0 executed: 0 passed strictly"));
    }
}
