//! The admin API `/_mock/*` (DESIGN.md, "Mock admin API"; `docs/admin-api.md`): what every
//! chatspec mock serves beside its API, and what a real server's test build serves to be
//! checked with `mode = "admin"` provisioning. These types are its contract, written to
//! `specs/schemas/admin/`; the mocks are tested against them (`mocks/tests/admin_contract.rs`).
//!
//! Replies are schemas of what a server must send (the serialize view): a field is required
//! when `chatspec check` reads it; the reference mock's other fields are listed as optional,
//! and checked when present. Requests are schemas of what the harness may send (the
//! deserialize view).
//!
//! The routes every API shares are here; each API's own shapes (the credentials of a new
//! user, the outbox, its extra routes) are in the file of its name; `faults.rs` holds the
//! optional fault injection of the mocks.

pub mod connectnow;
pub mod faults;
pub mod onechat;
pub mod sama;
pub mod unichat;

use schemars::{JsonSchema, Schema};
use serde::{Deserialize, Serialize};

use crate::{request_schema, response_schema};

/// The schema folder of the admin API (`specs/schemas/admin/`), as the registry names it.
pub const API: &str = "admin";

/// `"ok"`: the `status` of a reply that only says the call worked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OkStatus {
    /// The call worked.
    Ok,
}

/// `"error"`: the `status` of a refused admin call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ErrorStatus {
    /// The call was refused.
    Error,
}

/// A refused admin call, HTTP 400: `{"status": "error", "error": "..."}`. The harness fails
/// the scenario that made the call and quotes the reply.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AdminError {
    /// Always `error`.
    pub status: ErrorStatus,
    /// Why the call was refused, for a person to read.
    #[schemars(length(min = 1))]
    pub error: String,
}

/// A time of the server's clock in UTC, whole seconds: `2026-11-30T23:27:11Z`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Now(
    #[schemars(pattern(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"))] pub String,
);

/// `GET /_mock/health`, 200 when the server is ready.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Health {
    /// Always `ok`.
    pub status: OkStatus,
    /// The API the server serves: `unichat`, `connectnow`, `sama` or `onechat`.
    pub api: String,
    /// The server's clock now (RFC 3339), as `POST /_mock/clock/advance` moved it: the SAMA
    /// token expiry scenario reads it to know how far to move the clock.
    pub now: Now,
}

/// `POST /_mock/reset` (no body), 200: every user, group, message and outbox entry is gone,
/// the clock is back to real time and every armed fault is disarmed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Done {
    /// Always `ok`.
    pub status: OkStatus,
}

/// `POST /_mock/users`: provision one user. The reply (201) carries the user's credentials
/// in the API's own terms (`unichat.response.users`, `connectnow.response.users`,
/// `sama.response.users`, `onechat.response.users`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NewUser {
    /// The user's display name; the harness makes it unique per run (`Ann-r7k2-3`). OneChat:
    /// `Name@domain` puts the user in that domain.
    #[schemars(length(min = 1))]
    pub name: String,
    /// SAMA only: the device the user's access token is issued for (a browser client's
    /// fingerprint); a server of another API refuses it with 400.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub device_id: Option<String>,
}

/// `POST /_mock/clock/advance`: move the server's clock forward.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Advance {
    /// Seconds to add to the clock; the clock never moves back.
    #[schemars(range(min = 0))]
    pub seconds: i64,
}

/// The reply of `POST /_mock/clock/advance`, 200.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Advanced {
    /// Always `ok`.
    pub status: OkStatus,
    /// The clock after the move.
    pub now: Now,
}

/// `GET /_mock/state`, 200: the server's whole state as one JSON object, for a person
/// debugging a run; its shape is the server's own and no scenario reads it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct State(pub serde_json::Map<String, serde_json::Value>);

/// `GET /_mock/outbox`, 200: what the server "sent" out of band, oldest first, as items of
/// the API's own shape.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Outbox<T> {
    /// Every item sent since the last reset, oldest first. Scenarios run at once share it:
    /// each keeps only the items to its own users.
    pub outbox: Vec<T>,
}

/// Every schema of the admin API, by file name under `specs/schemas/admin/`: the routes
/// every API shares, then each API's own, then the optional fault injection.
pub fn schemas() -> Vec<(String, Schema)> {
    let mut out: Vec<(String, Schema)> = vec![
        ("error".into(), response_schema::<AdminError>()),
        ("response.health".into(), response_schema::<Health>()),
        ("response.reset".into(), response_schema::<Done>()),
        ("request.users".into(), request_schema::<NewUser>()),
        ("request.clock_advance".into(), request_schema::<Advance>()),
        ("response.clock_advance".into(), response_schema::<Advanced>()),
        ("response.state".into(), response_schema::<State>()),
    ];
    out.extend(unichat::schemas());
    out.extend(connectnow::schemas());
    out.extend(sama::schemas());
    out.extend(onechat::schemas());
    out.extend(faults::schemas());
    out
}
