//! The Unichat reference mock (seeds 000 and 001): a store with every rule, served over
//! HTTP JSON and SSE, with the shared admin API.
//!
//! One file per area, named as `specs/src/unichat/` and `features/unichat/` name them:
//! `endpoint.rs` dispatches each call (`Method::dispatch`, made from the declared method list)
//! to its area's handler, the `Handle` impl next to the rule; `messages.rs` serves `messages`, `uid`, `serial`, `editing` and
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
pub mod sse;
pub mod store;
mod subscriptions;
#[cfg(test)]
mod tests;
pub mod transport;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::Router;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

use crate::faults::{self, Faults};
use crate::kit::{
    self, Clock, Hub,
    admin::{self, MockAdmin, NoDevices},
    serve,
};
pub use breakage::Breakage;
pub use error::ApiError;
pub use store::{Config, Store};

/// A running Unichat mock's shared state.
pub struct Unichat {
    store: Mutex<Store>,
    sse_log: Mutex<sse::SseLog>,
    hub: Hub<sse::Notice>,
    faults: Faults,
    clock: Clock,
    ping: Duration,
    shutdown: CancellationToken,
}

impl Unichat {
    /// A mock with the given configuration and clock; `ping` is the SSE ping interval.
    pub fn new(config: Config, clock: Clock, ping: Duration) -> Arc<Unichat> {
        Arc::new(Unichat {
            store: Mutex::new(Store::new(config)),
            sse_log: Mutex::default(),
            hub: Hub::default(),
            faults: Faults::default(),
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
        self.call_from(None, method, domain, user, args)
    }

    /// [`Unichat::call`] for a client that reached the mock at `base` (`http://<Host>`):
    /// the attachment URLs in this call's reply and notifications are built on it.
    pub fn call_from(
        &self,
        base: Option<String>,
        method: &str,
        domain: Option<&str>,
        user: Option<&str>,
        args: Value,
    ) -> Result<Value, ApiError> {
        let predecoded = attachments::Predecoded::of(method, &args);
        let mut store = self.store();
        store.serving_base = base;
        store.predecoded = predecoded;
        let result = store.call(self.clock.now(), method, domain, user, args);
        store.serving_base = None;
        let unused = std::mem::take(&mut store.predecoded);
        let late = store.config().broken(Breakage::LateNotifications);
        let mut log = self.sse_log();
        // Each body is serialised and numbered once, however many users it goes to.
        let mut numbered: Vec<(Arc<Value>, sse::Notice)> = Vec::new();
        for out in store.take_outgoing() {
            let notice = match numbered.iter().find(|(body, _)| Arc::ptr_eq(body, &out.body)) {
                Some((_, notice)) => notice.clone(),
                None => {
                    let notice = log.number(&out.body.to_string());
                    numbered.push((out.body.clone(), notice.clone()));
                    notice
                }
            };
            log.keep(out.user_id, &notice);
            if late {
                let hub = self.hub.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_secs(2)).await;
                    hub.send(out.user_id, notice);
                });
                continue;
            }
            let sent = self.hub.send(out.user_id, notice);
            // A stream dropped for being too slow (NOTES.md U44) may have been the user's last.
            if sent.dropped_slow > 0 && self.hub.connections(out.user_id) == 0 {
                store.set_online(out.user_id, false);
            }
        }
        drop((log, store));
        drop(unused);
        result
    }

    fn sse_log(&self) -> MutexGuard<'_, sse::SseLog> {
        self.sse_log.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Opens a stream of the user `code` belongs to: marks them online and returns their
    /// queue with what they missed after `last_event_id`. The store stays locked meanwhile,
    /// as [`Unichat::call`] holds it while it delivers, so every notification is either
    /// missed or queued, never both nor neither.
    fn open_stream(
        &self,
        code: &str,
        last_event_id: Option<u64>,
    ) -> Option<(u64, kit::hub::Consumer<sse::Notice>, Vec<sse::Notice>)> {
        let mut store = self.store();
        let user = store.redeem_sse_code(code)?;
        let rx = self.hub.connect(user);
        let missed = last_event_id.map(|last| self.sse_log().since(user, last)).unwrap_or_default();
        store.set_online(user, true);
        Some((user, rx, missed))
    }

    /// Whether the breakage `b` is in force (only in builds with the `breakage` feature).
    fn broken(&self, b: Breakage) -> bool {
        self.store().config().broken(b)
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
    type Refusal = NoDevices;

    fn api(&self) -> &'static str {
        chatspec_specs::unichat::API
    }

    fn reset(&self) {
        self.store().reset();
        self.sse_log().clear();
        self.faults.clear();
        self.hub.clear();
        self.clock.reset();
    }

    fn provision_user(&self, name: &str) -> Result<Value, NoDevices> {
        Ok(self.store().provision(name))
    }

    fn provision_user_on(&self, name: &str, device_id: &str) -> Result<Value, NoDevices> {
        let _ = name;
        Err(NoDevices { api: self.api(), device_id: device_id.to_owned() })
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

/// Every admin route of the Unichat mock: the shared ones and the faults. The router serves
/// this table and `chatspec serve` lists it.
pub fn admin_table() -> Vec<admin::AdminRoute<Arc<Unichat>>> {
    let mut table = admin::table::<Unichat>();
    table.extend(faults::table());
    table
}

impl axum::extract::FromRef<Arc<Unichat>> for Faults {
    fn from_ref(state: &Arc<Unichat>) -> Faults {
        state.faults.clone()
    }
}

/// The whole Unichat mock: API, SSE, files and admin routes.
pub fn app(state: Arc<Unichat>) -> Router {
    // CORS covers the admin routes too, so a browser page can provision its test users.
    let faults = state.faults.clone();
    transport::routes(state.clone())
        .merge(admin::router(admin_table()).with_state(state))
        .layer(axum::middleware::from_fn_with_state(faults, faults::apply))
        .layer(transport::browser_cors())
}

/// Serves the mock on `listener` until `shutdown` is cancelled; SSE streams end with it.
pub async fn run(
    state: Arc<Unichat>,
    listener: impl Into<crate::kit::split::Listeners>,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    let listeners = listener.into();
    state.set_public_base(serve::base_url(&listeners.public)?);
    let streams = state.shutdown_token();
    let stop = shutdown.clone();
    tokio::spawn(async move {
        stop.cancelled().await;
        streams.cancel();
    });
    crate::kit::split::run(app(state), listeners, shutdown).await
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod fan_out_tests {
    use super::*;

    #[tokio::test]
    async fn a_notification_is_serialised_once_for_every_recipient_of_the_same_view() {
        let state = Unichat::with_defaults();
        let domain = Some("test_token1");
        let user = |email: &str| {
            let reply =
                state.call("register", domain, None, json!({"email": email, "password": "p"})).unwrap();
            let user = &reply["user"];
            (user["id"].as_u64().unwrap(), user["auth_token"].as_str().unwrap().to_owned())
        };
        let ((ann, ann_token), (bob, _), (cat, _)) = (user("ann@x.io"), user("bob@x.io"), user("cat@x.io"));
        let room =
            state.call("create_room", domain, Some(&ann_token), json!({"name": "r", "user_ids": [bob, cat]}));
        let sid = room.unwrap()["subscription"]["id"].clone();
        let mut queues: Vec<_> = [ann, bob, cat].iter().map(|u| state.hub.connect(*u)).collect();
        let args = json!({"subscription_id": sid, "text": "hi", "uid": "u-1"});
        state.call("post_message", domain, Some(&ann_token), args).unwrap();
        let got: Vec<sse::Notice> = queues.iter_mut().map(|q| q.try_recv().unwrap()).collect();
        assert!(Arc::ptr_eq(&got[1].json, &got[2].json), "bob and cat share one serialisation");
        assert_eq!(got[1].id, got[2].id);
        assert!(
            got[0].json.contains("\"uid\":\"u-1\"") && !got[1].json.contains("u-1"),
            "the poster's view is its own"
        );
        let kept = state.sse_log().since(cat, 0);
        assert!(Arc::ptr_eq(&kept.last().unwrap().json, &got[2].json), "the replay window shares it too");
    }
}
