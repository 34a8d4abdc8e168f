//! The whole SAMA suite against the embedded mock: every scenario must pass, also while
//! other clients hammer the same server with bad frames and abrupt disconnects; and the
//! harness's own socket client sees events fanned out to many sockets within milliseconds.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chatspec::check::{self, CheckOptions};
use chatspec::context::RunContext;
use chatspec::outcome::Outcome;
use chatspec::sama::driver::{SamaReply, Socket};
use chatspec::target::Target;
use chatspec::wire::WireLog;
use chatspec_specs::sama::activity::{UserLastActivitySubscribe, UserLastActivitySubscribeParams};
use chatspec_specs::sama::auth::{Connect, ConnectParams};
use chatspec_specs::sama::conversations::{ConversationCreate, ConversationCreateParams, ConversationType};
use chatspec_specs::sama::messages::{MessagePacket, MessageParams};
use common::{not_passed, start_sama};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_sama_scenario_passes_against_the_embedded_mock() {
    let record = check::run(CheckOptions::new("sama")).await.expect("the suite runs");
    let bad = not_passed(&record);
    assert!(bad.is_empty(), "{} scenarios did not pass:\n\n{}", bad.len(), bad.join("\n\n"));
    assert!(record.scenarios.len() >= 100, "only {} scenarios ran", record.scenarios.len());
    assert!(record.scenarios.iter().all(|s| s.doc.as_deref().is_some_and(|d| d.starts_with("seed 003"))));
    // Every scenario's wire log shows frames both ways.
    for s in &record.scenarios {
        assert!(s.wire_log.iter().any(|e| e.kind == "request"), "{} logged no request", s.id);
        assert!(s.wire_log.iter().any(|e| e.kind == "response"), "{} logged no response", s.id);
    }
    // The ids are unique.
    let ids: BTreeSet<&str> = record.scenarios.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids.len(), record.scenarios.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clock_scenario_is_impossible_without_clock_control() {
    let mock = start_sama(&[]).await;
    let mut t = common::sama_target(&mock.base_url, "no clock");
    t.timeout_factor = 1.0;
    t.clock_control = false;
    let mut opts = CheckOptions::new("sama");
    opts.target = Some(t);
    opts.tags = Some("@clock".into());
    let record = check::run(opts).await.expect("the suite runs");
    assert_eq!(record.scenarios.len(), 1);
    assert_eq!(record.scenarios[0].outcome, Outcome::Impossible);
    assert!(record.scenarios[0].impossible.as_deref().is_some_and(|w| w.contains("clock")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_made_by_sign_up_pass_too() {
    let mock = start_sama(&[]).await;
    let mut t = common::sama_target(&mock.base_url, "signup");
    t.timeout_factor = 1.0;
    t.provisioning = chatspec::target::Provisioning::SignUp { email_domain: "example.test".into() };
    let mut opts = CheckOptions::new("sama");
    opts.target = Some(t);
    opts.areas = vec!["messages".into(), "edits".into(), "auth".into()];
    let record = check::run(opts).await.expect("the suite runs");
    let bad = not_passed(&record);
    assert!(bad.is_empty(), "{}", bad.join("\n\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pre_made_accounts_pass_too() {
    let mock = start_sama(&[]).await;
    let http = chatspec::tls::http_client().no_proxy().build().unwrap();
    let mut accounts = Vec::new();
    for i in 0..18 {
        let u = common::provision_user(&http, &mock.base_url, &format!("account {i}")).await;
        let (login, password) = (u["login"].as_str().unwrap(), u["password"].as_str().unwrap());
        accounts.push(chatspec::target::Account { login: login.into(), password: password.into() });
    }
    let mut t = common::sama_target(&mock.base_url, "accounts");
    t.timeout_factor = 1.0;
    t.admin_url = None;
    t.provisioning = chatspec::target::Provisioning::Accounts { accounts };
    let mut opts = CheckOptions::new("sama");
    opts.target = Some(t);
    opts.concurrency = 4;
    opts.tags = Some("not @clock".into());
    // Twice: the second run meets what the first left on the accounts.
    for _ in 0..2 {
        let record = check::run(opts.clone()).await.expect("the suite runs");
        let bad: Vec<String> =
            not_passed(&record).into_iter().filter(|s| !s.contains("(Impossible)")).collect();
        assert!(bad.is_empty(), "{}", bad.join("\n\n"));
    }
}

/// A user made through the admin API: `(id, token, device)`.
async fn provision(http: &reqwest::Client, base: &str, name: &str) -> (String, String, String) {
    let u = common::provision_user(http, base, name).await;
    let text = |p: &str| u.pointer(p).and_then(Value::as_str).unwrap().to_owned();
    (text("/user/_id"), text("/access_token"), text("/device_id"))
}

/// `conversation_create` of a group called `name` with `participants`.
fn group(name: &str, participants: Vec<String>) -> ConversationCreateParams {
    ConversationCreateParams {
        name: Some(name.to_owned()),
        description: None,
        kind: ConversationType::Group,
        participants,
    }
}

async fn connected(ctx: &Arc<RunContext>, wire: &WireLog, label: &str, token: &str, device: &str) -> Socket {
    let s = Socket::open(ctx, wire, label).await.expect("a socket");
    let params = ConnectParams { token: token.to_owned(), device_id: device.to_owned() };
    let reply = s.call::<Connect>(&params).await.unwrap();
    assert_eq!(reply.body["success"], true, "{}", reply.describe());
    s
}

/// Bad input and abrupt disconnects from other clients, until `stop`. A watcher hears each
/// noisy user go offline, so every drop was taken in before the next round.
async fn noise(base: String, ctx: Arc<RunContext>, stop: tokio_util::sync::CancellationToken) -> usize {
    let http = chatspec::tls::http_client().no_proxy().build().unwrap();
    let wire = WireLog::default();
    let (_, token, device) = provision(&http, &base, "watcher").await;
    let watcher = connected(&ctx, &wire, "watcher", &token, &device).await;
    let mut rounds = 0;
    while !stop.is_cancelled() {
        let (id, token, device) = provision(&http, &base, &format!("noisy {rounds}")).await;
        let s = connected(&ctx, &wire, "noisy", &token, &device).await;
        s.send_text("{{{ not json").unwrap();
        s.send_binary(vec![1, 2, 3]).unwrap();
        s.send_text(r#"{"request": {"teleport": {}, "id": "x"}}"#).unwrap();
        s.send_text(r#"{"message": {"cid": "nowhere"}}"#).unwrap();
        let made =
            s.call::<ConversationCreate>(&group(&format!("noise {rounds}"), vec![id.clone()])).await.unwrap();
        assert!(made.failure.is_none(), "{}", made.describe());
        let watch = watcher
            .call::<UserLastActivitySubscribe>(&UserLastActivitySubscribeParams { id: id.clone() })
            .await
            .unwrap();
        assert!(watch.is_ok(), "{}", watch.describe());
        // A request in flight when the connection drops, half the time.
        if rounds % 2 == 0 {
            s.send_text(r#"{"request": {"conversation_list": {}, "id": "lost"}}"#).unwrap();
        }
        s.vanish();
        let gone = watcher
            .inbox
            .wait_for(Duration::from_secs(5), |e| e.name == "last_activity" && e.data[&id].is_i64())
            .await;
        assert!(gone.is_ok(), "the server noticed the drop");
        rounds += 1;
    }
    rounds
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_suite_passes_while_other_clients_send_garbage_and_drop_their_sockets() {
    let mock = start_sama(&[]).await;
    let target = {
        let mut t = common::sama_target(&mock.base_url, "noisy neighbours");
        t.timeout_factor = 2.0;
        t
    };
    let ctx = RunContext::new(target.clone()).unwrap();
    let stop = tokio_util::sync::CancellationToken::new();
    let noisy = tokio::spawn(noise(mock.base_url.clone(), ctx, stop.clone()));
    let mut opts = CheckOptions::new("sama");
    opts.target = Some(target);
    opts.tags = Some("not @clock".into());
    let record = check::run(opts).await.expect("the suite runs");
    stop.cancel();
    let rounds = noisy.await.unwrap();
    let bad = not_passed(&record);
    assert!(bad.is_empty(), "{}", bad.join("\n\n"));
    assert!(rounds > 0, "the noise ran");
    // Nothing the noisy clients did is left half-done: no socket of theirs is still linked.
    let state = chatspec_mocks::kit::admin::MockAdmin::state(&*mock.state);
    let linked_noise = state["conns"]
        .as_object()
        .unwrap()
        .values()
        .filter_map(|c| c["user"].as_str())
        .filter(|u| state["users"][u]["login"].as_str().is_some_and(|l| l.starts_with("noisy")))
        .count();
    assert_eq!(linked_noise, 0, "{state}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_sockets_hear_a_message_within_milliseconds() {
    const USERS: usize = 60;
    let mock = start_sama(&[]).await;
    let ctx = RunContext::new(Target::embedded("sama", mock.base_url.clone())).unwrap();
    let wire = WireLog::default();
    let http = chatspec::tls::http_client().no_proxy().build().unwrap();
    let users = futures::future::join_all((0..USERS).map(|i| {
        let (http, base) = (&http, &mock.base_url);
        async move { provision(http, base, &format!("fan {i}")).await }
    }))
    .await;
    let sockets =
        futures::future::join_all(users.iter().map(|(_, t, d)| connected(&ctx, &wire, "fan", t, d))).await;
    let others: Vec<String> = users[1..].iter().map(|(id, _, _)| id.clone()).collect();
    let made = sockets[0].call::<ConversationCreate>(&group("fan-out", others)).await.unwrap();
    let cid = made.body["conversation"]["_id"].as_str().unwrap().to_owned();

    let started = Instant::now();
    let message =
        MessageParams { id: "m1".into(), cid, body: Some("to everyone".into()), ..MessageParams::default() };
    let ack = sockets[0].packet::<MessagePacket>("m1", &message).await.unwrap();
    assert_eq!(ack.key(), "ack", "{}", ack.describe());
    let wait = Duration::from_secs(5);
    let arrivals = futures::future::join_all(sockets[1..].iter().map(|s| async {
        s.inbox
            .wait_for(wait, |e| e.name == "message" && e.data["body"] == "to everyone")
            .await
            .map(|_| started.elapsed())
    }))
    .await;
    let mut times: Vec<Duration> = arrivals.into_iter().map(|r| r.expect("every socket hears it")).collect();
    times.sort();
    let slowest = times[times.len() - 1];
    eprintln!("{} sockets: median {:?}, slowest {:?}", times.len(), times[times.len() / 2], slowest);
    assert!(slowest < Duration::from_millis(500), "the slowest socket heard it after {slowest:?}");
    // No socket saw a frame that broke its schema.
    assert!(sockets.iter().all(|s| s.inbox.violations().is_empty()));
}
