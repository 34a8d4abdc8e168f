//! Steps for last activity (seed 003): `user_last_activity`, `user_last_activity_subscribe`
//! and the `last_activity` events (NOTES.md S55 to S57), and `user_last_activity_unsubscribe`
//! (the reading S64).

use std::panic::AssertUnwindSafe;

use chatspec_specs::Endpoint as _;
use chatspec_specs::sama::activity::{
    UserLastActivity, UserLastActivityParams, UserLastActivitySubscribe, UserLastActivitySubscribeParams,
    UserLastActivityUnsubscribe,
};
use chatspec_specs::sama::compat::Switch;
use chatspec_specs::sama::envelope::NoParams;
use cucumber::{then, when};
use futures::FutureExt as _;
use serde_json::Value;

use super::offline::offline_seconds;
use super::users::user_ids;
use crate::sama::SamaWorld;
use crate::sama::driver::{Body, SUITE_BUG};
use crate::sama::world::CONNECTION_ENDED;

#[when(regex = r"^(\w+) asks for the last activity of (.+)$")]
async fn asks_activity(w: &mut SamaWorld, who: String, list: String) {
    if let Some(n) = list.strip_suffix(" users").and_then(|n| n.parse::<usize>().ok()) {
        // More ids than the request schema allows, on purpose: a negative scenario.
        let ids = (0..n).map(|i| format!("{i:024x}")).collect();
        let text = Body::typed(&UserLastActivityParams { ids }).text();
        w.request_malformed(&who, UserLastActivity::NAME, text).await;
        return;
    }
    let ids = user_ids(w, &list);
    w.request::<UserLastActivity>(&who, UserLastActivityParams { ids }).await;
}

#[when(regex = r"^(\w+) subscribes to the last activity of (.+)$")]
async fn subscribes(w: &mut SamaWorld, who: String, list: String) {
    let id = user_ids(w, &list).into_iter().next().unwrap_or_default();
    w.request::<UserLastActivitySubscribe>(&who, UserLastActivitySubscribeParams { id }).await;
}

/// "online" (S55): a declared online_as_zero was read as "online" by the driver; an
/// undeclared one fails with a hint.
fn check_online(w: &SamaWorld, value: Option<&Value>, rule: &str) {
    if value.and_then(Value::as_str) == Some("online") {
        return;
    }
    let actual = value.cloned().unwrap_or(Value::Null);
    if actual.as_i64() == Some(0) {
        w.fail_known(Switch::OnlineAsZero, rule, "\"online\"", actual);
    } else {
        w.fail(rule, "\"online\"", actual);
    }
}

#[then(regex = r"^the reply says (\w+) is online$")]
async fn says_online(w: &mut SamaWorld, name: String) {
    let reply = w.last();
    let body = w.ok(&reply);
    let id = w.uid(&name);
    check_online(
        w,
        body.pointer(&format!("/last_activity/{id}")),
        "a connected user's last activity is \"online\" (seed 003: uid2: \"online\")",
    );
}

#[then(regex = r"^the reply gives (\w+)'s last activity in seconds$")]
async fn says_seconds(w: &mut SamaWorld, name: String) {
    let reply = w.last();
    let body = w.ok(&reply);
    let id = w.uid(&name);
    let v = body.pointer(&format!("/last_activity/{id}")).cloned();
    if offline_seconds(v.as_ref()).is_none_or(|s| s > 100_000_000_000) {
        w.fail(
            "an offline user's last activity is num_of_seconds (S55)",
            "seconds since the epoch",
            format!("{v:?}"),
        );
    }
}

#[then(regex = r#"^(\w+) receives (\w+)'s last activity (in seconds|"online")$"#)]
async fn receives_activity(w: &mut SamaWorld, who: String, name: String, how: String) {
    let id = w.uid(&name);
    let rule =
        "\"Once that user will go offline/online, you will be receiving his/her last activity status\"";
    if how == "in seconds" {
        w.expect_frame(&who, &format!("last_activity {{{id}: <seconds>}}"), |e| {
            e.name == "last_activity" && offline_seconds(e.data.get(&id)).is_some()
        })
        .await;
    } else {
        let e = w
            .expect_frame(&who, &format!("last_activity {{{id}: \"online\"}}"), |e| {
                e.name == "last_activity"
                    && e.data.get(&id).is_some_and(|v| v.as_str() == Some("online") || v.as_i64() == Some(0))
            })
            .await;
        check_online(w, e.data.get(&id), rule);
    }
}

#[when(regex = r"^(\w+) unsubscribes from last activity \(reading (S\d+)\)$")]
async fn unsubscribes(w: &mut SamaWorld, who: String, entry: String) {
    let reply = w.request::<UserLastActivityUnsubscribe>(&who, NoParams {}).await;
    let done = std::panic::catch_unwind(AssertUnwindSafe(|| {
        if w.ok(&reply).get("success") != Some(&Value::Bool(true)) {
            w.fail(
                "user_last_activity_unsubscribe answers success: true",
                "{response: {id, success: true}}",
                reply.describe(),
            );
        }
    }));
    let Err(payload) = done else { return };
    let text = payload.downcast_ref::<String>().cloned().unwrap_or_default();
    if text.contains(CONNECTION_ENDED) || text.starts_with(SUITE_BUG) {
        // A dropped connection breaks more than the reading.
        std::panic::resume_unwind(payload);
    }
    // Nothing after this step means anything once the request is not known.
    w.reading_ends(
        &entry,
        "user_last_activity_unsubscribe ends the socket's subscriptions",
        "{response: {id, success: true}}",
        reply.describe(),
    );
}

#[then(regex = r"^(\w+) receives no last activity of (\w+)(?: \(reading (S\d+)\))?$")]
async fn receives_no_activity(w: &mut SamaWorld, who: String, name: String, entry: String) {
    let id = w.uid(&name);
    // The event it could be was sent when the server told the step that took the user
    // offline (or online); quiet from now on.
    w.quiet_from = Some(tokio::time::Instant::now());
    let what = format!("last_activity {{{id}: ...}}");
    let done = AssertUnwindSafe(
        w.expect_no_frame(&who, &what, |e| e.name == "last_activity" && e.data.get(&id).is_some()),
    )
    .catch_unwind()
    .await;
    w.grade(&entry, done);
}
