//! The OneChat reference mock (seed 004): mass broadcast and alert relays to users and
//! groups, mini-app registration and session checks, with the shared admin API; and copies of
//! the seed's browser libraries, `GET /ocwp.js` and `GET /oc.js?jid=...`, wired to the mock's
//! state through its own JSON routes (`libraries.rs`, NOTES.md O15).
//!
//! # Files and areas
//!
//! Each rule is in the file of its feature area (`features/onechat/<area>.feature`):
//! `broadcast.rs`, `relay.rs`, `miniapps.rs`, `chat_plugin.rs`, `mini_app_library.rs`. The
//! area `endpoint` ("Guide to make API call", "Response Details") is served by `transport.rs`
//! (the router, built from `onechat::Route::ALL`, each call served by its `Handle` impl in the
//! file of its area; the `apikey` header and the body) and `error.rs` (the error reply); `libraries.rs` serves the library
//! areas' routes (from `onechat::Library::ALL`); `directory.rs` makes users, groups and
//! sessions for the admin API; `store.rs` holds the state.
//!
//! # Admin API
//!
//! Beside the shared `/_mock/*` routes (DESIGN.md):
//!
//! | call | reply |
//! | --- | --- |
//! | `POST /_mock/users {"name"}` | `201 {"name", "jid", "domain", "sessionId", "apikey", "appId", "password"}`: a user with an active session, an approved app of its own whose key works as the `apikey` header, and the password `ocwp.login` takes. A name of the form `"Ann@run7.example"` puts the user in domain `run7.example`; otherwise the domain is `onechat.net`. The jid is the name's letters and digits in lower case (`ann@run7.example`), with `-N` added if taken |
//! | `POST /_mock/groups {"name", "members": [jid...], "domain"?, "jid"?}` | `201 {"jid", "name", "domain", "members"}`: the group's jid is `<jid or name-NNNNNN>@muc.<domain>`; the domain is the first member's unless given; members must exist |
//! | `POST /_mock/sessions {"jid"}` | `201 {"jid", "sessionId"}`: another active session of the user |
//! | `DELETE /_mock/sessions/{sessionId}` | `200 {"status": "ok", "jid"}`: the session ends (authenticateUser answers false for it) |
//! | `POST /_mock/passwords {"jid", "password"}` | `200 {"status": "ok", "jid"}`: the user's password for `ocwp.login` |
//! | `GET /_mock/outbox` | `{"outbox": [<alert>...]}`, oldest first, one entry per recipient: `{"id", "kind", "via", "delivery", "to", "group", "domain", "message", "app_id", "from", "sent_at"}`; `kind` is `alert` for the API's calls (`via` `massBroadcast`, `singleMessage` or `groupMessage`, `app_id` the sending app) and `message` for the `OC` relays (`via` `OC.message.single.relay` or `OC.message.group.relay`, `from` the sender); `group` is the group's jid or null, and every entry of one call shares `delivery` |
//!
//! Admin errors are `400 {"status": "error", "error": "..."}`.

pub mod breakage;
pub mod broadcast;
pub mod chat_plugin;
pub mod directory;
pub mod error;
pub mod libraries;
pub mod mini_app_library;
pub mod miniapps;
pub mod relay;
pub mod store;
pub mod transport;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use crate::kit::{
    Clock,
    admin::{self, MockAdmin, NoDevices},
};
pub use breakage::Breakage;
pub use directory::DirectoryError;
pub use error::ApiError;
pub use store::{Alert, Store};

/// A running OneChat mock's shared state.
pub struct OneChat {
    store: Mutex<Store>,
    clock: Clock,
    /// Ends every plugin event stream when the mock stops.
    shutdown: CancellationToken,
    /// Ends a plugin connection's event stream, by its token (logout, reset).
    closers: Mutex<HashMap<String, CancellationToken>>,
    /// The faults armed through `/_mock/faults` (`crate::faults`).
    faults: crate::faults::Faults,
}

impl OneChat {
    /// A mock on the given clock.
    pub fn new(clock: Clock) -> Arc<OneChat> {
        OneChat::with_store(clock, Store::new())
    }

    /// A mock that breaks the given rules (only in builds with the `breakage` feature).
    pub fn with_breakage(clock: Clock, breakage: std::collections::BTreeSet<Breakage>) -> Arc<OneChat> {
        OneChat::with_store(clock, Store::with_breakage(breakage))
    }

    fn with_store(clock: Clock, store: Store) -> Arc<OneChat> {
        Arc::new(OneChat {
            store: Mutex::new(store),
            clock,
            shutdown: CancellationToken::new(),
            closers: Mutex::new(HashMap::new()),
            faults: crate::faults::Faults::default(),
        })
    }

    /// The token that ends the event stream of the plugin connection `token`.
    fn closer(&self, token: &str) -> CancellationToken {
        let mut closers = self.closers.lock().unwrap_or_else(PoisonError::into_inner);
        closers.entry(token.to_owned()).or_insert_with(|| self.shutdown.child_token()).clone()
    }

    /// Ends the event stream of the plugin connection `token`, if one is open.
    fn close(&self, token: &str) {
        let closer = self.closers.lock().unwrap_or_else(PoisonError::into_inner).remove(token);
        if let Some(c) = closer {
            c.cancel();
        }
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
    type Refusal = DirectoryError;

    fn api(&self) -> &'static str {
        chatspec_specs::onechat::API
    }

    fn reset(&self) {
        self.store().reset();
        let closers = std::mem::take(&mut *self.closers.lock().unwrap_or_else(PoisonError::into_inner));
        for c in closers.into_values() {
            c.cancel();
        }
        self.faults.clear();
        self.clock.reset();
    }

    fn provision_user(&self, name: &str) -> Result<Value, DirectoryError> {
        self.store().provision_user(name)
    }

    fn provision_user_on(&self, name: &str, device_id: &str) -> Result<Value, DirectoryError> {
        let _ = name;
        Err(NoDevices { api: self.api(), device_id: device_id.to_owned() }.into())
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

/// Every admin route of the OneChat mock: the shared ones, its groups, sessions and
/// passwords, and the faults. The router serves this table and `chatspec serve` lists it.
pub fn admin_table() -> Vec<admin::AdminRoute<Arc<OneChat>>> {
    let mut table = admin::table::<OneChat>();
    table.extend(transport::admin_table());
    table.extend(crate::faults::table());
    table
}

impl axum::extract::FromRef<Arc<OneChat>> for crate::faults::Faults {
    fn from_ref(state: &Arc<OneChat>) -> crate::faults::Faults {
        state.faults.clone()
    }
}

/// The whole OneChat mock: API, library and admin routes, CORS on all of them.
pub fn app(state: Arc<OneChat>) -> Router {
    let faults = state.faults.clone();
    transport::routes(state.clone())
        .merge(libraries::routes(state.clone()))
        .merge(admin::router(admin_table()).with_state(state))
        .layer(axum::middleware::from_fn_with_state(faults, crate::faults::apply))
        .layer(crate::kit::cors::browser())
}

/// Serves the mock on `listener` until `shutdown` is cancelled; the plugin's event streams end
/// with it.
pub async fn run(
    state: Arc<OneChat>,
    listener: impl Into<crate::kit::split::Listeners>,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    let listeners = listener.into();
    let streams = state.shutdown.clone();
    let stop = shutdown.clone();
    tokio::spawn(async move {
        stop.cancelled().await;
        streams.cancel();
    });
    crate::kit::split::run(app(state), listeners, shutdown).await
}
