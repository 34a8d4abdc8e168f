//! The mocks as a browser app meets them: a page served from another origin calls the Unichat
//! mock with `fetch` (custom headers, so a CORS preflight) and listens with `EventSource`
//! (with credentials); when the stream is cut (the `close_stream` fault of `/_mock/faults`),
//! the browser reconnects by itself with `Last-Event-ID` and the mock replays what it missed
//! (WHATWG HTML, server-sent events; NOTES.md U40), nothing lost and nothing twice. Needs
//! Chromium (`.ci/run` installs it).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use chatspec::browser::Browser;
use chatspec::browser::pages::PageServer;
use chatspec::target::Target;
use chatspec_mocks::kit::{Clock, serve};
use chatspec_mocks::unichat::{self, Config, Unichat};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

/// The page: `call(method, args)` over `fetch`, and `listen(code)` over `EventSource`, which
/// keeps every `unichat_notification` (with its `lastEventId`) and counts `event_source_ready`.
const PAGE: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>unichat client</title></head><body>
<script>
  window.events = [];
  window.ready = 0;
  window.errors = 0;
  window.call = async (base, domain, token, method, args) => {
    const r = await fetch(`${base}/api/${method}`, {
      method: 'POST',
      credentials: 'include',
      headers: { 'Content-Type': 'application/json', 'APP_DOMAIN_TOKEN': domain, 'USER_AUTH_TOKEN': token },
      body: JSON.stringify({ args }),
    });
    return { status: r.status, type: r.headers.get('content-type'), body: await r.json() };
  };
  window.listen = (url) => {
    const es = new EventSource(url, { withCredentials: true });
    es.addEventListener('event_source_ready', () => { window.ready += 1; });
    es.addEventListener('unichat_notification', (e) => {
      window.events.push({ id: e.lastEventId, data: JSON.parse(e.data) });
    });
    es.onerror = () => { window.errors += 1; };
    window.es = es;
  };
</script>
</body></html>"#;

/// Headless Chromium, or a failure that says how to get it.
async fn chromium() -> Browser {
    Browser::launch(Duration::from_secs(30))
        .await
        .unwrap_or_else(|e| panic!("this test needs Chromium (.ci/run installs it): {e}"))
}

/// A Unichat mock whose pings are too rare to count among a test's events.
async fn start_quiet_unichat() -> (Arc<Unichat>, String, CancellationToken) {
    let state = Unichat::new(Config::default(), Clock::system(), Duration::from_secs(600));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = serve::base_url(&listener).unwrap();
    let stop = CancellationToken::new();
    tokio::spawn(unichat::run(state.clone(), listener, stop.clone()));
    (state, base, stop)
}

fn texts(events: &Value) -> Vec<String> {
    events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["data"]["object_name"] == "message" && e["data"]["object"]["xtag"].is_null())
        .map(|e| e["data"]["object"]["text"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_on_another_origin_calls_listens_and_resumes_a_cut_stream() {
    let browser = chromium().await;
    let (_state, base, stop) = start_quiet_unichat().await;
    let http = chatspec::tls::http_client().build().unwrap();
    let alice = common::provision_user(&http, &base, "Alice").await;
    let token = alice["auth_token"].as_str().unwrap().to_owned();
    let domain = Target::embedded_unichat(base.clone()).domain_token;

    let pages = PageServer::start().await.unwrap();
    pages.put_html("/app/index.html", PAGE);
    assert_ne!(pages.base_url(), base, "the page must come from another origin");
    let tab = browser.open(&pages.url("/app/index.html"), Duration::from_secs(20)).await.unwrap();
    let wait = Duration::from_secs(15);
    let call = |method: &str, args: Value| {
        format!(
            "window.call({}, {}, {}, {}, {})",
            json!(base),
            json!(domain),
            json!(token),
            json!(method),
            args
        )
    };

    // fetch with custom headers: the preflight and the reply both carry CORS for this origin.
    let code = tab.eval(&call("create_sse_auth_code", json!({})), wait).await.unwrap();
    assert_eq!(code["status"], 200, "{code}");
    assert!(code["type"].as_str().unwrap_or_default().starts_with("application/json"), "{code}");
    let code = code["body"]["code"].as_str().unwrap().to_owned();

    // The first stream ends after two events (event_source_ready and the first notification):
    // the room's creation message or a later one is cut, and the browser reconnects on its
    // own after `retry:`.
    let fault = http
        .post(format!("{base}/_mock/faults"))
        .json(&json!({"kind": "close_stream", "after": 2, "route": "/sse/*", "times": 1}))
        .send()
        .await
        .unwrap();
    assert!(fault.status().is_success(), "{:?}", fault.text().await);

    tab.eval(&format!("window.listen({})", json!(format!("{base}/sse/{code}"))), wait).await.unwrap();
    tab.wait_until("window.ready === 1", wait).await.unwrap();

    let room = tab.eval(&call("create_room", json!({"name": "lobby"})), wait).await.unwrap();
    assert_eq!(room["body"]["status"], "OK", "{room}");
    let group = room["body"]["subscription"]["group_id"].clone();
    tab.wait_until("window.events.length === 1", wait).await.unwrap();
    for text in ["one", "two", "three"] {
        let posted =
            tab.eval(&call("post_message", json!({"group_id": group, "text": text})), wait).await.unwrap();
        assert_eq!(posted["body"]["status"], "OK", "{posted}");
    }

    // The reconnect (a second event_source_ready) replays what the cut stream lost, from the
    // Last-Event-ID the browser sent.
    tab.wait_until("window.ready === 2 && window.events.filter(e => e.data.object_name === 'message' && e.data.object.xtag === null).length >= 3", wait)
        .await
        .unwrap_or_else(|e| panic!("the browser did not get every message back after the cut: {e:?}"));
    let events = tab.eval("window.events", wait).await.unwrap();
    assert_eq!(texts(&events), ["one", "two", "three"], "in order, each once: {events}");
    let ids: Vec<u64> =
        events.as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().parse().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "event ids rise: {ids:?}");
    assert!(tab.eval("window.errors", wait).await.unwrap().as_u64().unwrap() >= 1, "the cut was seen");
    let fired: Value = http.get(format!("{base}/_mock/faults")).send().await.unwrap().json().await.unwrap();
    assert!(fired.to_string().contains("close_stream"), "{fired}");
    assert!(tab.console_errors().iter().all(|e| !e.contains("CORS")), "{:?}", tab.console_errors());
    stop.cancel();
}

/// The SAMA page: `login(body)` and `logout(token)` over `fetch` with credentials (so the
/// HttpOnly `refresh_token` cookie is kept by the browser and sent back), and `connect(url,
/// frame)` over a WebSocket, resolving with the first frame the mock answers.
const SAMA_PAGE: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>sama client</title></head><body>
<script>
  window.login = async (base, body) => {
    const init = { method: 'POST', credentials: 'include', headers: {} };
    if (body) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
    const r = await fetch(`${base}/login`, init);
    return { status: r.status, body: await r.json() };
  };
  window.logout = async (base, token) => {
    const r = await fetch(`${base}/logout`, {
      method: 'POST', credentials: 'include', headers: { 'Authorization': `Bearer ${token}` },
    });
    return { status: r.status, body: await r.json() };
  };
  window.connect = (url, frame) => new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.onopen = () => ws.send(JSON.stringify(frame));
    ws.onmessage = (e) => { resolve(JSON.parse(e.data)); ws.close(1000); };
    ws.onerror = () => reject(new Error('the WebSocket failed'));
  });
</script>
</body></html>"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_on_another_origin_logs_in_to_sama_refreshes_by_cookie_and_connects_its_socket() {
    let browser = chromium().await;
    let mock = common::start_sama(&[]).await;
    let base = mock.base_url.clone();
    let http = chatspec::tls::http_client().build().unwrap();
    let ann = common::provision_user(&http, &base, "Ann").await;
    let (login, password) = (ann["login"].clone(), ann["password"].clone());

    let pages = PageServer::start().await.unwrap();
    pages.put_html("/app/index.html", SAMA_PAGE);
    let tab = browser.open(&pages.url("/app/index.html"), Duration::from_secs(20)).await.unwrap();
    let wait = Duration::from_secs(15);
    let b = json!(base);

    // Seed 003: "POST /login" with login, password and device_id; "a new refresh_token will
    // be embedded in the response cookie", which the page's script cannot read (HttpOnly).
    let body = json!({"login": login, "password": password, "device_id": "browser-1"});
    let first = tab.eval(&format!("window.login({b}, {body})"), wait).await.unwrap();
    assert_eq!(first["status"], 200, "{first}");
    let first_token = first["body"]["access_token"].as_str().unwrap().to_owned();
    assert_eq!(tab.eval("document.cookie", wait).await.unwrap(), json!(""));

    // The cookie logs in again, cross-origin, with only the device in the body, and gives a
    // new access token.
    let device = json!({"device_id": "browser-1"});
    let refreshed = tab.eval(&format!("window.login({b}, {device})"), wait).await.unwrap();
    assert_eq!(
        refreshed["status"], 200,
        "the refresh_token cookie was not sent back or not taken: {refreshed}"
    );
    let token = refreshed["body"]["access_token"].as_str().unwrap().to_owned();
    assert_ne!(token, first_token, "{refreshed}");

    // "the client must send a request to connect the socket to the server and link it to the
    // current access_token".
    let ws = json!(base.replacen("http", "ws", 1));
    let frame =
        json!({"request": {"connect": {"token": token, "device_id": "browser-1"}, "id": "connect_request"}});
    let reply = tab.eval(&format!("window.connect({ws}, {frame})"), wait).await.unwrap();
    assert_eq!(reply, json!({"response": {"id": "connect_request", "success": true}}));

    // POST /logout ends the session: the cookie no longer logs in.
    let out = tab.eval(&format!("window.logout({b}, {})", json!(token)), wait).await.unwrap();
    assert_eq!(out["status"], 200, "{out}");
    let after = tab.eval(&format!("window.login({b}, {device})"), wait).await.unwrap();
    assert_ne!(after["status"], 200, "a logged-out cookie still logs in: {after}");
    assert!(tab.console_errors().iter().all(|e| !e.contains("CORS")), "{:?}", tab.console_errors());
    drop(mock);
}

/// Fails with `what`, after saving a screenshot of `tab` under `target/browser-failures/`.
async fn fail_with_screenshot(tab: &chatspec::browser::Tab, name: &str, what: String) -> ! {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-failures");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.png"));
    let saved = tab.screenshot(&path).await.map(|()| path.display().to_string());
    panic!("{what} (screenshot: {saved:?})");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inspector_page_shows_the_state_and_what_changes() {
    let browser = chromium().await;
    let (_state, base, stop) = start_quiet_unichat().await;
    let http = chatspec::tls::http_client().build().unwrap();
    let ann = common::provision_user(&http, &base, "Ann").await;
    let domain = Target::embedded_unichat(base.clone()).domain_token;
    let room = http
        .post(format!("{base}/api/create_room"))
        .header("APP_DOMAIN_TOKEN", &domain)
        .header("USER_AUTH_TOKEN", ann["auth_token"].as_str().unwrap())
        .json(&json!({"args": {"name": "lobby <b>bold</b>"}}))
        .send()
        .await
        .unwrap();
    assert!(room.status().is_success());

    let page = http.get(format!("{base}/_mock/")).send().await.unwrap();
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    let html = page.text().await.unwrap();
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"), "no external assets");

    let tab = browser.open(&format!("{base}/_mock/"), Duration::from_secs(20)).await.unwrap();
    let wait = Duration::from_secs(10);
    let shows = |text: &str| format!("document.body.innerText.includes({})", json!(text));
    for text in ["unichat", "users (1)", "Ann", "lobby <b>bold</b>"] {
        if let Err(e) = tab.wait_until(&shows(text), wait).await {
            fail_with_screenshot(&tab, "inspector", format!("the inspector never showed {text:?}: {e:?}"))
                .await;
        }
    }
    // Shown as text, never as markup.
    assert_eq!(tab.eval("document.querySelectorAll('b').length", wait).await.unwrap(), json!(0));

    http.post(format!("{base}/_mock/users")).json(&json!({"name": "Bob"})).send().await.unwrap();
    if let Err(e) = tab.wait_until(&format!("{} && {}", shows("users (2)"), shows("users: +1")), wait).await {
        fail_with_screenshot(&tab, "inspector", format!("the inspector never showed Bob's arrival: {e:?}"))
            .await;
    }
    assert!(tab.console_errors().is_empty(), "{:?}", tab.console_errors());
    stop.cancel();
}
