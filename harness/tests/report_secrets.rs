//! No report shows a secret the run used: the tokens, API keys and passwords of each API's
//! authentication scenarios run with their real values and come out of every writer
//! redacted.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use chatspec::check::{self, CheckOptions};
use chatspec::outcome::{Outcome, RunRecord};
use serde_json::Value;

/// The values a run's requests and replies carry under the documents' secret names, found
/// apart from the redaction code: what must appear in no report.
fn secrets_used(record: &RunRecord) -> BTreeSet<String> {
    const NAMES: [&str; 17] = [
        "token",
        "access_token",
        "refresh_token",
        "sse_token",
        "auth_token",
        "api_token",
        "chat_user_token",
        "apikey",
        "apiKey",
        "password",
        "current_password",
        "new_password",
        "USER_AUTH_TOKEN",
        "APP_DOMAIN_TOKEN",
        "Authorization",
        "device_token",
        "authorization",
    ];
    fn walk(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    match v {
                        Value::String(s) if NAMES.contains(&k.as_str()) => {
                            out.insert(s.trim_start_matches("Bearer ").to_owned());
                        }
                        other => walk(other, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    for entry in record.scenarios.iter().flat_map(|s| &s.wire_log) {
        if let Some(body) = &entry.body {
            walk(body, &mut out);
        }
        // `GET /x?sse_token=...` and OneChat's `(apikey: ...)` in a request's line.
        for word in entry.summary.split_whitespace() {
            if let Some((_, query)) = word.split_once('?') {
                for (k, v) in form_urlencoded::parse(query.as_bytes()) {
                    if NAMES.contains(&k.as_ref()) {
                        out.insert(v.into_owned());
                    }
                }
            }
        }
        if let Some((_, key)) = entry.summary.split_once("(apikey: ") {
            out.insert(key.trim_end_matches(')').to_owned());
        }
    }
    // Short values (a test password such as `pw`) would match ordinary words; the suite's
    // own made-up values (`"no-such-token"` in a step) are public in its feature files.
    let suite: String = record
        .scenarios
        .iter()
        .flat_map(|s| s.steps.iter().map(|st| st.text.as_str()).chain([s.name.as_str()]))
        .collect::<Vec<_>>()
        .join("\n");
    out.retain(|s| s.len() >= 8 && !suite.contains(s.as_str()));
    out
}

async fn run(api: &str, areas: &[&str]) -> RunRecord {
    let mut opts = CheckOptions::new(api);
    opts.areas = areas.iter().map(|a| (*a).to_owned()).collect();
    check::run(opts).await.expect("the suite runs")
}

fn reports(record: &RunRecord) -> Vec<(&'static str, String)> {
    use chatspec::report::{conformance, cucumber_json, html, junit, markdown};
    vec![
        ("junit.xml", junit::render(record)),
        ("cucumber.json", cucumber_json::render(record)),
        ("conformance.json", conformance::render(record)),
        ("summary.md", markdown::render(record)),
        ("report.html", html::render_with(record, true)),
        ("console", format!("{}{}", check::console_details(record), check::console_summary(record))),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_report_contains_no_full_token_the_run_used() {
    for (api, areas) in [
        ("connectnow", &["auth", "tokens"][..]),
        ("unichat", &["accounts", "sse"][..]),
        ("sama", &["auth"][..]),
        ("onechat", &["endpoint"][..]),
    ] {
        let record = run(api, areas).await;
        let secrets = secrets_used(&record);
        assert!(!secrets.is_empty(), "the {api} scenarios {areas:?} use tokens");
        // The wire log the run keeps still holds the real values: only the writers redact.
        let raw = serde_json::to_string(&record).unwrap();
        assert!(secrets.iter().all(|s| raw.contains(s.as_str())));
        // Graded as failed, every scenario's wire log is in the HTML report, as a failure's is.
        let mut record = record;
        record.scenarios.iter_mut().for_each(|s| s.outcome = Outcome::Fail);
        let reports = reports(&record);
        for (name, text) in &reports {
            for secret in &secrets {
                assert!(!text.contains(secret.as_str()), "{api} {name} shows the secret {secret:?}");
            }
        }
        // A reader can still see that a token was sent, and tell two apart.
        let shown: Vec<String> = secrets.iter().map(|s| chatspec::report::redact::shown(s)).collect();
        assert!(
            reports.iter().any(|(_, t)| shown.iter().any(|s| t.contains(s.as_str()))),
            "{api}: no report shows a token redacted"
        );
    }
}

/// The names a server's profile may give its secrets beside the documents' own: each value
/// put in a real run's wire log under one comes out of no report, and the counts and flags
/// under such names stay as they are.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_under_any_name_with_a_secret_word_are_redacted_and_counts_and_flags_are_not() {
    let secrets = [
        ("token_hash", "hash-5f2a9c0d1e7b"),
        ("client_secret_value", "cs-value-8d1e4f"),
        ("passwordConfirmation", "confirm-pw-2b7c"),
        ("apiKey", "camel-key-6a0d3e"),
        ("api_key", "snake-key-91f4c2"),
        ("authorization", "Bearer auth-value-0c8e"),
        ("sse_token", "sse-token-4d9a1b"),
        ("chat_user_token", "chat-user-3e7f0a"),
        ("access_token", "access-tok-72b5d"),
    ];
    let mut record = run("connectnow", &["tokens"]).await;
    assert!(record.scenarios.iter().any(|s| !s.wire_log.is_empty()), "the run keeps a wire log");
    let mut body = serde_json::json!({
        "tokens_count": 3, "token_count": 2, "has_password": true, "password_set": false,
    });
    for (name, value) in secrets {
        body[name] = Value::String(value.to_owned());
    }
    for s in &mut record.scenarios {
        s.outcome = Outcome::Fail;
        if let Some(entry) = s.wire_log.first_mut() {
            entry.body = Some(body.clone());
        }
    }
    for (name, text) in reports(&record) {
        for (field, value) in secrets {
            let value = value.trim_start_matches("Bearer ");
            assert!(!text.contains(value), "{name} shows the {field} {value:?}");
        }
    }
    let redacted = chatspec::report::redact::record(&record);
    let shown = redacted.scenarios.iter().find_map(|s| s.wire_log.first()?.body.clone()).unwrap();
    for flag in ["tokens_count", "token_count", "has_password", "password_set"] {
        assert_eq!(shown[flag], body[flag], "{flag} stays: {shown}");
    }
    assert_eq!(shown["chat_user_token"], "chat…[16 chars]", "{shown}");
    assert_eq!(shown["authorization"], "Bearer aut…[15 chars]", "{shown}");
}
