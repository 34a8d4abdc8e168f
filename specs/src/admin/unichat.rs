//! The Unichat admin shapes: a new user is the extended chat user record a login returns;
//! Unichat sends nothing out of band (its notifications go over SSE), so its outbox is empty.

use schemars::{JsonSchema, Schema};
use serde::{Deserialize, Serialize};

use crate::response_schema;
use crate::unichat::accounts::OwnChatUser;

/// `POST /_mock/users` reply (201): "the extended `chat user record, which includes
/// auth_token fields" (seed 000), with the password the account logs in with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NewUserReply {
    /// The record `login` would return; the harness reads `id` and `auth_token`.
    #[serde(flatten)]
    pub user: OwnChatUser,
    /// The password `login` takes with the record's `email` (the reference mock sends it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// `GET /_mock/outbox` reply (200): always empty.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EmptyOutbox {
    /// Nothing: Unichat's notifications go over SSE, never out of band.
    #[schemars(length(max = 0))]
    pub outbox: Vec<serde_json::Value>,
}

/// Unichat's schemas under `specs/schemas/admin/`.
pub fn schemas() -> Vec<(String, Schema)> {
    vec![
        ("unichat.response.users".into(), response_schema::<NewUserReply>()),
        ("unichat.response.outbox".into(), response_schema::<EmptyOutbox>()),
    ]
}
