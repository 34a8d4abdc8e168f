//! The connectnow suite must catch broken servers: each server here breaks one rule, and the
//! suite must fail exactly the scenarios for that rule (the other scenarios of the areas run
//! pass), with a message that says what was expected, what came back and which documentation
//! sentence it breaks.
//!
//! Stateful rules (single-use and expiring auth codes, the cascade on delete, chat-user token
//! scoping) are broken with the mock's breakage switch; plain request/response breakage (a
//! missing or mistyped field, a wrong status, envelope or error code, a hanging or garbled
//! reply, a leaked record) with wiremock in front of the mock's own transport.

mod common;

use std::time::{Duration, Instant};

use chatspec::outcome::Outcome;
use chatspec::report::rules::RuleVerdict;
use chatspec_mocks::connectnow::{Breakage, transport};
use common::{
    assert_caught, assert_graded, rest_double, run_api, run_rest_double, run_rest_double_strict,
    start_connectnow, target_for,
};
use serde_json::{Value, json};

const API: &str = "connectnow";

async fn caught(b: Breakage, areas: &[&str], expected: &[&str], words: &[&str]) {
    let mock = start_connectnow(&[b]).await;
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
    reusable_auth_codes,
    Breakage::ReusableCodes,
    ["tokens"],
    ["connectnow/tokens/an-auth-code-works-once"],
    ["gives no chat-user token"]
);

broken!(
    immortal_auth_codes,
    Breakage::CodesNeverExpire,
    ["tokens"],
    ["connectnow/tokens/an-auth-code-expires"],
    ["gives no chat-user token"]
);

broken!(
    deleting_a_chat_keeps_its_users,
    Breakage::NoCascadeOnChatDelete,
    ["chats", "companies", "chat_users"],
    ["connectnow/chats/deleting-a-chat-takes-its-users-and-messages-with-it"],
    ["no longer authenticates"]
);

broken!(
    chat_user_tokens_cross_chats,
    Breakage::ChatUserTokenInAnyChat,
    ["scoping", "chats", "chat_messages"],
    // Changing another chat user or another's message stays refused (403) by the rule that
    // a chat user changes only itself and its own messages: those rows pass.
    [
        "connectnow/scoping/a-chat-user-token-cannot-reach-another-chat#1",
        "connectnow/scoping/a-chat-user-token-cannot-reach-another-chat#2",
        "connectnow/scoping/a-chat-user-token-cannot-reach-another-chat#3",
        "connectnow/scoping/a-chat-user-token-cannot-reach-another-chat#6",
        "connectnow/scoping/a-chat-user-token-cannot-reach-another-chat#7",
        "connectnow/scoping/a-chat-user-token-cannot-reach-another-chat#8",
    ],
    ["is refused with 403 or 404"]
);

/// The scenarios of the rule `C-fact-created-201`: a create answers 201.
const CREATE_201: [&str; 6] = [
    "connectnow/companies/creating-a-company-answers-201-with-the-company",
    "connectnow/chats/creating-a-chat-answers-201-with-the-chat-in-its-company",
    "connectnow/chat_users/adding-a-chat-user-answers-201-with-the-chat-user",
    "connectnow/chat_messages/posting-a-message-answers-201-with-the-message-by-its-author",
    "connectnow/tokens/adding-a-chat-user-e-mails-them-an-auth-code",
    "connectnow/tokens/the-chat-user-token-lets-its-chat-user-post",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_that_answers_200_breaks_one_rule_not_every_scenario() {
    let (broken, rule) = (Breakage::CreateAnswers200, "C-fact-created-201");
    assert_eq!(broken.rule(), rule);
    let mock = start_connectnow(&[broken]).await;
    let target = || target_for(API, &mock.base_url, "broken: CreateAnswers200");
    // Which 2xx a create carries is the register's reading C5: only the rule's own scenarios
    // are graded by it; every set-up step accepts the 200 the document allows.
    let graded = run_api(API, target(), &[]).await;
    assert_graded(&graded, &CREATE_201, "C5");

    // Under --strict the reading is enforced: the rule's own scenarios fail, and every other
    // scenario whose set-up creates a record is blocked by the rule, not failed.
    let strict = common::run_api_strict(API, target(), &[], true).await;
    assert!(strict.failed(), "blocked scenarios fail the run");
    let want: std::collections::BTreeSet<String> = CREATE_201.iter().map(|s| (*s).to_owned()).collect();
    let failed: std::collections::BTreeSet<String> =
        strict.scenarios.iter().filter(|s| s.outcome == Outcome::Fail).map(|s| s.id.clone()).collect();
    assert_eq!(failed, want, "only the rule's own scenarios fail");
    let blocked: Vec<&chatspec::outcome::ScenarioRecord> =
        strict.scenarios.iter().filter(|s| s.outcome == Outcome::Blocked).collect();
    assert!(blocked.len() > 100, "most scenarios create records in set-up: {}", blocked.len());
    for s in &strict.scenarios {
        assert!(
            matches!(s.outcome, Outcome::Pass | Outcome::Blocked) || want.contains(&s.id),
            "{} is {:?}",
            s.id,
            s.outcome
        );
    }
    for s in &blocked {
        assert_eq!(s.blocked_by.as_deref(), Some(rule), "{}", s.id);
        let message = &s.failure.as_ref().expect("the set-up step's failure").message;
        assert!(message.contains("the status codes are 200, 201"), "{} quotes the rule:\n{message}", s.id);
        if let Some(doc) = &s.doc {
            assert!(!message.contains(doc.trim_start_matches("seed ")), "{} quotes its own sentence", s.id);
        }
    }
    let rules = chatspec::report::rules::results(&strict);
    let created: Vec<_> = rules.iter().filter(|r| r.id == rule).collect();
    assert_eq!(created.len(), 1, "the rule is reported once");
    assert_eq!(created[0].verdict, RuleVerdict::NotMet);
    assert_eq!(created[0].blocking, blocked.len());
    assert!(rules.iter().any(|r| r.verdict == RuleVerdict::Blocked && r.blocked_by == [rule]));
    let headline = chatspec::check::headline(&strict);
    assert!(headline.contains(&format!("{} blocked by a broken rule", blocked.len())), "{headline}");
    let percent = chatspec::report::run_counts(&strict).passed_percent().unwrap_or(100.0);
    assert!(percent < 100.0, "{percent}");
}

/// The scenarios of the rule `C-auth-code-emailed`: the e-mail with the code is their subject.
const EMAILED: [&str; 2] = [
    "connectnow/tokens/adding-a-chat-user-e-mails-them-an-auth-code",
    "connectnow/tokens/the-chat-password-gets-a-newcomer-an-auth-code",
];

/// Asserts that the run blocked on `C-auth-code-emailed` every scenario that needed a code,
/// in its own area and outside it, each failure saying where the code was looked for (`place`)
/// and for how long; the rule's own scenarios failed.
/// `said` is what the failure's `actual:` line says after the place looked at: "received
/// nothing for" an outbox that holds other mail, or, for a sink that received no e-mail at
/// all, "has received no e-mail at all since the run started".
fn assert_blocked_on_the_e_mail(
    record: &chatspec::outcome::RunRecord,
    place: &str,
    said: &str,
    waited: &str,
) {
    let rule = "C-auth-code-emailed";
    assert!(record.failed(), "blocked scenarios fail the run");
    common::assert_blocks_other_areas(record, rule, "tokens");
    let failed: std::collections::BTreeSet<&str> =
        record.scenarios.iter().filter(|s| s.outcome == Outcome::Fail).map(|s| s.id.as_str()).collect();
    assert_eq!(failed, EMAILED.into_iter().collect(), "only the rule's own scenarios fail");
    let blocked: Vec<_> = record.scenarios.iter().filter(|s| s.outcome == Outcome::Blocked).collect();
    // In the area: the exchanges (given the code by e-mail); outside it: every chat user
    // that joins a chat.
    for id in [
        "connectnow/tokens/an-auth-code-is-exchanged-for-a-chat-user-token",
        "connectnow/tokens/an-auth-code-works-once",
    ] {
        assert!(blocked.iter().any(|s| s.id == id), "{id} is blocked: {:?}", common::not_passed(record));
    }
    assert!(blocked.iter().any(|s| s.area == "chat_messages"), "{:?}", common::not_passed(record));
    for s in blocked.iter().copied().chain(record.scenarios.iter().filter(|s| s.outcome == Outcome::Fail)) {
        let message = &s.failure.as_ref().expect("the step's failure").message;
        assert!(
            message.contains("The auth code sent to the persons email"),
            "{} quotes the rule:\n{message}",
            s.id
        );
        let seen = message.lines().find(|l| l.starts_with("actual: ")).unwrap_or_default();
        assert!(seen.contains(place) && seen.contains(said), "{} says where:\n{message}", s.id);
        // The outbox wait (5 s) scaled by the target's timeout factor (0.3).
        assert!(message.contains(waited), "{} says how long:\n{message}", s.id);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auth_codes_never_e_mailed_block_every_scenario_that_needs_one() {
    let (b, rule) = (Breakage::CodesNotEmailed, "C-auth-code-emailed");
    assert_eq!(b.rule(), rule);
    let mock = start_connectnow(&[b]).await;
    let target = target_for(API, &mock.base_url, &format!("broken: {b:?}"));
    let record = run_api(API, target, &["tokens", "chat_messages"]).await;
    assert_blocked_on_the_e_mail(
        &record,
        "the target's outbox (GET /_mock/outbox)",
        " received nothing for ",
        " within 1.5 s ",
    );
    // Only the broken rule is not met: a rule whose scenarios it blocked is blocked by it.
    for r in chatspec::report::rules::results(&record) {
        if r.id == rule {
            assert_eq!(r.verdict, RuleVerdict::NotMet, "{r:?}");
        } else {
            assert_ne!(r.verdict, RuleVerdict::NotMet, "{} is not met only by blocks: {r:?}", r.id);
        }
    }
    let md = chatspec::report::markdown::render(&record);
    assert!(!md.contains("**not met `"), "{md}");
    // The rule's own failures listed as known: what it blocked stays blocked and the run passes.
    let mut target = target_for(API, &mock.base_url, "known mail failure");
    target.known_failures = EMAILED
        .iter()
        .map(|id| chatspec::target::KnownFailureEntry {
            scenario: (*id).to_owned(),
            reason: "codes are not e-mailed".to_owned(),
            link: None,
        })
        .collect();
    let known = run_api(API, target, &["tokens", "chat_messages"]).await;
    assert!(!known.failed(), "{}", chatspec::console::headline(&known));
    assert!(known.count(Outcome::Blocked) > 0);
    assert_eq!(known.count(Outcome::ExpectedFailure), EMAILED.len());
    assert!(
        known.scenarios.iter().filter(|s| s.outcome == Outcome::Blocked).all(|s| s.blocked_by_known_failure)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_sent_where_the_sink_does_not_listen_blocks_every_scenario_that_needs_a_code() {
    // The server's SMTP relay is a port nobody listens on; the profile's sink listens on
    // another: the outbox the mock keeps is not read, as a real server has none.
    let mock = start_connectnow(&[]).await;
    let nowhere = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    mock.state.send_mail_to(nowhere);
    let mut target = target_for(API, &mock.base_url, "mail sent elsewhere");
    target.smtp_listen = Some("127.0.0.1:0".parse().unwrap());
    let record = run_api(API, target, &["tokens", "chat_messages"]).await;
    assert_blocked_on_the_e_mail(
        &record,
        "the SMTP sink on 127.0.0.1:",
        " has received no e-mail at all since the run started",
        "(waited 1.5 s)",
    );
}

#[tokio::test]
async fn every_breakage_has_a_self_test() {
    // Adding a breakage without a test above would leave a rule unproven.
    common::assert_every_breakage_tested(
        concat!(include_str!("broken_connectnow.rs"), include_str!("broken_rules.rs")),
        Breakage::ALL,
    );
}

// ---- plain reply breakage, with wiremock -----------------------------------------------------

/// Runs `areas` against a double of the mock that breaks replies with `breaker`.
async fn run_broken(
    areas: &[&str],
    factor: f64,
    breaker: impl Fn(&str, &str, &mut u16, &mut Value) -> Option<Duration> + Send + Sync + 'static,
) -> chatspec::outcome::RunRecord {
    let mock = start_connectnow(&[]).await;
    let state = mock.state.clone();
    let double = rest_double(move |m, p, h, b| transport::respond(&state, m, p, h, b), breaker).await;
    run_rest_double(API, &double, &mock.base_url, areas, factor).await
}

/// Runs `areas` against a double that breaks replies with `breaker` twice: as a server team
/// would (readings graded), then `--strict`.
async fn run_broken_graded(
    areas: &[&str],
    breaker: impl Fn(&str, &str, &mut u16, &mut Value) -> Option<Duration> + Send + Sync + 'static,
) -> (chatspec::outcome::RunRecord, chatspec::outcome::RunRecord) {
    let mock = start_connectnow(&[]).await;
    let state = mock.state.clone();
    let double = rest_double(move |m, p, h, b| transport::respond(&state, m, p, h, b), breaker).await;
    let graded = run_rest_double(API, &double, &mock.base_url, areas, 0.3).await;
    let strict = run_rest_double_strict(API, &double, &mock.base_url, areas, 0.3, true).await;
    (graded, strict)
}

/// Whether `path` is `/api/chats/<id>`.
fn is_chat_path(path: &str) -> bool {
    path.strip_prefix("/api/chats/")
        .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_field_is_caught() {
    let record = run_broken(&["chats"], 0.3, |m, p, status, body| {
        if m == "GET"
            && is_chat_path(p)
            && *status == 200
            && let Some(o) = body.as_object_mut()
        {
            o.remove("created_at");
        }
        None
    })
    .await;
    assert_caught(
        &record,
        &["connectnow/chats/a-chat-is-fetched-by-its-id", "connectnow/chats/a-chat-user-reads-its-own-chat"],
        &["created_at"],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mistyped_field_is_caught() {
    let record = run_broken(&["chat_messages", "pagination"], 0.3, |m, p, status, body| {
        if m == "GET" && p.ends_with("/messages") && *status == 200 {
            for record in body.get_mut("data").and_then(Value::as_array_mut).into_iter().flatten() {
                record["id"] = json!(record["id"].to_string());
            }
        }
        None
    })
    .await;
    assert_caught(
        &record,
        &[
            "connectnow/chat_messages/get-all-lists-the-chat-s-messages",
            "connectnow/pagination/every-list-is-paginated#4",
        ],
        &["/data/0/id"],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_status_is_caught() {
    let record = run_broken(&["errors"], 0.3, |_, _, status, _| {
        if *status == 405 {
            *status = 404;
        }
        None
    })
    .await;
    let expected: Vec<String> =
        (1..=6).map(|n| format!("connectnow/errors/a-method-a-route-does-not-take-is-405#{n}")).collect();
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    assert_caught(&record, &expected, &["HTTP 405"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_error_body_is_graded_and_caught_under_strict() {
    // The error body is the register's reading (C5): graded, and a failure under --strict.
    let (graded, strict) = run_broken_graded(&["companies"], |m, p, status, body| {
        if m == "POST"
            && p == "/api/companies"
            && *status == 422
            && let Some(o) = body.as_object_mut()
        {
            o.remove("errors");
        }
        None
    })
    .await;
    let expected =
        ["connectnow/companies/a-company-needs-a-name", "connectnow/companies/a-company-s-name-is-text"];
    assert_graded(&graded, &expected, "C5");
    assert_caught(&strict, &expected, &["errors"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_refusal_status_is_graded_and_caught_under_strict() {
    // Which status a refusal carries (401 or 403) is the register's reading (C5).
    let (graded, strict) = run_broken_graded(&["users", "auth"], |m, p, status, _| {
        if m == "GET" && p == "/api/user" && *status == 401 {
            *status = 403;
        }
        None
    })
    .await;
    let expected = [
        "connectnow/auth/every-route-refuses-a-request-without-a-token#1",
        "connectnow/auth/every-route-refuses-a-token-it-does-not-know#1",
        "connectnow/users/get-api-user-takes-no-chat-user-token",
        "connectnow/users/without-a-token-there-is-no-current-user",
    ];
    assert_graded(&graded, &expected, "C5");
    assert_caught(&strict, &expected, &["HTTP 401"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leaked_record_of_another_account_is_caught() {
    let record = run_broken(&["companies", "scoping"], 0.3, |m, p, status, body| {
        if m == "GET" && p == "/api/companies" && *status == 200 {
            let leaked = json!({
                "id": 999_999, "user_id": 999_999, "name": "Someone else's company",
                "created_at": "2026-01-01T00:00:00.000000Z", "updated_at": "2026-01-01T00:00:00.000000Z"
            });
            if let Some(data) = body.get_mut("data").and_then(Value::as_array_mut) {
                data.push(leaked);
            }
        }
        None
    })
    .await;
    assert_caught(
        &record,
        &[
            "connectnow/companies/get-all-lists-the-account-s-companies",
            "connectnow/scoping/another-account-s-lists-hold-none-of-acme-s-records",
        ],
        &["Someone else's company"],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_garbled_reply_is_caught() {
    let record = run_broken(&["users"], 0.3, |m, p, status, body| {
        if m == "GET" && p == "/api/user" && *status == 200 {
            *body = json!("<html>upstream error</html>");
        }
        None
    })
    .await;
    assert_caught(&record, &["connectnow/users/an-api-token-identifies-its-account"], &["not JSON"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_reply_fails_within_the_scaled_timeout() {
    let started = Instant::now();
    let record = run_broken(&["tokens"], 0.2, |m, p, _, _| {
        (m == "POST" && p.ends_with("/share")).then_some(Duration::from_secs(60))
    })
    .await;
    assert_caught(
        &record,
        &[
            "connectnow/tokens/a-wrong-chat-password-gets-no-auth-code",
            "connectnow/tokens/the-chat-password-gets-a-newcomer-an-auth-code",
            "connectnow/tokens/the-chat-s-account-gets-the-chat-password",
        ],
        &["no reply"],
    );
    // The HTTP timeout is 10 s scaled by 0.2: the run must not wait for the 60 s replies.
    assert!(started.elapsed() < Duration::from_secs(30), "took {:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_double_itself_breaks_nothing() {
    let record = run_broken(&["pagination", "tokens", "errors"], 1.0, |_, _, _, _| None).await;
    assert!(common::failing(&record).is_empty(), "{:?}", common::failing(&record));
}
