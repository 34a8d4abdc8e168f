//! The SAMA suite must catch broken servers: each mock here breaks one documented rule of
//! seed 003 (a participant missing an event, an event leaked to an outsider, a wrong ack, a
//! malformed reply, a dropped socket), and the suite must fail exactly the scenarios for
//! that rule, every other scenario of the areas run passing, with a message naming the rule
//! and the documentation sentence.
//!
//! The known deviations of the public server are copied by the mock too: undeclared, the
//! scenarios that meet one fail with a hint naming it; declared in the profile, the harness
//! adapts at the check it concerns, those scenarios pass "with declared deviation" (the
//! register entry noted) and every other check still holds.

mod common;

use std::time::Duration;

use chatspec::outcome::Outcome;
use chatspec::verdict::NoteKind;
use chatspec_mocks::sama::Breakage;
use chatspec_specs::sama::compat::Switch;
use common::{assert_caught, failing, run_sama, sama_target, start_sama};

async fn caught(
    b: Breakage,
    areas: &[&str],
    expected: &[&str],
    words: &[&str],
) -> chatspec::outcome::RunRecord {
    let mock = start_sama(&[b]).await;
    let record = run_sama(sama_target(&mock.base_url, &format!("broken: {b:?}")), areas).await;
    assert_caught(&record, expected, words);
    record
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_participant_missing_a_message_is_caught() {
    caught(
        Breakage::MessageSkipsLastParticipant,
        &["messages"],
        &[
            "sama/messages/carbons-reach-the-sender-s-other-devices-but-not-the-sending-one",
            "sama/messages/online-participants-get-the-message-with-its-x-and-attachments-as-sent-others-do-not",
            "sama/messages/the-sender-gets-an-ack-with-the-time-the-message-was-stored",
            "sama/messages/with-three-participants-each-message-reaches-the-two-others",
        ],
        &["Bob receives", "Carol receives"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_leaked_to_an_outsider_is_caught() {
    caught(
        Breakage::MessageLeaksToOutsiders,
        &["messages", "blocking"],
        &["sama/messages/online-participants-get-the-message-with-its-x-and-attachments-as-sent-others-do-not"],
        &["Carol is not sent the message"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ack_with_the_wrong_time_is_caught() {
    caught(
        Breakage::AckTimeNotStored,
        &["messages", "system"],
        &["sama/messages/the-sender-gets-an-ack-with-the-time-the-message-was-stored"],
        &["same date sent time stored"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_reply_is_caught() {
    caught(
        Breakage::UserSearchWithoutIds,
        &["users"],
        &[
            "sama/users/user-search-finds-users-by-their-login-never-the-caller-and-skips-ignore-ids",
            "sama/users/user-search-keeps-to-its-limit-and-to-users-changed-after-updated-at-gt",
        ],
        &["the reply to user_search matches its schema"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_socket_fails_its_requests_at_once() {
    let record = caught(
        Breakage::DropOnMessageRead,
        &["reading", "typing"],
        &[
            "sama/reading/only-participants-mark-a-conversation-s-messages-read",
            "sama/reading/reading-again-tells-no-one",
            "sama/reading/reading-given-ids-tells-each-author-which-of-theirs-were-read",
            "sama/reading/without-ids-every-unread-message-is-marked-read",
        ],
        &["the socket dropped before the reply"],
    )
    .await;
    // At once: not after the reply timeout (5 s scaled by 0.3).
    for s in record.scenarios.iter().filter(|s| s.outcome == Outcome::Fail) {
        let step = s.steps.iter().find(|st| st.error.is_some()).expect("a failed step");
        let message = step.error.as_deref().unwrap_or_default();
        assert!(!message.contains("nothing answered"), "{}: {message}", s.id);
        assert!(
            Duration::from_millis(s.duration_ms) < Duration::from_millis(1400),
            "{} took {} ms",
            s.id,
            s.duration_ms
        );
    }
}

/// Runs `areas` against a mock with the deviation `b`: undeclared, the run fails, `met` among
/// the failures, and every failure names the deviation in a hint; declared, the run passes,
/// `met` pass with the deviation noted, and no scenario fails.
async fn deviation(b: Breakage, s: Switch, areas: &[&str], met: &[&str]) {
    let mock = start_sama(&[b]).await;
    let undeclared = run_sama(sama_target(&mock.base_url, "undeclared"), areas).await;
    assert!(undeclared.failed(), "an undeclared deviation fails the run");
    let failed = failing(&undeclared);
    for id in met {
        assert!(failed.contains(*id), "{id} should fail: {failed:?}");
    }
    let hint = format!("this looks like deviation {}", s.name());
    for sc in undeclared.scenarios.iter().filter(|sc| sc.outcome == Outcome::Fail) {
        let message = &sc.failure.as_ref().expect("a failure").message;
        assert!(message.contains(&hint), "{}: {message}", sc.id);
    }

    let mut t = sama_target(&mock.base_url, "declared");
    t.sama.deviations.switches.insert(s);
    let declared = run_sama(t, areas).await;
    assert!(!declared.failed(), "a declared deviation does not fail the run: {:?}", failing(&declared));
    for sc in &declared.scenarios {
        assert!(matches!(sc.outcome, Outcome::Pass | Outcome::PassDeviation), "{}: {:?}", sc.id, sc.failure);
        for n in &sc.notes {
            assert_eq!(n.kind, NoteKind::Deviation, "{}: {n}", sc.id);
            assert_eq!(n.deviation.as_deref(), Some(s.name()), "{}: {n}", sc.id);
            assert_eq!(n.entry, s.entry());
        }
    }
    for id in met {
        let sc = declared.scenarios.iter().find(|sc| sc.id == *id).expect("the scenario ran");
        assert_eq!(sc.outcome, Outcome::PassDeviation, "{id}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ack_as_ask_deviation_is_named_and_can_be_declared() {
    deviation(
        Breakage::AckAsAsk,
        Switch::AckAsAsk,
        &["messages", "system", "blocking"],
        &[
            "sama/messages/the-sender-gets-an-ack-with-the-time-the-message-was-stored",
            "sama/system/a-system-message-is-acknowledged-like-a-message",
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_online_as_zero_deviation_is_named_and_can_be_declared() {
    deviation(
        Breakage::OnlineAsZero,
        Switch::OnlineAsZero,
        &["activity", "offline"],
        &[
            "sama/activity/last-activity-is-online-for-a-connected-user-and-seconds-for-others",
            "sama/activity/a-subscriber-hears-when-the-user-goes-offline-and-comes-back",
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_op_log_in_packet_deviation_is_named_and_can_be_declared() {
    deviation(
        Breakage::OpLogInPacket,
        Switch::OpLogInPacket,
        &["offline"],
        &["sama/offline/op-log-list-keeps-what-an-offline-user-missed"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_file_urls_by_object_id_deviation_is_named_and_can_be_declared() {
    deviation(
        Breakage::FileUrlsByObjectId,
        Switch::FileUrlsByObjectId,
        &["files", "offline"],
        &[
            "sama/files/get-file-urls-gives-a-url-for-every-file-asked-in-the-order-asked",
            "sama/files/an-uploaded-file-downloads-from-its-url",
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declared_deviation_the_server_does_not_have_changes_nothing() {
    let mock = start_sama(&[]).await;
    let mut t = sama_target(&mock.base_url, "stale deviation");
    t.sama.deviations.switches.insert(Switch::AckAsAsk);
    let record = run_sama(t, &["system"]).await;
    assert!(!record.failed());
    assert!(record.scenarios.iter().all(|s| s.outcome == Outcome::Pass), "{:?}", failing(&record));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_sign_up_blocks_the_scenarios_of_other_rules() {
    // Users made by sign-up: every scenario's set-up rests on user_create.
    let (b, area) = (Breakage::SignUpRefused, "users");
    let mock = start_sama(&[b]).await;
    let mut t = sama_target(&mock.base_url, &format!("broken: {b:?}"));
    t.provisioning = chatspec::target::Provisioning::SignUp { email_domain: "example.test".into() };
    let record = run_sama(t, &[area, "messages"]).await;
    assert!(record.failed(), "blocked scenarios fail the run");
    common::assert_blocks_other_areas(&record, b.rule(), area);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_password_login_blocks_the_scenarios_of_other_rules() {
    // Users made by the admin API: the set-up steps that log a device in over HTTP rest on
    // the password login.
    let (b, area) = (Breakage::PasswordLoginRefused, "auth");
    let mock = start_sama(&[b]).await;
    let record = run_sama(sama_target(&mock.base_url, &format!("broken: {b:?}")), &[area, "messages"]).await;
    assert!(record.failed(), "blocked scenarios fail the run");
    common::assert_blocks_other_areas(&record, b.rule(), area);
}

#[tokio::test]
async fn every_breakage_has_a_self_test() {
    // The switches of rules first covered by the rule-by-rule runner are proven there.
    let tests = concat!(include_str!("broken_sama.rs"), include_str!("broken_rules.rs"));
    common::assert_every_breakage_tested(tests, Breakage::ALL);
}
