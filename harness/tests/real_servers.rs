//! What a real server needs from chatspec, proven with stand-ins in front of the mocks:
//!
//! - a server that refuses in another way than the mock, where the document does not fix the
//!   way (Unichat's error codes, connectnow's error bodies and statuses, OneChat's HTTP
//!   statuses), passes the document-true scenarios on a lenient reading, each naming its
//!   register entry; under `--strict` exactly those fail;
//! - a profile's extra fields, templates and header renames reach the server.
//!
//! The pre-flight check of an unreachable server is in `cli.rs` (its exit code and line).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, HeaderName};
use chatspec::outcome::{Outcome, RunRecord};
use chatspec_mocks::unichat::{Unichat, transport};
use common::{
    rest_double, run_api_strict, run_rest_double_strict, start_connectnow, start_onechat, target_for,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The graded run passed with at least `at_least` scenarios on a lenient reading, each naming
/// only register entries among `entries`, and no other outcome than a pass; the strict run
/// failed exactly those scenarios, each naming the reading.
fn assert_lenient_then_strict(graded: &RunRecord, strict: &RunRecord, entries: &[&str], at_least: usize) {
    assert!(!graded.failed(), "{:?}", common::not_passed(graded));
    let lenient: BTreeSet<&str> = graded
        .scenarios
        .iter()
        .filter(|s| s.outcome == Outcome::PassLenient)
        .map(|s| s.id.as_str())
        .collect();
    assert!(lenient.len() >= at_least, "only {} lenient: {lenient:?}", lenient.len());
    for s in &graded.scenarios {
        assert!(matches!(s.outcome, Outcome::Pass | Outcome::PassLenient), "{}: {:?}", s.id, s.outcome);
        for n in &s.notes {
            assert!(entries.contains(&n.entry.as_str()), "{} names {}: {n}", s.id, n.entry);
        }
    }
    let failed: BTreeSet<&str> =
        strict.scenarios.iter().filter(|s| s.outcome == Outcome::Fail).map(|s| s.id.as_str()).collect();
    assert_eq!(failed, lenient, "--strict fails exactly the lenient passes");
    for s in strict.scenarios.iter().filter(|s| s.outcome == Outcome::Fail) {
        let message = &s.failure.as_ref().unwrap().message;
        assert!(message.contains("reading: ") && message.contains("--strict"), "{}: {message}", s.id);
    }
}

// ---- Unichat: other error codes ---------------------------------------------------------------

/// Answers through the Unichat mock, every `error_code` spelled the server's way.
struct OtherCodes {
    state: Arc<Unichat>,
}

impl Respond for OtherCodes {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let name = req.url.path().trim_start_matches("/api/").to_owned();
        let (status, mut body) = transport::respond(&self.state, &name, &req.headers, &req.body);
        // The two codes that are public facts stay as they are: they are the document.
        if let Some(code) = body.get("error_code").and_then(Value::as_str)
            && !matches!(code, "invalid_email" | "registration_error")
        {
            body["error_code"] = json!(format!("E_{}", code.to_uppercase()));
        }
        ResponseTemplate::new(status.as_u16()).set_body_json(body)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unichat_errors_with_other_codes_pass_on_a_lenient_reading() {
    let mock = common::start_unichat(&[]).await;
    let double = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path_regex("^/api/[a-z_]+$"))
        .respond_with(OtherCodes { state: mock.state.clone() })
        .mount(&double)
        .await;
    let mut t = common::target(&double.uri(), "other error codes");
    t.sse_base_url = Some(mock.base_url.clone());
    t.admin_url = Some(mock.base_url.clone());
    let areas = ["endpoint", "invites", "uid"];
    let graded = run_api_strict("unichat", t.clone(), &areas, false).await;
    let strict = run_api_strict("unichat", t, &areas, true).await;
    // Every refusal still checks the document: HTTP 400 and {status: "error", ...}.
    assert_lenient_then_strict(&graded, &strict, &["U5"], 20);
}

// ---- connectnow: error bodies as text, other statuses -----------------------------------------

/// The server's way of refusing: a text body, and 400 wherever the public facts do not fix
/// the status (they fix 405, 422 and 429).
fn text_errors(_: &str, _: &str, status: &mut u16, body: &mut Value) -> Option<std::time::Duration> {
    if (400..500).contains(status) {
        let message = body.get("message").and_then(Value::as_str).unwrap_or("refused").to_owned();
        *body = json!(format!("refused: {message}"));
        if !matches!(*status, 405 | 422 | 429) {
            *status = 400;
        }
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connectnow_refusals_in_another_shape_pass_on_a_lenient_reading() {
    let mock = start_connectnow(&[]).await;
    let state = mock.state.clone();
    let double = rest_double(
        move |m, p, h, b| chatspec_mocks::connectnow::transport::respond(&state, m, p, h, b),
        text_errors,
    )
    .await;
    let areas = ["auth", "companies", "chat_users", "scoping", "errors"];
    let graded = run_rest_double_strict("connectnow", &double, &mock.base_url, &areas, 1.0, false).await;
    let strict = run_rest_double_strict("connectnow", &double, &mock.base_url, &areas, 1.0, true).await;
    assert_lenient_then_strict(&graded, &strict, &["C4", "C5"], 30);
    // A text refusal's note says what broke and quotes the reading, not a public fact the
    // documents do not state.
    let notes: Vec<_> = graded.scenarios.iter().flat_map(|s| &s.notes).filter(|n| n.entry == "C4").collect();
    for n in &notes {
        assert!(!n.expected.contains("public fact:") && !n.actual.contains("public fact:"), "{n:?}");
    }
    let c4 = notes.iter().find(|n| n.check.starts_with("the reply to ")).expect("a C4 note on a reply");
    let line = c4.to_string();
    assert!(line.starts_with("reading C4 did not hold: the reply to "), "{line}");
    assert!(line.contains(": the body is not JSON (HTTP 4"), "{line}");
    assert!(c4.expected.contains("a refusal of a request that carries"), "{}", c4.expected);
}

// ---- OneChat: Error replies under any status ---------------------------------------------------

/// The server's way of refusing: `{status: "Error", ...}` under HTTP 200.
fn errors_under_200(_: &str, _: &str, status: &mut u16, body: &mut Value) -> Option<std::time::Duration> {
    if body.get("status").and_then(Value::as_str) == Some("Error") {
        *status = 200;
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn onechat_errors_under_other_statuses_pass_on_a_lenient_reading() {
    let mock = start_onechat(&[]).await;
    let state = mock.state.clone();
    let double = rest_double(
        move |m, p, h, b| chatspec_mocks::onechat::transport::respond(&state, m, p, h, b),
        errors_under_200,
    )
    .await;
    let areas = ["endpoint", "broadcast", "relay", "miniapps"];
    let graded = run_rest_double_strict("onechat", &double, &mock.base_url, &areas, 1.0, false).await;
    let strict = run_rest_double_strict("onechat", &double, &mock.base_url, &areas, 1.0, true).await;
    assert_lenient_then_strict(&graded, &strict, &["O4"], 10);
}

// ---- profiles: extra fields, templates, header renames -----------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_sends_its_extra_fields_and_header_names() {
    let mock = start_onechat(&[]).await;
    let state = mock.state.clone();
    let seen: Arc<Mutex<Vec<(String, HeaderMap, Value)>>> = Arc::default();
    let log = seen.clone();
    let double = rest_double(
        move |m, p, h, b| {
            let mut body: Value = serde_json::from_slice(b).unwrap_or(Value::Null);
            log.lock().unwrap().push((p.to_owned(), h.clone(), body.clone()));
            // The mock is the document's server: it gets the document's names back.
            let mut headers = h.clone();
            if let Some(key) = headers.remove("x-api-key") {
                headers.insert(HeaderName::from_static("apikey"), key);
            }
            if let Some(o) = body.as_object_mut() {
                o.remove("trace");
                o.remove("tier");
            }
            let bytes = if body.is_null() { b.to_vec() } else { serde_json::to_vec(&body).unwrap() };
            chatspec_mocks::onechat::transport::respond(&state, m, p, &headers, &bytes)
        },
        |_, _, _, _| None,
    )
    .await;
    let mut t = target_for("onechat", &double.uri(), "shaped");
    t.admin_url = Some(double.uri());
    let fields = |v: Value| v.as_object().cloned().unwrap();
    t.shaping.extra_fields.insert("*".into(), fields(json!({"trace": "chatspec-{run}-{n}"})));
    t.shaping.extra_fields.insert("provision".into(), fields(json!({"tier": "gold-{login}"})));
    t.shaping.header_names.insert("apikey".into(), "X-Api-Key".into());
    let record = run_api_strict("onechat", t, &["relay"], true).await;
    assert!(!record.failed(), "{:?}", common::not_passed(&record));

    let seen = seen.lock().unwrap();
    let calls: Vec<&(String, HeaderMap, Value)> =
        seen.iter().filter(|(p, _, _)| p.starts_with("/onechat/api/")).collect();
    assert!(calls.len() >= 10, "{} calls", calls.len());
    let mut traces = BTreeSet::new();
    for (path, headers, body) in &calls {
        assert!(headers.get("apikey").is_none(), "{path}: the document's header name was sent");
        let trace = body["trace"].as_str().unwrap_or_else(|| panic!("{path}: no trace in {body}"));
        assert!(trace.starts_with("chatspec-") && !trace.contains('{'), "{path}: {trace}");
        traces.insert(trace.to_owned());
    }
    assert_eq!(traces.len(), calls.len(), "{{n}} is fresh for every request");
    assert!(calls.iter().any(|(_, h, _)| h.get("x-api-key").is_some()), "the renamed header is sent");
    let provisions: Vec<&Value> =
        seen.iter().filter(|(p, _, _)| p == "/_mock/users").map(|(_, _, b)| b).collect();
    assert!(!provisions.is_empty());
    for body in provisions {
        let name = body["name"].as_str().unwrap();
        assert_eq!(body["tier"], json!(format!("gold-{name}")), "{{login}} is the provisioned login");
    }
}
