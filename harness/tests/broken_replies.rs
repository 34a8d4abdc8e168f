//! Plain request/response breakage, with wiremock in front of the Unichat mock: the double
//! answers every method through the mock's own seed 000 contract, then breaks one reply (a
//! field missing or mistyped, a wrong status, envelope or error code, a hang, garbage). Event
//! streams and the admin API stay on the real mock. Also: unreachable and hanging targets end
//! the run or their scenarios within the scaled timeout, never a hang (a hanging API fails
//! them; a hanging admin API makes them impossible).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chatspec::outcome::Outcome;
use chatspec_mocks::unichat::{Unichat, transport};
use common::{assert_caught, failing, run, start_unichat, target};
use serde_json::{Value, json};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// How a double breaks one reply: it may change the status and body, and delay the reply.
type Breaker = dyn Fn(&str, &mut u16, &mut Value) -> Option<Duration> + Send + Sync;

struct Delegate {
    state: Arc<Unichat>,
    breaker: Arc<Breaker>,
    /// The real mock's `host:port`: links in replies (attachment URLs) are built on the Host
    /// a request names, and the double serves no files.
    host: reqwest::header::HeaderValue,
}

impl Respond for Delegate {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let name = req.url.path().trim_start_matches("/api/").to_owned();
        let mut headers = req.headers.clone();
        headers.insert(reqwest::header::HOST, self.host.clone());
        let (status, mut body) = transport::respond(&self.state, &name, &headers, &req.body);
        let mut status = status.as_u16();
        let delay = (self.breaker)(&name, &mut status, &mut body);
        let mut reply = if body.is_string() {
            ResponseTemplate::new(status).set_body_string(body.as_str().unwrap_or_default().to_owned())
        } else {
            ResponseTemplate::new(status).set_body_json(body)
        };
        if let Some(d) = delay {
            reply = reply.set_delay(d);
        }
        reply
    }
}

/// Runs `areas` against a double of the mock that breaks replies with `breaker`; `strict`
/// fails scenarios on readings too.
async fn run_broken(
    areas: &[&str],
    factor: f64,
    strict: bool,
    breaker: impl Fn(&str, &mut u16, &mut Value) -> Option<Duration> + Send + Sync + 'static,
) -> chatspec::outcome::RunRecord {
    let mock = start_unichat(&[]).await;
    let double = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path_regex("^/api/[a-z_]+$"))
        .respond_with(Delegate {
            state: mock.state.clone(),
            breaker: Arc::new(breaker),
            host: mock.base_url.trim_start_matches("http://").trim_end_matches('/').parse().expect("a host"),
        })
        .mount(&double)
        .await;
    let mut t = target(&double.uri(), "wiremock double");
    t.sse_base_url = Some(mock.base_url.clone());
    t.admin_url = Some(mock.base_url.clone());
    t.timeout_factor = factor;
    common::run_api_strict("unichat", t, areas, strict).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_field_is_caught() {
    let record = run_broken(&["messages"], 0.3, false, |m, status, body| {
        if m == "get_message"
            && *status == 200
            && let Some(msg) = body.get_mut("message").and_then(Value::as_object_mut)
        {
            msg.remove("created_at");
        }
        None
    })
    .await;
    assert_caught(&record, &["unichat/messages/a-message-can-be-fetched-by-id"], &["created_at"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mistyped_field_is_caught() {
    let record = run_broken(&["deleting"], 0.3, false, |m, status, body| {
        if m == "delete_message"
            && *status == 200
            && let Some(serial) = body.pointer_mut("/message/serial")
        {
            *serial = json!(serial.to_string());
        }
        None
    })
    .await;
    assert_caught(
        &record,
        &[
            "unichat/deleting/a-deleted-message-is-loaded-in-the-short-form",
            "unichat/deleting/deleting-returns-the-short-form-and-notifies-the-group",
            "unichat/deleting/deleting-twice-is-no-error-and-changes-nothing",
            "unichat/deleting/the-author-can-delete-at-any-time-even-after-the-edit-window",
        ],
        &["/message/serial"],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_status_is_caught() {
    let record = run_broken(&["endpoint"], 0.3, false, |_, status, body| {
        if body.get("error_code").and_then(Value::as_str) == Some("unknown_method") {
            *status = 500;
        }
        None
    })
    .await;
    // The Content-Type scenario reads an unknown method's error reply too (seed 000: "On error,
    // the 400 result code will be returned"), so it fails with it.
    assert_caught(
        &record,
        &[
            "unichat/endpoint/an-unknown-method-gets-the-error-envelope",
            "unichat/endpoint/replies-are-labelled-application-json-on-success-and-on-error",
        ],
        &["HTTP 400"],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_error_envelope_is_caught() {
    let record = run_broken(&["uid"], 0.3, false, |_, _, body| {
        if body.get("error_code").and_then(Value::as_str) == Some("invalid_uid")
            && let Some(obj) = body.as_object_mut()
        {
            obj.remove("error_text");
        }
        None
    })
    .await;
    assert_caught(&record, &["unichat/uid/a-uid-longer-than-64-characters-is-refused"], &["error_text"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_error_code_is_graded_and_caught_under_strict() {
    // Seed 000 lists no error codes: the mock's are the register's reading U5.
    let breaker = |_: &str, _: &mut u16, body: &mut Value| {
        if body.get("error_code").and_then(Value::as_str) == Some("invalid_domain_token") {
            body["error_code"] = json!("forbidden");
        }
        None
    };
    let expected = [
        "unichat/endpoint/a-call-with-an-unknown-domain-token-fails",
        "unichat/endpoint/a-call-without-the-domain-token-fails",
    ];
    let graded = run_broken(&["endpoint"], 0.3, false, breaker).await;
    common::assert_graded(&graded, &expected, "U5");
    let strict = run_broken(&["endpoint"], 0.3, true, breaker).await;
    assert_caught(&strict, &expected, &["error_code"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_garbled_reply_is_caught() {
    let record = run_broken(&["endpoint"], 0.3, false, |m, status, body| {
        if m == "get_subscriptions" && *status == 200 {
            *body = json!("<html>upstream error</html>");
        }
        None
    })
    .await;
    // The garbage is labelled text/plain, which the Content-Type scenario catches as itself.
    assert_caught(
        &record,
        &[
            "unichat/endpoint/a-successful-call-returns-status-ok-and-the-method-s-data",
            "unichat/endpoint/replies-are-labelled-application-json-on-success-and-on-error",
        ],
        &["JSON"],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbled_posts_in_set_up_block_every_scenario_that_posts_first() {
    let record = run_broken(&["serial"], 0.3, false, |m, status, body| {
        if m == "post_message" && *status == 200 {
            *body = json!("<html>upstream error</html>");
        }
        None
    })
    .await;
    let loading = "unichat/serial/loading-without-limit-and-offset-gives-the-latest-100-messages";
    let s = record.scenarios.iter().find(|s| s.id == loading).expect("the scenario ran");
    assert_eq!(s.outcome, Outcome::Blocked, "{:?}", common::not_passed(&record));
    assert_eq!(s.blocked_by.as_deref(), Some("U-post-returns-message"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_reply_fails_within_the_scaled_timeout() {
    let started = Instant::now();
    let record = run_broken(&["messages"], 0.2, false, |m, _, _| {
        (m == "get_message").then_some(Duration::from_secs(60))
    })
    .await;
    assert_caught(&record, &["unichat/messages/a-message-can-be-fetched-by-id"], &["no reply"]);
    // The HTTP timeout is 10 s scaled by 0.2: the run must not wait for the 60 s reply.
    assert!(started.elapsed() < Duration::from_secs(30), "took {:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_target_ends_the_run_before_any_scenario() {
    // A port that was free a moment ago and has no listener now.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let started = Instant::now();
    let mut opts = chatspec::check::CheckOptions::new("unichat");
    opts.target = Some(target(&format!("http://127.0.0.1:{port}"), "nobody home"));
    let e = chatspec::check::run(opts).await.unwrap_err();
    assert_eq!(e.to_string(), format!("cannot reach http://127.0.0.1:{port} (base_url): connection refused"));
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_that_never_answers_fails_within_the_scaled_timeout() {
    let silent = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(120)))
        .mount(&silent)
        .await;
    // The API never answers; its users are provisioned by the real mock's admin API.
    let mock = start_unichat(&[]).await;
    let mut t = target(&silent.uri(), "silent");
    t.admin_url = Some(mock.base_url.clone());
    t.timeout_factor = 0.1;
    let started = Instant::now();
    let record = run(t.clone(), &["rooms"]).await;
    assert!(record.scenarios.iter().all(|s| s.outcome == Outcome::Fail), "{:?}", failing(&record));
    assert!(started.elapsed() < Duration::from_secs(30), "took {:?}", started.elapsed());

    // Its admin API never answers either: no scenario can be set up, which is a provisioning
    // error, not a failure of the API.
    t.admin_url = Some(silent.uri());
    let started = Instant::now();
    let record = run(t, &["rooms"]).await;
    assert!(!record.scenarios.is_empty());
    for s in &record.scenarios {
        let why = s.impossible.as_deref().unwrap_or_default();
        assert_eq!(s.outcome, Outcome::Impossible, "{}: {:?}", s.id, common::not_passed(&record));
        assert!(
            why.starts_with("provisioning error") && why.contains("no reply: ") && why.contains("timed out"),
            "{why}"
        );
        assert!(s.provisioning_error, "{why}");
    }
    // A set-up that breaks fails the run: it never passes what ran.
    assert!(record.failed());
    assert!(started.elapsed() < Duration::from_secs(30), "took {:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_on_the_real_mock_behind_the_double_still_arrive() {
    // The double itself breaks nothing: every scenario of these areas passes through it.
    let record = run_broken(&["messages", "uid"], 1.0, false, |_, _, _| None).await;
    assert!(failing(&record).is_empty(), "{:?}", failing(&record));
    let _ = start_unichat; // the helper is shared with the other self-tests
}
