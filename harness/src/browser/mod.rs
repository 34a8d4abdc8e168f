//! The browser kit: headless Chromium driven over the Chrome DevTools Protocol
//! (`chromiumoxide`), for scenarios and tests that run JavaScript in a real page.
//!
//! - [`find_chromium`] finds the browser (`CHATSPEC_CHROMIUM`, else `chromium`,
//!   `chromium-browser`, `google-chrome` on `PATH`); when there is none, callers report the
//!   scenario impossible with [`Unavailable`]'s text.
//! - [`Browser::launch`] starts it headless with a fresh temporary profile; it is killed and the
//!   profile removed when the [`Browser`] is dropped.
//! - [`Browser::open`] opens a page in a browser context of its own (cookies and storage are
//!   not shared between pages) and records its console ([`Tab::console`]).
//! - [`Tab`] runs JavaScript ([`Tab::eval`] awaits promises), waits for a condition with a
//!   timeout ([`Tab::wait_until`], polled in the page, never a sleep here), clicks and selects
//!   elements, and saves screenshots.
//! - [`pages::PageServer`] serves test pages on an origin of their own; [`session`] shares one
//!   browser and one page server per run and saves a screenshot of a failed scenario.

pub mod pages;
pub mod session;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chromiumoxide::cdp::browser_protocol::browser::BrowserContextId;
use chromiumoxide::cdp::browser_protocol::page::CaptureScreenshotFormat;
use chromiumoxide::cdp::browser_protocol::target::{CreateBrowserContextParams, CreateTargetParams};
use chromiumoxide::cdp::js_protocol::runtime::{
    EvaluateParams, EventConsoleApiCalled, EventExceptionThrown, RemoteObject,
};
use chromiumoxide::error::CdpError;
use chromiumoxide::handler::HandlerConfig;
use chromiumoxide::page::ScreenshotParams;
use futures::StreamExt as _;
use serde_json::Value;
use tokio::task::JoinHandle;

/// The executables looked for on `PATH`, in order.
pub const EXECUTABLES: [&str; 4] = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

/// The environment variable that names the browser's executable, overriding the `PATH` search.
pub const EXECUTABLE_VAR: &str = "CHATSPEC_CHROMIUM";

/// Flags every launch passes: headless, no sandbox (containers), nothing that reaches the
/// network on its own.
pub const FLAGS: [&str; 9] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
];

/// Why no browser can run: the text says what was looked for or what failed, for an
/// "impossible" outcome.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Unavailable {
    /// No executable found.
    #[error(
        "no browser: none of {} is on PATH and {EXECUTABLE_VAR} is not set (install Debian's chromium: apt-get install chromium)",
        EXECUTABLES.join(", ")
    )]
    NotFound,
    /// `CHATSPEC_CHROMIUM` names no executable file.
    #[error("no browser: {EXECUTABLE_VAR}={0} is not an executable file")]
    BadVariable(String),
    /// The executable would not start or never opened its DevTools socket.
    #[error("the browser {path} did not start: {reason}")]
    LaunchFailed {
        /// The executable (or `the page server` when that failed to start).
        path: String,
        /// What went wrong, in words.
        reason: String,
    },
}

/// The browser's executable: `CHATSPEC_CHROMIUM`, else the first of [`EXECUTABLES`] on `PATH`.
pub fn find_chromium() -> Result<PathBuf, Unavailable> {
    find_in(std::env::var_os(EXECUTABLE_VAR), std::env::var_os("PATH"))
}

/// [`find_chromium`] with the variable and the `PATH` given.
pub fn find_in(
    variable: Option<std::ffi::OsString>,
    path: Option<std::ffi::OsString>,
) -> Result<PathBuf, Unavailable> {
    if let Some(v) = variable.filter(|v| !v.is_empty()) {
        let p = PathBuf::from(&v);
        return if is_executable(&p) {
            Ok(p)
        } else {
            Err(Unavailable::BadVariable(p.display().to_string()))
        };
    }
    let dirs: Vec<PathBuf> = path.map(|p| std::env::split_paths(&p).collect()).unwrap_or_default();
    EXECUTABLES
        .iter()
        .flat_map(|name| dirs.iter().map(move |d| d.join(name)))
        .find(|p| is_executable(p))
        .ok_or(Unavailable::NotFound)
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// A running headless browser; killed, and its temporary profile removed, when dropped.
pub struct Browser {
    cdp: Arc<chromiumoxide::Browser>,
    child: std::process::Child,
    handler: JoinHandle<()>,
    profile: PathBuf,
    /// What the browser says it is (`Chrome/156.0...`).
    pub version: String,
}

impl Drop for Browser {
    fn drop(&mut self) {
        self.handler.abort();
        let _ = self.child.kill();
        // Reaped at once after SIGKILL; then nothing writes into the profile any more.
        let _ = self.child.wait();
        if std::fs::remove_dir_all(&self.profile).is_err() {
            let _ = std::fs::remove_dir_all(&self.profile);
        }
    }
}

/// The browser exited before it printed its DevTools address: the lines it printed.
struct ExitedEarly(Vec<String>);

/// Reads the browser's standard error on a thread of its own: the first `DevTools listening
/// on ws://...` line is sent on, with the lines before it when there is none; the rest is
/// drained, or a chatty browser would block on a full pipe.
fn devtools_address(
    stderr: std::process::ChildStderr,
) -> tokio::sync::oneshot::Receiver<Result<String, ExitedEarly>> {
    use std::io::BufRead as _;
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let mut tx = Some(tx);
        let mut seen = Vec::new();
        for line in std::io::BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            match (line.trim().strip_prefix("DevTools listening on "), tx.take()) {
                (Some(url), Some(t)) => {
                    let _ = t.send(Ok(url.to_owned()));
                }
                (None, Some(t)) => {
                    seen.push(line);
                    tx = Some(t);
                }
                (_, None) => {}
            }
        }
        if let Some(t) = tx {
            let _ = t.send(Err(ExitedEarly(seen)));
        }
    });
    rx
}

static PROFILES: AtomicU64 = AtomicU64::new(0);

impl Browser {
    /// Finds and launches the browser; `timeout` bounds its start.
    pub async fn launch(timeout: Duration) -> Result<Browser, Unavailable> {
        let path = find_chromium()?;
        Browser::launch_at(&path, timeout).await
    }

    /// Launches the browser at `path`.
    pub async fn launch_at(path: &Path, timeout: Duration) -> Result<Browser, Unavailable> {
        let failed = |reason: String| Unavailable::LaunchFailed { path: path.display().to_string(), reason };
        let n = PROFILES.fetch_add(1, Ordering::Relaxed);
        let profile = std::env::temp_dir().join(format!("chatspec-chromium-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&profile)
            .map_err(|e| failed(format!("cannot make {}: {e}", profile.display())))?;
        let mut child = std::process::Command::new(path)
            .args(FLAGS)
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| failed(e.to_string()))?;
        let stop = |child: &mut std::process::Child| {
            let _ = child.kill();
            let _ = child.wait();
            let _ = std::fs::remove_dir_all(&profile);
        };
        let Some(stderr) = child.stderr.take() else {
            stop(&mut child);
            return Err(failed("no standard error to read the DevTools address from".into()));
        };
        let url = match tokio::time::timeout(timeout, devtools_address(stderr)).await {
            Ok(Ok(Ok(url))) => url,
            Ok(Ok(Err(ExitedEarly(seen)))) => {
                stop(&mut child);
                return Err(failed(format!("it exited: {}", seen.join(" | "))));
            }
            Ok(Err(_)) => {
                stop(&mut child);
                return Err(failed("its standard error closed".into()));
            }
            Err(_) => {
                stop(&mut child);
                return Err(failed(format!("no DevTools address within {timeout:?}")));
            }
        };
        let config = HandlerConfig { request_timeout: timeout, ..HandlerConfig::default() };
        let (cdp, mut handler) = match chromiumoxide::Browser::connect_with_config(url, config).await {
            Ok(c) => c,
            Err(e) => {
                stop(&mut child);
                return Err(failed(e.to_string()));
            }
        };
        let handler = tokio::spawn(async move {
            // Messages the protocol crate cannot read are the browser's business, not a reason
            // to stop serving the pages.
            while handler.next().await.is_some() {}
        });
        let version = cdp.version().await.map(|v| v.product).unwrap_or_default();
        Ok(Browser { cdp: Arc::new(cdp), child, handler, profile, version })
    }

    /// Opens `url` in a new page of a browser context of its own; `timeout` bounds the load.
    pub async fn open(&self, url: &str, timeout: Duration) -> Result<Tab, TabError> {
        let context = self
            .cdp
            .create_browser_context(CreateBrowserContextParams::default())
            .await
            .map_err(TabError::Context)?;
        let params = CreateTargetParams::builder()
            .url("about:blank")
            .browser_context_id(context.clone())
            .build()
            .map_err(TabError::Params)?;
        let page = self.cdp.new_page(params).await.map_err(TabError::NewPage)?;
        let tab = Tab {
            page,
            cdp: self.cdp.clone(),
            context: Some(context),
            console: Arc::default(),
            console_grew: Arc::default(),
        };
        tab.record_console().await?;
        tokio::time::timeout(timeout, tab.page.goto(url))
            .await
            .map_err(|_| TabError::LoadTimeout { url: url.to_owned(), timeout })?
            .map_err(|source| TabError::Load { url: url.to_owned(), source })?;
        Ok(tab)
    }
}

/// One line of a page's console: `console.*` calls and uncaught exceptions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsoleLine {
    /// `log`, `info`, `warning`, `error`, ... or `exception`.
    pub kind: String,
    /// The arguments as text, joined by spaces; for an exception its message.
    pub text: String,
}

impl ConsoleLine {
    /// Whether it reports an error: `console.error` or an uncaught exception.
    pub fn is_error(&self) -> bool {
        self.kind == "error" || self.kind == "exception"
    }
}

/// An error of JavaScript run in the page, or of the protocol.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum JsError {
    /// The script threw, or its promise rejected: the exception's text.
    #[error("the script threw: {0}")]
    Threw(String),
    /// No answer within the time given.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// The browser could not run it.
    #[error("the browser failed: {0}")]
    Protocol(String),
}

/// What went wrong opening a page or acting on it (clicks, picks, screenshots).
#[derive(Debug, thiserror::Error)]
pub enum TabError {
    /// The browser would not make a browser context for the page.
    #[error("cannot make a browser context: {0}")]
    Context(#[source] CdpError),
    /// The protocol's page parameters could not be built.
    #[error("cannot open a page: {0}")]
    Params(String),
    /// The browser would not open a page.
    #[error("cannot open a page: {0}")]
    NewPage(#[source] CdpError),
    /// The page's console could not be listened to.
    #[error("cannot listen to the console: {0}")]
    Console(#[source] CdpError),
    /// The page did not finish loading in time.
    #[error("{url} did not load within {timeout:?}")]
    LoadTimeout {
        /// The page's URL.
        url: String,
        /// How long the load was given.
        timeout: Duration,
    },
    /// The page failed to load.
    #[error("cannot load {url}: {source}")]
    Load {
        /// The page's URL.
        url: String,
        /// The browser's error.
        source: CdpError,
    },
    /// No element matches the selector.
    #[error("no element matches {selector:?}: {source}")]
    NoElement {
        /// The CSS selector.
        selector: String,
        /// The browser's error.
        source: CdpError,
    },
    /// The element was found but could not be clicked.
    #[error("cannot click {selector:?}: {source}")]
    Click {
        /// The CSS selector.
        selector: String,
        /// The browser's error.
        source: CdpError,
    },
    /// A script run for the action threw or timed out (a `<select>` without the option).
    #[error(transparent)]
    Script(#[from] JsError),
    /// The screenshot's folder could not be made.
    #[error("cannot make {}: {source}", path.display())]
    MakeDir {
        /// The folder.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// The browser would not take the screenshot.
    #[error("cannot take a screenshot: {0}")]
    Screenshot(#[source] CdpError),
    /// The screenshot could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The PNG file.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
}

/// A page in a browser context of its own; the context is disposed of when the tab is dropped.
pub struct Tab {
    page: chromiumoxide::Page,
    cdp: Arc<chromiumoxide::Browser>,
    context: Option<BrowserContextId>,
    console: Arc<Mutex<Vec<ConsoleLine>>>,
    console_grew: Arc<tokio::sync::Notify>,
}

impl Drop for Tab {
    fn drop(&mut self) {
        if let (Some(context), Ok(rt)) = (self.context.take(), tokio::runtime::Handle::try_current()) {
            let cdp = self.cdp.clone();
            rt.spawn(async move {
                let _ = cdp.dispose_browser_context(context).await;
            });
        }
    }
}

fn remote_text(o: &RemoteObject) -> String {
    match &o.value {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => o.description.clone().unwrap_or_else(|| format!("{:?}", o.r#type)),
    }
}

impl Tab {
    async fn record_console(&self) -> Result<(), TabError> {
        let mut calls =
            self.page.event_listener::<EventConsoleApiCalled>().await.map_err(TabError::Console)?;
        let mut thrown =
            self.page.event_listener::<EventExceptionThrown>().await.map_err(TabError::Console)?;
        let (log, grew) = (self.console.clone(), self.console_grew.clone());
        tokio::spawn(async move {
            while let Some(call) = calls.next().await {
                let kind = serde_json::to_value(&call.r#type)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                let text = call.args.iter().map(remote_text).collect::<Vec<_>>().join(" ");
                log.lock().unwrap_or_else(PoisonError::into_inner).push(ConsoleLine { kind, text });
                grew.notify_waiters();
            }
        });
        let (log, grew) = (self.console.clone(), self.console_grew.clone());
        tokio::spawn(async move {
            while let Some(e) = thrown.next().await {
                let d = &e.exception_details;
                let text = d
                    .exception
                    .as_ref()
                    .and_then(|o| o.description.clone())
                    .unwrap_or_else(|| d.text.clone());
                log.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(ConsoleLine { kind: "exception".into(), text });
                grew.notify_waiters();
            }
        });
        Ok(())
    }

    /// Waits until `done` holds for the console's lines; `Err` with the lines when it does
    /// not within `timeout`. Woken by each new line, never polled.
    pub async fn wait_for_console(
        &self,
        done: impl Fn(&[ConsoleLine]) -> bool,
        timeout: Duration,
    ) -> Result<Vec<ConsoleLine>, Vec<ConsoleLine>> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let grew = self.console_grew.notified();
            tokio::pin!(grew);
            grew.as_mut().enable();
            let lines = self.console();
            if done(&lines) {
                return Ok(lines);
            }
            if tokio::time::timeout_at(deadline, grew).await.is_err() {
                return Err(self.console());
            }
        }
    }

    /// Every console line so far, oldest first.
    pub fn console(&self) -> Vec<ConsoleLine> {
        self.console.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The console's errors so far: `console.error` calls and uncaught exceptions.
    pub fn console_errors(&self) -> Vec<String> {
        self.console().into_iter().filter(ConsoleLine::is_error).map(|l| l.text).collect()
    }

    /// The page's URL.
    pub async fn url(&self) -> Option<String> {
        self.page.url().await.ok().flatten()
    }

    /// Runs the expression `js` in the page and returns its value as JSON; a promise is
    /// awaited. `timeout` bounds the whole call.
    pub async fn eval(&self, js: &str, timeout: Duration) -> Result<Value, JsError> {
        let params = EvaluateParams::builder()
            .expression(js)
            .await_promise(true)
            .return_by_value(true)
            .build()
            .map_err(JsError::Protocol)?;
        let result = tokio::time::timeout(timeout, self.page.evaluate_expression(params))
            .await
            .map_err(|_| JsError::Timeout(timeout))?;
        match result {
            Ok(r) => Ok(r.value().cloned().unwrap_or(Value::Null)),
            Err(CdpError::JavascriptException(d)) => Err(JsError::Threw(
                d.exception.as_ref().and_then(|o| o.description.clone()).unwrap_or_else(|| d.text.clone()),
            )),
            Err(e) => Err(JsError::Protocol(e.to_string())),
        }
    }

    /// Waits until the expression `condition` is truthy in the page and returns its value.
    /// The page checks it at every animation frame and after every task; the deadline is
    /// kept in the page and, as a backstop, here.
    pub async fn wait_until(&self, condition: &str, timeout: Duration) -> Result<Value, JsError> {
        let ms = timeout.as_millis();
        let js = format!(
            r#"new Promise((resolve, reject) => {{
  const deadline = performance.now() + {ms};
  const check = () => {{
    let v;
    try {{ v = ({condition}); }} catch (e) {{ v = undefined; }}
    if (v) {{ resolve(v); return; }}
    if (performance.now() > deadline) {{ reject(new Error("timed out")); return; }}
    setTimeout(check, 5);
  }};
  check();
}})"#
        );
        match self.eval(&js, timeout + Duration::from_secs(1)).await {
            Err(JsError::Threw(t)) if t.contains("timed out") => Err(JsError::Timeout(timeout)),
            other => other,
        }
    }

    /// Clicks the first element matching the CSS `selector`, as a user would (scrolled into
    /// view, a mouse press and release at its centre).
    pub async fn click(&self, selector: &str) -> Result<(), TabError> {
        let element = self
            .page
            .find_element(selector)
            .await
            .map_err(|source| TabError::NoElement { selector: selector.to_owned(), source })?;
        element.click().await.map_err(|source| TabError::Click { selector: selector.to_owned(), source })?;
        Ok(())
    }

    /// Picks `value` in the `<select>` matching `selector`, firing `input` and `change` as a
    /// user's pick does.
    pub async fn select(&self, selector: &str, value: &str, timeout: Duration) -> Result<(), TabError> {
        let js = format!(
            "(() => {{ const s = document.querySelector({sel}); if (!s) throw new Error('no element matches ' + {sel}); \
             s.value = {val}; if (s.value !== {val}) throw new Error('no option ' + {val}); \
             s.dispatchEvent(new Event('input', {{bubbles: true}})); s.dispatchEvent(new Event('change', {{bubbles: true}})); return true; }})()",
            sel = Value::String(selector.to_owned()),
            val = Value::String(value.to_owned()),
        );
        self.eval(&js, timeout).await?;
        Ok(())
    }

    /// Saves a PNG of the page at `path` (folders made as needed).
    pub async fn screenshot(&self, path: &Path) -> Result<(), TabError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|source| TabError::MakeDir { path: dir.to_path_buf(), source })?;
        }
        let params = ScreenshotParams::builder().format(CaptureScreenshotFormat::Png).full_page(true).build();
        let png = self.page.screenshot(params).await.map_err(TabError::Screenshot)?;
        std::fs::write(path, png).map_err(|source| TabError::Write { path: path.to_path_buf(), source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_is_found_by_variable_or_on_the_path() {
        let dir = std::env::temp_dir().join(format!("chatspec-find-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_default();
        let fake = dir.join("chromium-browser");
        std::fs::write(&fake, "#!/bin/sh\n").unwrap_or_default();
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap_or_default();
        assert_eq!(find_in(None, Some(dir.clone().into_os_string())), Ok(fake.clone()));
        assert_eq!(find_in(None, Some("/nonexistent".into())), Err(Unavailable::NotFound));
        assert_eq!(find_in(None, None), Err(Unavailable::NotFound));
        assert_eq!(find_in(Some(fake.clone().into_os_string()), None), Ok(fake.clone()));
        let text = find_in(Some("/no/such/chromium".into()), None).unwrap_err().to_string();
        assert!(text.contains("CHATSPEC_CHROMIUM=/no/such/chromium"), "{text}");
        assert!(Unavailable::NotFound.to_string().contains("apt-get install chromium"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
