//! The SAMA suite against a stand-in of the public open-source SAMA server 0.36 (`chatspec
//! serve sama --compat sama-server-0.36`, started in process on port 0), through the committed
//! profile `fixtures/sama-server-0.36.toml` that declares the server's deviations and the
//! fields it needs: no scenario fails, every one that does not pass strictly passes with a
//! declared deviation or on a lenient reading (each with its notes), and five runs in a row
//! grade every scenario the same. And the same suite against the plain mock is green under
//! `--strict`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;

use chatspec::check::{self, CheckOptions};
use chatspec::outcome::{Outcome, RunRecord};
use chatspec::target::Target;
use chatspec::verdict::NoteKind;
use chatspec_mocks::sama::{PRESET, Switch};
use common::not_passed;

const PROFILE: &str = include_str!("fixtures/sama-server-0.36.toml");

/// The committed profile, pointed at a stand-in listening at `base`.
fn profile_at(base: &str) -> Target {
    let text = PROFILE.replace("http://127.0.0.1:9360", base);
    Target::parse(&text).expect("the committed profile parses")
}

async fn run(target: Target, strict: bool) -> RunRecord {
    let mut opts = CheckOptions::new("sama");
    opts.target = Some(target);
    opts.strict = strict;
    check::run(opts).await.expect("the suite runs")
}

/// Every scenario's outcome, by id.
fn outcomes(record: &RunRecord) -> BTreeMap<String, Outcome> {
    record.scenarios.iter().map(|s| (s.id.clone(), s.outcome)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_server_stand_in_passes_with_declared_deviations_and_readings_five_times_alike() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let compat = Switch::expand(PRESET).unwrap().into_iter().collect();
    let mock = chatspec::embedded::start_sama(listener, compat).unwrap();
    let mut first: Option<BTreeMap<String, Outcome>> = None;
    for n in 1..=5 {
        let record = run(profile_at(&mock.base_url), false).await;
        let failed: Vec<String> = not_passed(&record)
            .into_iter()
            .filter(|s| !s.contains("(PassLenient)") && !s.contains("(PassDeviation)"))
            .collect();
        assert!(failed.is_empty(), "run {n}: {} scenarios failed:\n\n{}", failed.len(), failed.join("\n\n"));
        assert_eq!(record.scenarios.len(), common::suite_size("sama"), "run {n}");
        for s in &record.scenarios {
            let kinds: Vec<NoteKind> = s.notes.iter().map(|n| n.kind).collect();
            match s.outcome {
                Outcome::Pass => assert!(kinds.is_empty(), "{}: {:?}", s.id, s.notes),
                Outcome::PassDeviation => {
                    assert!(!kinds.is_empty() && kinds.iter().all(|k| *k == NoteKind::Deviation), "{}", s.id)
                }
                Outcome::PassLenient => assert!(kinds.contains(&NoteKind::Lenient), "{}", s.id),
                other => panic!("run {n}: {} ended {other:?}", s.id),
            }
            for note in s.notes.iter().filter(|n| n.kind == NoteKind::Deviation) {
                // Every deviation adapted to is one the profile declares, or its extra fields.
                let name = note.deviation.as_deref().unwrap_or_default();
                let declared = Switch::parse(name).is_some_and(record_declares);
                assert!(declared, "{}: {note}", s.id);
            }
        }
        let now = outcomes(&record);
        let count = |o: Outcome| now.values().filter(|x| **x == o).count();
        eprintln!(
            "run {n}: {} strict, {} lenient, {} with declared deviation, {} failed",
            count(Outcome::Pass),
            count(Outcome::PassLenient),
            count(Outcome::PassDeviation),
            count(Outcome::Fail)
        );
        match &first {
            None => first = Some(now),
            Some(before) => {
                let flips: Vec<String> = before
                    .iter()
                    .filter(|(id, o)| now.get(*id) != Some(*o))
                    .map(|(id, o)| format!("{id}: {o:?} then {:?}", now.get(id)))
                    .collect();
                assert!(flips.is_empty(), "run {n} graded differently:\n{}", flips.join("\n"));
            }
        }
    }
}

/// Whether the committed profile declares `s`.
fn record_declares(s: Switch) -> bool {
    profile_at("http://127.0.0.1:1").sama.has(s)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plain_mock_is_green_under_strict_through_a_profile_that_grades_readings() {
    let mock = common::start_sama(&[]).await;
    let mut t = common::sama_target(&mock.base_url, "plain mock, strict");
    t.timeout_factor = 1.0;
    let record = run(t, true).await;
    let bad = not_passed(&record);
    assert!(bad.is_empty(), "{} scenarios did not pass strictly:\n\n{}", bad.len(), bad.join("\n\n"));
    assert_eq!(record.scenarios.len(), common::suite_size("sama"));
}

/// The areas whose scenarios meet each deviation of the catalogue.
fn areas_of(s: Switch) -> &'static [&'static str] {
    match s {
        Switch::AckAsAsk => &["messages", "system"],
        Switch::OnlineAsZero => &["activity"],
        Switch::FileUrlsByObjectId => &["files"],
        Switch::OpLogInPacket
        | Switch::OpLogSkipsEdits
        | Switch::OpLogWithoutRange
        | Switch::OfflineEditsLost => &["offline"],
        Switch::SignUpNeedsOrganization => &["users"],
        Switch::TokenLoginNeedsOrganization | Switch::LoginDeviceIdInBodyOnly => &["auth"],
        Switch::BatchDropsIncompleteContacts | Switch::ContactListRefusesIds => &["contacts"],
        Switch::ConversationsWithoutParticipants => &["conversations", "membership"],
        Switch::PrivateWithTwoOthers | Switch::SearchAnswersBareIds => &["conversations"],
        Switch::PushEventUserIdsBase64 => &["push"],
        Switch::ReadReceiptsRepeated => &["reading"],
        _ => &[],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_deviation_undeclared_fails_with_a_hint_naming_it_and_declared_passes() {
    for s in
        Switch::ALL.into_iter().filter(|s| s.kind() == chatspec_specs::sama::compat::SwitchKind::Deviation)
    {
        let areas = areas_of(s);
        assert!(!areas.is_empty(), "{s:?} names no area");
        // Missed edits lost in delivery still reach the op log, which the register accepts
        // (S49): the deviation shows when the op log skips them too.
        let on: Vec<Switch> =
            if s == Switch::OfflineEditsLost { vec![s, Switch::OpLogSkipsEdits] } else { vec![s] };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mock = chatspec::embedded::start_sama(listener, on.iter().copied().collect()).unwrap();
        let run_areas = |t: Target| async move {
            let mut opts = CheckOptions::new("sama");
            opts.target = Some(t);
            opts.areas = areas.iter().map(|a| (*a).to_owned()).collect();
            check::run(opts).await.expect("the suite runs")
        };

        let mut undeclared = profile_at(&mock.base_url);
        undeclared.sama.deviations.switches.clear();
        undeclared.shaping = chatspec::target::Shaping::default();
        let record = run_areas(undeclared).await;
        let hints: Vec<String> =
            on.iter().map(|d| format!("this looks like deviation {}", d.name())).collect();
        let failed: Vec<_> = record.scenarios.iter().filter(|sc| sc.outcome == Outcome::Fail).collect();
        assert!(!failed.is_empty(), "{}: undeclared, nothing failed", s.name());
        for sc in failed {
            let message = &sc.failure.as_ref().expect("a failure").message;
            assert!(
                hints.iter().any(|h| message.contains(h)),
                "{}: {} fails without the hint:\n{message}",
                s.name(),
                sc.id
            );
        }

        let mut declared = profile_at(&mock.base_url);
        declared.sama.deviations.switches = on.iter().copied().collect();
        let record = run_areas(declared).await;
        let bad: Vec<String> = not_passed(&record)
            .into_iter()
            .filter(|x| !x.contains("(PassLenient)") && !x.contains("(PassDeviation)"))
            .collect();
        assert!(bad.is_empty(), "{} declared:\n{}", s.name(), bad.join("\n\n"));
        let noted = record
            .scenarios
            .iter()
            .flat_map(|sc| &sc.notes)
            .any(|n| n.deviation.as_deref() == Some(s.name()));
        assert!(noted, "{}: declared, no scenario noted it", s.name());
    }
}
