//! Signing in (seed 003): `POST /login` and `POST /logout` over HTTP, linking a socket with
//! `connect`, and the deprecated socket requests `user_login` and `user_logout`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::envelope::RequestId;
use super::users::User;

/// `POST /login` body: "login: "login_u1", password: "u1_password", device_id:
/// "device_u1"". With an access token in `Authorization: Bearer`, or with the refresh-token
/// cookie, only `device_id` is needed ("device_id must be put in the request header" when an
/// access token is used; the body is accepted too).
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct LoginBody {
    #[serde(default)]
    pub login: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub device_id: Option<String>,
}

/// `POST /login` reply: "All variations of the query will have the same response: user,
/// access_token, expired_at".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LoginReply {
    pub user: User,
    #[schemars(length(min = 1))]
    pub access_token: String,
    /// "timestamp_in_ms - the time when the access_token will expire".
    pub expired_at: i64,
}

/// `POST /logout` reply: `{ success: true }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LogoutReply {
    pub success: bool,
}

/// `connect: { token: "access_token", device_id: "device_u1" }`: "After receiving the
/// access_token, the client must send a request to connect the socket to the server and link
/// it to the current access_token". The reply is `{ response: { id, success: true } }`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct ConnectParams {
    #[schemars(length(min = 1))]
    pub token: String,
    #[schemars(length(min = 1))]
    pub device_id: String,
}

/// `user_login: { login, password, device_id }` or `user_login: { token }` (deprecated: "we
/// recommend using the new http route /login").
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct UserLoginParams {
    #[serde(default)]
    pub login: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub device_id: Option<String>,
    /// "Later, the subsequent logins can be done via token".
    #[serde(default)]
    pub token: Option<String>,
}

/// `{ response: { id: "3", user: {...}, token: "..." } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UserLoginReply {
    pub id: RequestId,
    pub user: User,
    #[schemars(length(min = 1))]
    pub token: String,
}

/// The admin API's `POST /_mock/users` reply: a user and everything a client needs to
/// `connect` at once, in this API's own terms.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProvisionedUser {
    pub user: User,
    pub login: String,
    pub password: String,
    pub access_token: String,
    /// Milliseconds, as `POST /login` gives it.
    pub expired_at: i64,
    pub device_id: String,
}
