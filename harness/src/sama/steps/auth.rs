//! Steps for signing in (seed 003): `POST /login` in its three forms, `POST /logout`,
//! `connect`, the deprecated `user_login` and `user_logout`, and token expiry (NOTES.md S4
//! to S9).

use std::panic::AssertUnwindSafe;

use chatspec_specs::sama::auth::{Connect, ConnectParams, LoginBody, UserLogin, UserLoginParams, UserLogout};
use chatspec_specs::sama::compat::Switch;
use chatspec_specs::sama::conversations::{ConversationList, ConversationListParams};
use chatspec_specs::sama::envelope::NoParams;
use cucumber::{given, then, when};
use serde_json::{Value, json};

use crate::sama::SamaWorld;
use crate::sama::driver::{self as driver, Body, Credentials, Reply};
use crate::sama::world::Device;

/// Logs `name` in over HTTP with a password on device `device`; keeps the reply, and the
/// device's token for later steps.
async fn password_login(
    w: &mut SamaWorld,
    name: &str,
    device: &str,
    password: Option<&str>,
    with_device: bool,
) {
    let a = w.actor(name);
    let device_id = w.unique(device);
    let login = a.login.clone();
    let body = LoginBody {
        login: Some(login),
        password: Some(password.unwrap_or(&a.password).to_owned()),
        device_id: with_device.then(|| device_id.clone()),
    };
    w.note_extras("login", true);
    let reply = w.post_login(Some(name), Some(Body::typed(&body)), &Credentials::default()).await;
    keep_login(w, name, device, device_id, reply);
}

/// Remembers a login reply; a successful one gives `device` its new access token.
fn keep_login(w: &mut SamaWorld, name: &str, device: &str, device_id: String, reply: Reply) {
    if reply.status == 200
        && let Some(token) = reply.body.get("access_token").and_then(Value::as_str)
    {
        let expired_at = reply.body.get("expired_at").and_then(Value::as_i64).unwrap_or(0);
        let cookie = driver::refresh_cookie(&reply);
        let a = w.actors.get_mut(name).map(|a| a.devices.entry(device.to_owned()));
        if let Some(entry) = a {
            let d = entry.or_insert_with(|| Device {
                device_id,
                token: String::new(),
                expired_at,
                socket: None,
                cookie: None,
            });
            d.token = token.to_owned();
            d.expired_at = expired_at;
            if cookie.is_some() {
                d.cookie = cookie;
            }
        }
    }
    w.http = Some(reply);
}

fn device<'a>(w: &'a SamaWorld, name: &str, device: &str) -> &'a Device {
    match w.actor(name).devices.get(device) {
        Some(d) => d,
        None => panic!("{name} has not logged in on the device {device:?} in this scenario"),
    }
}

fn http_reply(w: &SamaWorld) -> Reply {
    match &w.http {
        Some(r) => r.clone(),
        None => panic!("no HTTP login or logout was made before this step"),
    }
}

#[when(regex = r#"^(\w+) logs in over HTTP with (?:her|his) password on the device "([^"]*)"$"#)]
async fn logs_in(w: &mut SamaWorld, name: String, device: String) {
    password_login(w, &name, &device, None, true).await;
}

#[given(regex = r#"^(\w+) has logged in over HTTP on the device "([^"]*)"$"#)]
async fn has_logged_in(w: &mut SamaWorld, name: String, device: String) {
    password_login(w, &name, &device, None, true).await;
    let reply = http_reply(w);
    if reply.status != 200 {
        // Set-up: a scenario of another rule is blocked by the refused login, not failed.
        w.fail_on_rule(
            crate::sama::world::PASSWORD_LOGIN_RULE,
            "POST /login with login and password succeeds",
            "HTTP 200",
            w.hinted(&reply),
        );
    }
}

#[when(regex = r"^(\w+) logs in over HTTP with a wrong password$")]
async fn wrong_password(w: &mut SamaWorld, name: String) {
    password_login(w, &name, "laptop", Some("not-the-password"), true).await;
}

#[when(regex = r"^(\w+) logs in over HTTP with (?:her|his) password and no device$")]
async fn no_device(w: &mut SamaWorld, name: String) {
    password_login(w, &name, "none", None, false).await;
}

#[when(regex = r#"^(\w+) logs in over HTTP with the access token of "([^"]*)" and the device in a header$"#)]
async fn bearer_login(w: &mut SamaWorld, name: String, dev: String) {
    let d = device(w, &name, &dev);
    let (token, device_id) = (d.token.clone(), d.device_id.clone());
    let creds = Credentials { bearer: Some(&token), device: Some(&device_id), cookie: None };
    // The device goes in the header, as documented; a server declared to read it from the
    // body only gets it there too (S4), and the profile's extra fields go in the body.
    let in_body = w.deviation(
        Switch::LoginDeviceIdInBodyOnly,
        "an access-token login with device_id in the header",
        "device_id in the header",
        "device_id also sent in the body",
    );
    w.note_extras("login", true);
    let body = in_body
        .then(|| Body::typed(&LoginBody { device_id: Some(device_id.clone()), ..LoginBody::default() }));
    let reply = w.post_login(Some(&name), body, &creds).await;
    keep_login(w, &name, &dev, device_id.clone(), reply);
}

#[when(regex = r#"^(\w+) logs in over HTTP with the refresh-token cookie of "([^"]*)"$"#)]
async fn cookie_login(w: &mut SamaWorld, name: String, dev: String) {
    let device_id = device(w, &name, &dev).device_id.clone();
    let Some(cookie) = device(w, &name, &dev).cookie.clone() else {
        w.fail(
            "a password login sets the refresh-token cookie",
            "a Set-Cookie with the refresh token",
            "none was set",
        );
    };
    // The device goes in the body and in the header (NOTES.md S4).
    let creds = Credentials { bearer: None, device: Some(&device_id), cookie: Some(&cookie) };
    let body = LoginBody { device_id: Some(device_id.clone()), ..LoginBody::default() };
    w.note_extras("login", true);
    let reply = w.post_login(Some(&name), Some(Body::typed(&body)), &creds).await;
    keep_login(w, &name, &dev, device_id.clone(), reply);
}

#[when(regex = r#"^someone logs in over HTTP with the body "(.*)"$"#)]
async fn raw_login(w: &mut SamaWorld, body: String) {
    let reply = w.post_login(None, Some(Body::malformed(body)), &Credentials::default()).await;
    w.http = Some(reply);
}

#[then(regex = r"^the login answers (\w+)'s user with an access token and its expiry time$")]
async fn login_answers(w: &mut SamaWorld, name: String) {
    let reply = http_reply(w);
    if reply.status != 200 {
        w.fail("POST /login succeeds", "HTTP 200 {user, access_token, expired_at}", w.hinted(&reply));
    }
    if !reply.violations.is_empty() {
        w.fail(
            "the login reply matches its schema",
            "{user, access_token, expired_at}",
            reply.violations.join("\n  "),
        );
    }
    let id = w.actor(&name).id.clone();
    if reply.body.pointer("/user/_id").and_then(Value::as_str) != Some(id.as_str()) {
        w.fail(
            "\"All variations of the query will have the same response: user, ...\"",
            format!("user._id {id:?}"),
            reply.describe(),
        );
    }
    // "timestamp_in_ms": a time in milliseconds, in the future.
    let now_ms = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
    let exp = reply.body.get("expired_at").and_then(Value::as_i64).unwrap_or(0);
    if exp <= now_ms || exp > now_ms * 10 {
        w.fail(
            "expired_at is \"timestamp_in_ms - the time when the access_token will expire\"",
            format!("milliseconds after now ({now_ms})"),
            exp,
        );
    }
}

#[then(regex = r"^the login sets (an HttpOnly|no) refresh-token cookie$")]
async fn login_cookie(w: &mut SamaWorld, which: String) {
    let reply = http_reply(w);
    let found = driver::refresh_cookie(&reply);
    if which == "no" {
        if let Some(c) = found {
            w.fail("a login with an access token sets no new refresh token", "no refresh-token cookie", c);
        }
        return;
    }
    if found.is_none() {
        w.fail(
            "\"a new refresh_token will be embedded in the response cookie\"",
            "Set-Cookie: refresh_token=...",
            reply.describe(),
        );
    }
    let http_only = driver::set_cookies(&reply).iter().any(|c| {
        let lower = c.to_ascii_lowercase();
        lower.contains("refresh") && lower.split(';').any(|p| p.trim() == "httponly")
    });
    if !http_only {
        w.reading(
            "S5",
            "the refresh-token cookie is HttpOnly",
            "Set-Cookie: refresh_token=...; HttpOnly",
            reply.describe(),
        );
    }
}

#[then(
    regex = r"^the (login|logout) is refused(?: with status (\d+)(?: or (\d+))?)?(?: \(reading (S\d+)\))?$"
)]
async fn http_refused(w: &mut SamaWorld, _route: String, a: String, b: String, entry: String) {
    let done = std::panic::catch_unwind(AssertUnwindSafe(|| http_refusal(w, &[a, b])));
    w.grade(&entry, done);
}

/// "The request is refused": any status outside 2xx; the status and the error's shape are
/// the register's (S10).
fn http_refusal(w: &SamaWorld, statuses: &[String]) {
    let reply = http_reply(w);
    let want: Vec<u16> = statuses.iter().filter_map(|s| s.parse().ok()).collect();
    let shape = format!("HTTP {want:?} with {{\"error\": {{\"status\", \"message\"}}}}");
    if !reply.refused() {
        w.fail(&format!("POST /{} is refused", reply.name), "an HTTP status outside 2xx", reply.describe());
    }
    if !want.is_empty() && !want.contains(&reply.status) {
        w.reading(
            "S10",
            &format!("POST /{} is refused with status {want:?}", reply.name),
            &shape,
            reply.describe(),
        );
    }
    let status = reply.body.pointer("/error/status").and_then(Value::as_u64);
    for m in &reply.readings {
        w.reading(&m.entry, "HTTP errors come in the one error shape (S10)", &shape, m.text());
    }
    if reply.readings.is_empty() && status != Some(u64::from(reply.status)) {
        w.reading("S10", "the error's status is the HTTP status (S10)", &shape, reply.describe());
    }
}

// ---- connect ---------------------------------------------------------------------------------

#[when(
    regex = r#"^(\w+) connects a new socket on the device "([^"]*)"(?: with the access token of "([^"]*)")?$"#
)]
async fn connects_new(w: &mut SamaWorld, name: String, dev: String, token_of: String) {
    let token = if token_of.is_empty() {
        device(w, &name, &dev).token.clone()
    } else {
        device(w, &name, &token_of).token.clone()
    };
    let device_id = match w.actor(&name).devices.get(&dev) {
        Some(d) => d.device_id.clone(),
        None => w.unique(&dev),
    };
    let who = format!("{name}'s {dev}");
    let socket = w.open_socket(&who).await;
    let sent = socket.call::<Connect>(&ConnectParams { token, device_id: device_id.clone() }).await;
    w.keep(sent);
    if let Some(a) = w.actors.get_mut(&name) {
        let d = a.devices.entry(dev.clone()).or_insert_with(|| Device {
            device_id,
            token: String::new(),
            expired_at: 0,
            socket: None,
            cookie: None,
        });
        d.socket = Some(socket);
    }
    w.that = Some(who);
}

#[when(regex = r#"^(\w+) connects that socket on the device "([^"]*)"$"#)]
async fn connects_that(w: &mut SamaWorld, name: String, dev: String) {
    let d = device(w, &name, &dev);
    let params = ConnectParams { token: d.token.clone(), device_id: d.device_id.clone() };
    let that = w.that.clone().unwrap_or_default();
    let sent = w.socket(&that).call::<Connect>(&params).await;
    w.keep(sent);
}

#[when(regex = r#"^someone connects a new socket with the token "([^"]*)" on the device "([^"]*)"$"#)]
async fn someone_connects(w: &mut SamaWorld, token: String, device: String) {
    let s = w.open_socket("someone").await;
    let sent = s.call::<Connect>(&ConnectParams { token, device_id: device }).await;
    w.keep(sent);
    w.spare = Some(s);
}

#[then(regex = r"^(\w+)'s (\w+) can list (?:her|his) conversations$")]
async fn device_lists(w: &mut SamaWorld, name: String, dev: String) {
    let reply =
        w.look_up::<ConversationList>(&format!("{name}'s {dev}"), ConversationListParams::default()).await;
    w.ok(&reply);
}

#[then(
    regex = r"^(\w+)'s socket is refused further requests with status (\d+) or (\d+)(?: \(reading (S\d+)\))?$"
)]
async fn refused_further(w: &mut SamaWorld, name: String, a: u64, b: u64, entry: String) {
    let reply = w.request::<ConversationList>(&name, ConversationListParams::default()).await;
    let done = std::panic::catch_unwind(AssertUnwindSafe(|| w.refused(&reply, &[a, b])));
    w.grade(&entry, done);
}

// ---- logout ----------------------------------------------------------------------------------

#[when(regex = r"^(\w+) logs out over HTTP$")]
async fn logs_out(w: &mut SamaWorld, name: String) {
    if device(w, &name, "").cookie.is_none() {
        // A user made through the admin API has no refresh cookie yet: log the device in as
        // a client would have, so the logout can pass it.
        let (a, device_id) = (w.actor(&name), device(w, &name, "").device_id.clone());
        let (login, password) = (a.login.clone(), a.password.clone());
        let got = w.http_login(&name, &login, &password, &device_id, false).await;
        if let Some(d) = w.actors.get_mut(&name).and_then(|a| a.devices.get_mut("")) {
            d.token = got.token;
            d.cookie = got.cookie;
        }
    }
    let d = device(w, &name, "");
    let (token, cookie) = (d.token.clone(), d.cookie.clone());
    // With the refresh-token cookie the device's login set, when it set one (S9: "if you do
    // not pass an actual refresh_token in the http request credentials...").
    let creds = Credentials { bearer: Some(&token), cookie: cookie.as_deref(), ..Credentials::default() };
    let reply = driver::logout(&w.ctx, &w.wire, Some(&name), &creds).await;
    w.http = Some(reply);
}

#[when("someone logs out over HTTP without a token")]
async fn logs_out_anonymously(w: &mut SamaWorld) {
    let reply = driver::logout(&w.ctx, &w.wire, None, &Credentials::default()).await;
    w.http = Some(reply);
}

#[then("the logout answers success true")]
async fn logout_ok(w: &mut SamaWorld) {
    let reply = http_reply(w);
    if reply.status != 200 || reply.body != json!({"success": true}) || !reply.violations.is_empty() {
        w.fail("POST /logout answers { success: true }", "HTTP 200 {\"success\": true}", w.hinted(&reply));
    }
}

// ---- the deprecated socket requests --------------------------------------------------------

async fn user_login(w: &mut SamaWorld, name: &str, dev: &str, params: UserLoginParams, device_id: String) {
    let who = format!("{name}'s {dev}");
    let s = w.open_socket(&who).await;
    w.note_extras("user_login", true);
    let reply = w.sent(s.call::<UserLogin>(&params).await);
    let token = reply.body.get("token").and_then(Value::as_str).unwrap_or_default().to_owned();
    w.last = Some(reply);
    if let Some(a) = w.actors.get_mut(name) {
        a.devices.insert(
            dev.to_owned(),
            Device { device_id, token, expired_at: 0, socket: Some(s), cookie: None },
        );
    }
    w.that = Some(who);
}

#[when(
    regex = r#"^(\w+) sends user_login with (?:her|his) password on a new socket as the device "([^"]*)"$"#
)]
async fn sends_user_login(w: &mut SamaWorld, name: String, dev: String) {
    let a = w.actor(&name);
    let device_id = w.unique(&dev);
    let params = UserLoginParams {
        login: Some(a.login.clone()),
        password: Some(a.password.clone()),
        device_id: Some(device_id.clone()),
        token: None,
    };
    user_login(w, &name, &dev, params, device_id).await;
}

#[given(
    regex = r#"^(\w+) has sent user_login with (?:her|his) password on a new socket as the device "([^"]*)"$"#
)]
async fn has_sent_user_login(w: &mut SamaWorld, name: String, dev: String) {
    sends_user_login(w, name, dev).await;
    let reply = w.last();
    w.ok(&reply);
}

#[when(regex = r"^(\w+) sends user_login with that token on a new socket$")]
async fn user_login_by_token(w: &mut SamaWorld, name: String) {
    let that = w.that.clone().unwrap_or_default();
    let (_, dev) = crate::sama::world::split_who(&that);
    let d = device(w, &name, dev);
    let (token, device_id) = (d.token.clone(), d.device_id.clone());
    // `user_login: { token }` as the seed shows it; a server declared to need the device too
    // gets the token's (token_login_needs_organization, S8).
    let mut params = UserLoginParams { token: Some(token), ..UserLoginParams::default() };
    if w.deviation(
        Switch::TokenLoginNeedsOrganization,
        "user_login with a token alone",
        "user_login: { token }",
        "device_id sent too",
    ) {
        params.device_id = Some(device_id.clone());
    }
    user_login(w, &name, "relogin", params, device_id).await;
}

#[then(regex = r"^the reply carries (\w+)'s user and a token$")]
async fn carries_user_and_token(w: &mut SamaWorld, name: String) {
    let reply = w.last();
    let body = w.ok(&reply);
    let id = w.actor(&name).id.clone();
    let token_ok = body.get("token").and_then(Value::as_str).is_some_and(|t| !t.is_empty());
    if body.pointer("/user/_id").and_then(Value::as_str) != Some(id.as_str()) || !token_ok {
        w.fail(
            "user_login answers { id, user: {...}, token: \"...\" }",
            format!("user._id {id:?} and a token"),
            reply.describe(),
        );
    }
}

#[then(regex = r"^that socket can list (\w+)'s conversations$")]
async fn that_socket_lists(w: &mut SamaWorld, _name: String) {
    let that = w.that.clone().unwrap_or_default();
    let reply = w.look_up::<ConversationList>(&that, ConversationListParams::default()).await;
    w.ok(&reply);
}

#[when(regex = r"^(\w+) sends user_logout$")]
async fn sends_user_logout(w: &mut SamaWorld, name: String) {
    w.request::<UserLogout>(&name, NoParams {}).await;
}

// ---- expiry ----------------------------------------------------------------------------------

#[when(regex = r#"^the server's clock passes the expiry time of the access token of "([^"]*)"$"#)]
async fn clock_passes_expiry(w: &mut SamaWorld, dev: String) {
    let Some(expired_at) = w.actors.values().find_map(|a| a.devices.get(&dev)).map(|d| d.expired_at) else {
        panic!("no user logged in on the device {dev:?} in this scenario");
    };
    // The server's time: the mock admin API's when it moves the clock, else this machine's
    // (the wait is then real, as the profile allows: max_real_time_wait_seconds).
    let now_ms = if w.ctx.target.clock_control {
        let now = w.admin(reqwest::Method::GET, "/_mock/health", None, "tells the server's time").await;
        match crate::sama::world::millis(&now["now"]) {
            Some(ms) => ms,
            // The admin contract's reply, not the API's: a time that cannot be read is a
            // provisioning error, as every admin reply outside the contract is.
            None => w.provisioning_error(format!(
                "GET /_mock/health answered a \"now\" that is not an RFC 3339 time: {now}"
            )),
        }
    } else {
        i64::try_from(time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
    };
    let seconds = u64::try_from((expired_at - now_ms).max(0) / 1000 + 2).unwrap_or(u64::MAX);
    w.advance_clock(seconds).await;
}

#[then("the request succeeds with success true")]
async fn succeeds_with_success(w: &mut SamaWorld) {
    let reply = w.last();
    let body = w.ok(&reply);
    if body.get("success") != Some(&Value::Bool(true)) {
        w.fail(
            &format!("{} answers success: true", reply.name),
            "{response: {id, success: true}}",
            reply.describe(),
        );
    }
}

#[then("the request succeeds")]
async fn succeeds(w: &mut SamaWorld) {
    let reply = w.last();
    w.ok(&reply);
}

#[then(
    regex = r"^the (request|message|system message|typing) is refused(?: with status (\d+)(?: or (\d+))?)?(?: \(reading (S\d+)\))?$"
)]
async fn is_refused(w: &mut SamaWorld, what: String, a: String, b: String, entry: String) {
    if what == "typing"
        && let Some(pending) = w.pending.take()
    {
        // A packet sent without an id: its error, if any, answers it (S12).
        let reply = pending.reply().await;
        w.last = Some(reply);
    }
    let reply = w.last();
    let want: Vec<u64> = [a, b].iter().filter_map(|s| s.parse().ok()).collect();
    let done = std::panic::catch_unwind(AssertUnwindSafe(|| w.refused(&reply, &want)));
    w.grade(&entry, done);
}
