//! The connectnow admin shapes: an account with its API token, the e-mails carrying auth
//! codes, and the rate limit's switch (NOTES.md C20).

use schemars::{JsonSchema, Schema};
use serde::{Deserialize, Serialize};

use super::Outbox;
use crate::connectnow::timestamps::Timestamp;
use crate::connectnow::users::User;
use crate::{request_schema, response_schema};

/// `POST /_mock/users` reply (201): an account with no companies and its API token.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NewUserReply {
    /// The account's user record, as `GET /api/user` returns it; the harness reads `id`.
    pub user: User,
    /// The account's API token; it must work in every placement the document names
    /// (`api_token` in the query or body, `Authorization: Bearer`).
    #[schemars(length(min = 1))]
    pub api_token: String,
}

/// `email`: the kind of every connectnow outbox item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EmailKind {
    /// An e-mail.
    Email,
}

/// One e-mail the server "sent": an auth code for a chat user ("The auth code sent to the
/// persons email"). The harness finds a chat user's mails by `to` and takes the code from
/// `auth_code`, or else from the first six-digit number of `body`: one of them is required.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(extend("anyOf" = [
    {"required": ["auth_code"], "properties": {"auth_code": {"type": "integer"}}},
    {"required": ["body"], "properties": {"body": {"type": "string"}}},
]))]
pub struct Email {
    /// The chat user's e-mail address.
    #[schemars(length(min = 1))]
    pub to: String,
    /// The auth code, a number of six digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 100_000, max = 999_999))]
    pub auth_code: Option<u64>,
    /// The text; holds the code when `auth_code` is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// 1, 2, ... in sending order (the reference mock's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// Always `email` (the reference mock's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<EmailKind>,
    /// The subject line (the reference mock's: `Your auth code for <chat name>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The chat the code lets its holder into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_id: Option<u64>,
    /// The chat user the code is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_user_id: Option<u64>,
    /// When it was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<Timestamp>,
    /// When the code stops working (NOTES.md C12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
}

/// `POST /_mock/rate-limit` body, and the reply of `GET` and `POST /_mock/rate-limit` (200):
/// the limit of API requests a minute per token (NOTES.md C20).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RateLimit {
    /// Requests a minute; null (or 0 in a request) for no limit. The errors scenario reads
    /// the limit, sets a small one and restores what it read.
    pub per_minute: Option<u32>,
}

/// connectnow's schemas under `specs/schemas/admin/`.
pub fn schemas() -> Vec<(String, Schema)> {
    vec![
        ("connectnow.response.users".into(), response_schema::<NewUserReply>()),
        ("connectnow.response.outbox".into(), response_schema::<Outbox<Email>>()),
        ("connectnow.request.rate_limit".into(), request_schema::<RateLimit>()),
        ("connectnow.response.rate_limit".into(), response_schema::<RateLimit>()),
    ]
}
