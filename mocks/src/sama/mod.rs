//! The SAMA reference mock (seed 003): a store with every rule, served over HTTP login and
//! WebSocket JSON frames, with the shared admin API.
//!
//! A client signs in with `POST /login`, opens a WebSocket on any other path of the same
//! port, and links it with `{"request": {"connect": {"token", "device_id"}, "id"}}`.

mod activity;
pub mod auth;
mod blocking;
pub mod breakage;
pub mod compat;
mod contacts;
mod conversations;
mod edits;
pub mod error;
mod files;
#[cfg(test)]
mod fixture;
mod frames;
mod membership;
mod messages;
mod offline;
mod push;
mod sessions;
mod socket;
pub mod store;
pub mod transport;
mod users;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::extract::ws::Utf8Bytes;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use crate::kit::{
    Clock, Hub,
    admin::{self, MockAdmin},
    hub::Consumer,
    serve,
};

pub use auth::{HttpLogin, LoginOutcome};
pub use breakage::Breakage;
pub use compat::{Compat, PRESET, Switch};
pub use error::SamaError;
pub use store::{Config, ConnId, OutboxEntry, Outgoing, Store};
pub use users::ProvisionError;

use socket::Queued;

/// A running SAMA mock's shared state: the store behind one lock, and the sockets' queues.
pub struct Sama {
    store: Mutex<Store>,
    /// One queue per socket, keyed by connection id; the store knows users and devices. A
    /// frame is serialised once and shared (`Utf8Bytes` clones by reference count) by every
    /// socket it goes to; a backlog handed over at `connect` is one entry of the queue.
    hub: Hub<Queued>,
    clock: Clock,
    /// Connection ids are never reused, not even across resets, so a socket closing late
    /// cannot touch a newer one.
    next_conn: AtomicU64,
    shutdown: CancellationToken,
    /// The switches of the public server that are on (a copy of the store's, read by the
    /// transport without the lock).
    compat: Compat,
    /// The faults armed through `/_mock/faults` (`crate::faults`): HTTP routes and the
    /// WebSocket upgrade; faults on frames are the proxy's.
    faults: crate::faults::Faults,
}

impl Sama {
    /// A mock with the given configuration and clock.
    pub fn new(config: Config, clock: Clock) -> Arc<Sama> {
        Arc::new(Sama {
            compat: config.compat.clone(),
            store: Mutex::new(Store::new(config)),
            hub: Hub::default(),
            clock,
            next_conn: AtomicU64::new(1),
            shutdown: CancellationToken::new(),
            faults: crate::faults::Faults::default(),
        })
    }

    /// A mock with default settings on the system clock.
    pub fn with_defaults() -> Arc<Sama> {
        Sama::new(Config::default(), Clock::system())
    }

    /// A mock on the system clock that reproduces the public server's switches `compat`
    /// (`chatspec serve sama --compat ...`).
    pub fn with_compat(compat: Compat) -> Arc<Sama> {
        Sama::new(Config::with_compat(compat), Clock::system())
    }

    /// The public server's switches this mock reproduces.
    pub fn compat(&self) -> &Compat {
        &self.compat
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // Requests check before they change anything, so a panic while holding the lock
        // leaves no half-applied request: keep serving rather than poison every later one.
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Hands what the store queued to the sockets, in order. Called with the store locked,
    /// so no two requests' frames interleave on any socket.
    fn deliver(&self, store: &mut Store) {
        self.send_all(store.take_outgoing());
    }

    /// Hands frames to the sockets' queues, in order.
    fn send_all(&self, out: Vec<Outgoing>) {
        for out in out {
            match out {
                Outgoing::Frame { to, body } => {
                    let frame = Queued::Frame(Utf8Bytes::from(body.to_string()));
                    for conn in to {
                        self.hub.send(conn, frame.clone());
                    }
                }
                Outgoing::Backlog { to, bodies } => {
                    let frames = bodies.iter().map(|b| Utf8Bytes::from(b.to_string())).collect();
                    self.hub.send(to, Queued::Backlog(frames));
                }
                Outgoing::Close(conn) => self.hub.disconnect(conn),
            }
        }
    }

    /// A new socket: its id and the queue of frames to write to it.
    fn open(&self, base: Option<String>) -> (ConnId, Consumer<Queued>) {
        let mut store = self.store();
        let conn = self.next_conn.fetch_add(1, Ordering::Relaxed);
        store.open(conn);
        if let Some(c) = store.conns.get_mut(&conn) {
            c.base = base;
        }
        (conn, self.hub.connect(conn))
    }

    /// One text frame from a socket. Returns what must wait until the reply is written to
    /// that socket: nothing, unless `events_after_reply` is on, in which case the frames for
    /// other sockets (and closes of them) are held back for [`Sama::release`].
    fn receive(&self, conn: ConnId, text: &str) -> Vec<Outgoing> {
        let mut store = self.store();
        store.serving_base = store.conns.get(&conn).and_then(|c| c.base.clone());
        store.handle(self.clock.now_precise(), conn, text);
        store.serving_base = None;
        if !self.compat.contains(&Switch::EventsAfterReply) {
            self.deliver(&mut store);
            return Vec::new();
        }
        let (now, later) = split_for(conn, store.take_outgoing());
        self.send_all(now);
        later
    }

    /// Hands frames held back by [`Sama::receive`] to their sockets, in order.
    fn release(&self, later: Vec<Outgoing>) {
        if later.is_empty() {
            return;
        }
        // Under the lock, so no other request's frames interleave with these on a socket.
        let _store = self.store();
        self.send_all(later);
    }

    /// One binary frame from a socket.
    fn receive_binary(&self, conn: ConnId) {
        let mut store = self.store();
        store.handle_binary(conn);
        self.deliver(&mut store);
    }

    /// A socket went away, cleanly or not.
    fn close(&self, conn: ConnId) {
        let mut store = self.store();
        store.close(self.clock.now_precise(), conn);
        self.deliver(&mut store);
        self.hub.disconnect(conn);
    }

    fn login(&self, input: HttpLogin) -> Result<LoginOutcome, SamaError> {
        let mut store = self.store();
        let out = store.http_login(self.clock.now_precise(), input);
        self.deliver(&mut store);
        out
    }

    fn logout(&self, bearer: Option<String>, cookie: Option<String>) -> Result<(), SamaError> {
        let mut store = self.store();
        let out = store.http_logout(self.clock.now_precise(), bearer, cookie);
        self.deliver(&mut store);
        out
    }

    /// A failed HTTP call, in the shape and status the switches that are on give it.
    fn http_failure(&self, e: &SamaError) -> axum::response::Response {
        compat::http_failure(&self.compat, e)
    }

    fn refresh_ttl_secs(&self) -> i64 {
        self.store().config().refresh_ttl_ms / 1000
    }

    /// Ends every socket loop; used by [`run`] on shutdown.
    pub fn shutdown_token(&self) -> CancellationToken {
        self.shutdown.clone()
    }

    /// Sets the base URL file links are built on.
    pub fn set_public_base(&self, base: String) {
        self.store().set_public_base(base);
    }
}

impl MockAdmin for Sama {
    type Refusal = ProvisionError;

    fn api(&self) -> &'static str {
        chatspec_specs::sama::API
    }

    fn reset(&self) {
        let mut store = self.store();
        store.reset();
        // Every socket's queue ends, so every socket closes.
        self.hub.clear();
        self.faults.clear();
        self.clock.reset();
    }

    fn provision_user(&self, name: &str) -> Result<Value, ProvisionError> {
        let user = self.store().provision(self.clock.now_precise(), name, None)?;
        Ok(serde_json::to_value(user).unwrap_or(Value::Null))
    }

    fn provision_user_on(&self, name: &str, device_id: &str) -> Result<Value, ProvisionError> {
        let user = self.store().provision(self.clock.now_precise(), name, Some(device_id))?;
        Ok(serde_json::to_value(user).unwrap_or(Value::Null))
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

/// Splits what a request on `conn` caused: the frames for `conn` itself (its reply first)
/// go now, the rest (events to other sockets, closes of them) after the reply is written.
fn split_for(conn: ConnId, out: Vec<Outgoing>) -> (Vec<Outgoing>, Vec<Outgoing>) {
    let (mut now, mut later) = (Vec::new(), Vec::new());
    for o in out {
        match o {
            Outgoing::Frame { to, body } => {
                let (mine, others): (Vec<ConnId>, Vec<ConnId>) = to.into_iter().partition(|c| *c == conn);
                if !mine.is_empty() {
                    now.push(Outgoing::Frame { to: mine, body: body.clone() });
                }
                if !others.is_empty() {
                    later.push(Outgoing::Frame { to: others, body });
                }
            }
            Outgoing::Backlog { to, bodies } if to == conn => now.push(Outgoing::Backlog { to, bodies }),
            backlog @ Outgoing::Backlog { .. } => later.push(backlog),
            Outgoing::Close(c) if c == conn => now.push(Outgoing::Close(c)),
            close @ Outgoing::Close(_) => later.push(close),
        }
    }
    (now, later)
}

/// Every admin route of the SAMA mock: the shared ones and the faults. The router serves
/// this table and `chatspec serve` lists it.
pub fn admin_table() -> Vec<admin::AdminRoute<Arc<Sama>>> {
    let mut table = admin::table::<Sama>();
    table.extend(crate::faults::table());
    table
}

impl axum::extract::FromRef<Arc<Sama>> for crate::faults::Faults {
    fn from_ref(state: &Arc<Sama>) -> crate::faults::Faults {
        state.faults.clone()
    }
}

/// The whole SAMA mock: `/login`, `/logout`, files, the WebSocket on every other path, and
/// the admin routes, CORS with credentials on all of them (a page on another origin logs in,
/// refreshes by cookie and logs out).
pub fn app(state: Arc<Sama>) -> Router {
    let faults = state.faults.clone();
    admin::router(admin_table())
        .with_state(state.clone())
        .merge(transport::routes(state))
        .layer(axum::middleware::from_fn_with_state(faults, crate::faults::apply))
        .layer(crate::kit::cors::browser())
}

/// Serves the mock on `listener` until `shutdown` is cancelled; socket loops end with it.
pub async fn run(
    state: Arc<Sama>,
    listener: impl Into<crate::kit::split::Listeners>,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    let listeners = listener.into();
    state.set_public_base(serve::base_url(&listeners.public)?);
    let sockets = state.shutdown_token();
    let stop = shutdown.clone();
    tokio::spawn(async move {
        stop.cancelled().await;
        sockets.cancel();
    });
    crate::kit::split::run(app(state), listeners, shutdown).await
}
