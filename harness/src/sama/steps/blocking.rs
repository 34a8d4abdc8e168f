//! Steps for blocking (seed 003): `block_user`, `unblock_user` and `list_blocked_users`, and
//! the messages a block stops (NOTES.md S51, S61).

use std::panic::AssertUnwindSafe;

use chatspec_specs::sama::blocking::{BlockParams, BlockUser, ListBlockedUsers, UnblockUser};
use chatspec_specs::sama::envelope::NoParams;
use cucumber::{given, then, when};
use serde_json::Value;

use super::users::user_ids;
use crate::sama::SamaWorld;

#[when(regex = r"^(\w+) (blocks|unblocks) (.+)$")]
async fn blocks(w: &mut SamaWorld, who: String, how: String, list: String) {
    let ids = user_ids(w, &list);
    if how == "blocks" {
        w.request::<BlockUser>(&who, BlockParams { ids }).await;
    } else {
        w.request::<UnblockUser>(&who, BlockParams { ids }).await;
    }
}

#[given(regex = r"^(\w+) has blocked (.+)$")]
async fn has_blocked(w: &mut SamaWorld, who: String, list: String) {
    blocks(w, who, "blocks".into(), list).await;
    let reply = w.last();
    w.ok(&reply);
}

async fn blocked(w: &mut SamaWorld, who: &str) -> Vec<String> {
    let reply = w.request::<ListBlockedUsers>(who, NoParams {}).await;
    let body = w.ok(&reply);
    body.get("users")
        .and_then(Value::as_array)
        .map(|u| u.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

#[then(regex = r"^(\w+)'s blocked users are (.+) in that order(?: \(reading (S\d+)\))?$")]
async fn blocked_in_order(w: &mut SamaWorld, who: String, list: String, entry: String) {
    let want = user_ids(w, &list);
    let all = blocked(w, &who).await;
    if !want.iter().all(|id| all.contains(id)) {
        w.fail("list_blocked_users lists the blocked users' ids", format!("{want:?}"), format!("{all:?}"));
    }
    let done = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let got: Vec<&String> = all.iter().filter(|id| want.contains(id)).collect();
        if got != want.iter().collect::<Vec<_>>() {
            w.fail(
                "list_blocked_users lists the blocked users' ids in the order blocked (S61)",
                format!("{want:?}"),
                format!("{got:?}"),
            );
        }
    }));
    w.grade(&entry, done);
}

#[then(regex = r"^(\w+)'s blocked users include neither (\w+) nor (\w+)$")]
async fn blocked_neither(w: &mut SamaWorld, who: String, a: String, b: String) {
    let ids = user_ids(w, &format!("{a} and {b}"));
    let got = blocked(w, &who).await;
    if got.iter().any(|id| ids.contains(id)) {
        w.fail(
            "unblock_user takes users off the blocked list",
            format!("none of {ids:?}"),
            format!("{got:?}"),
        );
    }
}
