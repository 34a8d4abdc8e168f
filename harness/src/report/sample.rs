//! A realistic run record for the report writers' tests: several APIs and areas, every
//! outcome (passes of every grade among them), a failure with expected, actual and
//! documentation, and wire logs whose bodies hold markup and ampersands.

use serde_json::json;

use crate::outcome::{
    Failure, KnownFailure, Outcome, RunInfo, RunRecord, ScenarioRecord, StepRecord, StepStatus, WireEntry,
};
use crate::verdict::{Note, NoteKind};

/// A plain pass.
pub(crate) const PASS: &str = "unichat/messages/alice-posts-a-message-and-bob-is-notified";
/// A failure with expected, actual and a documentation sentence.
pub(crate) const FAIL: &str = "unichat/messages/posting-twice-with-one-uid-keeps-one-message";
/// A pass whose name holds markup, quotes and a pipe.
pub(crate) const MARKUP: &str = "unichat/messages/message-text-keeps-markup";
/// A known failure that failed.
pub(crate) const EXPECTED_FAILURE: &str = "unichat/uid/a-uid-longer-than-64-characters-is-refused";
/// A known failure that passed.
pub(crate) const UNEXPECTED_PASS: &str = "unichat/uid/reusing-a-uid-in-another-room-is-allowed";
/// Needs clock control the target lacks.
pub(crate) const IMPOSSIBLE: &str = "sama/auth/an-expired-token-is-refused";
/// A step without a definition.
pub(crate) const SKIPPED: &str = "sama/auth/sign-up-sends-an-auth-code-by-e-mail";
/// Passed on a lenient reading: the refusal came in another shape than the register's.
pub(crate) const LENIENT: &str = "connectnow/presence/an-unknown-status-is-refused";
/// Passed with a declared deviation.
pub(crate) const DEVIATION: &str = "sama/auth/a-login-by-token-opens-the-socket";
/// An outline row whose failure has no expected/actual split and a control character.
pub(crate) const OUTLINE_FAIL: &str = "connectnow/presence/status-is-broadcast#2";
/// Blocked: its set-up found [`RULE_BLOCKING`] broken.
pub(crate) const BLOCKED: &str = "connectnow/presence/a-chat-lists-its-members";

/// The rule [`FAIL`] checks: not met.
pub(crate) const RULE_FAILED: &str = "U-uid-dedup";
/// The rule [`PASS`] checks: met.
pub(crate) const RULE_MET: &str = "U-message-record";
/// The rule [`LENIENT`] checks: met on a lenient reading.
pub(crate) const RULE_LENIENT: &str = "C-fact-validation-422";
/// The rule [`BLOCKED`]'s set-up found broken: not met, though no scenario of its own ran.
pub(crate) const RULE_BLOCKING: &str = "C-fact-created-201";
/// The rule [`BLOCKED`] checks: blocked.
pub(crate) const RULE_BLOCKED: &str = "C-chats-list";

fn step(keyword: &str, text: &str, line: usize, status: StepStatus, ms: u64) -> StepRecord {
    StepRecord {
        keyword: keyword.to_owned(),
        text: text.to_owned(),
        line,
        status,
        duration_ms: ms,
        error: None,
    }
}

fn wire(
    at_ms: u64,
    kind: &str,
    actor: Option<&str>,
    summary: &str,
    body: Option<serde_json::Value>,
) -> WireEntry {
    WireEntry {
        at_ms,
        kind: kind.to_owned(),
        actor: actor.map(str::to_owned),
        summary: summary.to_owned(),
        body,
    }
}

fn scenario(id: &str, feature: &str, name: &str, line: usize, outcome: Outcome) -> ScenarioRecord {
    let mut parts = id.splitn(3, '/');
    let api = parts.next().unwrap_or_default().to_owned();
    let area = parts.next().unwrap_or_default().to_owned();
    ScenarioRecord {
        id: id.to_owned(),
        feature_file: format!("features/{api}/{area}.feature"),
        api,
        area,
        feature: feature.to_owned(),
        name: name.to_owned(),
        line,
        tags: Vec::new(),
        outcome,
        doc: None,
        steps: Vec::new(),
        duration_ms: 0,
        failure: None,
        impossible: None,
        provisioning_error: false,
        impossible_after_steps: 0,
        known_failure: None,
        blocked_by: None,
        blocked_by_known_failure: false,
        notes: Vec::new(),
        wire_log: Vec::new(),
    }
}

/// Every step passed, each taking `ms`.
fn passing(steps: &[(&str, &str)], first_line: usize, ms: u64) -> Vec<StepRecord> {
    steps.iter().enumerate().map(|(i, (k, t))| step(k, t, first_line + i, StepStatus::Passed, ms)).collect()
}

/// The sample run, in the order a concurrent run might have finished it.
pub(crate) fn record() -> RunRecord {
    let messages = "Unichat messages";
    let mut pass = scenario(PASS, messages, "Alice posts a message and Bob is notified", 8, Outcome::Pass);
    pass.tags = vec!["@smoke".to_owned(), format!("@rule:{RULE_MET}")];
    pass.steps = passing(
        &[
            ("Given ", "Alice and Bob share a room"),
            ("When ", "Alice posts \"hi\" to the room"),
            ("Then ", "Bob is notified of a message \"hi\" from Alice"),
        ],
        9,
        14,
    );
    pass.duration_ms = 42;
    pass.wire_log = vec![
        wire(
            0,
            "request",
            Some("Alice"),
            "POST /api/post_message",
            Some(json!({"room": "r-1", "text": "hi", "uid": "u-1"})),
        ),
        wire(11, "response", Some("Alice"), "200", Some(json!({"id": "m-1", "text": "hi"}))),
        wire(19, "event", Some("Bob"), "unichat_notification", Some(json!({"type": "message", "id": "m-1"}))),
    ];

    let mut fail =
        scenario(FAIL, messages, "Posting twice with one uid keeps one message", 15, Outcome::Fail);
    fail.tags = vec!["@uid".to_owned(), "@smoke".to_owned(), format!("@rule:{RULE_FAILED}")];
    fail.doc = Some(
        "seeds/unichat/messages.md: \"If a message with the same uid was already posted, the server \
         returns the existing message instead of creating a new one.\""
            .to_owned(),
    );
    fail.steps = passing(
        &[
            ("Given ", "Alice is in a room"),
            ("When ", "Alice posts \"<b>hi</b> & bye\" with uid \"u1\" twice"),
        ],
        16,
        20,
    );
    let mut failed = step("Then ", "the room holds one message", 18, StepStatus::Failed, 9);
    failed.error = Some("expected 1 message, found 2".to_owned());
    fail.steps.push(failed);
    fail.steps.push(step("And ", "both replies carry the same id", 19, StepStatus::Skipped, 0));
    fail.failure = Some(Failure {
        step: "Then the room holds one message".to_owned(),
        message: "Then the room holds one message: expected 1 message, found 2 (GET /api/messages)"
            .to_owned(),
        expected: Some("1 message with uid \"u1\"".to_owned()),
        actual: Some(
            serde_json::to_string_pretty(&json!([
                {"id": "m-7", "uid": "u1", "text": "<b>hi</b> & bye"},
                {"id": "m-8", "uid": "u1", "text": "<b>hi</b> & bye"}
            ]))
            .unwrap_or_default(),
        ),
    });
    fail.duration_ms = 1_249;
    fail.wire_log = vec![
        wire(0, "note", None, "provisioned Alice as chatspec-r1-3-alice", None),
        wire(
            3,
            "request",
            Some("Alice"),
            "POST /api/post_message",
            Some(json!({"uid": "u1", "text": "<script>alert('x')</script> & <b>hi</b>"})),
        ),
        wire(10, "response", Some("Alice"), "200", Some(json!({"id": "m-7", "uid": "u1"}))),
        wire(
            14,
            "request",
            Some("Alice"),
            "POST /api/post_message",
            Some(json!({"uid": "u1", "text": "a & b"})),
        ),
        wire(1_201, "response", Some("Alice"), "200", Some(json!({"id": "m-8", "uid": "u1"}))),
        wire(1_230, "request", Some("Alice"), "GET /api/messages?room=r-2&limit=10", None),
        wire(
            1_247,
            "response",
            Some("Alice"),
            "200",
            Some(json!({"messages": [{"id": "m-7"}, {"id": "m-8"}]})),
        ),
    ];

    let mut markup = scenario(
        MARKUP,
        messages,
        "Message text keeps <b>markup</b> & \"quotes\" | pipes",
        22,
        Outcome::Pass,
    );
    markup.steps =
        passing(&[("When ", "Alice posts \"<b>x</b>\""), ("Then ", "Bob reads \"<b>x</b>\"")], 23, 5);
    markup.duration_ms = 11;

    let uid = "Unichat uid";
    let mut expected = scenario(
        EXPECTED_FAILURE,
        uid,
        "A uid longer than 64 characters is refused",
        5,
        Outcome::ExpectedFailure,
    );
    expected.steps = passing(&[("When ", "Alice posts with a uid of 65 characters")], 6, 8);
    let mut refused = step("Then ", "the reply is an error \"invalid_uid\"", 7, StepStatus::Failed, 1);
    refused.error = Some("expected an error envelope, got 200".to_owned());
    expected.steps.push(refused);
    expected.failure = Some(Failure {
        step: "Then the reply is an error \"invalid_uid\"".to_owned(),
        message: "expected an error envelope, got 200".to_owned(),
        expected: Some("error code invalid_uid".to_owned()),
        actual: Some("200 OK".to_owned()),
    });
    expected.doc = Some("seeds/unichat/uid.md: \"A uid is at most 64 characters long.\"".to_owned());
    expected.known_failure = Some(KnownFailure {
        reason: "uid length is not checked".to_owned(),
        link: Some("https://tracker.example/ACME-12?view=full&tab=1".to_owned()),
    });
    expected.duration_ms = 9;

    let mut unexpected = scenario(
        UNEXPECTED_PASS,
        uid,
        "Reusing a uid in another room is allowed",
        11,
        Outcome::UnexpectedPass,
    );
    unexpected.steps = passing(
        &[("When ", "Alice reuses uid \"u1\" in a second room"), ("Then ", "both messages exist")],
        12,
        6,
    );
    unexpected.known_failure =
        Some(KnownFailure { reason: "rooms share one uid space on this server".to_owned(), link: None });
    unexpected.duration_ms = 12;

    let auth = "Sama authentication";
    let mut impossible = scenario(IMPOSSIBLE, auth, "An expired token is refused", 4, Outcome::Impossible);
    impossible.tags = vec!["@clock".to_owned()];
    impossible.steps = vec![
        step("Given ", "Alice signs in", 5, StepStatus::Skipped, 0),
        step("When ", "the clock moves 2 hours on", 6, StepStatus::Skipped, 0),
    ];
    impossible.impossible =
        Some("needs clock control (POST /_mock/clock/advance), which the target lacks".to_owned());

    let mut refresh = scenario(
        "sama/auth/a-token-refreshes-before-it-expires",
        auth,
        "A token refreshes before it expires",
        9,
        Outcome::Pass,
    );
    refresh.steps =
        passing(&[("Given ", "Alice signs in"), ("Then ", "Alice can refresh her token")], 10, 30);
    refresh.duration_ms = 60;

    let mut skipped = scenario(SKIPPED, auth, "Sign-up sends an auth code by e-mail", 14, Outcome::Skipped);
    skipped.steps = vec![step("Then ", "an auth code is e-mailed to Alice", 15, StepStatus::Skipped, 0)];

    let mut outline =
        scenario(OUTLINE_FAIL, "ConnectNow presence", "Status <status> is broadcast", 20, Outcome::Fail);
    outline.tags = vec!["@presence".to_owned()];
    outline.steps = passing(&[("When ", "Alice sets her status to \"away\"")], 21, 3);
    let mut broadcast = step("Then ", "Bob sees Alice \"away\" within 2 s", 22, StepStatus::Failed, 2_000);
    broadcast.error = Some("no matching event within 2 s".to_owned());
    outline.steps.push(broadcast);
    outline.failure = Some(Failure {
        step: "Then Bob sees Alice \"away\" within 2 s".to_owned(),
        message:
            "no matching event within 2 s; events seen:\n  +5 ms presence {\"status\":\"\u{1b}[31monline\"}"
                .to_owned(),
        expected: None,
        actual: None,
    });
    outline.duration_ms = 2_004;
    outline.wire_log =
        vec![wire(5, "event", Some("Bob"), "presence", Some(json!({"status": "\u{1b}[31monline"})))];

    let mut away = scenario(
        "connectnow/presence/presence-turns-away-after-5-minutes",
        "ConnectNow presence",
        "Presence turns away after 5 minutes",
        4,
        Outcome::Pass,
    );
    away.steps =
        passing(&[("Given ", "Alice is online"), ("Then ", "Alice is \"away\" 5 minutes later")], 5, 2);
    away.duration_ms = 4;

    let mut lenient =
        scenario(LENIENT, "ConnectNow presence", "An unknown status is refused", 30, Outcome::PassLenient);
    lenient.steps = passing(
        &[("When ", "Alice sets her status to \"gone\""), ("Then ", "the request is refused")],
        31,
        3,
    );
    lenient.tags = vec![format!("@rule:{RULE_LENIENT}")];
    lenient.doc = Some("seed 002: \"status — online, away\"".to_owned());
    lenient.notes = vec![Note {
        kind: NoteKind::Lenient,
        entry: "C5".to_owned(),
        deviation: None,
        check: "the refusal is the API's error body".to_owned(),
        expected: "HTTP 422 {\"message\": <non-empty>, \"errors\": {\"status\": [..]}}".to_owned(),
        actual: "HTTP 400 text/plain \"status <gone> & more\"".to_owned(),
    }];
    lenient.duration_ms = 7;
    lenient.wire_log = vec![
        wire(0, "request", Some("Alice"), "PUT /api/presence", Some(json!({"status": "gone"}))),
        wire(6, "response", Some("Alice"), "400 presence", Some(json!("status <gone> & more"))),
    ];

    let mut deviation =
        scenario(DEVIATION, auth, "A login by token opens the socket", 20, Outcome::PassDeviation);
    deviation.steps = passing(
        &[("Given ", "Alice has an access token"), ("When ", "Alice logs in over the socket with it")],
        21,
        9,
    );
    deviation.notes = vec![Note {
        kind: NoteKind::Deviation,
        entry: "S8".to_owned(),
        deviation: Some("token_login_needs_organization".to_owned()),
        check: "user_login by token".to_owned(),
        expected: "{token, device_id}".to_owned(),
        actual: "{token, device_id, organization_id}".to_owned(),
    }];
    deviation.duration_ms = 18;

    let mut blocked =
        scenario(BLOCKED, "ConnectNow presence", "A chat lists its members", 40, Outcome::Blocked);
    blocked.tags = vec![format!("@rule:{RULE_BLOCKED}")];
    blocked.doc = Some("seed 002 \"Get all GET /api/chats\"".to_owned());
    let mut made = step("Given ", "Ann has created the chat \"lobby\"", 41, StepStatus::Failed, 4);
    let message = "POST /api/chats succeeds with HTTP 201\nexpected: HTTP 201\nactual: HTTP 200 {\"id\": 7}\n\
        documentation: the register \"the status codes are 200, 201, 401, 403, 404, 405, 422 (validation) and 429\"\n\
        rules: C-fact-created-201 (the scenario's own check could not be made)";
    made.error = Some(message.to_owned());
    blocked.steps = vec![made, step("When ", "Ann lists her chats", 42, StepStatus::Skipped, 0)];
    blocked.failure = Some(Failure {
        step: "Given Ann has created the chat \"lobby\"".to_owned(),
        message: message.to_owned(),
        expected: Some("HTTP 201".to_owned()),
        actual: Some("HTTP 200 {\"id\": 7}".to_owned()),
    });
    blocked.blocked_by = Some(RULE_BLOCKING.to_owned());
    blocked.duration_ms = 5;
    blocked.wire_log = vec![
        wire(0, "request", Some("Ann"), "POST /api/chats", Some(json!({"company_id": 3, "name": "lobby"}))),
        wire(4, "response", Some("Ann"), "200", Some(json!({"id": 7, "company_id": 3, "name": "lobby"}))),
    ];

    RunRecord {
        info: RunInfo {
            target: "acme-chat".to_owned(),
            target_version: Some("4.2.0-rc.1".to_owned()),
            chatspec_version: "0.1.0".to_owned(),
            suite_revision: "9f2c1e4b7a10".to_owned(),
            started_at: "2026-05-04T09:30:12Z".to_owned(),
            duration_ms: 8_734,
            apis: vec!["connectnow".to_owned(), "sama".to_owned(), "unichat".to_owned()],
            tags: Some("not @slow".to_owned()),
            shard: None,
            areas: Vec::new(),
            scenario_filter: Vec::new(),
            known_failures: vec![EXPECTED_FAILURE.to_owned(), UNEXPECTED_PASS.to_owned()],
            merged_shards: None,
            not_selected: Vec::new(),
            clock_advanced_seconds: 0,
            ..RunInfo::default()
        },
        scenarios: vec![
            outline, fail, deviation, pass, impossible, expected, markup, lenient, refresh, unexpected,
            skipped, away, blocked,
        ],
    }
}
