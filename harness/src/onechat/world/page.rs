//! The page a library scenario runs in: one per scenario, on the run's page server (another
//! origin than the server's), loading the libraries from the target (or the URLs of the
//! profile's `[onechat.libraries]`), in the run's headless browser (`crate::browser`). With no
//! browser the scenario is impossible, with the reason. Every failure in a page names what the
//! page's console said.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::OneChatWorld;
use crate::browser::session::ScenarioTab;
use crate::browser::{JsError, Tab};

/// The scenario's page.
pub struct LibraryPage {
    tab: ScenarioTab,
    /// The page's folder on the page server: `/s/<unique>/`.
    pub folder: String,
}

impl std::fmt::Debug for LibraryPage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LibraryPage").field("folder", &self.folder).finish()
    }
}

/// The element every page has, where the plugin is rendered.
pub const CONTAINER: &str = "onechatContainer";

/// A JavaScript string literal of `text`.
pub fn js_string(text: &str) -> String {
    Value::String(text.to_owned()).to_string()
}

impl OneChatWorld {
    /// The page's wait: 5 s scaled by the target's timeout factor.
    pub fn page_wait(&self) -> Duration {
        self.ctx.target.wait(Duration::from_secs(5))
    }

    /// Puts a file of the scenario's page folder on the page server (made on first use).
    pub async fn page_file(&mut self, relative: &str, content_type: &str, body: &str) {
        let folder = self.page_folder();
        let kit = match self.ctx.browser.kit(self.ctx.target.wait(Duration::from_secs(20))).await {
            Ok(k) => k,
            Err(e) => self.impossible(format!("the scenario runs the OneChat libraries in a browser: {e}")),
        };
        kit.pages.put(&format!("{folder}{relative}"), content_type, body.as_bytes());
    }

    fn page_folder(&mut self) -> String {
        if self.folder.is_empty() {
            self.folder = format!("/s/{}/", self.unique("page"));
        }
        self.folder.clone()
    }

    /// Opens the scenario's page: `scripts` (URLs) loaded in order after the plugin's
    /// container. Impossible without a browser.
    pub async fn open_page(&mut self, scripts: &[String]) {
        let folder = self.page_folder();
        let tags: String = scripts
            .iter()
            .map(|s| {
                format!("<script src=\"{}\"></script>\n", s.replace('&', "&amp;").replace('"', "&quot;"))
            })
            .collect();
        let html = format!(
            "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>chatspec: OneChat libraries</title></head>\n<body>\n<div id=\"{CONTAINER}\"></div>\n{tags}<script>window.__chatspec = {{ statuses: [], calls: [] }};</script>\n</body></html>\n"
        );
        self.page_file("index.html", "text/html; charset=utf-8", &html).await;
        let kit = match self.ctx.browser.kit(self.ctx.target.wait(Duration::from_secs(20))).await {
            Ok(k) => k,
            Err(e) => self.impossible(format!("the scenario runs the OneChat libraries in a browser: {e}")),
        };
        let url = kit.pages.url(&format!("{folder}index.html"));
        self.wire.push("browser", None, format!("open {url}"), Some(Value::String(html)));
        match self.ctx.browser.open(&self.key, &url, self.ctx.target.wait(Duration::from_secs(20))).await {
            Ok(tab) => self.page = Some(LibraryPage { tab, folder }),
            Err(e) => self.fail("the browser opens the test page", format!("{url} loaded"), e),
        }
    }

    /// The scenario's page.
    pub fn tab(&self) -> Arc<Tab> {
        match &self.page {
            Some(p) => p.tab.tab.clone(),
            None => panic!("the scenario opened no page: add a `Given a page with ...` step"),
        }
    }

    /// What the page's console said, for failure messages.
    pub fn console_note(&self) -> String {
        let Some(p) = &self.page else { return String::new() };
        let lines = p.tab.tab.console();
        if lines.is_empty() {
            return "\nconsole: (nothing)".into();
        }
        let shown: Vec<String> =
            lines.iter().rev().take(12).rev().map(|l| format!("  {}: {}", l.kind, l.text)).collect();
        format!("\nconsole:\n{}", shown.join("\n"))
    }

    /// Fails the step, with the page's console.
    pub fn page_fail(
        &self,
        rule: &str,
        expected: impl std::fmt::Display,
        actual: impl std::fmt::Display,
    ) -> ! {
        let actual = format!("{actual}{}", self.console_note());
        self.fail(rule, expected, actual)
    }

    /// Runs `js` in the page; a throw or a timeout comes back as `Err` with its text.
    pub async fn page_try(&self, js: &str) -> Result<Value, JsError> {
        let tab = self.tab();
        let got = tab.eval(js, self.page_wait()).await;
        let logged = match &got {
            Ok(v) => v.clone(),
            Err(e) => Value::String(e.to_string()),
        };
        self.wire.push(
            "browser",
            None,
            format!("eval {}", js.chars().take(200).collect::<String>()),
            Some(logged),
        );
        got
    }

    /// Runs `js` in the page; a throw fails the step as `what`.
    pub async fn page_eval(&self, js: &str, what: &str) -> Value {
        match self.page_try(js).await {
            Ok(v) => v,
            Err(e) => self.page_fail(what, "the page runs it without an error", e),
        }
    }

    /// Waits until `condition` is truthy in the page; `Err` with the last value of `show` when
    /// it never is.
    pub async fn page_wait_for(&self, condition: &str, show: &str) -> Result<Value, Value> {
        let tab = self.tab();
        match tab.wait_until(condition, self.page_wait()).await {
            Ok(v) => Ok(v),
            Err(JsError::Timeout(_)) | Err(JsError::Threw(_)) => Err(tab
                .eval(show, Duration::from_secs(2))
                .await
                .unwrap_or_else(|e| Value::String(e.to_string()))),
            Err(e) => Err(Value::String(e.to_string())),
        }
    }

    /// Fails unless the page's console has no error.
    pub fn page_no_errors(&self) {
        let errors = self.tab().console_errors();
        if !errors.is_empty() {
            self.page_fail(
                "the page runs the library without an error",
                "no console error",
                errors.join("\n  "),
            );
        }
    }
}
