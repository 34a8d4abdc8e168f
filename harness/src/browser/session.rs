//! One browser and one page server per run, launched on first use and shared by its
//! scenarios; each scenario's page is registered under the scenario's key, so a failed
//! scenario's page is saved as a screenshot (`after_scenario`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::Duration;

use tokio::sync::{OnceCell, OwnedSemaphorePermit, Semaphore};

use super::pages::PageServer;
use super::{Browser, Tab, TabError, Unavailable};

/// How many pages are open at once: more only slow a small machine down.
pub const MAX_PAGES: usize = 4;

/// A running browser and the server of the test pages.
pub struct Kit {
    /// The headless browser.
    pub browser: Browser,
    /// The server of the test pages, on an origin of its own.
    pub pages: PageServer,
}

/// A scenario's page, and its place among the pages open at once.
pub struct ScenarioTab {
    /// The scenario's page.
    pub tab: Arc<Tab>,
    _permit: OwnedSemaphorePermit,
}

/// Why a scenario's page could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// There is no browser, or it would not start.
    #[error(transparent)]
    Unavailable(#[from] Unavailable),
    /// The run is ending: no place among the open pages will be free again.
    #[error("no page can be opened: {0}")]
    Closed(#[from] tokio::sync::AcquireError),
    /// The browser would not open or load the page.
    #[error(transparent)]
    Tab(#[from] TabError),
}

/// The browser of one run.
pub struct BrowserSession {
    kit: OnceCell<Result<Arc<Kit>, Unavailable>>,
    open: Mutex<HashMap<String, Weak<Tab>>>,
    screenshots: Mutex<Option<PathBuf>>,
    limit: Arc<Semaphore>,
}

impl Default for BrowserSession {
    fn default() -> Self {
        BrowserSession {
            kit: OnceCell::new(),
            open: Mutex::new(HashMap::new()),
            screenshots: Mutex::new(None),
            limit: Arc::new(Semaphore::new(MAX_PAGES)),
        }
    }
}

impl BrowserSession {
    /// Where screenshots of failed scenarios go (the report directory's `screenshots/`).
    pub fn set_screenshots(&self, dir: PathBuf) {
        *self.screenshots.lock().unwrap_or_else(PoisonError::into_inner) = Some(dir);
    }

    /// Where screenshots go, if anywhere.
    pub fn screenshots(&self) -> Option<PathBuf> {
        self.screenshots.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The run's browser and page server, launched on the first call; `Unavailable` (the same
    /// for every later call) when there is no browser.
    pub async fn kit(&self, timeout: Duration) -> Result<Arc<Kit>, Unavailable> {
        self.kit
            .get_or_init(|| async move {
                let browser = Browser::launch(timeout).await?;
                let pages = PageServer::start().await.map_err(|e| Unavailable::LaunchFailed {
                    path: "the page server".into(),
                    reason: e.to_string(),
                })?;
                Ok(Arc::new(Kit { browser, pages }))
            })
            .await
            .clone()
    }

    /// Opens `url` for the scenario `key` once a place is free; the page is registered for
    /// [`BrowserSession::after_scenario`].
    pub async fn open(&self, key: &str, url: &str, timeout: Duration) -> Result<ScenarioTab, OpenError> {
        let kit = self.kit(timeout).await?;
        let permit = self.limit.clone().acquire_owned().await?;
        let tab = Arc::new(kit.browser.open(url, timeout).await?);
        self.open.lock().unwrap_or_else(PoisonError::into_inner).insert(key.to_owned(), Arc::downgrade(&tab));
        Ok(ScenarioTab { tab, _permit: permit })
    }

    /// When the scenario `key` ended: forgets its page, and if the scenario failed saves a
    /// screenshot of it as `<dir>/<name>.png`; returns the file written.
    pub async fn after_scenario(
        &self,
        key: &str,
        failed: bool,
        name: &str,
    ) -> Option<Result<PathBuf, TabError>> {
        let tab = self.open.lock().unwrap_or_else(PoisonError::into_inner).remove(key)?.upgrade()?;
        if !failed {
            return None;
        }
        let dir = self.screenshots()?;
        let path = dir.join(format!("{}.png", file_name(name)));
        Some(tab.screenshot(&path).await.map(|()| path))
    }
}

/// The run's `after` hook: a failed scenario's page is saved as a screenshot into the run's
/// screenshot folder, and the file named in the scenario's wire log.
pub async fn after_scenario(
    ctx: &crate::context::RunContext,
    feature: &cucumber::gherkin::Feature,
    scenario: &cucumber::gherkin::Scenario,
    finished: &cucumber::event::ScenarioFinished,
    world: &crate::kit::Scenario,
) {
    use cucumber::event::ScenarioFinished;
    let failed = matches!(finished, ScenarioFinished::StepFailed(..) | ScenarioFinished::BeforeHookFailed(_));
    let stem = feature.path.as_ref().and_then(|p| p.file_stem()).map(|s| s.to_string_lossy().into_owned());
    let name = format!("{}-{}-{}", ctx.target.api, stem.unwrap_or_default(), scenario.name);
    match ctx.browser.after_scenario(&world.key, failed, &name).await {
        Some(Ok(path)) => world.wire.push("browser", None, format!("screenshot: {}", path.display()), None),
        Some(Err(e)) => world.wire.push("browser", None, format!("no screenshot: {e}"), None),
        None => {}
    }
}

/// `onechat/chat_plugin/a-wrong-password#2` -> `onechat-chat_plugin-a-wrong-password-2`.
fn file_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').chars().take(120).collect()
}

/// The path a screenshot of `name` would get in `dir`.
pub fn screenshot_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{}.png", file_name(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screenshot_names_are_plain_file_names() {
        assert_eq!(
            file_name("onechat/chat_plugin/a-wrong-password#2"),
            "onechat-chat_plugin-a-wrong-password-2"
        );
        assert_eq!(screenshot_path(Path::new("r"), "a b"), PathBuf::from("r/a-b.png"));
    }
}
