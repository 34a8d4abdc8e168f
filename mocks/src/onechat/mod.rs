//! The OneChat reference mock (seed 004): mass broadcast and alert relays to users and
//! groups, mini-app registration and session checks, with the shared admin API.
//!
//! # Admin API
//!
//! Beside the shared `/_mock/*` routes (DESIGN.md):
//!
//! | call | reply |
//! | --- | --- |
//! | `POST /_mock/users {"name"}` | `201 {"name", "jid", "domain", "sessionId", "apikey", "appId"}`: a user with an active session and an approved app of its own whose key works as the `apikey` header. A name of the form `"Ann@run7.example"` puts the user in domain `run7.example`; otherwise the domain is `onechat.net`. The jid is the name's letters and digits in lower case (`ann@run7.example`), with `-N` added if taken |
//! | `POST /_mock/groups {"name", "members": [jid...], "domain"?, "jid"?}` | `201 {"jid", "name", "domain", "members"}`: the group's jid is `<jid or name-NNNNNN>@muc.<domain>`; the domain is the first member's unless given; members must exist |
//! | `POST /_mock/sessions {"jid"}` | `201 {"jid", "sessionId"}`: another active session of the user |
//! | `DELETE /_mock/sessions/{sessionId}` | `200 {"status": "ok", "jid"}`: the session ends (authenticateUser answers false for it) |
//! | `GET /_mock/outbox` | `{"outbox": [<alert>...]}`, oldest first, one alert per recipient: `{"id", "kind": "alert", "via", "delivery", "to", "group", "domain", "message", "app_id", "sent_at"}`; `via` is `massBroadcast`, `singleMessage` or `groupMessage`, `group` the group's jid or null, and every alert of one call shares `delivery` |
//!
//! Admin errors are `400 {"status": "error", "error": "..."}`.

pub mod breakage;
pub mod broadcast;
pub mod directory;
pub mod error;
pub mod miniapps;
pub mod relay;
pub mod store;
pub mod transport;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::kit::{
    Clock,
    admin::{self, MockAdmin},
    serve,
};
pub use breakage::Breakage;
pub use error::ApiError;
pub use store::{Alert, Store};

/// A running OneChat mock's shared state.
pub struct OneChat {
    store: Mutex<Store>,
    clock: Clock,
}

impl OneChat {
    /// A mock on the given clock.
    pub fn new(clock: Clock) -> Arc<OneChat> {
        Arc::new(OneChat { store: Mutex::new(Store::new()), clock })
    }

    /// A mock that breaks the given rules (only in builds with the `breakage` feature).
    pub fn with_breakage(clock: Clock, breakage: std::collections::BTreeSet<Breakage>) -> Arc<OneChat> {
        Arc::new(OneChat { store: Mutex::new(Store::with_breakage(breakage)), clock })
    }

    /// A mock on the system clock.
    pub fn with_defaults() -> Arc<OneChat> {
        OneChat::new(Clock::system())
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // Every rule validates before it mutates: keep serving after a panic rather than
        // poisoning every later call.
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl MockAdmin for OneChat {
    fn api(&self) -> &'static str {
        chatspec_specs::onechat::API
    }

    fn reset(&self) {
        self.store().reset();
        self.clock.reset();
    }

    fn provision_user(&self, name: &str) -> Result<Value, String> {
        self.store().provision_user(name)
    }

    fn outbox(&self) -> Value {
        serde_json::to_value(self.store().outbox()).unwrap_or(Value::Null)
    }

    fn state(&self) -> Value {
        serde_json::to_value(&*self.store()).unwrap_or(Value::Null)
    }

    fn clock(&self) -> &Clock {
        &self.clock
    }
}

/// The whole OneChat mock: API and admin routes.
pub fn app(state: Arc<OneChat>) -> Router {
    transport::routes(state.clone()).merge(transport::admin_routes(state.clone())).merge(admin::routes(state))
}

/// Serves the mock on `listener` until `shutdown` is cancelled.
pub async fn run(
    state: Arc<OneChat>,
    listener: TcpListener,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    serve::run(app(state), listener, shutdown).await
}
