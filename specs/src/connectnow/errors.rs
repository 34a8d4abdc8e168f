//! Error bodies (seed 002, "Response Status Codes": "See: API Philosophy - status codes").
//!
//! The seed points to an API philosophy it does not include; the public facts are the status
//! codes 200, 201, 401, 403, 404, 405, 422 and 429 and Laravel-style bodies (NOTES.md C5).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The body of 401, 403, 404, 405, 413 and 429: `{"message": "..."}` (e.g.
/// `{"message": "Unauthenticated."}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ErrorMessage {
    /// A human-readable reason.
    #[schemars(length(min = 1))]
    pub message: String,
}

/// The body of a 422 (validation): `{"message": "...", "errors": {"field": ["..."]}}`, every
/// failing field with every rule it breaks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ValidationError {
    /// The first error, with `(and N more errors)` when there are more.
    #[schemars(length(min = 1))]
    pub message: String,
    /// Field name to its messages, in a stable order.
    #[schemars(extend("minProperties" = 1))]
    pub errors: BTreeMap<String, Vec<String>>,
}
