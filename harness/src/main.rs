//! The `chatspec` command: serve the reference mocks, run the conformance suites.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chatspec::check::{self, CheckOptions};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "chatspec", version, about = "Conformance suites and reference mock servers for chat APIs")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start a reference mock server and print its base URL and test tokens.
    Serve {
        /// The API to serve: unichat, sama, connectnow, onechat, or all (each on the next port).
        api: String,
        /// Where to listen: HOST:PORT (an IP or localhost), or a port on 127.0.0.1.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// The port to listen on (replaces the port of --addr).
        #[arg(long)]
        port: Option<u16>,
        /// Log one line per call and frame (as RUST_LOG=chatspec_mocks=info does).
        #[arg(long)]
        log: bool,
        /// Seconds between SSE ping events.
        #[arg(long, default_value_t = 15.0)]
        ping_interval: f64,
        /// SAMA only: reproduce a behaviour of the public SAMA server 0.36.2, by switch name,
        /// or every one with sama-server-0.36; repeatable.
        #[arg(long = "compat", value_name = "NAME")]
        compat: Vec<String>,
        /// Serve the admin routes (/_mock/*) on this address instead (HOST:PORT or a port),
        /// so the API's address answers them 404 as a real server would (`serve all`: each
        /// further mock's on the next port).
        #[arg(long, value_name = "ADDR")]
        admin_addr: Option<String>,
        /// connectnow: send the auth code e-mails over SMTP to HOST:PORT too (the outbox
        /// keeps them), e.g. to the SMTP sink of `chatspec check` ([smtp] listen).
        #[arg(long, value_name = "HOST:PORT")]
        smtp: Option<String>,
    },
    /// Run an API's conformance suite (against the embedded mock unless a target is given).
    ///
    /// Exits 0 when the run passed (what ran), 1 when it failed (a failure, an unexpected
    /// pass, a blocked scenario, a provisioning error: an admin call, command or webhook that
    /// failed) or nothing ran, 2 when it could not start or its reports could not be written.
    Check {
        /// The API whose suite runs, or all (every suite, each against its embedded mock).
        #[arg(long, default_value = "all")]
        api: String,
        /// Only scenarios matching this tag expression, e.g. "@uid or @serial-order",
        /// "@notifications and not @clock": the feature files' tags and the cross-cutting ones
        /// (`chatspec list` shows both); a tag no scenario carries is refused.
        #[arg(long)]
        tags: Option<String>,
        /// Only the scenario with this id (as `chatspec list` and the reports show it);
        /// repeatable.
        #[arg(long = "scenario", value_name = "ID")]
        scenarios: Vec<String>,
        /// Only shard I of N (e.g. 2/4): a stable split by scenario id, for a CI matrix;
        /// `chatspec report merge` joins the shards' conformance.json.
        #[arg(long, value_name = "I/N")]
        shard: Option<String>,
        /// Where the reports go (overwritten on each run).
        #[arg(long, default_value = "reports")]
        report_dir: PathBuf,
        /// Run the suites of this folder (holding <api>/*.feature) instead of the built-in ones.
        #[arg(long, value_name = "DIR")]
        features: Option<PathBuf>,
        /// How many scenarios run at once (at least 1).
        #[arg(long, default_value_t = 32, value_parser = at_least_one)]
        concurrency: usize,
        /// A target profile (TOML); without it the embedded mock is started.
        #[arg(long)]
        target: Option<PathBuf>,
        /// Only these areas (feature file names without .feature); repeatable.
        #[arg(long = "area")]
        areas: Vec<String>,
        /// Count scenarios the target cannot run (no clock control, ...) as failures. A
        /// provisioning error fails the run without it.
        #[arg(long)]
        impossible_fails: bool,
        /// Fail scenarios on register readings that do not hold, not only on the document
        /// (no pass on a lenient reading): for the reference mocks and servers that adopt
        /// chatspec's readings.
        #[arg(long)]
        strict: bool,
    },
    /// List the scenarios of the suites: ids, areas, tags, rule ids.
    List {
        /// Only this API's scenarios, or all.
        #[arg(long, default_value = "all")]
        api: String,
        /// `text` (one line per scenario), `json`, or `md` (the scenario index).
        #[arg(long, default_value = "text")]
        format: String,
        /// The suites of this folder (holding <api>/*.feature) instead of the built-in ones.
        #[arg(long, value_name = "DIR")]
        features: Option<PathBuf>,
        /// Only these areas (feature file names without .feature), as `check --area`;
        /// repeatable.
        #[arg(long = "area")]
        areas: Vec<String>,
        /// Only the scenarios this tag expression selects, as `check --tags`.
        #[arg(long)]
        tags: Option<String>,
        /// Only the scenario with this id, as `check --scenario`; repeatable.
        #[arg(long = "scenario", value_name = "ID")]
        scenarios: Vec<String>,
    },
    /// Write a commented example target profile.
    InitTarget {
        /// The API the profile is for.
        #[arg(long, default_value = "unichat")]
        api: String,
        /// Where to write it ("-" for standard output).
        #[arg(long, default_value = "chatspec-target.toml")]
        output: PathBuf,
    },
    /// Work with reports of earlier runs.
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// A transparent proxy that checks a client's and a server's traffic against the
    /// documents, and injects faults on request.
    Proxy {
        /// The API spoken: unichat, sama, connectnow or onechat.
        #[arg(long)]
        api: String,
        /// The server's base URL, e.g. http://127.0.0.1:8080.
        #[arg(long)]
        upstream: String,
        /// Where the proxy listens.
        #[arg(long, default_value = "127.0.0.1:8090")]
        listen: SocketAddr,
        /// Where proxy.json, proxy.md, junit.xml and report.html go on exit.
        #[arg(long, default_value = "reports")]
        report_dir: PathBuf,
        /// Exit 1 if the client (or the server, or either) sent anything malformed.
        #[arg(long, value_name = "client|server|any")]
        fail_on: Option<String>,
        /// A fault armed from the start, as the JSON of POST /_mock/faults; repeatable.
        #[arg(long = "fault", value_name = "JSON")]
        faults: Vec<String>,
        /// How many exchanges (a request with its reply, an event, a frame) the wire log
        /// keeps; older ones are dropped and counted in the reports.
        #[arg(long, value_name = "N", default_value_t = chatspec::proxy::log::DEFAULT_KEEP)]
        keep_exchanges: usize,
    },
    /// Work with the published specifications: JSON Schemas, OpenAPI and AsyncAPI documents.
    Schemas {
        #[command(subcommand)]
        command: SchemasCommand,
    },
}

#[derive(Subcommand)]
enum SchemasCommand {
    /// Write the JSON Schemas (schemas/<api>/), the OpenAPI documents (openapi/<api>.openapi.json)
    /// and the AsyncAPI documents (asyncapi/<api>.asyncapi.json) under a folder.
    Export {
        /// The folder written to; the default is where the repository keeps them.
        #[arg(long, default_value = "specs")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum ReportCommand {
    /// One matrix of scenarios and areas against the runs' targets.
    Compare {
        /// conformance.json files of earlier runs.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// `markdown` or `text`.
        #[arg(long, default_value = "markdown")]
        format: String,
    },
    /// Join the conformance.json of the shards of one run (`check --shard i/n`) and write
    /// every report of the whole run; exits 1 when the whole run failed.
    Merge {
        /// The shards' conformance.json files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Where the merged reports go (overwritten).
        #[arg(long, default_value = "reports")]
        report_dir: PathBuf,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve { api, addr, port, log, ping_interval, compat, admin_addr, smtp } => {
            let parse = |flag: &str, text: &str, port: Option<u16>| {
                chatspec_mocks::kit::serve::listen_addr(text, port)
                    .map_err(|e| eprintln!("chatspec serve: --{flag} {e}"))
            };
            let Ok(addr) = parse("addr", &addr, port) else { return ExitCode::from(2) };
            let admin_addr = match admin_addr.map(|a| parse("admin-addr", &a, None)).transpose() {
                Ok(a) => a,
                Err(()) => return ExitCode::from(2),
            };
            let smtp = match smtp.map(|a| parse("smtp", &a, None)).transpose() {
                Ok(a) => a,
                Err(()) => return ExitCode::from(2),
            };
            // Port 0 picks a free port for each listener, so only a fixed port can clash.
            for (flag, other) in [("--admin-addr", admin_addr), ("--smtp", smtp)] {
                if let Some(other) = other.filter(|o| *o == addr && addr.port() != 0) {
                    eprintln!(
                        "chatspec serve: --addr and {flag} are both {other}: they must differ (each is a listener of its own)"
                    );
                    return ExitCode::from(2);
                }
            }
            if let (Some(a), Some(s)) = (admin_addr, smtp)
                && a == s
                && a.port() != 0
            {
                eprintln!("chatspec serve: --admin-addr and --smtp are both {a}: they must differ");
                return ExitCode::from(2);
            }
            start_log(log);
            let opts = chatspec::serving::ServeOptions { addr, admin_addr, smtp, ping_interval, compat };
            chatspec::serving::serve(&api, &opts).await
        }
        Command::Check {
            api,
            tags,
            scenarios,
            shard,
            report_dir,
            features,
            concurrency,
            target,
            areas,
            impossible_fails,
            strict,
        } => {
            let mut opts = CheckOptions::new(&api);
            if api != "all" && !check::APIS.contains(&api.as_str()) {
                eprintln!("chatspec check: --api {api:?}: known APIs are {}, all", check::APIS.join(", "));
                return ExitCode::from(2);
            }
            if let Some(bad) =
                scenarios.iter().find(|id| !check::APIS.iter().any(|a| id.starts_with(&format!("{a}/"))))
            {
                eprintln!(
                    "chatspec check: --scenario {bad:?} is not an id: ids start with <api>/ (chatspec list shows them)"
                );
                return ExitCode::from(2);
            }
            if let Some(path) = target {
                match chatspec::target::Target::load(&path) {
                    Ok(t) if api != "all" && api != t.api => {
                        eprintln!(
                            "chatspec check: --api {api} but the profile {} is for {}; leave --api out with --target",
                            path.display(),
                            t.api
                        );
                        return ExitCode::from(2);
                    }
                    Ok(t) => {
                        opts.api = t.api.clone();
                        opts.target = Some(t);
                    }
                    Err(e) => {
                        eprintln!("chatspec check: {e}");
                        return ExitCode::from(2);
                    }
                }
            }
            opts.tags = tags;
            opts.progress = true;
            opts.concurrency = concurrency;
            opts.areas = areas;
            opts.impossible_fails = impossible_fails;
            opts.strict = strict;
            opts.scenarios = scenarios;
            match shard.as_deref().map(str::parse).transpose() {
                Ok(s) => opts.shard = s,
                Err(e) => {
                    eprintln!("chatspec check: {e}");
                    return ExitCode::from(2);
                }
            }
            if let Some(f) = features {
                opts.features = f;
            }
            if let Err(e) = chatspec::list::before_check(&mut opts) {
                eprintln!("chatspec check: {e}");
                return ExitCode::from(2);
            }
            if let Err(e) = check_report_dir(&report_dir) {
                eprintln!("chatspec check: {e}");
                return ExitCode::from(2);
            }
            opts.screenshots = Some(report_dir.join("screenshots"));
            run_check(opts, report_dir).await
        }
        Command::List { api, format, features, areas, tags, scenarios } => {
            let opts = chatspec::list::ListOptions { api, areas, scenarios, tags };
            list(&opts, &format, features)
        }
        Command::InitTarget { api, output } => init_target(&api, &output),
        Command::Report { command: ReportCommand::Compare { files, format } } => compare(&files, &format),
        Command::Report { command: ReportCommand::Merge { files, report_dir } } => merge(&files, &report_dir),
        Command::Schemas { command: SchemasCommand::Export { out } } => export(&out),
        Command::Proxy { api, upstream, listen, report_dir, fail_on, faults, keep_exchanges } => {
            let fail_on = match fail_on.as_deref().map(chatspec::proxy::FailOn::parse).transpose() {
                Ok(f) => f,
                Err(e) => {
                    eprintln!("chatspec proxy: {e}");
                    return ExitCode::from(2);
                }
            };
            let opts = chatspec::proxy::ProxyOptions {
                api,
                upstream,
                listen,
                report_dir,
                fail_on,
                faults,
                keep_exchanges,
            };
            ExitCode::from(chatspec::proxy::run_cli(opts).await)
        }
    }
}

/// A count that must be at least 1 (`--concurrency`): 0 would run nothing.
fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("0 would run no scenario at all; give 1 or more".to_owned()),
        Ok(n) => Ok(n),
        Err(e) => Err(format!("{e}; give a whole number, 1 or more")),
    }
}

fn export(out: &std::path::Path) -> ExitCode {
    match chatspec_specs::export::write(out) {
        Ok(paths) => {
            chatspec::outln!("wrote {} files under {}", paths.len(), out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("chatspec schemas export: {e}");
            ExitCode::from(2)
        }
    }
}

/// Refuses a report folder that cannot be written, before anything runs, without creating
/// it: a file is written and removed in it, or in its nearest existing parent when it does
/// not exist yet.
fn check_report_dir(dir: &std::path::Path) -> Result<(), ReportDirError> {
    let existing = dir.ancestors().find(|a| a.as_os_str().is_empty() || a.exists()).unwrap_or(dir);
    let existing = if existing.as_os_str().is_empty() { std::path::Path::new(".") } else { existing };
    if !existing.is_dir() {
        return Err(ReportDirError::NotAFolder { dir: dir.to_path_buf(), existing: existing.to_path_buf() });
    }
    let probe = existing.join(format!(".chatspec-write-check-{}", std::process::id()));
    std::fs::write(&probe, b"")
        .and_then(|()| std::fs::remove_file(&probe))
        .map_err(|source| ReportDirError::NotWritable { dir: dir.to_path_buf(), source })
}

/// Why `--report-dir` is refused.
#[derive(Debug, thiserror::Error)]
enum ReportDirError {
    /// The folder's nearest existing ancestor is not a folder.
    #[error("cannot write the reports to {}: {} is not a folder", dir.display(), existing.display())]
    NotAFolder { dir: PathBuf, existing: PathBuf },
    /// A file could not be written and removed there.
    #[error("cannot write the reports to {}: {source} (--report-dir names another folder)", dir.display())]
    NotWritable { dir: PathBuf, source: std::io::Error },
}

fn list(opts: &chatspec::list::ListOptions, format: &str, features: Option<PathBuf>) -> ExitCode {
    let dir = features.unwrap_or_else(check::default_features_dir);
    let entries = match chatspec::list::select(&dir, opts) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("chatspec list: {e}");
            return ExitCode::from(2);
        }
    };
    let text = match format {
        "text" => chatspec::suites::render_text(&entries),
        "md" | "markdown" => chatspec::suites::render_markdown(&entries),
        "json" => match serde_json::to_string_pretty(&entries) {
            Ok(text) => text + "\n",
            Err(e) => {
                eprintln!("chatspec list: {e}");
                return ExitCode::from(2);
            }
        },
        other => {
            eprintln!("chatspec list: --format {other:?}: use text, json or md");
            return ExitCode::from(2);
        }
    };
    // A reader that stops early (`chatspec list | head`) is no error.
    match std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("chatspec list: {e}");
            ExitCode::from(2)
        }
        _ => ExitCode::SUCCESS,
    }
}

fn init_target(api: &str, output: &std::path::Path) -> ExitCode {
    let Some(text) = chatspec::target::example(api) else {
        eprintln!(
            "chatspec init-target: no example profile for API {api:?}; known: {}",
            check::APIS.join(", ")
        );
        return ExitCode::from(2);
    };
    if output.as_os_str() == "-" {
        chatspec::out!("{text}");
        return ExitCode::SUCCESS;
    }
    if output.exists() {
        eprintln!("chatspec init-target: {} exists; not overwriting it", output.display());
        return ExitCode::from(2);
    }
    match std::fs::write(output, text) {
        Ok(()) => {
            chatspec::outln!(
                "wrote {}: edit it, then run chatspec check --target {}",
                output.display(),
                output.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("chatspec init-target: cannot write {}: {e}", output.display());
            ExitCode::from(2)
        }
    }
}

/// Reads each `conformance.json`; says why on stderr (as `chatspec report <cmd>`) when one
/// cannot be read.
fn read_docs(
    cmd: &str,
    files: &[PathBuf],
) -> Option<Vec<(String, chatspec::report::conformance::ConformanceDoc)>> {
    let mut docs = Vec::new();
    for f in files {
        let text = match std::fs::read_to_string(f) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("chatspec report {cmd}: cannot read {}: {e}", f.display());
                return None;
            }
        };
        match chatspec::report::conformance::parse(&text) {
            Ok(doc) => docs.push((f.display().to_string(), doc)),
            Err(e) => {
                eprintln!("chatspec report {cmd}: {} is not a conformance.json: {e}", f.display());
                return None;
            }
        }
    }
    Some(docs)
}

fn merge(files: &[PathBuf], report_dir: &Path) -> ExitCode {
    let Some(docs) = read_docs("merge", files) else { return ExitCode::from(2) };
    let record = match chatspec::report::merge::merge(&docs) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("chatspec report merge: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = check_report_dir(report_dir) {
        eprintln!("chatspec report merge: {e}");
        return ExitCode::from(2);
    }
    finish("report merge", &record, report_dir)
}

fn compare(files: &[PathBuf], format: &str) -> ExitCode {
    use chatspec::report::compare;
    let Some(docs) = read_docs("compare", files) else { return ExitCode::from(2) };
    match format {
        "markdown" | "md" => chatspec::out!("{}", compare::render_markdown(&docs)),
        "text" => chatspec::out!("{}", compare::render_text(&docs)),
        other => {
            eprintln!("chatspec report compare: --format {other:?}: use markdown or text");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

async fn run_check(opts: CheckOptions, report_dir: PathBuf) -> ExitCode {
    let record = if opts.api == "all" && opts.target.is_none() {
        check::run_all(opts).await
    } else {
        eprintln!("chatspec check: the {} suite", opts.api);
        check::run(opts).await
    };
    let record = match record {
        Ok(r) => r,
        Err(e) => {
            eprintln!("chatspec check: {e}");
            return ExitCode::from(2);
        }
    };
    finish("check", &record, &report_dir)
}

/// Prints the run's details and summary, writes its reports, and gives the exit code: 2 when
/// the reports cannot be written, 1 when the run failed, else 0.
fn finish(cmd: &str, record: &chatspec::outcome::RunRecord, report_dir: &Path) -> ExitCode {
    chatspec::out!("{}", check::console_details(record));
    chatspec::out!("{}", check::console_summary(record));
    let written = match chatspec::report::write_all(record, report_dir) {
        Ok(paths) => {
            for p in paths {
                chatspec::outln!("report: {}", p.display());
            }
            true
        }
        Err(e) => {
            eprintln!("chatspec {cmd}: cannot write the reports to {}: {e}", report_dir.display());
            false
        }
    };
    if !written {
        ExitCode::from(2)
    } else if record.failed() {
        if record.scenarios.iter().all(|s| {
            matches!(s.outcome, chatspec::outcome::Outcome::Skipped | chatspec::outcome::Outcome::Impossible)
        }) {
            eprintln!("chatspec {cmd}: no scenario was executed");
        }
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Starts the request log on stderr when `--log` is given or `RUST_LOG` is set.
fn start_log(log: bool) {
    let filter = match std::env::var("RUST_LOG") {
        Ok(f) if !f.trim().is_empty() => f,
        _ if log => "chatspec_mocks=info".to_owned(),
        _ => return,
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        // Colour codes only on a terminal: a log redirected to a file stays plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}
