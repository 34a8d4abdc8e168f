//! Steps for users (seed 003): `user_create`, `user_edit`, `user_delete`, `user_search` and
//! `get_users_by_ids` (NOTES.md S15 to S20).

use std::panic::AssertUnwindSafe;

use chatspec_specs::sama::auth::LoginBody;
use chatspec_specs::sama::envelope::NoParams;
use chatspec_specs::sama::times::TimeRange;
use chatspec_specs::sama::users::{
    GetUsersByIds, GetUsersByIdsParams, UserCreate, UserCreateParams, UserDelete, UserEdit, UserEditParams,
    UserSearch, UserSearchParams,
};
use cucumber::{given, then, when};
use serde_json::{Value, json};

use crate::kit::prose::names;
use crate::sama::SamaWorld;
use crate::sama::driver::{Body, Credentials, SamaReply};
use crate::sama::world::{Actor, Device, ids_of, items, millis};

/// Users and unknown ids in a list: `Bob, Carol and the unknown id "x"`.
pub fn user_ids(w: &SamaWorld, list: &str) -> Vec<String> {
    if list.trim() == "nobody" {
        return Vec::new();
    }
    let mut ids = Vec::new();
    let mut rest = list.to_owned();
    while let Some(at) = rest.find("the unknown id \"") {
        let after = &rest[at + "the unknown id \"".len()..];
        let end = after.find('"').unwrap_or(after.len());
        ids.push(after[..end].to_owned());
        rest = format!("{}{}", &rest[..at], after.get(end + 1..).unwrap_or(""));
    }
    let mut named: Vec<String> = names(&rest).iter().map(|n| w.uid(n)).collect();
    named.extend(ids);
    named
}

#[when("a new user signs up with user_create on a new socket")]
async fn signs_up(w: &mut SamaWorld) {
    let login = w.unique("nora").to_lowercase();
    let password = w.unique("pw");
    let s = w.open_socket("newcomer").await;
    // `user_create: { login, password }`, as the seed shows it.
    let params =
        UserCreateParams { login: login.clone(), password: password.clone(), ..UserCreateParams::default() };
    w.note_extras("user_create", true);
    let sent = s.call::<UserCreate>(&params).await;
    w.keep(sent);
    w.remembered.insert("signup".into(), json!({"login": login, "password": password}));
    w.spare = Some(s);
}

#[when("another new user signs up with the same login")]
async fn same_login(w: &mut SamaWorld) {
    let Some(login) = w.remembered.get("signup").and_then(|s| s.get("login")).and_then(Value::as_str) else {
        panic!("no new user signed up before this step");
    };
    let login = login.to_owned();
    let s = w.open_socket("copycat").await;
    let params = UserCreateParams { login, password: w.unique("pw"), ..UserCreateParams::default() };
    w.note_extras("user_create", true);
    let sent = s.call::<UserCreate>(&params).await;
    w.keep(sent);
    w.spare = Some(s);
}

#[then("the reply's user has the new login, an _id and its dates")]
async fn new_user(w: &mut SamaWorld) {
    let reply = w.last();
    let body = w.ok(&reply);
    let login = w.remembered.get("signup").and_then(|s| s.get("login")).cloned();
    if body.pointer("/user/login").cloned() != login {
        w.fail(
            "user_create answers the new user",
            format!("user.login {}", login.unwrap_or_default()),
            reply.describe(),
        );
    }
}

#[then("the new user can log in over HTTP with that login and password")]
async fn new_user_logs_in(w: &mut SamaWorld) {
    let s = w.remembered.get("signup").cloned().unwrap_or(Value::Null);
    let (login, password) = (s["login"].as_str().unwrap_or(""), s["password"].as_str().unwrap_or(""));
    w.http_login("newcomer", login, password, &w.unique("device"), true).await;
}

#[given(regex = r"^(\w+) has signed up with user_create and connected$")]
async fn has_signed_up(w: &mut SamaWorld, name: String) {
    let ((id, login, password, token, device, expired_at), socket, cookie) = w.sign_up(&name).await;
    w.connect_or_fail(&socket, &name, &token, &device).await;
    let mut devices = std::collections::BTreeMap::new();
    devices
        .insert(String::new(), Device { device_id: device, token, expired_at, socket: Some(socket), cookie });
    w.actors.insert(name, Actor { id, login, password, devices });
}

#[when(regex = r"^(\w+) changes (?:her|his) e-mail and phone$")]
async fn changes_contact_points(w: &mut SamaWorld, name: String) {
    let email = format!("{}@example.test", w.unique(&name).to_lowercase());
    let phone = w.phone();
    w.remembered.insert("profile".into(), json!({"email": email, "phone": phone}));
    let params = UserEditParams { email: Some(email), phone: Some(phone), ..UserEditParams::default() };
    w.request::<UserEdit>(&name, params).await;
}

#[then("the reply's user has the new e-mail and phone")]
async fn has_new_contact_points(w: &mut SamaWorld) {
    let reply = w.last();
    let body = w.ok(&reply);
    let want = w.remembered.get("profile").cloned().unwrap_or(Value::Null);
    let user = body.get("user").cloned().unwrap_or(Value::Null);
    if user.get("email") != want.get("email") || user.get("phone") != want.get("phone") {
        w.fail("user_edit changes the fields it is given", want, user);
    }
}

#[when(regex = r"^(\w+) changes (?:her|his) password giving (a wrong|the) current password$")]
async fn changes_password(w: &mut SamaWorld, name: String, which: String) {
    let current = if which == "the" { w.actor(&name).password.clone() } else { "not-my-password".into() };
    let new = w.unique("new-pw");
    w.remembered.insert("new_password".into(), json!(new));
    let params = UserEditParams {
        current_password: Some(current),
        new_password: Some(new),
        ..UserEditParams::default()
    };
    w.request::<UserEdit>(&name, params).await;
}

#[then(regex = r"^(\w+) can log in over HTTP with the new password$")]
async fn logs_in_with_new_password(w: &mut SamaWorld, name: String) {
    let new = w.remembered.get("new_password").and_then(Value::as_str).unwrap_or_default().to_owned();
    let login = w.actor(&name).login.clone();
    w.http_login(&name, &login, &new, &w.unique("device"), true).await;
}

#[when(regex = r"^(\w+) deletes (?:her|his) account$")]
async fn deletes_account(w: &mut SamaWorld, name: String) {
    w.request::<UserDelete>(&name, NoParams {}).await;
}

#[then(regex = r"^(\w+) can no longer log in over HTTP$")]
async fn cannot_log_in(w: &mut SamaWorld, name: String) {
    let a = w.actor(&name);
    let (login, device) = (a.login.clone(), w.unique("device"));
    let body = LoginBody { login: Some(login), password: Some(a.password.clone()), device_id: Some(device) };
    w.note_extras("login", true);
    let reply = w.post_login(Some(&name), Some(Body::typed(&body)), &Credentials::default()).await;
    if !reply.refused() {
        w.fail("a deleted user cannot log in", "an HTTP status outside 2xx", reply.describe());
    }
    // Wrong credentials and unknown users: 401, or 422 on the public server (S10).
    if !matches!(reply.status, 401 | 422) || !reply.violations.is_empty() {
        w.reading(
            "S10",
            "a deleted user's login is refused with 401 or 422 in the error shape",
            "HTTP 401 or 422 {error: {status, message}}",
            reply.describe(),
        );
    }
}

#[when(regex = r"^(\w+) searches users for (?:(\w+)'s|(?:her|his) own) login(?: ignoring (\w+))?$")]
async fn searches(w: &mut SamaWorld, name: String, whose: String, ignoring: String) {
    let whose = if whose.is_empty() { name.clone() } else { whose };
    let keyword = w.actor(&whose).login.clone();
    // Shaped like the seed's only example, which carries ignore_ids.
    let ignore: Vec<String> = if ignoring.is_empty() { Vec::new() } else { vec![w.uid(&ignoring)] };
    let params = UserSearchParams {
        keyword: Some(keyword),
        limit: Some(100),
        ignore_ids: Some(ignore),
        ..UserSearchParams::default()
    };
    let reply = w.request::<UserSearch>(&name, params).await;
    if reply.is_ok() {
        w.remembered.insert("searched".into(), json!(items(&reply.body, "users")));
    }
}

fn found(w: &SamaWorld) -> Vec<String> {
    let reply = w.last();
    let body = w.ok(&reply);
    ids_of(&items(&body, "users"))
}

#[then(regex = r"^the users found (include|do not include) (\w+(?: and \w+)?)(?: \(reading (S\d+)\))?$")]
async fn found_include(w: &mut SamaWorld, how: String, list: String, entry: String) {
    let done = std::panic::catch_unwind(AssertUnwindSafe(|| {
        for name in names(&list) {
            users_found(w, &how, &name);
        }
    }));
    w.grade(&entry, done);
}

/// The longest text of at least three characters both logins hold, ignoring case.
fn common_part(a: &str, b: &str) -> Option<String> {
    let (a, b): (Vec<char>, Vec<char>) =
        (a.to_lowercase().chars().collect(), b.to_lowercase().chars().collect());
    let mut best: &[char] = &[];
    for i in 0..a.len() {
        for j in i + best.len() + 1..=a.len() {
            let part = &a[i..j];
            if b.windows(part.len()).any(|w| w == part) {
                best = part;
            } else {
                break;
            }
        }
    }
    (best.len() >= 3).then(|| best.iter().collect())
}

/// `user_search { keyword, limit, updated_at, ignore_ids }`, shaped like the seed's example
/// (`ignore_ids` empty, `limit` 100 unless varied).
async fn search(w: &mut SamaWorld, name: &str, keyword: String, limit: u64, updated_at: Option<TimeRange>) {
    let params = UserSearchParams {
        keyword: Some(keyword),
        limit: Some(limit),
        updated_at,
        ignore_ids: Some(Vec::new()),
    };
    w.request::<UserSearch>(name, params).await;
}

#[when(regex = r"^(\w+) searches users for a keyword common to (\w+)'s and (\w+)'s logins$")]
async fn searches_common(w: &mut SamaWorld, name: String, a: String, b: String) {
    let Some(keyword) = common_part(&w.actor(&a).login, &w.actor(&b).login) else {
        w.impossible(format!("the logins of {a} and {b} share no three characters to search for"));
    };
    w.remembered.insert("keyword".into(), json!(keyword));
    search(w, &name, keyword, 100, None).await;
}

#[when(regex = r"^(\w+) searches users for the same keyword with the limit (\d+)$")]
async fn searches_same(w: &mut SamaWorld, name: String, limit: u64) {
    let keyword = w.remembered.get("keyword").and_then(Value::as_str).unwrap_or_default().to_owned();
    search(w, &name, keyword, limit, None).await;
}

#[when(
    regex = r"^(\w+) searches users for (\w+)'s login changed after (a time before )?(?:her|his) updated_at$"
)]
async fn searches_since(w: &mut SamaWorld, name: String, whose: String, before: String) {
    // `whose`'s updated_at as the last plain search answered it.
    let id = w.uid(&whose);
    let record = w.remembered.get("searched").and_then(Value::as_array).and_then(|users| {
        users.iter().find(|u| u.get("_id").and_then(Value::as_str) == Some(id.as_str())).cloned()
    });
    let Some(at) = record.as_ref().and_then(|u| millis(&u["updated_at"])) else {
        w.fail(
            "user_search answers each user with an ISO updated_at",
            format!("{whose} ({id}) with updated_at: \"2022-10-13T13:11:04.447Z\""),
            record.unwrap_or(Value::Null),
        );
    };
    // The very time (`gt` is exclusive), or a second before it.
    let gt = if before.is_empty() { at } else { at - 1000 };
    let keyword = w.actor(&whose).login.clone();
    search(w, &name, keyword, 100, Some(TimeRange { gt: Some(gt), lt: None })).await;
}

#[then(regex = r"^at least (\d+) users? (?:is|are) found(?: \(reading (S\d+)\))?$")]
async fn at_least_found(w: &mut SamaWorld, n: usize, entry: String) {
    let done = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let got = found(w);
        if got.len() < n {
            w.fail(
                "user_search finds users whose login holds the keyword (S19)",
                format!("at least {n} users"),
                format!("{got:?}"),
            );
        }
    }));
    w.grade(&entry, done);
}

#[then(regex = r"^at most (\d+) users? (?:is|are) found$")]
async fn at_most_found(w: &mut SamaWorld, n: usize) {
    let got = found(w);
    if got.len() > n {
        w.fail("user_search answers at most limit users", format!("at most {n} users"), format!("{got:?}"));
    }
}

fn users_found(w: &SamaWorld, how: &str, name: &str) {
    let ids = found(w);
    let id = w.uid(name);
    if ids.contains(&id) != (how == "include") {
        let rule = if name == "Alice" {
            "user_search never lists the caller (S19)"
        } else {
            "user_search finds by login, skipping ignore_ids and users not changed after updated_at gt (S19)"
        };
        w.fail(rule, format!("{how} {name} ({id})"), format!("{ids:?}"));
    }
}

#[when(regex = r"^(\w+) gets the users (.+)$")]
async fn gets_users(w: &mut SamaWorld, name: String, list: String) {
    let ids = user_ids(w, &list);
    w.request::<GetUsersByIds>(&name, GetUsersByIdsParams { ids }).await;
}

#[then(regex = r"^the users found are exactly (.+)$")]
async fn found_exactly(w: &mut SamaWorld, list: String) {
    let mut got = found(w);
    let mut want = user_ids(w, &list);
    got.sort();
    want.sort();
    if !want.iter().all(|id| got.contains(id)) {
        w.fail("get_users_by_ids answers the users asked for", format!("{want:?}"), format!("{got:?}"));
    }
    if got != want {
        w.reading("S20", "get_users_by_ids leaves unknown ids out", format!("{want:?}"), format!("{got:?}"));
    }
}
