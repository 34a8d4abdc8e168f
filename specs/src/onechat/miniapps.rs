//! Mini-app server calls (seed 004, "registerMiniApp" and "authenticateUser"; both are
//! given the URL `https://app.onechat.net/onechat/api/registerMiniApp`, NOTES.md O2).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An application id: the seed gives no sample, so a string or a number is accepted; the
/// mock sends a string.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum AppId {
    Text(#[schemars(length(min = 1))] String),
    Number(u64),
}

/// A truth value: the seed's sample is "True, False"; a JSON boolean or those words (in any
/// case) are accepted; the mock sends a boolean.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Truth {
    Bool(bool),
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
    pub description: String,
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
    pub description: String,
    pub is_authenticated: Truth,
}
