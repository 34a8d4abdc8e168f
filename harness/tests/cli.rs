//! The `chatspec` binary as a user runs it: `serve` in one process, `check --target` in
//! another, through a profile that provisions users with the admin API and through one with
//! pre-made accounts; `init-target`; `report compare`; exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_chatspec");

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve() -> Server {
    serve_api("unichat")
}

fn serve_api(api: &str) -> Server {
    let mut child = Command::new(BIN)
        .args(["serve", api, "--addr", "127.0.0.1:0", "--ping-interval", "0.2"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("chatspec serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut reader = BufReader::new(stdout);
    let mut first = String::new();
    reader.read_line(&mut first).expect("a first line");
    // Keep reading so the server never writes into a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
    let base = first.split_whitespace().last().expect("the base URL").to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{first}");
    Server { child, base }
}

fn check(dir: &Path, profile: &str, extra: &[&str]) -> (bool, Value) {
    let path = dir.join("target.toml");
    std::fs::write(&path, profile).unwrap();
    let reports = dir.join("reports");
    let features = Path::new(env!("CARGO_MANIFEST_DIR")).join("../features");
    let out = Command::new(BIN)
        .args(["check", "--target"])
        .arg(&path)
        .arg("--report-dir")
        .arg(&reports)
        .arg("--features")
        .arg(&features)
        .args(extra)
        .output()
        .expect("chatspec check runs");
    let conformance = std::fs::read_to_string(reports.join("conformance.json")).unwrap_or_default();
    let doc = serde_json::from_str(&conformance).unwrap_or(Value::Null);
    if !out.status.success() {
        eprintln!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    }
    (out.status.success(), doc)
}

fn example_profile(dir: &Path, base: &str) -> String {
    example_profile_for(dir, "unichat", base)
}

fn example_profile_for(dir: &Path, api: &str, base: &str) -> String {
    let path = dir.join(format!("example-{api}.toml"));
    let status =
        Command::new(BIN).args(["init-target", "--api", api, "--output"]).arg(&path).status().unwrap();
    assert!(status.success());
    // Refuses to overwrite.
    let again =
        Command::new(BIN).args(["init-target", "--api", api, "--output"]).arg(&path).output().unwrap();
    assert!(!again.status.success());
    std::fs::read_to_string(&path).unwrap().replace("http://127.0.0.1:8080", base)
}

fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("chatspec-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_suite_passes_against_a_separate_mock_process_through_profiles() {
    let server = serve();
    let dir = tmp("profiles");
    let admin = example_profile(&dir, &server.base);
    let (ok, doc) = check(&dir, &admin, &[]);
    assert!(ok, "the admin-provisioned run passes");
    let totals = &doc["totals"];
    assert_eq!(totals["fail"], json!(0), "{totals}");
    let admin_pass = totals["pass"].clone();
    assert!(admin_pass.as_u64().unwrap() >= 100);
    let admin_report = dir.join("reports/conformance.json");
    let admin_copy = dir.join("admin.json");
    std::fs::copy(&admin_report, &admin_copy).unwrap();

    // Pre-made accounts, made the way a server team would: outside the harness.
    let mut accounts = String::from("accounts = [\n");
    for i in 0..48 {
        let u = post_json(&format!("{}/_mock/users", server.base), &json!({"name": format!("pre{i}")}));
        accounts.push_str(&format!("  {{ login = {}, password = {} }},\n", u["email"], u["password"]));
    }
    accounts.push(']');
    let premade = admin
        .replace("name = \"my-unichat-server\"", "name = \"premade\"")
        .replace("mode = \"admin\"\n", &format!("mode = \"accounts\"\n{accounts}\n"));
    let (ok, doc) = check(&dir, &premade, &["--concurrency", "8"]);
    assert!(ok, "the pre-made-accounts run passes");
    assert_eq!(doc["totals"]["pass"], admin_pass, "the same results as the admin-provisioned run");

    let compare = Command::new(BIN)
        .args(["report", "compare"])
        .arg(&admin_copy)
        .arg(dir.join("reports/conformance.json"))
        .output()
        .unwrap();
    assert!(compare.status.success());
    let text = String::from_utf8_lossy(&compare.stdout);
    assert!(text.contains("unichat/uid"), "{text}");
}

#[test]
fn bad_profiles_and_failing_runs_exit_non_zero() {
    let server = serve();
    let dir = tmp("bad");
    let (ok, _) = check(&dir, "name = \"x\"\napi = \"unichat\"\n", &[]);
    assert!(!ok, "a profile without base_url is refused");
    let bad = Command::new(BIN).args(["check", "--target"]).arg(dir.join("target.toml")).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("base_url"));

    // A stale known-failures entry makes the run fail.
    let mut profile = example_profile(&dir, &server.base);
    profile.push_str(
        "\n[[known_failures]]\nscenario = \"unichat/uid/a-uid-of-64-characters-is-accepted\"\nreason = \"stale\"\n",
    );
    let (ok, doc) = check(&dir, &profile, &["--area", "uid"]);
    assert!(!ok);
    assert_eq!(doc["totals"]["unexpected_pass"], json!(1), "{}", doc["totals"]);
}

#[test]
fn an_unreachable_server_ends_the_run_with_one_line_and_exit_2() {
    let dir = tmp("unreachable");
    // A port that was free a moment ago and has no listener now.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let profile = example_profile(&dir, &base);
    let path = dir.join("target.toml");
    std::fs::write(&path, profile).unwrap();
    let out = Command::new(BIN)
        .args(["check", "--target"])
        .arg(&path)
        .arg("--report-dir")
        .arg(dir.join("reports"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let errors: Vec<&str> = stderr.lines().filter(|l| !l.ends_with(" suite")).collect();
    assert_eq!(
        errors,
        [format!("chatspec check: cannot reach {base} (base_url): connection refused")],
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(!dir.join("reports").exists(), "no reports for a run that did not start");
}

#[test]
fn the_rest_suites_pass_against_separate_mock_processes_through_the_example_profiles() {
    for (api, at_least) in [("connectnow", 150), ("onechat", 45)] {
        let server = serve_api(api);
        let dir = tmp(api);
        let profile = example_profile_for(&dir, api, &server.base);
        assert!(profile.contains(&format!("api = \"{api}\"")), "{profile}");
        let (ok, doc) = check(&dir, &profile, &[]);
        assert!(ok, "the {api} run through the example profile passes");
        let totals = &doc["totals"];
        assert_eq!(totals["fail"], json!(0), "{totals}");
        assert_eq!(totals["impossible"], json!(0), "{totals}");
        assert!(totals["pass"].as_u64().unwrap() >= at_least, "{totals}");
    }
}

#[test]
fn check_runs_every_suite_by_default() {
    let dir = tmp("all");
    let reports = dir.join("reports");
    let features = Path::new(env!("CARGO_MANIFEST_DIR")).join("../features");
    let out = Command::new(BIN)
        .args(["check", "--tags", "@serial", "--report-dir"])
        .arg(&reports)
        .arg("--features")
        .arg(&features)
        .output()
        .expect("chatspec check runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(reports.join("conformance.json")).unwrap()).unwrap();
    assert_eq!(doc["run"]["apis"], json!(["unichat", "sama", "connectnow", "onechat"]), "{}", doc["run"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("connectnow/tokens"), "{stdout}");
}

#[test]
fn init_target_knows_every_api() {
    for api in ["unichat", "sama", "connectnow", "onechat"] {
        let out = Command::new(BIN).args(["init-target", "--api", api, "--output", "-"]).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(&format!("api = \"{api}\"")), "{text}");
    }
    let out = Command::new(BIN).args(["init-target", "--api", "irc", "--output", "-"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_sama_suite_runs_against_a_separate_mock_process_through_its_example_profile() {
    let server = serve_api("sama");
    let dir = tmp("sama");
    let path = dir.join("example.toml");
    let status =
        Command::new(BIN).args(["init-target", "--api", "sama", "--output"]).arg(&path).status().unwrap();
    assert!(status.success());
    let profile = std::fs::read_to_string(&path).unwrap().replace("http://127.0.0.1:9000", &server.base);
    let (ok, doc) = check(&dir, &profile, &[]);
    assert!(ok, "the sama suite passes through the example profile");
    assert_eq!(doc["totals"]["fail"], json!(0), "{}", doc["totals"]);
    assert!(doc["totals"]["pass"].as_u64().unwrap() >= 100, "{}", doc["totals"]);
    assert_eq!(doc["run"]["apis"], json!(["sama"]), "{}", doc["run"]);

    // A declared deviation is an adapter: one the mock does not have changes nothing.
    let declared = profile.replace("deviations = []", "deviations = [\"ack_as_ask\"]");
    let (ok, doc) = check(&dir, &declared, &["--area", "messages", "--area", "system"]);
    assert!(ok, "{}", doc["totals"]);
    assert_eq!(doc["totals"]["pass_deviation"], json!(0), "{}", doc["totals"]);
    assert_eq!(doc["totals"]["fail"], json!(0), "{}", doc["totals"]);

    // A misspelt deviation is refused, naming the field.
    let bad = profile.replace("deviations = []", "deviations = [\"ack_as_asc\"]");
    let (ok, _) = check(&dir, &bad, &[]);
    assert!(!ok);
    let out = Command::new(BIN).args(["check", "--target"]).arg(dir.join("target.toml")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("sama.deviations"));
}

#[test]
fn check_api_sama_runs_the_embedded_mock() {
    let dir = tmp("sama-embedded");
    let features = Path::new(env!("CARGO_MANIFEST_DIR")).join("../features");
    let out = Command::new(BIN)
        .args(["check", "--api", "sama", "--area", "frames", "--report-dir"])
        .arg(dir.join("reports"))
        .arg("--features")
        .arg(&features)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("sama/frames"));
}

#[test]
fn ids_report_folders_and_accounts_are_checked_before_the_run() {
    let server = serve();
    let dir = tmp("prechecks");
    let profile = example_profile(&dir, &server.base);
    let run = |profile: &str, report_dir: &Path| {
        let path = dir.join("target.toml");
        std::fs::write(&path, profile).unwrap();
        Command::new(BIN)
            .args(["check", "--target"])
            .arg(&path)
            .arg("--report-dir")
            .arg(report_dir)
            .output()
            .unwrap()
    };
    // A known-failure id with a typo: refused with the nearest real id.
    let typo = format!(
        "{profile}\n[[known_failures]]\nscenario = \"unichat/uid/concurrent-retries-with-the-same-uid-yield-one-mesage\"\nreason = \"r\"\n"
    );
    let out = run(&typo, &dir.join("reports"));
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "the nearest is \"unichat/uid/concurrent-retries-with-the-same-uid-yield-one-message\""
        ),
        "{stderr}"
    );
    // A report folder under a file cannot be written: refused before the first scenario.
    std::fs::write(dir.join("a-file"), "").unwrap();
    let out = run(&profile, &dir.join("a-file/reports"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write the reports"));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("scenarios done"));
    // Two pre-made accounts for a suite whose scenarios name up to four users.
    let two = profile.replace(
        "mode = \"admin\"\n",
        "mode = \"accounts\"\naccounts = [{ login = \"a@x\", password = \"p\" }, { login = \"b@x\", password = \"p\" }]\n",
    );
    let out = run(&two, &dir.join("reports"));
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("provisioning.accounts lists 2 accounts")
            && stderr.contains("list at least 4 accounts"),
        "{stderr}"
    );
}

/// `POST url` with a JSON body from a synchronous test; the JSON reply. (An async client on a
/// runtime of its own keeps reqwest's `blocking` feature, and the feature set it changes, out of
/// the test build.)
fn post_json(url: &str, body: &Value) -> Value {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let client = chatspec::tls::http_client().no_proxy().build().unwrap();
        let reply = client.post(url).json(body).send().await.unwrap();
        reply.error_for_status().unwrap().json().await.unwrap()
    })
}

#[test]
fn a_tag_typo_and_no_concurrency_are_refused_before_anything_runs() {
    let dir = tmp("refusals");
    let reports = dir.join("reports");
    let run = |args: &[&str]| {
        let out = Command::new(BIN).args(args).arg("--report-dir").arg(&reports).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (code, stderr) = run(&["check", "--api", "unichat", "--tags", "@uid and not @seral"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--tags names @seral") && stderr.contains("the nearest is @serial"), "{stderr}");
    assert!(!reports.exists(), "nothing ran");
    let (code, stderr) = run(&["check", "--api", "unichat", "--concurrency", "0"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--concurrency") && stderr.contains("0 would run no scenario"), "{stderr}");

    // `list` takes the filters of `check`, in the same meaning.
    let list = |args: &[&str]| {
        let out = Command::new(BIN).arg("list").args(args).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stdout, _) = list(&["--api", "connectnow", "--tags", "@serial"]);
    assert_eq!(code, Some(0));
    let ids: Vec<&str> = stdout.lines().filter_map(|l| l.split(' ').next()).collect();
    assert_eq!(
        ids,
        ["connectnow/errors/too-many-requests-are-answered-429", "connectnow/tokens/an-auth-code-expires"]
    );
    let (code, stdout, _) =
        list(&["--area", "uid", "--scenario", "unichat/uid/a-uid-of-64-characters-is-accepted"]);
    assert_eq!((code, stdout.lines().count()), (Some(0), 1), "{stdout}");
    let (code, _, stderr) = list(&["--tags", "@seral"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("the nearest is @serial"), "{stderr}");
}

#[test]
fn an_outline_base_id_stands_for_every_row_in_scenario_and_known_failures() {
    let server = serve();
    let dir = tmp("outline-base");
    let base = "unichat/endpoint/every-method-that-needs-a-user-refuses-a-call-without-a-token";
    let profile = format!(
        "{}\n[[known_failures]]\nscenario = \"{base}\"\nreason = \"every row\"\n",
        example_profile(&dir, &server.base)
    );
    let (ok, doc) = check(&dir, &profile, &["--scenario", base]);
    // The mock passes every row, so each row the entry names is an unexpected pass.
    assert!(!ok);
    let rows: Vec<(&str, &str)> = doc["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_str().unwrap(), s["outcome"].as_str().unwrap()))
        .collect();
    assert!(rows.len() > 1, "{rows:?}");
    for (id, outcome) in &rows {
        assert!(id.starts_with(&format!("{base}#")) && *outcome == "unexpected_pass", "{rows:?}");
    }
}

#[test]
fn a_tag_or_area_of_another_suite_and_a_bare_tag_are_refused_naming_what_was_meant() {
    let dir = tmp("elsewhere");
    let reports = dir.join("reports");
    let run = |args: &[&str]| {
        let out = Command::new(BIN).args(args).arg("--report-dir").arg(&reports).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (code, stderr) = run(&["check", "--api", "connectnow", "--tags", "@uid"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("no scenario of the connectnow suite carries") && stderr.contains("unichat"),
        "{stderr}"
    );
    let (code, stderr) = run(&["check", "--api", "unichat", "--area", "tokens"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("it is an area of the connectnow suite"), "{stderr}");
    let (code, stderr) = run(&["check", "--api", "unichat", "--tags", "uid"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("did you mean --tags \"@uid\"?"), "{stderr}");
    assert!(!reports.exists(), "nothing ran");
    let out = Command::new(BIN).args(["list", "--api", "connectnow", "--tags", "@uid"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}
