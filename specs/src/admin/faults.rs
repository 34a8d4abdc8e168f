//! `/_mock/faults`: the mocks' fault injection (`mocks/src/faults.rs`), the same vocabulary
//! as `chatspec proxy --fault`. Optional: no scenario of `chatspec check` uses it; it serves a
//! client's own tests against `chatspec serve`. `DELETE /_mock/faults` disarms every fault and
//! answers 204 with no body.

use schemars::{JsonSchema, Schema};
use serde::{Deserialize, Serialize};

use crate::{request_schema, response_schema};

/// What a fault does (the `kind` field, with its parameters beside it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// The server acts, then the connection ends before the reply is read.
    DropReply,
    /// The request waits `ms` milliseconds before the server sees it.
    Delay {
        /// Milliseconds.
        ms: u64,
    },
    /// A 5xx instead of the reply; the server never sees the request.
    ServerError {
        /// The status, 500 to 599 (503 when absent).
        #[serde(default = "default_status")]
        #[schemars(range(min = 500, max = 599))]
        status: u16,
    },
    /// The server acts, then the reply's body is replaced by bytes that are no JSON.
    Garbage,
    /// An SSE stream ends after `after` events.
    CloseStream {
        /// How many events pass before the end (0 when absent).
        #[serde(default)]
        after: u32,
    },
    /// Matching SSE events are left out.
    DropEvents,
    /// Matching SSE events are sent twice.
    DuplicateEvents,
    /// Each matching SSE event is held back and sent after the next one.
    ReorderEvents,
    /// The reply's body trickles out at most `bytes_per_second` bytes a second.
    SlowRead {
        /// Bytes a second, at least 1.
        #[schemars(range(min = 1))]
        bytes_per_second: u32,
    },
}

/// The status of a `server_error` fault without one: 503 Service Unavailable.
pub const fn default_status() -> u16 {
    503
}

/// One fault: what it does, where, and how often.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Fault {
    /// What the fault does.
    #[serde(flatten)]
    pub kind: FaultKind,
    /// The route: an exact path (`/api/post_message`), or a prefix ending in `*` (`/sse/*`).
    #[schemars(length(min = 1))]
    pub route: String,
    /// Only requests with this HTTP method (any when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Only SSE events of this type, for the event faults (any when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// The next `times` matching requests (1 when neither this nor `probability` is given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
    /// Each matching request with this probability, drawn from `seed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub probability: Option<f64>,
    /// The seed of the draws (0 when absent), so a run can be repeated.
    #[serde(default)]
    pub seed: u64,
}

/// `POST /_mock/faults`: one fault, or several at once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ArmFaults {
    /// One fault.
    One(Fault),
    /// Several faults, armed in order.
    Many(Vec<Fault>),
}

/// `POST /_mock/faults` reply (201).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Armed {
    /// The armed faults' ids, in the order given.
    pub ids: Vec<u64>,
}

/// An armed fault, as `GET /_mock/faults` lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ArmedFault {
    /// The fault's id.
    pub id: u64,
    /// How many more requests it fires on; null when it fires by `probability`.
    pub left: Option<u32>,
    /// The fault as armed.
    pub fault: Fault,
}

/// A fault that fired.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Fired {
    /// The armed fault's id.
    pub fault: u64,
    /// What it did.
    #[serde(flatten)]
    pub kind: FaultKind,
    /// The request it fired on: `POST /api/post_message`.
    pub request: String,
}

/// `GET /_mock/faults` reply (200): what is armed and what fired since the last reset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Listing {
    /// The faults still armed.
    pub armed: Vec<ArmedFault>,
    /// The faults that fired, oldest first.
    pub fired: Vec<Fired>,
}

/// The fault injection's schemas under `specs/schemas/admin/`.
pub fn schemas() -> Vec<(String, Schema)> {
    vec![
        ("faults.request.arm".into(), request_schema::<ArmFaults>()),
        ("faults.response.arm".into(), response_schema::<Armed>()),
        ("faults.response.list".into(), response_schema::<Listing>()),
    ]
}
