//! The OneChat suite must catch broken servers: each server here breaks one rule, and the
//! suite must fail exactly the scenarios for that rule (the other scenarios of the areas run
//! pass), with a message that says what was expected, what came back and which documentation
//! sentence it breaks.
//!
//! Stateful rules (who a broadcast or a group alert reaches, whose session authenticates) are
//! broken with the mock's breakage switch; plain request/response breakage (a wrong status
//! field, a missing description, a Success with a server error, a bad key let through, a
//! mistyped field, a hanging or garbled reply) with wiremock in front of the mock's own
//! transport. Where the break concerns a reading of the register (the HTTP status, O4), the
//! scenarios pass on a lenient reading and fail under `--strict`.

mod common;

use std::time::{Duration, Instant};

use chatspec::outcome::Outcome;
use chatspec_mocks::onechat::{Breakage, transport};
use common::{
    assert_caught, assert_graded, rest_double, run_api, run_rest_double, start_onechat, target_for,
};
use serde_json::{Value, json};

const API: &str = "onechat";

async fn caught(b: Breakage, areas: &[&str], expected: &[&str], words: &[&str]) {
    let mock = start_onechat(&[b]).await;
    let record = run_api(API, target_for(API, &mock.base_url, &format!("broken: {b:?}")), areas).await;
    assert_caught(&record, expected, words);
}

macro_rules! broken {
    ($name:ident, $b:expr, $areas:expr, $expected:expr, $words:expr) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            caught($b, &$areas, &$expected, &$words).await;
        }
    };
}

broken!(
    broadcasts_leak_beyond_the_domain,
    Breakage::BroadcastBeyondDomain,
    ["broadcast", "relay"],
    [
        "onechat/broadcast/a-broadcast-reaches-every-user-of-the-domain-and-nobody-outside-it",
        "onechat/broadcast/the-broadcast-carries-the-message-as-it-was-sent",
    ],
    ["reaches nobody outside it"]
);

broken!(
    group_alerts_miss_a_member,
    Breakage::GroupAlertSkipsLastMember,
    ["relay", "broadcast"],
    [
        "onechat/relay/a-group-alert-reaches-every-member-and-nobody-else",
        "onechat/relay/every-member-gets-a-group-alert-once",
    ],
    ["the alert reaches"]
);

broken!(
    any_session_authenticates,
    Breakage::AnySessionAuthenticates,
    ["miniapps"],
    ["onechat/miniapps/another-user-s-session-is-not-authenticated"],
    ["isAuthenticated false"]
);

broken!(
    single_alerts_go_without_a_message,
    Breakage::SingleAlertWithoutMessage,
    ["relay", "endpoint"],
    ["onechat/relay/a-1-2-1-alert-to-a-user-needs-its-message"],
    ["singleMessage fails with status Error"]
);

broken!(
    group_alerts_go_without_a_jid,
    Breakage::GroupAlertWithoutJid,
    ["relay", "endpoint"],
    ["onechat/relay/a-group-alert-needs-its-jid"],
    ["groupMessage fails with status Error"]
);

broken!(
    group_alerts_go_without_a_message,
    Breakage::GroupAlertWithoutMessage,
    ["relay", "endpoint"],
    ["onechat/relay/a-group-alert-needs-its-message"],
    ["groupMessage fails with status Error"]
);

broken!(
    group_alerts_go_without_an_apikey,
    Breakage::GroupAlertWithoutApikey,
    ["relay", "endpoint"],
    [
        "onechat/endpoint/every-call-that-relays-alerts-needs-the-apikey-header#3",
        "onechat/relay/a-group-alert-without-an-apikey-is-refused-and-reaches-nobody"
    ],
    ["groupMessage fails with status Error"]
);

broken!(
    messages_of_any_type_are_relayed,
    Breakage::MessageOfAnyType,
    ["endpoint", "relay"],
    ["onechat/endpoint/a-field-of-the-wrong-type-gets-an-error"],
    ["singleMessage fails with status Error"]
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_outside_their_domain_block_the_scenarios_of_other_rules() {
    // Every scenario's set-up makes the users of a domain: a jid outside it breaks the rule
    // the broadcasts check, and blocks every scenario of another rule.
    let (b, area) = (Breakage::UserJidOutsideDomain, "broadcast");
    let mock = start_onechat(&[b]).await;
    let target = target_for(API, &mock.base_url, &format!("broken: {b:?}"));
    let record = run_api(API, target, &[area, "relay", "miniapps"]).await;
    assert!(record.failed(), "blocked scenarios fail the run");
    common::assert_blocks_other_areas(&record, b.rule(), area);
}

#[tokio::test]
async fn every_breakage_has_a_self_test() {
    // Adding a breakage without a test would leave a rule unproven; those of the browser
    // libraries are tested in broken_onechat_libraries.rs.
    let tests = concat!(include_str!("broken_onechat.rs"), include_str!("broken_onechat_libraries.rs"));
    common::assert_every_breakage_tested(tests, Breakage::ALL);
}

// ---- plain reply breakage, with wiremock -----------------------------------------------------

/// Runs `areas` against a double of the mock that breaks replies with `breaker`.
async fn run_broken(
    areas: &[&str],
    factor: f64,
    breaker: impl Fn(&str, &str, &mut u16, &mut Value) -> Option<Duration> + Send + Sync + 'static,
) -> chatspec::outcome::RunRecord {
    let mock = start_onechat(&[]).await;
    let state = mock.state.clone();
    let double = rest_double(move |m, p, h, b| transport::respond(&state, m, p, h, b), breaker).await;
    run_rest_double(API, &double, &mock.base_url, areas, factor).await
}

/// [`run_broken`], `--strict`: readings that do not hold fail their scenarios.
async fn run_broken_strict(
    areas: &[&str],
    factor: f64,
    breaker: impl Fn(&str, &str, &mut u16, &mut Value) -> Option<Duration> + Send + Sync + 'static,
) -> chatspec::outcome::RunRecord {
    let mock = start_onechat(&[]).await;
    let state = mock.state.clone();
    let double = rest_double(move |m, p, h, b| transport::respond(&state, m, p, h, b), breaker).await;
    common::run_rest_double_strict(API, &double, &mock.base_url, areas, factor, true).await
}

/// The call a path names: `/onechat/api/massBroadcast` -> `massBroadcast`.
fn call(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_status_field_is_caught() {
    let record = run_broken(&["broadcast"], 0.3, |_, p, _, body| {
        if call(p) == "massBroadcast" && body["status"] == "Success" {
            body["status"] = json!("success");
        }
        None
    })
    .await;
    assert_caught(
        &record,
        &[
            "onechat/broadcast/a-broadcast-reaches-every-user-of-the-domain-and-nobody-outside-it",
            "onechat/broadcast/every-user-of-the-domain-gets-the-broadcast-once",
            "onechat/broadcast/the-broadcast-carries-the-message-as-it-was-sent",
        ],
        &["/status"],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_without_a_description_is_caught() {
    let record = run_broken(&["broadcast"], 0.3, |_, p, _, body| {
        if call(p) == "massBroadcast"
            && body["description"] == "Unauthorized"
            && let Some(o) = body.as_object_mut()
        {
            o.remove("description");
        }
        None
    })
    .await;
    assert_caught(
        &record,
        &[
            "onechat/broadcast/a-broadcast-with-an-unknown-apikey-is-refused-and-reaches-nobody",
            "onechat/broadcast/a-broadcast-without-an-apikey-is-refused-and-reaches-nobody",
        ],
        &["description"],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_success_with_a_server_error_status_is_graded_and_caught_under_strict() {
    // Seed 004 gives no HTTP status codes: a Success under a 500 breaks the reading O4.
    let breaker = |_: &str, p: &str, status: &mut u16, body: &mut Value| {
        if call(p) == "groupMessage" && body["status"] == "Success" {
            *status = 500;
        }
        None
    };
    let expected = [
        "onechat/relay/a-group-alert-needs-its-jid",
        "onechat/relay/a-group-alert-needs-its-message",
        "onechat/relay/a-group-alert-without-an-apikey-is-refused-and-reaches-nobody",
        "onechat/relay/a-group-alert-reaches-every-member-and-nobody-else",
        "onechat/relay/every-member-gets-a-group-alert-once",
    ];
    let graded = run_broken(&["relay"], 0.3, breaker).await;
    assert_graded(&graded, &expected, "O4");
    let strict = run_broken_strict(&["relay"], 0.3, breaker).await;
    assert_caught(&strict, &expected, &["HTTP 500"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_apikey_let_through_is_caught() {
    let record = run_broken(&["relay", "endpoint"], 0.3, |_, p, status, body| {
        if call(p) == "singleMessage" && *status == 401 {
            *status = 200;
            *body = json!({"status": "Success", "description": "-"});
        }
        None
    })
    .await;
    assert_caught(
        &record,
        &[
            "onechat/endpoint/every-call-that-relays-alerts-needs-the-apikey-header#2",
            "onechat/relay/a-1-2-1-alert-with-an-unknown-apikey-is-refused-and-reaches-nobody",
            "onechat/relay/a-1-2-1-alert-without-an-apikey-is-refused-and-reaches-nobody",
        ],
        &["status Error"],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mistyped_field_is_caught() {
    let record = run_broken(&["miniapps"], 0.3, |_, p, _, body| {
        if call(p) == "authenticateUser" && body.get("isAuthenticated").is_some() {
            body["isAuthenticated"] = json!("yes");
        }
        None
    })
    .await;
    assert_caught(
        &record,
        &[
            "onechat/miniapps/a-user-s-active-session-is-authenticated",
            "onechat/miniapps/an-ended-session-is-not-authenticated",
            "onechat/miniapps/another-user-s-session-is-not-authenticated",
            "onechat/miniapps/every-active-session-of-a-user-is-authenticated",
            "onechat/miniapps/wrong-app-credentials-authenticate-nobody",
        ],
        &["isAuthenticated"],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_field_is_caught() {
    let record = run_broken(&["miniapps"], 0.3, |_, p, _, body| {
        if call(p) == "registerMiniApp"
            && body["status"] == "Success"
            && let Some(o) = body.as_object_mut()
        {
            o.remove("apiKey");
        }
        None
    })
    .await;
    // Every scenario that registers an app stops on its reply; those whose registration is
    // refused (a wrong session, a field missing) pass. The scenarios of the rule
    // O-miniapp-register fail; the others register an app only in set-up, so they are
    // blocked by that rule rather than failed on their own sentence.
    let expected = [
        "onechat/miniapps/a-user-s-active-session-is-authenticated",
        "onechat/miniapps/an-admin-registers-a-mini-app-and-gets-its-appid-and-apikey",
        "onechat/miniapps/an-ended-session-is-not-authenticated",
        "onechat/miniapps/another-user-s-session-is-not-authenticated",
        "onechat/miniapps/authenticateuser-answers-at-the-url-the-seed-gives-it",
        "onechat/miniapps/every-active-session-of-a-user-is-authenticated",
        "onechat/miniapps/every-field-of-authenticateuser-is-mandatory#1",
        "onechat/miniapps/every-field-of-authenticateuser-is-mandatory#2",
        "onechat/miniapps/every-field-of-authenticateuser-is-mandatory#3",
        "onechat/miniapps/every-field-of-authenticateuser-is-mandatory#4",
        "onechat/miniapps/the-mini-app-s-apikey-relays-alerts",
        "onechat/miniapps/wrong-app-credentials-authenticate-nobody",
    ];
    assert!(record.failed(), "the run should fail");
    let stopped: std::collections::BTreeSet<String> = common::failing(&record);
    let want: std::collections::BTreeSet<String> = expected.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(stopped, want, "exactly these scenarios should fail or be blocked");
    let mut failed = 0;
    for s in record.scenarios.iter().filter(|s| want.contains(&s.id)) {
        let f = s.failure.as_ref().expect("a failure");
        assert!(f.message.contains("apiKey"), "{} should name apiKey:\n{}", s.id, f.message);
        match s.outcome {
            Outcome::Fail => failed += 1,
            Outcome::Blocked => {
                assert_eq!(s.blocked_by.as_deref(), Some("O-miniapp-register"), "{}", s.id);
                assert!(f.message.contains("documentation: seed 004"), "{}:\n{}", s.id, f.message);
            }
            other => panic!("{} is {other:?}", s.id),
        }
    }
    assert!(failed > 0, "the rule's own scenarios fail");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_garbled_reply_is_caught() {
    // The scenarios that get a Success from singleMessage here: the form body (it rests on
    // the reading O3 as a whole: --strict makes its every check count) and the baseline calls
    // of the wrong-type scenario and of the apikey outline's singleMessage row.
    let record = run_broken_strict(&["endpoint"], 0.3, |_, p, status, body| {
        if call(p) == "singleMessage" && *status == 200 {
            *body = json!("<html>upstream error</html>");
        }
        None
    })
    .await;
    assert_caught(
        &record,
        &[
            "onechat/endpoint/a-field-of-the-wrong-type-gets-an-error",
            "onechat/endpoint/a-form-body-is-read-like-json",
            "onechat/endpoint/every-call-that-relays-alerts-needs-the-apikey-header#2",
        ],
        // HTML is no JSON (OneChat's rule for such a body, reply::NotJson); a JSON value that
        // is no object is named apart.
        &["the body is not JSON", "not a JSON object"],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_reply_fails_within_the_scaled_timeout() {
    let started = Instant::now();
    let record = run_broken(&["relay"], 0.2, |_, p, _, _| {
        (call(p) == "groupMessage").then_some(Duration::from_secs(60))
    })
    .await;
    assert_caught(
        &record,
        &[
            "onechat/relay/a-group-alert-needs-its-jid",
            "onechat/relay/a-group-alert-needs-its-message",
            "onechat/relay/a-group-alert-without-an-apikey-is-refused-and-reaches-nobody",
            "onechat/relay/a-group-alert-reaches-every-member-and-nobody-else",
            "onechat/relay/a-group-alert-to-an-unknown-group-is-refused-and-reaches-nobody",
            "onechat/relay/a-group-alert-with-an-unknown-apikey-is-refused-and-reaches-nobody",
            "onechat/relay/a-user-s-jid-is-no-group",
            "onechat/relay/every-member-gets-a-group-alert-once",
        ],
        &["no reply"],
    );
    // The HTTP timeout is 10 s scaled by 0.2: the run must not wait for the 60 s replies.
    assert!(started.elapsed() < Duration::from_secs(30), "took {:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_double_itself_breaks_nothing() {
    let record = run_broken(&["broadcast", "relay", "miniapps", "endpoint"], 1.0, |_, _, _, _| None).await;
    assert!(common::failing(&record).is_empty(), "{:?}", common::failing(&record));
}
