//! Shared by the SSE fault tests: a Unichat mock on port 0 whose pings come at a chosen
//! interval, called in process, stopped when dropped.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod tls;

use std::sync::Arc;
use std::time::Duration;

use chatspec_mocks::kit::{Clock, serve};
use chatspec_mocks::unichat::{self, Config, Unichat};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

/// The embedded mock's domain token.
pub const DOMAIN: Option<&str> = Some("test_token1");

/// A running Unichat mock.
pub struct Mock {
    pub state: Arc<Unichat>,
    pub base: String,
    pub stop: CancellationToken,
    pub http: reqwest::Client,
}

impl Mock {
    /// Starts a mock that pings every `ping`.
    pub async fn start(ping: Duration) -> Mock {
        let state = Unichat::new(Config::default(), Clock::system(), ping);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = serve::base_url(&listener).unwrap();
        let stop = CancellationToken::new();
        tokio::spawn(unichat::run(state.clone(), listener, stop.clone()));
        Mock { state, base, stop, http: tls::http_client().no_proxy().build().unwrap() }
    }

    /// Calls `method` as the user of `token`; the reply's fields.
    pub fn call(&self, token: &str, method: &str, args: Value) -> Value {
        self.state.call(method, DOMAIN, Some(token), args).unwrap()
    }

    /// Registers `email`; the user's auth token.
    pub fn user(&self, email: &str) -> String {
        let reply =
            self.state.call("register", DOMAIN, None, json!({"email": email, "password": "p"})).unwrap();
        reply["user"]["auth_token"].as_str().unwrap().to_owned()
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}
