//! The browser kit (`chatspec::browser`) on a page of its own: JavaScript and promises, a
//! condition waited for and one that times out, clicks and selects as a user makes them, the
//! console's errors, and a screenshot. Needs Chromium (`.ci/run` installs it).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use chatspec::browser::pages::PageServer;
use chatspec::browser::{Browser, JsError};
use serde_json::json;

const PAGE: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>kit</title></head><body>
<button id="b" onclick="window.clicks = (window.clicks || 0) + 1">press</button>
<select id="s" onchange="window.picked = this.value"><option value="a">A</option><option value="b">B</option></select>
<script>
  window.later = new Promise(resolve => setTimeout(() => resolve({ done: true }), 30));
  setTimeout(() => { window.ready = 'yes'; }, 50);
  console.log('hello', 42);
  console.error('something broke');
  setTimeout(() => { throw new Error('uncaught here'); }, 0);
</script>
</body></html>"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_kit_drives_a_page() {
    let browser = Browser::launch(Duration::from_secs(30))
        .await
        .unwrap_or_else(|e| panic!("this test needs Chromium (.ci/run installs it): {e}"));
    assert!(browser.version.contains("Chrome"), "{}", browser.version);
    let pages = PageServer::start().await.unwrap();
    pages.put_html("/kit/index.html", PAGE);
    let tab = browser.open(&pages.url("/kit/index.html"), Duration::from_secs(20)).await.unwrap();
    let wait = Duration::from_secs(10);

    assert_eq!(tab.eval("1 + 2", wait).await.unwrap(), json!(3));
    assert_eq!(tab.eval("window.later", wait).await.unwrap(), json!({"done": true}));
    match tab.eval("Promise.reject(new Error('no way'))", wait).await {
        Err(JsError::Threw(t)) => assert!(t.contains("no way"), "{t}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(tab.wait_until("window.ready", wait).await.unwrap(), json!("yes"));
    let started = std::time::Instant::now();
    assert_eq!(
        tab.wait_until("window.never", Duration::from_millis(300)).await,
        Err(JsError::Timeout(Duration::from_millis(300)))
    );
    assert!(started.elapsed() < Duration::from_secs(5));

    tab.click("#b").await.unwrap();
    tab.click("#b").await.unwrap();
    assert_eq!(tab.eval("window.clicks", wait).await.unwrap(), json!(2));
    assert!(tab.click("#missing").await.unwrap_err().to_string().contains("#missing"));
    tab.select("#s", "b", wait).await.unwrap();
    assert_eq!(tab.eval("window.picked", wait).await.unwrap(), json!("b"));
    assert!(tab.select("#s", "z", wait).await.is_err());

    let lines =
        tab.wait_for_console(|l| l.iter().any(|l| l.text.contains("uncaught here")), wait).await.unwrap();
    assert!(lines.iter().any(|l| l.kind == "log" && l.text == "hello 42"), "{lines:?}");
    let errors = tab.console_errors();
    assert!(errors.iter().any(|e| e == "something broke"), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("uncaught here")), "{errors:?}");

    let shot = std::env::temp_dir().join(format!("chatspec-kit-{}/page.png", std::process::id()));
    tab.screenshot(&shot).await.unwrap();
    let png = std::fs::read(&shot).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let _ = std::fs::remove_dir_all(shot.parent().unwrap());
    assert_eq!(pages.requests_under("/kit/"), ["/kit/index.html"]);
}
