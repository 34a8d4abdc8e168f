//! Accounts: registering and logging in, and the chat user records they return (seed 000,
//! "Authenticating user": "When loggin in with some login method, callint party gets the
//! extended `chat user record, which includes auth_token fields."; the public fact
//! `register(email, password)` and the mock's `login`, NOTES.md U4).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Meta;
use crate::endpoint::{Doc, Endpoint};

/// `register(email, password) -> {user}` (public fact; errors `invalid_email`,
/// `registration_error`).
pub struct Register;

impl Endpoint for Register {
    const NAME: &'static str = "register";
    type Request = RegisterArgs;
    type Reply = UserReply;
    type Meta = Meta;
    const META: Meta = Meta::DOMAIN;
    const DOC: Doc = Doc::reading(
        "000",
        "When loggin in with some login method, callint party gets the extended `chat user record, which includes auth_token fields.",
        "U4",
    );
}

/// `login(email, password) -> {user}`: the mock's login (the seeds name none; NOTES.md U4).
pub struct Login;

impl Endpoint for Login {
    const NAME: &'static str = "login";
    type Request = LoginArgs;
    type Reply = UserReply;
    type Meta = Meta;
    const META: Meta = Meta::DOMAIN;
    const DOC: Doc = Doc::mock(
        "000",
        "When loggin in with some login method, callint party gets the extended `chat user record, which includes auth_token fields.",
        "U4",
    );
}

/// The arguments of `register(email, password)` (public fact; errors `invalid_email`,
/// `registration_error`).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct RegisterArgs {
    /// The e-mail address to register, unique among accounts; a malformed one is
    /// `invalid_email`, a taken one `registration_error`.
    pub email: String,
    /// The password to log in with later, any string.
    pub password: String,
    /// The nick to show; the mock uses the e-mail's local part when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nick: Option<String>,
}

/// The arguments of `login(email, password)`: the mock's login (the seeds name none; NOTES.md
/// U4).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct LoginArgs {
    /// The e-mail address the account was registered with.
    pub email: String,
    /// The account's password; a wrong one is `login_error`.
    pub password: String,
}

/// `{user: <extended chat user record>}`: the reply of `register` and `login`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct UserReply {
    /// The caller's own record: "the extended `chat user record, which includes auth_token
    /// fields".
    pub user: OwnChatUser,
}

/// The chat user record as others see it: `{id, nick, is_online, status}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ChatUser {
    /// The user's id, an integer (the `user_id` of messages and subscriptions).
    pub id: u64,
    /// The name shown to others.
    pub nick: String,
    /// Whether the user is connected now.
    pub is_online: bool,
    /// The user's status text; null when none is set.
    pub status: Option<String>,
}

/// The extended chat user record a login returns (seed 000): "callint party gets the
/// extended chat user record, which includes auth_token fields".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OwnChatUser {
    /// The user's id, an integer (the `user_id` of messages and subscriptions).
    pub id: u64,
    /// The name shown to others.
    pub nick: String,
    /// Whether the user is connected now.
    pub is_online: bool,
    /// The user's status text; null when none is set.
    pub status: Option<String>,
    /// The e-mail address the account was registered with.
    pub email: String,
    /// The value to send as `USER_AUTH_TOKEN`: "The application must then set the request
    /// header USER_AUTH_TOKEN to this value with each request that needs user
    /// authentication."
    #[schemars(length(min = 1))]
    pub auth_token: String,
    /// A link to the user's picture; null when none is set.
    pub avatar: Option<String>,
}
