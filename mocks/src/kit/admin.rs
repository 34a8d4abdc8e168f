//! The admin surface every mock serves beside its API (DESIGN.md, "Mock admin API").
//!
//! | call | effect |
//! | --- | --- |
//! | `GET /_mock/health` | 200 when ready |
//! | `POST /_mock/reset` | empty all state |
//! | `POST /_mock/users {"name", "device_id"?}` | provision a user; credentials in the API's own terms (`device_id`: SAMA only, the device its token is for) |
//! | `POST /_mock/clock/advance {"seconds"}` | move the mock clock forward |
//! | `POST /_mock/clock/reset` | undo every advance, and nothing else (the clock moves back) |
//! | `GET /_mock/outbox` | what the mock "sent" out of band |
//! | `GET /_mock/state` | a JSON dump of the state |
//! | `GET /_mock/` | the inspector page for humans ([`super::inspector`]) |
//!
//! Each mock adds its own routes (faults, and connectnow's and OneChat's additions) to one
//! table of [`AdminRoute`]s, from which both its router ([`router`]) and the list `chatspec
//! serve` prints ([`listed`]) come.

use std::sync::Arc;

use axum::{
    Json, Router,
    body::Bytes,
    extract::State,
    handler::Handler,
    http::{Method, StatusCode},
    response::{IntoResponse, Response},
    routing::{MethodFilter, MethodRouter, on},
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::Clock;
use super::clock::ClockRangeError;

/// What a mock lets the admin API do to it.
pub trait MockAdmin: Send + Sync + 'static {
    /// Why this mock refuses to provision a user: answered `400 {"status": "error", "error"}`
    /// with its text.
    type Refusal: std::error::Error;
    /// The API's name (`unichat`, ...), reported by `/_mock/health`.
    fn api(&self) -> &'static str;
    /// Empties all state (users, groups, messages, outbox), restores every setting the admin
    /// API changed to the one the mock started with, and resets the clock.
    fn reset(&self);
    /// Provisions a user whose display name is `name`; the reply carries its credentials in
    /// the API's own terms.
    fn provision_user(&self, name: &str) -> Result<Value, Self::Refusal>;
    /// Provisions a user logged in on the device `device_id` (an API with devices: SAMA,
    /// whose browser clients send their fingerprint as `device_id`). APIs without devices
    /// refuse it with [`NoDevices`].
    fn provision_user_on(&self, name: &str, device_id: &str) -> Result<Value, Self::Refusal>;
    /// What the mock "sent" out of band, oldest first.
    fn outbox(&self) -> Value;
    /// A JSON dump of the state.
    fn state(&self) -> Value;
    /// The mock's clock.
    fn clock(&self) -> &Clock;
}

/// One admin route: its method, its path and its handler, for a router of state `S`.
pub struct AdminRoute<S> {
    method: Method,
    path: &'static str,
    handler: MethodRouter<S>,
}

impl<S: Clone + Send + Sync + 'static> AdminRoute<S> {
    /// `GET path`, answered by `handler`.
    pub fn get<H: Handler<T, S>, T: 'static>(path: &'static str, handler: H) -> AdminRoute<S> {
        AdminRoute { method: Method::GET, path, handler: on(MethodFilter::GET, handler) }
    }

    /// `POST path`, answered by `handler`.
    pub fn post<H: Handler<T, S>, T: 'static>(path: &'static str, handler: H) -> AdminRoute<S> {
        AdminRoute { method: Method::POST, path, handler: on(MethodFilter::POST, handler) }
    }

    /// `DELETE path`, answered by `handler`.
    pub fn delete<H: Handler<T, S>, T: 'static>(path: &'static str, handler: H) -> AdminRoute<S> {
        AdminRoute { method: Method::DELETE, path, handler: on(MethodFilter::DELETE, handler) }
    }

    /// The route's method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The route's path (`/_mock/health`).
    pub fn path(&self) -> &'static str {
        self.path
    }
}

/// The router of `table` (the routes of one path, with several methods, merged).
pub fn router<S: Clone + Send + Sync + 'static>(table: Vec<AdminRoute<S>>) -> Router<S> {
    table.into_iter().fold(Router::new(), |router, r| router.route(r.path, r.handler))
}

/// `table` as a list for people: `GET /_mock/health`, the methods of one path together
/// (`GET|POST|DELETE /_mock/faults`), in the table's order.
pub fn listed<S>(table: &[AdminRoute<S>]) -> Vec<String> {
    let mut out: Vec<(Vec<&str>, &str)> = Vec::new();
    for r in table {
        match out.iter_mut().find(|(_, path)| *path == r.path) {
            Some((methods, _)) => methods.push(r.method.as_str()),
            None => out.push((vec![r.method.as_str()], r.path)),
        }
    }
    out.into_iter().map(|(methods, path)| format!("{} {path}", methods.join("|"))).collect()
}

/// The `/_mock/*` routes every mock serves, for a mock of state `Arc<A>`.
pub fn table<A: MockAdmin>() -> Vec<AdminRoute<Arc<A>>> {
    vec![
        AdminRoute::get("/_mock/health", health::<A>),
        AdminRoute::post("/_mock/reset", reset::<A>),
        AdminRoute::post("/_mock/users", users::<A>),
        AdminRoute::post("/_mock/clock/advance", advance::<A>),
        AdminRoute::post("/_mock/clock/reset", clock_reset::<A>),
        AdminRoute::get("/_mock/outbox", outbox::<A>),
        AdminRoute::get("/_mock/state", state::<A>),
        AdminRoute::get("/_mock/", super::inspector::page),
    ]
}

/// The `/_mock/*` routes every mock serves ([`table`]), on `admin`.
pub fn routes<A: MockAdmin>(admin: Arc<A>) -> Router {
    router(table::<A>()).with_state(admin)
}

/// A `device_id` given to a mock whose users have no devices (every API but SAMA).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{api} users have no device; device_id {device_id:?} is not taken here")]
pub struct NoDevices {
    /// The API's name (`unichat`, ...).
    pub api: &'static str,
    /// The device asked for.
    pub device_id: String,
}

/// Why the shared admin routes refuse a request before the mock sees it.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// The body is not the JSON object the call takes (serde_json's reason).
    #[error("bad admin request: {0}")]
    Body(#[from] serde_json::Error),
    /// `POST /_mock/users` with a blank `name`.
    #[error("name must not be empty")]
    EmptyName,
    /// `POST /_mock/users` with a blank `device_id`.
    #[error("device_id must not be empty")]
    EmptyDeviceId,
    /// `POST /_mock/clock/advance` with negative `seconds`.
    #[error("the clock only moves forward: seconds must be >= 0")]
    ClockBackwards,
    /// `POST /_mock/clock/advance` past the year 9999.
    #[error(transparent)]
    ClockRange(#[from] ClockRangeError),
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        refused(&self)
    }
}

/// The admin API's refusal: `400 {"status": "error", "error": <why>}`.
pub fn refused(why: &dyn std::error::Error) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"status": "error", "error": why.to_string()}))).into_response()
}

/// An admin request's JSON body as `T`.
pub fn parse<T: for<'de> Deserialize<'de>>(body: &Bytes) -> Result<T, AdminError> {
    Ok(serde_json::from_slice(body)?)
}

async fn health<A: MockAdmin>(State(a): State<Arc<A>>) -> Response {
    Json(json!({"status": "ok", "api": a.api(), "now": super::clock::wire(a.clock().now())})).into_response()
}

async fn reset<A: MockAdmin>(State(a): State<Arc<A>>) -> Response {
    a.reset();
    Json(json!({"status": "ok"})).into_response()
}

#[derive(Deserialize)]
struct NewUser {
    name: String,
    #[serde(default)]
    device_id: Option<String>,
}

async fn users<A: MockAdmin>(State(a): State<Arc<A>>, body: Bytes) -> Response {
    let req: NewUser = match parse(&body) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    if req.name.trim().is_empty() {
        return AdminError::EmptyName.into_response();
    }
    let provisioned = match req.device_id.as_deref().map(str::trim) {
        Some("") => return AdminError::EmptyDeviceId.into_response(),
        Some(device) => a.provision_user_on(&req.name, device),
        None => a.provision_user(&req.name),
    };
    match provisioned {
        Ok(v) => (StatusCode::CREATED, Json(v)).into_response(),
        Err(e) => refused(&e),
    }
}

#[derive(Deserialize)]
struct Advance {
    seconds: i64,
}

async fn advance<A: MockAdmin>(State(a): State<Arc<A>>, body: Bytes) -> Response {
    let req: Advance = match parse(&body) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    if req.seconds < 0 {
        return AdminError::ClockBackwards.into_response();
    }
    if let Err(e) = a.clock().advance(req.seconds) {
        return AdminError::from(e).into_response();
    }
    Json(json!({"status": "ok", "now": super::clock::wire(a.clock().now())})).into_response()
}

/// Puts the clock back on real time (or its fixed start), leaving every other state alone:
/// how to undo what a run's `clock/advance` calls did without emptying the mock. Times move
/// back for whatever is live (codes and tokens issued under the moved clock live longer), so
/// it is for between runs; the reply says where the clock now is.
async fn clock_reset<A: MockAdmin>(State(a): State<Arc<A>>) -> Response {
    a.clock().reset();
    Json(json!({"status": "ok", "now": super::clock::wire(a.clock().now())})).into_response()
}

async fn outbox<A: MockAdmin>(State(a): State<Arc<A>>) -> Response {
    Json(json!({"outbox": a.outbox()})).into_response()
}

async fn state<A: MockAdmin>(State(a): State<Arc<A>>) -> Response {
    Json(a.state()).into_response()
}
