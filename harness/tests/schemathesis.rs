//! Schemathesis (from PyPI) against `chatspec serve unichat|connectnow|onechat`, driven by the
//! exported OpenAPI documents (`specs/openapi/<api>.openapi.json`): every operation is
//! exercised with generated and mutated requests, and the run must end with no server error
//! (no 5xx) and every reply as the document says (status, content type, headers, body schema).
//!
//! These tests need Schemathesis, so they are ignored by a plain `cargo test`; `.ci/run`
//! installs it into `target/schemathesis` and runs them with `--ignored`. To run them by hand:
//!
//! ```sh
//! python3 -m venv target/schemathesis && target/schemathesis/bin/pip install schemathesis
//! cargo test -p chatspec --test schemathesis -- --ignored --nocapture
//! ```
//!
//! `CHATSPEC_SCHEMATHESIS` may name another `st` executable.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long one Schemathesis run may take before the test fails.
const DEADLINE: Duration = Duration::from_secs(600);

/// The checks every API must pass: no server error, and every reply as its document says.
const CONFORMANCE: &[&str] = &[
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "allow_header_conformance",
    "missing_required_header",
];

/// The checks of HTTP conventions that connectnow and OneChat follow by their registers
/// (405 with `Allow` for another method, 401 without a token, 4xx for a malformed request:
/// NOTES.md C5, C19, O1, O3, O4). Unichat answers every error with 400 ("On error, the 400
/// result code will be returned", seed 000) and reads a missing `args` as none (U2), so these
/// do not apply to it.
const CONVENTIONS: &[&str] = &["negative_data_rejection", "unsupported_method", "ignored_auth"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
}

/// The `st` executable: `CHATSPEC_SCHEMATHESIS`, or the one `.ci/run` installs.
fn schemathesis() -> PathBuf {
    if let Some(path) = std::env::var_os("CHATSPEC_SCHEMATHESIS") {
        return PathBuf::from(path);
    }
    let installed = root().join("target/schemathesis/bin/st");
    assert!(
        installed.exists(),
        "Schemathesis is not installed at {}: run .ci/run, or `python3 -m venv target/schemathesis && \
         target/schemathesis/bin/pip install schemathesis`, or set CHATSPEC_SCHEMATHESIS to an st executable",
        installed.display()
    );
    installed
}

/// A `chatspec serve` child, stopped when dropped.
struct Served {
    child: Child,
    base: String,
}

impl Served {
    fn start(api: &str) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_chatspec"))
            .args(["serve", api, "--addr", "127.0.0.1:0", "--ping-interval", "0.5"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
        // "unichat mock at http://127.0.0.1:PORT"
        let base = first.split_whitespace().last().unwrap_or_default().to_owned();
        assert!(base.starts_with("http://"), "chatspec serve {api} printed {first:?}");
        Served { child, base }
    }

    /// `POST /_mock/users`: a user and their credentials.
    fn user(&self) -> Value {
        // An async client on a runtime of its own: reqwest's `blocking` feature would change
        // the feature set of the test build, and rebuild shared crates after `chatspec check`.
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let client = chatspec::tls::http_client().no_proxy().build().unwrap();
            let url = format!("{}/_mock/users", self.base);
            let reply = client.post(url).json(&json!({"name": "schemathesis"})).send().await.unwrap();
            reply.error_for_status().unwrap().json().await.unwrap()
        })
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What a run reports in its summary.
#[derive(Debug, Default)]
struct Figures {
    tested: Option<usize>,
    generated: Option<usize>,
    summary: String,
}

fn figures(output: &str) -> Figures {
    let mut f = Figures::default();
    for line in output.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("Tested:") {
            f.tested = rest.trim().parse().ok();
        }
        if line.contains(" generated") {
            f.generated = line.split_whitespace().next().and_then(|n| n.parse().ok());
            f.summary = line.to_owned();
        }
    }
    f
}

/// Runs Schemathesis over `api`'s document against a mock it starts, with the headers
/// `credentials` gives (from a user made on that mock) on every request.
fn run(api: &str, credentials: impl FnOnce(&Served) -> Vec<(&'static str, String)>) {
    let st = schemathesis();
    let served = Served::start(api);
    let headers = credentials(&served);
    let document = root().join(format!("specs/openapi/{api}.openapi.json"));
    let operations = operation_count(&document);
    let work = root().join(format!("target/schemathesis-runs/{api}"));
    std::fs::create_dir_all(&work).unwrap();
    let mut checks: Vec<&str> = CONFORMANCE.to_vec();
    if api != "unichat" {
        checks.extend(CONVENTIONS);
    }
    let mut command = Command::new(&st);
    command
        .current_dir(&work)
        .arg("run")
        .arg(&document)
        .args(["--url", &served.base])
        .args(["--checks", &checks.join(",")])
        .args(["--generation-with-security-parameters", "false", "--generation-database", "none"])
        .args(["--seed", "1", "--max-examples", "30", "--request-timeout", "5", "--no-color"])
        .args(["--report", "junit", "--report-dir"])
        .arg(&work);
    for (name, value) in &headers {
        command.args(["-H", &format!("{name}: {value}")]);
    }
    let started = Instant::now();
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut out = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = out.read_to_string(&mut text);
        text
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("Schemathesis did not finish {api} within {} s", DEADLINE.as_secs());
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let mut err = String::new();
    let _ = child.stderr.take().unwrap().read_to_string(&mut err);
    let output = reader.join().unwrap();
    let f = figures(&output);
    eprintln!(
        "schemathesis {api}: {operations} operations, {}, in {:.1} s (junit: {})",
        f.summary,
        started.elapsed().as_secs_f64(),
        work.join("junit.xml").display()
    );
    assert!(
        status.success(),
        "Schemathesis found replies of chatspec serve {api} that break {} (exit {status}):\n{output}\n{err}",
        document.display()
    );
    assert_eq!(f.tested, Some(operations), "not every operation was tested:\n{output}");
    assert!(f.generated.is_some_and(|n| n >= operations), "too few test cases:\n{output}");
}

fn operation_count(document: &Path) -> usize {
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(document).unwrap()).unwrap();
    doc["paths"].as_object().unwrap().values().map(|item| item.as_object().unwrap().len()).sum()
}

#[test]
#[ignore = "needs Schemathesis from PyPI: .ci/run installs it into target/schemathesis and runs these with --ignored"]
fn unichat_replies_conform_to_the_openapi_document() {
    run("unichat", |s| {
        let token = s.user()["auth_token"].as_str().unwrap().to_owned();
        vec![("APP_DOMAIN_TOKEN", "test_token1".to_owned()), ("USER_AUTH_TOKEN", token)]
    });
}

#[test]
#[ignore = "needs Schemathesis from PyPI: .ci/run installs it into target/schemathesis and runs these with --ignored"]
fn connectnow_replies_conform_to_the_openapi_document() {
    run("connectnow", |s| {
        let token = s.user()["api_token"].as_str().unwrap().to_owned();
        vec![("Accept", "application/json".to_owned()), ("Authorization", format!("Bearer {token}"))]
    });
}

#[test]
#[ignore = "needs Schemathesis from PyPI: .ci/run installs it into target/schemathesis and runs these with --ignored"]
fn onechat_replies_conform_to_the_openapi_document() {
    run("onechat", |s| vec![("apikey", s.user()["apikey"].as_str().unwrap().to_owned())]);
}
