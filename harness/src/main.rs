//! The `chatspec` command: serve the reference mocks, run the conformance suites.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use chatspec::check::{self, CheckOptions};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "chatspec",
    version,
    about = "Conformance suites and reference mock servers for chat APIs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start a reference mock server and print its base URL and test tokens.
    Serve {
        /// The API to serve.
        api: String,
        /// Where to listen.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
    },
    /// Run an API's conformance suite (against the embedded mock unless a target is given).
    Check {
        /// The API whose suite runs.
        #[arg(long, default_value = "unichat")]
        api: String,
        /// Only scenarios matching this tag expression, e.g. "@uid or @serial".
        #[arg(long)]
        tags: Option<String>,
        /// Where the reports go (overwritten on each run).
        #[arg(long, default_value = "reports")]
        report_dir: PathBuf,
        /// The folder holding <api>/*.feature.
        #[arg(long)]
        features: Option<PathBuf>,
        /// How many scenarios run at once.
        #[arg(long, default_value_t = 32)]
        concurrency: usize,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve { api, addr } => serve(&api, addr).await,
        Command::Check {
            api,
            tags,
            report_dir,
            features,
            concurrency,
        } => {
            let mut opts = CheckOptions::new(&api);
            opts.tags = tags;
            opts.progress = true;
            opts.concurrency = concurrency;
            if let Some(f) = features {
                opts.features = f;
            }
            run_check(opts, report_dir).await
        }
    }
}

async fn run_check(opts: CheckOptions, report_dir: PathBuf) -> ExitCode {
    eprintln!("chatspec check: running the {} suite", opts.api);
    let record = match check::run(opts).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("chatspec check: {e}");
            return ExitCode::from(2);
        }
    };
    print!("{}", check::console_summary(&record));
    match chatspec::report::write_all(&record, &report_dir) {
        Ok(paths) => {
            for p in paths {
                println!("report: {}", p.display());
            }
        }
        Err(e) => eprintln!(
            "chatspec check: cannot write the reports to {}: {e}",
            report_dir.display()
        ),
    }
    if record.failed() {
        if record.scenarios.iter().all(|s| {
            matches!(
                s.outcome,
                chatspec::outcome::Outcome::Skipped | chatspec::outcome::Outcome::Impossible
            )
        }) {
            eprintln!("chatspec check: no scenario was executed");
        }
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

async fn serve(api: &str, addr: SocketAddr) -> ExitCode {
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("chatspec serve: cannot listen on {addr}: {e}");
            return ExitCode::from(2);
        }
    };
    let base = chatspec_mocks::kit::serve::base_url(&listener)
        .unwrap_or_else(|_| format!("http://{addr}"));
    let stop = tokio_util::sync::CancellationToken::new();
    let task = match api {
        "unichat" => {
            let state = chatspec_mocks::unichat::Unichat::with_defaults();
            println!("unichat mock at {base}");
            println!("  methods:     POST {base}/api/{{method}}  body {{\"args\": {{...}}}}");
            println!(
                "  headers:     APP_DOMAIN_TOKEN: test_token1, USER_AUTH_TOKEN: <user.auth_token>"
            );
            println!("  events:      GET {base}/sse/{{code}}  (code from create_sse_auth_code)");
            println!(
                "  test users:  POST {base}/_mock/users {{\"name\": \"alice\"}}  -> user with auth_token"
            );
            println!(
                "  admin:       {base}/_mock/health, /_mock/reset, /_mock/clock/advance, /_mock/state"
            );
            tokio::spawn(chatspec_mocks::unichat::run(state, listener, stop.clone()))
        }
        other => {
            eprintln!(
                "chatspec serve: no mock for API {other:?}; known: {}",
                check::APIS.join(", ")
            );
            return ExitCode::from(2);
        }
    };
    let _ = tokio::signal::ctrl_c().await;
    stop.cancel();
    let _ = task.await;
    ExitCode::SUCCESS
}
