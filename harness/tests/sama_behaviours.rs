//! A server may read seed 003 otherwise where it is silent, or answer where it says nothing
//! about how: such a server must not turn a scenario red whose document checks hold. Each
//! test here runs the whole SAMA suite against a stand-in with one of the public server's
//! behaviours on (`chatspec serve sama --compat NAME`), through a profile that grades readings
//! and declares no deviation: no scenario fails, and where the behaviour meets a register
//! reading the scenario passes on that lenient reading.
//!
//! And the harness still sees what it must: a leak that leaves after the reply is caught, and
//! a request written with its id first is what a first-key server refuses.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use chatspec::context::RunContext;
use chatspec::outcome::{Outcome, RunRecord};
use chatspec::sama::driver::{SamaReply, Socket};
use chatspec::verdict::NoteKind;
use chatspec::wire::WireLog;
use chatspec_mocks::kit::{Clock, serve};
use chatspec_mocks::sama::{self, Breakage, Sama, Switch};
use chatspec_specs::sama::compat::SwitchKind;
use chatspec_specs::sama::users::{UserCreate, UserCreateParams};
use common::assert_caught;
use tokio_util::sync::CancellationToken;

/// A stand-in on an ephemeral port; stopped when dropped.
struct RunningSamaWith {
    base_url: String,
    stop: CancellationToken,
}

impl Drop for RunningSamaWith {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// A SAMA mock with breakages and switches on, on an ephemeral port.
async fn stand_in(breakage: &[Breakage], compat: &[Switch]) -> RunningSamaWith {
    let config = sama::Config {
        breakage: breakage.iter().copied().collect(),
        compat: compat.iter().copied().collect(),
        ..sama::Config::default()
    };
    let state: Arc<Sama> = Sama::new(config, Clock::system());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = serve::base_url(&listener).unwrap();
    let stop = CancellationToken::new();
    tokio::spawn(sama::run(state, listener, stop.clone()));
    RunningSamaWith { base_url, stop }
}

/// Runs the suite against a stand-in with `behaviour` on; readings are graded, nothing is
/// declared.
async fn suite_with(behaviour: Switch) -> RunRecord {
    let mock = stand_in(&[], &[behaviour]).await;
    let mut t = common::sama_target(&mock.base_url, behaviour.name());
    t.timeout_factor = 1.0;
    let mut opts = chatspec::check::CheckOptions::new("sama");
    opts.target = Some(t);
    chatspec::check::run(opts).await.expect("the suite runs")
}

/// No scenario fails; every non-strict pass rests on readings only. Returns the register
/// entries of the readings noted.
fn no_red(record: &RunRecord, behaviour: Switch) -> BTreeSet<String> {
    let failed: Vec<String> =
        common::not_passed(record).into_iter().filter(|s| !s.contains("(PassLenient)")).collect();
    assert!(
        failed.is_empty(),
        "{}: {} scenarios turned red:\n\n{}",
        behaviour.name(),
        failed.len(),
        failed.join("\n\n")
    );
    assert_eq!(record.scenarios.len(), common::suite_size("sama"));
    let mut entries = BTreeSet::new();
    for s in &record.scenarios {
        for n in &s.notes {
            assert_eq!(n.kind, NoteKind::Lenient, "{}: {n}", s.id);
            entries.insert(n.entry.clone());
        }
        assert!(matches!(s.outcome, Outcome::Pass | Outcome::PassLenient), "{}", s.id);
    }
    entries
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_as_strings_turn_nothing_red_and_are_graded_on_s10() {
    let record = suite_with(Switch::ErrorsAsStrings).await;
    let entries = no_red(&record, Switch::ErrorsAsStrings);
    assert_eq!(entries, BTreeSet::from(["S10".to_owned()]), "string errors miss only the S10 shape");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn packet_errors_without_an_id_are_matched_at_once() {
    let record = suite_with(Switch::PacketErrorsWithoutId).await;
    no_red(&record, Switch::PacketErrorsWithoutId);
    // Matched to the packet that caused them: no refusal waited for a timeout.
    for id in [
        "sama/messages/only-participants-send-to-a-conversation",
        "sama/system/a-system-message-to-a-conversation-of-others-is-refused",
        "sama/typing/typing-in-a-conversation-one-is-not-in-is-answered-with-an-error",
    ] {
        let s = record.scenarios.iter().find(|s| s.id == id).expect("the scenario ran");
        let refusal = s.steps.iter().find(|st| st.text.contains("is refused")).expect("a refusal step");
        assert!(refusal.duration_ms < 2000, "{id}: the refusal took {} ms", refusal.duration_ms);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_routes_on_the_first_key_passes_every_scenario_strictly() {
    let record = suite_with(Switch::RoutesOnFirstKey).await;
    no_red(&record, Switch::RoutesOnFirstKey);
    let lenient: Vec<&str> =
        record.scenarios.iter().filter(|s| s.outcome != Outcome::Pass).map(|s| s.id.as_str()).collect();
    assert!(lenient.is_empty(), "{lenient:?}");

    // And the stand-in is real: a request written with its id first is refused there.
    let mock = stand_in(&[], &[Switch::RoutesOnFirstKey]).await;
    let ctx = RunContext::new(chatspec::target::Target::embedded("sama", mock.base_url.clone())).unwrap();
    let s = Socket::open(&ctx, &WireLog::default(), "probe").await.unwrap();
    let frame = r#"{"request":{"id":"first","user_create":{"login":"probe-first-key","password":"pw-1"}}}"#;
    let reply = s.exchange("user_create", "first", frame).await;
    assert!(reply.refused(), "{}", reply.describe());
    let params = UserCreateParams {
        login: "probe-first-key".into(),
        password: "pw-1".into(),
        ..UserCreateParams::default()
    };
    let ok = s.call::<UserCreate>(&params).await.unwrap();
    assert!(ok.is_ok(), "{}", ok.describe());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_refuses_undocumented_fields_passes_every_scenario() {
    let record = suite_with(Switch::RefusesUnknownFields).await;
    let entries = no_red(&record, Switch::RefusesUnknownFields);
    assert!(entries.is_empty(), "only documented fields are sent; readings missed: {entries:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_after_replies_turn_nothing_red() {
    let record = suite_with(Switch::EventsAfterReply).await;
    let entries = no_red(&record, Switch::EventsAfterReply);
    assert!(entries.is_empty(), "{entries:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leak_that_leaves_after_the_reply_is_still_caught() {
    let mock = stand_in(&[Breakage::MessageLeaksToOutsiders], &[Switch::EventsAfterReply]).await;
    let record = common::run_sama(common::sama_target(&mock.base_url, "late leak"), &["messages"]).await;
    assert_caught(
        &record,
        &[
            "sama/messages/online-participants-get-the-message-with-its-x-and-attachments-as-sent-others-do-not",
        ],
        &["Carol is not sent the message"],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_other_behaviours_of_the_public_server_turn_nothing_red() {
    for b in [
        Switch::OtherListOrders,
        Switch::OtherErrorStatuses,
        Switch::PrivateAddIgnored,
        Switch::JwtAccessTokens,
        Switch::LogoutNeedsRefreshCookie,
        Switch::SubscriptionListNeedsUserId,
        Switch::PhoneAtMost15,
    ] {
        let record = suite_with(b).await;
        no_red(&record, b);
    }
}

#[tokio::test]
async fn every_behaviour_of_the_catalogue_has_a_self_test() {
    let this_file = include_str!("sama_behaviours.rs");
    for s in Switch::ALL.iter().filter(|s| s.kind() == SwitchKind::Behaviour) {
        assert!(this_file.contains(&format!("Switch::{s:?}")), "no self-test turns on {s:?}");
    }
}
