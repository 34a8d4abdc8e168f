//! What `chatspec proxy` leaves behind: `proxy.json` (the violations, the faults that fired,
//! the counts per kind of exchange and the wire log), `proxy.md` (the same for a reader), and
//! the `junit.xml` and `report.html` of `chatspec check`, written by the same writers from a
//! [`RunRecord`] of the traffic ([`Proxy::record`]).
//!
//! **One JUnit test case per kind of exchange and side** (`POST /api/companies` in the test
//! suite `connectnow/server`): a CI tool keys a test's history on its suite and name, so the
//! names must be the same from run to run and from one build to the next. A test case per
//! violation would name only what failed (a clean run would have no test case, and a fixed
//! violation would vanish instead of turning green), and a test case per exchange would
//! carry counters or times in its name and make thousands of cases of one route. Per kind,
//! a route the server answers correctly is a passing case, a broken one a failing case
//! listing each violation kept with its path, rule and quote; the suites are split by side,
//! so a server team's CI reads `<api>/server` and a client team's `<api>/client`.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::{Direction, Proxy};
use crate::outcome::{Failure, Outcome, RunInfo, RunRecord, ScenarioRecord, WireEntry};
use crate::report::{html, junit};

impl Proxy {
    /// The report as JSON: api, upstream, violations, fired faults, counts per kind, the
    /// wire log and how many exchanges it dropped.
    pub fn report(&self) -> serde_json::Value {
        let (client, server) = self.counts();
        json!({
            "api": self.api(),
            "upstream": self.upstream(),
            "violations": self.violations(),
            "violation_counts": {"client": client, "server": server},
            "faults_fired": self.faults().fired(),
            "kinds": self.kinds(),
            "wire": self.wire(),
            "wire_kept": self.keep(),
            "wire_dropped": self.dropped(),
        })
    }

    /// The traffic as a run record: one scenario per kind of exchange and side checked (area
    /// `client` or `server`), failed when that side broke the document in it.
    pub fn record(&self) -> RunRecord {
        let api = self.api().to_owned();
        let started = &self.shared.started;
        let dropped = self.dropped();
        // A plain pass shows no wire log in the HTML: the run's header says what was dropped.
        let target = match dropped {
            0 => format!("proxy in front of {}", self.upstream()),
            n => format!("proxy in front of {}; {}", self.upstream(), dropped_note(n, self.keep()).summary),
        };
        let info = RunInfo {
            target,
            target_version: None,
            chatspec_version: env!("CARGO_PKG_VERSION").into(),
            suite_revision: "proxy".into(),
            started_at: started.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
            duration_ms: u64::try_from(self.shared.clock.elapsed().as_millis()).unwrap_or(u64::MAX),
            apis: vec![api.clone()],
            tags: None,
            shard: None,
            areas: Vec::new(),
            scenario_filter: Vec::new(),
            known_failures: Vec::new(),
            merged_shards: None,
            not_selected: Vec::new(),
            clock_advanced_seconds: 0,
            ..RunInfo::default()
        };
        let mut scenarios = Vec::new();
        for (kind, tally) in self.kinds() {
            let kept = self.shared.log.violations_of(&kind);
            let wire = self.shared.log.entries_of(&kind);
            for side in &tally.sides {
                let count = if *side == Direction::Client { tally.client } else { tally.server };
                let mine: Vec<_> = kept.iter().filter(|v| v.direction == *side).collect();
                let failure = (count > 0).then(|| {
                    let mut lines: Vec<String> = mine.iter().map(|v| v.to_string()).collect();
                    let unlisted = count.saturating_sub(mine.len() as u64);
                    if unlisted > 0 {
                        lines.push(format!("{unlisted} more in exchanges the wire log dropped"));
                    }
                    Failure {
                        step: kind.clone(),
                        message: format!(
                            "{count} violation(s) by the {side} in {} exchange(s):\n{}",
                            tally.exchanges,
                            lines.join("\n")
                        ),
                        expected: mine.first().and_then(|v| v.quote.clone()),
                        actual: mine.first().map(|v| format!("{} {}: {}", v.exchange, v.path, v.message)),
                    }
                });
                let mut wire_log = wire.clone();
                if dropped > 0 {
                    wire_log.insert(0, dropped_note(dropped, self.keep()));
                }
                scenarios.push(ScenarioRecord {
                    id: format!("{api}/{side}/{kind}"),
                    api: api.clone(),
                    area: side.to_string(),
                    feature: format!("{api} traffic through chatspec proxy, checked on the {side}'s side"),
                    feature_file: format!("proxy {}", self.upstream()),
                    name: kind.clone(),
                    line: 0,
                    tags: Vec::new(),
                    outcome: if count > 0 { Outcome::Fail } else { Outcome::Pass },
                    doc: mine.first().and_then(|v| v.quote.clone()),
                    steps: Vec::new(),
                    duration_ms: 0,
                    failure,
                    impossible: None,
                    provisioning_error: false,
                    impossible_after_steps: 0,
                    known_failure: None,
                    blocked_by: None,
                    blocked_by_known_failure: false,
                    notes: Vec::new(),
                    wire_log,
                });
            }
        }
        RunRecord { info, scenarios }
    }

    /// Writes `proxy.json`, `proxy.md`, `junit.xml` and `report.html` into `dir` (created
    /// when missing).
    pub fn write_reports(&self, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir)?;
        let record = self.record();
        let text = serde_json::to_string_pretty(&self.report()).map_err(std::io::Error::other)?;
        let files = [
            ("proxy.json", text),
            ("proxy.md", self.markdown()),
            ("junit.xml", junit::render(&record)),
            ("report.html", html::render(&record)),
        ];
        let mut written = Vec::with_capacity(files.len());
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::write(&path, text)?;
            written.push(path);
        }
        Ok(written)
    }

    fn markdown(&self) -> String {
        let violations = self.violations();
        let (client, server) = self.counts();
        let wire = self.wire();
        let mut out = format!(
            "# chatspec proxy: {} in front of {}\n\n{} violation(s) ({client} by the client, {server} by the server), {} fault(s) fired, {} wire entries.\n\n",
            self.api(),
            self.upstream(),
            client + server,
            self.faults().fired().len(),
            wire.len()
        );
        let dropped = self.dropped();
        if dropped > 0 {
            out.push_str(&format!("{}\n\n", dropped_note(dropped, self.keep()).summary));
        }
        if !violations.is_empty() {
            out.push_str("| at fault | exchange | path | rule | what | documentation |\n| --- | --- | --- | --- | --- | --- |\n");
            for v in &violations {
                let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
                out.push_str(&format!(
                    "| {} | {} | `{}` | `{}` | {} | {} |\n",
                    v.direction,
                    cell(&v.exchange),
                    if v.path.is_empty() { "/" } else { &v.path },
                    cell(&v.rule),
                    cell(&v.message),
                    cell(v.quote.as_deref().unwrap_or("")),
                ));
            }
            out.push('\n');
        }
        let fired = self.faults().fired();
        if !fired.is_empty() {
            out.push_str("## Faults fired\n\n");
            for f in fired {
                out.push_str(&format!(
                    "- fault {} `{}` on {}\n",
                    f.fault,
                    serde_json::to_string(&f.kind).unwrap_or_default(),
                    f.request
                ));
            }
            out.push('\n');
        }
        out.push_str("## Wire log\n\n");
        for e in wire {
            let body = e
                .body
                .map(|b| format!(" `{}`", b.to_string().chars().take(200).collect::<String>()))
                .unwrap_or_default();
            out.push_str(&format!("- {} ms {} {}{body}\n", e.at_ms, e.kind, e.summary.replace('\n', " ")));
        }
        out
    }
}

/// The wire log's note on what it dropped.
fn dropped_note(dropped: u64, keep: usize) -> WireEntry {
    WireEntry {
        at_ms: 0,
        kind: "note".into(),
        actor: None,
        summary: format!(
            "{dropped} earlier exchange(s) dropped from the wire log, which keeps the last {keep} (--keep-exchanges)"
        ),
        body: None,
    }
}
