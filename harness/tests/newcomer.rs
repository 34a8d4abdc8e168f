//! The newcomer's check: a server team with no chatspec admin API on its public address.
//! `serve connectnow` runs with its admin routes on a separate address and its e-mail going
//! over SMTP to chatspec's sink; the profile provisions through small shell scripts (in
//! `fixtures/command-provisioning/`) that call that admin address with curl, and reads the
//! auth codes from the sink. The areas that need e-mail pass, none impossible.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use chatspec::check::{self, CheckOptions};
use chatspec::outcome::Outcome;
use chatspec::target::Target;
use chatspec_mocks::kit::split::Listeners;
use tokio::net::TcpListener;

/// A free port for the SMTP sink the profile names.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// connectnow served with its admin routes on an address of their own, sending its e-mail
/// over SMTP to `smtp` when given: the mock and its admin URL.
async fn start_split(smtp: Option<std::net::SocketAddr>) -> (chatspec::embedded::Embedded, String) {
    let public = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let admin = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let admin_url = format!("http://{}", admin.local_addr().unwrap());
    let mock = chatspec::embedded::start_with(
        "connectnow",
        Listeners { public, admin: Some(admin) },
        Duration::from_secs(15),
        smtp,
    )
    .unwrap();
    (mock, admin_url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_without_the_admin_api_is_provisioned_by_commands_and_mails_over_smtp() {
    let smtp: std::net::SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
    let (mock, admin_url) = start_split(Some(smtp)).await;
    let base = mock.base_url.clone();

    // The public address has no admin routes: a 404 in connectnow's own envelope.
    let r = chatspec::tls::http_client()
        .build()
        .unwrap()
        .post(format!("{base}/_mock/users"))
        .json(&serde_json::json!({"name": "x"}));
    let r = r.send().await.unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body.get("message").is_some(), "connectnow's envelope: {body}");

    let dir = common::profile_dir("newcomer");
    let profile = format!(
        r#"name = "newcomer"
api = "connectnow"
base_url = "{base}"
timeout_factor = 0.5

[connectnow]
request_code_path = "/chats/{{chat-id}}/users/request-code"
auth_code_ttl_seconds = 600

[provisioning]
mode = "command"
timeout_seconds = 20

[provisioning.commands]
create_user = "./create-user.sh {admin_url}"
advance_clock = "./advance-clock.sh {admin_url} {{seconds}}"
get_rate_limit = "./rate-limit.sh {admin_url}"
set_rate_limit = "./rate-limit.sh {admin_url} set"

[smtp]
listen = "{smtp}"
"#
    );
    let path = dir.join("my-server.toml");
    std::fs::write(&path, profile).unwrap();
    let target = Target::load(&path).unwrap();
    assert!(target.clock_control, "advance_clock gives clock control");

    let mut opts = CheckOptions::new("connectnow");
    opts.target = Some(target);
    opts.areas = vec!["tokens".into(), "errors".into()];
    let record = check::run(opts).await.expect("the suite runs");
    assert!(!record.failed(), "{:#?}", common::not_passed(&record));
    let impossible: Vec<&str> =
        record.scenarios.iter().filter(|s| s.outcome == Outcome::Impossible).map(|s| s.id.as_str()).collect();
    assert!(impossible.is_empty(), "nothing is impossible for lack of provisioning: {impossible:?}");
    let passed =
        record.scenarios.iter().filter(|s| matches!(s.outcome, Outcome::Pass | Outcome::PassLenient)).count();
    assert!(passed >= 20, "{passed} passed: {:#?}", common::not_passed(&record));
    // The codes came over SMTP: the profile maps no outbox command, and the sink is the only
    // place that holds them.
    assert!(record.scenarios.iter().any(|s| s.id.ends_with("/adding-a-chat-user-e-mails-them-an-auth-code")));
    // The served mock's clock stays moved: the run says how far, and what it left out.
    assert!(record.info.clock_advanced_seconds > 0, "{:?}", record.info);
    let summary = check::console_summary(&record);
    assert!(summary.contains(&format!("forward by {} s", record.info.clock_advanced_seconds)), "{summary}");
    assert!(summary.contains(" by --area tokens, errors; not run: "), "{summary}");
    mock.shutdown().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operations_the_profile_does_not_map_make_their_scenarios_impossible() {
    let (mock, admin_url) = start_split(None).await;
    let dir = common::profile_dir("unmapped");
    let profile = format!(
        "name = \"x\"\napi = \"connectnow\"\nbase_url = \"{}\"\ntimeout_factor = 0.5\n[connectnow]\nrequest_code_path = \"/chats/{{chat-id}}/users/request-code\"\n[provisioning]\nmode = \"command\"\n[provisioning.commands]\ncreate_user = \"./create-user.sh {admin_url}\"\n",
        mock.base_url
    );
    let path = dir.join("my-server.toml");
    std::fs::write(&path, profile).unwrap();
    let mut opts = CheckOptions::new("connectnow");
    opts.target = Some(Target::load(&path).unwrap());
    opts.scenarios = vec!["connectnow/tokens/adding-a-chat-user-e-mails-them-an-auth-code".into()];
    let record = check::run(opts).await.expect("the suite runs");
    let s = &record.scenarios[0];
    assert_eq!(s.outcome, Outcome::Impossible, "{:#?}", common::not_passed(&record));
    let why = s.impossible.clone().unwrap_or_default();
    assert!(why.contains("provisioning.commands.outbox") && why.contains("[smtp] listen"), "{why}");
    assert!(!why.contains("mock admin API"), "{why}");
    mock.shutdown().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_provision_the_same_way() {
    let smtp: std::net::SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
    let (mock, admin_url) = start_split(Some(smtp)).await;
    // The team's webhooks here are the mock's own admin routes, which take the same JSON.
    let profile = format!(
        "name = \"x\"\napi = \"connectnow\"\nbase_url = \"{}\"\ntimeout_factor = 0.5\n[connectnow]\nrequest_code_path = \"/chats/{{chat-id}}/users/request-code\"\nauth_code_ttl_seconds = 600\n\
         [provisioning]\nmode = \"http\"\n[provisioning.webhooks]\ncreate_user = \"{admin_url}/_mock/users\"\nadvance_clock = \"{admin_url}/_mock/clock/advance\"\n[smtp]\nlisten = \"{smtp}\"\n",
        mock.base_url
    );
    let mut opts = CheckOptions::new("connectnow");
    opts.target = Some(Target::parse(&profile).unwrap());
    opts.areas = vec!["tokens".into()];
    let record = check::run(opts).await.expect("the suite runs");
    assert!(!record.failed(), "{:#?}", common::not_passed(&record));
    assert!(record.scenarios.iter().all(|s| matches!(s.outcome, Outcome::Pass | Outcome::PassLenient)));
    assert!(record.scenarios.len() >= 10, "{}", record.scenarios.len());
    mock.shutdown().await;
}

/// The request a documented operation receives must be one the code sends (its fields are the
/// operation's placeholders, and hold to the request schema where the route has one), and the
/// reply must hold to the reply schema the code checks it against.
#[test]
fn the_documented_operations_hold_to_the_code_and_the_schemas() {
    use chatspec::target::operations::Operation;
    let page = include_str!("../../docs/real-servers.md");
    let mut lines = page.lines();
    let mut seen = Vec::new();
    while let Some(line) = lines.next() {
        let Some((name, api)) = line.strip_suffix(')').and_then(|l| l.split_once(" (")) else { continue };
        let Some(op) = Operation::from_name(name) else { continue };
        assert!(op.apis().contains(&api), "{name} is no operation of {api}");
        let json = |prefix: &str, line: Option<&str>| -> serde_json::Value {
            let text = line
                .and_then(|l| l.strip_prefix(prefix))
                .unwrap_or_else(|| panic!("{name} ({api}): no {prefix:?}"));
            serde_json::from_str(text).unwrap_or_else(|e| panic!("{name} ({api}) {prefix}: {e}"))
        };
        let stdin = json("  stdin: ", lines.next());
        let reply = json("  reply: ", lines.next());
        let fields = stdin.as_object().expect("stdin is an object");
        for key in fields.keys() {
            assert!(
                op.placeholders(api).contains(&key.as_str()),
                "{name}: {key} is not a field of its request"
            );
        }
        let request_schema = match op {
            Operation::CreateUser => Some("request.users"),
            Operation::AdvanceClock => Some("request.clock_advance"),
            Operation::SetRateLimit => Some("connectnow.request.rate_limit"),
            Operation::CreateGroup => Some("onechat.request.groups"),
            Operation::OpenSession => Some("onechat.request.sessions"),
            Operation::SetPassword => Some("onechat.request.passwords"),
            Operation::EndSession => {
                assert!(fields.get("session").is_some_and(serde_json::Value::is_string), "{stdin}");
                None
            }
            Operation::Health | Operation::Outbox | Operation::GetRateLimit => {
                assert!(fields.is_empty(), "{name} has no request body: {stdin}");
                None
            }
        };
        if let Some(schema) = request_schema {
            let checked =
                chatspec_specs::Registry::global().validate(chatspec_specs::admin::API, schema, &stdin);
            assert!(checked.is_ok(), "{name} ({api}) stdin: {checked:?}");
        }
        chatspec::drivers::operations::check_reply(op, api, &reply).unwrap_or_else(|e| panic!("{e}"));
        seen.push((op, api.to_owned()));
    }
    for op in Operation::ALL {
        assert!(seen.iter().any(|(o, _)| *o == op), "{} is not documented", op.name());
    }
    for op in [Operation::CreateUser, Operation::Outbox] {
        for api in op.apis() {
            assert!(seen.contains(&(op, (*api).to_owned())), "{} ({api}) is not documented", op.name());
        }
    }
}

/// The operations table names, per operation, exactly the APIs whose profiles can use it.
#[test]
fn the_documented_operations_are_those_each_api_can_use() {
    use chatspec::target::operations::Operation;
    let page = include_str!("../../docs/real-servers.md");
    let apis =
        [("Unichat", "unichat"), ("connectnow", "connectnow"), ("SAMA", "sama"), ("OneChat", "onechat")];
    let mut rows = 0;
    for line in page.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let Some(op) = Operation::from_name(cells[1].trim_matches('`')).filter(|_| cells.len() == 7) else {
            continue;
        };
        let last = cells[5];
        let named: Vec<&str> = if last.starts_with("all") {
            vec!["unichat", "connectnow", "sama", "onechat"]
        } else {
            apis.iter().filter(|(word, _)| last.contains(word)).map(|(_, id)| *id).collect()
        };
        assert_eq!(named, op.apis(), "{line}");
        rows += 1;
    }
    // get_rate_limit and set_rate_limit share a row, which names connectnow alone.
    assert_eq!(rows, Operation::ALL.len() - 2);
    assert!(page.contains("| `get_rate_limit`, `set_rate_limit` | `GET`, `POST /_mock/rate-limit` | `{per_minute}` (set) | `connectnow.response.rate_limit` | connectnow |"));
}

/// The scripts docs/real-servers.md shows in full are the ones the tests run, word for word.
#[test]
fn the_scripts_the_docs_show_are_the_tested_ones() {
    let page = include_str!("../../docs/real-servers.md");
    let fixtures =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/command-provisioning");
    let mut shown = Vec::new();
    for block in page.split("```sh\n").skip(1) {
        let Some((script, _)) = block.split_once("```") else { continue };
        if !script.starts_with("#!/bin/sh") {
            continue;
        }
        let name = ["create-user.sh", "admin.sh"]
            .into_iter()
            .find(|n| script.contains(&format!("`./{n} ")))
            .unwrap_or_else(|| panic!("a script the docs show is no fixture:\n{script}"));
        let file = std::fs::read_to_string(fixtures.join(name)).unwrap();
        assert_eq!(script, file, "docs/real-servers.md shows {name} otherwise than the file the tests run");
        shown.push(name);
    }
    shown.sort_unstable();
    assert_eq!(shown, ["admin.sh", "create-user.sh"]);
}
