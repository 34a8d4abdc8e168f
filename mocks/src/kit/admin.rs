//! The admin surface every mock serves beside its API (DESIGN.md, "Mock admin API").
//!
//! | call | effect |
//! | --- | --- |
//! | `GET /_mock/health` | 200 when ready |
//! | `POST /_mock/reset` | empty all state |
//! | `POST /_mock/users {"name", "device_id"?}` | provision a user; credentials in the API's own terms (`device_id`: SAMA only, the device its token is for) |
//! | `POST /_mock/clock/advance {"seconds"}` | move the mock clock forward |
//! | `GET /_mock/outbox` | what the mock "sent" out of band |
//! | `GET /_mock/state` | a JSON dump of the state |
//! | `GET /_mock/` | the inspector page for humans ([`super::inspector`]) |

use std::sync::Arc;

use axum::{
    Json, Router,
    body::Bytes,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::Clock;

/// What a mock lets the admin API do to it.
pub trait MockAdmin: Send + Sync + 'static {
    /// The API's name (`unichat`, ...), reported by `/_mock/health`.
    fn api(&self) -> &'static str;
    /// Empties all state (users, groups, messages, outbox) and resets the clock.
    fn reset(&self);
    /// Provisions a user whose display name is `name`; the reply carries its credentials in
    /// the API's own terms.
    fn provision_user(&self, name: &str) -> Result<Value, String>;
    /// Provisions a user logged in on the device `device_id` (an API with devices: SAMA,
    /// whose browser clients send their fingerprint as `device_id`). APIs without devices
    /// refuse it.
    fn provision_user_on(&self, name: &str, device_id: &str) -> Result<Value, String> {
        let _ = name;
        Err(format!("{} users have no device; device_id {device_id:?} is not taken here", self.api()))
    }
    /// What the mock "sent" out of band, oldest first.
    fn outbox(&self) -> Value;
    /// A JSON dump of the state.
    fn state(&self) -> Value;
    /// The mock's clock.
    fn clock(&self) -> &Clock;
}

/// The `/_mock/*` routes for one mock.
pub fn routes<A: MockAdmin>(admin: Arc<A>) -> Router {
    Router::new()
        .route("/_mock/health", get(health::<A>))
        .route("/_mock/reset", post(reset::<A>))
        .route("/_mock/users", post(users::<A>))
        .route("/_mock/clock/advance", post(advance::<A>))
        .route("/_mock/outbox", get(outbox::<A>))
        .route("/_mock/state", get(state::<A>))
        .route("/_mock/", get(super::inspector::page))
        .with_state(admin)
}

fn admin_error(text: impl Into<String>) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"status": "error", "error": text.into()}))).into_response()
}

fn parse<T: for<'de> Deserialize<'de>>(body: &Bytes) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| format!("bad admin request: {e}"))
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
        Err(e) => return admin_error(e),
    };
    if req.name.trim().is_empty() {
        return admin_error("name must not be empty");
    }
    let provisioned = match req.device_id.as_deref().map(str::trim) {
        Some("") => return admin_error("device_id must not be empty"),
        Some(device) => a.provision_user_on(&req.name, device),
        None => a.provision_user(&req.name),
    };
    match provisioned {
        Ok(v) => (StatusCode::CREATED, Json(v)).into_response(),
        Err(e) => admin_error(e),
    }
}

#[derive(Deserialize)]
struct Advance {
    seconds: i64,
}

async fn advance<A: MockAdmin>(State(a): State<Arc<A>>, body: Bytes) -> Response {
    let req: Advance = match parse(&body) {
        Ok(r) => r,
        Err(e) => return admin_error(e),
    };
    if req.seconds < 0 {
        return admin_error("the clock only moves forward: seconds must be >= 0");
    }
    if let Err(e) = a.clock().advance(req.seconds) {
        return admin_error(e.to_string());
    }
    Json(json!({"status": "ok", "now": super::clock::wire(a.clock().now())})).into_response()
}

async fn outbox<A: MockAdmin>(State(a): State<Arc<A>>) -> Response {
    Json(json!({"outbox": a.outbox()})).into_response()
}

async fn state<A: MockAdmin>(State(a): State<Arc<A>>) -> Response {
    Json(a.state()).into_response()
}
