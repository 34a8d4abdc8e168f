//! Chats (seed 002, "Chats": `GET /api/chats`, `GET /api/chats/{chat-id}`, `POST /api/chats`,
//! `PUT /api/chats/{chat-id}`, `DELETE /api/chats/{chat-id}`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::timestamps::Timestamp;

/// A chat, held by one company. People converse in it "without having an account", as chat
/// users.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Chat {
    pub id: u64,
    pub company_id: u64,
    pub name: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// `POST /api/chats` ("Create").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CreateChat {
    /// One of the caller's companies.
    pub company_id: u64,
    /// Required, at most 255 characters.
    #[schemars(length(min = 1, max = 255))]
    pub name: String,
}

/// `PUT /api/chats/{chat-id}` ("Edit"): only the fields given change.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EditChat {
    #[serde(default)]
    #[schemars(length(min = 1, max = 255))]
    pub name: Option<String>,
}
