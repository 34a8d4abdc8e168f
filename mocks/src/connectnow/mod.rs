//! The connectnow reference mock (seed 002): companies, chats, chat users and chat messages
//! over REST, API and chat-user tokens, e-mailed auth codes, with the shared admin API.
//!
//! # Admin API
//!
//! Beside the shared `/_mock/*` routes (DESIGN.md):
//!
//! | call | reply |
//! | --- | --- |
//! | `POST /_mock/users {"name"}` | `201 {"user": <user record>, "api_token": "<60 characters>"}`: an account with no companies; the token works in every placement (`api_token` query or body, `Authorization: Bearer`) |
//! | `GET /_mock/outbox` | `{"outbox": [<email>...]}`, oldest first; an e-mail is `{"id", "kind": "email", "to", "subject", "body", "chat_id", "chat_user_id", "auth_code", "sent_at", "expires_at"}` |
//! | `POST /_mock/clock/advance {"seconds"}` | moves the clock that auth codes expire by (10 minutes) |
//! | `GET /_mock/rate-limit` | `{"per_minute": N or null}` |
//! | `POST /_mock/rate-limit {"per_minute": N or null}` | turns the limit on (N) or off (null or 0); replies as `GET` |
//!
//! A chat user gets an auth code by e-mail when an account creates it
//! (`POST /api/chats/{chat-id}/users`) or when it asks with the chat password
//! (`POST /chats/{chat-id}/users/request-code {"email", "password", "name"?}`); the code is
//! exchanged at `POST /chats/{chat-id}/users/get-token {"email", "auth-code"}` for
//! `{"chat_user_token", "chat_user"}`.
//!
//! # Layout
//!
//! One file per area of `features/connectnow/`, holding the store's rules for it: `users`,
//! `companies`, `chats`, `chat_users`, `chat_messages`, `tokens`, `pagination`, `auth` (which
//! token, where), `scoping` (what it reaches), `errors` (the error bodies and statuses; the
//! rate limit's counting is `throttle`). Beside them: `store` (the state, no I/O), `validate`
//! (Laravel's rules and messages), `input` (reading a request), `breakage` (rules broken on
//! purpose for the harness's self-tests) and `transport`, where the router is built from
//! `connectnow::Route::ALL` and `Route::dispatch` gives each route its rule (the route's
//! `Handle` impl, in the file of its area).

mod auth;
pub mod breakage;
mod chat_messages;
mod chat_users;
mod chats;
mod companies;
pub mod errors;
pub mod input;
pub mod mail;
mod pagination;
mod scoping;
pub mod store;
pub mod throttle;
mod tokens;
pub mod transport;
mod users;
mod validate;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use crate::kit::{
    Clock,
    admin::{self, MockAdmin, NoDevices},
    serve,
};
pub use auth::{Actor, Credentials, Need};
pub use breakage::Breakage;
pub use errors::ApiError;
pub use store::{Config, Email, Input, Store};

/// A running connectnow mock's shared state.
pub struct ConnectNow {
    store: Mutex<Store>,
    clock: Clock,
    /// The rate limit the mock started with: `/_mock/reset` restores it, so a limit set
    /// through `/_mock/rate-limit` does not outlive a reset.
    initial_rate_limit: Option<u32>,
    /// The faults armed through `/_mock/faults` (`crate::faults`).
    faults: crate::faults::Faults,
    /// Where the e-mail also goes over SMTP (`chatspec serve connectnow --smtp`).
    mailer: std::sync::OnceLock<mail::Mailer>,
}

impl ConnectNow {
    /// A mock with the given configuration and clock.
    pub fn new(config: Config, clock: Clock) -> Arc<ConnectNow> {
        let initial_rate_limit = config.rate_limit;
        Arc::new(ConnectNow {
            store: Mutex::new(Store::new(config)),
            clock,
            initial_rate_limit,
            faults: crate::faults::Faults::default(),
            mailer: std::sync::OnceLock::new(),
        })
    }

    /// A mock with default settings on the system clock.
    pub fn with_defaults() -> Arc<ConnectNow> {
        ConnectNow::new(Config::default(), Clock::system())
    }

    /// Sends every e-mail from now on over SMTP to `relay` too (the outbox keeps them); a
    /// second call changes nothing.
    pub fn send_mail_to(&self, relay: std::net::SocketAddr) {
        let _ = self.mailer.set(mail::Mailer::new(relay));
    }

    /// Sends `mails` over SMTP when the mock was told where ([`ConnectNow::send_mail_to`]).
    async fn deliver(&self, mails: Vec<Email>) {
        if let Some(mailer) = self.mailer.get()
            && !mails.is_empty()
        {
            mailer.send_all(mails).await;
        }
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // Every rule validates before it mutates, so a panic cannot leave a half-applied
        // request behind: keep serving rather than poisoning every later request.
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sets the base URL page links use when a request has no `Host` header.
    pub fn set_public_base(&self, base: String) {
        self.store().set_public_base(base);
    }

    fn public_base(&self) -> String {
        self.store().config().public_base.clone()
    }
}

impl MockAdmin for ConnectNow {
    type Refusal = NoDevices;

    fn api(&self) -> &'static str {
        chatspec_specs::connectnow::API
    }

    fn reset(&self) {
        let mut store = self.store();
        store.reset();
        store.set_rate_limit(self.initial_rate_limit);
        drop(store);
        self.faults.clear();
        self.clock.reset();
    }

    fn provision_user(&self, name: &str) -> Result<Value, NoDevices> {
        Ok(self.store().provision(self.clock.now(), name))
    }

    fn provision_user_on(&self, name: &str, device_id: &str) -> Result<Value, NoDevices> {
        let _ = name;
        Err(NoDevices { api: self.api(), device_id: device_id.to_owned() })
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

/// Every admin route of the connectnow mock: the shared ones, `/_mock/rate-limit` and the
/// faults. The router serves this table and `chatspec serve` lists it.
pub fn admin_table() -> Vec<admin::AdminRoute<Arc<ConnectNow>>> {
    let mut table = admin::table::<ConnectNow>();
    table.extend(transport::admin_table());
    table.extend(crate::faults::table());
    table
}

impl axum::extract::FromRef<Arc<ConnectNow>> for crate::faults::Faults {
    fn from_ref(state: &Arc<ConnectNow>) -> crate::faults::Faults {
        state.faults.clone()
    }
}

/// The whole connectnow mock: API and admin routes, CORS on all of them.
pub fn app(state: Arc<ConnectNow>) -> Router {
    let faults = state.faults.clone();
    transport::routes(state.clone())
        .merge(admin::router(admin_table()).with_state(state))
        .layer(axum::middleware::from_fn_with_state(faults, crate::faults::apply))
        .layer(crate::kit::cors::browser())
}

/// Serves the mock on `listener` until `shutdown` is cancelled.
pub async fn run(
    state: Arc<ConnectNow>,
    listener: impl Into<crate::kit::split::Listeners>,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    let listeners = listener.into();
    state.set_public_base(serve::base_url(&listeners.public)?);
    crate::kit::split::run(app(state), listeners, shutdown).await
}
