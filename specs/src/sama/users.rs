//! Users (seed 003): `user_create`, `user_edit`, `user_delete`, `user_search`,
//! `get_users_by_ids`, and the user record they return.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::envelope::RequestId;
use super::times::{TimeRange, Timestamp};

/// The user record: `user: { _id: "63480e68f4794709f802a2fa", login: "user_1", created_at:
/// "2022-10-13T13:11:04.447Z", updated_at: "2022-10-13T13:11:04.447Z" }`; the participant
/// messages show `recent_activity`, `first_name`, `last_name` and `email` as well.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct User {
    #[serde(rename = "_id")]
    #[schemars(length(min = 1))]
    pub id: String,
    #[schemars(length(min = 1))]
    pub login: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// "recent_activity: 1700149064": seconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recent_activity: Option<i64>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// `user_create: { login: "user_1", password: "user_paswword_1" }`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct UserCreateParams {
    #[schemars(length(min = 1))]
    pub login: String,
    #[schemars(length(min = 1))]
    pub password: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
}

/// `{ response: { id, user: {...} } }`: the reply of `user_create` and `user_edit`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UserReply {
    pub id: RequestId,
    pub user: User,
}

/// `user_edit: { current_password, new_password, email, phone }`: only the fields given
/// change; a new password needs the current one.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct UserEditParams {
    #[serde(default)]
    pub current_password: Option<String>,
    #[serde(default)]
    pub new_password: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub login: Option<String>,
}

/// `user_search: { keyword: "sam", limit: 100, updated_at: { gt }, ignore_ids: [...] }`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct UserSearchParams {
    #[serde(default)]
    pub keyword: Option<String>,
    #[serde(default)]
    pub limit: Option<u64>,
    #[serde(default)]
    pub updated_at: Option<TimeRange>,
    #[serde(default)]
    pub ignore_ids: Option<Vec<String>>,
}

/// `get_users_by_ids: { ids: [ "65fcb3f67dbaace5021595b9" ] }`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct GetUsersByIdsParams {
    pub ids: Vec<String>,
}

/// `{ response: { id, users: [...] } }`: the reply of `user_search` and `get_users_by_ids`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UsersReply {
    pub id: RequestId,
    pub users: Vec<User>,
}
