//! Steps for the mini-app library `OC` (seed 004, "Mini App Library Functions"), run in the
//! scenario's page (`page.rs`; NOTES.md O16, O21 to O23). Each call's callbacks are awaited in
//! the page: the step ends when `success` or `fail` is called, or after the page's wait.

use cucumber::{given, then, when};
use serde_json::{Value, json};

use crate::kit::prose::{names, quoted};
use crate::onechat::OneChatWorld;
use crate::onechat::world::Group;
use crate::onechat::world::js_string;

impl OneChatWorld {
    /// Runs an `OC` function that takes `{..., success, fail}`: `call` is its name, `options`
    /// the other fields (JavaScript source). Records `{"success": [args]}` or `{"fail": err}`,
    /// or `{"neither": true}` when neither is called within the page's wait.
    async fn callbacks(&mut self, call: &str, options: &str) -> Value {
        let ms = self.page_wait().as_millis();
        let js = format!(
            "new Promise(resolve => {{ const o = {options}; \
             o.success = function () {{ resolve({{ success: Array.from(arguments) }}); }}; \
             o.fail = function (err) {{ resolve({{ fail: err === undefined ? null : err }}); }}; \
             setTimeout(() => resolve({{ neither: true }}), {ms}); \
             try {{ {call}(o); }} catch (e) {{ resolve({{ threw: String(e) }}); }} }})"
        );
        let got = self.page_eval(&js, &format!("{call}(...) runs")).await;
        self.js = Some(got.clone());
        got
    }

    /// A JSON-string list of the users' jids: `'["ben@...","cy@..."]'`.
    fn jid_list(&self, list: &str) -> String {
        let jids: Vec<String> = names(list).iter().map(|n| self.user(n).jid).collect();
        json!(jids).to_string()
    }

    /// What the last `OC` call passed to `success` (the first argument), failing otherwise.
    fn success_arg(&self) -> Value {
        let got = self.js.clone().unwrap_or(Value::Null);
        match got.get("success").and_then(Value::as_array) {
            Some(args) => args.first().cloned().unwrap_or(Value::Null),
            None => self.page_fail("the call succeeds: success is called", "success(...)", got),
        }
    }
}

#[given(regex = r"^(\w+)'s page runs the mini app library$")]
async fn page_runs_oc(w: &mut OneChatWorld, name: String) {
    let jid = w.user(&name).jid;
    let url = w.ctx.target.oc_url(&jid);
    w.plugin_user = Some(name);
    w.open_page(&[url]).await;
}

#[when(regex = r"^the page calls OC\.user\.(getSessionID|getVCard|deviceInfo)\(\)$")]
async fn calls_user(w: &mut OneChatWorld, function: String) {
    let js = format!(
        "(() => {{ try {{ return {{ value: OC.user.{function}() }}; }} catch (e) {{ return {{ threw: String(e) }}; }} }})()"
    );
    let got = w.page_eval(&js, &format!("OC.user.{function}() runs")).await;
    if let Some(t) = got.get("threw") {
        let t = t.clone();
        w.page_fail(&format!("OC.user.{function}() answers"), "a value", t);
    }
    w.js = Some(got);
}

#[when(regex = r#"^the mini app "([^"]*)" authenticates (\w+) with the session ID the page got$"#)]
async fn authenticates_page_session(w: &mut OneChatWorld, app: String, user: String) {
    let value = w.js.as_ref().and_then(|v| v.get("value")).cloned().unwrap_or(Value::Null);
    let Some(session) = value.as_str().filter(|s| !s.is_empty()).map(str::to_owned) else {
        w.page_fail(
            "OC.user.getSessionID() returns the user's active session ID",
            "a non-empty string",
            value,
        );
    };
    w.authenticate_with(&app, &user, &session).await;
}

#[then(regex = r#"^the page got a JSON string of an object with the keys (.+)$"#)]
async fn json_object_keys(w: &mut OneChatWorld, keys: String) {
    let value = w.js.as_ref().and_then(|v| v.get("value")).cloned().unwrap_or(Value::Null);
    let Some(text) = value.as_str() else {
        w.page_fail("the function returns a JSON string, as the seed's sample '{...}'", "a string", value);
    };
    let Ok(Value::Object(object)) = serde_json::from_str::<Value>(text) else {
        w.page_fail("the string is a JSON object, as the seed's sample", "'{...}'", text);
    };
    let want = quoted(&keys);
    let mut got: Vec<&String> = object.keys().collect();
    got.sort();
    let mut sorted: Vec<&String> = want.iter().collect();
    sorted.sort();
    if got != sorted {
        w.page_fail("the object has the sample's keys", format!("{sorted:?}"), text);
    }
    if let Some((k, v)) = object.iter().find(|(_, v)| !v.is_string()) {
        w.page_fail("every value is a string, as in the sample", format!("{k}: a string"), v);
    }
    w.remembered.insert("oc object".into(), Value::Object(object));
}

fn page_object(w: &OneChatWorld) -> serde_json::Map<String, Value> {
    match w.remembered.get("oc object") {
        Some(Value::Object(o)) => o.clone(),
        _ => panic!("add `Then the page got a JSON string of an object with the keys ...` first"),
    }
}

#[then(regex = r#"^its "jid" is (\w+)'s jid$"#)]
async fn its_jid(w: &mut OneChatWorld, name: String) {
    let o = page_object(w);
    let want = w.user(&name).jid;
    if o.get("jid").and_then(Value::as_str).map(str::to_lowercase) != Some(want.clone()) {
        w.page_fail("OC.user.getVCard() is the page user's vCard", format!("jid {want:?}"), Value::Object(o));
    }
}

#[then(regex = r#"^its "userName" is (\w+)'s name$"#)]
async fn its_name(w: &mut OneChatWorld, name: String) {
    let o = page_object(w);
    if !o.get("userName").and_then(Value::as_str).is_some_and(|n| n.eq_ignore_ascii_case(&name)) {
        w.reading("O21", "the vCard's userName is the user's name", format!("{name:?}"), Value::Object(o));
    }
}

#[then("its screen size is the browser's")]
async fn its_screen(w: &mut OneChatWorld) {
    let o = page_object(w);
    let screen =
        w.page_eval("({ w: String(screen.width), h: String(screen.height) })", "the screen is read").await;
    if o.get("screenWidth") != screen.get("w") || o.get("screenHeight") != screen.get("h") {
        w.reading("O21", "deviceInfo gives the screen size in CSS pixels", &screen, Value::Object(o));
    }
}

#[when(
    regex = r"^the page calls OC\.user\.selectContacts (?:with maxNumberOfSelection (-?\d+)|without maxNumberOfSelection)$"
)]
async fn select_contacts(w: &mut OneChatWorld, max: String) {
    let option = if max.is_empty() { String::new() } else { format!("maxNumberOfSelection: {max}") };
    let js = format!(
        "(__chatspec.selected = [], OC.user.selectContacts({{ success: function (selected) {{ __chatspec.selected.push(selected); }}, {option} }}), true)"
    );
    w.page_eval(&js, "OC.user.selectContacts(...) runs").await;
}

#[when(regex = r"^the user picks (\w+(?:(?:, | and )\w+)*) in the selector$")]
async fn picks(w: &mut OneChatWorld, list: String) {
    let tab = w.tab();
    for name in names(&list) {
        let jid = w.user(&name).jid;
        let sel = w.ctx.target.onechat.libraries.contact_selector.replace("{jid}", &jid);
        let present = format!("!!document.querySelector({})", js_string(&sel));
        if let Err(v) = w.page_wait_for(&present, "document.body.innerHTML").await {
            w.page_fail("OC.user.selectContacts shows the user's contacts", format!("an element {sel}"), v);
        }
        if let Err(e) = tab.click(&sel).await {
            w.page_fail("a contact of the selector can be clicked", format!("a click on {sel}"), e);
        }
    }
}

#[when(regex = r"^the user (confirms|cancels) the selection$")]
async fn finishes(w: &mut OneChatWorld, how: String) {
    let libs = &w.ctx.target.onechat.libraries;
    let sel = if how == "confirms" { libs.done_selector.clone() } else { libs.cancel_selector.clone() };
    if let Err(e) = w.tab().click(&sel).await {
        w.page_fail("the selector can be confirmed or cancelled", format!("a click on {sel}"), e);
    }
}

/// What `success` of selectContacts received, parsed: fails unless it was called with a JSON
/// string of a list of strings.
async fn selection(w: &mut OneChatWorld) -> Vec<String> {
    let got = match w
        .page_wait_for("__chatspec.selected.length > 0 && __chatspec.selected", "__chatspec.selected")
        .await
    {
        Ok(v) => v,
        Err(v) => {
            w.page_fail("selectContacts calls success when the selector closes", "success(selected)", v)
        }
    };
    let first = got.get(0).cloned().unwrap_or(Value::Null);
    let Some(text) = first.as_str() else {
        w.page_fail(
            "success receives a JSON string, as '[\"user1@domain.tld\",\"user2@domain.tld\"]'",
            "a string",
            first,
        );
    };
    match serde_json::from_str::<Vec<String>>(text) {
        Ok(list) => list.into_iter().map(|j| j.to_lowercase()).collect(),
        Err(_) => w.page_fail("success receives a JSON list of jids", "'[\"...\"]'", text),
    }
}

#[then(regex = r"^success got the JSON string of (\w+(?:(?:, | and )\w+)*)$")]
async fn got_exactly(w: &mut OneChatWorld, list: String) {
    let mut got = selection(w).await;
    let mut want: Vec<String> = names(&list).iter().map(|n| w.user(n).jid).collect();
    got.sort();
    want.sort();
    if got != want {
        w.page_fail(
            "every contact picked is passed to success (\"-1 for unlimited (default)\")",
            format!("{want:?}"),
            format!("{got:?}"),
        );
    }
}

#[then(regex = r"^success got a JSON string of at most (\d+) of (\w+(?:(?:, | and )\w+)*)$")]
async fn got_at_most(w: &mut OneChatWorld, max: usize, list: String) {
    let got = selection(w).await;
    let allowed: Vec<String> = names(&list).iter().map(|n| w.user(n).jid).collect();
    if got.len() > max || got.is_empty() || got.iter().any(|j| !allowed.contains(j)) {
        w.page_fail(
            "no more contacts are selected than maxNumberOfSelection",
            format!("1 to {max} of {allowed:?}"),
            format!("{got:?}"),
        );
    }
}

#[then("success got '[]'")]
async fn got_empty(w: &mut OneChatWorld) {
    let got = selection(w).await;
    if !got.is_empty() {
        w.page_fail("a cancelled selector passes '[]' (\"or canceled '[]'\")", "'[]'", format!("{got:?}"));
    }
}

#[when(regex = r#"^the page relays "([^"]*)" to (\w+(?:(?:, | and )\w+)*) with OC\.message\.single\.relay$"#)]
async fn single_relay(w: &mut OneChatWorld, label: String, list: String) {
    let text = w.text(&label);
    let options =
        format!("{{ recipient: {}, textMessage: {} }}", js_string(&w.jid_list(&list)), js_string(&text));
    w.callbacks("OC.message.single.relay", &options).await;
}

#[when(
    regex = r#"^the page relays "([^"]*)" to (\w+) with OC\.message\.single\.relay without (recipient|textMessage)$"#
)]
async fn single_relay_without(w: &mut OneChatWorld, label: String, to: String, field: String) {
    let text = w.text(&label);
    let options = if field == "recipient" {
        format!("{{ textMessage: {} }}", js_string(&text))
    } else {
        format!("{{ recipient: {} }}", js_string(&w.jid_list(&to)))
    };
    w.callbacks("OC.message.single.relay", &options).await;
}

#[when(
    regex = r#"^the page relays "([^"]*)" to the group "([^"]*)"(?: inviting (\w+(?:(?:, | and )\w+)*))? with OC\.message\.group\.relay$"#
)]
async fn group_relay(w: &mut OneChatWorld, label: String, group: String, invitees: String) {
    let text = w.text(&label);
    let jid = match w.groups.get(&group) {
        Some(g) => g.jid.clone(),
        None => panic!("the scenario has no group {group:?}"),
    };
    let invite = if invitees.is_empty() {
        String::new()
    } else {
        format!(", invitees: {}", js_string(&w.jid_list(&invitees)))
    };
    let options = format!("{{ groupJid: {}, textMessage: {}{invite} }}", js_string(&jid), js_string(&text));
    w.callbacks("OC.message.group.relay", &options).await;
}

#[when(
    regex = r#"^the page relays "([^"]*)" to a new group inviting (\w+(?:(?:, | and )\w+)*) with OC\.message\.group\.relay$"#
)]
async fn group_relay_new(w: &mut OneChatWorld, label: String, invitees: String) {
    let text = w.text(&label);
    let options =
        format!("{{ invitees: {}, textMessage: {} }}", js_string(&w.jid_list(&invitees)), js_string(&text));
    w.callbacks("OC.message.group.relay", &options).await;
}

#[when(
    regex = r#"^the page relays "([^"]*)" with OC\.message\.group\.relay (?:to the group "([^"]*)" )?without (?:groupJid and invitees|textMessage)$"#
)]
async fn group_relay_without(w: &mut OneChatWorld, label: String, group: String) {
    let text = w.text(&label);
    let options = if group.is_empty() {
        format!("{{ textMessage: {} }}", js_string(&text))
    } else {
        let jid = w.groups.get(&group).map(|g| g.jid.clone()).unwrap_or_default();
        format!("{{ groupJid: {} }}", js_string(&jid))
    };
    w.callbacks("OC.message.group.relay", &options).await;
}

#[then("success was called")]
async fn success_called(w: &mut OneChatWorld) {
    w.success_arg();
}

#[then(regex = r#"^success got the jid of the new group "([^"]*)"$"#)]
async fn success_new_jid(w: &mut OneChatWorld, label: String) {
    let arg = w.success_arg();
    let Some(jid) = arg.as_str().filter(|j| j.contains('@')) else {
        w.page_fail(
            "a new group's jid is passed to success (\"a new group will be automatically created and group jid returned here\")",
            "success(\"<group jid>\")",
            arg,
        );
    };
    w.groups.insert(label, Group { jid: jid.to_owned() });
}

#[then("fail was called and success was not")]
async fn fail_called(w: &mut OneChatWorld) {
    let got = w.js.clone().unwrap_or(Value::Null);
    let Some(err) = got.get("fail") else {
        w.page_fail(
            "a call missing a mandatory field fails: fail(err) is called, success is not",
            "fail(err)",
            got,
        );
    };
    // NOTES.md O23: err is the server's error reply as a JSON string.
    let readable = err.as_str().and_then(|e| serde_json::from_str::<Value>(e).ok());
    let ok = readable
        .as_ref()
        .is_some_and(|v| v["status"] == "Error" && v["description"].as_str().is_some_and(|d| !d.is_empty()));
    if !ok {
        w.reading(
            "O23",
            "fail receives the error reply as a JSON string",
            "'{\"status\":\"Error\",\"description\":...}'",
            err,
        );
    }
}
