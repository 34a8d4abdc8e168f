//! The account behind an API token (seed 002, "Current user": "Get authenticated via API
//! token", `GET /api/user`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::timestamps::Timestamp;

/// The account an API token belongs to. "API tokens are usual tokens that you use to
/// authenticate most API requests."
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct User {
    pub id: u64,
    pub name: String,
    pub email: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}
