//! Companies (seed 002, "Companies": `GET /api/companies`, `GET /api/companies/{company-id}`,
//! `POST /api/companies`, `PUT /api/companies/{company-id}`,
//! `DELETE /api/companies/{company-id}`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::timestamps::Timestamp;

/// A company. It belongs to the account that created it; an API token sees only its own
/// account's companies (NOTES.md C9).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Company {
    pub id: u64,
    /// The owning account (`GET /api/user` `id`).
    pub user_id: u64,
    pub name: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// `POST /api/companies` ("Create").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CreateCompany {
    /// Required, at most 255 characters.
    #[schemars(length(min = 1, max = 255))]
    pub name: String,
}

/// `PUT /api/companies/{company-id}` ("Edit"): only the fields given change.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EditCompany {
    #[serde(default)]
    #[schemars(length(min = 1, max = 255))]
    pub name: Option<String>,
}
