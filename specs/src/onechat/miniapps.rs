//! Mini-app server calls (seed 004, "registerMiniApp" and "authenticateUser"; both are
//! given the URL `https://app.onechat.net/onechat/api/registerMiniApp`, NOTES.md O2).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Meta;
use crate::endpoint::{Doc, Endpoint};

/// `POST /onechat/api/registerMiniApp` ("registerMiniApp").
pub struct RegisterMiniAppCall;

impl Endpoint for RegisterMiniAppCall {
    const NAME: &'static str = "register_mini_app";
    type Request = RegisterMiniApp;
    type Reply = RegisterMiniAppReply;
    type Meta = Meta;
    const META: Meta = Meta { path: "/onechat/api/registerMiniApp", apikey: false };
    const DOC: Doc = Doc::seed("004", "Description: Register new mini app in OneChat Admin Portal");
}

/// `POST /onechat/api/authenticateUser` ("authenticateUser"; the seed gives it
/// registerMiniApp's URL, NOTES.md O2).
pub struct AuthenticateUserCall;

impl Endpoint for AuthenticateUserCall {
    const NAME: &'static str = "authenticate_user";
    type Request = AuthenticateUser;
    type Reply = AuthenticateUserReply;
    type Meta = Meta;
    const META: Meta = Meta { path: "/onechat/api/authenticateUser", apikey: false };
    const DOC: Doc = Doc::seed("004", "Description: Authenticate user session ID for Mini App Server");
}

/// An application id: the seed gives no sample, so a string or a number is accepted; the
/// mock sends a string.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum AppId {
    /// The id as a string: the mock's `app-N`.
    Text(#[schemars(length(min = 1))] String),
    /// The id as a number.
    Number(u64),
}

/// A truth value: the seed's sample is "True, False"; a JSON boolean or those words (in any
/// case) are accepted; the mock sends a boolean.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Truth {
    /// A JSON boolean, as the mock sends it.
    Bool(bool),
    /// The seed's words: `True` or `False`, in any case.
    Text(#[schemars(pattern(r"^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])$"))] String),
}

/// `registerMiniApp`: "Register new mini app in OneChat Admin Portal".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegisterMiniApp {
    /// "Admin Username": the admin's jid.
    #[schemars(length(min = 1))]
    pub admin_jid: String,
    /// "Session ID": an active session of the admin.
    #[schemars(length(min = 1))]
    pub session_id: String,
    /// "Mini App Name"
    #[schemars(length(min = 1))]
    pub app_name: String,
    /// "Mini App Icon"
    #[schemars(length(min = 1))]
    pub app_icon: String,
    /// "Mini App URL"
    #[schemars(length(min = 1))]
    pub app_url: String,
}

/// The reply of `registerMiniApp`: status, description, "appId | Application ID" and
/// "apiKey | apiKey for API calls".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegisterMiniAppReply {
    /// Always `Success` (a failure is the `error` reply).
    #[schemars(pattern(r"^Success$"))]
    pub status: String,
    /// "Description of the status": the mock sends `-`, as in the seed's sample.
    pub description: String,
    /// "appId | Application ID", for `authenticateUser`.
    pub app_id: AppId,
    /// The key to send as the `apikey` header of the alert calls.
    #[schemars(length(min = 1))]
    pub api_key: String,
}

/// `authenticateUser`: "Authenticate user session ID for Mini App Server".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticateUser {
    /// "Username": the user's jid.
    #[schemars(length(min = 1))]
    pub jid: String,
    /// "Session ID": what `OC.user.getSessionID()` gave the mini app.
    #[schemars(length(min = 1))]
    pub session_id: String,
    /// "Application ID" from `registerMiniApp`.
    pub app_id: AppId,
    /// "apiKey for API calls" from `registerMiniApp`.
    #[schemars(length(min = 1))]
    pub api_key: String,
}

/// The reply of `authenticateUser`: status, description and "isAuthenticated | Returns user
/// validity | True, False".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticateUserReply {
    /// `Success` when the app's credentials are right, whatever the session's validity.
    #[schemars(pattern(r"^(Success|Error)$"))]
    pub status: String,
    /// "Description of the status": `-` on success, as in the seed's sample.
    pub description: String,
    /// "isAuthenticated | Returns user validity | True, False": whether the session is an
    /// active session of `jid` (NOTES.md O12).
    pub is_authenticated: Truth,
}
