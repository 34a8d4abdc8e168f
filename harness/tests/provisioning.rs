//! Provisioning a server that is not chatspec's mock (docs/real-servers.md), proven on the
//! reference mocks served with their admin routes on an address of their own:
//!
//! - in `mode = "admin"` (and through a webhook) every admin reply is checked against the admin
//!   contract (`specs/schemas/admin/`): a reply that breaks it makes the scenario impossible,
//!   naming the operation, the schema and what came back, and is never a failure of the API;
//! - an admin call with no reply or a status outside 2xx is a provisioning error in every mode:
//!   the scenario is impossible, naming the operation, the call, and the status and body or
//!   the connection error;
//! - in `mode = "command"` the suites of Unichat, SAMA and OneChat run through one script that
//!   calls the admin address with curl, every operation they need included (connectnow's
//!   newcomer's run is `newcomer.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::routing::post;
use chatspec::check::{self, CheckOptions};
use chatspec::outcome::{Outcome, RunRecord};
use chatspec::target::Target;
use chatspec_mocks::kit::split::Listeners;
use serde_json::json;
use tokio::net::TcpListener;

/// The mock of `api` with its admin routes on an address of their own: the mock and the
/// admin URL. The API address answers `/_mock/*` as any unknown path; the admin one serves it.
async fn start_split(api: &str) -> (chatspec::embedded::Embedded, String) {
    let public = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let admin = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let admin_url = format!("http://{}", admin.local_addr().unwrap());
    let mock = chatspec::embedded::start_with(
        api,
        Listeners { public, admin: Some(admin) },
        Duration::from_millis(200),
        None,
    )
    .unwrap();
    let http = common::client();
    let on_api = http.get(format!("{}/_mock/health", mock.base_url)).send().await.unwrap();
    // Answered as any path the API does not serve (SAMA's: 426, its socket).
    assert!(matches!(on_api.status().as_u16(), 404 | 426), "{api}: the API address serves no admin route");
    let on_admin = http.get(format!("{admin_url}/_mock/health")).send().await.unwrap();
    assert_eq!(on_admin.status().as_u16(), 200, "{api}: the admin address serves them");
    (mock, admin_url)
}

/// Runs `areas` of `api` against its mock with the admin routes apart, provisioned in
/// `mode = "command"`: each of `operations` (name, HTTP method, admin path) is
/// `./admin.sh ADMIN_URL METHOD PATH`. `section` is the profile's API section, if any.
async fn run_by_commands(
    api: &str,
    section: &str,
    operations: &[(&str, &str, &str)],
    areas: &[&str],
) -> RunRecord {
    let (mock, admin_url) = start_split(api).await;
    let dir = common::profile_dir(&format!("commands-{api}"));
    let mut profile = format!(
        "name = \"by-commands\"\napi = \"{api}\"\nbase_url = \"{}\"\ntimeout_factor = 0.5\n{section}\n\
         [provisioning]\nmode = \"command\"\ntimeout_seconds = 20\n\n[provisioning.commands]\n",
        mock.base_url
    );
    for (op, method, path) in operations {
        profile.push_str(&format!("{op} = \"./admin.sh {admin_url} {method} {path}\"\n"));
    }
    let path = dir.join("my-server.toml");
    std::fs::write(&path, profile).unwrap();
    let target = Target::load(&path).unwrap();
    assert!(target.admin_url.is_none(), "no admin API: every admin call is a command");
    let mut opts = CheckOptions::new(api);
    opts.target = Some(target);
    opts.areas = areas.iter().map(|a| (*a).to_owned()).collect();
    let record = check::run(opts).await.expect("the suite runs");
    mock.shutdown().await;
    let _ = std::fs::remove_dir_all(dir);
    record
}

/// Every scenario passed (strictly or on a reading), none impossible, and at least `at_least`
/// ran.
fn assert_all_pass(record: &RunRecord, at_least: usize) {
    assert!(!record.failed(), "{:#?}", common::not_passed(record));
    for s in &record.scenarios {
        assert!(
            matches!(s.outcome, Outcome::Pass | Outcome::PassLenient),
            "{}: {:?} {:?} {:#?}",
            s.id,
            s.outcome,
            s.impossible,
            common::not_passed(record)
        );
    }
    assert!(record.scenarios.len() >= at_least, "only {} scenarios ran", record.scenarios.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unichat_is_provisioned_by_commands() {
    let record = run_by_commands(
        "unichat",
        "[unichat]\nedit_window_seconds = 86400\n",
        &[("create_user", "POST", "/_mock/users"), ("advance_clock", "POST", "/_mock/clock/advance")],
        &["editing", "uid"],
    )
    .await;
    assert_all_pass(&record, 20);
    // The edit window passes on the server's clock, moved by the advance_clock command.
    assert!(
        record
            .scenarios
            .iter()
            .any(|s| s.id.ends_with("/editing-is-refused-once-the-edit-window-has-passed"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sama_is_provisioned_by_commands() {
    let record = run_by_commands(
        "sama",
        "",
        &[
            ("create_user", "POST", "/_mock/users"),
            ("advance_clock", "POST", "/_mock/clock/advance"),
            ("health", "GET", "/_mock/health"),
            ("outbox", "GET", "/_mock/outbox"),
        ],
        &["auth", "offline", "push"],
    )
    .await;
    assert_all_pass(&record, 20);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn onechat_is_provisioned_by_commands() {
    let record = run_by_commands(
        "onechat",
        "",
        &[
            ("create_user", "POST", "/_mock/users"),
            ("outbox", "GET", "/_mock/outbox"),
            ("create_group", "POST", "/_mock/groups"),
            ("open_session", "POST", "/_mock/sessions"),
            ("end_session", "DELETE", "/_mock/sessions/{session}"),
            ("set_password", "POST", "/_mock/passwords"),
        ],
        &["endpoint", "broadcast", "relay", "miniapps"],
    )
    .await;
    assert_all_pass(&record, 40);
}

// ---- replies outside the admin contract -------------------------------------------------------

/// A Unichat scenario that provisions its users first.
const SCENARIO: &str = "unichat/uid/retrying-a-post-with-the-same-uid-returns-the-same-message";

/// A stand-in for a test build's admin API whose `POST /_mock/users` answers HTTP 201 with
/// `body` (as JSON when `json`): its URL, served until the returned task is dropped.
async fn fake_admin(body: String, json: bool) -> (String, tokio::task::JoinHandle<()>) {
    fake_admin_answering(StatusCode::CREATED, body, json).await
}

/// [`fake_admin`] answering with `status`.
async fn fake_admin_answering(
    status: StatusCode,
    body: String,
    json: bool,
) -> (String, tokio::task::JoinHandle<()>) {
    let content_type = if json { "application/json" } else { "text/plain" };
    let app = Router::new().route(
        "/_mock/users",
        post(move || async move { (status, [(header::CONTENT_TYPE, content_type)], body) }),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (url, task)
}

/// The run of [`SCENARIO`] against the Unichat API at `api_base` with `provisioning` (the
/// profile's `[provisioning]` and what follows it).
fn scenario_against(api_base: &str, provisioning: &str) -> CheckOptions {
    let profile = format!(
        "name = \"x\"\napi = \"unichat\"\nbase_url = \"{api_base}\"\ntimeout_factor = 0.5\n{provisioning}"
    );
    let mut opts = CheckOptions::new("unichat");
    opts.target = Some(Target::parse(&profile).unwrap());
    opts.scenarios = vec![SCENARIO.into()];
    opts
}

/// Runs [`SCENARIO`] against the Unichat mock's API with `provisioning` (the profile's
/// `[provisioning]` and what follows it); why it was impossible.
async fn impossible_because(api_base: &str, provisioning: &str) -> String {
    let record = check::run(scenario_against(api_base, provisioning)).await.expect("the suite runs");
    let s = &record.scenarios[0];
    assert_eq!(
        s.outcome,
        Outcome::Impossible,
        "never a failure of the API: {:#?}",
        common::not_passed(&record)
    );
    let why = s.impossible.clone().unwrap_or_default();
    // Told apart by the record, not by its words: the set-up broke, and the run fails.
    assert!(s.provisioning_error, "a provisioning error: {why}");
    assert!(record.failed(), "a run whose set-up broke never passes: {why}");
    why
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_whose_provisioning_fails_exits_1_and_its_headline_says_why() {
    let mock = common::start_unichat(&[]).await;
    let (fake, task) =
        fake_admin_answering(StatusCode::INTERNAL_SERVER_ERROR, "the user store is down".into(), false).await;
    let dir = common::profile_dir("provisioning-fails");
    let profile = dir.join("my-server.toml");
    let reports = dir.join("reports");
    for (mode, provisioning) in admin_and_http(&fake) {
        std::fs::write(
            &profile,
            format!(
                "name = \"my-server\"\napi = \"unichat\"\nbase_url = \"{}\"\ntimeout_factor = 0.5\n{provisioning}",
                mock.base_url
            ),
        )
        .unwrap();
        let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_chatspec"))
            .args(["check", "--api", "unichat", "--scenario", SCENARIO, "--target"])
            .arg(&profile)
            .arg("--report-dir")
            .arg(&reports)
            .output()
            .await
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{mode}: {stdout}");
        let headline = "FAILED: 1 scenario could not be set up (provisioning errors); 0 of ";
        assert!(stdout.contains(headline), "{mode}: {stdout}");
        let summary = std::fs::read_to_string(reports.join("summary.md")).unwrap();
        assert!(summary.starts_with("## ❌ chatspec: my-server FAILED"), "{mode}: {summary}");
        assert!(
            summary.contains("1 scenario could not be set up (provisioning errors)"),
            "{mode}: {summary}"
        );
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(reports.join("conformance.json")).unwrap())
                .unwrap();
        assert_eq!(doc["totals"]["provisioning_errors"], 1, "{mode}");
        assert_eq!(doc["scenarios"][0]["provisioning_error"], true, "{mode}");
    }
    task.abort();
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_reply_outside_the_contract_makes_the_scenario_impossible_and_names_it() {
    let mock = common::start_unichat(&[]).await;
    let schema = "specs/schemas/admin/unichat.response.users.json";

    // The admin API answers a user without its token, its id a word.
    let (fake, task) = fake_admin(json!({"id": "seven", "nick": "Ann"}).to_string(), true).await;
    let why = impossible_because(
        &mock.base_url,
        &format!("[provisioning]\nmode = \"admin\"\n[admin]\nurl = \"{fake}\"\nclock = false\n"),
    )
    .await;
    assert!(why.starts_with("provisioning error"), "{why}");
    assert!(why.contains("create_user: the reply does not hold to the admin schema"), "{why}");
    assert!(why.contains(schema) && why.contains("auth_token") && why.contains("\"seven\""), "{why}");

    // The same reply from the team's webhook.
    let why = impossible_because(
        &mock.base_url,
        &format!(
            "[provisioning]\nmode = \"http\"\n[provisioning.webhooks]\ncreate_user = \"{fake}/_mock/users\"\n"
        ),
    )
    .await;
    assert!(why.contains("create_user: the reply does not hold to the admin schema"), "{why}");
    assert!(why.contains(schema) && why.contains("\"seven\""), "{why}");
    task.abort();

    // A 2xx reply that is no JSON at all.
    let (fake, task) = fake_admin("user created".into(), false).await;
    let why = impossible_because(
        &mock.base_url,
        &format!("[provisioning]\nmode = \"admin\"\n[admin]\nurl = \"{fake}\"\nclock = false\n"),
    )
    .await;
    assert!(
        why.contains("create_user: POST ") && why.contains("answered HTTP 201 without a JSON body"),
        "{why}"
    );
    assert!(why.contains(schema) && why.contains("user created"), "{why}");
    task.abort();
}

// ---- an admin call that fails ---------------------------------------------------------------

/// The profile's `[provisioning]` for `mode = "admin"` at `url`, and for `mode = "http"` with
/// the same address's `POST /_mock/users` as the create_user webhook.
fn admin_and_http(url: &str) -> [(&'static str, String); 2] {
    [
        ("admin", format!("[provisioning]\nmode = \"admin\"\n[admin]\nurl = \"{url}\"\nclock = false\n")),
        (
            "http",
            format!(
                "[provisioning]\nmode = \"http\"\n[provisioning.webhooks]\ncreate_user = \"{url}/_mock/users\"\n"
            ),
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_call_answering_outside_2xx_makes_the_scenario_impossible_in_every_mode() {
    let mock = common::start_unichat(&[]).await;
    for (status, body, json) in [
        (StatusCode::INTERNAL_SERVER_ERROR, "the user store is down".to_owned(), false),
        (StatusCode::CONFLICT, json!({"status": "error", "error": "name taken"}).to_string(), true),
    ] {
        let (fake, task) = fake_admin_answering(status, body.clone(), json).await;
        let code = status.as_u16();
        for (mode, provisioning) in admin_and_http(&fake) {
            let why = impossible_because(&mock.base_url, &provisioning).await;
            assert!(why.starts_with("provisioning error: the scenario"), "{mode}: {why}");
            let call = format!("POST {fake}/_mock/users answered HTTP {code}: {body}");
            assert!(why.contains(&call), "{mode}: {why}");
            let named =
                if mode == "admin" { "the create_user admin call" } else { "the create_user webhook" };
            assert!(why.contains(named), "{mode}: {why}");
            if mode == "http" {
                assert!(why.contains("(profile: provisioning.webhooks.create_user)"), "{why}");
            }
        }
        task.abort();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_call_with_no_reply_makes_the_scenario_impossible_in_every_mode() {
    let mock = common::start_unichat(&[]).await;

    // An address that takes every connection and closes it unanswered: the run's pre-flight
    // reaches it (it only connects), the admin call gets no reply.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mute = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        while let Ok((conn, _)) = listener.accept().await {
            drop(conn);
        }
    });
    for (mode, provisioning) in admin_and_http(&mute) {
        let why = impossible_because(&mock.base_url, &provisioning).await;
        assert!(why.starts_with("provisioning error: the scenario"), "{mode}: {why}");
        assert!(why.contains(&format!("POST {mute}/_mock/users: no reply: ")), "{mode}: {why}");
    }
    task.abort();

    // An address that refuses connections, as the admin URL or a webhook: the pre-flight
    // ends the run before any scenario, naming the profile field (`drivers/admin.rs` tests
    // the call itself).
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    for ((mode, provisioning), field) in
        admin_and_http(&dead).into_iter().zip(["admin.url", "provisioning.webhooks.create_user"])
    {
        let e = refused_before_the_run(&mock.base_url, &provisioning).await;
        assert!(e.starts_with(&format!("cannot reach {dead}")), "{mode}: {e}");
        assert!(e.contains(&format!("({field}): connection refused")), "{mode}: {e}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_command_or_webhook_makes_the_scenario_impossible_never_a_failure_of_the_api() {
    let mock = common::start_unichat(&[]).await;

    // A command that exits non-zero: its status and stderr are named.
    let why = impossible_because(
        &mock.base_url,
        "[provisioning]\nmode = \"command\"\n[provisioning.commands]\ncreate_user = \"sh -c 'echo no route to the admin >&2; exit 6'\"\n",
    )
    .await;
    assert!(why.starts_with("provisioning error"), "{why}");
    assert!(why.contains("exited with status 6") && why.contains("no route to the admin"), "{why}");
    assert!(why.contains("(profile: provisioning.commands.create_user)"), "the key to edit: {why}");

    // A command that prints no JSON.
    let why = impossible_because(
        &mock.base_url,
        "[provisioning]\nmode = \"command\"\n[provisioning.commands]\ncreate_user = \"echo user created\"\n",
    )
    .await;
    assert!(why.starts_with("provisioning error") && why.contains("no single JSON value"), "{why}");

    // A command whose program is not there: refused before the run (exit 2 through the
    // binary, below), never one provisioning error per scenario.
    let e = refused_before_the_run(
        &mock.base_url,
        "[provisioning]\nmode = \"command\"\n[provisioning.commands]\ncreate_user = \"./make-usr.sh {name}\"\n",
    )
    .await;
    assert!(
        e.starts_with("provisioning.commands.create_user: the program \"./make-usr.sh\" does not exist; commands run in the profile's folder, "),
        "{e}"
    );
}

/// Like [`impossible_because`], for a profile the run refuses before its first scenario: the
/// error's text.
async fn refused_before_the_run(api_base: &str, provisioning: &str) -> String {
    match check::run(scenario_against(api_base, provisioning)).await {
        Ok(record) => panic!("the run started: {:#?}", record.scenarios),
        Err(e) => e.to_string(),
    }
}

#[tokio::test]
async fn a_mistyped_command_path_exits_2_before_the_run_naming_the_key() {
    let dir = common::profile_dir("command-missing");
    let profile = dir.join("my-server.toml");
    std::fs::write(
        &profile,
        "name = \"my-server\"\napi = \"unichat\"\nbase_url = \"http://127.0.0.1:9\"\n[provisioning]\nmode = \"command\"\n[provisioning.commands]\ncreate_user = \"./chatspec/create-usr.sh\"\n",
    )
    .unwrap();
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_chatspec"))
        .args(["check", "--target"])
        .arg(&profile)
        .arg("--report-dir")
        .arg(dir.join("reports"))
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let line = format!(
        "chatspec check: provisioning.commands.create_user: the program \"./chatspec/create-usr.sh\" does not exist; commands run in the profile's folder, {}",
        std::fs::canonicalize(&dir).unwrap().display()
    );
    assert!(stderr.lines().any(|l| l == line), "{stderr}");
    assert!(!dir.join("reports").exists(), "no reports for a run that did not start");
    let _ = std::fs::remove_dir_all(dir);
}
