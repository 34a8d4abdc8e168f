//! The SAMA suite must catch broken servers: each mock here breaks one documented rule of
//! seed 003 (a participant missing an event, an event leaked to an outsider, a wrong ack, a
//! malformed reply, a dropped socket), and the suite must fail exactly the scenarios for
//! that rule, every other scenario of the areas run passing, with a message naming the rule
//! and the documentation sentence.
//!
//! The known deviations of the public server are copied by the mock too: undeclared, they
//! fail exactly the scenarios the deviation maps to, with a message naming it; declared in
//! the profile, those become expected failures with the register entry as the reason, and
//! the run passes.

mod common;

use std::time::Duration;

use chatspec::deviations::Deviation;
use chatspec::outcome::Outcome;
use chatspec_mocks::sama::Breakage;
use common::{assert_caught, run_sama, sama_target, start_sama};

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
        &["sama/users/user-search-finds-users-by-their-login-never-the-caller-and-skips-ignore-ids"],
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

/// Runs `areas` against a mock with the deviation `b`: undeclared, exactly the deviation's
/// scenarios fail naming it; declared, they are expected failures and the run passes.
async fn deviation(b: Breakage, d: Deviation, areas: &[&str], words: &[&str]) {
    let mock = start_sama(&[b]).await;
    let expected: Vec<&str> = d.scenarios().to_vec();
    let undeclared = run_sama(sama_target(&mock.base_url, "undeclared"), areas).await;
    assert_caught(&undeclared, &expected, words);

    let mut t = sama_target(&mock.base_url, "declared");
    t.sama.deviations = vec![d];
    let declared = run_sama(t, areas).await;
    assert!(!declared.failed(), "a declared deviation does not fail the run");
    for s in &declared.scenarios {
        if expected.contains(&s.id.as_str()) {
            assert_eq!(s.outcome, Outcome::ExpectedFailure, "{}", s.id);
            let reason = &s.known_failure.as_ref().expect("the reason").reason;
            assert!(reason.contains(d.name()) && reason.contains("register S"), "{reason}");
        } else {
            assert_eq!(s.outcome, Outcome::Pass, "{}: {:?}", s.id, s.failure);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ack_as_ask_deviation_is_named_and_can_be_declared() {
    deviation(Breakage::AckAsAsk, Deviation::AckAsAsk, &["messages", "system", "blocking"], &["ack_as_ask"])
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_online_as_zero_deviation_is_named_and_can_be_declared() {
    deviation(Breakage::OnlineAsZero, Deviation::OnlineAsZero, &["activity", "offline"], &["online_as_zero"])
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_op_log_in_packet_deviation_is_named_and_can_be_declared() {
    deviation(Breakage::OpLogInPacket, Deviation::OpLogInPacket, &["offline"], &["op_log_in_packet"]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_file_urls_by_object_id_deviation_is_named_and_can_be_declared() {
    deviation(
        Breakage::FileUrlsByObjectId,
        Deviation::FileUrlsByObjectId,
        &["files", "offline"],
        &["file_urls_by_object_id"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declared_deviation_the_server_does_not_have_is_an_unexpected_pass() {
    let mock = start_sama(&[]).await;
    let mut t = sama_target(&mock.base_url, "stale deviation");
    t.sama.deviations = vec![Deviation::AckAsAsk];
    let record = run_sama(t, &["system"]).await;
    let s = record
        .scenarios
        .iter()
        .find(|s| s.id == Deviation::AckAsAsk.scenarios()[1])
        .expect("the scenario ran");
    assert_eq!(s.outcome, Outcome::UnexpectedPass);
    assert!(record.failed());
}

#[tokio::test]
async fn every_breakage_has_a_self_test() {
    common::assert_every_breakage_tested(include_str!("broken_sama.rs"), Breakage::ALL);
}
