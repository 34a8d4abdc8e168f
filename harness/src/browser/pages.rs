//! Test pages on an origin of their own: a small HTTP server on `127.0.0.1:0` serving pages
//! and files put in memory, so a page calls the server under test from another origin, as a
//! web developer's page does. Every request is recorded, so a test can see what a page loaded.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio_util::sync::CancellationToken;

type Files = Arc<Mutex<BTreeMap<String, (String, Vec<u8>)>>>;

/// Why the page server could not start.
#[derive(Debug, thiserror::Error)]
pub enum PageServerError {
    /// `127.0.0.1:0` could not be bound.
    #[error("cannot bind 127.0.0.1:0 for the test pages: {0}")]
    Bind(#[source] std::io::Error),
    /// The bound socket has no local address.
    #[error("the page server has no address: {0}")]
    NoAddress(#[source] std::io::Error),
}

/// The page server; it stops when dropped.
pub struct PageServer {
    base_url: String,
    files: Files,
    requests: Arc<Mutex<Vec<String>>>,
    stop: CancellationToken,
}

impl Drop for PageServer {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

impl PageServer {
    /// Starts a page server on an ephemeral port of 127.0.0.1.
    pub async fn start() -> Result<PageServer, PageServerError> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(PageServerError::Bind)?;
        let addr = listener.local_addr().map_err(PageServerError::NoAddress)?;
        let files: Files = Arc::default();
        let requests: Arc<Mutex<Vec<String>>> = Arc::default();
        let stop = CancellationToken::new();
        let (f, r) = (files.clone(), requests.clone());
        let app = Router::new().fallback(move |req: Request<Body>| {
            let (files, requests) = (f.clone(), r.clone());
            async move { serve(&files, &requests, &req) }
        });
        let token = stop.clone();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).with_graceful_shutdown(token.cancelled_owned()).await;
        });
        Ok(PageServer { base_url: format!("http://{addr}"), files, requests, stop })
    }

    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The URL of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Serves `body` at `path` with `content_type` from now on.
    pub fn put(&self, path: &str, content_type: &str, body: impl Into<Vec<u8>>) {
        let mut files = self.files.lock().unwrap_or_else(PoisonError::into_inner);
        files.insert(path.to_owned(), (content_type.to_owned(), body.into()));
    }

    /// Serves the HTML `html` at `path`.
    pub fn put_html(&self, path: &str, html: &str) {
        self.put(path, "text/html; charset=utf-8", html.as_bytes());
    }

    /// The paths (with their queries) requested under `prefix`, oldest first.
    pub fn requests_under(&self, prefix: &str) -> Vec<String> {
        let requests = self.requests.lock().unwrap_or_else(PoisonError::into_inner);
        requests.iter().filter(|p| p.starts_with(prefix)).cloned().collect()
    }
}

fn serve(files: &Files, requests: &Mutex<Vec<String>>, req: &Request<Body>) -> Response {
    let path = req.uri().path().to_owned();
    let logged = req.uri().path_and_query().map_or(path.clone(), |p| p.as_str().to_owned());
    requests.lock().unwrap_or_else(PoisonError::into_inner).push(logged);
    let file = files.lock().unwrap_or_else(PoisonError::into_inner).get(&path).cloned();
    match file {
        Some((content_type, body)) => {
            let mut resp = body.into_response();
            if let Ok(v) = HeaderValue::from_str(&content_type) {
                resp.headers_mut().insert(header::CONTENT_TYPE, v);
            }
            resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            resp
        }
        None => (StatusCode::NOT_FOUND, format!("no test file at {path}")).into_response(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn pages_are_served_and_requests_recorded() {
        let server = PageServer::start().await.unwrap();
        server.put_html("/s/1/index.html", "<p>hi</p>");
        let http = crate::tls::http_client().no_proxy().build().unwrap();
        let page = http.get(server.url("/s/1/index.html")).send().await.unwrap();
        assert_eq!(page.status(), 200);
        assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
        assert_eq!(page.text().await.unwrap(), "<p>hi</p>");
        let missing = http.get(server.url("/s/1/config/config.json?x=1")).send().await.unwrap();
        assert_eq!(missing.status(), 404);
        assert_eq!(server.requests_under("/s/1/"), ["/s/1/index.html", "/s/1/config/config.json?x=1"]);
        assert!(server.requests_under("/s/2/").is_empty());
    }
}
