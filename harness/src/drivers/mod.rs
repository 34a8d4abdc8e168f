//! Protocol drivers: how the harness talks to each API's server.

pub mod admin;
pub mod operations;
pub mod sse;

use reqwest::header::HeaderMap;
use serde_json::Value;

/// What one HTTP exchange brought back. [`crate::reply::send`] gives the same as a
/// [`crate::reply::Reply`], which every driver's steps judge the same way, with why no reply
/// came and how long it took: prefer it.
#[derive(Clone, Debug, Default)]
pub struct Exchange {
    /// HTTP status; 0 when no reply came (connection refused, timeout).
    pub status: u16,
    /// The reply headers (empty when no reply came).
    pub headers: HeaderMap,
    /// The body as JSON, `Value::Null` when it was not JSON.
    pub body: Value,
    /// The body as text, or what went wrong.
    pub text: String,
}

/// Sends `req` and reads the whole reply; failures end up in `text`, never in a panic.
pub async fn exchange(req: reqwest::RequestBuilder) -> Exchange {
    match req.send().await {
        Ok(resp) => {
            let status = resp.status().as_u16();
            let headers = resp.headers().clone();
            match resp.text().await {
                Ok(text) => Exchange {
                    status,
                    headers,
                    body: serde_json::from_str(&text).unwrap_or(Value::Null),
                    text,
                },
                Err(e) => Exchange {
                    status,
                    headers,
                    body: Value::Null,
                    text: format!("reading the body failed: {e}"),
                },
            }
        }
        Err(e) => Exchange { text: e.to_string(), ..Exchange::default() },
    }
}
