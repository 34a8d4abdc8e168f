//! The Unichat reference mock (seeds 000 and 001): a store with every rule, served over
//! HTTP JSON and SSE, with the shared admin API.
//!
//! One file per area, named as `specs/src/unichat/` and `features/unichat/` name them:
//! `endpoint.rs` dispatches each call (an exhaustive `match` on the declared method list) to
//! its area's handler; `messages.rs` serves `messages`, `uid`, `serial`, `editing` and
//! `deleting`; `store.rs` holds the state and the rules the areas share (`authorization`);
//! `transport.rs` is the HTTP and SSE wire.

mod accounts;
pub mod attachments;
pub mod breakage;
mod endpoint;
pub mod error;
mod invites;
mod leaving;
mod messages;
mod rooms;
mod sse;
pub mod store;
mod subscriptions;
#[cfg(test)]
mod tests;
pub mod transport;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::Router;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::kit::{
    Clock, Hub,
    admin::{self, MockAdmin},
    serve,
};
pub use breakage::Breakage;
pub use error::ApiError;
pub use store::{Config, Store};

/// A running Unichat mock's shared state.
pub struct Unichat {
    store: Mutex<Store>,
    hub: Hub,
    clock: Clock,
    ping: Duration,
    shutdown: CancellationToken,
}

impl Unichat {
    /// A mock with the given configuration and clock; `ping` is the SSE ping interval.
    pub fn new(config: Config, clock: Clock, ping: Duration) -> Arc<Unichat> {
        Arc::new(Unichat {
            store: Mutex::new(Store::new(config)),
            hub: Hub::default(),
            clock,
            ping,
            shutdown: CancellationToken::new(),
        })
    }

    /// A mock with default settings on the system clock.
    pub fn with_defaults() -> Arc<Unichat> {
        Unichat::new(Config::default(), Clock::system(), transport::DEFAULT_PING)
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock cannot leave a half-applied call: calls validate
        // before they mutate. Keep serving rather than poisoning every later request.
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs one call and delivers its notifications, in order, while the store is locked so
    /// that no two calls' notifications interleave.
    pub fn call(
        &self,
        method: &str,
        domain: Option<&str>,
        user: Option<&str>,
        args: Value,
    ) -> Result<Value, ApiError> {
        let mut store = self.store();
        let result = store.call(self.clock.now(), method, domain, user, args);
        let late = store.config().broken(Breakage::LateNotifications);
        for out in store.take_outgoing() {
            let frame: Arc<str> = Arc::from(out.body.to_string());
            if late {
                let hub = self.hub.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_secs(2)).await;
                    hub.send(out.user_id, frame);
                });
                continue;
            }
            self.hub.send(out.user_id, frame);
        }
        result
    }

    /// Whether the breakage `b` is in force (only in builds with the `breakage` feature).
    fn broken(&self, b: Breakage) -> bool {
        self.store().config().broken(b)
    }

    fn redeem_sse_code(&self, code: &str) -> Option<u64> {
        self.store().redeem_sse_code(code)
    }

    fn set_online(&self, user: u64, online: bool) {
        self.store().set_online(user, online);
    }

    fn file(&self, id: u64) -> Option<(String, Vec<u8>)> {
        self.store().file(id).map(|f| (f.content_type.clone(), f.bytes.clone()))
    }

    /// Stops every SSE stream; used by [`run`] on shutdown.
    pub fn shutdown_token(&self) -> CancellationToken {
        self.shutdown.clone()
    }

    /// Sets the base URL used in file links.
    pub fn set_public_base(&self, base: String) {
        self.store().set_public_base(base);
    }
}

impl MockAdmin for Unichat {
    fn api(&self) -> &'static str {
        chatspec_specs::unichat::API
    }

    fn reset(&self) {
        self.store().reset();
        self.hub.clear();
        self.clock.reset();
    }

    fn provision_user(&self, name: &str) -> Result<Value, String> {
        Ok(self.store().provision(name))
    }

    fn outbox(&self) -> Value {
        // Unichat sends nothing out of band: notifications go over SSE.
        json!([])
    }

    fn state(&self) -> Value {
        serde_json::to_value(&*self.store()).unwrap_or(Value::Null)
    }

    fn clock(&self) -> &Clock {
        &self.clock
    }
}

/// The whole Unichat mock: API, SSE, files and admin routes.
pub fn app(state: Arc<Unichat>) -> Router {
    // CORS covers the admin routes too, so a browser page can provision its test users.
    transport::routes(state.clone()).merge(admin::routes(state)).layer(transport::browser_cors())
}

/// Serves the mock on `listener` until `shutdown` is cancelled; SSE streams end with it.
pub async fn run(
    state: Arc<Unichat>,
    listener: TcpListener,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    state.set_public_base(serve::base_url(&listener)?);
    let streams = state.shutdown_token();
    let stop = shutdown.clone();
    tokio::spawn(async move {
        stop.cancelled().await;
        streams.cancel();
    });
    serve::run(app(state), listener, shutdown).await
}
