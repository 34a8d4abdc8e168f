//! Signing in (seed 003): `POST /login` and `POST /logout` over HTTP, linking a socket with
//! `connect`, and the deprecated socket requests `user_login` and `user_logout`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::envelope::{NoParams, RequestId, SuccessReply};
use super::users::User;
use super::{Meta, Transport};
use crate::endpoint::{Doc, Endpoint};

/// `POST /login`: signing in over HTTP with a password, an access token or the refresh-token
/// cookie.
pub struct Login;

impl Endpoint for Login {
    const NAME: &'static str = "login";
    type Request = LoginBody;
    type Reply = LoginReply;
    type Meta = Meta;
    const META: Meta = Meta { transport: Transport::Http { method: "POST", path: "/login" }, session: false };
    const DOC: Doc =
        Doc::seed("003", "Therefore, we recommend using the new http route /login for user authorization.");
}

/// `POST /logout`: "to log the user out of the system", with the access token in the header.
pub struct Logout;

impl Endpoint for Logout {
    const NAME: &'static str = "logout";
    type Request = NoParams;
    type Reply = LogoutReply;
    type Meta = Meta;
    const META: Meta = Meta { transport: Transport::Http { method: "POST", path: "/logout" }, session: true };
    const DOC: Doc = Doc::seed(
        "003",
        "The body of the request can be empty, but you need to put the access_token in the request header",
    );
}

/// `connect: { token, device_id }`: links the socket to an access token.
pub struct Connect;

impl Endpoint for Connect {
    const NAME: &'static str = "connect";
    type Request = ConnectParams;
    type Reply = SuccessReply;
    type Meta = Meta;
    const META: Meta = Meta::BEFORE_CONNECT;
    const DOC: Doc = Doc::seed(
        "003",
        "After receiving the access_token, the client must send a request to connect the socket to the server and link it to the current access_token",
    );
}

/// `user_login: { login, password, device_id }` or `{ token }` (deprecated).
pub struct UserLogin;

impl Endpoint for UserLogin {
    const NAME: &'static str = "user_login";
    type Request = UserLoginParams;
    type Reply = UserLoginReply;
    type Meta = Meta;
    const META: Meta = Meta::BEFORE_CONNECT;
    const DOC: Doc = Doc::seed("003", "WARNING: user_login request is deprecated");
}

/// `user_logout: {}` (deprecated).
pub struct UserLogout;

impl Endpoint for UserLogout {
    const NAME: &'static str = "user_logout";
    type Request = NoParams;
    type Reply = SuccessReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::seed("003", "WARNING: user_logout request is deprecated");
}

/// `POST /login` body: "login: "login_u1", password: "u1_password", device_id:
/// "device_u1"". With an access token in `Authorization: Bearer`, or with the refresh-token
/// cookie, only `device_id` is needed ("device_id must be put in the request header" when an
/// access token is used; the body is accepted too).
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct LoginBody {
    /// The user's login: `login: "login_u1"`.
    #[serde(default)]
    pub login: Option<String>,
    /// The user's password: `password: "u1_password"`.
    #[serde(default)]
    pub password: Option<String>,
    /// The device signing in: `device_id: "device_u1"`; with an access token it "must be put
    /// in the request header" (NOTES.md S4).
    #[serde(default)]
    pub device_id: Option<String>,
}

/// `POST /login` reply: "All variations of the query will have the same response: user,
/// access_token, expired_at".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LoginReply {
    /// The signed-in user's record.
    pub user: User,
    /// The token to `connect` the socket with and to send as `Authorization: Bearer`.
    #[schemars(length(min = 1))]
    pub access_token: String,
    /// "timestamp_in_ms - the time when the access_token will expire".
    pub expired_at: i64,
}

/// `POST /logout` reply: `{ success: true }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LogoutReply {
    /// Always `true`: `{ success: true }`.
    pub success: bool,
}

/// `connect: { token: "access_token", device_id: "device_u1" }`: "After receiving the
/// access_token, the client must send a request to connect the socket to the server and link
/// it to the current access_token". The reply is `{ response: { id, success: true } }`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct ConnectParams {
    /// The access token from `POST /login`: `token: "access_token"`.
    #[schemars(length(min = 1))]
    pub token: String,
    /// The device the token was issued for: `device_id: "device_u1"` (NOTES.md S7).
    #[schemars(length(min = 1))]
    pub device_id: String,
}

/// `user_login: { login, password, device_id }` or `user_login: { token }` (deprecated: "we
/// recommend using the new http route /login").
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct UserLoginParams {
    /// The user's login: `login: "user_1"`.
    #[serde(default)]
    pub login: Option<String>,
    /// The user's password: `password: "user_paswword_1"`.
    #[serde(default)]
    pub password: Option<String>,
    /// The device signing in: `device_id: "xxx-yyy-zzz"`; needed with `login` and `password`
    /// (NOTES.md S8).
    #[serde(default)]
    pub device_id: Option<String>,
    /// "Later, the subsequent logins can be done via token".
    #[serde(default)]
    pub token: Option<String>,
}

/// `{ response: { id: "3", user: {...}, token: "..." } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UserLoginReply {
    /// The request's `id`, echoed as sent.
    pub id: RequestId,
    /// The signed-in user's record.
    pub user: User,
    /// A new access token, for later logins "via token" (NOTES.md S8).
    #[schemars(length(min = 1))]
    pub token: String,
}

/// The admin API's `POST /_mock/users` reply: a user and everything a client needs to
/// `connect` at once, in this API's own terms.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProvisionedUser {
    /// The user's record.
    pub user: User,
    /// The login to sign in with.
    pub login: String,
    /// The password to sign in with.
    pub password: String,
    /// An access token for `device_id`, as `POST /login` gives it.
    pub access_token: String,
    /// Milliseconds, as `POST /login` gives it.
    pub expired_at: i64,
    /// The device the access token was issued for.
    pub device_id: String,
}
