//! A page written from seed 004's own examples works unchanged against the OneChat mock: the
//! `ocwp.init({...})` example (with `containerElement:
//! document.getElementById('onechatContainer')` and its login on init) and the six `OC.*`
//! examples wrapped in `DOMContentLoaded`, cut out of the seed's text as it is (NOTES.md O24:
//! the init example's comment broken across two lines by the document's layout is joined; the
//! examples with curly quotes are not JavaScript and are left out). The mock holds what the
//! examples name: the user `jid` with the password `password`, `user1@domain.tld`,
//! `user2@domain.tld` and the group `group-jid@domain.tld`. Needs Chromium.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use chatspec::browser::Browser;
use chatspec::browser::pages::PageServer;
use serde_json::{Value, json};

const SEED: &str = include_str!("../../specs/seeds/004_7136eb5bf9d18d37.txt");

/// The block of the seed's example under the section `after`: from the line holding `start`
/// (after the section's `Example` line) to the first later line
/// that is `end` at the same indentation; a line the document's layout broke off (no
/// indentation) is joined to the one before.
fn example(after: &str, start: &str, end: &str) -> String {
    let section = SEED.find(after).unwrap_or_else(|| panic!("the seed has {after:?}"));
    let from = section + SEED[section..].find("\nExample\n").expect("the section has an example");
    let lines: Vec<&str> = SEED[from..].lines().collect();
    let first =
        lines.iter().position(|l| l.trim_start().starts_with(start)).expect("the example's first line");
    let indent = lines[first].len() - lines[first].trim_start().len();
    let mut out: Vec<String> = Vec::new();
    for line in &lines[first..] {
        if !line.is_empty() && !line.starts_with(' ') && !out.is_empty() {
            let joined = format!("{} {}", out.pop().unwrap_or_default(), line.trim());
            out.push(joined);
            continue;
        }
        out.push(line.get(indent..).unwrap_or("").to_owned());
        if line.trim() == end && line.len() - line.trim_start().len() == indent && out.len() > 1 {
            break;
        }
    }
    out.join("\n")
}

async fn admin(http: &reqwest::Client, base: &str, path: &str, body: Value) -> Value {
    let r = http.post(format!("{base}{path}")).json(&body).send().await.unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
    r.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_of_the_seeds_examples_works_unchanged() {
    let init = example("init function", "ocwp.init({", "});");
    assert!(init.contains("containerElement: document.getElementById('onechatContainer')"), "{init}");
    assert!(
        init.contains("usr: 'jid'") && init.contains("to prevent open chat boxes from covering the bar"),
        "{init}"
    );
    let oc: Vec<String> = [
        "OC.user.getSessionID\nNamespace OC",
        "OC.user.deviceInfo\nNamespace OC",
        "OC.user.getVCard\nNamespace OC",
        "OC.user.selectContacts\nNamespace OC",
        "OC.message.single.relay\nNamespace OC",
        "OC.message.group.relay\nNamespace OC",
    ]
    .iter()
    .map(|section| example(section, "document.addEventListener(\"DOMContentLoaded\"", "});"))
    .collect();
    assert!(oc[3].contains("maxNumberOfSelection: 1"), "{}", oc[3]);
    assert!(oc[5].contains("groupJid: 'group-jid@domain.tld'"), "{}", oc[5]);

    let mock = common::start_onechat(&[]).await;
    let base = mock.base_url.clone();
    let http = chatspec::tls::http_client().no_proxy().build().unwrap();
    for name in ["jid@domain.tld", "me@domain.tld", "user1@domain.tld", "user2@domain.tld"] {
        admin(&http, &base, "/_mock/users", json!({"name": name})).await;
    }
    admin(&http, &base, "/_mock/passwords", json!({"jid": "jid@domain.tld", "password": "password"})).await;
    let members = ["me@domain.tld", "user1@domain.tld", "user2@domain.tld"];
    admin(
        &http,
        &base,
        "/_mock/groups",
        json!({"name": "group", "jid": "group-jid@domain.tld", "members": members}),
    )
    .await;

    let page = format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>seed 004 examples</title>\n\
         <script src=\"{base}/ocwp.js\"></script>\n<script src=\"{base}/oc.js?jid=me%40domain.tld\"></script>\n\
         </head><body>\n<div id=\"onechatContainer\"></div>\n<script>\n{init}\n</script>\n<script>\n{}\n</script>\n</body></html>\n",
        oc.join("\n\n")
    );
    let browser = Browser::launch(Duration::from_secs(30))
        .await
        .unwrap_or_else(|e| panic!("this test needs Chromium (.ci/run installs it): {e}"));
    let pages = PageServer::start().await.unwrap();
    pages.put_html("/seed/index.html", &page);
    let tab = browser.open(&pages.url("/seed/index.html"), Duration::from_secs(20)).await.unwrap();
    let wait = Duration::from_secs(10);

    // ocwp: rendered into #onechatContainer, logged in on init as the user "jid".
    let status = tab
        .wait_until(
            "ocwp.getConnectionStatus() === 'XMPP_CONNECTION_CONNECTED_READY' && ocwp.getConnectionStatus()",
            wait,
        )
        .await;
    assert_eq!(status, Ok(json!("XMPP_CONNECTION_CONNECTED_READY")), "{:?}\n{page}", tab.console());
    assert_eq!(
        tab.eval("document.getElementById('onechatContainer').children.length > 0", wait).await,
        Ok(json!(true))
    );

    // OC: the selector shows; the user picks one contact and confirms.
    tab.wait_until("document.querySelector('[data-oc-contact=\"user1@domain.tld\"]')", wait).await.unwrap();
    tab.click("[data-oc-contact=\"user1@domain.tld\"]").await.unwrap();
    tab.click("[data-oc-contact=\"user2@domain.tld\"]").await.unwrap();
    tab.click("[data-oc-action=\"done\"]").await.unwrap();
    let lines = tab
        .wait_for_console(|l| l.iter().any(|l| l.text == "[\"user1@domain.tld\"]"), wait)
        .await
        .unwrap_or_else(|l| panic!("the selection was not logged: {l:?}"));
    let logs: Vec<&str> = lines.iter().filter(|l| l.kind == "log").map(|l| l.text.as_str()).collect();
    assert!(tab.console_errors().is_empty(), "{:?}", tab.console());

    // The session ID logged is an active session of the page's user.
    let session = logs[0];
    let me = admin(&http, &base, "/_mock/sessions", json!({"jid": "me@domain.tld"})).await;
    let app = admin(
        &http,
        &base,
        "/onechat/api/registerMiniApp",
        json!({"adminJid": "me@domain.tld", "sessionId": me["sessionId"], "appName": "Examples",
               "appIcon": "https://x.test/i.png", "appUrl": "https://x.test/"}),
    )
    .await;
    let auth = admin(
        &http,
        &base,
        "/onechat/api/authenticateUser",
        json!({"jid": "me@domain.tld", "sessionId": session, "appId": app["appId"], "apiKey": app["apiKey"]}),
    )
    .await;
    assert_eq!(auth["isAuthenticated"], json!(true), "{logs:?}");
    // The device info and the vCard, as the samples' JSON strings.
    let device: Value = serde_json::from_str(logs[1]).unwrap();
    assert_eq!(
        device.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["device", "os", "screenHeight", "screenWidth"]
    );
    let vcard: Value = serde_json::from_str(logs[2]).unwrap();
    assert_eq!(vcard["jid"], "me@domain.tld");
    assert_eq!(vcard["userName"], "me");

    // The relays: each recipient got its message, from the page's user.
    tab.wait_until(
        "performance.getEntriesByType('resource').filter(e => /relay\\/(single|group)$/.test(e.name) && e.responseEnd > 0).length >= 2",
        wait,
    )
    .await
    .unwrap();
    let outbox: Value = http.get(format!("{base}/_mock/outbox")).send().await.unwrap().json().await.unwrap();
    let got: Vec<(String, String, String)> = outbox["outbox"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let s = |k: &str| a[k].as_str().unwrap_or_default().to_owned();
            (s("via"), s("to"), s("message"))
        })
        .collect();
    for (via, text) in
        [("OC.message.single.relay", "hello friend"), ("OC.message.group.relay", "hello group")]
    {
        for to in ["user1@domain.tld", "user2@domain.tld"] {
            assert!(got.contains(&(via.to_owned(), to.to_owned(), text.to_owned())), "{via} {to}: {got:?}");
        }
    }
    assert_eq!(got.len(), 4, "{got:?}");
    assert!(outbox["outbox"].as_array().unwrap().iter().all(|a| a["from"] == "me@domain.tld"));
}
