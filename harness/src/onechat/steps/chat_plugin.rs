//! Steps for the chat plugin library `ocwp` (seed 004, "Chat Plugin Javascript Library
//! Functions"), run in the scenario's page (`page.rs`; NOTES.md O15 to O20).

use chatspec_specs::onechat::Route;
use chatspec_specs::onechat::relay::GroupMessage;
use cucumber::gherkin::Step;
use cucumber::{given, then, when};
use reqwest::Method;
use serde_json::{Value, json};

use crate::kit::prose::names;
use crate::onechat::OneChatWorld;
use crate::onechat::driver::{Body, OneChatReply};
use crate::onechat::world::{CONTAINER, js_string};
use crate::onechat::world::{Group, Key, OwnServer, User, recipients, uuid_v4};

/// The statuses `ocwp.getConnectionStatus()` may return.
pub const STATUSES: [&str; 8] = [
    "XMPP_CONNECTION_IDLE",
    "XMPP_CONNECTION_DISCONNECTED",
    "XMPP_CONNECTION_CONNECTED",
    "XMPP_CONNECTION_CONNECTED_READY",
    "XMPP_CONNECTION_CONNECTING",
    "XMPP_CONNECTION_AUTHFAIL",
    "XMPP_CONNECTION_CONNFAIL",
    "XMPP_CONNECTION_ERROR",
];

/// Statuses a login or a connection settles in.
const SETTLED: [&str; 5] = [
    "XMPP_CONNECTION_CONNECTED_READY",
    "XMPP_CONNECTION_AUTHFAIL",
    "XMPP_CONNECTION_CONNFAIL",
    "XMPP_CONNECTION_ERROR",
    "XMPP_CONNECTION_DISCONNECTED",
];

impl OneChatWorld {
    /// The URL of `ocwp`: the scenario's own server's, else the target's.
    fn ocwp_url(&self) -> String {
        match &self.own_server {
            Some(s) => format!("{}/ocwp.js", s.base_url),
            None => self.ctx.target.ocwp_url(),
        }
    }

    /// `{{Ann.jid}}`, `{{Ann.password}}` in `text`, replaced by the user's.
    fn with_users(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for (name, user) in &self.users {
            out = out.replace(&format!("{{{{{name}.jid}}}}"), &user.jid);
            out = out.replace(&format!("{{{{{name}.password}}}}"), &user.password);
        }
        out
    }

    async fn ocwp_status(&self) -> Value {
        self.page_eval("ocwp.getConnectionStatus()", "ocwp.getConnectionStatus() answers").await
    }

    async fn ocwp_login(&mut self, usr: &str, pw: &str) {
        let js = format!("(ocwp.login({}, {}), true)", js_string(usr), js_string(pw));
        self.page_eval(&js, "ocwp.login(usr, pw) runs").await;
    }

    /// The chat box of the group `label`, as a CSS selector.
    fn chat_box(&self, label: &str) -> String {
        self.ctx.target.onechat.libraries.chat_box_selector.replace("{jid}", &self.group_jid(label))
    }
}

#[given("a page with the chat plugin")]
async fn page_with_plugin(w: &mut OneChatWorld) {
    let url = w.ocwp_url();
    w.open_page(&[url]).await;
}

#[given("a page with the chat plugin initialised")]
async fn page_initialised(w: &mut OneChatWorld) {
    page_with_plugin(w).await;
    let js = format!("(ocwp.init({{ containerElement: document.getElementById('{CONTAINER}') }}), true)");
    w.page_eval(&js, "ocwp.init({containerElement}) runs").await;
}

#[when("the page calls ocwp.init with:")]
async fn init_with(w: &mut OneChatWorld, step: &Step) {
    let Some(options) = step.docstring.as_deref() else {
        panic!("the step needs the options as a docstring")
    };
    let options = w.with_users(options);
    let js = format!(
        "(() => {{ try {{ ocwp.init({options}); return {{ threw: null }}; }} catch (e) {{ return {{ threw: String(e) }}; }} }})()"
    );
    let got = w.page_eval(&js, "ocwp.init(...) runs").await;
    w.js = Some(got);
}

#[then("ocwp.init was refused with an error")]
async fn init_refused(w: &mut OneChatWorld) {
    let threw = w.js.as_ref().and_then(|v| v.get("threw")).and_then(Value::as_str).map(str::to_owned);
    let logged = w.tab().console_errors();
    if threw.is_none() && logged.is_empty() {
        w.page_fail(
            "ocwp.init refuses to run without its mandatory containerElement",
            "an exception, or an error on the console",
            "init returned normally and logged nothing",
        );
    }
}

#[then(regex = r#"^the plugin is rendered inside "([^"]*)"$"#)]
async fn rendered_inside(w: &mut OneChatWorld, id: String) {
    let cond = format!("document.getElementById({}).children.length > 0", js_string(&id));
    let show = format!("document.getElementById({}).outerHTML", js_string(&id));
    if let Err(html) = w.page_wait_for(&cond, &show).await {
        w.page_fail(
            "ocwp.init renders the plugin into containerElement",
            format!("elements inside #{id}"),
            html,
        );
    }
}

#[then(regex = r#"^the connection status is "([A-Z_]+)"$"#)]
async fn status_is(w: &mut OneChatWorld, want: String) {
    let got = w.ocwp_status().await;
    if got != json!(want) {
        w.page_fail("ocwp.getConnectionStatus() returns the current status", format!("{want:?}"), got);
    }
}

#[when(regex = r#"^the connection status becomes "([A-Z_]+)"$"#)]
#[then(regex = r#"^the connection status becomes "([A-Z_]+)"$"#)]
async fn status_becomes(w: &mut OneChatWorld, want: String) {
    let now = w.ocwp_status().await;
    let others: Vec<&str> =
        SETTLED.iter().copied().filter(|s| *s != want && Some(*s) != now.as_str()).collect();
    let cond = format!(
        "(s => s === {want} || {others}.includes(s))(ocwp.getConnectionStatus()) && ocwp.getConnectionStatus()",
        want = js_string(&want),
        others = json!(others)
    );
    let got = match w.page_wait_for(&cond, "ocwp.getConnectionStatus()").await {
        Ok(v) | Err(v) => v,
    };
    if got != json!(want) {
        w.page_fail("the connection status reaches its documented state", format!("{want:?}"), got);
    }
    if !got.as_str().is_some_and(|s| STATUSES.contains(&s)) {
        w.page_fail(
            "getConnectionStatus returns one of the eight XMPP_CONNECTION_* states",
            STATUSES.join(" "),
            got,
        );
    }
}

#[given(regex = r"^the page (?:subscribes|has subscribed) to the connection status$")]
#[when(regex = r"^the page subscribes to the connection status$")]
async fn subscribes(w: &mut OneChatWorld) {
    let js = "(ocwp.subscribeConnectionStatus(function (status) { __chatspec.statuses.push([status, ocwp.getConnectionStatus()]); }), __chatspec.from = ocwp.getConnectionStatus(), true)";
    w.page_eval(js, "ocwp.subscribeConnectionStatus(callback) runs").await;
}

#[then("the subscriber saw every status the plugin went through")]
async fn subscriber_saw_all(w: &mut OneChatWorld) {
    let got = w
        .page_eval(
            "({ from: __chatspec.from, seen: __chatspec.statuses, now: ocwp.getConnectionStatus() })",
            "the page answers",
        )
        .await;
    let seen: Vec<(String, String)> = got["seen"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| Some((p.get(0)?.as_str()?.to_owned(), p.get(1)?.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    let now = got["now"].as_str().unwrap_or_default().to_owned();
    let from = got["from"].as_str().unwrap_or_default().to_owned();
    let rule = "the subscribed callback is invoked with the new status on every change";
    if seen.last().map(|(s, _)| s.as_str()) != Some(now.as_str()) {
        w.page_fail(rule, format!("calls ending with {now:?} (the status now)"), &got["seen"]);
    }
    if let Some((s, at)) = seen.iter().find(|(s, at)| s != at) {
        w.page_fail(rule, format!("the callback's parameter is the new status {at:?}"), format!("{s:?}"));
    }
    let mut previous = from.clone();
    for (s, _) in &seen {
        if *s == previous {
            w.page_fail(
                rule,
                "a call for each change, each with a status other than the one before",
                &got["seen"],
            );
        }
        previous = s.clone();
    }
    // NOTES.md O17: a login goes CONNECTING, CONNECTED, CONNECTED_READY.
    let names: Vec<&str> = seen.iter().map(|(s, _)| s.as_str()).collect();
    if now == "XMPP_CONNECTION_CONNECTED_READY"
        && names
            != ["XMPP_CONNECTION_CONNECTING", "XMPP_CONNECTION_CONNECTED", "XMPP_CONNECTION_CONNECTED_READY"]
    {
        w.reading(
            "O17",
            "a login goes CONNECTING, CONNECTED, CONNECTED_READY",
            "[CONNECTING, CONNECTED, CONNECTED_READY]",
            format!("{names:?}"),
        );
    }
}

#[then("the subscriber was not called")]
async fn subscriber_silent(w: &mut OneChatWorld) {
    let seen = w.page_eval("__chatspec.statuses", "the page answers").await;
    if seen.as_array().is_some_and(|a| !a.is_empty()) {
        w.page_fail("no callback is invoked after ocwp.unsubscribeConnectionStatus()", "no call", seen);
    }
}

#[when("the page calls ocwp.unsubscribeConnectionStatus()")]
async fn unsubscribes(w: &mut OneChatWorld) {
    w.page_eval("(ocwp.unsubscribeConnectionStatus(), true)", "ocwp.unsubscribeConnectionStatus() runs")
        .await;
}

#[when(regex = r"^the page calls ocwp.login with (\w+)'s jid and password$")]
async fn login_as(w: &mut OneChatWorld, name: String) {
    let u = w.user(&name);
    w.ocwp_login(&u.jid, &u.password).await;
}

#[when(regex = r#"^the page calls ocwp.login with (\w+)'s jid and the password "([^"]*)"$"#)]
async fn login_wrong(w: &mut OneChatWorld, name: String, pw: String) {
    let jid = w.user(&name).jid;
    w.ocwp_login(&jid, &pw).await;
}

#[given(regex = r"^the page is logged in as (\w+)$")]
async fn logged_in(w: &mut OneChatWorld, name: String) {
    w.plugin_user = Some(name.clone());
    login_as(w, name).await;
    status_becomes(w, "XMPP_CONNECTION_CONNECTED_READY".into()).await;
}

#[when("the page calls ocwp.logout()")]
async fn logout(w: &mut OneChatWorld) {
    w.page_eval("(ocwp.logout(), true)", "ocwp.logout() runs").await;
}

#[then(regex = r#"^the page read a file from its folder "([^"]*)"(?: and none from "([^"]*)")?$"#)]
async fn read_from(w: &mut OneChatWorld, folder: String, not: String) {
    let base = w.page.as_ref().map(|p| p.folder.clone()).unwrap_or_default();
    let kit = match w.ctx.browser.kit(w.page_wait()).await {
        Ok(k) => k,
        Err(e) => w.impossible(e.to_string()),
    };
    let want = format!("{base}{folder}");
    // The plugin reads its files after init returns: wait for the page to have asked.
    let asked = format!(
        "performance.getEntriesByType('resource').some(e => e.name.startsWith(location.origin + {}))",
        js_string(&want)
    );
    let _ = w.page_wait_for(&asked, "null").await;
    let all = kit.pages.requests_under(&base);
    if kit.pages.requests_under(&want).is_empty() {
        w.reading(
            "O19",
            &format!("ocwp.init reads its files from {folder:?}"),
            format!("a request under {want}"),
            format!("{all:?}"),
        );
    }
    if !not.is_empty() && !kit.pages.requests_under(&format!("{base}{not}")).is_empty() {
        w.page_fail(
            &format!("the plugin takes its folder from the options, not the default {not:?}"),
            format!("no request under {base}{not}"),
            format!("{all:?}"),
        );
    }
}

#[given(regex = r#"^the page's file "([^"]*)" is:$"#)]
async fn page_file(w: &mut OneChatWorld, path: String, step: &Step) {
    let body = step.docstring.clone().unwrap_or_default();
    w.page_file(&path, "application/json", body.trim()).await;
}

#[when(
    regex = r#"^the page creates the group chat "([^"]*)" with (\w+(?:(?:, | and )\w+)*?)(?: and the chatJid of "([^"]*)")?(?: and the chatName "([^"]*)")?(?: and the chatAvatar "([^"]*)")?$"#
)]
async fn creates_group(
    w: &mut OneChatWorld,
    label: String,
    list: String,
    id_of: String,
    name: String,
    avatar: String,
) {
    let members: Vec<String> = names(&list).iter().map(|n| w.user(n).jid).collect();
    let mut options = json!({"members": members});
    let chat_jid = if id_of.is_empty() {
        None
    } else {
        let id = w.uuids.entry(id_of.clone()).or_insert_with(uuid_v4).clone();
        options["chatJid"] = json!(id);
        Some(id)
    };
    if !name.is_empty() {
        options["chatName"] = json!(name);
    }
    if !avatar.is_empty() {
        options["chatAvatar"] = json!(avatar);
    }
    let js = format!(
        "Promise.resolve().then(() => ocwp.chat.group.create({options})).then(v => ({{ value: v === undefined ? null : v }}), e => ({{ rejected: String(e) }}))"
    );
    let got = w.page_eval(&js, "ocwp.chat.group.create(...) runs").await;
    w.js = Some(got.clone());
    if got.get("rejected").is_some() {
        return;
    }
    // NOTES.md O20: create returns a promise of the group's jid; with a chatJid the jid is
    // `<chatJid>@muc.<domain>`.
    let jid = match (got["value"].as_str(), chat_jid) {
        (Some(j), _) if j.contains('@') => j.to_owned(),
        (_, Some(id)) => {
            let domain = w.user(&w.plugin_user.clone().unwrap_or_default()).jid;
            let domain = domain.split('@').nth(1).unwrap_or_default().to_owned();
            format!("{id}@muc.{domain}")
        }
        _ => w.reading_ends(
            "O20",
            "ocwp.chat.group.create returns a promise of the group's jid",
            "a jid",
            &got["value"],
        ),
    };
    w.groups.insert(label, Group { jid });
}

#[then("the group chat is refused")]
async fn group_refused(w: &mut OneChatWorld) {
    let got = w.js.clone().unwrap_or(Value::Null);
    if got.get("rejected").is_none() && w.tab().console_errors().is_empty() {
        w.page_fail(
            "a group chat needs \"at least 1 person\" besides its creator",
            "a rejected promise, an exception or an error on the console",
            got,
        );
    }
}

#[then(regex = r#"^the group chat "([^"]*)" has the members (\w+(?:(?:, | and )\w+)*)$"#)]
async fn group_has(w: &mut OneChatWorld, label: String, list: String) {
    if let Some(r) = w.js.as_ref().and_then(|v| v.get("rejected")) {
        let r = r.clone();
        w.page_fail("ocwp.chat.group.create makes the group", "the group's jid", r);
    }
    let who = names(&list);
    let jid = w.group_jid(&label);
    let sender = w.user(&who[0]);
    let text = w.text(&format!("members of {label}"));
    // Who the group has, through the API: a group alert reaches every member (seed 004).
    let body = Body::typed(&GroupMessage { jid: jid.clone(), message: text });
    let reply = w.call(None, Route::GroupMessage, Key::Given(sender.apikey), body).await;
    if reply.outcome() != Some("Success") {
        w.fail(
            "the group chat exists on the server",
            format!("groupMessage to {jid} succeeds"),
            reply.describe(),
        );
    }
    let want: Vec<String> = who.iter().map(|n| w.user(n).jid.to_lowercase()).collect();
    let label_text = format!("members of {label}");
    let expect = want.clone();
    let alerts = w
        .alerts(&label_text, move |a| expect.iter().all(|j| recipients(a.iter().copied()).contains(j)))
        .await;
    let mut got = recipients(&alerts);
    got.sort();
    let mut sorted = want.clone();
    sorted.sort();
    if got != sorted {
        w.fail(
            "the group chat's members are its creator and the members given (\"creator doesn't need to be included\")",
            format!("{sorted:?}"),
            format!("{got:?}"),
        );
    }
}

#[then(regex = r#"^the group chat "([^"]*)" is open in the plugin$"#)]
async fn group_open(w: &mut OneChatWorld, label: String) {
    let sel = w.chat_box(&label);
    let cond = format!("document.querySelector({})", js_string(&sel));
    if let Err(html) = w
        .page_wait_for(&format!("!!{cond}"), &format!("document.getElementById('{CONTAINER}').innerHTML"))
        .await
    {
        w.reading("O20", "the group chat opens in the plugin", format!("an element {sel}"), html);
    }
}

#[then(regex = r#"^the group chat "([^"]*)" has a standard uuid for its id$"#)]
async fn group_uuid(w: &mut OneChatWorld, label: String) {
    let jid = w.group_jid(&label);
    let id = jid.split('@').next().unwrap_or_default();
    let ok = id.len() == 36
        && id
            .char_indices()
            .all(|(i, c)| if [8, 13, 18, 23].contains(&i) { c == '-' } else { c.is_ascii_hexdigit() });
    if !ok {
        w.fail(
            "an empty chatJid is auto generated as a standard uuid",
            "xxxxxxxx-xxxx-Mxxx-Nxxx-xxxxxxxxxxxx",
            jid,
        );
    }
}

#[then(regex = r#"^the chat box of the group chat "([^"]*)" shows the name "([^"]*)"$"#)]
async fn box_name(w: &mut OneChatWorld, label: String, name: String) {
    let sel = w.chat_box(&label);
    let cond = format!("(document.querySelector({s}) || {{}}).textContent", s = js_string(&sel));
    let got = match w.page_wait_for(&format!("({cond} || '').includes({})", js_string(&name)), &cond).await {
        Ok(_) => return,
        Err(v) => v,
    };
    w.page_fail("the chat box shows the group's name", format!("text with {name:?}"), got);
}

#[then(
    regex = r#"^the chat box of the group chat "([^"]*)" shows (the image|an image other than) "([^"]*)"$"#
)]
async fn box_image(w: &mut OneChatWorld, label: String, how: String, src: String) {
    let sel = w.chat_box(&label);
    let js = format!(
        "Array.from(document.querySelectorAll({} + ' img')).map(i => i.getAttribute('src'))",
        js_string(&sel)
    );
    let _ = w.page_wait_for(&format!("{js}.length > 0"), "null").await;
    let got = w.page_eval(&js, "the chat box's images are read").await;
    let srcs: Vec<&str> =
        got.as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    let ok = if how == "the image" {
        srcs.contains(&src.as_str())
    } else {
        !srcs.is_empty() && srcs.iter().all(|s| !s.is_empty() && *s != src)
    };
    if !ok {
        w.page_fail(
            "the chat box shows the chatAvatar given, or the default group avatar",
            format!("{how} {src:?}"),
            got,
        );
    }
}

#[then(regex = r#"^the chat box of the group chat "([^"]*)" has the style:$"#)]
async fn box_style(w: &mut OneChatWorld, label: String, step: &Step) {
    let sel = w.chat_box(&label);
    let rows = step.table.as_ref().map(|t| t.rows.clone()).unwrap_or_default();
    let _ = w.page_wait_for(&format!("document.querySelector({})", js_string(&sel)), "null").await;
    for row in rows {
        let (Some(prop), Some(want)) = (row.first(), row.get(1)) else { continue };
        let js = format!(
            "(() => {{ const e = document.querySelector({}); return e ? getComputedStyle(e).getPropertyValue({}) : null; }})()",
            js_string(&sel),
            js_string(prop)
        );
        let got = w.page_eval(&js, "the chat box's style is read").await;
        if got != json!(want) {
            w.page_fail(
                &format!("the chat box takes chatBox's {prop} (\"Customising chat box appearances\")"),
                format!("{prop}: {want}"),
                got,
            );
        }
    }
}

#[then(regex = r#"^ocwp\.(VERSION|BUILD_DATE) is (?:a version|a date) like the seed's "(\d+)"$"#)]
async fn variable(w: &mut OneChatWorld, name: String, sample: String) {
    let got = w
        .page_eval(
            &format!("ocwp.{name} === undefined ? '(undefined)' : ocwp.{name}"),
            "the variable is read",
        )
        .await;
    let text = match &got {
        Value::Number(n) => n.to_string(),
        Value::String(s) if s != "(undefined)" && !s.trim().is_empty() => s.clone(),
        _ => w.page_fail(
            &format!("ocwp.{name} is a variable of the plugin"),
            format!("a value like {sample}"),
            got,
        ),
    };
    // NOTES.md O19: a build number, and a date written YYYYMMDD, as the samples.
    let ok = if name == "VERSION" {
        !text.is_empty() && text.chars().all(|c| c.is_ascii_digit())
    } else {
        text.len() == 8
            && text.chars().all(|c| c.is_ascii_digit())
            && (1..=12).contains(&text[4..6].parse::<u32>().unwrap_or(0))
            && (1..=31).contains(&text[6..8].parse::<u32>().unwrap_or(0))
    };
    if !ok {
        w.reading("O19", &format!("ocwp.{name} has the sample's form"), format!("like {sample}"), got);
    }
}

#[then("the page logged no error")]
async fn no_errors(w: &mut OneChatWorld) {
    w.page_no_errors();
}

// ---- a server of the scenario's own, to stop -------------------------------------------------

#[given(regex = r"^a server of the scenario's own with the users? (\w+(?:(?:, | and )\w+)*)$")]
async fn own_server(w: &mut OneChatWorld, list: String) {
    if !w.ctx.target.onechat.libraries.from_target() {
        w.impossible("the scenario stops a server of its own, whose copy of ocwp it loads; the profile gives its own libraries");
    }
    let mock = match crate::embedded::start_ephemeral("onechat").await {
        Ok(m) => m,
        Err(e) => w.fail("a OneChat mock of the scenario's own starts", "a running mock", e),
    };
    let base_url = mock.base_url.clone();
    let domain = w.domain("own.example");
    for name in names(&list) {
        let url = format!("{base_url}/_mock/users");
        let reply = w
            .ctx
            .http
            .request(Method::POST, &url)
            .json(&json!({"name": format!("{name}@{domain}")}))
            .send()
            .await;
        let body: Value = match reply {
            Ok(r) => r.json().await.unwrap_or(Value::Null),
            Err(e) => Value::String(e.to_string()),
        };
        let field = |f: &str| body.get(f).and_then(Value::as_str).unwrap_or_default().to_owned();
        let user = User {
            jid: field("jid"),
            domain: "own.example".into(),
            session: field("sessionId"),
            second_session: None,
            apikey: field("apikey"),
            password: field("password"),
        };
        w.users.insert(name, user);
    }
    w.own_server = Some(OwnServer { mock: Some(mock), base_url });
}

#[when("that server stops")]
async fn server_stops(w: &mut OneChatWorld) {
    let mock = w.own_server.as_mut().and_then(|s| s.mock.take());
    match mock {
        Some(m) => m.shutdown().await,
        None => {
            panic!("the scenario has no server of its own: add `Given a server of the scenario's own ...`")
        }
    }
}
